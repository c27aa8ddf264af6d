/* Specifier internals shared by specifier.c, the PEP 508 tokenizer and markers. */
#ifndef DEPAUDIT_PEP_SPECIFIER_IMPL_H
#define DEPAUDIT_PEP_SPECIFIER_IMPL_H

#include "depaudit/pep.h"

#include <stddef.h>

/* Where packaging's specifier regular expression matched. */
typedef struct pep_spec_match {
    size_t op_start, op_len;   /* the operator */
    size_t ver_start, ver_end; /* the version group, spaces included (strip it) */
    size_t end;                /* end of the whole match */
} pep_spec_match;

/* anchored: Specifier()'s `^\s*OP VERSION\s*$` over all of s[0..n) (pos ignored).
 * Otherwise the tokenizer's SPECIFIER rule: the first match starting exactly at pos,
 * by the regular expression's own preference order. */
bool pep_specifier_match(const char *s, size_t n, size_t pos, bool anchored, pep_spec_match *m);

/* One clause, as packaging's Specifier. */
typedef struct pep_specifier {
    char op[4];         /* "~=", "==", "!=", "<=", ">=", "<", ">", "===" */
    char *version;      /* the version text as written, stripped */
    da_version *parsed; /* the version (NULL for "===" text that is not a version) */
    bool wildcard;      /* "==X.*" / "!=X.*" */
    char *wild_prefix;  /* the text before ".*" (wildcard), or ~='s computed prefix */
    int prereleases;    /* Specifier.prereleases: 1, 0, or -1 when packaging raises */
    char *canonical;    /* canonicalize_version(version), for equality of clauses */
} pep_specifier;

/* Parses one clause of s[0..n); false + err when it is not one. */
bool pep_specifier_parse(pep_specifier *sp, const char *s, size_t n, da_error *err);
void pep_specifier_clear(pep_specifier *sp);
/* Specifier.contains(v, prereleases) with prereleases already decided. */
bool pep_specifier_contains(const pep_specifier *sp, const da_version *v, bool prereleases);

#endif
