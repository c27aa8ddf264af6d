/* Benchmark of the audit core on a synthetic project: FILES first-party modules in one
 * package, each importing IMPORTS modules (third-party ones from an environment of DISTS
 * distributions, and the next first-party module, so the boot path is a long chain).
 * Not registered with ctest. Run by hand, e.g.:
 *   build/tests/bench/audit/bench_audit 2000 12 300
 * It prints the time of da_audit_run (best of 3) and the findings count. */
#include "depaudit/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void add_import(da_import_set *s, const char *root, const char *file, int line,
                       const char *module, da_import_class klass)
{
    da_grow((void **)&s->items, &s->cap, s->len + 1, sizeof(*s->items));
    da_import *r = &s->items[s->len++];
    memset(r, 0, sizeof(*r));
    r->root = da_xstrdup(root);
    r->file = da_xstrdup(file);
    r->line = line;
    r->col = 1;
    r->module = da_xstrdup(module);
    r->klass = klass;
}

int main(int argc, char **argv)
{
    int files = argc > 1 ? atoi(argv[1]) : 2000;
    int imports = argc > 2 ? atoi(argv[2]) : 12;
    int dists = argc > 3 ? atoi(argv[3]) : 300;
    char root[] = "/tmp/depaudit-bench-audit-XXXXXX";
    if (!mkdtemp(root))
        return 1;
    char *pkg = da_xasprintf("%s/app", root);
    mkdir(pkg, 0755);
    da_import_set set = {0};
    for (int f = 0; f < files; f++) {
        char *rel = da_xasprintf("app/m%05d.py", f);
        char *path = da_xasprintf("%s/%s", root, rel);
        FILE *fp = fopen(path, "w");
        if (fp)
            fclose(fp);
        for (int i = 0; i < imports - 2; i++) {
            char *m = da_xasprintf("dist%d.sub%d", (f * 7 + i) % (dists + 5), i);
            add_import(&set, root, rel, i + 1, m, DA_CLASS_THIRD_PARTY);
            free(m);
        }
        for (int k = 1; k <= 2; k++) {
            char *child = da_xasprintf("app.m%05d", (2 * f + k) % files);
            add_import(&set, root, rel, imports - 2 + k, child, DA_CLASS_FIRST_PARTY);
            free(child);
        }
        free(path);
        free(rel);
        set.files++;
    }
    da_environment env = {0};
    env.dists = da_xcalloc((size_t)dists, sizeof(*env.dists));
    env.ndists = (size_t)dists;
    for (int d = 0; d < dists; d++) {
        da_resolved_dist *x = &env.dists[d];
        x->name = da_xasprintf("dist%d", d);
        x->version = da_xstrdup("1.0");
        x->requested = true;
        x->release = da_xcalloc(1, sizeof(da_release));
        x->release->name = da_xstrdup(x->name);
        x->release->version = da_xstrdup("1.0");
        x->release->modules_known = true;
        char *m = da_xasprintf("dist%d", d);
        da_strlist_push_owned(&x->release->modules, m);
    }
    da_install_plan plan;
    memset(&plan, 0, sizeof(plan));
    da_target_init(&plan.target, 3, 11, -1);
    plan.dockerfile = da_xasprintf("%s/Dockerfile", root);
    plan.context_dir = da_xstrdup(root);
    da_strlist_push(&plan.cmd, "python");
    da_strlist_push(&plan.cmd, "-m");
    da_strlist_push(&plan.cmd, "app.m00000");
    da_audit_input in = {0};
    in.imports = &set;
    in.plan = &plan;
    in.env = &env;
    in.cwd = root;
    double best = 1e9;
    size_t nfind = 0;
    for (int rep = 0; rep < 3; rep++) {
        da_findings out;
        da_error err;
        double t0 = now();
        if (da_audit_run(&in, &out, &err) != 0)
            return 1;
        double t = now() - t0;
        if (t < best)
            best = t;
        nfind = out.len;
        da_findings_free(&out);
    }
    printf("files=%d imports/file=%d dists=%d records=%zu: da_audit_run %.1f ms (best of 3), "
           "%zu findings\n",
           files, imports, dists, set.len, best * 1e3, nfind);
    for (size_t i = 0; i < set.len; i++) {
        free(set.items[i].root);
        free(set.items[i].file);
        free(set.items[i].module);
    }
    free(set.items);
    for (size_t d = 0; d < env.ndists; d++) {
        free(env.dists[d].name);
        free(env.dists[d].version);
        da_release_free(env.dists[d].release);
    }
    free(env.dists);
    da_strlist_free(&plan.cmd);
    free(plan.dockerfile);
    free(plan.context_dir);
    free(pkg);
    char *cmd = da_xasprintf("rm -rf '%s'", root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", root);
    free(cmd);
    return 0;
}
