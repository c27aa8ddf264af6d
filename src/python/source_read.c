/* Reading a source file into a buffer reused from file to file, refusing a file above a
 * size limit before reading it (a generated 200 MB module must not cost gigabytes). */
#include "python_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Above this, the buffer is given back after use rather than kept for the next file. */
enum { KEEP_BYTES = 4 << 20, FIRST_READ = 64 << 10 };

static char *too_large(size_t size, size_t max)
{
    char limit[32]; /* worded as every other file the read rule refuses */
    da_size_text(max, limit, sizeof(limit));
    return da_xasprintf("larger than %s (%zu bytes): not read", limit, size);
}

/* Reads on from *n until a short read (the end of a regular file), growing the buffer. */
static int read_rest(int fd, size_t max, da_source_buf *b, size_t *n, size_t want, char **message)
{
    for (;;) {
        da_grow((void **)&b->data, &b->cap, *n + want + 1, 1);
        ssize_t r = read(fd, b->data + *n, want);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            *message = errno == EISDIR ? da_xstrdup("is a directory, expected a file")
                                       : da_xasprintf("cannot read: %s", strerror(errno));
            return -1;
        }
        *n += (size_t)r;
        if (*n > max) {
            *message = too_large(*n, max);
            return -1;
        }
        if ((size_t)r < want)
            return 0;
        want = *n;
    }
}

int da_py_read_source(const char *path, size_t max, da_source_buf *b, size_t *len, char **message)
{
    *len = 0;
    *message = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *message = da_xasprintf("cannot open: %s", strerror(errno));
        return -1;
    }
    /* Most source files fit the buffer (64 KiB at least), and a short read of a regular file
     * is its end: they cost an open, one read and a close. A file that fills the buffer is
     * measured first, so one above the limit is refused before it is read. */
    if (b->cap < FIRST_READ + 1)
        da_grow((void **)&b->data, &b->cap, FIRST_READ + 1, 1);
    size_t want = b->cap - 1 < max + 1 ? b->cap - 1 : max + 1;
    ssize_t r;
    do
        r = read(fd, b->data, want);
    while (r < 0 && errno == EINTR);
    int rc = 0;
    size_t n = r > 0 ? (size_t)r : 0;
    struct stat st;
    if (r < 0) {
        *message = errno == EISDIR ? da_xstrdup("is a directory, expected a file")
                                   : da_xasprintf("cannot read: %s", strerror(errno));
        rc = -1;
    } else if (n > max) { /* the message names the file's size, not what was read */
        *message = too_large(fstat(fd, &st) == 0 ? (size_t)st.st_size : n, max);
        rc = -1;
    } else if (n == want && fstat(fd, &st) != 0) {
        *message = da_xasprintf("cannot read: %s", strerror(errno));
        rc = -1;
    } else if (n == want && st.st_size > 0 && (size_t)st.st_size > max) {
        *message = too_large((size_t)st.st_size, max);
        rc = -1;
    } else if (n == want) {
        size_t rest = st.st_size > 0 && (size_t)st.st_size >= n ? (size_t)st.st_size - n + 1 : 4096;
        rc = read_rest(fd, max, b, &n, rest, message);
    }
    close(fd);
    if (rc < 0)
        return -1;
    b->data[n] = '\0';
    *len = n;
    return 0;
}

void da_py_source_buf_release(da_source_buf *b, bool keep_small)
{
    if (keep_small && b->cap <= KEEP_BYTES)
        return;
    free(b->data);
    b->data = NULL;
    b->cap = 0;
}
