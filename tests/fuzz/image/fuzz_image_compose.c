/* Fuzzes the compose file reader: whatever the bytes, da_compose_parse must neither crash,
 * hang nor leak (anchors, aliases and `<<` merges included), and what it returns must be
 * usable: on success every service has a name, a non-empty context and 1-based lines; on
 * failure the error names the file and says what was wrong, and nothing is left allocated. */
#include "image/compose/compose.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    da_compose_file f;
    da_error err;
    memset(&err, 0, sizeof(err));
    if (da_compose_parse("compose.yaml", (const char *)data, size, &f, &err) != 0) {
        if (strcmp(err.file, "compose.yaml") != 0 || !err.message[0])
            abort();
        if (f.services || f.nservices || f.path)
            abort();
        return 0;
    }
    if (!f.path || strcmp(f.path, "compose.yaml") != 0)
        abort();
    for (size_t i = 0; i < f.nservices; i++) {
        const da_compose_service *s = &f.services[i];
        if (!s->name || !s->context || !s->context[0] || s->line < 1 || s->build_line < 1)
            abort();
        for (size_t a = 0; a < s->args.len; a++)
            if (!s->args.items[a])
                abort();
    }
    da_compose_file_free(&f);
    return 0;
}
