/* What an installer takes from a lock: from the roots (uv: the lock's projects with their
 * main dependencies, the extras and groups asked for; poetry/pdm: the pyproject's
 * requirements) every edge whose marker holds for the target is followed, extras included;
 * pdm and pylock can also be taken by group membership and package markers. A pin reached
 * from a root is direct; one reached only through other pins is transitive, with those
 * pins named. Where a name has several versions in the lock (uv's forks, poetry's markers),
 * the edge's version, the forks' resolution markers, the package marker or the edge's
 * specifier pick one. */
#include "image/requirements/lock.h"

#include <stdlib.h>
#include <string.h>

typedef struct walk_item {
    size_t pkg;
    char *extra; /* NULL: the package's own dependencies */
} walk_item;

typedef struct sel_state {
    const rq_lock *l;
    const rq_lock_request *rq;
    bool *selected, *direct;
    da_strlist *parents;     /* per package */
    da_strlist *extras_done; /* per package */
    walk_item *queue;
    size_t nqueue, qcap, qhead;
    rq_lock_selection *out;
} sel_state;

/* 1 holds, 0 does not, -1 cannot tell (taken as holding: it may be installed). */
static int marker_holds(const char *marker, const da_marker_env *env, const char *extra)
{
    if (!marker || !marker[0] || !env)
        return 1;
    da_marker *m = da_marker_parse(marker, NULL);
    if (!m)
        return -1;
    int r = da_marker_evaluate(m, env, extra ? extra : "");
    da_marker_free(m);
    return r;
}

static bool any_marker_holds(const da_strlist *markers, const da_marker_env *env)
{
    if (markers->len == 0)
        return true;
    for (size_t i = 0; i < markers->len; i++)
        if (marker_holds(markers->items[i], env, NULL) != 0)
            return true;
    return false;
}

static bool version_satisfies(const char *version, const char *specifier)
{
    if (!specifier || !version)
        return true;
    da_specifier_set *s = da_specifier_set_parse(specifier, NULL);
    da_version *v = da_version_parse(version, NULL);
    bool ok = !s || !v || da_specifier_set_contains(s, v, true);
    da_specifier_set_free(s);
    da_version_free(v);
    return ok;
}

/* The package an edge leads to, (size_t)-1 if the lock has none of that name. */
static size_t pick(const rq_lock *l, const rq_lock_dep *dep, const da_marker_env *env)
{
    size_t first = (size_t)-1, best = (size_t)-1;
    int best_score = -1;
    for (size_t i = 0; i < l->npkgs; i++) {
        const rq_lock_package *p = &l->pkgs[i];
        if (strcmp(p->norm, dep->name) != 0)
            continue;
        if (dep->version && p->version && strcmp(dep->version, p->version) == 0)
            return i;
        if (first == (size_t)-1)
            first = i;
        int score = (any_marker_holds(&p->resolution_markers, env) ? 4 : 0) +
                    (marker_holds(p->marker, env, NULL) != 0 ? 2 : 0) +
                    (version_satisfies(p->version, dep->specifier) ? 1 : 0);
        if (score > best_score) {
            best_score = score;
            best = i;
        }
    }
    return best != (size_t)-1 ? best : first;
}

static void enqueue(sel_state *s, size_t pkg, const char *extra)
{
    walk_item it = {pkg, extra ? da_xstrdup(extra) : NULL};
    DA_PUSH(s->queue, s->nqueue, s->qcap, it);
}

/* Follows one edge from `parent` (NULL: a root) under `extra` of the parent. */
static void visit(sel_state *s, const rq_lock_dep *dep, const char *parent, const char *extra)
{
    if (marker_holds(dep->marker, s->rq->env, extra) == 0)
        return;
    size_t c = pick(s->l, dep, s->rq->env);
    if (c == (size_t)-1) {
        char *what =
            parent ? da_xasprintf("%s (required by %s)", dep->name, parent) : da_xstrdup(dep->name);
        if (da_strlist_contains(&s->out->missing, what))
            free(what);
        else
            da_strlist_push_owned(&s->out->missing, what);
        return;
    }
    if (!parent)
        s->direct[c] = true;
    else if (strcmp(parent, s->l->pkgs[c].norm) != 0 &&
             !da_strlist_contains(&s->parents[c], parent))
        da_strlist_push(&s->parents[c], parent);
    if (!s->selected[c]) {
        s->selected[c] = true;
        enqueue(s, c, NULL);
    }
    for (size_t i = 0; i < dep->extras.len; i++)
        if (!da_strlist_contains(&s->extras_done[c], dep->extras.items[i])) {
            da_strlist_push(&s->extras_done[c], dep->extras.items[i]);
            enqueue(s, c, dep->extras.items[i]);
        }
}

static const rq_lock_group *group_of(const rq_lock_group *g, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(g[i].name, name) == 0)
            return &g[i];
    return NULL;
}

/* A package's own dependencies (extra NULL), or those one of its extras adds: the extra's
 * list, each entry taken with the package's own edge of that name when there is one (it
 * carries the markers, poetry's `extra == "x"` among them). */
static void expand(sel_state *s, size_t pkg, const char *extra)
{
    const rq_lock_package *p = &s->l->pkgs[pkg];
    if (!extra) {
        for (size_t i = 0; i < p->deps.len; i++)
            if (!p->deps.items[i].optional)
                visit(s, &p->deps.items[i], p->norm, NULL);
        return;
    }
    const rq_lock_group *g = group_of(p->extras, p->nextras, extra);
    for (size_t i = 0; g && i < g->deps.len; i++) {
        bool own = false;
        for (size_t k = 0; k < p->deps.len; k++)
            if (strcmp(p->deps.items[k].name, g->deps.items[i].name) == 0) {
                visit(s, &p->deps.items[k], p->norm, extra);
                own = true;
            }
        if (!own)
            visit(s, &g->deps.items[i], p->norm, extra);
    }
}

