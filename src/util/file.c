#include "depaudit/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int da_read_file(const char *path, char **data, size_t *len, da_error *err)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return da_error_set(err, path, 0, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        return da_error_set(err, path, 0, 0, "is a directory, expected a file");
    }
    da_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        da_buf_append(&b, chunk, n);
    int failed = ferror(f);
    int saved = errno;
    fclose(f);
    if (failed) {
        da_buf_free(&b);
        return da_error_set(err, path, 0, 0, "cannot read: %s", strerror(saved));
    }
    *len = b.len;
    *data = da_buf_take(&b);
    return 0;
}
