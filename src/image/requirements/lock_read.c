/* Lock files into the one lock model: which reader a file gets (its base name), the TOML
 * document, and what the readers share (packages, edges, groups). */
#include "image/requirements/lock.h"

#include "depaudit/util.h"
#include "image/requirements/requirement_text.h"

#include <stdlib.h>
#include <string.h>

bool rq_is_lock_file(const char *path)
{
    const char *b = rt_base_name(path);
    return strcmp(b, "uv.lock") == 0 || strcmp(b, "poetry.lock") == 0 ||
           strcmp(b, "pdm.lock") == 0 || strcmp(b, "pylock.toml") == 0 ||
           (da_str_starts_with(b, "pylock.") && da_str_ends_with(b, ".toml"));
}

rq_lock_package *rq_lock_add_package(rq_lock *l)
{
    rq_lock_package p;
    memset(&p, 0, sizeof(p));
    DA_APPEND(l->pkgs, l->npkgs, p);
    return &l->pkgs[l->npkgs - 1];
}

bool rq_lock_read_identity(const da_toml *doc, const da_toml_pair *q, rq_lock_package *p)
{
    if (da_toml_key_is(doc, q->key, "name")) {
        if (!p->name)
            p->name = da_toml_string(doc, q->value, &p->name_start, &p->name_end);
        return true;
    }
    if (da_toml_key_is(doc, q->key, "version")) {
        if (!p->version)
            p->version = da_toml_string(doc, q->value, NULL, NULL);
        return true;
    }
    return false;
}

void rq_lock_dep_add(rq_lock_deps *d, const char *name, const char *version, const char *marker)
{
    rq_lock_dep dep;
    memset(&dep, 0, sizeof(dep));
    dep.name = da_name_normalize(name);
    dep.version = version ? da_xstrdup(version) : NULL;
    dep.marker = marker && marker[0] ? da_xstrdup(marker) : NULL;
    DA_PUSH(d->items, d->len, d->cap, dep);
}

rq_lock_group *rq_lock_group_get(rq_lock_group **groups, size_t *n, const char *name)
{
    char *norm = da_name_normalize(name);
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*groups)[i].name, norm) == 0) {
            free(norm);
            return &(*groups)[i];
        }
    rq_lock_group g;
    memset(&g, 0, sizeof(g));
    g.name = norm;
    DA_APPEND(*groups, *n, g);
    return &(*groups)[*n - 1];
}

void rq_lock_dep_from_pep508(rq_lock_deps *d, const char *text)
{
    da_requirement *r = da_requirement_parse(text, NULL);
    if (!r)
        return;
    rq_lock_dep_add(d, r->name, NULL, r->marker_text);
    rq_lock_dep *dep = &d->items[d->len - 1];
    for (size_t i = 0; i < r->extras.len; i++)
        da_strlist_push(&dep->extras, r->extras.items[i]);
    char *spec = da_specifier_set_to_string(r->specifier);
    if (spec && spec[0])
        dep->specifier = spec;
    else
        free(spec);
    da_requirement_free(r);
}

static void deps_free(rq_lock_deps *d)
{
    for (size_t i = 0; i < d->len; i++) {
        free(d->items[i].name);
        free(d->items[i].version);
        free(d->items[i].marker);
        free(d->items[i].specifier);
        da_strlist_free(&d->items[i].extras);
    }
    free(d->items);
    memset(d, 0, sizeof(*d));
}

static void groups_free(rq_lock_group *g, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(g[i].name);
        deps_free(&g[i].deps);
    }
    free(g);
}

static void package_free(rq_lock_package *p)
{
    free(p->name);
    free(p->norm);
    free(p->version);
    free(p->marker);
    free(p->path);
    da_strlist_free(&p->resolution_markers);
    da_strlist_free(&p->groups);
    deps_free(&p->deps);
    groups_free(p->extras, p->nextras);
    groups_free(p->dev, p->ndev);
    memset(p, 0, sizeof(*p));
}

void rq_lock_free(rq_lock *l)
{
    for (size_t i = 0; i < l->npkgs; i++)
        package_free(&l->pkgs[i]);
    free(l->pkgs);
    da_strlist_free(&l->default_groups);
    rt_warnings_free(l->warnings, l->nwarnings);
    memset(l, 0, sizeof(*l));
}

void rq_lock_request_free(rq_lock_request *rq)
{
    deps_free(&rq->roots);
    da_strlist_free(&rq->extras);
    da_strlist_free(&rq->groups);
    da_strlist_free(&rq->member_groups);
}

int rq_lock_read(const rq_content *c, const char *path, rq_lock *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    da_toml doc;
    if (da_toml_parse(&doc, path, c->text.s, c->text.len, err) != 0)
        return -1;
    size_t bad;
    if (da_toml_check(&doc, NULL, &bad) != 0) {
        size_t host = c->text.map[bad < c->text.len ? bad : c->text.len];
        rq_warn(&out->warnings, &out->nwarnings, c->host_file,
                rq_line_of(c->host_data, c->host_len, host),
                "%s is not valid TOML: what could be read is used", path);
    }
    const char *b = rt_base_name(path);
    if (strcmp(b, "uv.lock") == 0) {
        out->kind = "uv.lock";
        rq_lock_read_uv(&doc, out);
    } else if (strcmp(b, "poetry.lock") == 0) {
        out->kind = "poetry.lock";
        rq_lock_read_poetry(&doc, out);
    } else if (strcmp(b, "pdm.lock") == 0) {
        out->kind = "pdm.lock";
        rq_lock_read_pdm(&doc, out);
    } else {
        out->kind = "pylock.toml";
        rq_lock_read_pylock(&doc, out);
    }
    /* a package without a name is no pin (a lock written by hand, or broken) */
    size_t kept = 0;
    for (size_t i = 0; i < out->npkgs; i++) {
        rq_lock_package *p = &out->pkgs[i];
        if (!p->name || !p->name[0]) {
            package_free(p);
            continue;
        }
        if (!p->norm)
            p->norm = da_name_normalize(p->name);
        out->pkgs[kept++] = *p;
    }
    out->npkgs = kept;
    da_toml_free(&doc);
    return 0;
}
