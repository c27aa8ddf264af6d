/* The snapshot seen through the resolver's da_provider interface. Only installable
 * releases are offered (rows that merely name modules, from typeshed, are not). */
#include "snapshot_format.h"

#include <stdlib.h>
#include <string.h>

static int get_project(void *ctx, const char *name, da_project **out, da_error *err)
{
    (void)err;
    const da_snapshot *s = ctx;
    *out = NULL;
    da_strlist versions = {0};
    if (da_snapshot_versions(s, name, &versions) == 0) {
        da_strlist_free(&versions);
        return 1;
    }
    da_project *p = da_xcalloc(1, sizeof(*p));
    p->name = da_snapshot_normalize_name(name);
    p->versions = da_xcalloc(versions.len, sizeof(*p->versions));
    p->nversions = versions.len;
    for (size_t i = 0; i < versions.len; i++) {
        p->versions[i].version = versions.items[i]; /* ownership moves */
        versions.items[i] = NULL;
    }
    da_strlist_free(&versions);
    p->source = DA_SOURCE_SNAPSHOT;
    p->versions_complete = da_snapshot_versions_complete(s, name);
    p->origin = da_xasprintf("snapshot (%zu version%s known; files unknown)", p->nversions,
                             p->nversions == 1 ? "" : "s");
    *out = p;
    return 0;
}

static int get_release(void *ctx, const char *name, const char *version, da_release **out,
                       da_error *err)
{
    (void)err;
    *out = da_snapshot_release_version(ctx, name, version);
    return *out ? 0 : 1;
}

static void destroy(void *ctx)
{
    (void)ctx;
}

da_provider da_snapshot_provider(da_snapshot *s)
{
    da_provider p = {
        .ctx = s,
        .prefetch_projects = NULL,
        .get_project = get_project,
        .get_release = get_release,
        .destroy = destroy,
    };
    return p;
}
