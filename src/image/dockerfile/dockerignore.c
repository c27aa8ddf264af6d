/* .dockerignore as Docker reads and applies it (its documented rules): one pattern per
 * line, `#` at the start of a line a comment, blanks trimmed, `!` an exception, each
 * pattern cleaned like a path and taken relative to the context; Go's filepath.Match
 * syntax plus `**`; a pattern matching a parent directory matches what is inside; the
 * last line that matches decides. The Dockerfile-specific `<name>.dockerignore` next to
 * the Dockerfile wins over the context's. */
#include "depaudit/build_context.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Path cleaning (Go's path.Clean): repeated slashes, `.` elements and `x/..` pairs go;
 * a relative path cannot climb above its start (a leading `..` stays, and never matches
 * a path of the context). */
static char *clean_path(const char *p)
{
    size_t n = strlen(p);
    bool rooted = n && p[0] == '/';
    da_strlist parts = {0};
    for (size_t i = 0; i < n;) {
        while (i < n && p[i] == '/')
            i++;
        size_t s = i;
        while (i < n && p[i] != '/')
            i++;
        if (i == s || (i - s == 1 && p[s] == '.'))
            continue;
        if (i - s == 2 && p[s] == '.' && p[s + 1] == '.') {
            if (parts.len && strcmp(parts.items[parts.len - 1], "..") != 0) {
                free(parts.items[--parts.len]);
                continue;
            }
            if (rooted)
                continue;
        }
        da_strlist_push_owned(&parts, da_xstrndup(p + s, i - s));
    }
    da_buf b = {0};
    da_buf_puts(&b, rooted ? "/" : "");
    for (size_t i = 0; i < parts.len; i++)
        da_buf_printf(&b, "%s%s", i ? "/" : "", parts.items[i]);
    if (b.len == 0)
        da_buf_puts(&b, ".");
    da_strlist_free(&parts);
    return da_buf_take(&b);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static char *trim(const char *s, size_t n)
{
    while (n && is_space(*s))
        s++, n--;
    while (n && is_space(s[n - 1]))
        n--;
    return da_xstrndup(s, n);
}

void da_dockerignore_parse(const char *file, const char *text, size_t len, da_ignore_rules *out)
{
    memset(out, 0, sizeof(*out));
    out->file = file ? da_xstrdup(file) : NULL;
    size_t cap = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3, len -= 3;
    int line = 0;
    for (size_t i = 0; i < len;) {
        size_t s = i;
        while (i < len && text[i] != '\n')
            i++;
        size_t e = i;
        if (i < len)
            i++;
        line++;
        if (e > s && text[s] == '#')
            continue;
        char *p = trim(text + s, e - s);
        bool negate = p[0] == '!';
        if (negate) {
            char *rest = trim(p + 1, strlen(p + 1));
            free(p);
            p = rest;
        }
        if (!p[0] && !negate) {
            free(p);
            continue;
        }
        char *clean = p[0] ? clean_path(p) : da_xstrdup("");
        free(p);
        const char *pat = clean;
        if (strlen(pat) > 1 && pat[0] == '/')
            pat++;
        da_ignore_rule r = {da_xstrdup(pat), negate, line};
        free(clean);
        DA_PUSH(out->items, out->len, cap, r);
    }
}

void da_ignore_rules_free(da_ignore_rules *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->len; i++)
        free(r->items[i].pattern);
    free(r->items);
    free(r->file);
    memset(r, 0, sizeof(*r));
}

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

int da_dockerignore_load(const char *context_dir, const char *dockerfile, da_ignore_rules *out,
                         da_error *err)
{
    memset(out, 0, sizeof(*out));
    char *path = NULL;
    if (dockerfile) {
        path = da_xasprintf("%s.dockerignore", dockerfile);
        if (!is_file(path)) {
            free(path);
            path = NULL;
        }
    }
    if (!path) {
        path = da_xasprintf("%s/.dockerignore", context_dir && *context_dir ? context_dir : ".");
        if (!is_file(path)) {
            free(path);
            return 0;
        }
    }
    /* the file must stay inside the folder it is found in: the context's, or the
     * Dockerfile's for a `<Dockerfile>.dockerignore` */
    const char *slash = strrchr(path, '/');
    char *folder = slash ? da_xstrndup(path, (size_t)(slash - path)) : da_xstrdup(".");
    char *text = NULL;
    size_t len = 0;
    int rc = da_read_file_under(*folder ? folder : "/", path, DA_TEXT_FILE_MAX, &text, &len, err);
    free(folder);
    if (rc != 0) {
        free(path);
        return -1;
    }
    da_dockerignore_parse(path, text, len, out);
    free(text);
    free(path);
    return 0;
}

