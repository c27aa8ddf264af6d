/* The fast path's expressions: CPython's expression grammar, restricted where
 * tree-sitter-python is stricter (a starred item outside a display or call must start with
 * a name), recursive with a depth limit past which the file goes to the full path. */
#include "fast_parse.h"

static void enter(fast_parser *P)
{
    if (++P->expr_depth > FX_MAX_EXPR_DEPTH)
        fx_bail(P);
}

static void leave(fast_parser *P)
{
    P->expr_depth--;
}

static fx_expr make(uint8_t kind, uint8_t flags, uint32_t start)
{
    return (fx_expr){kind, flags, start};
}

static bool is_plain_target(fx_expr e)
{
    return e.kind == E_NAME || e.kind == E_ATTR || e.kind == E_SUBSCRIPT;
}

static bool starts_comprehension(fast_parser *P)
{
    if (fx_kw(P, KW_FOR))
        return true;
    if (!fx_kw(P, KW_ASYNC))
        return false;
    const tok *n = fx_peek(P);
    return n->type == TK_NAME && n->sub == KW_FOR;
}

/* for_if_clauses: ['async'] 'for' targets 'in' disjunction ('if' disjunction)*, repeated. */
static void comprehension(fast_parser *P)
{
    do {
        if (fx_kw(P, KW_ASYNC))
            fx_advance(P);
        fx_advance(P); /* for */
        fx_await_begin(P);
        fx_targets(P);
        fx_await_end(P);
        if (!fx_kw(P, KW_IN))
            fx_bail(P);
        fx_advance(P);
        fx_disjunction(P);
        while (fx_kw(P, KW_IF)) {
            fx_advance(P);
            fx_disjunction(P);
        }
    } while (starts_comprehension(P));
}

/* '*' x inside a list, tuple or set display: any bitwise_or for both parsers. */
static fx_expr display_star(fast_parser *P)
{
    uint32_t start = P->cur.start;
    fx_advance(P);
    fx_expr e = fx_bitor(P);
    return make(E_STAR, is_plain_target(e) ? EF_STAR_TARGET : 0, start);
}

/* '*' x in a statement's expression list, a subscript or an f-string field: tree-sitter
 * reads these as a primary (*name, *a.b, *a[i] and what follows), so x must start with a
 * name. */
fx_expr fx_bare_star(fast_parser *P)
{
    uint32_t start = P->cur.start;
    fx_advance(P);
    if (!fx_name(P))
        fx_bail(P);
    fx_expr e = fx_bitor(P);
    return make(E_STAR, is_plain_target(e) ? EF_STAR_TARGET : 0, start);
}

static fx_expr display_item(fast_parser *P)
{
    return fx_op(P, OP_STAR) ? display_star(P) : fx_named_expression(P);
}

static bool item_is_target(fx_expr e)
{
    return (e.flags & (EF_TARGET | EF_STAR_TARGET)) != 0;
}

/* The rest of a display after its first item: ',' items up to the closing bracket. */
static bool display_rest(fast_parser *P, uint8_t close, bool target)
{
    while (fx_op(P, OP_COMMA)) {
        fx_advance(P);
        if (fx_op(P, close))
            break;
        target = item_is_target(display_item(P)) && target;
    }
    fx_expect_op(P, close);
    return target;
}

/* '(' ... ')': a tuple, a parenthesized expression, a generator or (yield). */
static fx_expr paren(fast_parser *P)
{
    uint32_t start = P->cur.start;
    fx_advance(P);
    if (fx_op(P, OP_RPAR)) {
        fx_advance(P);
        return make(E_TUPLE, EF_TARGET, start);
    }
    if (fx_kw(P, KW_YIELD)) {
        fx_yield(P);
        fx_expect_op(P, OP_RPAR);
        return make(E_OTHER, 0, start);
    }
    bool star = fx_op(P, OP_STAR);
    fx_expr first = display_item(P);
    if (!star && starts_comprehension(P)) {
        comprehension(P);
        fx_expect_op(P, OP_RPAR);
        return make(E_OTHER, 0, start);
    }
    if (fx_op(P, OP_RPAR)) {
        if (star)
            fx_bail(P); /* (*a) */
        fx_advance(P);
        return make(E_PAREN, first.flags & (EF_TARGET | EF_TC | EF_NOT_TC), start);
    }
    if (!fx_op(P, OP_COMMA))
        fx_bail(P);
    bool target = display_rest(P, OP_RPAR, item_is_target(first));
    return make(E_TUPLE, target ? EF_TARGET : 0, start);
}

