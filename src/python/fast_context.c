/* The fast path's contexts: the same rules as extract.c's child_ctx and if_branch_ctx (see
 * there for why), applied while parsing instead of while walking a tree. The parts that
 * come later in the text than the records they decide (a try's handlers, an elif's own
 * condition) are applied by patching the records already made. */
#include "fast_parse.h"

#include <stdlib.h>
#include <string.h>

fx_record *fx_add_record(fast_parser *P, uint8_t kind, uint32_t start, uint32_t module, int level)
{
    da_grow((void **)&P->recs, &P->recs_cap, P->nrecs + 1, sizeof(*P->recs));
    fx_record *r = &P->recs[P->nrecs++];
    memset(r, 0, sizeof(*r));
    r->start = r->end = start;
    r->module = module;
    r->level = level;
    r->kind = kind;
    r->ctx = P->ctx;
    return r;
}

/* The condition's source with each run of whitespace (and line continuations) made one
 * space, as da_py_collapsed_text; into P->text. Returns its length. */
static size_t collapse(fast_parser *P, uint32_t a, uint32_t b)
{
    da_grow((void **)&P->text, &P->text_cap, (size_t)(b - a) + 1, 1);
    const char *t = P->s;
    size_t n = 0;
    bool space = false;
    for (uint32_t i = a; i < b; i++) {
        char c = t[i];
        if (c == '\\' && i + 1 < b && t[i + 1] == '\n') {
            space = true;
            i++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\f') {
            space = true;
            continue;
        }
        if (space && n > 0)
            P->text[n++] = ' ';
        space = false;
        P->text[n++] = c;
    }
    P->text[n] = '\0';
    return n;
}

typedef enum cond_kind { K_OTHER, K_TC, K_NOT_TC, K_VERSION, K_PLATFORM, K_MAIN } cond_kind;

/* da_py_classify_condition on the same text. Whether a parenthesized TYPE_CHECKING counts
 * depends there on no comment or continuation sitting inside the parentheses (tree-sitter
 * makes them children); such conditions go to the full path. */
static cond_kind classify(fast_parser *P, fx_expr cond, bool extras_inside)
{
    if (cond.flags & (EF_TC | EF_NOT_TC)) {
        if (extras_inside)
            fx_bail(P);
        return cond.flags & EF_TC ? K_TC : K_NOT_TC;
    }
    /* Every word below holds one of these: most conditions hold none and are done with. */
    static const char *const anchors[] = {"version", "PY",       "platform",
                                          "os.name", "__name__", "sys.implementation"};
    bool any = false;
    for (size_t i = 0; !any && i < sizeof(anchors) / sizeof(*anchors); i++)
        any = strstr(P->text, anchors[i]) != NULL;
    if (!any)
        return K_OTHER;
    static const char *const version_words[] = {"version_info", "hexversion", "python_version",
                                                "PY2", "PY3"};
    static const char *const platform_words[] = {
        "sys.platform",       "os.name",
        "platform.system",    "platform.machine",
        "sys.implementation", "platform.python_implementation"};
    for (size_t i = 0; i < sizeof(version_words) / sizeof(*version_words); i++)
        if (strstr(P->text, version_words[i]))
            return K_VERSION;
    for (size_t i = 0; i < sizeof(platform_words) / sizeof(*platform_words); i++)
        if (strstr(P->text, platform_words[i]))
            return K_PLATFORM;
    if (strstr(P->text, "__name__") && strstr(P->text, "__main__"))
        return K_MAIN;
    return K_OTHER;
}

static void negation_put(fx_if *f, const char *s, size_t n)
{
    if (n == 0)
        return;
    da_grow((void **)&f->negation, &f->cap, f->len + n + 1, 1);
    memcpy(f->negation + f->len, s, n);
    f->len += n;
    f->negation[f->len] = '\0';
}

static int32_t keep_condition(fast_parser *P, const fx_if *f, const char *text, size_t len)
{
    uint32_t at = (uint32_t)P->pool_len;
    if (f->len > 0) {
        fx_pool_put(P, f->negation, f->len);
        fx_pool_put(P, " and (", 6);
        fx_pool_put(P, text, len);
        fx_pool_put(P, ")", 2); /* with its NUL */
    } else {
        fx_pool_add(P, text, len);
    }
    return (int32_t)at;
}

