/* Release metadata from the index: choose the file the target would install, then in as
 * few round trips as possible (each step for every release of the batch at once):
 *   1. the PEP 658 .metadata file (hash checked) and the wheel's last tail_bytes;
 *   2. the rest of the central directory, when it starts before the tail;
 *   3. the METADATA member's extent, when there was no .metadata and the tail missed it.
 * Requirements come from the metadata, modules from the zip's name list. A server that
 * ignores Range gives the whole wheel, whose sha256 is then checked. Answers are cached
 * by the file's hash (immutable); failures are never cached. */
#include "metadata/metadata_source.h"

#include "depaudit/core_metadata.h"
#include "depaudit/pep.h"
#include "depaudit/wheel.h"
#include "metadata/project_files.h"
#include "metadata/release_json.h"
#include "metadata/sha256.h"
#include "metadata/shown_text.h"
#include "metadata/wheel_ranges.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bumped when the cached release format or derivation changes. */
#define RELEASE_CACHE_VERSION "r1"

char *da_release_memo_key(const char *name, const char *version)
{
    char *norm = da_name_normalize(name);
    char *v = da_version_key(version);
    char *k = da_xasprintf("%s==%s", norm, v);
    free(norm);
    free(v);
    return k;
}

typedef struct release_job {
    da_memo *memo; /* set once every memo of the batch is added (the table may move) */
    size_t memo_index;
    char *name, *version;
    da_release_file file; /* copy of the chosen file */
    char *origin;         /* redacted file URL */
    char *cache_key;
    da_sparse_file zip;
    char *metadata;
    size_t metadata_len;
    bool metadata_from_file; /* the .metadata file answered */
    da_http_request *req_meta, *req_tail, *req_more, *req_member;
    bool failed;
    bool done;
} release_job;

/* Fails j with fmt (one %s: detail, shown escaped, for it may come from the index). */
static void fail(release_job *j, const char *url, const char *fmt, const char *detail)
{
    if (j->failed)
        return;
    char *red = da_url_hide_credentials(url, DA_URL_REDACT);
    char *shown = da_shown_text(detail);
    da_error_set(&j->memo->error, red, 0, 0, fmt, shown);
    free(shown);
    free(red);
    j->failed = true;
}

static da_project_version *find_version(da_project *p, const char *version)
{
    char *key = da_version_key(version);
    da_project_version *found = NULL;
    for (size_t i = 0; i < p->nversions && !found; i++)
        if (strcmp(p->versions[i].version, key) == 0)
            found = &p->versions[i];
    free(key);
    return found;
}

static void copy_file(da_release_file *dst, const da_release_file *src)
{
    *dst = *src;
    dst->filename = src->filename ? da_xstrdup(src->filename) : NULL;
    dst->url = src->url ? da_xstrdup(src->url) : NULL;
    dst->sha256 = src->sha256 ? da_xstrdup(src->sha256) : NULL;
    dst->requires_python = src->requires_python ? da_xstrdup(src->requires_python) : NULL;
    dst->upload_time = src->upload_time ? da_xstrdup(src->upload_time) : NULL;
    dst->metadata_sha256 = src->metadata_sha256 ? da_xstrdup(src->metadata_sha256) : NULL;
}

/* An sdist-only release: requirements and modules unknown; the import name guessed from
 * the distribution name, labelled as a guess (modules_known stays false). */
static da_release *sdist_only_release(const char *name, const char *version, const char *url)
{
    da_release *r = da_xcalloc(1, sizeof(*r));
    r->name = da_name_normalize(name);
    r->version = da_xstrdup(version);
    char *guess = da_xstrdup(r->name);
    for (char *c = guess; *c; c++)
        if (*c == '-')
            *c = '_';
    da_strlist_push_owned(&r->modules, guess);
    r->modules_known = false;
    r->requires_known = false;
    r->source = DA_SOURCE_INDEX;
    char *red = da_url_hide_credentials(url, DA_URL_REDACT);
    r->origin = da_xasprintf("%s (sdist only: requirements unknown, modules guessed from the "
                             "name)",
                             red);
    free(red);
    return r;
}

