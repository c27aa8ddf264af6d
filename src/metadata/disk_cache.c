#include "metadata/disk_cache.h"

#include "metadata/sha256.h"

#include "depaudit/util_json.h"

#include <cjson/cJSON.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Bumped when the entry format changes, so an older cache is ignored, not misread.
 * v2: every entry carries the length and SHA-256 of its content. */
#define CACHE_FORMAT "v2"
/* No entry is larger (a page or blob body is at most 512 MiB, see http_fetch.c). */
#define MAX_ENTRY_BYTES (513LL * 1024 * 1024)
/* Temp files older than this were left by a killed run (no write takes an hour). */
#define STALE_TEMP_SECONDS 3600
#define TEMP_MARK ".tmp."

static const char *const subdirs[] = {"pages", "metadata", "releases"};

static int mkdir_p(const char *path, da_error *err)
{
    char *p = da_xstrdup(path);
    for (char *s = p + 1;; s++) {
        bool last = *s == '\0';
        if (!last && *s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            da_error_set(err, p, 0, 0, "cannot create cache directory: %s", strerror(errno));
            free(p);
            return -1;
        }
        if (last)
            break;
        *s = '/';
    }
    free(p);
    return 0;
}

/* Removes temp files a killed writer left behind, once they are surely abandoned. */
static void remove_stale_temps(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strstr(e->d_name, TEMP_MARK))
            continue;
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
            now - st.st_mtime > STALE_TEMP_SECONDS)
            unlinkat(dirfd(d), e->d_name, 0);
    }
    closedir(d);
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
    for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
        char *d = da_xasprintf("%s/%s", base, subdirs[i]);
        int rc = mkdir_p(d, err);
        if (rc == 0)
            remove_stale_temps(d);
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

static int write_all(int fd, const char *data, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        done += (size_t)w;
    }
    return 0;
}

/* Writes data to path atomically: a unique temp file in the same directory, its contents
 * fsync'd, then renamed over the old entry. A crash leaves the old entry or the new one,
 * never a mix; a lost rename (power cut before the directory reached the disk) only loses
 * the entry, which the checks on read would also catch. */
