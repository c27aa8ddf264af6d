/* Evidence-bounded inference: when "nothing in the image provides M" is not a known fact
 * only because some installed distributions' modules or requirements are unknown, whether
 * evidence settles it (RULES.md, "Inference"). Two rules, each calibrated on the embedded
 * snapshot by hiding what is known of one distribution at a time and asking the rule
 * (scripts/calibrate-inference, figures in RULES.md):
 *
 * - A distribution whose modules are unknown may provide M only if its name bears M out
 *   (audit_name_evidence > 0: the same name, py-/python- affixes, the name inside the
 *   other, the letters in order). Without such evidence it does not.
 * - A distribution X whose requirements are unknown may bring a provider D of M unless
 *   three things hold: D is clearly less downloaded than X (every install of X installs
 *   what X requires, so a dependency is at least about as popular as its dependent), few
 *   known distributions depend on D (it is no common transitive dependency), and the two
 *   names are not of one family (azure-x and azure-y, django-structlog and structlog).
 *
 * Anything else unknown (install steps the plan could not read, URL or archive installs,
 * a base image of unknown contents, a distribution the module table names whose row does
 * not list the module) is never inferred away: DA012 stays. */
#include "audit_checks.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* D more than this many times further down the download ranking than X: X is not taken
 * to depend on D (calibrated: RULES.md). */
#define INFER_RANK_SLACK 5
/* D a dependency of at least this many known distributions: a common transitive one, which
 * anything may bring. */
#define INFER_COMMON_DEPENDENTS 3

/* lower case, separators dropped */
static char *squashed(const char *s)
{
    char *o = da_xstrdup(s);
    size_t k = 0;
    for (size_t i = 0; s[i]; i++)
        if (s[i] != '-' && s[i] != '_' && s[i] != '.')
            o[k++] = (char)tolower((unsigned char)s[i]);
    o[k] = '\0';
    return o;
}

bool audit_names_related(const char *a, const char *b)
{
    size_t la = strcspn(a, "-_."), lb = strcspn(b, "-_.");
    if (la == lb && la > 0 && strncasecmp(a, b, la) == 0)
        return true; /* one family: the same first word */
    char *sa = squashed(a), *sb = squashed(b);
    bool hit = (strlen(sb) >= 3 && strstr(sa, sb)) || (strlen(sa) >= 3 && strstr(sb, sa));
    free(sa);
    free(sb);
    return hit;
}

bool audit_may_depend_on(int x_rank, const char *x, int d_rank, int d_dependents, const char *d)
{
    if (d_dependents >= INFER_COMMON_DEPENDENTS || audit_names_related(x, d))
        return true;
    if (x_rank <= 0)
        return true; /* X beyond the ranked names: the ranking says nothing of it */
    if (d_rank <= 0)
        return false; /* D beyond the ranked names, X among them */
    return (long)d_rank <= (long)INFER_RANK_SLACK * x_rank;
}

bool audit_dist_deps_unseen(const audit_ctx *c, const audit_dist *d)
{
    /* what the resolution followed: a release the audit found later for a distribution the
     * resolver knew nothing of did not bring its dependencies into the picture */
    const da_release *r = d->resolved ? d->resolved->release : d->release;
    if (d->preinstalled || (r && r->requires_known))
        return false;
    /* installed only by steps that follow no dependencies (a lock's exact pins, --no-deps):
     * whatever it requires is in those steps' lists or not installed at all */
    const da_install_plan *p = c->in->plan;
    bool named = false;
    for (size_t k = 0; p && k < p->nfinal_ops; k++) {
        const da_install_op *op = &p->ops[p->final_ops[k]];
        if (op->kind == DA_OP_UNINSTALL)
            continue;
        for (size_t j = 0; j < op->nreqs; j++) {
            const da_plan_requirement *q = &op->reqs[j];
            if (q->kind != DA_REQ_NAMED || !q->parsed || !q->parsed->name)
                continue;
            char *n = audit_normalize(q->parsed->name);
            bool same = strcmp(n, d->name) == 0;
            free(n);
            if (!same)
                continue;
            if (!op->no_deps && !(op->locked && q->lock != DA_LOCK_NONE))
                return true;
            named = true;
        }
    }
    return !named;
}

/* The distributions known to provide the module (metadata, module table, configuration).
 * A name guess is no provider to reason about: the module may well come from a project of
 * another name (AppKit from pyobjc-framework-cocoa, ee from earthengine-api), so without a
 * known provider nothing is inferred. */
static void providers_of(const da_finding *x, da_strlist *out)
{
    for (size_t i = 0; i < x->ncandidates; i++) {
        da_basis b = x->candidates[i].basis;
        if (b == DA_BASIS_METADATA || b == DA_BASIS_SNAPSHOT || b == DA_BASIS_CONFIG)
            da_strlist_push(out, x->candidates[i].dist);
    }
}

