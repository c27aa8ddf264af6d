/* Open + first lookup of the embedded snapshot, and the cost of later lookups. Prints
 * the median and worst of several runs; see CMakeLists.txt for how to run it. */
#include "depaudit/snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    enum { RUNS = 21 };
    double open_first[RUNS], names_first[RUNS];
    da_snapshot_stats st = {0};
    for (int i = 0; i < RUNS; i++) {
        double t0 = now_ms();
        da_error err;
        da_snapshot *s = da_snapshot_open_embedded(&err);
        if (!s) {
            fprintf(stderr, "open: %s\n", err.message);
            return 1;
        }
        da_strlist d = {0};
        da_snapshot_which(s, "google.protobuf.message", &d);
        da_release *r = da_snapshot_release(s, "requests");
        double t1 = now_ms();
        da_snapshot_name_exists(s, "some-unranked-name", NULL); /* inflates the names list */
        double t2 = now_ms();
        open_first[i] = t1 - t0;
        names_first[i] = t2 - t1;
        if (i == RUNS - 1)
            da_snapshot_get_stats(s, &st);
        da_release_free(r);
        da_strlist_free(&d);
        da_snapshot_close(s);
    }
    qsort(open_first, RUNS, sizeof(double), cmp_double);
    qsort(names_first, RUNS, sizeof(double), cmp_double);
    printf("open + first which + first release: median %.2f ms, worst %.2f ms\n",
           open_first[RUNS / 2], open_first[RUNS - 1]);
    printf("first unranked-name lookup (inflates the names list): median %.2f ms\n",
           names_first[RUNS / 2]);

    da_error err;
    da_snapshot *s = da_snapshot_open_embedded(&err);
    const char *mods[] = {
        "yaml",         "PIL.Image",     "opentelemetry.trace", "google.cloud.storage",
        "numpy.linalg", "no_such_module"};
    enum { LOOKUPS = 200000 };
    double t0 = now_ms();
    for (int i = 0; i < LOOKUPS; i++) {
        da_strlist d = {0};
        da_snapshot_which(s, mods[i % 6], &d);
        da_strlist_free(&d);
    }
    double t1 = now_ms();
    printf("which: %.2f us per lookup\n", (t1 - t0) * 1e3 / LOOKUPS);
    da_snapshot_close(s);
    printf("file %zu bytes; in memory %zu bytes after the names list; %zu distributions, "
           "%zu releases, %zu module entries, %zu names (%zu ranked)\n",
           st.bytes_file, st.bytes_memory, st.dists, st.releases, st.module_entries, st.names,
           st.ranked_names);
    return 0;
}
