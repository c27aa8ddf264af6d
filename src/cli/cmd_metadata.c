/* depaudit metadata: what the metadata sources know about distributions (versions,
 * requirements, modules) and where each answer came from. With --site-packages and no
 * names, lists every installed distribution with its top-level import names. */
#include "commands.h"

#include "depaudit/metadata.h"
#include "depaudit/target.h"
#include "depaudit/util.h"

#include "depaudit/util_json.h"

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char metadata_usage[] =
    "usage: depaudit metadata [OPTIONS] NAME[==VERSION]...\n"
    "       depaudit metadata --site-packages DIR [OPTIONS]\n"
    "\n"
    "Prints what the metadata sources know: versions, requirements, provided modules, and\n"
    "where each answer came from (snapshot, cache, index URL, site-packages).\n"
    "\n"
    "Options:\n"
    "  --format text|json      output format (default text)\n"
    "  --index-url URL         package index (PEP 503/691 simple API); default\n"
    "                          $PIP_INDEX_URL\n"
    "  --extra-index-url URL   another index, searched too (repeatable; also\n"
    "                          $PIP_EXTRA_INDEX_URL)\n"
    "  --offline               no network: snapshot, cache and site-packages only\n"
    "  --cache-dir DIR         cache directory (default $XDG_CACHE_HOME/depaudit)\n"
    "  --no-cache              neither read nor write the cache\n"
    "  --refresh               revalidate cached index pages whatever their age\n"
    "  --site-packages DIR     an installed environment to read (repeatable)\n"
    "  --python PATH           read that interpreter's site-packages (it is asked\n"
    "                          only for its paths; nothing of the project runs)\n"
    "  --cert FILE             CA bundle for a private index (TLS is always verified)\n"
    "                          credentials: user:password@ in the index URL, or\n"
    "                          ~/.netrc; they are never printed or cached\n"
    "  --python-version X.Y    the target Python (chooses the wheel; default " DA_DEFAULT_PY_VERSION
    ")\n"
    "  --no-snapshot           do not use the embedded snapshot\n"
    "  --timeout SECONDS       per-transfer timeout (default 60)\n"
    "  --retries N             retries after a retryable failure (default 3)\n"
    "  --stats                 add request/byte/cache counters to the output\n"
    "\n"
    "Exit status: 0 all answered, 2 usage error, 3 some metadata unavailable.\n";

typedef struct query {
    char *name;
    char *version; /* asked for, or the latest; NULL if unknown */
    bool version_given;
    int project_rc;
    da_project *project;
    da_error project_err;
    int release_rc;
    da_release *release;
    da_error release_err;
} query;

static void strlist_to_json(cJSON *o, const char *key, const da_strlist *l)
{
    cJSON_AddItemToObject(o, key, da_json_strlist(l));
}

static void print_list(const char *label, const da_strlist *l)
{
    printf("  %-16s", label);
    if (l->len == 0)
        printf("(none)");
    for (size_t i = 0; i < l->len; i++)
        printf("%s%s", i ? ", " : "", l->items[i]);
    printf("\n");
}

/* "index: URL"; the kind is not repeated when the origin already starts with it. */
static void print_provenance(const char *label, da_source_kind kind, const char *origin)
{
    const char *k = da_source_kind_name(kind);
    size_t n = strlen(k);
    if (origin && strncmp(origin, k, n) == 0 && origin[n] == ':')
        printf("  %-16s%s\n", label, origin);
    else
        printf("  %-16s%s: %s\n", label, k, origin ? origin : "");
}

static void error_text(const da_error *e, char *out, size_t n)
{
    da_error_format(e, out, n);
}

