/* The fast path's statements: simple statements (imports become records here), compound
 * statements and their suites, with the context each suite runs in. Where a guard kind is
 * added (a `with contextlib.suppress(ImportError):` body, an `if importlib.util.find_spec`
 * branch), it plugs in where with_statement() and if_statement() compute their suites'
 * contexts, as child_ctx() does in extract.c. */
#include "fast_parse.h"

#include <string.h>

static void expect_kw(fast_parser *P, uint8_t kw)
{
    if (!fx_kw(P, kw))
        fx_bail(P);
    fx_advance(P);
}

/* NAME ('.' NAME)* into the pool as "a.b.c". *future: it was the single name __future__. */
static uint32_t dotted_name(fast_parser *P, bool *future)
{
    if (!fx_name(P))
        fx_bail(P);
    *future = P->cur.name == NM_FUTURE;
    uint32_t start = (uint32_t)P->pool_len;
    for (;;) {
        fx_pool_put(P, P->s + P->cur.start, P->cur.end - P->cur.start);
        fx_advance(P);
        if (!fx_op(P, OP_DOT))
            break;
        *future = false;
        fx_pool_put(P, ".", 1);
        fx_advance(P);
        if (!fx_name(P))
            fx_bail(P);
    }
    fx_pool_put(P, "", 1);
    return start;
}

static void set_ends(fast_parser *P, size_t first)
{
    for (size_t i = first; i < P->nrecs; i++)
        P->recs[i].end = P->prev_end;
}

static void import_statement(fast_parser *P)
{
    uint32_t start = P->cur.start;
    size_t first = P->nrecs;
    fx_advance(P);
    for (;;) {
        bool future;
        uint32_t module = dotted_name(P, &future);
        fx_add_record(P, DA_IMPORT_KIND_IMPORT, start, module, 0);
        if (fx_kw(P, KW_AS)) {
            fx_advance(P);
            if (!fx_name(P))
                fx_bail(P);
            fx_advance(P);
        }
        if (!fx_op(P, OP_COMMA))
            break;
        fx_advance(P);
    }
    set_ends(P, first);
}

/* NAME ['as' NAME] (',' ...)*; the imported names into the pool. Returns their count. */
static uint32_t import_names(fast_parser *P, bool parenthesized, uint32_t *names)
{
    uint32_t n = 0;
    *names = (uint32_t)P->pool_len;
    for (;;) {
        if (!fx_name(P))
            fx_bail(P);
        fx_pool_add(P, P->s + P->cur.start, P->cur.end - P->cur.start);
        n++;
        fx_advance(P);
        if (fx_kw(P, KW_AS)) {
            fx_advance(P);
            if (!fx_name(P))
                fx_bail(P);
            fx_advance(P);
        }
        if (!fx_op(P, OP_COMMA))
            return n;
        fx_advance(P);
        if (parenthesized && fx_op(P, OP_RPAR))
            return n;
    }
}

static bool names_include(const fast_parser *P, uint32_t names, uint32_t n, const char *want)
{
    const char *p = P->pool + names;
    for (uint32_t i = 0; i < n; i++, p += strlen(p) + 1)
        if (strcmp(p, want) == 0)
            return true;
    return false;
}

static void from_statement(fast_parser *P)
{
    uint32_t start = P->cur.start;
    fx_advance(P);
    int level = 0;
    while (fx_op(P, OP_DOT) || fx_op(P, OP_ELLIPSIS)) {
        level += fx_op(P, OP_DOT) ? 1 : 3;
        fx_advance(P);
    }
    bool future = false;
    uint32_t module;
    if (fx_name(P)) {
        bool first_is_future = P->cur.name == NM_FUTURE && level == 0;
        module = dotted_name(P, &future);
        future = future && level == 0;
        if (first_is_future && !future)
            fx_bail(P); /* from __future__.x: tree-sitter's __future__ keyword breaks it */
    } else {
        if (level == 0)
            fx_bail(P);
        module = fx_pool_add(P, "", 0);
    }
    expect_kw(P, KW_IMPORT);
    uint32_t names, n;
    if (fx_op(P, OP_STAR)) {
        if (future)
            fx_bail(P); /* not in tree-sitter's grammar */
        names = fx_pool_add(P, "*", 1);
        n = 1;
        fx_advance(P);
    } else if (fx_op(P, OP_LPAR)) {
        fx_advance(P);
        n = import_names(P, true, &names);
        fx_expect_op(P, OP_RPAR);
    } else {
        n = import_names(P, false, &names);
    }
    fx_record *r = fx_add_record(P, future ? DA_IMPORT_KIND_FUTURE : DA_IMPORT_KIND_FROM, start,
                                 module, level);
    r->names = names;
    r->nnames = n;
    r->end = P->prev_end;
    if (level == 0 && strcmp(P->pool + module, "importlib") == 0 &&
        names_include(P, names, n, "import_module"))
        P->import_module_imported = true;
}

