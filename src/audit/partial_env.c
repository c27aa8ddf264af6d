/* When pip's resolution cannot be reproduced (a step conflicts or the resolver failed),
 * the audit still judges imports, against an honest approximation labelled as such: the
 * requested distributions plus the closure of their Requires-Dist (markers evaluated for
 * the image, extras followed) as the metadata look-up knows them. Nothing here picks
 * versions; each distribution carries the release the look-up returned. */
#include "audit_checks.h"
#include "depaudit/pep.h"

#include <stdlib.h>
#include <string.h>

typedef struct pending {
    char *name;    /* normalised */
    char *version; /* an exact `==` pin of a requested requirement, else NULL */
    da_strlist extras;
    const char *parent; /* normalised name of the requirer, NULL if requested */
} pending;

static void push_pending(pending **q, size_t *n, size_t *cap, const char *name,
                         const da_strlist *extras, const char *parent)
{
    pending p = {audit_normalize(name), NULL, {0}, parent};
    for (size_t i = 0; extras && i < extras->len; i++)
        da_strlist_push(&p.extras, extras->items[i]);
    DA_PUSH(*q, *n, *cap, p);
}

static bool requirement_applies(const da_requirement *r, const da_marker_env *menv,
                                const da_strlist *extras)
{
    if (!r->marker)
        return true;
    if (da_marker_evaluate(r->marker, menv, NULL) == 1)
        return true;
    for (size_t i = 0; i < extras->len; i++)
        if (da_marker_evaluate(r->marker, menv, extras->items[i]) == 1)
            return true;
    return false;
}

/* "==1.2.3" (one clause, no wildcard) -> "1.2.3" */
static char *exact_pin(const da_merged_requirement *m)
{
    if (!m->noccurrences || !m->occurrences[0]->parsed)
        return NULL;
    const char *spec = m->occurrences[0]->parsed->specifier_text;
    if (!spec)
        return NULL;
    while (*spec == ' ')
        spec++;
    if (strncmp(spec, "==", 2) != 0 || spec[2] == '=' || strpbrk(spec, ",*"))
        return NULL;
    spec += 2;
    while (*spec == ' ')
        spec++;
    size_t n = strcspn(spec, " ;");
    return n ? da_xstrndup(spec, n) : NULL;
}

void audit_image_add_closure(audit_ctx *c, da_strlist *pool)
{
    const da_install_plan *plan = c->in->plan;
    const da_audit_lookup *lk = c->in->lookup;
    if (!plan)
        return;
    da_marker_env menv;
    da_marker_env_from_target(&menv, &plan->target);
    pending *q = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < plan->nmerged; i++) {
        const da_merged_requirement *m = &plan->merged[i];
        const da_strlist *extras = NULL;
        if (m->noccurrences && m->occurrences[0]->parsed)
            extras = &m->occurrences[0]->parsed->extras;
        push_pending(&q, &n, &cap, m->name, extras, NULL);
        q[n - 1].version = exact_pin(m);
    }
    for (size_t k = 0; k < n; k++) {
        pending *p = &q[k];
        if (!audit_image_find(&c->img, p->name)) {
            da_release *r = lk && lk->release ? lk->release(lk->ctx, p->name, p->version) : NULL;
            if (r)
                DA_PUSH(c->owned_releases, c->nowned_releases, c->owned_cap, r);
            const char *name = p->name;
            da_strlist_push(pool, name);
            name = pool->items[pool->len - 1];
            da_grow((void **)&c->img.dists, &c->img.cap, c->img.len + 1, sizeof(*c->img.dists));
            audit_dist *d = &c->img.dists[c->img.len++];
            memset(d, 0, sizeof(*d));
            d->name = name;
            d->version = r ? r->version : NULL;
            d->release = r;
            d->requested = p->parent == NULL;
            d->parent = p->parent;
            for (size_t j = 0; r && j < r->requires_dist.len; j++) {
                da_requirement *req = da_requirement_parse(r->requires_dist.items[j], NULL);
                if (req && requirement_applies(req, &menv, &p->extras)) {
                    push_pending(&q, &n, &cap, req->normalized, &req->extras, name);
                    p = &q[k]; /* q may have moved */
                }
                da_requirement_free(req);
            }
        }
    }
    for (size_t k = 0; k < n; k++) {
        free(q[k].name);
        free(q[k].version);
        da_strlist_free(&q[k].extras);
    }
    free(q);
}
