/* The resolver's view of metadata: a small vtable any source (or a stack of sources, or
 * a test's in-memory table) implements. Keeping the resolver behind it lets it be tested
 * without the network and lets the metadata layer batch and cache freely. */
#ifndef DEPAUDIT_PROVIDER_H
#define DEPAUDIT_PROVIDER_H

#include "depaudit/dist.h"
#include "depaudit/util.h"

typedef struct da_provider {
    void *ctx;
    /* Hint that these projects will be asked for soon, so a network source can fetch
     * them concurrently. May be NULL. Errors are reported by the later calls. */
    void (*prefetch_projects)(void *ctx, const char *const *names, size_t n);
    /* The versions and files of a project. Returns 0 and a project the caller frees,
     * 1 if the project does not exist in any source, -1 with err on failure (network,
     * corrupt data): a failure is never "no versions". */
    int (*get_project)(void *ctx, const char *name, da_project **out, da_error *err);
    /* One release's metadata (requirements, modules). Same return convention. */
    int (*get_release)(void *ctx, const char *name, const char *version, da_release **out,
                       da_error *err);
    void (*destroy)(void *ctx);
} da_provider;

#endif
