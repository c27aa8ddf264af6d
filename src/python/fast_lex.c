/* The fast path's tokenizer: indentation, names, numbers, operators, comments and line
 * continuations. Strings and f-strings are in fast_lex_string.c. */
#include "fast_lex.h"

#include "depaudit/util.h"

#include <pthread.h>
#if defined(__SSE2__) && !defined(FAST_LEX_SCALAR)
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

/* Character classes of code (outside strings and comments). */
enum {
    C_BAD,   /* not Python code here, or not something both parsers read alike */
    C_SPACE, /* ' ', '\t', '\f' */
    C_NL,
    C_NAME, /* letters and '_' */
    C_DIGIT,
    C_QUOTE,
    C_HASH,
    C_BSLASH,
    C_OP,
    C_DOT,
    C_NUL,
};

static const uint8_t cclass[256] = {
    [0] = C_NUL,     [' '] = C_SPACE,  ['\t'] = C_SPACE, ['\f'] = C_SPACE, ['\n'] = C_NL,
    ['_'] = C_NAME,  ['\''] = C_QUOTE, ['"'] = C_QUOTE,  ['#'] = C_HASH,   ['\\'] = C_BSLASH,
    ['.'] = C_DOT,   ['('] = C_OP,     [')'] = C_OP,     ['['] = C_OP,     [']'] = C_OP,
    ['{'] = C_OP,    ['}'] = C_OP,     [','] = C_OP,     [':'] = C_OP,     [';'] = C_OP,
    ['+'] = C_OP,    ['-'] = C_OP,     ['*'] = C_OP,     ['/'] = C_OP,     ['%'] = C_OP,
    ['@'] = C_OP,    ['&'] = C_OP,     ['|'] = C_OP,     ['^'] = C_OP,     ['~'] = C_OP,
    ['<'] = C_OP,    ['>'] = C_OP,     ['='] = C_OP,     ['!'] = C_OP,     ['0'] = C_DIGIT,
    ['1'] = C_DIGIT, ['2'] = C_DIGIT,  ['3'] = C_DIGIT,  ['4'] = C_DIGIT,  ['5'] = C_DIGIT,
    ['6'] = C_DIGIT, ['7'] = C_DIGIT,  ['8'] = C_DIGIT,  ['9'] = C_DIGIT,  ['a'] = C_NAME,
    ['b'] = C_NAME,  ['c'] = C_NAME,   ['d'] = C_NAME,   ['e'] = C_NAME,   ['f'] = C_NAME,
    ['g'] = C_NAME,  ['h'] = C_NAME,   ['i'] = C_NAME,   ['j'] = C_NAME,   ['k'] = C_NAME,
    ['l'] = C_NAME,  ['m'] = C_NAME,   ['n'] = C_NAME,   ['o'] = C_NAME,   ['p'] = C_NAME,
    ['q'] = C_NAME,  ['r'] = C_NAME,   ['s'] = C_NAME,   ['t'] = C_NAME,   ['u'] = C_NAME,
    ['v'] = C_NAME,  ['w'] = C_NAME,   ['x'] = C_NAME,   ['y'] = C_NAME,   ['z'] = C_NAME,
    ['A'] = C_NAME,  ['B'] = C_NAME,   ['C'] = C_NAME,   ['D'] = C_NAME,   ['E'] = C_NAME,
    ['F'] = C_NAME,  ['G'] = C_NAME,   ['H'] = C_NAME,   ['I'] = C_NAME,   ['J'] = C_NAME,
    ['K'] = C_NAME,  ['L'] = C_NAME,   ['M'] = C_NAME,   ['N'] = C_NAME,   ['O'] = C_NAME,
    ['P'] = C_NAME,  ['Q'] = C_NAME,   ['R'] = C_NAME,   ['S'] = C_NAME,   ['T'] = C_NAME,
    ['U'] = C_NAME,  ['V'] = C_NAME,   ['W'] = C_NAME,   ['X'] = C_NAME,   ['Y'] = C_NAME,
    ['Z'] = C_NAME,
};

