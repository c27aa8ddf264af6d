/* Reading files whole, by one rule: regular files only (a device, a FIFO or a socket is
 * never opened for reading, so /dev/zero or a pipe cannot make a read last forever), at
 * most a given size, and for a repository's files, only where a root directory allows:
 * the path is resolved with its links (realpath) and must end inside the root's own
 * resolved path, so `req.txt -> /proc/self/environ` or a directory `etc -> /etc` are
 * refused before anything is read. The file opened is checked to be the one resolved. */
#include "depaudit/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool da_path_within(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (n == 1 && dir[0] == '/')
        return path[0] == '/';
    return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

const char *da_file_kind(unsigned mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG:
        return "a regular file";
    case S_IFDIR:
        return "a directory";
    case S_IFCHR:
        return "a character device";
    case S_IFBLK:
        return "a block device";
    case S_IFIFO:
        return "a FIFO";
    case S_IFSOCK:
        return "a socket";
    case S_IFLNK:
        return "a symbolic link";
    default:
        return "not a regular file";
    }
}

void da_size_text(size_t n, char *out, size_t out_size)
{
    if (n >= ((size_t)1 << 20) && n % ((size_t)1 << 20) == 0)
        snprintf(out, out_size, "%zu MiB", n >> 20);
    else if (n >= 1024 && n % 1024 == 0)
        snprintf(out, out_size, "%zu KiB", n >> 10);
    else
        snprintf(out, out_size, "%zu bytes", n);
}

/* The resolved path of an open descriptor, from /proc (false when /proc is not there). */
static bool fd_path(int fd, char *out, size_t out_size)
{
    char link[64];
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, out, out_size - 1);
    if (n <= 0 || (size_t)n >= out_size - 1)
        return false;
    out[n] = '\0';
    return true;
}

/* The path to open: path itself, or (with a root) its resolved form once it is known to
 * lie inside the root. */
static int resolve_under(const char *root, const char *path, char *real, char *real_root,
                         da_error *err)
{
    if (!realpath(root, real_root))
        return da_error_set(err, path, 0, 0, "cannot resolve the directory %s: %s", root,
                            strerror(errno));
    if (!realpath(path, real)) {
        int e = errno;
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
            return da_error_set(err, path, 0, 0, "a symbolic link that leads nowhere (%s)",
                                strerror(e));
        return da_error_set(err, path, 0, 0, "cannot open: %s", strerror(e));
    }
    if (!da_path_within(real, real_root))
        return da_error_set(err, path, 0, 0,
                            "leads outside %s (to %s, through a symbolic link): not read", root,
                            real);
    return 0;
}

static int open_regular(const char *shown, const char *open_path, bool nofollow,
                        const struct stat *want, int *fd, da_error *err)
{
    int flags = O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0);
    *fd = open(open_path, flags);
    if (*fd < 0)
        return da_error_set(err, shown, 0, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_dev != want->st_dev ||
        st.st_ino != want->st_ino) {
        close(*fd);
        *fd = -1;
        return da_error_set(err, shown, 0, 0, "changed while it was opened: not read");
    }
    return 0;
}

static int read_all(const char *shown, int fd, size_t max, da_buf *b, da_error *err)
{
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return da_error_set(err, shown, 0, 0, "cannot read: %s", strerror(errno));
        if (n == 0)
            return 0;
        if (b->len + (size_t)n > max) {
            char lim[64];
            da_size_text(max, lim, sizeof(lim));
            return da_error_set(err, shown, 0, 0,
                                "larger than %s (it grew while it was read): not read", lim);
        }
        da_buf_append(b, chunk, (size_t)n);
    }
}

int da_read_file_under(const char *root, const char *path, size_t max, char **data, size_t *len,
                       da_error *err)
{
    *data = NULL;
    *len = 0;
    if (max == 0)
        max = DA_READ_FILE_MAX;
    char real[PATH_MAX], real_root[PATH_MAX];
    if (root && resolve_under(root, path, real, real_root, err) != 0)
        return -1;
    const char *open_path = root ? real : path;
    struct stat st;
    if (stat(open_path, &st) != 0)
        return da_error_set(err, path, 0, 0, "cannot open: %s", strerror(errno));
    if (!S_ISREG(st.st_mode))
        return da_error_set(err, path, 0, 0, "%s, not a regular file: not read",
                            da_file_kind((unsigned)st.st_mode));
    if ((unsigned long long)st.st_size > max) {
        char lim[64];
        da_size_text(max, lim, sizeof(lim));
        return da_error_set(err, path, 0, 0, "larger than %s (%lld bytes): not read", lim,
                            (long long)st.st_size);
    }
    int fd;
    if (open_regular(path, open_path, root != NULL, &st, &fd, err) != 0)
        return -1;
    char opened[PATH_MAX];
    if (root && fd_path(fd, opened, sizeof(opened)) && !da_path_within(opened, real_root)) {
        close(fd);
        return da_error_set(err, path, 0, 0,
                            "leads outside %s (changed while it was opened): "
                            "not read",
                            root);
    }
    da_buf b = {0};
    int rc = read_all(path, fd, max, &b, err);
    close(fd);
    if (rc != 0) {
        da_buf_free(&b);
        return -1;
    }
    *len = b.len;
    *data = da_buf_take(&b);
    return 0;
}

int da_read_file(const char *path, char **data, size_t *len, da_error *err)
{
    return da_read_file_under(NULL, path, DA_READ_FILE_MAX, data, len, err);
}
