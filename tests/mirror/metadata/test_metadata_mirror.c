/* The metadata client against a real nginx serving mirror trees built from the fixtures
 * (run through run_mirror_test.sh): PEP 691 JSON and HTML-only indexes, .metadata present
 * and absent, wheel choice per target, range reads of a padded wheel, the disk cache cold,
 * warm and revalidated, offline, and sdist-only releases. The fixture files are the
 * oracle for requirements. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "depaudit/metadata.h"

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *mirror_url;
static const char *work_dir;

static da_metadata *open_tree(const char *tree, const char *cache, bool offline, bool refresh)
{
    da_metadata_options o;
    da_metadata_options_init(&o);
    o.index_url = da_xasprintf("%s/%s/simple/", mirror_url, tree);
    o.use_snapshot = false;
    o.offline = offline;
    o.refresh = refresh;
    o.speculative_releases = false;
    if (cache)
        o.cache_dir = da_xasprintf("%s/%s", work_dir, cache);
    else
        o.no_cache = true;
    da_metadata *m = NULL;
    da_error err = {0};
    int rc = da_metadata_open(&o, &m, &err);
    if (rc != 0)
        fprintf(stderr, "open: %s\n", err.message);
    assert_int_equal(rc, 0);
    da_metadata_options_free(&o);
    return m;
}

static const da_project_version *version_of(const da_project *p, const char *v)
{
    for (size_t i = 0; i < p->nversions; i++)
        if (strcmp(p->versions[i].version, v) == 0)
            return &p->versions[i];
    return NULL;
}

/* The fixture's Requires-Dist for name==version: the oracle. */
static void fixture_requires(const char *name, const char *version, da_strlist *out)
{
    char *path = da_xasprintf("%s/tests/mirror/fixtures/opentelemetry.json", DEPAUDIT_SOURCE_DIR);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(da_read_file(path, &text, &len, NULL), 0);
    cJSON *doc = cJSON_ParseWithLength(text, len);
    assert_non_null(doc);
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(doc, "projects"))
    {
        if (strcmp(cJSON_GetObjectItem(p, "name")->valuestring, name) != 0)
            continue;
        const cJSON *r;
        cJSON_ArrayForEach(r, cJSON_GetObjectItem(p, "releases"))
        {
            if (strcmp(cJSON_GetObjectItem(r, "version")->valuestring, version) != 0)
                continue;
            const cJSON *q;
            cJSON_ArrayForEach(q, cJSON_GetObjectItem(r, "requires_dist"))
                da_strlist_push(out, q->valuestring);
        }
    }
    cJSON_Delete(doc);
    free(text);
    free(path);
}

static void assert_same_list(const da_strlist *a, const da_strlist *b)
{
    assert_int_equal(a->len, b->len);
    for (size_t i = 0; i < a->len; i++)
        assert_string_equal(a->items[i], b->items[i]);
}

static void check_project_page(const char *tree, bool expect_upload_time)
{
    da_metadata *m = open_tree(tree, NULL, false, false);
    da_project *p = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_get_project(m, "OpenTelemetry_API", &p, &err), 0);
    assert_string_equal(p->name, "opentelemetry-api");
    assert_int_equal(p->source, DA_SOURCE_INDEX);
    const da_project_version *v = version_of(p, "1.21.0");
    assert_non_null(v);
    assert_non_null(version_of(p, "1.20.0"));
    assert_int_equal(v->nfiles, 1);
    const da_release_file *f = &v->files[0];
    assert_string_equal(f->filename, "opentelemetry_api-1.21.0-py3-none-any.whl");
    /* The page's relative link resolved against the page URL. */
    char *want = da_xasprintf("%s/%s/packages/opentelemetry-api/%s", mirror_url, tree, f->filename);
    assert_string_equal(f->url, want);
    free(want);
    assert_non_null(f->sha256);
    assert_int_equal(strlen(f->sha256), 64);
    assert_string_equal(f->requires_python, ">=3.7");
    assert_true(f->has_metadata);
    assert_non_null(f->metadata_sha256);
    assert_false(f->yanked);
    if (expect_upload_time) {
        assert_non_null(f->upload_time);
        assert_string_equal(f->upload_time, "2023-11-07T12:00:00.000000Z");
        assert_true(f->size > 0);
    } else {
        assert_null(f->upload_time); /* HTML pages carry no upload time: proof it was HTML */
    }
    da_project_free(p);
    assert_int_equal(da_metadata_get_project(m, "zipp", &p, &err), 0);
    assert_true(version_of(p, "3.18.0")->files[0].yanked);
    assert_false(version_of(p, "3.17.0")->files[0].yanked);
    da_project_free(p);
    assert_int_equal(da_metadata_get_project(m, "no-such-project", &p, &err), 1);
    assert_null(p);
    da_metadata_close(m);
}

