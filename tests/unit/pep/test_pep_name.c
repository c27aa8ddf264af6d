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

static void test_normalize_pep503(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"Django", "django"},
        {"zope.interface", "zope-interface"},
        {"typing_extensions", "typing-extensions"},
        {"Foo__Bar--baz..Qux", "foo-bar-baz-qux"},
        {"a-_.b", "a-b"},
        {"-lead", "-lead"},
        {"trail_", "trail-"},
        {"", ""},
        {"\xc3\x89t\xc3\xa9", "\xc3\xa9t\xc3\xa9"}, /* str.lower() of É */
        /* Not UTF-8 (an overlong '.', a surrogate): the bytes stay bytes, never a separator. */
        {"a\xe0\x80\xae"
         "b",
         "a\xe0\x80\xae"
         "b"},
        {"a\xed\xa0\x80"
         "b",
         "a\xed\xa0\x80"
         "b"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *n = da_name_normalize(cases[i][0]);
        assert_string_equal(n, cases[i][1]);
        free(n);
    }
}

static void test_name_validity(void **state)
{
    (void)state;
    assert_true(da_name_is_valid("requests"));
    assert_true(da_name_is_valid("a"));
    assert_true(da_name_is_valid("zope.interface"));
    assert_true(da_name_is_valid("A-B_c.9"));
    assert_false(da_name_is_valid(""));
    assert_false(da_name_is_valid("-a"));
    assert_false(da_name_is_valid("a-"));
    assert_false(da_name_is_valid("a b"));
    assert_false(da_name_is_valid("caf\xc3\xa9"));
    assert_false(da_name_is_valid("a!"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize_pep503),
        cmocka_unit_test(test_name_validity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
