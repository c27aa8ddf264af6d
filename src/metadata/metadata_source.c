/* The layered source: site-packages (exact installed versions), the embedded snapshot,
 * then the disk cache and the package index; offline stops before the network and says
 * what it lacked. Exposed as a da_provider. */
#include "metadata/metadata_source.h"

#include "depaudit/pep.h"
#include "metadata/http_fetch.h"
#include "metadata/project_files.h"
#include "metadata/shown_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void da_metadata_options_init(da_metadata_options *o)
{
    memset(o, 0, sizeof(*o));
    o->use_snapshot = true;
    o->concurrency = 16;
    o->connect_timeout_ms = 5000;
    o->timeout_ms = 10000;
    o->retries = 2;
    o->budget_ms = 60000;
    o->backoff_ms = 250;
    o->retry_after_cap_s = 30;
    o->page_max_age_s = 600;
    o->tail_bytes = 16384;
    o->speculative_releases = true;
    da_target_init_default(&o->target);
}

void da_metadata_options_free(da_metadata_options *o)
{
    free(o->index_url);
    free(o->cache_dir);
    free(o->cert);
    free(o->index_from);
    da_strlist_free(&o->extra_index_urls);
    da_strlist_free(&o->config_warnings);
    da_strlist_free(&o->site_packages);
    memset(o, 0, sizeof(*o));
}

static int add_index(da_metadata *m, const char *url, da_error *err)
{
    if (!(da_str_starts_with(url, "http://") || da_str_starts_with(url, "https://"))) {
        char *red = da_url_hide_credentials(url, DA_URL_REDACT);
        da_error_set(err, red, 0, 0, "index URL must start with http:// or https://");
        free(red);
        return -1;
    }
    char *u = da_str_ends_with(url, "/") ? da_xstrdup(url) : da_xasprintf("%s/", url);
    if (!da_strlist_contains(&m->indexes, u)) {
        da_strlist_push_owned(&m->index_origins, da_url_hide_credentials(u, DA_URL_REDACT));
        da_strlist_push_owned(&m->indexes, u);
    } else {
        free(u);
    }
    return 0;
}

/* Nobody chose the default index, so not reaching it says "no network", not "the index
 * failed": one line, then the cache and the snapshot, as --offline would (pip would stop;
 * an index somebody configured still does). */
static void check_network(da_metadata *m, da_http *h)
{
    char *reason = NULL;
    if (da_http_probe(h, m->indexes.items[0], &reason) == 0)
        return;
    m->o.offline = true;
    da_strlist_push_owned(&m->warnings,
                          da_xasprintf("no network: the package index %s cannot be reached (%s); "
                                       "answers come from the disk cache and the embedded "
                                       "snapshot (--offline skips this attempt, --index-url or "
                                       "PIP_INDEX_URL name another index)",
                                       m->index_origins.items[0], reason));
    free(reason);
}

/* transport NULL: libcurl when there is an index to ask and not offline. */
static int open_source(const da_metadata_options *o, const da_transport *transport,
                       da_metadata **out, da_error *err)
{
    *out = NULL;
    da_metadata *m = da_xcalloc(1, sizeof(*m));
    if (transport)
        m->transport = *transport; /* owned from here on, whatever happens next */
    m->o = *o;
    m->o.index_url = o->index_url ? da_xstrdup(o->index_url) : NULL;
    m->o.cache_dir = o->cache_dir ? da_xstrdup(o->cache_dir) : NULL;
    m->o.cert = o->cert ? da_xstrdup(o->cert) : NULL;
    m->o.index_from = o->index_from ? da_xstrdup(o->index_from) : NULL;
    memset(&m->o.config_warnings, 0, sizeof(m->o.config_warnings));
    da_strlist_copy_into(&m->warnings, &o->config_warnings);
    memset(&m->o.extra_index_urls, 0, sizeof(m->o.extra_index_urls));
    memset(&m->o.site_packages, 0, sizeof(m->o.site_packages));
    da_strlist_copy_into(&m->o.extra_index_urls, &o->extra_index_urls);
    da_strlist_copy_into(&m->o.site_packages, &o->site_packages);
    if (m->o.concurrency <= 0)
        m->o.concurrency = 16;
    if (m->o.tail_bytes < 1024)
        m->o.tail_bytes = 1024;
    if (m->o.index_url && add_index(m, m->o.index_url, err) != 0)
        goto fail;
    for (size_t i = 0; i < m->o.extra_index_urls.len; i++)
        if (add_index(m, m->o.extra_index_urls.items[i], err) != 0)
            goto fail;
    if (!m->o.no_cache) {
        da_error cerr = {0};
        if (da_disk_cache_open(&m->cache, m->o.cache_dir, &cerr) != 0) {
            if (m->o.cache_dir) { /* asked for explicitly: an error */
                if (err)
                    *err = cerr;
                goto fail;
            }
            char msg[1600];
            da_error_format(&cerr, msg, sizeof(msg));
            da_strlist_push_owned(&m->warnings, da_xasprintf("disk cache disabled: %s", msg));
            m->o.no_cache = true;
        }
    }
    if (!transport && m->indexes.len > 0 && !m->o.offline) {
        da_http *h = da_http_new(&m->o, &m->stats, err);
        if (!h)
            goto fail;
        if (m->o.index_is_default)
            check_network(m, h);
        m->transport = da_http_transport(h);
    }
    if (m->o.use_snapshot) {
        m->snapshot = da_snapshot_open_embedded(err);
        if (!m->snapshot)
            goto fail;
    }
    for (size_t i = 0; i < m->o.site_packages.len; i++) {
        da_release **list = NULL;
        int n = da_site_packages_scan(m->o.site_packages.items[i], &list, NULL, err);
        if (n < 0)
            goto fail;
        m->installed =
            da_xrealloc(m->installed, (m->ninstalled + (size_t)n + 1) * sizeof(*m->installed));
        if (n > 0) /* an empty directory gives no list at all */
            memcpy(m->installed + m->ninstalled, list, (size_t)n * sizeof(*list));
        m->ninstalled += (size_t)n;
        free(list);
    }
    *out = m;
    return 0;
fail:
    da_metadata_close(m);
    return -1;
}

