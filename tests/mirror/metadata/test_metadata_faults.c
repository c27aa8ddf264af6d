/* The metadata client against fault_server.py (run through run_mirror_test.sh): every
 * fault either recovers (retries, Retry-After, redirects, HTML fallback, whole download)
 * or fails with the URL and the reason in the error, and never as "no versions". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "depaudit/metadata.h"
#include "metadata/http_fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *fault_url;
static const char *work_dir;

static da_metadata *open_mode(const char *mode, const char *userinfo, long timeout_ms)
{
    da_metadata_options o;
    da_metadata_options_init(&o);
    if (userinfo) {
        /* http://user:pass@127.0.0.1:PORT/mode/simple/ */
        const char *host = fault_url + strlen("http://");
        o.index_url = da_xasprintf("http://%s@%s/%s/simple/", userinfo, host, mode);
    } else {
        o.index_url = da_xasprintf("%s/%s/simple/", fault_url, mode);
    }
    o.no_cache = true;
    o.use_snapshot = false;
    o.speculative_releases = false;
    o.retries = 2;
    o.backoff_ms = 50;
    o.timeout_ms = timeout_ms;
    o.connect_timeout_ms = 2000;
    da_metadata *m = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_open(&o, &m, &err), 0);
    da_metadata_options_free(&o);
    return m;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* get_project must fail; the formatted error must contain each of the fragments. */
static void expect_project_failure(const char *mode, const char *reason, long timeout_ms)
{
    da_metadata *m = open_mode(mode, NULL, timeout_ms);
    da_project *p = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_get_project(m, "zipp", &p, &err), -1);
    assert_null(p);
    char msg[2048];
    da_error_format(&err, msg, sizeof(msg));
    if (!strstr(msg, reason))
        fprintf(stderr, "error was: %s\n", msg);
    assert_non_null(strstr(msg, reason));
    char *url = da_xasprintf("%s/%s/simple/zipp/", fault_url, mode);
    assert_non_null(strstr(msg, url));
    free(url);
    da_metadata_close(m);
}

static void test_500_then_200_is_retried(void **state)
{
    (void)state;
    da_metadata *m = open_mode("flaky500", NULL, 5000);
    da_project *p = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_get_project(m, "zipp", &p, &err), 0);
    assert_true(p->nversions == 2);
    da_metadata_stats st;
    da_metadata_get_stats(m, &st);
    assert_int_equal(st.retries, 1);
    assert_int_equal(st.requests, 2);
    da_project_free(p);
    da_metadata_close(m);
}

static void test_persistent_5xx_fails_with_reason(void **state)
{
    (void)state;
    expect_project_failure("always500", "HTTP 503", 5000);
    expect_project_failure("always500", "after 3 attempts", 5000); /* retries = 2 */
}

static void test_429_honours_retry_after(void **state)
{
    (void)state;
    da_metadata *m = open_mode("ratelimit", NULL, 5000);
    da_project *p = NULL;
    da_error err = {0};
    double t0 = now_s();
    assert_int_equal(da_metadata_get_project(m, "zipp", &p, &err), 0);
    double waited = now_s() - t0;
    /* Retry-After: 1 was honoured instead of the 50 ms backoff. */
    assert_true(waited >= 0.9);
    da_metadata_stats st;
    da_metadata_get_stats(m, &st);
    assert_int_equal(st.retries, 1);
    da_project_free(p);
    da_metadata_close(m);
}

static void test_stall_times_out(void **state)
{
    (void)state;
    expect_project_failure("stall", "timed out", 700);
}

static void test_truncated_body_detected(void **state)
{
    (void)state;
    expect_project_failure("truncated", "truncated body", 5000);
}

static void test_redirect_loop_fails(void **state)
{
    (void)state;
    expect_project_failure("redirectloop", "too many redirects", 5000);
}

