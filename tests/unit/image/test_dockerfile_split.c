/* The instruction splitter (src/image/dockerfile_split.c): continuations, comments,
 * directives, flags, exec form, heredocs, offsets back into the file, and errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "image/dockerfile/dockerfile.h"

#include <stdlib.h>
#include <string.h>

static df_file parse_ok(const char *text)
{
    df_file f;
    da_error err;
    da_error_clear(&err);
    int rc = df_parse("Dockerfile", text, strlen(text), &f, &err);
    if (rc != 0)
        fail_msg("unexpected error: %s", err.message);
    return f;
}

static void test_continuations_and_comments(void **state)
{
    (void)state;
    const char *text = "FROM python:3.12\n"
                       "RUN pip install \\\n"
                       "# dropped comment\n"
                       "    a \\\n"
                       "\n"
                       "    b\n"
                       "run echo done\n";
    df_file f = parse_ok(text);
    assert_int_equal(f.nins, 3);
    assert_string_equal(f.ins[1].keyword, "RUN");
    assert_string_equal(f.ins[1].args.s, "pip install     a     b");
    assert_int_equal(f.ins[1].line, 2);
    assert_int_equal(f.ins[1].end_line, 6);
    /* every byte maps back to the file: "b" is on line 6 */
    const char *b = strrchr(f.ins[1].args.s, 'b');
    size_t off = f.ins[1].args.map[b - f.ins[1].args.s];
    assert_int_equal(text[off], 'b');
    assert_int_equal(df_line_of(&f, off), 6);
    assert_int_equal(df_col_of(&f, off), 5);
    assert_string_equal(f.ins[2].keyword, "RUN"); /* keywords are case-insensitive */
    assert_int_equal(f.ins[2].line, 7);
    df_free(&f);
}

static void test_escape_directive(void **state)
{
    (void)state;
    const char *text = "# escape=`\nFROM x\nRUN a `\n  b\nWORKDIR C:\\dir\n";
    df_file f = parse_ok(text);
    assert_int_equal(f.escape, '`');
    assert_string_equal(f.ins[1].args.s, "a   b");
    assert_string_equal(f.ins[2].args.s, "C:\\dir");
    df_free(&f);
    /* a directive after an instruction is only a comment */
    f = parse_ok("FROM x\n# escape=`\nRUN a `\n");
    assert_int_equal(f.escape, '\\');
    df_free(&f);
}

static void test_flags_and_exec_form(void **state)
{
    (void)state;
    df_file f = parse_ok("FROM --platform=linux/arm64 python:3.12 AS b\n"
                         "COPY --from=b --chown=1:1 /a /b\n"
                         "RUN --mount=type=cache,target=/root/.cache pip install x\n"
                         "CMD [\"python\", \"-m\", \"app\"]\n"
                         "ENTRYPOINT [not json\n");
    assert_string_equal(df_flag_value(&f.ins[0], "platform"), "linux/arm64");
    assert_string_equal(f.ins[0].args.s, "python:3.12 AS b");
    assert_string_equal(df_flag_value(&f.ins[1], "from"), "b");
    assert_true(df_has_flag(&f.ins[1], "chown"));
    assert_string_equal(f.ins[1].args.s, "/a /b");
    assert_string_equal(df_flag_value(&f.ins[2], "mount"), "type=cache,target=/root/.cache");
    assert_string_equal(f.ins[2].args.s, "pip install x");
    assert_true(f.ins[3].json);
    assert_int_equal(f.ins[3].argv.len, 3);
    assert_string_equal(f.ins[3].argv.items[2], "app");
    assert_false(f.ins[4].json); /* not valid JSON: shell form */
    df_free(&f);
}

static void test_heredocs(void **state)
{
    (void)state;
    const char *text = "FROM x\n"
                       "RUN <<EOF\n"
                       "pip install a\n"
                       "EOF\n"
                       "COPY <<-\"ONE\" <<TWO /dst/\n"
                       "\tfirst\n"
                       "\tONE\n"
                       "second $X\n"
                       "TWO\n"
                       "RUN echo after\n";
    df_file f = parse_ok(text);
    assert_int_equal(f.nins, 4);
    assert_int_equal(f.ins[1].nheredocs, 1);
    assert_string_equal(f.ins[1].heredocs[0].body.s, "pip install a\n");
    assert_int_equal(f.ins[1].heredocs[0].line, 3);
    assert_int_equal(f.ins[2].nheredocs, 2);
    assert_true(f.ins[2].heredocs[0].strip_tabs);
    assert_true(f.ins[2].heredocs[0].quoted);
    assert_string_equal(f.ins[2].heredocs[0].body.s, "first\n");
    assert_string_equal(f.ins[2].heredocs[1].body.s, "second $X\n");
    assert_false(f.ins[2].heredocs[1].quoted);
    /* body bytes map to the file, past the stripped tab */
    size_t off = f.ins[2].heredocs[0].body.map[0];
    assert_int_equal(text[off], 'f');
    assert_int_equal(f.ins[3].line, 10);
    df_free(&f);
}

static void test_errors(void **state)
{
    (void)state;
    df_file f;
    da_error err;
    const char *bad = "FROM x\nRUN <<EOF\npip install a\n";
    assert_int_equal(df_parse("Dockerfile", bad, strlen(bad), &f, &err), -1);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "unterminated heredoc <<EOF"));
    df_free(&f);
    const char *unknown = "FROM x\n  FROMM y\n";
    assert_int_equal(df_parse("Dockerfile", unknown, strlen(unknown), &f, &err), -1);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 3);
    assert_string_equal(err.message, "unknown instruction: FROMM");
    df_free(&f);
    const char *weird = "FROM x\n1RUN y\n";
    assert_int_equal(df_parse("Dockerfile", weird, strlen(weird), &f, &err), -1);
    assert_int_equal(err.line, 2);
    df_free(&f);
    const char *esc = "# escape=x\nFROM y\n";
    assert_int_equal(df_parse("Dockerfile", esc, strlen(esc), &f, &err), -1);
    assert_int_equal(err.line, 1);
    df_free(&f);
}

static void test_crlf_and_trailing(void **state)
{
    (void)state;
    df_file f = parse_ok("FROM x\r\nRUN a \\\r\n  b\r\nCMD c");
    assert_int_equal(f.nins, 3);
    assert_string_equal(f.ins[1].args.s, "a   b");
    assert_string_equal(f.ins[2].args.s, "c");
    df_free(&f);
    f = parse_ok("");
    assert_int_equal(f.nins, 0);
    df_free(&f);
    f = parse_ok("RUN \\");
    assert_int_equal(f.nins, 1);
    assert_string_equal(f.ins[0].args.s, "");
    df_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_continuations_and_comments),
        cmocka_unit_test(test_escape_directive),
        cmocka_unit_test(test_flags_and_exec_form),
        cmocka_unit_test(test_heredocs),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_crlf_and_trailing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
