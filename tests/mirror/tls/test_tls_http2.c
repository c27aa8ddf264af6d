/* HTTP/2 multiplexing where the server offers it (run through run_tls_test.sh): all the
 * requests of one batch go in flight together over a single TLS connection as HTTP/2
 * streams. curl reports, per transfer, the HTTP version used and how many new connections
 * it opened (CURLINFO_HTTP_VERSION, CURLINFO_NUM_CONNECTS, kept by http_fetch in
 * da_http_request): one connection for the whole batch, every transfer HTTP/2, is
 * multiplexing. Answers that take 0.3 s each (nginx's echo module) keep every transfer in
 * flight together: over HTTP/2 still one connection, while the same batch against the
 * HTTP/1.1-only listener of the same nginx needs several, which shows the count tells
 * multiplexing from mere reuse of a finished connection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "depaudit/metadata.h"
#include "metadata/http_fetch.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *work_dir;
static const char *ca_file;
static bool slow_available;

/* One request per project page of the mirror, in both representations. */
static size_t make_page_batch(const char *base_url, da_http_request ***out)
{
    char *simple = da_xasprintf("%s/mirror/simple", work_dir);
    DIR *d = opendir(simple);
    assert_non_null(d);
    da_http_request **reqs = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || strstr(e->d_name, "index"))
            continue;
        for (int json = 0; json < 2; json++) {
            char *url = da_xasprintf("%s/simple/%s/", base_url, e->d_name);
            da_http_request *r = da_http_request_new(url);
            free(url);
            r->accept = json ? "application/vnd.pypi.simple.v1+json" : "text/html";
            reqs = da_xrealloc(reqs, (n + 1) * sizeof(*reqs));
            reqs[n++] = r;
        }
    }
    closedir(d);
    free(simple);
    *out = reqs;
    return n;
}

/* 24 answers that each take 0.3 s: a connection that cannot multiplex is busy for the
 * whole time, so the batch cannot be served over one HTTP/1.1 connection. */
static size_t make_slow_batch(const char *base_url, da_http_request ***out)
{
    size_t n = 24;
    da_http_request **reqs = da_xcalloc(n, sizeof(*reqs));
    for (size_t i = 0; i < n; i++) {
        char *url = da_xasprintf("%s/slow/%zu", base_url, i);
        reqs[i] = da_http_request_new(url);
        free(url);
    }
    *out = reqs;
    return n;
}

typedef struct batch_result {
    size_t n;
    long connects;   /* new connections over the whole batch */
    size_t version2; /* transfers done over HTTP/2 */
    size_t version11;
    long requests;
} batch_result;

static batch_result run_batch(const char *env_url, bool slow)
{
    const char *base = getenv(env_url);
    assert_non_null(base);
    da_metadata_options o;
    da_metadata_options_init(&o);
    o.cert = da_xstrdup(ca_file);
    o.retries = 0;
    o.concurrency = 16;
    da_metadata_stats stats = {0};
    da_error err = {0};
    da_http *h = da_http_new(&o, &stats, &err);
    assert_non_null(h);
    da_http_request **reqs = NULL;
    batch_result res = {0};
    res.n = slow ? make_slow_batch(base, &reqs) : make_page_batch(base, &reqs);
    /* More requests than the concurrency bound: with HTTP/2 they still share one
     * connection, as streams. */
    assert_true(res.n > 16);
    da_http_run(h, reqs, res.n);
    for (size_t i = 0; i < res.n; i++) {
        if (reqs[i]->error)
            fail_msg("%s: %s", reqs[i]->url, reqs[i]->error);
        assert_int_equal(reqs[i]->status, 200);
        assert_true(reqs[i]->body.len > 0);
        res.connects += reqs[i]->connects;
        res.version2 += reqs[i]->http_version == 20;
        res.version11 += reqs[i]->http_version == 11;
        da_http_request_free(reqs[i]);
    }
    free(reqs);
    res.requests = stats.requests;
    da_http_free(h);
    da_metadata_options_free(&o);
    return res;
}

static void test_http2_pages_share_one_connection(void **state)
{
    (void)state;
    batch_result r = run_batch("DA_GOOD_URL", false);
    printf("# HTTP/2 listener, index pages: %zu transfers, %zu over HTTP/2, %ld new "
           "connection(s)\n",
           r.n, r.version2, r.connects);
    assert_int_equal(r.requests, (long)r.n);
    assert_int_equal(r.version2, r.n);
    assert_int_equal(r.connects, 1);
}

static void test_http2_slow_batch_multiplexed(void **state)
{
    (void)state;
    if (!slow_available)
        skip();
    batch_result r = run_batch("DA_GOOD_URL", true);
    printf("# HTTP/2 listener, 0.3 s answers: %zu transfers, %zu over HTTP/2, %ld new "
           "connection(s)\n",
           r.n, r.version2, r.connects);
    assert_int_equal(r.version2, r.n);
    assert_int_equal(r.connects, 1);
}

/* The contrast: the same batch, same server, HTTP/1.1 only. If the count above could not
 * tell multiplexing from reuse, this would also be 1. */
static void test_http11_slow_batch_needs_several_connections(void **state)
{
    (void)state;
    if (!slow_available)
        skip();
    batch_result r = run_batch("DA_H1_URL", true);
    printf("# HTTP/1.1 listener, 0.3 s answers: %zu transfers, %zu over HTTP/1.1, %ld new "
           "connections\n",
           r.n, r.version11, r.connects);
    assert_int_equal(r.version11, r.n);
    assert_true(r.connects > 1);
}

int main(void)
{
    work_dir = getenv("DA_WORK");
    ca_file = getenv("DA_TLS_CA");
    if (!work_dir || !ca_file) {
        fprintf(stderr, "run me through run_tls_test.sh (DA_WORK, DA_TLS_CA unset)\n");
        return 1;
    }
    const char *slow = getenv("DA_SLOW");
    slow_available = slow && strcmp(slow, "1") == 0;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http2_pages_share_one_connection),
        cmocka_unit_test(test_http2_slow_batch_multiplexed),
        cmocka_unit_test(test_http11_slow_batch_needs_several_connections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
