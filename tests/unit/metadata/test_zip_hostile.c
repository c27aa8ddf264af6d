/* The zip and range reader against a hostile server: every offset and size it reads from
 * the wire (Content-Range, the end records, the ZIP64 locator and end record, central
 * directory entries) is checked before use. Each case used to crash, read out of bounds
 * or allocate without bound; now each is a clear error naming the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "depaudit/util.h"
#include "metadata/wheel_ranges.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(unsigned char *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

/* CRC-32 (the zip polynomial), bit by bit: the test's members are a few bytes. */
static uint32_t crc32_of(const char *s, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= (unsigned char)s[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    }
    return ~c;
}

#define MEMBER "a-1.0.dist-info/METADATA"
#define CONTENT "Metadata-Version: 2.1\nName: a\nVersion: 1.0\n"

/* A valid one-member zip (stored) with its end records laid out as the caller asks:
 * zip64 adds a ZIP64 end record and locator (and marks the classic fields 0xFFFFFFFF).
 * Returns the length; offsets of the records go to *cd_at, *z64_at, *eocd_at. */
typedef struct layout {
    size_t len, cd_at, z64_at, loc_at, eocd_at;
} layout;

static layout build_zip(unsigned char *buf, int zip64)
{
    layout l = {0};
    size_t nl = strlen(MEMBER), cl = strlen(CONTENT);
    uint32_t crc = crc32_of(CONTENT, cl);
    unsigned char *p = buf;
    memset(p, 0, 30);
    put32(p, 0x04034b50);
    put16(p + 4, 20);
    put32(p + 14, crc);
    put32(p + 18, (uint32_t)cl);
    put32(p + 22, (uint32_t)cl);
    put16(p + 26, (uint16_t)nl);
    memcpy(p + 30, MEMBER, nl);
    memcpy(p + 30 + nl, CONTENT, cl);
    p += 30 + nl + cl;
    l.cd_at = (size_t)(p - buf);
    memset(p, 0, 46);
    put32(p, 0x02014b50);
    put16(p + 4, 20);
    put16(p + 6, 20);
    put32(p + 16, crc);
    put32(p + 20, (uint32_t)cl);
    put32(p + 24, (uint32_t)cl);
    put16(p + 28, (uint16_t)nl);
    put32(p + 42, 0);
    memcpy(p + 46, MEMBER, nl);
    p += 46 + nl;
    size_t cd_len = (size_t)(p - buf) - l.cd_at;
    if (zip64) {
        l.z64_at = (size_t)(p - buf);
        memset(p, 0, 56);
        put32(p, 0x06064b50);
        put64(p + 4, 44);
        put64(p + 24, 1);
        put64(p + 32, 1);
        put64(p + 40, cd_len);
        put64(p + 48, l.cd_at);
        p += 56;
        l.loc_at = (size_t)(p - buf);
        memset(p, 0, 20);
        put32(p, 0x07064b50);
        put64(p + 8, l.z64_at);
        put32(p + 16, 1);
        p += 20;
    }
    l.eocd_at = (size_t)(p - buf);
    memset(p, 0, 22);
    put32(p, 0x06054b50);
    put16(p + 8, 1);
    put16(p + 10, 1);
    put32(p + 12, zip64 ? 0xFFFFFFFFu : (uint32_t)cd_len);
    put32(p + 16, zip64 ? 0xFFFFFFFFu : (uint32_t)l.cd_at);
    p += 22;
    l.len = (size_t)(p - buf);
    return l;
}

/* The file as a server would give it: the whole of it, or only its last `tail` bytes. */
static void load(da_sparse_file *f, const unsigned char *buf, size_t len, size_t tail)
{
    memset(f, 0, sizeof(*f));
    f->size = (long long)len;
    size_t from = tail < len ? len - tail : 0;
    assert_int_equal(da_sparse_add(f, (long long)from, (const char *)buf + from, len - from), 0);
}

