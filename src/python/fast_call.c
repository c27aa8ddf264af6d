/* The fast path's dynamic imports: import_module("x"), importlib.import_module("x") and
 * __import__("x") with a plain string literal as the first argument, judged as extract.c's
 * on_call and literal_string judge them on tree-sitter's nodes. */
#include "fast_parse.h"

/* A literal tree-sitter gives a single escape-free string_content: no f, no b prefix. */
static bool plain_literal(const tok *t)
{
    return t->type == TK_STRING && !(t->sub & (STR_BYTES | STR_ESCAPE));
}

/* Whether the string token is the whole first argument: the first named child of the
 * argument list (or, for f("x" for ...), the body of the generator it is). */
static bool whole_argument(const tok *next)
{
    if (next->type == TK_OP)
        return next->sub == OP_COMMA || next->sub == OP_RPAR;
    return next->type == TK_NAME && (next->sub == KW_FOR || next->sub == KW_ASYNC);
}

void fx_dynamic_call(fast_parser *P, uint32_t call_start, bool bare_import_module)
{
    size_t index = (size_t)-1;
    if (plain_literal(&P->cur) && whole_argument(fx_peek(P))) {
        uint32_t a = lx_string_content_start(&P->cur), b = lx_string_content_end(&P->cur);
        if (a < b) {
            int level = 0;
            while (a < b && P->s[a] == '.') {
                a++;
                level++;
            }
            uint32_t module = fx_pool_add(P, P->s + a, b - a);
            fx_record *r = fx_add_record(P, DA_IMPORT_KIND_DYNAMIC, call_start, module, level);
            r->bare_import_module = bare_import_module;
            index = P->nrecs - 1;
        }
    }
    if (index == (size_t)-1)
        P->unresolved++;
    fx_arguments(P, true);
    if (index != (size_t)-1)
        P->recs[index].end = P->prev_end;
}
