#include "resolver.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The backtracking loop of one install command, shaped like the resolver pip uses
 * (resolvelib): a stack of states; each round pins the most preferred unsatisfied
 * identifier to its best candidate whose dependencies do not empty any other
 * identifier's candidate list; when no candidate works, the last pin is undone and marked
 * incompatible. Following it closely is what makes the answers equal pip's. */

enum { RS_MAX_ROUNDS = 100000 };

/* ---- states -------------------------------------------------------------------------- */

static void state_reserve(rs_state *s, size_t n)
{
    if (n <= s->cap)
        return;
    size_t cap = s->cap ? s->cap : 16;
    while (cap < n)
        cap *= 2;
    s->pin = da_xrealloc(s->pin, cap * sizeof(*s->pin));
    s->crit = da_xrealloc(s->crit, cap * sizeof(*s->crit));
    s->incompat = da_xrealloc(s->incompat, cap * sizeof(*s->incompat));
    s->order = da_xrealloc(s->order, cap * sizeof(*s->order));
    for (size_t i = s->cap; i < cap; i++) {
        s->pin[i] = -1;
        s->crit[i] = NULL;
        s->incompat[i] = NULL;
    }
    s->cap = cap;
}

static void state_copy(rs_state *dst, const rs_state *src)
{
    memset(dst, 0, sizeof(*dst));
    state_reserve(dst, src->cap);
    if (src->cap) {
        memcpy(dst->pin, src->pin, src->cap * sizeof(*src->pin));
        memcpy(dst->crit, src->crit, src->cap * sizeof(*src->crit));
        memcpy(dst->incompat, src->incompat, src->cap * sizeof(*src->incompat));
        memcpy(dst->order, src->order, src->norder * sizeof(*src->order));
    }
    dst->norder = src->norder;
    if (src->ncauses) {
        dst->causes = da_xmalloc(src->ncauses * sizeof(*dst->causes));
        memcpy(dst->causes, src->causes, src->ncauses * sizeof(*dst->causes));
    }
    dst->ncauses = src->ncauses;
}

void rs_state_free(rs_state *s)
{
    free(s->pin);
    free(s->crit);
    free(s->incompat);
    free(s->order);
    free(s->causes);
    memset(s, 0, sizeof(*s));
}

static void set_causes(rs_state *s, rs_info **causes, size_t n)
{
    free(s->causes);
    s->causes = NULL;
    if (n) {
        s->causes = da_xmalloc(n * sizeof(*causes));
        memcpy(s->causes, causes, n * sizeof(*causes));
    }
    s->ncauses = n;
}

/* ---- criteria -------------------------------------------------------------------------- */

static bool pin_satisfies(const rs_ctx *c, const rs_state *s, int id)
{
    if ((size_t)id >= s->cap || s->pin[id] < 0)
        return false;
    const rs_version *v = &c->projects[c->idents[id].project].versions[s->pin[id]];
    if (v->placeholder)
        return true; /* an unnamed assumed version fits whatever is asked of it */
    for (const rs_node *n = s->crit[id]; n; n = n->next)
        if (n->info->req && !da_specifier_set_contains(n->info->req->specifier, v->v, 1))
            return false;
    return true;
}

/* Adds one edge. 1 ok, 0 conflict (*conflict = the criterion's edges, new one included),
 * -1 provider failure. */
static int add_to_criteria(rs_ctx *c, rs_state *s, int id, rs_info *info, rs_node **conflict,
                           da_error *err)
{
    state_reserve(s, c->nidents);
    rs_node *head = rs_arena_alloc(&c->arena, sizeof(*head));
    head->info = info;
    head->next = s->crit[id];
    int *m = NULL;
    int n = rs_find_matches(c, id, head, s->incompat[id], NULL, &m, err);
    free(m);
    if (n < 0)
        return -1;
    if (n == 0) {
        *conflict = head;
        return 0;
    }
    s->crit[id] = head;
    return 1;
}

static void push_causes(rs_info ***causes, size_t *n, size_t *cap, const rs_node *list)
{
    for (; list; list = list->next)
        DA_PUSH(*causes, *n, *cap, list->info);
}

/* ---- dependencies of a candidate ------------------------------------------------------ */

