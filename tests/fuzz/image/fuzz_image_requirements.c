/* Fuzzes the requirements-file reader: the input is a set of files (split at lines
 * "%%" into a.txt, b.txt, ...) served from memory, so -r/-c nesting, cycles and missing
 * files are all reachable without touching the disk. The first file is also read as a
 * pyproject.toml, a Pipfile and a poetry/uv lock file (the other manifest readers). */
#include "depaudit/install_plan.h"
#include "image/requirements/lock.h"
#include "image/requirements/pyproject.h"
#include "image/requirements/requirements_reader.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct files {
    const char *data[8];
    size_t len[8];
    size_t n;
} files;

static int resolve(void *ctx, const char *path, rq_content *out, char **why)
{
    const files *fs = ctx;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strlen(base) == 5 && base[0] >= 'a' && (size_t)(base[0] - 'a') < fs->n &&
        strcmp(base + 1, ".txt") == 0) {
        size_t k = (size_t)(base[0] - 'a');
        df_text_append(&out->text, fs->data[k], fs->len[k], 0, true);
        out->host_file = da_xstrdup(base);
        out->host_data = da_xstrndup(fs->data[k], fs->len[k]);
        out->host_len = strlen(out->host_data);
        return 0;
    }
    *why = da_xstrdup("not in the fuzz input");
    return -1;
}

static const char *lookup(void *ctx, const char *name)
{
    (void)ctx;
    return strcmp(name, "VER") == 0 ? "1.0" : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = da_xstrndup((const char *)data, size); /* stops at a NUL, like a file read */
    files fs = {{0}, {0}, 0};
    const char *p = copy;
    while (fs.n < 8) {
        const char *sep = strstr(p, "\n%%\n");
        fs.data[fs.n] = p;
        fs.len[fs.n] = sep ? (size_t)(sep - p) + 1 : strlen(p);
        fs.n++;
        if (!sep)
            break;
        p = sep + 4;
    }
    da_requirements_file out;
    memset(&out, 0, sizeof(out));
    ex_env env = {lookup, NULL, NULL, false};
    rq_reader r;
    memset(&r, 0, sizeof(r));
    r.resolve = resolve;
    r.resolve_ctx = &fs;
    r.env = &env;
    r.out = &out;
    r.missing_is_error = (size & 1) != 0;
    da_error err;
    if (rq_read(&r, "/ctx/a.txt", false, NULL, "Dockerfile", 1, &err) == 0) {
        for (size_t i = 0; i < out.nreqs; i++)
            if (out.reqs[i].where.start > out.reqs[i].where.end)
                abort();
    }
    rq_reader_free(&r);
    da_requirements_file_free(&out);
    rq_content c;
    memset(&c, 0, sizeof(c));
    df_text_append(&c.text, fs.data[0], fs.len[0], 0, true);
    c.host_file = da_xstrdup("pyproject.toml");
    c.host_data = da_xstrndup(fs.data[0], fs.len[0]);
    c.host_len = strlen(c.host_data);
    int (*readers[])(const rq_content *, const char *, da_pyproject *,
                     da_error *) = {rq_pyproject_parse, rq_pipfile_parse};
    for (size_t k = 0; k < 2; k++) {
        da_pyproject proj;
        if (readers[k](&c, "pyproject.toml", &proj, &err) == 0) {
            for (size_t i = 0; i < proj.ndependencies; i++)
                if (proj.dependencies[i].where.start > proj.dependencies[i].where.end)
                    abort();
            da_pyproject_free(&proj);
        }
    }
    const char *locks[] = {"uv.lock", "poetry.lock", "pdm.lock", "pylock.toml"};
    for (size_t k = 0; k < 4; k++) {
        rq_lock lock;
        if (rq_lock_read(&c, locks[k], &lock, &err) == 0) {
            da_target t;
            da_target_init(&t, 3, 12, -1);
            da_marker_env menv;
            da_marker_env_from_target(&menv, &t);
            rq_lock_request rq;
            memset(&rq, 0, sizeof(rq));
            rq.use_lock_projects = true;
            rq.main = true;
            rq.all_extras = true;
            rq.env = &menv;
            da_strlist_push(&rq.groups, "dev");
            rq_lock_selection sel;
            rq_lock_select(&lock, &rq, &sel);
            rq_lock_selection_free(&sel);
            rq.by_group = true;
            rq_lock_select(&lock, &rq, &sel);
            rq_lock_selection_free(&sel);
            rq_lock_request_free(&rq);
            rq_lock_free(&lock);
        }
    }
    rq_content_free(&c);
    free(copy);
    return 0;
}
