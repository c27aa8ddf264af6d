/* Checks on what the image installs: DA004 unused, DA005 stdlib-shadow, DA006 unknown
 * distribution, DA010 dev tools in production. */
#include "audit_checks.h"
#include "usage_facts.h"

#include <stdlib.h>
#include <string.h>

/* The top-level importable names of a distribution (its modules' first components, or
 * its name as a module when the file list is unknown). */
static void top_levels(const audit_dist *d, da_strlist *out)
{
    if (d->release && d->release->modules_known) {
        for (size_t i = 0; i < d->release->modules.len; i++) {
            const char *m = d->release->modules.items[i];
            const char *dot = strchr(m, '.');
            char *top = dot ? da_xstrndup(m, (size_t)(dot - m)) : da_xstrdup(m);
            if (!da_strlist_contains(out, top))
                da_strlist_push(out, top);
            free(top);
        }
        return;
    }
    char *m = da_xstrdup(d->name);
    for (char *p = m; *p; p++)
        if (*p == '-')
            *p = '_';
    da_strlist_push_owned(out, m);
}

static int line_of(const char *text, const char *at)
{
    int line = 1;
    for (const char *p = text; p < at; p++)
        line += *p == '\n';
    return line;
}

/* A use that is not an import: a database URL naming its driver, or a dotted path in a
 * string ("uvicorn.workers.UvicornWorker"); in the sources or the image's ENV. */
static char *used_in_text(audit_ctx *c, const audit_dist *d)
{
    for (size_t i = 0; i < c->nsources; i++) {
        const char *at = NULL;
        const char *scheme = audit_url_driver_in(c->sources[i], d->name, &at);
        if (scheme) {
            const char *end = strstr(at, "://");
            char *file = da_audit_display_path(NULL, c->source_paths[i], c->cwd);
            char *why = da_xasprintf("the driver of `%.*s://` at %s:%d", (int)(end - at), at, file,
                                     line_of(c->sources[i], at));
            free(file);
            return why;
        }
    }
    const da_install_plan *p = c->in->plan;
    for (size_t i = 0; p && i < p->nenv; i++) {
        const char *at = NULL;
        if (p->env[i].value && audit_url_driver_in(p->env[i].value, d->name, &at)) {
            const char *end = strstr(at, "://");
            return da_xasprintf("the driver of `%.*s://` in ENV %s", (int)(end - at), at,
                                p->env[i].name);
        }
    }
    da_strlist tops = {0};
    top_levels(d, &tops);
    char *why = NULL;
    for (size_t t = 0; t < tops.len && !why; t++) {
        for (size_t i = 0; i < c->nsources && !why; i++) {
            for (const char *q = "\"'"; *q && !why; q++) {
                char *needle = da_xasprintf("%c%s.", *q, tops.items[t]);
                const char *at = strstr(c->sources[i], needle);
                free(needle);
                if (at) {
                    char *file = da_audit_display_path(NULL, c->source_paths[i], c->cwd);
                    why = da_xasprintf("named in a string at %s:%d", file,
                                       line_of(c->sources[i], at));
                    free(file);
                }
            }
        }
    }
    da_strlist_free(&tops);
    return why;
}

static bool reported(const audit_ctx *c, da_code code, const char *dist)
{
    for (size_t i = 0; i < c->out->len; i++)
        if (c->out->items[i].code == code && c->out->items[i].dist &&
            strcmp(c->out->items[i].dist, dist) == 0)
            return true;
    return false;
}

/* Whether some import the audit could not settle (DA012) may be this distribution's. */
static bool unverified_candidate(const audit_ctx *c, const char *dist)
{
    for (size_t i = 0; i < c->out->len; i++) {
        const da_finding *x = &c->out->items[i];
        for (size_t k = 0; x->code == DA012_UNVERIFIED && k < x->ncandidates; k++)
            if (strcmp(x->candidates[k].dist, dist) == 0)
                return true;
    }
    return false;
}

