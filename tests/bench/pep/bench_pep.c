/* Reads the benchmark inputs written by bench_pep.py on stdin, times da_pep on them and
 * prints "versions OPS" and "markers OPS" (operations per second).
 * Input: "V <n>" then n version lines, "M <n>" then n marker lines, then "E" and the 11
 * environment values and the extra, one per line. */
#include "depaudit/pep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_line(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        fprintf(stderr, "bench_pep: unexpected end of input\n");
        exit(2);
    }
    if (n > 0 && line[n - 1] == '\n')
        line[n - 1] = '\0';
    return line;
}

static char **read_block(char tag, size_t *count)
{
    char *head = read_line();
    if (head[0] != tag) {
        fprintf(stderr, "bench_pep: expected block %c\n", tag);
        exit(2);
    }
    *count = strtoul(head + 2, NULL, 10);
    free(head);
    char **items = calloc(*count ? *count : 1, sizeof(char *));
    for (size_t i = 0; i < *count; i++)
        items[i] = read_line();
    return items;
}

int main(void)
{
    size_t nv, nm;
    char **versions = read_block('V', &nv);
    char **markers = read_block('M', &nm);
    free(read_line()); /* "E" */
    da_marker_env env;
    char *fields[12];
    for (int i = 0; i < 12; i++)
        fields[i] = read_line();
    char *dst[11] = {
        env.python_version,      env.python_full_version,   env.os_name,
        env.sys_platform,        env.platform_system,       env.platform_machine,
        env.platform_release,    env.platform_version,      env.platform_python_implementation,
        env.implementation_name, env.implementation_version};
    size_t sizes[11] = {16, 32, 16, 16, 16, 32, 64, 128, 16, 16, 32};
    for (int i = 0; i < 11; i++)
        snprintf(dst[i], sizes[i], "%s", fields[i]);

    /* one operation: parse a version and compare it with the previous one */
    long ops = 0, sink = 0;
    double start = now(), elapsed;
    do {
        da_version *prev = NULL;
        for (size_t i = 0; i < nv; i++) {
            da_version *v = da_version_parse(versions[i], NULL);
            if (prev && v)
                sink += da_version_compare(v, prev) < 0;
            da_version_free(prev);
            prev = v;
            ops++;
        }
        da_version_free(prev);
        elapsed = now() - start;
    } while (elapsed < 1.0);
    printf("versions %.0f\n", (double)ops / elapsed);

    da_marker **parsed = calloc(nm ? nm : 1, sizeof(da_marker *));
    for (size_t i = 0; i < nm; i++)
        parsed[i] = da_marker_parse(markers[i], NULL);
    ops = 0;
    start = now();
    do {
        for (size_t i = 0; i < nm; i++) {
            if (parsed[i])
                sink += da_marker_evaluate(parsed[i], &env, fields[11][0] ? fields[11] : NULL);
            ops++;
        }
        elapsed = now() - start;
    } while (elapsed < 1.0);
    printf("markers %.0f\n", (double)ops / elapsed);
    printf("checksum %ld\n", sink); /* keeps the work from being optimised away */

    for (size_t i = 0; i < nm; i++) {
        da_marker_free(parsed[i]);
        free(markers[i]);
    }
    for (size_t i = 0; i < nv; i++)
        free(versions[i]);
    for (int i = 0; i < 12; i++)
        free(fields[i]);
    free(parsed);
    free(markers);
    free(versions);
    return 0;
}
