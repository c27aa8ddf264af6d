/* Requested distributions that are not the project's own choice: dependencies of another
 * installed distribution pinned alongside it, and the pins of a lock, compile or freeze
 * output. Neither is "unused" (DA004) when no code imports it: it is there because
 * something else needs it, and removing it changes nothing or breaks that. */
#include "audit_checks.h"

#include "depaudit/pep.h"

#include <stdlib.h>
#include <string.h>

/* Whether a requirement of d applies in the image: its marker true for the image's
 * target, with no extra or with one d is installed with; a marker that cannot be evaluated
 * counts (the question is only whether the pin may be there for d). */
static bool applies(const da_requirement *r, const audit_dist *d, const da_marker_env *env)
{
    if (!r->marker || da_marker_evaluate(r->marker, env, "") != 0)
        return true;
    const da_strlist *extras = d->resolved ? &d->resolved->extras : NULL;
    for (size_t i = 0; extras && i < extras->len; i++)
        if (da_marker_evaluate(r->marker, env, extras->items[i]) != 0)
            return true;
    return false;
}

/* The first other distribution of the image whose requirements (those that apply) name
 * `name`, or NULL. */
const char *audit_required_by(const audit_ctx *c, const char *name)
{
    da_marker_env env;
    da_target t;
    da_target_init(&t, c->py_major, c->py_minor, -1);
    da_marker_env_from_target(&env, c->in->plan ? &c->in->plan->target : &t);
    for (size_t i = 0; i < c->img.len; i++) {
        const audit_dist *d = &c->img.dists[i];
        if (strcmp(d->name, name) == 0 || !d->release)
            continue;
        for (size_t k = 0; k < d->release->requires_dist.len; k++) {
            da_requirement *r = da_requirement_parse(d->release->requires_dist.items[k], NULL);
            bool hit = r && strcmp(r->normalized, name) == 0 && applies(r, d, &env);
            da_requirement_free(r);
            if (hit)
                return d->name;
        }
    }
    return NULL;
}

static bool exact_pin(const da_plan_requirement *r)
{
    const char *s = r->parsed ? r->parsed->specifier_text : NULL;
    return s && strncmp(s + strspn(s, " "), "==", 2) == 0 && !strchr(s, ',') && !strchr(s, '*');
}

/* A requirements file that is the output of pip freeze or pip-compile: pip-compile writes
 * `# via` annotations; pip freeze writes only exact pins, sorted by name. (The install
 * plan is to mark such lists itself; until it does, this reads them.) */
static bool pinned_output(const da_install_plan *p, size_t list)
{
    const da_req_list *L = &p->lists[list];
    if (L->origin == DA_ORIGIN_LOCKFILE)
        return true;
    if (L->origin != DA_ORIGIN_REQUIREMENTS || L->count < 5)
        return false;
    char *text = NULL;
    size_t len = 0;
    bool via = da_read_file(L->file, &text, &len, NULL) == 0 && text &&
               (strstr(text, "# via") || strstr(text, "#   via"));
    free(text);
    if (via)
        return true;
    const char *prev = NULL;
    bool sorted = true;
    size_t n = 0;
    for (size_t k = 0; k < p->nfinal_ops; k++) {
        const da_install_op *op = &p->ops[p->final_ops[k]];
        for (size_t j = 0; j < op->nreqs; j++) {
            const da_plan_requirement *r = &op->reqs[j];
            if (r->list != list || r->kind != DA_REQ_NAMED || !r->parsed)
                continue;
            if (!exact_pin(r))
                return false;
            if (prev && strcmp(prev, r->parsed->normalized) > 0)
                sorted = false;
            prev = r->parsed->normalized;
            n++;
        }
    }
    return sorted && n >= 5;
}

char *audit_pinned_by_output(const audit_ctx *c, const char *name)
{
    const da_install_plan *p = c->in->plan;
    for (size_t i = 0; p && i < p->nmerged; i++) {
        if (strcmp(p->merged[i].name, name) != 0)
            continue;
        for (size_t k = 0; k < p->merged[i].noccurrences; k++) {
            const da_plan_requirement *r = p->merged[i].occurrences[k];
            if (r->list < p->nlists && pinned_output(p, r->list)) {
                char *file = da_audit_display_path(NULL, p->lists[r->list].file, c->cwd);
                char *why = da_xasprintf("pinned by the lock, compile or freeze output %s", file);
                free(file);
                return why;
            }
        }
    }
    return NULL;
}