static void print_text(const query *q)
{
    char msg[2048];
    printf("%s", q->name);
    if (q->version)
        printf(" %s", q->version);
    printf("\n");
    if (q->project_rc == 0) {
        printf("  %-16s", "versions");
        for (size_t i = 0; i < q->project->nversions; i++)
            printf("%s%s", i ? " " : "", q->project->versions[i].version);
        printf("\n");
        print_provenance("versions from", q->project->source, q->project->origin);
    } else if (q->project_rc == 1) {
        printf("  %-16s%s\n", "versions", "not found in any source");
    } else if (q->project_rc < 0) {
        error_text(&q->project_err, msg, sizeof(msg));
        printf("  %-16sfailed: %s\n", "versions", msg);
    }
    if (!q->version)
        return;
    if (q->release_rc == 1) {
        printf("  %-16s%s\n", "release", "not found in any source");
        return;
    }
    if (q->release_rc < 0) {
        error_text(&q->release_err, msg, sizeof(msg));
        printf("  %-16sfailed: %s\n", "release", msg);
        return;
    }
    const da_release *r = q->release;
    printf("  %-16s%s\n", "requires-python", r->requires_python ? r->requires_python : "(any)");
    if (r->requires_known)
        print_list("requires", &r->requires_dist);
    else
        printf("  %-16s%s\n", "requires", "unknown");
    if (r->requires_incomplete)
        printf("  %-16s%s\n", "", "(incomplete: the source dropped some requirements)");
    print_list(r->modules_known ? "modules" : "modules (guess)", &r->modules);
    print_list("namespaces", &r->namespaces);
    print_provenance("metadata from", r->source, r->origin);
}

static cJSON *query_json(const query *q)
{
    char msg[2048];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", q->name);
    if (q->version)
        cJSON_AddStringToObject(o, "version", q->version);
    else
        cJSON_AddNullToObject(o, "version");
    if (q->project_rc == 0) {
        char *pj = da_project_to_json(q->project);
        cJSON_AddItemToObject(o, "project", cJSON_Parse(pj));
        free(pj);
    } else if (q->project_rc < 0) {
        error_text(&q->project_err, msg, sizeof(msg));
        cJSON_AddStringToObject(o, "project_error", msg);
    } else {
        cJSON_AddNullToObject(o, "project");
    }
    if (q->release_rc == 0 && q->release) {
        char *rj = da_release_to_json(q->release);
        cJSON_AddItemToObject(o, "release", cJSON_Parse(rj));
        free(rj);
    } else if (q->release_rc < 0) {
        error_text(&q->release_err, msg, sizeof(msg));
        cJSON_AddStringToObject(o, "release_error", msg);
    } else {
        cJSON_AddNullToObject(o, "release");
    }
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

/* --site-packages without names: every installed distribution and its top-level names. */
static int list_site_packages(const da_strlist *dirs, bool json)
{
    cJSON *arr = cJSON_CreateArray();
    int rc = DA_EXIT_OK;
    for (size_t d = 0; d < dirs->len; d++) {
        da_release **list = NULL;
        da_strlist warnings = {0};
        da_error err = {0};
        int n = da_site_packages_scan(dirs->items[d], &list, &warnings, &err);
        if (n < 0) {
            char msg[2048];
            da_error_format(&err, msg, sizeof(msg));
            fprintf(stderr, "depaudit: %s\n", msg);
            cJSON_Delete(arr);
            return DA_EXIT_USAGE;
        }
        for (size_t w = 0; w < warnings.len; w++)
            fprintf(stderr, "depaudit: warning: %s\n", warnings.items[w]);
        for (int i = 0; i < n; i++) {
            da_strlist tops = {0};
            da_release_top_levels(list[i], &tops);
            if (json) {
                cJSON *o = cJSON_CreateObject();
                cJSON_AddStringToObject(o, "name", list[i]->name);
                cJSON_AddStringToObject(o, "version", list[i]->version);
                cJSON_AddStringToObject(o, "origin", list[i]->origin);
                cJSON_AddBoolToObject(o, "modules_known", list[i]->modules_known);
                strlist_to_json(o, "top_levels", &tops);
                strlist_to_json(o, "modules", &list[i]->modules);
                strlist_to_json(o, "namespaces", &list[i]->namespaces);
                strlist_to_json(o, "requires_dist", &list[i]->requires_dist);
                cJSON_AddItemToArray(arr, o);
            } else {
                printf("%s %s\n", list[i]->name, list[i]->version);
                print_list("top-level", &tops);
                print_list("requires", &list[i]->requires_dist);
                printf("  %-16s%s\n", "from", list[i]->origin);
            }
            da_strlist_free(&tops);
        }
        da_releases_free(list, (size_t)n);
        da_strlist_free(&warnings);
    }
    if (json) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddItemToObject(root, "distributions", arr);
        char *s = cJSON_Print(root);
        puts(s);
        free(s);
        cJSON_Delete(root);
    } else {
        cJSON_Delete(arr);
    }
    return rc;
}

