/* Older-metadata statements for version-sensitive findings (version_notes.h). */
#include "version_notes.h"

#include "depaudit/pep.h"

#include <stdlib.h>
#include <string.h>

/* At most this many statements per finding: a namespace shared by many installed
 * distributions would otherwise bury the finding's own message. */
#define MAX_STATEMENTS_PER_FINDING 3

/* <0, 0, >0 as PEP 440 orders them; 0 also when either does not parse (no claim made). */
static int version_order(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    da_error err;
    da_error_clear(&err);
    da_version *va = da_version_parse(a, &err);
    da_version *vb = va ? da_version_parse(b, &err) : NULL;
    int c = va && vb ? da_version_compare(va, vb) : 0;
    da_version_free(va);
    da_version_free(vb);
    return c;
}

/* "snapshot: installed RECORD /some/builder/site-packages/x-1.2.dist-info" -> "snapshot:
 * installed RECORD of x 1.2": a path on the machine that built the snapshot says nothing to
 * a reader, the distribution and version do. */
static char *without_builder_path(const char *origin, const da_release *r)
{
    const char *slash = strstr(origin, " /");
    if (!slash)
        return da_xstrdup(origin);
    return da_xasprintf("%.*s of %s %s", (int)(slash - origin), origin, r->name,
                        r->version ? r->version : "");
}

/* "snapshot: debian bookworm python3-x 1.2-3 (Contents ...); requirements restored ..." ->
 * "snapshot: debian bookworm python3-x 1.2-3": the row's source without its footnotes. */
static char *short_origin(const char *full, const da_release *r)
{
    if (!full || !*full)
        return da_xstrdup("snapshot");
    char *origin_owned = without_builder_path(full, r);
    const char *origin = origin_owned;
    size_t n = strlen(origin);
    const char *cuts[] = {" (", ";", ", "};
    for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
        const char *p = strstr(origin, cuts[i]);
        if (p && (size_t)(p - origin) < n)
            n = (size_t)(p - origin);
    }
    bool labelled = strncmp(origin, "snapshot", 8) == 0;
    char *s = da_xstrndup(origin, n);
    free(origin_owned);
    if (labelled)
        return s;
    char *t = da_xasprintf("snapshot: %s", s);
    free(s);
    return t;
}

char *audit_older_metadata_statement(const da_release *r, const char *what, const char *picked,
                                     const char *latest)
{
    if (!r || r->source != DA_SOURCE_SNAPSHOT || !r->version || !*r->version)
        return NULL;
    bool older_than_picked = picked && *picked && version_order(r->version, picked) < 0;
    bool older_than_latest = latest && *latest && version_order(r->version, latest) < 0;
    if (!older_than_picked && !older_than_latest)
        return NULL;
    char *origin = short_origin(r->origin, r);
    da_buf b = {0};
    da_buf_printf(&b, "%s of %s taken from %s (%s)", what, r->name, r->version, origin);
    if (older_than_picked)
        da_buf_printf(&b, "; the resolver picked %s", picked);
    if (older_than_latest)
        da_buf_printf(&b, "; latest known %s", latest);
    free(origin);
    return da_buf_take(&b);
}

static const da_resolved_dist *env_find(const da_environment *env, const char *name)
{
    for (size_t i = 0; env && i < env->ndists; i++)
        if (strcmp(env->dists[i].name, name) == 0)
            return &env->dists[i];
    return NULL;
}

/* The statement for distribution `name`, from the environment's release or the facts'. */
static char *statement_for(const da_environment *env, const audit_version_facts *facts,
                           const char *name, const char *what)
{
    const char *latest =
        facts && facts->latest_known ? facts->latest_known(facts->ctx, name) : NULL;
    const da_resolved_dist *d = env_find(env, name);
    if (d) /* the audit judged it by this release (none: modules unknown, nothing to say) */
        return audit_older_metadata_statement(d->release, what, d->version, latest);
    /* a partial environment: the audit judged it by the look-up's best release */
    if (!facts || !facts->release)
        return NULL;
    da_release *r = facts->release(facts->ctx, name);
    char *s = audit_older_metadata_statement(r, what, NULL, latest);
    da_release_free(r);
    return s;
}