/* One `[...]` class at p (after the `[`) against c; *end gets the byte after `]`. False with
 * *end NULL for a malformed class (Go reports it as an error: such a pattern matches
 * nothing). */
static bool class_matches(const char *p, unsigned char c, const char **end)
{
    bool negate = *p == '^';
    if (negate)
        p++;
    bool hit = false;
    bool first = true;
    while (*p && (*p != ']' || first)) {
        first = false;
        unsigned char lo = (unsigned char)*p;
        if (lo == '\\' && p[1])
            lo = (unsigned char)*++p;
        p++;
        unsigned char hi = lo;
        if (*p == '-' && p[1] && p[1] != ']') {
            p++;
            hi = (unsigned char)*p;
            if (hi == '\\' && p[1])
                hi = (unsigned char)*++p;
            p++;
        }
        if (lo <= c && c <= hi)
            hit = true;
    }
    if (*p != ']') {
        *end = NULL;
        return false;
    }
    *end = p + 1;
    return hit != negate;
}

/* The pattern from p against the whole of s. Iterative over the string, recursive only at
 * `*` and `**` (whose depth is bounded by the pattern's length); a pattern of many stars
 * could backtrack for long, so each match has a budget of steps (spent: no match). */
static bool glob_from(const char *p, const char *s, long *budget)
{
    while (*p) {
        if (--*budget < 0)
            return false;
        if (p[0] == '*' && p[1] == '*') {
            p += 2;
            if (*p == '/')
                p++;
            if (!*p)
                return true; /* `**` at the end: anything, `/` included */
            /* any number of whole directories, none included */
            for (const char *t = s;; t++) {
                if ((t == s || t[-1] == '/') && glob_from(p, t, budget))
                    return true;
                if (!*t)
                    return false;
            }
        }
        if (*p == '*') {
            p++;
            for (const char *t = s;; t++) {
                if (glob_from(p, t, budget))
                    return true;
                if (!*t || *t == '/')
                    return false;
            }
        }
        if (!*s)
            return false;
        if (*p == '?') {
            if (*s == '/')
                return false;
            p++, s++;
            continue;
        }
        if (*p == '[') {
            const char *end;
            if (*s == '/' || !class_matches(p + 1, (unsigned char)*s, &end))
                return false;
            p = end, s++;
            continue;
        }
        if (*p == '\\' && p[1])
            p++;
        if (*p != *s)
            return false;
        p++, s++;
    }
    return !*s;
}

bool da_ignore_pattern_matches(const char *pattern, const char *path)
{
    if (!pattern[0])
        return false;
    long budget = 200000;
    if (glob_from(pattern, path, &budget))
        return true;
    /* a parent directory matched: everything inside it is matched too */
    char *parent = da_xstrdup(path);
    bool hit = false;
    for (char *slash = strrchr(parent, '/'); slash && !hit; slash = strrchr(parent, '/')) {
        *slash = '\0';
        hit = glob_from(pattern, parent, &budget);
    }
    free(parent);
    return hit;
}

const da_ignore_rule *da_ignore_rules_excluding(const da_ignore_rules *r, const char *path)
{
    if (!r)
        return NULL;
    const da_ignore_rule *decided = NULL;
    for (size_t i = 0; i < r->len; i++) {
        const da_ignore_rule *rule = &r->items[i];
        /* an exception only matters once excluded, an exclusion only while included */
        if (rule->negate != (decided != NULL))
            continue;
        if (da_ignore_pattern_matches(rule->pattern, path))
            decided = rule->negate ? NULL : rule;
    }
    return decided;
}
