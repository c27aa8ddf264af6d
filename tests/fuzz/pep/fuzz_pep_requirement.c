#include "depaudit/pep.h"
#include "fuzz_input.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_or_null(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_text(data, size);
    da_error err;
    da_requirement *r = da_requirement_parse(s, &err);
    if (r) {
        char *str = da_requirement_to_string(r);
        da_requirement *again = da_requirement_parse(str, &err);
        if (!again) {
            fprintf(stderr, "round trip failed: '%s' -> '%s' (%s)\n", s, str, err.message);
            abort();
        }
        /* The text settles after one more round (the marker may print a normalised
         * `extra` on its second reading, as in packaging); the parts must not change. */
        char *str2 = da_requirement_to_string(again);
        da_requirement *third = da_requirement_parse(str2, &err);
        char *str3 = third ? da_requirement_to_string(third) : NULL;
        if (!third || strcmp(str2, str3) != 0 || strcmp(r->normalized, again->normalized) != 0 ||
            r->extras.len != again->extras.len || !same_or_null(r->url, again->url) ||
            (r->marker == NULL) != (again->marker == NULL)) {
            fprintf(stderr, "not stable: '%s' -> '%s' -> '%s'\n", s, str, str2);
            abort();
        }
        char *spec1 = da_specifier_set_to_string(r->specifier);
        char *spec2 = da_specifier_set_to_string(again->specifier);
        if (strcmp(spec1, spec2) != 0)
            abort();
        free(spec1);
        free(spec2);
        free(str3);
        da_requirement_free(third);
        free(str2);
        free(str);
        da_requirement_free(again);
        da_requirement_free(r);
    }
    free(s);
    return 0;
}
