/* depaudit which: the distributions that provide a module, from the embedded snapshot
 * (or --snapshot FILE), each with where the answer came from. */
#include "commands.h"

#include "depaudit/snapshot.h"
#include "depaudit/util.h"

#include <stdio.h>
#include <string.h>

static const char which_usage[] =
    "usage: depaudit which [--format text|json] [--snapshot FILE] MODULE...\n"
    "\n"
    "Which distributions provide MODULE (dotted, e.g. google.protobuf.message): the\n"
    "longest dotted prefix some distribution ships wins, most downloaded first.\n"
    "\n"
    "  --format text|json  output format (default text)\n"
    "  --snapshot FILE     read this snapshot file instead of the embedded one\n"
    "\n"
    "Exit status: 0 when every module is known, 3 when some is not in the snapshot,\n"
    "2 on usage errors or an unreadable snapshot.\n";

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void print_text(const char *module, const da_snapshot_match *m, int n)
{
    if (n == 0) {
        printf("%s: no distribution in the snapshot provides it\n", module);
        return;
    }
    printf("%s:\n", module);
    for (int i = 0; i < n; i++) {
        printf("  %s %s", m[i].dist, m[i].version);
        if (m[i].rank > 0)
            printf(" (download rank %d)", m[i].rank);
        if (m[i].namespace_only)
            printf(" contributes to namespace package %s only", m[i].module);
        else if (strcmp(m[i].module, module) != 0)
            printf(" via %s", m[i].module);
        printf("\n    from %s\n", m[i].origin);
    }
}

static void print_json(const char *module, const da_snapshot_match *m, int n, bool first)
{
    printf("%s\n    {\"module\": ", first ? "" : ",");
    json_string(stdout, module);
    printf(", \"providers\": [");
    for (int i = 0; i < n; i++) {
        printf("%s\n      {\"distribution\": ", i ? "," : "");
        json_string(stdout, m[i].dist);
        printf(", \"version\": ");
        json_string(stdout, m[i].version);
        printf(", \"matched\": ");
        json_string(stdout, m[i].module);
        printf(", \"namespace_only\": %s, \"rank\": %d, \"source\": \"snapshot\", \"origin\": ",
               m[i].namespace_only ? "true" : "false", m[i].rank);
        json_string(stdout, m[i].origin);
        printf("}");
    }
    printf("%s]}", n ? "\n    " : "");
}

int cmd_which(int argc, char **argv)
{
    const char *format = "text", *snapshot_path = NULL;
    int first_module = argc;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(which_usage, stdout);
            return DA_EXIT_OK;
        } else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            format = argv[++i];
        } else if (strncmp(argv[i], "--format=", 9) == 0) {
            format = argv[i] + 9;
        } else if (strcmp(argv[i], "--snapshot") == 0 && i + 1 < argc) {
            snapshot_path = argv[++i];
        } else if (strncmp(argv[i], "--snapshot=", 11) == 0) {
            snapshot_path = argv[i] + 11;
        } else if (strcmp(argv[i], "--") == 0) {
            first_module = i + 1;
            break;
        } else if (argv[i][0] == '-') {
            return cli_usage_error("which: unknown option '%s' (see 'depaudit which --help')",
                                   argv[i]);
        } else {
            first_module = i;
            break;
        }
    }
    bool json = strcmp(format, "json") == 0;
    if (!json && strcmp(format, "text") != 0)
        return cli_usage_error("which: --format must be text or json, not '%s'", format);
    if (first_module >= argc)
        return cli_usage_error("which: name at least one MODULE (see 'depaudit which --help')");
    for (int i = first_module; i < argc; i++)
        if (argv[i][0] == '-' && strcmp(argv[i - 1], "--") != 0 && i > first_module)
            return cli_usage_error("which: options go before the modules ('%s')", argv[i]);

    da_error err;
    da_error_clear(&err);
    da_snapshot *s = snapshot_path ? da_snapshot_open_file(snapshot_path, &err)
                                   : da_snapshot_open_embedded(&err);
    if (!s) {
        char msg[2048];
        da_error_format(&err, msg, sizeof(msg));
        return cli_usage_error("which: %s", msg);
    }
    int status = DA_EXIT_OK;
    if (json)
        printf("{\"results\": [");
    for (int i = first_module; i < argc; i++) {
        da_snapshot_match *m;
        int n = da_snapshot_which_matches(s, argv[i], &m);
        if (n == 0)
            status = DA_EXIT_NO_METADATA;
        if (json)
            print_json(argv[i], m, n, i == first_module);
        else
            print_text(argv[i], m, n);
        da_snapshot_matches_free(m, n);
    }
    if (json) {
        printf("\n  ],\n  \"snapshot\": ");
        json_string(stdout, da_snapshot_provenance(s));
        printf("\n}\n");
    } else {
        printf("\nSnapshot sources:\n");
        const char *p = da_snapshot_provenance(s);
        while (*p) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            printf("  %.*s\n", (int)len, p);
            p += len + (nl ? 1 : 0);
        }
    }
    da_snapshot_close(s);
    return status;
}
