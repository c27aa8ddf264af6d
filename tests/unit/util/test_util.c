/* cmocka needs these headers before its own, in this order. */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include "depaudit/util.h"
#include "depaudit/util_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void test_buf_grows_and_formats(void **state)
{
    (void)state;
    da_buf b = {0};
    for (int i = 0; i < 1000; i++)
        da_buf_printf(&b, "%d,", i);
    assert_int_equal(b.len, strlen(b.data));
    assert_true(da_str_starts_with(b.data, "0,1,2,"));
    assert_true(da_str_ends_with(b.data, "998,999,"));
    char *s = da_buf_take(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    free(s);
    char *empty = da_buf_take(&b);
    assert_string_equal(empty, "");
    free(empty);
}

static void test_error_format_omits_unknown_parts(void **state)
{
    (void)state;
    da_error err;
    char out[256];
    assert_int_equal(da_error_set(&err, "Dockerfile", 12, 5, "bad %s", "thing"), -1);
    da_error_format(&err, out, sizeof(out));
    assert_string_equal(out, "Dockerfile:12:5: bad thing");
    da_error_set(&err, "Dockerfile", 12, 0, "bad");
    da_error_format(&err, out, sizeof(out));
    assert_string_equal(out, "Dockerfile:12: bad");
    da_error_set(&err, NULL, 0, 0, "plain");
    da_error_format(&err, out, sizeof(out));
    assert_string_equal(out, "plain");
    assert_int_equal(da_error_set(NULL, "x", 1, 1, "ignored"), -1);
}

static void test_read_file_reports_missing_path(void **state)
{
    (void)state;
    char *data;
    size_t len;
    da_error err;
    assert_int_equal(da_read_file("/nonexistent/depaudit-test", &data, &len, &err), -1);
    assert_string_equal(err.file, "/nonexistent/depaudit-test");
    assert_non_null(strstr(err.message, "No such file"));
    assert_int_equal(da_read_file("/", &data, &len, &err), -1);
    assert_non_null(strstr(err.message, "directory"));
}

static void test_read_file_keeps_embedded_nul(void **state)
{
    (void)state;
    char path[] = "/tmp/depaudit-util-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char content[] = {'a', '\0', 'b'};
    assert_int_equal(write(fd, content, 3), 3);
    close(fd);
    char *data;
    size_t len;
    assert_int_equal(da_read_file(path, &data, &len, NULL), 0);
    assert_int_equal(len, 3);
    assert_memory_equal(data, content, 3);
    free(data);
    unlink(path);
}

static void test_strlist(void **state)
{
    (void)state;
    da_strlist l = {0};
    da_strlist_push(&l, "a");
    da_strlist_push_owned(&l, da_xasprintf("%s-%d", "b", 2));
    assert_true(da_strlist_contains(&l, "b-2"));
    assert_false(da_strlist_contains(&l, "c"));
    da_strlist_free(&l);
    assert_int_equal(l.len, 0);
}

/* DA_APPEND relies on the capacity da_grow gives an array being a function of its length
 * alone: check that da_implied_cap is exactly that function. */
static void test_implied_cap_matches_da_grow(void **state)
{
    (void)state;
    int *items = NULL;
    size_t len = 0, cap = 0;
    assert_int_equal(da_implied_cap(0), 0);
    for (int i = 0; i < 5000; i++) {
        DA_PUSH(items, len, cap, i);
        assert_int_equal(da_implied_cap(len), cap);
    }
    free(items);
}

/* Appends without a capacity field keep every value (ASan catches a write past the end). */
static void test_append_grows_geometrically(void **state)
{
    (void)state;
    long *items = NULL;
    size_t len = 0;
    for (long i = 0; i < 5000; i++)
        DA_APPEND(items, len, i * 3);
    assert_int_equal(len, 5000);
    for (size_t i = 0; i < len; i++)
        assert_int_equal(items[i], (long)i * 3);
    assert_int_equal(da_implied_cap(9), 16);
    assert_int_equal(da_implied_cap(4096), 4096);
    assert_int_equal(da_implied_cap(4097), 8192);
    free(items);
}

static void test_json_helpers_round_trip(void **state)
{
    (void)state;
    da_strlist l = {0};
    da_strlist_push(&l, "a");
    da_strlist_push(&l, "b\"c");
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "list", da_json_strlist(&l));
    cJSON_AddItemToObject(o, "none", da_json_string_or_null(NULL));
    cJSON_AddItemToObject(o, "some", da_json_string_or_null("x"));
    cJSON_AddItemToObject(o, "mixed", cJSON_Parse("[\"a\", 1]"));
    char *text = cJSON_PrintUnformatted(o);
    assert_string_equal(text, "{\"list\":[\"a\",\"b\\\"c\"],\"none\":null,\"some\":\"x\","
                              "\"mixed\":[\"a\",1]}");
    free(text);
    da_strlist back = {0};
    assert_true(da_json_read_strlist(o, "list", &back));
    assert_int_equal(back.len, 2);
    assert_string_equal(back.items[1], "b\"c");
    assert_false(da_json_read_strlist(o, "mixed", &back));
    assert_false(da_json_read_strlist(o, "absent", &back));
    assert_false(da_json_read_strlist(o, "some", &back));
    char *some = da_json_dup_string(o, "some");
    assert_string_equal(some, "x");
    free(some);
    assert_null(da_json_dup_string(o, "none"));
    assert_null(da_json_dup_string(o, "list"));
    cJSON_Delete(o);
    da_strlist_free(&back);
    da_strlist_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_grows_and_formats),
        cmocka_unit_test(test_error_format_omits_unknown_parts),
        cmocka_unit_test(test_read_file_reports_missing_path),
        cmocka_unit_test(test_read_file_keeps_embedded_nul),
        cmocka_unit_test(test_strlist),
        cmocka_unit_test(test_implied_cap_matches_da_grow),
        cmocka_unit_test(test_append_grows_geometrically),
        cmocka_unit_test(test_json_helpers_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
