/* Scanning roots with a small thread pool, streaming. Workers take the next file index
 * from a shared counter and fill that file's slot in a ring of WINDOW slots; the calling
 * thread hands the slots over in file order as they complete (and works too while it
 * waits). A worker may not run further ahead than the ring, so memory is bounded by the
 * files in flight, and the output is the same for any number of threads. */
#include "python_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { SLOT_FREE, SLOT_BUSY, SLOT_DONE };

typedef struct slot {
    da_import_set set;
    int state;
} slot;

/* Hands a file's finished set over, in order; may take its contents. Nonzero stops. */
typedef int (*take_fn)(da_import_set *batch, void *ctx);

typedef struct scan_job {
    const char *const *roots;
    const da_source_list *files;
    const da_import_options *o;
    size_t max_bytes;
    slot *ring;
    size_t window;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t next;    /* next file index to take */
    size_t emitted; /* files handed over */
    bool stop;
} scan_job;

static void scan_one(da_py_extractor *ex, da_source_buf *buf, const scan_job *job, size_t i,
                     da_import_set *out)
{
    const da_source_file *f = &job->files->items[i];
    const char *root = job->roots[f->root_index];
    size_t len;
    char *message;
    if (da_py_read_source(f->path, job->max_bytes, buf, &len, &message) < 0) {
        da_import_set_add_error(out, root, f->rel, 0, "%s", message);
        free(message);
        return;
    }
    da_py_extract_file_bytes(ex, root, f->rel, buf->data, len, true, out);
    da_py_source_buf_release(buf, true);
}

/* Under the lock: a file index this thread may take now, or false. */
static bool claim(scan_job *job, size_t *i)
{
    if (job->stop || job->next >= job->files->len || job->next >= job->emitted + job->window)
        return false;
    *i = job->next++;
    job->ring[*i % job->window].state = SLOT_BUSY;
    return true;
}

/* Called with the lock held; returns with it held. */
static void work(scan_job *job, da_py_extractor *ex, da_source_buf *buf, size_t i)
{
    da_import_set result = {0};
    pthread_mutex_unlock(&job->lock);
    scan_one(ex, buf, job, i, &result);
    pthread_mutex_lock(&job->lock);
    slot *s = &job->ring[i % job->window];
    s->set = result;
    s->state = SLOT_DONE;
    pthread_cond_broadcast(&job->changed);
}

static void *worker(void *arg)
{
    scan_job *job = arg;
    da_py_extractor ex;
    da_py_extractor_init(&ex, job->o->parser);
    da_source_buf buf = {0};
    pthread_mutex_lock(&job->lock);
    while (!job->stop && job->next < job->files->len) {
        size_t i;
        if (claim(job, &i))
            work(job, &ex, &buf, i);
        else
            pthread_cond_wait(&job->changed, &job->lock);
    }
    pthread_mutex_unlock(&job->lock);
    da_py_source_buf_release(&buf, false);
    da_py_extractor_free(&ex);
    return NULL;
}

/* The calling thread: hands finished files over in order, and works when it can. */
static int run(scan_job *job, take_fn take, void *ctx)
{
    da_py_extractor ex;
    da_py_extractor_init(&ex, job->o->parser);
    da_source_buf buf = {0};
    int rc = 0;
    pthread_mutex_lock(&job->lock);
    while (job->emitted < job->files->len && rc == 0) {
        slot *s = &job->ring[job->emitted % job->window];
        size_t i;
        if (s->state == SLOT_DONE) {
            da_import_set batch = s->set;
            memset(&s->set, 0, sizeof(s->set));
            s->state = SLOT_FREE;
            job->emitted++;
            pthread_cond_broadcast(&job->changed);
            pthread_mutex_unlock(&job->lock);
            rc = take(&batch, ctx);
            da_import_set_free(&batch);
            pthread_mutex_lock(&job->lock);
        } else if (claim(job, &i)) {
            work(job, &ex, &buf, i);
        } else {
            pthread_cond_wait(&job->changed, &job->lock);
        }
    }
    job->stop = true;
    pthread_cond_broadcast(&job->changed);
    pthread_mutex_unlock(&job->lock);
    da_py_source_buf_release(&buf, false);
    da_py_extractor_free(&ex);
    return rc;
}

