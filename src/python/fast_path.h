/* The fast path of import extraction: a tokenizer and recognizer that read a text once and
 * settle it when they can prove it has no syntax error and hold every construct the
 * records depend on to the meaning the full tree-sitter path gives it. Internal to
 * src/python; fast_parse.h has the parts. */
#ifndef DEPAUDIT_PYTHON_FAST_PATH_H
#define DEPAUDIT_PYTHON_FAST_PATH_H

#include "depaudit/imports.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fast_parser fast_parser;

/* One per thread; reused from text to text (its buffers grow to the largest). */
fast_parser *da_py_fast_new(void);
void da_py_fast_free(fast_parser *P);

/* Extracts the imports of one UTF-8 text (decoded, newlines made "\n", text[len] == '\0')
 * into out exactly as da_py_extract_text would, and returns true; or returns false having
 * changed nothing when the text needs the full path (a syntax error, or a construct the
 * fast path leaves to tree-sitter). */
bool da_py_fast_extract(fast_parser *P, const char *root, const char *file, int cell,
                        const char *text, size_t len, da_import_set *out);

/* After da_py_fast_extract returned false: the offset in the text where it gave up. */
uint32_t da_py_fast_bail_offset(const fast_parser *P);

#endif
