/* Ranking a release's files the way pip chooses among the files of one version. */
#include "depaudit/wheel.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int da_wheel_rank_in(const char *filename, const da_strlist *supported)
{
    da_wheel_name w;
    if (da_wheel_name_parse(filename, &w, NULL) < 0)
        return -1;
    int best = -1;
    /* supported is best first, so the first of its tags the wheel carries is its rank */
    for (size_t i = 0; i < supported->len; i++) {
        if (da_strlist_contains(&w.tags, supported->items[i])) {
            best = (int)i;
            break;
        }
    }
    da_wheel_name_free(&w);
    return best;
}

int da_wheel_rank(const char *filename, const da_target *t)
{
    da_strlist supported = {0};
    da_target_supported_tags(t, &supported);
    int rank = da_wheel_rank_in(filename, &supported);
    da_strlist_free(&supported);
    return rank;
}

/* A build tag orders by its leading number, then the rest as a string (PEP 427).
 * Returns <0, 0, >0 like strcmp; a missing tag sorts before any tag. */
static int compare_build_tags(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    while (*a == '0' && isdigit((unsigned char)a[1]))
        a++;
    while (*b == '0' && isdigit((unsigned char)b[1]))
        b++;
    size_t da = 0, db = 0;
    while (isdigit((unsigned char)a[da]))
        da++;
    while (isdigit((unsigned char)b[db]))
        db++;
    if (da != db)
        return da < db ? -1 : 1;
    int c = strncmp(a, b, da);
    if (c)
        return c;
    return strcmp(a + da, b + db);
}

/* How good one file is: smaller tuple is better. */
typedef struct file_score {
    bool yanked;
    bool sdist;        /* wheels before sdists */
    int rank;          /* wheel tag rank, lower is better */
    const char *build; /* wheel build tag, higher is better */
} file_score;

static int compare_scores(const file_score *a, const file_score *b)
{
    if (a->yanked != b->yanked)
        return a->yanked ? 1 : -1;
    if (a->sdist != b->sdist)
        return a->sdist ? 1 : -1;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return -compare_build_tags(a->build, b->build);
}

int da_choose_release_file(const da_release_file *files, size_t nfiles, const da_target *t,
                           bool allow_sdist)
{
    da_strlist supported = {0};
    da_target_supported_tags(t, &supported);
    int best = da_choose_release_file_in(files, nfiles, &supported, allow_sdist);
    da_strlist_free(&supported);
    return best;
}

int da_choose_release_file_in(const da_release_file *files, size_t nfiles,
                              const da_strlist *supported, bool allow_sdist)
{
    int best = -1;
    file_score best_score = {0};
    da_wheel_name best_wheel = {0};
    for (size_t i = 0; i < nfiles; i++) {
        const char *fn = files[i].filename;
        if (!fn)
            continue;
        file_score s = {.yanked = files[i].yanked};
        da_wheel_name w = {0};
        if (da_str_ends_with(fn, ".whl")) {
            s.rank = da_wheel_rank_in(fn, supported);
            if (s.rank < 0 || da_wheel_name_parse(fn, &w, NULL) < 0)
                continue;
            s.build = w.build;
        } else if (allow_sdist && da_is_sdist_filename(fn)) {
            s.sdist = true;
        } else {
            continue;
        }
        if (best < 0 || compare_scores(&s, &best_score) < 0) {
            da_wheel_name_free(&best_wheel);
            best_wheel = w; /* keeps s.build alive */
            best_score = s;
            best = (int)i;
        } else {
            da_wheel_name_free(&w);
        }
    }
    da_wheel_name_free(&best_wheel);
    return best;
}
