/* Import extraction throughput: MB/s single-thread and with N threads, peak RSS,
 * and the ratio to a CPython ast.parse + ast.walk script over the same files, measured in
 * pairs: each pair runs depaudit and Python back to back (alternating which goes first), so
 * on a shared, noisy machine both see the same neighbours, and the median pair ratio is
 * reported. Times are CPU seconds (user + system, from wait4) and wall seconds; both
 * programs are measured as whole processes (start-up, finding the files, reading them).
 *
 * Not a ctest. Build and run by hand:
 *   cmake --build build --target bench_python_imports depaudit_cli
 *   build/tests/bench/python/bench_python_imports [OPTIONS] [ROOT...]
 * Options:
 *   --pairs N        depaudit/Python pairs (default 5)
 *   --threads N,...  thread counts for the multi-thread runs (default 2,4)
 *   --before PATH    an older depaudit binary: paired against this one as well (before/after)
 *   --depaudit PATH  the binary measured (default: this build's)
 *   --callgrind      also count instructions (valgrind --tool=callgrind) of one 1-thread
 *                    run of each binary: a measure that does not depend on the neighbours
 * ROOT defaults to the CPython 3.11 tree of the issue (stdlib + site-packages, ~128 MB) when
 * the machine has it, else to /usr/lib/python3.11. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef BENCH_DEPAUDIT
#define BENCH_DEPAUDIT "depaudit"
#endif

/* The Python side: the same file set as depaudit's walk (skipping .git, .hg, .svn,
 * node_modules, __pycache__ and virtualenvs below a root), each parsed and walked for
 * Import/ImportFrom nodes. Prints the files and bytes it read. */
static const char python_script[] =
    "import ast, os, sys, warnings\n"
    "warnings.simplefilter('ignore')\n"
    "skip = {'.git', '.hg', '.svn', 'node_modules', '__pycache__'}\n"
    "files = nbytes = records = 0\n"
    "for root in sys.argv[1:]:\n"
    "    for d, ds, fs in os.walk(root):\n"
    "        ds[:] = [x for x in ds if x not in skip and\n"
    "                 not os.path.exists(os.path.join(d, x, 'pyvenv.cfg'))]\n"
    "        for f in fs:\n"
    "            if not f.endswith('.py'):\n"
    "                continue\n"
    "            with open(os.path.join(d, f), 'rb') as h:\n"
    "                data = h.read()\n"
    "            files += 1\n"
    "            nbytes += len(data)\n"
    "            try:\n"
    "                tree = ast.parse(data)\n"
    "            except Exception:\n"
    "                continue\n"
    "            records += sum(1 for n in ast.walk(tree)\n"
    "                           if isinstance(n, (ast.Import, ast.ImportFrom)))\n"
    "print(files, nbytes, records)\n";