static bool single_target(fx_expr e)
{
    return e.kind == E_NAME || e.kind == E_ATTR || e.kind == E_SUBSCRIPT ||
           (e.kind == E_PAREN && (e.flags & EF_TARGET));
}

static void right_hand_side(fast_parser *P)
{
    if (fx_kw(P, KW_YIELD))
        fx_yield(P);
    else if (fx_star_expressions(P).kind == E_STAR)
        fx_bail(P);
}

/* An expression statement or an assignment of any kind. */
static void expression_statement(fast_parser *P)
{
    fx_expr e = fx_star_expressions(P);
    if (fx_op(P, OP_ASSIGN)) {
        while (fx_op(P, OP_ASSIGN)) {
            if (!(e.flags & EF_TARGET))
                fx_bail(P);
            fx_advance(P);
            if (fx_kw(P, KW_YIELD)) {
                e = fx_yield(P);
            } else {
                e = fx_star_expressions(P);
                if (e.kind == E_STAR)
                    fx_bail(P);
            }
        }
    } else if (fx_op(P, OP_COLON)) {
        if (!single_target(e))
            fx_bail(P);
        fx_advance(P);
        fx_expression(P);
        if (fx_op(P, OP_ASSIGN)) {
            fx_advance(P);
            right_hand_side(P);
        }
    } else if (fx_op(P, OP_AUGASSIGN)) {
        if (!single_target(e))
            fx_bail(P);
        fx_advance(P);
        right_hand_side(P);
    } else if (e.kind == E_STAR) {
        fx_bail(P);
    }
}

static void name_list(fast_parser *P)
{
    fx_advance(P);
    for (;;) {
        if (!fx_name(P))
            fx_bail(P);
        fx_advance(P);
        if (!fx_op(P, OP_COMMA))
            return;
        fx_advance(P);
    }
}

static void simple_statement(fast_parser *P)
{
    if (P->cur.type != TK_NAME || P->cur.sub == KW_NONE) {
        expression_statement(P);
        return;
    }
    switch (P->cur.sub) {
    case KW_IMPORT:
        return import_statement(P);
    case KW_FROM:
        return from_statement(P);
    case KW_PASS:
    case KW_BREAK:
    case KW_CONTINUE:
        fx_advance(P);
        return;
    case KW_RETURN:
        fx_advance(P);
        if (fx_starts_expression(P) && fx_star_expressions(P).kind == E_STAR)
            fx_bail(P);
        return;
    case KW_RAISE:
        fx_advance(P);
        if (fx_starts_expression(P) && !fx_op(P, OP_STAR)) {
            fx_expression(P);
            if (fx_kw(P, KW_FROM)) {
                fx_advance(P);
                fx_expression(P);
            }
        }
        return;
    case KW_GLOBAL:
    case KW_NONLOCAL:
        return name_list(P);
    case KW_DEL:
        fx_advance(P);
        if (!(fx_star_expressions(P).flags & EF_TARGET))
            fx_bail(P);
        return;
    case KW_ASSERT:
        fx_advance(P);
        fx_expression(P);
        if (fx_op(P, OP_COMMA)) {
            fx_advance(P);
            fx_expression(P);
        }
        return;
    case KW_YIELD:
        fx_yield(P);
        return;
    default:
        expression_statement(P);
    }
}

/* simple_stmt (';' simple_stmt)* [';'] NEWLINE */
static void simple_statements(fast_parser *P)
{
    for (;;) {
        simple_statement(P);
        if (!fx_op(P, OP_SEMI))
            break;
        fx_advance(P);
        if (P->cur.type == TK_NEWLINE)
            break;
    }
    if (P->cur.type != TK_NEWLINE)
        fx_bail(P);
    fx_advance(P);
}

