/* Looking things up in an open snapshot: releases by distribution name, providers by
 * module (longest dotted prefix wins), and index names. All tables are sorted by the
 * generator (bytewise), so every lookup is a binary search. */
#include "snapshot_format.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *da_snapshot_normalize_name(const char *name)
{
    /* PEP 503: runs of "-", "_", "." become one "-", then lowercase (exactly what the
     * generator stored, so even invalid names compare the same way). */
    da_buf b = {0};
    for (const char *p = name; *p; p++) {
        if (*p == '-' || *p == '_' || *p == '.') {
            if (p == name || !strchr("-_.", p[-1]))
                da_buf_putc(&b, '-');
            continue;
        }
        da_buf_putc(&b, (char)tolower((unsigned char)*p));
    }
    return da_buf_take(&b);
}

const snap_project *snap_find_project(const da_snapshot *s, const char *normalized)
{
    size_t lo = 0, hi = s->nprojects;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(snap_str(s, s->projects[mid].name), normalized);
        if (c == 0)
            return &s->projects[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static const snap_project *find_project_any(const da_snapshot *s, const char *name)
{
    char *n = da_snapshot_normalize_name(name);
    const snap_project *p = snap_find_project(s, n);
    free(n);
    return p;
}

static void copy_list(const da_snapshot *s, snap_list_ref l, da_strlist *out)
{
    for (uint32_t i = 0; i < l.count; i++)
        da_strlist_push(out, snap_str(s, s->lists[l.first + i]));
}

da_release *snap_release_to_dist(const da_snapshot *s, const snap_release *r)
{
    da_release *d = da_xcalloc(1, sizeof(*d));
    d->name = da_xstrdup(snap_str(s, s->projects[r->project].name));
    d->version = da_xstrdup(snap_str(s, r->version));
    const char *rp = snap_str(s, r->requires_python);
    d->requires_python = *rp ? da_xstrdup(rp) : NULL;
    copy_list(s, r->requires, &d->requires_dist);
    d->requires_known = (r->flags & SNAP_REL_REQUIRES_KNOWN) != 0;
    d->requires_incomplete = (r->flags & SNAP_REL_REQUIRES_INCOMPLETE) != 0;
    copy_list(s, r->extras, &d->provides_extra);
    copy_list(s, r->modules, &d->modules);
    copy_list(s, r->namespaces, &d->namespaces);
    d->modules_known = (r->flags & SNAP_REL_MODULES_KNOWN) != 0;
    copy_list(s, r->import_names, &d->import_names);
    d->source = DA_SOURCE_SNAPSHOT;
    d->origin = da_xstrdup(snap_str(s, r->origin));
    return d;
}

da_release *da_snapshot_release(const da_snapshot *s, const char *name)
{
    const snap_project *p = find_project_any(s, name);
    if (!p || p->nreleases == 0)
        return NULL;
    /* The generator stores the best release first (modules-only rows last). */
    return snap_release_to_dist(s, &s->releases[p->first_release]);
}

static const char *trim_version(const char *v, size_t *len)
{
    while (isspace((unsigned char)*v))
        v++;
    size_t n = strlen(v);
    while (n && isspace((unsigned char)v[n - 1]))
        n--;
    *len = n;
    return v;
}

da_release *da_snapshot_release_version(const da_snapshot *s, const char *name, const char *version)
{
    const snap_project *p = find_project_any(s, name);
    if (!p)
        return NULL;
    size_t want_len;
    const char *want = trim_version(version, &want_len);
    for (uint32_t i = 0; i < p->nreleases; i++) {
        const snap_release *r = &s->releases[p->first_release + i];
        const char *v = snap_str(s, r->version);
        if (!(r->flags & SNAP_REL_MODULES_ONLY) && strlen(v) == want_len &&
            memcmp(v, want, want_len) == 0)
            return snap_release_to_dist(s, r);
    }
    return NULL;
}

int da_snapshot_versions(const da_snapshot *s, const char *name, da_strlist *versions)
{
    const snap_project *p = find_project_any(s, name);
    int n = 0;
    for (uint32_t i = 0; p && i < p->nreleases; i++) {
        const snap_release *r = &s->releases[p->first_release + i];
        const char *v = snap_str(s, r->version);
        if ((r->flags & SNAP_REL_MODULES_ONLY) || !*v || da_strlist_contains(versions, v))
            continue;
        da_strlist_push(versions, v);
        n++;
    }
    return n;
}

bool da_snapshot_versions_complete(const da_snapshot *s, const char *name)
{
    const snap_project *p = find_project_any(s, name);
    return p && p->nreleases > 0 && (p->flags & SNAP_PROJ_VERSIONS_COMPLETE) != 0;
}

/* First index of the module table whose name is >= key. */
static size_t module_lower_bound(const da_snapshot *s, const char *key, size_t key_len)
{
    size_t lo = 0, hi = s->nmodules;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *m = snap_str(s, s->modules[mid].module);
        int c = strncmp(m, key, key_len);
        if (c == 0 && m[key_len] != '\0')
            c = 1; /* m is longer than key: it sorts after */
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool module_equals(const da_snapshot *s, size_t i, const char *key, size_t key_len)
{
    const char *m = snap_str(s, s->modules[i].module);
    return strncmp(m, key, key_len) == 0 && m[key_len] == '\0';
}

/* Appends the providers of exactly `key` of the given kind; returns how many were new. */
static int collect(const da_snapshot *s, const char *key, size_t key_len, uint32_t kind,
                   da_snapshot_match **out, int *n, size_t *cap)
{
    int added = 0;
    for (size_t i = module_lower_bound(s, key, key_len);
         i < s->nmodules && module_equals(s, i, key, key_len); i++) {
        const snap_module *m = &s->modules[i];
        if (m->kind != kind)
            continue;
        const snap_release *r = &s->releases[m->release];
        const snap_project *p = &s->projects[r->project];
        const char *dist = snap_str(s, p->name);
        bool dup = false;
        for (int j = 0; j < *n && !dup; j++)
            dup = strcmp((*out)[j].dist, dist) == 0;
        if (dup)
            continue;
        da_snapshot_match mt = {
            .dist = da_xstrdup(dist),
            .version = da_xstrdup(snap_str(s, r->version)),
            .module = da_xstrndup(key, key_len),
            .namespace_only = kind == 1,
            .rank = (int)p->rank,
            .origin = da_xstrdup(snap_str(s, r->origin)),
        };
        size_t len = (size_t)*n;
        DA_PUSH(*out, len, *cap, mt);
        *n = (int)len;
        added++;
    }
    return added;
}

int da_snapshot_which_matches(const da_snapshot *s, const char *module, da_snapshot_match **out)
{
    *out = NULL;
    int n = 0;
    size_t cap = 0, len = strlen(module);
    /* Longest dotted prefix first: "a.b.c", then "a.b", then "a". */
    for (uint32_t kind = 0; kind <= 1 && n == 0; kind++) {
        size_t end = len;
        while (end > 0 && n == 0) {
            collect(s, module, end, kind, out, &n, &cap);
            while (end > 0 && module[end - 1] != '.')
                end--;
            if (end > 0)
                end--; /* drop the dot */
        }
    }
    return n;
}

void da_snapshot_matches_free(da_snapshot_match *m, int n)
{
    for (int i = 0; i < n; i++) {
        free(m[i].dist);
        free(m[i].version);
        free(m[i].module);
        free(m[i].origin);
    }
    free(m);
}

int da_snapshot_which(const da_snapshot *s, const char *module, da_strlist *dists)
{
    da_snapshot_match *m;
    int n = da_snapshot_which_matches(s, module, &m), added = 0;
    for (int i = 0; i < n; i++)
        if (!da_strlist_contains(dists, m[i].dist)) {
            da_strlist_push(dists, m[i].dist);
            added++;
        }
    da_snapshot_matches_free(m, n);
    return added;
}
