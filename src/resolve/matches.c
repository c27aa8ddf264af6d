#include "resolver.h"

#include <stdlib.h>
#include <string.h>

/* pip's find_matches for one identifier: the versions the index offers that fit every
 * requirement on it (and the step's constraints), newest first, with pip's rules for
 * pre-releases, yanked files and an already installed version. */

typedef struct clause_ref {
    const rs_clauses *cl;
    size_t i;
} clause_ref;

static bool in_incompat(const rs_inode *l, int v)
{
    for (; l; l = l->next)
        if (l->version == v)
            return true;
    return false;
}

static void collect(const rs_clauses *cl, clause_ref **refs, size_t *n, size_t *cap)
{
    for (size_t i = 0; i < cl->len; i++) {
        clause_ref r = {cl, i};
        DA_PUSH(*refs, *n, *cap, r);
    }
}

static bool clauses_contain(const clause_ref *refs, size_t n, const da_version *v, int pre)
{
    for (size_t i = 0; i < n; i++)
        if (!da_specifier_set_contains(refs[i].cl->items[refs[i].i], v, pre))
            return false;
    return true;
}

static bool satisfies_all(const rs_node *crit, const da_version *v)
{
    for (const rs_node *n = crit; n; n = n->next) {
        const rs_info *info = n->info;
        if (info->req && !da_specifier_set_contains(info->req->specifier, v, 1))
            return false;
    }
    return true;
}

/* A yanked file is used only when the requirement pins it and nothing else fits: the
 * applicable versions without the yanked ones (or all of them), their new count. */
static size_t drop_yanked(const rs_project *p, int *app, size_t napp, bool pinned)
{
    bool all_yanked = napp > 0;
    for (size_t i = 0; i < napp; i++)
        if (!p->versions[app[i]].yanked)
            all_yanked = false;
    if (all_yanked && pinned)
        return napp;
    size_t k = 0;
    for (size_t i = 0; i < napp; i++)
        if (!p->versions[app[i]].yanked)
            app[k++] = app[i];
    return k;
}

/* The version an exact clause (`==1.2`, `===1.2`) of the requirements or the step's
 * constraints names, or NULL (malloc'd). */
static char *exact_pin(const clause_ref *refs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const rs_clauses *cl = refs[i].cl;
        const char *op = cl->ops[refs[i].i];
        if (cl->wildcard[refs[i].i] || (strcmp(op, "==") != 0 && strcmp(op, "===") != 0))
            continue;
        char *text = da_specifier_set_to_string(cl->items[refs[i].i]);
        const char *v = text + strspn(text, "=<>!~ ");
        char *pin = *v ? da_xstrdup(v) : NULL;
        free(text);
        if (pin)
            return pin;
    }
    return NULL;
}

/* Nothing listed fits a project whose list is a sample: assume the version the
 * requirements pin (or an unnamed one) exists, unless it was already tried and failed. */
static int assumed_match(rs_ctx *c, rs_project *p, const rs_node *crit, const clause_ref *refs,
                         size_t nrefs, const rs_inode *incompat, const rs_inode *incompat2,
                         int **out)
{
    /* requirements that exclude each other fit no version, listed or not */
    rs_bounds b = {{NULL, true}, {NULL, true}, {0}};
    for (size_t i = 0; i < nrefs; i++)
        rs_bounds_add(&b, refs[i].cl, refs[i].i);
    bool empty = rs_bounds_empty(&b);
    rs_bounds_free(&b);
    if (empty)
        return 0;
    char *pin = exact_pin(refs, nrefs);
    int vi = rs_assumed_version(c, p, pin);
    free(pin);
    if (vi < 0 || in_incompat(incompat, vi) || in_incompat(incompat2, vi))
        return 0;
    const rs_version *v = &p->versions[vi];
    if (!v->placeholder && (!satisfies_all(crit, v->v) || !clauses_contain(refs, nrefs, v->v, 1)))
        return 0;
    *out = da_xcalloc(1, sizeof(int));
    (*out)[0] = vi;
    return 1;
}

/* The applicable versions app (newest first) with what the image holds (installed, -1
 * none) placed as pip places it: first, or in version order under --upgrade. Returns the
 * count written to ordered. */