/* [A-Za-z0-9_] */
static const uint8_t name_char[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['_'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1,
    ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1,
    ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
    ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1,
    ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1,
    ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1,
    ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
};

/* Kept out of lx_next, whose common path is then small enough to stay in registers. */
#define NOINLINE __attribute__((noinline))

static inline bool is_name_char(unsigned char c)
{
    return name_char[c];
}

_Noreturn void lx_bail(lexer *lx)
{
    lx->bail_at = lx->pos;
    longjmp(*lx->bail, 1);
}

/* A comment from s[p] ('#') to the end of its line; returns the offset of the '\n' (or
 * the end). Notes a "depaudit: ignore" marker for the record builder. */
NOINLINE static uint32_t comment(lexer *lx, uint32_t p)
{
    const char *nl = memchr(lx->s + p, '\n', lx->n - p);
    uint32_t end = nl ? (uint32_t)(nl - lx->s) : lx->n;
    lx->extras++;
    if (memchr(lx->s + p, ':', end - p)) { /* cheaper than the search on most comments */
        const char *m = memmem(lx->s + p, end - p, "depaudit: ignore", 16);
        if (m) {
            lx_marker mk = {p, end, (uint32_t)(m - lx->s)};
            DA_PUSH(lx->markers, lx->nmarkers, lx->markers_cap, mk);
        }
    }
    return end;
}

/* Measures the indentation of the next line holding code (blank and comment-only lines are
 * skipped, as CPython does) and emits INDENT, DEDENT or EOF into t; returns false when the
 * line continues at the current level and normal scanning should go on. Tabs: CPython
 * counts to the next multiple of 8 (and checks consistency with tabs as 1), tree-sitter
 * adds 8; a line where the two disagree is left to the full path. */
NOINLINE static bool indentation(lexer *lx, tok *t)
{
    const char *s = lx->s;
    uint32_t p = lx->pos;
    int col, alt, ts;
    for (;;) {
        uint32_t q = lx_spaces(s, p, lx->n);
        col = alt = ts = (int)(q - p);
        for (p = q;; p++) {
            char c = s[p];
            if (c == ' ') {
                col++, alt++, ts++;
            } else if (c == '\t') {
                col = (col / 8 + 1) * 8, alt++, ts += 8;
            } else if (c == '\f') {
                col = alt = ts = 0;
            } else {
                break;
            }
        }
        if (s[p] == '#')
            p = comment(lx, p);
        if (s[p] == '\n') {
            p++;
            continue;
        }
        break;
    }
    lx->pos = p;
    lx->line_start = false;
    if (s[p] == '\0' && p >= lx->n) {
        lx->at_eof = true;
        if (lx->nindent > 0) {
            lx->pending_dedents = lx->nindent - 1;
            lx->nindent = 0;
            lx_make(lx, t, TK_DEDENT, p, p);
        } else {
            lx_make(lx, t, TK_EOF, p, p);
        }
        return true;
    }
    if (s[p] == '\\' || ts != col || col > 255)
        lx_bail(lx);
    int top = lx->cols[lx->nindent];
    if (col == top) {
        if (alt != lx->alts[lx->nindent])
            lx_bail(lx);
        return false;
    }
    if (col > top) {
        if (alt <= lx->alts[lx->nindent] || lx->nindent >= LX_MAX_INDENT)
            lx_bail(lx);
        lx->nindent++;
        lx->cols[lx->nindent] = col;
        lx->alts[lx->nindent] = alt;
        lx_make(lx, t, TK_INDENT, p, p);
        return true;
    }
    int dedents = 0;
    while (lx->nindent > 0 && col < lx->cols[lx->nindent]) {
        lx->nindent--;
        dedents++;
    }
    if (col != lx->cols[lx->nindent] || alt != lx->alts[lx->nindent])
        lx_bail(lx);
    lx->pending_dedents = dedents - 1;
    lx_make(lx, t, TK_DEDENT, p, p);
    return true;
}

/* The names the lexer tells apart: hard keywords, and the plain names extraction looks at. */
static const struct word {
    const char *text;
    uint8_t kw, name;
} words[] = {
    {"False", KW_FALSE, 0},
    {"None", KW_NONE_LIT, 0},
    {"True", KW_TRUE, 0},
    {"and", KW_AND, 0},
    {"as", KW_AS, 0},
    {"assert", KW_ASSERT, 0},
    {"async", KW_ASYNC, 0},
    {"await", KW_AWAIT, 0},
    {"break", KW_BREAK, 0},
    {"class", KW_CLASS, 0},
    {"continue", KW_CONTINUE, 0},
    {"def", KW_DEF, 0},
    {"del", KW_DEL, 0},
    {"elif", KW_ELIF, 0},
    {"else", KW_ELSE, 0},
    {"except", KW_EXCEPT, 0},
    {"finally", KW_FINALLY, 0},
    {"for", KW_FOR, 0},
    {"from", KW_FROM, 0},
    {"global", KW_GLOBAL, 0},
    {"if", KW_IF, 0},
    {"import", KW_IMPORT, 0},
    {"in", KW_IN, 0},
    {"is", KW_IS, 0},
    {"lambda", KW_LAMBDA, 0},
    {"nonlocal", KW_NONLOCAL, 0},
    {"not", KW_NOT, 0},
    {"or", KW_OR, 0},
    {"pass", KW_PASS, 0},
    {"raise", KW_RAISE, 0},
    {"return", KW_RETURN, 0},
    {"try", KW_TRY, 0},
    {"while", KW_WHILE, 0},
    {"with", KW_WITH, 0},
    {"yield", KW_YIELD, 0},
    {"match", 0, NM_MATCH},
    {"case", 0, NM_CASE},
    {"type", 0, NM_TYPE},
    {"print", 0, NM_PRINT},
    {"exec", 0, NM_EXEC},
    {"__import__", 0, NM_DUNDER_IMPORT},
    {"import_module", 0, NM_IMPORT_MODULE},
    {"importlib", 0, NM_IMPORTLIB},
    {"TYPE_CHECKING", 0, NM_TYPE_CHECKING},
    {"__future__", 0, NM_FUTURE},
    {"ImportError", 0, NM_CATCHES},
    {"ModuleNotFoundError", 0, NM_CATCHES},
    {"Exception", 0, NM_CATCHES},
    {"BaseException", 0, NM_CATCHES},
};

/* A perfect hash of the words above (the constants were searched for; word_table() checks
 * there is no collision): one probe and one comparison per name. */
static inline unsigned word_hash(const char *p, uint32_t len)
{
    unsigned char third = (unsigned char)(len > 2 ? p[2] : p[0]);
    return (len * 10u + (unsigned char)p[0] * 9u + (unsigned char)p[len - 1] * 58u + third) & 127u;
}

static uint8_t word_slots[128]; /* index + 1 into words, 0 for none */
static uint8_t word_lengths[sizeof(words) / sizeof(words[0])];
static pthread_once_t word_once = PTHREAD_ONCE_INIT;

static void word_table(void)
{
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        word_lengths[i] = (uint8_t)strlen(words[i].text);
        unsigned h = word_hash(words[i].text, word_lengths[i]);
        if (word_slots[h])
            abort(); /* the constants no longer make a perfect hash of the list */
        word_slots[h] = (uint8_t)(i + 1);
    }
}

