#include "metadata/disk_cache.h"

#include "metadata/sha256.h"

#include "depaudit/util_json.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bumped when the entry format changes, so an older cache is ignored, not misread. */
#define CACHE_FORMAT "v1"

static int mkdir_p(const char *path, da_error *err)
{
    char *p = da_xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            da_error_set(err, p, 0, 0, "cannot create cache directory: %s", strerror(errno));
            free(p);
            return -1;
        }
        *s = '/';
    }
    if (mkdir(p, 0755) != 0 && errno != EEXIST) {
        da_error_set(err, p, 0, 0, "cannot create cache directory: %s", strerror(errno));
        free(p);
        return -1;
    }
    free(p);
    return 0;
}

int da_disk_cache_open(da_disk_cache *c, const char *dir, da_error *err)
{
    c->dir = NULL;
    char *base;
    if (dir && dir[0]) {
        base = da_xasprintf("%s/%s", dir, CACHE_FORMAT);
    } else {
        const char *xdg = getenv("XDG_CACHE_HOME");
        const char *home = getenv("HOME");
        if (xdg && xdg[0] == '/')
            base = da_xasprintf("%s/depaudit/%s", xdg, CACHE_FORMAT);
        else if (home && home[0])
            base = da_xasprintf("%s/.cache/depaudit/%s", home, CACHE_FORMAT);
        else
            return da_error_set(err, NULL, 0, 0,
                                "no cache directory: set XDG_CACHE_HOME or HOME, or --cache-dir");
    }
    static const char *const subdirs[] = {"pages", "metadata", "releases"};
    for (size_t i = 0; i < 3; i++) {
        char *d = da_xasprintf("%s/%s", base, subdirs[i]);
        int rc = mkdir_p(d, err);
        free(d);
        if (rc != 0) {
            free(base);
            return -1;
        }
    }
    c->dir = base;
    return 0;
}

void da_disk_cache_close(da_disk_cache *c)
{
    free(c->dir);
    c->dir = NULL;
}

/* Writes data to path atomically: a unique temp file in the same directory, fsync'd
 * contents, then rename over the old entry. */
