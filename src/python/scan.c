/* Scanning roots with a small thread pool. Each worker takes the next file index from a
 * shared counter and fills that file's own result slot; the slots are then concatenated
 * in file order, so the output is the same for any number of threads. */
#include "python_internal.h"

#include "depaudit/grammars.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct scan_job {
    const char *const *roots;
    const da_source_list *files;
    da_import_set *results; /* one per file */
    size_t max_bytes;       /* a source file larger than this is skipped with a warning */
    atomic_size_t next;
} scan_job;

/* The directory a file of root must stay in: the root itself when it is a directory (a
 * link out of it is not read), none for a file named as a root. */
static const char *containing_root(const char *root)
{
    struct stat st;
    return stat(root, &st) == 0 && S_ISDIR(st.st_mode) ? root : NULL;
}

static void scan_one(TSParser *parser, scan_job *job, size_t i)
{
    const da_source_file *f = &job->files->items[i];
    const char *root = job->roots[f->root_index];
    da_import_set *out = &job->results[i];
    char *bytes = NULL;
    size_t len = 0;
    da_error e;
    da_error_clear(&e);
    if (da_read_file_under(containing_root(root), f->path, job->max_bytes, &bytes, &len, &e) < 0) {
        da_import_set_add_error(out, root, f->rel, 0, "%s", e.message);
        return;
    }
    da_py_extract_file_bytes(parser, root, f->rel, bytes, len, out);
    free(bytes);
}

static void *worker(void *arg)
{
    scan_job *job = arg;
    TSParser *parser = ts_parser_new();
    ts_parser_set_language(parser, tree_sitter_python());
    for (;;) {
        size_t i = atomic_fetch_add(&job->next, 1);
        if (i >= job->files->len)
            break;
        scan_one(parser, job, i);
    }
    ts_parser_delete(parser);
    return NULL;
}

int da_imports_scan(const char *const *roots, size_t nroots, const da_import_options *o,
                    da_import_set *out, da_error *err)
{
    da_import_options defaults;
    if (!o) {
        da_import_options_init(&defaults);
        o = &defaults;
    }
    da_source_list files = {0};
    if (da_walk_roots(roots, nroots, &o->excludes, &files, &out->first_party, out, err) < 0) {
        da_source_list_free(&files);
        return -1;
    }
    scan_job job = {.roots = roots, .files = &files};
    job.max_bytes = o->max_file_bytes ? o->max_file_bytes : DA_SOURCE_FILE_MAX;
    job.results = da_xcalloc(files.len ? files.len : 1, sizeof(*job.results));
    atomic_init(&job.next, 0);
    int threads = o->threads > 0 ? o->threads : 2;
    if ((size_t)threads > files.len)
        threads = files.len > 0 ? (int)files.len : 1;
    pthread_t *tids = da_xcalloc((size_t)threads, sizeof(*tids));
    int started = 0;
    /* The calling thread is a worker too; extra threads only when there is work. */
    for (int t = 1; t < threads; t++) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        /* tree-sitter and our walk are iterative; 8 MiB matches the main thread anyway. */
        pthread_attr_setstacksize(&attr, 8u << 20);
        if (pthread_create(&tids[started], &attr, worker, &job) == 0)
            started++;
        pthread_attr_destroy(&attr);
    }
    worker(&job);
    for (int t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    free(tids);
    for (size_t i = 0; i < files.len; i++)
        da_import_set_move(out, &job.results[i]);
    free(job.results);
    da_source_list_free(&files);
    da_imports_classify(out, o->py_major, o->py_minor, &o->extra_first_party);
    return 0;
}