/* uv: each project of the lock, its main dependencies, extras and groups, as roots. */
static void project_roots(sel_state *s)
{
    const rq_lock_request *rq = s->rq;
    for (size_t i = 0; i < s->l->npkgs; i++) {
        const rq_lock_package *p = &s->l->pkgs[i];
        if (!p->project)
            continue;
        if (rq->install_projects && !p->virtual_project)
            da_strlist_push(&s->out->projects, p->path ? p->path : ".");
        if (rq->main)
            for (size_t k = 0; k < p->deps.len; k++)
                visit(s, &p->deps.items[k], NULL, NULL);
        for (size_t g = 0; g < p->nextras; g++)
            if (rq->all_extras || da_strlist_contains(&rq->extras, p->extras[g].name))
                for (size_t k = 0; k < p->extras[g].deps.len; k++)
                    visit(s, &p->extras[g].deps.items[k], NULL, p->extras[g].name);
        for (size_t g = 0; g < p->ndev; g++)
            if (da_strlist_contains(&rq->groups, p->dev[g].name))
                for (size_t k = 0; k < p->dev[g].deps.len; k++)
                    visit(s, &p->dev[g].deps.items[k], NULL, NULL);
    }
}

/* pdm, pylock: the packages of the groups asked for (pylock: all) whose marker holds. */
static void by_group(sel_state *s)
{
    const rq_lock_request *rq = s->rq;
    for (size_t i = 0; i < s->l->npkgs; i++) {
        const rq_lock_package *p = &s->l->pkgs[i];
        bool member = p->groups.len == 0 || rq->member_groups.len == 0;
        for (size_t g = 0; g < p->groups.len && !member; g++)
            member = da_strlist_contains(&rq->member_groups, p->groups.items[g]);
        if (!member || marker_holds(p->marker, rq->env, NULL) == 0)
            continue;
        s->selected[i] = true;
        for (size_t k = 0; k < rq->roots.len; k++)
            if (strcmp(rq->roots.items[k].name, p->norm) == 0)
                s->direct[i] = true;
    }
    /* the edges between the packages taken say which require which */
    for (size_t i = 0; i < s->l->npkgs; i++) {
        if (!s->selected[i])
            continue;
        const rq_lock_package *p = &s->l->pkgs[i];
        for (size_t k = 0; k < p->deps.len; k++)
            for (size_t j = 0; j < s->l->npkgs; j++)
                if (j != i && s->selected[j] &&
                    strcmp(s->l->pkgs[j].norm, p->deps.items[k].name) == 0 &&
                    !da_strlist_contains(&s->parents[j], p->norm))
                    da_strlist_push(&s->parents[j], p->norm);
    }
}

static void emit(sel_state *s)
{
    for (size_t i = 0; i < s->l->npkgs; i++) {
        if (!s->selected[i] || s->l->pkgs[i].project)
            continue;
        rq_lock_pin pin;
        memset(&pin, 0, sizeof(pin));
        pin.pkg = i;
        if (s->direct[i])
            pin.role = DA_LOCK_DIRECT;
        else if (s->parents[i].len)
            pin.role = DA_LOCK_TRANSITIVE;
        else
            pin.role = DA_LOCK_PINNED;
        if (!s->direct[i]) {
            pin.required_by = s->parents[i];
            memset(&s->parents[i], 0, sizeof(s->parents[i]));
        }
        DA_PUSH(s->out->pins, s->out->len, s->out->cap, pin);
    }
}

void rq_lock_select(const rq_lock *l, const rq_lock_request *rq, rq_lock_selection *out)
{
    memset(out, 0, sizeof(*out));
    sel_state s;
    memset(&s, 0, sizeof(s));
    s.l = l;
    s.rq = rq;
    s.out = out;
    size_t n = l->npkgs ? l->npkgs : 1;
    s.selected = da_xcalloc(n, sizeof(bool));
    s.direct = da_xcalloc(n, sizeof(bool));
    s.parents = da_xcalloc(n, sizeof(da_strlist));
    s.extras_done = da_xcalloc(n, sizeof(da_strlist));
    if (rq->by_group) {
        by_group(&s);
    } else {
        if (rq->use_lock_projects)
            project_roots(&s);
        for (size_t k = 0; k < rq->roots.len; k++)
            visit(&s, &rq->roots.items[k], NULL, NULL);
        for (; s.qhead < s.nqueue; s.qhead++)
            expand(&s, s.queue[s.qhead].pkg, s.queue[s.qhead].extra);
    }
    emit(&s);
    for (size_t i = 0; i < s.nqueue; i++)
        free(s.queue[i].extra);
    free(s.queue);
    for (size_t i = 0; i < l->npkgs; i++) {
        da_strlist_free(&s.parents[i]);
        da_strlist_free(&s.extras_done[i]);
    }
    free(s.parents);
    free(s.extras_done);
    free(s.selected);
    free(s.direct);
}

void rq_lock_selection_free(rq_lock_selection *s)
{
    for (size_t i = 0; i < s->len; i++)
        da_strlist_free(&s->pins[i].required_by);
    free(s->pins);
    da_strlist_free(&s->missing);
    da_strlist_free(&s->projects);
    memset(s, 0, sizeof(*s));
}
