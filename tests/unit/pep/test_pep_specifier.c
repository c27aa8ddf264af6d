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

typedef struct contains_case {
    const char *spec, *version;
    int prereleases; /* -1 default, 0, 1 */
    bool want;
} contains_case;

/* The examples of PEP 440's "Version specifiers" section, and packaging's rules. */
static const contains_case CASES[] = {
    /* compatible release */
    {"~=2.2", "2.3", -1, true},
    {"~=2.2", "2.2", -1, true},
    {"~=2.2", "3.0", -1, false},
    {"~=2.2", "2.1", -1, false},
    {"~=1.4.5", "1.4.9", -1, true},
    {"~=1.4.5", "1.5.0", -1, false},
    {"~=2.2.post3", "2.9", -1, true},
    {"~=2.2.post3", "2.2", -1, false},
    {"~=1.4.5a4", "1.4.5a5", -1, true}, /* names a pre-release, so they are allowed */
    {"~=1.4.5a4", "1.5", -1, false},
    {"~=2.2.0", "2.2.9", -1, true},
    {"~=2.2.0", "2.3", -1, false},
    /* version matching, zero padding, wildcards */
    {"==1.1", "1.1.0", -1, true},
    {"==1.1.0", "1.1", -1, true},
    {"==1.1", "1.1.post1", -1, false},
    {"==1.1.*", "1.1.post1", -1, true},
    {"==1.1.*", "1.1.0.1", -1, true},
    {"==1.1.*", "1.10", -1, false},
    {"==1.1.*", "1.1a1", -1, false},
    {"==1.1.*", "1.1a1", 1, true},
    {"!=1.1.*", "1.2", -1, true},
    {"!=1.1.*", "1.1.3", -1, false},
    /* local versions */
    {"==1.0", "1.0+local.7", -1, true},
    {"==1.0+local.7", "1.0", -1, false},
    {"==1.0+local.7", "1.0+local.7", -1, true},
    {"!=1.0", "1.0+anything", -1, false},
    {">=1.0", "1.0+local", -1, true},
    {"<=1.0", "1.0+local", -1, true},
    /* exclusive ordered comparison */
    {">1.7", "1.7.post1", -1, false},
    {">1.7", "1.7.1", -1, true},
    {">1.7.post2", "1.7.post3", -1, true},
    {">1.7", "1.7+local", -1, false},
    {"<1.7", "1.7.0a1", 1, false},
    {"<1.7", "1.6.9", -1, true},
    {"<1.7.0rc1", "1.7.0a1", 1, true},
    {"<1.7.0rc1", "1.7.0a1", -1, false}, /* "<" never counts as naming one */
    /* pre-releases: excluded unless named or asked for */
    {">=1.0", "2.0a1", -1, false},
    {">=1.0", "2.0a1", 1, true},
    {">=1.0a1", "2.0b1", -1, true},
    {">=1.0a1", "2.0b1", 0, false},
    {">=1.0", "2.0.dev1", -1, false},
    {"", "1.0", -1, true},
    {"", "1.0a1", -1, false},
    {"", "1.0a1", 1, true},
    {">=1.0,<2.0", "1.5", -1, true},
    {">=1.0,<2.0", "2.0", -1, false},
    {">=1.0,!=1.5", "1.5", -1, false},
    /* arbitrary equality */
    {"===1.0", "1.0", -1, true},
    {"===1.0", "1.0.0", -1, false},
    {"===foobar", "1.0", 0, false},
};

static void test_contains_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
        const contains_case *c = &CASES[i];
        da_error err;
        da_specifier_set *s = da_specifier_set_parse(c->spec, &err);
        if (!s)
            fail_msg("parse '%s': %s", c->spec, err.message);
        da_version *v = da_version_parse(c->version, NULL);
        assert_non_null(v);
        bool got = da_specifier_set_contains(s, v, c->prereleases);
        if (got != c->want)
            fail_msg("'%s' contains '%s' (prereleases %d): got %d", c->spec, c->version,
                     c->prereleases, got);
        assert_int_equal(da_specifier_set_contains_str(s, c->version, c->prereleases), got);
        da_version_free(v);
        da_specifier_set_free(s);
    }
}

static void test_to_string_sorted_and_deduplicated(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {">=1.0,!=1.5", "!=1.5,>=1.0"},
        {" >= 1.0 , < 2 ", "<2,>=1.0"},
        {">=1.0,>=1.0.0", ">=1.0"}, /* equal clauses are kept once, first spelling wins */
        {"==V1.0", "==V1.0"},       /* the version is kept as written */
        {"", ""},
        {",", ""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        da_specifier_set *s = da_specifier_set_parse(cases[i][0], NULL);
        assert_non_null(s);
        char *str = da_specifier_set_to_string(s);
        assert_string_equal(str, cases[i][1]);
        free(str);
        da_specifier_set_free(s);
    }
}

static void test_invalid_specifiers(void **state)
{
    (void)state;
    static const char *const bad[] = {"=1.0",    ">=1.0.*", "~=1",    "==1.0.*+x", "foo",
                                      ">=1.0;x", "<>1.0",   ">= 1 0", "~=1.0.*",   ">=1.0,=2"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        da_error err;
        da_error_clear(&err);
        da_specifier_set *s = da_specifier_set_parse(bad[i], &err);
        if (s)
            fail_msg("'%s' accepted", bad[i]);
        assert_true(strstr(err.message, "invalid specifier") != NULL);
        assert_true(err.col >= 1);
    }
    da_specifier_set *s = da_specifier_set_parse(">=1.0,=2", NULL);
    assert_null(s);
    da_error err;
    da_specifier_set_parse(">=1.0, =2", &err);
    assert_int_equal(err.col, 8); /* the column of the bad clause */
}

static void test_prerelease_default_detection(void **state)
{
    (void)state;
    da_specifier_set *a = da_specifier_set_parse(">=1.0rc1", NULL);
    da_specifier_set *b = da_specifier_set_parse("<2.0rc1", NULL); /* < never counts */
    da_specifier_set *c = da_specifier_set_parse("==2.0.dev1.*", NULL);
    assert_true(da_specifier_set_allows_prereleases(a));
    assert_false(da_specifier_set_allows_prereleases(b));
    assert_null(c);
    assert_int_equal(da_specifier_set_len(a), 1);
    da_specifier_set_free(a);
    da_specifier_set_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contains_table),
        cmocka_unit_test(test_to_string_sorted_and_deduplicated),
        cmocka_unit_test(test_invalid_specifiers),
        cmocka_unit_test(test_prerelease_default_detection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