void fx_suite(fast_parser *P, fx_ctx ctx)
{
    fx_ctx saved = P->ctx;
    P->ctx = ctx;
    fx_expect_op(P, OP_COLON);
    if (P->cur.type != TK_NEWLINE) {
        simple_statements(P);
    } else {
        fx_advance(P);
        if (P->cur.type != TK_INDENT || P->depth >= FX_MAX_DEPTH)
            fx_bail(P);
        fx_advance(P);
        P->depth++;
        while (P->cur.type != TK_DEDENT)
            fx_statement(P);
        fx_advance(P);
        P->depth--;
    }
    P->ctx = saved;
}

/* if / elif / else: each branch's context from its condition, as extract.c's
 * if_branch_ctx. An elif's condition runs in that branch's context too (the whole
 * elif_clause is the branch there), so records made in it are patched. */
static void if_statement(fast_parser *P)
{
    fx_if *f = &P->ifs[P->depth];
    f->len = 0;
    f->negation_guard = DA_GUARD_NONE;
    f->negation_type_checking = false;
    bool first = true;
    do {
        size_t from = P->nrecs;
        fx_advance(P);
        uint32_t extras = P->cur.extras;
        fx_expr cond = fx_named_expression(P);
        fx_ctx branch = fx_if_branch(P, f, cond, P->prev_end, extras);
        if (!first)
            fx_patch_guard(P, from, &branch);
        first = false;
        fx_suite(P, branch);
    } while (fx_kw(P, KW_ELIF));
    if (fx_kw(P, KW_ELSE)) {
        fx_advance(P);
        fx_suite(P, fx_else_branch(P, f));
    }
}

/* except clauses: whether each catches ImportError (or wider) is known once its type is
 * read; the try's body learns it only after the last handler, so it is patched then. */
static void try_statement(fast_parser *P)
{
    int32_t index = (int32_t)P->ntries;
    DA_PUSH(P->tries, P->ntries, P->tries_cap, 0);
    fx_ctx parent = P->ctx;
    fx_advance(P);
    size_t body = P->nrecs;
    fx_suite(P, parent);
    size_t body_end = P->nrecs;
    int handlers = 0; /* 1: except clauses, 2: except* clauses */
    while (fx_kw(P, KW_EXCEPT)) {
        const tok *n = fx_peek(P);
        /* tree-sitter lexes "except*" as one token; `except *E` is to it a plain except
         * clause whose type is the expression *E */
        bool star = n->type == TK_OP && n->sub == OP_STAR && n->start == P->cur.end;
        if (handlers && handlers != (star ? 2 : 1))
            fx_bail(P); /* except and except* in one try */
        handlers = star ? 2 : 1;
        fx_advance(P);
        if (star)
            fx_advance(P);
        /* extract.c takes an except* clause's first named child as its type: a line
         * continuation before it would be that child */
        if (star && P->cur.extras != P->prev_extras)
            fx_bail(P);
        size_t from = P->nrecs;
        bool catches = !star;
        if (!fx_op(P, OP_COLON) || star) {
            P->watch = true;
            P->watch_hit = false;
            if (fx_op(P, OP_STAR))
                fx_bare_star(P);
            else
                fx_expression(P);
            P->watch = false;
            catches = P->watch_hit;
            if (fx_kw(P, KW_AS)) {
                fx_advance(P);
                if (!fx_name(P))
                    fx_bail(P);
                fx_advance(P);
            }
        }
        if (!catches) {
            fx_suite(P, parent);
            continue;
        }
        P->tries[index] = 1;
        fx_ctx handler = fx_try_ctx(P, index, true);
        fx_patch_try(P, from, P->nrecs, &handler);
        fx_suite(P, handler);
    }
    if (handlers && fx_kw(P, KW_ELSE)) {
        fx_advance(P);
        fx_suite(P, parent);
    }
    if (fx_kw(P, KW_FINALLY)) {
        fx_advance(P);
        fx_suite(P, parent);
    } else if (!handlers) {
        fx_bail(P);
    }
    if (P->tries[index]) {
        fx_ctx tctx = fx_try_ctx(P, index, false);
        fx_patch_try(P, body, body_end, &tctx);
    }
}

static void with_items(fast_parser *P, bool parenthesized)
{
    for (;;) {
        fx_expression(P);
        if (fx_kw(P, KW_AS)) {
            fx_advance(P);
            if (!(fx_primary(P).flags & EF_TARGET))
                fx_bail(P);
        }
        if (!fx_op(P, OP_COMMA))
            break;
        fx_advance(P);
        if (parenthesized && fx_op(P, OP_RPAR))
            break;
    }
}