static void name_list(da_buf *b, const da_strlist *names)
{
    for (size_t i = 0; i < names->len && i < 3; i++)
        da_buf_printf(b, "%s%s", i ? (i + 1 == names->len ? " and " : ", ") : "", names->items[i]);
    if (names->len > 3)
        da_buf_printf(b, " (and %zu more)", names->len - 3);
}

/* "x, whose modules are unknown, bears ..." or "the 2 whose modules are unknown (x, y) bear" */
static void said_of(da_buf *b, const da_strlist *names, const char *what, const char *one,
                    const char *many)
{
    if (names->len == 1) {
        da_buf_printf(b, "%s, whose %s are unknown, %s", names->items[0], what, one);
        return;
    }
    da_buf_printf(b, "the %zu whose %s are unknown (", names->len, what);
    name_list(b, names);
    da_buf_printf(b, ") %s", many);
}

/* Whether some distribution of the image whose requirements are unknown may bring one of
 * the providers; fills `ruled_out` with those that may not. */
static bool any_may_bring(const audit_ctx *c, const da_strlist *providers, da_strlist *ruled_out,
                          da_buf *figures)
{
    const da_audit_lookup *lk = c->in->lookup;
    int *d_rank = da_xcalloc(providers->len + 1, sizeof(int));
    int *d_deps = da_xcalloc(providers->len + 1, sizeof(int));
    for (size_t k = 0; k < providers->len; k++)
        d_deps[k] = lk->dependents(lk->ctx, providers->items[k], &d_rank[k]);
    bool may = false;
    for (size_t i = 0; i < c->img.len && !may; i++) {
        const audit_dist *d = &c->img.dists[i];
        if (!audit_dist_deps_unseen(c, d))
            continue;
        int x_rank = 0;
        lk->dependents(lk->ctx, d->name, &x_rank);
        for (size_t k = 0; k < providers->len && !may; k++)
            may = audit_may_depend_on(x_rank, d->name, d_rank[k], d_deps[k], providers->items[k]);
        if (!may)
            da_strlist_push(ruled_out, d->name);
    }
    for (size_t k = 0; k < providers->len && k < 2; k++) {
        da_buf_printf(figures, "%s%s: ", k ? "; " : "", providers->items[k]);
        if (d_rank[k] > 0)
            da_buf_printf(figures, "download rank %d", d_rank[k]);
        else
            da_buf_puts(figures, "beyond the ranked names");
        da_buf_printf(figures, ", %d known distribution%s depend%s on it", d_deps[k],
                      d_deps[k] == 1 ? "" : "s", d_deps[k] == 1 ? "s" : "");
    }
    free(d_rank);
    free(d_deps);
    return may;
}

/* The installed distributions whose modules are unknown: false when one bears the module's
 * name out (it may provide it); else their names in `none`. */
static bool modules_ruled_out(const audit_ctx *c, const char *module, da_strlist *none)
{
    for (size_t i = 0; i < c->img.len; i++) {
        const audit_dist *d = &c->img.dists[i];
        if (audit_dist_modules_known(d))
            continue;
        if (audit_name_evidence(module, d->name) > 0)
            return false;
        da_strlist_push(none, d->name);
    }
    return true;
}

char *audit_infer_absence(const audit_ctx *c, const char *module, const da_finding *x)
{
    const da_audit_lookup *lk = c->in->lookup;
    if (c->in->known_only || !lk || !lk->dependents || c->may_install.len > 0 || c->base_unknown ||
        audit_installed_table_provider(c, x))
        return NULL;
    da_strlist providers = {0}, no_modules = {0}, no_deps = {0};
    da_buf figures = {0};
    providers_of(x, &providers);
    char *basis = NULL;
    if (providers.len > 0 && modules_ruled_out(c, module, &no_modules) &&
        !any_may_bring(c, &providers, &no_deps, &figures)) {
        da_buf b = {0};
        da_buf_puts(&b, "inferred: ");
        if (no_modules.len)
            said_of(&b, &no_modules, "modules", "bears no name evidence for it",
                    "bear no name evidence for it");
        if (no_deps.len) {
            if (no_modules.len)
                da_buf_puts(&b, ", and ");
            said_of(&b, &no_deps, "requirements", "is not known to depend on anything providing it",
                    "are not known to depend on anything providing it");
            da_buf_printf(&b, " (%s)", figures.data ? figures.data : "");
        }
        da_buf_puts(&b, "; --certainty known reports it as unverified");
        basis = da_buf_take(&b);
    }
    da_buf_free(&figures);
    da_strlist_free(&providers);
    da_strlist_free(&no_modules);
    da_strlist_free(&no_deps);
    return basis;
}
