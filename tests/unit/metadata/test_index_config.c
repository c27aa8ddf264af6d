/* Index selection the way pip does it: every source (command line, PIP_ and UV_ variables,
 * each pip configuration file and its sections), their precedence, no-index, and the
 * public index as the default nobody configured. */
#include "depaudit/metadata.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

/* A fake environment: NAME=VALUE pairs. */
static const char *vars[32];
static size_t nvars;

static const char *fake_env(const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < nvars; i++)
        if (strncmp(vars[i], name, n) == 0 && vars[i][n] == '=')
            return vars[i] + n + 1;
    return NULL;
}

static char root[256];

static void write_file(const char *rel, const char *text)
{
    char path[512], dir[512];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    snprintf(dir, sizeof(dir), "%s", path);
    for (char *p = dir + strlen(root) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0755);
            *p = '/';
        }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof(root), "/tmp/da-index-config.XXXXXX");
    assert_non_null(mkdtemp(root));
    nvars = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    assert_int_equal(system(cmd), 0);
    return 0;
}

static void choose(da_metadata_options *o)
{
    char etc[300];
    snprintf(etc, sizeof(etc), "%s/etc", root);
    da_metadata_options_from_config(o, fake_env, etc);
}

static void test_default_is_the_public_index(void **state)
{
    (void)state;
    da_metadata_options o;
    da_metadata_options_init(&o);
    choose(&o);
    assert_string_equal(o.index_url, DA_DEFAULT_INDEX_URL);
    assert_true(o.index_is_default);
    assert_int_equal(o.extra_index_urls.len, 0);
    da_metadata_options_free(&o);
}

static void test_command_line_wins(void **state)
{
    (void)state;
    vars[nvars++] = "PIP_INDEX_URL=http://env.example/simple";
    write_file("etc/pip.conf", "[global]\nindex-url = http://etc.example/simple\n");
    da_metadata_options o;
    da_metadata_options_init(&o);
    o.index_url = strdup("http://cli.example/simple");
    choose(&o);
    assert_string_equal(o.index_url, "http://cli.example/simple");
    assert_false(o.index_is_default);
    assert_string_equal(o.index_from, "--index-url");
    da_metadata_options_free(&o);
}

static void test_files_in_pip_order(void **state)
{
    (void)state;
    char home[300], xdg[300];
    snprintf(home, sizeof(home), "HOME=%s/home", root);
    snprintf(xdg, sizeof(xdg), "XDG_CONFIG_DIRS=%s/xdg", root);
    vars[nvars++] = home;
    vars[nvars++] = xdg;
    write_file("xdg/pip/pip.conf", "[global]\nindex-url = http://xdg.example/simple\n"
                                   "timeout = 7\n");
    write_file("etc/pip.conf", "[install]\nindex-url = http://etc.example/simple\n");
    da_metadata_options o;
    da_metadata_options_init(&o);
    choose(&o);
    assert_string_equal(o.index_url, "http://etc.example/simple"); /* /etc after XDG dirs */
    assert_int_equal(o.timeout_ms, 7000);
    da_metadata_options_free(&o);

    /* the user's file over the global ones, its [install] over its [global], and a
     * multi-line extra-index-url */
    write_file("home/.config/pip/pip.conf",
               "# user\n[global]\nindex-url = http://user-global.example/simple\n"
               "[install]\nindex-url: http://user-install.example/simple\n"
               "extra-index-url =\n    http://a.example/simple\n    http://b.example/simple\n");
    da_metadata_options_init(&o);
    choose(&o);
    assert_string_equal(o.index_url, "http://user-install.example/simple");
    assert_non_null(strstr(o.index_from, "home/.config/pip/pip.conf:5"));
    assert_int_equal(o.extra_index_urls.len, 2);
    assert_string_equal(o.extra_index_urls.items[0], "http://a.example/simple");
    assert_string_equal(o.extra_index_urls.items[1], "http://b.example/simple");
    da_metadata_options_free(&o);

    /* PIP_CONFIG_FILE over all of them; the variable over every file */
    char forced[300];
    write_file("forced.conf", "[global]\nindex-url = http://forced.example/simple\n");
    snprintf(forced, sizeof(forced), "PIP_CONFIG_FILE=%s/forced.conf", root);
    vars[nvars++] = forced;
    da_metadata_options_init(&o);
    choose(&o);
    assert_string_equal(o.index_url, "http://forced.example/simple");
    da_metadata_options_free(&o);
    vars[nvars++] = "UV_INDEX_URL=http://uv.example/simple";
    da_metadata_options_init(&o);
    choose(&o);
    assert_string_equal(o.index_url, "http://uv.example/simple");
    assert_string_equal(o.index_from, "UV_INDEX_URL");
    da_metadata_options_free(&o);
    vars[nvars++] = "PIP_INDEX_URL=http://pip.example/simple";
    da_metadata_options_init(&o);
    choose(&o);
    assert_string_equal(o.index_url, "http://pip.example/simple"); /* pip's over uv's */
    da_metadata_options_free(&o);
}

