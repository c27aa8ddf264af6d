/* --fix never loses a byte (da_patch_set_write): it refuses symbolic links, files with
 * other hard links and files changed since they were read, writes all files or none,
 * keeps owner and mode, and a kill -9 at any moment leaves each file either as it was or
 * as fixed (many kills at random points, with a check of every file after each).
 *   test_fix_write [KILL_ROUNDS]   (DA_KILL_SEED fixes the random seed) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "depaudit/audit.h"
#include "depaudit/util.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[256];
static int kill_rounds = 60;

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/da-fix-write-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *make_file(const char *name, const char *text, mode_t mode)
{
    char *p = da_xasprintf("%s/%s", dir, name);
    unlink(p);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    fchmod(fd, mode);
    close(fd);
    return p;
}

static char *contents(const char *path)
{
    char *data = NULL;
    size_t len = 0;
    if (da_read_file(path, &data, &len, NULL) != 0)
        return NULL;
    return data;
}

/* A patch set of n files: before as read, after as given. */
static void patch(da_patch_set *p, char **paths, const char *const *before,
                  const char *const *after, size_t n)
{
    memset(p, 0, sizeof(*p));
    p->files = da_xcalloc(n, sizeof(*p->files));
    p->len = p->cap = n;
    for (size_t i = 0; i < n; i++) {
        p->files[i].path = da_xstrdup(paths[i]);
        p->files[i].before = da_xstrdup(before[i]);
        p->files[i].before_len = strlen(before[i]);
        p->files[i].after = da_xstrdup(after[i]);
        p->files[i].after_len = strlen(after[i]);
    }
}

static void test_writes_and_keeps_mode_and_owner(void **state)
{
    (void)state;
    char *p = make_file("Dockerfile", "RUN pip install flask\n", 0640);
    bool root = geteuid() == 0;
    if (root)
        assert_int_equal(chown(p, 1234, 2345), 0);
    const char *b[] = {"RUN pip install flask\n"}, *a[] = {"RUN pip install flask pyyaml\n"};
    da_patch_set ps;
    patch(&ps, &p, b, a, 1);
    da_error e;
    assert_int_equal(da_patch_set_write(&ps, &e), 0);
    char *now = contents(p);
    assert_string_equal(now, a[0]);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    if (root) {
        assert_int_equal(st.st_uid, 1234);
        assert_int_equal(st.st_gid, 2345);
    }
    free(now);
    da_patch_set_free(&ps);
    free(p);
}

/* A link is refused and stays a link; the other file of the same fix is not written. */
static void test_symlink_refused_nothing_written(void **state)
{
    (void)state;
    char *target = make_file("real-requirements.txt", "flask\n", 0644);
    char *link = da_xasprintf("%s/requirements.txt", dir);
    unlink(link);
    assert_int_equal(symlink(target, link), 0);
    char *other = make_file("Dockerfile.other", "FROM python\n", 0644);
    char *paths[] = {other, link};
    const char *b[] = {"FROM python\n", "flask\n"}, *a[] = {"FROM python:3\n", "flask\nyaml\n"};
    da_patch_set ps;
    patch(&ps, paths, b, a, 2);
    da_error e;
    da_error_clear(&e);
    assert_int_equal(da_patch_set_write(&ps, &e), -1);
    assert_string_equal(e.file, link);
    assert_non_null(strstr(e.message, "symbolic link"));
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    char *t = contents(target), *o = contents(other);
    assert_string_equal(t, "flask\n");
    assert_string_equal(o, "FROM python\n");
    free(t);
    free(o);
    da_patch_set_free(&ps);
    free(other);
    free(link);
    free(target);
}

