/* What code needs beyond its imports: dotted paths in settings strings (STRING records,
 * judged like imports: DA001/DA002/DA003 and use for DA004) and the modules features need
 * (USAGE records, from corpus/usage/facts.tsv: DA013 `needed-by-feature`).
 *
 * A DA013 is an error only when the feature certainly runs at start-up: a settings string
 * in a settings module that is not a development or test one, assigned unconditionally,
 * and not the default of an environment look-up; a worker class or server option; or a
 * class used in a module on the boot path. Otherwise it is a warning (info when the
 * library falls back without the module). */
#include "audit_checks.h"

#include <stdlib.h>
#include <string.h>

static bool provided(audit_ctx *c, const char *module, const audit_dist **by)
{
    bool guess = false;
    *by = NULL;
    return audit_image_provides(&c->img, module, by, &guess) != AUDIT_MISSING;
}

/* Settings and modules named for development or tests (settings/dev.py, test_settings.py,
 * local_settings.py): not what the image runs. */
static bool dev_or_test_path(const char *file)
{
    static const char *const words[] = {"test", "dev", "local", "debug", "ci", NULL};
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    for (size_t i = 0; words[i]; i++) {
        size_t n = strlen(words[i]);
        for (const char *p = base; (p = strstr(p, words[i])); p += n) {
            bool start = p == base || p[-1] == '_' || p[-1] == '-' || p[-1] == '.';
            bool end = p[n] == '\0' || p[n] == '_' || p[n] == '.' || p[n] == 's' || p[n] == '-' ||
                       strncmp(p + n, "elopment", 8) == 0;
            if (start && end)
                return true;
        }
    }
    return strstr(file, "tests/") != NULL || strstr(file, "test/") != NULL;
}

/* Whether the roots hold a package or module of this top-level name anywhere (a local
 * Django app found from another directory than the one scanned as root). */
static bool local_name_seen(const audit_ctx *c, const char *module)
{
    const char *dot = strchr(module, '.');
    size_t n = dot ? (size_t)(dot - module) : strlen(module);
    const da_import_set *s = c->in->imports;
    for (size_t i = 0; i < s->len; i++) {
        const char *f = s->items[i].file;
        for (const char *p = f; (p = strstr(p, module)); p++) {
            if (strncmp(p, module, n) != 0)
                continue;
            bool start = p == f || p[-1] == '/';
            bool end = p[n] == '/' || strcmp(p + n, ".py") == 0;
            if (start && end)
                return true;
        }
    }
    return false;
}

static bool some_candidate(const audit_ctx *c, const char *module)
{
    const da_audit_lookup *lk = c->in->lookup;
    if (!lk || !lk->which)
        return false;
    da_strlist dists = {0};
    lk->which(lk->ctx, module, &dists);
    bool any = dists.len > 0;
    da_strlist_free(&dists);
    return any;
}

static void check_string(audit_ctx *c, size_t i)
{
    const da_import *r = &c->in->imports->items[i];
    if (r->klass != DA_CLASS_THIRD_PARTY)
        return;
    c->out->imports_checked++;
    const audit_dist *by;
    if (provided(c, r->module, &by)) {
        if (by)
            audit_mark_used(c, by, NULL);
        if (by && !r->condition)
            audit_report_transitive(c, i, by);
        return;
    }
    /* a path nothing known provides may be a local app the roots hold elsewhere */
    if (!c->in->plan || local_name_seen(c, r->module) || !some_candidate(c, r->module))
        return;
    if (r->condition || dev_or_test_path(r->file)) {
        char *why = da_xasprintf("named by %s in %s", r->via,
                                 r->condition ? "an indented (conditional) block"
                                              : "settings for development or tests");
        audit_report_missing(c, i, DA002_MISSING_OPTIONAL, NULL, why);
        free(why);
        return;
    }
    char *why = da_xasprintf("named by %s, which the framework imports", r->via);
    audit_report_missing(c, i, DA001_MISSING, NULL, why);
    free(why);
}

static da_severity feature_severity(audit_ctx *c, size_t i, const da_usage_fact *f, da_finding *x)
{
    const da_import *r = &c->in->imports->items[i];
    bool certain = !r->condition && !dev_or_test_path(r->file);
    switch (f->when) {
    case DA_USAGE_WHEN_SETTINGS:
    case DA_USAGE_WHEN_BOOT:
        return certain ? DA_SEVERITY_ERROR : DA_SEVERITY_WARNING;
    case DA_USAGE_WHEN_IMPORT:
        x->boot_path = audit_graph_boot_chain(c->graph, i, c->cwd, &x->chain, &x->nchain);
        return certain && x->boot_path ? DA_SEVERITY_ERROR : DA_SEVERITY_WARNING;
    case DA_USAGE_WHEN_USE:
        return DA_SEVERITY_WARNING;
    case DA_USAGE_WHEN_OPTIONAL:
        return DA_SEVERITY_INFO;
    }
    return DA_SEVERITY_WARNING;
}