/* Why a requested distribution no code imports is still not unused, or NULL (malloc'd). */
static char *why_not_unused(audit_ctx *c, size_t i)
{
    const audit_dist *d = &c->img.dists[i];
    if (c->used_because[i])
        return da_xstrdup(c->used_because[i]);
    if (audit_used_without_import(d->name))
        return da_xstrdup(audit_used_without_import(d->name));
    char *because = used_in_text(c, d);
    if (because)
        return because;
    if (d->release && d->release->modules_known && d->release->modules.len == 0 &&
        d->release->namespaces.len == 0)
        return da_xstrdup("it ships no importable modules (a tool or meta-package)");
    const char *parent = audit_required_by(c, d->name);
    if (parent)
        return da_xasprintf("it is a dependency of %s, pinned alongside it", parent);
    return audit_pinned_by_output(c, d->name);
}

static void check_unused(audit_ctx *c, size_t i)
{
    const audit_dist *d = &c->img.dists[i];
    if (!d->requested || d->preinstalled || c->used[i] || audit_is_dev_tool(d->name))
        return;
    /* a backport is DA005's, a name that does not exist DA006's: neither is "unused" */
    if (reported(c, DA005_STDLIB_SHADOW, d->name) ||
        reported(c, DA006_UNKNOWN_DISTRIBUTION, d->name))
        return;
    char *because = why_not_unused(c, i);
    bool modules_known = audit_dist_modules_known(d);
    if (!because && !modules_known && unverified_candidate(c, d->name))
        because = da_xstrdup("its modules are unknown, and an import the audit could not settle "
                             "(DA012) may be one of them");
    if (because) {
        da_strlist_push_owned(&c->out->notes,
                              da_xasprintf("%s is not imported but is used: %s", d->name, because));
        free(because);
        return;
    }
    if (audit_suppressed(c, DA004_UNUSED, NULL, NULL))
        return;
    char *file = NULL;
    int line = 0, col = 0;
    if (!audit_requested_at(c, d->name, &file, &line, &col))
        file = da_xstrdup(c->in->plan ? c->in->plan->dockerfile : "");
    da_finding *x = audit_add_finding(c->out, DA004_UNUSED, file, line, col);
    free(file);
    x->dist = da_xstrdup(d->name);
    da_buf m = {0};
    da_buf_printf(&m, "%s is requested but no code imports it", d->name);
    if (modules_known) {
        da_strlist tops = {0};
        top_levels(d, &tops);
        da_buf_puts(&m, tops.len ? " (modules: " : " (no modules");
        for (size_t k = 0; k < tops.len && k < 4; k++)
            da_buf_printf(&m, "%s%s", k ? ", " : "", tops.items[k]);
        da_buf_puts(&m, ")");
        da_strlist_free(&tops);
    } else {
        /* a module list guessed from the name is no fact to show */
        da_buf_puts(&m, " (its modules are unknown)");
        x->certainty = DA_CERTAINTY_UNVERIFIED;
    }
    da_buf_puts(&m, " and nothing else visibly uses it (command line, worker class, database "
                    "URL driver, plugin, stubs)");
    for (size_t k = 0; k < c->deps_unknown.len; k++) {
        const char *who = c->deps_unknown.items[k];
        size_t n = strlen(d->name);
        if (strncmp(who, d->name, n) == 0 && (who[n] == ' ' || who[n] == '\0'))
            continue;
        /* it may be there for a distribution whose requirements nobody can see */
        da_buf_printf(&m, "; it may be a dependency of %s, whose requirements are unknown", who);
        x->certainty = DA_CERTAINTY_UNVERIFIED;
        break;
    }
    x->message = da_buf_take(&m);
}

static void check_shadow(audit_ctx *c, size_t i)
{
    const audit_dist *d = &c->img.dists[i];
    const da_audit_lookup *lk = c->in->lookup;
    if (!lk || !lk->is_stdlib || d->preinstalled || (!d->requested && !d->resolved))
        return;
    if (strcmp(d->name, "pip") == 0 || strcmp(d->name, "setuptools") == 0)
        return;
    da_strlist tops = {0};
    top_levels(d, &tops);
    bool all = tops.len > 0;
    for (size_t k = 0; k < tops.len && all; k++)
        all = lk->is_stdlib(lk->ctx, c->py_major, c->py_minor, tops.items[k]);
    if (all && !audit_suppressed(c, DA005_STDLIB_SHADOW, NULL, NULL)) {
        char *file = NULL;
        int line = 0, col = 0;
        if (!audit_requested_at(c, d->name, &file, &line, &col))
            file = da_xstrdup(c->in->plan ? c->in->plan->dockerfile : "");
        da_finding *x = audit_add_finding(c->out, DA005_STDLIB_SHADOW, file, line, col);
        free(file);
        x->dist = da_xstrdup(d->name);
        if (!audit_dist_modules_known(d))
            x->certainty = DA_CERTAINTY_UNVERIFIED; /* its module read from its name */
        audit_finding_set_message(x,
                                  "%s installs `%s`, which the Python %d.%d standard library "
                                  "already provides; the backport is dead weight at best and "
                                  "shadows the standard module at worst: remove it",
                                  d->name, tops.items[0], c->py_major, c->py_minor);
    }
    da_strlist_free(&tops);
}

