/* Certainty (src/audit/knowledge.c, pinned_deps.c, fix_suggest.c): what is unknown is never
 * "missing" nor "unused", DA012 says what may provide it and what settles it, and fixes
 * come only from knowledge. Inputs are built by hand (audit_fixture.c). */
/* cmocka needs these first, in this order */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "audit/audit_internal.h"
#include "audit_fixture.h"

#include <stdlib.h>
#include <string.h>

static void test_name_evidence(void **state)
{
    (void)state;
    /* the same name, up to case and separators */
    assert_int_equal(audit_name_evidence("requests", "requests"), 100);
    assert_int_equal(audit_name_evidence("google.cloud.storage", "google-cloud-storage"), 100);
    assert_int_equal(audit_name_evidence("typing_extensions", "typing-extensions"), 100);
    /* the py-/python- prefixes and the -python suffix */
    assert_int_equal(audit_name_evidence("yaml", "pyyaml"), 95);
    assert_int_equal(audit_name_evidence("jose", "python-jose"), 95);
    assert_int_equal(audit_name_evidence("dtw", "dtw-python"), 95);
    assert_int_equal(audit_name_evidence("dateutil.parser", "python-dateutil"), 95);
    /* weaker: inside the name (at its start too), its letters in order */
    assert_int_equal(audit_name_evidence("jose", "python-jose-cryptodome"), 70);
    assert_int_equal(audit_name_evidence("PIL", "pillow"), 70);
    assert_int_equal(audit_name_evidence("telebot", "pytelegrambotapi"), 40);
    assert_int_equal(audit_name_evidence("sklearn", "scikit-learn"), 40);
    /* nothing */
    assert_int_equal(audit_name_evidence("cv2", "opencv-python"), 0);
    assert_int_equal(audit_name_evidence("sqlalchemy", "kubernetes-asyncio"), 0);
    assert_true(audit_name_evidence("yaml", "pyyaml") >= AUDIT_EVIDENCE_PROVIDES);
    assert_true(audit_name_evidence("telebot", "pytelegrambotapi") < AUDIT_EVIDENCE_PROVIDES);
}

/* A requested distribution nothing is known of: the import its name points to is DA012
 * naming it, a known-absent import elsewhere is DA012 too (it may be a dependency), and the
 * unknown distribution is never called unused on a module list guessed from its name. */
static void test_unknown_distribution(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 11);
    fx_dockerfile(&w, "FROM python:3.11-slim\nRUN pip install pyTelegramBotAPI==4.21.0 flask\n");
    const char *reqs[] = {"pyTelegramBotAPI==4.21.0", "flask", NULL};
    fx_install(&w, reqs);
    da_resolved_dist *bot = fx_dist(&w, "pytelegrambotapi", "4.21.0", true, NULL, NULL, NULL);
    da_release_free(bot->release); /* nothing known: no release at all */
    bot->release = NULL;
    bot->assumed = true;
    fx_dist(&w, "flask", "3.0.0", true, "flask", "", NULL);
    fx_which_add(&w, "yaml", "pyyaml");
    fx_write(&w, "bot.py", "");
    fx_import(&w, "bot.py", 1, "telebot", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "bot.py", 2, "yaml", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "bot.py", 3, "flask", DA_CLASS_THIRD_PARTY);
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    assert_int_equal(fx_count(&f, DA001_MISSING), 0);
    const da_finding *x = fx_find(&f, DA012_UNVERIFIED, "telebot");
    assert_non_null(x);
    assert_int_equal(x->severity, DA_SEVERITY_WARNING);
    assert_int_equal(x->certainty, DA_CERTAINTY_UNVERIFIED);
    assert_string_equal(x->candidates[0].dist, "pytelegrambotapi");
    assert_int_equal(x->candidates[0].basis, DA_BASIS_NAME_EVIDENCE);
    assert_null(x->fix);
    assert_null(x->python_error); /* no claim of what Python raises */
    assert_non_null(strstr(x->message, "pytelegrambotapi 4.21.0 (its requirements are unknown)"));
    /* yaml: a dependency of the unknown distribution perhaps; pyyaml provides it elsewhere */
    x = fx_find(&f, DA012_UNVERIFIED, "yaml");
    assert_non_null(x);
    assert_string_equal(x->candidates[0].dist, "pyyaml");
    assert_int_equal(x->candidates[0].basis, DA_BASIS_SNAPSHOT);
    assert_non_null(strstr(x->message, "request pyyaml if the code needs it"));
    assert_non_null(strstr(x->message, "`yaml = \"...\"`"));
    assert_null(fx_find(&f, DA004_UNUSED, "pytelegrambotapi"));
    assert_int_equal(f.resolution, DA_RESOLUTION_PARTIAL);
    assert_true(f.unknowns.len >= 1);
    /* unverified findings never fail the run */
    assert_int_equal(da_findings_count_failing(&f, DA_SEVERITY_WARNING), 0);
    assert_true(da_findings_count_at_least(&f, DA_SEVERITY_WARNING) >= 2);
    da_findings_free(&f);
    fx_free(&w);
}

