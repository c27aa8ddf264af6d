#include "depaudit/util.h"

#include <stdio.h>
#include <string.h>

void da_error_clear(da_error *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
}

int da_error_set(da_error *err, const char *file, int line, int col, const char *fmt, ...)
{
    if (!err)
        return -1;
    snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
    err->line = line;
    err->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    return -1;
}

void da_error_format(const da_error *err, char *out, size_t out_size)
{
    if (err->file[0] && err->line > 0 && err->col > 0)
        snprintf(out, out_size, "%s:%d:%d: %s", err->file, err->line, err->col, err->message);
    else if (err->file[0] && err->line > 0)
        snprintf(out, out_size, "%s:%d: %s", err->file, err->line, err->message);
    else if (err->file[0])
        snprintf(out, out_size, "%s: %s", err->file, err->message);
    else
        snprintf(out, out_size, "%s", err->message);
}
