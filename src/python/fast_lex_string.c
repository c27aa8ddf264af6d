/* The fast path's tokenizer: string and bytes literals, and f-strings, whose literal parts
 * and format specs are lexed here and whose replacement fields are lexed as code by
 * fast_lex.c (PEP 701: a field may hold any string, even one with the same quotes).
 *
 * Where a string ends must agree with tree-sitter-python's scanner, and whether it holds an
 * escape sequence with tree-sitter's lexer (the full path takes only escape-free literals
 * as module names). The two agree with CPython on well-formed literals; the malformed ones
 * where they part ways (a truncated \x or \N{ escape, a lone '}' or a '\{' in an f-string,
 * a format spec holding quotes) are left to the full path. */
#include "fast_lex.h"

#if defined(__SSE2__) && !defined(FAST_LEX_SCALAR)
#include <emmintrin.h>
#endif

static const uint8_t str_special[256] = {[0] = 1, ['\n'] = 1, ['\\'] = 1, ['\''] = 1, ['"'] = 1};
static const uint8_t fstr_special[256] = {
    [0] = 1, ['\n'] = 1, ['\\'] = 1, ['\''] = 1, ['"'] = 1, ['{'] = 1, ['}'] = 1};

/* The first position from p holding a byte the string scanners must look at: a quote, a
 * backslash, a newline, the NUL at the end, and with braces '{' and '}'. Sixteen bytes at a
 * time where SSE2 is there (docstrings are long), then by the table. */
static inline uint32_t skip_plain(const char *s, uint32_t p, uint32_t n, const uint8_t *table,
                                  bool braces)
{
#if defined(__SSE2__) && !defined(FAST_LEX_SCALAR)
    const __m128i nl = _mm_set1_epi8('\n'), bs = _mm_set1_epi8('\\'), sq = _mm_set1_epi8('\''),
                  dq = _mm_set1_epi8('"'), nul = _mm_setzero_si128(), lb = _mm_set1_epi8('{'),
                  rb = _mm_set1_epi8('}');
    while (p + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + p));
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, nl), _mm_cmpeq_epi8(v, bs)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, sq), _mm_cmpeq_epi8(v, dq)));
        m = _mm_or_si128(m, _mm_cmpeq_epi8(v, nul));
        if (braces)
            m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(v, lb), _mm_cmpeq_epi8(v, rb)));
        int mask = _mm_movemask_epi8(m);
        if (mask)
            return p + (uint32_t)__builtin_ctz((unsigned)mask);
        p += 16;
    }
#else
    (void)n;
    (void)braces;
#endif
    while (!table[(unsigned char)s[p]])
        p++;
    return p;
}

uint32_t lx_string_content_start(const tok *t)
{
    uint32_t prefix = t->sub & STR_PREFIX1 ? 1 : t->sub & STR_PREFIX2 ? 2 : 0;
    return t->start + prefix + (t->sub & STR_TRIPLE ? 3 : 1);
}

