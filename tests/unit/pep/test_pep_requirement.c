/* cmocka needs these headers before its own, in this order. */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include "depaudit/pep.h"

#include <stdlib.h>
#include <string.h>

static void test_parts(void **state)
{
    (void)state;
    da_error err;
    da_requirement *r = da_requirement_parse(
        " Requests [ Security , socks ] >= 2.8.1 , == 2.8.* ; python_version < '2.7' ", &err);
    assert_non_null(r);
    assert_string_equal(r->name, "Requests");
    assert_string_equal(r->normalized, "requests");
    assert_int_equal(r->extras.len, 2);
    assert_string_equal(r->extras.items[0], "security");
    assert_string_equal(r->extras.items[1], "socks");
    assert_int_equal(r->extras_written.len, 2);
    assert_string_equal(r->extras_written.items[0], "Security");
    assert_string_equal(r->specifier_text, ">= 2.8.1,== 2.8.*");
    assert_int_equal(da_specifier_set_len(r->specifier), 2);
    assert_null(r->url);
    assert_non_null(r->marker);
    assert_string_equal(r->marker_text, "python_version < '2.7'");
    char *s = da_requirement_to_string(r);
    assert_string_equal(s, "Requests[Security,socks]==2.8.*,>=2.8.1; python_version < \"2.7\"");
    free(s);
    da_requirement_free(r);
}

static void test_forms(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"name", "name"},
        {"name>=1.0", "name>=1.0"},
        {"name (>=1.0, <2)", "name<2,>=1.0"},
        {"name[]", "name"},
        {"name>=1.0,", "name>=1.0"},
        {"name\n", "name"},
        {"Zope.Interface[Test_Extra,test-extra,Test_Extra]",
         "Zope.Interface[Test_Extra,test-extra]"},
        {"name[a_]", "name[a_]"},
        {"pip @ https://example.invalid/pip-1.0.zip", "pip@ https://example.invalid/pip-1.0.zip"},
        {"pip @ file:///tmp/pip ; os_name == 'posix'",
         "pip@ file:///tmp/pip ; os_name == \"posix\""},
        {"name @ http://h/x;os_name=='a'", "name@ http://h/x;os_name=='a'"}, /* URL */
        {"name;os_name=='posix'", "name; os_name == \"posix\""},
        {"name ; extra == 'Doc_s'", "name; extra == \"doc-s\""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        da_error err;
        da_requirement *r = da_requirement_parse(cases[i][0], &err);
        if (!r)
            fail_msg("'%s': %s", cases[i][0], err.message);
        char *s = da_requirement_to_string(r);
        assert_string_equal(s, cases[i][1]);
        da_requirement *again = da_requirement_parse(s, NULL);
        assert_non_null(again);
        char *s2 = da_requirement_to_string(again);
        assert_string_equal(s, s2);
        free(s);
        free(s2);
        da_requirement_free(r);
        da_requirement_free(again);
    }
}

static void test_errors_with_columns(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int col;
        const char *msg;
    } bad[] = {
        {"", 1, "Expected package name at the start of dependency specifier"},
        {"-name", 1, "Expected package name"},
        {"name[a b]", 8, "Expected comma between extra names"},
        {"name[a,]", 8, "Expected extra name after comma"},
        {"name[a", 5, "Expected closing RIGHT_BRACKET"},
        {"name (>=1.0", 6, "Expected closing RIGHT_PARENTHESIS"},
        {"name >=1.0 garbage", 6, "Expected end or semicolon (after version specifier)"},
        {"name garbage", 6, "Expected end or semicolon (after name and no valid version"},
        {"name @ ", 8, "Expected URL after @"},
        {"name @ http://h/x ;os_name=='a' x", 33, "Expected end of dependency specifier"},
        {"name>=1.0;", 11, "Expected a marker variable or quoted string"},
        {"name @ https:foo", 8, "Invalid URL"},
        {"name @ file:/tmp/x", 8, "Invalid URL given"},
        {"name\n\n", 5, "Expected end or semicolon"},
        {"name===1,0", 5, "invalid specifier"},
        {"name ( ===1,0)", 8, "invalid specifier"},
        {"x @ x", 5, "Invalid URL"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        da_error err;
        da_error_clear(&err);
        da_requirement *r = da_requirement_parse(bad[i].text, &err);
        if (r)
            fail_msg("'%s' accepted", bad[i].text);
        if ((bad[i].col && err.col != bad[i].col) || !strstr(err.message, bad[i].msg))
            fail_msg("'%s': col %d '%s'", bad[i].text, err.col, err.message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parts),
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_errors_with_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