int da_metadata_open(const da_metadata_options *o, da_metadata **out, da_error *err)
{
    return open_source(o, NULL, out, err);
}

int da_metadata_open_with_transport(const da_metadata_options *o, da_transport transport,
                                    da_metadata **out, da_error *err)
{
    return open_source(o, &transport, out, err);
}

void da_metadata_close(da_metadata *m)
{
    if (!m)
        return;
    if (m->transport.destroy)
        m->transport.destroy(m->transport.ctx);
    da_disk_cache_close(&m->cache);
    da_snapshot_close(m->snapshot);
    da_releases_free(m->installed, m->ninstalled);
    da_memo_table_free(&m->projects);
    da_memo_table_free(&m->releases);
    da_strlist_free(&m->indexes);
    da_strlist_free(&m->index_origins);
    da_strlist_free(&m->missing);
    da_strlist_free(&m->warnings);
    da_metadata_options_free(&m->o);
    free(m);
}

void da_metadata_get_stats(const da_metadata *m, da_metadata_stats *out)
{
    *out = m->stats;
}

const da_strlist *da_metadata_warnings(const da_metadata *m)
{
    return &m->warnings;
}

const da_strlist *da_metadata_missing(const da_metadata *m)
{
    return &m->missing;
}

const da_strlist *da_metadata_index_origins(const da_metadata *m)
{
    return &m->index_origins;
}

bool da_metadata_asks_index(const da_metadata *m)
{
    return da_metadata_online(m);
}

bool da_metadata_online(const da_metadata *m)
{
    return m->indexes.len > 0 && !m->o.offline && m->transport.run;
}

void da_metadata_transfer(da_metadata *m, da_http_request **reqs, size_t n)
{
    if (n > 0)
        m->transport.run(m->transport.ctx, reqs, n);
}

/* The name as a PEP 508 name, or DA_METADATA_BAD_NAME with err: checked before the name
 * can reach a URL, a cache key or a message. */
static int check_name(const char *name, da_error *err)
{
    if (da_name_is_valid(name))
        return DA_METADATA_FOUND;
    char *shown = da_shown_text(name); /* it may hold anything, control characters too */
    da_error_set(err, NULL, 0, 0,
                 "\"%s\" is not a valid distribution name (letters, digits, and '.', '-', "
                 "'_' between them)",
                 shown);
    free(shown);
    return DA_METADATA_BAD_NAME;
}

static bool has_network_index(const da_metadata *m)
{
    return m->indexes.len > 0;
}

/* ---- layers ----------------------------------------------------------------------------- */

static const da_release *installed_release(const da_metadata *m, const char *norm,
                                           const char *version)
{
    for (size_t i = 0; i < m->ninstalled; i++) {
        const da_release *r = m->installed[i];
        if (strcmp(r->name, norm) != 0)
            continue;
        if (!version)
            return r;
        char *a = da_version_key(r->version), *b = da_version_key(version);
        bool same = strcmp(a, b) == 0;
        free(a);
        free(b);
        if (same)
            return r;
    }
    return NULL;
}

