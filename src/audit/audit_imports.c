/* DA001, DA002, DA003 and DA009: every import judged against the image. */
#include "audit_checks.h"
#include "usage_facts.h"

#include <stdlib.h>
#include <string.h>

/* Whether an import record can succeed in the image, without regard to its guard.
 * For `from ns import a, b` on a namespace package the names must be submodules; the
 * first one that is not is returned in *missing_name. */
static bool record_satisfied(audit_ctx *c, const da_import *r, const audit_dist **by, bool *guess,
                             const char **missing_name)
{
    *by = NULL;
    *guess = false;
    if (missing_name)
        *missing_name = NULL;
    if (r->klass == DA_CLASS_STDLIB || r->klass == DA_CLASS_FUTURE ||
        r->klass == DA_CLASS_FIRST_PARTY || r->klass == DA_CLASS_RELATIVE)
        return true;
    audit_provision p = audit_image_provides(&c->img, r->module, by, guess);
    if (p == AUDIT_PROVIDED)
        return true;
    if (p == AUDIT_MISSING)
        return false;
    if (r->kind != DA_IMPORT_KIND_FROM)
        return true; /* `import ns` of a namespace package works */
    for (size_t k = 0; k < r->names.len; k++) {
        char *sub = da_xasprintf("%s.%s", r->module, r->names.items[k]);
        bool g = false;
        const audit_dist *d = NULL;
        audit_provision q = audit_image_provides(&c->img, sub, &d, &g);
        free(sub);
        if (q == AUDIT_MISSING) {
            if (missing_name)
                *missing_name = r->names.items[k];
            return false;
        }
        if (d && !*by) {
            *by = d;
            *guess = g;
        }
    }
    return true;
}

/* The module whose providers matter: "ns.name" for a from-import on a namespace. */
static char *wanted_module(const da_import *r, const char *missing_name)
{
    return missing_name ? da_xasprintf("%s.%s", r->module, missing_name) : da_xstrdup(r->module);
}

/* Who could provide `module`: the configuration, the metadata's module table, then the
 * top-level name if it is a real distribution name (a guess, and labelled so). */
static void add_candidates(audit_ctx *c, da_finding *x, const char *module)
{
    const da_strlist *maps = c->config ? &c->config->mappings : NULL;
    for (size_t i = 0; maps && i < maps->len; i++) {
        const char *eq = strchr(maps->items[i], '=');
        if (!eq)
            continue;
        char *mod = da_xstrndup(maps->items[i], (size_t)(eq - maps->items[i]));
        size_t n = strlen(mod);
        if (strncmp(module, mod, n) == 0 && (module[n] == '\0' || module[n] == '.')) {
            char *norm = audit_normalize(eq + 1);
            audit_finding_add_candidate(x, norm, DA_BASIS_CONFIG);
            free(norm);
        }
        free(mod);
    }
    const da_audit_lookup *lk = c->in->lookup;
    if (lk && lk->which) {
        da_strlist dists = {0};
        lk->which(lk->ctx, module, &dists);
        for (size_t i = 0; i < dists.len; i++) {
            char *norm = audit_normalize(dists.items[i]);
            audit_finding_add_candidate(x, norm, DA_BASIS_SNAPSHOT);
            free(norm);
        }
        da_strlist_free(&dists);
    }
    /* the longest dotted prefix that is a real name: google.cloud.storage ->
     * google-cloud-storage before google */
    if (x->ncandidates == 0 && lk && lk->name_exists) {
        char *name = da_xstrdup(module);
        for (;;) {
            char *norm = audit_normalize(name);
            bool hit = lk->name_exists(lk->ctx, norm);
            if (hit) {
                audit_finding_add_candidate(x, norm, DA_BASIS_NAME);
                x->guess = true;
                c->out->guesses++;
            }
            free(norm);
            char *dot = strrchr(name, '.');
            if (hit || !dot)
                break;
            *dot = '\0';
        }
        free(name);
    }
}