/* An unknown base image and an unread install step: anything may be there. */
static void test_unread_steps_and_base_image(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 11);
    fx_dockerfile(&w, "FROM python:3.11-slim\nRUN pip install flask\n");
    const char *reqs[] = {"flask", NULL};
    fx_install(&w, reqs);
    fx_dist(&w, "flask", "3.0.0", true, "flask", "", NULL);
    fx_which_add(&w, "redis", "redis");
    fx_write(&w, "app.py", "");
    fx_import(&w, "app.py", 1, "redis", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "app.py", 2, "flask", DA_CLASS_THIRD_PARTY);
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    assert_non_null(fx_find(&f, DA001_MISSING, "redis")); /* everything known: missing */
    assert_int_equal(fx_find(&f, DA001_MISSING, "redis")->certainty, DA_CERTAINTY_KNOWN);
    assert_int_equal(f.resolution, DA_RESOLUTION_COMPLETE);
    da_findings_free(&f);

    w.plan.unknowns = da_xcalloc(1, sizeof(da_plan_warning));
    w.plan.nunknowns = 1;
    w.plan.unknowns[0].file = da_xasprintf("%s/Dockerfile", w.dir);
    w.plan.unknowns[0].line = 3;
    w.plan.unknowns[0].message = da_xstrdup("install.sh runs install commands the plan does not "
                                            "follow: what it installs is unknown");
    assert_int_equal(fx_run(&w, &f), 0);
    const da_finding *x = fx_find(&f, DA012_UNVERIFIED, "redis");
    assert_non_null(x);
    assert_non_null(strstr(x->message, "the step at Dockerfile:3"));
    assert_true(da_strlist_contains(&f.unknowns, "Dockerfile:3: install.sh runs install commands "
                                                 "the plan does not follow: what it installs is "
                                                 "unknown"));
    da_findings_free(&f);

    /* a base image whose contents are unknown, unless the configuration declares them */
    w.plan.nunknowns = 0;
    free(w.plan.unknowns[0].file);
    free(w.plan.unknowns[0].message);
    w.plan.base_image = da_xstrdup("tensorflow/tensorflow:2.15.0");
    assert_int_equal(fx_run(&w, &f), 0);
    x = fx_find(&f, DA012_UNVERIFIED, "redis");
    assert_non_null(x);
    assert_non_null(strstr(x->message, "the base image tensorflow/tensorflow:2.15.0"));
    assert_non_null(strstr(x->message, "base-image-provides"));
    da_findings_free(&f);
    da_strlist_push(&w.config.base_provides, "numpy");
    assert_int_equal(fx_run(&w, &f), 0);
    assert_non_null(fx_find(&f, DA001_MISSING, "redis"));
    da_findings_free(&f);
    /* the official images and plain distributions hold nothing unknown */
    const char *known[] = {"python:3.11-slim", "debian:bookworm", "ubuntu:22.04@sha256:abc",
                           "docker.io/library/python:3.12"};
    da_strlist_free(&w.config.base_provides);
    for (size_t i = 0; i < 4; i++) {
        free(w.plan.base_image);
        w.plan.base_image = da_xstrdup(known[i]);
        assert_int_equal(fx_run(&w, &f), 0);
        assert_non_null(fx_find(&f, DA001_MISSING, "redis"));
        da_findings_free(&f);
    }
    fx_free(&w);
}

/* A requested distribution that another one requires, and the pins of freeze output, are
 * never unused; nor is a backport (DA005) or a name no index knows (DA006). */