static void expect_locate_error(const unsigned char *buf, size_t len, const char *fragment)
{
    da_sparse_file f;
    load(&f, buf, len, len);
    long long a = 0, b = 0;
    da_error err = {0};
    int rc = da_zip_locate_central_directory(&f, "w.whl", &a, &b, &err);
    if (rc != -1 || !strstr(err.message, fragment))
        fprintf(stderr, "rc %d, error: %s (want %s)\n", rc, err.message, fragment);
    assert_int_equal(rc, -1);
    assert_string_equal(err.file, "w.whl");
    assert_non_null(strstr(err.message, fragment));
    /* The name list through libzip must fail (or succeed) without reading outside. */
    da_strlist names = {0};
    da_error err2 = {0};
    (void)da_zip_list_names(&f, "w.whl", &names, &err2);
    da_strlist_free(&names);
    da_sparse_free(&f);
}

static void test_valid_zips_read(void **state)
{
    (void)state;
    unsigned char buf[1024];
    for (int zip64 = 0; zip64 < 2; zip64++) {
        layout l = build_zip(buf, zip64);
        da_sparse_file f;
        load(&f, buf, l.len, l.len);
        long long a = 0, b = 0;
        da_error err = {0};
        assert_int_equal(da_zip_locate_central_directory(&f, "w.whl", &a, &b, &err), 0);
        assert_int_equal(a, (long long)l.cd_at);
        da_strlist names = {0};
        assert_int_equal(da_zip_list_names(&f, "w.whl", &names, &err), 0);
        assert_int_equal(names.len, 1);
        assert_string_equal(names.items[0], MEMBER);
        long long first = -1, end = -1;
        assert_int_equal(da_zip_member_extent(&f, "w.whl", MEMBER, &first, &end, &err), 0);
        assert_int_equal(first, 0);
        assert_int_equal(end, (long long)l.cd_at);
        char *data = NULL;
        size_t len = 0;
        assert_int_equal(da_zip_read_member(&f, "w.whl", MEMBER, &data, &len, &err), 0);
        assert_string_equal(data, CONTENT);
        free(data);
        da_strlist_free(&names);
        da_sparse_free(&f);
    }
}

/* The probe's crash: a ZIP64 locator whose offset is near INT64_MAX made `z64 + 56`
 * overflow and the record be read far outside the tail. */
static void test_zip64_locator_offsets_outside_the_file(void **state)
{
    (void)state;
    static const uint64_t bad[] = {
        0x7FFFFFFFFFFFFFF0ull, 0x7FFFFFFFFFFFFFFFull, 0xFFFFFFFFFFFFFFFFull,
        0x8000000000000000ull, 0xFFFFFFFFFFFFFFC8ull, /* -56 */
    };
    unsigned char buf[1024];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        layout l = build_zip(buf, 1);
        put64(buf + l.loc_at + 8, bad[i]);
        expect_locate_error(buf, l.len, "ZIP64 locator points at byte");
    }
    /* A record that would overlap the locator itself. */
    layout l = build_zip(buf, 1);
    put64(buf + l.loc_at + 8, l.loc_at - 55);
    expect_locate_error(buf, l.len, "ZIP64 locator points at byte");
}

static void test_zip64_record_sizes_outside_the_file(void **state)
{
    (void)state;
    unsigned char buf[1024];
    layout l = build_zip(buf, 1);
    /* offset fine, size so large that offset + size wraps around 2^64 */
    put64(buf + l.z64_at + 40, 0xFFFFFFFFFFFFFFFFull);
    expect_locate_error(buf, l.len, "outside the file");
    l = build_zip(buf, 1);
    put64(buf + l.z64_at + 48, 0xFFFFFFFFFFFFFF00ull);
    expect_locate_error(buf, l.len, "outside the file");
    l = build_zip(buf, 1);
    put64(buf + l.z64_at + 48, 0x7FFFFFFFFFFFFFFFull);
    expect_locate_error(buf, l.len, "outside the file");
    /* An entry count no directory of that size could hold (libzip would allocate it). */
    l = build_zip(buf, 1);
    put64(buf + l.z64_at + 32, 1ull << 60);
    expect_locate_error(buf, l.len, "entries cannot fit");
    l = build_zip(buf, 1);
    put32(buf + l.z64_at, 0x12345678);
    expect_locate_error(buf, l.len, "bad ZIP64 end record");
    l = build_zip(buf, 1);
    put32(buf + l.loc_at, 0x12345678);
    expect_locate_error(buf, l.len, "ZIP64 locator missing");
}

