/* The fast path's entry: tokens for the parser, its string pool, and one text from
 * beginning to end, with the bail-out to the full path. */
#include "fast_parse.h"
#include "fast_path.h"

#include <stdlib.h>
#include <string.h>

_Noreturn void fx_bail(fast_parser *P)
{
    P->lx.bail_at = P->cur.start;
    longjmp(P->bail, 1);
}

void fx_advance(fast_parser *P)
{
    if (P->watch && P->cur.type == TK_NAME && P->cur.name == NM_CATCHES)
        P->watch_hit = true;
    P->prev_end = P->cur.end;
    P->prev_extras = P->cur.extras;
    if (P->have_next) {
        P->cur = P->next;
        P->have_next = false;
    } else {
        lx_next(&P->lx, &P->cur);
    }
}

const tok *fx_peek(fast_parser *P)
{
    if (!P->have_next) {
        lx_next(&P->lx, &P->next);
        P->have_next = true;
    }
    return &P->next;
}

void fx_expect_op(fast_parser *P, uint8_t op)
{
    if (!fx_op(P, op))
        fx_bail(P);
    fx_advance(P);
}

bool fx_starts_expression(const fast_parser *P)
{
    switch (P->cur.type) {
    case TK_NAME:
        switch (P->cur.sub) {
        case KW_NONE:
        case KW_FALSE:
        case KW_NONE_LIT:
        case KW_TRUE:
        case KW_LAMBDA:
        case KW_NOT:
        case KW_AWAIT:
            return true;
        default:
            return false;
        }
    case TK_NUMBER:
    case TK_STRING:
    case TK_FSTART:
        return true;
    case TK_OP:
        switch (P->cur.sub) {
        case OP_LPAR:
        case OP_LSQB:
        case OP_LBRACE:
        case OP_MINUS:
        case OP_PLUS:
        case OP_TILDE:
        case OP_ELLIPSIS:
        case OP_STAR:
            return true;
        default:
            return false;
        }
    default:
        return false;
    }
}

void fx_await_begin(fast_parser *P)
{
    if (P->nawaiting >= FX_MAX_AWAIT)
        fx_bail(P);
    P->awaiting[P->nawaiting++] = P->cur.depth;
    P->awaiting_top = P->cur.depth;
}

void fx_await_end(fast_parser *P)
{
    P->nawaiting--;
    P->awaiting_top = P->nawaiting > 0 ? P->awaiting[P->nawaiting - 1] : -1;
}

void fx_save(const fast_parser *P, fx_mark *m)
{
    m->lx = P->lx;
    m->cur = P->cur;
    m->next = P->next;
    m->have_next = P->have_next;
    m->prev_end = P->prev_end;
    m->prev_extras = P->prev_extras;
    m->nrecs = P->nrecs;
    m->pool_len = P->pool_len;
    m->unresolved = P->unresolved;
    m->expr_depth = P->expr_depth;
    m->fstring_depth = P->fstring_depth;
    m->nawaiting = P->nawaiting;
    m->awaiting_top = P->awaiting_top;
    m->ctx = P->ctx;
}

void fx_restore(fast_parser *P, const fx_mark *m)
{
    lx_marker *markers = P->lx.markers; /* may have moved since */
    size_t cap = P->lx.markers_cap;
    P->lx = m->lx;
    P->lx.markers = markers;
    P->lx.markers_cap = cap;
    P->cur = m->cur;
    P->next = m->next;
    P->have_next = m->have_next;
    P->prev_end = m->prev_end;
    P->prev_extras = m->prev_extras;
    P->nrecs = m->nrecs;
    P->pool_len = m->pool_len;
    P->unresolved = m->unresolved;
    P->expr_depth = m->expr_depth;
    P->fstring_depth = m->fstring_depth;
    P->nawaiting = m->nawaiting;
    P->awaiting_top = m->awaiting_top;
    P->ctx = m->ctx;
}

void fx_pool_put(fast_parser *P, const char *s, size_t n)
{
    if (n == 0)
        return;
    if (P->pool_len + n >= UINT32_MAX / 2)
        fx_bail(P);
    da_grow((void **)&P->pool, &P->pool_cap, P->pool_len + n, 1);
    memcpy(P->pool + P->pool_len, s, n);
    P->pool_len += n;
}

uint32_t fx_pool_add(fast_parser *P, const char *s, size_t n)
{
    uint32_t at = (uint32_t)P->pool_len;
    fx_pool_put(P, s, n);
    fx_pool_put(P, "", 1);
    return at;
}

fast_parser *da_py_fast_new(void)
{
    return da_xcalloc(1, sizeof(fast_parser));
}

void da_py_fast_free(fast_parser *P)
{
    if (!P)
        return;
    lx_free(&P->lx);
    free(P->recs);
    free(P->pool);
    free(P->tries);
    free(P->text);
    for (size_t i = 0; i < sizeof(P->ifs) / sizeof(P->ifs[0]); i++)
        free(P->ifs[i].negation);
    free(P);
}

static void reset(fast_parser *P, const char *text)
{
    P->s = text;
    P->have_next = false;
    P->prev_end = P->prev_extras = 0;
    P->ctx =
        (fx_ctx){.scope = DA_SCOPE_MODULE, .guard = DA_GUARD_NONE, .try_ref = -1, .condition = -1};
    P->depth = P->expr_depth = P->fstring_depth = 0;
    P->watch = P->watch_hit = false;
    P->nawaiting = 0;
    P->awaiting_top = -1;
    P->nrecs = P->pool_len = P->ntries = 0;
    P->import_module_imported = false;
    P->unresolved = 0;
}

bool da_py_fast_extract(fast_parser *P, const char *root, const char *file, int cell,
                        const char *text, size_t len, da_import_set *out)
{
    if (len >= UINT32_MAX / 2)
        return false;
    reset(P, text);
    if (setjmp(P->bail))
        return false;
    lx_init(&P->lx, text, (uint32_t)len, &P->bail);
    P->lx.awaiting = &P->awaiting_top;
    lx_next(&P->lx, &P->cur);
    while (P->cur.type != TK_EOF)
        fx_statement(P);
    fx_finish(P, root, file, cell, out);
    return true;
}

uint32_t da_py_fast_bail_offset(const fast_parser *P)
{
    return P->lx.bail_at;
}
