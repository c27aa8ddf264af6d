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

/* PEP 440 "Normalization": every spelling on the left is the version on the right. */
static void test_normalization(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"1.0", "1.0"},
        {"v1.0", "1.0"},
        {"V1.0", "1.0"},
        {" 1.0\n", "1.0"},
        {"1.0\n\n", "1.0"}, /* `\s*$` takes any trailing white space */
        {"1.0A1", "1.0a1"},
        {"1.0alpha1", "1.0a1"},
        {"1.0beta2", "1.0b2"},
        {"1.0c1", "1.0rc1"},
        {"1.0pre1", "1.0rc1"},
        {"1.0preview1", "1.0rc1"},
        {"1.0-a-1", "1.0a1"},
        {"1.0_a_1", "1.0a1"},
        {"1.0.a.1", "1.0a1"},
        {"1.0a", "1.0a0"},
        {"1.0-1", "1.0.post1"},
        {"1.0post1", "1.0.post1"},
        {"1.0-post-1", "1.0.post1"},
        {"1.0rev1", "1.0.post1"},
        {"1.0r1", "1.0.post1"},
        {"1.0.post", "1.0.post0"},
        {"1.0dev", "1.0.dev0"},
        {"1.0-dev-2", "1.0.dev2"},
        {"1.0+Ubuntu-1", "1.0+ubuntu.1"},
        {"1.0+abc_DEF.007", "1.0+abc.def.7"},
        {"01.002.0003", "1.2.3"},
        {"0!1.0", "1.0"},
        {"2!1.0", "2!1.0"},
        {"1.0a1.post2.dev3", "1.0a1.post2.dev3"},
        {"123456789012345678901234567890.1", "123456789012345678901234567890.1"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        da_error err;
        da_version *v = da_version_parse(cases[i][0], &err);
        assert_non_null(v);
        char *s = da_version_to_string(v);
        assert_string_equal(s, cases[i][1]);
        free(s);
        da_version_free(v);
    }
}

static void test_invalid_versions(void **state)
{
    (void)state;
    /* LegacyVersion-style strings are rejected, as packaging >= 22 does */
    static const char *const bad[] = {"",          "foo",      "1.0-",   "1.0.",        "1..0",
                                      "1.0+",      "1.0+a..b", "1.0a1a", "1.0.*",       "1 0",
                                      "2.0beta-x", "!1.0",     "1.0!",   "french toast"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        da_error err;
        da_error_clear(&err);
        da_version *v = da_version_parse(bad[i], &err);
        assert_null(v);
        assert_true(strstr(err.message, "invalid version") != NULL);
    }
}

/* PEP 440 "Summary of permitted suffixes and relative ordering", in ascending order. */
static void test_total_ordering(void **state)
{
    (void)state;
    static const char *const ordered[] = {
        "1.0.dev456",    "1.0a1",         "1.0a2.dev456", "1.0a12.dev456",
        "1.0a12",        "1.0b1.dev456",  "1.0b2",        "1.0b2.post345.dev456",
        "1.0b2.post345", "1.0rc1.dev456", "1.0rc1",       "1.0",
        "1.0+abc.5",     "1.0+abc.7",     "1.0+5",        "1.0.post456.dev34",
        "1.0.post456",   "1.0.15",        "1.1.dev1",     "1!0.1",
    };
    size_t n = sizeof(ordered) / sizeof(ordered[0]);
    da_version *v[32];
    for (size_t i = 0; i < n; i++) {
        v[i] = da_version_parse(ordered[i], NULL);
        assert_non_null(v[i]);
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            int c = da_version_compare(v[i], v[j]);
            int want = i < j ? -1 : (i > j ? 1 : 0);
            if ((c < 0 ? -1 : c > 0) != want)
                fail_msg("compare(%s, %s) = %d", ordered[i], ordered[j], c);
        }
    for (size_t i = 0; i < n; i++)
        da_version_free(v[i]);
}

static void test_equal_spellings_and_flags(void **state)
{
    (void)state;
    da_version *a = da_version_parse("1.0", NULL), *b = da_version_parse("1.0.0.0", NULL);
    assert_int_equal(da_version_compare(a, b), 0); /* trailing zeros do not count */
    da_version *c = da_version_parse("1.0+local", NULL);
    assert_true(da_version_compare(a, c) < 0);
    da_version *pre = da_version_parse("1.0rc1", NULL), *dev = da_version_parse("1.0.dev1", NULL);
    da_version *post = da_version_parse("1.0.post1", NULL);
    assert_true(da_version_is_prerelease(pre));
    assert_true(da_version_is_prerelease(dev));
    assert_false(da_version_is_prerelease(post));
    assert_true(da_version_is_postrelease(post));
    assert_false(da_version_is_prerelease(c));
    assert_true(da_version_has_local(c));
    assert_int_equal(da_version_release_len(b), 4);
    assert_int_equal(da_version_release_at(b, 0), 1);
    da_version *e = da_version_parse("3!4.5.6", NULL);
    assert_int_equal(da_version_epoch(e), 3);
    char *base = da_version_base_string(e);
    assert_string_equal(base, "4.5.6");
    free(base);
    da_version *copy = da_version_copy(e);
    assert_int_equal(da_version_compare(copy, e), 0);
    char *cs = da_version_to_string(copy);
    assert_string_equal(cs, "3!4.5.6");
    free(cs);
    da_version *big1 = da_version_parse("99999999999999999999999.1", NULL);
    da_version *big2 = da_version_parse("100000000000000000000000", NULL);
    assert_true(da_version_compare(big1, big2) < 0); /* no overflow: any size compares */
    da_version *vs[] = {a, b, c, pre, dev, post, e, copy, big1, big2};
    for (size_t i = 0; i < sizeof(vs) / sizeof(vs[0]); i++)
        da_version_free(vs[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalization),
        cmocka_unit_test(test_invalid_versions),
        cmocka_unit_test(test_total_ordering),
        cmocka_unit_test(test_equal_spellings_and_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
