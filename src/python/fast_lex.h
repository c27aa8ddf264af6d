/* The fast path's tokenizer: Python source text (already decoded to UTF-8, newlines made
 * "\n") to tokens, the way CPython's tokenizer cuts it: indentation into INDENT/DEDENT,
 * brackets, continuations, comments, every string form including PEP 701 f-strings
 * (whose replacement fields are tokenized as code, nested quotes and all).
 *
 * It is exact where it answers and gives up where it is not sure: anything CPython or
 * tree-sitter-python would read differently from each other (mixed tab/space indentation
 * they measure differently, a continuation before a blank line, a non-ASCII character in
 * code, a comment inside an f-string field...) makes it longjmp to the caller's bail point,
 * and the file goes to the full tree-sitter path. Internal to src/python.
 *
 * Runs of spaces, names and string bodies are scanned several bytes at a time (SSE2, which
 * every x86-64 has); build with -DFAST_LEX_SCALAR to use only the byte loops, which are the
 * reference and also finish every scan. */
#ifndef DEPAUDIT_PYTHON_FAST_LEX_H
#define DEPAUDIT_PYTHON_FAST_LEX_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef enum tk_type {
    TK_EOF,
    TK_NEWLINE,
    TK_INDENT,
    TK_DEDENT,
    TK_NAME, /* identifier or keyword: see kw and name */
    TK_NUMBER,
    TK_STRING,  /* a whole string or bytes literal that is not an f-string */
    TK_FSTART,  /* f" : an f-string opens */
    TK_FEND,    /* its closing quote(s) */
    TK_FLBRACE, /* { opening a replacement field */
    TK_FRBRACE, /* } closing it */
    TK_FCOLON,  /* : opening its format spec */
    TK_FSPEC,   /* literal text of a format spec */
    TK_FCONV,   /* !r, !s or !a */
    TK_FEQ,     /* = of a self-documenting field (f"{x=}") */
    TK_OP,
} tk_type;

/* Hard keywords; KW_NONE for every other name (soft keywords included). */
typedef enum tk_keyword {
    KW_NONE,
    KW_FALSE,
    KW_NONE_LIT, /* None */
    KW_TRUE,
    KW_AND,
    KW_AS,
    KW_ASSERT,
    KW_ASYNC,
    KW_AWAIT,
    KW_BREAK,
    KW_CLASS,
    KW_CONTINUE,
    KW_DEF,
    KW_DEL,
    KW_ELIF,
    KW_ELSE,
    KW_EXCEPT,
    KW_FINALLY,
    KW_FOR,
    KW_FROM,
    KW_GLOBAL,
    KW_IF,
    KW_IMPORT,
    KW_IN,
    KW_IS,
    KW_LAMBDA,
    KW_NONLOCAL,
    KW_NOT,
    KW_OR,
    KW_PASS,
    KW_RAISE,
    KW_RETURN,
    KW_TRY,
    KW_WHILE,
    KW_WITH,
    KW_YIELD,
} tk_keyword;

/* Plain names the extraction looks at (soft keywords, the dynamic import functions, the
 * guard names); NM_OTHER for the rest. */
typedef enum tk_name {
    NM_OTHER,
    NM_MATCH,
    NM_CASE,
    NM_TYPE,
    NM_PRINT,
    NM_EXEC,
    NM_DUNDER_IMPORT, /* __import__ */
    NM_IMPORT_MODULE, /* import_module */
    NM_IMPORTLIB,
    NM_TYPE_CHECKING,
    NM_FUTURE,  /* __future__ */
    NM_CATCHES, /* ImportError, ModuleNotFoundError, Exception, BaseException */
} tk_name;

typedef enum tk_op {
    OP_LPAR = 1,
    OP_RPAR,
    OP_LSQB,
    OP_RSQB,
    OP_LBRACE,
    OP_RBRACE,
    OP_COMMA,
    OP_COLON,
    OP_SEMI,
    OP_DOT,
    OP_ELLIPSIS,
    OP_ASSIGN,    /* = */
    OP_AUGASSIGN, /* += -= ... **= */
    OP_ARROW,     /* -> */
    OP_WALRUS,    /* := */
    OP_PLUS,
    OP_MINUS,
    OP_STAR,
    OP_DSTAR,
    OP_SLASH,
    OP_DSLASH,
    OP_PERCENT,
    OP_AT,
    OP_LSHIFT,
    OP_RSHIFT,
    OP_AMP,
    OP_PIPE,
    OP_CARET,
    OP_TILDE,
    OP_LT,
    OP_GT,
    OP_LE,
    OP_GE,
    OP_EQ, /* == */
    OP_NE,
} tk_op;

