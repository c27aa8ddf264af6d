#include "resolver.h"

#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
    return s ? da_xstrdup(s) : NULL;
}

static void copy_list(da_strlist *dst, const da_strlist *src)
{
    for (size_t i = 0; i < src->len; i++)
        da_strlist_push(dst, src->items[i]);
}

da_release *rs_release_copy(const da_release *r)
{
    da_release *c = da_xcalloc(1, sizeof(*c));
    c->name = dup_or_null(r->name);
    c->version = dup_or_null(r->version);
    c->requires_python = dup_or_null(r->requires_python);
    copy_list(&c->requires_dist, &r->requires_dist);
    c->requires_known = r->requires_known;
    c->requires_incomplete = r->requires_incomplete;
    copy_list(&c->provides_extra, &r->provides_extra);
    copy_list(&c->modules, &r->modules);
    copy_list(&c->namespaces, &r->namespaces);
    c->modules_known = r->modules_known;
    copy_list(&c->import_names, &r->import_names);
    c->source = r->source;
    c->origin = dup_or_null(r->origin);
    return c;
}
