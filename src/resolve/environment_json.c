#include "depaudit/resolve.h"

#include "depaudit/util_json.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

static const char *reason_kind(da_reason_kind k)
{
    switch (k) {
    case DA_REASON_REQUESTED:
        return "requested";
    case DA_REASON_REQUIRED_BY:
        return "required-by";
    case DA_REASON_PREINSTALLED:
        return "preinstalled";
    }
    return "unknown";
}

static cJSON *reason_json(const da_resolve_reason *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kind", reason_kind(r->kind));
    cJSON_AddItemToObject(o, "requirement", da_json_string_or_null(r->requirement));
    if (r->kind != DA_REASON_REQUIRED_BY) {
        cJSON_AddItemToObject(o, "file", da_json_string_or_null(r->file));
        cJSON_AddNumberToObject(o, "line", r->line);
        cJSON_AddNumberToObject(o, "col", r->col);
    } else {
        cJSON_AddItemToObject(o, "parent", da_json_string_or_null(r->parent));
        cJSON_AddItemToObject(o, "parent_version", da_json_string_or_null(r->parent_version));
        cJSON_AddItemToObject(o, "extra", da_json_string_or_null(r->extra));
    }
    char *text = da_resolve_reason_format(r);
    cJSON_AddStringToObject(o, "text", text);
    free(text);
    return o;
}

char *da_environment_to_json(const da_environment *env)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *dists = cJSON_AddArrayToObject(root, "distributions");
    for (size_t i = 0; i < env->ndists; i++) {
        const da_resolved_dist *d = &env->dists[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", d->name);
        cJSON_AddStringToObject(o, "version", d->version ? d->version : "");
        cJSON_AddBoolToObject(o, "assumed", d->assumed);
        if (d->url)
            cJSON_AddStringToObject(o, "url", d->url);
        cJSON_AddItemToObject(o, "filename", da_json_string_or_null(d->filename));
        cJSON_AddBoolToObject(o, "requested", d->requested);
        cJSON_AddBoolToObject(o, "preinstalled", d->preinstalled);
        cJSON_AddNumberToObject(o, "step", d->step);
        cJSON_AddItemToObject(o, "extras", da_json_strlist(&d->extras));
        cJSON *reasons = cJSON_AddArrayToObject(o, "reasons");
        for (size_t j = 0; j < d->nreasons; j++)
            cJSON_AddItemToArray(reasons, reason_json(&d->reasons[j]));
        if (d->release) {
            cJSON_AddStringToObject(o, "source", da_source_kind_name(d->release->source));
            cJSON_AddBoolToObject(o, "requires_known", d->release->requires_known);
            cJSON_AddItemToObject(o, "requires_dist", da_json_strlist(&d->release->requires_dist));
            cJSON_AddBoolToObject(o, "modules_known", d->release->modules_known);
            cJSON_AddItemToObject(o, "modules", da_json_strlist(&d->release->modules));
            cJSON_AddItemToObject(o, "namespaces", da_json_strlist(&d->release->namespaces));
        } else {
            cJSON_AddNullToObject(o, "source");
        }
        cJSON_AddItemToArray(dists, o);
    }
    cJSON *conflicts = cJSON_AddArrayToObject(root, "conflicts");
    for (size_t i = 0; i < env->nconflicts; i++) {
        const da_resolve_conflict *c = &env->conflicts[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "step", c->step);
        cJSON_AddItemToObject(o, "file", da_json_string_or_null(c->file));
        cJSON_AddNumberToObject(o, "line", c->line);
        cJSON_AddItemToObject(o, "name", da_json_string_or_null(c->name));
        cJSON_AddStringToObject(o, "message", c->message);
        cJSON_AddBoolToObject(o, "certain", c->certain);
        cJSON_AddItemToArray(conflicts, o);
    }
    cJSON_AddStringToObject(root, "state", da_resolution_state_name(env->state));
    cJSON_AddItemToObject(root, "unknowns", da_json_strlist(&env->unknowns));
    cJSON_AddItemToObject(root, "warnings", da_json_strlist(&env->warnings));
    cJSON *stats = cJSON_AddObjectToObject(root, "statistics");
    cJSON_AddNumberToObject(stats, "projects_fetched", (double)env->projects_fetched);
    cJSON_AddNumberToObject(stats, "releases_fetched", (double)env->releases_fetched);
    cJSON_AddNumberToObject(stats, "rounds", (double)env->rounds);
    cJSON_AddNumberToObject(stats, "backtracks", (double)env->backtracks);
    char *out = cJSON_Print(root);
    cJSON_Delete(root);
    char *copy = da_xstrdup(out ? out : "{}");
    free(out);
    return copy;
}