void lx_init(lexer *lx, const char *s, uint32_t n, jmp_buf *bail)
{
    pthread_once(&word_once, word_table);
    lx_marker *markers = lx->markers; /* kept from file to file */
    size_t cap = lx->markers_cap;
    memset(lx, 0, sizeof(*lx));
    lx->markers = markers;
    lx->markers_cap = cap;
    lx->s = s;
    lx->n = n;
    lx->bail = bail;
    lx->line_start = lx->special = true;
}

void lx_free(lexer *lx)
{
    free(lx->markers);
    lx->markers = NULL;
    lx->nmarkers = lx->markers_cap = 0;
}

static void classify_name(tok *t, const char *p, uint32_t len)
{
    unsigned slot = word_slots[word_hash(p, len)];
    t->sub = KW_NONE;
    t->name = NM_OTHER;
    if (slot == 0 || word_lengths[slot - 1] != len)
        return;
    const struct word *w = &words[slot - 1];
    if (memcmp(p, w->text, len) == 0) {
        t->sub = w->kw;
        t->name = w->name;
    }
}

/* The string prefixes CPython accepts (case-insensitively): r u f b fr rf br rb. */
static bool string_prefix(const char *p, uint32_t len, bool *f, bool *r, bool *b)
{
    *f = *r = *b = false;
    for (uint32_t i = 0; i < len; i++) {
        char c = (char)(p[i] | 0x20);
        bool *flag = c == 'f' ? f : c == 'r' ? r : c == 'b' ? b : NULL;
        if (c == 'u' && len == 1)
            return true;
        if (!flag || *flag)
            return false;
        *flag = true;
    }
    return !(*f && *b);
}

