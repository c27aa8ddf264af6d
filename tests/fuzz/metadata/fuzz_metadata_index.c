/* The whole metadata source against a hostile index, through the da_transport seam: every
 * reader reachable from an index (PEP 691 JSON and PEP 503 HTML pages, the file choice,
 * PEP 658 .metadata files and core metadata, Content-Range handling, the zip reader over
 * the fetched ranges, the module list from the wheel's names) sees bytes the fuzzer chose.
 * Answers must be well-formed and failures must say why; nothing may crash, leak or loop.
 *
 * The input is split at "\n--8<--\n" into responses:
 *   part 0   the project page of "demo" (JSON when it starts with '{', else HTML), 200;
 *            empty: 404
 *   part 1   the body of every .metadata file (200); empty: 404
 *   part 2.. the wheel: each wheel request takes the next part (the last one repeats). A
 *            part may start with a line saying how it is served:
 *              "FILE\n"  the rest is the whole file; Range requests get 206 slices of it
 *                        (the default, without a header line)
 *              "WHOLE\n" the rest with 200, whatever the Range (a server ignoring Range)
 *              "RAW FIRST-LAST/TOTAL\n" the rest with 206 and that Content-Range as sent
 *              "FAIL\n"  a transport error */
#include "depaudit/metadata.h"
#include "fuzz_page_check.h"
#include "metadata/transport.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SEPARATOR "\n--8<--\n"
#define MAX_PARTS 16
#define MAX_REQUESTS 64 /* the source sends a bounded number per release; more is a loop */

typedef struct part {
    const char *data;
    size_t len;
} part;

typedef struct fake_index {
    part parts[MAX_PARTS];
    size_t nparts;
    size_t next_wheel; /* the part the next wheel request takes */
    size_t requests;
} fake_index;

static void split(fake_index *fx, const char *data, size_t size)
{
    size_t seplen = strlen(SEPARATOR);
    const char *p = data, *end = data + size;
    while (fx->nparts < MAX_PARTS) {
        const char *s = NULL;
        for (const char *q = p; q + seplen <= end && !s; q++)
            if (memcmp(q, SEPARATOR, seplen) == 0)
                s = q;
        if (!s || fx->nparts == MAX_PARTS - 1) {
            fx->parts[fx->nparts++] = (part){p, (size_t)(end - p)};
            return;
        }
        fx->parts[fx->nparts++] = (part){p, (size_t)(s - p)};
        p = s + seplen;
    }
}

static bool take_line(part *pt, const char *word)
{
    size_t n = strlen(word);
    if (pt->len < n || memcmp(pt->data, word, n) != 0)
        return false;
    pt->data += n;
    pt->len -= n;
    return true;
}

/* 206 with the requested slice of the whole file f (or 416 when it is out of range). */
static void serve_slice(da_http_request *r, part f)
{
    long long len = (long long)f.len, first = 0, last = len - 1;
    if (r->suffix_len > 0) {
        first = r->suffix_len >= len ? 0 : len - r->suffix_len;
    } else if (r->range_first >= 0) {
        first = r->range_first;
        if (r->range_last >= 0 && r->range_last < last)
            last = r->range_last;
    } else {
        r->status = 200;
        r->total_size = len;
        da_buf_append(&r->body, f.data, f.len);
        return;
    }
    if (len == 0 || first > last) {
        r->status = 416;
        return;
    }
    r->status = 206;
    r->range_start = first;
    r->range_end = last;
    r->total_size = len;
    da_buf_append(&r->body, f.data + first, (size_t)(last - first + 1));
}

