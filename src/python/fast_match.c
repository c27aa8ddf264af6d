/* The fast path's match statements (PEP 634): CPython's pattern grammar, which
 * tree-sitter-python's accepts all of. A match statement gives its cases no context of its
 * own (extract.c's walk looks through it), so records in subjects, guards and case bodies
 * take the enclosing one. `match` is a soft keyword: a line starting with it is a match
 * statement only if `match subject:` NEWLINE INDENT reads, as CPython decides it. */
#include "fast_parse.h"

#include <string.h>

static void pattern(fast_parser *P);

static bool name_is(const fast_parser *P, const char *want)
{
    size_t n = strlen(want);
    return fx_name(P) && P->cur.end - P->cur.start == n &&
           memcmp(P->s + P->cur.start, want, n) == 0;
}

static void capture_target(fast_parser *P)
{
    if (!fx_name(P) || name_is(P, "_"))
        fx_bail(P);
    fx_advance(P);
}

static void signed_number(fast_parser *P)
{
    if (fx_op(P, OP_MINUS))
        fx_advance(P);
    if (P->cur.type != TK_NUMBER)
        fx_bail(P);
    fx_advance(P);
}

/* A literal: a number (or complex number), strings, None, True, False. */
static bool literal(fast_parser *P)
{
    if (P->cur.type == TK_NUMBER || fx_op(P, OP_MINUS)) {
        signed_number(P);
        if (fx_op(P, OP_PLUS) || fx_op(P, OP_MINUS)) {
            fx_advance(P);
            if (P->cur.type != TK_NUMBER)
                fx_bail(P);
            fx_advance(P);
        }
        return true;
    }
    if (P->cur.type == TK_STRING || P->cur.type == TK_FSTART) {
        fx_strings(P);
        return true;
    }
    if (fx_kw(P, KW_NONE_LIT) || fx_kw(P, KW_TRUE) || fx_kw(P, KW_FALSE)) {
        fx_advance(P);
        return true;
    }
    return false;
}

/* NAME ('.' NAME)*; returns the number of parts. */
static int dotted(fast_parser *P)
{
    int parts = 0;
    for (;;) {
        if (!fx_name(P))
            fx_bail(P);
        fx_advance(P);
        parts++;
        if (!fx_op(P, OP_DOT))
            return parts;
        fx_advance(P);
    }
}

static void star_or_pattern(fast_parser *P)
{
    if (!fx_op(P, OP_STAR)) {
        pattern(P);
        return;
    }
    fx_advance(P);
    if (!fx_name(P))
        fx_bail(P);
    fx_advance(P);
}

/* Items of a sequence pattern up to close; returns how many, and whether a comma came. */
static int sequence_items(fast_parser *P, uint8_t close, bool *comma)
{
    int n = 0;
    *comma = false;
    while (!fx_op(P, close)) {
        star_or_pattern(P);
        n++;
        if (!fx_op(P, OP_COMMA))
            break;
        *comma = true;
        fx_advance(P);
    }
    fx_expect_op(P, close);
    return n;
}

static void mapping(fast_parser *P)
{
    fx_advance(P);
    while (!fx_op(P, OP_RBRACE)) {
        if (fx_op(P, OP_DSTAR)) {
            fx_advance(P);
            capture_target(P);
        } else {
            if (!literal(P) && dotted(P) < 2) /* a key is a literal or a dotted value */
                fx_bail(P);
            fx_expect_op(P, OP_COLON);
            pattern(P);
        }
        if (!fx_op(P, OP_COMMA))
            break;
        fx_advance(P);
    }
    fx_expect_op(P, OP_RBRACE);
}

/* Cls(positional..., keyword=pattern...) after the class's dotted name. */
static void class_arguments(fast_parser *P)
{
    fx_advance(P);
    bool keywords = false;
    while (!fx_op(P, OP_RPAR)) {
        const tok *n = fx_name(P) ? fx_peek(P) : NULL;
        if (n && n->type == TK_OP && n->sub == OP_ASSIGN) {
            fx_advance(P);
            fx_advance(P);
            keywords = true;
        } else if (keywords) {
            fx_bail(P); /* a positional pattern after a keyword one */
        }
        pattern(P);
        if (!fx_op(P, OP_COMMA))
            break;
        fx_advance(P);
    }
    fx_expect_op(P, OP_RPAR);
}