static fx_expr list(fast_parser *P)
{
    uint32_t start = P->cur.start;
    fx_advance(P);
    if (fx_op(P, OP_RSQB)) {
        fx_advance(P);
        return make(E_LIST, EF_TARGET, start);
    }
    bool star = fx_op(P, OP_STAR);
    fx_expr first = display_item(P);
    if (!star && starts_comprehension(P)) {
        comprehension(P);
        fx_expect_op(P, OP_RSQB);
        return make(E_OTHER, 0, start);
    }
    bool target = display_rest(P, OP_RSQB, item_is_target(first));
    return make(E_LIST, target ? EF_TARGET : 0, start);
}

static void dict_rest(fast_parser *P)
{
    while (fx_op(P, OP_COMMA)) {
        fx_advance(P);
        if (fx_op(P, OP_RBRACE))
            break;
        if (fx_op(P, OP_DSTAR)) {
            fx_advance(P);
            fx_bitor(P);
            continue;
        }
        fx_expression(P);
        fx_expect_op(P, OP_COLON);
        fx_expression(P);
    }
    fx_expect_op(P, OP_RBRACE);
}

/* '{' ... '}': a dict, a set, or a comprehension of either. */
static fx_expr brace(fast_parser *P)
{
    uint32_t start = P->cur.start;
    fx_advance(P);
    if (fx_op(P, OP_RBRACE)) {
        fx_advance(P);
    } else if (fx_op(P, OP_DSTAR)) {
        fx_advance(P);
        fx_bitor(P);
        dict_rest(P);
    } else if (fx_op(P, OP_STAR)) {
        display_star(P);
        display_rest(P, OP_RBRACE, false);
    } else {
        const tok *n = fx_name(P) ? fx_peek(P) : NULL;
        bool named = n && n->type == TK_OP && n->sub == OP_WALRUS;
        if (named)
            fx_named_expression(P);
        else
            fx_expression(P);
        if (!named && fx_op(P, OP_COLON)) {
            fx_advance(P);
            fx_expression(P);
            if (starts_comprehension(P)) {
                comprehension(P);
                fx_expect_op(P, OP_RBRACE);
            } else {
                dict_rest(P);
            }
        } else if (starts_comprehension(P)) {
            comprehension(P);
            fx_expect_op(P, OP_RBRACE);
        } else {
            display_rest(P, OP_RBRACE, false);
        }
    }
    return make(E_OTHER, 0, start);
}

/* One replacement field of an f-string, from its '{' through its '}'. */
static void fstring_field(fast_parser *P)
{
    enter(P);
    fx_advance(P);
    if (P->cur.type != TK_NAME && P->cur.type != TK_NUMBER && P->cur.type != TK_STRING &&
        P->cur.type != TK_FSTART && P->cur.type != TK_OP)
        fx_bail(P); /* an empty field */
    if (fx_kw(P, KW_YIELD) || fx_kw(P, KW_LAMBDA))
        fx_bail(P);
    fx_star_expressions(P);
    if (P->cur.type == TK_FEQ)
        fx_advance(P);
    if (P->cur.type == TK_FCONV)
        fx_advance(P);
    if (P->cur.type == TK_FCOLON) {
        fx_advance(P);
        while (P->cur.type == TK_FSPEC || P->cur.type == TK_FLBRACE) {
            if (P->cur.type == TK_FSPEC)
                fx_advance(P);
            else
                fstring_field(P);
        }
    }
    if (P->cur.type != TK_FRBRACE)
        fx_bail(P);
    fx_advance(P);
    leave(P);
}

static void fstring(fast_parser *P)
{
    P->fstring_depth++;
    fx_advance(P);
    while (P->cur.type != TK_FEND) {
        if (P->cur.type != TK_FLBRACE)
            fx_bail(P);
        fstring_field(P);
    }
    fx_advance(P);
    P->fstring_depth--;
}

/* Adjacent string literals; mixing bytes with text is an error to CPython only. */
fx_expr fx_strings(fast_parser *P)
{
    uint32_t start = P->cur.start;
    bool bytes = false, text = false;
    int count = 0;
    while (P->cur.type == TK_STRING || P->cur.type == TK_FSTART) {
        count++;
        if (P->cur.type == TK_FSTART) {
            text = true;
            fstring(P);
            continue;
        }
        if (P->cur.sub & STR_BYTES)
            bytes = true;
        else
            text = true;
        fx_advance(P);
    }
    if (bytes && text)
        fx_bail(P);
    return make(count == 1 ? E_STRING : E_OTHER, 0, start);
}

