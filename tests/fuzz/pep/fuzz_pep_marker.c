#include "depaudit/pep.h"
#include "fuzz_input.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_text(data, size);
    da_error err;
    da_marker *m = da_marker_parse(s, &err);
    if (m) {
        char *str = da_marker_to_string(m);
        da_marker *again = da_marker_parse(str, &err);
        if (!again) {
            fprintf(stderr, "round trip failed: '%s' -> '%s' (%s)\n", s, str, err.message);
            abort();
        }
        /* The printed form reads back with the same meaning. Its text settles after one
         * more round: like packaging, only a top-level first `extra == ...` clause is
         * printed normalised, and printing can drop redundant outer parentheses. */
        char *str2 = da_marker_to_string(again);
        da_marker *third = da_marker_parse(str2, &err);
        char *str3 = third ? da_marker_to_string(third) : NULL;
        if (!third || strcmp(str2, str3) != 0) {
            fprintf(stderr, "not stable: '%s' -> '%s' -> '%s'\n", s, str, str2);
            abort();
        }
        da_target t;
        da_target_init(&t, 3, 11, 4);
        da_marker_env env;
        da_marker_env_from_target(&env, &t);
        const char *extras[] = {NULL, "test", "1.0", "Doc_s", "doc-s"};
        for (size_t i = 0; i < sizeof(extras) / sizeof(extras[0]); i++)
            if (da_marker_evaluate(m, &env, extras[i]) !=
                da_marker_evaluate(again, &env, extras[i]))
                abort();
        free(str3);
        da_marker_free(third);
        free(str2);
        free(str);
        da_marker_free(again);
        da_marker_free(m);
    }
    free(s);
    return 0;
}
