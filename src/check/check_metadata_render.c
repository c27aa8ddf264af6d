/* The answers of `depaudit metadata` for people and as JSON, and the listing of installed
 * environments (--site-packages without names). */
#include "check_internal.h"

#include "depaudit/util_json.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static void list_text(da_buf *out, const char *label, const da_strlist *l)
{
    da_buf_printf(out, "  %-16s", label);
    if (l->len == 0)
        da_buf_puts(out, "(none)");
    for (size_t i = 0; i < l->len; i++)
        da_buf_printf(out, "%s%s", i ? ", " : "", l->items[i]);
    da_buf_putc(out, '\n');
}

/* "index: URL"; the kind is not repeated when the origin already starts with it. */
static void provenance_text(da_buf *out, const char *label, da_source_kind kind, const char *origin)
{
    const char *k = da_source_kind_name(kind);
    size_t n = strlen(k);
    if (origin && strncmp(origin, k, n) == 0 && origin[n] == ':')
        da_buf_printf(out, "  %-16s%s\n", label, origin);
    else
        da_buf_printf(out, "  %-16s%s: %s\n", label, k, origin ? origin : "");
}

static void failure_text(da_buf *out, const char *label, const da_error *e)
{
    char msg[2048];
    da_error_format(e, msg, sizeof(msg));
    da_buf_printf(out, "  %-16sfailed: %s\n", label, msg);
}

static void release_text(da_buf *out, const da_release *r)
{
    da_buf_printf(out, "  %-16s%s\n", "requires-python",
                  r->requires_python ? r->requires_python : "(any)");
    if (r->requires_known)
        list_text(out, "requires", &r->requires_dist);
    else
        da_buf_printf(out, "  %-16s%s\n", "requires", "unknown");
    if (r->requires_incomplete)
        da_buf_printf(out, "  %-16s%s\n", "", "(incomplete: the source dropped some requirements)");
    list_text(out, r->modules_known ? "modules" : "modules (guess)", &r->modules);
    list_text(out, "namespaces", &r->namespaces);
    provenance_text(out, "metadata from", r->source, r->origin);
}

static void query_text(da_buf *out, const da_check_metadata_query *q)
{
    da_buf_puts(out, q->name);
    if (q->version)
        da_buf_printf(out, " %s", q->version);
    da_buf_putc(out, '\n');
    if (q->project_rc == 0) {
        da_buf_printf(out, "  %-16s", "versions");
        for (size_t i = 0; i < q->project->nversions; i++)
            da_buf_printf(out, "%s%s", i ? " " : "", q->project->versions[i].version);
        da_buf_putc(out, '\n');
        provenance_text(out, "versions from", q->project->source, q->project->origin);
    } else if (q->project_rc == 1) {
        da_buf_printf(out, "  %-16s%s\n", "versions", "not found in any source");
    } else if (q->project_rc < 0) {
        failure_text(out, "versions", &q->project_err);
    }
    if (!q->version)
        return;
    if (q->release_rc == 1)
        da_buf_printf(out, "  %-16s%s\n", "release", "not found in any source");
    else if (q->release_rc < 0)
        failure_text(out, "release", &q->release_err);
    else
        release_text(out, q->release);
}

void da_check_metadata_text(const da_check_metadata_answers *a, bool stats, da_buf *out)
{
    for (size_t i = 0; i < a->nqueries; i++)
        query_text(out, &a->queries[i]);
    for (size_t i = 0; i < a->missing.len; i++)
        da_buf_printf(out, "%s: %s\n", a->offline ? "offline, lacking" : "unavailable",
                      a->missing.items[i]);
    const da_metadata_stats *st = &a->stats;
    if (stats)
        da_buf_printf(out,
                      "stats: %ld requests (%ld retries, %ld ranged, %ld whole wheels), %lld "
                      "bytes, %ld cache hits, %ld revalidated, %ld snapshot answers\n",
                      st->requests, st->retries, st->range_requests, st->whole_downloads, st->bytes,
                      st->cache_hits, st->revalidated, st->snapshot_hits);
}

/* An object's JSON text (as the metadata stage writes it) as a member. */
static void add_parsed(cJSON *o, const char *key, char *json)
{
    cJSON_AddItemToObject(o, key, cJSON_Parse(json));
    free(json);
}