static bool private_index_for(const audit_ctx *c, const char *name)
{
    const da_install_plan *p = c->in->plan;
    for (size_t k = 0; p && k < p->nfinal_ops; k++) {
        const da_install_op *op = &p->ops[p->final_ops[k]];
        if (!op->index_url && op->extra_index_urls.len == 0 && op->find_links.len == 0)
            continue;
        for (size_t j = 0; j < op->nreqs; j++)
            if (op->reqs[j].parsed && strcmp(op->reqs[j].parsed->normalized, name) == 0)
                return true;
    }
    return false;
}

static void check_unknown(audit_ctx *c, size_t i)
{
    const audit_dist *d = &c->img.dists[i];
    const da_audit_lookup *lk = c->in->lookup;
    if (!d->requested || !lk || !lk->name_exists || lk->name_exists(lk->ctx, d->name))
        return;
    /* an index or cache answered for it: it exists there */
    if (d->release &&
        (d->release->source == DA_SOURCE_INDEX || d->release->source == DA_SOURCE_CACHE ||
         d->release->source == DA_SOURCE_SITE_PACKAGES))
        return;
    if (audit_suppressed(c, DA006_UNKNOWN_DISTRIBUTION, NULL, NULL))
        return;
    char *file = NULL;
    int line = 0, col = 0;
    if (!audit_requested_at(c, d->name, &file, &line, &col))
        file = da_xstrdup(c->in->plan ? c->in->plan->dockerfile : "");
    da_finding *x = audit_add_finding(c->out, DA006_UNKNOWN_DISTRIBUTION, file, line, col);
    free(file);
    x->dist = da_xstrdup(d->name);
    if (lk->closest_names)
        lk->closest_names(lk->ctx, d->name, &x->related, 3);
    bool private_index = private_index_for(c, d->name);
    if (private_index)
        x->severity = DA_SEVERITY_WARNING;
    da_buf m = {0};
    da_buf_printf(&m, "%s is not a name the package index or the snapshot knows", d->name);
    if (private_index)
        da_buf_puts(&m, " (it is installed with another index or --find-links: a private "
                        "package?)");
    if (x->related.len) {
        da_buf_puts(&m, "; did you mean ");
        for (size_t k = 0; k < x->related.len; k++)
            da_buf_printf(&m, "%s%s", k ? (k + 1 == x->related.len ? " or " : ", ") : "",
                          x->related.items[k]);
        da_buf_puts(&m, "?");
    }
    x->message = da_buf_take(&m);
}

static void check_dev_tool(audit_ctx *c, size_t i)
{
    const audit_dist *d = &c->img.dists[i];
    if (!d->requested || !audit_is_dev_tool(d->name) ||
        audit_suppressed(c, DA010_DEV_IN_PRODUCTION, NULL, NULL))
        return;
    char *file = NULL;
    int line = 0, col = 0;
    if (!audit_requested_at(c, d->name, &file, &line, &col))
        file = da_xstrdup(c->in->plan ? c->in->plan->dockerfile : "");
    da_finding *x = audit_add_finding(c->out, DA010_DEV_IN_PRODUCTION, file, line, col);
    free(file);
    x->dist = da_xstrdup(d->name);
    audit_finding_set_message(x,
                              "%s is a test/lint tool installed in the final image; install "
                              "it in a test stage or from a dev requirements file instead",
                              d->name);
}

void audit_check_installed(audit_ctx *c)
{
    for (size_t i = 0; i < c->img.len; i++) {
        check_unknown(c, i);
        check_shadow(c, i);
        check_dev_tool(c, i);
        check_unused(c, i);
    }
}
