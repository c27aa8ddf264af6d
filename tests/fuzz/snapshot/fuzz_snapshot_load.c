/* The snapshot loader on arbitrary bytes: opening must fail with an error or succeed, and
 * every lookup on what opened must stay in bounds. */
#include "depaudit/snapshot.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    da_error err;
    da_error_clear(&err);
    da_snapshot *s = da_snapshot_open_memory(data, size, "fuzz", &err);
    if (!s) {
        if (err.message[0] == '\0')
            __builtin_trap(); /* a failure must say why */
        return 0;
    }
    static const char *const modules[] = {"yaml", "opentelemetry.trace.span", "a", "", "x.y.z"};
    for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
        da_snapshot_match *m;
        int n = da_snapshot_which_matches(s, modules[i], &m);
        da_snapshot_matches_free(m, n);
    }
    da_release *r = da_snapshot_release(s, "pyyaml");
    da_release_free(r);
    da_strlist l = {0};
    da_snapshot_versions(s, "opentelemetry-api", &l);
    (void)da_snapshot_versions_complete(s, "pyyaml");
    da_snapshot_closest_names(s, "reqests", &l, 3);
    da_strlist_free(&l);
    int rank;
    da_snapshot_name_exists(s, "requests", &rank);
    da_snapshot_name_exists(s, "zzz", &rank);
    da_snapshot_latest_known(s, "a");
    da_snapshot_stats st;
    da_snapshot_get_stats(s, &st);
    da_provider p = da_snapshot_provider(s);
    da_project *proj = NULL;
    if (p.get_project(p.ctx, "pyyaml", &proj, &err) == 0)
        da_project_free(proj);
    da_snapshot_close(s);
    return 0;
}
