#include "resolver.h"

#include "depaudit/wheel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs the install commands in order against one evolving picture of the image, the way
 * the RUN lines of a Dockerfile do: each resolves against what is already installed, and
 * what it picks replaces or joins it. */

static void warn(da_environment *env, char *msg)
{
    if (da_strlist_contains(&env->warnings, msg))
        free(msg);
    else
        da_strlist_push_owned(&env->warnings, msg);
}

static void warn_unknown(da_environment *env, char *msg)
{
    if (da_strlist_contains(&env->unknowns, msg))
        free(msg);
    else
        da_strlist_push_owned(&env->unknowns, msg);
}

static da_resolved_dist *env_find(da_environment *env, const char *name)
{
    for (size_t i = 0; i < env->ndists; i++)
        if (strcmp(env->dists[i].name, name) == 0)
            return &env->dists[i];
    return NULL;
}

static da_resolved_dist *env_add(da_environment *env, const char *name)
{
    da_resolved_dist fresh = {0};
    DA_APPEND(env->dists, env->ndists, fresh);
    da_resolved_dist *d = &env->dists[env->ndists - 1];
    d->name = da_xstrdup(name);
    d->step = -1;
    return d;
}

static void env_remove(da_environment *env, da_resolved_dist *d)
{
    size_t i = (size_t)(d - env->dists);
    rs_dist_clear(d);
    memmove(&env->dists[i], &env->dists[i + 1], (env->ndists - i - 1) * sizeof(*d));
    env->ndists--;
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void add_reason(da_resolved_dist *d, const da_resolve_reason *r)
{
    for (size_t i = 0; i < d->nreasons; i++) {
        const da_resolve_reason *o = &d->reasons[i];
        if (o->kind == r->kind && same_str(o->requirement, r->requirement) &&
            same_str(o->file, r->file) && o->line == r->line && same_str(o->parent, r->parent) &&
            same_str(o->parent_version, r->parent_version) && same_str(o->extra, r->extra))
            return;
    }
    da_resolve_reason fresh = {0};
    DA_APPEND(d->reasons, d->nreasons, fresh);
    da_resolve_reason *n = &d->reasons[d->nreasons - 1];
    n->kind = r->kind;
    n->requirement = da_xstrdup_or_null(r->requirement);
    n->file = da_xstrdup_or_null(r->file);
    n->line = r->line;
    n->col = r->col;
    n->parent = da_xstrdup_or_null(r->parent);
    n->parent_version = da_xstrdup_or_null(r->parent_version);
    n->extra = da_xstrdup_or_null(r->extra);
    if (r->kind == DA_REASON_REQUESTED)
        d->requested = true;
}

static void add_extra(da_resolved_dist *d, const char *e)
{
    if (da_strlist_contains(&d->extras, e))
        return;
    da_strlist_push(&d->extras, e);
    for (size_t i = d->extras.len - 1;
         i > 0 && strcmp(d->extras.items[i - 1], d->extras.items[i]) > 0; i--) {
        char *t = d->extras.items[i];
        d->extras.items[i] = d->extras.items[i - 1];
        d->extras.items[i - 1] = t;
    }
}

/* ---- per-step bookkeeping ------------------------------------------------------------- */

static void step_reset(rs_ctx *c)
{
    for (size_t i = 0; i < c->nidents; i++) {
        free(c->idents[i].key);
        da_strlist_free(&c->idents[i].extras);
    }
    free(c->idents);
    c->idents = NULL;
    c->nidents = c->idents_cap = 0;
    free(c->depth);
    c->depth = NULL;
    free(c->user_order);
    c->user_order = NULL;
    for (size_t i = 0; i < c->ninfos; i++)
        rs_clauses_free(&c->infos[i]->clauses);
    free(c->infos);
    c->infos = NULL;
    c->ninfos = c->infos_cap = 0;
    for (size_t i = 0; i < c->nowned_reqs; i++)
        da_requirement_free(c->owned_reqs[i]);
    free(c->owned_reqs);
    c->owned_reqs = NULL;
    c->nowned_reqs = c->owned_reqs_cap = 0;
    free(c->constraints);
    c->constraints = NULL;
    c->nconstraints = 0;
    rs_arena_free(&c->arena);
    for (size_t i = 0; i < c->ninstalled; i++) {
        free(c->installed[i].name);
        free(c->installed[i].version);
    }
    free(c->installed);
    c->installed = NULL;
    c->ninstalled = 0;
}

static da_requirement *parse_located(rs_ctx *c, const da_resolve_req *r, da_error *err)
{
    da_error e;
    da_error_clear(&e);
    da_requirement *req = da_requirement_parse(r->text, &e);
    if (!req) {
        int col = r->col > 0 && e.col > 0 ? r->col + e.col - 1 : (r->col > 0 ? r->col : e.col);
        da_error_set(err, r->file ? r->file : "", r->line, col, "invalid requirement '%s': %s",
                     r->text, e.message);
        return NULL;
    }
    DA_PUSH(c->owned_reqs, c->nowned_reqs, c->owned_reqs_cap, req);
    return req;
}

static const char *version_filename(const rs_project *p, const rs_version *v)
{
    if (!p->proj || v->best_file < 0 || v->installed_only)
        return NULL;
    for (size_t i = 0; i < p->proj->nversions; i++)
        if (strcmp(p->proj->versions[i].version, v->str) == 0)
            return (size_t)v->best_file < p->proj->versions[i].nfiles
                       ? p->proj->versions[i].files[v->best_file].filename
                       : NULL;
    return NULL;
}

/* Writes what a successful resolution installs into the environment. */
static void apply_result(rs_ctx *c, const rs_state *st, int step_index)
{
    /* new or changed versions first, so reasons land on the final entries */
    for (size_t id = 0; id < c->nidents && id < st->cap; id++) {
        const rs_ident *ident = &c->idents[id];
        if (ident->extras.len || st->pin[id] < 0)
            continue;
        rs_project *p = &c->projects[ident->project];
        rs_version *v = &p->versions[st->pin[id]];
        da_resolved_dist *d = env_find(c->env, p->name);
        bool keep = d && !d->url && d->version && strcmp(d->version, v->str) == 0 &&
                    !(c->step && c->step->force_reinstall);
        if (keep)
            continue;
        if (!d)
            d = env_add(c->env, p->name);
        free(d->version);
        d->version = da_xstrdup(v->str);
        free(d->url);
        d->url = NULL;
        if (d->release)
            da_release_free(d->release);
        d->release = v->release ? da_release_copy(v->release) : NULL;
        free(d->filename);
        d->filename = da_xstrdup_or_null(version_filename(p, v));
        d->preinstalled = false;
        d->assumed = v->assumed;
        d->step = step_index;
    }
    for (size_t id = 0; id < c->nidents && id < st->cap; id++) {
        const rs_ident *ident = &c->idents[id];
        if (st->pin[id] < 0)
            continue;
        const rs_project *p = &c->projects[ident->project];
        da_resolved_dist *d = env_find(c->env, p->name);
        if (!d)
            continue;
        for (size_t k = 0; k < ident->extras.len; k++)
            add_extra(d, ident->extras.items[k]);
        for (const rs_node *n = st->crit[id]; n; n = n->next) {
            const rs_info *info = n->info;
            if (info->kind != RS_INFO_REQ)
                continue;
            da_resolve_reason r = {0};
            r.requirement = (char *)info->text;
            if (info->parent < 0) {
                r.kind = DA_REASON_REQUESTED;
                if (info->src) {
                    r.file = info->src->file;
                    r.line = info->src->line;
                    r.col = info->src->col;
                }
                add_reason(d, &r);
                continue;
            }
            if ((size_t)info->parent >= st->cap || st->pin[info->parent] != info->parent_version)
                continue; /* an edge from a version that was later replaced */
            const rs_ident *pid = &c->idents[info->parent];
            const rs_project *pp = &c->projects[pid->project];
            if (pid->project == ident->project)
                continue;
            r.kind = DA_REASON_REQUIRED_BY;
            r.parent = pp->name;
            r.parent_version = pp->versions[info->parent_version].str;
            r.extra = (char *)info->extra;
            add_reason(d, &r);
        }
    }
}

/* After a sync, only what this step pinned (and the base image's copies) remains. */
static void remove_unsynced(rs_ctx *c, const rs_state *st)
{
    for (size_t i = c->env->ndists; i-- > 0;) {
        da_resolved_dist *d = &c->env->dists[i];
        if (d->preinstalled || d->url)
            continue;
        bool pinned = false;
        for (size_t id = 0; id < c->nidents && id < st->cap && !pinned; id++)
            pinned =
                st->pin[id] >= 0 && strcmp(c->projects[c->idents[id].project].name, d->name) == 0;
        if (!pinned)
            env_remove(c->env, d);
    }
}

static void add_conflict(da_environment *env, int step, const da_resolve_step *s, char *name,
                         char *message)
{
    da_resolve_conflict k = {.step = step,
                             .file = da_xstrdup_or_null(s->file),
                             .line = s->line,
                             .name = name,
                             .message = message};
    DA_APPEND(env->conflicts, env->nconflicts, k);
}

static void add_url_dist(rs_ctx *c, const da_requirement *req, const da_resolve_req *src,
                         int step_index)
{
    da_resolved_dist *d = env_find(c->env, req->normalized);
    if (!d)
        d = env_add(c->env, req->normalized);
    free(d->version);
    d->version = da_xstrdup("");
    free(d->url);
    d->url = da_xstrdup(req->url);
    if (d->release)
        da_release_free(d->release);
    d->release = NULL;
    d->step = step_index;
    d->preinstalled = false;
    da_resolve_reason r = {.kind = DA_REASON_REQUESTED,
                           .requirement = src->text,
                           .file = src->file,
                           .line = src->line,
                           .col = src->col};
    add_reason(d, &r);
    warn(c->env, da_xasprintf("%s is installed from a direct URL: its version and "
                              "requirements are not resolved",
                              req->normalized));
}

static int install_step(rs_ctx *c, int step_index, int *conflicted, da_error *err)
{
    const da_resolve_step *s = c->step;
    for (size_t i = 0; i < c->env->ndists; i++) {
        const da_resolved_dist *d = &c->env->dists[i];
        if (d->url)
            continue;
        rs_installed was = {da_xstrdup(d->name), da_xstrdup(d->version)};
        DA_APPEND(c->installed, c->ninstalled, was);
    }
    size_t ccap = 0;
    for (size_t i = 0; i < s->nconstraints; i++) {
        da_requirement *req = parse_located(c, &s->constraints[i], err);
        if (!req)
            return -1;
        if (req->marker && da_marker_evaluate(req->marker, &c->marker_env, "") != 1)
            continue;
        rs_info *info = rs_info_new(c, RS_INFO_REQ, -1, req, s->constraints[i].text, err);
        if (!info)
            return -1;
        info->src = &s->constraints[i];
        DA_PUSH(c->constraints, c->nconstraints, ccap, info);
    }
    rs_info **roots = NULL;
    size_t nroots = 0, rcap = 0;
    int rc = -1;
    for (size_t i = 0; i < s->nreqs; i++) {
        const da_resolve_req *src = &s->reqs[i];
        da_requirement *req = parse_located(c, src, err);
        if (!req)
            goto done;
        if (req->marker && da_marker_evaluate(req->marker, &c->marker_env, "") != 1)
            continue; /* pip ignores a requirement whose markers do not match */
        if (req->url) {
            add_url_dist(c, req, src, step_index);
            continue;
        }
        int id = rs_ident_get(c, req->name, &req->extras, err);
        if (id < 0)
            goto done;
        if (c->user_order[id] < 0)
            c->user_order[id] = (int)i;
        rs_info *info = rs_info_new(c, RS_INFO_REQ, id, req, src->text, err);
        if (!info)
            goto done;
        info->src = src;
        DA_PUSH(roots, nroots, rcap, info);
    }
    rs_result res;
    if (rs_solve(c, roots, nroots, &res, err) < 0)
        goto done;
    if (res.ok) {
        apply_result(c, &res.final, step_index);
        if (s->sync)
            remove_unsynced(c, &res.final);
    } else {
        add_conflict(c->env, step_index, s, res.conflict_name, res.conflict);
        c->env->conflicts[c->env->nconflicts - 1].certain = res.certain;
        *conflicted = 1;
    }
    rs_state_free(&res.final);
    rc = 0;
done:
    free(roots);
    return rc;
}

static void uninstall_step(rs_ctx *c, const da_resolve_step *s)
{
    for (size_t i = 0; i < s->nreqs; i++) {
        da_requirement *req = da_requirement_parse(s->reqs[i].text, NULL);
        char *name = req ? da_xstrdup(req->normalized) : da_name_normalize(s->reqs[i].text);
        da_requirement_free(req);
        da_resolved_dist *d = env_find(c->env, name);
        if (d)
            env_remove(c->env, d);
        else
            warn(c->env, da_xasprintf("%s:%d: uninstall of %s, which is not installed",
                                      s->file ? s->file : "<command line>", s->line, name));
        free(name);
    }
}

static int add_preinstalled(rs_ctx *c)
{
    for (size_t i = 0; i < c->in->npreinstalled; i++) {
        const da_resolve_preinstalled *pi = &c->in->preinstalled[i];
        char *name = da_name_normalize(pi->name);
        da_resolved_dist *d = env_find(c->env, name);
        if (!d)
            d = env_add(c->env, name);
        free(d->version);
        d->version = da_xstrdup(pi->version);
        d->preinstalled = true;
        d->step = -1;
        da_release *r = NULL;
        /* The base image's copy is there whatever the metadata says: a source that cannot
         * describe it (offline, an assumed version) leaves a gap, not a failure. */
        da_error e;
        da_error_clear(&e);
        int rc = c->provider->get_release(c->provider->ctx, name, pi->version, &r, &e);
        if (d->release)
            da_release_free(d->release);
        d->release = rc == 0 ? r : NULL;
        if (rc != 0)
            warn(c->env,
                 da_xasprintf("no metadata for %s %s (preinstalled in the base image)%s%s", name,
                              pi->version, rc < 0 ? ": " : "", rc < 0 ? e.message : ""));
        da_resolve_reason reason = {
            .kind = DA_REASON_PREINSTALLED, .file = pi->file, .line = pi->line};
        add_reason(d, &reason);
        free(name);
    }
    return 0;
}

static const rs_project *project_named(const rs_ctx *c, const char *name)
{
    for (size_t i = 0; i < c->nprojects; i++)
        if (strcmp(c->projects[i].name, name) == 0)
            return &c->projects[i];
    return NULL;
}

/* What the resolution does not know about what it installs, and how sure its failures are:
 * env->unknowns and env->state. */
static void settle_state(rs_ctx *c)
{
    da_environment *env = c->env;
    for (size_t i = 0; i < env->ndists; i++) {
        const da_resolved_dist *d = &env->dists[i];
        const rs_project *p = d->url || d->preinstalled ? NULL : project_named(c, d->name);
        for (size_t k = 0; p && k < p->nversions; k++) {
            const rs_version *v = &p->versions[k];
            if (strcmp(v->str, d->version ? d->version : "") != 0 || !v->release_loaded)
                continue;
            char *line = rs_unknown_statement(p, v);
            if (line)
                warn_unknown(env, line);
            break;
        }
    }
    bool failed = false;
    for (size_t i = 0; i < env->nconflicts; i++) {
        const da_resolve_conflict *k = &env->conflicts[i];
        failed = failed || k->certain;
        if (!k->certain)
            warn_unknown(env,
                         da_xasprintf("the install at %s:%d could not be settled with the "
                                      "metadata at hand (pip may well succeed): %s",
                                      k->file ? k->file : "<command line>", k->line, k->message));
    }
    env->state = failed              ? DA_RESOLUTION_FAILED
                 : env->unknowns.len ? DA_RESOLUTION_PARTIAL
                                     : DA_RESOLUTION_COMPLETE;
}

const char *da_resolution_state_name(da_resolution_state s)
{
    switch (s) {
    case DA_RESOLUTION_COMPLETE:
        return "complete";
    case DA_RESOLUTION_PARTIAL:
        return "partial";
    case DA_RESOLUTION_FAILED:
        return "failed";
    }
    return "partial";
}

static int cmp_dist(const void *a, const void *b)
{
    return strcmp(((const da_resolved_dist *)a)->name, ((const da_resolved_dist *)b)->name);
}

int da_resolve(const da_resolve_input *in, const da_provider *provider, da_environment *env,
               da_error *err)
{
    memset(env, 0, sizeof(*env));
    rs_ctx c;
    memset(&c, 0, sizeof(c));
    c.in = in;
    c.provider = provider;
    c.env = env;
    da_marker_env_from_target(&c.marker_env, &in->target);
    snprintf(c.python_full, sizeof(c.python_full), "%d.%d.%d", in->target.py_major,
             in->target.py_minor, in->target.py_micro < 0 ? 0 : in->target.py_micro);
    c.step_index = -1;
    da_target_supported_tags(&in->target, &c.supported_tags);
    for (size_t i = 0; i < in->notes.len; i++)
        warn(env, da_xstrdup(in->notes.items[i]));
    int rc = add_preinstalled(&c);
    int conflicted = 0;
    for (size_t i = 0; rc == 0 && i < in->nsteps; i++) {
        c.step_index = (int)i;
        c.step = &in->steps[i];
        if (c.step->kind == DA_STEP_UNINSTALL)
            uninstall_step(&c, c.step);
        else if (c.step->locked)
            rs_locked_step(&c, (int)i);
        else
            rc = install_step(&c, (int)i, &conflicted, err);
        step_reset(&c);
    }
    step_reset(&c);
    if (c.files_unknown.len) {
        /* one line for all of them: with the offline snapshot it is most distributions */
        da_buf b = {0};
        da_buf_puts(&b, "files unknown (the metadata source lists versions only), assumed "
                        "installable for the target: ");
        for (size_t i = 0; i < c.files_unknown.len; i++)
            da_buf_printf(&b, "%s%s", i ? ", " : "", c.files_unknown.items[i]);
        warn(env, da_buf_take(&b));
    }
    da_strlist_free(&c.files_unknown);
    settle_state(&c);
    rs_projects_free(&c);
    da_strlist_free(&c.supported_tags);
    if (env->ndists > 1)
        qsort(env->dists, env->ndists, sizeof(*env->dists), cmp_dist);
    if (rc < 0)
        return -1;
    return conflicted ? 1 : 0;
}

/* For the other parts of the resolver (locked.c): the environment's entries and reasons. */
da_resolved_dist *rs_env_find(da_environment *env, const char *name)
{
    return env_find(env, name);
}

da_resolved_dist *rs_env_add(da_environment *env, const char *name)
{
    return env_add(env, name);
}

void rs_add_reason(da_resolved_dist *d, const da_resolve_reason *r)
{
    add_reason(d, r);
}

void rs_warn(da_environment *env, char *msg)
{
    warn(env, msg);
}

void rs_env_remove(da_environment *env, da_resolved_dist *d)
{
    env_remove(env, d);
}
