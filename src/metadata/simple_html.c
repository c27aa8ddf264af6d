/* PEP 503 HTML project pages: every <a> element is a file; the URL fragment carries the
 * hash; data-requires-python, data-yanked and data-core-metadata (PEP 714; older pages
 * say data-dist-info-metadata) carry the rest. A small tolerant scanner rather than an
 * HTML parser: index pages are machine-written and only anchors matter. */
#include "depaudit/metadata.h"

#include "depaudit/pep.h"
#include "metadata/project_files.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* HTML character references: the named ones index pages use, and numeric ones. */
static char *decode_entities(const char *s, size_t n)
{
    da_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '&') {
            da_buf_putc(&b, s[i]);
            continue;
        }
        size_t semi = i + 1;
        while (semi < n && semi - i < 12 && s[semi] != ';')
            semi++;
        if (semi >= n || s[semi] != ';') {
            da_buf_putc(&b, s[i]);
            continue;
        }
        const char *ent = s + i + 1;
        size_t elen = semi - i - 1;
        unsigned long cp = 0;
        bool ok = true;
        if (elen == 2 && strncmp(ent, "lt", 2) == 0)
            cp = '<';
        else if (elen == 2 && strncmp(ent, "gt", 2) == 0)
            cp = '>';
        else if (elen == 3 && strncmp(ent, "amp", 3) == 0)
            cp = '&';
        else if (elen == 4 && strncmp(ent, "quot", 4) == 0)
            cp = '"';
        else if (elen == 4 && strncmp(ent, "apos", 4) == 0)
            cp = '\'';
        else if (elen >= 2 && ent[0] == '#') {
            char *end = NULL;
            char num[16] = "";
            memcpy(num, ent + 1, elen - 1 < 15 ? elen - 1 : 15);
            if (num[0] == 'x' || num[0] == 'X')
                cp = strtoul(num + 1, &end, 16);
            else
                cp = strtoul(num, &end, 10);
            ok = end && *end == '\0' && cp > 0 && cp <= 0x10FFFF;
        } else
            ok = false;
        if (!ok) {
            da_buf_putc(&b, s[i]);
            continue;
        }
        /* UTF-8 encode the code point. */
        if (cp < 0x80) {
            da_buf_putc(&b, (char)cp);
        } else if (cp < 0x800) {
            da_buf_putc(&b, (char)(0xC0 | (cp >> 6)));
            da_buf_putc(&b, (char)(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            da_buf_putc(&b, (char)(0xE0 | (cp >> 12)));
            da_buf_putc(&b, (char)(0x80 | ((cp >> 6) & 0x3F)));
            da_buf_putc(&b, (char)(0x80 | (cp & 0x3F)));
        } else {
            da_buf_putc(&b, (char)(0xF0 | (cp >> 18)));
            da_buf_putc(&b, (char)(0x80 | ((cp >> 12) & 0x3F)));
            da_buf_putc(&b, (char)(0x80 | ((cp >> 6) & 0x3F)));
            da_buf_putc(&b, (char)(0x80 | (cp & 0x3F)));
        }
        i = semi;
    }
    return da_buf_take(&b);
}

typedef struct anchor_attrs {
    char *href, *requires_python, *yanked, *core_metadata, *dist_info_metadata;
    bool has_yanked;
} anchor_attrs;

static void attrs_free(anchor_attrs *a)
{
    free(a->href);
    free(a->requires_python);
    free(a->yanked);
    free(a->core_metadata);
    free(a->dist_info_metadata);
}

/* Parses the attributes of a tag from p (just after "<a") to the closing '>'. Returns the
 * position after '>' or NULL when the tag never closes. */