static void add_error(cJSON *o, const char *key, const da_error *e)
{
    char msg[2048];
    da_error_format(e, msg, sizeof(msg));
    cJSON_AddStringToObject(o, key, msg);
}

static cJSON *query_json(const da_check_metadata_query *q)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", q->name);
    cJSON_AddItemToObject(o, "version", da_json_string_or_null(q->version));
    if (q->project_rc == 0)
        add_parsed(o, "project", da_project_to_json(q->project));
    else if (q->project_rc < 0)
        add_error(o, "project_error", &q->project_err);
    else
        cJSON_AddNullToObject(o, "project");
    if (q->release_rc == 0 && q->release)
        add_parsed(o, "release", da_release_to_json(q->release));
    else if (q->release_rc < 0) /* -2, not asked, too: an empty message */
        add_error(o, "release_error", &q->release_err);
    else
        cJSON_AddNullToObject(o, "release");
    return o;
}

static cJSON *stats_json(const da_metadata_stats *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "requests", (double)s->requests);
    cJSON_AddNumberToObject(o, "retries", (double)s->retries);
    cJSON_AddNumberToObject(o, "range_requests", (double)s->range_requests);
    cJSON_AddNumberToObject(o, "whole_downloads", (double)s->whole_downloads);
    cJSON_AddNumberToObject(o, "bytes", (double)s->bytes);
    cJSON_AddNumberToObject(o, "cache_hits", (double)s->cache_hits);
    cJSON_AddNumberToObject(o, "revalidated", (double)s->revalidated);
    cJSON_AddNumberToObject(o, "snapshot_hits", (double)s->snapshot_hits);
    return o;
}

char *da_check_metadata_json(const da_check_metadata_answers *a, bool stats)
{
    cJSON *out = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(out, "distributions");
    for (size_t i = 0; i < a->nqueries; i++)
        cJSON_AddItemToArray(arr, query_json(&a->queries[i]));
    if (stats)
        cJSON_AddItemToObject(out, "stats", stats_json(&a->stats));
    cJSON_AddItemToObject(out, "missing", da_json_strlist(&a->missing));
    char *s = cJSON_Print(out);
    cJSON_Delete(out);
    return s;
}

static cJSON *installed_json(const da_release *r, const da_strlist *tops)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", r->name);
    cJSON_AddStringToObject(o, "version", r->version);
    cJSON_AddStringToObject(o, "origin", r->origin);
    cJSON_AddBoolToObject(o, "modules_known", r->modules_known);
    cJSON_AddItemToObject(o, "top_levels", da_json_strlist(tops));
    cJSON_AddItemToObject(o, "modules", da_json_strlist(&r->modules));
    cJSON_AddItemToObject(o, "namespaces", da_json_strlist(&r->namespaces));
    cJSON_AddItemToObject(o, "requires_dist", da_json_strlist(&r->requires_dist));
    return o;
}

static void installed_text(da_buf *out, const da_release *r, const da_strlist *tops)
{
    da_buf_printf(out, "%s %s\n", r->name, r->version);
    list_text(out, "top-level", tops);
    list_text(out, "requires", &r->requires_dist);
    da_buf_printf(out, "  %-16s%s\n", "from", r->origin);
}

int da_check_site_packages(const da_strlist *dirs, bool json, da_buf *out, da_strlist *warnings,
                           da_error *err)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t d = 0; d < dirs->len; d++) {
        da_release **list = NULL;
        int n = da_site_packages_scan(dirs->items[d], &list, warnings, err);
        if (n < 0) {
            cJSON_Delete(arr);
            return -1;
        }
        for (int i = 0; i < n; i++) {
            da_strlist tops = {0};
            da_release_top_levels(list[i], &tops);
            if (json)
                cJSON_AddItemToArray(arr, installed_json(list[i], &tops));
            else
                installed_text(out, list[i], &tops);
            da_strlist_free(&tops);
        }
        da_releases_free(list, (size_t)n);
    }
    if (json) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddItemToObject(root, "distributions", arr);
        char *s = cJSON_Print(root);
        da_buf_printf(out, "%s\n", s);
        free(s);
        cJSON_Delete(root);
    } else {
        cJSON_Delete(arr);
    }
    return 0;
}