uint32_t lx_string_content_end(const tok *t)
{
    return t->end - (t->sub & STR_TRIPLE ? 3 : 1);
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static void need_hex(lexer *lx, uint32_t p, int count)
{
    for (int i = 0; i < count; i++)
        if (!is_hex(lx->s[p + (uint32_t)i]))
            lx_bail(lx); /* CPython rejects a truncated escape; tree-sitter does not */
}

/* s[p] is a backslash in a raw literal: it keeps the next character from ending it. */
static uint32_t raw_escape(lexer *lx, uint32_t p)
{
    if (lx->s[p + 1] == '\0')
        lx_bail(lx);
    return p + 2;
}

/* s[p] is a backslash in a literal that is not raw. Returns where the literal goes on, and
 * sets *escape when tree-sitter's escape_sequence token matches here. */
static uint32_t escape(lexer *lx, uint32_t p, bool bytes, bool *escape)
{
    const char *s = lx->s;
    switch (s[p + 1]) {
    case '\0':
        lx_bail(lx);
    case '\n':
    case '\\':
    case '\'':
    case '"':
    case 'a':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
    case 'v':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
        *escape = true;
        return p + 2;
    case 'x':
        need_hex(lx, p + 2, 2);
        *escape = true;
        return p + 4;
    case 'u':
    case 'U':
        if (bytes)
            return p + 2; /* not an escape in bytes, to tree-sitter's scanner and CPython */
        need_hex(lx, p + 2, s[p + 1] == 'u' ? 4 : 8);
        *escape = true;
        return p + 2;
    case 'N': {
        if (bytes)
            return p + 2;
        /* tree-sitter's \N{[^}]+} would run past the closing quote if no '}' came first. */
        uint32_t k = p + 3;
        if (s[p + 2] != '{')
            lx_bail(lx);
        while ((s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= 'a' && s[k] <= 'z') ||
               (s[k] >= '0' && s[k] <= '9') || s[k] == ' ' || s[k] == '-')
            k++;
        if (k == p + 3 || s[k] != '}')
            lx_bail(lx);
        *escape = true;
        return k + 1;
    }
    default:
        return p + 1; /* not an escape: the backslash is kept, what follows is content */
    }
}

void lx_string(lexer *lx, tok *t, uint32_t start, uint32_t prefix_len, bool fstring, bool raw,
               bool bytes)
{
    const char *s = lx->s;
    uint32_t p = lx->pos;
    char q = s[p];
    bool triple = s[p + 1] == q && s[p + 2] == q;
    p += triple ? 3 : 1;
    if (fstring) {
        if (lx->nmodes >= LX_MAX_FMODES)
            lx_bail(lx);
        lx->modes[lx->nmodes++] = (lx_fmode){FM_MIDDLE, q, triple, raw, lx->depth};
        lx->special = true;
        lx_make(lx, t, TK_FSTART, start, p);
        lx->pos = p;
        return;
    }
    bool esc = false;
    for (;;) {
        p = skip_plain(s, p, lx->n, str_special, false);
        char c = s[p];
        if (c == q) {
            if (!triple) {
                p++;
                break;
            }
            if (s[p + 1] == q && s[p + 2] == q) {
                p += 3;
                break;
            }
            p++;
        } else if (c == '\\') {
            p = raw ? raw_escape(lx, p) : escape(lx, p, bytes, &esc);
        } else if (c == '\n') {
            if (!triple)
                lx_bail(lx);
            p++;
        } else if (c == '\0') {
            lx_bail(lx); /* unterminated, or a NUL inside */
        } else {
            p++; /* the other quote */
        }
    }
    lx_make(lx, t, TK_STRING, start, p);
    t->sub = (uint8_t)((bytes ? STR_BYTES : 0) | (raw ? STR_RAW : 0) | (triple ? STR_TRIPLE : 0) |
                       (esc ? STR_ESCAPE : 0) |
                       (prefix_len == 1   ? STR_PREFIX1
                        : prefix_len == 2 ? STR_PREFIX2
                                          : 0));
    lx->last_sub = t->sub;
    lx->pos = p;
}

static void ftoken(lexer *lx, tok *t, tk_type type, uint32_t start, uint32_t end)
{
    lx_make(lx, t, type, start, end);
    lx->pos = end;
}

static void open_field(lexer *lx, tok *t, uint32_t p)
{
    if (lx->nmodes >= LX_MAX_FMODES)
        lx_bail(lx);
    lx->modes[lx->nmodes++] = (lx_fmode){FM_EXPR, 0, false, false, lx->depth};
    ftoken(lx, t, TK_FLBRACE, p, p + 1);
}

/* The literal part of an f-string, up to a field or the closing quote (returned as t). */
void lx_fstring_middle(lexer *lx, tok *t)
{
    lx_fmode *m = &lx->modes[lx->nmodes - 1];
    const char *s = lx->s;
    uint32_t p = lx->pos;
    bool esc = false;
    for (;;) {
        p = skip_plain(s, p, lx->n, fstr_special, true);
        char c = s[p];
        if (c == m->quote) {
            if (!m->triple || (s[p + 1] == c && s[p + 2] == c)) {
                lx->nmodes--;
                return ftoken(lx, t, TK_FEND, p, p + (m->triple ? 3 : 1));
            }
            p++;
        } else if (c == '{' || c == '}') {
            if (s[p + 1] == c) {
                p += 2; /* {{ or }} */
                continue;
            }
            if (c == '}')
                lx_bail(lx); /* a single '}' */
            return open_field(lx, t, p);
        } else if (c == '\\') {
            if (s[p + 1] == '{' || s[p + 1] == '}') {
                if (!m->raw)
                    lx_bail(lx); /* an invalid escape; CPython versions differ on it */
                p++;             /* raw: a backslash, then the brace as usual */
                continue;
            }
            p = m->raw ? raw_escape(lx, p) : escape(lx, p, false, &esc);
        } else if (c == '\n') {
            if (!m->triple)
                lx_bail(lx);
            p++;
        } else if (c == '\0') {
            lx_bail(lx);
        } else {
            p++;
        }
    }
}

static bool spec_char(char c)
{
    unsigned char u = (unsigned char)c;
    return u >= 0x80 ||
           (c >= ' ' && c <= '~' && c != '{' && c != '}' && c != '\'' && c != '"' && c != '\\');
}

/* A format spec: literal text, a nested field, or the '}' closing the field. */
void lx_fstring_spec(lexer *lx, tok *t)
{
    const char *s = lx->s;
    uint32_t start = lx->pos, p = start;
    while (spec_char(s[p]))
        p++;
    if (p > start)
        return ftoken(lx, t, TK_FSPEC, start, p);
    if (s[p] == '{') {
        if (s[p + 1] == '{')
            lx_bail(lx);
        return open_field(lx, t, p);
    }
    if (s[p] == '}') {
        lx->nmodes--;
        return ftoken(lx, t, TK_FRBRACE, p, p + 1);
    }
    lx_bail(lx);
}
