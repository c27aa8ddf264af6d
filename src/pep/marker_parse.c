/* PEP 508 environment markers: the parser (packaging 23.0's recursive descent). */
#include "pep508.h"
#include "pystring.h"
#include "specifier_impl.h"
#include "text.h"
#include "version_impl.h"

#include <stdlib.h>
#include <string.h>

void pep_mnode_clear(pep_mnode *node)
{
    if (node->rhs_spec) {
        pep_specifier_clear(node->rhs_spec);
        free(node->rhs_spec);
    }
    free(node->lhs.text);
    free(node->rhs.text);
    for (size_t i = 0; i < node->len; i++)
        pep_mnode_clear(&node->items[i]);
    free(node->items);
    memset(node, 0, sizeof(*node));
}

static bool parse_var(pep_tokenizer *t, pep_mvar *var)
{
    size_t l = pep_tok_variable(t);
    if (l) {
        char *name = da_xstrndup(t->s + t->pos, l);
        for (char *c = name; *c; c++)
            if (*c == '.')
                *c = '_';
        if (strcmp(name, "python_implementation") == 0) {
            free(name);
            name = da_xstrdup("platform_python_implementation");
        }
        var->is_var = true;
        var->text = name;
        t->pos += l;
        return true;
    }
    l = pep_tok_quoted(t);
    if (l) {
        da_buf value = {0};
        const char *why = NULL;
        if (!pep_pystring_decode(t->s + t->pos, l, &value, &why)) {
            da_buf_free(&value);
            return pep_tok_fail(t, t->pos, why);
        }
        if (memchr(value.data, '\0', value.len)) {
            da_buf_free(&value);
            return pep_tok_fail(t, t->pos, "NUL character in a marker string");
        }
        var->is_var = false;
        var->text = da_buf_take(&value);
        t->pos += l;
        return true;
    }
    return pep_tok_fail(t, t->pos, "Expected a marker variable or quoted string");
}

static bool parse_op(pep_tokenizer *t, char op[8])
{
    size_t l;
    if ((l = pep_tok_word(t, "in")) != 0) {
        t->pos += l;
        strcpy(op, "in");
        return true;
    }
    if ((l = pep_tok_word(t, "not")) != 0) {
        t->pos += l;
        if (!(l = pep_tok_ws(t)))
            return pep_tok_fail(t, t->pos, "Expected whitespace after 'not'");
        t->pos += l;
        if (!(l = pep_tok_word(t, "in")))
            return pep_tok_fail(t, t->pos, "Expected 'in' after 'not'");
        t->pos += l;
        strcpy(op, "not in");
        return true;
    }
    if ((l = pep_tok_op(t)) != 0) {
        memcpy(op, t->s + t->pos, l);
        op[l] = '\0';
        t->pos += l;
        return true;
    }
    return pep_tok_fail(t, t->pos,
                        "Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, "
                        "not in");
}

static bool parse_atom(pep_tokenizer *t, pep_mnode *atom)
{
    memset(atom, 0, sizeof(*atom));
    pep_tok_skip_ws(t);
    if (pep_tok_char(t, '(')) {
        size_t open = t->pos;
        if (++t->depth > PEP_MARKER_MAX_DEPTH)
            return pep_tok_fail(t, open, "markers nested too deeply");
        t->pos++;
        pep_tok_skip_ws(t);
        bool ok = pep_parse_marker(t, atom);
        t->depth--;
        if (!ok)
            return false;
        pep_tok_skip_ws(t);
        if (!pep_tok_char(t, ')'))
            return pep_tok_fail(t, open, "Expected closing RIGHT_PARENTHESIS");
        t->pos++;
    } else {
        atom->kind = PEP_M_ITEM;
        pep_tok_skip_ws(t);
        if (!parse_var(t, &atom->lhs))
            return false;
        pep_tok_skip_ws(t);
        if (!parse_op(t, atom->op))
            return false;
        pep_tok_skip_ws(t);
        if (!parse_var(t, &atom->rhs))
            return false;
        pep_tok_skip_ws(t);
    }
    pep_tok_skip_ws(t);
    return true;
}

bool pep_parse_marker(pep_tokenizer *t, pep_mnode *list)
{
    memset(list, 0, sizeof(*list));
    list->kind = PEP_M_LIST;
    for (;;) {
        pep_mnode atom;
        bool ok = parse_atom(t, &atom);
        DA_PUSH(list->items, list->len, list->cap, atom); /* pushed even if partial: freed */
        if (!ok)
            return false;
        size_t l;
        pep_mkind kind;
        if ((l = pep_tok_word(t, "or")) != 0)
            kind = PEP_M_OR;
        else if ((l = pep_tok_word(t, "and")) != 0)
            kind = PEP_M_AND;
        else
            return true;
        t->pos += l;
        pep_mnode op;
        memset(&op, 0, sizeof(op));
        op.kind = kind;
        DA_PUSH(list->items, list->len, list->cap, op);
    }
}

void pep_marker_normalize_extra(pep_mnode *root)
{
    if (root->len == 0 || root->items[0].kind != PEP_M_ITEM)
        return;
    pep_mnode *it = &root->items[0];
    pep_mvar *other = NULL;
    if (it->lhs.is_var && strcmp(it->lhs.text, "extra") == 0)
        other = &it->rhs;
    else if (it->rhs.is_var && strcmp(it->rhs.text, "extra") == 0)
        other = &it->lhs;
    if (!other)
        return;
    char *norm = da_name_normalize(other->text);
    free(other->text);
    other->text = norm;
    other->is_var = false;
}

void pep_marker_prepare(pep_mnode *node)
{
    for (size_t i = 0; i < node->len; i++)
        pep_marker_prepare(&node->items[i]);
    if (node->kind != PEP_M_ITEM || !node->lhs.is_var || strcmp(node->lhs.text, "extra") == 0)
        return;
    node->fixed_rhs = true;
    char *spec_text = da_xasprintf("%s%s", node->op, node->rhs.text);
    pep_specifier sp;
    if (pep_specifier_parse(&sp, spec_text, strlen(spec_text), NULL)) {
        node->rhs_is_spec = true;
        node->rhs_spec = da_xmalloc(sizeof(sp));
        *node->rhs_spec = sp;
    }
    free(spec_text);
}

da_marker *da_marker_parse(const char *s, da_error *err)
{
    if (!s) {
        da_error_set(err, NULL, 0, 0, "invalid marker: no text");
        return NULL;
    }
    pep_tokenizer t = {s, strlen(s), 0, err, false, 0};
    da_marker *m = da_xcalloc(1, sizeof(*m));
    /* As in packaging 23.0, text after a complete marker is not looked at. */
    if (!pep_parse_marker(&t, &m->root)) {
        da_marker_free(m);
        return NULL;
    }
    pep_marker_normalize_extra(&m->root);
    pep_marker_prepare(&m->root);
    return m;
}

void da_marker_free(da_marker *m)
{
    if (!m)
        return;
    pep_mnode_clear(&m->root);
    free(m);
}