fx_ctx fx_if_branch(fast_parser *P, fx_if *f, fx_expr cond, uint32_t cond_end,
                    uint32_t first_extras)
{
    fx_ctx ctx = P->ctx;
    size_t len = collapse(P, cond.start, cond_end);
    cond_kind k = classify(P, cond, P->prev_extras != first_extras);
    uint16_t depth = (uint16_t)(P->depth + 1);
    if (k == K_TC) {
        ctx.guard = DA_GUARD_TYPE_CHECKING;
        ctx.condition = -1;
        ctx.guard_depth = depth;
    } else if (k == K_NOT_TC) {
        f->negation_type_checking = true; /* its else runs only for type checkers */
    } else if (ctx.guard != DA_GUARD_TYPE_CHECKING &&
               (k == K_VERSION || k == K_PLATFORM || k == K_MAIN ||
                f->negation_guard != DA_GUARD_NONE)) {
        ctx.guard = k == K_VERSION    ? DA_GUARD_VERSION
                    : k == K_PLATFORM ? DA_GUARD_PLATFORM
                    : k == K_MAIN     ? DA_GUARD_MAIN
                                      : f->negation_guard;
        ctx.condition = ctx.guard == DA_GUARD_MAIN ? -1 : keep_condition(P, f, P->text, len);
        ctx.guard_depth = depth;
    }
    if (f->negation_guard == DA_GUARD_NONE && (k == K_VERSION || k == K_PLATFORM))
        f->negation_guard = k == K_VERSION ? DA_GUARD_VERSION : DA_GUARD_PLATFORM;
    if (f->len + len > FX_MAX_NEGATION) {
        f->len = 0;
    } else {
        if (f->len > 0)
            negation_put(f, " and ", 5);
        negation_put(f, "not (", 5);
        negation_put(f, P->text, len);
        negation_put(f, ")", 1);
    }
    return ctx;
}

fx_ctx fx_else_branch(fast_parser *P, fx_if *f)
{
    fx_ctx ctx = P->ctx;
    uint16_t depth = (uint16_t)(P->depth + 1);
    if (f->negation_type_checking && ctx.guard != DA_GUARD_TYPE_CHECKING) {
        ctx.guard = DA_GUARD_TYPE_CHECKING;
        ctx.condition = -1;
        ctx.guard_depth = depth;
    } else if (ctx.guard != DA_GUARD_TYPE_CHECKING && f->negation_guard != DA_GUARD_NONE) {
        ctx.guard = f->negation_guard;
        ctx.condition = (int32_t)fx_pool_add(P, f->len > 0 ? f->negation : "", f->len);
        ctx.guard_depth = depth;
    }
    return ctx;
}

fx_ctx fx_try_ctx(const fast_parser *P, int32_t try_ref, bool in_except)
{
    fx_ctx ctx = P->ctx;
    uint16_t depth = (uint16_t)(P->depth + 1);
    ctx.try_ref = try_ref;
    ctx.in_except = in_except;
    ctx.group_depth = depth;
    if (ctx.guard != DA_GUARD_TYPE_CHECKING) {
        ctx.guard = DA_GUARD_IMPORT_ERROR;
        ctx.condition = -1;
        ctx.guard_depth = depth;
    }
    return ctx;
}

void fx_patch_guard(fast_parser *P, size_t from, const fx_ctx *branch)
{
    for (size_t i = from; i < P->nrecs; i++) {
        fx_ctx *c = &P->recs[i].ctx;
        if (c->guard_depth <= P->depth) {
            c->guard = branch->guard;
            c->condition = branch->condition;
            c->guard_depth = branch->guard_depth;
        }
    }
}

void fx_patch_try(fast_parser *P, size_t from, size_t to, const fx_ctx *tctx)
{
    bool guard = P->ctx.guard != DA_GUARD_TYPE_CHECKING;
    for (size_t i = from; i < to; i++) {
        fx_ctx *c = &P->recs[i].ctx;
        if (c->group_depth <= P->depth) {
            c->try_ref = tctx->try_ref;
            c->in_except = tctx->in_except;
            c->group_depth = tctx->group_depth;
        }
        if (guard && c->guard_depth <= P->depth) {
            c->guard = tctx->guard;
            c->condition = tctx->condition;
            c->guard_depth = tctx->guard_depth;
        }
    }
}
