/* libFuzzer target: egg-info requires.txt conversion. */
#include "depaudit/core_metadata.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    da_strlist reqs = {0};
    da_error err;
    if (da_requires_txt_parse((const char *)data, size, "fuzz/requires.txt", &reqs, &err) < 0 &&
        err.line < 1)
        __builtin_trap();
    for (size_t i = 0; i < reqs.len; i++)
        if (strlen(reqs.items[i]) == 0)
            __builtin_trap(); /* a requirement is never empty */
    da_strlist_free(&reqs);
    return 0;
}
