/* One file's bytes to records: decoding, notebooks, and the public single-buffer entry. */
#include "python_internal.h"

#include "depaudit/grammars.h"

#include <stdlib.h>
#include <string.h>

struct cell_target {
    TSParser *parser;
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
    size_t first = t->out->len;
    da_py_extract_text(t->parser, t->root, t->file, cell, text, n, t->out);
    if (da_usage_scan_text(t->root, t->file, cell, text, n, t->out))
        da_usage_sort_records(t->out, first);
    free(text);
}

void da_py_extract_file_bytes(TSParser *parser, const char *root, const char *file,
                              const char *bytes, size_t len, da_import_set *out)
{
    out->files++;
    if (da_str_ends_with(file, ".ipynb")) {
        struct cell_target t = {parser, root, file, out};
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
    size_t first = out->len;
    da_py_extract_text(parser, root, file, 0, text, n, out);
    if (da_usage_scan_text(root, file, 0, text, n, out))
        da_usage_sort_records(out, first);
    free(text);
}

size_t da_imports_extract_buffer(const char *path, const char *src, size_t len, da_import_set *out)
{
    size_t before = out->len;
    TSParser *parser = ts_parser_new();
    ts_parser_set_language(parser, tree_sitter_python());
    da_py_extract_file_bytes(parser, "", path ? path : "<buffer>", src ? src : "", src ? len : 0,
                             out);
    ts_parser_delete(parser);
    return out->len - before;
}