static bool fix_already_given(const da_findings *f, const char *dist)
{
    for (size_t i = 0; i < f->len; i++)
        if (f->items[i].fix && f->items[i].candidates &&
            strcmp(f->items[i].candidates[0].dist, dist) == 0)
            return true;
    return false;
}

static void describe_candidates(da_buf *b, const da_finding *x)
{
    if (x->ncandidates == 0) {
        da_buf_puts(b, "; no known distribution provides it");
        return;
    }
    da_buf_puts(b, "; provided by ");
    for (size_t i = 0; i < x->ncandidates && i < 3; i++)
        da_buf_printf(b, "%s%s (%s)", i ? ", " : "", x->candidates[i].dist,
                      da_basis_name(x->candidates[i].basis));
    if (x->ncandidates > 3)
        da_buf_printf(b, " and %zu more", x->ncandidates - 3);
}

void audit_report_missing(audit_ctx *c, size_t i, da_code code, const char *missing_name,
                          const char *why_guarded)
{
    const da_import *r = &c->in->imports->items[i];
    char *module = wanted_module(r, missing_name);
    if (audit_suppressed(c, code, r, module)) {
        free(module);
        return;
    }
    char *path = da_audit_display_path(r->root, r->file, c->cwd);
    da_finding *x = audit_add_finding(c->out, code, path, r->line, r->col);
    free(path);
    x->module = module;
    /* `from google.cloud import storage`: who provides google.cloud.storage says more
     * than who contributes to the google.cloud namespace */
    if (!missing_name && r->kind == DA_IMPORT_KIND_FROM && r->names.len > 0 &&
        strcmp(r->names.items[0], "*") != 0 && *r->module) {
        char *sub = da_xasprintf("%s.%s", r->module, r->names.items[0]);
        add_candidates(c, x, sub);
        free(sub);
    }
    add_candidates(c, x, module);
    char *first = audit_first_missing(&c->img, r->module);
    if (missing_name)
        x->python_error =
            da_xasprintf("ImportError: cannot import name '%s' from '%s' (unknown location)",
                         missing_name, r->module);
    else if (first)
        x->python_error = da_xasprintf("ModuleNotFoundError: No module named '%s'", first);
    free(first);
    if (code == DA001_MISSING)
        x->boot_path = audit_graph_boot_chain(c->graph, i, c->cwd, &x->chain, &x->nchain);
    da_buf m = {0};
    da_buf_printf(&m, "`%s` is not provided by anything in the image", module);
    describe_candidates(&m, x);
    if (why_guarded)
        da_buf_printf(&m, "; %s", why_guarded);
    if (code == DA001_MISSING) {
        if (x->boot_path)
            da_buf_puts(&m, "; the container crashes at start-up");
        else if (r->scope == DA_SCOPE_FUNCTION)
            da_buf_puts(&m, "; fails when the function that imports it first runs");
        else
            da_buf_puts(&m, "; fails when this module is first imported (not at start-up)");
    }
    if (c->partial_env) {
        da_buf_puts(&m, " (judged against the requested distributions and their dependencies "
                        "as the metadata lists them: pip's resolution could not be reproduced)");
        x->certainty = DA_CERTAINTY_APPROXIMATE;
    }
    x->message = da_buf_take(&m);
    char *importer = da_audit_display_path(r->root, r->file, NULL);
    char *sibling = audit_local_module(c, module, importer);
    free(importer);
    bool known = !sibling && audit_absence_known(c, module, x);
    char *inferred =
        !sibling && !known && code == DA001_MISSING ? audit_infer_absence(c, module, x) : NULL;
    if (inferred) {
        x->certainty = DA_CERTAINTY_INFERRED;
        char *said = da_xasprintf("%s; %s", x->message, inferred);
        free(x->message);
        x->message = said;
        free(inferred);
    } else if (!known) {
        /* not known to be missing: a local module next to it, or something unknown */
        char *why = NULL;
        if (sibling)
            why = da_xasprintf("a module of that name is next to it (%s): it imports when that "
                               "directory is on sys.path (the file run as a script, pytest)",
                               sibling);
        if (code == DA001_MISSING)
            audit_make_unverified(c, x, module, why ? why : why_guarded, sibling != NULL);
        else
            x->certainty = DA_CERTAINTY_UNVERIFIED;
        free(why);
        free(sibling);
        return;
    }
    if (code == DA001_MISSING && x->ncandidates > 0 &&
        !fix_already_given(c->out, x->candidates[0].dist))
        x->fix = audit_fix_for(c, x->candidates, x->ncandidates, module);
}

