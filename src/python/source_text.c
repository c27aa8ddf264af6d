/* Source bytes to the UTF-8 text CPython's tokenizer would see. */
#include "python_internal.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PEP 263: a comment matching `coding[:=]\s*([-\w.]+)` on line 1 or 2; line 2 counts only
 * when line 1 is blank or a comment. Copies the name into out (lower case). */
static bool coding_declaration(const char *src, size_t len, char *out, size_t out_size,
                               int *decl_line)
{
    size_t pos = 0;
    for (int line = 1; line <= 2 && pos < len; line++) {
        size_t end = pos;
        while (end < len && src[end] != '\n' && src[end] != '\r')
            end++;
        size_t i = pos;
        while (i < end && (src[i] == ' ' || src[i] == '\t' || src[i] == '\f'))
            i++;
        bool comment = i < end && src[i] == '#';
        if (comment) {
            for (size_t k = i; k + 6 <= end; k++) {
                if (memcmp(src + k, "coding", 6) != 0 || k + 6 >= end ||
                    (src[k + 6] != ':' && src[k + 6] != '='))
                    continue;
                size_t v = k + 7;
                while (v < end && (src[v] == ' ' || src[v] == '\t'))
                    v++;
                size_t n = 0;
                while (v < end && n + 1 < out_size &&
                       (isalnum((unsigned char)src[v]) || src[v] == '-' || src[v] == '_' ||
                        src[v] == '.'))
                    out[n++] = (char)tolower((unsigned char)src[v++]);
                out[n] = '\0';
                if (n > 0) {
                    *decl_line = line;
                    return true;
                }
            }
        }
        if (!comment && i < end)
            return false; /* line 1 is code: line 2 cannot declare */
        pos = end;
        if (pos < len && src[pos] == '\r')
            pos++;
        if (pos < len && src[pos] == '\n')
            pos++;
    }
    return false;
}

/* Python's spellings of UTF-8 ("utf-8", "utf_8", "utf8", "utf-8-*"). */
static bool is_utf8_name(const char *name)
{
    return strcmp(name, "utf-8") == 0 || strcmp(name, "utf_8") == 0 || strcmp(name, "utf8") == 0 ||
           da_str_starts_with(name, "utf-8-") || da_str_starts_with(name, "utf_8_");
}

/* With a BOM CPython accepts only a declaration that normalises to "utf-8" ("_" read as
 * "-"): "utf8" is an error there although it is fine without a BOM. */
static bool is_bom_compatible(const char *name)
{
    char n[64];
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof(n); i++)
        n[i] = name[i] == '_' ? '-' : name[i];
    n[i] = '\0';
    return strcmp(n, "utf-8") == 0 || da_str_starts_with(n, "utf-8-");
}

/* The iconv name for a Python codec name: Python accepts "_" for "-" and a few aliases. */
static void iconv_name(const char *name, char *out, size_t out_size)
{
    if (strcmp(name, "latin-1") == 0 || strcmp(name, "latin_1") == 0 ||
        strcmp(name, "latin1") == 0 || da_str_starts_with(name, "latin-1-") ||
        da_str_starts_with(name, "iso-latin-1") || da_str_starts_with(name, "iso-8859-1-")) {
        snprintf(out, out_size, "ISO-8859-1");
        return;
    }
    size_t n = 0;
    for (; name[n] && n + 1 < out_size; n++)
        out[n] = name[n] == '_' ? '-' : (char)toupper((unsigned char)name[n]);
    out[n] = '\0';
}

static char *convert(const char *src, size_t len, const char *from, size_t *out_len, char **message)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) {
        *message = da_xasprintf("unknown source encoding '%s'", from);
        return NULL;
    }
    size_t cap = len * 4 + 16;
    char *out = da_xmalloc(cap);
    char *in = (char *)src, *o = out;
    size_t inleft = len, outleft = cap - 1;
    size_t r = iconv(cd, &in, &inleft, &o, &outleft);
    int saved = errno;
    iconv_close(cd);
    if (r == (size_t)-1) {
        free(out);
        *message =
            da_xasprintf("cannot decode byte %zu as %s: %s", len - inleft, from, strerror(saved));
        return NULL;
    }
    *o = '\0';
    *out_len = (size_t)(o - out);
    return out;
}

