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
/* Whether the bytes already are what da_py_decode_source would make of them (UTF-8, valid,
 * no BOM, no "\r", no other encoding declared), so they can be parsed where they are. */
bool da_py_source_is_plain(const char *src, size_t len);

/* --- notebook.c --- */
/* Calls cell_fn for each code cell of a notebook (1-based cell index among all cells),
 * with IPython's "!shell" and "%magic" lines replaced so the rest still parses. Returns 0,
 * or -1 with *message (malloc'ed) when the document is not a notebook. */
typedef void (*da_notebook_cell_fn)(int cell, const char *code, size_t len, void *ctx);
int da_notebook_code_cells(const char *src, size_t len, da_notebook_cell_fn cell_fn, void *ctx,
                           char **message);

/* --- extract.c: the full path, tree-sitter --- */
/* Appends the imports of one UTF-8 source text to out with the given root/file/cell;
 * a parse error becomes an out->errors entry naming its first line. The reference the
 * fast path (fast_path.h) is held to. */
void da_py_extract_text_full(TSParser *parser, const char *root, const char *file, int cell,
                             const char *text, size_t len, da_import_set *out);
/* The codes of "[A, B]" right after an ignore marker (p) up to the comment's end; none
 * means every code. Sets im->ignored. */
void da_py_read_ignore_codes(const char *p, const char *end, da_import *im);

/* --- extract_file.c --- */
/* What one thread extracts with: the fast path, and tree-sitter for what it leaves. */
typedef struct da_py_extractor {
    da_import_parser parser;
    TSParser *ts; /* made when first needed */
    struct fast_parser *fast;
} da_py_extractor;

void da_py_extractor_init(da_py_extractor *ex, da_import_parser parser);
void da_py_extractor_free(da_py_extractor *ex);
/* One decoded text (a file, or a notebook cell) into out. */
void da_py_extract_text(da_py_extractor *ex, const char *root, const char *file, int cell,
                        const char *text, size_t len, da_import_set *out);
/* Decodes (or splits, for notebooks) a file's bytes and extracts from each part.
 * terminated: bytes[len] is '\0', so plain text can be parsed in place. */
void da_py_extract_file_bytes(da_py_extractor *ex, const char *root, const char *file,
                              const char *bytes, size_t len, bool terminated, da_import_set *out);

/* --- classify.c --- */
/* da_imports_classify on records, given the first-party names (sorted: searched by
 * bisection). */
void da_py_classify(da_import *items, size_t n, const da_strlist *first_party, bool sorted,
                    int py_major, int py_minor, const da_strlist *extra_first_party);

/* --- source_read.c --- */
typedef struct da_source_buf {
    char *data;
    size_t cap;
} da_source_buf;
/* Reads a file into b (NUL-terminated, *len bytes), or returns -1 with *message (malloc'ed)
 * when it cannot be read or is larger than max bytes. */
int da_py_read_source(const char *path, size_t max, da_source_buf *b, size_t *len, char **message);
/* Frees the buffer; with keep_small, only when it grew large (it is reused otherwise). */
void da_py_source_buf_release(da_source_buf *b, bool keep_small);

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