typedef struct run {
    double wall, cpu;
    long rss_kb;
    int status;
} run;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv with stdout to out_path (or /dev/null), stderr to /dev/null; measures it. */
static run measure(char *const argv[], const char *out_path)
{
    run r = {0};
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench: fork");
        exit(2);
    }
    if (pid == 0) {
        int out = open(out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int null = open("/dev/null", O_WRONLY);
        dup2(out, 1);
        dup2(null, 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    struct rusage ru;
    int status;
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    r.wall = now() - t0;
    r.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
            (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
    r.rss_kb = ru.ru_maxrss;
    r.status = status;
    return r;
}

typedef struct config {
    const char *depaudit, *before;
    int pairs;
    int threads[8];
    int nthreads;
    bool callgrind;
    char **roots;
    int nroots;
} config;

/* depaudit imports --format json --threads T ROOT... */
static char **depaudit_argv(const config *c, const char *binary, int threads, char *tbuf)
{
    char **argv = calloc((size_t)c->nroots + 8, sizeof(char *));
    int n = 0;
    snprintf(tbuf, 16, "%d", threads);
    argv[n++] = (char *)binary;
    argv[n++] = "imports";
    argv[n++] = "--format";
    argv[n++] = "json";
    argv[n++] = "--threads";
    argv[n++] = tbuf;
    for (int i = 0; i < c->nroots; i++)
        argv[n++] = c->roots[i];
    return argv;
}

static char **python_argv(const config *c)
{
    char **argv = calloc((size_t)c->nroots + 4, sizeof(char *));
    int n = 0;
    argv[n++] = "/usr/bin/python3";
    argv[n++] = "-c";
    argv[n++] = (char *)python_script;
    for (int i = 0; i < c->nroots; i++)
        argv[n++] = c->roots[i];
    return argv;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), compare_doubles);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The .py files and their bytes, as the Python side counts them (one extra run of it). */
static double python_megabytes(const config *c, long *files)
{
    char path[] = "/tmp/bench-python-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    run r = measure(python_argv(c), path);
    FILE *f = fopen(path, "r");
    long nfiles = 0, bytes = 0, records = 0;
    if (!f || fscanf(f, "%ld %ld %ld", &nfiles, &bytes, &records) != 3 || r.status != 0) {
        fprintf(stderr, "bench: the Python script failed\n");
        exit(2);
    }
    fclose(f);
    unlink(path);
    *files = nfiles;
    return (double)bytes / 1e6;
}

static void paired(const config *c, const char *label, char **a_argv, const char *b_label,
                   char **b_argv, double mb)
{
    double ratio_cpu[64] = {0}, ratio_wall[64] = {0}, a_cpu[64] = {0}, a_wall[64] = {0};
    double b_cpu[64] = {0}, b_wall[64] = {0};
    long rss = 0;
    for (int i = 0; i < c->pairs; i++) {
        run a, b;
        if (i % 2 == 0) {
            a = measure(a_argv, NULL);
            b = measure(b_argv, NULL);
        } else {
            b = measure(b_argv, NULL);
            a = measure(a_argv, NULL);
        }
        if (a.rss_kb > rss)
            rss = a.rss_kb;
        a_cpu[i] = a.cpu, a_wall[i] = a.wall, b_cpu[i] = b.cpu, b_wall[i] = b.wall;
        ratio_cpu[i] = b.cpu / a.cpu;
        ratio_wall[i] = b.wall / a.wall;
        printf("  pair %d: %s %.2f s cpu %.2f s wall; %s %.2f s cpu %.2f s wall; ratio %.1fx cpu "
               "%.1fx wall\n",
               i + 1, label, a.cpu, a.wall, b_label, b.cpu, b.wall, ratio_cpu[i], ratio_wall[i]);
        fflush(stdout);
    }
    double rmin = ratio_cpu[0], rmax = ratio_cpu[0];
    for (int i = 1; i < c->pairs; i++) {
        rmin = fmin(rmin, ratio_cpu[i]);
        rmax = fmax(rmax, ratio_cpu[i]);
    }
    double ac = median(a_cpu, c->pairs), aw = median(a_wall, c->pairs);
    double bc = median(b_cpu, c->pairs), bw = median(b_wall, c->pairs);
    printf("%s, 1 thread: %.1f MB/s by cpu (%.2f s), %.1f MB/s by wall (%.2f s); peak RSS %.1f "
           "MiB\n",
           label, mb / ac, ac, mb / aw, aw, (double)rss / 1024.0);
    printf("%s: %.1f MB/s by cpu (%.2f s), %.1f MB/s by wall (%.2f s)\n", b_label, mb / bc, bc,
           mb / bw, bw);
    printf("paired ratio %s/%s: median %.1fx by cpu (range %.1f-%.1f), %.1fx by wall\n\n", b_label,
           label, median(ratio_cpu, c->pairs), rmin, rmax, median(ratio_wall, c->pairs));
}

static void threads_runs(const config *c, double mb)
{
    char tbuf[16];
    char **one = depaudit_argv(c, c->depaudit, 1, tbuf);
    run base = measure(one, NULL);
    printf("threads   wall s   MB/s wall   speed-up   cpu s   peak RSS MiB\n");
    printf("%7d   %6.2f   %9.1f   %8.2f   %5.2f   %12.1f\n", 1, base.wall, mb / base.wall, 1.0,
           base.cpu, (double)base.rss_kb / 1024.0);
    for (int i = 0; i < c->nthreads; i++) {
        char tb[16];
        char **argv = depaudit_argv(c, c->depaudit, c->threads[i], tb);
        run r = measure(argv, NULL);
        printf("%7d   %6.2f   %9.1f   %8.2f   %5.2f   %12.1f\n", c->threads[i], r.wall, mb / r.wall,
               base.wall / r.wall, r.cpu, (double)r.rss_kb / 1024.0);
        free(argv);
    }
    printf("(one run each: on a shared machine the wall figures move with the neighbours; the "
           "machine has %ld cores)\n\n",
           sysconf(_SC_NPROCESSORS_ONLN));
    free(one);
}

/* Instructions of one 1-thread run under callgrind. */
static double instructions(const config *c, const char *binary)
{
    char tbuf[16], out[] = "/tmp/bench-callgrind-XXXXXX", log[] = "/tmp/bench-cglog-XXXXXX";
    close(mkstemp(out));
    close(mkstemp(log));
    char **d = depaudit_argv(c, binary, 1, tbuf);
    char file_opt[64], log_opt[64];
    snprintf(file_opt, sizeof(file_opt), "--callgrind-out-file=%s", out);
    snprintf(log_opt, sizeof(log_opt), "--log-file=%s", log);
    char *argv[64] = {"valgrind", "--tool=callgrind", file_opt, log_opt};
    int n = 4;
    for (int i = 0; d[i] && n < 63; i++)
        argv[n++] = d[i];
    measure(argv, NULL);
    FILE *f = fopen(log, "r");
    char line[512];
    double ir = 0;
    while (f && fgets(line, sizeof(line), f)) {
        char *p = strstr(line, "refs:");
        if (p) {
            char digits[64] = {0};
            size_t k = 0;
            for (p += 5; *p && k < sizeof(digits) - 1; p++)
                if (*p >= '0' && *p <= '9')
                    digits[k++] = *p;
            ir = atof(digits);
        }
    }
    if (f)
        fclose(f);
    unlink(out);
    unlink(log);
    free(d);
    return ir;
}

static void parse_args(config *c, int argc, char **argv)
{
    c->depaudit = BENCH_DEPAUDIT;
    c->pairs = 5;
    c->threads[0] = 2;
    c->threads[1] = 4;
    c->nthreads = 2;
    static char *default_root[1];
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--pairs") == 0 && i + 1 < argc) {
            c->pairs = atoi(argv[++i]);
            if (c->pairs < 1 || c->pairs > 64)
                c->pairs = 5;
        } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            c->nthreads = 0;
            for (char *t = strtok(argv[++i], ","); t && c->nthreads < 8; t = strtok(NULL, ","))
                c->threads[c->nthreads++] = atoi(t);
        } else if (strcmp(argv[i], "--before") == 0 && i + 1 < argc) {
            c->before = argv[++i];
        } else if (strcmp(argv[i], "--depaudit") == 0 && i + 1 < argc) {
            c->depaudit = argv[++i];
        } else if (strcmp(argv[i], "--callgrind") == 0) {
            c->callgrind = true;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "bench: unknown option %s (see the comment at the top)\n", argv[i]);
            exit(2);
        } else {
            c->roots = &argv[i];
            c->nroots = argc - i;
            break;
        }
    }
    if (c->nroots == 0) {
        struct stat st;
        default_root[0] = stat("/root/.pyenv/versions/3.11.7/lib/python3.11", &st) == 0
                              ? "/root/.pyenv/versions/3.11.7/lib/python3.11"
                              : "/usr/lib/python3.11";
        c->roots = default_root;
        c->nroots = 1;
    }
}