static const char *dep_extra(const rs_ctx *c, const rs_ident *ident, const da_release *rel,
                             const da_requirement *dep, bool *include)
{
    *include = false;
    if (!dep->marker) {
        *include = true;
        return NULL;
    }
    if (ident->extras.len == 0 || !rel) {
        *include = da_marker_evaluate(dep->marker, &c->marker_env, "") == 1;
        return NULL;
    }
    /* pip evaluates an extras candidate's markers with each extra the release provides */
    bool any_valid = false;
    for (size_t i = 0; i < ident->extras.len; i++) {
        const char *e = ident->extras.items[i];
        if (!da_strlist_contains(&rel->provides_extra, e))
            continue;
        any_valid = true;
        if (da_marker_evaluate(dep->marker, &c->marker_env, e) == 1) {
            *include = true;
            return da_marker_evaluate(dep->marker, &c->marker_env, "") == 1 ? NULL : e;
        }
    }
    if (!any_valid)
        *include = da_marker_evaluate(dep->marker, &c->marker_env, "") == 1;
    return NULL;
}

static void warn_missing_extras(rs_ctx *c, const rs_ident *ident, const rs_project *p,
                                const rs_version *v)
{
    if (!v->release || v->deps_unknown)
        return;
    for (size_t i = 0; i < ident->extras.len; i++) {
        if (da_strlist_contains(&v->release->provides_extra, ident->extras.items[i]))
            continue;
        char *w = da_xasprintf("%s %s does not provide the extra '%s'", p->name, v->str,
                               ident->extras.items[i]);
        if (da_strlist_contains(&c->env->warnings, w))
            free(w);
        else
            da_strlist_push_owned(&c->env->warnings, w);
    }
}

/* 1 ok, 0 conflict (*conflict set), -1 failure. */
static int add_dependencies(rs_ctx *c, rs_state *s, int id, int vi, rs_node **conflict,
                            da_error *err)
{
    rs_ident ident = c->idents[id]; /* copy: c->idents may move as identifiers are added */
    rs_project *p = &c->projects[ident.project];
    rs_version *v = &p->versions[vi];
    if (ident.extras.len) {
        /* an unnamed assumed version is the same unnamed one for the base */
        char *text = v->placeholder ? da_xstrdup(p->name) : da_xasprintf("%s==%s", p->name, v->str);
        da_requirement *exact = da_requirement_parse(text, err);
        free(text);
        if (!exact)
            return -1;
        DA_PUSH(c->owned_reqs, c->nowned_reqs, c->owned_reqs_cap, exact);
        rs_info *info = rs_info_new(c, RS_INFO_EXPLICIT, ident.base, exact, NULL, err);
        if (!info)
            return -1;
        info->parent = id;
        info->parent_version = vi;
        int rc = add_to_criteria(c, s, ident.base, info, conflict, err);
        if (rc <= 0)
            return rc;
    }
    if (c->step && c->step->no_deps)
        return 1;
    p = &c->projects[ident.project]; /* the base's matches may have added a version */
    v = &p->versions[vi];
    bool is_installed = p->installed == vi;
    /* an assumed version's Requires-Python would be another version's: not a reason */
    if (!is_installed && !v->assumed && v->release && v->release->requires_python &&
        !rs_python_satisfies(c, v->release->requires_python)) {
        rs_info *info = rs_info_new(c, RS_INFO_PYTHON, -1, NULL, v->release->requires_python, err);
        info->parent = id;
        info->parent_version = vi;
        rs_node *n = rs_arena_alloc(&c->arena, sizeof(*n));
        n->info = info;
        *conflict = n;
        return 0;
    }
    if (ident.extras.len)
        warn_missing_extras(c, &ident, p, v);
    /* let a network source fetch the dependencies' pages together: only those followed
     * (a dependency whose marker is false for the target costs no request, as in pip) */
    if (c->provider->prefetch_projects && v->ndeps) {
        const char **names = da_xcalloc(v->ndeps, sizeof(*names));
        size_t n = 0;
        for (size_t i = 0; i < v->ndeps; i++) {
            bool include;
            dep_extra(c, &ident, v->release, v->deps[i], &include);
            if (include && !v->deps[i]->url)
                names[n++] = v->deps[i]->normalized;
        }
        if (n > 0)
            c->provider->prefetch_projects(c->provider->ctx, names, n);
        free(names);
    }
    for (size_t i = 0; i < v->ndeps; i++) {
        /* re-fetch: the project array may have moved while adding earlier deps */
        p = &c->projects[ident.project];
        v = &p->versions[vi];
        const da_requirement *dep = v->deps[i];
        bool include;
        const char *extra = dep_extra(c, &ident, v->release, dep, &include);
        if (!include)
            continue;
        if (dep->url) {
            char *w = da_xasprintf("%s %s requires %s by direct URL: not followed", p->name, v->str,
                                   dep->normalized);
            if (da_strlist_contains(&c->env->warnings, w))
                free(w);
            else
                da_strlist_push_owned(&c->env->warnings, w);
            continue;
        }
        int did = rs_ident_get(c, dep->name, &dep->extras, err);
        if (did < 0)
            return -1;
        rs_info *info = rs_info_new(c, RS_INFO_REQ, did, dep, v->dep_text[i], err);
        if (!info)
            return -1;
        info->parent = id;
        info->parent_version = vi;
        info->extra = extra;
        int rc = add_to_criteria(c, s, did, info, conflict, err);
        if (rc <= 0)
            return rc;
    }
    return 1;
}