static void closed_pattern(fast_parser *P)
{
    if (literal(P))
        return;
    if (fx_name(P)) {
        dotted(P);
        if (fx_op(P, OP_LPAR))
            class_arguments(P);
        return;
    }
    bool comma;
    if (fx_op(P, OP_LSQB)) {
        fx_advance(P);
        sequence_items(P, OP_RSQB, &comma);
    } else if (fx_op(P, OP_LPAR)) {
        fx_advance(P);
        bool star = fx_op(P, OP_STAR);
        if (sequence_items(P, OP_RPAR, &comma) == 1 && !comma && star)
            fx_bail(P); /* (*a) */
    } else if (fx_op(P, OP_LBRACE)) {
        mapping(P);
    } else {
        fx_bail(P);
    }
}

static void pattern(fast_parser *P)
{
    closed_pattern(P);
    while (fx_op(P, OP_PIPE)) {
        fx_advance(P);
        closed_pattern(P);
    }
    if (fx_kw(P, KW_AS)) {
        fx_advance(P);
        capture_target(P);
    }
}

static void case_block(fast_parser *P)
{
    /* tree-sitter's pattern states are not modelled for line breaks inside brackets: a
     * dedented continuation line there goes to the full path */
    P->lx.strict_brackets++;
    fx_advance(P); /* case */
    star_or_pattern(P);
    while (fx_op(P, OP_COMMA)) {
        fx_advance(P);
        if (fx_op(P, OP_COLON) || fx_kw(P, KW_IF))
            break;
        star_or_pattern(P);
    }
    P->lx.strict_brackets--;
    if (fx_kw(P, KW_IF)) {
        fx_advance(P);
        fx_named_expression(P);
    }
    fx_suite(P, P->ctx);
}

/* `match subject:` NEWLINE INDENT, tried on a mark: false (and nothing consumed) when the
 * line is an expression statement instead. */
static bool match_header(fast_parser *P)
{
    const tok *n = fx_peek(P);
    if (n->type == TK_NEWLINE || (n->type == TK_OP && n->sub != OP_LPAR && n->sub != OP_LSQB &&
                                  n->sub != OP_LBRACE && n->sub != OP_MINUS && n->sub != OP_PLUS &&
                                  n->sub != OP_TILDE && n->sub != OP_STAR && n->sub != OP_ELLIPSIS))
        return false;
    fx_mark mark;
    fx_save(P, &mark);
    jmp_buf outer;
    memcpy(outer, P->bail, sizeof(jmp_buf));
    volatile bool ok = false;
    if (setjmp(P->bail) == 0) {
        fx_advance(P);
        if (fx_op(P, OP_STAR)) {
            fx_star_expressions(P);
        } else {
            fx_named_expression(P);
            if (fx_op(P, OP_COMMA)) {
                fx_advance(P);
                if (!fx_op(P, OP_COLON))
                    fx_star_expressions(P);
            }
        }
        ok = fx_op(P, OP_COLON) && fx_peek(P)->type == TK_NEWLINE;
    }
    memcpy(P->bail, outer, sizeof(jmp_buf));
    if (!ok)
        fx_restore(P, &mark);
    return ok;
}

bool fx_match_statement(fast_parser *P)
{
    if (!match_header(P))
        return false;
    fx_advance(P); /* : */
    fx_advance(P); /* NEWLINE */
    if (P->cur.type != TK_INDENT || P->depth >= FX_MAX_DEPTH)
        fx_bail(P);
    fx_advance(P);
    P->depth++;
    do {
        if (!(fx_name(P) && P->cur.name == NM_CASE))
            fx_bail(P);
        case_block(P);
    } while (P->cur.type != TK_DEDENT);
    fx_advance(P);
    P->depth--;
    return true;
}
