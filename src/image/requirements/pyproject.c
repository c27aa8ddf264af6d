/* pyproject.toml and Pipfile, read with the TOML reader: PEP 621 [project] dependencies
 * and extras, PEP 735 [dependency-groups], Poetry's dependency tables (poetry.c), and the
 * first-party packages the project installs. Every requirement keeps the span of its TOML
 * string (or poetry entry) for the fixer. */
#include "image/requirements/project_toml.h"

#include "depaudit/util.h"
#include "image/requirements/requirement_text.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool path_is(const da_strlist *p, size_t n, ...)
{
    if (p->len != n)
        return false;
    va_list ap;
    va_start(ap, n);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        const char *want = va_arg(ap, const char *);
        if (want && strcmp(p->items[i], want) != 0)
            ok = false;
    }
    va_end(ap);
    return ok;
}

int rq_toml_line(const rq_toml *t, size_t text_off)
{
    size_t host = t->c->text.map[text_off < t->c->text.len ? text_off : t->c->text.len];
    return rq_line_of(t->c->host_data, t->c->host_len, host);
}

size_t rq_toml_new_list(rq_toml *t, const char *style, const char *separator)
{
    return rt_req_list_add(&t->out->lists, &t->out->nlists, t->c->host_file, DA_ORIGIN_PYPROJECT,
                           style, separator);
}

void rq_toml_add_req(rq_toml *t, const char *text, const char *group, size_t s, size_t e,
                     size_t list)
{
    da_plan_requirement r;
    memset(&r, 0, sizeof(r));
    char *problem = NULL;
    rt_classify(&r, text, NULL, false, &problem);
    int line = rq_toml_line(t, s);
    if (problem) {
        rq_warn(&t->out->warnings, &t->out->nwarnings, t->c->host_file, line,
                "invalid requirement '%s': %s", text, problem);
        free(problem);
    }
    r.origin = DA_ORIGIN_PYPROJECT;
    size_t hs = t->c->text.map[s], he = t->c->text.map[e];
    size_t ls = hs;
    while (ls > 0 && t->c->host_data[ls - 1] != '\n')
        ls--;
    rt_span_set(&r.where, t->c->host_file, line, (int)(hs - ls) + 1, hs, he);
    r.group = group ? da_xstrdup(group) : NULL;
    r.list = list;
    if (group)
        DA_APPEND(t->out->optional, t->out->noptional, r);
    else
        DA_APPEND(t->out->dependencies, t->out->ndependencies, r);
}

/* The `{include-group = "other"}` entries of dependency group group_name. */
static void read_includes(rq_toml *t, TSNode table, const char *group_name)
{
    da_toml_pair p;
    for (size_t k = 0; da_toml_next_pair(table, &k, &p);) {
        if (!da_toml_key_is(t->doc, p.key, "include-group"))
            continue;
        char *inc = da_toml_string(t->doc, p.value, NULL, NULL);
        if (inc)
            da_strlist_push_owned(&t->includes, da_xasprintf("%s=%s", group_name, inc));
        free(inc);
    }
}

/* [tool.setuptools.dynamic] dependencies = {file = ["requirements.txt"]} (or one string). */
static void read_dynamic_files(rq_toml *t, TSNode table)
{
    TSNode f;
    if (!da_toml_get(t->doc, table, "file", &f))
        return;
    if (da_toml_is_string(f)) {
        da_strlist_push_owned(&t->out->dependency_files, da_toml_string(t->doc, f, NULL, NULL));
        return;
    }
    da_toml_push_strings(t->doc, f, &t->out->dependency_files);
}

/* The list's style from its last string: one per line, indented as it is, when the string
 * starts its line; else `, `. */
