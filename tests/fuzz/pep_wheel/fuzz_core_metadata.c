/* libFuzzer target: core metadata (METADATA/PKG-INFO) parsing. */
#include "depaudit/core_metadata.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    da_core_metadata m;
    da_error err;
    if (da_core_metadata_parse((const char *)data, size, "fuzz/METADATA", &m, &err) == 0) {
        /* every list entry is a proper string */
        for (size_t i = 0; i < m.requires_dist.len; i++)
            (void)strlen(m.requires_dist.items[i]);
        da_core_metadata_free(&m);
    } else if (err.line < 1) {
        __builtin_trap(); /* every rejection names a line */
    }
    return 0;
}
