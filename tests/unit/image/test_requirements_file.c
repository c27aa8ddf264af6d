/* The requirements-file parser (da_requirements_file_parse): pip's line format, nesting,
 * cycles, env vars, and the spans and list style a fixer relies on. Files are written to
 * a fresh temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "depaudit/install_plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static char *write_file(const char *name, const char *content)
{
    char *path = da_xasprintf("%s/%s", dir, name);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0700);
    *slash = '/';
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
    return path;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/da-reqs-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char *cmd = da_xasprintf("rm -rf '%s'", dir);
    int rc = system(cmd);
    free(cmd);
    return rc == 0 ? 0 : -1;
}

static void test_lines_comments_continuations(void **state)
{
    (void)state;
    const char *content = "# header comment\n"
                          "requests[socks]==2.31.0  # trailing comment\n"
                          "numpy>=1.26 ; python_version >= \"3.9\"\n"
                          "pydantic \\\n"
                          "    >=2,<3\n"
                          "url-with-hash @ http://127.0.0.1/x.whl#sha256=abc\n"
                          "django==4.2 --hash=sha256:aaa \\\n"
                          "    --hash=sha256:bbb\n"
                          "\n"
                          "attrs";
    char *path = write_file("r1.txt", content);
    da_requirements_file rf;
    da_error err;
    assert_int_equal(da_requirements_file_parse(path, NULL, &rf, &err), 0);
    assert_int_equal(rf.nreqs, 6);
    assert_string_equal(rf.reqs[0].text, "requests[socks]==2.31.0");
    assert_string_equal(rf.reqs[0].parsed->normalized, "requests");
    assert_int_equal(rf.reqs[0].where.line, 2);
    /* the span is the requirement text in the file */
    assert_memory_equal(content + rf.reqs[0].where.start, "requests[socks]==2.31.0",
                        rf.reqs[0].where.end - rf.reqs[0].where.start);
    assert_string_equal(rf.reqs[1].parsed->marker_text, "python_version >= \"3.9\"");
    assert_string_equal(rf.reqs[2].text, "pydantic >=2,<3");
    assert_int_equal(rf.reqs[2].where.line, 4);
    assert_string_equal(rf.reqs[3].parsed->url, "http://127.0.0.1/x.whl#sha256=abc");
    assert_int_equal(rf.reqs[4].hashes.len, 2);
    assert_string_equal(rf.reqs[4].hashes.items[1], "sha256:bbb");
    assert_string_equal(rf.reqs[5].text, "attrs");
    assert_int_equal(rf.reqs[5].where.line, 10);
    /* one list: a new requirement goes after the last line */
    assert_int_equal(rf.nlists, 1);
    assert_int_equal(rf.lists[0].count, 6);
    assert_int_equal(rf.lists[0].insert_at, strlen(content));
    assert_string_equal(rf.lists[0].separator, "\n");
    assert_string_equal(rf.lists[0].style, "requirements");
    da_requirements_file_free(&rf);
    free(path);
}

static void test_nesting_and_options(void **state)
{
    (void)state;
    char *base = write_file("sub/base.txt", "-c ../cons.txt\nflask\n");
    char *cons = write_file("cons.txt", "werkzeug<4\n");
    char *top = write_file("top.txt", "--index-url http://127.0.0.1:1/simple\n"
                                      "--extra-index-url=http://127.0.0.1:2/simple\n"
                                      "-r sub/base.txt\n"
                                      "--pre\n"
                                      "-e ./local/pkg\n"
                                      "gunicorn\n");
    da_requirements_file rf;
    da_error err;
    assert_int_equal(da_requirements_file_parse(top, NULL, &rf, &err), 0);
    assert_string_equal(rf.index_url, "http://127.0.0.1:1/simple");
    assert_string_equal(rf.extra_index_urls.items[0], "http://127.0.0.1:2/simple");
    assert_true(rf.pre);
    assert_int_equal(rf.nreqs, 3);
    assert_string_equal(rf.reqs[0].text, "flask"); /* depth-first: base.txt's first */
    assert_non_null(strstr(rf.reqs[0].where.file, "sub/base.txt"));
    assert_true(rf.reqs[1].editable);
    assert_int_equal(rf.reqs[1].kind, DA_REQ_LOCAL_PATH);
    assert_string_equal(rf.reqs[1].path, "./local/pkg");
    assert_string_equal(rf.reqs[2].text, "gunicorn");
    assert_int_equal(rf.nconstraints, 1);
    assert_string_equal(rf.constraints[0].text, "werkzeug<4");
    assert_int_equal(rf.constraints[0].origin, DA_ORIGIN_CONSTRAINTS);
    assert_int_equal(rf.files.len, 3);
    assert_int_equal(rf.nlists, 3);
    da_requirements_file_free(&rf);
    free(base);
    free(cons);
    free(top);
}

