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

typedef struct marker_case {
    const char *marker;
    const char *extra;
    int want; /* 1, 0, or -1 when it cannot be evaluated */
} marker_case;

/* Evaluated for CPython 3.11.7 on linux/x86_64 (da_target_init's image). */
static const marker_case CASES[] = {
    {"python_version >= '3.8'", NULL, 1},
    {"python_version < '3.11'", NULL, 0},
    {"python_version > '3.9' and python_version < '3.12'", NULL, 1},
    {"python_version == '3.11.*'", NULL, 1},
    {"python_full_version >= '3.11.4'", NULL, 1},
    {"python_full_version >= '3.11.8'", NULL, 0},
    {"python_version > '3.11'", NULL, 0}, /* version comparison: '3.11' is not > '3.11' */
    {"python_version > '3.2'", NULL, 1},  /* as versions, 3.11 > 3.2 (as strings it is not) */
    {"os_name == 'posix'", NULL, 1},
    {"os.name == 'nt'", NULL, 0},
    {"sys_platform == 'win32' or sys_platform == 'linux'", NULL, 1},
    {"sys_platform != 'win32' and (platform_machine == 'x86_64' or "
     "platform_machine == 'aarch64')",
     NULL, 1},
    {"platform_system == \"Linux\"", NULL, 1},
    {"platform_python_implementation == 'CPython'", NULL, 1},
    {"python_implementation == 'PyPy'", NULL, 0},
    {"implementation_name == 'cpython'", NULL, 1},
    {"'linux' in sys_platform", NULL, 1},
    {"'lin' in sys_platform", NULL, 1},
    {"sys_platform not in 'win32 cygwin'", NULL, 1},
    {"platform_machine in 'x86_64 aarch64'", NULL, 1},
    {"extra == 'test'", NULL, 0},
    {"extra == 'test'", "test", 1},
    {"extra == 'Test_Extra'", "test-extra", 1}, /* PEP 685: both sides normalised */
    {"extra == 'test' and python_version >= '3'", "other", 0},
    {"os_name == 'posix' and extra == 'doc' or python_version < '3'", "doc", 1},
    {"os_name ~= 'posix'", NULL, -1}, /* ~= on strings is undefined */
    {"python_version == 'not a version' or python_version == '3.11'", NULL, 1},
    {"platform_release == '1.0'", NULL, -1}, /* '' is not a version: packaging raises */
};

static void test_evaluate_table(void **state)
{
    (void)state;
    da_target t;
    da_target_init(&t, 3, 11, 7);
    da_marker_env env;
    da_marker_env_from_target(&env, &t);
    for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
        da_error err;
        da_marker *m = da_marker_parse(CASES[i].marker, &err);
        if (!m)
            fail_msg("parse '%s': %s", CASES[i].marker, err.message);
        int got = da_marker_evaluate(m, &env, CASES[i].extra);
        if (got != CASES[i].want)
            fail_msg("'%s' (extra %s): got %d, want %d", CASES[i].marker,
                     CASES[i].extra ? CASES[i].extra : "none", got, CASES[i].want);
        da_marker_free(m);
    }
}

static void test_env_from_target(void **state)
{
    (void)state;
    da_target t;
    da_target_init(&t, 3, 12, -1);
    da_marker_env env;
    da_marker_env_from_target(&env, &t);
    assert_string_equal(env.python_version, "3.12");
    assert_string_equal(env.python_full_version, "3.12.0"); /* micro unknown: X.Y.0 */
    assert_string_equal(env.implementation_version, "3.12.0");
    assert_string_equal(env.os_name, "posix");
    assert_string_equal(env.sys_platform, "linux");
    assert_string_equal(env.platform_system, "Linux");
    assert_string_equal(env.platform_machine, "x86_64");
    assert_string_equal(env.platform_python_implementation, "CPython");
    assert_string_equal(env.implementation_name, "cpython");
}

static void test_to_string(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"python_version>='3.8'", "python_version >= \"3.8\""},
        {"os.name=='posix'", "os_name == \"posix\""},
        {"python_implementation=='CPython'", "platform_python_implementation == \"CPython\""},
        {"(os_name=='a' or os_name=='b') and python_version>'3'",
         "(os_name == \"a\" or os_name == \"b\") and python_version > \"3\""},
        {"((os_name=='posix'))", "os_name == \"posix\""},
        /* packaging 23.0 prints this as `... or ... and ...`, which means something else */
        {"((os_name=='a' or os_name=='b')) and python_version>'3'",
         "(os_name == \"a\" or os_name == \"b\") and python_version > \"3\""},
        {"extra == 'Test_Extra'", "extra == \"test-extra\""},
        {"os_name == 'a\"b'", "os_name == 'a\"b'"},
        {"sys_platform not  in 'linux'", "sys_platform not in \"linux\""},
        {"os_name == '\\x41\\u00e9'", "os_name == \"A\xc3\xa9\""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        da_marker *m = da_marker_parse(cases[i][0], NULL);
        assert_non_null(m);
        char *s = da_marker_to_string(m);
        assert_string_equal(s, cases[i][1]);
        da_marker *again = da_marker_parse(s, NULL); /* printing reads back the same */
        assert_non_null(again);
        char *s2 = da_marker_to_string(again);
        assert_string_equal(s, s2);
        free(s);
        free(s2);
        da_marker_free(m);
        da_marker_free(again);
    }
}

static void test_invalid_markers(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int col;
        const char *msg;
    } bad[] = {
        {"", 1, "Expected a marker variable or quoted string"},
        {"os_name", 8, "Expected marker operator"},
        {"os_name ==", 11, "Expected a marker variable or quoted string"},
        {"os_name == 'a' and", 19, "Expected a marker variable or quoted string"},
        {"(os_name == 'a'", 1, "Expected closing RIGHT_PARENTHESIS"},
        {"os_name not_in 'a'", 9, "Expected marker operator"},
        {"os_name == 'unterminated", 12, "Expected a marker variable or quoted string"},
        {"os_name == '\\x4'", 12, "truncated"},
        {"python_version2 == '3'", 1, "Expected a marker variable or quoted string"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        da_error err;
        da_error_clear(&err);
        da_marker *m = da_marker_parse(bad[i].text, &err);
        if (m)
            fail_msg("'%s' accepted", bad[i].text);
        if (err.col != bad[i].col || !strstr(err.message, bad[i].msg))
            fail_msg("'%s': col %d '%s'", bad[i].text, err.col, err.message);
    }
}

static void test_nesting_limit(void **state)
{
    (void)state;
    /* 256 levels parse; deeper input is refused instead of exhausting the stack */
    for (int depth = 256; depth <= 100000; depth = depth == 256 ? 257 : depth * 20) {
        size_t n = (size_t)depth * 2 + 16;
        char *s = malloc(n + 1);
        memset(s, '(', (size_t)depth);
        memcpy(s + depth, "os_name=='a'", 12);
        memset(s + depth + 12, ')', (size_t)depth);
        s[depth * 2 + 12] = '\0';
        da_error err;
        da_marker *m = da_marker_parse(s, &err);
        if (depth == 256) {
            assert_non_null(m);
            assert_int_equal(da_marker_evaluate(m, &(da_marker_env){.os_name = "a"}, NULL), 1);
        } else {
            assert_null(m);
            assert_true(strstr(err.message, "nested too deeply") != NULL);
        }
        da_marker_free(m);
        free(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_evaluate_table), cmocka_unit_test(test_env_from_target),
        cmocka_unit_test(test_to_string),      cmocka_unit_test(test_invalid_markers),
        cmocka_unit_test(test_nesting_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