/* Picks the file and sets up step 1. Returns false when the job is already answered. */
static bool start_job(da_metadata *m, release_job *j)
{
    char *norm = da_name_normalize(j->name);
    da_memo *pm = da_memo_find(&m->projects, norm);
    free(norm);
    if (!pm || pm->status != 0) {
        j->memo->status = pm ? pm->status : -1;
        if (pm && pm->status == -1)
            j->memo->error = pm->error;
        else if (!pm)
            da_error_set(&j->memo->error, NULL, 0, 0, "%s: project page not fetched", j->name);
        return false;
    }
    da_project_version *v = find_version(pm->project, j->version);
    if (!v || v->nfiles == 0) {
        j->memo->status = 1;
        return false;
    }
    int pick = da_choose_release_file(v->files, v->nfiles, &m->o.target, true);
    if (pick < 0) /* no file for this target: any wheel still tells the requirements */
        for (size_t i = 0; i < v->nfiles && pick < 0; i++)
            if (da_str_ends_with(v->files[i].filename, ".whl"))
                pick = (int)i;
    if (pick < 0) {
        for (size_t i = 0; i < v->nfiles && pick < 0; i++)
            if (da_is_sdist_filename(v->files[i].filename))
                pick = (int)i;
    }
    if (pick < 0) {
        da_error_set(&j->memo->error, pm->project->origin, 0, 0,
                     "%s %s: no wheel or sdist among its %zu files", j->name, j->version,
                     v->nfiles);
        j->memo->status = -1;
        return false;
    }
    copy_file(&j->file, &v->files[pick]);
    j->origin = da_url_hide_credentials(j->file.url, DA_URL_REDACT);
    if (!da_str_ends_with(j->file.filename, ".whl")) {
        j->memo->release = sdist_only_release(j->name, j->version, j->file.url);
        j->memo->status = 0;
        return false;
    }
    char hex[65];
    if (j->file.sha256)
        snprintf(hex, sizeof(hex), "%s", j->file.sha256);
    else
        da_sha256_hex(j->file.url, strlen(j->file.url), hex);
    j->cache_key = da_xasprintf("%s-%s", hex, RELEASE_CACHE_VERSION);
    char *cached = NULL;
    size_t clen = 0;
    if (!m->o.no_cache &&
        da_disk_cache_get_blob(&m->cache, "releases", j->cache_key, &cached, &clen) == 0) {
        da_release *r = da_release_from_json(cached, clen);
        free(cached);
        if (r) {
            r->source = DA_SOURCE_CACHE;
            j->memo->release = r;
            j->memo->status = 0;
            m->stats.cache_hits++;
            return false;
        }
    }
    if (!da_metadata_online(m)) {
        da_error_set(&j->memo->error, j->origin, 0, 0,
                     "offline: metadata of %s %s is not in the cache", j->name, j->version);
        j->memo->status = -1;
        char *line = da_xasprintf("%s==%s: requirements and modules (not in the snapshot or "
                                  "the cache)",
                                  j->name, j->version);
        da_strlist_push_owned(&m->missing, line);
        return false;
    }
    if (j->file.has_metadata) {
        char *u = da_xasprintf("%s.metadata", j->file.url);
        j->req_meta = da_http_request_new(u);
        free(u);
    }
    j->req_tail = da_http_request_new(j->file.url);
    j->req_tail->suffix_len = m->o.tail_bytes;
    return true;
}

/* Takes a ranged (or whole) response into the sparse file. Nothing in it is trusted: the
 * Content-Range must match the body and earlier answers, the size must be a wheel's. */
static void take_range(da_metadata *m, release_job *j, da_http_request *r)
{
    if (r->error) {
        fail(j, j->file.url, "%s", r->error);
        return;
    }
    const char *body = r->body.data ? r->body.data : "";
    if (r->status == 206) {
        da_error err = {0};
        if (da_sparse_add_range(&j->zip, r->range_start, r->range_end, r->total_size, body,
                                r->body.len, NULL, &err) != 0)
            fail(j, j->file.url, "%s", err.message);
    } else if (r->status == 200) {
        /* Range ignored: we have the whole file, so its hash can be checked. */
        m->stats.whole_downloads++;
        if (j->file.sha256) {
            char hex[65];
            da_sha256_hex(body, r->body.len, hex);
            if (strcmp(hex, j->file.sha256) != 0) {
                char *detail = da_xasprintf("expected %s, got %s", j->file.sha256, hex);
                fail(j, j->file.url, "sha256 mismatch of the downloaded file: %s", detail);
                free(detail);
                return;
            }
        }
        if (j->zip.size >= 0 && j->zip.size != (long long)r->body.len) {
            fail(j, j->file.url, "%s", "the file changed size between two requests");
            return;
        }
        da_sparse_free(&j->zip);
        j->zip.size = (long long)r->body.len;
        da_sparse_add(&j->zip, 0, body, r->body.len);
    } else {
        char status[32];
        snprintf(status, sizeof(status), "%ld", r->status);
        fail(j, j->file.url, "unexpected HTTP status %s for a wheel", status);
    }
}

