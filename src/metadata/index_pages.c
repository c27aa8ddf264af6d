/* Project pages from the package index(es): disk cache first (fresh by max-age, unless
 * --refresh), then conditional HTTP requests, all pages of a batch in flight together.
 * PEP 691 JSON is asked for first, HTML accepted as the fallback. */
#include "metadata/metadata_source.h"

#include "depaudit/pep.h"
#include "metadata/project_files.h"
#include "metadata/shown_text.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define ACCEPT_SIMPLE DA_SIMPLE_JSON_TYPE ", text/html;q=0.01"
#define JSON_TYPE DA_SIMPLE_JSON_TYPE

da_memo *da_memo_find(da_memo_table *t, const char *key)
{
    for (size_t i = 0; i < t->len; i++)
        if (strcmp(t->items[i].key, key) == 0)
            return &t->items[i];
    return NULL;
}

da_memo *da_memo_add(da_memo_table *t, const char *key)
{
    da_grow((void **)&t->items, &t->cap, t->len + 1, sizeof(*t->items));
    da_memo *e = &t->items[t->len++];
    memset(e, 0, sizeof(*e));
    e->key = da_xstrdup(key);
    e->status = -1;
    return e;
}

void da_memo_table_free(da_memo_table *t)
{
    for (size_t i = 0; i < t->len; i++) {
        free(t->items[i].key);
        da_project_free(t->items[i].project);
        da_release_free(t->items[i].release);
    }
    free(t->items);
    memset(t, 0, sizeof(*t));
}

/* Seconds a response stays fresh: Cache-Control max-age, 0 for no-cache/no-store, else
 * the configured default. */
static long freshness(const char *cache_control, long fallback)
{
    if (!cache_control)
        return fallback;
    if (strcasestr(cache_control, "no-cache") || strcasestr(cache_control, "no-store"))
        return 0;
    const char *p = strcasestr(cache_control, "max-age=");
    if (p)
        return strtol(p + 8, NULL, 10);
    return fallback;
}

/* A page in either format, named after the project asked for. A JSON page names its
 * project: one for another project is refused, never filed under the name asked for. */
static int parse_page(const char *body, size_t len, const char *content_type, const char *url,
                      const char *name, da_project **out, da_error *err)
{
    char *red = da_url_hide_credentials(url, DA_URL_REDACT);
    char *shown = NULL;
    int rc;
    if (content_type && strstr(content_type, JSON_TYPE))
        rc = da_simple_json_parse(body, len, url, red, out, err);
    else if (!content_type || strcasestr(content_type, "html"))
        rc = da_simple_html_parse(body, len, url, name, red, out, err);
    else
        rc = da_error_set(err, red, 0, 0, "unexpected Content-Type \"%s\" for an index page",
                          shown = da_shown_text(content_type));
    if (rc == 0 && strcmp((*out)->name, name) != 0) {
        da_error_set(err, red, 0, 0,
                     "the index answered with the page of project \"%s\" when asked for "
                     "\"%s\"",
                     shown = da_shown_text((*out)->name), name);
        da_project_free(*out);
        *out = NULL;
        rc = -1;
    }
    if (rc == 0) {
        free((*out)->origin);
        (*out)->origin = da_xstrdup(red);
    }
    free(shown);
    free(red);
    return rc;
}

/* One (project, index) pair being looked up. */
typedef struct page_job {
    size_t name_index;
    char *url;
    char *cache_key;
    da_cached_page cached;
    bool have_cached; /* a cache entry whose page parsed (into project) */
    da_http_request *req;
    int status; /* 0 page, 1 absent, -1 error */
    da_project *project;
    da_error error;
    bool from_cache;
} page_job;

