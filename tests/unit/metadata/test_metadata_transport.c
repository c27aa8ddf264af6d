/* The layered source over a scripted transport (the da_transport seam): which requests it
 * sends for which names, and what it makes of what comes back. Names that are not PEP 508
 * names never reach a URL; a page for another project is refused; a fault is never
 * "absent"; a wheel whose Content-Range or end records lie is an error, not a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "depaudit/metadata.h"
#include "metadata/transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INDEX "http://idx.test/simple/"

/* One scripted answer: the first route whose URL suffix matches answers. */
typedef struct route {
    const char *suffix;
    long status; /* 0: a transport error */
    const char *content_type;
    const char *body;
    size_t body_len;           /* 0: strlen(body) */
    bool serve_ranges;         /* body is a whole file: answer Range requests with 206 slices */
    const char *content_range; /* sent as is with a 206 (serve_ranges false) */
} route;

typedef struct script {
    const route *routes;
    size_t nroutes;
    da_strlist seen; /* every URL asked for, in order */
} script;

static void answer(const route *rt, da_http_request *r)
{
    size_t len = rt->body_len ? rt->body_len : (rt->body ? strlen(rt->body) : 0);
    if (rt->status == 0) {
        r->error = da_xstrdup("connection reset (scripted)");
        return;
    }
    r->status = rt->status;
    r->content_type = rt->content_type ? da_xstrdup(rt->content_type) : NULL;
    r->effective_url = da_xstrdup(r->url);
    long long first = 0, last = (long long)len - 1;
    bool ranged = r->suffix_len > 0 || r->range_first >= 0;
    if (rt->serve_ranges && ranged && len > 0) {
        if (r->suffix_len > 0)
            first = r->suffix_len >= (long long)len ? 0 : (long long)len - r->suffix_len;
        else
            first = r->range_first;
        if (r->suffix_len <= 0 && r->range_last >= 0 && r->range_last < last)
            last = r->range_last;
        r->status = 206;
        r->range_start = first;
        r->range_end = last;
        r->total_size = (long long)len;
        da_buf_append(&r->body, rt->body + first, (size_t)(last - first + 1));
        return;
    }
    if (rt->content_range) {
        sscanf(rt->content_range, "%lld-%lld/%lld", &r->range_start, &r->range_end, &r->total_size);
    } else if (r->status == 200) {
        r->total_size = (long long)len;
    }
    da_buf_append(&r->body, rt->body ? rt->body : "", len);
}

static void script_run(void *ctx, da_http_request **reqs, size_t n)
{
    script *s = ctx;
    for (size_t i = 0; i < n; i++) {
        da_http_request *r = reqs[i];
        da_strlist_push(&s->seen, r->url);
        r->attempts = 1;
        const route *hit = NULL;
        for (size_t k = 0; k < s->nroutes && !hit; k++)
            if (da_str_ends_with(r->url, s->routes[k].suffix))
                hit = &s->routes[k];
        if (hit) {
            answer(hit, r);
        } else {
            r->status = 404;
            r->effective_url = da_xstrdup(r->url);
        }
    }
}

static void script_destroy(void *ctx)
{
    (void)ctx; /* the test owns the script */
}

static da_metadata *open_scripted(script *s)
{
    da_metadata_options o;
    da_metadata_options_init(&o);
    o.index_url = da_xstrdup(INDEX);
    o.no_cache = true;
    o.use_snapshot = false;
    o.speculative_releases = false;
    da_transport t = {s, script_run, script_destroy};
    da_metadata *m = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_open_with_transport(&o, t, &m, &err), 0);
    da_metadata_options_free(&o);
    return m;
}

static const char zipp_page[] =
    "{\"meta\": {\"api-version\": \"1.1\"}, \"name\": \"Zipp\", \"files\": ["
    "{\"filename\": \"zipp-3.17.0-py3-none-any.whl\", \"url\": "
    "\"../../packages/zipp-3.17.0-py3-none-any.whl\", \"hashes\": {}}]}";

#define JSON_TYPE "application/vnd.pypi.simple.v1+json"

