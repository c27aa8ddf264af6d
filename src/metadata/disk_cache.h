/* The disk cache: HTTP pages keyed by URL and Accept, with their validators (ETag,
 * Last-Modified) and freshness (max-age), and immutable blobs keyed by content hash
 * (.metadata files, release answers).
 *
 * Every entry is one header line of JSON (its key, the length and SHA-256 of what follows)
 * and the content. A read checks all three: an entry that was truncated, corrupted or
 * written for another key is removed and reads as absent, so it is fetched again rather
 * than trusted (or blamed on the server). Every write is a temp file in the same
 * directory, fsync'd, then renamed over the entry: a killed run or two processes at once
 * never leave a torn entry, only temp files, which opening the cache removes once they are
 * an hour old. */
#ifndef DEPAUDIT_METADATA_DISK_CACHE_H
#define DEPAUDIT_METADATA_DISK_CACHE_H

#include "depaudit/util.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

typedef struct da_disk_cache {
    char *dir; /* NULL: caching disabled */
} da_disk_cache;

typedef struct da_cached_page {
    char *url; /* the final URL after redirects: base for relative links */
    char *content_type;
    char *etag, *last_modified;
    long long fetched_at; /* unix seconds of the last 200/304 */
    long max_age;         /* seconds the page stays fresh */
    char *body;
    size_t body_len;
} da_cached_page;

/* dir NULL: $XDG_CACHE_HOME/depaudit or $HOME/.cache/depaudit. Creates it. */
int da_disk_cache_open(da_disk_cache *c, const char *dir, da_error *err);
void da_disk_cache_close(da_disk_cache *c);

/* 0 found, 1 absent (or unreadable/corrupt: treated as absent and removed). */
int da_disk_cache_get_page(const da_disk_cache *c, const char *key, da_cached_page *out);
int da_disk_cache_put_page(const da_disk_cache *c, const char *key, const da_cached_page *p,
                           da_error *err);
void da_disk_cache_remove_page(const da_disk_cache *c, const char *key);
void da_cached_page_free(da_cached_page *p);

/* kind is a subdirectory ("metadata", "releases"); key a hex digest or other safe name.
 * get: 0 found (data owned by the caller), 1 absent or not intact (then removed). */
int da_disk_cache_get_blob(const da_disk_cache *c, const char *kind, const char *key, char **data,
                           size_t *len);
int da_disk_cache_put_blob(const da_disk_cache *c, const char *kind, const char *key,
                           const char *data, size_t len, da_error *err);

#endif
