/* Docker's ARG/ENV expansion and word splitting (src/image/expand.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "image/dockerfile/expand.h"

#include "depaudit/util.h"

#include <stdlib.h>
#include <string.h>

typedef struct vars {
    const char *const *kv; /* NAME, VALUE pairs, NULL-terminated */
    da_strlist missing;
} vars;

static const char *lookup(void *ctx, const char *name)
{
    vars *v = ctx;
    for (size_t i = 0; v->kv[i]; i += 2)
        if (strcmp(v->kv[i], name) == 0)
            return v->kv[i + 1];
    return NULL;
}

static void missing(void *ctx, const char *name)
{
    vars *v = ctx;
    da_strlist_push(&v->missing, name);
}

static const char *const table[] = {"A", "alpha", "EMPTY", "", "PY", "3.11", "P", "/usr/bin", NULL};

static void check(const char *in, const char *want, char escape)
{
    vars v = {table, {0}};
    ex_env env = {lookup, missing, &v, false};
    char *got = ex_word(in, strlen(in), escape, &env);
    assert_string_equal(got, want);
    free(got);
    da_strlist_free(&v.missing);
}

static void test_plain_and_braced(void **state)
{
    (void)state;
    check("$A", "alpha", '\\');
    check("${A}", "alpha", '\\');
    check("x${A}y", "xalphay", '\\');
    check("python:${PY}-slim", "python:3.11-slim", '\\');
    check("$A$A", "alphaalpha", '\\');
    check("$A.txt", "alpha.txt", '\\');
    check("$", "$", '\\');
    check("cost $5", "cost $5", '\\');
}

static void test_modifiers(void **state)
{
    (void)state;
    check("${UNSET:-dflt}", "dflt", '\\');
    check("${EMPTY:-dflt}", "dflt", '\\');
    check("${EMPTY-dflt}", "", '\\');
    check("${UNSET-dflt}", "dflt", '\\');
    check("${A:-dflt}", "alpha", '\\');
    check("${A:+alt}", "alt", '\\');
    check("${EMPTY:+alt}", "", '\\');
    check("${EMPTY+alt}", "alt", '\\');
    check("${UNSET:+alt}", "", '\\');
    check("${UNSET:-${A}}", "alpha", '\\');
    check("${UNSET:-$PY.0}", "3.11.0", '\\');
}

static void test_quotes_and_escapes(void **state)
{
    (void)state;
    check("'$A'", "$A", '\\');
    check("\"$A b\"", "alpha b", '\\');
    check("\\$A", "$A", '\\');
    check("\"\\$A\"", "$A", '\\');
    check("\"a\\\"b\"", "a\"b", '\\');
    check("`$A", "$A", '`');
    check("C:\\app", "C:\\app", '`');
    check("a\\ b", "a b", '\\');
}

static void test_missing_reported(void **state)
{
    (void)state;
    vars v = {table, {0}};
    ex_env env = {lookup, missing, &v, false};
    char *got = ex_word("${NOPE}x$ALSO_NOT${UNSET:-fine}", 31, '\\', &env);
    assert_string_equal(got, "xfine");
    assert_int_equal(v.missing.len, 2);
    assert_string_equal(v.missing.items[0], "NOPE");
    assert_string_equal(v.missing.items[1], "ALSO_NOT");
    free(got);
    da_strlist_free(&v.missing);
}

static void test_vars_only_keeps_quotes(void **state)
{
    (void)state;
    vars v = {table, {0}};
    ex_env env = {lookup, missing, &v, false};
    char *got = ex_vars_only("'${A}' $A", 9, true, &env);
    assert_string_equal(got, "'alpha' $A"); /* braces_only: pip's ${VAR} rule */
    free(got);
    got = ex_vars_only("'${A}' $A", 9, false, &env);
    assert_string_equal(got, "'alpha' alpha");
    free(got);
    da_strlist_free(&v.missing);
}

static void test_split(void **state)
{
    (void)state;
    const char *s = "  a \"b c\" 'd e'\\ f  g\\ h ";
    ex_span *sp = NULL;
    size_t n = ex_split(s, strlen(s), '\\', &sp);
    assert_int_equal(n, 4);
    assert_memory_equal(s + sp[0].start, "a", 1);
    assert_int_equal(sp[1].end - sp[1].start, 5);
    assert_memory_equal(s + sp[2].start, "'d e'\\ f", 8);
    assert_memory_equal(s + sp[3].start, "g\\ h", 4);
    free(sp);
    n = ex_split("   ", 3, '\\', &sp);
    assert_int_equal(n, 0);
    free(sp);
}

static void test_unterminated_brace_is_literal(void **state)
{
    (void)state;
    check("${A", "${A", '\\');
    check("${}", "${}", '\\');
    check("${1bad}", "${1bad}", '\\');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_braced),
        cmocka_unit_test(test_modifiers),
        cmocka_unit_test(test_quotes_and_escapes),
        cmocka_unit_test(test_missing_reported),
        cmocka_unit_test(test_vars_only_keeps_quotes),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_unterminated_brace_is_literal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
