/* Poetry's dependency tables (and the Pipfile's [packages], which have the same shape):
 * `name = "^1.2"` or an inline table with version, extras, markers and optional; Poetry's
 * constraints (^, ~, bare versions, `||`) converted to PEP 440. */
#include "image/requirements/project_toml.h"

#include "image/push.h"

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

/* What an inline dependency table says. */
typedef struct poetry_dep {
    char *constraint;
    da_strlist extras;
    char *markers;
    bool optional, non_index;
} poetry_dep;

static void read_dep_table(rq_toml *t, TSNode table, poetry_dep *d)
{
    da_toml_pair p;
    for (size_t k = 0; da_toml_next_pair(table, &k, &p);) {
        TSNode v = p.value;
        if (da_toml_key_is(t->doc, p.key, "version") && da_toml_is_string(v)) {
            free(d->constraint);
            d->constraint = da_toml_string(t->doc, v, NULL, NULL);
        } else if (da_toml_key_is(t->doc, p.key, "markers") && da_toml_is_string(v)) {
            free(d->markers);
            d->markers = da_toml_string(t->doc, v, NULL, NULL);
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
    da_strlist_free(&d->extras);
}

/* The PEP 508 text: name[extras]spec; markers. */
static char *requirement_text(const char *name, const poetry_dep *d, const char *spec)
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
    if (d->markers)
        da_buf_printf(&b, "; %s", d->markers);
    return da_buf_take(&b);
}

void rq_poetry_dep(rq_toml *t, const da_toml_pair *p, const char *name, const char *group,
                   size_t *list)
{
    const char *what = t->pipfile ? "Pipfile package" : "poetry dependency";
    if (strcasecmp(name, "python") == 0)
        return;
    poetry_dep d;
    memset(&d, 0, sizeof(d));
    if (da_toml_is_string(p->value)) {
        d.constraint = da_toml_string(t->doc, p->value, NULL, NULL);
    } else if (da_toml_is_inline_table(p->value)) {
        read_dep_table(t, p->value, &d);
    } else {
        rq_warn(&t->out->warnings, &t->out->nwarnings, t->c->host_file,
                rq_toml_line(t, da_toml_start(p->node)),
                "poetry dependency %s: this form is not read", name);
        return;
    }
    if (d.optional) {
        poetry_dep_free(&d);
        return;
    }
    int line = rq_toml_line(t, da_toml_start(p->node));
    if (d.non_index)
        rq_warn(&t->out->warnings, &t->out->nwarnings, t->c->host_file, line,
                "%s %s comes from git/path/url: taken as the name only", what, name);
    bool lossy = false;
    char *spec;
    if (!d.constraint || strcmp(d.constraint, "*") == 0)
        spec = da_xstrdup("");
    else if (t->pipfile) /* Pipfile versions are PEP 440 specifiers already */
        spec = da_xstrdup(d.constraint);
    else
        spec = poetry_constraint(d.constraint, &lossy);
    if (lossy)
        rq_warn(&t->out->warnings, &t->out->nwarnings, t->c->host_file, line,
                "poetry constraint '%s' of %s has no exact PEP 440 form: '%s' used", d.constraint,
                name, spec);
    char *text = requirement_text(name, &d, spec);
    if (*list == (size_t)-1)
        *list = rq_toml_new_list(t, t->pipfile ? "pipfile-table" : "poetry-table", "\n");
    rq_toml_add_req(t, text, group, da_toml_start(p->node), da_toml_end(p->node), *list);
    da_req_list *l = &t->out->lists[*list];
    l->insert_at = t->c->text.map[da_toml_end(p->node)];
    l->insert_line = rq_toml_line(t, da_toml_end(p->node));
    l->count++;
    free(text);
    free(spec);
    poetry_dep_free(&d);
}