static const char *parse_attrs(const char *p, const char *end, anchor_attrs *a)
{
    while (p < end) {
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (p < end && *p == '>')
            return p + 1;
        if (p < end && *p == '/') {
            p++;
            continue;
        }
        const char *name = p;
        while (p < end && !isspace((unsigned char)*p) && *p != '=' && *p != '>' && *p != '/')
            p++;
        size_t nlen = (size_t)(p - name);
        while (p < end && isspace((unsigned char)*p))
            p++;
        char *value = NULL;
        if (p < end && *p == '=') {
            p++;
            while (p < end && isspace((unsigned char)*p))
                p++;
            const char *v = p;
            if (p < end && (*p == '"' || *p == '\'')) {
                char q = *p++;
                v = p;
                while (p < end && *p != q)
                    p++;
                if (p >= end)
                    return NULL;
                value = decode_entities(v, (size_t)(p - v));
                p++;
            } else {
                while (p < end && !isspace((unsigned char)*p) && *p != '>')
                    p++;
                value = decode_entities(v, (size_t)(p - v));
            }
        }
        if (nlen == 0) {
            free(value);
            if (p < end && *p != '>')
                p++;
            continue;
        }
        char **slot = NULL;
        if (nlen == 4 && strncasecmp(name, "href", 4) == 0)
            slot = &a->href;
        else if (nlen == 20 && strncasecmp(name, "data-requires-python", 20) == 0)
            slot = &a->requires_python;
        else if (nlen == 11 && strncasecmp(name, "data-yanked", 11) == 0) {
            slot = &a->yanked;
            a->has_yanked = true;
        } else if (nlen == 18 && strncasecmp(name, "data-core-metadata", 18) == 0)
            slot = &a->core_metadata;
        else if (nlen == 23 && strncasecmp(name, "data-dist-info-metadata", 23) == 0)
            slot = &a->dist_info_metadata;
        if (slot && !*slot)
            *slot = value ? value : da_xstrdup("");
        else
            free(value);
    }
    return NULL;
}

static char *percent_decode(const char *s, size_t n)
{
    da_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
            isxdigit((unsigned char)s[i + 2])) {
            char hex[3] = {s[i + 1], s[i + 2], 0};
            da_buf_putc(&b, (char)strtol(hex, NULL, 16));
            i += 2;
        } else {
            da_buf_putc(&b, s[i]);
        }
    }
    return da_buf_take(&b);
}

/* The file name is the last path segment of the link's URL (what installers use). */
static char *filename_of(const char *href)
{
    size_t path_len = strcspn(href, "?#");
    size_t start = path_len;
    while (start > 0 && href[start - 1] != '/')
        start--;
    return percent_decode(href + start, path_len - start);
}

/* "sha256=<hex>" out of a fragment or a metadata attribute; NULL otherwise. */
static char *sha256_of(const char *s)
{
    const char *p = strstr(s, "sha256=");
    if (!p)
        return NULL;
    p += 7;
    size_t n = strspn(p, "0123456789abcdefABCDEF");
    if (n != 64)
        return NULL;
    char *h = da_xstrndup(p, n);
    for (char *c = h; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return h;
}

int da_simple_html_parse(const char *body, size_t len, const char *base_url,
                         const char *project_name, const char *origin, da_project **out,
                         da_error *err)
{
    *out = NULL;
    if (memchr(body, '\0', len))
        return da_error_set(err, origin, 0, 0, "HTML page contains a NUL byte");
    da_project *p = da_xcalloc(1, sizeof(*p));
    p->name = da_name_normalize(project_name);
    p->source = DA_SOURCE_INDEX;
    p->origin = da_xstrdup(origin);
    const char *end = body + len;
    const char *s = body;
    int line = 1;
    const char *line_start = body;
    while (s < end) {
        const char *lt = memchr(s, '<', (size_t)(end - s));
        if (!lt)
            break;
        for (const char *c = line_start; c < lt; c++)
            if (*c == '\n')
                line++;
        line_start = lt;
        s = lt + 1;
        if (!(end - s >= 2 && (s[0] == 'a' || s[0] == 'A') &&
              (isspace((unsigned char)s[1]) || s[1] == '>')))
            continue;
        anchor_attrs a = {0};
        const char *after = parse_attrs(s + 1, end, &a);
        if (!after) {
            attrs_free(&a);
            da_project_free(p);
            return da_error_set(err, origin, line, 0, "unterminated <a> tag");
        }
        s = after;
        if (!a.href || !a.href[0]) {
            attrs_free(&a);
            continue;
        }
        da_release_file f = {0};
        f.size = -1;
        f.url = da_url_resolve(base_url, a.href);
        f.filename = filename_of(a.href);
        const char *frag = strchr(a.href, '#');
        if (frag)
            f.sha256 = sha256_of(frag);
        if (a.requires_python && a.requires_python[0])
            f.requires_python = da_xstrdup(a.requires_python);
        f.yanked = a.has_yanked;
        const char *meta = a.core_metadata ? a.core_metadata : a.dist_info_metadata;
        if (meta && strcmp(meta, "false") != 0) {
            f.has_metadata = true;
            f.metadata_sha256 = sha256_of(meta);
        }
        attrs_free(&a);
        if (!f.filename[0] || strchr(f.filename, '/')) {
            da_release_file_clear(&f);
            continue;
        }
        da_project_add_file(p, &f);
    }
    *out = p;
    return 0;
}