static void test_not_unused(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 11);
    fx_dockerfile(&w, "FROM python:3.11-slim\nRUN pip install flask==3.0.0 click==8.1.7 "
                      "rich==13.0.0 configparser==5.3.0\n");
    const char *reqs[] = {"flask==3.0.0", "click==8.1.7", "rich==13.0.0", "configparser==5.3.0",
                          NULL};
    fx_install(&w, reqs);
    da_resolved_dist *flask = fx_dist(&w, "flask", "3.0.0", true, "flask", "", NULL);
    da_strlist_push(&flask->release->requires_dist, "click>=8.1.3");
    fx_dist(&w, "click", "8.1.7", true, "click", "", NULL);
    fx_dist(&w, "rich", "13.0.0", true, "rich", "", NULL);
    fx_dist(&w, "configparser", "5.3.0", true, "configparser", "", NULL);
    da_strlist_push(&w.stdlib, "configparser");
    fx_write(&w, "app.py", "");
    fx_import(&w, "app.py", 1, "flask", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "app.py", 2, "configparser", DA_CLASS_STDLIB);
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    assert_null(fx_find(&f, DA004_UNUSED, "click")); /* flask's dependency */
    assert_null(fx_find(&f, DA004_UNUSED, "configparser"));
    assert_non_null(fx_find(&f, DA005_STDLIB_SHADOW, "configparser"));
    const da_finding *x = fx_find(&f, DA004_UNUSED, "rich"); /* nothing needs it */
    assert_non_null(x);
    assert_int_equal(x->certainty, DA_CERTAINTY_KNOWN);
    bool noted = false;
    for (size_t i = 0; i < f.notes.len; i++)
        noted = noted || strstr(f.notes.items[i], "click is not imported but is used: it is a "
                                                  "dependency of flask") != NULL;
    assert_true(noted);
    da_findings_free(&f);
    fx_free(&w);
}

/* Fixes only from knowledge: no fix from a name guess, none for a local module's name, the
 * headless OpenCV build, a setuptools that ships pkg_resources, the latest known version as
 * a lower bound. */
static void test_fix_policy(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 12);
    fx_dockerfile(&w, "FROM python:3.12-slim\nRUN pip install \"flask>=3.0\"\n");
    const char *reqs[] = {"flask>=3.0", NULL};
    fx_install(&w, reqs);
    fx_dist(&w, "flask", "3.0.0", true, "flask", "", NULL);
    fx_which_add(&w, "cv2", "opencv-python opencv-python-headless");
    fx_which_add(&w, "pkg_resources", "setuptools");
    fx_which_add(&w, "fixtures", "fixtures");
    da_strlist_push(&w.versions, "opencv-python-headless=4.11.0.86");
    da_strlist_push(&w.names, "textstat");
    fx_write(&w, "app.py", "");
    fx_write(&w, "tools/fixtures.py", "");
    fx_import(&w, "app.py", 1, "flask", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "app.py", 2, "cv2", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "app.py", 3, "pkg_resources", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "app.py", 4, "textstat", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "app.py", 5, "fixtures", DA_CLASS_THIRD_PARTY);
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    const da_finding *x = fx_find(&f, DA001_MISSING, "cv2");
    assert_non_null(x);
    assert_non_null(x->fix);
    assert_string_equal(x->fix->requirement, "opencv-python-headless>=4.11.0.86");
    assert_non_null(strstr(x->fix->why, "libGL.so.1"));
    x = fx_find(&f, DA001_MISSING, "pkg_resources");
    assert_non_null(x);
    assert_string_equal(x->fix->requirement, "setuptools<82");
    x = fx_find(&f, DA001_MISSING, "textstat");
    assert_non_null(x);
    assert_true(x->guess);
    assert_null(x->fix); /* a distribution of that name exists: still only a guess */
    x = fx_find(&f, DA001_MISSING, "fixtures"); /* not next to app.py: missing, but no fix */
    assert_non_null(x);
    assert_null(x->fix);
    da_findings_free(&f);
    fx_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_evidence),
        cmocka_unit_test(test_unknown_distribution),
        cmocka_unit_test(test_unread_steps_and_base_image),
        cmocka_unit_test(test_not_unused),
        cmocka_unit_test(test_fix_policy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