static void style_from_item(rq_toml *t, da_req_list *l, TSNode item)
{
    const rq_content *c = t->c;
    size_t hs = c->text.map[da_toml_start(item)];
    size_t ls = hs;
    while (ls > 0 && c->host_data[ls - 1] != '\n')
        ls--;
    bool own_line = true;
    for (size_t k = ls; k < hs; k++)
        if (!isspace((unsigned char)c->host_data[k]))
            own_line = false;
    free(l->separator);
    if (own_line)
        l->separator = da_xasprintf(",\n%.*s", (int)(hs - ls), c->host_data + ls);
    else
        l->separator = da_xstrdup(", ");
    free(l->quote);
    size_t tl;
    const char *txt = da_toml_text(t->doc, item, &tl);
    l->quote = da_xasprintf("%c", txt[0]);
    l->insert_at = c->text.map[da_toml_end(item)];
    l->insert_line = rq_toml_line(t, da_toml_end(item));
    l->count++;
}

/* An array of PEP 508 strings; in a dependency group (group_name), also includes. */
static void read_array(rq_toml *t, TSNode arr, const char *group, const char *group_name)
{
    size_t list = rq_toml_new_list(t, "toml-array", ", ");
    TSNode item;
    for (size_t i = 0; da_toml_next_element(arr, &i, &item);) {
        if (da_toml_is_inline_table(item) && group_name) {
            read_includes(t, item, group_name);
            continue;
        }
        size_t a, z;
        char *v = da_toml_string(t->doc, item, &a, &z);
        if (!v)
            continue;
        rq_toml_add_req(t, v, group, a, z, list);
        free(v);
        style_from_item(t, &t->out->lists[list], item);
    }
}

/* [tool.poetry] packages = [{include = "pkg", from = "src"}]: the last of each key wins. */
static void read_poetry_packages(rq_toml *t, TSNode value)
{
    TSNode it;
    for (size_t i = 0; da_toml_next_element(value, &i, &it);) {
        if (!da_toml_is_inline_table(it))
            continue;
        char *include = NULL, *from = NULL;
        da_toml_pair p;
        for (size_t k = 0; da_toml_next_pair(it, &k, &p);) {
            if (!da_toml_is_string(p.value))
                continue;
            if (da_toml_key_is(t->doc, p.key, "include")) {
                free(include);
                include = da_toml_string(t->doc, p.value, NULL, NULL);
            } else if (da_toml_key_is(t->doc, p.key, "from")) {
                free(from);
                from = da_toml_string(t->doc, p.value, NULL, NULL);
            }
        }
        if (include)
            da_strlist_push_owned(&t->out->packages, from ? da_xasprintf("%s/%s", from, include)
                                                          : da_xstrdup(include));
        free(include);
        free(from);
    }
}

/* setuptools' packages (dotted, subpackages left out) or hatch's wheel packages (paths). */
static void read_package_paths(rq_toml *t, TSNode value, bool dotted)
{
    TSNode it;
    for (size_t i = 0; da_toml_next_element(value, &i, &it);) {
        char *p = da_toml_string(t->doc, it, NULL, NULL);
        if (!p)
            continue;
        if (dotted)
            for (char *q = p; *q; q++)
                if (*q == '.')
                    *q = '/';
        if (dotted && strchr(p, '/'))
            free(p); /* a subpackage of one already listed */
        else
            da_strlist_push_owned(&t->out->packages, p);
    }
}

static void set_string(rq_toml *t, char **field, TSNode value, bool replace)
{
    if (*field && !replace)
        return;
    free(*field);
    *field = da_toml_string(t->doc, value, NULL, NULL);
}

