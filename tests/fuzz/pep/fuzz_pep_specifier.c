#include "depaudit/pep.h"
#include "fuzz_input.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const PROBES[] = {"0", "1.0", "1.0a1", "1.0.post1", "2.0+local", "1!1.0"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_text(data, size);
    da_error err;
    da_specifier_set *set = da_specifier_set_parse(s, &err);
    if (set) {
        char *str = da_specifier_set_to_string(set);
        da_specifier_set *again = da_specifier_set_parse(str, &err);
        if (!again) {
            fprintf(stderr, "round trip failed: '%s' -> '%s'\n", s, str);
            abort();
        }
        char *str2 = da_specifier_set_to_string(again);
        if (strcmp(str, str2) != 0 || da_specifier_set_len(set) != da_specifier_set_len(again))
            abort();
        for (size_t i = 0; i < sizeof(PROBES) / sizeof(PROBES[0]); i++)
            for (int pre = -1; pre <= 1; pre++)
                if (da_specifier_set_contains_str(set, PROBES[i], pre) !=
                    da_specifier_set_contains_str(again, PROBES[i], pre))
                    abort();
        free(str2);
        free(str);
        da_specifier_set_free(again);
        da_specifier_set_free(set);
    }
    free(s);
    return 0;
}
