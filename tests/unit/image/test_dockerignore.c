/* .dockerignore as Docker documents it: comments, trimming, path cleaning, `*`/`?`/`[...]`
 * within one path element, `**` across any number of directories (none included), parent
 * directories, `!` exceptions and the last matching line deciding; the Dockerfile-specific
 * ignore file before the context's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "depaudit/build_context.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether `path` is left out of the context by the rules in `text`. */
static bool ignored(const char *text, const char *path)
{
    da_ignore_rules r;
    da_dockerignore_parse(".dockerignore", text, strlen(text), &r);
    bool hit = da_ignore_rules_excluding(&r, path) != NULL;
    da_ignore_rules_free(&r);
    return hit;
}

static void test_documented_examples(void **state)
{
    (void)state;
    /* the example file of Docker's documentation */
    const char *doc = "# comment\n*/temp*\n*/*/temp*\ntemp?\n";
    assert_true(ignored(doc, "somedir/temporary.txt"));
    assert_true(ignored(doc, "somedir/temp"));
    /* the second line takes only what is one level below the root */
    assert_false(ignored(doc, "temporary.txt"));
    assert_true(ignored(doc, "somedir/subdir/temporary.txt"));
    assert_false(ignored(doc, "a/b/c/temporary.txt"));
    assert_true(ignored(doc, "tempa"));
    assert_false(ignored(doc, "tempab"));
    assert_false(ignored(doc, "# comment"));
    /* `**` matches any number of directories, zero included */
    assert_true(ignored("**/*.go\n", "main.go"));
    assert_true(ignored("**/*.go\n", "a/b/c/main.go"));
    assert_true(ignored("a/**/b\n", "a/b"));
    assert_true(ignored("a/**/b\n", "a/x/y/b"));
    assert_false(ignored("a/**/b\n", "ab"));
    assert_true(ignored("**\n", "anything/at/all.py"));
}

static void test_exceptions_and_last_match(void **state)
{
    (void)state;
    assert_true(ignored("*.md\n!README.md\n", "CHANGES.md"));
    assert_false(ignored("*.md\n!README.md\n", "README.md"));
    /* the documented order examples: the last matching line decides */
    const char *a = "*.md\n!README*.md\nREADME-secret.md\n";
    assert_true(ignored(a, "README-secret.md"));
    assert_false(ignored(a, "README-public.md"));
    const char *b = "*.md\nREADME-secret.md\n!README*.md\n";
    assert_false(ignored(b, "README-secret.md"));
    /* an exception inside an excluded directory brings that file back */
    assert_false(ignored("app\n!app/main.py\n", "app/main.py"));
    assert_true(ignored("app\n!app/main.py\n", "app/other.py"));
    /* an exception that matches nothing excluded changes nothing */
    assert_false(ignored("!app\n", "app/main.py"));
}

static void test_cleaning_and_parents(void **state)
{
    (void)state;
    /* leading and trailing slashes, `.` and `..` are cleaned like a path */
    assert_true(ignored("/build\n", "build/lib/x.py"));
    assert_true(ignored("build/\n", "build/lib/x.py"));
    assert_true(ignored("./src/../gen\n", "gen/x.py"));
    assert_true(ignored("a//b\n", "a/b/c.py"));
    assert_false(ignored("build\n", "src/build/x.py")); /* anchored at the context's root */
    /* spaces around a pattern are trimmed; `#` only starts a comment in the first column */
    assert_true(ignored("  docs  \n", "docs/index.py"));
    assert_true(ignored(" #notes\n", "#notes"));
    assert_false(ignored("#notes\n", "#notes"));
    /* `*` and `?` stay within one element */
    assert_true(ignored("src*\n", "srcx/y.py")); /* through its parent */
    assert_false(ignored("s*y.py\n", "src/y.py"));
    assert_false(ignored("*.py\n", "pkg/mod.py"));
    assert_true(ignored("*.py\n", "setup.py"));
    /* classes and escapes */
    assert_true(ignored("data[0-9]\n", "data7"));
    assert_false(ignored("data[0-9]\n", "datax"));
    assert_true(ignored("data[^0-9]\n", "datax"));
    assert_true(ignored("star\\*\n", "star*"));
    assert_false(ignored("star\\*\n", "starx"));
    /* a malformed class matches nothing (Go reports it as a bad pattern) */
    assert_false(ignored("data[0-9\n", "data7"));
}

static void test_rule_lines_and_bom(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBFvenv\n\n# generated\n!keep\ngen/\n";
    da_ignore_rules r;
    da_dockerignore_parse("ctx/.dockerignore", text, strlen(text), &r);
    assert_int_equal(r.len, 3);
    assert_string_equal(r.items[0].pattern, "venv");
    assert_int_equal(r.items[0].line, 1);
    assert_true(r.items[1].negate);
    assert_string_equal(r.items[1].pattern, "keep");
    const da_ignore_rule *why = da_ignore_rules_excluding(&r, "gen/a.py");
    assert_non_null(why);
    assert_int_equal(why->line, 5);
    assert_string_equal(why->pattern, "gen");
    da_ignore_rules_free(&r);
}

/* A hostile pattern of many stars ends (a bounded number of steps) without a match. */
static void test_many_stars_end(void **state)
{
    (void)state;
    char pat[400], path[400];
    for (int i = 0; i < 199; i++) {
        pat[2 * i] = '*';
        pat[2 * i + 1] = 'a';
    }
    pat[398] = 'b';
    pat[399] = '\0';
    memset(path, 'a', sizeof(path) - 1);
    path[sizeof(path) - 1] = '\0';
    assert_false(da_ignore_pattern_matches(pat, path));
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_load_prefers_the_dockerfile_specific_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/da-dockerignore-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *df = da_xasprintf("%s/app.Dockerfile", dir);
    char *own = da_xasprintf("%s/app.Dockerfile.dockerignore", dir);
    char *ctx = da_xasprintf("%s/.dockerignore", dir);
    write_file(df, "FROM python:3.12\n");
    write_file(ctx, "tests\n");
    da_ignore_rules r;
    da_error err;
    assert_int_equal(da_dockerignore_load(dir, df, &r, &err), 0);
    assert_string_equal(r.file, ctx);
    assert_non_null(da_ignore_rules_excluding(&r, "tests/test_a.py"));
    da_ignore_rules_free(&r);
    write_file(own, "docs\n");
    assert_int_equal(da_dockerignore_load(dir, df, &r, &err), 0);
    assert_string_equal(r.file, own);
    assert_null(da_ignore_rules_excluding(&r, "tests/test_a.py"));
    assert_non_null(da_ignore_rules_excluding(&r, "docs/conf.py"));
    da_ignore_rules_free(&r);
    unlink(own);
    unlink(ctx);
    /* neither: no rules, nothing left out */
    assert_int_equal(da_dockerignore_load(dir, df, &r, &err), 0);
    assert_null(r.file);
    assert_null(da_ignore_rules_excluding(&r, "tests/test_a.py"));
    da_ignore_rules_free(&r);
    unlink(df);
    rmdir(dir);
    free(df);
    free(own);
    free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_documented_examples),
        cmocka_unit_test(test_exceptions_and_last_match),
        cmocka_unit_test(test_cleaning_and_parents),
        cmocka_unit_test(test_rule_lines_and_bom),
        cmocka_unit_test(test_many_stars_end),
        cmocka_unit_test(test_load_prefers_the_dockerfile_specific_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
