/* Ownership of import records and sets, and the names of the enums. */
#include "python_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void da_import_free(da_import *im)
{
    free(im->root);
    free(im->file);
    free(im->module);
    free(im->condition);
    free(im->via);
    da_strlist_free(&im->names);
    da_strlist_free(&im->ignore_codes);
    memset(im, 0, sizeof(*im));
}

void da_import_set_free(da_import_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->len; i++)
        da_import_free(&s->items[i]);
    free(s->items);
    for (size_t i = 0; i < s->nerrors; i++) {
        free(s->errors[i].root);
        free(s->errors[i].file);
        free(s->errors[i].message);
    }
    free(s->errors);
    da_strlist_free(&s->first_party);
    memset(s, 0, sizeof(*s));
}

void da_import_set_add_error(da_import_set *s, const char *root, const char *file, int line,
                             const char *fmt, ...)
{
    da_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    da_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    da_import_error e = {.root = da_xstrdup(root ? root : ""),
                         .file = da_xstrdup(file ? file : ""),
                         .line = line,
                         .message = da_buf_take(&b)};
    DA_PUSH(s->errors, s->nerrors, s->errcap, e);
}

void da_import_set_move(da_import_set *dst, da_import_set *src)
{
    int offset = dst->next_group;
    da_grow((void **)&dst->items, &dst->cap, dst->len + src->len, sizeof(*dst->items));
    for (size_t i = 0; i < src->len; i++) {
        da_import *im = &src->items[i];
        if (im->alternative_group > 0)
            im->alternative_group += offset;
        dst->items[dst->len++] = *im;
    }
    dst->next_group += src->next_group;
    da_grow((void **)&dst->errors, &dst->errcap, dst->nerrors + src->nerrors, sizeof(*dst->errors));
    for (size_t i = 0; i < src->nerrors; i++)
        dst->errors[dst->nerrors++] = src->errors[i];
    dst->files += src->files;
    dst->fast_parsed += src->fast_parsed;
    dst->dynamic_unresolved += src->dynamic_unresolved;
    free(src->items);
    free(src->errors);
    src->items = NULL;
    src->errors = NULL;
    src->len = src->cap = src->nerrors = src->errcap = 0;
    src->files = src->fast_parsed = src->dynamic_unresolved = 0;
    src->next_group = 0;
}

void da_import_options_init(da_import_options *o)
{
    memset(o, 0, sizeof(*o));
    o->py_major = DA_DEFAULT_PY_MAJOR;
    o->py_minor = DA_DEFAULT_PY_MINOR;
    o->threads = 2;
}

void da_import_options_free(da_import_options *o)
{
    da_strlist_free(&o->excludes);
    da_strlist_free(&o->extra_first_party);
}

const char *da_import_kind_name(da_import_kind k)
{
    switch (k) {
    case DA_IMPORT_KIND_IMPORT:
        return "import";
    case DA_IMPORT_KIND_FROM:
        return "from";
    case DA_IMPORT_KIND_FUTURE:
        return "future";
    case DA_IMPORT_KIND_DYNAMIC:
        return "dynamic";
    case DA_IMPORT_KIND_STRING:
        return "string";
    case DA_IMPORT_KIND_USAGE:
        return "usage";
    }
    return "?";
}

const char *da_import_scope_name(da_import_scope s)
{
    switch (s) {
    case DA_SCOPE_MODULE:
        return "module";
    case DA_SCOPE_CLASS:
        return "class";
    case DA_SCOPE_FUNCTION:
        return "function";
    }
    return "?";
}

const char *da_import_guard_name(da_import_guard g)
{
    switch (g) {
    case DA_GUARD_NONE:
        return "none";
    case DA_GUARD_IMPORT_ERROR:
        return "import-error";
    case DA_GUARD_TYPE_CHECKING:
        return "type-checking";
    case DA_GUARD_VERSION:
        return "version";
    case DA_GUARD_PLATFORM:
        return "platform";
    case DA_GUARD_MAIN:
        return "main";
    }
    return "?";
}

const char *da_import_class_name(da_import_class c)
{
    switch (c) {
    case DA_CLASS_STDLIB:
        return "stdlib";
    case DA_CLASS_FIRST_PARTY:
        return "first-party";
    case DA_CLASS_THIRD_PARTY:
        return "third-party";
    case DA_CLASS_FUTURE:
        return "future";
    case DA_CLASS_RELATIVE:
        return "relative";
    }
    return "?";
}