static void take_metadata(release_job *j)
{
    da_http_request *r = j->req_meta;
    char *url = r->url;
    if (r->error) {
        fail(j, url, "%s", r->error);
        return;
    }
    if (r->status == 404) /* advertised but absent: read METADATA from the wheel instead */
        return;
    if (r->status != 200) {
        char status[32];
        snprintf(status, sizeof(status), "%ld", r->status);
        fail(j, url, "unexpected HTTP status %s for a .metadata file", status);
        return;
    }
    if (j->file.metadata_sha256) {
        char hex[65];
        da_sha256_hex(r->body.data ? r->body.data : "", r->body.len, hex);
        if (strcmp(hex, j->file.metadata_sha256) != 0) {
            char *detail = da_xasprintf("expected %s, got %s", j->file.metadata_sha256, hex);
            fail(j, url, "sha256 mismatch of the .metadata file: %s", detail);
            free(detail);
            return;
        }
    }
    j->metadata_len = r->body.len;
    j->metadata = da_buf_take(&r->body);
    j->metadata_from_file = true;
}

static void run_requests(da_metadata *m, release_job *jobs, size_t n, size_t field_offset)
{
    da_http_request **reqs = da_xmalloc((n ? n : 1) * 2 * sizeof(*reqs));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        da_http_request *r = *(da_http_request **)((char *)&jobs[i] + field_offset);
        if (r && !jobs[i].failed && !jobs[i].done)
            reqs[k++] = r;
        if (field_offset == offsetof(release_job, req_tail) && jobs[i].req_meta &&
            !jobs[i].failed && !jobs[i].done)
            reqs[k++] = jobs[i].req_meta;
    }
    da_metadata_transfer(m, reqs, k);
    free(reqs);
}

/* After the tail: the central directory's missing part, if any. */
static void plan_more(da_metadata *m, release_job *j)
{
    long long cd_off = 0, cd_end = 0;
    int rc = da_zip_locate_central_directory(&j->zip, j->origin, &cd_off, &cd_end, &j->memo->error);
    if (rc < 0) {
        j->failed = true;
        return;
    }
    if (rc == 1) {
        /* A long zip comment hid the end record: fetch the largest possible window. */
        long long want = 22 + 65535 + 20 + 56;
        j->req_more = da_http_request_new(j->file.url);
        j->req_more->suffix_len = want;
        return;
    }
    if (!da_sparse_has(&j->zip, cd_off, cd_end - cd_off)) {
        j->req_more = da_http_request_new(j->file.url);
        j->req_more->range_first = cd_off;
        j->req_more->range_last = cd_end - 1;
    }
    (void)m;
}

static char *dist_info_metadata_name(const da_strlist *names)
{
    for (size_t i = 0; i < names->len; i++) {
        const char *n = names->items[i];
        const char *slash = strchr(n, '/');
        if (slash && strcmp(slash, "/METADATA") == 0 && (size_t)(slash - n) > 10 &&
            strncmp(slash - 10, ".dist-info", 10) == 0)
            return da_xstrdup(n);
    }
    return NULL;
}

static void build_release(da_metadata *m, release_job *j, const da_strlist *names)
{
    da_core_metadata md;
    char *origin = da_xasprintf("%s%s", j->origin, j->metadata_from_file ? ".metadata" : "");
    if (da_core_metadata_parse(j->metadata, j->metadata_len, origin, &md, &j->memo->error) != 0) {
        free(origin);
        j->failed = true;
        return;
    }
    free(origin);
    da_release *r = da_xcalloc(1, sizeof(*r));
    r->name = da_name_normalize(md.name ? md.name : j->name);
    r->version = da_xstrdup(md.version ? md.version : j->version);
    r->requires_python = md.requires_python ? da_xstrdup(md.requires_python) : NULL;
    da_strlist_copy_into(&r->requires_dist, &md.requires_dist);
    da_strlist_copy_into(&r->provides_extra, &md.provides_extra);
    da_strlist_copy_into(&r->import_names, &md.import_names);
    r->requires_known = true;
    da_core_metadata_free(&md);
    da_modules_from_paths(names, r);
    r->modules_known = true;
    r->source = DA_SOURCE_INDEX;
    r->origin = da_xstrdup(j->origin);
    if (!m->o.no_cache) {
        char *json = da_release_to_json(r);
        da_disk_cache_put_blob(&m->cache, "releases", j->cache_key, json, strlen(json), NULL);
        free(json);
    }
    j->memo->release = r;
    j->memo->status = 0;
}

/* After step 2: the whole central directory is there (else j fails); its names go to
 * names, and when no .metadata answered, the METADATA member's extent is requested unless
 * the fetched ranges already cover it. */
