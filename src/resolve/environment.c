#include "resolver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reason_free(da_resolve_reason *r)
{
    free(r->requirement);
    free(r->file);
    free(r->parent);
    free(r->parent_version);
    free(r->extra);
}

void rs_dist_clear(da_resolved_dist *d)
{
    free(d->name);
    free(d->version);
    free(d->url);
    if (d->release)
        da_release_free(d->release);
    free(d->filename);
    da_strlist_free(&d->extras);
    for (size_t j = 0; j < d->nreasons; j++)
        reason_free(&d->reasons[j]);
    free(d->reasons);
    memset(d, 0, sizeof(*d));
}

void da_environment_free(da_environment *env)
{
    if (!env)
        return;
    for (size_t i = 0; i < env->ndists; i++)
        rs_dist_clear(&env->dists[i]);
    free(env->dists);
    for (size_t i = 0; i < env->nconflicts; i++) {
        free(env->conflicts[i].file);
        free(env->conflicts[i].name);
        free(env->conflicts[i].message);
    }
    free(env->conflicts);
    da_strlist_free(&env->warnings);
    da_strlist_free(&env->unknowns);
    memset(env, 0, sizeof(*env));
}

const da_resolved_dist *da_environment_find(const da_environment *env, const char *name)
{
    for (size_t i = 0; i < env->ndists; i++)
        if (strcmp(env->dists[i].name, name) == 0)
            return &env->dists[i];
    return NULL;
}

char *da_resolve_reason_format(const da_resolve_reason *r)
{
    da_buf b = {0};
    switch (r->kind) {
    case DA_REASON_REQUESTED:
        da_buf_printf(&b, "requested as %s", r->requirement ? r->requirement : "?");
        if (r->file && r->line > 0)
            da_buf_printf(&b, " at %s:%d", r->file, r->line);
        else if (r->file)
            da_buf_printf(&b, " in %s", r->file);
        else
            da_buf_puts(&b, " on the command line");
        break;
    case DA_REASON_REQUIRED_BY:
        da_buf_printf(&b, "required by %s", r->parent ? r->parent : "?");
        if (!r->parent_version || *r->parent_version) /* "": a version nothing names */
            da_buf_printf(&b, " %s", r->parent_version ? r->parent_version : "?");
        if (r->extra)
            da_buf_printf(&b, " (extra %s)", r->extra);
        if (r->requirement)
            da_buf_printf(&b, " as %s", r->requirement);
        break;
    case DA_REASON_PREINSTALLED:
        da_buf_puts(&b, "preinstalled in the base image");
        if (r->file && r->line > 0)
            da_buf_printf(&b, " (%s:%d)", r->file, r->line);
        break;
    }
    return da_buf_take(&b);
}

void da_environment_format_text(const da_environment *env, da_buf *out)
{
    for (size_t i = 0; i < env->ndists; i++) {
        const da_resolved_dist *d = &env->dists[i];
        if (d->url)
            da_buf_printf(out, "%s @ %s\n", d->name, d->url);
        else if (d->assumed && !*d->version)
            da_buf_printf(out, "%s (version unknown)\n", d->name);
        else
            da_buf_printf(out, "%s==%s%s\n", d->name, d->version,
                          d->assumed ? " (assumed: not a version the metadata lists)" : "");
        for (size_t j = 0; j < d->nreasons; j++) {
            char *s = da_resolve_reason_format(&d->reasons[j]);
            da_buf_printf(out, "    %s\n", s);
            free(s);
        }
    }
    for (size_t i = 0; i < env->nconflicts; i++) {
        const da_resolve_conflict *c = &env->conflicts[i];
        if (!c->certain)
            continue; /* listed among the unknowns */
        if (c->file && c->line > 0)
            da_buf_printf(out, "conflict: %s:%d: %s\n", c->file, c->line, c->message);
        else
            da_buf_printf(out, "conflict: %s\n", c->message);
    }
    if (env->state != DA_RESOLUTION_COMPLETE)
        da_buf_printf(out, "resolution: %s\n", da_resolution_state_name(env->state));
    for (size_t i = 0; i < env->unknowns.len; i++)
        da_buf_printf(out, "unknown: %s\n", env->unknowns.items[i]);
    for (size_t i = 0; i < env->warnings.len; i++)
        da_buf_printf(out, "warning: %s\n", env->warnings.items[i]);
}
