/* How often a distribution is a dependency of the distributions the snapshot knows: the
 * number of them whose requirements lead to it, directly or through others. The audit's
 * inference uses it to tell a common transitive dependency (typing-extensions, requests)
 * from a distribution that is rarely pulled in by anything (see src/audit/inference.c).
 *
 * Each distribution counts by its best release whose requirements are known; requirements
 * only an extra asks for, and those limited to Windows or macOS, do not count (a Linux
 * image never gets them). */
#include "snapshot_format.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct da_snapshot_dependents {
    const da_snapshot *s;
    /* reverse edges: for project i, the projects whose requirements name it */
    uint32_t *first; /* nprojects + 1 offsets into edges */
    uint32_t *edges;
    uint32_t *seen; /* visit marks (query number) for the walk */
    uint32_t query;
};

/* Whether a requirement's marker keeps it out of a Linux image's base install. */
static bool marker_excludes(const char *marker)
{
    if (strstr(marker, "extra"))
        return true;
    static const char *const others[] = {"win32", "Windows", "darwin", "Darwin", "cygwin"};
    for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
        if (strstr(marker, others[i]) && strstr(marker, "==") && !strstr(marker, "!="))
            return true;
    return false;
}

/* The project a requirement string names, or -1 (unknown name, or excluded by its marker). */
static long required_project(const da_snapshot *s, const char *req)
{
    const char *semi = strchr(req, ';');
    if (semi && marker_excludes(semi + 1))
        return -1;
    size_t n = 0;
    while (req[n] && (isalnum((unsigned char)req[n]) || strchr("-_.", req[n])))
        n++;
    if (n == 0)
        return -1;
    char *raw = da_xstrndup(req, n);
    char *name = da_snapshot_normalize_name(raw);
    const snap_project *p = snap_find_project(s, name);
    free(raw);
    free(name);
    return p ? (long)(p - s->projects) : -1;
}

/* The best release of project i whose requirements are known, or NULL. */
static const snap_release *requires_release(const da_snapshot *s, size_t i)
{
    const snap_project *p = &s->projects[i];
    for (uint32_t k = 0; k < p->nreleases; k++) {
        const snap_release *r = &s->releases[p->first_release + k];
        if ((r->flags & SNAP_REL_REQUIRES_KNOWN) && !(r->flags & SNAP_REL_MODULES_ONLY))
            return r;
    }
    return NULL;
}

/* Calls fn(target, source) for every counted requirement edge source -> target. */
static void each_edge(const da_snapshot *s, void (*fn)(void *, uint32_t, uint32_t), void *ctx)
{
    for (size_t i = 0; i < s->nprojects; i++) {
        const snap_release *r = requires_release(s, i);
        for (uint32_t k = 0; r && k < r->requires.count; k++) {
            long t = required_project(s, snap_str(s, s->lists[r->requires.first + k]));
            if (t >= 0 && (size_t)t != i)
                fn(ctx, (uint32_t)t, (uint32_t)i);
        }
    }
}

static void count_edge(void *ctx, uint32_t target, uint32_t source)
{
    (void)source;
    ((uint32_t *)ctx)[target + 1]++;
}

typedef struct fill_ctx {
    da_snapshot_dependents *d;
    uint32_t *next;
} fill_ctx;

static void fill_edge(void *ctx, uint32_t target, uint32_t source)
{
    fill_ctx *f = ctx;
    f->d->edges[f->next[target]++] = source;
}

da_snapshot_dependents *da_snapshot_dependents_build(const da_snapshot *s)
{
    da_snapshot_dependents *d = da_xcalloc(1, sizeof(*d));
    d->s = s;
    size_t n = s->nprojects;
    d->first = da_xcalloc(n + 1, sizeof(uint32_t));
    each_edge(s, count_edge, d->first);
    for (size_t i = 0; i < n; i++)
        d->first[i + 1] += d->first[i];
    d->edges = da_xcalloc(d->first[n] ? d->first[n] : 1, sizeof(uint32_t));
    fill_ctx f = {d, da_xcalloc(n + 1, sizeof(uint32_t))};
    memcpy(f.next, d->first, (n + 1) * sizeof(uint32_t));
    each_edge(s, fill_edge, &f);
    free(f.next);
    d->seen = da_xcalloc(n ? n : 1, sizeof(uint32_t));
    return d;
}

int da_snapshot_dependents_count(da_snapshot_dependents *d, const char *name)
{
    char *n = da_snapshot_normalize_name(name);
    const snap_project *p = snap_find_project(d->s, n);
    free(n);
    if (!p)
        return 0;
    d->query++;
    size_t cap = 64, len = 0, count = 0;
    uint32_t *stack = da_xmalloc(cap * sizeof(uint32_t));
    uint32_t start = (uint32_t)(p - d->s->projects);
    d->seen[start] = d->query;
    stack[len++] = start;
    while (len > 0) {
        uint32_t at = stack[--len];
        for (uint32_t e = d->first[at]; e < d->first[at + 1]; e++) {
            uint32_t src = d->edges[e];
            if (d->seen[src] == d->query)
                continue;
            d->seen[src] = d->query;
            count++;
            if (len == cap) {
                cap *= 2;
                stack = da_xrealloc(stack, cap * sizeof(uint32_t));
            }
            stack[len++] = src;
        }
    }
    free(stack);
    return count > (size_t)INT32_MAX ? INT32_MAX : (int)count;
}

void da_snapshot_dependents_free(da_snapshot_dependents *d)
{
    if (!d)
        return;
    free(d->first);
    free(d->edges);
    free(d->seen);
    free(d);
}
