/* One file's bytes to records: decoding, notebooks, the choice between the fast path and
 * tree-sitter, and the public single-buffer entries. */
#include "fast_path.h"
#include "python_internal.h"

#include "depaudit/grammars.h"

#include <stdlib.h>
#include <string.h>

void da_py_extractor_init(da_py_extractor *ex, da_import_parser parser)
{
    memset(ex, 0, sizeof(*ex));
    ex->parser = parser;
    if (parser != DA_PARSER_FULL)
        ex->fast = da_py_fast_new();
}

void da_py_extractor_free(da_py_extractor *ex)
{
    if (ex->ts)
        ts_parser_delete(ex->ts);
    da_py_fast_free(ex->fast);
    memset(ex, 0, sizeof(*ex));
}

/* valid_utf8: invalid bytes are passed through to tree-sitter, which reads them its own
 * way; the fast path does not try. */
static void extract_imports(da_py_extractor *ex, const char *root, const char *file, int cell,
                            const char *text, size_t len, bool valid_utf8, da_import_set *out)
{
    if (ex->fast && valid_utf8 && da_py_fast_extract(ex->fast, root, file, cell, text, len, out)) {
        out->fast_parsed++;
        return;
    }
    if (len > DA_IMPORTS_FULL_PATH_MAX_BYTES) {
        da_import_set_add_error(out, root, file, 0,
                                "not parsed: a %zu-byte text the fast path cannot settle is too "
                                "large for the full parser (limit %zu bytes)",
                                len, (size_t)DA_IMPORTS_FULL_PATH_MAX_BYTES);
        return;
    }
    if (!ex->ts) {
        ex->ts = ts_parser_new();
        ts_parser_set_language(ex->ts, tree_sitter_python());
    }
    da_py_extract_text_full(ex->ts, root, file, cell, text, len, out);
}

void da_py_extract_text(da_py_extractor *ex, const char *root, const char *file, int cell,
                        const char *text, size_t len, da_import_set *out)
{
    extract_imports(ex, root, file, cell, text, len, true, out);
}

/* A file's (or cell's) imports, then the settings strings and usage facts in its text, sorted
 * in among them by position. */
static void extract(da_py_extractor *ex, const char *root, const char *file, int cell,
                    const char *text, size_t len, bool valid_utf8, da_import_set *out)
{
    size_t first = out->len;
    extract_imports(ex, root, file, cell, text, len, valid_utf8, out);
    if (da_usage_scan_text(root, file, cell, text, len, out))
        da_usage_sort_records(out, first);
}

struct cell_target {
    da_py_extractor *ex;
    const char *root, *file;
    da_import_set *out;
};

static void extract_cell(int cell, const char *code, size_t len, void *ctx)
{
    struct cell_target *t = ctx;
    /* Cells are JSON strings, so already Unicode; only the newlines need CPython's view. */
    int line;
    char *message;
    size_t n;
    char *text = da_py_decode_source(code, len, &n, &line, &message);
    if (message) {
        da_import_set_add_error(t->out, t->root, t->file, line, "cell %d: %s", cell, message);
        free(message);
    }
    if (!text)
        return;
    extract(t->ex, t->root, t->file, cell, text, n, line == 0, t->out);
    free(text);
}

void da_py_extract_file_bytes(da_py_extractor *ex, const char *root, const char *file,
                              const char *bytes, size_t len, bool terminated, da_import_set *out)
{
    out->files++;
    if (da_str_ends_with(file, ".ipynb")) {
        struct cell_target t = {ex, root, file, out};
        char *message;
        if (da_notebook_code_cells(bytes, len, extract_cell, &t, &message) < 0) {
            da_import_set_add_error(out, root, file, 0, "%s", message);
            free(message);
        }
        return;
    }
    const char *nul = memchr(bytes, '\0', len);
    if (nul) {
        /* CPython refuses such a file outright, so none of its imports can run. */
        int at = 1;
        for (const char *p = bytes; p < nul; p++)
            at += *p == '\n';
        da_import_set_add_error(out, root, file, at,
                                "source contains a NUL byte (a binary file?); not parsed");
        return;
    }
    if (terminated && da_py_source_is_plain(bytes, len)) {
        extract(ex, root, file, 0, bytes, len, true, out);
        return;
    }
    int line;
    char *message;
    size_t n;
    char *text = da_py_decode_source(bytes, len, &n, &line, &message);
    if (message) {
        da_import_set_add_error(out, root, file, line, "%s", message);
        free(message);
    }
    if (!text)
        return;
    extract(ex, root, file, 0, text, n, line == 0, out);
    free(text);
}

size_t da_imports_extract_buffer_using(const char *path, const char *src, size_t len,
                                       da_import_parser parser, da_import_set *out)
{
    size_t before = out->len;
    da_py_extractor ex;
    da_py_extractor_init(&ex, parser);
    da_py_extract_file_bytes(&ex, "", path ? path : "<buffer>", src ? src : "", src ? len : 0,
                             false, out);
    da_py_extractor_free(&ex);
    return out->len - before;
}

size_t da_imports_extract_buffer(const char *path, const char *src, size_t len, da_import_set *out)
{
    return da_imports_extract_buffer_using(path, src, len, DA_PARSER_AUTO, out);
}
