/* pyproject.toml with tree-sitter-toml: PEP 621 [project] dependencies and extras, PEP
 * 735 [dependency-groups], Poetry's dependency tables (constraints converted to PEP 508),
 * and the first-party packages the project installs. Every requirement keeps the span of
 * its TOML string (or poetry entry) for the fixer. */
#include "image/requirements/pyproject.h"

#include "depaudit/grammars.h"
#include "image/push.h"
#include "image/requirements/requirement_text.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct toml_ctx {
    const rq_content *c;
    const char *path;
    da_pyproject *out;
    da_strlist table; /* the current [table] key path */
    /* [dependency-groups] includes: "GROUP=INCLUDED" */
    da_strlist includes;
    bool pipfile;  /* reading a Pipfile: [packages] and [dev-packages] */
    bool lockfile; /* reading poetry.lock / uv.lock: [[package]] name and version */
} toml_ctx;

static const char *src_text(const toml_ctx *t, TSNode n, size_t *len)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (e > t->c->text.len)
        e = (uint32_t)t->c->text.len;
    if (s > e)
        s = e;
    *len = e - s;
    return t->c->text.s + s;
}

static bool is(TSNode n, const char *type)
{
    return strcmp(ts_node_type(n), type) == 0;
}

/* The value of a TOML string node; *inner_start/end: byte range of the content. */
static char *string_value(const toml_ctx *t, TSNode n, size_t *inner_start, size_t *inner_end)
{
    size_t len;
    const char *s = src_text(t, n, &len);
    size_t q = 1;
    if (len >= 6 && (strncmp(s, "\"\"\"", 3) == 0 || strncmp(s, "'''", 3) == 0))
        q = 3;
    if (len < 2 * q)
        q = len / 2;
    bool literal = s[0] == '\'';
    size_t a = q, z = len - q;
    if (q == 3 && a < z && s[a] == '\n')
        a++;
    *inner_start = ts_node_start_byte(n) + a;
    *inner_end = ts_node_start_byte(n) + z;
    da_buf b = {0};
    da_buf_puts(&b, "");
    for (size_t i = a; i < z; i++) {
        if (!literal && s[i] == '\\' && i + 1 < z) {
            char c = s[++i];
            switch (c) {
            case 'n':
                da_buf_putc(&b, '\n');
                break;
            case 't':
                da_buf_putc(&b, '\t');
                break;
            case '\n':
                while (i + 1 < z && isspace((unsigned char)s[i + 1]))
                    i++;
                break;
            default:
                da_buf_putc(&b, c);
            }
            continue;
        }
        da_buf_putc(&b, s[i]);
    }
    return da_buf_take(&b);
}

/* The parts of a (possibly dotted) key, in order. Dotted keys nest, so the walk uses its
 * own stack rather than recursion; absurdly long keys stop at 64 parts. */
static void key_parts(const toml_ctx *t, TSNode key, da_strlist *parts)
{
    TSNode *stack = NULL;
    size_t n = 0, cap = 0;
    DA_PUSH(stack, n, cap, key);
    while (n > 0 && parts->len <= 64) {
        TSNode k = stack[--n];
        if (is(k, "dotted_key")) {
            uint32_t nc = ts_node_named_child_count(k);
            for (uint32_t i = nc; i > 0; i--)
                DA_PUSH(stack, n, cap, ts_node_named_child(k, i - 1));
            continue;
        }
        size_t len;
        const char *s = src_text(t, k, &len);
        if (is(k, "quoted_key") && len >= 2)
            da_strlist_push_owned(parts, da_xstrndup(s + 1, len - 2));
        else
            da_strlist_push_owned(parts, da_xstrndup(s, len));
    }
    free(stack);
}

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

static int line_of(const toml_ctx *t, size_t text_off)
{
    size_t host = t->c->text.map[text_off < t->c->text.len ? text_off : t->c->text.len];
    return rq_line_of(t->c->host_data, t->c->host_len, host);
}

static size_t new_list(toml_ctx *t, const char *style, const char *sep)
{
    da_req_list l;
    memset(&l, 0, sizeof(l));
    l.file = da_xstrdup(t->c->host_file);
    l.origin = DA_ORIGIN_PYPROJECT;
    l.separator = da_xstrdup(sep);
    l.quote = da_xstrdup("");
    l.style = da_xstrdup(style);
    DA_APPEND(t->out->lists, t->out->nlists, l);
    return t->out->nlists - 1;
}

