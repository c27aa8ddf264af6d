/* Import extraction throughput: MB/s over a corpus with 1 and 2 threads, against
 * a CPython ast walk of the same files in the same run, and peak RSS.
 *
 * Not a ctest. Build and run by hand (a quiet machine gives stable figures):
 *   cmake --build build --target bench_python_imports
 *   build/tests/bench/python/bench_python_imports [CORPUS_DIR [REPEATS]]
 * CORPUS_DIR defaults to /usr/lib/python3.11 (site-packages and dist-packages excluded);
 * REPEATS (default 3) runs each configuration that many times and keeps the best. */
#include "depaudit/imports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system, all threads) this process has used: on a shared machine the
 * wall clock says more about the neighbours than about us. */
static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void options(da_import_options *o, int threads)
{
    da_import_options_init(o);
    o->threads = threads;
    da_strlist_push(&o->excludes, "site-packages");
    da_strlist_push(&o->excludes, "dist-packages");
}

/* Best wall time of `repeats` scans; the JSON of the last one goes to *json. */
static double time_scan(const char *root, int threads, int repeats, size_t *records, char **json,
                        double *cpu)
{
    double best = 1e30;
    *cpu = 1e30;
    for (int r = 0; r < repeats; r++) {
        da_import_options o;
        options(&o, threads);
        da_import_set s = {0};
        da_error err;
        double t0 = now(), c0 = cpu_seconds();
        if (da_imports_scan(&root, 1, &o, &s, &err) < 0) {
            fprintf(stderr, "bench: %s: %s\n", err.file, err.message);
            exit(2);
        }
        double t = now() - t0, c = cpu_seconds() - c0;
        if (c < *cpu)
            *cpu = c;
        if (t < best)
            best = t;
        *records = s.len;
        if (r == repeats - 1) {
            free(*json);
            *json = da_imports_to_json(&s);
        }
        da_import_set_free(&s);
        da_import_options_free(&o);
    }
    return best;
}

/* Bytes of the .py/.ipynb files the scan reads, computed by the same walk rules via
 * Python so the figure does not depend on our own walker being right. */
static double corpus_megabytes(const char *root)
{
    char cmd[2048];
    snprintf(cmd, sizeof(cmd),
             "/usr/bin/python3 -c \"import os,sys\n"
             "t=0\n"
             "for d,ds,fs in os.walk(sys.argv[1]):\n"
             "  ds[:]=[x for x in ds if x not in ('site-packages','dist-packages','__pycache__',"
             "'.git','node_modules')]\n"
             "  t+=sum(os.path.getsize(os.path.join(d,f)) for f in fs if f.endswith(('.py',"
             "'.ipynb')) and os.path.isfile(os.path.join(d,f)))\n"
             "print(t)\" '%s'",
             root);
    FILE *p = popen(cmd, "r");
    double bytes = 0;
    if (!p || fscanf(p, "%lf", &bytes) != 1)
        bytes = 0;
    if (p)
        pclose(p);
    return bytes / 1e6;
}

/* A CPython ast walk over the same files (parse + collect Import/ImportFrom), best of
 * repeats, in seconds. */
static double time_python_ast(const char *root, int repeats, double *cpu)
{
    char cmd[4096];
    snprintf(cmd, sizeof(cmd),
             "/usr/bin/python3 -c \"import ast,os,sys,time,warnings\n"
             "warnings.simplefilter('ignore')\n"
             "files=[]\n"
             "for d,ds,fs in os.walk(sys.argv[1]):\n"
             "  ds[:]=[x for x in ds if x not in ('site-packages','dist-packages','__pycache__',"
             "'.git','node_modules')]\n"
             "  files+=[os.path.join(d,f) for f in fs if f.endswith('.py')]\n"
             "best=1e30; bestcpu=1e30\n"
             "for r in range(int(sys.argv[2])):\n"
             "  t0=time.monotonic(); c0=time.process_time(); n=0\n"
             "  for f in files:\n"
             "    try: tree=ast.parse(open(f,'rb').read())\n"
             "    except Exception: continue\n"
             "    n+=sum(1 for x in ast.walk(tree) if isinstance(x,(ast.Import,ast.ImportFrom)))\n"
             "  best=min(best,time.monotonic()-t0)\n"
             "  bestcpu=min(bestcpu,time.process_time()-c0)\n"
             "print(best, bestcpu)\" '%s' %d",
             root, repeats);
    FILE *p = popen(cmd, "r");
    double t = 0;
    if (!p || fscanf(p, "%lf %lf", &t, cpu) != 2)
        t = *cpu = 0;
    if (p)
        pclose(p);
    return t;
}

int main(int argc, char **argv)
{
    const char *root = argc > 1 ? argv[1] : "/usr/lib/python3.11";
    int repeats = argc > 2 ? atoi(argv[2]) : 3;
    if (repeats < 1)
        repeats = 1;
    double mb = corpus_megabytes(root);
    size_t records1 = 0, records2 = 0;
    char *json1 = NULL, *json2 = NULL;
    double c1, c2, cpy = 0;
    double t1 = time_scan(root, 1, repeats, &records1, &json1, &c1);
    double t2 = time_scan(root, 2, repeats, &records2, &json2, &c2);
    bool same = json1 && json2 && strcmp(json1, json2) == 0;
    double tpy = time_python_ast(root, repeats, &cpy);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("corpus: %s, %.1f MB, %zu import records\n", root, mb, records1);
    printf("                     wall      MB/s    cpu s  MB/cpu-s\n");
    printf("depaudit 1 thread : %6.2f s  %6.1f  %6.2f  %6.1f\n", t1, mb / t1, c1, mb / c1);
    printf("depaudit 2 threads: %6.2f s  %6.1f  %6.2f  %6.1f  (wall speed-up %.2fx)\n", t2, mb / t2,
           c2, mb / c2, t1 / t2);
    if (tpy > 0)
        printf("python ast walk   : %6.2f s  %6.1f  %6.2f  %6.1f  (depaudit 2 threads %.2fx "
               "faster by wall, 1 thread %.2fx by cpu)\n",
               tpy, mb / tpy, cpy, mb / cpy, tpy / t2, cpy / c1);
    printf("output identical for 1 and 2 threads: %s\n", same ? "yes" : "NO");
    printf("peak RSS of this process: %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
    free(json1);
    free(json2);
    return same ? 0 : 1;
}
