/* URL joining (RFC 3986 section 5.2) for the relative links of index pages. Credentials
 * are taken out of URLs by da_url_hide_credentials (util). */
#include "depaudit/metadata.h"

#include <stdlib.h>
#include <string.h>

/* Removes "." and ".." segments of an absolute path (RFC 3986 5.2.4), in a new string. */
static char *remove_dot_segments(const char *path, size_t len)
{
    da_strlist segs = {0};
    size_t i = 0;
    bool trailing_slash = false;
    while (i < len) {
        size_t j = i;
        while (j < len && path[j] != '/')
            j++;
        char *seg = da_xstrndup(path + i, j - i);
        trailing_slash = false;
        if (strcmp(seg, ".") == 0) {
            free(seg);
            trailing_slash = true;
        } else if (strcmp(seg, "..") == 0) {
            free(seg);
            if (segs.len > 0 && !(segs.len == 1 && segs.items[0][0] == '\0'))
                free(segs.items[--segs.len]);
            trailing_slash = true;
        } else {
            da_strlist_push_owned(&segs, seg);
        }
        i = j + 1;
        if (j == len)
            break;
        if (j + 1 == len)
            trailing_slash = true;
    }
    da_buf out = {0};
    for (size_t k = 0; k < segs.len; k++) {
        if (k > 0)
            da_buf_putc(&out, '/');
        da_buf_puts(&out, segs.items[k]);
    }
    if (trailing_slash && !(out.len > 0 && out.data[out.len - 1] == '/'))
        da_buf_putc(&out, '/');
    if (out.len == 0 || out.data[0] != '/') {
        da_buf fixed = {0};
        da_buf_putc(&fixed, '/');
        if (out.len)
            da_buf_append(&fixed, out.data, out.len);
        da_buf_free(&out);
        out = fixed;
    }
    da_strlist_free(&segs);
    return da_buf_take(&out);
}

char *da_url_resolve(const char *base, const char *ref)
{
    size_t ref_len = strcspn(ref, "#");
    char *r = da_xstrndup(ref, ref_len);
    char *result = NULL;
    size_t bs = da_url_scheme_len(base);
    if (da_url_scheme_len(r) > 0) {
        result = r;
        r = NULL;
    } else if (r[0] == '/' && r[1] == '/') {
        result = da_xasprintf("%.*s%s", (int)bs, base, r);
    } else {
        /* base = scheme "//" authority path [? query] [# fragment] */
        const char *auth = base + bs;
        const char *path = auth;
        if (auth[0] == '/' && auth[1] == '/') {
            path = auth + 2;
            path += strcspn(path, "/?#");
        }
        size_t base_path_len = strcspn(path, "?#");
        size_t base_query_len = strcspn(path, "#");
        if (r[0] == '\0') {
            result = da_xstrndup(base, (size_t)(path - base) + base_query_len);
        } else if (r[0] == '?') {
            result = da_xasprintf("%.*s%s", (int)((path - base) + base_path_len), base, r);
        } else {
            size_t qpos = strcspn(r, "?");
            da_buf merged = {0};
            if (r[0] == '/') {
                da_buf_append(&merged, r, qpos);
            } else {
                size_t dir_len = base_path_len;
                while (dir_len > 0 && path[dir_len - 1] != '/')
                    dir_len--;
                if (dir_len == 0)
                    da_buf_putc(&merged, '/');
                else
                    da_buf_append(&merged, path, dir_len);
                da_buf_append(&merged, r, qpos);
            }
            char *clean = remove_dot_segments(merged.data, merged.len);
            result = da_xasprintf("%.*s%s%s", (int)(path - base), base, clean, r + qpos);
            free(clean);
            da_buf_free(&merged);
        }
    }
    free(r);
    return result;
}
char *da_url_encode_segment(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    /* "." and ".." would be dot segments, which resolve away: encode their dots too. */
    bool only_dots = s[strspn(s, ".")] == '\0';
    da_buf b = {0};
    da_buf_puts(&b, "");
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        bool unreserved = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                          (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '~' ||
                          (*c == '.' && !only_dots);
        if (unreserved) {
            da_buf_putc(&b, (char)*c);
        } else {
            da_buf_putc(&b, '%');
            da_buf_putc(&b, hex[*c >> 4]);
            da_buf_putc(&b, hex[*c & 15]);
        }
    }
    return da_buf_take(&b);
}
