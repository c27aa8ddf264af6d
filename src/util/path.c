/* Path text helpers: pure string work on '/'-separated paths, no file system access. */
#include "depaudit/util.h"

#include <string.h>

const char *da_path_base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}