static void merge_into(da_project **acc, da_project *p)
{
    if (!*acc) {
        *acc = p;
        return;
    }
    for (size_t i = 0; i < p->nversions; i++) {
        da_project_version *v = &p->versions[i];
        if (v->nfiles == 0)
            da_project_add_version(*acc, v->version);
        for (size_t j = 0; j < v->nfiles; j++)
            da_project_add_file(*acc, &v->files[j]);
    }
    char *origin = da_xasprintf("%s, %s", (*acc)->origin, p->origin);
    free((*acc)->origin);
    (*acc)->origin = origin;
    da_project_free(p);
}

/* The base for a cached page's links: the request URL (with its credentials) when the
 * page was not redirected elsewhere, else the stored final URL. */
static void restore_base_url(page_job *j)
{
    char *plain = da_url_hide_credentials(j->url, DA_URL_STRIP);
    if (strcmp(plain, j->cached.url) == 0) {
        free(j->cached.url);
        j->cached.url = da_xstrdup(j->url);
    }
    free(plain);
}

static void store_page(da_metadata *m, const page_job *j, da_cached_page p)
{
    if (m->o.no_cache)
        return;
    p.url = da_url_hide_credentials(p.url, DA_URL_STRIP);
    da_disk_cache_put_page(&m->cache, j->cache_key, &p, NULL);
    free(p.url);
}

/* Reads j's cache entry and parses it: a usable entry leaves have_cached and j->project;
 * one that does not parse is removed (it is refetched, never blamed on the server). */
static void load_cached(da_metadata *m, page_job *j, const char *name)
{
    if (m->o.no_cache || da_disk_cache_get_page(&m->cache, j->cache_key, &j->cached) != 0)
        return;
    restore_base_url(j);
    da_error ignored = {0};
    if (parse_page(j->cached.body, j->cached.body_len, j->cached.content_type, j->cached.url, name,
                   &j->project, &ignored) == 0) {
        j->have_cached = true;
        return;
    }
    da_disk_cache_remove_page(&m->cache, j->cache_key);
    da_cached_page_free(&j->cached);
}

static void finish_from_response(da_metadata *m, page_job *j, const char *name)
{
    da_http_request *r = j->req;
    char *red = da_url_hide_credentials(j->url, DA_URL_REDACT);
    if (r->error) {
        da_error_set(&j->error, red, 0, 0, "%s", r->error);
        j->status = -1;
    } else if (r->status == 304 && j->have_cached) {
        m->stats.revalidated++;
        j->cached.fetched_at = (long long)time(NULL);
        j->cached.max_age = freshness(r->cache_control, m->o.page_max_age_s);
        store_page(m, j, j->cached);
        j->status = 0; /* the cached page, parsed when it was loaded */
    } else if (r->status == 404 || r->status == 410) {
        j->status = 1;
    } else if (r->status == 200) {
        const char *final_url = r->effective_url ? r->effective_url : j->url;
        da_project_free(j->project);
        j->project = NULL;
        j->status = parse_page(r->body.data ? r->body.data : "", r->body.len, r->content_type,
                               final_url, name, &j->project, &j->error) == 0
                        ? 0
                        : -1;
        if (j->status == 0) {
            /* Only pages that parsed are cached: a corrupt answer is never kept. */
            da_cached_page p = {0};
            p.url = (char *)final_url;
            p.content_type = r->content_type;
            p.etag = r->etag;
            p.last_modified = r->last_modified;
            p.fetched_at = (long long)time(NULL);
            p.max_age = freshness(r->cache_control, m->o.page_max_age_s);
            p.body = r->body.data ? r->body.data : "";
            p.body_len = r->body.len;
            store_page(m, j, p);
        }
    } else {
        /* 401/403 mean credentials: say where they come from (never what they are). */
        da_error_set(&j->error, red, 0, 0, "unexpected HTTP status %ld%s", r->status,
                     r->status == 401   ? " (the index wants credentials: give them in the index "
                                          "URL or in ~/.netrc)"
                     : r->status == 403 ? " (the index refused these credentials)"
                                        : "");
        j->status = -1;
    }
    if (j->status != 0) {
        da_project_free(j->project);
        j->project = NULL;
    }
    free(red);
}

