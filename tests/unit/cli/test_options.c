/* The CLI's option parser (src/cli/options.c) on a table like the subcommands' own:
 * both value forms, aliases, flags, lists, choices, the shared groups, `--`, help, and one
 * clear error with exit code 2 for everything it refuses. */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include "cli/options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct args {
    cli_format format;
    cli_python python;
    cli_index index;
    const char *target;
    da_strlist build_args;
    bool fix;
    da_strlist positional;
} args;

static const cli_option table[] = {
    {"--target", NULL, CLI_VALUE, offsetof(args, target), NULL, NULL},
    {"--build-arg", "-b", CLI_LIST, offsetof(args, build_args), NULL, NULL},
    {"--fix", NULL, CLI_FLAG, offsetof(args, fix), NULL, NULL},
};

static char stderr_text[4096];
static char stdout_text[4096];

/* Runs cli_parse on the words (NULL-terminated) with stdout and stderr captured. */
static int parse(args *a, const char *const *words)
{
    memset(a, 0, sizeof(*a));
    a->format.format = "text";
    char *argv[32];
    int argc = 0;
    argv[argc++] = (char *)"cmd";
    for (; words[argc - 1]; argc++)
        argv[argc] = (char *)words[argc - 1];
    const cli_group groups[] = {
        CLI_GROUP(table, a),
        CLI_GROUP(cli_format_options, &a->format),
        CLI_GROUP(cli_python_options, &a->python),
        CLI_GROUP(cli_index_options, &a->index),
    };
    fflush(stdout);
    fflush(stderr);
    FILE *err = tmpfile(), *out = tmpfile();
    int saved_err = dup(STDERR_FILENO), saved_out = dup(STDOUT_FILENO);
    dup2(fileno(err), STDERR_FILENO);
    dup2(fileno(out), STDOUT_FILENO);
    int rc = cli_parse("cmd", "usage: cmd\n", argc, argv, groups, 4, &a->positional);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_err, STDERR_FILENO);
    dup2(saved_out, STDOUT_FILENO);
    close(saved_err);
    close(saved_out);
    FILE *files[2] = {err, out};
    char *texts[2] = {stderr_text, stdout_text};
    for (int k = 0; k < 2; k++) {
        rewind(files[k]);
        size_t n = fread(texts[k], 1, sizeof(stderr_text) - 1, files[k]);
        texts[k][n] = '\0';
        fclose(files[k]);
    }
    return rc;
}

static void args_free(args *a)
{
    da_strlist_free(&a->build_args);
    da_strlist_free(&a->positional);
}

#define WORDS(...) ((const char *const[]){__VA_ARGS__, NULL})

static void test_both_value_forms_and_aliases(void **state)
{
    (void)state;
    args a;
    assert_int_equal(
        parse(&a, WORDS("--target=web", "--build-arg", "A=1", "-b", "B=2", "--build-arg=C=3",
                        "--format=json", "--index-url", "http://i/simple/", "-i", "http://j/",
                        "--cache-dir=/c", "--offline", "--fix", "src")),
        0);
    assert_string_equal(stderr_text, "");
    assert_string_equal(a.target, "web");
    assert_int_equal(a.build_args.len, 3);
    assert_string_equal(a.build_args.items[0], "A=1");
    assert_string_equal(a.build_args.items[1], "B=2");
    assert_string_equal(a.build_args.items[2], "C=3"); /* only the first '=' splits */
    assert_string_equal(a.format.format, "json");
    assert_string_equal(a.index.index_url, "http://j/"); /* the last one wins */
    assert_string_equal(a.index.cache_dir, "/c");
    assert_true(a.index.offline);
    assert_true(a.fix);
    assert_int_equal(a.positional.len, 1);
    assert_string_equal(a.positional.items[0], "src");
    args_free(&a);
}

static void test_options_anywhere_and_double_dash(void **state)
{
    (void)state;
    args a;
    assert_int_equal(parse(&a, WORDS("a", "--fix", "-", "b", "--", "--target", "-x")), 0);
    assert_true(a.fix);
    assert_null(a.target);
    assert_int_equal(a.positional.len, 5);
    assert_string_equal(a.positional.items[1], "-");
    assert_string_equal(a.positional.items[3], "--target");
    assert_string_equal(a.positional.items[4], "-x");
    args_free(&a);
}