static void serve_wheel(fake_index *fx, da_http_request *r)
{
    if (fx->nparts < 3) {
        r->status = 404;
        return;
    }
    size_t k = fx->next_wheel < fx->nparts ? fx->next_wheel : fx->nparts - 1;
    fx->next_wheel++;
    part pt = fx->parts[k];
    if (take_line(&pt, "FAIL\n")) {
        r->error = da_xstrdup("connection reset (fuzz)");
    } else if (take_line(&pt, "WHOLE\n")) {
        r->status = 200;
        r->total_size = (long long)pt.len;
        da_buf_append(&r->body, pt.data, pt.len);
    } else if (take_line(&pt, "RAW ")) {
        const char *nl = memchr(pt.data, '\n', pt.len);
        char header[64] = "";
        if (nl && (size_t)(nl - pt.data) < sizeof(header)) {
            memcpy(header, pt.data, (size_t)(nl - pt.data));
            pt.len -= (size_t)(nl - pt.data) + 1;
            pt.data = nl + 1;
        }
        r->status = 206;
        if (sscanf(header, "%lld-%lld/%lld", &r->range_start, &r->range_end, &r->total_size) != 3)
            r->range_start = r->range_end = r->total_size = -1;
        da_buf_append(&r->body, pt.data, pt.len);
    } else {
        take_line(&pt, "FILE\n");
        serve_slice(r, pt);
    }
}

static void fake_run(void *ctx, da_http_request **reqs, size_t n)
{
    fake_index *fx = ctx;
    for (size_t i = 0; i < n; i++) {
        da_http_request *r = reqs[i];
        if (++fx->requests > MAX_REQUESTS)
            abort(); /* a runaway loop of requests */
        r->attempts = 1;
        r->effective_url = da_xstrdup(r->url);
        if (da_str_ends_with(r->url, "/")) {
            part pt = fx->parts[0];
            r->status = pt.len ? 200 : 404;
            r->content_type = da_xstrdup(
                pt.len && pt.data[0] == '{' ? "application/vnd.pypi.simple.v1+json" : "text/html");
            da_buf_append(&r->body, pt.data, pt.len);
        } else if (da_str_ends_with(r->url, ".metadata")) {
            part pt = fx->nparts > 1 ? fx->parts[1] : (part){NULL, 0};
            r->status = pt.len ? 200 : 404;
            if (pt.len)
                da_buf_append(&r->body, pt.data, pt.len);
        } else {
            serve_wheel(fx, r);
        }
    }
}

static void fake_destroy(void *ctx)
{
    (void)ctx;
}

static void check_release(const da_release *r)
{
    if (!r->name || !r->version || !r->origin)
        abort();
    for (size_t i = 0; i < r->modules.len; i++)
        if (!r->modules.items[i] || !r->modules.items[i][0])
            abort();
}

static void check_status(int rc, const void *out, const da_error *err)
{
    if (rc == DA_METADATA_FOUND && !out)
        abort();
    if (rc != DA_METADATA_FOUND && out)
        abort();
    if (rc < 0 && !err->message[0]) {
        fprintf(stderr, "failure %d without a message (file \"%s\")\n", rc, err->file);
        abort(); /* a failure always says why */
    }
    if (rc != DA_METADATA_FOUND && rc != DA_METADATA_ABSENT && rc != DA_METADATA_FAILED)
        abort(); /* "demo" is a valid name */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fake_index fx = {0};
    split(&fx, (const char *)data, size);
    da_metadata_options o;
    da_metadata_options_init(&o);
    o.index_url = da_xstrdup("http://idx.test/simple/");
    o.no_cache = true;
    o.use_snapshot = false;
    o.tail_bytes = 1024; /* small, so the later range steps run too */
    da_transport t = {&fx, fake_run, fake_destroy};
    da_metadata *m = NULL;
    da_error err = {0};
    if (da_metadata_open_with_transport(&o, t, &m, &err) != 0)
        abort();
    const char *name = "demo";
    da_metadata_prefetch_projects(m, &name, 1); /* the page and, speculatively, a release */
    da_project *p = NULL;
    int rc = da_metadata_get_project(m, name, &p, &err);
    check_status(rc, p, &err);
    if (rc == DA_METADATA_FOUND) {
        check_project(p);
        char *latest = da_project_latest_version(p, &o.target);
        free(latest);
        for (size_t i = 0; i < p->nversions && i < 3; i++) {
            da_release *r = NULL;
            da_error rerr = {0};
            int rrc = da_metadata_get_release(m, name, p->versions[i].version, &r, &rerr);
            check_status(rrc, r, &rerr);
            if (r) {
                check_release(r);
                char *json = da_release_to_json(r);
                free(json);
            }
            da_release_free(r);
        }
        char *json = da_project_to_json(p);
        free(json);
        da_project_free(p);
    }
    da_metadata_close(m);
    da_metadata_options_free(&o);
    return 0;
}