void da_index_fetch_projects(da_metadata *m, const char *const *names, size_t n)
{
    page_job *jobs = NULL;
    size_t njobs = 0, cap = 0;
    da_strlist wanted = {0};
    for (size_t i = 0; i < n; i++) {
        if (!da_name_is_valid(names[i]))
            continue; /* never reaches a URL; the get_ calls say why */
        char *norm = da_name_normalize(names[i]);
        if (da_memo_find(&m->projects, norm) || da_strlist_contains(&wanted, norm)) {
            free(norm);
            continue;
        }
        da_strlist_push_owned(&wanted, norm);
    }
    long long now = (long long)time(NULL);
    da_http_request **reqs = NULL;
    size_t nreqs = 0, rcap = 0;
    for (size_t w = 0; w < wanted.len; w++) {
        for (size_t x = 0; x < m->indexes.len; x++) {
            page_job j = {0};
            j.name_index = w;
            char *segment = da_url_encode_segment(wanted.items[w]);
            j.url = da_xasprintf("%s%s/", m->indexes.items[x], segment);
            free(segment);
            char *key_url = da_url_hide_credentials(j.url, DA_URL_STRIP);
            j.cache_key = da_xasprintf("%s\n%s", key_url, ACCEPT_SIMPLE);
            free(key_url);
            load_cached(m, &j, wanted.items[w]);
            bool fresh = j.have_cached && now - j.cached.fetched_at < j.cached.max_age;
            if (j.have_cached && (m->o.offline || (fresh && !m->o.refresh))) {
                j.from_cache = true;
                j.project->source = DA_SOURCE_CACHE;
                m->stats.cache_hits++;
            } else if (!da_metadata_online(m)) {
                j.status = -1;
                char *red = da_url_hide_credentials(j.url, DA_URL_REDACT);
                da_error_set(&j.error, red, 0, 0,
                             "offline: the index page of %s is not in the cache", wanted.items[w]);
                free(red);
            } else {
                j.req = da_http_request_new(j.url);
                j.req->accept = ACCEPT_SIMPLE;
                if (j.have_cached) {
                    j.req->if_none_match = j.cached.etag ? da_xstrdup(j.cached.etag) : NULL;
                    j.req->if_modified_since =
                        j.cached.last_modified ? da_xstrdup(j.cached.last_modified) : NULL;
                }
                DA_PUSH(reqs, nreqs, rcap, j.req);
            }
            DA_PUSH(jobs, njobs, cap, j);
        }
    }
    da_metadata_transfer(m, reqs, nreqs);
    for (size_t k = 0; k < njobs; k++) {
        page_job *j = &jobs[k];
        if (j->req)
            finish_from_response(m, j, wanted.items[j->name_index]);
    }
    /* Merge per project over the indexes: any failure makes the project a failure (the
     * other index's files would be an incomplete answer); 404 everywhere is "absent". */
    for (size_t w = 0; w < wanted.len; w++) {
        da_memo *e = da_memo_add(&m->projects, wanted.items[w]);
        da_project *acc = NULL;
        bool failed = false, any = false;
        for (size_t k = 0; k < njobs; k++) {
            page_job *j = &jobs[k];
            if (j->name_index != w)
                continue;
            if (j->status == -1 && !failed) {
                failed = true;
                e->error = j->error;
            } else if (j->status == 0) {
                any = true;
                merge_into(&acc, j->project);
                j->project = NULL;
            }
        }
        if (failed) {
            da_project_free(acc);
            e->status = -1; /* offline: get_project says it is missing if nothing else has it */
        } else if (any) {
            e->status = 0;
            e->project = acc;
        } else {
            e->status = 1;
        }
    }
    for (size_t k = 0; k < njobs; k++) {
        free(jobs[k].url);
        free(jobs[k].cache_key);
        da_cached_page_free(&jobs[k].cached);
        da_http_request_free(jobs[k].req);
        da_project_free(jobs[k].project);
    }
    free(jobs);
    free(reqs);
    da_strlist_free(&wanted);
}