/* The code point of the UTF-8 sequence at s[*p] (valid: the text was checked), moving *p. */
static uint32_t code_point(const char *s, uint32_t *p)
{
    const unsigned char *u = (const unsigned char *)s + *p;
    if (u[0] < 0xE0) {
        *p += 2;
        return (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
    }
    if (u[0] < 0xF0) {
        *p += 3;
        return (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
    }
    *p += 4;
    return (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 |
           (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
}

static bool in_ranges(const uint32_t (*r)[2], size_t n, uint32_t c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c > r[mid][1])
            lo = mid + 1;
        else if (c < r[mid][0])
            hi = mid;
        else
            return true;
    }
    return false;
}

/* The rest of an identifier holding non-ASCII letters, from s[p]; by tree-sitter's tables. */
static uint32_t unicode_name(lexer *lx, uint32_t p)
{
    const char *s = lx->s;
    for (;;) {
        if (is_name_char((unsigned char)s[p])) {
            p++;
            continue;
        }
        if ((unsigned char)s[p] < 0x80)
            return p;
        uint32_t q = p;
        uint32_t c = code_point(s, &q);
        if (!in_ranges(da_py_identifier_continue, da_py_identifier_continue_len, c))
            return p;
        p = q;
    }
}

/* The end of a run of [A-Za-z0-9_] from s[p]: sixteen bytes at a time where SSE2 is there. */
static inline uint32_t name_end(const char *s, uint32_t p, uint32_t n)
{
#if defined(__SSE2__) && !defined(FAST_LEX_SCALAR)
    const __m128i case_bit = _mm_set1_epi8(0x20), a = _mm_set1_epi8('a'),
                  zero_char = _mm_set1_epi8('0'), letters = _mm_set1_epi8(25),
                  digits = _mm_set1_epi8(9), underscore = _mm_set1_epi8('_'),
                  zero = _mm_setzero_si128();
    while (p + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + p));
        /* x in [lo, lo + k] exactly when the saturated (x - lo) - k is 0, unsigned */
        __m128i alpha = _mm_cmpeq_epi8(
            _mm_subs_epu8(_mm_sub_epi8(_mm_or_si128(v, case_bit), a), letters), zero);
        __m128i digit = _mm_cmpeq_epi8(_mm_subs_epu8(_mm_sub_epi8(v, zero_char), digits), zero);
        __m128i ok = _mm_or_si128(_mm_or_si128(alpha, digit), _mm_cmpeq_epi8(v, underscore));
        unsigned stop = ~(unsigned)_mm_movemask_epi8(ok) & 0xFFFFu;
        if (stop)
            return p + (uint32_t)__builtin_ctz(stop);
        p += 16;
    }
#else
    (void)n;
#endif
    while (is_name_char((unsigned char)s[p]))
        p++;
    return p;
}