static void test_redirect_followed_and_links_resolved(void **state)
{
    (void)state;
    da_metadata *m = open_mode("redirect", NULL, 5000);
    da_project *p = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_get_project(m, "zipp", &p, &err), 0);
    /* Relative links resolve against the page's final URL, under /ok/. */
    char *want = da_xasprintf("%s/ok/packages/zipp/", fault_url);
    assert_true(da_str_starts_with(p->versions[0].files[0].url, want));
    free(want);
    da_project_free(p);
    da_release *r = NULL;
    assert_int_equal(da_metadata_get_release(m, "zipp", "3.17.0", &r, &err), 0);
    assert_true(da_strlist_contains(&r->modules, "zipp"));
    da_release_free(r);
    da_metadata_close(m);
}

static void test_html_only_server(void **state)
{
    (void)state;
    da_metadata *m = open_mode("htmlonly", NULL, 5000);
    da_project *p = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_get_project(m, "opentelemetry-api", &p, &err), 0);
    assert_true(p->nversions == 2);
    assert_null(p->versions[0].files[0].upload_time); /* it was the HTML page */
    assert_true(p->versions[0].files[0].has_metadata);
    da_project_free(p);
    da_metadata_close(m);
}

static void test_no_range_support_downloads_whole(void **state)
{
    (void)state;
    da_metadata *m = open_mode("norange", NULL, 5000);
    da_release *r = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_get_release(m, "opentelemetry-api", "1.21.0", &r, &err), 0);
    assert_true(da_strlist_contains(&r->modules, "opentelemetry.trace"));
    assert_int_equal(r->requires_dist.len, 2);
    da_metadata_stats st;
    da_metadata_get_stats(m, &st);
    assert_int_equal(st.whole_downloads, 1);
    da_release_free(r);
    da_metadata_close(m);
}

static void test_wrong_metadata_hash_is_an_error(void **state)
{
    (void)state;
    /* wronghash: the server alters every file; the .metadata hash check catches it. */
    da_metadata *m = open_mode("wronghash", NULL, 5000);
    da_release *r = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_get_release(m, "zipp", "3.17.0", &r, &err), -1);
    assert_null(r);
    char msg[2048];
    da_error_format(&err, msg, sizeof(msg));
    assert_non_null(strstr(msg, "sha256 mismatch of the .metadata file"));
    assert_non_null(strstr(msg, "zipp-3.17.0-py3-none-any.whl.metadata"));
    da_metadata_close(m);
    /* A page that advertises a wrong .metadata hash, from a well-behaved server. */
    m = open_mode("ok", NULL, 5000);
    assert_int_equal(da_metadata_get_release(m, "bad-metadata-hash", "1.0", &r, &err), -1);
    da_error_format(&err, msg, sizeof(msg));
    assert_non_null(strstr(msg, "sha256 mismatch of the .metadata file"));
    da_metadata_close(m);
}

static void test_wrong_file_hash_on_whole_download(void **state)
{
    (void)state;
    /* Without Range the whole wheel arrives, and its advertised hash is wrong. */
    da_metadata *m = open_mode("norange", NULL, 5000);
    da_release *r = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_get_release(m, "bad-hash", "1.0", &r, &err), -1);
    char msg[2048];
    da_error_format(&err, msg, sizeof(msg));
    assert_non_null(strstr(msg, "sha256 mismatch of the downloaded file"));
    assert_non_null(strstr(msg, "bad_hash-1.0-py3-none-any.whl"));
    da_metadata_close(m);
}

static void test_failure_is_not_cached(void **state)
{
    (void)state;
    char *cache = da_xasprintf("%s/fault-cache", work_dir);
    for (int round = 0; round < 2; round++) {
        da_metadata_options o;
        da_metadata_options_init(&o);
        o.index_url = da_xasprintf("%s/wronghash/simple/", fault_url);
        o.cache_dir = da_xstrdup(cache);
        o.use_snapshot = false;
        o.retries = 0;
        da_metadata *m = NULL;
        da_error err = {0};
        assert_int_equal(da_metadata_open(&o, &m, &err), 0);
        da_release *r = NULL;
        /* Both rounds fail: the first failure left nothing in the cache to trust. */
        assert_int_equal(da_metadata_get_release(m, "zipp", "3.17.0", &r, &err), -1);
        da_metadata_close(m);
        da_metadata_options_free(&o);
    }
    free(cache);
}

