/* Run by hand (not a ctest): bench_pep_wheel [RECORD] [METADATA]
 * Defaults to the RECORD and METADATA of pip in Debian's dist-packages. Prints operations
 * per second for each measured function. */
#include "depaudit/core_metadata.h"
#include "depaudit/wheel.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *first_match(const char *pattern)
{
    glob_t g;
    char *path = NULL;
    if (glob(pattern, 0, NULL, &g) == 0 && g.gl_pathc > 0)
        path = da_xstrdup(g.gl_pathv[0]);
    globfree(&g);
    return path;
}

static const char *const wheel_files[] = {
    "numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    "numpy-1.26.4-cp312-cp312-musllinux_1_1_x86_64.whl",
    "numpy-1.26.4-cp312-cp312-win_amd64.whl",
    "numpy-1.26.4-cp312-cp312-macosx_11_0_arm64.whl",
    "cryptography-42.0.0-cp39-abi3-manylinux_2_28_x86_64.whl",
    "six-1.16.0-py2.py3-none-any.whl",
    "numpy-1.26.4.tar.gz",
};

int main(int argc, char **argv)
{
    da_target t;
    da_target_init(&t, 3, 12, -1);
    int reps = 2000;
    double t0 = now();
    size_t ntags = 0;
    for (int i = 0; i < reps; i++) {
        da_strlist tags = {0};
        da_target_supported_tags(&t, &tags);
        ntags = tags.len;
        da_strlist_free(&tags);
    }
    double dt = now() - t0;
    printf("supported tags (%zu for 3.12 glibc 2.36 x86_64): %.0f lists/s\n", ntags, reps / dt);

    da_strlist supported = {0};
    da_target_supported_tags(&t, &supported);
    size_t nfiles = sizeof(wheel_files) / sizeof(wheel_files[0]);
    reps = 20000;
    t0 = now();
    long checksum = 0;
    for (int i = 0; i < reps; i++)
        checksum += da_wheel_rank_in(wheel_files[(size_t)i % nfiles], &supported);
    dt = now() - t0;
    printf("da_wheel_rank_in: %.0f files/s (checksum %ld)\n", reps / dt, checksum);
    da_strlist_free(&supported);

    char *record = argc > 1 ? da_xstrdup(argv[1])
                            : first_match("/usr/lib/python3/dist-packages/pip-*.dist-info/RECORD");
    char *metadata = argc > 2
                         ? da_xstrdup(argv[2])
                         : first_match("/usr/lib/python3/dist-packages/pip-*.dist-info/METADATA");
    char *text;
    size_t len;
    da_error err;
    if (record && da_read_file(record, &text, &len, &err) == 0) {
        reps = 200;
        size_t npaths = 0, nmods = 0;
        t0 = now();
        for (int i = 0; i < reps; i++) {
            da_strlist paths = {0};
            da_strlist full = {0};
            if (da_record_parse(text, len, record, &paths, &err) < 0)
                break;
            da_release r = {0};
            da_modules_from_paths(&paths, &r);
            da_modules_full_depth(&paths, &full);
            npaths = paths.len;
            nmods = full.len;
            da_strlist_free(&paths);
            da_strlist_free(&full);
            da_strlist_free(&r.modules);
            da_strlist_free(&r.namespaces);
        }
        dt = now() - t0;
        printf("RECORD parse + modules + full depth (%zu paths, %zu modules): %.0f RECORDs/s, "
               "%.0f paths/s\n",
               npaths, nmods, reps / dt, (double)npaths * reps / dt);
        free(text);
    }
    if (metadata && da_read_file(metadata, &text, &len, &err) == 0) {
        reps = 20000;
        t0 = now();
        for (int i = 0; i < reps; i++) {
            da_core_metadata m;
            if (da_core_metadata_parse(text, len, metadata, &m, &err) == 0)
                da_core_metadata_free(&m);
        }
        dt = now() - t0;
        printf("core metadata parse (%zu bytes): %.0f files/s, %.1f MB/s\n", len, reps / dt,
               (double)len * reps / dt / 1e6);
        free(text);
    }
    free(record);
    free(metadata);
    return 0;
}