static void test_python_version(void **state)
{
    (void)state;
    args a;
    assert_int_equal(parse(&a, WORDS("--python-version=3.13")), 0);
    assert_string_equal(a.python.version, "3.13");
    assert_int_equal(a.python.minor, 13);
    assert_int_equal(a.python.micro, -1);
    args_free(&a);
    assert_int_equal(parse(&a, WORDS("--python-version", "3.11.7")), 0);
    assert_int_equal(a.python.major, 3);
    assert_int_equal(a.python.minor, 11);
    assert_int_equal(a.python.micro, 7);
    args_free(&a);
    const char *bad[] = {"3",    "2.7",  "3.",    "3..1", "3.11.", "3.11.2.1",     "3.x",
                         "+3.1", "3.-1", "3.100", "",     "3.11 ", "3.99999999999"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(parse(&a, WORDS("--python-version", bad[i])), DA_EXIT_USAGE);
        char want[256];
        snprintf(want, sizeof(want),
                 "depaudit: cmd: --python-version must be 3.Y or 3.Y.Z, not '%s'\n", bad[i]);
        assert_string_equal(stderr_text, want);
        assert_null(a.python.version);
        args_free(&a);
    }
}

/* Each refusal: exit code 2 and exactly the one line. */
static void expect_error(const char *const *words, const char *line)
{
    args a;
    assert_int_equal(parse(&a, words), DA_EXIT_USAGE);
    assert_string_equal(stderr_text, line);
    assert_string_equal(stdout_text, "");
    args_free(&a);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error(WORDS("--frob"), "depaudit: cmd: unknown option '--frob' (see depaudit cmd "
                                  "--help)\n");
    expect_error(WORDS("--frob=1"), "depaudit: cmd: unknown option '--frob' (see depaudit cmd "
                                    "--help)\n");
    expect_error(WORDS("-z", "x"), "depaudit: cmd: unknown option '-z' (see depaudit cmd "
                                   "--help)\n");
    /* a prefix is not the option */
    expect_error(WORDS("--targe=x"), "depaudit: cmd: unknown option '--targe' (see depaudit cmd "
                                     "--help)\n");
    expect_error(WORDS("src", "--target"), "depaudit: cmd: --target needs a value\n");
    expect_error(WORDS("-b"), "depaudit: cmd: -b needs a value\n");
    expect_error(WORDS("--fix=yes"), "depaudit: cmd: --fix takes no value\n");
    expect_error(WORDS("--format", "yaml"),
                 "depaudit: cmd: --format must be text or json, not 'yaml'\n");
    expect_error(WORDS("--format="), "depaudit: cmd: --format must be text or json, not ''\n");
}

static void test_help_wins_before_double_dash(void **state)
{
    (void)state;
    args a;
    assert_int_equal(parse(&a, WORDS("--frob", "--help")), CLI_HELP);
    assert_string_equal(stdout_text, "usage: cmd\n");
    assert_string_equal(stderr_text, "");
    args_free(&a);
    assert_int_equal(parse(&a, WORDS("--", "-h")), 0);
    assert_string_equal(a.positional.items[0], "-h");
    args_free(&a);
}

static void test_numbers(void **state)
{
    (void)state;
    long n = 0;
    double s = 0;
    assert_int_equal(cli_parse_long("cmd", "--threads", "64", 1, 64, &n), 0);
    assert_int_equal(n, 64);
    assert_int_equal(cli_parse_seconds("cmd", "--timeout", "0.5", 3600, &s), 0);
    assert_true(s == 0.5);
    const char *bad_long[] = {"0", "65", "", "4x", "99999999999999999999"};
    for (size_t i = 0; i < sizeof(bad_long) / sizeof(bad_long[0]); i++)
        assert_int_equal(cli_parse_long("cmd", "--threads", bad_long[i], 1, 64, &n), DA_EXIT_USAGE);
    const char *bad_secs[] = {"0", "-1", "abc", "3601", "nan", ""};
    for (size_t i = 0; i < sizeof(bad_secs) / sizeof(bad_secs[0]); i++)
        assert_int_equal(cli_parse_seconds("cmd", "--timeout", bad_secs[i], 3600, &s),
                         DA_EXIT_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_value_forms_and_aliases),
        cmocka_unit_test(test_options_anywhere_and_double_dash),
        cmocka_unit_test(test_python_version),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_help_wins_before_double_dash),
        cmocka_unit_test(test_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
