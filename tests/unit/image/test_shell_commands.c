/* RUN bodies into commands with tree-sitter-bash (src/image/shell_commands.c): lists,
 * pipes, subshells, if, quoting, variables, spans. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "image/dockerfile/shell_commands.h"
#include "image/dockerfile/shell_walk.h"

#include <stdlib.h>
#include <string.h>

static const char *lookup(void *ctx, const char *name)
{
    (void)ctx;
    if (strcmp(name, "VER") == 0)
        return "1.0";
    if (strcmp(name, "MODE") == 0)
        return "dev";
    if (strcmp(name, "PYV") == 0)
        return "3.11.4";
    return NULL;
}

static sh_script parse(const char *s, df_text *t)
{
    memset(t, 0, sizeof(*t));
    df_text_append(t, s, strlen(s), 100, true); /* offsets as if it began at byte 100 */
    ex_env env = {lookup, NULL, NULL, false};
    sh_script sc;
    sh_parse(t, &env, NULL, &sc);
    return sc;
}

/* The words of command i joined by spaces. */
static char *joined(const sh_script *sc, size_t i)
{
    da_buf b = {0};
    da_buf_puts(&b, "");
    for (size_t k = 0; k < sc->cmds[i].nwords; k++)
        da_buf_printf(&b, "%s%s", k ? " " : "", sc->cmds[i].words[k].value);
    return da_buf_take(&b);
}

static void assert_command(const sh_script *sc, size_t i, const char *want)
{
    assert_true(i < sc->ncmds);
    char *got = joined(sc, i);
    assert_string_equal(got, want);
    free(got);
}

/* Only the first word after a redirection operator is its target: the words after it are
 * still arguments (`>=2.0` writes a file named "=2.0", pyarrow is installed). */
static void test_redirections_take_one_word(void **state)
{
    (void)state;
    const char *s = "pip install --no-cache-dir pandas>=2.0 pyarrow 2>/dev/null x";
    df_text t;
    sh_script sc = parse(s, &t);
    assert_int_equal(sc.ncmds, 1);
    assert_command(&sc, 0, "pip install --no-cache-dir pandas pyarrow x");
    const sh_command *c = &sc.cmds[0];
    assert_int_equal(c->nredirects, 2);
    assert_string_equal(c->redirects[0].op, ">");
    assert_string_equal(c->redirects[0].target.value, "=2.0");
    assert_true(c->redirects[0].glued);
    assert_int_equal(c->redirects[0].word, 3);
    assert_int_equal(c->redirects[0].start - 100, (size_t)(strstr(s, ">=") - s));
    assert_int_equal(c->redirects[0].end - 100, (size_t)(strstr(s, " pyarrow") - s));
    assert_int_equal(c->redirects[1].fd, 2);
    assert_false(c->redirects[1].glued);
    assert_int_equal(c->redirects[1].word, (size_t)-1);
    sh_script_free(&sc);
    df_text_free(&t);
    /* pkg>1,<2: two redirections, the second glued to the first, both to the word */
    /* an expansion with a colon and nothing after it (found by fuzzing): no read past it */
    sc = parse("pip install \"x${A:}\" ${B:} y", &t);
    assert_command(&sc, 0, "pip install x y");
    sh_script_free(&sc);
    df_text_free(&t);
    sc = parse("pip install pkg>1,<2 other", &t);
    assert_command(&sc, 0, "pip install pkg other");
    c = &sc.cmds[0];
    assert_int_equal(c->nredirects, 2);
    assert_string_equal(c->redirects[0].target.value, "1,");
    assert_string_equal(c->redirects[1].op, "<");
    assert_string_equal(c->redirects[1].target.value, "2");
    assert_true(c->redirects[1].glued);
    assert_int_equal(c->redirects[1].word, 2);
    sh_script_free(&sc);
    df_text_free(&t);
    /* tree-sitter hangs the redirection of a list's last command on the list */
    sc = parse("pip install a b && pip install c>=1 d e", &t);
    assert_int_equal(sc.ncmds, 2);
    assert_command(&sc, 0, "pip install a b");
    assert_command(&sc, 1, "pip install c d e");
    assert_int_equal(sc.cmds[1].nredirects, 1);
    assert_true(sc.cmds[1].redirects[0].glued);
    assert_int_equal(sc.cmds[1].redirects[0].word, 2);
    sh_script_free(&sc);
    df_text_free(&t);
    /* a word after the separate `>` is not glued; a herestring is a redirection */
    sc = parse("pip install a >=1 b; pip install d<<<x e", &t);
    assert_command(&sc, 0, "pip install a b");
    assert_false(sc.cmds[0].redirects[0].glued);
    assert_command(&sc, 1, "pip install d e");
    assert_string_equal(sc.cmds[1].redirects[0].op, "<<<");
    sh_script_free(&sc);
    df_text_free(&t);
}

