/* The metadata module's pure parts, without a network: URL joining and redaction, the
 * PEP 691 JSON and PEP 503 HTML page parsers, SHA-256, the disk cache, and reading a
 * zip's directory through the sparse zip_source from only its tail (checked against
 * libzip reading the whole real wheel from disk). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "depaudit/metadata.h"
#include "metadata/disk_cache.h"
#include "metadata/sha256.h"
#include "metadata/wheel_ranges.h"

#include <zip.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_url_resolve(void **state)
{
    (void)state;
    static const char *const cases[][3] = {
        {"http://h:1/simple/zipp/", "../../packages/zipp/z.whl#sha256=ab",
         "http://h:1/packages/zipp/z.whl"},
        {"http://h/simple/zipp/", "z.whl", "http://h/simple/zipp/z.whl"},
        {"http://h/simple/zipp/", "/files/z.whl", "http://h/files/z.whl"},
        {"http://h/simple/zipp/", "https://cdn/x/z.whl", "https://cdn/x/z.whl"},
        {"https://h/simple/zipp/", "//cdn/z.whl", "https://cdn/z.whl"},
        {"http://h/a/b/c", "../../../../z", "http://h/z"},
        {"http://h/a/b/", "./c/./d/../e?x=1#f", "http://h/a/b/c/e?x=1"},
        {"http://h/a/b/", "", "http://h/a/b/"},
        {"http://h/a/b?q", "?r", "http://h/a/b?r"},
        {"http://h", "z", "http://h/z"},
        {"http://u:p@h/s/", "../p/z", "http://u:p@h/p/z"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = da_url_resolve(cases[i][0], cases[i][1]);
        if (strcmp(got, cases[i][2]) != 0)
            fprintf(stderr, "%s + %s = %s, want %s\n", cases[i][0], cases[i][1], got, cases[i][2]);
        assert_string_equal(got, cases[i][2]);
        free(got);
    }
}

static void test_url_redact(void **state)
{
    (void)state;
    char *r = da_url_hide_credentials("https://user:pw@idx.example/simple/", DA_URL_REDACT);
    assert_string_equal(r, "https://***@idx.example/simple/");
    free(r);
    r = da_url_hide_credentials("https://token@idx.example/a@b", DA_URL_REDACT);
    assert_string_equal(r, "https://***@idx.example/a@b");
    free(r);
    r = da_url_hide_credentials("http://h/simple/", DA_URL_REDACT);
    assert_string_equal(r, "http://h/simple/");
    free(r);
    /* what the cache stores: the credentials gone, not marked */
    r = da_url_hide_credentials("https://user:p@ss@idx.example/simple/x/?q=a@b", DA_URL_STRIP);
    assert_string_equal(r, "https://idx.example/simple/x/?q=a@b");
    free(r);
    r = da_url_hide_credentials("idx.example/user@x", DA_URL_STRIP);
    assert_string_equal(r, "idx.example/user@x");
    free(r);
    r = da_url_hide_credentials(NULL, DA_URL_REDACT);
    assert_string_equal(r, "(none)");
    free(r);
    /* Credentials in forms a user may mistype are never shown either. */
    static const char *const secret_forms[][2] = {
        {"alice:s3cret@idx.example/simple/", "***@idx.example/simple/"},
        {"http://alice:pa/ss@idx.example/simple/", "http://***@idx.example/simple/"},
        {"http://alice:pa?ss@idx.example/simple/", "http://***@idx.example/simple/"},
        {"http://alice:pa#ss@idx.example/simple/", "http://***@idx.example/simple/"},
        {"//alice:s3cret@idx.example/", "//***@idx.example/"},
        {"http://[::1]:8080/a@b", "http://[::1]:8080/a@b"},
        {"http://h:8080/a@b", "http://h:8080/a@b"},
    };
    for (size_t i = 0; i < sizeof(secret_forms) / sizeof(secret_forms[0]); i++) {
        r = da_url_hide_credentials(secret_forms[i][0], DA_URL_REDACT);
        assert_string_equal(r, secret_forms[i][1]);
        free(r);
    }
}

static void test_url_encode_segment(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"zipp", "zipp"},
        {"a.b-c_d~e", "a.b-c_d~e"},
        {"x?y=1#frag", "x%3Fy%3D1%23frag"},
        {"../../etc/passwd", "..%2F..%2Fetc%2Fpasswd"},
        {"..", "%2E%2E"},
        {".", "%2E"},
        {"a b%\xc3\xa9", "a%20b%25%C3%A9"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *e = da_url_encode_segment(cases[i][0]);
        assert_string_equal(e, cases[i][1]);
        free(e);
    }
}

