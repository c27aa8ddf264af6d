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
#include "depaudit/toml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct config_doc {
    const da_toml *toml;
    da_audit_config *cfg;
    da_error *err;
} config_doc;

static int read_string_array(config_doc *d, TSNode v, const char *key, da_strlist *out)
{
    if (!da_toml_is_array(v))
        return da_toml_fail(d->toml, v, d->err, "`%s` must be an array of strings", key);
    TSNode e;
    for (size_t i = 0; da_toml_next_element(v, &i, &e);) {
        char *value = da_toml_string(d->toml, e, NULL, NULL);
        if (!value)
            return da_toml_fail(d->toml, e, d->err, "`%s` must be an array of strings", key);
        da_strlist_push_owned(out, value);
    }
    return 0;
}

static int read_module_ignore(config_doc *d, const char *module, TSNode v)
{
    da_strlist codes = {0};
    if (read_string_array(d, v, "per-module-ignores", &codes) != 0) {
        da_strlist_free(&codes);
        return -1;
    }
    for (size_t i = 0; i < codes.len; i++) {
        if (!da_code_parse(codes.items[i])) {
            int rc = da_toml_fail(d->toml, v, d->err,
                                  "unknown rule code `%s` (expected a DA code such as DA001)",
                                  codes.items[i]);
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

static int read_mapping(config_doc *d, const char *module, TSNode v)
{
    char *dist = da_toml_string(d->toml, v, NULL, NULL);
    if (!dist)
        return da_toml_fail(d->toml, v, d->err,
                            "mapping for `%s` must be a distribution name string", module);
    da_strlist_push_owned(&d->cfg->mappings, da_xasprintf("%s=%s", module, dist));
    free(dist);
    return 0;
}

/* The pairs of a sub-table (`section` is "per-module-ignores" or "mappings"). */
static int read_section_pair(config_doc *d, const char *section, TSNode key, TSNode v)
{
    char *k = da_toml_key_text(d->toml, key);
    int rc = strcmp(section, "per-module-ignores") == 0 ? read_module_ignore(d, k, v)
                                                        : read_mapping(d, k, v);
    free(k);
    return rc;
}

static int read_inline_section(config_doc *d, const char *section, TSNode v)
{
    if (!da_toml_is_inline_table(v))
        return da_toml_fail(d->toml, v, d->err, "`%s` must be a table", section);
    da_toml_pair p;
    for (size_t i = 0; da_toml_next_pair(v, &i, &p);) {
        int rc = read_section_pair(d, section, p.key, p.value);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int read_pair(config_doc *d, TSNode kn, TSNode v)
{
    char *key = da_toml_key_text(d->toml, kn);
    int rc = 0;
    da_audit_config *c = d->cfg;
    if (strcmp(key, "ignore") == 0) {
        rc = read_string_array(d, v, key, &c->ignore);
        for (size_t i = 0; rc == 0 && i < c->ignore.len; i++)
            if (!da_code_parse(c->ignore.items[i]))
                rc = da_toml_fail(d->toml, v, d->err,
                                  "unknown rule code `%s` (expected a DA code such as DA001)",
                                  c->ignore.items[i]);
    } else if (strcmp(key, "first-party") == 0) {
        rc = read_string_array(d, v, key, &c->first_party);
    } else if (strcmp(key, "base-image-provides") == 0) {
        rc = read_string_array(d, v, key, &c->base_provides);
    } else if (strcmp(key, "exclude") == 0) {
        rc = read_string_array(d, v, key, &c->exclude);
    } else if (strcmp(key, "report-type-checking") == 0) {
        int on = da_toml_boolean(d->toml, v);
        if (on < 0)
            rc = da_toml_fail(d->toml, v, d->err, "`%s` must be true or false", key);
        else
            c->report_type_checking = on == 1;
    } else if (strcmp(key, "per-module-ignores") == 0 || strcmp(key, "mappings") == 0) {
        rc = read_inline_section(d, key, v);
    } else {
        rc = da_toml_fail(d->toml, kn, d->err, "unknown [tool.depaudit] key `%s`", key);
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

int da_audit_config_load_under(const char *root, const char *path, da_audit_config *out,
                               da_error *err)
{
    memset(out, 0, sizeof(*out));
    char *src = NULL;
    size_t len = 0;
    if (da_read_file_under(root, path, DA_TEXT_FILE_MAX, &src, &len, err) != 0)
        return -1;
    int rc = da_audit_config_parse(path, src, len, out, err);
    free(src);
    return rc;
}

int da_audit_config_load(const char *path, da_audit_config *out, da_error *err)
{
    return da_audit_config_load_under(NULL, path, out, err);
}

/* One top-level item of the file: a pair (read only in .depaudit.toml) or a table. */
static int read_table(config_doc *d, const da_toml_table *t, bool bare_file)
{
    int role = 0;
    const char *section = NULL;
    if (t->name.len == 0) {
        if (!bare_file)
            return 0;
    } else {
        char *name = da_toml_dotted(&t->name);
        role = table_role(name, bare_file, &section);
        int rc = role == 2 ? da_toml_fail(d->toml, t->node, d->err,
                                          "unknown table [%s] in the depaudit configuration", name)
                           : 0;
        free(name);
        if (role < 0 || rc != 0)
            return rc;
    }
    da_toml_pair p;
    for (size_t i = 0; da_toml_next_pair(t->node, &i, &p);) {
        int rc = role == 0 ? read_pair(d, p.key, p.value)
                           : read_section_pair(d, section, p.key, p.value);
        if (rc != 0)
            return rc;
    }
    return 0;
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
    da_toml toml;
    if (da_toml_parse(&toml, path, src, len, err) != 0)
        return -1;
    config_doc d = {&toml, out, err};
    int rc = da_toml_check(&toml, err, NULL);
    da_toml_table t = {0};
    for (size_t i = 0; rc == 0 && da_toml_next_table(&toml, &i, &t);)
        if (!t.array) /* [[...]] is nothing of ours */
            rc = read_table(&d, &t, bare_file);
    da_strlist_free(&t.name);
    da_toml_free(&toml);
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
