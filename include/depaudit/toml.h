/* Reading TOML files (pyproject.toml, Pipfile, lock files, the depaudit configuration)
 * with tree-sitter-toml: a document, its tables in order, the pairs of a table, and the
 * values of pairs with their places. Nodes are tree-sitter nodes of the document; they live
 * as long as the document.
 *
 * A document with syntax errors is still read: what tree-sitter recovered is there, and
 * da_toml_check says where the first error is, for readers that must refuse it. */
#ifndef DEPAUDIT_TOML_H
#define DEPAUDIT_TOML_H

#include "depaudit/grammars.h"
#include "depaudit/util.h"

typedef struct da_toml {
    const char *path; /* for messages */
    const char *src;  /* the text, not owned */
    size_t len;
    TSParser *parser;
    TSTree *tree;
} da_toml;

/* Parses src (len bytes, which the caller keeps alive). Returns -1 with err only when
 * there is no tree at all (a text too large, an aborted parse); syntax errors are not
 * failures here (see da_toml_check). */
int da_toml_parse(da_toml *doc, const char *path, const char *src, size_t len, da_error *err);
void da_toml_free(da_toml *doc);

/* 0 for a document without syntax errors; else -1 with err at the first bad place
 * (path:line:col, "not valid TOML here"). *offset, when not NULL, is its byte offset. */
int da_toml_check(const da_toml *doc, da_error *err, size_t *offset);

/* An error about node n: path:line:col and the message; returns -1. */
int da_toml_fail(const da_toml *doc, TSNode n, da_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- tables ---------------------------------------------------------------------------- */

/* One top-level item of a document: a [table], a [[table array]] element, or a pair that
 * comes before the first header (a table of its own with an empty name). */
typedef struct da_toml_table {
    TSNode node;
    bool array;      /* a [[name]] element */
    da_strlist name; /* the header's key parts, in order; empty for a top-level pair */
} da_toml_table;

/* The next top-level item after *cursor (start at 0) into *t (its name replaced); false
 * at the end, with t->name freed. */
bool da_toml_next_table(const da_toml *doc, size_t *cursor, da_toml_table *t);

/* A `key = value` pair: node spans it, from the key to the end of the value. */
typedef struct da_toml_pair {
    TSNode node, key, value;
} da_toml_pair;

/* The next pair of a table, a [[table array]] element, an inline table, or of a lone
 * top-level pair (which yields itself), after *cursor (start at 0). Comments are skipped. */
bool da_toml_next_pair(TSNode container, size_t *cursor, da_toml_pair *pair);

/* The value of the first pair of container whose key is the one-part key `name`. */
bool da_toml_get(const da_toml *doc, TSNode container, const char *name, TSNode *value);

/* ---- keys ------------------------------------------------------------------------------ */

/* Appends the parts of a bare, quoted or dotted key to parts (unquoted), stopping once
 * parts holds more than 64: no real key is that deep. */
void da_toml_key_parts(const da_toml *doc, TSNode key, da_strlist *parts);
/* The key as one dotted string ("tool.depaudit"). */
char *da_toml_key_text(const da_toml *doc, TSNode key);
/* Key parts (a table's name) as one dotted string. */
char *da_toml_dotted(const da_strlist *parts);
/* Whether key is the one-part key `name`. */
bool da_toml_key_is(const da_toml *doc, TSNode key, const char *name);

/* ---- values ---------------------------------------------------------------------------- */

/* What a value node is (tree-sitter-toml's node types). */
bool da_toml_is_string(TSNode n);
bool da_toml_is_array(TSNode n);
bool da_toml_is_inline_table(TSNode n);
bool da_toml_is_boolean(TSNode n);

/* A string's value, quotes removed and escapes undone (\n \t, a line-ending backslash, any
 * other escaped character as itself; none in literal strings). *inner_start and *inner_end
 * (either may be NULL) get the byte range of its contents in the text. NULL if n is not
 * a string. */
char *da_toml_string(const da_toml *doc, TSNode n, size_t *inner_start, size_t *inner_end);
/* A boolean's value: 1 true, 0 false, -1 not a boolean. */
int da_toml_boolean(const da_toml *doc, TSNode n);
/* The next element of an array after *cursor (start at 0); comments are skipped. */
bool da_toml_next_element(TSNode array, size_t *cursor, TSNode *element);
/* Appends the string elements of an array to out (nothing if n is not an array); returns how
 * many elements were not strings, for the readers that must say so. */
size_t da_toml_push_strings(const da_toml *doc, TSNode n, da_strlist *out);

/* ---- places ---------------------------------------------------------------------------- */

/* The node's text as written, *len bytes (clamped to the document). */
const char *da_toml_text(const da_toml *doc, TSNode n, size_t *len);
size_t da_toml_start(TSNode n); /* byte offsets in the text */
size_t da_toml_end(TSNode n);
int da_toml_line(TSNode n); /* 1-based */
int da_toml_col(TSNode n);  /* 1-based, in bytes */

#endif
