/* A damaged snapshot file gives a clear error naming the file, never a crash: every
 * truncation point of the header and section table, truncations through the body, and
 * byte flips spread over the whole committed file. */
#include "depaudit/snapshot.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#define SNAPSHOT DEPAUDIT_SOURCE_DIR "/corpus/index/snapshot.bin"

static char *data;
static size_t len;

static int setup(void **state)
{
    (void)state;
    da_error err;
    return da_read_file(SNAPSHOT, &data, &len, &err);
}

static int teardown(void **state)
{
    (void)state;
    free(data);
    return 0;
}

/* Opening must fail with a message; if a damaged copy still opens (a flip in unused
 * padding could), lookups on it must still work. */
static void must_fail_cleanly(const void *bytes, size_t n, const char *what)
{
    da_error err;
    da_error_clear(&err);
    da_snapshot *s = da_snapshot_open_memory(bytes, n, "damaged.snapshot", &err);
    if (s) {
        print_error("%s: opened anyway\n", what);
        da_snapshot_close(s);
        fail();
    }
    assert_string_equal(err.file, "damaged.snapshot");
    assert_true(strlen(err.message) > 10);
}

static void truncations(void **state)
{
    (void)state;
    /* every length through the header and section table, then a spread through the body */
    for (size_t n = 0; n < 256 && n < len; n++)
        must_fail_cleanly(data, n, "truncated header");
    for (size_t n = 256; n < len; n += len / 97 + 1)
        must_fail_cleanly(data, n, "truncated body");
    must_fail_cleanly(data, len - 1, "one byte short");
}

static void flips(void **state)
{
    (void)state;
    char *copy = malloc(len);
    /* Every byte of the header and table, then bytes spread through the body: the
     * section checksums catch what the structure checks do not. */
    size_t step = len / 101 + 1;
    for (size_t i = 0; i < len; i += i < 184 ? 1 : step) { /* 184: header + table */
        memcpy(copy, data, len);
        copy[i] ^= 0x5a;
        da_error err;
        da_error_clear(&err);
        da_snapshot *s = da_snapshot_open_memory(copy, len, "flipped.snapshot", &err);
        if (s) {
            /* only the lazily checked names section may hide a flip until first use */
            da_strlist out = {0};
            da_snapshot_which(s, "yaml", &out);
            da_snapshot_name_exists(s, "requests", NULL);
            da_strlist_free(&out);
            da_snapshot_close(s);
        } else {
            assert_string_equal(err.file, "flipped.snapshot");
            assert_true(strlen(err.message) > 10);
        }
    }
    free(copy);
}

static void not_a_snapshot(void **state)
{
    (void)state;
    must_fail_cleanly("", 0, "empty");
    must_fail_cleanly("hello world, this is not a snapshot file at all", 47, "text");
    char wrong_version[64];
    memcpy(wrong_version, data, sizeof(wrong_version));
    wrong_version[8] = 9;
    da_error err;
    da_error_clear(&err);
    assert_null(da_snapshot_open_memory(wrong_version, sizeof(wrong_version), "v9", &err));
    assert_non_null(strstr(err.message, "format version 9"));

    da_error_clear(&err);
    assert_null(da_snapshot_open_file("/nonexistent/dir/x.snapshot", &err));
    assert_string_equal(err.file, "/nonexistent/dir/x.snapshot");
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A project flag this reader does not know (a later format's meaning it would ignore) is
 * rejected even when the section's checksum is right. */
static void unknown_project_flag(void **state)
{
    (void)state;
    unsigned char *copy = malloc(len);
    memcpy(copy, data, len);
    uint32_t nsec = rd32(copy + 12);
    unsigned char *entry = NULL;
    for (uint32_t i = 0; i < nsec; i++)
        if (rd32(copy + 16 + 24 * i) == 2) /* the projects section */
            entry = copy + 16 + 24 * i;
    assert_non_null(entry);
    unsigned char *sec = copy + rd32(entry + 8);
    uint32_t raw_len = rd32(entry + 16);
    assert_true(rd32(sec) > 0);
    wr32(sec + 4 + 5 * 4, 0x80u); /* the flags of project record 0 */
    wr32(entry + 20, (uint32_t)crc32(0L, sec, raw_len));
    da_error err;
    da_error_clear(&err);
    assert_null(da_snapshot_open_memory(copy, len, "flagged.snapshot", &err));
    assert_non_null(strstr(err.message, "project record 0"));
    free(copy);
}

static void names_section_damage_loses_only_unranked_names(void **state)
{
    (void)state;
    /* Corrupt the last bytes, which belong to the names section (written last). */
    char *copy = malloc(len);
    memcpy(copy, data, len);
    for (size_t i = len - 64; i < len; i++)
        copy[i] = (char)~copy[i];
    da_error err;
    da_error_clear(&err);
    da_snapshot *s = da_snapshot_open_memory(copy, len, "names-damaged", &err);
    assert_non_null(s);
    int rank = 0;
    assert_true(da_snapshot_name_exists(s, "requests", &rank)); /* ranked: still known */
    da_snapshot_close(s);
    free(copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(truncations),
        cmocka_unit_test(flips),
        cmocka_unit_test(not_a_snapshot),
        cmocka_unit_test(unknown_project_flag),
        cmocka_unit_test(names_section_damage_loses_only_unranked_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
