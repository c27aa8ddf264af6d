/* Which records are standard library, first-party or third-party. */
#include "python_internal.h"

#include <stdlib.h>
#include <string.h>

static int compare_name(const void *key, const void *item)
{
    return strcmp(key, *(char *const *)item);
}

/* Whether a name is in the list: by binary search when it is sorted, as the walk leaves the
 * set's list (one record after another would otherwise compare against every name). */
static bool listed(const da_strlist *l, bool sorted, const char *name)
{
    if (sorted)
        return bsearch(name, l->items, l->len, sizeof(char *), compare_name) != NULL;
    return da_strlist_contains(l, name);
}

static bool is_sorted(const da_strlist *l)
{
    for (size_t i = 1; i < l->len; i++)
        if (strcmp(l->items[i - 1], l->items[i]) > 0)
            return false;
    return true;
}

void da_py_classify(da_import *items, size_t n, const da_strlist *first_party, bool sorted,
                    int py_major, int py_minor, const da_strlist *extra_first_party)
{
    if (py_major == 0 && py_minor == 0) {
        py_major = DA_DEFAULT_PY_MAJOR;
        py_minor = DA_DEFAULT_PY_MINOR;
    }
    for (size_t i = 0; i < n; i++) {
        da_import *im = &items[i];
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
        if (listed(first_party, sorted, top) ||
            (extra_first_party && da_strlist_contains(extra_first_party, top)))
            im->klass = DA_CLASS_FIRST_PARTY;
        else if (da_stdlib_contains(py_major, py_minor, im->module))
            im->klass = DA_CLASS_STDLIB;
        else
            im->klass = DA_CLASS_THIRD_PARTY;
        free(top);
    }
}

void da_imports_classify(da_import_set *s, int py_major, int py_minor,
                         const da_strlist *extra_first_party)
{
    da_py_classify(s->items, s->len, &s->first_party, is_sorted(&s->first_party), py_major,
                   py_minor, extra_first_party);
}