static void test_max_age_zero_revalidates(void **state)
{
    (void)state;
    /* Pages that say max-age=0 are revalidated on every run (ETag, 304), never served
     * from the cache unasked; the immutable release answer is. */
    char *cache = da_xasprintf("%s/maxage-cache", work_dir);
    da_metadata_stats st[2];
    for (int round = 0; round < 2; round++) {
        da_metadata_options o;
        da_metadata_options_init(&o);
        o.index_url = da_xasprintf("%s/maxage0/simple/", fault_url);
        o.cache_dir = da_xstrdup(cache);
        o.use_snapshot = false;
        da_metadata *m = NULL;
        da_error err = {0};
        assert_int_equal(da_metadata_open(&o, &m, &err), 0);
        da_project *p = NULL;
        assert_int_equal(da_metadata_get_project(m, "zipp", &p, &err), 0);
        da_project_free(p);
        da_metadata_get_stats(m, &st[round]);
        da_metadata_close(m);
        da_metadata_options_free(&o);
    }
    free(cache);
    assert_int_equal(st[0].requests, 1);
    assert_int_equal(st[0].revalidated, 0);
    assert_int_equal(st[1].requests, 1);
    assert_int_equal(st[1].revalidated, 1);
    assert_int_equal(st[1].cache_hits, 0);
}

static void test_pip_index_url_from_environment(void **state)
{
    (void)state;
    setenv("PIP_INDEX_URL", "http://primary.invalid/simple/", 1);
    setenv("PIP_EXTRA_INDEX_URL", " http://a.invalid/simple/  http://b.invalid/s ", 1);
    da_metadata_options o;
    da_metadata_options_init(&o);
    da_metadata_options_from_env(&o);
    assert_string_equal(o.index_url, "http://primary.invalid/simple/");
    assert_int_equal(o.extra_index_urls.len, 2);
    assert_string_equal(o.extra_index_urls.items[1], "http://b.invalid/s");
    da_metadata_options_free(&o);
    /* An explicit index wins over the environment. */
    da_metadata_options_init(&o);
    o.index_url = da_xstrdup("http://explicit.invalid/");
    da_metadata_options_from_env(&o);
    assert_string_equal(o.index_url, "http://explicit.invalid/");
    da_metadata_options_free(&o);
    unsetenv("PIP_INDEX_URL");
    unsetenv("PIP_EXTRA_INDEX_URL");
    /* A non-HTTP index is refused at open, with the URL named. */
    da_metadata_options_init(&o);
    o.index_url = da_xstrdup("ftp://x/simple/");
    o.no_cache = true;
    da_metadata *m = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_open(&o, &m, &err), -1);
    assert_null(m);
    assert_string_equal(err.file, "ftp://x/simple/");
    da_metadata_options_free(&o);
}

static void test_credentials_never_printed(void **state)
{
    (void)state;
    da_metadata *m = open_mode("always500", "alice:s3cret", 5000);
    da_project *p = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_get_project(m, "zipp", &p, &err), -1);
    char msg[2048];
    da_error_format(&err, msg, sizeof(msg));
    assert_null(strstr(msg, "s3cret"));
    assert_null(strstr(msg, "alice"));
    assert_non_null(strstr(msg, "http://***@127.0.0.1"));
    da_metadata_close(m);
}

/* Item 7 of issue 18: what a caller (the audit) needs to tell "the index says there is no
 * such project" (DA006) from "the index failed" (exit 3). Every fault is FAILED, with the
 * URL and the reason; only a 404 is ABSENT. */
