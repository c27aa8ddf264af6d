/* Poetry's dependency tables (and the Pipfile's [packages], which have the same shape):
 * `name = "^1.2"` or an inline table with version, extras, markers and optional; Poetry's
 * constraints (^, ~, bare versions, `||`) converted to PEP 440. */
#include "image/requirements/project_toml.h"

#include "depaudit/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

char *rq_poetry_constraint(const char *c, bool *lossy)
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

/* What an inline dependency table says. */
typedef struct poetry_dep {
    char *constraint;
    da_strlist extras;
    char *markers;
    char *python;               /* `python = "^3.13"`: the Pythons it is for */
    char *platform;             /* `platform = "win32"` or "!=win32": sys_platform */
    da_strlist pipfile_markers; /* a Pipfile's `os_name = "== 'nt'"`: "os_name == 'nt'" */
    bool optional, non_index;
} poetry_dep;

static void set_string_value(rq_toml *t, char **field, TSNode v)
{
    free(*field);
    *field = da_toml_string(t->doc, v, NULL, NULL);
}

/* The PEP 508 environment markers a Pipfile entry may name as keys. */
static bool is_marker_variable(rq_toml *t, TSNode key)
{
    static const char *const names[] = {"os_name",
                                        "sys_platform",
                                        "platform_machine",
                                        "platform_system",
                                        "platform_release",
                                        "platform_version",
                                        "python_version",
                                        "python_full_version",
                                        "implementation_name",
                                        "platform_python_implementation",
                                        "implementation_version"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (da_toml_key_is(t->doc, key, names[i]))
            return true;
    return false;
}

static void read_dep_table(rq_toml *t, TSNode table, poetry_dep *d)
{
    da_toml_pair p;
    for (size_t k = 0; da_toml_next_pair(table, &k, &p);) {
        TSNode v = p.value;
        bool str = da_toml_is_string(v);
        if (da_toml_key_is(t->doc, p.key, "version") && str) {
            set_string_value(t, &d->constraint, v);
        } else if (da_toml_key_is(t->doc, p.key, "markers") && str) {
            set_string_value(t, &d->markers, v);
        } else if (da_toml_key_is(t->doc, p.key, "python") && str) {
            set_string_value(t, &d->python, v);
        } else if (da_toml_key_is(t->doc, p.key, "platform") && str && !t->pipfile) {
            set_string_value(t, &d->platform, v);
        } else if (t->pipfile && str && is_marker_variable(t, p.key)) {
            char *key = da_toml_key_text(t->doc, p.key);
            char *val = da_toml_string(t->doc, v, NULL, NULL);
            da_strlist_push_owned(&d->pipfile_markers, da_xasprintf("%s %s", key, val));
            free(key);
            free(val);
        } else if (da_toml_key_is(t->doc, p.key, "optional")) {
            d->optional = da_toml_boolean(t->doc, v) == 1;
        } else if (da_toml_key_is(t->doc, p.key, "extras") && da_toml_is_array(v)) {
            TSNode e;
            for (size_t i = 0; da_toml_next_element(v, &i, &e);)
                if (da_toml_is_string(e))
                    da_strlist_push_owned(&d->extras, da_toml_string(t->doc, e, NULL, NULL));
        } else if (da_toml_key_is(t->doc, p.key, "git") || da_toml_key_is(t->doc, p.key, "path") ||
                   da_toml_key_is(t->doc, p.key, "url")) {
            d->non_index = true;
        }
    }
}

static void poetry_dep_free(poetry_dep *d)
{
    free(d->constraint);
    free(d->markers);
    free(d->python);
    free(d->platform);
    da_strlist_free(&d->pipfile_markers);
    da_strlist_free(&d->extras);
}

/* `python = "^3.8"` as a marker: each `||` alternative's clauses joined with `and`, on
 * python_version (X.Y) or python_full_version (X.Y.Z). NULL when it says nothing. */
static char *python_marker(const char *constraint, bool *lossy)
{
    da_buf b = {0};
    da_buf_puts(&b, "");
    char *copy = da_xstrdup(constraint);
    size_t nalt = 0;
    char *save = NULL;
    for (char *alt = strtok_r(copy, "|", &save); alt; alt = strtok_r(NULL, "|", &save)) {
        bool l = false;
        char *spec = rq_poetry_constraint(alt, &l);
        *lossy |= l;
        da_buf one = {0};
        da_buf_puts(&one, "");
        char *save2 = NULL;
        size_t nclause = 0;
        for (char *c = strtok_r(spec, ",", &save2); c; c = strtok_r(NULL, ",", &save2)) {
            size_t op = strspn(c, "<>=!~");
            const char *ver = c + op;
            size_t dots = 0;
            for (const char *q = ver; *q; q++)
                dots += *q == '.';
            da_buf_printf(&one, "%spython_%sversion %.*s \"%s\"", nclause ? " and " : "",
                          dots >= 2 ? "full_" : "", (int)op, c, ver);
            nclause++;
        }
        if (nclause) {
            bool paren = nclause > 1 && strchr(constraint, '|');
            da_buf_printf(&b, "%s%s%s%s", nalt ? " or " : "", paren ? "(" : "", one.data,
                          paren ? ")" : "");
            nalt++;
        }
        da_buf_free(&one);
        free(spec);
    }
    free(copy);
    if (nalt == 0) {
        da_buf_free(&b);
        return NULL;
    }
    return da_buf_take(&b);
}

/* The markers of a dependency: its own, its python and its platform, all of them. */
static char *dep_markers(const poetry_dep *d, bool *lossy)
{
    char *parts[4] = {d->markers ? da_xstrdup(d->markers) : NULL,
                      d->python ? python_marker(d->python, lossy) : NULL, NULL, NULL};
    if (d->pipfile_markers.len) {
        da_buf pm = {0};
        for (size_t i = 0; i < d->pipfile_markers.len; i++)
            da_buf_printf(&pm, "%s%s", i ? " and " : "", d->pipfile_markers.items[i]);
        parts[3] = da_buf_take(&pm);
    }
    if (d->platform) {
        const char *pl = d->platform;
        bool neg = da_str_starts_with(pl, "!=");
        pl += neg ? 2 : (da_str_starts_with(pl, "==") ? 2 : 0);
        while (*pl == ' ')
            pl++;
        parts[2] = da_xasprintf("sys_platform %s \"%s\"", neg ? "!=" : "==", pl);
    }
    size_t n = 0;
    for (size_t i = 0; i < 4; i++)
        n += parts[i] != NULL;
    da_buf b = {0};
    da_buf_puts(&b, "");
    size_t k = 0;
    for (size_t i = 0; i < 4; i++) {
        if (!parts[i])
            continue;
        bool paren = n > 1 && strstr(parts[i], " or ");
        da_buf_printf(&b, "%s%s%s%s", k++ ? " and " : "", paren ? "(" : "", parts[i],
                      paren ? ")" : "");
        free(parts[i]);
    }
    if (n == 0) {
        da_buf_free(&b);
        return NULL;
    }
    return da_buf_take(&b);
}

/* The PEP 508 text: name[extras]spec; markers. */
static char *requirement_text(const char *name, const poetry_dep *d, const char *spec,
                              const char *markers)
{
    da_buf b = {0};
    da_buf_puts(&b, name);
    if (d->extras.len) {
        da_buf_putc(&b, '[');
        for (size_t i = 0; i < d->extras.len; i++)
            da_buf_printf(&b, "%s%s", i ? "," : "", d->extras.items[i]);
        da_buf_putc(&b, ']');
    }
    da_buf_puts(&b, spec);
    if (markers)
        da_buf_printf(&b, "; %s", markers);
    return da_buf_take(&b);
}

/* One dependency (one alternative of a multiple-constraints array) into the output. An
 * optional one is kept aside as "poetry-optional" until the extras say which take it. */
static void add_dep(rq_toml *t, const da_toml_pair *p, const char *name, const char *group,
                    size_t *list, poetry_dep *d)
{
    const char *what = t->pipfile ? "Pipfile package" : "poetry dependency";
    int line = rq_toml_line(t, da_toml_start(p->node));
    if (d->non_index)
        rq_warn(&t->out->warnings, &t->out->nwarnings, t->c->host_file, line,
                "%s %s comes from git/path/url: taken as the name only", what, name);
    bool lossy = false;
    char *spec;
    if (!d->constraint || strcmp(d->constraint, "*") == 0)
        spec = da_xstrdup("");
    else if (t->pipfile) /* Pipfile versions are PEP 440 specifiers already */
        spec = da_xstrdup(d->constraint);
    else
        spec = rq_poetry_constraint(d->constraint, &lossy);
    if (lossy)
        rq_warn(&t->out->warnings, &t->out->nwarnings, t->c->host_file, line,
                "poetry constraint '%s' of %s has no exact PEP 440 form: '%s' used",
                d->constraint ? d->constraint : d->python, name, spec);
    bool mlossy = false;
    char *markers = dep_markers(d, &mlossy);
    char *text = requirement_text(name, d, spec, markers);
    if (*list == (size_t)-1)
        *list = rq_toml_new_list(t, t->pipfile ? "pipfile-table" : "poetry-table", "\n");
    const char *g = d->optional && !t->pipfile ? RQ_POETRY_OPTIONAL : group;
    rq_toml_add_req(t, text, g, da_toml_start(p->node), da_toml_end(p->node), *list);
    da_req_list *l = &t->out->lists[*list];
    l->insert_at = t->c->text.map[da_toml_end(p->node)];
    l->insert_line = rq_toml_line(t, da_toml_end(p->node));
    l->count++;
    free(text);
    free(markers);
    free(spec);
}

void rq_poetry_dep(rq_toml *t, const da_toml_pair *p, const char *name, const char *group,
                   size_t *list)
{
    const char *what = t->pipfile ? "Pipfile package" : "poetry dependency";
    if (strcasecmp(name, "python") == 0)
        return;
    /* `name = [{version = "<2", python = "<3.8"}, {version = "^2", python = ">=3.8"}]`:
     * one requirement per alternative, each with its own markers */
    size_t n_alt = 0;
    if (da_toml_is_array(p->value)) {
        TSNode e;
        for (size_t i = 0; da_toml_next_element(p->value, &i, &e);) {
            poetry_dep d;
            memset(&d, 0, sizeof(d));
            if (da_toml_is_inline_table(e))
                read_dep_table(t, e, &d);
            else if (da_toml_is_string(e))
                d.constraint = da_toml_string(t->doc, e, NULL, NULL);
            else
                continue;
            add_dep(t, p, name, group, list, &d);
            poetry_dep_free(&d);
            n_alt++;
        }
        if (n_alt > 0)
            return;
    }
    poetry_dep d;
    memset(&d, 0, sizeof(d));
    if (da_toml_is_string(p->value)) {
        d.constraint = da_toml_string(t->doc, p->value, NULL, NULL);
    } else if (da_toml_is_inline_table(p->value)) {
        read_dep_table(t, p->value, &d);
    } else {
        rq_warn(&t->out->warnings, &t->out->nwarnings, t->c->host_file,
                rq_toml_line(t, da_toml_start(p->node)), "%s %s: this form is not read", what,
                name);
        return;
    }
    add_dep(t, p, name, group, list, &d);
    poetry_dep_free(&d);
}