static int write_atomic(const char *path, const char *data, size_t len, da_error *err)
{
    char *tmp = da_xasprintf("%s" TEMP_MARK "%ld.XXXXXX", path, (long)getpid());
    int fd = mkstemp(tmp);
    if (fd < 0) {
        da_error_set(err, path, 0, 0, "cannot write cache entry: %s", strerror(errno));
        free(tmp);
        return -1;
    }
    int rc = write_all(fd, data, len);
    if (rc == 0)
        rc = fchmod(fd, 0644);
    if (rc == 0)
        rc = fsync(fd);
    if (close(fd) != 0)
        rc = -1;
    if (rc == 0)
        rc = rename(tmp, path);
    if (rc != 0) {
        da_error_set(err, path, 0, 0, "cannot write cache entry: %s", strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return rc == 0 ? 0 : -1;
}

/* An entry: header (with the content's length and hash added) on one line, then content. */
static char *entry_encode(cJSON *header, const char *content, size_t len, size_t *out_len)
{
    char hex[65];
    da_sha256_hex(content, len, hex);
    cJSON_AddNumberToObject(header, "len", (double)len);
    cJSON_AddStringToObject(header, "sha256", hex);
    char *line = cJSON_PrintUnformatted(header);
    da_buf b = {0};
    da_buf_puts(&b, line);
    da_buf_putc(&b, '\n');
    da_buf_append(&b, content, len);
    free(line);
    *out_len = b.len;
    return da_buf_take(&b);
}

/* The whole file at path when it is a regular file of sane size; NULL otherwise. */
static char *read_entry_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_ENTRY_BYTES) {
        close(fd);
        return NULL;
    }
    size_t want = (size_t)st.st_size, got = 0;
    char *data = da_xmalloc(want + 1);
    while (got < want) {
        ssize_t r = read(fd, data + got, want - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    data[got] = '\0';
    *len = got;
    return data;
}

/* Reads and checks the entry at path for key: 0 with its header and content (pointing
 * into *raw, which the caller frees), or 1 when absent or not intact. An entry that exists
 * but is not intact (truncated, corrupted, another key's, an older format) is removed. */
static int entry_read(const char *path, const char *key, cJSON **header, const char **content,
                      size_t *content_len, char **raw)
{
    *header = NULL;
    *raw = NULL;
    size_t len = 0;
    char *data = read_entry_file(path, &len);
    if (!data) {
        struct stat st;
        if (lstat(path, &st) == 0)
            unlink(path); /* there, but not a readable regular file of sane size */
        return 1;
    }
    char *nl = memchr(data, '\n', len);
    cJSON *h = nl ? cJSON_ParseWithLength(data, (size_t)(nl - data)) : NULL;
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(h, "key");
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(h, "len");
    const cJSON *sum = cJSON_GetObjectItemCaseSensitive(h, "sha256");
    size_t off = nl ? (size_t)(nl - data) + 1 : 0;
    bool intact = cJSON_IsString(k) && strcmp(k->valuestring, key) == 0 && cJSON_IsNumber(n) &&
                  cJSON_IsString(sum) && nl && n->valuedouble == (double)(len - off);
    if (intact) {
        char hex[65];
        da_sha256_hex(data + off, len - off, hex);
        intact = strcmp(hex, sum->valuestring) == 0;
    }
    if (!intact) {
        cJSON_Delete(h);
        free(data);
        unlink(path); /* never trust it again: the next run fetches it afresh */
        return 1;
    }
    *header = h;
    *content = data + off;
    *content_len = len - off;
    *raw = data;
    return 0;
}

static char *page_path(const da_disk_cache *c, const char *key)
{
    char hex[65];
    da_sha256_hex(key, strlen(key), hex);
    return da_xasprintf("%s/pages/%s", c->dir, hex);
}

static bool sane_seconds(const cJSON *v)
{
    return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 9e15;
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

int da_disk_cache_get_page(const da_disk_cache *c, const char *key, da_cached_page *out)
{
    memset(out, 0, sizeof(*out));
    if (!c->dir)
        return 1;
    char *path = page_path(c, key);
    cJSON *h = NULL;
    const char *body = NULL;
    size_t body_len = 0;
    char *raw = NULL;
    int rc = entry_read(path, key, &h, &body, &body_len, &raw);
    if (rc == 0) {
        const cJSON *fetched = cJSON_GetObjectItemCaseSensitive(h, "fetched_at");
        const cJSON *age = cJSON_GetObjectItemCaseSensitive(h, "max_age");
        out->url = da_json_dup_string(h, "url");
        if (!out->url || !sane_seconds(fetched) || !sane_seconds(age)) {
            unlink(path);
            rc = 1;
        } else {
            out->content_type = da_json_dup_string(h, "content_type");
            out->etag = da_json_dup_string(h, "etag");
            out->last_modified = da_json_dup_string(h, "last_modified");
            out->fetched_at = (long long)fetched->valuedouble;
            out->max_age = (long)age->valuedouble;
            out->body = da_xmalloc(body_len + 1);
            memcpy(out->body, body, body_len);
            out->body[body_len] = '\0';
            out->body_len = body_len;
        }
    }
    if (rc != 0)
        da_cached_page_free(out);
    cJSON_Delete(h);
    free(raw);
    free(path);
    return rc;
}

int da_disk_cache_put_page(const da_disk_cache *c, const char *key, const da_cached_page *p,
                           da_error *err)
{
    if (!c->dir)
        return 0;
    cJSON *h = cJSON_CreateObject();
    cJSON_AddStringToObject(h, "key", key);
    cJSON_AddStringToObject(h, "url", p->url);
    if (p->content_type)
        cJSON_AddStringToObject(h, "content_type", p->content_type);
    if (p->etag)
        cJSON_AddStringToObject(h, "etag", p->etag);
    if (p->last_modified)
        cJSON_AddStringToObject(h, "last_modified", p->last_modified);
    cJSON_AddNumberToObject(h, "fetched_at", (double)p->fetched_at);
    cJSON_AddNumberToObject(h, "max_age", (double)p->max_age);
    size_t len = 0;
    char *entry = entry_encode(h, p->body, p->body_len, &len);
    cJSON_Delete(h);
    char *path = page_path(c, key);
    int rc = write_atomic(path, entry, len, err);
    free(path);
    free(entry);
    return rc;
}

void da_disk_cache_remove_page(const da_disk_cache *c, const char *key)
{
    if (!c->dir)
        return;
    char *path = page_path(c, key);
    unlink(path);
    free(path);
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

static bool known_kind(const char *kind)
{
    for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++)
        if (strcmp(kind, subdirs[i]) == 0 && strcmp(kind, "pages") != 0)
            return true;
    return false;
}

int da_disk_cache_get_blob(const da_disk_cache *c, const char *kind, const char *key, char **data,
                           size_t *len)
{
    *data = NULL;
    *len = 0;
    if (!c->dir || !safe_key(key) || !known_kind(kind))
        return 1;
    char *path = da_xasprintf("%s/%s/%s", c->dir, kind, key);
    cJSON *h = NULL;
    const char *content = NULL;
    char *raw = NULL;
    int rc = entry_read(path, key, &h, &content, len, &raw);
    if (rc == 0) {
        *data = da_xmalloc(*len + 1);
        memcpy(*data, content, *len);
        (*data)[*len] = '\0';
    }
    cJSON_Delete(h);
    free(raw);
    free(path);
    return rc;
}

int da_disk_cache_put_blob(const da_disk_cache *c, const char *kind, const char *key,
                           const char *data, size_t len, da_error *err)
{
    if (!c->dir || !safe_key(key) || !known_kind(kind))
        return 0;
    cJSON *h = cJSON_CreateObject();
    cJSON_AddStringToObject(h, "key", key);
    size_t elen = 0;
    char *entry = entry_encode(h, data, len, &elen);
    cJSON_Delete(h);
    char *path = da_xasprintf("%s/%s/%s", c->dir, kind, key);
    int rc = write_atomic(path, entry, elen, err);
    free(path);
    free(entry);
    return rc;
}