/* Unquoted expansions split into fields; an empty one is no field; quoted ones stay whole;
 * ${A%pat}, ${A#pat}, ${#A} as sh computes them. */
static void test_field_splitting(void **state)
{
    (void)state;
    df_text t;
    sh_script sc = parse("PKGS='flask  requests'; pip install $PKGS \"$PKGS\" ${EMPTY} "
                         "x${EMPTY}y py${PYV%.*} ${PYV#*.} ${PYV%%.*} n${#PYV}",
                         &t);
    assert_int_equal(sc.ncmds, 1);
    const sh_command *c = &sc.cmds[0];
    assert_int_equal(c->nwords, 10);
    assert_string_equal(c->words[2].value, "flask");
    assert_string_equal(c->words[3].value, "requests");
    assert_true(c->words[2].expanded);
    assert_string_equal(c->words[4].value, "flask  requests");
    assert_string_equal(c->words[5].value, "xy");
    assert_string_equal(c->words[6].value, "py3.11");
    assert_string_equal(c->words[7].value, "11.4");
    assert_string_equal(c->words[8].value, "3");
    assert_string_equal(c->words[9].value, "n6");
    sh_script_free(&sc);
    df_text_free(&t);
}

/* The positional parameters: "$@" is one word per parameter (none when there are none),
 * $@ and $* unquoted are split, "$*" is one word; branches that cannot be decided leave
 * several possible lists and a command using them is formed once per list, each maybe
 * running; a loop that changes them leaves them unknown, kept as written. */
static void test_positional_parameters(void **state)
{
    (void)state;
    df_text t;
    sh_script sc = parse("pip install \"$@\" $1 x; set -- 'a b' c && pip install \"$@\" $@ "
                         "\"$*\" $# ${2} ${3:-d}; shift; echo \"$1\"",
                         &t);
    assert_int_equal(sc.ncmds, 5);           /* pip, set, pip, shift, echo */
    assert_command(&sc, 0, "pip install x"); /* none: "$@" gives no word, $1 nothing */
    assert_command(&sc, 2, "pip install a b c a b c a b c 2 c d");
    assert_int_equal(sc.cmds[2].nwords, 11);
    assert_string_equal(sc.cmds[2].words[2].value, "a b");
    assert_string_equal(sc.cmds[2].words[3].value, "c");
    assert_string_equal(sc.cmds[2].words[4].value, "a");
    assert_string_equal(sc.cmds[2].words[6].value, "c");
    assert_string_equal(sc.cmds[2].words[7].value, "a b c");
    assert_command(&sc, 4, "echo c");
    assert_false(sc.cmds[2].conditional);
    sh_script_free(&sc);
    df_text_free(&t);

    sc = parse("set -- -r a.txt; if [ -f /x ]; then set -- \"$@\" -r b.txt; fi; "
               "if [ \"$MODE\" = dev ]; then set -- \"$@\" pytest; fi; pip install \"$@\"",
               &t);
    assert_int_equal(sc.ncmds, 5); /* set, set, set, pip twice */
    assert_command(&sc, 3, "pip install -r a.txt -r b.txt pytest");
    assert_command(&sc, 4, "pip install -r a.txt pytest");
    assert_true(sc.cmds[3].conditional && sc.cmds[4].conditional);
    sh_script_free(&sc);
    df_text_free(&t);

    sc = parse("for f in $(ls); do set -- \"$@\" -r \"$f\"; done; pip install \"$@\"; "
               "f() { pip install \"$@\"; }; sh -c 'pip install \"$@\"' sh q \"r s\"",
               &t);
    assert_int_equal(sc.ncmds, 5);
    assert_command(&sc, 1, "pip install $@");
    assert_true(sc.cmds[1].words[2].unknown);
    assert_command(&sc, 2, "pip install $@");
    assert_true(sc.cmds[2].words[2].unknown);
    assert_command(&sc, 4, "pip install q r s");
    assert_int_equal(sc.cmds[4].nwords, 4);
    sh_script_free(&sc);
    df_text_free(&t);
}

/* `sh -c BODY` and `bash -ec BODY` are scripts of their own: their commands follow, with
 * spans in the file, in a subshell of their own. */
static void test_shell_c_bodies(void **state)
{
    (void)state;
    const char *s = "cd /a && sh -c \"cd /b && pip install 'x>=1' y\"; bash -ec 'pip install z'";
    df_text t;
    sh_script sc = parse(s, &t);
    assert_int_equal(sc.ncmds, 6);
    assert_command(&sc, 2, "cd /b");
    assert_command(&sc, 3, "pip install x>=1 y");
    assert_string_equal(sc.cmds[3].shell_c, "sh -c");
    assert_int_equal(sc.cmds[3].words[2].start - 100, (size_t)(strstr(s, "x>=1") - s));
    assert_int_equal(sc.cmds[3].words[2].quote, '\'');
    assert_true(sc.cmds[3].scope != sc.cmds[0].scope);
    assert_int_equal(sc.scope_parent[sc.cmds[3].scope], sc.cmds[0].scope);
    assert_command(&sc, 5, "pip install z");
    assert_string_equal(sc.cmds[5].shell_c, "bash -c");
    assert_true(sc.cmds[5].status_checked);
    sh_script_free(&sc);
    df_text_free(&t);
}

