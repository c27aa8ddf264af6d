/* A byte-class map of Python source: code, comment, or part of a string literal (its
 * opening delimiter, its body, its closing delimiter). Enough for the usage scanner to
 * tell where a literal starts and ends without a parse. */
#ifndef DEPAUDIT_PYTHON_USAGE_LEX_H
#define DEPAUDIT_PYTHON_USAGE_LEX_H

#include <stddef.h>

enum {
    USAGE_CODE = 0,
    USAGE_COMMENT,
    USAGE_OPEN,  /* the quote characters that open a literal (prefix letters are code) */
    USAGE_BODY,  /* between the quotes, escapes included */
    USAGE_CLOSE, /* the quote characters that close it */
};

/* One class per byte of text (caller frees). An unterminated literal's body runs to the
 * end of its line (one quote) or of the text (three quotes); it has no CLOSE bytes. */
unsigned char *usage_lex(const char *text, size_t len);

#endif