static void add_req(toml_ctx *t, const char *text, const char *group, size_t s, size_t e,
                    size_t list)
{
    da_plan_requirement r;
    memset(&r, 0, sizeof(r));
    char *problem = NULL;
    rt_classify(&r, text, NULL, false, &problem);
    int line = line_of(t, s);
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

/* An array of PEP 508 strings. */
static void read_array(toml_ctx *t, TSNode arr, const char *group, const char *group_name)
{
    size_t list = new_list(t, "toml-array", ", ");
    da_req_list *l;
    uint32_t nc = ts_node_named_child_count(arr);
    size_t prev_end = 0;
    bool have_prev = false;
    for (uint32_t i = 0; i < nc; i++) {
        TSNode item = ts_node_named_child(arr, i);
        if (is(item, "inline_table") && group_name) {
            /* {include-group = "other"} */
            uint32_t np = ts_node_named_child_count(item);
            for (uint32_t k = 0; k < np; k++) {
                TSNode pair = ts_node_named_child(item, k);
                if (!is(pair, "pair") || ts_node_named_child_count(pair) < 2)
                    continue;
                size_t kl;
                const char *ks = src_text(t, ts_node_named_child(pair, 0), &kl);
                TSNode v = ts_node_named_child(pair, 1);
                if (kl == 13 && strncmp(ks, "include-group", 13) == 0 && is(v, "string")) {
                    size_t a, z;
                    char *inc = string_value(t, v, &a, &z);
                    da_strlist_push_owned(&t->includes, da_xasprintf("%s=%s", group_name, inc));
                    free(inc);
                }
            }
            continue;
        }
        if (!is(item, "string"))
            continue;
        size_t a, z;
        char *v = string_value(t, item, &a, &z);
        add_req(t, v, group, a, z, list);
        free(v);
        l = &t->out->lists[list];
        size_t hs = t->c->text.map[ts_node_start_byte(item)];
        size_t ls = hs;
        while (ls > 0 && t->c->host_data[ls - 1] != '\n')
            ls--;
        bool own_line = true;
        for (size_t k = ls; k < hs; k++)
            if (!isspace((unsigned char)t->c->host_data[k]))
                own_line = false;
        free(l->separator);
        if (have_prev && own_line)
            l->separator = da_xasprintf(",\n%.*s", (int)(hs - ls), t->c->host_data + ls);
        else if (!have_prev && own_line)
            l->separator = da_xasprintf(",\n%.*s", (int)(hs - ls), t->c->host_data + ls);
        else
            l->separator = da_xstrdup(", ");
        free(l->quote);
        size_t tl;
        const char *txt = src_text(t, item, &tl);
        l->quote = da_xasprintf("%c", txt[0]);
        l->insert_at = t->c->text.map[ts_node_end_byte(item)];
        l->insert_line = line_of(t, ts_node_end_byte(item));
        l->count++;
        prev_end = ts_node_end_byte(item);
        have_prev = true;
    }
    (void)prev_end;
}

/* Poetry's constraint syntax to PEP 440. Returns NULL (and *why) for what PEP 440 cannot
 * say. */
static char *poetry_one(const char *c)
{
    while (isspace((unsigned char)*c))
        c++;
    size_t n = strlen(c);
    while (n > 0 && isspace((unsigned char)c[n - 1]))
        n--;
    char *v = da_xstrndup(c, n);
    char *res;
    if (n == 0 || strcmp(v, "*") == 0) {
        res = da_xstrdup("");
    } else if (v[0] == '^' || (v[0] == '~' && v[1] != '=')) {
        const char *ver = v + 1;
        while (isspace((unsigned char)*ver))
            ver++;
        long parts[3] = {0, 0, 0};
        int np = 0;
        const char *p = ver;
        while (np < 3 && isdigit((unsigned char)*p)) {
            parts[np++] = strtol(p, (char **)&p, 10);
            if (*p == '.')
                p++;
            else
                break;
        }
        /* no release segment, or numbers too large to add one to: not convertible */
        bool huge = false;
        for (int i = 0; i < np; i++)
            if (parts[i] < 0 || parts[i] > 1000000000L)
                huge = true;
        if (np == 0 || huge) {
            free(v);
            return NULL;
        }
        long up[3] = {0, 0, 0};
        int un;
        if (v[0] == '^') {
            int first = 0;
            while (first < np - 1 && parts[first] == 0)
                first++;
            for (int i = 0; i < first; i++)
                up[i] = parts[i];
            up[first] = parts[first] + 1;
            un = np == 1 ? 1 : (first + 1 < 2 ? 2 : first + 1);
        } else {
            if (np == 1) {
                up[0] = parts[0] + 1;
                un = 1;
            } else {
                up[0] = parts[0];
                up[1] = parts[1] + 1;
                un = 2;
            }
        }
        da_buf b = {0};
        da_buf_printf(&b, ">=%s,<", ver);
        for (int i = 0; i < un; i++)
            da_buf_printf(&b, "%s%ld", i ? "." : "", up[i]);
        res = da_buf_take(&b);
    } else if (isdigit((unsigned char)v[0])) {
        res = da_xasprintf("==%s", v);
    } else {
        res = da_xstrdup(v);
    }
    free(v);
    return res;
}

static char *poetry_constraint(const char *c, bool *lossy)
{
    *lossy = false;
    const char *alt = strstr(c, "||");
    if (!alt)
        alt = strchr(c, '|');
    char *first = alt ? da_xstrndup(c, (size_t)(alt - c)) : da_xstrdup(c);
    if (alt)
        *lossy = true;
    da_buf b = {0};
    da_buf_puts(&b, "");
    char *save = NULL;
    bool any = false;
    /* clauses separated by ',' or by spaces between operators */
    for (char *tok = strtok_r(first, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *one = poetry_one(tok);
        if (!one) {
            *lossy = true;
            continue;
        }
        if (one[0]) {
            da_buf_printf(&b, "%s%s", any ? "," : "", one);
            any = true;
        }
        free(one);
    }
    free(first);
    return da_buf_take(&b);
}

/* name = "^1.2" or name = {version = "^1.2", extras = [...], markers = "...", optional} */
static void read_poetry_dep(toml_ctx *t, TSNode pair, const char *name, const char *group,
                            size_t *list)
{
    const char *what = t->pipfile ? "Pipfile package" : "poetry dependency";
    if (strcasecmp(name, "python") == 0)
        return;
    TSNode value = ts_node_named_child(pair, ts_node_named_child_count(pair) - 1);
    char *constraint = NULL;
    da_strlist extras = {0};
    char *markers = NULL;
    bool optional = false, non_index = false;
    if (is(value, "string")) {
        size_t a, z;
        constraint = string_value(t, value, &a, &z);
    } else if (is(value, "inline_table")) {
        uint32_t np = ts_node_named_child_count(value);
        for (uint32_t k = 0; k < np; k++) {
            TSNode p = ts_node_named_child(value, k);
            if (!is(p, "pair") || ts_node_named_child_count(p) < 2)
                continue;
            size_t kl;
            const char *ks = src_text(t, ts_node_named_child(p, 0), &kl);
            char *key = da_xstrndup(ks, kl);
            TSNode v = ts_node_named_child(p, ts_node_named_child_count(p) - 1);
            size_t a, z;
            if (strcmp(key, "version") == 0 && is(v, "string")) {
                free(constraint);
                constraint = string_value(t, v, &a, &z);
            } else if (strcmp(key, "markers") == 0 && is(v, "string")) {
                free(markers);
                markers = string_value(t, v, &a, &z);
            } else if (strcmp(key, "optional") == 0) {
                size_t vl;
                const char *vs = src_text(t, v, &vl);
                optional = vl == 4 && strncmp(vs, "true", 4) == 0;
            } else if (strcmp(key, "extras") == 0 && is(v, "array")) {
                uint32_t ne = ts_node_named_child_count(v);
                for (uint32_t e = 0; e < ne; e++)
                    if (is(ts_node_named_child(v, e), "string")) {
                        char *x = string_value(t, ts_node_named_child(v, e), &a, &z);
                        da_strlist_push_owned(&extras, x);
                    }
            } else if (strcmp(key, "git") == 0 || strcmp(key, "path") == 0 ||
                       strcmp(key, "url") == 0) {
                non_index = true;
            }
            free(key);
        }
    } else {
        rq_warn(&t->out->warnings, &t->out->nwarnings, t->c->host_file,
                line_of(t, ts_node_start_byte(pair)), "poetry dependency %s: this form is not read",
                name);
        return;
    }
    if (optional) {
        free(constraint);
        free(markers);
        da_strlist_free(&extras);
        return;
    }
    int line = line_of(t, ts_node_start_byte(pair));
    if (non_index)
        rq_warn(&t->out->warnings, &t->out->nwarnings, t->c->host_file, line,
                "%s %s comes from git/path/url: taken as the name only", what, name);
    bool lossy = false;
    char *spec;
    if (!constraint || strcmp(constraint, "*") == 0)
        spec = da_xstrdup("");
    else if (t->pipfile) /* Pipfile versions are PEP 440 specifiers already */
        spec = da_xstrdup(constraint);
    else
        spec = poetry_constraint(constraint, &lossy);
    if (lossy)
        rq_warn(&t->out->warnings, &t->out->nwarnings, t->c->host_file, line,
                "poetry constraint '%s' of %s has no exact PEP 440 form: '%s' used", constraint,
                name, spec);
    da_buf b = {0};
    da_buf_puts(&b, name);
    if (extras.len) {
        da_buf_putc(&b, '[');
        for (size_t i = 0; i < extras.len; i++)
            da_buf_printf(&b, "%s%s", i ? "," : "", extras.items[i]);
        da_buf_putc(&b, ']');
    }
    da_buf_puts(&b, spec);
    if (markers)
        da_buf_printf(&b, "; %s", markers);
    char *text = da_buf_take(&b);
    if (*list == (size_t)-1)
        *list = new_list(t, t->pipfile ? "pipfile-table" : "poetry-table", "\n");
    add_req(t, text, group, ts_node_start_byte(pair), ts_node_end_byte(pair), *list);
    da_req_list *l = &t->out->lists[*list];
    l->insert_at = t->c->text.map[ts_node_end_byte(pair)];
    l->insert_line = line_of(t, ts_node_end_byte(pair));
    l->count++;
    free(text);
    free(spec);
    free(constraint);
    free(markers);
    da_strlist_free(&extras);
}

static void read_pair(toml_ctx *t, TSNode pair, size_t *poetry_list)
{
    uint32_t nc = ts_node_named_child_count(pair);
    if (nc < 2)
        return;
    da_strlist path = {0};
    for (size_t i = 0; i < t->table.len; i++)
        da_strlist_push(&path, t->table.items[i]);
    key_parts(t, ts_node_named_child(pair, 0), &path);
    TSNode value = ts_node_named_child(pair, nc - 1);
    da_pyproject *out = t->out;
    size_t a, z;
    if (path_is(&path, 2, "project", "name") && is(value, "string")) {
        free(out->name);
        out->name = string_value(t, value, &a, &z);
    } else if (path_is(&path, 3, "tool", "poetry", "name") && is(value, "string")) {
        if (!out->name)
            out->name = string_value(t, value, &a, &z);
    } else if (path_is(&path, 2, "project", "version") && is(value, "string")) {
        free(out->version);
        out->version = string_value(t, value, &a, &z);
    } else if (path_is(&path, 2, "project", "requires-python") && is(value, "string")) {
        free(out->requires_python);
        out->requires_python = string_value(t, value, &a, &z);
    } else if (path_is(&path, 2, "project", "dependencies") && is(value, "array")) {
        read_array(t, value, NULL, NULL);
    } else if (path_is(&path, 3, "project", "optional-dependencies", NULL) && is(value, "array")) {
        char *g = da_xasprintf("extra:%s", path.items[2]);
        read_array(t, value, g, NULL);
        free(g);
    } else if (path_is(&path, 2, "dependency-groups", NULL) && is(value, "array")) {
        char *g = da_xasprintf("group:%s", path.items[1]);
        read_array(t, value, g, path.items[1]);
        free(g);
    } else if (t->pipfile && path_is(&path, 2, "packages", NULL)) {
        read_poetry_dep(t, pair, path.items[1], NULL, poetry_list);
    } else if (t->pipfile && path_is(&path, 2, "dev-packages", NULL)) {
        read_poetry_dep(t, pair, path.items[1], "pipenv:dev", poetry_list);
    } else if (path_is(&path, 4, "tool", "poetry", "dependencies", NULL)) {
        out->is_poetry = true;
        read_poetry_dep(t, pair, path.items[3], NULL, poetry_list);
    } else if (path_is(&path, 4, "tool", "poetry", "dev-dependencies", NULL)) {
        out->is_poetry = true;
        read_poetry_dep(t, pair, path.items[3], "poetry:dev", poetry_list);
    } else if (path_is(&path, 6, "tool", "poetry", "group", NULL, "dependencies", NULL)) {
        out->is_poetry = true;
        char *g = da_xasprintf("poetry:%s", path.items[3]);
        read_poetry_dep(t, pair, path.items[5], g, poetry_list);
        free(g);
    } else if (path_is(&path, 5, "tool", "poetry", "group", NULL, "optional")) {
        size_t vl;
        const char *vs = src_text(t, value, &vl);
        if (vl == 4 && strncmp(vs, "true", 4) == 0)
            da_strlist_push(&out->optional_groups, path.items[3]);
    } else if (path_is(&path, 3, "tool", "poetry", "packages") && is(value, "array")) {
        uint32_t ni = ts_node_named_child_count(value);
        for (uint32_t i = 0; i < ni; i++) {
            TSNode it = ts_node_named_child(value, i);
            if (!is(it, "inline_table"))
                continue;
            char *include = NULL, *from = NULL;
            uint32_t np = ts_node_named_child_count(it);
            for (uint32_t k = 0; k < np; k++) {
                TSNode p = ts_node_named_child(it, k);
                if (!is(p, "pair") || ts_node_named_child_count(p) < 2)
                    continue;
                size_t kl;
                const char *ks = src_text(t, ts_node_named_child(p, 0), &kl);
                TSNode v = ts_node_named_child(p, 1);
                if (!is(v, "string"))
                    continue;
                /* a repeated key: the last one wins */
                if (kl == 7 && strncmp(ks, "include", 7) == 0) {
                    free(include);
                    include = string_value(t, v, &a, &z);
                } else if (kl == 4 && strncmp(ks, "from", 4) == 0) {
                    free(from);
                    from = string_value(t, v, &a, &z);
                }
            }
            if (include)
                da_strlist_push_owned(&out->packages, from ? da_xasprintf("%s/%s", from, include)
                                                           : da_xstrdup(include));
            free(include);
            free(from);
        }
    } else if ((path_is(&path, 3, "tool", "setuptools", "packages") ||
                path_is(&path, 6, "tool", "hatch", "build", "targets", "wheel", "packages")) &&
               is(value, "array")) {
        uint32_t ni = ts_node_named_child_count(value);
        for (uint32_t i = 0; i < ni; i++) {
            TSNode it = ts_node_named_child(value, i);
            if (!is(it, "string"))
                continue;
            char *p = string_value(t, it, &a, &z);
            if (path.len == 3) /* setuptools names dotted packages */
                for (char *q = p; *q; q++)
                    if (*q == '.')
                        *q = '/';
            if (path.len == 3 && strchr(p, '/'))
                free(p); /* a subpackage of one already listed */
            else
                da_strlist_push_owned(&out->packages, p);
        }
    }
    da_strlist_free(&path);
}

/* One [[package]] of poetry.lock or uv.lock as `name==version`; the project itself
 * (uv's editable/virtual source, no version) is not a pin. */
static void read_lock_package(toml_ctx *t, TSNode table, size_t *list)
{
    char *name = NULL, *version = NULL;
    size_t ns = 0, ne = 0;
    bool own_project = false;
    uint32_t cc = ts_node_named_child_count(table);
    for (uint32_t k = 0; k < cc; k++) {
        TSNode p = ts_node_named_child(table, k);
        if (!is(p, "pair") || ts_node_named_child_count(p) < 2)
            continue;
        size_t kl;
        const char *ks = src_text(t, ts_node_named_child(p, 0), &kl);
        TSNode v = ts_node_named_child(p, ts_node_named_child_count(p) - 1);
        size_t a, z;
        if (kl == 4 && strncmp(ks, "name", 4) == 0 && is(v, "string") && !name) {
            name = string_value(t, v, &a, &z);
            ns = a;
            ne = z;
        } else if (kl == 7 && strncmp(ks, "version", 7) == 0 && is(v, "string") && !version) {
            version = string_value(t, v, &a, &z);
        } else if (kl == 6 && strncmp(ks, "source", 6) == 0 && is(v, "inline_table")) {
            size_t vl;
            const char *vs = src_text(t, v, &vl);
            char *src = da_xstrndup(vs, vl);
            own_project = strstr(src, "editable") || strstr(src, "virtual");
            free(src);
        }
    }
    if (name && version && !own_project) {
        char *text = da_xasprintf("%s==%s", name, version);
        if (*list == (size_t)-1) {
            *list = new_list(t, "lockfile", "");
            t->out->lists[*list].origin = DA_ORIGIN_LOCKFILE;
        }
        add_req(t, text, NULL, ns, ne, *list);
        t->out->dependencies[t->out->ndependencies - 1].origin = DA_ORIGIN_LOCKFILE;
        t->out->lists[*list].count++;
        free(text);
    }
    free(name);
    free(version);
}

static void walk_document(toml_ctx *t, TSNode doc)
{
    if (t->lockfile) {
        size_t list = (size_t)-1;
        uint32_t nc = ts_node_named_child_count(doc);
        for (uint32_t i = 0; i < nc; i++) {
            TSNode n = ts_node_named_child(doc, i);
            if (!is(n, "table_array_element") || ts_node_named_child_count(n) == 0)
                continue;
            da_strlist key = {0};
            key_parts(t, ts_node_named_child(n, 0), &key);
            if (key.len == 1 && strcmp(key.items[0], "package") == 0)
                read_lock_package(t, n, &list);
            da_strlist_free(&key);
        }
        return;
    }
    uint32_t nc = ts_node_named_child_count(doc);
    for (uint32_t i = 0; i < nc; i++) {
        TSNode n = ts_node_named_child(doc, i);
        size_t poetry_list = (size_t)-1;
        if (is(n, "pair")) {
            da_strlist_free(&t->table);
            read_pair(t, n, &poetry_list);
        } else if (is(n, "table") || is(n, "table_array_element")) {
            da_strlist_free(&t->table);
            uint32_t k = 0;
            uint32_t cc = ts_node_named_child_count(n);
            if (cc > 0) {
                TSNode key = ts_node_named_child(n, 0);
                if (!is(key, "pair") && !is(key, "comment")) {
                    key_parts(t, key, &t->table);
                    k = 1;
                }
            }
            for (; k < cc; k++) {
                TSNode p = ts_node_named_child(n, k);
                if (is(p, "pair"))
                    read_pair(t, p, &poetry_list);
            }
        }
    }
    da_strlist_free(&t->table);
}

static void resolve_includes(toml_ctx *t)
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

/* Packages the project installs when the file does not list them: the usual layouts. */
static void discover_packages(toml_ctx *t)
{
    da_pyproject *out = t->out;
    if (out->packages.len > 0 || !out->name)
        return;
    const char *slash = strrchr(t->c->host_file, '/');
    char *dir =
        slash ? da_xstrndup(t->c->host_file, (size_t)(slash - t->c->host_file)) : da_xstrdup(".");
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

enum toml_kind { TOML_PYPROJECT, TOML_PIPFILE, TOML_LOCK };

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

int rq_lockfile_parse(const rq_content *c, const char *path, da_pyproject *out, da_error *err)
{
    return parse_toml(c, path, out, err, TOML_LOCK);
}

static int parse_toml(const rq_content *c, const char *path, da_pyproject *out, da_error *err,
                      enum toml_kind kind)
{
    bool pipfile = kind == TOML_PIPFILE;
    memset(out, 0, sizeof(*out));
    TSParser *parser = ts_parser_new();
    ts_parser_set_language(parser, tree_sitter_toml());
    TSTree *tree = ts_parser_parse_string(parser, NULL, c->text.s, (uint32_t)c->text.len);
    if (!tree) {
        ts_parser_delete(parser);
        return da_error_set(err, path, 0, 0, "cannot parse TOML");
    }
    TSNode root = ts_tree_root_node(tree);
    toml_ctx t;
    memset(&t, 0, sizeof(t));
    t.c = c;
    t.path = path;
    t.out = out;
    t.pipfile = pipfile;
    t.lockfile = kind == TOML_LOCK;
    if (ts_node_has_error(root))
        rq_warn(&out->warnings, &out->nwarnings, c->host_file, 0,
                "%s is not valid TOML: what could be read is used", path);
    walk_document(&t, root);
    resolve_includes(&t);
    if (kind == TOML_PYPROJECT)
        discover_packages(&t);
    da_strlist_free(&t.includes);
    ts_tree_delete(tree);
    ts_parser_delete(parser);
    return 0;
}

int da_pyproject_read(const char *path, da_pyproject *out, da_error *err)
{
    rq_content c;
    memset(&c, 0, sizeof(c));
    char *why = NULL;
    if (rq_load_host_file(path, &c, &why) < 0) {
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
    for (size_t i = 0; i < p->ndependencies; i++)
        rt_requirement_clear(&p->dependencies[i]);
    free(p->dependencies);
    for (size_t i = 0; i < p->noptional; i++)
        rt_requirement_clear(&p->optional[i]);
    free(p->optional);
    rt_req_lists_free(p->lists, p->nlists);
    da_strlist_free(&p->packages);
    da_strlist_free(&p->optional_groups);
    for (size_t i = 0; i < p->nwarnings; i++) {
        free(p->warnings[i].file);
        free(p->warnings[i].message);
    }
    free(p->warnings);
    memset(p, 0, sizeof(*p));
}