static int parse_python_version(const char *s, da_target *t)
{
    int major = 0, minor = 0;
    char extra = 0;
    if (sscanf(s, "%d.%d%c", &major, &minor, &extra) != 2 || major != 3 || minor < 0 || minor > 99)
        return -1;
    da_target_init(t, major, minor, -1);
    return 0;
}

int cmd_metadata(int argc, char **argv)
{
    da_metadata_options o;
    da_metadata_options_init(&o);
    bool json = false, show_stats = false;
    da_strlist names = {0};
    int rc = DA_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED_VALUE()                                                                               \
    do {                                                                                           \
        if (!next) {                                                                               \
            rc = cli_usage_error("metadata: %s needs a value", a);                                 \
            goto done;                                                                             \
        }                                                                                          \
        i++;                                                                                       \
    } while (0)
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(metadata_usage, stdout);
            goto done;
        } else if (strcmp(a, "--format") == 0) {
            NEED_VALUE();
            if (strcmp(next, "json") == 0)
                json = true;
            else if (strcmp(next, "text") != 0) {
                rc = cli_usage_error("metadata: --format must be text or json, not %s", next);
                goto done;
            }
        } else if (strcmp(a, "--index-url") == 0 || strcmp(a, "-i") == 0) {
            NEED_VALUE();
            free(o.index_url);
            o.index_url = da_xstrdup(next);
        } else if (strcmp(a, "--extra-index-url") == 0) {
            NEED_VALUE();
            da_strlist_push(&o.extra_index_urls, next);
        } else if (strcmp(a, "--offline") == 0) {
            o.offline = true;
        } else if (strcmp(a, "--cache-dir") == 0) {
            NEED_VALUE();
            free(o.cache_dir);
            o.cache_dir = da_xstrdup(next);
        } else if (strcmp(a, "--no-cache") == 0) {
            o.no_cache = true;
        } else if (strcmp(a, "--refresh") == 0) {
            o.refresh = true;
        } else if (strcmp(a, "--site-packages") == 0) {
            NEED_VALUE();
            da_strlist_push(&o.site_packages, next);
        } else if (strcmp(a, "--python") == 0) {
            NEED_VALUE();
            da_error perr = {0};
            if (da_python_site_packages(next, &o.site_packages, &perr) != 0) {
                char msg[2048];
                da_error_format(&perr, msg, sizeof(msg));
                rc = cli_usage_error("%s", msg);
                goto done;
            }
        } else if (strcmp(a, "--cert") == 0) {
            NEED_VALUE();
            free(o.cert);
            o.cert = da_xstrdup(next);
        } else if (strcmp(a, "--python-version") == 0) {
            NEED_VALUE();
            if (parse_python_version(next, &o.target) != 0) {
                rc = cli_usage_error("metadata: --python-version wants 3.Y, not %s", next);
                goto done;
            }
        } else if (strcmp(a, "--no-snapshot") == 0) {
            o.use_snapshot = false;
        } else if (strcmp(a, "--timeout") == 0) {
            NEED_VALUE();
            char *end = NULL;
            double secs = strtod(next, &end);
            if (!end || *end || secs <= 0 || secs > 3600) {
                rc = cli_usage_error("metadata: --timeout wants seconds, not %s", next);
                goto done;
            }
            o.timeout_ms = (long)(secs * 1000);
        } else if (strcmp(a, "--retries") == 0) {
            NEED_VALUE();
            char *end = NULL;
            long n = strtol(next, &end, 10);
            if (!end || *end || n < 0 || n > 20) {
                rc = cli_usage_error("metadata: --retries wants 0..20, not %s", next);
                goto done;
            }
            o.retries = (int)n;
        } else if (strcmp(a, "--stats") == 0) {
            show_stats = true;
        } else if (a[0] == '-') {
            rc = cli_usage_error("metadata: unknown option %s (see --help)", a);
            goto done;
        } else {
            da_strlist_push(&names, a);
        }