/* if/case on known values take their branch (and say so); unknown ones keep both, marked;
 * a for over known words is unrolled. */
static void test_branches_on_known_values(void **state)
{
    (void)state;
    df_text t;
    sh_script sc = parse("if [ \"$MODE\" = prod ] || test -z \"$VER\"; then pip install a; "
                         "elif [[ $MODE == d* ]]; then pip install b; else pip install c; fi\n"
                         "if [ -f /x ]; then pip install d; else pip install e; fi\n"
                         "case \"$MODE\" in prod) pip install f;; dev|test) pip install g;; esac\n"
                         "for p in h i; do pip install $p; done",
                         &t);
    assert_int_equal(sc.ncmds, 7);
    assert_command(&sc, 0, "test -z 1.0"); /* a condition's command runs */
    assert_false(sc.cmds[0].status_checked);
    assert_command(&sc, 1, "pip install b");
    assert_false(sc.cmds[1].conditional);
    assert_command(&sc, 2, "pip install d");
    assert_true(sc.cmds[2].conditional);
    assert_string_equal(sc.cmds[2].why_conditional, "if");
    assert_command(&sc, 3, "pip install e");
    assert_command(&sc, 4, "pip install g");
    assert_false(sc.cmds[4].conditional);
    assert_command(&sc, 5, "pip install h");
    assert_command(&sc, 6, "pip install i");
    assert_int_equal(sc.nnotes, 2);
    assert_non_null(strstr(sc.notes[0].message, "MODE=dev"));
    assert_non_null(strstr(sc.notes[0].message, "an elif branch"));
    assert_non_null(strstr(sc.notes[1].message, "case"));
    sh_script_free(&sc);
    df_text_free(&t);
}

/* Which failures fail the RUN: the last command and what && joins to it; with set -e every
 * command but conditions and left sides of && and ||. */
static void test_status_checked(void **state)
{
    (void)state;
    df_text t;
    sh_script sc = parse("pip install a; pip install b && echo ok; pip install c || true", &t);
    assert_int_equal(sc.ncmds, 5);
    assert_false(sc.cmds[0].status_checked);
    assert_false(sc.cmds[1].status_checked);
    assert_false(sc.cmds[3].status_checked);
    assert_true(sc.cmds[4].status_checked);
    sh_script_free(&sc);
    df_text_free(&t);
    sc = parse("set -eux; pip install a; pip install b && echo; pip install c | tee l; true", &t);
    assert_true(sc.cmds[1].status_checked);
    assert_false(sc.cmds[2].status_checked);
    assert_false(sc.cmds[4].status_checked); /* no pipefail */
    sh_script_free(&sc);
    df_text_free(&t);
    memset(&t, 0, sizeof(t));
    df_text_append(&t, "pip install a | tee l; true", 27, 0, true);
    ex_env env = {lookup, NULL, NULL, false};
    sh_options o = {true, true};
    sh_parse(&t, &env, &o, &sc);
    assert_true(sc.cmds[0].status_checked);
    sh_script_free(&sc);
    df_text_free(&t);
}

/* test/[ on words: strings, integers, -z/-n, !, -a/-o, parentheses; files are unknown. */
static void test_test_words(void **state)
{
    (void)state;
    sh_word w[8];
    memset(w, 0, sizeof(w));
    const char *a[] = {"1", "-eq", "01", "-a", "!", "-z", "x", "]"};
    for (size_t i = 0; i < 8; i++)
        w[i].value = (char *)a[i];
    assert_int_equal(sh_eval_test_words(w, 8, true), 1);
    assert_int_equal(sh_eval_test_words(w, 7, true), -1); /* no closing ] */
    const char *b[] = {"-f", "/etc/x", "-o", "a", "=", "a"};
    for (size_t i = 0; i < 6; i++)
        w[i].value = (char *)b[i];
    assert_int_equal(sh_eval_test_words(w, 6, false), 1);
    assert_int_equal(sh_eval_test_words(w, 2, false), -1);
    w[4].value = "!=";
    assert_int_equal(sh_eval_test_words(w, 6, false), -1);
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
        cmocka_unit_test(test_redirections_take_one_word),
        cmocka_unit_test(test_field_splitting),
        cmocka_unit_test(test_positional_parameters),
        cmocka_unit_test(test_shell_c_bodies),
        cmocka_unit_test(test_branches_on_known_values),
        cmocka_unit_test(test_status_checked),
        cmocka_unit_test(test_test_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
