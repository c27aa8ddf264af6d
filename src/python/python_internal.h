/* Shared between the files of the python stage; not part of the public interface. */
#ifndef DEPAUDIT_PYTHON_INTERNAL_H
#define DEPAUDIT_PYTHON_INTERNAL_H

#include "depaudit/imports.h"

#include <tree_sitter/api.h>

/* --- import_set.c --- */
void da_import_free(da_import *im);
void da_import_set_add_error(da_import_set *s, const char *root, const char *file, int line,
                             const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Moves every record and error of src to the end of dst (renumbering alternative groups so
 * they stay unique), leaving src empty. */
void da_import_set_move(da_import_set *dst, da_import_set *src);

/* --- source_text.c --- */
/* Turns the bytes of a .py file into what CPython's tokenizer sees: UTF-8 (the BOM
 * dropped, a PEP 263 declaration honoured), with "\r\n" and lone "\r" made "\n" so line
 * numbers agree. Returns a malloc'ed NUL-terminated string, or NULL with *message
 * (malloc'ed) and *line describing why decoding failed. Invalid UTF-8 is passed through
 * (tree-sitter copes) but also sets *message and *line: a warning, not a failure. */
char *da_py_decode_source(const char *src, size_t len, size_t *out_len, int *line, char **message);

/* --- notebook.c --- */
/* Calls cell_fn for each code cell of a notebook (1-based cell index among all cells),
 * with IPython's "!shell" and "%magic" lines replaced so the rest still parses. Returns 0,
 * or -1 with *message (malloc'ed) when the document is not a notebook. */
typedef void (*da_notebook_cell_fn)(int cell, const char *code, size_t len, void *ctx);
int da_notebook_code_cells(const char *src, size_t len, da_notebook_cell_fn cell_fn, void *ctx,
                           char **message);

/* --- extract.c --- */
/* Appends the imports of one UTF-8 source text to out with the given root/file/cell;
 * a parse error becomes an out->errors entry naming its first line. */
void da_py_extract_text(TSParser *parser, const char *root, const char *file, int cell,
                        const char *text, size_t len, da_import_set *out);
/* Decodes (or splits, for notebooks) a file's bytes and extracts from each part. */
void da_py_extract_file_bytes(TSParser *parser, const char *root, const char *file,
                              const char *bytes, size_t len, da_import_set *out);

/* --- usage_scan.c --- */
/* Puts the records of one file (items from `from` on) back in source order (cell, line,
 * column; equal positions keep their order) once the usage scanner has added its own. */
void da_usage_sort_records(da_import_set *out, size_t from);

/* --- walk.c --- */
typedef struct da_source_file {
    size_t root_index;
    char *path; /* to open */
    char *rel;  /* relative to its root */
} da_source_file;

typedef struct da_source_list {
    da_source_file *items;
    size_t len, cap;
} da_source_list;

/* Collects the .py/.ipynb files under each root (or the root itself when it is a file),
 * sorted by root then relative path, each file once even when reached twice through
 * symlinks, and the top-level first-party names the roots define (sorted, unique).
 * Unreadable entries below a root become errors in errs; an unreadable root fails. */
int da_walk_roots(const char *const *roots, size_t nroots, const da_strlist *excludes,
                  da_source_list *files, da_strlist *first_party, da_import_set *errs,
                  da_error *err);
void da_source_list_free(da_source_list *l);

#endif
