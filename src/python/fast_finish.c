/* The fast path's records into da_import records: what extract.c decides at the end of a
 * text (bare import_module calls, alternative group numbers) and per record (line and
 * column, "# depaudit: ignore" comments on the statement's lines). */
#include "fast_parse.h"
#include "python_internal.h"

#include <stdlib.h>
#include <string.h>

/* Bare import_module("x") calls count only when the text imports import_module from
 * importlib (extract.c's drop_unbound_import_module_calls). */
static void drop_unbound_calls(fast_parser *P)
{
    if (P->import_module_imported)
        return;
    size_t keep = 0;
    for (size_t i = 0; i < P->nrecs; i++) {
        if (P->recs[i].bare_import_module) {
            P->unresolved++;
            continue;
        }
        P->recs[keep++] = P->recs[i];
    }
    P->nrecs = keep;
}

/* Groups are handed out in the order the tree walk reaches catching tries: pre-order, the
 * order of their `try` keywords. P->tries[t] becomes try t's group id, or 0. */
static void number_groups(fast_parser *P, da_import_set *out)
{
    for (size_t t = 0; t < P->ntries; t++)
        P->tries[t] = P->tries[t] ? ++out->next_group : 0;
}

static int by_start(const void *a, const void *b)
{
    const fx_record *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* Records come in source order (the tree walk's pre-order); kept so if ever not. */
static void sort_records(fast_parser *P)
{
    for (size_t i = 1; i < P->nrecs; i++) {
        if (P->recs[i - 1].start > P->recs[i].start) {
            qsort(P->recs, P->nrecs, sizeof(*P->recs), by_start);
            return;
        }
    }
}

/* The first marker comment starting on the statement's lines [a, b), as read_ignore. */
static const lx_marker *marker_in(const lexer *lx, uint32_t a, uint32_t b)
{
    size_t lo = 0, hi = lx->nmarkers;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (lx->markers[mid].start < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < lx->nmarkers && lx->markers[lo].start < b ? &lx->markers[lo] : NULL;
}

static void read_ignore(const fast_parser *P, const fx_record *r, uint32_t line_start,
                        da_import *im)
{
    const char *s = P->s;
    uint32_t n = P->lx.n;
    const char *nl = memchr(s + r->end, '\n', n - r->end);
    uint32_t line_end = nl ? (uint32_t)(nl - s) : n;
    const lx_marker *m = marker_in(&P->lx, line_start, line_end);
    if (m)
        da_py_read_ignore_codes(s + m->at + 16, s + m->end, im);
}

static void append(const fast_parser *P, const fx_record *r, const char *root, const char *file,
                   int cell, int line, int col, da_import_set *out)
{
    da_grow((void **)&out->items, &out->cap, out->len + 1, sizeof(*out->items));
    da_import *im = &out->items[out->len++];
    memset(im, 0, sizeof(*im));
    im->root = da_xstrdup(root);
    im->file = da_xstrdup(file);
    im->cell = cell;
    im->line = line;
    im->col = col;
    im->module = da_xstrdup(P->pool + r->module);
    im->level = r->level;
    const char *name = P->pool + r->names;
    for (uint32_t i = 0; i < r->nnames; i++, name += strlen(name) + 1)
        da_strlist_push(&im->names, name);
    im->kind = (da_import_kind)r->kind;
    im->scope = (da_import_scope)r->ctx.scope;
    im->guard = (da_import_guard)r->ctx.guard;
    im->condition = r->ctx.condition >= 0 ? da_xstrdup(P->pool + r->ctx.condition) : NULL;
    im->alternative_group = r->ctx.try_ref >= 0 ? P->tries[r->ctx.try_ref] : 0;
    im->in_except = r->ctx.in_except;
    im->klass = im->kind == DA_IMPORT_KIND_FUTURE ? DA_CLASS_FUTURE
                : im->level > 0                   ? DA_CLASS_RELATIVE
                                                  : DA_CLASS_THIRD_PARTY;
}

void fx_finish(fast_parser *P, const char *root, const char *file, int cell, da_import_set *out)
{
    drop_unbound_calls(P);
    number_groups(P, out);
    sort_records(P);
    const char *s = P->s;
    uint32_t at = 0, line_start = 0;
    int line = 1;
    for (size_t i = 0; i < P->nrecs; i++) {
        const fx_record *r = &P->recs[i];
        for (;;) {
            const char *nl = memchr(s + at, '\n', r->start - at);
            if (!nl)
                break;
            line++;
            at = line_start = (uint32_t)(nl - s) + 1;
        }
        at = r->start;
        append(P, r, root, file, cell, line, (int)(r->start - line_start) + 1, out);
        if (P->lx.nmarkers > 0)
            read_ignore(P, r, line_start, &out->items[out->len - 1]);
    }
    out->dynamic_unresolved += P->unresolved;
}
