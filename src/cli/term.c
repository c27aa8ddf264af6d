#include "commands.h"

#include <stdlib.h>
#include <unistd.h>

bool cli_use_color(FILE *stream)
{
    if (getenv("NO_COLOR"))
        return false;
    return isatty(fileno(stream)) != 0;
}