/* An atom; *candidate says whether it may start a dynamic import call: 1 import_module,
 * 2 __import__, 3 importlib. */
static fx_expr atom(fast_parser *P, int *candidate)
{
    uint32_t start = P->cur.start;
    *candidate = 0;
    switch (P->cur.type) {
    case TK_NAME:
        if (P->cur.sub == KW_NONE) {
            uint8_t nm = P->cur.name;
            *candidate = nm == NM_IMPORT_MODULE   ? 1
                         : nm == NM_DUNDER_IMPORT ? 2
                         : nm == NM_IMPORTLIB     ? 3
                                                  : 0;
            fx_advance(P);
            return make(E_NAME, EF_TARGET | (nm == NM_TYPE_CHECKING ? EF_TC : 0), start);
        }
        if (P->cur.sub != KW_TRUE && P->cur.sub != KW_FALSE && P->cur.sub != KW_NONE_LIT)
            fx_bail(P);
        fx_advance(P);
        return make(E_OTHER, 0, start);
    case TK_NUMBER:
        fx_advance(P);
        return make(E_OTHER, 0, start);
    case TK_STRING:
    case TK_FSTART:
        return fx_strings(P);
    case TK_OP:
        if (P->cur.sub == OP_LPAR)
            return paren(P);
        if (P->cur.sub == OP_LSQB)
            return list(P);
        if (P->cur.sub == OP_LBRACE)
            return brace(P);
        if (P->cur.sub == OP_ELLIPSIS) {
            fx_advance(P);
            return make(E_OTHER, 0, start);
        }
        fx_bail(P);
    default:
        fx_bail(P);
    }
}

static void slice_item(fast_parser *P)
{
    if (fx_op(P, OP_STAR)) {
        fx_bare_star(P);
        return;
    }
    if (!fx_op(P, OP_COLON)) {
        fx_named_expression(P);
        if (!fx_op(P, OP_COLON))
            return;
    }
    fx_advance(P);
    if (fx_starts_expression(P) && !fx_op(P, OP_STAR))
        fx_expression(P);
    if (fx_op(P, OP_COLON)) {
        fx_advance(P);
        if (fx_starts_expression(P) && !fx_op(P, OP_STAR))
            fx_expression(P);
    }
}

static void slices(fast_parser *P)
{
    for (;;) {
        slice_item(P);
        if (!fx_op(P, OP_COMMA))
            break;
        fx_advance(P);
        if (fx_op(P, OP_RSQB))
            break;
    }
    fx_expect_op(P, OP_RSQB);
}

/* `importlib.import_module` exactly as the full path compares it: its collapsed text, so no
 * space, comment or continuation between the parts. */
static bool qualified_import_module(fast_parser *P, uint32_t importlib_end)
{
    const tok *name = fx_peek(P);
    return name->type == TK_NAME && name->name == NM_IMPORT_MODULE &&
           P->cur.start == importlib_end && name->start == P->cur.end;
}

fx_expr fx_primary(fast_parser *P)
{
    enter(P);
    uint32_t start = P->cur.start;
    int candidate;
    fx_expr e = atom(P, &candidate);
    for (;;) {
        if (fx_op(P, OP_DOT)) {
            candidate = candidate == 3 && qualified_import_module(P, P->prev_end) ? 4 : 0;
            fx_advance(P);
            if (!fx_name(P))
                fx_bail(P);
            e = make(E_ATTR, EF_TARGET | (P->cur.name == NM_TYPE_CHECKING ? EF_TC : 0), start);
            fx_advance(P);
        } else if (fx_op(P, OP_LPAR)) {
            fx_advance(P);
            if ((candidate == 1 || candidate == 2 || candidate == 4) && P->fstring_depth == 0)
                fx_dynamic_call(P, start, candidate == 1);
            else
                fx_arguments(P, true);
            e = make(E_CALL, 0, start);
            candidate = 0;
        } else if (fx_op(P, OP_LSQB)) {
            fx_advance(P);
            slices(P);
            e = make(E_SUBSCRIPT, EF_TARGET, start);
            candidate = 0;
        } else {
            break;
        }
    }
    leave(P);
    return e;
}

static fx_expr await_primary(fast_parser *P)
{
    if (!fx_kw(P, KW_AWAIT))
        return fx_primary(P);
    uint32_t start = P->cur.start;
    fx_advance(P);
    fx_primary(P);
    return make(E_OTHER, 0, start);
}

static fx_expr operators(fast_parser *P, int min_power);