/* Versions from the snapshot and site-packages, for when no index answers. */
static da_project *local_project(da_metadata *m, const char *norm)
{
    da_project *p = NULL;
    if (m->snapshot) {
        da_strlist versions = {0};
        if (da_snapshot_versions(m->snapshot, norm, &versions) > 0) {
            p = da_xcalloc(1, sizeof(*p));
            p->name = da_xstrdup(norm);
            p->source = DA_SOURCE_SNAPSHOT;
            p->origin = da_xstrdup("embedded snapshot");
            p->versions_complete = da_snapshot_versions_complete(m->snapshot, norm);
            for (size_t i = 0; i < versions.len; i++)
                da_project_add_version(p, versions.items[i]);
            m->stats.snapshot_hits++;
        }
        da_strlist_free(&versions);
    }
    for (size_t i = 0; i < m->ninstalled; i++) {
        const da_release *r = m->installed[i];
        if (strcmp(r->name, norm) != 0)
            continue;
        if (!p) {
            p = da_xcalloc(1, sizeof(*p));
            p->name = da_xstrdup(norm);
            p->source = DA_SOURCE_SITE_PACKAGES;
            p->origin = da_xstrdup(r->origin);
        }
        da_project_add_version(p, r->version);
    }
    return p;
}

int da_metadata_get_project(da_metadata *m, const char *name, da_project **out, da_error *err)
{
    *out = NULL;
    if (check_name(name, err) != DA_METADATA_FOUND)
        return DA_METADATA_BAD_NAME;
    char *norm = da_name_normalize(name);
    int index_status = 1;
    da_error index_err = {0};
    if (has_network_index(m)) {
        const char *names[1] = {norm};
        da_index_fetch_projects(m, names, 1);
        da_memo *e = da_memo_find(&m->projects, norm);
        index_status = e ? e->status : -1;
        if (index_status == 0) {
            *out = da_project_copy(e->project);
            free(norm);
            return 0;
        }
        if (e)
            index_err = e->error;
        if (index_status == -1 && !m->o.offline) {
            if (err)
                *err = index_err;
            free(norm);
            return -1;
        }
        if (index_status == 1) {
            /* 404 from every index: the project does not exist there, as pip would find;
             * the snapshot describes another index's project of that name */
            free(norm);
            return 1;
        }
    }
    da_project *local = local_project(m, norm);
    if (local) {
        *out = local;
        free(norm);
        return 0;
    }
    /* No index to ask (none configured, or offline without a cached page): unknown, which
     * is a failure and never "no versions". */
    if (index_err.message[0]) {
        if (err)
            *err = index_err;
        if (m->o.offline)
            da_strlist_push_owned(
                &m->missing, da_xasprintf("%s: versions (not in the snapshot or the cache)", norm));
    } else {
        da_strlist_push_owned(&m->missing, da_xasprintf("%s: versions (not in the snapshot%s)",
                                                        norm, m->o.offline ? " or the cache" : ""));
        da_error_set(err, NULL, 0, 0,
                     m->o.offline ? "offline: no versions of %s in the snapshot or the cache"
                                  : "no package index configured (--index-url or "
                                    "PIP_INDEX_URL) and %s is not in the snapshot",
                     norm);
    }
    free(norm);
    return -1;
}

static da_release *snapshot_release(da_metadata *m, const char *norm, const char *version,
                                    bool complete_only)
{
    if (!m->snapshot)
        return NULL;
    da_release *r = da_snapshot_release_version(m->snapshot, norm, version);
    if (r && complete_only && (!r->requires_known || r->requires_incomplete || !r->modules_known)) {
        da_release_free(r);
        return NULL;
    }
    if (r)
        m->stats.snapshot_hits++;
    return r;
}