/* try/except ImportError groups: the alternatives, and whether any of them works. */
static void judge_group(audit_ctx *c, size_t i, bool *any_ok, bool *has_fallback)
{
    const da_import_set *s = c->in->imports;
    int g = s->items[i].alternative_group;
    *any_ok = false;
    *has_fallback = false;
    for (size_t k = 0; k < s->len; k++) {
        const da_import *o = &s->items[k];
        if (o->alternative_group != g)
            continue;
        if (o->in_except)
            *has_fallback = true;
        const audit_dist *by;
        bool guess;
        if (k != i && record_satisfied(c, o, &by, &guess, NULL))
            *any_ok = true;
    }
}

static void check_removed(audit_ctx *c, size_t i, const audit_removed_module *rm)
{
    const da_import *r = &c->in->imports->items[i];
    if (audit_suppressed(c, DA009_REMOVED_STDLIB, r, r->module))
        return;
    char *path = da_audit_display_path(r->root, r->file, c->cwd);
    da_finding *x = audit_add_finding(c->out, DA009_REMOVED_STDLIB, path, r->line, r->col);
    free(path);
    x->module = da_xstrdup(r->module);
    bool guarded = r->guard != DA_GUARD_NONE || r->scope == DA_SCOPE_FUNCTION;
    if (r->guard != DA_GUARD_NONE)
        x->severity = DA_SEVERITY_INFO;
    x->python_error = da_xasprintf("ModuleNotFoundError: No module named '%s'", rm->module);
    if (!guarded)
        x->boot_path = audit_graph_boot_chain(c->graph, i, c->cwd, &x->chain, &x->nchain);
    audit_finding_set_message(x,
                              "`%s` was removed from the standard library in Python %d.%d and "
                              "the image runs %d.%d; use %s%s",
                              rm->module, rm->major, rm->minor, c->py_major, c->py_minor,
                              rm->replacement,
                              x->boot_path ? "; the container crashes at start-up" : "");
}

void audit_report_transitive(audit_ctx *c, size_t i, const audit_dist *d)
{
    const da_import *r = &c->in->imports->items[i];
    if (!d || d->requested || d->preinstalled || (!d->resolved && !d->parent))
        return;
    for (size_t k = 0; k < c->transitive_reported.len; k++)
        if (strcmp(c->transitive_reported.items[k], d->name) == 0)
            return;
    if (audit_suppressed(c, DA003_TRANSITIVE, r, r->module))
        return;
    da_strlist_push(&c->transitive_reported, d->name);
    char *path = da_audit_display_path(r->root, r->file, c->cwd);
    da_finding *x = audit_add_finding(c->out, DA003_TRANSITIVE, path, r->line, r->col);
    free(path);
    x->module = da_xstrdup(r->module);
    x->dist = da_xstrdup(d->name);
    da_buf parents = {0};
    if (!d->resolved) {
        da_strlist_push(&x->related, d->parent);
        da_buf_puts(&parents, d->parent);
    }
    for (size_t k = 0; d->resolved && k < d->resolved->nreasons; k++) {
        const da_resolve_reason *why = &d->resolved->reasons[k];
        if (why->kind != DA_REASON_REQUIRED_BY || !why->parent)
            continue;
        if (da_strlist_contains(&x->related, why->parent))
            continue;
        da_strlist_push(&x->related, why->parent);
        da_buf_printf(&parents, "%s%s", parents.len ? ", " : "", why->parent);
    }
    char *p = da_buf_take(&parents);
    audit_finding_set_message(x,
                              "`%s` comes from %s, which is installed only because %s %s it; "
                              "request %s directly",
                              r->module, d->name, *p ? p : "another distribution",
                              x->related.len > 1 ? "require" : "requires", d->name);
    free(p);
}