/* Pairs of Poetry's tables: dependencies, groups, packages. */
static bool read_poetry_pair(rq_toml *t, const da_strlist *path, const da_toml_pair *p,
                             size_t *poetry_list)
{
    da_pyproject *out = t->out;
    if (path_is(path, 4, "tool", "poetry", "dependencies", NULL)) {
        out->is_poetry = true;
        rq_poetry_dep(t, p, path->items[3], NULL, poetry_list);
    } else if (path_is(path, 4, "tool", "poetry", "dev-dependencies", NULL)) {
        out->is_poetry = true;
        rq_poetry_dep(t, p, path->items[3], "poetry:dev", poetry_list);
    } else if (path_is(path, 6, "tool", "poetry", "group", NULL, "dependencies", NULL)) {
        out->is_poetry = true;
        char *g = da_xasprintf("poetry:%s", path->items[3]);
        rq_poetry_dep(t, p, path->items[5], g, poetry_list);
        free(g);
    } else if (path_is(path, 5, "tool", "poetry", "group", NULL, "optional")) {
        if (da_toml_boolean(t->doc, p->value) == 1)
            da_strlist_push(&out->optional_groups, path->items[3]);
    } else if (path_is(path, 4, "tool", "poetry", "extras", NULL) && da_toml_is_array(p->value)) {
        TSNode e;
        for (size_t i = 0; da_toml_next_element(p->value, &i, &e);) {
            char *dist = da_toml_string(t->doc, e, NULL, NULL);
            if (dist)
                da_strlist_push_owned(&t->poetry_extras,
                                      da_xasprintf("%s=%s", path->items[3], dist));
            free(dist);
        }
    } else if (path_is(path, 3, "tool", "poetry", "packages") && da_toml_is_array(p->value)) {
        read_poetry_packages(t, p->value);
    } else {
        return false;
    }
    return true;
}

static void read_pair(rq_toml *t, const da_strlist *table, const da_toml_pair *p,
                      size_t *poetry_list)
{
    da_strlist path = {0};
    for (size_t i = 0; i < table->len; i++)
        da_strlist_push(&path, table->items[i]);
    da_toml_key_parts(t->doc, p->key, &path);
    TSNode value = p->value;
    da_pyproject *out = t->out;
    bool str = da_toml_is_string(value), arr = da_toml_is_array(value);
    if (path_is(&path, 2, "project", "name") && str) {
        set_string(t, &out->name, value, true);
    } else if (path_is(&path, 3, "tool", "poetry", "name") && str) {
        set_string(t, &out->name, value, false);
    } else if (path_is(&path, 2, "project", "version") && str) {
        set_string(t, &out->version, value, true);
    } else if (path_is(&path, 2, "project", "requires-python") && str) {
        set_string(t, &out->requires_python, value, true);
    } else if (path_is(&path, 2, "project", "dependencies") && arr) {
        read_array(t, value, NULL, NULL);
        t->static_dependencies = true;
    } else if (path_is(&path, 2, "project", "dynamic") && arr) {
        TSNode e;
        for (size_t i = 0; da_toml_next_element(value, &i, &e);) {
            char *d = da_toml_string(t->doc, e, NULL, NULL);
            t->dynamic_dependencies |= d && strcmp(d, "dependencies") == 0;
            free(d);
        }
    } else if (path_is(&path, 4, "tool", "setuptools", "dynamic", "dependencies") &&
               da_toml_is_inline_table(value)) {
        read_dynamic_files(t, value);
    } else if (path_is(&path, 3, "project", "optional-dependencies", NULL) && arr) {
        char *g = da_xasprintf("extra:%s", path.items[2]);
        read_array(t, value, g, NULL);
        free(g);
    } else if ((path_is(&path, 2, "dependency-groups", NULL) ||
                path_is(&path, 4, "tool", "pdm", "dev-dependencies", NULL)) &&
               arr) {
        /* PEP 735 groups, and pdm's older table of the same meaning */
        const char *name = path.items[path.len - 1];
        char *g = da_xasprintf("group:%s", name);
        read_array(t, value, g, name);
        free(g);
    } else if (path_is(&path, 4, "tool", "flit", "metadata", "requires") && arr) {
        /* flit's table before PEP 621 */
        read_array(t, value, NULL, NULL);
        t->static_dependencies = true;
    } else if (path_is(&path, 5, "tool", "flit", "metadata", "requires-extra", NULL) && arr) {
        char *g = da_xasprintf("extra:%s", path.items[4]);
        read_array(t, value, g, NULL);
        free(g);
    } else if ((path_is(&path, 4, "tool", "flit", "metadata", "module") ||
                path_is(&path, 4, "tool", "flit", "metadata", "dist-name")) &&
               str) {
        set_string(t, &out->name, value, path.items[3][0] == 'd');
        if (path.items[3][0] == 'm')
            da_strlist_push_owned(&out->packages, da_toml_string(t->doc, value, NULL, NULL));
    } else if (path_is(&path, 3, "tool", "uv", "dev-dependencies") && arr) {
        read_array(t, value, "group:dev", "dev"); /* uv's older spelling of the dev group */
    } else if (t->pipfile && path_is(&path, 2, "packages", NULL)) {
        rq_poetry_dep(t, p, path.items[1], NULL, poetry_list);
    } else if (t->pipfile && path_is(&path, 2, "dev-packages", NULL)) {
        rq_poetry_dep(t, p, path.items[1], "pipenv:dev", poetry_list);
    } else if (read_poetry_pair(t, &path, p, poetry_list)) {
        /* read */
    } else if (path_is(&path, 3, "tool", "setuptools", "packages") && arr) {
        read_package_paths(t, value, true);
    } else if (path_is(&path, 6, "tool", "hatch", "build", "targets", "wheel", "packages") && arr) {
        read_package_paths(t, value, false);
    }
    da_strlist_free(&path);
}