static void test_hard_link_and_changed_file_refused(void **state)
{
    (void)state;
    char *p = make_file("req-a.txt", "flask\n", 0644);
    char *twin = da_xasprintf("%s/req-b.txt", dir);
    unlink(twin);
    assert_int_equal(link(p, twin), 0);
    const char *b[] = {"flask\n"}, *a[] = {"flask\nyaml\n"};
    da_patch_set ps;
    patch(&ps, &p, b, a, 1);
    da_error e;
    da_error_clear(&e);
    assert_int_equal(da_patch_set_write(&ps, &e), -1);
    assert_non_null(strstr(e.message, "hard links"));
    unlink(twin);
    /* edited between the read and the write: refused, the edit kept */
    char *edited = make_file("req-a.txt", "flask\ndjango\n", 0644);
    da_error_clear(&e);
    assert_int_equal(da_patch_set_write(&ps, &e), -1);
    assert_non_null(strstr(e.message, "changed since"));
    char *now = contents(edited);
    assert_string_equal(now, "flask\ndjango\n");
    free(now);
    free(edited);
    da_patch_set_free(&ps);
    free(twin);
    free(p);
}

enum { NFILES = 3, FILE_BYTES = 256 << 10 };

/* Version v (0 or 1) of file i: distinct bytes throughout, so a mix is detected. */
static char *version_text(int i, int v)
{
    char *s = da_xcalloc(FILE_BYTES + 1, 1);
    for (size_t k = 0; k < FILE_BYTES; k++)
        s[k] = (char)('a' + (int)((k * 7 + (size_t)i * 3 + (size_t)v * 11) % 26));
    s[FILE_BYTES - 1] = '\n';
    return s;
}

/* The child: flips every file between its two versions, forever, by --fix's writer. */
static void flip_forever(char **paths, char *(*ver)[2])
{
    for (;;) {
        const char *b[NFILES], *a[NFILES];
        char *now[NFILES];
        for (int i = 0; i < NFILES; i++) {
            now[i] = contents(paths[i]);
            bool is_old = now[i] && strcmp(now[i], ver[i][0]) == 0;
            b[i] = now[i] ? now[i] : "";
            a[i] = ver[i][is_old ? 1 : 0];
        }
        da_patch_set ps;
        patch(&ps, paths, b, a, NFILES);
        da_patch_set_write(&ps, NULL);
        da_patch_set_free(&ps);
        for (int i = 0; i < NFILES; i++)
            free(now[i]);
    }
}

static void test_kill_leaves_old_or_new(void **state)
{
    (void)state;
    char *paths[NFILES];
    char *ver[NFILES][2];
    for (int i = 0; i < NFILES; i++) {
        ver[i][0] = version_text(i, 0);
        ver[i][1] = version_text(i, 1);
        char name[32];
        snprintf(name, sizeof(name), "kill-%d.txt", i);
        paths[i] = make_file(name, ver[i][0], 0644);
    }
    const char *seed_env = getenv("DA_KILL_SEED");
    unsigned seed = seed_env ? (unsigned)strtoul(seed_env, NULL, 10) : (unsigned)time(NULL);
    srand(seed);
    int mixed = 0, changed = 0;
    for (int round = 0; round < kill_rounds; round++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            flip_forever(paths, ver);
        usleep((useconds_t)(1000 + rand() % 300000)); /* fsync can be slow */
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        for (int i = 0; i < NFILES; i++) {
            char *now = contents(paths[i]);
            bool old = now && strcmp(now, ver[i][0]) == 0,
                 fixed = now && strcmp(now, ver[i][1]) == 0;
            if (!old && !fixed) {
                mixed++;
                print_error("round %d (seed %u): %s is neither old nor new\n", round, seed,
                            paths[i]);
            }
            changed += fixed;
            free(now);
        }
    }
    assert_int_equal(mixed, 0);
    assert_true(changed > 0); /* the writer did get to write between kills */
    for (int i = 0; i < NFILES; i++) {
        free(paths[i]);
        free(ver[i][0]);
        free(ver[i][1]);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1)
        kill_rounds = atoi(argv[1]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writes_and_keeps_mode_and_owner),
        cmocka_unit_test(test_symlink_refused_nothing_written),
        cmocka_unit_test(test_hard_link_and_changed_file_refused),
        cmocka_unit_test(test_kill_leaves_old_or_new),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