void audit_check_imports(audit_ctx *c)
{
    const da_import_set *s = c->in->imports;
    for (size_t i = 0; s && i < s->len; i++) {
        const da_import *r = &s->items[i];
        if (r->kind == DA_IMPORT_KIND_FUTURE || r->klass == DA_CLASS_FUTURE)
            continue;
        if (r->kind == DA_IMPORT_KIND_STRING || r->kind == DA_IMPORT_KIND_USAGE)
            continue; /* judged by audit_check_usage */
        if (r->klass == DA_CLASS_FIRST_PARTY || r->klass == DA_CLASS_RELATIVE)
            continue;
        c->out->imports_checked++;
        const audit_dist *by = NULL;
        bool guess = false;
        const char *missing_name = NULL;
        bool ok = record_satisfied(c, r, &by, &guess, &missing_name);
        if (ok && by)
            audit_mark_used(c, by, NULL);
        if (ok && guess)
            c->out->guesses++;
        if (r->klass == DA_CLASS_STDLIB || !audit_record_runtime(c, i))
            continue; /* test code and code the image never gets: uses, never missing */
        const audit_removed_module *rm = audit_removed_stdlib(r->module, c->py_major, c->py_minor);
        if (rm && !ok) {
            check_removed(c, i, rm);
            continue;
        }
        if (ok) {
            if (r->guard == DA_GUARD_NONE)
                audit_report_transitive(c, i, by);
            continue;
        }
        if (!c->in->plan)
            continue; /* no Dockerfile: no image to be missing from */
        switch (r->guard) {
        case DA_GUARD_TYPE_CHECKING:
            if (c->config && c->config->report_type_checking)
                audit_report_missing(c, i, DA002_MISSING_OPTIONAL, missing_name,
                                     "imported only under TYPE_CHECKING");
            break;
        case DA_GUARD_IMPORT_ERROR: {
            bool any_ok, has_fallback;
            judge_group(c, i, &any_ok, &has_fallback);
            if (any_ok)
                break; /* an alternative works: the code runs as written */
            if (r->in_except)
                break; /* reported on the import it stands in for */
            if (has_fallback)
                audit_report_missing(c, i, DA001_MISSING, missing_name,
                                     "guarded by try/except ImportError, but its fallback is "
                                     "missing too");
            else
                audit_report_missing(c, i, DA002_MISSING_OPTIONAL, missing_name,
                                     "guarded by try/except ImportError: the code runs without it");
            break;
        }
        case DA_GUARD_VERSION:
        case DA_GUARD_PLATFORM: {
            int v = audit_condition_eval(r->condition, c->py_major, c->py_minor);
            if (v == 1) {
                audit_report_missing(c, i, DA001_MISSING, missing_name, NULL);
            } else {
                char *why = da_xasprintf("under `%s`, %s for the image",
                                         r->condition ? r->condition : "a condition",
                                         v == 0 ? "false" : "not evaluated");
                audit_report_missing(c, i, DA002_MISSING_OPTIONAL, missing_name, why);
                free(why);
            }
            break;
        }
        case DA_GUARD_NONE:
        case DA_GUARD_MAIN:
            audit_report_missing(c, i, DA001_MISSING, missing_name, NULL);
            break;
        }
    }
}
