/* libFuzzer target over the usage scanner (settings strings and usage facts): any bytes,
 * as the text of one file, must give records whose positions lie inside the text, and
 * never a crash, a hang or a read outside it. */
#include "depaudit/imports.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    if (size)
        memcpy(text, data, size);
    text[size] = '\0';
    da_import_set out = {0};
    size_t n = da_usage_scan_text("", "fuzz.py", 0, text, size, &out);
    if (n != out.len)
        abort();
    int lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += text[i] == '\n';
    for (size_t i = 0; i < out.len; i++)
        if (out.items[i].line < 1 || out.items[i].line > lines || !out.items[i].module[0])
            abort();
    da_import_set_free(&out);
    free(text);
    return 0;
}