static int scan_files(const char *const *roots, const da_source_list *files,
                      const da_import_options *o, take_fn take, void *ctx)
{
    int threads = o->threads > 0 ? o->threads : 2;
    if ((size_t)threads > files->len)
        threads = files->len > 0 ? (int)files->len : 1;
    scan_job job = {.roots = roots, .files = files, .o = o};
    job.max_bytes = o->max_file_bytes ? o->max_file_bytes : DA_IMPORTS_DEFAULT_MAX_FILE_BYTES;
    job.window = (size_t)threads * 4;
    job.ring = da_xcalloc(job.window, sizeof(*job.ring));
    pthread_mutex_init(&job.lock, NULL);
    pthread_cond_init(&job.changed, NULL);
    pthread_t *tids = da_xcalloc((size_t)threads, sizeof(*tids));
    int started = 0;
    for (int t = 1; t < threads; t++) {
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        /* The parsers are iterative or depth-limited; 8 MiB matches the main thread. */
        pthread_attr_setstacksize(&attr, 8u << 20);
        if (pthread_create(&tids[started], &attr, worker, &job) == 0)
            started++;
        pthread_attr_destroy(&attr);
    }
    int rc = run(&job, take, ctx);
    for (int t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    for (size_t k = 0; k < job.window; k++)
        da_import_set_free(&job.ring[k].set);
    free(tids);
    free(job.ring);
    pthread_cond_destroy(&job.changed);
    pthread_mutex_destroy(&job.lock);
    return rc;
}

/* What every batch goes through before it is handed over: classification, and group ids
 * made unique across the scan; the summary keeps the counts and warnings. */
typedef struct stream_state {
    const da_import_options *o;
    da_import_set *summary;
    take_fn take;
    void *ctx;
} stream_state;

static int finish_batch(da_import_set *batch, void *arg)
{
    stream_state *st = arg;
    da_import_set *sum = st->summary;
    for (size_t i = 0; i < batch->len; i++)
        if (batch->items[i].alternative_group > 0)
            batch->items[i].alternative_group += sum->next_group;
    sum->next_group += batch->next_group;
    batch->next_group = sum->next_group;
    /* The walk leaves the first-party names sorted. */
    da_py_classify(batch->items, batch->len, &sum->first_party, true, st->o->py_major,
                   st->o->py_minor, &st->o->extra_first_party);
    sum->files += batch->files;
    sum->fast_parsed += batch->fast_parsed;
    sum->dynamic_unresolved += batch->dynamic_unresolved;
    for (size_t i = 0; i < batch->nerrors; i++) {
        const da_import_error *e = &batch->errors[i];
        da_import_set_add_error(sum, e->root, e->file, e->line, "%s", e->message);
    }
    return st->take(batch, st->ctx);
}

static int scan_with(const char *const *roots, size_t nroots, const da_import_options *o,
                     int (*begin)(const da_import_set *, void *), take_fn take, void *ctx,
                     da_import_set *summary, da_error *err)
{
    da_import_options defaults;
    if (!o) {
        da_import_options_init(&defaults);
        o = &defaults;
    }
    da_source_list files = {0};
    int rc =
        da_walk_roots(roots, nroots, &o->excludes, &files, &summary->first_party, summary, err);
    if (rc == 0 && begin)
        rc = begin(summary, ctx);
    if (rc == 0) {
        stream_state st = {o, summary, take, ctx};
        rc = scan_files(roots, &files, o, finish_batch, &st);
    }
    da_source_list_free(&files);
    if (o == &defaults)
        da_import_options_free(&defaults);
    return rc;
}

static int take_into_set(da_import_set *batch, void *ctx)
{
    da_import_set *out = ctx;
    if (batch->len == 0)
        return 0;
    da_grow((void **)&out->items, &out->cap, out->len + batch->len, sizeof(*out->items));
    memcpy(out->items + out->len, batch->items, batch->len * sizeof(*batch->items));
    out->len += batch->len;
    batch->len = 0; /* the records moved; the batch's errors went to the summary */
    return 0;
}

int da_imports_scan(const char *const *roots, size_t nroots, const da_import_options *o,
                    da_import_set *out, da_error *err)
{
    return scan_with(roots, nroots, o, NULL, take_into_set, out, out, err);
}

typedef struct sink_adapter {
    const da_import_sink *sink;
} sink_adapter;

static int adapt_begin(const da_import_set *summary, void *ctx)
{
    const da_import_sink *sink = ((sink_adapter *)ctx)->sink;
    return sink->begin ? sink->begin(summary, sink->ctx) : 0;
}

static int adapt_file(da_import_set *batch, void *ctx)
{
    const da_import_sink *sink = ((sink_adapter *)ctx)->sink;
    return sink->file ? sink->file(batch, sink->ctx) : 0;
}

int da_imports_scan_stream(const char *const *roots, size_t nroots, const da_import_options *o,
                           const da_import_sink *sink, da_import_set *summary, da_error *err)
{
    sink_adapter a = {sink};
    return scan_with(roots, nroots, o, adapt_begin, adapt_file, &a, summary, err);
}