/* Every pair under its table's name; the entries of one Poetry table share a list. */
static void walk_document(rq_toml *t)
{
    da_toml_table table = {0};
    for (size_t i = 0; da_toml_next_table(t->doc, &i, &table);) {
        size_t poetry_list = (size_t)-1;
        da_toml_pair p;
        for (size_t k = 0; da_toml_next_pair(table.node, &k, &p);)
            read_pair(t, &table.name, &p, &poetry_list);
    }
    da_strlist_free(&table.name);
}

static void resolve_includes(rq_toml *t)
{
    da_pyproject *out = t->out;
    for (size_t i = 0; i < t->includes.len; i++) {
        char *spec = da_xstrdup(t->includes.items[i]);
        char *eq = strchr(spec, '=');
        *eq = '\0';
        char *into = da_xasprintf("group:%s", spec);
        char *from = da_xasprintf("group:%s", eq + 1);
        size_t n = out->noptional;
        for (size_t k = 0; k < n; k++) {
            if (!out->optional[k].group || strcmp(out->optional[k].group, from) != 0)
                continue;
            da_plan_requirement copy;
            rt_requirement_copy(&copy, &out->optional[k]);
            free(copy.group);
            copy.group = da_xstrdup(into);
            DA_APPEND(out->optional, out->noptional, copy);
        }
        free(into);
        free(from);
        free(spec);
    }
}

/* Poetry's optional dependencies belong to the extras that name them; one no extra names
 * is never installed. */
static void resolve_poetry_extras(rq_toml *t)
{
    da_pyproject *out = t->out;
    size_t n = out->noptional;
    for (size_t i = 0; i < t->poetry_extras.len; i++) {
        const char *spec = t->poetry_extras.items[i];
        const char *eq = strchr(spec, '=');
        char *want = da_name_normalize(eq + 1);
        for (size_t k = 0; k < n; k++) {
            const da_plan_requirement *r = &out->optional[k];
            if (!r->group || strcmp(r->group, RQ_POETRY_OPTIONAL) != 0 || !r->parsed ||
                strcmp(r->parsed->normalized, want) != 0)
                continue;
            da_plan_requirement copy;
            rt_requirement_copy(&copy, r);
            free(copy.group);
            copy.group = da_xasprintf("extra:%.*s", (int)(eq - spec), spec);
            out->lists[copy.list].count++;
            DA_APPEND(out->optional, out->noptional, copy);
        }
        free(want);
    }
    size_t kept = 0;
    for (size_t k = 0; k < out->noptional; k++) {
        if (out->optional[k].group && strcmp(out->optional[k].group, RQ_POETRY_OPTIONAL) == 0) {
            out->lists[out->optional[k].list].count--;
            rt_requirement_clear(&out->optional[k]);
        } else
            out->optional[kept++] = out->optional[k];
    }
    out->noptional = kept;
}