/* 1 pinned, 0 nothing worked (causes filled), -1 failure. */
static int attempt_to_pin(rs_ctx *c, rs_state *s, int id, rs_info ***causes, size_t *ncauses,
                          size_t *causes_cap, da_error *err)
{
    int *cands = NULL;
    int n = rs_find_matches(c, id, s->crit[id], s->incompat[id], NULL, &cands, err);
    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        int vi = cands[i];
        rs_project *p = &c->projects[c->idents[id].project];
        if (rs_version_load(c, p, &p->versions[vi], err) < 0) {
            free(cands);
            return -1;
        }
        rs_state tmp;
        state_copy(&tmp, s);
        rs_node *conflict = NULL;
        int rc = add_dependencies(c, &tmp, id, vi, &conflict, err);
        if (rc < 0) {
            rs_state_free(&tmp);
            free(cands);
            return -1;
        }
        if (rc == 0) {
            push_causes(causes, ncauses, causes_cap, conflict);
            rs_state_free(&tmp);
            continue;
        }
        state_reserve(&tmp, c->nidents);
        size_t k = 0;
        for (size_t j = 0; j < tmp.norder; j++)
            if (tmp.order[j] != id)
                tmp.order[k++] = tmp.order[j];
        tmp.order[k++] = id;
        tmp.norder = k;
        tmp.pin[id] = vi;
        rs_state_free(s);
        *s = tmp;
        free(cands);
        return 1;
    }
    free(cands);
    return 0;
}

/* ---- preference (pip's get_preference) ----------------------------------------------- */

typedef struct pref {
    bool delay, not_direct, not_pinned, not_cause;
    double depth, requested;
    bool free_;
    const char *key;
} pref;

static pref preference(rs_ctx *c, const rs_state *s, int id)
{
    pref r = {0};
    bool direct = false, pinned = false, unfree = false;
    double depth = INFINITY;
    for (const rs_node *n = s->crit[id]; n; n = n->next) {
        const rs_info *info = n->info;
        if (info->kind == RS_INFO_EXPLICIT)
            direct = true;
        else
            for (size_t k = 0; k < info->clauses.len; k++) {
                unfree = true;
                if (strncmp(info->clauses.ops[k], "==", 2) == 0)
                    pinned = true;
            }
        double d = info->parent < 0             ? 0.0
                   : c->depth[info->parent] < 0 ? INFINITY
                                                : c->depth[info->parent];
        if (d < depth)
            depth = d;
    }
    if (c->user_order[id] >= 0)
        depth = 1.0;
    else
        depth += 1.0;
    c->depth[id] = depth;
    bool cause = false;
    for (size_t i = 0; i < s->ncauses; i++)
        if (s->causes[i]->ident == id || s->causes[i]->parent == id)
            cause = true;
    r.delay = strcmp(c->idents[id].key, "setuptools") == 0;
    r.not_direct = !direct;
    r.not_pinned = !pinned;
    r.not_cause = !cause;
    r.depth = depth;
    r.requested = c->user_order[id] >= 0 ? c->user_order[id] : INFINITY;
    r.free_ = !unfree;
    r.key = c->idents[id].key;
    return r;
}

static int pref_cmp(const pref *a, const pref *b)
{
#define CMP_FIELD(f)                                                                               \
    if (a->f != b->f)                                                                              \
        return a->f < b->f ? -1 : 1;
    CMP_FIELD(delay)
    CMP_FIELD(not_direct)
    CMP_FIELD(not_pinned)
    CMP_FIELD(not_cause)
    CMP_FIELD(depth)
    CMP_FIELD(requested)
    CMP_FIELD(free_)
#undef CMP_FIELD
    return strcmp(a->key, b->key);
}

/* ---- backtracking ---------------------------------------------------------------------- */

static bool inode_has(const rs_inode *l, int v)
{
    for (; l; l = l->next)
        if (l->version == v)
            return true;
    return false;
}

static rs_inode *inode_union(rs_ctx *c, rs_inode *base, const rs_inode *add)
{
    for (; add; add = add->next) {
        if (inode_has(base, add->version))
            continue;
        rs_inode *n = rs_arena_alloc(&c->arena, sizeof(*n));
        n->version = add->version;
        n->next = base;
        base = n;
    }
    return base;
}

