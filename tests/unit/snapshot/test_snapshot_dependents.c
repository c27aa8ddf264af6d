/* The snapshot's dependency counts (snapshot_dependents.c) on the committed snapshot:
 * transitive (whoever depends on a dependent depends on it too), extras left out, unknown
 * names zero. The figures the inference rule was calibrated with come from the same graph
 * (scripts/calibrate-inference). */
/* cmocka needs these first, in this order */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "depaudit/snapshot.h"

#include <stdlib.h>
#include <string.h>

static void test_counts(void **state)
{
    (void)state;
    da_error err;
    da_error_clear(&err);
    da_snapshot *s = da_snapshot_open_embedded(&err);
    assert_non_null(s);
    da_snapshot_dependents *d = da_snapshot_dependents_build(s);
    /* a common transitive dependency, and a distribution nothing known depends on */
    int te = da_snapshot_dependents_count(d, "typing-extensions");
    assert_true(te > 300);
    assert_int_equal(da_snapshot_dependents_count(d, "aiojobs"), 0);
    assert_int_equal(da_snapshot_dependents_count(d, "no-such-distribution-anywhere"), 0);
    /* the spelling does not matter */
    assert_int_equal(da_snapshot_dependents_count(d, "Typing_Extensions"), te);
    /* transitive: pydantic requires typing-extensions, so everything that depends on
     * pydantic depends on typing-extensions, and pydantic itself does */
    da_release *p = da_snapshot_release(s, "pydantic");
    assert_non_null(p);
    bool requires_te = false;
    for (size_t i = 0; i < p->requires_dist.len; i++)
        requires_te = requires_te ||
                      strncmp(p->requires_dist.items[i], "typing-extensions", 17) == 0 ||
                      strncmp(p->requires_dist.items[i], "typing_extensions", 17) == 0;
    da_release_free(p);
    assert_true(requires_te);
    int pd = da_snapshot_dependents_count(d, "pydantic");
    assert_true(pd > 0);
    assert_true(te >= pd + 1);
    /* django-modelcluster asks for django-taggit only under its "taggit" extra */
    da_release *mc = da_snapshot_release(s, "django-modelcluster");
    assert_non_null(mc);
    bool taggit_extra = false;
    for (size_t i = 0; i < mc->requires_dist.len; i++)
        taggit_extra = taggit_extra || (strstr(mc->requires_dist.items[i], "django-taggit") &&
                                        strstr(mc->requires_dist.items[i], "extra"));
    da_release_free(mc);
    assert_true(taggit_extra);
    assert_int_equal(da_snapshot_dependents_count(d, "django-modelcluster"), 0);
    /* counting twice gives the same answer (the walk's marks are per query) */
    assert_int_equal(da_snapshot_dependents_count(d, "typing-extensions"), te);
    da_snapshot_dependents_free(d);
    da_snapshot_dependents_free(NULL);
    da_snapshot_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
