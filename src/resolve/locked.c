/* A locked step: the exact pins of a lock file are the installed set. Each `name==version`
 * whose markers hold replaces what the image held under that name; nothing is resolved and
 * no dependency is followed. Metadata is asked only for what each pin ships: the pinned
 * release, else (a source that lacks that version) the release it has, said so; with none,
 * the pin is still installed and its modules are unknown. A pin the lock says other pins
 * require is there because of them (required by), not requested. */
#include "resolver.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The version of an exact pin "==V" (no wildcard, one clause), or NULL. */
static char *exact_version(const da_requirement *r)
{
    const char *s = r->specifier_text;
    if (!s || r->url)
        return NULL;
    while (isspace((unsigned char)*s))
        s++;
    if (strncmp(s, "==", 2) != 0 || s[2] == '=')
        return NULL;
    s += 2;
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    if (n == 0 || memchr(s, ',', n) || memchr(s, '*', n))
        return NULL;
    return da_xstrndup(s, n);
}

/* The versions of p ordered by closeness to the pin: the newest at or below it first (going
 * down), then those above it (going up). Unparsable versions come last. */
typedef struct ranked {
    size_t index;
    int side; /* 0 below or equal, 1 above, 2 unparsable */
    da_version *v;
} ranked;

static int compare_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->side != y->side)
        return x->side - y->side;
    if (x->side == 2)
        return 0;
    int c = da_version_compare(x->v, y->v);
    return x->side == 0 ? -c : c;
}

static da_release *nearest_release(rs_ctx *c, const char *name, const char *version,
                                   const da_project *p)
{
    const da_provider *pv = c->provider;
    da_version *pin = da_version_parse(version, NULL);
    ranked *r = da_xcalloc(p->nversions ? p->nversions : 1, sizeof(*r));
    for (size_t i = 0; i < p->nversions; i++) {
        r[i].index = i;
        r[i].v = da_version_parse(p->versions[i].version, NULL);
        r[i].side = !r[i].v || !pin ? 2 : da_version_compare(r[i].v, pin) <= 0 ? 0 : 1;
    }
    qsort(r, p->nversions, sizeof(*r), compare_ranked);
    da_release *rel = NULL;
    for (size_t i = 0; i < p->nversions && !rel; i++) {
        da_error e;
        da_error_clear(&e);
        if (pv->get_release(pv->ctx, name, p->versions[r[i].index].version, &rel, &e) != 0)
            rel = NULL;
    }
    for (size_t i = 0; i < p->nversions; i++)
        da_version_free(r[i].v);
    free(r);
    da_version_free(pin);
    return rel;
}

/* The release of the pinned version, else the nearest one the source has (noted). */
static da_release *release_for(rs_ctx *c, const char *name, const char *version)
{
    const da_provider *pv = c->provider;
    da_release *r = NULL;
    da_error e;
    da_error_clear(&e);
    if (pv->get_release(pv->ctx, name, version, &r, &e) == 0)
        return r;
    da_project *p = NULL;
    da_error_clear(&e);
    if (pv->get_project && pv->get_project(pv->ctx, name, &p, &e) == 0 && p) {
        r = nearest_release(c, name, version, p);
        da_project_free(p);
    }
    if (r)
        rs_warn(c->env, da_xasprintf("what %s %s ships is taken from %s %s (the metadata source "
                                     "lacks the pinned version)",
                                     name, version, name, r->version));
    else
        rs_warn(c->env, da_xasprintf("no metadata for %s %s (pinned by a lock): what it ships is "
                                     "unknown",
                                     name, version));
    return r;
}

static void install_pin(rs_ctx *c, const da_resolve_req *src, const da_requirement *req,
                        const char *version, int step_index)
{
    da_resolved_dist *d = rs_env_find(c->env, req->normalized);
    if (!d)
        d = rs_env_add(c->env, req->normalized);
    free(d->version);
    d->version = da_xstrdup(version);
    free(d->url);
    d->url = NULL;
    free(d->filename);
    d->filename = NULL;
    if (d->release)
        da_release_free(d->release);
    d->release = release_for(c, req->normalized, version);
    d->preinstalled = false;
    d->step = step_index;
    (void)src;
}

/* Why each pin is there: requested, or required by the pins the lock names. */
static void add_reasons(rs_ctx *c, const da_resolve_step *s, da_requirement **parsed)
{
    for (size_t i = 0; i < s->nreqs; i++) {
        if (!parsed[i])
            continue;
        const da_resolve_req *src = &s->reqs[i];
        da_resolved_dist *d = rs_env_find(c->env, parsed[i]->normalized);
        if (!d)
            continue;
        if (src->required_by.len == 0) {
            da_resolve_reason r = {.kind = DA_REASON_REQUESTED,
                                   .requirement = src->text,
                                   .file = src->file,
                                   .line = src->line,
                                   .col = src->col};
            rs_add_reason(d, &r);
            continue;
        }
        for (size_t k = 0; k < src->required_by.len; k++) {
            char *parent = da_name_normalize(src->required_by.items[k]);
            const da_resolved_dist *pd = rs_env_find(c->env, parent);
            da_resolve_reason r = {.kind = DA_REASON_REQUIRED_BY,
                                   .requirement = src->text,
                                   .parent = parent,
                                   .parent_version = pd ? pd->version : NULL};
            rs_add_reason(d, &r);
            free(parent);
        }
    }
}

void rs_locked_step(rs_ctx *c, int step_index)
{
    const da_resolve_step *s = c->step;
    da_requirement **parsed = da_xcalloc(s->nreqs ? s->nreqs : 1, sizeof(*parsed));
    for (size_t i = 0; i < s->nreqs; i++) {
        const da_resolve_req *src = &s->reqs[i];
        da_requirement *req = da_requirement_parse(src->text, NULL);
        if (!req) {
            rs_warn(c->env, da_xasprintf("%s:%d: '%s' is not a pin: left out",
                                         src->file ? src->file : "", src->line, src->text));
            continue;
        }
        if (req->marker && da_marker_evaluate(req->marker, &c->marker_env, "") == 0) {
            da_requirement_free(req);
            continue;
        }
        char *version = exact_version(req);
        if (!version) {
            rs_warn(c->env, da_xasprintf("%s:%d: '%s' in a locked install is not an exact pin: "
                                         "left out",
                                         src->file ? src->file : "", src->line, src->text));
            da_requirement_free(req);
            continue;
        }
        install_pin(c, src, req, version, step_index);
        free(version);
        parsed[i] = req;
    }
    add_reasons(c, s, parsed);
    if (s->sync) /* the environment holds exactly the pins (and the base image's copies) */
        for (size_t i = c->env->ndists; i-- > 0;) {
            da_resolved_dist *d = &c->env->dists[i];
            if (!d->preinstalled && !d->url && d->step != step_index)
                rs_env_remove(c->env, d);
        }
    for (size_t i = 0; i < s->nreqs; i++)
        da_requirement_free(parsed[i]);
    free(parsed);
}