static int write_atomic(const char *path, const char *data, size_t len, da_error *err)
{
    char *tmp = da_xasprintf("%s.tmp.%ld.XXXXXX", path, (long)getpid());
    int fd = mkstemp(tmp);
    if (fd < 0) {
        da_error_set(err, path, 0, 0, "cannot write cache entry: %s", strerror(errno));
        free(tmp);
        return -1;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            da_error_set(err, path, 0, 0, "cannot write cache entry: %s", strerror(errno));
            close(fd);
            unlink(tmp);
            free(tmp);
            return -1;
        }
        done += (size_t)w;
    }
    fchmod(fd, 0644);
    if (close(fd) != 0 || rename(tmp, path) != 0) {
        da_error_set(err, path, 0, 0, "cannot write cache entry: %s", strerror(errno));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

static char *page_path(const da_disk_cache *c, const char *key)
{
    char hex[65];
    da_sha256_hex(key, strlen(key), hex);
    return da_xasprintf("%s/pages/%s", c->dir, hex);
}

void da_cached_page_free(da_cached_page *p)
{
    free(p->url);
    free(p->content_type);
    free(p->etag);
    free(p->last_modified);
    free(p->body);
    memset(p, 0, sizeof(*p));
}

/* Entry layout: one line of JSON (the key and validators), then the body bytes. The key
 * is stored to detect (astronomically unlikely) digest collisions and foreign files. */
int da_disk_cache_get_page(const da_disk_cache *c, const char *key, da_cached_page *out)
{
    memset(out, 0, sizeof(*out));
    if (!c->dir)
        return 1;
    char *path = page_path(c, key);
    char *data = NULL;
    size_t len = 0;
    if (da_read_file(path, &data, &len, NULL) != 0) {
        free(path);
        return 1;
    }
    char *nl = memchr(data, '\n', len);
    cJSON *meta = nl ? cJSON_ParseWithLength(data, (size_t)(nl - data)) : NULL;
    const cJSON *k = meta ? cJSON_GetObjectItemCaseSensitive(meta, "key") : NULL;
    const cJSON *fetched = meta ? cJSON_GetObjectItemCaseSensitive(meta, "fetched_at") : NULL;
    const cJSON *age = meta ? cJSON_GetObjectItemCaseSensitive(meta, "max_age") : NULL;
    if (!cJSON_IsString(k) || strcmp(k->valuestring, key) != 0 || !cJSON_IsNumber(fetched) ||
        !cJSON_IsNumber(age) || !(fetched->valuedouble >= 0 && fetched->valuedouble < 9e15) ||
        !(age->valuedouble >= 0 && age->valuedouble < 9e15)) {
        cJSON_Delete(meta);
        free(data);
        unlink(path); /* corrupt or foreign: never trust it again */
        free(path);
        return 1;
    }
    out->url = da_json_dup_string(meta, "url");
    out->content_type = da_json_dup_string(meta, "content_type");
    out->etag = da_json_dup_string(meta, "etag");
    out->last_modified = da_json_dup_string(meta, "last_modified");
    out->fetched_at = (long long)fetched->valuedouble;
    out->max_age = (long)age->valuedouble;
    size_t off = (size_t)(nl - data) + 1;
    out->body_len = len - off;
    out->body = da_xmalloc(out->body_len + 1);
    memcpy(out->body, data + off, out->body_len);
    out->body[out->body_len] = '\0';
    cJSON_Delete(meta);
    free(data);
    free(path);
    if (!out->url) {
        da_cached_page_free(out);
        return 1;
    }
    return 0;
}

int da_disk_cache_put_page(const da_disk_cache *c, const char *key, const da_cached_page *p,
                           da_error *err)
{
    if (!c->dir)
        return 0;
    cJSON *meta = cJSON_CreateObject();
    cJSON_AddStringToObject(meta, "key", key);
    cJSON_AddStringToObject(meta, "url", p->url);
    if (p->content_type)
        cJSON_AddStringToObject(meta, "content_type", p->content_type);
    if (p->etag)
        cJSON_AddStringToObject(meta, "etag", p->etag);
    if (p->last_modified)
        cJSON_AddStringToObject(meta, "last_modified", p->last_modified);
    cJSON_AddNumberToObject(meta, "fetched_at", (double)p->fetched_at);
    cJSON_AddNumberToObject(meta, "max_age", (double)p->max_age);
    char *line = cJSON_PrintUnformatted(meta);
    cJSON_Delete(meta);
    da_buf b = {0};
    da_buf_puts(&b, line);
    da_buf_putc(&b, '\n');
    da_buf_append(&b, p->body, p->body_len);
    free(line);
    char *path = page_path(c, key);
    int rc = write_atomic(path, b.data, b.len, err);
    free(path);
    da_buf_free(&b);
    return rc;
}

static bool safe_key(const char *key)
{
    if (!key[0] || strlen(key) > 200)
        return false;
    for (const char *s = key; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || *s == '-' || *s == '_'))
            return false;
    return true;
}

int da_disk_cache_get_blob(const da_disk_cache *c, const char *kind, const char *key, char **data,
                           size_t *len)
{
    *data = NULL;
    *len = 0;
    if (!c->dir || !safe_key(key))
        return 1;
    char *path = da_xasprintf("%s/%s/%s", c->dir, kind, key);
    int rc = da_read_file(path, data, len, NULL) == 0 ? 0 : 1;
    free(path);
    return rc;
}

int da_disk_cache_put_blob(const da_disk_cache *c, const char *kind, const char *key,
                           const char *data, size_t len, da_error *err)
{
    if (!c->dir || !safe_key(key))
        return 0;
    char *path = da_xasprintf("%s/%s/%s", c->dir, kind, key);
    int rc = write_atomic(path, data, len, err);
    free(path);
    return rc;
}
