/* The index's names: does a name exist, what was its latest version on the list's date,
 * and which popular names is a typo closest to. */
#include "snapshot_format.h"

#include <stdlib.h>
#include <string.h>

static bool in_allnames(da_snapshot *s, const char *normalized)
{
    if (!snap_names_ready(s) || s->nname_blocks == 0)
        return false;
    /* The last block whose first name is <= the name holds it, if anything does. */
    size_t lo = 0, hi = s->nname_blocks;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(s->first_names + s->name_blocks[mid].first_name, normalized) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return false;
    size_t block = lo - 1;
    const char *text = snap_names_block(s, block);
    if (!text)
        return false;
    const char *end = text + s->name_blocks[block].raw_len;
    for (const char *p = text; p < end; p += strlen(p) + 1) {
        int c = strcmp(p, normalized);
        if (c == 0)
            return true;
        if (c > 0)
            break;
    }
    return false;
}

bool da_snapshot_name_exists(const da_snapshot *s, const char *name, int *rank)
{
    char *n = da_snapshot_normalize_name(name);
    const snap_project *p = snap_find_project(s, n);
    if (rank)
        *rank = p ? (int)p->rank : 0;
    /* Ranked names are in the projects table; the rest only in the full names list,
     * which is inflated on first need (the one mutation a lookup makes, see snapshot.h). */
    bool found = (p && p->rank > 0) || in_allnames((da_snapshot *)s, n);
    free(n);
    return found;
}

const char *da_snapshot_latest_known(const da_snapshot *s, const char *name)
{
    char *n = da_snapshot_normalize_name(name);
    const snap_project *p = snap_find_project(s, n);
    free(n);
    const char *v = p ? snap_str(s, p->latest) : "";
    return *v ? v : NULL;
}

/* Optimal string alignment distance (edits plus adjacent swaps), giving up above `limit`. */
static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb, size_t limit)
{
    if ((la > lb ? la - lb : lb - la) > limit)
        return limit + 1;
    size_t *prev2 = da_xcalloc(lb + 1, sizeof(size_t)), *prev = da_xcalloc(lb + 1, sizeof(size_t)),
           *cur = da_xcalloc(lb + 1, sizeof(size_t));
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    size_t result = 0;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        size_t row_min = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (prev[j - 1] + cost < v)
                v = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < row_min)
                row_min = v;
        }
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
        if (row_min > limit) {
            result = limit + 1;
            goto done;
        }
    }
    result = prev[lb];
done:
    free(prev2);
    free(prev);
    free(cur);
    return result;
}

typedef struct candidate {
    size_t distance;
    uint32_t rank;
    const char *name;
} candidate;

static int candidate_cmp(const void *pa, const void *pb)
{
    const candidate *a = pa, *b = pb;
    if (a->distance != b->distance)
        return a->distance < b->distance ? -1 : 1;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return strcmp(a->name, b->name);
}

int da_snapshot_closest_names(const da_snapshot *s, const char *name, da_strlist *out, size_t max)
{
    char *n = da_snapshot_normalize_name(name);
    size_t len = strlen(n);
    /* Two edits for ordinary names, one for very short ones (everything is 2 edits from
     * a 2-letter name). */
    size_t limit = len <= 4 ? 1 : 2;
    candidate *c = NULL;
    size_t nc = 0, cap = 0;
    for (size_t i = 0; i < s->nprojects && max > 0; i++) {
        const snap_project *p = &s->projects[i];
        if (p->rank == 0)
            continue;
        const char *cand = snap_str(s, p->name);
        if (strcmp(cand, n) == 0)
            continue;
        size_t d = edit_distance(n, len, cand, strlen(cand), limit);
        if (d <= limit) {
            candidate x = {d, p->rank, cand};
            DA_PUSH(c, nc, cap, x);
        }
    }
    if (nc > 1)
        qsort(c, nc, sizeof(*c), candidate_cmp);
    int added = 0;
    for (size_t i = 0; i < nc && (size_t)added < max; i++) {
        da_strlist_push(out, c[i].name);
        added++;
    }
    free(c);
    free(n);
    return added;
}
