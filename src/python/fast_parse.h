/* The fast path's parser: a recognizer of Python's grammar over fast_lex.h's tokens that
 * keeps only what import extraction needs (import statements, dynamic import calls, and
 * the context def/class/lambda/try/if give them) and proves along the way that the file
 * has no syntax error, so that tree-sitter would have found none either.
 *
 * What it accepts is kept inside what both CPython and tree-sitter-python accept, with the
 * same meaning for the parts extraction looks at; anything else (a syntax error, a match
 * or type statement, a construct the two parsers read differently) bails out to the full
 * tree-sitter path, which is the reference. The contexts mirror extract.c's walk exactly;
 * fast_context.c says how. Internal to src/python. */
#ifndef DEPAUDIT_PYTHON_FAST_PARSE_H
#define DEPAUDIT_PYTHON_FAST_PARSE_H

#include "fast_lex.h"

#include "depaudit/imports.h"

/* The context a record is made in: extract.c's walk_ctx, plus where each part came from.
 * A try's body is parsed before its handlers say whether it catches ImportError, so its
 * records are patched afterwards; guard_depth and group_depth (the suite depth of the
 * construct that last set the guard or the group) tell a patch which records a nested
 * construct already decided. */
typedef struct fx_ctx {
    uint8_t scope; /* da_import_scope */
    uint8_t guard; /* da_import_guard */
    bool in_except;
    uint16_t guard_depth, group_depth;
    int32_t try_ref;   /* pre-order index of the try whose group this is, or -1 */
    int32_t condition; /* offset of the condition text in the pool, or -1 for none */
} fx_ctx;

typedef struct fx_record {
    uint32_t start, end; /* the statement or call: its position and its lines for ignores */
    uint32_t module;     /* pool offset of the module name */
    uint32_t names;      /* pool offset of the first imported name (each NUL-terminated) */
    uint32_t nnames;
    int32_t level;
    uint8_t kind; /* da_import_kind */
    bool bare_import_module;
    fx_ctx ctx;
} fx_record;

/* An if statement's chain: the negation of its conditions so far, as extract.c builds it. */
typedef struct fx_if {
    char *negation;
    size_t len, cap;
    uint8_t negation_guard;
    bool negation_type_checking;
} fx_if;

/* What a parsed expression is, as far as extraction and validity need to know. */
typedef enum fx_kind {
    E_OTHER,
    E_NAME,
    E_ATTR,
    E_SUBSCRIPT,
    E_CALL,
    E_PAREN,  /* (x) */
    E_TUPLE,  /* a, b or (a, b) or () */
    E_LIST,   /* [a, b] */
    E_STAR,   /* *x in a sequence */
    E_STRING, /* one string literal, not an f-string */
} fx_kind;

enum {
    EF_TARGET = 1,      /* a valid assignment target for both parsers */
    EF_TC = 2,          /* TYPE_CHECKING or x.TYPE_CHECKING, maybe parenthesized */
    EF_NOT_TC = 4,      /* not <that> */
    EF_STAR_TARGET = 8, /* E_STAR of a name, attribute or subscript */
};

typedef struct fx_expr {
    uint8_t kind;
    uint8_t flags;
    uint32_t start;
} fx_expr;

enum { FX_MAX_DEPTH = 100, FX_MAX_EXPR_DEPTH = 200, FX_MAX_NEGATION = 4096, FX_MAX_AWAIT = 64 };

typedef struct fast_parser {
    lexer lx;
    tok cur, next;
    bool have_next;
    uint32_t prev_end;    /* end of the last token consumed */
    uint32_t prev_extras; /* comments/continuations before it */
    jmp_buf bail;
    const char *s;
    fx_ctx ctx; /* the context records are made in now */
    int depth;  /* suites entered */
    int expr_depth;
    int fstring_depth;     /* calls inside f-strings are not records: extract.c skips strings */
    bool watch, watch_hit; /* an except clause's type: a name catching ImportError seen */
    int awaiting[FX_MAX_AWAIT]; /* bracket depths of constructs that cannot end yet */
    int nawaiting;
    int awaiting_top; /* awaiting[nawaiting - 1], or -1: read by the lexer */
    fx_record *recs;
    size_t nrecs, recs_cap;
    char *pool;
    size_t pool_len, pool_cap;
    int32_t *tries; /* per try statement, in order: whether it catches, later its group */
    size_t ntries, tries_cap;
    fx_if ifs[FX_MAX_DEPTH + 2];
    char *text; /* scratch for a collapsed condition */
    size_t text_cap;
    bool import_module_imported;
    size_t unresolved;
} fast_parser;

