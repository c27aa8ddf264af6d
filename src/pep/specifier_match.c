/* packaging's Specifier regular expression, matched by hand. It is a sequence of
 * optional groups whose greedy first choice is always the one the regex engine keeps,
 * so a single forward pass per alternative reproduces it; the alternatives of the
 * version group are selected by look-behinds on the operator, as in the original. */
#include "specifier_impl.h"
#include "text.h"

#include <stdint.h>
#include <string.h>

#define NO_MATCH SIZE_MAX

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_sep(char c)
{
    return c == '-' || c == '_' || c == '.';
}

static size_t digits(const char *s, size_t n, size_t p)
{
    while (p < n && is_digit(s[p]))
        p++;
    return p;
}

static size_t opt_sep(const char *s, size_t n, size_t p)
{
    return (p < n && is_sep(s[p])) ? p + 1 : p;
}

static const char *const PRE_WORDS[] = {"alpha", "beta", "preview", "pre", "a",
                                        "b",     "c",    "rc",      NULL};
static const char *const POST_WORDS[] = {"post", "rev", "r", NULL};

static size_t word(const char *s, size_t n, size_t p, const char *const *words)
{
    for (size_t i = 0; words[i]; i++) {
        size_t l = pep_ci_word(s + p, n - p, words[i]);
        if (l)
            return p + l;
    }
    return NO_MATCH;
}

/* `\s* v? (?:[0-9]+!)? [0-9]+(?:\.[0-9]+)*` (or `+` when min_parts is 2). */
static size_t release(const char *s, size_t n, size_t p, int min_parts)
{
    p = pep_skip_space(s, n, p);
    p += pep_ci_char(s + p, n - p, 'v');
    size_t e = digits(s, n, p);
    if (e > p && e < n && s[e] == '!')
        p = e + 1;
    e = digits(s, n, p);
    if (e == p)
        return NO_MATCH;
    int parts = 1;
    while (e + 1 < n && s[e] == '.' && is_digit(s[e + 1])) {
        e = digits(s, n, e + 1);
        parts++;
    }
    return parts >= min_parts ? e : NO_MATCH;
}

/* (pre)? (post)? (dev)? and, when with_local, (local)? */
static size_t suffixes(const char *s, size_t n, size_t p, bool with_local)
{
    size_t q = word(s, n, opt_sep(s, n, p), PRE_WORDS);
    if (q != NO_MATCH)
        p = digits(s, n, opt_sep(s, n, q));
    if (p + 1 < n && s[p] == '-' && is_digit(s[p + 1])) {
        p = digits(s, n, p + 1);
    } else {
        q = word(s, n, opt_sep(s, n, p), POST_WORDS);
        if (q != NO_MATCH)
            p = digits(s, n, opt_sep(s, n, q));
    }
    size_t d = opt_sep(s, n, p);
    size_t l = pep_ci_word(s + d, n - d, "dev");
    if (l)
        p = digits(s, n, opt_sep(s, n, d + l));
    if (with_local && p < n && s[p] == '+') {
        size_t q2 = p + 1, a;
        size_t start = q2;
        while ((a = pep_ci_alnum(s + q2, n - q2)) != 0)
            q2 += a;
        if (q2 > start) {
            p = q2;
            while (p + 1 < n && is_sep(s[p]) && (a = pep_ci_alnum(s + p + 1, n - p - 1)) != 0) {
                p += 1;
                while ((a = pep_ci_alnum(s + p, n - p)) != 0)
                    p += a;
            }
        }
    }
    return p;
}

static bool behind(const char *s, size_t pos, const char *text)
{
    size_t l = strlen(text);
    return pos >= l && memcmp(s + pos - l, text, l) == 0;
}

/* The version group's alternatives in their order; calls back each one that matches. */
static size_t version_alternative(const char *s, size_t n, size_t v, int alt)
{
    size_t p;
    switch (alt) {
    case 0: /* (?<====) \s* [^\s;)]* : anything for the arbitrary-equality operator */
        if (!behind(s, v, "==="))
            return NO_MATCH;
        p = pep_skip_space(s, n, v);
        while (p < n && s[p] != ';' && s[p] != ')' && pep_space_len(s + p, n - p) == 0) {
            uint32_t cp;
            p += pep_utf8_decode(s + p, n - p, &cp);
        }
        return p;
    case 1: /* (?<===|!=) : wildcards and local versions allowed */
        if (!behind(s, v, "==") && !behind(s, v, "!="))
            return NO_MATCH;
        p = release(s, n, v, 1);
        if (p == NO_MATCH)
            return NO_MATCH;
        if (p + 1 < n && s[p] == '.' && s[p + 1] == '*')
            return p + 2;
        return suffixes(s, n, p, true);
    case 2: /* (?<=~=) : at least two release parts, no local */
        if (!behind(s, v, "~="))
            return NO_MATCH;
        p = release(s, n, v, 2);
        return p == NO_MATCH ? NO_MATCH : suffixes(s, n, p, false);
    default: /* (?<!==|!=|~=) : the ordering operators */
        if (behind(s, v, "==") || behind(s, v, "!=") || behind(s, v, "~="))
            return NO_MATCH;
        p = release(s, n, v, 1);
        return p == NO_MATCH ? NO_MATCH : suffixes(s, n, p, false);
    }
}

static const char *const OPERATORS[] = {"~=", "==", "!=", "<=", ">=", "<", ">", "===", NULL};

bool pep_specifier_match(const char *s, size_t n, size_t pos, bool anchored, pep_spec_match *m)
{
    if (anchored)
        pos = pep_skip_space(s, n, 0);
    for (size_t i = 0; OPERATORS[i]; i++) {
        size_t ol = strlen(OPERATORS[i]);
        if (pos + ol > n || memcmp(s + pos, OPERATORS[i], ol) != 0)
            continue;
        size_t v = pos + ol;
        for (int alt = 0; alt < 4; alt++) {
            size_t e = version_alternative(s, n, v, alt);
            if (e == NO_MATCH)
                continue;
            if (anchored && pep_skip_space(s, n, e) != n)
                continue;
            m->op_start = pos;
            m->op_len = ol;
            m->ver_start = v;
            m->ver_end = e;
            m->end = anchored ? n : e;
            return true;
        }
    }
    return false;
}
