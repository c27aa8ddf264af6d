/* Wheel and .dist-info/.egg-info directory names: the cases the binary distribution
 * format and recording installed projects specs call out, and real names seen in
 * Debian's dist-packages and pip-installed site-packages. */
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

#define N_CASES(a) (sizeof(a) / sizeof((a)[0]))

static void test_name_escape(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"Django", "django"},
        {"zope.interface", "zope_interface"},
        {"python-dateutil", "python_dateutil"},
        {"Foo__Bar--baz..Qux", "foo_bar_baz_qux"},
        {"a-_.b", "a_b"},
        {"typing_extensions", "typing_extensions"},
        {"lazr.restfulclient", "lazr_restfulclient"},
        {"PyYAML", "pyyaml"},
        {"", ""},
        {"\xc3\x89t\xc3\xa9", "\xc3\xa9t\xc3\xa9"}, /* str.lower() of É */
    };
    for (size_t i = 0; i < N_CASES(cases); i++) {
        char *e = da_name_escape(cases[i][0]);
        assert_string_equal(e, cases[i][1]);
        free(e);
    }
}

static void test_name_equal(void **state)
{
    (void)state;
    assert_true(da_name_equal("Foo.Bar", "foo-bar"));
    assert_true(da_name_equal("foo__bar", "FOO-bar"));
    assert_true(da_name_equal("python_apt", "python-apt"));
    assert_false(da_name_equal("foobar", "foo-bar"));
    assert_false(da_name_equal("foo", "foo2"));
}

static void test_version_escape(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        /* valid PEP 440: the normal form, which holds no '-' */
        {"1.0", "1.0"},
        {"1.0.0", "1.0.0"}, /* trailing zeros stay (unlike canonicalize_version) */
        {"1.0-1", "1.0.post1"},
        {"1.0-dev3", "1.0.dev3"},
        {"1.0RC1", "1.0rc1"},
        {"v2.0", "2.0"},
        {" 1.2 ", "1.2"},
        {"1!2.0_alpha-1", "1!2.0a1"},
        {"1.0+Ubuntu-1", "1.0+ubuntu.1"},
        /* legacy: ' ' to '.', runs of anything else to one '_' */
        {"2.0-beta 1", "2.0_beta.1"},
        {"1.0~rc1", "1.0_rc1"},
        {"1.0--x//y", "1.0_x_y"},
        {"release 2009", "release.2009"},
        {"caf\xc3\xa9", "caf_"},
        {"", ""},
    };
    for (size_t i = 0; i < N_CASES(cases); i++) {
        char *e = da_version_escape(cases[i][0]);
        assert_string_equal(e, cases[i][1]);
        free(e);
    }
}

static void test_dist_info_dir_name(void **state)
{
    (void)state;
    char *d = da_dist_info_dir_name("Python-Dateutil", "2.9.0-0");
    assert_string_equal(d, "python_dateutil-2.9.0.post0.dist-info");
    free(d);
    d = da_dist_info_dir_name("zope.interface", "6.0");
    assert_string_equal(d, "zope_interface-6.0.dist-info");
    free(d);
}

typedef struct parse_case {
    const char *dirname;
    const char *name, *version, *python, *platform; /* NULL: absent */
    bool egg;
} parse_case;

static void assert_str_or_null(const char *got, const char *want)
{
    if (want)
        assert_string_equal(got, want);
    else
        assert_null(got);
}

static void test_parse_valid(void **state)
{
    (void)state;
    static const parse_case cases[] = {
        {"PyYAML-6.0.dist-info", "PyYAML", "6.0", NULL, NULL, false},
        {"python_dateutil-2.9.0.post0.dist-info", "python_dateutil", "2.9.0.post0", NULL, NULL,
         false},
        {"lazr.restfulclient-0.14.5.egg-info", "lazr.restfulclient", "0.14.5", NULL, NULL, true},
        {"cryptography.egg-info", "cryptography", NULL, NULL, NULL, true},
        {"foo-1.0-py3.11.egg-info", "foo", "1.0", "3.11", NULL, true},
        {"foo-1.0-PY2.7-linux-x86_64.egg-info", "foo", "1.0", "2.7", "linux-x86_64", true},
        {"Foo-1.0.DIST-INFO", "Foo", "1.0", NULL, NULL, false},
        /* dist-info: the version is everything after the first '-' (the spec forbids a
           '-' there; the split still must not lose text) */
        {"foo-1.0-1.dist-info", "foo", "1.0-1", NULL, NULL, false},
        {"foo.dist-info", "foo", NULL, NULL, NULL, false},
        {"foo-2.0_beta.egg-info", "foo", "2.0_beta", NULL, NULL, true},
    };
    for (size_t i = 0; i < N_CASES(cases); i++) {
        da_dist_dir_name d;
        da_error err;
        assert_int_equal(da_dist_dir_name_parse(cases[i].dirname, &d, &err), 0);
        assert_string_equal(d.name, cases[i].name);
        assert_str_or_null(d.version, cases[i].version);
        assert_str_or_null(d.python, cases[i].python);
        assert_str_or_null(d.platform, cases[i].platform);
        assert_int_equal(d.egg_info, cases[i].egg);
        da_dist_dir_name_free(&d);
    }
}