static void test_json_index_page(void **state)
{
    (void)state;
    check_project_page("full", true);
}

static void test_html_only_index_page(void **state)
{
    (void)state;
    check_project_page("htmlonly", false);
}

static da_release *release_from(const char *tree, const char *name, const char *version,
                                da_metadata_stats *st)
{
    da_metadata *m = open_tree(tree, NULL, false, false);
    da_release *r = NULL;
    da_error err = {0};
    int rc = da_metadata_get_release(m, name, version, &r, &err);
    if (rc != 0)
        fprintf(stderr, "%s %s: %s: %s\n", name, version, err.file, err.message);
    assert_int_equal(rc, 0);
    if (st)
        da_metadata_get_stats(m, st);
    da_metadata_close(m);
    return r;
}

static void check_otlp_release(const char *tree)
{
    da_metadata_stats st;
    da_release *r = release_from(tree, "opentelemetry-exporter-otlp-proto-grpc", "1.21.0", &st);
    da_strlist want = {0};
    fixture_requires("opentelemetry-exporter-otlp-proto-grpc", "1.21.0", &want);
    assert_true(want.len == 9);
    assert_true(r->requires_known);
    assert_same_list(&r->requires_dist, &want);
    da_strlist_free(&want);
    assert_string_equal(r->requires_python, ">=3.7");
    assert_true(r->modules_known);
    assert_true(da_strlist_contains(&r->modules, "opentelemetry.exporter.otlp.proto.grpc"));
    assert_false(da_strlist_contains(&r->modules, "opentelemetry.exporter"));
    assert_true(da_strlist_contains(&r->namespaces, "opentelemetry"));
    assert_int_equal(r->source, DA_SOURCE_INDEX);
    assert_non_null(strstr(r->origin, "opentelemetry_exporter_otlp_proto_grpc-1.21.0"));
    assert_int_equal(st.whole_downloads, 0);
    da_release_free(r);
}

static void test_release_from_metadata_file(void **state)
{
    (void)state;
    check_otlp_release("full");
}

static void test_release_without_metadata_file(void **state)
{
    (void)state;
    /* No PEP 658: METADATA comes out of the wheel through range reads. */
    check_otlp_release("nometa");
}

static void test_release_html_only(void **state)
{
    (void)state;
    check_otlp_release("htmlonly");
}

static void test_wheel_choice_follows_target(void **state)
{
    (void)state;
    const char *pys[2] = {"311", "312"};
    for (int k = 0; k < 2; k++) {
        da_metadata_options o;
        da_metadata_options_init(&o);
        o.index_url = da_xasprintf("%s/full/simple/", mirror_url);
        o.no_cache = true;
        o.use_snapshot = false;
        da_target_init(&o.target, 3, k == 0 ? 11 : 12, -1);
        da_metadata *m = NULL;
        da_error err = {0};
        assert_int_equal(da_metadata_open(&o, &m, &err), 0);
        da_release *r = NULL;
        assert_int_equal(da_metadata_get_release(m, "wrapt", "1.16.0", &r, &err), 0);
        char *tag = da_xasprintf("-cp%s-cp%s-", pys[k], pys[k]);
        assert_non_null(strstr(r->origin, tag));
        assert_true(da_strlist_contains(&r->modules, "wrapt"));
        free(tag);
        da_release_free(r);
        da_metadata_close(m);
        da_metadata_options_free(&o);
    }
}

static long long file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (long long)st.st_size;
}

