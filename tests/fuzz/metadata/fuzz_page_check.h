/* Invariants every parsed project page must satisfy, shared by the page fuzz targets. */
#ifndef DEPAUDIT_FUZZ_PAGE_CHECK_H
#define DEPAUDIT_FUZZ_PAGE_CHECK_H

#include "depaudit/dist.h"

#include <stdlib.h>
#include <string.h>

static void check_project(const da_project *p)
{
    if (!p->name || !p->origin)
        abort();
    for (size_t i = 0; i < p->nversions; i++) {
        const da_project_version *v = &p->versions[i];
        if (!v->version || !v->version[0])
            abort();
        for (size_t j = 0; j < v->nfiles; j++) {
            const da_release_file *f = &v->files[j];
            /* A file always has a name without '/' and an absolute URL. */
            if (!f->filename || strchr(f->filename, '/') || !f->url ||
                strncmp(f->url, "http", 4) != 0)
                abort();
        }
    }
}

#endif