static void test_parse_invalid(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"foo-1.0", "neither .dist-info nor .egg-info"},
        {"foo-1.0.whl", "neither .dist-info nor .egg-info"},
        {".dist-info", "an empty distribution name"},
        {"-1.0.dist-info", "an empty distribution name"},
        {"foo-.dist-info", "an empty version"},
        {"foo-.egg-info", "an empty version"},
        {"a/foo-1.0.dist-info", "holds a '/'"},
        {"foo--py3.egg-info", "an empty version before '-'"},
        {"foo-1.0-.egg-info", "nothing after the '-'"},
        {"foo-1.0-linux.egg-info", "not a Python tag"},
        {"foo-1.0-py.egg-info", "not a Python tag"},
        {"foo-1.0-py-linux.egg-info", "not a Python tag"},
        {"foo-1.0-py3.11-.egg-info", "nothing after the '-' that follows the Python tag"},
    };
    for (size_t i = 0; i < N_CASES(cases); i++) {
        da_dist_dir_name d;
        da_error err;
        da_error_clear(&err);
        assert_int_equal(da_dist_dir_name_parse(cases[i][0], &d, &err), -1);
        assert_string_equal(err.file, cases[i][0]);
        if (!strstr(err.message, cases[i][1]))
            fail_msg("%s: message '%s' lacks '%s'", cases[i][0], err.message, cases[i][1]);
        /* nothing is left allocated after a failure */
        assert_null(d.name);
        assert_null(d.version);
        assert_null(d.python);
        assert_null(d.platform);
    }
    da_dist_dir_name d;
    assert_int_equal(da_dist_dir_name_parse(NULL, &d, NULL), -1);
    /* the column is in characters, as Python counts them */
    static const struct {
        const char *dirname;
        int col;
    } cols[] = {
        {"foo-.dist-info", 4},  {"caf\xc3\xa9-1.0-linux.egg-info", 10},
        {"a/b-1.dist-info", 2}, {"foo-1.0-py3-.egg-info", 12},
        {"foo.whl", 0},
    };
    for (size_t i = 0; i < N_CASES(cols); i++) {
        da_error err;
        assert_int_equal(da_dist_dir_name_parse(cols[i].dirname, &d, &err), -1);
        assert_int_equal(err.line, 1);
        if (err.col != cols[i].col)
            fail_msg("%s: column %d, expected %d", cols[i].dirname, err.col, cols[i].col);
    }
}

static void test_matches(void **state)
{
    (void)state;
    static const struct {
        const char *dirname, *name;
        bool match;
    } cases[] = {
        {"python_apt-2.6.0.egg-info", "python-apt", true},
        {"python_apt-2.6.0.egg-info", "Python.Apt", true},
        {"PyYAML-6.0.dist-info", "pyyaml", true},
        {"lazr.uri-1.0.6.egg-info", "lazr-uri", true},
        {"cryptography.egg-info", "cryptography", true},
        {"Foo-1.0.DIST-INFO", "foo", true},
        /* only the part before the first '-' is the name */
        {"python-dateutil-2.8.egg-info", "python-dateutil", false},
        {"python-dateutil-2.8.egg-info", "python", true},
        {"foo-1.0-linux.egg-info", "foo", true}, /* the parser rejects it, lookup does not */
        {"foobar-1.0.dist-info", "foo", false},
        {"foo-1.0.dist-info", "foobar", false},
        {"foo-1.0", "foo", false},
        {"-1.0.dist-info", "", false},
        {".dist-info", "", false},
    };
    for (size_t i = 0; i < N_CASES(cases); i++)
        if (da_dist_dir_matches(cases[i].dirname, cases[i].name) != cases[i].match)
            fail_msg("%s vs %s: expected %d", cases[i].dirname, cases[i].name, cases[i].match);
    assert_false(da_dist_dir_matches("foo-1.0.dist-info", NULL));
}

static void test_version_equal(void **state)
{
    (void)state;
    static const struct {
        const char *dir_version, *version;
        bool equal;
    } cases[] = {
        {"1.0", "1.0", true},
        {"1.0", "1.0.0", true},         /* PEP 440 equality */
        {"1.0.post1", "1.0-1", true},   /* escaped by setuptools */
        {"1.0_1", "1.0-1", true},       /* '-' escaped without normalising */
        {"2.0_beta", "2.0-beta", true}, /* old distutils escaping */
        {"1.0+ubuntu_1", "1.0+ubuntu-1", true},
        {"1.0_x_y", "1.0--x//y", true}, /* legacy, compared escaped */
        {"RELEASE.2009", "release 2009", true},
        {"1.0", "1.1", false},
        {"1.0+local", "1.0", false},
        {"1.0_x", "1.0_y", false},
    };
    for (size_t i = 0; i < N_CASES(cases); i++)
        if (da_dist_dir_version_equal(cases[i].dir_version, cases[i].version) != cases[i].equal)
            fail_msg("%s vs %s: expected %d", cases[i].dir_version, cases[i].version,
                     cases[i].equal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_escape),    cmocka_unit_test(test_name_equal),
        cmocka_unit_test(test_version_escape), cmocka_unit_test(test_dist_info_dir_name),
        cmocka_unit_test(test_parse_valid),    cmocka_unit_test(test_parse_invalid),
        cmocka_unit_test(test_matches),        cmocka_unit_test(test_version_equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