static void test_range_reads_fetch_little(void **state)
{
    (void)state;
    /* padded/: the wheels carry 1.5 MB of incompressible data before the directory. */
    const char *trees[2] = {"padded", "padded-nometa"};
    for (int t = 0; t < 2; t++) {
        da_metadata_stats st;
        const char *tree = trees[t];
        da_metadata *m = open_tree(tree, NULL, false, false);
        da_release *r = NULL;
        da_error err = {0};
        assert_int_equal(da_metadata_get_release(m, "opentelemetry-api", "1.21.0", &r, &err), 0);
        da_metadata_get_stats(m, &st);
        char *path = da_xasprintf("%s/trees/%s/packages/opentelemetry-api/"
                                  "opentelemetry_api-1.21.0-py3-none-any.whl",
                                  work_dir, tree);
        long long size = file_size(path);
        free(path);
        assert_true(size > 1000000);
        /* The page and .metadata are small; the wheel part is a 16 KiB tail (which also
         * holds METADATA when there is no .metadata file). Under 5% of the wheel: */
        assert_true(st.bytes * 20 < size);
        assert_true(st.range_requests >= 1);
        assert_int_equal(st.whole_downloads, 0);
        assert_true(da_strlist_contains(&r->modules, "opentelemetry.trace"));
        da_release_free(r);
        da_metadata_close(m);
    }
}

static void test_cache_cold_warm_revalidate(void **state)
{
    (void)state;
    da_metadata_stats cold, warm, reval;
    const char *name = "opentelemetry-api", *version = "1.21.0";
    for (int round = 0; round < 3; round++) {
        da_metadata *m = open_tree("full", "cache1", false, round == 2);
        da_project *p = NULL;
        da_release *r = NULL;
        da_error err = {0};
        assert_int_equal(da_metadata_get_project(m, name, &p, &err), 0);
        assert_int_equal(da_metadata_get_release(m, name, version, &r, &err), 0);
        assert_true(da_strlist_contains(&r->modules, "opentelemetry.context"));
        da_metadata_get_stats(m, round == 0 ? &cold : round == 1 ? &warm : &reval);
        if (round == 0) {
            assert_int_equal(p->source, DA_SOURCE_INDEX);
            assert_int_equal(r->source, DA_SOURCE_INDEX);
        } else {
            assert_int_equal(r->source, DA_SOURCE_CACHE);
        }
        da_project_free(p);
        da_release_free(r);
        da_metadata_close(m);
    }
    assert_true(cold.requests >= 2);
    assert_int_equal(cold.cache_hits, 0);
    assert_int_equal(warm.requests, 0); /* fresh page and immutable release: no request */
    assert_int_equal(warm.cache_hits, 2);
    assert_int_equal(reval.requests, 1); /* the page, conditionally */
    assert_int_equal(reval.revalidated, 1);
    assert_int_equal(reval.bytes, 0);
}

static void test_offline(void **state)
{
    (void)state;
    /* Cold cache, offline: a failure that says what it lacked, never "no versions". */
    da_metadata *m = open_tree("full", "cache-offline", true, false);
    da_project *p = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_get_project(m, "zipp", &p, &err), -1);
    assert_non_null(strstr(err.message, "offline"));
    assert_true(da_metadata_missing(m)->len >= 1);
    da_metadata_stats st;
    da_metadata_get_stats(m, &st);
    assert_int_equal(st.requests, 0);
    da_metadata_close(m);
    /* Warm it online, then offline answers from the cache. */
    m = open_tree("full", "cache-offline", false, false);
    da_release *r = NULL;
    assert_int_equal(da_metadata_get_release(m, "zipp", "3.17.0", &r, &err), 0);
    da_release_free(r);
    da_metadata_close(m);
    m = open_tree("full", "cache-offline", true, false);
    assert_int_equal(da_metadata_get_release(m, "zipp", "3.17.0", &r, &err), 0);
    assert_int_equal(r->source, DA_SOURCE_CACHE);
    da_release_free(r);
    assert_int_equal(da_metadata_get_release(m, "zipp", "3.18.0", &r, &err), -1);
    assert_non_null(strstr(err.message, "offline"));
    assert_int_equal(da_metadata_missing(m)->len, 1);
    da_metadata_close(m);
}

static void test_sdist_only_is_a_guess(void **state)
{
    (void)state;
    da_release *r = release_from("full", "legacy-sdist-only", "0.3", NULL);
    assert_false(r->requires_known);
    assert_false(r->modules_known);
    assert_int_equal(r->modules.len, 1);
    assert_string_equal(r->modules.items[0], "legacy_sdist_only");
    assert_non_null(strstr(r->origin, "guess"));
    da_release_free(r);
}

