/* PEP 508 environment markers: the printed normal form. */
#include "pep508.h"

#include <string.h>

static void format_value(da_buf *out, const char *v)
{
    /* packaging prints "value" as is. A value with a double quote, a backslash or a line
     * break would not read back the same, so it is quoted so that it does. */
    if (!strpbrk(v, "\"\\\n\r")) {
        da_buf_printf(out, "\"%s\"", v);
        return;
    }
    if (!strpbrk(v, "'\\\n\r")) {
        da_buf_printf(out, "'%s'", v);
        return;
    }
    da_buf_putc(out, '"');
    for (const char *c = v; *c; c++) {
        if (*c == '"') /* the tokenizer ends a string at its quote, escaped or not */
            da_buf_puts(out, "\\x22");
        else if (*c == '\\')
            da_buf_puts(out, "\\\\");
        else if (*c == '\n')
            da_buf_puts(out, "\\n");
        else if (*c == '\r')
            da_buf_puts(out, "\\r");
        else
            da_buf_putc(out, *c);
    }
    da_buf_putc(out, '"');
}

static void format_var(da_buf *out, const pep_mvar *v)
{
    if (v->is_var)
        da_buf_puts(out, v->text);
    else
        format_value(out, v->text);
}

static void format_node(da_buf *out, const pep_mnode *n, bool first)
{
    if (n->kind == PEP_M_ITEM) {
        format_var(out, &n->lhs);
        da_buf_printf(out, " %s ", n->op);
        format_var(out, &n->rhs);
        return;
    }
    if (n->kind == PEP_M_AND || n->kind == PEP_M_OR) {
        da_buf_puts(out, n->kind == PEP_M_AND ? "and" : "or");
        return;
    }
    /* A one-element list is printed as its element. packaging 23.0 then drops the
     * parentheses of a doubly-parenthesised group even inside a larger expression,
     * which changes its meaning; here the group keeps them. */
    if (n->len == 1 && n->items[0].kind != PEP_M_AND && n->items[0].kind != PEP_M_OR) {
        format_node(out, &n->items[0], first);
        return;
    }
    if (!first)
        da_buf_putc(out, '(');
    for (size_t i = 0; i < n->len; i++) {
        if (i)
            da_buf_putc(out, ' ');
        format_node(out, &n->items[i], false);
    }
    if (!first)
        da_buf_putc(out, ')');
}

void pep_marker_format(da_buf *out, const pep_mnode *list)
{
    da_buf_puts(out, "");
    format_node(out, list, true);
}

char *da_marker_to_string(const da_marker *m)
{
    da_buf out = {0};
    pep_marker_format(&out, &m->root);
    return da_buf_take(&out);
}
