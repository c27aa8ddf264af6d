/* libFuzzer target, differential: any bytes as a .py file through the fast path (with
 * tree-sitter for what it leaves) and through tree-sitter alone; every field of every record,
 * every warning and count must be identical, or the target aborts with both. Also must
 * never crash, leak or hang.
 *
 * Build: CC=clang cmake -S . -B build-fuzz -DDEPAUDIT_FUZZ=ON && cmake --build build-fuzz
 *        --target fuzz_python_fast
 * Run:   nice -n 10 build-fuzz/tests/fuzz/python/fuzz_python_fast -max_total_time=1800
 *        -max_len=4096 -timeout=10 -dict=tests/fuzz/python/python.dict NEW_CORPUS_DIR
 *        tests/fuzz/python/corpus/fuzz_python_fast */
#include "describe_imports.h"

#include "depaudit/imports.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    da_import_set full = {0}, fast = {0};
    da_imports_extract_buffer_using("fuzz.py", (const char *)data, size, DA_PARSER_FULL, &full);
    da_imports_extract_buffer_using("fuzz.py", (const char *)data, size, DA_PARSER_AUTO, &fast);
    char *a = describe_imports(&full), *b = describe_imports(&fast);
    if (strcmp(a, b) != 0) {
        fprintf(stderr, "fast and full paths differ\n--- full\n%s--- fast\n%s", a, b);
        abort();
    }
    free(a);
    free(b);
    da_import_set_free(&full);
    da_import_set_free(&fast);
    return 0;
}