static void test_invalid_names_never_reach_a_url(void **state)
{
    (void)state;
    static const route routes[] = {{"/zipp/", 200, JSON_TYPE, zipp_page, 0, false, NULL}};
    script s = {routes, 1, {0}};
    da_metadata *m = open_scripted(&s);
    static const char *const bad[] = {
        "x?y=1#frag", "../../etc/passwd", "",       "-leading",     "a/b",
        "a b",        "zipp%2F..",        "\x01\n", "na\xc3\xafve", "x.",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        da_project *p = NULL;
        da_release *r = NULL;
        da_error err = {0};
        assert_int_equal(da_metadata_get_project(m, bad[i], &p, &err), DA_METADATA_BAD_NAME);
        assert_null(p);
        assert_non_null(strstr(err.message, "is not a valid distribution name"));
        assert_null(strchr(err.message, '\n')); /* shown escaped */
        assert_int_equal(da_metadata_get_release(m, bad[i], "1.0", &r, &err), DA_METADATA_BAD_NAME);
        assert_null(r);
    }
    da_metadata_prefetch_projects(m, bad, sizeof(bad) / sizeof(bad[0]));
    const char *versions[] = {"1", "1", "1", "1", "1", "1", "1", "1", "1", "1"};
    da_metadata_prefetch_releases(m, bad, versions, sizeof(bad) / sizeof(bad[0]));
    assert_int_equal(s.seen.len, 0); /* not one request */
    /* A valid name reaches its normalised URL. */
    da_project *p = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_get_project(m, "ZIPP", &p, &err), DA_METADATA_FOUND);
    assert_int_equal(s.seen.len, 1);
    assert_string_equal(s.seen.items[0], INDEX "zipp/");
    da_project_free(p);
    da_metadata_close(m);
    da_strlist_free(&s.seen);
}

static void test_page_for_another_project_is_refused(void **state)
{
    (void)state;
    static const char other[] = "{\"meta\": {\"api-version\": \"1.0\"}, \"name\": \"evil-pkg\", "
                                "\"files\": []}";
    static const route routes[] = {{"/zipp/", 200, JSON_TYPE, other, 0, false, NULL},
                                   {"/zope-interface/", 200, JSON_TYPE,
                                    "{\"meta\": {\"api-version\": \"1.0\"}, \"name\": "
                                    "\"Zope.Interface\", \"files\": []}",
                                    0, false, NULL}};
    script s = {routes, 2, {0}};
    da_metadata *m = open_scripted(&s);
    da_project *p = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_get_project(m, "zipp", &p, &err), DA_METADATA_FAILED);
    assert_null(p);
    assert_non_null(strstr(err.message, "page of project \"evil-pkg\" when asked for \"zipp\""));
    assert_string_equal(err.file, INDEX "zipp/");
    /* The same name written differently is the same project (PEP 503). */
    assert_int_equal(da_metadata_get_project(m, "zope_interface", &p, &err), DA_METADATA_FOUND);
    assert_string_equal(p->name, "zope-interface");
    da_project_free(p);
    da_metadata_close(m);
    da_strlist_free(&s.seen);
}