static size_t with_installed(const int *app, size_t napp, int installed, bool upgrade, int *ordered)
{
    size_t nord = 0;
    if (installed >= 0 && !upgrade) {
        ordered[nord++] = installed;
        for (size_t i = 0; i < napp; i++)
            if (app[i] != installed)
                ordered[nord++] = app[i];
    } else if (installed >= 0) {
        bool placed = false;
        for (size_t i = 0; i < napp; i++) {
            if (!placed && app[i] >= installed) {
                /* versions are newest first: installed goes before the first older one */
                if (app[i] != installed)
                    ordered[nord++] = installed;
                placed = true;
            }
            ordered[nord++] = app[i];
        }
        if (!placed)
            ordered[nord++] = installed;
    } else {
        memcpy(ordered, app, napp * sizeof(int));
        nord = napp;
    }
    return nord;
}

int rs_find_matches(rs_ctx *c, int id, const rs_node *crit, const rs_inode *incompat,
                    const rs_inode *incompat2, int **out, da_error *err)
{
    (void)err;
    const rs_ident *ident = &c->idents[id];
    rs_project *p = &c->projects[ident->project];
    rs_project_eligibility(c, p);
    *out = NULL;
    if (p->missing && p->installed < 0)
        return 0;

    /* The merged specifier: every requirement on this identifier, and the constraints on
     * its project (pip applies a constraint to "name" and to "name[extras]" alike). */
    clause_ref *refs = NULL;
    size_t nrefs = 0, refs_cap = 0;
    for (const rs_node *n = crit; n; n = n->next)
        collect(&n->info->clauses, &refs, &nrefs, &refs_cap);
    for (size_t i = 0; i < c->nconstraints; i++)
        if (strcmp(c->constraints[i]->req->normalized, p->name) == 0)
            collect(&c->constraints[i]->clauses, &refs, &nrefs, &refs_cap);

    bool allow_all_pre = c->in->pre || (c->step && c->step->pre);
    bool set_names_pre = false, pinned = false;
    for (size_t i = 0; i < nrefs; i++) {
        const rs_clauses *cl = refs[i].cl;
        if (da_specifier_set_allows_prereleases(cl->items[refs[i].i]))
            set_names_pre = true;
        const char *op = cl->ops[refs[i].i];
        if (strcmp(op, "===") == 0 || (strcmp(op, "==") == 0 && !cl->wildcard[refs[i].i]))
            pinned = true;
    }

    /* Applicable versions among those with an eligible file. With no specifier at all,
     * pre-releases are taken only when there is nothing else (packaging's filter); with
     * any specifier they need --pre or a clause naming a pre-release. */
    int *app = da_xcalloc(p->nversions + 1, sizeof(int));
    size_t napp = 0;
    bool any_final = false;
    for (size_t i = 0; i < p->nversions; i++) {
        const rs_version *v = &p->versions[i];
        if (!v->eligible)
            continue;
        if (nrefs == 0) {
            app[napp++] = (int)i;
            if (!v->prerelease)
                any_final = true;
            continue;
        }
        int pre = (allow_all_pre || set_names_pre) ? 1 : 0;
        if (clauses_contain(refs, nrefs, v->v, pre))
            app[napp++] = (int)i;
    }
    if (nrefs == 0 && !allow_all_pre && any_final) {
        size_t k = 0;
        for (size_t i = 0; i < napp; i++)
            if (!p->versions[app[i]].prerelease)
                app[k++] = app[i];
        napp = k;
    }
    napp = drop_yanked(p, app, napp, pinned);

    /* What the image already holds is a candidate when it fits the merged specifier; it
     * comes first unless this is a requested name under --upgrade. */
    int installed = -1;
    bool force = c->step && c->step->force_reinstall;
    if (p->installed >= 0 && !force && clauses_contain(refs, nrefs, p->versions[p->installed].v, 1))
        installed = p->installed;
    bool eligible_for_upgrade =
        c->step && c->step->upgrade && (c->user_order[id] >= 0 || c->user_order[ident->base] >= 0);
    int *ordered = da_xcalloc(p->nversions + 1, sizeof(int));
    size_t nord = with_installed(app, napp, installed, eligible_for_upgrade, ordered);
    free(app);

    size_t k = 0;
    for (size_t i = 0; i < nord; i++) {
        int vi = ordered[i];
        if (in_incompat(incompat, vi) || in_incompat(incompat2, vi))
            continue;
        if (!p->versions[vi].placeholder && !satisfies_all(crit, p->versions[vi].v))
            continue;
        ordered[k++] = vi;
    }
    if (k == 0) {
        free(ordered);
        int n = p->sample ? assumed_match(c, p, crit, refs, nrefs, incompat, incompat2, out) : 0;
        free(refs);
        return n;
    }
    free(refs);
    *out = ordered;
    return (int)k;
}
