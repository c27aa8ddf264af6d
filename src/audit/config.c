/* The user's configuration: [tool.depaudit] in pyproject.toml, or .depaudit.toml (its top
 * level or a [tool.depaudit] table), read with tree-sitter-toml.
 *
 *   ignore = ["DA004"]
 *   first-party = ["app"]
 *   base-image-provides = ["numpy"]
 *   exclude = ["tests", "*_test.py"]
 *   report-type-checking = false
 *   [tool.depaudit.per-module-ignores]   (or an inline table)
 *   "legacy.tools" = ["DA001"]
 *   [tool.depaudit.mappings]
 *   "internal_sdk" = "acme-internal-sdk" */
#include "audit_internal.h"
#include "depaudit/grammars.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct toml_doc {
    const char *path;
    const char *src;
    da_audit_config *cfg;
    da_error *err;
} toml_doc;

static int fail_at(toml_doc *d, TSNode n, const char *fmt, const char *arg)
{
    TSPoint p = ts_node_start_point(n);
    return da_error_set(d->err, d->path, (int)p.row + 1, (int)p.column + 1, fmt, arg);
}

static char *node_text(toml_doc *d, TSNode n)
{
    uint32_t a = ts_node_start_byte(n), z = ts_node_end_byte(n);
    return da_xstrndup(d->src + a, z - a);
}

/* A string value or quoted key without its quotes (escapes \" \\ \n \t undone). */
static char *unquote(const char *t)
{
    size_t n = strlen(t);
    size_t q = 0;
    if (n >= 6 && (strncmp(t, "\"\"\"", 3) == 0 || strncmp(t, "'''", 3) == 0))
        q = 3;
    else if (n >= 2 && (t[0] == '"' || t[0] == '\''))
        q = 1;
    bool literal = q && t[0] == '\'';
    da_buf b = {0};
    for (size_t i = q; i + q < n; i++) {
        if (!literal && t[i] == '\\' && i + 1 + q < n) {
            char e = t[++i];
            da_buf_putc(&b, e == 'n' ? '\n' : e == 't' ? '\t' : e);
            continue;
        }
        da_buf_putc(&b, t[i]);
    }
    return da_buf_take(&b);
}

/* A key (bare, quoted or dotted) as a dotted string. */
static char *key_text(toml_doc *d, TSNode k)
{
    const char *type = ts_node_type(k);
    if (strcmp(type, "dotted_key") == 0) {
        da_buf b = {0};
        for (uint32_t i = 0; i < ts_node_named_child_count(k); i++) {
            char *part = key_text(d, ts_node_named_child(k, i));
            da_buf_printf(&b, "%s%s", b.len ? "." : "", part);
            free(part);
        }
        return da_buf_take(&b);
    }
    char *t = node_text(d, k);
    if (strcmp(type, "quoted_key") == 0) {
        char *u = unquote(t);
        free(t);
        return u;
    }
    return t;
}

static int read_string_array(toml_doc *d, TSNode v, const char *key, da_strlist *out)
{
    if (strcmp(ts_node_type(v), "array") != 0)
        return fail_at(d, v, "`%s` must be an array of strings", key);
    for (uint32_t i = 0; i < ts_node_named_child_count(v); i++) {
        TSNode e = ts_node_named_child(v, i);
        if (strcmp(ts_node_type(e), "comment") == 0)
            continue;
        if (strcmp(ts_node_type(e), "string") != 0)
            return fail_at(d, e, "`%s` must be an array of strings", key);
        char *t = node_text(d, e);
        da_strlist_push_owned(out, unquote(t));
        free(t);
    }
    return 0;
}

