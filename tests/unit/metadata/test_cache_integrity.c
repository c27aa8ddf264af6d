/* The disk cache never trusts an entry it did not write whole: a truncated body (header
 * intact), a flipped byte, a header for another key, an entry of an older format or a
 * symlink in its place read as absent and are removed, so the next run fetches afresh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "depaudit/util.h"
#include "metadata/disk_cache.h"
#include "metadata/sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

static const char body[] =
    "{\"meta\": {\"api-version\": \"1.1\"}, \"name\": \"zipp\", \"files\": []}";

typedef struct fixture {
    char dir[64];
    da_disk_cache cache;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    snprintf(f->dir, sizeof(f->dir), "/tmp/da-cache-integrity.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    da_error err = {0};
    if (da_disk_cache_open(&f->cache, f->dir, &err) != 0)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    da_disk_cache_close(&f->cache);
    char *cmd = da_xasprintf("rm -rf '%s'", f->dir);
    int rc = system(cmd);
    free(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

static char *page_file(const fixture *f, const char *key)
{
    char hex[65];
    da_sha256_hex(key, strlen(key), hex);
    return da_xasprintf("%s/v2/pages/%s", f->dir, hex);
}

static void put_page(fixture *f, const char *key)
{
    da_cached_page p = {0};
    p.url = "http://h/simple/zipp/";
    p.content_type = "application/vnd.pypi.simple.v1+json";
    p.fetched_at = (long long)time(NULL);
    p.max_age = 600;
    p.body = (char *)body;
    p.body_len = strlen(body);
    da_error err = {0};
    assert_int_equal(da_disk_cache_put_page(&f->cache, key, &p, &err), 0);
}

static void expect_page_gone(fixture *f, const char *key, const char *path)
{
    da_cached_page got;
    assert_int_equal(da_disk_cache_get_page(&f->cache, key, &got), 1);
    assert_null(got.body);
    struct stat st;
    assert_int_not_equal(lstat(path, &st), 0); /* removed, not left to fail again */
}

static long file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (long)st.st_size;
}

/* The reported bug: the body cut short, the header line intact. */
static void test_truncated_page_is_a_miss_and_removed(void **state)
{
    fixture *f = *state;
    for (long cut = 1; cut <= (long)strlen(body); cut += 7) {
        put_page(f, "k");
        char *path = page_file(f, "k");
        assert_int_equal(truncate(path, file_size(path) - cut), 0);
        expect_page_gone(f, "k", path);
        free(path);
    }
}

static void flip_byte(const char *path, long from_end)
{
    FILE *fp = fopen(path, "r+b");
    assert_non_null(fp);
    fseek(fp, -from_end, SEEK_END);
    int c = fgetc(fp);
    fseek(fp, -from_end, SEEK_END);
    fputc(c ^ 0x20, fp);
    fclose(fp);
}

static void test_corrupted_page_is_a_miss(void **state)
{
    fixture *f = *state;
    put_page(f, "k");
    char *path = page_file(f, "k");
    flip_byte(path, 5);
    expect_page_gone(f, "k", path);
    /* Appended bytes are no better than missing ones. */
    put_page(f, "k");
    FILE *fp = fopen(path, "ab");
    fputs("]]", fp);
    fclose(fp);
    expect_page_gone(f, "k", path);
    /* An entry written for another key (same file name by accident or on purpose). */
    put_page(f, "other");
    char *other = page_file(f, "other");
    assert_int_equal(rename(other, path), 0);
    expect_page_gone(f, "k", path);
    free(other);
    /* An entry of the previous format (header without length and hash). */
    fp = fopen(path, "wb");
    fprintf(fp, "{\"key\":\"k\",\"url\":\"http://h/\",\"fetched_at\":1,\"max_age\":9}\n%s", body);
    fclose(fp);
    expect_page_gone(f, "k", path);
    /* A symlink planted where the entry goes is not followed. */
    assert_int_equal(symlink("/etc/passwd", path), 0);
    expect_page_gone(f, "k", path);
    free(path);
}

static void test_intact_page_reads_back(void **state)
{
    fixture *f = *state;
    put_page(f, "k");
    da_cached_page got;
    assert_int_equal(da_disk_cache_get_page(&f->cache, "k", &got), 0);
    assert_int_equal(got.body_len, strlen(body));
    assert_memory_equal(got.body, body, strlen(body));
    assert_string_equal(got.url, "http://h/simple/zipp/");
    da_cached_page_free(&got);
    da_disk_cache_remove_page(&f->cache, "k");
    assert_int_equal(da_disk_cache_get_page(&f->cache, "k", &got), 1);
}

static void test_truncated_or_corrupt_blob_is_a_miss(void **state)
{
    fixture *f = *state;
    const char *json = "{\"name\":\"zipp\",\"version\":\"3.17.0\"}";
    char *path = da_xasprintf("%s/v2/releases/abc-r1", f->dir);
    for (int kind = 0; kind < 3; kind++) {
        da_error err = {0};
        assert_int_equal(
            da_disk_cache_put_blob(&f->cache, "releases", "abc-r1", json, strlen(json), &err), 0);
        char *data = NULL;
        size_t len = 0;
        assert_int_equal(da_disk_cache_get_blob(&f->cache, "releases", "abc-r1", &data, &len), 0);
        assert_int_equal(len, strlen(json));
        free(data);
        if (kind == 0)
            assert_int_equal(truncate(path, file_size(path) - 3), 0);
        else if (kind == 1)
            flip_byte(path, 2);
        else
            assert_int_equal(truncate(path, 10), 0); /* the header itself cut */
        assert_int_equal(da_disk_cache_get_blob(&f->cache, "releases", "abc-r1", &data, &len), 1);
        assert_null(data);
        assert_int_not_equal(access(path, F_OK), 0);
    }
    /* Kinds other than the blob directories are refused, like unsafe keys. */
    da_error err = {0};
    assert_int_equal(da_disk_cache_put_blob(&f->cache, "../pages", "x", "y", 1, &err), 0);
    char *stray = da_xasprintf("%s/v2/pages/x", f->dir);
    assert_int_not_equal(access(stray, F_OK), 0);
    free(stray);
    free(path);
}

/* Temp files a killed writer left behind go once they are an hour old, not before. */
static void test_stale_temp_files_are_removed_on_open(void **state)
{
    fixture *f = *state;
    char *old = da_xasprintf("%s/v2/pages/abc.tmp.123.XXXXXX", f->dir);
    char *young = da_xasprintf("%s/v2/releases/def.tmp.456.XXXXXX", f->dir);
    int fd = mkstemp(old);
    assert_true(fd >= 0);
    close(fd);
    fd = mkstemp(young);
    assert_true(fd >= 0);
    close(fd);
    struct utimbuf two_hours_ago = {time(NULL) - 7200, time(NULL) - 7200};
    assert_int_equal(utime(old, &two_hours_ago), 0);
    da_disk_cache again;
    da_error err = {0};
    assert_int_equal(da_disk_cache_open(&again, f->dir, &err), 0);
    da_disk_cache_close(&again);
    assert_int_not_equal(access(old, F_OK), 0);
    assert_int_equal(access(young, F_OK), 0);
    free(old);
    free(young);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_truncated_page_is_a_miss_and_removed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_corrupted_page_is_a_miss, setup, teardown),
        cmocka_unit_test_setup_teardown(test_intact_page_reads_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_or_corrupt_blob_is_a_miss, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_temp_files_are_removed_on_open, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
