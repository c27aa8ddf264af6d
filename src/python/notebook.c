/* The code cells of a Jupyter notebook (nbformat 4: {"cells": [{"cell_type": "code",
 * "source": "..." or ["line\n", ...]}]}). */
#include "python_internal.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* IPython syntax that is not Python: "!cmd", "%magic" lines, and whole "%%cell" magics.
 * Such a line becomes `pass` at its indentation, so a block it sat in stays a block and
 * line numbers stay those of the cell. */
static void neutralise_ipython_lines(da_buf *code)
{
    da_buf out = {0};
    const char *p = code->data ? code->data : "";
    const char *end = p + code->len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *next = eol ? eol + 1 : end;
        const char *q = p;
        while (q < next && (*q == ' ' || *q == '\t'))
            q++;
        if (q < next && (*q == '!' || *q == '%')) {
            da_buf_append(&out, p, (size_t)(q - p));
            da_buf_puts(&out, eol ? "pass\n" : "pass");
        } else {
            da_buf_append(&out, p, (size_t)(next - p));
        }
        p = next;
    }
    da_buf_free(code);
    *code = out;
}

static void append_source(da_buf *code, const cJSON *source)
{
    if (cJSON_IsString(source)) {
        da_buf_puts(code, source->valuestring);
        return;
    }
    const cJSON *line;
    cJSON_ArrayForEach(line, source)
    {
        if (cJSON_IsString(line))
            da_buf_puts(code, line->valuestring);
    }
}

int da_notebook_code_cells(const char *src, size_t len, da_notebook_cell_fn cell_fn, void *ctx,
                           char **message)
{
    *message = NULL;
    cJSON *doc = cJSON_ParseWithLength(src, len);
    if (!doc) {
        *message = da_xstrdup("not a notebook: the file is not valid JSON");
        return -1;
    }
    const cJSON *cells = cJSON_GetObjectItemCaseSensitive(doc, "cells");
    if (!cJSON_IsArray(cells)) {
        cJSON_Delete(doc);
        *message = da_xstrdup("not a notebook: no \"cells\" array (nbformat 4 expected)");
        return -1;
    }
    int index = 0;
    const cJSON *cell;
    cJSON_ArrayForEach(cell, cells)
    {
        index++;
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(cell, "cell_type");
        if (!cJSON_IsString(type) || strcmp(type->valuestring, "code") != 0)
            continue;
        da_buf code = {0};
        append_source(&code, cJSON_GetObjectItemCaseSensitive(cell, "source"));
        if (code.len >= 2 && code.data[0] == '%' && code.data[1] == '%') {
            da_buf_free(&code); /* a cell magic: the whole cell is another language */
            continue;
        }
        neutralise_ipython_lines(&code);
        cell_fn(index, code.data ? code.data : "", code.len, ctx);
        da_buf_free(&code);
    }
    cJSON_Delete(doc);
    return 0;
}
