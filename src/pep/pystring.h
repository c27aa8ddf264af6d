/* Python string literals, the way ast.literal_eval reads a marker's quoted value. */
#ifndef DEPAUDIT_PEP_PYSTRING_H
#define DEPAUDIT_PEP_PYSTRING_H

#include "depaudit/util.h"

#include <stdbool.h>
#include <stddef.h>

/* tok[0..n) is a quoted string including its quotes ('...' or "..."). Appends its value
 * (UTF-8) to out. Returns false where Python raises SyntaxError (bad \x, \u, \U escape,
 * a raw line break, a backslash before the closing quote) and for \N{...}, whose name
 * table this code does not carry. */
bool pep_pystring_decode(const char *tok, size_t n, da_buf *out, const char **why);

#endif