static int read_module_ignore(toml_doc *d, const char *module, TSNode v)
{
    da_strlist codes = {0};
    if (read_string_array(d, v, "per-module-ignores", &codes) != 0) {
        da_strlist_free(&codes);
        return -1;
    }
    for (size_t i = 0; i < codes.len; i++) {
        if (!da_code_parse(codes.items[i])) {
            int rc =
                fail_at(d, v, "unknown rule code `%s` (expected DA001..DA010)", codes.items[i]);
            da_strlist_free(&codes);
            return rc;
        }
        da_strlist_push_owned(&d->cfg->module_ignores,
                              da_xasprintf("%s:%s", module, codes.items[i]));
    }
    if (codes.len == 0)
        da_strlist_push(&d->cfg->module_ignores, module);
    da_strlist_free(&codes);
    return 0;
}

static int read_mapping(toml_doc *d, const char *module, TSNode v)
{
    if (strcmp(ts_node_type(v), "string") != 0)
        return fail_at(d, v, "mapping for `%s` must be a distribution name string", module);
    char *t = node_text(d, v);
    char *dist = unquote(t);
    free(t);
    da_strlist_push_owned(&d->cfg->mappings, da_xasprintf("%s=%s", module, dist));
    free(dist);
    return 0;
}

/* The pairs of a sub-table (`section` is "per-module-ignores" or "mappings"). */
static int read_section_pair(toml_doc *d, const char *section, const char *key, TSNode v)
{
    if (strcmp(section, "per-module-ignores") == 0)
        return read_module_ignore(d, key, v);
    return read_mapping(d, key, v);
}

