/* packaging accepts a requirement URL when urlparse() finds a scheme and a network
 * location, or, for file: URLs, when urlunparse(urlparse(url)) gives the URL back. */
#include "url_check.h"

#include "depaudit/util.h"

#include <stdlib.h>
#include <string.h>

static bool is_scheme_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '-' || c == '.';
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* ipaddress.IPv6Address for the bracketed host (an optional %scope allowed), or the
 * IPvFuture form v<hex>.<anything>. */
static bool valid_bracketed_host(const char *h, size_t n)
{
    if (n > 0 && h[0] == 'v') { /* \Av[a-fA-F0-9]+\..+\Z */
        size_t i = 1;
        while (i < n && is_hex(h[i]))
            i++;
        return i > 1 && i + 1 < n && h[i] == '.';
    }
    const char *pct = memchr(h, '%', n);
    if (pct) {
        if ((size_t)(pct - h) + 1 >= n || memchr(pct + 1, '%', n - (size_t)(pct - h) - 1))
            return false;
        n = (size_t)(pct - h);
    }
    /* groups of 1-4 hex digits separated by ':', at most one '::', 8 groups (or 6 and a
     * dotted IPv4 tail) */
    int groups = 0, dcolon = 0;
    size_t i = 0;
    if (n >= 2 && h[0] == ':' && h[1] == ':') {
        dcolon = 1;
        i = 2;
    } else if (n >= 1 && h[0] == ':') {
        return false;
    }
    while (i < n) {
        size_t start = i;
        while (i < n && is_hex(h[i]) && i - start < 5)
            i++;
        if (i < n && h[i] == '.') { /* IPv4 tail */
            i = start;
            int parts = 0;
            while (i < n) {
                size_t s2 = i;
                int val = 0;
                while (i < n && h[i] >= '0' && h[i] <= '9' && i - s2 < 4)
                    val = val * 10 + (h[i++] - '0');
                if (i == s2 || i - s2 > 3 || val > 255 || (i - s2 > 1 && h[s2] == '0'))
                    return false;
                parts++;
                if (i < n) {
                    if (h[i] != '.')
                        return false;
                    i++;
                    if (i == n)
                        return false;
                }
            }
            if (parts != 4)
                return false;
            groups += 2;
            break;
        }
        if (i == start || i - start > 4)
            return false;
        groups++;
        if (i == n)
            break;
        if (h[i] != ':')
            return false;
        i++;
        if (i < n && h[i] == ':') {
            if (dcolon)
                return false;
            dcolon = 1;
            i++;
        } else if (i == n) {
            return false;
        }
    }
    return dcolon ? groups <= 7 : groups == 8;
}

bool pep_url_acceptable(const char *url_in, const char **why)
{
    const char *orig = url_in;
    /* urlsplit: leading C0 controls and spaces dropped, tabs and line breaks removed. */
    while (*url_in && (unsigned char)*url_in <= 0x20)
        url_in++;
    da_buf b = {0};
    da_buf_puts(&b, "");
    for (const char *c = url_in; *c; c++)
        if (*c != '\t' && *c != '\r' && *c != '\n')
            da_buf_putc(&b, *c);
    char *url = da_buf_take(&b);
    char *scheme = da_xstrdup("");
    const char *rest = url;
    const char *colon = strchr(url, ':');
    if (colon && colon > url &&
        ((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z'))) {
        bool ok = true;
        for (const char *c = url; c < colon; c++)
            ok = ok && is_scheme_char(*c);
        if (ok) {
            free(scheme);
            scheme = da_xstrndup(url, (size_t)(colon - url));
            for (char *c = scheme; *c; c++)
                if (*c >= 'A' && *c <= 'Z')
                    *c = (char)(*c - 'A' + 'a');
            rest = colon + 1;
        }
    }
    char *netloc = da_xstrdup("");
    const char *path = rest;
    bool ok = true;
    if (rest[0] == '/' && rest[1] == '/') {
        size_t end = strcspn(rest + 2, "/?#");
        free(netloc);
        netloc = da_xstrndup(rest + 2, end);
        path = rest + 2 + end;
        bool open = strchr(netloc, '[') != NULL, close = strchr(netloc, ']') != NULL;
        if (open != close) {
            ok = false;
            *why = "Invalid IPv6 URL";
        } else if (open) {
            const char *at = strrchr(netloc, '@');
            const char *hp = at ? at + 1 : netloc;
            const char *lb = strchr(hp, '[');
            if (lb) {
                const char *rb = strchr(lb + 1, ']');
                if (lb != hp) {
                    ok = false;
                } else {
                    size_t hl = rb ? (size_t)(rb - lb - 1) : strlen(lb + 1);
                    const char *port = rb ? rb + 1 : "";
                    ok = (!*port || *port == ':') && valid_bracketed_host(lb + 1, hl);
                }
            } else {
                size_t hl = strcspn(hp, ":");
                ok = valid_bracketed_host(hp, hl);
            }
            if (!ok)
                *why = "Invalid IPv6 URL";
        }
    }
    if (ok && strcmp(scheme, "file") == 0) {
        /* urlunparse(urlparse(url)) must give the URL back unchanged */
        const char *hash = strchr(path, '#');
        size_t before_hash = hash ? (size_t)(hash - path) : strlen(path);
        const char *q = memchr(path, '?', before_hash);
        size_t path_len = q ? (size_t)(q - path) : before_hash;
        da_buf r = {0};
        da_buf_puts(&r, "");
        bool path_slashes = path_len >= 2 && path[0] == '/' && path[1] == '/';
        if (netloc[0] || !path_slashes) {
            da_buf_puts(&r, "file://");
            da_buf_puts(&r, netloc);
            if (path_len && path[0] != '/')
                da_buf_putc(&r, '/');
        } else {
            da_buf_puts(&r, "file:");
        }
        da_buf_append(&r, path, path_len);
        if (q && before_hash - path_len > 1)
            da_buf_append(&r, q, before_hash - path_len);
        if (hash && hash[1])
            da_buf_puts(&r, hash);
        ok = strcmp(r.data, orig) == 0;
        if (!ok)
            *why = "Invalid URL given";
        da_buf_free(&r);
    } else if (ok && (!scheme[0] || !netloc[0])) {
        ok = false;
        *why = "Invalid URL";
    }
    free(url);
    free(scheme);
    free(netloc);
    return ok;
}