static void test_faults_are_failures_not_absence(void **state)
{
    (void)state;
    static const struct {
        const char *mode, *name, *version, *reason;
    } faults[] = {
        {"always500", "zipp", NULL, "HTTP 503"},
        {"truncated", "zipp", NULL, "truncated body"},
        {"truncjson", "zipp", NULL, "invalid JSON page"},
        {"redirectloop", "zipp", NULL, "too many redirects"},
        {"wronghash", "zipp", "3.17.0", "sha256 mismatch"},
        {"stall", "zipp", NULL, "timed out"},
    };
    for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
        da_metadata *m = open_mode(faults[i].mode, NULL, 700);
        da_error err = {0};
        int rc;
        if (faults[i].version) {
            da_release *r = NULL;
            rc = da_metadata_get_release(m, faults[i].name, faults[i].version, &r, &err);
            assert_null(r);
        } else {
            da_project *p = NULL;
            rc = da_metadata_get_project(m, faults[i].name, &p, &err);
            assert_null(p);
        }
        char msg[2048];
        da_error_format(&err, msg, sizeof(msg));
        if (rc != DA_METADATA_FAILED || !strstr(msg, faults[i].reason))
            fprintf(stderr, "%s: rc %d, %s\n", faults[i].mode, rc, msg);
        assert_int_equal(rc, DA_METADATA_FAILED);
        assert_non_null(strstr(msg, faults[i].reason));
        assert_non_null(strstr(msg, faults[i].mode)); /* the URL is named */
        da_metadata_close(m);
    }
    /* The same server, well-behaved: a project it does not have is ABSENT, not FAILED. */
    da_metadata *m = open_mode("ok", NULL, 5000);
    da_project *p = NULL;
    da_release *r = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_get_project(m, "no-such-project", &p, &err), DA_METADATA_ABSENT);
    assert_int_equal(da_metadata_get_release(m, "zipp", "0.0.1", &r, &err), DA_METADATA_ABSENT);
    assert_int_equal(da_metadata_get_project(m, "zipp", &p, &err), DA_METADATA_FOUND);
    da_project_free(p);
    da_metadata_close(m);
}

/* Item 6: the total budget stops a server that keeps a transfer alive without end. */
static void test_budget_stops_a_stalled_index(void **state)
{
    (void)state;
    da_metadata_options o;
    da_metadata_options_init(&o);
    o.index_url = da_xasprintf("%s/stall/simple/", fault_url);
    o.no_cache = true;
    o.use_snapshot = false;
    o.timeout_ms = 60000; /* the stall timeout alone would wait a minute */
    o.budget_ms = 1500;
    da_metadata *m = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_open(&o, &m, &err), 0);
    double t0 = now_s();
    da_project *p = NULL;
    assert_int_equal(da_metadata_get_project(m, "zipp", &p, &err), DA_METADATA_FAILED);
    double took = now_s() - t0;
    assert_true(took < 10);
    assert_non_null(strstr(err.message, "network time budget (1.5 s) is used up"));
    /* Spent: the next request is not even sent. */
    da_metadata_stats before, after;
    da_metadata_get_stats(m, &before);
    assert_int_equal(da_metadata_get_project(m, "wrapt", &p, &err), DA_METADATA_FAILED);
    da_metadata_get_stats(m, &after);
    assert_int_equal(after.requests, before.requests);
    assert_non_null(strstr(err.message, "budget"));
    da_metadata_close(m);
    da_metadata_options_free(&o);
}

/* A host that stalled (after its one retry) is given up: later requests fail at once. */
static void test_unreachable_host_is_given_up(void **state)
{
    (void)state;
    da_metadata *m = open_mode("stall", NULL, 500);
    da_project *p = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_get_project(m, "zipp", &p, &err), DA_METADATA_FAILED);
    assert_non_null(strstr(err.message, "no data for 0.5 s (after 2 attempts)"));
    da_metadata_stats first;
    da_metadata_get_stats(m, &first);
    assert_int_equal(first.requests, 2); /* a timeout is repeated once, not `retries` times */
    double t0 = now_s();
    assert_int_equal(da_metadata_get_project(m, "wrapt", &p, &err), DA_METADATA_FAILED);
    assert_true(now_s() - t0 < 0.5);
    assert_non_null(strstr(err.message, "did not answer an earlier request"));
    da_metadata_stats second;
    da_metadata_get_stats(m, &second);
    assert_int_equal(second.requests, first.requests);
    da_metadata_close(m);
}