NOINLINE static void name_or_string(lexer *lx, tok *t)
{
    const char *s = lx->s;
    uint32_t start = lx->pos, p = name_end(s, start + 1, lx->n);
    if ((unsigned char)s[p] >= 0x80)
        p = unicode_name(lx, p);
    if ((s[p] == '\'' || s[p] == '"') && p - start <= 2) {
        bool f, r, b;
        if (!string_prefix(s + start, p - start, &f, &r, &b))
            lx_bail(lx);
        lx->pos = p;
        lx_string(lx, t, start, p - start, f, r, b);
        return;
    }
    lx->pos = p;
    lx_make(lx, t, TK_NAME, start, p);
    classify_name(t, s + start, p - start);
    lx->last_sub = t->sub;
}

/* A character outside ASCII where a token starts: an identifier if tree-sitter's tables
 * say it can start one (CPython's differ at the edges of Unicode versions; the full path
 * is the reference), else not something both parsers read alike. */
NOINLINE static void non_ascii(lexer *lx, tok *t)
{
    uint32_t p = lx->pos;
    uint32_t c = code_point(lx->s, &p);
    if (!in_ranges(da_py_identifier_start, da_py_identifier_start_len, c))
        lx_bail(lx);
    uint32_t start = lx->pos;
    lx->pos = unicode_name(lx, p);
    lx_make(lx, t, TK_NAME, start, lx->pos);
    t->sub = lx->last_sub = KW_NONE;
    t->name = NM_OTHER;
}

