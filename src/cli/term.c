#include "commands.h"

#include "depaudit/util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

bool cli_use_color(FILE *stream)
{
    if (getenv("NO_COLOR"))
        return false;
    return isatty(fileno(stream)) != 0;
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("depaudit: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return DA_EXIT_USAGE;
}