/* Only a 404/410 is "absent"; every fault is a failure with the URL and the reason. */
static void test_faults_are_not_absence(void **state)
{
    (void)state;
    static const route routes[] = {
        {"/gone/", 410, "text/html", "gone", 0, false, NULL},
        {"/down/", 503, "text/plain", "down", 0, false, NULL},
        {"/reset/", 0, NULL, NULL, 0, false, NULL},
        {"/cut/", 200, JSON_TYPE, "{\"meta\": {\"api-version\": \"1.1\"}, \"name\": \"cut\", \"fi",
         0, false, NULL},
        {"/denied/", 403, "text/plain", "no", 0, false, NULL},
        {"/odd/", 200, "image/png", "x", 0, false, NULL},
        {"/zipp/", 200, JSON_TYPE, zipp_page, 0, false, NULL},
    };
    script s = {routes, sizeof(routes) / sizeof(routes[0]), {0}};
    da_metadata *m = open_scripted(&s);
    static const struct {
        const char *name;
        int status;
        const char *reason;
    } cases[] = {
        {"nowhere", DA_METADATA_ABSENT, NULL},
        {"gone", DA_METADATA_ABSENT, NULL},
        {"down", DA_METADATA_FAILED, "HTTP status 503"},
        {"reset", DA_METADATA_FAILED, "connection reset"},
        {"cut", DA_METADATA_FAILED, "invalid JSON page"},
        {"denied", DA_METADATA_FAILED, "refused these credentials"},
        {"odd", DA_METADATA_FAILED, "unexpected Content-Type"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        da_project *p = NULL;
        da_error err = {0};
        int rc = da_metadata_get_project(m, cases[i].name, &p, &err);
        if (rc != cases[i].status)
            fprintf(stderr, "%s: %d (%s)\n", cases[i].name, rc, err.message);
        assert_int_equal(rc, cases[i].status);
        if (cases[i].reason) {
            assert_non_null(strstr(err.message, cases[i].reason));
            assert_non_null(strstr(err.file, cases[i].name));
        }
        da_project_free(p);
    }
    /* A version the page does not list is absent; a wheel the index cannot serve is not. */
    da_release *r = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_get_release(m, "zipp", "9.9", &r, &err), DA_METADATA_ABSENT);
    assert_int_equal(da_metadata_get_release(m, "zipp", "3.17.0", &r, &err), DA_METADATA_FAILED);
    assert_non_null(strstr(err.message, "HTTP status 404 for a wheel"));
    da_metadata_close(m);
    da_strlist_free(&s.seen);
}

/* A wheel served with lying Content-Range headers or end records. */
static void test_hostile_wheel_answers_are_errors(void **state)
{
    (void)state;
    /* A tail whose end record says ZIP64 and whose locator points near INT64_MAX. */
    static unsigned char zip64[64];
    memset(zip64, 0, sizeof(zip64));
    unsigned char *loc = zip64 + 22, *eocd = zip64 + 42;
    loc[0] = 0x50, loc[1] = 0x4b, loc[2] = 0x06, loc[3] = 0x07;
    memset(loc + 8, 0xF0, 1);
    memset(loc + 9, 0xFF, 6);
    loc[15] = 0x7F;
    eocd[0] = 0x50, eocd[1] = 0x4b, eocd[2] = 0x05, eocd[3] = 0x06;
    memset(eocd + 12, 0xFF, 8);
    static const struct {
        route wheel;
        const char *reason;
    } cases[] = {
        {{".whl", 200, NULL, (const char *)zip64, sizeof(zip64), true, NULL},
         "ZIP64 locator points at byte 9223372036854775792"},
        {{".whl", 206, NULL, "abcd", 4, false, "0-3/99999999999999"}, "more than any wheel"},
        {{".whl", 206, NULL, "abcd", 4, false, "10-3/100"}, "outside a file"},
        {{".whl", 206, NULL, "abcd", 4, false, "0-99/100"}, "does not match the 4 bytes"},
        {{".whl", 206, NULL, "abcd", 4, false, NULL}, "without a usable Content-Range"},
        {{".whl", 200, NULL, "not a zip at all, but long enough to have an end record", 0, true,
          NULL},
         "no end-of-central-directory record"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        route routes[] = {{"/zipp/", 200, JSON_TYPE, zipp_page, 0, false, NULL}, cases[i].wheel};
        script s = {routes, 2, {0}};
        da_metadata *m = open_scripted(&s);
        da_release *r = NULL;
        da_error err = {0};
        assert_int_equal(da_metadata_get_release(m, "zipp", "3.17.0", &r, &err),
                         DA_METADATA_FAILED);
        if (!strstr(err.message, cases[i].reason))
            fprintf(stderr, "case %zu: %s\n", i, err.message);
        assert_non_null(strstr(err.message, cases[i].reason));
        assert_non_null(strstr(err.file, "zipp-3.17.0-py3-none-any.whl"));
        da_metadata_close(m);
        da_strlist_free(&s.seen);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invalid_names_never_reach_a_url),
        cmocka_unit_test(test_page_for_another_project_is_refused),
        cmocka_unit_test(test_faults_are_not_absence),
        cmocka_unit_test(test_hostile_wheel_answers_are_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
