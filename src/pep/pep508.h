/* The PEP 508 tokenizer and the marker tree, shared by markers and requirements. The
 * token rules and the recursive descent follow packaging 23.0's _tokenizer/_parser. */
#ifndef DEPAUDIT_PEP_PEP508_H
#define DEPAUDIT_PEP_PEP508_H

#include "depaudit/pep.h"

#include <stddef.h>

typedef struct pep_tokenizer {
    const char *s;
    size_t n;
    size_t pos;
    da_error *err;
    bool failed;
    int depth; /* parentheses open in a marker */
} pep_tokenizer;

/* Deeper nesting is rejected so that hostile input cannot exhaust the stack (packaging
 * itself stops near 490 levels, with Python's RecursionError). */
#define PEP_MARKER_MAX_DEPTH 256

/* Each returns the length of the token at t->pos, 0 when it is not there. */
size_t pep_tok_ws(const pep_tokenizer *t);
size_t pep_tok_char(const pep_tokenizer *t, char c);
size_t pep_tok_quoted(const pep_tokenizer *t);
size_t pep_tok_op(const pep_tokenizer *t);
size_t pep_tok_word(const pep_tokenizer *t, const char *word); /* \bword\b */
size_t pep_tok_variable(const pep_tokenizer *t);
size_t pep_tok_identifier(const pep_tokenizer *t);
size_t pep_tok_specifier(const pep_tokenizer *t);
size_t pep_tok_url(const pep_tokenizer *t);
bool pep_tok_at_end(const pep_tokenizer *t); /* `$`: the end, or before a final newline */
void pep_tok_skip_ws(pep_tokenizer *t);
/* Records a syntax error at byte offset `at` (once); returns false for convenience. */
bool pep_tok_fail(pep_tokenizer *t, size_t at, const char *message);

typedef enum pep_mkind { PEP_M_ITEM, PEP_M_LIST, PEP_M_AND, PEP_M_OR } pep_mkind;

typedef struct pep_mvar {
    bool is_var; /* a variable name (canonical spelling) or a string value */
    char *text;
} pep_mvar;

typedef struct pep_mnode {
    pep_mkind kind;
    pep_mvar lhs, rhs; /* PEP_M_ITEM */
    char op[8];        /* "==", "in", "not in", ... */
    /* When the right side is fixed (a variable on the left, not `extra`): whether
     * `op + rhs` is a specifier, and that specifier, parsed once at parse time. */
    bool fixed_rhs, rhs_is_spec;
    struct pep_specifier *rhs_spec;
    struct pep_mnode *items; /* PEP_M_LIST: atoms separated by AND/OR nodes */
    size_t len, cap;
} pep_mnode;

struct da_marker {
    pep_mnode root; /* a PEP_M_LIST */
};

/* marker = marker_atom (BOOLOP marker_atom)*: parses into list (a fresh PEP_M_LIST). */
bool pep_parse_marker(pep_tokenizer *t, pep_mnode *list);
/* packaging's _normalize_extra_values: the first item of the top list, when it compares
 * `extra`, gets its other side replaced by the normalised name (as a string value). */
void pep_marker_normalize_extra(pep_mnode *root);
void pep_mnode_clear(pep_mnode *node);
/* Parses the fixed specifiers of every item once (call after normalize_extra). */
void pep_marker_prepare(pep_mnode *node);
/* Parses the fixed specifiers of every item once (call after normalize_extra). */
void pep_marker_prepare(pep_mnode *node);
void pep_marker_format(da_buf *out, const pep_mnode *list);

#endif
