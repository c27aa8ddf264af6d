/* Inference (src/audit/inference.c): what the evidence bounds and what it does not. The
 * rule's parts on their own, then whole audits built by hand (audit_fixture.c) with a
 * look-up whose download ranks and dependent counts are a table of this file. */
/* cmocka needs these first, in this order */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "audit/audit_checks.h"
#include "audit_fixture.h"

#include <stdlib.h>
#include <string.h>

static void test_may_depend_on(void **state)
{
    (void)state;
    /* far less downloaded than the dependent and nothing known depends on it */
    assert_false(audit_may_depend_on(1100, "fastmcp-slim", 8917, 0, "aiojobs"));
    /* beyond the ranked names while the dependent is among them */
    assert_false(audit_may_depend_on(1043, "multitasking", 0, 0, "logfmt-logger"));
    /* a common transitive dependency: anything may bring it */
    assert_true(audit_may_depend_on(1100, "fastmcp-slim", 7, 1062, "typing-extensions"));
    assert_true(audit_may_depend_on(100, "x-tool", 90000, 3, "rare-but-common-dep"));
    assert_false(audit_may_depend_on(100, "x-tool", 90000, 2, "rare-dep"));
    /* at least about as popular: it may be a satellite of the dependent (wagtail and
     * django-modelcluster), or just popular; the ranking cannot rule it out */
    assert_true(audit_may_depend_on(4471, "wagtail", 4412, 0, "django-modelcluster"));
    assert_true(audit_may_depend_on(1625, "a2a-sdk", 67, 0, "fastapi"));
    /* the slack: five times further down the ranking still may, beyond it may not */
    assert_true(audit_may_depend_on(1000, "a", 5000, 0, "b"));
    assert_false(audit_may_depend_on(1000, "a", 5001, 0, "b"));
    /* the dependent beyond the ranked names: the ranking says nothing */
    assert_true(audit_may_depend_on(0, "httpx2", 9000, 0, "aiojobs"));
    assert_true(audit_may_depend_on(0, "httpx2", 0, 0, "tiny"));
    /* one family */
    assert_true(audit_may_depend_on(3017, "django-structlog", 0, 0, "structlog"));
    assert_true(audit_may_depend_on(1724, "azure-cli", 0, 0, "azure-mgmt-dns"));
}

static void test_names_related(void **state)
{
    (void)state;
    assert_true(audit_names_related("django-structlog", "structlog"));
    assert_true(audit_names_related("structlog", "django-structlog"));
    assert_true(audit_names_related("azure-cli", "azure-mgmt-dns"));
    assert_true(audit_names_related("pystac", "pystac-ext-grid"));
    assert_true(audit_names_related("Azure_CLI", "azure-identity")); /* separators, case */
    assert_false(audit_names_related("wagtail", "django-modelcluster"));
    assert_false(audit_names_related("fastmcp-slim", "aiojobs"));
    assert_false(audit_names_related("aiohttp-session", "aiojobs"));
    assert_false(audit_names_related("ab", "abc-x")); /* too short to be inside another */
}

/* download rank and dependents, as the snapshot would answer */
static const struct {
    const char *name;
    int rank, dependents;
} popularity[] = {
    {"fastmcp-slim", 1100, 0},
    {"aiojobs", 8917, 0},
    {"requests", 6, 600},
    {"redis", 60, 2},
};

static int lk_dependents(void *ctx, const char *name, int *rank)
{
    (void)ctx;
    for (size_t i = 0; i < sizeof(popularity) / sizeof(popularity[0]); i++)
        if (strcmp(popularity[i].name, name) == 0) {
            *rank = popularity[i].rank;
            return popularity[i].dependents;
        }
    *rank = 0;
    return 0;
}

/* fastmcp-slim installed, its modules known and its requirements not; the code imports
 * aiojobs (rare, far less popular), requests (common) and redis (popular). */
static void world(fx_world *w)
{
    fx_init(w, 12);
    fx_dockerfile(w, "FROM python:3.12-slim\nRUN pip install fastmcp-slim==3.4.7\n");
    const char *reqs[] = {"fastmcp-slim==3.4.7", NULL};
    fx_install(w, reqs);
    da_resolved_dist *d = fx_dist(w, "fastmcp-slim", "3.4.7", true, "fastmcp", "", NULL);
    d->release->requires_known = false;
    fx_which_add(w, "aiojobs", "aiojobs");
    fx_which_add(w, "requests", "requests");
    fx_which_add(w, "redis", "redis");
    fx_write(w, "app.py", "");
    fx_import(w, "app.py", 1, "aiojobs", DA_CLASS_THIRD_PARTY);
    fx_import(w, "app.py", 2, "requests", DA_CLASS_THIRD_PARTY);
    fx_import(w, "app.py", 3, "redis", DA_CLASS_THIRD_PARTY);
    fx_import(w, "app.py", 4, "fastmcp", DA_CLASS_THIRD_PARTY);
    w->lookup.dependents = lk_dependents;
}

