/* libFuzzer target: RECORD and plain file lists, then module derivation over the paths. */
#include "depaudit/wheel.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* full is sorted (the API promises it), so membership is a binary search */
static void derive(const da_strlist *paths)
{
    da_release r = {0};
    da_modules_from_paths(paths, &r);
    da_strlist full = {0}, pth = {0};
    da_modules_full_depth(paths, &full);
    da_pth_files_from_paths(paths, &pth);
    /* every top-level module is also in the full-depth list */
    for (size_t i = 0; i < r.modules.len; i++)
        if (!bsearch(&r.modules.items[i], full.items, full.len, sizeof(char *), compare_strings))
            __builtin_trap();
    da_strlist_free(&r.modules);
    da_strlist_free(&r.namespaces);
    da_strlist_free(&full);
    da_strlist_free(&pth);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    da_strlist paths = {0};
    da_error err;
    if (da_record_parse((const char *)data, size, "fuzz/RECORD", &paths, &err) == 0)
        derive(&paths);
    else if (err.line < 1)
        __builtin_trap();
    da_strlist_free(&paths);
    if (da_file_list_parse((const char *)data, size, "fuzz/installed-files.txt", "x-1.0.egg-info",
                           &paths, &err) == 0)
        derive(&paths);
    da_strlist_free(&paths);
    return 0;
}
