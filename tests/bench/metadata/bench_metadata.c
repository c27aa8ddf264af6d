/* Benchmark of the metadata client (not a ctest test; run by hand):
 *   sh tests/bench/metadata/run_bench.sh BUILD_DIR      (from the source root)
 * which builds a 100-distribution mirror, serves it with nginx (and a 50 ms delaying
 * proxy) and runs this program:
 *   bench_metadata INDEX_URL CACHE_DIR N [CONCURRENCY]
 * It reports, for N distributions bench-dist-000..: wall time, requests and bytes with a
 * cold and then a warm cache, and for every padded (> 1 MB) wheel the bytes fetched
 * against the wheel's size. */
#include "depaudit/metadata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static da_metadata *open_index(const char *url, const char *cache, int concurrency)
{
    da_metadata_options o;
    da_metadata_options_init(&o);
    o.index_url = da_xstrdup(url);
    o.use_snapshot = false;
    if (cache)
        o.cache_dir = da_xstrdup(cache);
    else
        o.no_cache = true;
    if (concurrency > 0)
        o.concurrency = concurrency;
    da_metadata *m = NULL;
    da_error err = {0};
    if (da_metadata_open(&o, &m, &err) != 0) {
        fprintf(stderr, "bench: %s\n", err.message);
        exit(1);
    }
    da_metadata_options_free(&o);
    return m;
}

/* Everything a resolver's first level asks for: all pages at once (with the newest
 * release of each speculatively), then each project and its newest release. */
static int resolve_level(da_metadata *m, const da_strlist *names)
{
    da_metadata_prefetch_projects(m, (const char *const *)names->items, names->len);
    int failures = 0;
    for (size_t i = 0; i < names->len; i++) {
        da_project *p = NULL;
        da_error err = {0};
        if (da_metadata_get_project(m, names->items[i], &p, &err) != 0) {
            failures++;
            continue;
        }
        char *v = da_project_latest_version(p, &(da_target){3, 11, -1, "x86_64", 0, 2, 36});
        da_release *r = NULL;
        if (!v || da_metadata_get_release(m, names->items[i], v, &r, &err) != 0)
            failures++;
        da_release_free(r);
        free(v);
        da_project_free(p);
    }
    return failures;
}

static void report(const char *label, double secs, const da_metadata *m, int failures)
{
    da_metadata_stats st;
    da_metadata_get_stats(m, &st);
    printf("%-28s %7.3f s  %5ld requests (%ld ranged, %ld whole)  %9lld bytes  %4ld cache "
           "hits  %3ld revalidated  %d failures\n",
           label, secs, st.requests, st.range_requests, st.whole_downloads, st.bytes, st.cache_hits,
           st.revalidated, failures);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench_metadata INDEX_URL CACHE_DIR N [CONCURRENCY]\n");
        return 2;
    }
    const char *url = argv[1], *cache = argv[2];
    int n = atoi(argv[3]);
    int concurrency = argc > 4 ? atoi(argv[4]) : 0;
    da_strlist names = {0};
    for (int i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof(name), "bench-dist-%03d", i);
        da_strlist_push(&names, name);
    }
    for (int round = 0; round < 2; round++) {
        da_metadata *m = open_index(url, cache, concurrency);
        double t0 = now_s();
        int failures = resolve_level(m, &names);
        char label[64];
        snprintf(label, sizeof(label), "%d dists, %s cache, c=%d", n, round ? "warm" : "cold",
                 concurrency > 0 ? concurrency : 16);
        report(label, now_s() - t0, m, failures);
        da_metadata_close(m);
    }
    /* Large wheels one at a time: bytes fetched against the wheel size. */
    long long sum_bytes = 0, sum_size = 0;
    long sum_requests = 0;
    int large = 0;
    for (int i = 0; i < n; i += 10) {
        da_metadata *m = open_index(url, NULL, concurrency);
        da_project *p = NULL;
        da_error err = {0};
        if (da_metadata_get_project(m, names.items[i], &p, &err) != 0) {
            da_metadata_close(m);
            continue;
        }
        da_metadata_stats before;
        da_metadata_get_stats(m, &before);
        const da_project_version *v = &p->versions[p->nversions - 1];
        long long size = v->files[0].size;
        da_release *r = NULL;
        if (da_metadata_get_release(m, names.items[i], v->version, &r, &err) == 0 &&
            size > 1000000) {
            da_metadata_stats after;
            da_metadata_get_stats(m, &after);
            sum_bytes += after.bytes - before.bytes;
            sum_requests += after.requests - before.requests;
            sum_size += size;
            large++;
        }
        da_release_free(r);
        da_project_free(p);
        da_metadata_close(m);
    }
    if (large > 0)
        printf("large wheels: %d, mean size %lld bytes, mean fetched %lld bytes (%.2f%%) in %.1f "
               "requests per distribution (a whole download: %lld bytes, 1 request)\n",
               large, sum_size / large, sum_bytes / large,
               100.0 * (double)sum_bytes / (double)sum_size, (double)sum_requests / large,
               sum_size / large);
    da_strlist_free(&names);
    return 0;
}