static void take_directory(da_metadata *m, release_job *j, da_strlist *names)
{
    if (j->req_more) {
        take_range(m, j, j->req_more);
        long long a = 0, b = 0;
        if (!j->failed &&
            da_zip_locate_central_directory(&j->zip, j->origin, &a, &b, &j->memo->error) != 0) {
            if (!j->memo->error.message[0])
                da_error_set(&j->memo->error, j->origin, 0, 0, "cannot find the zip's end record");
            j->failed = true;
        } else if (!j->failed && !da_sparse_has(&j->zip, a, b - a)) {
            fail(j, j->file.url, "%s", "server did not return the central directory");
        }
    }
    if (j->failed)
        return;
    if (da_zip_list_names(&j->zip, j->origin, names, &j->memo->error) != 0) {
        j->failed = true;
        return;
    }
    if (j->metadata)
        return;
    char *member = dist_info_metadata_name(names);
    long long first = 0, end = 0;
    int rc = member
                 ? da_zip_member_extent(&j->zip, j->origin, member, &first, &end, &j->memo->error)
                 : 1;
    if (!member) {
        fail(j, j->file.url, "%s", "wheel without a .dist-info/METADATA member");
    } else if (rc == 1) {
        /* libzip listed it (by a name it decoded) but the directory has no such raw name:
         * a zip that says two different things. */
        fail(j, j->file.url, "corrupt zip: %s is listed but has no directory entry", member);
    } else if (rc != 0) {
        j->failed = true;
    } else if (!da_sparse_has(&j->zip, first, end - first)) {
        j->req_member = da_http_request_new(j->file.url);
        j->req_member->range_first = first;
        j->req_member->range_last = end - 1;
    }
    free(member);
}

void da_index_fetch_releases(da_metadata *m, const char *const *names, const char *const *versions,
                             size_t n)
{
    da_index_fetch_projects(m, names, n);
    release_job *jobs = da_xcalloc(n ? n : 1, sizeof(*jobs));
    size_t njobs = 0;
    for (size_t i = 0; i < n; i++) {
        if (!da_name_is_valid(names[i]))
            continue; /* never reaches a URL; the get_ calls say why */
        char *key = da_release_memo_key(names[i], versions[i]);
        if (da_memo_find(&m->releases, key)) {
            free(key);
            continue;
        }
        release_job *j = &jobs[njobs++];
        da_memo_add(&m->releases, key);
        j->memo_index = m->releases.len - 1;
        free(key);
        j->name = da_xstrdup(names[i]);
        j->version = da_xstrdup(versions[i]);
        j->zip.size = -1;
    }
    for (size_t i = 0; i < njobs; i++) {
        jobs[i].memo = &m->releases.items[jobs[i].memo_index];
        if (!start_job(m, &jobs[i]))
            jobs[i].done = true;
    }
    /* Step 1: .metadata files and tails, together. */
    run_requests(m, jobs, njobs, offsetof(release_job, req_tail));
    for (size_t i = 0; i < njobs; i++) {
        release_job *j = &jobs[i];
        if (j->done || j->failed)
            continue;
        if (j->req_meta)
            take_metadata(j);
        take_range(m, j, j->req_tail);
        if (!j->failed)
            plan_more(m, j);
    }
    /* Step 2: the rest of the central directories (or a longer tail). */
    run_requests(m, jobs, njobs, offsetof(release_job, req_more));
    da_strlist *name_lists = da_xcalloc(njobs ? njobs : 1, sizeof(*name_lists));
    for (size_t i = 0; i < njobs; i++) {
        release_job *j = &jobs[i];
        if (!j->done && !j->failed)
            take_directory(m, j, &name_lists[i]);
    }
    /* Step 3: METADATA members the tail did not cover. */
    run_requests(m, jobs, njobs, offsetof(release_job, req_member));
    for (size_t i = 0; i < njobs; i++) {
        release_job *j = &jobs[i];
        if (j->done || j->failed)
            continue;
        if (j->req_member)
            take_range(m, j, j->req_member);
        if (!j->failed && !j->metadata) {
            char *member = dist_info_metadata_name(&name_lists[i]);
            if (da_zip_read_member(&j->zip, j->origin, member, &j->metadata, &j->metadata_len,
                                   &j->memo->error) != 0)
                j->failed = true;
            free(member);
        }
        if (!j->failed)
            build_release(m, j, &name_lists[i]);
    }
    for (size_t i = 0; i < njobs; i++) {
        release_job *j = &jobs[i];
        if (j->failed)
            j->memo->status = -1;
        da_strlist_free(&name_lists[i]);
        free(j->name);
        free(j->version);
        da_release_file_clear(&j->file);
        free(j->origin);
        free(j->cache_key);
        da_sparse_free(&j->zip);
        free(j->metadata);
        da_http_request_free(j->req_meta);
        da_http_request_free(j->req_tail);
        da_http_request_free(j->req_more);
        da_http_request_free(j->req_member);
    }
    free(name_lists);
    free(jobs);
}