/* "\r\n" and lone "\r" end lines for CPython; tree-sitter counts only "\n". Rewriting
 * them keeps the two in step (columns are unaffected: "\r" is last on its line). */
static void normalise_newlines(char *s, size_t *len)
{
    size_t w = 0;
    for (size_t r = 0; r < *len; r++) {
        if (s[r] == '\r') {
            s[w++] = '\n';
            if (r + 1 < *len && s[r + 1] == '\n')
                r++;
            continue;
        }
        s[w++] = s[r];
    }
    s[w] = '\0';
    *len = w;
}

/* Offset of the first byte that is not part of well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF), or len. */
static size_t invalid_utf8_offset(const char *src, size_t len)
{
    const unsigned char *s = (const unsigned char *)src;
    size_t i = 0;
    while (i < len) {
        /* Eight ASCII bytes at a time: most source is ASCII. */
        uint64_t word;
        while (i + 8 <= len && (memcpy(&word, s + i, 8), (word & 0x8080808080808080ull) == 0))
            i += 8;
        if (i >= len)
            break;
        unsigned char c = s[i];
        size_t n;
        unsigned lo = 0x80, hi = 0xBF;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0)
                lo = 0xA0;
            if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0)
                lo = 0x90;
            if (c == 0xF4)
                hi = 0x8F;
        } else {
            return i;
        }
        if (i + n >= len)
            return i; /* truncated sequence */
        for (size_t k = 1; k <= n; k++) {
            unsigned char d = s[i + k];
            if (d < (k == 1 ? lo : 0x80) || d > (k == 1 ? hi : 0xBF))
                return i;
        }
        i += n + 1;
    }
    return len;
}

char *da_py_decode_source(const char *src, size_t len, size_t *out_len, int *line, char **message)
{
    *line = 0;
    *message = NULL;
    bool bom = len >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0;
    if (bom) {
        src += 3;
        len -= 3;
    }
    char name[64];
    int decl_line = 0;
    char *text;
    size_t n;
    bool declared = coding_declaration(src, len, name, sizeof(name), &decl_line);
    if (declared && bom && !is_bom_compatible(name)) {
        *line = decl_line;
        *message = da_xasprintf("encoding problem: '%s' with a UTF-8 BOM", name);
        return NULL;
    }
    if (declared && !is_utf8_name(name)) {
        if (bom) {
            *line = decl_line;
            *message = da_xasprintf("encoding problem: '%s' with a UTF-8 BOM", name);
            return NULL;
        }
        char from[80];
        iconv_name(name, from, sizeof(from));
        text = convert(src, len, from, &n, message);
        if (!text) {
            *line = decl_line;
            return NULL;
        }
    } else {
        /* UTF-8. Invalid bytes are left for tree-sitter, which reads them as U+FFFD, and
         * reported: CPython refuses such a file, so none of its imports would run. */
        size_t bad = invalid_utf8_offset(src, len);
        if (bad < len) {
            *line = 1;
            for (size_t i = 0; i < bad; i++)
                *line += src[i] == '\n' || (src[i] == '\r' && src[i + 1] != '\n');
            *message = da_xasprintf("invalid UTF-8 (byte 0x%02x); CPython would refuse this file",
                                    (unsigned char)src[bad]);
        }
        text = da_xmalloc(len + 1);
        memcpy(text, src, len);
        text[len] = '\0';
        n = len;
    }
    normalise_newlines(text, &n);
    *out_len = n;
    return text;
}

bool da_py_source_is_plain(const char *src, size_t len)
{
    if ((len >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0) || memchr(src, '\r', len))
        return false;
    char name[64];
    int decl_line;
    if (coding_declaration(src, len, name, sizeof(name), &decl_line) && !is_utf8_name(name))
        return false;
    return invalid_utf8_offset(src, len) == len;
}