static void test_classic_end_record_outside_the_file(void **state)
{
    (void)state;
    unsigned char buf[1024];
    layout l = build_zip(buf, 0);
    put32(buf + l.eocd_at + 16, 0xFFFFFFF0u); /* offset past the file */
    expect_locate_error(buf, l.len, "outside the file");
    l = build_zip(buf, 0);
    put32(buf + l.eocd_at + 12, 0xFFFFFFF0u); /* size past the end record */
    expect_locate_error(buf, l.len, "outside the file");
    l = build_zip(buf, 0);
    put16(buf + l.eocd_at + 10, 60000); /* 60000 entries in 70 bytes */
    expect_locate_error(buf, l.len, "entries cannot fit");
}

/* Central directory entries whose local header offsets point anywhere. */
static void test_member_offsets_outside_the_data(void **state)
{
    (void)state;
    unsigned char buf[1024];
    static const uint32_t offsets[] = {0xFFFFFFF0u, 0x7FFFFFFFu};
    for (size_t i = 0; i < 2; i++) {
        layout l = build_zip(buf, 0);
        put32(buf + l.cd_at + 42, offsets[i]);
        da_sparse_file f;
        load(&f, buf, l.len, l.len);
        long long first = 0, end = 0;
        da_error err = {0};
        assert_int_equal(da_zip_member_extent(&f, "w.whl", MEMBER, &first, &end, &err), -1);
        assert_non_null(strstr(err.message, "not before the central directory"));
        da_sparse_free(&f);
    }
    /* 0xFFFFFFFF: the real offset is in the ZIP64 extra field, here a huge one. */
    unsigned char big[1100];
    layout l = build_zip(big, 0);
    size_t nl = strlen(MEMBER);
    unsigned char *e = big + l.cd_at;
    /* Rebuild the tail: the central entry gains a 12-byte extra field (id 1, offset). */
    unsigned char tail[200];
    memcpy(tail, e, 46 + nl);
    put32(tail + 42, 0xFFFFFFFFu);
    put16(tail + 30, 12);
    put16(tail + 46 + nl, 1);
    put16(tail + 48 + nl, 8);
    put64(tail + 50 + nl, 0xFFFFFFFFFFFFFFF0ull);
    size_t cd_len = 46 + nl + 12;
    memcpy(e, tail, cd_len);
    unsigned char *eocd = e + cd_len;
    memset(eocd, 0, 22);
    put32(eocd, 0x06054b50);
    put16(eocd + 8, 1);
    put16(eocd + 10, 1);
    put32(eocd + 12, (uint32_t)cd_len);
    put32(eocd + 16, (uint32_t)l.cd_at);
    size_t len = l.cd_at + cd_len + 22;
    da_sparse_file f;
    load(&f, big, len, len);
    long long first = 0, end = 0;
    da_error err = {0};
    assert_int_equal(da_zip_member_extent(&f, "w.whl", MEMBER, &first, &end, &err), -1);
    assert_non_null(strstr(err.message, "not before the central directory"));
    da_sparse_free(&f);
}

/* A member whose extent (to the next member or the directory) is larger than we fetch. */
static void test_member_extent_is_capped(void **state)
{
    (void)state;
    unsigned char buf[1024];
    layout l = build_zip(buf, 0);
    /* Claim the directory sits 1 GiB into the file: only the tail exists. */
    long long shift = 1LL << 30;
    put32(buf + l.eocd_at + 16, (uint32_t)(l.cd_at + (size_t)shift));
    da_sparse_file f = {.size = shift + (long long)l.len};
    assert_int_equal(
        da_sparse_add(&f, shift + (long long)l.cd_at, (const char *)buf + l.cd_at, l.len - l.cd_at),
        0);
    long long first = 0, end = 0;
    da_error err = {0};
    assert_int_equal(da_zip_member_extent(&f, "w.whl", MEMBER, &first, &end, &err), -1);
    assert_non_null(strstr(err.message, "more than the 64 MiB limit"));
    da_sparse_free(&f);
}

