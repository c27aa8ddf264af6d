/* `depaudit metadata`: what the metadata sources know about distributions (versions,
 * requirements, modules) and where each answer came from. */
#include "check_internal.h"

#include <stdlib.h>
#include <string.h>

/* NAME or NAME==VERSION into the query. */
static void query_init(da_check_metadata_query *q, const char *arg)
{
    const char *eq = strstr(arg, "==");
    q->name = eq ? da_xstrndup(arg, (size_t)(eq - arg)) : da_xstrdup(arg);
    if (eq) {
        q->version = da_xstrdup(eq + 2);
        q->version_given = true;
    }
    q->release_rc = -2; /* not asked */
}

/* The project pages, all at once; then the version asked for, or the latest for t. */
static void ask_projects(da_metadata *m, const da_target *t, da_check_metadata_answers *a)
{
    da_strlist plain = {0};
    for (size_t i = 0; i < a->nqueries; i++)
        da_strlist_push(&plain, a->queries[i].name);
    da_metadata_prefetch_projects(m, (const char *const *)plain.items, plain.len);
    da_strlist_free(&plain);
    for (size_t i = 0; i < a->nqueries; i++) {
        da_check_metadata_query *q = &a->queries[i];
        q->project_rc = da_metadata_get_project(m, q->name, &q->project, &q->project_err);
        if (q->project_rc == DA_METADATA_BAD_NAME)
            a->bad_name = true;
        if (!q->version && q->project_rc == 0)
            q->version = da_project_latest_version(q->project, t);
    }
}

/* The releases, all at once; a query is answered when its release is. */
static void ask_releases(da_metadata *m, da_check_metadata_answers *a)
{
    da_strlist rn = {0}, rv = {0};
    for (size_t i = 0; i < a->nqueries; i++)
        if (a->queries[i].version) {
            da_strlist_push(&rn, a->queries[i].name);
            da_strlist_push(&rv, a->queries[i].version);
        }
    da_metadata_prefetch_releases(m, (const char *const *)rn.items, (const char *const *)rv.items,
                                  rn.len);
    da_strlist_free(&rn);
    da_strlist_free(&rv);
    a->all_answered = true;
    for (size_t i = 0; i < a->nqueries; i++) {
        da_check_metadata_query *q = &a->queries[i];
        if (q->version)
            q->release_rc =
                da_metadata_get_release(m, q->name, q->version, &q->release, &q->release_err);
        if (q->project_rc != 0 && !(q->version_given && q->release_rc == 0))
            a->all_answered = false;
        if (!q->version || q->release_rc != 0)
            a->all_answered = false;
    }
}

int da_check_metadata(const da_metadata_options *o, const char *const *names, size_t n,
                      da_check_metadata_answers *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    da_metadata *m = NULL;
    if (da_metadata_open(o, &m, err) != 0)
        return -1;
    da_strlist_copy_into(&out->warnings, da_metadata_warnings(m));
    out->offline = o->offline;
    out->queries = da_xcalloc(n, sizeof(*out->queries));
    out->nqueries = n;
    for (size_t i = 0; i < n; i++)
        query_init(&out->queries[i], names[i]);
    ask_projects(m, &o->target, out);
    ask_releases(m, out);
    da_metadata_get_stats(m, &out->stats);
    da_strlist_copy_into(&out->missing, da_metadata_missing(m));
    da_metadata_close(m);
    return 0;
}

void da_check_metadata_answers_free(da_check_metadata_answers *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nqueries; i++) {
        free(a->queries[i].name);
        free(a->queries[i].version);
        da_project_free(a->queries[i].project);
        da_release_free(a->queries[i].release);
    }
    free(a->queries);
    da_strlist_free(&a->warnings);
    da_strlist_free(&a->missing);
    memset(a, 0, sizeof(*a));
}

void da_network_options_apply(const da_network_options *n, da_metadata_options *o)
{
    if (n->timeout_ms > 0)
        o->timeout_ms = n->timeout_ms;
    if (n->connect_timeout_ms > 0)
        o->connect_timeout_ms = n->connect_timeout_ms;
    if (n->budget_ms > 0)
        o->budget_ms = n->budget_ms;
    if (n->retries_set)
        o->retries = n->retries;
}
