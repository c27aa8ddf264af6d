/* A da_provider over the mirror fixture format of tests/mirror/README.md, held in memory:
 * the resolver's tests and the pip oracle describe a package index once, and both the
 * real mirror (for pip) and this provider (for the resolver) are built from it. Also
 * counts calls, so tests can assert what the resolver asked for. */
#ifndef DEPAUDIT_TESTS_FIXTURE_PROVIDER_H
#define DEPAUDIT_TESTS_FIXTURE_PROVIDER_H

#include "depaudit/provider.h"

typedef struct fixture_stats {
    int get_project;
    int get_release;
    int prefetch;
} fixture_stats;

/* Parses the JSON document text ({"projects": [...]}); origin names it in errors.
 * Returns 0 with *out ready (destroy frees it), or -1 with err. */
int fixture_provider_from_json(const char *text, const char *origin, da_provider *out,
                               da_error *err);
int fixture_provider_from_file(const char *path, da_provider *out, da_error *err);
const fixture_stats *fixture_provider_stats(const da_provider *p);
/* Makes every get_project/get_release of `name` fail with an error (a network failure). */
void fixture_provider_fail_on(da_provider *p, const char *name);

#endif