/* One or more digits of a class, '_' allowed between two of them; returns the end. */
static uint32_t digits(lexer *lx, uint32_t p, int base)
{
    const char *s = lx->s;
    bool any = false;
    for (;;) {
        char c = s[p];
        bool ok = base == 16  ? (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
                  : base == 8 ? c >= '0' && c <= '7'
                  : base == 2 ? c == '0' || c == '1'
                              : c >= '0' && c <= '9';
        if (ok) {
            any = true;
            p++;
        } else if (c == '_' && any) {
            p++;
            any = false; /* a digit must follow */
        } else {
            break;
        }
    }
    if (!any)
        lx_bail(lx);
    return p;
}

/* A number as CPython's tokenizer reads it; anything it would reject (or read with a
 * warning, like "1if") is left to the full path. */
NOINLINE static void number(lexer *lx, tok *t)
{
    const char *s = lx->s;
    uint32_t start = lx->pos, p = start;
    char x = (char)(s[p + 1] | 0x20);
    if (s[p] == '0' && (x == 'x' || x == 'o' || x == 'b')) {
        p += 2;
        if (s[p] == '_')
            p++;
        p = digits(lx, p, x == 'x' ? 16 : x == 'o' ? 8 : 2);
    } else {
        bool is_float = false;
        uint32_t int_end = p;
        if (s[p] != '.') {
            p = int_end = digits(lx, p, 10);
            if (s[p] == '.') {
                p++;
                is_float = true;
                if (s[p] >= '0' && s[p] <= '9')
                    p = digits(lx, p, 10);
            }
        } else {
            p = digits(lx, p + 1, 10);
            is_float = true;
        }
        if ((s[p] | 0x20) == 'e') {
            uint32_t q = p + 1;
            if (s[q] == '+' || s[q] == '-')
                q++;
            if (!(s[q] >= '0' && s[q] <= '9'))
                lx_bail(lx);
            p = digits(lx, q, 10);
            is_float = true;
        }
        if ((s[p] | 0x20) == 'j') {
            p++;
            is_float = true;
        }
        /* "0123" is an error; "0123.5", "00" and "0_0" are not. */
        if (!is_float && s[start] == '0')
            for (uint32_t i = start; i < int_end; i++)
                if (s[i] != '0' && s[i] != '_')
                    lx_bail(lx);
    }
    if (is_name_char((unsigned char)s[p]) || (unsigned char)s[p] >= 0x80 || s[p] == '\'' ||
        s[p] == '"')
        lx_bail(lx);
    lx->pos = p;
    lx_make(lx, t, TK_NUMBER, start, p);
}

static void op(lexer *lx, tok *t, uint8_t id, uint32_t len)
{
    lx_make(lx, t, TK_OP, lx->pos, lx->pos + len);
    t->sub = lx->last_sub = id;
    lx->pos += len;
}

/* ':' '!' '=' and '}' at the top level of an f-string replacement field. Returns whether
 * t was made. */
NOINLINE static bool field_punctuation(lexer *lx, tok *t)
{
    lx_fmode *m = &lx->modes[lx->nmodes - 1];
    const char *s = lx->s + lx->pos;
    if (m->kind != FM_EXPR || lx->depth != m->depth)
        return false;
    switch (s[0]) {
    case '}':
        lx->nmodes--;
        lx_make(lx, t, TK_FRBRACE, lx->pos, lx->pos + 1);
        break;
    case ':':
        if (s[1] == '=')
            lx_bail(lx); /* a walrus here is a format spec to CPython 3.12 */
        m->kind = FM_SPEC;
        lx_make(lx, t, TK_FCOLON, lx->pos, lx->pos + 1);
        break;
    case '!':
        if (s[1] == '=')
            return false;
        if (s[1] != 'r' && s[1] != 's' && s[1] != 'a')
            lx_bail(lx);
        lx_make(lx, t, TK_FCONV, lx->pos, lx->pos + 2);
        break;
    case '=':
        if (s[1] == '=')
            return false;
        lx_make(lx, t, TK_FEQ, lx->pos, lx->pos + 1);
        break;
    default:
        return false;
    }
    lx->pos = t->end;
    return true;
}

static void open_bracket(lexer *lx, tok *t, uint8_t id)
{
    if (lx->depth >= 200)
        lx_bail(lx);
    op(lx, t, id, 1);
    lx->depth++;
}

static void close_bracket(lexer *lx, tok *t, uint8_t id)
{
    int floor = lx->nmodes > 0 ? lx->modes[lx->nmodes - 1].depth : 0;
    if (lx->depth <= floor)
        lx_bail(lx);
    op(lx, t, id, 1); /* its depth counts the bracket it closes */
    lx->depth--;
}

/* Operators; longest match first, as CPython. */
NOINLINE static void operator(lexer *lx, tok *t)
{
    const char *s = lx->s + lx->pos;
    char c = s[0], d = s[1];
    if (lx->nmodes > 0 && field_punctuation(lx, t))
        return;
    switch (c) {
    case '(':
        return open_bracket(lx, t, OP_LPAR);
    case '[':
        return open_bracket(lx, t, OP_LSQB);
    case '{':
        return open_bracket(lx, t, OP_LBRACE);
    case ')':
        return close_bracket(lx, t, OP_RPAR);
    case ']':
        return close_bracket(lx, t, OP_RSQB);
    case '}':
        return close_bracket(lx, t, OP_RBRACE);
    case ',':
        return op(lx, t, OP_COMMA, 1);
    case ';':
        return op(lx, t, OP_SEMI, 1);
    case ':':
        return d == '=' ? op(lx, t, OP_WALRUS, 2) : op(lx, t, OP_COLON, 1);
    case '~':
        return op(lx, t, OP_TILDE, 1);
    case '=':
        return d == '=' ? op(lx, t, OP_EQ, 2) : op(lx, t, OP_ASSIGN, 1);
    case '!':
        if (d == '=')
            return op(lx, t, OP_NE, 2);
        lx_bail(lx);
    case '-':
        if (d == '>')
            return op(lx, t, OP_ARROW, 2);
        return d == '=' ? op(lx, t, OP_AUGASSIGN, 2) : op(lx, t, OP_MINUS, 1);
    case '<':
    case '>': {
        bool lt = c == '<';
        if (d == c)
            return s[2] == '=' ? op(lx, t, OP_AUGASSIGN, 3)
                               : op(lx, t, lt ? OP_LSHIFT : OP_RSHIFT, 2);
        if (d == '=')
            return op(lx, t, lt ? OP_LE : OP_GE, 2);
        if (lt && d == '>')
            lx_bail(lx); /* "<>": Python 2 */
        return op(lx, t, lt ? OP_LT : OP_GT, 1);
    }
    case '*':
    case '/': {
        bool star = c == '*';
        if (d == c)
            return s[2] == '=' ? op(lx, t, OP_AUGASSIGN, 3)
                               : op(lx, t, star ? OP_DSTAR : OP_DSLASH, 2);
        return d == '=' ? op(lx, t, OP_AUGASSIGN, 2) : op(lx, t, star ? OP_STAR : OP_SLASH, 1);
    }
    default: {
        static const uint8_t single[128] = {['+'] = OP_PLUS, ['%'] = OP_PERCENT, ['@'] = OP_AT,
                                            ['&'] = OP_AMP,  ['|'] = OP_PIPE,    ['^'] = OP_CARET};
        uint8_t id = single[(unsigned char)c & 0x7f];
        if (!id)
            lx_bail(lx);
        return d == '=' ? op(lx, t, OP_AUGASSIGN, 2) : op(lx, t, id, 1);
    }
    }
}

/* A line continuation at s[pos] ('\\'). The next line must hold code: a continuation into
 * a blank or comment line is read differently by CPython versions and tree-sitter. */
NOINLINE static void continuation(lexer *lx)
{
    const char *s = lx->s;
    uint32_t p = lx->pos + 1;
    if (s[p] != '\n' || lx->nmodes > 0)
        lx_bail(lx);
    p++;
    while (s[p] == ' ' || s[p] == '\t' || s[p] == '\f')
        p++;
    /* A comment line after it ends the logical line for both parsers. */
    if (s[p] == '\n' || s[p] == '\0')
        lx_bail(lx);
    lx->extras++;
    lx->pos = p;
}

static bool complete_token(uint8_t type, uint8_t sub)
{
    switch (type) {
    case TK_NAME:
        return sub == KW_NONE || sub == KW_TRUE || sub == KW_FALSE || sub == KW_NONE_LIT;
    case TK_NUMBER:
    case TK_STRING:
    case TK_FEND:
        return true;
    case TK_OP:
        return sub == OP_RPAR || sub == OP_RSQB || sub == OP_RBRACE || sub == OP_ELLIPSIS;
    default:
        return false;
    }
}

/* Whether tree-sitter's scanner would see a closing bracket (or, before a quote, a string)
 * as valid after the last token, and so not emit a DEDENT. */
static bool dedent_harmless(const lexer *lx, char next)
{
    bool quote = next == '\'' || next == '"';
    bool awaiting = lx->awaiting && *lx->awaiting == lx->depth;
    uint8_t type = lx->last_type, sub = lx->last_sub;
    if (complete_token(type, sub) || (type == TK_OP && sub == OP_COMMA))
        return !awaiting;
    if (type == TK_OP && sub == OP_LPAR) /* () is fine, except after `import` */
        return quote || !(lx->prev_type == TK_NAME && lx->prev_sub == KW_IMPORT);
    if (type == TK_OP && sub == OP_LBRACE)
        return true;
    if (type == TK_OP && sub == OP_LSQB) /* [] is a list, a[] is not a subscript */
        return quote || !complete_token(lx->prev_type, lx->prev_sub);
    if (!quote)
        return false;
    if (type == TK_OP)
        return sub != OP_DOT;
    if (type == TK_NAME)
        return sub == KW_IN || sub == KW_NOT || sub == KW_AND || sub == KW_OR || sub == KW_IF ||
               sub == KW_ELSE || sub == KW_IS || sub == KW_AWAIT || sub == KW_YIELD ||
               sub == KW_FROM;
    return false;
}

/* A line break inside brackets, at s[pos]. To CPython it is whitespace. tree-sitter's
 * scanner emits a DEDENT there when the next line holding anything (code or a comment) is
 * indented less than the enclosing block and the parse state allows no closing bracket
 * (and no string, when a quote comes next), which breaks its parse; such files go to the
 * full path. */
NOINLINE static void bracket_line_break(lexer *lx)
{
    const char *s = lx->s;
    uint32_t p = lx->pos;
    int ts = 0;
    for (;; p++) {
        if (s[p] == '\n') {
            uint32_t q = lx_spaces(s, p + 1, lx->n);
            ts = (int)(q - p - 1);
            p = q - 1;
            continue;
        }
        char c = s[p];
        if (c == '\f')
            ts = 0;
        else if (c == ' ')
            ts++;
        else if (c == '\t')
            ts += 8;
        else
            break;
    }
    if (ts < lx->cols[lx->nindent] && (lx->strict_brackets > 0 || !dedent_harmless(lx, s[p])))
        lx_bail(lx);
    lx->pos = p;
}

/* End of the text in the middle of a line: a NEWLINE first, as CPython adds one. */
NOINLINE static void end_of_text(lexer *lx, tok *t)
{
    if (lx->pos < lx->n || lx->depth > 0 || lx->nmodes > 0)
        lx_bail(lx); /* a NUL inside the text, or an open bracket or string at the end */
    lx->line_start = lx->special = true;
    lx_make(lx, t, TK_NEWLINE, lx->pos, lx->pos);
}

/* The states off the common path: dedents owed, the end, f-string parts, a line start. */
NOINLINE static bool special_state(lexer *lx, tok *t)
{
    if (lx->pending_dedents > 0) {
        lx->pending_dedents--;
        lx_make(lx, t, TK_DEDENT, lx->pos, lx->pos);
        return true;
    }
    if (lx->at_eof) {
        lx_make(lx, t, TK_EOF, lx->pos, lx->pos);
        return true;
    }
    if (lx->nmodes > 0) {
        uint8_t kind = lx->modes[lx->nmodes - 1].kind;
        if (kind == FM_MIDDLE) {
            lx_fstring_middle(lx, t);
            return true;
        }
        if (kind == FM_SPEC) {
            lx_fstring_spec(lx, t);
            return true;
        }
    }
    return lx->line_start && indentation(lx, t);
}

void lx_next(lexer *lx, tok *t)
{
    if (lx->special) {
        bool done = special_state(lx, t);
        lx->special = lx->pending_dedents > 0 || lx->nmodes > 0 || lx->at_eof || lx->line_start;
        if (done)
            return;
    }
    const char *s = lx->s;
    for (;;) {
        unsigned char c = (unsigned char)s[lx->pos];
        switch (cclass[c]) {
        case C_SPACE:
            lx->pos++;
            continue;
        case C_NAME:
            return name_or_string(lx, t);
        case C_OP:
            return operator(lx, t);
        case C_DIGIT:
            return number(lx, t);
        case C_DOT:
            if (s[lx->pos + 1] >= '0' && s[lx->pos + 1] <= '9')
                return number(lx, t);
            if (s[lx->pos + 1] == '.' && s[lx->pos + 2] == '.')
                return op(lx, t, OP_ELLIPSIS, 3);
            return op(lx, t, OP_DOT, 1);
        case C_QUOTE:
            return lx_string(lx, t, lx->pos, 0, false, false, false);
        case C_NL:
            if (lx->nmodes > 0)
                lx_bail(lx); /* a line break inside an f-string field */
            if (lx->depth > 0) {
                bracket_line_break(lx);
                continue;
            }
            lx_make(lx, t, TK_NEWLINE, lx->pos, lx->pos + 1);
            lx->pos++;
            lx->line_start = lx->special = true;
            return;
        case C_HASH:
            if (lx->nmodes > 0)
                lx_bail(lx);
            lx->pos = comment(lx, lx->pos);
            continue;
        case C_BSLASH:
            continuation(lx);
            continue;
        case C_NUL:
            return end_of_text(lx, t);
        default:
            if (c >= 0x80)
                return non_ascii(lx, t);
            lx_bail(lx);
        }
    }
}
