/* Every field of an import set as text, one record or warning a line: what the tests of the
 * fast path compare between the two parsers. */
#ifndef DEPAUDIT_TESTS_DESCRIBE_IMPORTS_H
#define DEPAUDIT_TESTS_DESCRIBE_IMPORTS_H

#include "depaudit/imports.h"

/* malloc'ed; the caller frees. */
char *describe_imports(const da_import_set *s);

#endif
