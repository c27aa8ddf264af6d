/* Docker's word processing for the instructions it expands itself (FROM, ARG, ENV, COPY,
 * ADD, WORKDIR, USER, ...): quotes removed, the escape character applied, and `$A`,
 * `${A}`, `${A:-default}`, `${A-default}`, `${A:+alt}`, `${A+alt}` expanded. */
#ifndef DEPAUDIT_IMAGE_EXPAND_H
#define DEPAUDIT_IMAGE_EXPAND_H

#include <stdbool.h>
#include <stddef.h>

typedef struct ex_env {
    /* The value of a variable, or NULL when it is not set. */
    const char *(*lookup)(void *ctx, const char *name);
    /* Told about each variable referenced while unset (may be NULL). */
    void (*missing)(void *ctx, const char *name);
    void *ctx;
    /* Leave a reference to an unset variable as written (pip's rule for requirements
     * files) instead of expanding it to nothing (Docker's and the shell's rule). */
    bool keep_unset;
} ex_env;

/* The word s[0..n) after quote removal, escapes and expansion. Never NULL. */
char *ex_word(const char *s, size_t n, char escape, const ex_env *env);
/* Expansion only (quotes and escapes are kept as they are): for text whose quoting
 * belongs to someone else, e.g. a heredoc body or a requirements-file line. */
char *ex_vars_only(const char *s, size_t n, bool braces_only, const ex_env *env);

typedef struct ex_span {
    size_t start, end;
} ex_span;

/* Splits s[0..n) on unquoted, unescaped whitespace. Returns the number of words and
 * their spans in *out (caller frees). */
size_t ex_split(const char *s, size_t n, char escape, ex_span **out);

#endif