/* Content-Range values are the server's word: each inconsistency is an error and adds
 * nothing. */
static void test_content_range_is_checked(void **state)
{
    (void)state;
    static const struct {
        long long first, last, total;
        size_t len;
        const char *fragment;
    } cases[] = {
        {-1, 9, 100, 10, "without a usable Content-Range"},
        {0, 9, -1, 10, "without a usable Content-Range"},
        {10, 9, 100, 0, "outside a file"},
        {90, 100, 100, 11, "outside a file"},
        {0, 9, 100, 11, "does not match the 11 bytes"},
        {0, 0x7FFFFFFFFFFFFFFELL, 0x7FFFFFFFFFFFFFFFLL, 1, "more than any wheel"},
        {0x7FFFFFFFFFFFFFF0LL, 0x7FFFFFFFFFFFFFFELL, 100, 15, "outside a file"},
    };
    char data[16] = {0};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        da_sparse_file f = {.size = -1};
        da_error err = {0};
        assert_int_equal(da_sparse_add_range(&f, cases[i].first, cases[i].last, cases[i].total,
                                             data, cases[i].len, "w.whl", &err),
                         -1);
        if (!strstr(err.message, cases[i].fragment))
            fprintf(stderr, "case %zu: %s\n", i, err.message);
        assert_non_null(strstr(err.message, cases[i].fragment));
        assert_int_equal(f.nchunks, 0);
        assert_int_equal(f.size, -1);
    }
    /* A second answer for a file of another size. */
    da_sparse_file f = {.size = -1};
    da_error err = {0};
    assert_int_equal(da_sparse_add_range(&f, 90, 99, 100, data, 10, "w.whl", &err), 0);
    assert_int_equal(da_sparse_add_range(&f, 0, 9, 200, data, 10, "w.whl", &err), -1);
    assert_non_null(strstr(err.message, "changed size"));
    assert_true(da_sparse_has(&f, 90, 10));
    assert_false(da_sparse_has(&f, 89, 10));
    assert_false(da_sparse_has(&f, 0x7FFFFFFFFFFFFFF0LL, 0x7FFFFFFFFFFFFFF0LL));
    /* Direct adds outside the file or overflowing are refused too. */
    assert_int_equal(da_sparse_add(&f, 95, data, 10), -1);
    assert_int_equal(da_sparse_add(&f, -5, data, 10), -1);
    assert_int_equal(da_sparse_add(&f, 0x7FFFFFFFFFFFFFFALL, data, 10), -1);
    assert_int_equal(f.nchunks, 1);
    da_sparse_free(&f);
}

/* Overlapping and out-of-order chunks: coverage is the union, gaps are seen. */
static void test_sparse_coverage(void **state)
{
    (void)state;
    char data[100];
    memset(data, 'x', sizeof(data));
    da_sparse_file f = {.size = 1000};
    assert_int_equal(da_sparse_add(&f, 500, data, 100), 0);
    assert_int_equal(da_sparse_add(&f, 450, data, 60), 0);
    assert_int_equal(da_sparse_add(&f, 0, data, 10), 0);
    assert_true(da_sparse_has(&f, 450, 150));
    assert_true(da_sparse_has(&f, 0, 10));
    assert_false(da_sparse_has(&f, 0, 11));
    assert_false(da_sparse_has(&f, 440, 20));
    assert_false(da_sparse_has(&f, 590, 20));
    assert_true(da_sparse_has(&f, 123, 0));
    da_sparse_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_zips_read),
        cmocka_unit_test(test_zip64_locator_offsets_outside_the_file),
        cmocka_unit_test(test_zip64_record_sizes_outside_the_file),
        cmocka_unit_test(test_classic_end_record_outside_the_file),
        cmocka_unit_test(test_member_offsets_outside_the_data),
        cmocka_unit_test(test_member_extent_is_capped),
        cmocka_unit_test(test_content_range_is_checked),
        cmocka_unit_test(test_sparse_coverage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