int main(int argc, char **argv)
{
    config c = {0};
    parse_args(&c, argc, argv);
    long files;
    double mb = python_megabytes(&c, &files);
    printf("corpus:");
    for (int i = 0; i < c.nroots; i++)
        printf(" %s", c.roots[i]);
    printf("\n  %ld .py files, %.1f MB; %d pairs; depaudit %s\n\n", files, mb, c.pairs, c.depaudit);
    char tbuf[16], tbuf2[16];
    char **da = depaudit_argv(&c, c.depaudit, 1, tbuf);
    char **py = python_argv(&c);
    paired(&c, "depaudit", da, "python-ast", py, mb);
    if (c.before) {
        char **old = depaudit_argv(&c, c.before, 1, tbuf2);
        paired(&c, "depaudit", da, "before", old, mb);
        free(old);
    }
    threads_runs(&c, mb);
    if (c.callgrind) {
        double ir = instructions(&c, c.depaudit);
        printf("callgrind: depaudit %.3g instructions, %.1f per byte\n", ir, ir / (mb * 1e6));
        if (c.before) {
            double old = instructions(&c, c.before);
            printf("callgrind: before %.3g instructions, %.1f per byte (%.1fx as many)\n", old,
                   old / (mb * 1e6), old / ir);
        }
    }
    free(da);
    free(py);
    return 0;
}
