/* Standard-library membership per Python version, from the generated table. */
#include "stdlib_table.h"

#include "depaudit/imports.h"

#include <string.h>

static const struct da_stdlib_entry *find(const char *name, size_t len)
{
    unsigned lo = 0, hi = da_stdlib_entry_count;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        const char *e = da_stdlib_entries[mid].name;
        int c = strncmp(e, name, len);
        if (c == 0 && e[len] != '\0')
            c = 1; /* e is longer: it sorts after the prefix */
        if (c == 0)
            return &da_stdlib_entries[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

bool da_stdlib_contains(int py_major, int py_minor, const char *module)
{
    if (!module || !*module)
        return false;
    /* Outside 3.8-3.14 the nearest covered version answers. */
    int minor = py_major < 3 ? 8 : py_major > 3 ? 14 : py_minor;
    if (minor < 8)
        minor = 8;
    if (minor > 14)
        minor = 14;
    /* The longest listed prefix decides: "asyncio.taskgroups" has its own range,
     * "asyncio.events" lives as long as "asyncio". */
    size_t len = strlen(module);
    for (;;) {
        const struct da_stdlib_entry *e = find(module, len);
        if (e)
            return e->min <= minor && minor <= e->max;
        const char *dot = memrchr(module, '.', len);
        if (!dot)
            return false;
        len = (size_t)(dot - module);
    }
}