static int read_inline_section(toml_doc *d, const char *section, TSNode v)
{
    if (strcmp(ts_node_type(v), "inline_table") != 0)
        return fail_at(d, v, "`%s` must be a table", section);
    for (uint32_t i = 0; i < ts_node_named_child_count(v); i++) {
        TSNode pair = ts_node_named_child(v, i);
        if (strcmp(ts_node_type(pair), "pair") != 0)
            continue;
        char *k = key_text(d, ts_node_named_child(pair, 0));
        int rc = read_section_pair(d, section, k, ts_node_named_child(pair, 1));
        free(k);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int read_pair(toml_doc *d, TSNode pair)
{
    TSNode kn = ts_node_named_child(pair, 0);
    TSNode v = ts_node_named_child(pair, 1);
    char *key = key_text(d, kn);
    int rc = 0;
    da_audit_config *c = d->cfg;
    if (strcmp(key, "ignore") == 0) {
        rc = read_string_array(d, v, key, &c->ignore);
        for (size_t i = 0; rc == 0 && i < c->ignore.len; i++)
            if (!da_code_parse(c->ignore.items[i]))
                rc = fail_at(d, v, "unknown rule code `%s` (expected DA001..DA010)",
                             c->ignore.items[i]);
    } else if (strcmp(key, "first-party") == 0) {
        rc = read_string_array(d, v, key, &c->first_party);
    } else if (strcmp(key, "base-image-provides") == 0) {
        rc = read_string_array(d, v, key, &c->base_provides);
    } else if (strcmp(key, "exclude") == 0) {
        rc = read_string_array(d, v, key, &c->exclude);
    } else if (strcmp(key, "report-type-checking") == 0) {
        if (strcmp(ts_node_type(v), "boolean") != 0) {
            rc = fail_at(d, v, "`%s` must be true or false", key);
        } else {
            char *t = node_text(d, v);
            c->report_type_checking = strcmp(t, "true") == 0;
            free(t);
        }
    } else if (strcmp(key, "per-module-ignores") == 0 || strcmp(key, "mappings") == 0) {
        rc = read_inline_section(d, key, v);
    } else {
        rc = fail_at(d, kn, "unknown [tool.depaudit] key `%s`", key);
    }
    free(key);
    return rc;
}

/* Which part of the configuration a table header opens: 0 the main table, 1 a section
 * ("per-module-ignores"/"mappings" in *section), -1 not ours. */
static int table_role(const char *name, bool bare_file, const char **section)
{
    static const char *const sections[] = {"per-module-ignores", "mappings"};
    const char *rest = NULL;
    if (strcmp(name, "tool.depaudit") == 0)
        return 0;
    if (da_str_starts_with(name, "tool.depaudit."))
        rest = name + strlen("tool.depaudit.");
    else if (bare_file)
        rest = name;
    if (!rest)
        return -1;
    for (size_t i = 0; i < 2; i++)
        if (strcmp(rest, sections[i]) == 0) {
            *section = sections[i];
            return 1;
        }
    return bare_file && !da_str_starts_with(name, "tool.") ? 2 : -1;
}

int da_audit_config_load(const char *path, da_audit_config *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    char *src = NULL;
    size_t len = 0;
    if (da_read_file(path, &src, &len, err) != 0)
        return -1;
    int rc = da_audit_config_parse(path, src, len, out, err);
    free(src);
    return rc;
}

int da_audit_config_parse(const char *path, const char *src, size_t len, da_audit_config *out,
                          da_error *err)
{
    memset(out, 0, sizeof(*out));
    if (len > UINT32_MAX)
        return da_error_set(err, path, 0, 0, "configuration file too large");
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    bool bare_file = strcmp(base, "pyproject.toml") != 0;
    TSParser *parser = ts_parser_new();
    ts_parser_set_language(parser, tree_sitter_toml());
    TSTree *tree = ts_parser_parse_string(parser, NULL, src, (uint32_t)len);
    TSNode root = ts_tree_root_node(tree);
    toml_doc d = {path, src, out, err};
    int rc = 0;
    if (ts_node_has_error(root)) {
        /* point at the first error node */
        TSNode n = root;
        for (bool descended = true; descended;) {
            descended = false;
            for (uint32_t i = 0; i < ts_node_child_count(n); i++) {
                TSNode ch = ts_node_child(n, i);
                if (strcmp(ts_node_type(ch), "ERROR") == 0 || ts_node_is_missing(ch)) {
                    n = ch;
                    break;
                }
                if (ts_node_has_error(ch)) {
                    n = ch;
                    descended = true;
                    break;
                }
            }
        }
        rc = fail_at(&d, n, "%s", "not valid TOML here");
    }
    for (uint32_t i = 0; rc == 0 && i < ts_node_named_child_count(root); i++) {
        TSNode top = ts_node_named_child(root, i);
        const char *type = ts_node_type(top);
        if (strcmp(type, "pair") == 0) {
            if (bare_file)
                rc = read_pair(&d, top);
            continue;
        }
        if (strcmp(type, "table") != 0)
            continue;
        char *name = key_text(&d, ts_node_named_child(top, 0));
        const char *section = NULL;
        int role = table_role(name, bare_file, &section);
        if (role == 2)
            rc = fail_at(&d, top, "unknown table [%s] in the depaudit configuration", name);
        free(name);
        if (role < 0 || rc != 0)
            continue;
        for (uint32_t k = 1; rc == 0 && k < ts_node_named_child_count(top); k++) {
            TSNode pair = ts_node_named_child(top, k);
            if (strcmp(ts_node_type(pair), "pair") != 0)
                continue;
            if (role == 0) {
                rc = read_pair(&d, pair);
            } else {
                char *key = key_text(&d, ts_node_named_child(pair, 0));
                rc = read_section_pair(&d, section, key, ts_node_named_child(pair, 1));
                free(key);
            }
        }
    }
    ts_tree_delete(tree);
    ts_parser_delete(parser);
    if (rc != 0) {
        da_audit_config_free(out);
        return -1;
    }
    out->file = da_xstrdup(path);
    return 0;
}

void da_audit_config_free(da_audit_config *c)
{
    if (!c)
        return;
    da_strlist_free(&c->ignore);
    da_strlist_free(&c->module_ignores);
    da_strlist_free(&c->mappings);
    da_strlist_free(&c->first_party);
    da_strlist_free(&c->base_provides);
    da_strlist_free(&c->exclude);
    free(c->file);
    memset(c, 0, sizeof(*c));
}