static size_t top_len(const char *dotted)
{
    return strcspn(dotted, ".");
}

static bool same_top(const char *a, const char *b)
{
    size_t n = top_len(a);
    return n == top_len(b) && strncmp(a, b, n) == 0;
}

/* Whether a release's module list bears on importing `module`: it ships something under
 * the same top-level name, so another version of it may ship `module` itself. */
static bool release_touches(const da_release *r, const char *module)
{
    if (!r || !module)
        return false;
    for (size_t i = 0; i < r->modules.len; i++)
        if (same_top(r->modules.items[i], module))
            return true;
    for (size_t i = 0; i < r->namespaces.len; i++)
        if (same_top(r->namespaces.items[i], module))
            return true;
    return false;
}

static void add_statement(da_strlist *stmts, char *s)
{
    if (!s)
        return;
    if (da_strlist_contains(stmts, s))
        free(s);
    else
        da_strlist_push_owned(stmts, s);
}

static void statements_of(const da_finding *x, const da_environment *env,
                          const audit_version_facts *facts, da_strlist *stmts)
{
    switch (x->code) {
    case DA001_MISSING:
    case DA002_MISSING_OPTIONAL:
        /* "nothing in the image provides it" rests on the module lists of what the image
         * holds under the same top-level name */
        for (size_t i = 0; env && i < env->ndists; i++)
            if (release_touches(env->dists[i].release, x->module))
                add_statement(stmts, statement_for(env, facts, env->dists[i].name, "modules"));
        break;
    case DA003_TRANSITIVE:
        /* "installed only because P requires it" rests on P's requirements */
        for (size_t i = 0; i < x->related.len; i++)
            add_statement(stmts, statement_for(env, facts, x->related.items[i], "requirements"));
        break;
    case DA004_UNUSED:
        /* "no code imports it" rests on the modules it ships */
        if (x->dist)
            add_statement(stmts, statement_for(env, facts, x->dist, "modules"));
        break;
    default:
        break;
    }
}

static da_release *lookup_release(void *ctx, const char *name)
{
    const da_audit_lookup *l = ctx;
    return l->release ? l->release(l->ctx, name, NULL) : NULL;
}

static const char *lookup_latest_known(void *ctx, const char *name)
{
    const da_audit_lookup *l = ctx;
    return l->latest_known ? l->latest_known(l->ctx, name) : NULL;
}

void da_audit_note_older_metadata(da_findings *f, const da_environment *env,
                                  const da_audit_lookup *lookup)
{
    audit_version_facts facts = {(void *)lookup, lookup_latest_known, lookup_release};
    audit_note_older_metadata(f, env, lookup ? &facts : NULL);
}

void audit_note_older_metadata(da_findings *f, const da_environment *env,
                               const audit_version_facts *facts)
{
    for (size_t i = 0; i < f->len; i++) {
        da_finding *x = &f->items[i];
        if (x->older_metadata)
            continue;
        da_strlist stmts = {0};
        statements_of(x, env, facts, &stmts);
        if (stmts.len == 0)
            continue;
        da_buf m = {0};
        /* the finding's own field only: one note per distribution besides it made most of
         * a typical report's text */
        for (size_t k = 0; k < stmts.len && k < MAX_STATEMENTS_PER_FINDING; k++)
            da_buf_printf(&m, "%s%s", k ? "; " : "", stmts.items[k]);
        if (stmts.len > MAX_STATEMENTS_PER_FINDING)
            da_buf_printf(&m, "; and %zu more distributions under that name",
                          stmts.len - MAX_STATEMENTS_PER_FINDING);
        da_buf_puts(&m, AUDIT_OLDER_METADATA_TAIL);
        x->older_metadata = da_buf_take(&m);
        if (x->certainty == DA_CERTAINTY_KNOWN)
            x->certainty = DA_CERTAINTY_APPROXIMATE;
        f->older_metadata++;
        da_strlist_free(&stmts);
    }
}
