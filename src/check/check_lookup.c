/* The audit's metadata look-ups (depaudit/audit.h da_audit_lookup) answered by the
 * embedded snapshot and, online, the package index: which distributions provide a module,
 * whether a name exists, the closest real names, a version to pin a fix to, a release to
 * judge by when resolution failed, the latest version known to exist. */
#include "check_internal.h"

#include "depaudit/imports.h"

#include <stdlib.h>

/* Distributions whose files provide the module; those that only contribute to a
 * namespace above it (google-cloud-ndb for google.cloud.storage) provide nothing here. */
static int lk_which(void *ctx, const char *module, da_strlist *dists)
{
    check_lookup *l = ctx;
    da_snapshot_match *m = NULL;
    int n = da_snapshot_which_matches(l->snap, module, &m);
    int added = 0;
    for (int i = 0; i < n; i++)
        if (!m[i].namespace_only && !da_strlist_contains(dists, m[i].dist)) {
            da_strlist_push(dists, m[i].dist);
            added++;
        }
    da_snapshot_matches_free(m, n);
    return added;
}

static bool lk_name_exists(void *ctx, const char *name)
{
    check_lookup *l = ctx;
    if (da_snapshot_name_exists(l->snap, name, NULL))
        return true;
    if (l->no_index || !l->meta)
        return false;
    /* online: the index is the authority on names; one that fails says nothing */
    da_project *p = NULL;
    da_error err;
    da_error_clear(&err);
    int rc = da_metadata_get_project(l->meta, name, &p, &err);
    da_project_free(p);
    if (rc < 0 && !l->fault) {
        char msg[1600];
        da_error_format(&err, msg, sizeof(msg));
        l->fault = da_xasprintf("the package index could not answer for %s: %s", name, msg);
    }
    return rc != 1;
}

static int lk_closest(void *ctx, const char *name, da_strlist *out, size_t max)
{
    check_lookup *l = ctx;
    return da_snapshot_closest_names(l->snap, name, out, max);
}

/* The newest version known to exist: online the index's for the image's Python, offline
 * the snapshot's names list (never an older release picked because its metadata happens to
 * be at hand). */
static char *lk_known_version(void *ctx, const char *name)
{
    check_lookup *l = ctx;
    da_project *p = NULL;
    if (l->no_index || !l->meta || da_metadata_get_project(l->meta, name, &p, NULL) != 0) {
        da_project_free(p);
        const char *latest = da_snapshot_latest_known(l->snap, name);
        return latest ? da_xstrdup(latest) : NULL;
    }
    char *v = da_project_latest_version(p, l->target);
    da_project_free(p);
    return v;
}

static da_release *lk_release(void *ctx, const char *name, const char *version)
{
    check_lookup *l = ctx;
    da_release *r = version ? da_snapshot_release_version(l->snap, name, version) : NULL;
    return r ? r : da_snapshot_release(l->snap, name);
}

static bool lk_is_stdlib(void *ctx, int major, int minor, const char *module)
{
    (void)ctx;
    return da_stdlib_contains(major, minor, module);
}

static const char *lk_latest_known(void *ctx, const char *name)
{
    check_lookup *l = ctx;
    return da_snapshot_latest_known(l->snap, name);
}

/* The snapshot's figures: its dependency graph and the names list's download rank. */
static int lk_dependents(void *ctx, const char *name, int *rank)
{
    check_lookup *l = ctx;
    if (rank && !da_snapshot_name_exists(l->snap, name, rank))
        *rank = 0;
    if (!l->dependents)
        l->dependents = da_snapshot_dependents_build(l->snap);
    return da_snapshot_dependents_count(l->dependents, name);
}

da_audit_lookup check_lookup_vtable(check_lookup *l)
{
    da_audit_lookup v = {l,          lk_which,         lk_name_exists,
                         lk_closest, lk_known_version, lk_is_stdlib,
                         lk_release, lk_latest_known,  lk_dependents};
    return v;
}
