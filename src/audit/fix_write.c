/* Writing fixes back (--fix) so that no byte is ever lost: every file is checked before
 * anything is written (a regular file, not a symbolic link nor one with other hard links,
 * and still holding exactly what was read), every new content is staged whole in a
 * temporary file next to its target (same owner, same mode, fsync'd), and only then are
 * the targets replaced, each by one rename. A kill at any moment leaves each file either
 * as it was or as fixed, never cut; a rename that fails puts back those already done. */
#include "audit_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct staged {
    char *tmp; /* the new content, ready to be renamed over the target */
    struct stat st;
} staged;

/* Whether path may be replaced: a regular file (through no link), one name for its inode,
 * holding `before` still. Fills *st. */
static int check_target(const da_patched_file *f, struct stat *st, da_error *err)
{
    if (lstat(f->path, st) != 0)
        return da_error_set(err, f->path, 0, 0, "cannot fix: %s", strerror(errno));
    if (S_ISLNK(st->st_mode)) {
        char real[PATH_MAX];
        return da_error_set(err, f->path, 0, 0,
                            "a symbolic link (to %s): --fix does not write through links; "
                            "fix the file it leads to: not written",
                            realpath(f->path, real) ? real : "nothing");
    }
    if (!S_ISREG(st->st_mode))
        return da_error_set(err, f->path, 0, 0, "%s, not a regular file: not written",
                            da_file_kind((unsigned)st->st_mode));
    if (st->st_nlink > 1)
        return da_error_set(err, f->path, 0, 0,
                            "has %ju hard links: replacing it would part them; not written",
                            (uintmax_t)st->st_nlink);
    char *now = NULL;
    size_t len = 0;
    if (da_read_file_under(NULL, f->path, 0, &now, &len, err) != 0)
        return -1;
    bool same = len == f->before_len && memcmp(now, f->before, len) == 0;
    free(now);
    if (!same)
        return da_error_set(err, f->path, 0, 0,
                            "changed since depaudit read it: not written (run again)");
    return 0;
}

static int write_all(int fd, const char *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        off += (size_t)w;
    }
    return 0;
}

/* "dir/.name.depaudit-XXXXXX": hidden, in the target's directory (rename stays atomic). */
static char *temp_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return da_xasprintf(".%s.depaudit-XXXXXX", path);
    return da_xasprintf("%.*s/.%s.depaudit-XXXXXX", (int)(slash - path), path, slash + 1);
}

/* The new content in a temporary file with the target's owner and mode, on disk. */
static int stage_file(const char *path, const char *data, size_t len, const struct stat *st,
                      char **tmp_out, da_error *err)
{
    char *tmp = temp_name(path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return da_error_set(err, path, 0, 0, "cannot write a temporary file next to it: %s",
                            strerror(e));
    }
    const char *what = NULL;
    if (fchown(fd, st->st_uid, st->st_gid) != 0 && (st->st_uid != geteuid() || errno != EPERM))
        what = "cannot keep its owner";
    else if (fchmod(fd, st->st_mode & 07777) != 0)
        what = "cannot keep its mode";
    else if (write_all(fd, data, len) != 0)
        what = "cannot write";
    else if (fsync(fd) != 0)
        what = "cannot flush to disk";
    int e = errno;
    if (close(fd) != 0 && !what) {
        e = errno;
        what = "cannot write";
    }
    if (what) {
        unlink(tmp);
        free(tmp);
        return da_error_set(err, path, 0, 0, "%s: %s; not written", what, strerror(e));
    }
    *tmp_out = tmp;
    return 0;
}

static void sync_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? da_xstrndup(path, (size_t)(slash - path) + (slash == path)) : NULL;
    int fd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

/* Puts the first n files of p back as they were (after a rename failed). */
static void roll_back(const da_patch_set *p, const staged *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *tmp = NULL;
        if (stage_file(p->files[i].path, p->files[i].before, p->files[i].before_len, &s[i].st, &tmp,
                       NULL) == 0) {
            if (rename(tmp, p->files[i].path) != 0)
                unlink(tmp);
            free(tmp);
        }
    }
}

static void discard(staged *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i].tmp)
            unlink(s[i].tmp);
        free(s[i].tmp);
    }
    free(s);
}

int da_patch_set_write(const da_patch_set *p, da_error *err)
{
    staged *s = da_xcalloc(p->len ? p->len : 1, sizeof(*s));
    for (size_t i = 0; i < p->len; i++)
        if (check_target(&p->files[i], &s[i].st, err) != 0) {
            discard(s, p->len);
            return -1;
        }
    for (size_t i = 0; i < p->len; i++)
        if (stage_file(p->files[i].path, p->files[i].after, p->files[i].after_len, &s[i].st,
                       &s[i].tmp, err) != 0) {
            discard(s, p->len);
            return -1;
        }
    for (size_t i = 0; i < p->len; i++) {
        struct stat now;
        /* the same file still: not replaced, moved or edited while the others were staged */
        bool same = lstat(p->files[i].path, &now) == 0 && now.st_ino == s[i].st.st_ino &&
                    now.st_dev == s[i].st.st_dev && now.st_size == s[i].st.st_size &&
                    now.st_mtim.tv_sec == s[i].st.st_mtim.tv_sec &&
                    now.st_mtim.tv_nsec == s[i].st.st_mtim.tv_nsec;
        if (!same || rename(s[i].tmp, p->files[i].path) != 0) {
            int e = errno;
            roll_back(p, s, i);
            discard(s, p->len);
            if (!same)
                return da_error_set(err, p->files[i].path, 0, 0,
                                    "changed while the fix was written: no file written");
            return da_error_set(err, p->files[i].path, 0, 0,
                                "cannot replace it: %s; no file written", strerror(e));
        }
        free(s[i].tmp);
        s[i].tmp = NULL;
        sync_dir_of(p->files[i].path);
    }
    discard(s, p->len);
    return 0;
}
