#include "metadata/project_files.h"

#include "depaudit/pep.h"
#include "depaudit/wheel.h"

#include <stdlib.h>
#include <string.h>

char *da_version_key(const char *v)
{
    da_version *pv = da_version_parse(v, NULL);
    if (!pv)
        return da_xstrdup(v);
    char *s = da_version_to_string(pv);
    da_version_free(pv);
    return s;
}

char *da_version_of_filename(const char *filename)
{
    if (da_str_ends_with(filename, ".whl")) {
        da_wheel_name w;
        if (da_wheel_name_parse(filename, &w, NULL) != 0)
            return NULL;
        char *v = da_version_key(w.version);
        da_wheel_name_free(&w);
        return v;
    }
    if (da_is_sdist_filename(filename)) {
        char *name = NULL, *version = NULL;
        if (da_sdist_name_parse(filename, &name, &version, NULL) != 0)
            return NULL;
        char *v = da_version_key(version);
        free(name);
        free(version);
        return v;
    }
    return NULL;
}

static da_project_version *find_or_add_version(da_project *p, const char *key)
{
    for (size_t i = 0; i < p->nversions; i++)
        if (strcmp(p->versions[i].version, key) == 0)
            return &p->versions[i];
    p->versions = da_xrealloc(p->versions, (p->nversions + 1) * sizeof(*p->versions));
    da_project_version *v = &p->versions[p->nversions++];
    memset(v, 0, sizeof(*v));
    v->version = da_xstrdup(key);
    return v;
}

int da_project_add_file(da_project *p, da_release_file *f)
{
    /* Only http(s) links are files we may fetch (no file:, javascript:, ...). */
    bool fetchable =
        f->url && (da_str_starts_with(f->url, "http://") || da_str_starts_with(f->url, "https://"));
    char *key = f->filename && fetchable ? da_version_of_filename(f->filename) : NULL;
    if (!key || !key[0]) {
        free(key);
        da_release_file_clear(f);
        return 0;
    }
    da_project_version *v = find_or_add_version(p, key);
    free(key);
    v->files = da_xrealloc(v->files, (v->nfiles + 1) * sizeof(*v->files));
    v->files[v->nfiles++] = *f;
    memset(f, 0, sizeof(*f));
    return 1;
}

void da_project_add_version(da_project *p, const char *version)
{
    char *key = da_version_key(version);
    if (key[0]) /* an empty entry names no version */
        find_or_add_version(p, key);
    free(key);
}

da_project *da_project_copy(const da_project *p)
{
    da_project *c = da_xcalloc(1, sizeof(*c));
    c->name = da_xstrdup_or_null(p->name);
    c->origin = da_xstrdup_or_null(p->origin);
    c->source = p->source;
    c->versions_complete = p->versions_complete;
    c->nversions = p->nversions;
    c->versions = da_xcalloc(p->nversions ? p->nversions : 1, sizeof(*c->versions));
    for (size_t i = 0; i < p->nversions; i++) {
        const da_project_version *v = &p->versions[i];
        da_project_version *cv = &c->versions[i];
        cv->version = da_xstrdup(v->version);
        cv->nfiles = v->nfiles;
        cv->files = da_xcalloc(v->nfiles ? v->nfiles : 1, sizeof(*cv->files));
        for (size_t j = 0; j < v->nfiles; j++) {
            const da_release_file *f = &v->files[j];
            da_release_file *cf = &cv->files[j];
            *cf = *f;
            cf->filename = da_xstrdup_or_null(f->filename);
            cf->url = da_xstrdup_or_null(f->url);
            cf->sha256 = da_xstrdup_or_null(f->sha256);
            cf->requires_python = da_xstrdup_or_null(f->requires_python);
            cf->upload_time = da_xstrdup_or_null(f->upload_time);
            cf->metadata_sha256 = da_xstrdup_or_null(f->metadata_sha256);
        }
    }
    return c;
}
