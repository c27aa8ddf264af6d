/* Fuzzes the whole `installs` path: a Dockerfile together with the files of its build
 * context, as one input (a tiny archive: the Dockerfile, then each file after a line
 * "%%% PATH"). The files are written into a fresh build context, the plan is loaded (RUN
 * bodies, sh -c bodies, requirements files, pyproject.toml, setup.cfg, setup.py, lock
 * files, exports, builds, stage chains), rendered as JSON and text, and turned into the
 * resolver's input. Whatever the bytes: no crash, no hang, no leak, no read outside. */
#include "depaudit/install_plan.h"
#include "depaudit/resolve.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_FILES = 16, MAX_DEPTH = 4 };

static char root[64];
static unsigned long run;

/* A relative path of plain names: letters, digits, . _ - and at most MAX_DEPTH levels;
 * NULL for anything else ("..", absolute, empty parts). */
static char *safe_path(const char *s, size_t n)
{
    if (n == 0 || n > 120 || s[0] == '/')
        return NULL;
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-' || c == '/';
        if (!ok || (c == '/' && (i == 0 || s[i - 1] == '/' || i + 1 == n)))
            return NULL;
        depth += c == '/';
    }
    char *p = da_xstrndup(s, n);
    if (depth > MAX_DEPTH || strstr(p, "..") || strcmp(p, ".") == 0) {
        free(p);
        return NULL;
    }
    return p;
}

static void write_file(const char *dir, const char *rel, const char *data, size_t len)
{
    char *path = da_xasprintf("%s/%s", dir, rel);
    for (char *q = path + strlen(dir) + 1; *q; q++)
        if (*q == '/') {
            *q = '\0';
            mkdir(path, 0700);
            *q = '/';
        }
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, len, f);
        fclose(f);
    }
    free(path);
}

static void remove_tree(const char *dir, const da_strlist *files)
{
    for (size_t i = files->len; i > 0; i--) {
        char *path = da_xasprintf("%s/%s", dir, files->items[i - 1]);
        unlink(path);
        for (char *slash = strrchr(path, '/'); slash && slash > path + strlen(dir);
             slash = strrchr(path, '/')) {
            *slash = '\0';
            rmdir(path);
        }
        free(path);
    }
    char *df = da_xasprintf("%s/Dockerfile", dir);
    unlink(df);
    free(df);
    rmdir(dir);
}

static void plan_once(const char *dockerfile, const char *context, const char *python)
{
    const char *args[] = {"INSTALL_DEV=true", "PKGS=a b>=1"};
    da_plan_options o = {
        .build_args = args, .nbuild_args = 2, .python_version = python, .context_dir = context};
    da_install_plan plan;
    da_error err;
    if (da_install_plan_load(dockerfile, &o, &plan, &err) != 0)
        return;
    char *j = da_install_plan_to_json(&plan);
    char *t = da_install_plan_to_text(&plan);
    free(j);
    free(t);
    da_resolve_input in;
    if (da_resolve_input_from_plan(&plan, &in, &err) == 0)
        da_resolve_input_free(&in);
    da_install_plan_free(&plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!root[0]) {
        snprintf(root, sizeof(root), "/tmp/da-fuzz-installs-XXXXXX");
        if (!mkdtemp(root))
            abort();
    }
    if (memchr(data, '\0', size))
        return 0;
    char *copy = da_xstrndup((const char *)data, size);
    char *dir = da_xasprintf("%s/%lu", root, run++);
    mkdir(dir, 0700);
    da_strlist files = {0};
    char *sep = strstr(copy, "\n%%% ");
    size_t df_len = sep ? (size_t)(sep - copy) + 1 : size;
    for (size_t n = 0; sep && n < MAX_FILES; n++) {
        char *name = sep + 5;
        char *eol = strchr(name, '\n');
        char *body = eol ? eol + 1 : name + strlen(name);
        char *next = strstr(body, "\n%%% ");
        size_t body_len = next ? (size_t)(next - body) + 1 : strlen(body);
        char *rel = safe_path(name, eol ? (size_t)(eol - name) : strlen(name));
        if (rel && strcmp(rel, "Dockerfile") != 0 && !da_strlist_contains(&files, rel)) {
            write_file(dir, rel, body, body_len);
            da_strlist_push(&files, rel);
        }
        free(rel);
        sep = next;
    }
    char *df = da_xasprintf("%s/Dockerfile", dir);
    write_file(dir, "Dockerfile", copy, df_len);
    plan_once(df, dir, NULL);
    if (size & 1) /* another Python, for the markers of locks and pyprojects */
        plan_once(df, dir, "3.8");
    free(df);
    remove_tree(dir, &files);
    da_strlist_free(&files);
    free(dir);
    free(copy);
    return 0;
}