int da_metadata_get_release(da_metadata *m, const char *name, const char *version, da_release **out,
                            da_error *err)
{
    *out = NULL;
    if (check_name(name, err) != DA_METADATA_FOUND)
        return DA_METADATA_BAD_NAME;
    char *norm = da_name_normalize(name);
    const da_release *inst = installed_release(m, norm, version);
    if (inst) {
        *out = da_release_copy(inst);
        free(norm);
        return 0;
    }
    /* Complete snapshot rows are as good as the index; incomplete ones only offline. */
    da_release *snap = snapshot_release(m, norm, version, has_network_index(m) && !m->o.offline);
    if (snap) {
        *out = snap;
        free(norm);
        return 0;
    }
    int rc = 1;
    if (has_network_index(m)) {
        const char *names[1] = {norm};
        const char *versions[1] = {version};
        da_index_fetch_releases(m, names, versions, 1);
        char *key = da_release_memo_key(norm, version);
        da_memo *e = da_memo_find(&m->releases, key);
        free(key);
        if (e && e->status == 0) {
            *out = da_release_copy(e->release);
            free(norm);
            return 0;
        }
        rc = e ? e->status : -1;
        if (rc == -1 && err)
            *err = e ? e->error : *err;
    } else {
        da_strlist_push_owned(&m->missing,
                              da_xasprintf("%s==%s: requirements and modules (not in the "
                                           "snapshot)",
                                           norm, version));
        da_error_set(err, NULL, 0, 0,
                     m->o.offline ? "offline: no metadata for %s %s in the snapshot"
                                  : "no package index configured (--index-url or "
                                    "PIP_INDEX_URL) and %s %s is not in the snapshot",
                     norm, version);
        rc = -1;
    }
    free(norm);
    return rc;
}

void da_metadata_prefetch_projects(da_metadata *m, const char *const *names, size_t n)
{
    if (!has_network_index(m) || n == 0)
        return;
    da_index_fetch_projects(m, names, n);
    if (!m->o.speculative_releases || m->o.offline)
        return;
    /* The newest candidate of each project is the likely pick: fetch its metadata now, in
     * the same wave, rather than one project at a time later. */
    da_strlist rn = {0}, rv = {0};
    for (size_t i = 0; i < n; i++) {
        char *norm = da_name_normalize(names[i]);
        da_memo *e = da_memo_find(&m->projects, norm);
        char *latest =
            e && e->status == 0 ? da_project_latest_version(e->project, &m->o.target) : NULL;
        if (latest) {
            da_strlist_push(&rn, norm);
            da_strlist_push_owned(&rv, latest);
        }
        free(norm);
    }
    da_index_fetch_releases(m, (const char *const *)rn.items, (const char *const *)rv.items,
                            rn.len);
    da_strlist_free(&rn);
    da_strlist_free(&rv);
}

void da_metadata_prefetch_releases(da_metadata *m, const char *const *names,
                                   const char *const *versions, size_t n)
{
    if (!has_network_index(m) || n == 0)
        return;
    da_index_fetch_releases(m, names, versions, n);
}

char *da_project_latest_version(const da_project *p, const da_target *t)
{
    char pyver[32];
    snprintf(pyver, sizeof(pyver), "%d.%d.%d", t->py_major, t->py_minor,
             t->py_micro < 0 ? 0 : t->py_micro);
    da_version *py = da_version_parse(pyver, NULL);
    da_version *best = NULL;
    const char *best_s = NULL;
    for (size_t i = 0; i < p->nversions; i++) {
        const da_project_version *v = &p->versions[i];
        da_version *pv = da_version_parse(v->version, NULL);
        if (!pv)
            continue;
        bool ok = !da_version_is_prerelease(pv);
        if (ok && v->nfiles > 0) {
            ok = false;
            for (size_t j = 0; j < v->nfiles && !ok; j++) {
                const da_release_file *f = &v->files[j];
                if (f->yanked)
                    continue;
                if (!f->requires_python || !py) {
                    ok = true;
                    continue;
                }
                da_specifier_set *s = da_specifier_set_parse(f->requires_python, NULL);
                ok = !s || da_specifier_set_contains(s, py, 1);
                da_specifier_set_free(s);
            }
        }
        if (ok && (!best || da_version_compare(pv, best) > 0)) {
            da_version_free(best);
            best = pv;
            best_s = v->version;
        } else {
            da_version_free(pv);
        }
    }
    da_version_free(best);
    da_version_free(py);
    return best_s ? da_xstrdup(best_s) : NULL;
}

/* ---- provider --------------------------------------------------------------------------- */

static void provider_prefetch(void *ctx, const char *const *names, size_t n)
{
    da_metadata_prefetch_projects(ctx, names, n);
}

static int provider_get_project(void *ctx, const char *name, da_project **out, da_error *err)
{
    return da_metadata_get_project(ctx, name, out, err);
}

static int provider_get_release(void *ctx, const char *name, const char *version, da_release **out,
                                da_error *err)
{
    return da_metadata_get_release(ctx, name, version, out, err);
}

static void provider_destroy(void *ctx)
{
    (void)ctx; /* the caller closes the da_metadata */
}

da_provider da_metadata_provider(da_metadata *m)
{
    da_provider p = {m, provider_prefetch, provider_get_project, provider_get_release,
                     provider_destroy};
    return p;
}