#undef NEED_VALUE
    }
    da_metadata_options_from_env(&o);
    if (names.len == 0 && o.site_packages.len > 0) {
        rc = list_site_packages(&o.site_packages, json);
        goto done;
    }
    if (names.len == 0) {
        rc = cli_usage_error("metadata: name a distribution (NAME or NAME==VERSION)");
        goto done;
    }
    da_metadata *m = NULL;
    da_error err = {0};
    if (da_metadata_open(&o, &m, &err) != 0) {
        char msg[2048];
        da_error_format(&err, msg, sizeof(msg));
        rc = cli_usage_error("%s", msg);
        goto done;
    }
    const da_strlist *warnings = da_metadata_warnings(m);
    for (size_t i = 0; i < warnings->len; i++)
        fprintf(stderr, "depaudit: warning: %s\n", warnings->items[i]);
    query *qs = da_xcalloc(names.len, sizeof(*qs));
    da_strlist plain = {0};
    for (size_t i = 0; i < names.len; i++) {
        char *eq = strstr(names.items[i], "==");
        qs[i].name = eq ? da_xstrndup(names.items[i], (size_t)(eq - names.items[i]))
                        : da_xstrdup(names.items[i]);
        if (eq) {
            qs[i].version = da_xstrdup(eq + 2);
            qs[i].version_given = true;
        }
        da_strlist_push(&plain, qs[i].name);
    }
    /* All pages at once, then all releases at once. */
    da_metadata_prefetch_projects(m, (const char *const *)plain.items, plain.len);
    da_strlist rn = {0}, rv = {0};
    for (size_t i = 0; i < names.len; i++) {
        query *q = &qs[i];
        q->project_rc = da_metadata_get_project(m, q->name, &q->project, &q->project_err);
        if (!q->version && q->project_rc == 0)
            q->version = da_project_latest_version(q->project, &o.target);
        if (q->version) {
            da_strlist_push(&rn, q->name);
            da_strlist_push(&rv, q->version);
        }
    }
    da_metadata_prefetch_releases(m, (const char *const *)rn.items, (const char *const *)rv.items,
                                  rn.len);
    cJSON *out = json ? cJSON_CreateObject() : NULL;
    cJSON *arr = json ? cJSON_AddArrayToObject(out, "distributions") : NULL;
    for (size_t i = 0; i < names.len; i++) {
        query *q = &qs[i];
        q->release_rc = -2; /* not asked */
        if (q->version)
            q->release_rc =
                da_metadata_get_release(m, q->name, q->version, &q->release, &q->release_err);
        if (q->project_rc != 0 && !(q->version_given && q->release_rc == 0))
            rc = DA_EXIT_NO_METADATA;
        if (q->version && q->release_rc != 0)
            rc = DA_EXIT_NO_METADATA;
        if (!q->version)
            rc = DA_EXIT_NO_METADATA;
        if (json)
            cJSON_AddItemToArray(arr, query_json(q));
        else
            print_text(q);
    }
    da_metadata_stats st;
    da_metadata_get_stats(m, &st);
    const da_strlist *missing = da_metadata_missing(m);
    if (json) {
        if (show_stats)
            cJSON_AddItemToObject(out, "stats", stats_json(&st));
        strlist_to_json(out, "missing", missing);
        char *s = cJSON_Print(out);
        puts(s);
        free(s);
        cJSON_Delete(out);
    } else {
        for (size_t i = 0; i < missing->len; i++)
            printf("%s: %s\n", o.offline ? "offline, lacking" : "unavailable", missing->items[i]);
        if (show_stats)
            printf("stats: %ld requests (%ld retries, %ld ranged, %ld whole wheels), %lld bytes, "
                   "%ld cache hits, %ld revalidated, %ld snapshot answers\n",
                   st.requests, st.retries, st.range_requests, st.whole_downloads, st.bytes,
                   st.cache_hits, st.revalidated, st.snapshot_hits);
    }
    for (size_t i = 0; i < names.len; i++) {
        free(qs[i].name);
        free(qs[i].version);
        da_project_free(qs[i].project);
        da_release_free(qs[i].release);
    }
    free(qs);
    da_strlist_free(&plain);
    da_strlist_free(&rn);
    da_strlist_free(&rv);
    da_metadata_close(m);
done:
    da_strlist_free(&names);
    da_metadata_options_free(&o);
    return rc;
}
