/* libFuzzer target: wheel and sdist file names, ranking and choosing among files. */
#include "depaudit/wheel.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *name = da_xstrndup((const char *)data, size); /* stops at a NUL, like a C name */
    da_wheel_name w;
    da_error err;
    if (da_wheel_name_parse(name, &w, &err) == 0) {
        if (w.tags.len == 0)
            __builtin_trap(); /* a valid name has at least one tag */
        da_wheel_name_free(&w);
    }
    char *n = NULL, *v = NULL;
    if (da_sdist_name_parse(name, &n, &v, &err) == 0 && (!n[0] || !v[0]))
        __builtin_trap();
    free(n);
    free(v);
    if (da_sdist_version_for(name, "foo-bar", &v, &err) == 0 && !v[0])
        __builtin_trap();
    free(v);
    /* computed once: building the ~1000-tag list per input would dominate the run */
    static da_strlist supported;
    if (!supported.len) {
        da_target t;
        da_target_init(&t, 3, 12, -1);
        da_target_supported_tags(&t, &supported);
    }
    int rank = da_wheel_rank_in(name, &supported);
    if (rank < -1 || rank >= (int)supported.len)
        __builtin_trap();
    da_release_file files[2] = {{.filename = name}, {.filename = (char *)"x-1-py3-none-any.whl"}};
    int best = da_choose_release_file_in(files, 2, &supported, true);
    if (best < -1 || best > 1)
        __builtin_trap();
    free(name);
    return 0;
}