/* power: await_primary ['**' factor] (a factor being a unary operand). */
static fx_expr power(fast_parser *P)
{
    uint32_t start = P->cur.start;
    fx_expr e = await_primary(P);
    if (fx_op(P, OP_DSTAR)) {
        fx_advance(P);
        operators(P, 11);
        e = make(E_OTHER, 0, start);
    }
    return e;
}

/* Binding powers, as CPython's grammar orders them: or 1, and 2, not 3 (prefix),
 * comparisons 4, | 5, ^ 6, & 7, shifts 8, + - 9, * / // % @ 10, unary + - ~ 11. */
static int infix_power(const tok *t)
{
    if (t->type == TK_OP) {
        switch (t->sub) {
        case OP_LT:
        case OP_GT:
        case OP_LE:
        case OP_GE:
        case OP_EQ:
        case OP_NE:
            return 4;
        case OP_PIPE:
            return 5;
        case OP_CARET:
            return 6;
        case OP_AMP:
            return 7;
        case OP_LSHIFT:
        case OP_RSHIFT:
            return 8;
        case OP_PLUS:
        case OP_MINUS:
            return 9;
        case OP_STAR:
        case OP_SLASH:
        case OP_DSLASH:
        case OP_PERCENT:
        case OP_AT:
            return 10;
        default:
            return 0;
        }
    }
    if (t->type == TK_NAME) {
        switch (t->sub) {
        case KW_OR:
            return 1;
        case KW_AND:
            return 2;
        case KW_IN:
        case KW_IS:
        case KW_NOT: /* not in */
            return 4;
        default:
            return 0;
        }
    }
    return 0;
}

/* A prefix operator and its operand, or a power. `not` only where CPython allows it (not
 * after a comparison or a binary operator). */
static fx_expr operand(fast_parser *P, int min_power)
{
    bool not = fx_kw(P, KW_NOT);
    if (!not &&!fx_op(P, OP_PLUS) && !fx_op(P, OP_MINUS) && !fx_op(P, OP_TILDE))
        return power(P);
    if (not &&min_power > 3)
        fx_bail(P);
    uint32_t start = P->cur.start;
    enter(P);
    fx_advance(P);
    fx_expr a = operators(P, not ? 3 : 11);
    leave(P);
    return make(E_OTHER, not &&(a.flags & EF_TC) ? EF_NOT_TC : 0, start);
}

/* Binary, boolean and comparison operators by precedence climbing. */
static fx_expr operators(fast_parser *P, int min_power)
{
    uint32_t start = P->cur.start;
    fx_expr e = operand(P, min_power);
    for (;;) {
        int p = infix_power(&P->cur);
        if (p == 0 || p < min_power)
            return e;
        if (fx_kw(P, KW_NOT)) {
            const tok *n = fx_peek(P);
            if (n->type != TK_NAME || n->sub != KW_IN)
                return e;
            fx_advance(P);
            fx_advance(P);
        } else {
            bool is = fx_kw(P, KW_IS);
            fx_advance(P);
            if (is && fx_kw(P, KW_NOT))
                fx_advance(P);
        }
        operators(P, p + 1);
        e = make(E_OTHER, 0, start);
    }
}

fx_expr fx_bitor(fast_parser *P)
{
    return operators(P, 5);
}

fx_expr fx_disjunction(fast_parser *P)
{
    return operators(P, 1);
}

/* lambda: its body runs when called, so records in it are function scope (its defaults
 * are not). */
static fx_expr lambda(fast_parser *P)
{
    uint32_t start = P->cur.start;
    fx_advance(P);
    fx_await_begin(P);
    if (!fx_op(P, OP_COLON))
        fx_parameters(P, true, OP_COLON);
    fx_await_end(P);
    fx_expect_op(P, OP_COLON);
    fx_ctx saved = P->ctx;
    P->ctx.scope = DA_SCOPE_FUNCTION;
    fx_expression(P);
    P->ctx = saved;
    return make(E_OTHER, 0, start);
}

fx_expr fx_expression(fast_parser *P)
{
    if (fx_kw(P, KW_LAMBDA))
        return lambda(P);
    uint32_t start = P->cur.start;
    enter(P);
    fx_expr e = fx_disjunction(P);
    if (fx_kw(P, KW_IF)) {
        fx_advance(P);
        fx_await_begin(P);
        fx_disjunction(P);
        fx_await_end(P);
        if (!fx_kw(P, KW_ELSE))
            fx_bail(P);
        fx_advance(P);
        fx_expression(P);
        e = make(E_OTHER, 0, start);
    }
    leave(P);
    return e;
}