/* `with (a as b, c):` is a parenthesized list of items, `with (a, b) as c:` an expression
 * in parentheses: as CPython's grammar, the first reading is tried first. */
static bool parenthesized_with_items(fast_parser *P)
{
    fx_mark mark;
    fx_save(P, &mark);
    jmp_buf outer;
    memcpy(outer, P->bail, sizeof(jmp_buf));
    volatile bool ok = false;
    if (setjmp(P->bail) == 0) {
        fx_advance(P);
        with_items(P, true);
        fx_expect_op(P, OP_RPAR);
        ok = fx_op(P, OP_COLON);
    }
    memcpy(P->bail, outer, sizeof(jmp_buf));
    if (!ok)
        fx_restore(P, &mark);
    return ok;
}

static void with_statement(fast_parser *P)
{
    fx_advance(P);
    if (!fx_op(P, OP_LPAR) || !parenthesized_with_items(P))
        with_items(P, false);
    fx_suite(P, P->ctx);
}

static void for_statement(fast_parser *P)
{
    fx_advance(P);
    fx_targets(P);
    expect_kw(P, KW_IN);
    if (fx_star_expressions(P).kind == E_STAR)
        fx_bail(P);
    fx_suite(P, P->ctx);
    if (fx_kw(P, KW_ELSE)) {
        fx_advance(P);
        fx_suite(P, P->ctx);
    }
}

static void while_statement(fast_parser *P)
{
    fx_advance(P);
    fx_named_expression(P);
    fx_suite(P, P->ctx);
    if (fx_kw(P, KW_ELSE)) {
        fx_advance(P);
        fx_suite(P, P->ctx);
    }
}

static void function_definition(fast_parser *P)
{
    fx_advance(P);
    if (!fx_name(P))
        fx_bail(P);
    fx_advance(P);
    fx_expect_op(P, OP_LPAR); /* a '[' here is PEP 695, left to the full path */
    fx_parameters(P, false, OP_RPAR);
    fx_expect_op(P, OP_RPAR);
    if (fx_op(P, OP_ARROW)) {
        fx_advance(P);
        fx_expression(P);
    }
    fx_ctx body = P->ctx;
    body.scope = DA_SCOPE_FUNCTION;
    fx_suite(P, body);
}

static void class_definition(fast_parser *P)
{
    fx_advance(P);
    if (!fx_name(P))
        fx_bail(P);
    fx_advance(P);
    if (fx_op(P, OP_LPAR)) {
        fx_advance(P);
        fx_arguments(P, false);
    }
    fx_ctx body = P->ctx;
    if (body.scope == DA_SCOPE_MODULE)
        body.scope = DA_SCOPE_CLASS;
    fx_suite(P, body);
}

static void decorated(fast_parser *P)
{
    while (fx_op(P, OP_AT)) {
        fx_advance(P);
        fx_named_expression(P);
        if (P->cur.type != TK_NEWLINE)
            fx_bail(P);
        fx_advance(P);
    }
    if (fx_kw(P, KW_ASYNC)) {
        fx_advance(P);
        if (!fx_kw(P, KW_DEF))
            fx_bail(P);
    }
    if (fx_kw(P, KW_DEF))
        function_definition(P);
    else if (fx_kw(P, KW_CLASS))
        class_definition(P);
    else
        fx_bail(P);
}

void fx_statement(fast_parser *P)
{
    if (fx_op(P, OP_AT))
        return decorated(P);
    if (P->cur.type != TK_NAME || P->cur.sub == KW_NONE) {
        if (!(P->cur.name == NM_MATCH && P->cur.type == TK_NAME && fx_match_statement(P)))
            simple_statements(P);
        return;
    }
    switch (P->cur.sub) {
    case KW_IF:
        return if_statement(P);
    case KW_TRY:
        return try_statement(P);
    case KW_WITH:
        return with_statement(P);
    case KW_FOR:
        return for_statement(P);
    case KW_WHILE:
        return while_statement(P);
    case KW_DEF:
        return function_definition(P);
    case KW_CLASS:
        return class_definition(P);
    case KW_ASYNC: {
        fx_advance(P);
        if (fx_kw(P, KW_DEF))
            return function_definition(P);
        if (fx_kw(P, KW_FOR))
            return for_statement(P);
        if (fx_kw(P, KW_WITH))
            return with_statement(P);
        fx_bail(P);
    }
    default:
        simple_statements(P);
    }
}