static void test_debian_wheels(void **state)
{
    (void)state;
    /* Real wheels: the module list is what the zip holds. */
    da_release *r = release_from("full", "pip", "23.0.1", NULL);
    assert_true(da_strlist_contains(&r->modules, "pip"));
    assert_string_equal(r->requires_python, ">=3.7");
    da_release_free(r);
    r = release_from("nometa", "setuptools", "66.1.1", NULL);
    assert_true(da_strlist_contains(&r->modules, "setuptools"));
    assert_true(da_strlist_contains(&r->modules, "pkg_resources"));
    da_release_free(r);
}

static void test_prefetch_many_at_once(void **state)
{
    (void)state;
    da_metadata_options o;
    da_metadata_options_init(&o);
    o.index_url = da_xasprintf("%s/full/simple/", mirror_url);
    o.no_cache = true;
    o.use_snapshot = false;
    da_metadata *m = NULL;
    da_error err = {0};
    assert_int_equal(da_metadata_open(&o, &m, &err), 0);
    const char *names[] = {"zipp", "deprecated", "wrapt", "importlib-metadata", "python-jose"};
    da_provider pv = da_metadata_provider(m);
    pv.prefetch_projects(pv.ctx, names, 5);
    da_metadata_stats after_prefetch;
    da_metadata_get_stats(m, &after_prefetch);
    assert_true(after_prefetch.requests >= 5);
    for (size_t i = 0; i < 5; i++) {
        da_project *p = NULL;
        assert_int_equal(pv.get_project(pv.ctx, names[i], &p, &err), 0);
        char *latest = da_project_latest_version(p, &o.target);
        assert_non_null(latest);
        da_release *r = NULL;
        assert_int_equal(pv.get_release(pv.ctx, names[i], latest, &r, &err), 0);
        assert_true(r->modules.len > 0);
        free(latest);
        da_release_free(r);
        da_project_free(p);
    }
    da_metadata_stats end;
    da_metadata_get_stats(m, &end);
    /* Everything came with the prefetch (speculative newest releases included). */
    assert_int_equal(end.requests, after_prefetch.requests);
    pv.destroy(pv.ctx);
    da_metadata_close(m);
    da_metadata_options_free(&o);
}

static void test_credentials_stay_off_disk(void **state)
{
    (void)state;
    /* nginx ignores the credentials; the point is where they end up. */
    const char *host = mirror_url + strlen("http://");
    for (int round = 0; round < 2; round++) {
        da_metadata_options o;
        da_metadata_options_init(&o);
        o.index_url = da_xasprintf("http://alice:s3cret@%s/full/simple/", host);
        o.cache_dir = da_xasprintf("%s/cache-creds", work_dir);
        o.use_snapshot = false;
        da_metadata *m = NULL;
        da_error err = {0};
        assert_int_equal(da_metadata_open(&o, &m, &err), 0);
        da_project *p = NULL;
        assert_int_equal(da_metadata_get_project(m, "zipp", &p, &err), 0);
        /* Links keep the page's credentials, from the network and from the cache alike. */
        assert_true(da_str_starts_with(p->versions[0].files[0].url, "http://alice:s3cret@"));
        assert_null(strstr(p->origin, "s3cret"));
        da_release *r = NULL;
        assert_int_equal(da_metadata_get_release(m, "zipp", "3.17.0", &r, &err), 0);
        assert_null(strstr(r->origin, "s3cret"));
        da_release_free(r);
        da_project_free(p);
        da_metadata_close(m);
        da_metadata_options_free(&o);
    }
    char *cmd = da_xasprintf("grep -rq s3cret '%s/cache-creds'", work_dir);
    assert_int_not_equal(system(cmd), 0); /* grep finds nothing */
    free(cmd);
}

int main(void)
{
    mirror_url = getenv("DA_MIRROR_URL");
    work_dir = getenv("DA_WORK");
    if (!mirror_url || !work_dir) {
        fprintf(stderr, "run me through run_mirror_test.sh\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_index_page),
        cmocka_unit_test(test_html_only_index_page),
        cmocka_unit_test(test_release_from_metadata_file),
        cmocka_unit_test(test_release_without_metadata_file),
        cmocka_unit_test(test_release_html_only),
        cmocka_unit_test(test_wheel_choice_follows_target),
        cmocka_unit_test(test_range_reads_fetch_little),
        cmocka_unit_test(test_cache_cold_warm_revalidate),
        cmocka_unit_test(test_offline),
        cmocka_unit_test(test_sdist_only_is_a_guess),
        cmocka_unit_test(test_debian_wheels),
        cmocka_unit_test(test_prefetch_many_at_once),
        cmocka_unit_test(test_credentials_stay_off_disk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