static void test_sha256_vectors(void **state)
{
    (void)state;
    char hex[65];
    da_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    da_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    da_sha256_hex(two, strlen(two), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    /* Fed in odd pieces gives the same digest. */
    da_sha256 s;
    da_sha256_init(&s);
    for (size_t i = 0; i < strlen(two); i += 7)
        da_sha256_update(&s, two + i, strlen(two) - i < 7 ? strlen(two) - i : 7);
    char hex2[65];
    da_sha256_final_hex(&s, hex2);
    assert_string_equal(hex, hex2);
}

static const char html_page[] =
    "<!DOCTYPE html><html><body><h1>Links for demo</h1>\n"
    "<a href=\"../../packages/demo/demo-1.0-py3-none-any.whl#sha256="
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\" "
    "data-requires-python=\"&gt;=3.8,&lt;4\" data-core-metadata=\"sha256="
    "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100\">demo-1.0</a><br/>\n"
    "<A HREF='demo-1.1.tar.gz' data-yanked=''>demo-1.1.tar.gz</A>\n"
    "<a href=\"demo-2.0-py3-none-any.whl\" data-dist-info-metadata=\"true\" "
    "data-yanked=\"bad &amp; broken\">x</a>\n"
    "<a href=\"not-a-dist.txt\">junk</a><a>no href</a>\n"
    "</body></html>\n";

static void test_html_page(void **state)
{
    (void)state;
    da_project *p = NULL;
    da_error err = {0};
    assert_int_equal(da_simple_html_parse(html_page, strlen(html_page), "http://h/simple/demo/",
                                          "Demo", "test", &p, &err),
                     0);
    assert_string_equal(p->name, "demo");
    assert_int_equal(p->nversions, 3);
    const da_release_file *f = &p->versions[0].files[0];
    assert_string_equal(p->versions[0].version, "1.0");
    assert_string_equal(f->filename, "demo-1.0-py3-none-any.whl");
    assert_string_equal(f->url, "http://h/packages/demo/demo-1.0-py3-none-any.whl");
    assert_string_equal(f->sha256,
                        "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    assert_string_equal(f->requires_python, ">=3.8,<4");
    assert_true(f->has_metadata);
    assert_string_equal(f->metadata_sha256,
                        "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100");
    assert_false(f->yanked);
    f = &p->versions[1].files[0];
    assert_string_equal(f->filename, "demo-1.1.tar.gz");
    assert_true(f->yanked);
    assert_null(f->sha256);
    f = &p->versions[2].files[0];
    assert_true(f->yanked);
    assert_true(f->has_metadata);
    assert_null(f->metadata_sha256);
    da_project_free(p);
    /* An unterminated tag is an error with a line, not a crash. */
    const char bad[] = "<html>\n<a href=\"x-1.0.tar.gz";
    assert_int_equal(
        da_simple_html_parse(bad, strlen(bad), "http://h/s/x/", "x", "page.html", &p, &err), -1);
    assert_null(p);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.file, "page.html");
}

static const char json_page[] =
    "{\"meta\":{\"api-version\":\"1.1\"},\"name\":\"Demo\",\"versions\":[\"1.0\",\"3.0\"],"
    "\"files\":[{\"filename\":\"demo-1.0-py3-none-any.whl\",\"url\":\"../../p/demo-1.0-py3-none-"
    "any.whl\",\"hashes\":{\"sha256\":\"aa\"},\"requires-python\":\">=3.8\",\"core-metadata\":{"
    "\"sha256\":\"bb\"},\"yanked\":\"reason\",\"size\":123,\"upload-time\":\"2024-01-01T00:00:"
    "00Z\"},{\"filename\":\"demo-1.0.tar.gz\",\"url\":\"https://f/demo-1.0.tar.gz\",\"hashes\":"
    "{},\"dist-info-metadata\":true,\"yanked\":false},{\"filename\":\"evil/../x.whl\",\"url\":"
    "\"x\"}]}";

static void test_json_page(void **state)
{
    (void)state;
    da_project *p = NULL;
    da_error err = {0};
    assert_int_equal(
        da_simple_json_parse(json_page, strlen(json_page), "http://h/simple/demo/", "t", &p, &err),
        0);
    assert_string_equal(p->name, "demo");
    assert_int_equal(p->nversions, 2); /* 1.0 with two files, 3.0 listed without files */
    assert_int_equal(p->versions[0].nfiles, 2);
    const da_release_file *w = &p->versions[0].files[0];
    assert_string_equal(w->url, "http://h/p/demo-1.0-py3-none-any.whl");
    assert_string_equal(w->sha256, "aa");
    assert_string_equal(w->metadata_sha256, "bb");
    assert_true(w->yanked);
    assert_int_equal(w->size, 123);
    assert_string_equal(w->upload_time, "2024-01-01T00:00:00Z");
    const da_release_file *s = &p->versions[0].files[1];
    assert_true(s->has_metadata);
    assert_null(s->sha256);
    assert_false(s->yanked);
    assert_int_equal(p->versions[1].nfiles, 0);
    da_project_free(p);
    const char *bad[] = {"", "{", "[]",
                         "{\"meta\":{\"api-version\":\"2.0\"},\"name\":\"x\",\"files\":[]}",
                         "{\"meta\":{\"api-version\":\"1.0\"},\"files\":[]}"};
    for (size_t i = 0; i < 5; i++) {
        da_error_clear(&err);
        assert_int_equal(
            da_simple_json_parse(bad[i], strlen(bad[i]), "http://h/", "page.json", &p, &err), -1);
        assert_string_equal(err.file, "page.json");
        assert_true(err.message[0] != '\0');
    }
}

static void test_disk_cache_round_trip(void **state)
{
    (void)state;
    char dir[] = "/tmp/da-cache-test.XXXXXX";
    assert_non_null(mkdtemp(dir));
    da_disk_cache c;
    da_error err = {0};
    assert_int_equal(da_disk_cache_open(&c, dir, &err), 0);
    da_cached_page p = {0};
    p.url = "http://h/simple/x/";
    p.content_type = "text/html";
    p.etag = "\"abc\"";
    p.fetched_at = 1700000000;
    p.max_age = 600;
    p.body = "body\nwith\0nul";
    p.body_len = 13;
    assert_int_equal(da_disk_cache_put_page(&c, "key-1", &p, &err), 0);
    da_cached_page got;
    assert_int_equal(da_disk_cache_get_page(&c, "key-1", &got), 0);
    assert_string_equal(got.url, p.url);
    assert_string_equal(got.etag, p.etag);
    assert_null(got.last_modified);
    assert_int_equal(got.fetched_at, 1700000000);
    assert_int_equal(got.max_age, 600);
    assert_int_equal(got.body_len, 13);
    assert_memory_equal(got.body, p.body, 13);
    da_cached_page_free(&got);
    assert_int_equal(da_disk_cache_get_page(&c, "key-2", &got), 1);
    /* A corrupt entry reads as absent. */
    char hex[65];
    da_sha256_hex("key-1", 5, hex);
    char *path = da_xasprintf("%s/v2/pages/%s", dir, hex);
    FILE *f = fopen(path, "w");
    fputs("not json\nbody", f);
    fclose(f);
    assert_int_equal(da_disk_cache_get_page(&c, "key-1", &got), 1);
    assert_int_not_equal(access(path, F_OK), 0); /* and is removed */
    free(path);
    assert_int_equal(da_disk_cache_put_blob(&c, "releases", "abc-r1", "{}", 2, &err), 0);
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(da_disk_cache_get_blob(&c, "releases", "abc-r1", &data, &len), 0);
    assert_int_equal(len, 2);
    free(data);
    /* Keys that could escape the directory are refused. */
    assert_int_equal(da_disk_cache_get_blob(&c, "releases", "../x", &data, &len), 1);
    da_disk_cache_close(&c);
    char *cmd = da_xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

/* The real pip wheel Debian ships: its tail alone must give the full name list. */
static void test_zip_from_tail_only(void **state)
{
    (void)state;
    const char *path = "/usr/share/python-wheels/wheel-0.38.4-py3-none-any.whl";
    if (access(path, R_OK) != 0)
        skip();
    char *data = NULL;
    size_t len = 0;
    assert_int_equal(da_read_file(path, &data, &len, NULL), 0);
    da_sparse_file sf = {.size = (long long)len};
    long long tail = 4096;
    da_sparse_add(&sf, (long long)len - tail, data + len - tail, (size_t)tail);
    long long cd_off = 0, cd_end = 0;
    da_error err = {0};
    int rc = da_zip_locate_central_directory(&sf, path, &cd_off, &cd_end, &err);
    assert_int_equal(rc, 0);
    if (!da_sparse_has(&sf, cd_off, cd_end - cd_off))
        da_sparse_add(&sf, cd_off, data + cd_off, (size_t)(cd_end - cd_off));
    da_strlist names = {0};
    assert_int_equal(da_zip_list_names(&sf, path, &names, &err), 0);
    /* Oracle: libzip over the whole file. */
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    assert_non_null(z);
    assert_int_equal((long long)names.len, (long long)zip_get_num_entries(z, 0));
    for (size_t i = 0; i < names.len; i++)
        assert_string_equal(names.items[i], zip_get_name(z, i, 0));
    zip_discard(z);
    long long first = 0, end = 0;
    const char *member = "wheel-0.38.4.dist-info/METADATA";
    assert_int_equal(da_zip_member_extent(&sf, path, member, &first, &end, &err), 0);
    if (!da_sparse_has(&sf, first, end - first))
        da_sparse_add(&sf, first, data + first, (size_t)(end - first));
    char *meta = NULL;
    size_t mlen = 0;
    assert_int_equal(da_zip_read_member(&sf, path, member, &meta, &mlen, &err), 0);
    assert_non_null(strstr(meta, "Name: wheel"));
    free(meta);
    assert_int_equal(da_zip_member_extent(&sf, path, "no/such", &first, &end, &err), 1);
    da_strlist_free(&names);
    da_sparse_free(&sf);
    /* Not a zip: an error naming the file, never a crash. */
    da_sparse_file junk = {.size = 100};
    char zeros[100] = {0};
    da_sparse_add(&junk, 0, zeros, 100);
    assert_int_equal(da_zip_locate_central_directory(&junk, "junk.whl", &cd_off, &cd_end, &err),
                     -1);
    assert_string_equal(err.file, "junk.whl");
    da_sparse_free(&junk);
    free(data);
}

static void test_python_paths(void **state)
{
    (void)state;
    if (access("/usr/bin/python3", X_OK) != 0)
        skip();
    da_strlist dirs = {0};
    da_error err = {0};
    assert_int_equal(da_python_site_packages("/usr/bin/python3", &dirs, &err), 0);
    for (size_t i = 0; i < dirs.len; i++)
        assert_non_null(strstr(dirs.items[i], "-packages"));
    da_strlist_free(&dirs);
    assert_int_equal(da_python_site_packages("/nonexistent/python", &dirs, &err), -1);
    assert_string_equal(err.file, "/nonexistent/python");
    /* An interpreter that exits non-zero (false(1) stands in for one) is an error too. */
    assert_int_equal(da_python_site_packages("/bin/false", &dirs, &err), -1);
    assert_int_equal(dirs.len, 0);
}

static void test_unusable_default_cache_degrades(void **state)
{
    (void)state;
    char *home = getenv("HOME") ? da_xstrdup(getenv("HOME")) : NULL;
    char *xdg = getenv("XDG_CACHE_HOME") ? da_xstrdup(getenv("XDG_CACHE_HOME")) : NULL;
    setenv("HOME", "/proc/no-such-dir", 1);
    unsetenv("XDG_CACHE_HOME");
    da_metadata_options o;
    da_metadata_options_init(&o);
    o.use_snapshot = false;
    da_metadata *m = NULL;
    da_error err = {0};
    /* The default location: runs without a cache, and says so. */
    assert_int_equal(da_metadata_open(&o, &m, &err), 0);
    assert_int_equal(da_metadata_warnings(m)->len, 1);
    assert_non_null(strstr(da_metadata_warnings(m)->items[0], "disk cache disabled"));
    /* Without an index nothing answers, and that is a failure, not "no such project". */
    da_project *p = NULL;
    assert_int_equal(da_metadata_get_project(m, "zipp", &p, &err), -1);
    assert_non_null(strstr(err.message, "no package index configured"));
    da_metadata_close(m);
    /* An explicit directory that cannot be used is an error naming it. */
    o.cache_dir = da_xstrdup("/proc/no-such-dir/cache");
    assert_int_equal(da_metadata_open(&o, &m, &err), -1);
    assert_non_null(strstr(err.file, "/proc/no-such-dir"));
    da_metadata_options_free(&o);
    if (home)
        setenv("HOME", home, 1);
    if (xdg)
        setenv("XDG_CACHE_HOME", xdg, 1);
    free(home);
    free(xdg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_resolve),
        cmocka_unit_test(test_url_redact),
        cmocka_unit_test(test_url_encode_segment),
        cmocka_unit_test(test_sha256_vectors),
        cmocka_unit_test(test_html_page),
        cmocka_unit_test(test_json_page),
        cmocka_unit_test(test_disk_cache_round_trip),
        cmocka_unit_test(test_zip_from_tail_only),
        cmocka_unit_test(test_python_paths),
        cmocka_unit_test(test_unusable_default_cache_degrades),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
