/* libFuzzer target over import extraction: any bytes, as a .py file (or as a notebook
 * when they start with '{'), through extraction, classification and JSON output. Must
 * never crash, leak or hang.
 *
 * Build: CC=clang cmake -S . -B build-fuzz -DDEPAUDIT_FUZZ=ON && cmake --build build-fuzz
 *        --target fuzz_python_extract
 * Run:   nice -n 19 build-fuzz/tests/fuzz/python/fuzz_python_extract -max_total_time=600
 *        -max_len=65536 -timeout=10 NEW_CORPUS_DIR tests/fuzz/python/corpus/fuzz_python_extract */
#include "depaudit/imports.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = size > 0 && data[0] == '{' ? "fuzz.ipynb" : "fuzz.py";
    da_import_set s = {0};
    da_imports_extract_buffer(path, (const char *)data, size, &s);
    da_imports_classify(&s, 3, 11, NULL);
    char *json = da_imports_to_json(&s);
    free(json);
    da_import_set_free(&s);
    return 0;
}
