/* `depaudit which`: the distributions of the snapshot that provide a module, each with
 * where the answer came from. */
#include "check_internal.h"

#include <string.h>

static void json_string(da_buf *out, const char *s)
{
    da_buf_putc(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            da_buf_printf(out, "\\%c", *p);
        else if (*p == '\n')
            da_buf_puts(out, "\\n");
        else if (*p < 0x20)
            da_buf_printf(out, "\\u%04x", *p);
        else
            da_buf_putc(out, (char)*p);
    }
    da_buf_putc(out, '"');
}

static void module_text(da_buf *out, const char *module, const da_snapshot_match *m, int n)
{
    if (n == 0) {
        da_buf_printf(out, "%s: no distribution in the snapshot provides it\n", module);
        return;
    }
    da_buf_printf(out, "%s:\n", module);
    for (int i = 0; i < n; i++) {
        da_buf_printf(out, "  %s %s", m[i].dist, m[i].version);
        if (m[i].rank > 0)
            da_buf_printf(out, " (download rank %d)", m[i].rank);
        if (m[i].namespace_only)
            da_buf_printf(out, " contributes to namespace package %s only", m[i].module);
        else if (strcmp(m[i].module, module) != 0)
            da_buf_printf(out, " via %s", m[i].module);
        da_buf_printf(out, "\n    from %s\n", m[i].origin);
    }
}

static void module_json(da_buf *out, const char *module, const da_snapshot_match *m, int n,
                        bool first)
{
    da_buf_printf(out, "%s\n    {\"module\": ", first ? "" : ",");
    json_string(out, module);
    da_buf_puts(out, ", \"providers\": [");
    for (int i = 0; i < n; i++) {
        da_buf_printf(out, "%s\n      {\"distribution\": ", i ? "," : "");
        json_string(out, m[i].dist);
        da_buf_puts(out, ", \"version\": ");
        json_string(out, m[i].version);
        da_buf_puts(out, ", \"matched\": ");
        json_string(out, m[i].module);
        da_buf_printf(out,
                      ", \"namespace_only\": %s, \"rank\": %d, \"source\": \"snapshot\", "
                      "\"origin\": ",
                      m[i].namespace_only ? "true" : "false", m[i].rank);
        json_string(out, m[i].origin);
        da_buf_putc(out, '}');
    }
    da_buf_printf(out, "%s]}", n ? "\n    " : "");
}

static void sources_text(da_buf *out, const char *provenance)
{
    da_buf_puts(out, "\nSnapshot sources:\n");
    const char *p = provenance;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        da_buf_printf(out, "  %.*s\n", (int)len, p);
        p += len + (nl ? 1 : 0);
    }
}

int da_check_which(const char *snapshot_file, const char *const *modules, size_t n, bool json,
                   da_buf *out, bool *all_known, da_error *err)
{
    *all_known = true;
    da_snapshot *s =
        snapshot_file ? da_snapshot_open_file(snapshot_file, err) : da_snapshot_open_embedded(err);
    if (!s)
        return -1;
    if (json)
        da_buf_puts(out, "{\"results\": [");
    for (size_t i = 0; i < n; i++) {
        da_snapshot_match *m;
        int found = da_snapshot_which_matches(s, modules[i], &m);
        if (found == 0)
            *all_known = false;
        if (json)
            module_json(out, modules[i], m, found, i == 0);
        else
            module_text(out, modules[i], m, found);
        da_snapshot_matches_free(m, found);
    }
    if (json) {
        da_buf_puts(out, "\n  ],\n  \"snapshot\": ");
        json_string(out, da_snapshot_provenance(s));
        da_buf_puts(out, "\n}\n");
    } else {
        sources_text(out, da_snapshot_provenance(s));
    }
    da_snapshot_close(s);
    return 0;
}
