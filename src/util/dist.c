#include "depaudit/dist.h"

#include <stdlib.h>
#include <string.h>

const char *da_source_kind_name(da_source_kind k)
{
    switch (k) {
    case DA_SOURCE_SNAPSHOT:
        return "snapshot";
    case DA_SOURCE_CONFIG:
        return "config";
    case DA_SOURCE_CACHE:
        return "cache";
    case DA_SOURCE_INDEX:
        return "index";
    case DA_SOURCE_SITE_PACKAGES:
        return "site-packages";
    case DA_SOURCE_GUESS:
        return "guess";
    case DA_SOURCE_NONE:
        break;
    }
    return "none";
}

void da_release_free(da_release *r)
{
    if (!r)
        return;
    free(r->name);
    free(r->version);
    free(r->requires_python);
    da_strlist_free(&r->requires_dist);
    da_strlist_free(&r->provides_extra);
    da_strlist_free(&r->modules);
    da_strlist_free(&r->namespaces);
    da_strlist_free(&r->import_names);
    free(r->origin);
    free(r);
}

da_release *da_release_copy(const da_release *r)
{
    da_release *c = da_xcalloc(1, sizeof(*c));
    c->name = da_xstrdup_or_null(r->name);
    c->version = da_xstrdup_or_null(r->version);
    c->requires_python = da_xstrdup_or_null(r->requires_python);
    da_strlist_copy_into(&c->requires_dist, &r->requires_dist);
    c->requires_known = r->requires_known;
    c->requires_incomplete = r->requires_incomplete;
    da_strlist_copy_into(&c->provides_extra, &r->provides_extra);
    da_strlist_copy_into(&c->modules, &r->modules);
    da_strlist_copy_into(&c->namespaces, &r->namespaces);
    c->modules_known = r->modules_known;
    da_strlist_copy_into(&c->import_names, &r->import_names);
    c->source = r->source;
    c->origin = da_xstrdup_or_null(r->origin);
    return c;
}

void da_release_file_clear(da_release_file *f)
{
    free(f->filename);
    free(f->url);
    free(f->sha256);
    free(f->requires_python);
    free(f->upload_time);
    free(f->metadata_sha256);
    memset(f, 0, sizeof(*f));
}

void da_project_free(da_project *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nversions; i++) {
        da_project_version *v = &p->versions[i];
        for (size_t j = 0; j < v->nfiles; j++)
            da_release_file_clear(&v->files[j]);
        free(v->files);
        free(v->version);
    }
    free(p->versions);
    free(p->name);
    free(p->origin);
    free(p);
}