/* Patches one identifier's incompatibilities. 1 ok, 0 no candidate left, -1 failure. */
static int patch_one(rs_ctx *c, rs_state *s, int k, const rs_inode *add, da_error *err)
{
    if (!add || (size_t)k >= s->cap || !s->crit[k])
        return 1;
    int *m = NULL;
    int n = rs_find_matches(c, k, s->crit[k], s->incompat[k], add, &m, err);
    free(m);
    if (n <= 0)
        return n;
    s->incompat[k] = inode_union(c, s->incompat[k], add);
    return 1;
}

/* 1 backtracked, 0 no way back, -1 failure. states/nstates is the stack. */
static int backtrack(rs_ctx *c, rs_state *states, size_t *nstates, da_error *err)
{
    while (*nstates >= 3) {
        rs_state_free(&states[--*nstates]);
        rs_state broken = states[--*nstates];
        c->env->backtracks++;
        int name = broken.order[broken.norder - 1];
        rs_inode *cand = rs_arena_alloc(&c->arena, sizeof(*cand));
        cand->version = broken.pin[name];
        state_copy(&states[*nstates], &states[*nstates - 1]);
        rs_state *top = &states[(*nstates)++];
        state_reserve(top, c->nidents);
        int ok = 1;
        for (size_t k = 0; k < broken.cap && ok == 1; k++)
            if (broken.crit[k])
                ok = patch_one(c, top, (int)k, broken.incompat[k], err);
        if (ok == 1)
            ok = patch_one(c, top, name, cand, err);
        rs_state_free(&broken);
        if (ok < 0)
            return -1;
        if (ok == 1)
            return 1;
    }
    return 0;
}

/* ---- the loop -------------------------------------------------------------------------- */

static void fail_with(rs_ctx *c, rs_result *out, const rs_state *st, rs_info **causes, size_t n)
{
    out->ok = false;
    out->conflict = rs_explain(c, st, causes, n, &out->conflict_name);
    out->certain = rs_conflict_certain(c, causes, n);
}

int rs_solve(rs_ctx *c, rs_info **roots, size_t nroots, rs_result *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    size_t cap = 16, nstates = 0;
    rs_state *states = da_xcalloc(cap, sizeof(*states));
    int rc = -1;
    rs_info **causes = NULL;
    size_t ncauses = 0, causes_cap = 0;

    nstates = 1;
    for (size_t i = 0; i < nroots; i++) {
        rs_node *conflict = NULL;
        int r = add_to_criteria(c, &states[0], roots[i]->ident, roots[i], &conflict, err);
        if (r < 0)
            goto done;
        if (r == 0) {
            push_causes(&causes, &ncauses, &causes_cap, conflict);
            fail_with(c, out, &states[0], causes, ncauses);
            rc = 0;
            goto done;
        }
    }
    state_copy(&states[1], &states[0]);
    nstates = 2;

    for (int round = 0; round < RS_MAX_ROUNDS; round++) {
        c->env->rounds++;
        rs_state *top = &states[nstates - 1];
        state_reserve(top, c->nidents);
        int best = -1;
        pref best_pref = {0};
        for (size_t id = 0; id < c->nidents; id++) {
            if (!top->crit[id] || pin_satisfies(c, top, (int)id))
                continue;
            pref p = preference(c, top, (int)id);
            if (best < 0 || pref_cmp(&p, &best_pref) < 0) {
                best = (int)id;
                best_pref = p;
            }
        }
        if (best < 0) {
            out->ok = true;
            state_copy(&out->final, top);
            rc = 0;
            goto done;
        }
        ncauses = 0;
        int r = attempt_to_pin(c, top, best, &causes, &ncauses, &causes_cap, err);
        if (r < 0)
            goto done;
        if (r == 1) {
            if (nstates == cap) {
                states = da_xrealloc(states, 2 * cap * sizeof(*states));
                memset(states + cap, 0, cap * sizeof(*states));
                cap *= 2;
            }
            state_copy(&states[nstates], &states[nstates - 1]);
            nstates++;
            continue;
        }
        int b = backtrack(c, states, &nstates, err);
        if (b < 0)
            goto done;
        set_causes(&states[nstates - 1], causes, ncauses);
        if (b == 0) {
            fail_with(c, out, &states[nstates - 1], causes, ncauses);
            rc = 0;
            goto done;
        }
    }
    out->ok = false;
    out->conflict = da_xasprintf("resolution gave up after %d rounds of backtracking: the "
                                 "requirements are too loose to settle; pin some of them",
                                 RS_MAX_ROUNDS);
    rc = 0;
done:
    for (size_t i = 0; i < nstates; i++)
        rs_state_free(&states[i]);
    free(states);
    free(causes);
    return rc;
}