static void test_dev_null_reads_no_file(void **state)
{
    (void)state;
    write_file("etc/pip.conf", "[global]\nindex-url = http://etc.example/simple\ncert = /x\n");
    vars[nvars++] = "PIP_CONFIG_FILE=/dev/null";
    da_metadata_options o;
    da_metadata_options_init(&o);
    choose(&o);
    assert_true(o.index_is_default);
    assert_null(o.cert);
    da_metadata_options_free(&o);
}

static void test_extras_cert_and_uv_indexes(void **state)
{
    (void)state;
    write_file("etc/pip.conf", "[global]\ncert = /etc/ca.pem\nextra-index-url = http://x/simple\n");
    vars[nvars++] = "PIP_EXTRA_INDEX_URL=http://e1/simple http://e2/simple";
    vars[nvars++] = "UV_INDEX=internal=http://u1/simple http://u2/simple";
    vars[nvars++] = "UV_EXTRA_INDEX_URL=http://u3/simple";
    da_metadata_options o;
    da_metadata_options_init(&o);
    choose(&o);
    assert_true(o.index_is_default); /* extras alone keep the default index, as in pip */
    assert_string_equal(o.cert, "/etc/ca.pem");
    const char *want[] = {"http://e1/simple", "http://e2/simple", "http://u3/simple",
                          "http://u1/simple", "http://u2/simple"};
    assert_int_equal(o.extra_index_urls.len, 5); /* the variable replaces the file's list */
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(o.extra_index_urls.items[i], want[i]);
    da_metadata_options_free(&o);
}

static void test_no_index(void **state)
{
    (void)state;
    write_file("etc/pip.conf", "[global]\nno-index = true\nindex-url = http://etc/simple\n");
    da_metadata_options o;
    da_metadata_options_init(&o);
    choose(&o);
    assert_null(o.index_url);
    assert_int_equal(o.extra_index_urls.len, 0);
    da_metadata_options_free(&o);
    vars[nvars++] = "PIP_NO_INDEX=off"; /* the variable over the file */
    da_metadata_options_init(&o);
    choose(&o);
    assert_string_equal(o.index_url, "http://etc/simple");
    da_metadata_options_free(&o);
}

static void test_bad_lines_are_warnings(void **state)
{
    (void)state;
    write_file("etc/pip.conf", "index-url = http://outside/simple\n[global\n[global]\n"
                               "garbage line\ntimeout = soon\n");
    da_metadata_options o;
    da_metadata_options_init(&o);
    choose(&o);
    assert_true(o.index_is_default);
    assert_int_equal(o.config_warnings.len, 4);
    assert_non_null(strstr(o.config_warnings.items[0], "pip.conf:1: a setting outside any"));
    assert_non_null(strstr(o.config_warnings.items[1], "pip.conf:2: a section header"));
    assert_non_null(strstr(o.config_warnings.items[2], "pip.conf:4:"));
    assert_non_null(strstr(o.config_warnings.items[3], "timeout \"soon\""));
    assert_int_equal(o.timeout_ms, 10000);
    da_metadata_options_free(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_default_is_the_public_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_command_line_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_in_pip_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dev_null_reads_no_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extras_cert_and_uv_indexes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_index, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_lines_are_warnings, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