static void test_inferred_missing(void **state)
{
    (void)state;
    fx_world w;
    world(&w);
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    const da_finding *x = fx_find(&f, DA001_MISSING, "aiojobs");
    assert_non_null(x);
    assert_int_equal(x->severity, DA_SEVERITY_ERROR);
    assert_int_equal(x->certainty, DA_CERTAINTY_INFERRED);
    assert_string_equal(da_certainty_name(x->certainty), "inferred");
    assert_non_null(strstr(x->message, "inferred: fastmcp-slim, whose requirements are unknown, "
                                       "is not known to depend on anything providing it"));
    assert_non_null(strstr(x->message, "aiojobs: download rank 8917, 0 known distributions"));
    assert_non_null(x->fix); /* aiojobs is known to provide it */
    /* requests and redis may come with fastmcp-slim: unverified, never failing the run */
    assert_non_null(fx_find(&f, DA012_UNVERIFIED, "requests"));
    assert_non_null(fx_find(&f, DA012_UNVERIFIED, "redis"));
    assert_null(fx_find(&f, DA001_MISSING, "requests"));
    assert_null(fx_find(&f, DA001_MISSING, "fastmcp"));
    assert_null(fx_find(&f, DA012_UNVERIFIED, "fastmcp"));
    assert_int_equal(da_findings_count_failing(&f, DA_SEVERITY_ERROR), 1);
    da_findings_free(&f);
    fx_free(&w);
}

/* Install steps the plan could not read may install anything: never inferred away. The
 * same for an installed distribution whose modules are unknown and whose name bears the
 * module out. */
static void test_not_inferred(void **state)
{
    (void)state;
    fx_world w;
    world(&w);
    w.plan.unknowns = da_xcalloc(1, sizeof(da_plan_warning));
    w.plan.nunknowns = 1;
    w.plan.unknowns[0].file = da_xasprintf("%s/Dockerfile", w.dir);
    w.plan.unknowns[0].line = 3;
    w.plan.unknowns[0].message = da_xstrdup("setup.sh installs what the plan does not follow");
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    assert_int_equal(fx_count(&f, DA001_MISSING), 0);
    assert_non_null(fx_find(&f, DA012_UNVERIFIED, "aiojobs"));
    da_findings_free(&f);
    fx_free(&w);

    world(&w);
    da_resolved_dist *d = fx_dist(&w, "aiojobs-compat", "1.0", true, NULL, NULL, NULL);
    d->release->modules_known = false; /* its modules unknown; its name says aiojobs */
    assert_int_equal(fx_run(&w, &f), 0);
    assert_null(fx_find(&f, DA001_MISSING, "aiojobs"));
    const da_finding *x = fx_find(&f, DA012_UNVERIFIED, "aiojobs");
    assert_non_null(x);
    assert_string_equal(x->candidates[0].dist, "aiojobs-compat");
    da_findings_free(&f);
    fx_free(&w);

    /* no look-up figures at all: nothing to infer from */
    world(&w);
    w.lookup.dependents = NULL;
    assert_int_equal(fx_run(&w, &f), 0);
    assert_int_equal(fx_count(&f, DA001_MISSING), 0);
    da_findings_free(&f);
    fx_free(&w);
}

/* Installed only as a lock's exact pin (or with --no-deps): what it requires is in the lock
 * or not installed, so its unknown requirements hide nothing and the absence is known. */
static void test_lock_pin_hides_nothing(void **state)
{
    (void)state;
    fx_world w;
    world(&w);
    w.lookup.dependents = NULL; /* a known fact, not inference */
    da_install_op *op = &w.plan.ops[w.plan.final_ops[0]];
    op->locked = true;
    op->reqs[0].lock = DA_LOCK_DIRECT;
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    const da_finding *x = fx_find(&f, DA001_MISSING, "requests");
    assert_non_null(x);
    assert_int_equal(x->certainty, DA_CERTAINTY_KNOWN);
    assert_int_equal(fx_count(&f, DA012_UNVERIFIED), 0);
    assert_int_equal(f.resolution, DA_RESOLUTION_COMPLETE);
    da_findings_free(&f);

    op->locked = false;
    op->no_deps = true;
    assert_int_equal(fx_run(&w, &f), 0);
    assert_int_equal(fx_find(&f, DA001_MISSING, "redis")->certainty, DA_CERTAINTY_KNOWN);
    da_findings_free(&f);

    op->no_deps = false; /* an ordinary install follows the unknown requirements */
    assert_int_equal(fx_run(&w, &f), 0);
    assert_int_equal(fx_count(&f, DA001_MISSING), 0);
    assert_non_null(fx_find(&f, DA012_UNVERIFIED, "requests"));
    da_findings_free(&f);
    fx_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_may_depend_on),          cmocka_unit_test(test_names_related),
        cmocka_unit_test(test_inferred_missing),       cmocka_unit_test(test_not_inferred),
        cmocka_unit_test(test_lock_pin_hides_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