static void test_cycle_and_missing(void **state)
{
    (void)state;
    char *a = write_file("a.txt", "x\n-r b.txt\n");
    char *b = write_file("b.txt", "y\n\n-r a.txt\n");
    da_requirements_file rf;
    da_error err;
    assert_int_equal(da_requirements_file_parse(a, NULL, &rf, &err), -1);
    assert_non_null(strstr(err.file, "b.txt"));
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "requirements file cycle"));
    char *m = write_file("m.txt", "ok\n-r nothere.txt\n");
    assert_int_equal(da_requirements_file_parse(m, NULL, &rf, &err), -1);
    assert_non_null(strstr(err.file, "m.txt"));
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "nothere.txt"));
    char *missing = da_xasprintf("%s/absent.txt", dir);
    assert_int_equal(da_requirements_file_parse(missing, NULL, &rf, &err), -1);
    free(missing);
    free(a);
    free(b);
    free(m);
}

static void test_env_vars(void **state)
{
    (void)state;
    char *p = write_file("env.txt", "pkg==${VERSION}\nother${UNSET}\n$NOT_BRACED\n");
    const char *env[] = {"VERSION=1.2.3"};
    da_requirements_file_options o = {env, 1, false};
    da_requirements_file rf;
    da_error err;
    assert_int_equal(da_requirements_file_parse(p, &o, &rf, &err), 0);
    assert_string_equal(rf.reqs[0].text, "pkg==1.2.3");
    assert_true(rf.reqs[0].expanded);
    /* pip leaves unknown and unbraced references as they are */
    assert_string_equal(rf.reqs[1].text, "other${UNSET}");
    assert_int_equal(rf.reqs[1].kind, DA_REQ_INVALID);
    assert_true(rf.nwarnings >= 1);
    da_requirements_file_free(&rf);
    free(p);
}

static void test_invalid_lines_warn(void **state)
{
    (void)state;
    char *p = write_file("bad.txt", "foo>=>1\n--unknown-option\nok\n");
    da_requirements_file rf;
    da_error err;
    assert_int_equal(da_requirements_file_parse(p, NULL, &rf, &err), 0);
    assert_int_equal(rf.nreqs, 2);
    assert_int_equal(rf.reqs[0].kind, DA_REQ_INVALID);
    assert_int_equal(rf.nwarnings, 2);
    assert_int_equal(rf.warnings[0].line, 1);
    assert_int_equal(rf.warnings[1].line, 2);
    da_requirements_file_free(&rf);
    free(p);
}

/* pip-compile and uv export output: `# via` says which pins the compiled file asked for
 * (direct) and which are there for others (transitive, required by them); a file of hashed
 * exact pins without `# via` is a pin set without roles; a plain file is no lock. */
static void test_lock_roles(void **state)
{
    (void)state;
    char *p = write_file("compiled.txt", "# generated\n"
                                         "flask==3.0.0 \\\n"
                                         "    --hash=sha256:aa\n"
                                         "    # via -r requirements.in\n"
                                         "werkzeug==3.0.1\n"
                                         "    # via\n"
                                         "    #   flask\n"
                                         "    #   Flask-Login\n"
                                         "blinker==1.7.0    # via flask\n"
                                         "gunicorn==21.2.0\n"
                                         "    # via my-app (pyproject.toml)\n");
    da_requirements_file f;
    da_error err;
    assert_int_equal(da_requirements_file_parse(p, NULL, &f, &err), 0);
    assert_int_equal(f.nreqs, 4);
    assert_int_equal(f.reqs[0].lock, DA_LOCK_DIRECT);
    assert_int_equal(f.reqs[0].hashes.len, 1);
    assert_int_equal(f.reqs[1].lock, DA_LOCK_TRANSITIVE);
    assert_int_equal(f.reqs[1].required_by.len, 2);
    assert_string_equal(f.reqs[1].required_by.items[1], "Flask-Login");
    assert_int_equal(f.reqs[2].lock, DA_LOCK_DIRECT); /* a trailing comment is not a via line */
    assert_int_equal(f.reqs[3].lock, DA_LOCK_DIRECT);
    da_requirements_file_free(&f);
    free(p);
    p = write_file("hashed.txt", "attrs==23.2.0 ; python_version >= \"3.8\" \\\n"
                                 "    --hash=sha256:bb\n"
                                 "six==1.16.0 --hash=sha256:cc\n");
    assert_int_equal(da_requirements_file_parse(p, NULL, &f, &err), 0);
    assert_int_equal(f.nreqs, 2);
    assert_int_equal(f.reqs[0].lock, DA_LOCK_PINNED);
    assert_int_equal(f.reqs[1].lock, DA_LOCK_PINNED);
    da_requirements_file_free(&f);
    free(p);
    p = write_file("frozen.txt", "attrs==23.2.0\nsix==1.16.0\n");
    assert_int_equal(da_requirements_file_parse(p, NULL, &f, &err), 0);
    assert_int_equal(f.reqs[0].lock, DA_LOCK_NONE);
    da_requirements_file_free(&f);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_comments_continuations),
        cmocka_unit_test(test_nesting_and_options),
        cmocka_unit_test(test_cycle_and_missing),
        cmocka_unit_test(test_env_vars),
        cmocka_unit_test(test_invalid_lines_warn),
        cmocka_unit_test(test_lock_roles),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