/* Packages the project installs when the file does not list them: the usual layouts. */
void rq_discover_packages(da_pyproject *out, const char *host_file)
{
    if (out->packages.len > 0 || !out->name)
        return;
    const char *slash = strrchr(host_file, '/');
    char *dir = slash ? da_xstrndup(host_file, (size_t)(slash - host_file)) : da_xstrdup(".");
    char *mod = da_xstrdup(out->name);
    for (char *p = mod; *p; p++)
        *p = (*p == '-' || *p == '.') ? '_' : (char)tolower((unsigned char)*p);
    const char *candidates[] = {"src/%s", "%s", "src/%s.py", "%s.py"};
    for (size_t i = 0; i < 4; i++) {
        char rel[512];
        snprintf(rel, sizeof(rel), candidates[i], mod);
        char *host = da_xasprintf("%s/%s", dir, rel);
        struct stat st;
        if (stat(host, &st) == 0) {
            da_strlist_push(&out->packages, rel);
            free(host);
            break;
        }
        free(host);
    }
    free(mod);
    free(dir);
}

enum toml_kind { TOML_PYPROJECT, TOML_PIPFILE };

static int parse_toml(const rq_content *c, const char *path, da_pyproject *out, da_error *err,
                      enum toml_kind kind);

int rq_pyproject_parse(const rq_content *c, const char *path, da_pyproject *out, da_error *err)
{
    return parse_toml(c, path, out, err, TOML_PYPROJECT);
}

int rq_pipfile_parse(const rq_content *c, const char *path, da_pyproject *out, da_error *err)
{
    return parse_toml(c, path, out, err, TOML_PIPFILE);
}

static int parse_toml(const rq_content *c, const char *path, da_pyproject *out, da_error *err,
                      enum toml_kind kind)
{
    memset(out, 0, sizeof(*out));
    da_toml doc;
    if (da_toml_parse(&doc, path, c->text.s, c->text.len, err) != 0)
        return -1;
    rq_toml t;
    memset(&t, 0, sizeof(t));
    t.c = c;
    t.doc = &doc;
    t.out = out;
    t.pipfile = kind == TOML_PIPFILE;
    size_t bad;
    if (da_toml_check(&doc, NULL, &bad) != 0)
        rq_warn(&out->warnings, &out->nwarnings, c->host_file, rq_toml_line(&t, bad),
                "%s is not valid TOML: what could be read is used", path);
    walk_document(&t);
    resolve_includes(&t);
    resolve_poetry_extras(&t);
    out->declares_dependencies =
        (t.static_dependencies && !t.dynamic_dependencies) || out->is_poetry;
    if (kind == TOML_PYPROJECT)
        rq_discover_packages(out, c->host_file);
    da_strlist_free(&t.includes);
    da_strlist_free(&t.poetry_extras);
    da_toml_free(&doc);
    return 0;
}

int da_pyproject_read(const char *path, da_pyproject *out, da_error *err)
{
    rq_content c;
    memset(&c, 0, sizeof(c));
    char *why = NULL;
    if (rq_load_host_file(NULL, path, &c, &why) < 0) {
        memset(out, 0, sizeof(*out));
        da_error_set(err, path, 0, 0, "%s", why);
        free(why);
        rq_content_free(&c);
        return -1;
    }
    int rc = rq_pyproject_parse(&c, path, out, err);
    rq_content_free(&c);
    return rc;
}

void da_pyproject_free(da_pyproject *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->version);
    free(p->requires_python);
    rt_requirements_free(p->dependencies, p->ndependencies);
    rt_requirements_free(p->optional, p->noptional);
    rt_req_lists_free(p->lists, p->nlists);
    da_strlist_free(&p->packages);
    da_strlist_free(&p->optional_groups);
    da_strlist_free(&p->dependency_files);
    rt_warnings_free(p->warnings, p->nwarnings);
    memset(p, 0, sizeof(*p));
}