/* Flags of a TK_STRING token. */
enum {
    STR_BYTES = 1,
    STR_RAW = 2,
    STR_TRIPLE = 4,
    STR_ESCAPE = 8,   /* holds an escape sequence as tree-sitter-python lexes them */
    STR_PREFIX1 = 16, /* a one-letter prefix */
    STR_PREFIX2 = 32, /* a two-letter prefix */
};

typedef struct tok {
    uint8_t type;        /* tk_type */
    uint8_t sub;         /* tk_keyword for names, tk_op for operators, STR_* for strings */
    uint8_t name;        /* tk_name for names */
    uint16_t depth;      /* brackets open before it */
    uint32_t start, end; /* byte offsets into the text */
    uint32_t extras;     /* comments and continuations before it (lexer.extras) */
} tok;

/* The start and end of a TK_STRING token's contents (between the quotes). */
uint32_t lx_string_content_start(const tok *t);
uint32_t lx_string_content_end(const tok *t);

enum { LX_MAX_INDENT = 99, LX_MAX_FMODES = 32 };

typedef struct lx_fmode {
    uint8_t kind; /* middle (the literal part), expr (a field's code), spec */
    char quote;
    bool triple, raw;
    int depth; /* bracket depth when the field opened */
} lx_fmode;

/* A comment holding "depaudit: ignore": where it starts and ends, and where the marker is. */
typedef struct lx_marker {
    uint32_t start, end, at;
} lx_marker;

typedef struct lexer {
    const char *s;
    uint32_t n, pos;
    jmp_buf *bail;
    uint32_t bail_at; /* where the last bail happened, for diagnostics */
    int depth;        /* open brackets */
    bool line_start;  /* the next token starts a logical line */
    /* Any of line_start, at_eof, pending_dedents, nmodes: one test on the common path. */
    bool special;
    bool at_eof;
    int pending_dedents;
    int nindent;
    int cols[LX_MAX_INDENT + 1], alts[LX_MAX_INDENT + 1]; /* CPython's two measures */
    lx_fmode modes[LX_MAX_FMODES];
    int nmodes;
    /* Comments and line continuations seen so far: tree-sitter makes them nodes, so a
     * caller can tell whether any sits inside a span by comparing counts. */
    uint32_t extras;
    /* The last two tokens made, and the bracket depth of the innermost construct the parser
     * is in that cannot end yet (a lambda's parameters, a comprehension's targets, a
     * conditional before its else), or -1: what decides whether tree-sitter emits a DEDENT
     * at a line break inside brackets. */
    uint8_t last_type, last_sub, prev_type, prev_sub;
    const int *awaiting;
    int strict_brackets; /* > 0: any such line break goes to the full path */
    lx_marker *markers;
    size_t nmarkers, markers_cap;
} lexer;

/* Starts on s[0..n) (s[n] must be '\0'); bail is where any doubt jumps to. */
void lx_init(lexer *lx, const char *s, uint32_t n, jmp_buf *bail);
void lx_free(lexer *lx);
void lx_next(lexer *lx, tok *t);

/* Gives up on the file: the full path will read it. */
_Noreturn void lx_bail(lexer *lx);

/* identifier_ranges.c: the code points tree-sitter-python takes in identifiers, as sorted
 * inclusive ranges. */
extern const uint32_t da_py_identifier_start[][2];
extern const size_t da_py_identifier_start_len;
extern const uint32_t da_py_identifier_continue[][2];
extern const size_t da_py_identifier_continue_len;

/* Internal to the lexer's files. */

/* The end of a run of spaces from s[p] (the text is s[0..n), s[n] == '\0'). */
static inline uint32_t lx_spaces(const char *s, uint32_t p, uint32_t n)
{
    while (p + 8 <= n) {
        uint64_t w;
        memcpy(&w, s + p, 8);
        w ^= 0x2020202020202020ull; /* a zero byte where a space was */
        if (w)
            return p + (uint32_t)(__builtin_ctzll(w) >> 3);
        p += 8;
    }
    while (s[p] == ' ')
        p++;
    return p;
}
static inline void lx_make(lexer *lx, tok *t, tk_type type, uint32_t start, uint32_t end)
{
    t->type = (uint8_t)type;
    t->sub = 0;
    t->name = 0;
    t->depth = (uint16_t)lx->depth;
    t->start = start;
    t->end = end;
    t->extras = lx->extras;
    lx->prev_type = lx->last_type;
    lx->prev_sub = lx->last_sub;
    lx->last_type = (uint8_t)type;
    lx->last_sub = 0;
}
void lx_string(lexer *lx, tok *t, uint32_t start, uint32_t prefix_len, bool fstring, bool raw,
               bool bytes);
void lx_fstring_middle(lexer *lx, tok *t);
void lx_fstring_spec(lexer *lx, tok *t);
enum { FM_MIDDLE = 1, FM_EXPR, FM_SPEC };

#endif
