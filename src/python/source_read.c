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
enum { KEEP_BYTES = 4 << 20 };

static char *too_large(size_t size, size_t max)
{
    return da_xasprintf("not read: %zu bytes is above the limit of %zu bytes for one source "
                        "file",
                        size, max);
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
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        *message = S_ISDIR(st.st_mode) ? da_xstrdup("is a directory, expected a file")
                                       : da_xasprintf("cannot read: %s", strerror(errno));
        close(fd);
        return -1;
    }
    if (st.st_size > 0 && (size_t)st.st_size > max) {
        *message = too_large((size_t)st.st_size, max);
        close(fd);
        return -1;
    }
    /* One read of the size fstat gives, plus a byte: a shorter result is the end of the file
     * (no second read to see it); a file growing meanwhile is read on to its end. */
    size_t want = (size_t)(st.st_size > 0 ? st.st_size : 0) + 1;
    size_t n = 0;
    for (;;) {
        da_grow((void **)&b->data, &b->cap, n + want + 1, 1);
        ssize_t r = read(fd, b->data + n, want);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            *message = da_xasprintf("cannot read: %s", strerror(errno));
            close(fd);
            return -1;
        }
        n += (size_t)r;
        if (n > max) {
            *message = too_large(n, max);
            close(fd);
            return -1;
        }
        if ((size_t)r < want)
            break;
        want = n < 4096 ? 4096 : n;
    }
    close(fd);
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
