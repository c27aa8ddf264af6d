/* The one rule for reading a repository's files (da_read_file_under): links out of the
 * root, FIFOs, devices, directories and files over the limit are refused with a message
 * naming the file and the reason; nothing of them is returned; nothing blocks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "depaudit/util.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char top[256]; /* a scratch directory: ctx/ is the root, outside/ is not */
static char ctx[300], outside[300];

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(top, sizeof(top), "/tmp/da-read-rule-XXXXXX");
    assert_non_null(mkdtemp(top));
    snprintf(ctx, sizeof(ctx), "%s/ctx", top);
    snprintf(outside, sizeof(outside), "%s/outside", top);
    assert_int_equal(mkdir(ctx, 0755), 0);
    assert_int_equal(mkdir(outside, 0755), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
    return system(cmd) == 0 ? 0 : -1;
}

static char *at(const char *dir, const char *name)
{
    return da_xasprintf("%s/%s", dir, name);
}

/* Reads path under root; on refusal, returns the message (caller frees), else NULL. */
static char *refusal(const char *root, const char *path, size_t max)
{
    char *data = NULL;
    size_t len = 0;
    da_error e;
    da_error_clear(&e);
    if (da_read_file_under(root, path, max, &data, &len, &e) == 0) {
        free(data);
        return NULL;
    }
    assert_null(data);
    assert_string_equal(e.file, path); /* the error names the file */
    return da_xstrdup(e.message);
}

static void test_regular_inside_is_read(void **state)
{
    (void)state;
    char *p = at(ctx, "requirements.txt");
    write_text(p, "flask\n");
    char *data;
    size_t len;
    da_error e;
    assert_int_equal(da_read_file_under(ctx, p, 0, &data, &len, &e), 0);
    assert_int_equal(len, 6);
    assert_memory_equal(data, "flask\n", 6);
    free(data);
    /* a link that stays inside is followed */
    char *l = at(ctx, "req-link.txt");
    assert_int_equal(symlink("requirements.txt", l), 0);
    char *why = refusal(ctx, l, 0);
    assert_null(why);
    free(l);
    free(p);
}

static void test_link_out_of_root_is_refused(void **state)
{
    (void)state;
    char *secret = at(outside, "secret.txt");
    write_text(secret, "TOKEN=planted-secret\n");
    char *l = at(ctx, "req.txt");
    assert_int_equal(symlink(secret, l), 0);
    char *why = refusal(ctx, l, 0);
    assert_non_null(why);
    assert_non_null(strstr(why, "leads outside"));
    assert_null(strstr(why, "planted-secret"));
    free(why);
    /* through a directory link, and to /proc/self/environ */
    char *d = at(ctx, "etc");
    assert_int_equal(symlink(outside, d), 0);
    char *via = at(ctx, "etc/secret.txt");
    why = refusal(ctx, via, 0);
    assert_non_null(why);
    assert_non_null(strstr(why, "leads outside"));
    free(why);
    char *env = at(ctx, "env.txt");
    assert_int_equal(symlink("/proc/self/environ", env), 0);
    why = refusal(ctx, env, 0);
    assert_non_null(why);
    assert_non_null(strstr(why, "leads outside"));
    free(why);
    /* ".." out of the root is the same as a link */
    char *up = da_xasprintf("%s/../outside/secret.txt", ctx);
    why = refusal(ctx, up, 0);
    assert_non_null(why);
    free(why);
    free(up);
    free(env);
    free(via);
    free(d);
    free(l);
    free(secret);
}

static void test_dangling_link(void **state)
{
    (void)state;
    char *l = at(ctx, "gone.txt");
    assert_int_equal(symlink("no-such-file", l), 0);
    char *why = refusal(ctx, l, 0);
    assert_non_null(why);
    assert_non_null(strstr(why, "leads nowhere"));
    free(why);
    free(l);
}

/* A FIFO nobody writes to: opening it for reading would block forever. */
static void test_fifo_is_refused_without_blocking(void **state)
{
    (void)state;
    char *p = at(ctx, "requirements-dev.txt");
    assert_int_equal(mkfifo(p, 0644), 0);
    alarm(20); /* a hang fails the test instead of the suite's timeout */
    char *why = refusal(ctx, p, 0);
    alarm(0);
    assert_non_null(why);
    assert_non_null(strstr(why, "a FIFO, not a regular file"));
    free(why);
    free(p);
}

static void test_devices_and_directories(void **state)
{
    (void)state;
    alarm(20);
    char *why = refusal(NULL, "/dev/zero", 0);
    assert_non_null(strstr(why, "a character device"));
    free(why);
    why = refusal(NULL, "/dev/null", 0);
    assert_non_null(strstr(why, "a character device"));
    free(why);
    /* a link in the tree to a device is a link out of it */
    char *l = at(ctx, "pyproject.toml");
    assert_int_equal(symlink("/dev/zero", l), 0);
    why = refusal(ctx, l, 0);
    assert_non_null(why);
    free(why);
    why = refusal(ctx, ctx, 0);
    assert_non_null(strstr(why, "a directory"));
    free(why);
    alarm(0);
    free(l);
}

/* A sparse file over the limit: refused from its size, never read. */
static void test_huge_file_names_the_limit(void **state)
{
    (void)state;
    char *p = at(ctx, "huge.txt");
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)DA_TEXT_FILE_MAX + 1), 0);
    close(fd);
    char *why = refusal(ctx, p, DA_TEXT_FILE_MAX);
    assert_non_null(why);
    assert_non_null(strstr(why, "larger than 16 MiB"));
    assert_non_null(strstr(why, "16777217 bytes"));
    free(why);
    /* exactly at the limit is read */
    fd = open(p, O_WRONLY | O_TRUNC);
    assert_int_equal(ftruncate(fd, 1024), 0);
    close(fd);
    why = refusal(ctx, p, 1024);
    assert_null(why);
    free(p);
}

static void test_path_within(void **state)
{
    (void)state;
    assert_true(da_path_within("/a/b", "/a"));
    assert_true(da_path_within("/a", "/a"));
    assert_true(da_path_within("/a/b", "/a/"));
    assert_false(da_path_within("/ab", "/a"));
    assert_false(da_path_within("/", "/a"));
    assert_true(da_path_within("/x", "/"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regular_inside_is_read),
        cmocka_unit_test(test_link_out_of_root_is_refused),
        cmocka_unit_test(test_dangling_link),
        cmocka_unit_test(test_fifo_is_refused_without_blocking),
        cmocka_unit_test(test_devices_and_directories),
        cmocka_unit_test(test_huge_file_names_the_limit),
        cmocka_unit_test(test_path_within),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
