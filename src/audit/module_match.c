/* Matching an import, at full dotted depth, against what the image's distributions ship.
 * A module entry provides itself and everything below it; a namespace entry provides only
 * the namespace, so `opentelemetry-api` (namespace "opentelemetry", modules
 * "opentelemetry.trace", ...) does not provide "opentelemetry.exporter.otlp". */
#include "audit_internal.h"

#include <stdlib.h>
#include <string.h>

/* module == entry, or module starts with entry + "." */
static bool dotted_within(const char *module, const char *entry)
{
    size_t n = strlen(entry);
    return n > 0 && strncmp(module, entry, n) == 0 && (module[n] == '\0' || module[n] == '.');
}

audit_provision audit_release_provides(const da_release *r, const char *module)
{
    if (!r)
        return AUDIT_MISSING;
    for (size_t i = 0; i < r->modules.len; i++)
        if (dotted_within(module, r->modules.items[i]))
            return AUDIT_PROVIDED;
    for (size_t i = 0; i < r->namespaces.len; i++)
        if (strcmp(module, r->namespaces.items[i]) == 0)
            return AUDIT_NAMESPACE_ONLY;
    /* A directory that holds provided modules is importable even when the source did
     * not list it as a namespace. */
    for (size_t i = 0; i < r->modules.len; i++)
        if (dotted_within(r->modules.items[i], module))
            return AUDIT_NAMESPACE_ONLY;
    return AUDIT_MISSING;
}

const audit_dist *audit_image_find(const audit_image *img, const char *name)
{
    char *norm = audit_normalize(name);
    const audit_dist *found = NULL;
    for (size_t i = 0; i < img->len && !found; i++)
        if (strcmp(img->dists[i].name, norm) == 0)
            found = &img->dists[i];
    free(norm);
    return found;
}

static bool modules_known(const audit_dist *d)
{
    return d->release && d->release->modules_known;
}

/* Configuration mappings "module=dist" whose module covers `module`. */
static const audit_dist *by_config(const audit_image *img, const char *module)
{
    if (!img->mappings)
        return NULL;
    for (size_t i = 0; i < img->mappings->len; i++) {
        const char *m = img->mappings->items[i];
        const char *eq = strchr(m, '=');
        if (!eq)
            continue;
        char *mod = da_xstrndup(m, (size_t)(eq - m));
        bool hit = dotted_within(module, mod);
        free(mod);
        if (hit) {
            const audit_dist *d = audit_image_find(img, eq + 1);
            if (d)
                return d;
        }
    }
    return NULL;
}

/* For distributions whose file list is unknown: the look-up's module table (another
 * version's files), then the name's conventions ("redis" is redis, "yaml" pyyaml, "jose"
 * python-jose). Both are guesses, counted as such; weaker name evidence is DA012's. */
static const audit_dist *by_lookup(const audit_image *img, const char *module)
{
    bool any_unknown = false;
    for (size_t i = 0; i < img->len; i++)
        if (!modules_known(&img->dists[i]))
            any_unknown = true;
    if (!any_unknown)
        return NULL;
    const audit_dist *found = NULL;
    if (img->lookup && img->lookup->which) {
        da_strlist dists = {0};
        img->lookup->which(img->lookup->ctx, module, &dists);
        for (size_t i = 0; i < dists.len && !found; i++) {
            const audit_dist *d = audit_image_find(img, dists.items[i]);
            if (d && !modules_known(d))
                found = d;
        }
        da_strlist_free(&dists);
    }
    if (found)
        return found;
    int best = 0;
    for (size_t i = 0; i < img->len; i++) {
        const audit_dist *d = &img->dists[i];
        if (modules_known(d))
            continue;
        int e = audit_name_evidence(module, d->name);
        if (e >= AUDIT_EVIDENCE_PROVIDES && e > best) {
            best = e;
            found = d;
        }
    }
    return found;
}

audit_provision audit_image_provides(const audit_image *img, const char *module,
                                     const audit_dist **by, bool *guess)
{
    bool ns = false;
    if (by)
        *by = NULL;
    if (guess)
        *guess = false;
    for (size_t i = 0; i < img->len; i++) {
        const audit_dist *d = &img->dists[i];
        if (!modules_known(d))
            continue;
        audit_provision p = audit_release_provides(d->release, module);
        if (p == AUDIT_PROVIDED) {
            if (by)
                *by = d;
            return AUDIT_PROVIDED;
        }
        if (p == AUDIT_NAMESPACE_ONLY)
            ns = true;
    }
    const audit_dist *d = by_config(img, module);
    if (d) {
        if (by)
            *by = d;
        return AUDIT_PROVIDED;
    }
    d = by_lookup(img, module);
    if (d) {
        if (by)
            *by = d;
        if (guess)
            *guess = true;
        return AUDIT_PROVIDED;
    }
    return ns ? AUDIT_NAMESPACE_ONLY : AUDIT_MISSING;
}

char *audit_first_missing(const audit_image *img, const char *module)
{
    for (const char *p = module;; p++) {
        if (*p != '.' && *p != '\0')
            continue;
        char *prefix = da_xstrndup(module, (size_t)(p - module));
        audit_provision v = audit_image_provides(img, prefix, NULL, NULL);
        if (v == AUDIT_PROVIDED) {
            free(prefix);
            return NULL;
        }
        if (v == AUDIT_MISSING)
            return prefix;
        free(prefix);
        if (*p == '\0')
            return NULL; /* the whole name is an importable namespace */
    }
}