/* The defaults: an index that accepts connections and never answers fails in seconds
 * (10 s without a byte, once more, then the host is given up), not 4 x 60 s. */
static void test_defaults_fail_in_seconds(void **state)
{
    (void)state;
    da_metadata_options o;
    da_metadata_options_init(&o);
    assert_true(o.connect_timeout_ms > 0 && o.connect_timeout_ms <= 5000);
    assert_true(o.timeout_ms > 0 && o.timeout_ms <= 10000);
    assert_true(o.budget_ms > 0 && o.budget_ms <= 60000);
    assert_int_equal(o.retries, 2);
    o.index_url = da_xasprintf("%s/stall/simple/", fault_url);
    o.no_cache = true;
    o.use_snapshot = false;
    da_metadata *m = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_open(&o, &m, &err), 0);
    double t0 = now_s();
    const char *names[] = {"zipp", "wrapt", "deprecated"};
    da_metadata_prefetch_projects(m, names, 3);
    for (size_t i = 0; i < 3; i++) {
        da_project *p = NULL;
        assert_int_equal(da_metadata_get_project(m, names[i], &p, &err), DA_METADATA_FAILED);
    }
    double took = now_s() - t0;
    fprintf(stderr, "a silent index failed after %.1f s with the defaults\n", took);
    assert_true(took < 2 * 10 + 5);
    da_metadata_close(m);
    da_metadata_options_free(&o);
}

static void test_user_agent_names_depaudit(void **state)
{
    (void)state;
    /* Every request so far went through the client: the server saw only its User-Agent. */
    da_metadata_options o;
    da_metadata_options_init(&o);
    da_metadata_stats stats = {0};
    da_error err = {0};
    da_http *h = da_http_new(&o, &stats, &err);
    assert_non_null(h);
    char *url = da_xasprintf("%s/_useragents", fault_url);
    da_http_request *r = da_http_request_new(url);
    da_http_run(h, &r, 1);
    assert_null(r->error);
    assert_int_equal(r->status, 200);
    char *want = da_xasprintf("[\"depaudit/%s\"]", DEPAUDIT_VERSION);
    assert_string_equal(r->body.data, want);
    free(want);
    free(url);
    da_http_request_free(r);
    da_http_free(h);
    da_metadata_options_free(&o);
}

int main(void)
{
    fault_url = getenv("DA_FAULT_URL");
    work_dir = getenv("DA_WORK");
    if (!fault_url || !work_dir) {
        fprintf(stderr, "run me through run_mirror_test.sh\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_500_then_200_is_retried),
        cmocka_unit_test(test_persistent_5xx_fails_with_reason),
        cmocka_unit_test(test_429_honours_retry_after),
        cmocka_unit_test(test_stall_times_out),
        cmocka_unit_test(test_truncated_body_detected),
        cmocka_unit_test(test_redirect_loop_fails),
        cmocka_unit_test(test_redirect_followed_and_links_resolved),
        cmocka_unit_test(test_html_only_server),
        cmocka_unit_test(test_no_range_support_downloads_whole),
        cmocka_unit_test(test_wrong_metadata_hash_is_an_error),
        cmocka_unit_test(test_wrong_file_hash_on_whole_download),
        cmocka_unit_test(test_failure_is_not_cached),
        cmocka_unit_test(test_max_age_zero_revalidates),
        cmocka_unit_test(test_pip_index_url_from_environment),
        cmocka_unit_test(test_credentials_never_printed),
        cmocka_unit_test(test_faults_are_failures_not_absence),
        cmocka_unit_test(test_budget_stops_a_stalled_index),
        cmocka_unit_test(test_unreachable_host_is_given_up),
        cmocka_unit_test(test_defaults_fail_in_seconds),
        cmocka_unit_test(test_user_agent_names_depaudit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
