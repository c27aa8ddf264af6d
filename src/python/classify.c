/* Which records are standard library, first-party or third-party. */
#include "python_internal.h"

#include <stdlib.h>
#include <string.h>

static bool first_party_top(const da_import_set *s, const da_strlist *extra, const char *top)
{
    return da_strlist_contains(&s->first_party, top) || (extra && da_strlist_contains(extra, top));
}

void da_imports_classify(da_import_set *s, int py_major, int py_minor,
                         const da_strlist *extra_first_party)
{
    if (py_major == 0 && py_minor == 0) {
        py_major = DA_DEFAULT_PY_MAJOR;
        py_minor = DA_DEFAULT_PY_MINOR;
    }
    for (size_t i = 0; i < s->len; i++) {
        da_import *im = &s->items[i];
        if (im->kind == DA_IMPORT_KIND_FUTURE) {
            im->klass = DA_CLASS_FUTURE;
            continue;
        }
        if (im->level > 0) {
            im->klass = DA_CLASS_RELATIVE;
            continue;
        }
        const char *dot = strchr(im->module, '.');
        size_t toplen = dot ? (size_t)(dot - im->module) : strlen(im->module);
        char *top = da_xstrndup(im->module, toplen);
        /* A project module shadows a stdlib one of the same name, as sys.path does when the
         * project directory comes first (the script's directory always does). */
        if (first_party_top(s, extra_first_party, top))
            im->klass = DA_CLASS_FIRST_PARTY;
        else if (da_stdlib_contains(py_major, py_minor, im->module))
            im->klass = DA_CLASS_STDLIB;
        else
            im->klass = DA_CLASS_THIRD_PARTY;
        free(top);
    }
}
