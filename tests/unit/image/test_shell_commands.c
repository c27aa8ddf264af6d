/* RUN bodies into commands with tree-sitter-bash (src/image/shell_commands.c): lists,
 * pipes, subshells, if, quoting, variables, spans. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "image/dockerfile/shell_commands.h"

#include <stdlib.h>
#include <string.h>

static const char *lookup(void *ctx, const char *name)
{
    (void)ctx;
    if (strcmp(name, "VER") == 0)
        return "1.0";
    return NULL;
}

static sh_script parse(const char *s, df_text *t)
{
    memset(t, 0, sizeof(*t));
    df_text_append(t, s, strlen(s), 100, true); /* offsets as if it began at byte 100 */
    ex_env env = {lookup, NULL, NULL, false};
    sh_script sc;
    sh_parse(t, &env, &sc);
    return sc;
}

static void test_lists_pipes_subshells(void **state)
{
    (void)state;
    df_text t;
    sh_script sc = parse("apt-get update && (cd /app && pip install -r r.txt) | tee log; "
                         "true || pip install b",
                         &t);
    assert_false(sc.has_error);
    assert_int_equal(sc.ncmds, 6);
    assert_string_equal(sc.cmds[1].words[0].value, "cd");
    assert_string_equal(sc.cmds[2].words[2].value, "-r");
    assert_string_equal(sc.cmds[2].words[3].value, "r.txt");
    assert_string_equal(sc.cmds[3].words[0].value, "tee");
    assert_false(sc.cmds[2].conditional);
    assert_true(sc.cmds[5].conditional);
    assert_string_equal(sc.cmds[5].why_conditional, "||");
    sh_script_free(&sc);
    df_text_free(&t);
}

static void test_quotes_variables_spans(void **state)
{
    (void)state;
    const char *s = "X=2 && pip install \"a==$VER\" 'b[c]' d\\ e \"f==$X\" g==${UNSET:-3}";
    df_text t;
    sh_script sc = parse(s, &t);
    assert_int_equal(sc.ncmds, 1);
    const sh_command *c = &sc.cmds[0];
    assert_int_equal(c->nwords, 7);
    assert_string_equal(c->words[2].value, "a==1.0");
    assert_true(c->words[2].expanded);
    assert_int_equal(c->words[2].quote, '"');
    /* the span of a quoted word is inside its quotes */
    assert_int_equal(c->words[2].start - 100, (size_t)(strstr(s, "a==") - s));
    assert_string_equal(c->words[3].value, "b[c]");
    assert_int_equal(c->words[3].quote, '\'');
    assert_string_equal(c->words[4].value, "d e");
    assert_string_equal(c->words[5].value, "f==2"); /* assignment earlier in the script */
    assert_string_equal(c->words[6].value, "g==3");
    sh_script_free(&sc);
    df_text_free(&t);
}

static void test_if_and_assign_prefix(void **state)
{
    (void)state;
    df_text t;
    sh_script sc = parse("if [ -f x ]; then PIP_NO_DEPS=1 pip install a; fi\n"
                         "echo $(pip install inside-substitution)",
                         &t);
    bool found = false;
    for (size_t i = 0; i < sc.ncmds; i++)
        if (strcmp(sc.cmds[i].words[0].value, "pip") == 0 && sc.cmds[i].nwords == 3 &&
            strcmp(sc.cmds[i].words[2].value, "a") == 0) {
            found = true;
            assert_true(sc.cmds[i].conditional);
            assert_string_equal(sc.cmds[i].why_conditional, "if");
            assert_int_equal(sc.cmds[i].assigns.len, 1);
            assert_string_equal(sc.cmds[i].assigns.items[0], "PIP_NO_DEPS=1");
        }
    assert_true(found);
    /* the echo's argument is a command substitution: unknown */
    const sh_command *echo = &sc.cmds[sc.ncmds - 1];
    assert_string_equal(echo->words[0].value, "echo");
    assert_true(echo->words[1].unknown);
    sh_script_free(&sc);
    df_text_free(&t);
}

static void test_syntax_error_flagged(void **state)
{
    (void)state;
    df_text t;
    sh_script sc = parse("pip install a && (", &t);
    assert_true(sc.has_error);
    sh_script_free(&sc);
    df_text_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lists_pipes_subshells),
        cmocka_unit_test(test_quotes_variables_spans),
        cmocka_unit_test(test_if_and_assign_prefix),
        cmocka_unit_test(test_syntax_error_flagged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