static const char *when_text(da_usage_when w)
{
    switch (w) {
    case DA_USAGE_WHEN_SETTINGS:
        return "when the settings load at start-up";
    case DA_USAGE_WHEN_BOOT:
        return "when the service starts";
    case DA_USAGE_WHEN_IMPORT:
        return "when this module is imported";
    case DA_USAGE_WHEN_USE:
        return "when the feature is first used";
    case DA_USAGE_WHEN_OPTIONAL:
        return "never: the library falls back to something slower";
    }
    return "";
}

static void report_feature(audit_ctx *c, size_t i, const da_usage_fact *f)
{
    const da_import *r = &c->in->imports->items[i];
    if (audit_suppressed(c, DA013_NEEDED_BY_FEATURE, r, r->module))
        return;
    char *path = da_audit_display_path(r->root, r->file, c->cwd);
    da_finding *x = audit_add_finding(c->out, DA013_NEEDED_BY_FEATURE, path, r->line, r->col);
    free(path);
    x->module = da_xstrdup(r->module);
    x->severity = feature_severity(c, i, f, x);
    for (int k = 0; k < f->nalts; k++) {
        char *dists = da_xstrdup(f->dists[k]);
        for (char *d = strtok(dists, ","); d; d = strtok(NULL, ",")) {
            char *norm = audit_normalize(d);
            audit_finding_add_candidate(x, norm, DA_BASIS_CONFIG);
            free(norm);
        }
        free(dists);
    }
    da_buf m = {0};
    da_buf_printf(&m, "`%s` needs ", f->trigger);
    for (int k = 0; k < f->nalts; k++)
        da_buf_printf(&m, "%s`%s` (%s)",
                      k == 0              ? ""
                      : k + 1 == f->nalts ? " or "
                                          : ", ",
                      f->modules[k], f->dists[k]);
    da_buf_printf(&m, ", which nothing in the image provides; fails %s", when_text(f->when));
    if (r->condition)
        da_buf_printf(&m, " (uncertain: %s)", r->condition);
    if (f->extra)
        da_buf_printf(&m, "; install it with `%s`", f->extra);
    da_buf_printf(&m, " (usage fact %s, source: %s)", f->id, f->source);
    x->message = da_buf_take(&m);
    x->python_error = da_xasprintf("ModuleNotFoundError: No module named '%s'", f->modules[0]);
    if (!audit_absence_known(c, r->module, x)) {
        /* something the image installs is unknown and may provide it */
        x->certainty = DA_CERTAINTY_UNVERIFIED;
        if (x->severity == DA_SEVERITY_ERROR)
            x->severity = DA_SEVERITY_WARNING;
        da_buf u = {0};
        da_buf_printf(&u,
                      "%s; unverified: the image installs something unknown that may "
                      "provide it (`depaudit check --verbose` lists what is unknown)",
                      x->message);
        free(x->message);
        x->message = da_buf_take(&u);
    }
    if (x->severity == DA_SEVERITY_ERROR && x->ncandidates > 0)
        x->fix = audit_fix_for(c, x->candidates, 1, r->module);
}

static void check_feature(audit_ctx *c, size_t i)
{
    const da_import_set *s = c->in->imports;
    const da_import *r = &s->items[i];
    if (r->in_except || !r->usage_fact)
        return; /* the group is judged at its first alternative */
    const da_usage_fact *f = r->usage_fact;
    bool any = false;
    char *path = da_audit_display_path(r->root, r->file, c->cwd);
    char *because =
        da_xasprintf("needed by `%s` at %s:%d (usage fact %s)", f->trigger, path, r->line, f->id);
    free(path);
    for (size_t k = i; k < s->len && s->items[k].alternative_group == r->alternative_group; k++) {
        const audit_dist *by = NULL; /* a standard module has no distribution */
        if (s->items[k].klass == DA_CLASS_STDLIB || provided(c, s->items[k].module, &by)) {
            any = true;
            if (by)
                audit_mark_used(c, by, because); /* used without an import: a note says why */
        }
    }
    free(because);
    if (!any && c->in->plan)
        report_feature(c, i, f);
}

void audit_check_usage(audit_ctx *c)
{
    const da_import_set *s = c->in->imports;
    for (size_t i = 0; s && i < s->len; i++) {
        if (s->items[i].kind == DA_IMPORT_KIND_STRING)
            check_string(c, i);
        else if (s->items[i].kind == DA_IMPORT_KIND_USAGE)
            check_feature(c, i);
    }
}
