/* Benchmark of the install plan on long Dockerfiles: N ENV/RUN pairs in one stage (each RUN
 * a pip install reading the ENV), and a chain of N stages each FROM the one before with a
 * COPY --from of the one before that. Both must grow linearly with N. Not registered with
 * ctest. Run by hand, e.g.:
 *   build/tests/bench/image/bench_image 16000 32000
 * It prints, for each N, the time of da_install_plan_load + JSON (best of 3) and the ratio
 * to the first N (linear: close to the ratio of the Ns). */
#include "depaudit/install_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void write_env_run(const char *path, int n)
{
    FILE *f = fopen(path, "w");
    fputs("FROM python:3.12-slim\n", f);
    for (int i = 0; i < n; i++)
        fprintf(f, "ENV V%d=value%d\nRUN echo $V%d && pip install \"pkg%d>=1\"\n", i, i, i, i % 50);
    fclose(f);
}

static void write_chain(const char *path, int n)
{
    FILE *f = fopen(path, "w");
    fputs("FROM python:3.12-slim AS s0\nRUN pip install --prefix=/install flask\n", f);
    for (int i = 1; i < n; i++)
        fprintf(f, "FROM s%d AS s%d\nCOPY --from=s%d /install /install\n", i - 1, i,
                i > 1 ? i - 2 : 0);
    fputs("ENV PYTHONPATH=/install/lib/python3.12/site-packages\n", f);
    fclose(f);
}

static double time_plan(const char *path)
{
    double best = 1e9;
    for (int k = 0; k < 3; k++) {
        double t0 = now();
        da_install_plan plan;
        da_error err;
        if (da_install_plan_load(path, NULL, &plan, &err) != 0) {
            fprintf(stderr, "%s:%d: %s\n", err.file, err.line, err.message);
            exit(1);
        }
        char *j = da_install_plan_to_json(&plan);
        free(j);
        da_install_plan_free(&plan);
        double t = now() - t0;
        if (t < best)
            best = t;
    }
    return best;
}

int main(int argc, char **argv)
{
    char dir[] = "/tmp/bench-image-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char path[64];
    snprintf(path, sizeof(path), "%s/Dockerfile", dir);
    double base_env = 0, base_chain = 0;
    int base_n = 0;
    for (int a = 1; a < (argc > 1 ? argc : 3); a++) {
        int n = argc > 1 ? atoi(argv[a]) : (a == 1 ? 8000 : 16000);
        write_env_run(path, n);
        double te = time_plan(path);
        write_chain(path, n / 8);
        double tc = time_plan(path);
        if (!base_n) {
            base_n = n;
            base_env = te;
            base_chain = tc;
        }
        printf("N=%d: %d ENV/RUN pairs %.3f s (x%.2f), %d chained stages %.3f s (x%.2f)\n", n, n,
               te, te / base_env, n / 8, tc, tc / base_chain);
    }
    unlink(path);
    rmdir(dir);
    return 0;
}