/* fast_parse.c: tokens */
void fx_advance(fast_parser *P);
const tok *fx_peek(fast_parser *P);
_Noreturn void fx_bail(fast_parser *P);
void fx_expect_op(fast_parser *P, uint8_t op);
static inline bool fx_op(const fast_parser *P, uint8_t op)
{
    return P->cur.type == TK_OP && P->cur.sub == op;
}
static inline bool fx_kw(const fast_parser *P, uint8_t kw)
{
    return P->cur.type == TK_NAME && P->cur.sub == kw;
}
static inline bool fx_name(const fast_parser *P)
{
    return P->cur.type == TK_NAME && P->cur.sub == KW_NONE;
}
bool fx_starts_expression(const fast_parser *P);
/* Around a construct that cannot end before a given token (see lexer.awaiting). */
void fx_await_begin(fast_parser *P);
void fx_await_end(fast_parser *P);
uint32_t fx_pool_add(fast_parser *P, const char *s, size_t n); /* NUL-terminated copy */
void fx_pool_put(fast_parser *P, const char *s, size_t n);     /* raw bytes */

/* Backtracking, for the one place Python's grammar needs it (`with (` ...). */
typedef struct fx_mark {
    lexer lx;
    tok cur, next;
    bool have_next;
    uint32_t prev_end, prev_extras;
    size_t nrecs, pool_len, unresolved;
    int expr_depth, fstring_depth, nawaiting, awaiting_top;
    fx_ctx ctx;
} fx_mark;
void fx_save(const fast_parser *P, fx_mark *m);
void fx_restore(fast_parser *P, const fx_mark *m);

/* fast_expr.c */
fx_expr fx_expression(fast_parser *P);
fx_expr fx_named_expression(fast_parser *P);
fx_expr fx_disjunction(fast_parser *P);
fx_expr fx_bitor(fast_parser *P);
fx_expr fx_primary(fast_parser *P);
fx_expr fx_star_expressions(fast_parser *P); /* a, *b, c as in statements */
fx_expr fx_yield(fast_parser *P);
void fx_targets(fast_parser *P); /* for-loop and comprehension targets, up to 'in' */
void fx_arguments(fast_parser *P, bool allow_generator); /* after '(' through ')' */
void fx_parameters(fast_parser *P, bool lambda, uint8_t close);

/* fast_call.c: import_module(...) / __import__(...) after '(' of such a call. */
void fx_dynamic_call(fast_parser *P, uint32_t call_start, bool bare_import_module);

fx_expr fx_strings(fast_parser *P);   /* adjacent string literals */
fx_expr fx_bare_star(fast_parser *P); /* '*' x where tree-sitter reads a primary */

/* fast_stmt.c */
void fx_statement(fast_parser *P);
void fx_suite(fast_parser *P, fx_ctx ctx); /* ':' and a block or simple statements */

/* fast_match.c: a match statement, if the line is one (false: nothing consumed). */
bool fx_match_statement(fast_parser *P);

/* fast_context.c */
fx_record *fx_add_record(fast_parser *P, uint8_t kind, uint32_t start, uint32_t module, int level);
fx_ctx fx_if_branch(fast_parser *P, fx_if *f, fx_expr cond, uint32_t cond_end,
                    uint32_t first_extras);
fx_ctx fx_else_branch(fast_parser *P, fx_if *f);
fx_ctx fx_try_ctx(const fast_parser *P, int32_t try_ref, bool in_except);
void fx_patch_guard(fast_parser *P, size_t from, const fx_ctx *branch);
void fx_patch_try(fast_parser *P, size_t from, size_t to, const fx_ctx *tctx);

/* fast_finish.c: the text's records, numbered, positioned and ignored, appended to out. */
void fx_finish(fast_parser *P, const char *root, const char *file, int cell, da_import_set *out);

#endif