fx_expr fx_named_expression(fast_parser *P)
{
    if (fx_name(P)) {
        const tok *n = fx_peek(P);
        if (n->type == TK_OP && n->sub == OP_WALRUS) {
            uint32_t start = P->cur.start;
            fx_advance(P);
            fx_advance(P);
            fx_expression(P);
            return make(E_OTHER, 0, start);
        }
    }
    return fx_expression(P);
}

static fx_expr star_expression(fast_parser *P)
{
    return fx_op(P, OP_STAR) ? fx_bare_star(P) : fx_expression(P);
}

fx_expr fx_star_expressions(fast_parser *P)
{
    uint32_t start = P->cur.start;
    fx_expr first = star_expression(P);
    if (!fx_op(P, OP_COMMA))
        return first;
    bool target = item_is_target(first);
    while (fx_op(P, OP_COMMA)) {
        fx_advance(P);
        if (!fx_starts_expression(P))
            break;
        target = item_is_target(star_expression(P)) && target;
    }
    return make(E_TUPLE, target ? EF_TARGET : 0, start);
}

fx_expr fx_yield(fast_parser *P)
{
    uint32_t start = P->cur.start;
    fx_advance(P);
    if (fx_kw(P, KW_FROM)) {
        fx_advance(P);
        fx_expression(P);
    } else if (fx_starts_expression(P)) {
        if (fx_star_expressions(P).kind == E_STAR)
            fx_bail(P);
    }
    return make(E_OTHER, 0, start);
}

void fx_targets(fast_parser *P)
{
    for (;;) {
        if (fx_op(P, OP_STAR)) {
            fx_advance(P);
            if (!is_plain_target(fx_primary(P)))
                fx_bail(P);
        } else if (!(fx_primary(P).flags & EF_TARGET)) {
            fx_bail(P);
        }
        if (!fx_op(P, OP_COMMA))
            return;
        fx_advance(P);
        if (fx_kw(P, KW_IN))
            return;
    }
}

void fx_arguments(fast_parser *P, bool allow_generator)
{
    int n = 0;
    while (!fx_op(P, OP_RPAR)) {
        if (fx_op(P, OP_STAR) || fx_op(P, OP_DSTAR)) {
            fx_advance(P);
            fx_expression(P);
        } else {
            const tok *next = fx_name(P) ? fx_peek(P) : NULL;
            if (next && next->type == TK_OP && next->sub == OP_ASSIGN) {
                fx_advance(P);
                fx_advance(P);
                fx_expression(P);
            } else {
                fx_named_expression(P);
                if (starts_comprehension(P)) {
                    if (!allow_generator || n > 0)
                        fx_bail(P);
                    comprehension(P);
                    break;
                }
            }
        }
        n++;
        if (!fx_op(P, OP_COMMA))
            break;
        fx_advance(P);
    }
    fx_expect_op(P, OP_RPAR);
}

static void annotation(fast_parser *P, bool lambda, bool star_parameter)
{
    if (lambda || !fx_op(P, OP_COLON))
        return;
    fx_advance(P);
    if (star_parameter && fx_op(P, OP_STAR)) {
        /* *args: *Ts or *tuple[...]: tree-sitter's reading of more (*a.b @ c) breaks */
        fx_advance(P);
        if (!fx_name(P))
            fx_bail(P);
        fx_advance(P);
        if (fx_op(P, OP_LSQB)) {
            fx_advance(P);
            slices(P);
        }
        if (!fx_op(P, OP_COMMA) && !fx_op(P, OP_RPAR))
            fx_bail(P);
        return;
    }
    fx_expression(P);
}

void fx_parameters(fast_parser *P, bool lambda, uint8_t close)
{
    while (!fx_op(P, close)) {
        if (fx_op(P, OP_SLASH)) {
            fx_advance(P);
        } else if (fx_op(P, OP_STAR)) {
            fx_advance(P);
            if (fx_name(P)) {
                fx_advance(P);
                annotation(P, lambda, true);
            }
        } else if (fx_op(P, OP_DSTAR)) {
            fx_advance(P);
            if (!fx_name(P))
                fx_bail(P);
            fx_advance(P);
            annotation(P, lambda, false);
        } else if (fx_name(P)) {
            fx_advance(P);
            annotation(P, lambda, false);
            if (fx_op(P, OP_ASSIGN)) {
                fx_advance(P);
                fx_expression(P);
            }
        } else {
            fx_bail(P);
        }
        if (!fx_op(P, OP_COMMA))
            break;
        fx_advance(P);
    }
}
