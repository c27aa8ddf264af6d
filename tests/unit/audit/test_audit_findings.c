/* One scenario per finding code, on inputs built by hand. */
/* cmocka needs these first, in this order */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "audit_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_da001_boot_path_chain_error_and_fix(void **state)
{
    (void)state;
    fx_world w;
    fx_demo_world(&w);
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    const da_finding *x =
        fx_find(&f, DA001_MISSING, "opentelemetry.exporter.otlp.proto.grpc.trace_exporter");
    assert_non_null(x);
    assert_string_equal(x->file, "src/core/telemetry.py");
    assert_int_equal(x->line, 2);
    assert_int_equal(x->severity, DA_SEVERITY_ERROR);
    assert_true(x->boot_path);
    assert_int_equal(x->nchain, 2);
    assert_string_equal(x->chain[0].file, "src/api/main.py");
    assert_int_equal(x->chain[0].line, 3);
    assert_string_equal(x->chain[1].file, "src/core/telemetry.py");
    assert_int_equal(x->chain[1].line, 2);
    assert_string_equal(x->python_error,
                        "ModuleNotFoundError: No module named 'opentelemetry.exporter'");
    assert_string_equal(x->candidates[0].dist, "opentelemetry-exporter-otlp-proto-grpc");
    assert_int_equal(x->candidates[0].basis, DA_BASIS_SNAPSHOT);
    assert_non_null(x->fix);
    assert_string_equal(x->fix->requirement, "opentelemetry-exporter-otlp-proto-grpc>=1.21.0");
    assert_string_equal(x->fix->text,
                        " \\\n    \"opentelemetry-exporter-otlp-proto-grpc>=1.21.0\"");

    /* jose: missing, not on the boot path (nothing at start-up imports security.py) */
    const da_finding *j = fx_find(&f, DA001_MISSING, "jose");
    assert_non_null(j);
    assert_false(j->boot_path);
    assert_string_equal(j->python_error, "ModuleNotFoundError: No module named 'jose'");
    assert_non_null(j->fix);
    assert_string_equal(j->fix->requirement, "python-jose>=3.3.0");
    /* `from opentelemetry import trace` is satisfied by the api's submodule */
    assert_null(fx_find(&f, DA001_MISSING, "opentelemetry"));
    assert_int_equal(fx_count(&f, DA001_MISSING), 2);

    /* the fix, applied and diffed; the rest of the file is unchanged byte for byte */
    da_patch_set ps;
    da_error err;
    assert_int_equal(da_fixes_build(&f, &ps, &err), 0);
    assert_int_equal(ps.len, 1);
    const char *after = ps.files[0].after;
    assert_non_null(strstr(after, "    \"opentelemetry-sdk>=1.21.0\" \\\n"
                                  "    \"opentelemetry-exporter-otlp-proto-grpc>=1.21.0\" \\\n"
                                  "    \"python-jose>=3.3.0\"\nFROM python:3.11-slim\n"));
    assert_int_equal(ps.files[0].after_len,
                     strlen(fx_demo_dockerfile) + strlen(x->fix->text) + strlen(j->fix->text));
    da_buf diff = {0};
    da_patch_set_diff(&ps, &diff);
    assert_non_null(strstr(diff.data, "--- a/Dockerfile\n+++ b/Dockerfile\n@@ -6,7 +6,9 @@\n"));
    assert_non_null(strstr(diff.data, "-    \"opentelemetry-sdk>=1.21.0\"\n"
                                      "+    \"opentelemetry-sdk>=1.21.0\" \\\n"
                                      "+    \"opentelemetry-exporter-otlp-proto-grpc>=1.21.0\" \\\n"
                                      "+    \"python-jose>=3.3.0\"\n"
                                      " FROM python:3.11-slim\n"));
    da_buf_free(&diff);
    assert_int_equal(da_patch_set_write(&ps, &err), 0);
    char *written = fx_read(&w, "Dockerfile");
    assert_string_equal(written, after);
    free(written);
    da_patch_set_free(&ps);
    da_findings_free(&f);
    fx_free(&w);
}

static void test_da004_unused_and_its_exceptions(void **state)
{
    (void)state;
    fx_world w;
    fx_demo_world(&w);
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    const da_finding *t = fx_find(&f, DA004_UNUSED, "tenacity");
    assert_non_null(t);
    assert_string_equal(t->file, "Dockerfile");
    assert_int_equal(t->line, 7);
    assert_int_equal(t->severity, DA_SEVERITY_WARNING);
    /* gunicorn is the command, uvicorn the worker class, asyncpg the URL driver */
    assert_null(fx_find(&f, DA004_UNUSED, "gunicorn"));
    assert_null(fx_find(&f, DA004_UNUSED, "uvicorn"));
    assert_null(fx_find(&f, DA004_UNUSED, "asyncpg"));
    assert_null(fx_find(&f, DA004_UNUSED, "fastapi"));
    assert_null(fx_find(&f, DA004_UNUSED, "opentelemetry-api"));
    bool asyncpg_note = false;
    for (size_t i = 0; i < f.notes.len; i++)
        if (strstr(f.notes.items[i], "asyncpg") &&
            strstr(f.notes.items[i], "postgresql+asyncpg://"))
            asyncpg_note = true;
    assert_true(asyncpg_note);
    assert_int_equal(fx_count(&f, DA004_UNUSED), 1);
    da_findings_free(&f);
    fx_free(&w);
}

static void test_da002_guards(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 11);
    fx_write(&w, "app.py", "");
    /* try: import orjson / except ImportError: import json -> fine */
    da_import *r = fx_import(&w, "app.py", 2, "orjson", DA_CLASS_THIRD_PARTY);
    r->guard = DA_GUARD_IMPORT_ERROR;
    r->alternative_group = 1;
    r = fx_import(&w, "app.py", 4, "json", DA_CLASS_STDLIB);
    r->guard = DA_GUARD_IMPORT_ERROR;
    r->alternative_group = 1;
    r->in_except = true;
    /* try: import ujson / except ImportError: ujson = None -> DA002 */
    r = fx_import(&w, "app.py", 6, "ujson", DA_CLASS_THIRD_PARTY);
    r->guard = DA_GUARD_IMPORT_ERROR;
    r->alternative_group = 2;
    /* try: import simdjson / except ImportError: import rapidjson -> both missing: DA001 */
    r = fx_import(&w, "app.py", 9, "simdjson", DA_CLASS_THIRD_PARTY);
    r->guard = DA_GUARD_IMPORT_ERROR;
    r->alternative_group = 3;
    r = fx_import(&w, "app.py", 11, "rapidjson", DA_CLASS_THIRD_PARTY);
    r->guard = DA_GUARD_IMPORT_ERROR;
    r->alternative_group = 3;
    r->in_except = true;
    /* if TYPE_CHECKING: nothing by default */
    r = fx_import(&w, "app.py", 13, "fakeredis", DA_CLASS_THIRD_PARTY);
    r->guard = DA_GUARD_TYPE_CHECKING;
    /* version guards evaluated for the image (3.11) */
    r = fx_import(&w, "app.py", 15, "tomli", DA_CLASS_THIRD_PARTY);
    r->guard = DA_GUARD_VERSION;
    r->condition = da_xstrdup("sys.version_info < (3, 11)");
    r = fx_import(&w, "app.py", 17, "exceptiongroup", DA_CLASS_THIRD_PARTY);
    r->guard = DA_GUARD_VERSION;
    r->condition = da_xstrdup("sys.version_info >= (3, 8)");
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    assert_null(fx_find(&f, 0, NULL) ? fx_find(&f, DA001_MISSING, "orjson") : NULL);
    assert_null(fx_find(&f, DA002_MISSING_OPTIONAL, "orjson"));
    const da_finding *x = fx_find(&f, DA002_MISSING_OPTIONAL, "ujson");
    assert_non_null(x);
    assert_int_equal(x->severity, DA_SEVERITY_INFO);
    assert_non_null(fx_find(&f, DA001_MISSING, "simdjson"));
    assert_null(fx_find(&f, DA001_MISSING, "rapidjson")); /* reported with simdjson */
    assert_null(fx_find(&f, DA001_MISSING, "fakeredis"));
    assert_null(fx_find(&f, DA002_MISSING_OPTIONAL, "fakeredis"));
    x = fx_find(&f, DA002_MISSING_OPTIONAL, "tomli");
    assert_non_null(x);
    assert_non_null(strstr(x->message, "false for the image"));
    assert_non_null(fx_find(&f, DA001_MISSING, "exceptiongroup"));
    da_findings_free(&f);

    /* with report-type-checking the TYPE_CHECKING import becomes DA002 */
    w.config.report_type_checking = true;
    assert_int_equal(fx_run(&w, &f), 0);
    assert_non_null(fx_find(&f, DA002_MISSING_OPTIONAL, "fakeredis"));
    da_findings_free(&f);
    fx_free(&w);
}

static void test_da003_transitive(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 11);
    fx_dockerfile(&w, "FROM python:3.11\nRUN pip install sentry-sdk\n");
    const char *reqs[] = {"sentry-sdk", NULL};
    fx_install(&w, reqs);
    fx_write(&w, "app.py", "import urllib3\nimport sentry_sdk\n");
    fx_import(&w, "app.py", 1, "urllib3", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "app.py", 2, "sentry_sdk", DA_CLASS_THIRD_PARTY);
    fx_dist(&w, "sentry-sdk", "1.39.1", true, "sentry_sdk", "", NULL);
    fx_dist(&w, "urllib3", "2.1.0", false, "urllib3", "", "sentry-sdk");
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    const da_finding *x = fx_find(&f, DA003_TRANSITIVE, "urllib3");
    assert_non_null(x);
    assert_int_equal(x->line, 1);
    assert_true(da_strlist_contains(&x->related, "sentry-sdk"));
    assert_non_null(strstr(x->message, "sentry-sdk"));
    assert_null(fx_find(&f, DA003_TRANSITIVE, "sentry_sdk"));
    assert_int_equal(f.len, 1);
    da_findings_free(&f);
    fx_free(&w);
}

static void test_da005_da006_da010(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 11);
    fx_dockerfile(&w, "FROM python:3.11\nRUN pip install dataclasses reqeusts pytest flask\n");
    const char *reqs[] = {"dataclasses", "reqeusts", "pytest", "flask", NULL};
    fx_install(&w, reqs);
    fx_write(&w, "app.py", "import flask\n");
    fx_import(&w, "app.py", 1, "flask", DA_CLASS_THIRD_PARTY);
    fx_dist(&w, "dataclasses", "0.6", true, "dataclasses", "", NULL);
    da_resolved_dist *typo = fx_dist(&w, "reqeusts", "0", true, NULL, NULL, NULL);
    typo->release->source = DA_SOURCE_GUESS;
    fx_dist(&w, "pytest", "7.4.0", true, "pytest _pytest", "", NULL);
    fx_dist(&w, "flask", "3.0.0", true, "flask", "", NULL);
    /* the index knows "requests" but not "reqeusts" */
    da_strlist_free(&w.names);
    const char *known[] = {"requests", "dataclasses", "pytest", "flask", NULL};
    for (size_t i = 0; known[i]; i++)
        da_strlist_push(&w.names, known[i]);
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    const da_finding *x = fx_find(&f, DA005_STDLIB_SHADOW, "dataclasses");
    assert_non_null(x);
    assert_int_equal(x->line, 2);
    assert_non_null(strstr(x->message, "3.11"));
    x = fx_find(&f, DA006_UNKNOWN_DISTRIBUTION, "reqeusts");
    assert_non_null(x);
    assert_int_equal(x->severity, DA_SEVERITY_ERROR);
    assert_true(da_strlist_contains(&x->related, "requests"));
    assert_non_null(fx_find(&f, DA010_DEV_IN_PRODUCTION, "pytest"));
    assert_null(fx_find(&f, DA004_UNUSED, "pytest")); /* DA010 says it better */
    assert_null(fx_find(&f, DA005_STDLIB_SHADOW, "flask"));
    assert_null(fx_find(&f, DA006_UNKNOWN_DISTRIBUTION, "flask"));
    da_findings_free(&f);
    fx_free(&w);
}

static void test_da007_conflicts_and_failure(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 11);
    fx_dockerfile(&w, "FROM python:3.11\nRUN pip install a==2.0 c==1.0\n");
    const char *reqs[] = {"a==2.0", "c==1.0", NULL};
    fx_install(&w, reqs);
    w.env.conflicts = da_xcalloc(1, sizeof(da_resolve_conflict));
    w.env.nconflicts = 1;
    w.env.conflicts[0].file = da_xasprintf("%s/Dockerfile", w.dir);
    w.env.conflicts[0].line = 2;
    w.env.conflicts[0].name = da_xstrdup("b");
    w.env.conflicts[0].message = da_xstrdup("a 2.0 requires b<1, but c 1.0 requires b>=1.5");
    da_findings f;
    /* a failure that may come from what is not known (sampled version lists) is no DA007 */
    assert_int_equal(fx_run(&w, &f), 0);
    assert_null(fx_find(&f, DA007_UNRESOLVABLE, NULL));
    da_findings_free(&f);
    /* one that rests on known facts is */
    w.env.conflicts[0].certain = true;
    assert_int_equal(fx_run(&w, &f), 0);
    const da_finding *x = fx_find(&f, DA007_UNRESOLVABLE, "b");
    assert_non_null(x);
    assert_string_equal(x->file, "Dockerfile");
    assert_int_equal(x->line, 2);
    assert_non_null(strstr(x->message, "b>=1.5"));
    assert_int_equal(x->certainty, DA_CERTAINTY_KNOWN);
    da_findings_free(&f);

    /* total failure: DA007 plus judging against the requested names, labelled */
    w.have_env = false;
    w.resolve_failure = da_xstrdup("metadata for a unavailable offline");
    fx_write(&w, "m.py", "import a\nimport zzz\n");
    fx_import(&w, "m.py", 1, "a", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "m.py", 2, "zzz", DA_CLASS_THIRD_PARTY);
    assert_int_equal(fx_run(&w, &f), 0);
    x = fx_find(&f, DA007_UNRESOLVABLE, NULL);
    assert_non_null(x);
    assert_non_null(strstr(x->message, "unavailable offline"));
    assert_null(fx_find(&f, DA001_MISSING, "a")); /* requested: provided by its name */
    /* nothing is known of a and c: zzz may be one of their dependencies, not "missing" */
    assert_null(fx_find(&f, DA001_MISSING, "zzz"));
    x = fx_find(&f, DA012_UNVERIFIED, "zzz");
    assert_non_null(x);
    assert_int_equal(x->severity, DA_SEVERITY_WARNING);
    assert_int_equal(x->certainty, DA_CERTAINTY_UNVERIFIED);
    assert_non_null(strstr(x->message, "a dependency of"));
    assert_null(x->fix);
    assert_int_equal(da_findings_count_failing(&f, DA_SEVERITY_WARNING),
                     da_findings_count_at_least(&f, DA_SEVERITY_WARNING) - 1);
    da_findings_free(&f);
    /* once their metadata is known (and lists no dependency), zzz is known to be missing */
    da_release *table[] = {da_xcalloc(1, sizeof(da_release)), da_xcalloc(1, sizeof(da_release))};
    const char *names[] = {"a", "c"};
    for (size_t i = 0; i < 2; i++) {
        table[i]->name = da_xstrdup(names[i]);
        table[i]->version = da_xstrdup("1.0");
        table[i]->modules_known = table[i]->requires_known = true;
        da_strlist_push(&table[i]->modules, names[i]);
    }
    w.release_table = table;
    w.nrelease_table = 2;
    assert_int_equal(fx_run(&w, &f), 0);
    x = fx_find(&f, DA001_MISSING, "zzz");
    assert_non_null(x);
    assert_non_null(strstr(x->message, "could not be reproduced"));
    assert_int_equal(x->certainty, DA_CERTAINTY_APPROXIMATE);
    da_findings_free(&f);
    da_release_free(table[0]);
    da_release_free(table[1]);
    fx_free(&w);
}

static void test_da008_not_copied_and_dockerignore(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 11);
    fx_dockerfile(&w, "FROM python:3.11\nCOPY app/ ./app/\nCMD [\"python\", \"-m\", \"app\"]\n");
    fx_copy(&w, "app", "/app/app");
    const char *cmd[] = {"python", "-m", "app", NULL};
    fx_cmd(&w, cmd, false);
    fx_write(&w, "app/__init__.py", "");
    fx_write(&w, "app/__main__.py", "");
    fx_write(&w, "app/generated/__init__.py", "");
    fx_write(&w, "lib/helpers.py", "");
    fx_write(&w, ".dockerignore",
             "# generated code is rebuilt in CI\napp/generated\napp/**/fixtures\n");
    fx_write(&w, "app/tests/fixtures/data.py", "");
    fx_import(&w, "app/__init__.py", 1, "lib.helpers", DA_CLASS_FIRST_PARTY);
    fx_import(&w, "app/__init__.py", 2, "app.generated", DA_CLASS_FIRST_PARTY);
    fx_import(&w, "app/__init__.py", 3, "app.tests.fixtures.data", DA_CLASS_FIRST_PARTY);
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    const da_finding *x = fx_find(&f, DA008_FIRST_PARTY_NOT_IN_IMAGE, "lib.helpers");
    assert_non_null(x);
    assert_true(x->boot_path); /* app/__init__.py runs when `python -m app` starts */
    assert_non_null(strstr(x->message, "no COPY"));
    x = fx_find(&f, DA008_FIRST_PARTY_NOT_IN_IMAGE, "app.generated");
    assert_non_null(x);
    assert_non_null(strstr(x->message, ".dockerignore"));
    x = fx_find(&f, DA008_FIRST_PARTY_NOT_IN_IMAGE, "app.tests.fixtures.data"); /* `**` */
    assert_non_null(x);
    assert_int_equal(fx_count(&f, DA008_FIRST_PARTY_NOT_IN_IMAGE), 3);
    da_findings_free(&f);
    fx_free(&w);
}

static void test_da009_removed_stdlib(void **state)
{
    (void)state;
    for (int minor = 11; minor <= 12; minor++) {
        fx_world w;
        fx_init(&w, minor);
        fx_write(&w, "setup_tools.py", "");
        fx_import(&w, "setup_tools.py", 1, "distutils.core", DA_CLASS_THIRD_PARTY);
        da_import *r = fx_import(&w, "setup_tools.py", 3, "imp", DA_CLASS_THIRD_PARTY);
        r->scope = DA_SCOPE_FUNCTION;
        da_findings f;
        assert_int_equal(fx_run(&w, &f), 0);
        if (minor == 11) {
            /* the python stage classifies these as stdlib on 3.11; as third-party here they
             * are simply missing, never "removed" */
            assert_null(fx_find(&f, DA009_REMOVED_STDLIB, NULL));
        } else {
            const da_finding *x = fx_find(&f, DA009_REMOVED_STDLIB, "distutils.core");
            assert_non_null(x);
            assert_non_null(strstr(x->message, "setuptools"));
            assert_non_null(strstr(x->message, "3.12"));
            assert_non_null(fx_find(&f, DA009_REMOVED_STDLIB, "imp"));
            assert_null(fx_find(&f, DA001_MISSING, "imp"));
        }
        da_findings_free(&f);
        fx_free(&w);
    }
}

static void test_ignores(void **state)
{
    (void)state;
    fx_world w;
    fx_demo_world(&w);
    /* inline: `# depaudit: ignore[DA001]` on the jose import */
    for (size_t i = 0; i < w.imports.len; i++)
        if (strcmp(w.imports.items[i].module, "jose") == 0) {
            w.imports.items[i].ignored = true;
            da_strlist_push(&w.imports.items[i].ignore_codes, "DA001");
        }
    da_strlist_push(&w.config.ignore, "DA004");
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    assert_null(fx_find(&f, DA001_MISSING, "jose"));
    assert_null(fx_find(&f, DA004_UNUSED, NULL));
    assert_non_null(
        fx_find(&f, DA001_MISSING, "opentelemetry.exporter.otlp.proto.grpc.trace_exporter"));
    da_findings_free(&f);
    /* per-module ignore of a parent package */
    da_strlist_push(&w.config.module_ignores, "opentelemetry.exporter:DA001");
    assert_int_equal(fx_run(&w, &f), 0);
    assert_int_equal(fx_count(&f, DA001_MISSING), 0);
    da_findings_free(&f);
    fx_free(&w);
}

static void test_from_namespace_missing_name(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 11);
    fx_write(&w, "t.py", "");
    da_import *r = fx_import(&w, "t.py", 1, "opentelemetry", DA_CLASS_THIRD_PARTY);
    r->kind = DA_IMPORT_KIND_FROM;
    da_strlist_push(&r->names, "metrics");
    fx_dist(&w, "opentelemetry-api", "1.21.0", true, "opentelemetry.trace", "opentelemetry", NULL);
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    const da_finding *x = fx_find(&f, DA001_MISSING, "opentelemetry.metrics");
    assert_non_null(x);
    assert_string_equal(x->python_error,
                        "ImportError: cannot import name 'metrics' from 'opentelemetry' "
                        "(unknown location)");
    da_findings_free(&f);
    /* the module table says the installed distribution provides it, its row does not: which
     * holds for the version installed is not known from the row */
    fx_which_add(&w, "opentelemetry.metrics", "opentelemetry-api");
    assert_int_equal(fx_run(&w, &f), 0);
    assert_null(fx_find(&f, DA001_MISSING, "opentelemetry.metrics"));
    x = fx_find(&f, DA012_UNVERIFIED, "opentelemetry.metrics");
    assert_non_null(x);
    assert_non_null(strstr(x->message, "opentelemetry-api is installed, and the snapshot says a "
                                       "version of it provides it"));
    da_findings_free(&f);
    fx_free(&w);
}

static void test_fix_in_requirements_file_and_family_versions(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 11);
    fx_dockerfile(&w, "FROM python:3.11\nCOPY requirements.txt .\n"
                      "RUN pip install -r requirements.txt\n");
    fx_write(&w, "requirements.txt", "# web\nflask==3.0.0\nopentelemetry-sdk==1.22.0  # tracing\n");
    const char *reqs[] = {"flask==3.0.0", "opentelemetry-sdk==1.22.0", NULL};
    fx_install_requirements_file(&w, "requirements.txt", reqs);
    fx_write(&w, "app.py", "");
    fx_import(&w, "app.py", 1, "flask", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "app.py", 2, "opentelemetry.sdk", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "app.py", 3, "opentelemetry.instrumentation.flask", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "app.py", 4, "yaml", DA_CLASS_THIRD_PARTY);
    fx_dist(&w, "flask", "3.0.0", true, "flask", "", NULL);
    fx_dist(&w, "opentelemetry-sdk", "1.22.0", true, "opentelemetry.sdk", "opentelemetry", NULL);
    fx_which_add(&w, "opentelemetry.instrumentation.flask", "opentelemetry-instrumentation-flask");
    fx_which_add(&w, "yaml", "PyYAML");
    da_strlist_push(&w.versions, "pyyaml=6.0.1");
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    const da_finding *x = fx_find(&f, DA001_MISSING, "opentelemetry.instrumentation.flask");
    assert_non_null(x);
    assert_string_equal(x->fix->requirement, "opentelemetry-instrumentation-flask==0.43b0");
    assert_string_equal(x->fix->text, "\nopentelemetry-instrumentation-flask==0.43b0");
    x = fx_find(&f, DA001_MISSING, "yaml");
    assert_non_null(x);
    assert_string_equal(x->candidates[0].dist, "pyyaml");
    /* no family: the latest known version, as a lower bound even in a list of pins */
    assert_string_equal(x->fix->requirement, "pyyaml>=6.0.1");
    da_patch_set ps;
    da_error err;
    assert_int_equal(da_fixes_build(&f, &ps, &err), 0);
    assert_int_equal(ps.len, 1);
    /* a new line after the last requirement's line: its comment stays with it */
    assert_string_equal(ps.files[0].after,
                        "# web\nflask==3.0.0\nopentelemetry-sdk==1.22.0  # tracing\n"
                        "opentelemetry-instrumentation-flask==0.43b0\npyyaml>=6.0.1\n");
    da_patch_set_free(&ps);
    da_findings_free(&f);
    fx_free(&w);
}

static void test_name_guess_is_labelled(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 11);
    fx_write(&w, "a.py", "");
    fx_import(&w, "a.py", 1, "boto3.session", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "a.py", 2, "no_such_thing", DA_CLASS_THIRD_PARTY);
    da_strlist_push(&w.names, "boto3");
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    const da_finding *x = fx_find(&f, DA001_MISSING, "boto3.session");
    assert_non_null(x);
    assert_true(x->guess);
    assert_int_equal(x->candidates[0].basis, DA_BASIS_NAME);
    assert_true(f.guesses >= 1);
    x = fx_find(&f, DA001_MISSING, "no_such_thing");
    assert_non_null(x);
    assert_int_equal(x->ncandidates, 0); /* a guess only when the name exists */
    assert_false(x->guess);
    da_findings_free(&f);
    fx_free(&w);
}

static da_release *table_release(const char *name, const char *modules, const char *requires)
{
    da_release *r = da_xcalloc(1, sizeof(*r));
    r->name = da_xstrdup(name);
    r->version = da_xstrdup("1.0");
    r->modules_known = true;
    r->requires_known = true;
    char *m = da_xstrdup(modules);
    for (char *t = strtok(m, " "); t; t = strtok(NULL, " "))
        da_strlist_push(&r->modules, t);
    free(m);
    char *q = da_xstrdup(requires);
    for (char *t = strtok(q, "|"); t; t = strtok(NULL, "|"))
        da_strlist_push(&r->requires_dist, t);
    free(q);
    return r;
}

static void test_partial_environment_after_a_conflict(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 11);
    fx_dockerfile(&w, "FROM python:3.11\nRUN pip install \"fastapi[all]>=0.104\"\n");
    const char *reqs[] = {"fastapi[all]>=0.104", NULL};
    fx_install(&w, reqs);
    /* the step conflicted: the environment holds nothing */
    w.env.conflicts = da_xcalloc(1, sizeof(da_resolve_conflict));
    w.env.nconflicts = 1;
    w.env.conflicts[0].file = da_xasprintf("%s/Dockerfile", w.dir);
    w.env.conflicts[0].line = 2;
    w.env.conflicts[0].message = da_xstrdup("no version of fastapi fits");
    w.env.conflicts[0].certain = true;
    da_release *table[] = {
        table_release("fastapi", "fastapi",
                      "pydantic>=2|starlette<0.28|email-validator>=2; extra == \"all\"|"
                      "tomli; python_version < \"3.11\""),
        table_release("pydantic", "pydantic", ""),
        table_release("starlette", "starlette", ""),
        table_release("email-validator", "email_validator", ""),
        table_release("tomli", "tomli", ""),
    };
    w.release_table = table;
    w.nrelease_table = 5;
    fx_write(&w, "a.py", "");
    fx_import(&w, "a.py", 1, "fastapi", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "a.py", 2, "pydantic", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "a.py", 3, "email_validator", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "a.py", 4, "tomli", DA_CLASS_THIRD_PARTY);
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    assert_non_null(fx_find(&f, DA007_UNRESOLVABLE, NULL));
    assert_null(fx_find(&f, DA001_MISSING, "fastapi"));
    assert_null(fx_find(&f, DA001_MISSING, "email_validator")); /* via the [all] extra */
    const da_finding *x = fx_find(&f, DA003_TRANSITIVE, "pydantic");
    assert_non_null(x);
    assert_true(da_strlist_contains(&x->related, "fastapi"));
    /* the python_version < 3.11 marker is false for the image: tomli is not there */
    x = fx_find(&f, DA001_MISSING, "tomli");
    assert_non_null(x);
    assert_non_null(strstr(x->message, "could not be reproduced"));
    da_findings_free(&f);
    for (size_t i = 0; i < 5; i++)
        da_release_free(table[i]);
    fx_free(&w);
}

static void test_boot_through_wrapper_script_and_python_m(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 11);
    fx_dockerfile(&w, "FROM python:3.11\nCOPY . /app\nENTRYPOINT [\"docker-entrypoint.sh\"]\n"
                      "CMD [\"python\", \"-m\", \"svc\"]\n");
    fx_copy(&w, ".", "/app");
    fx_copy(&w, "docker-entrypoint.sh", "/usr/local/bin/docker-entrypoint.sh");
    da_strlist_push(&w.plan.entrypoint, "docker-entrypoint.sh");
    const char *cmd[] = {"python", "-m", "svc", NULL};
    fx_cmd(&w, cmd, false);
    fx_write(&w, "docker-entrypoint.sh",
             "#!/bin/sh\nset -e\n# migrate first\npython -m svc.migrate\nexec \"$@\"\n");
    fx_write(&w, "svc/__init__.py", "");
    fx_write(&w, "svc/__main__.py", "import yaml\n");
    fx_write(&w, "svc/migrate.py", "import alembic\n");
    fx_write(&w, "svc/unused.py", "import toml\n");
    fx_import(&w, "svc/__main__.py", 1, "yaml", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "svc/migrate.py", 1, "alembic", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "svc/unused.py", 1, "toml", DA_CLASS_THIRD_PARTY);
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    const da_finding *x = fx_find(&f, DA001_MISSING, "yaml"); /* CMD through exec "$@" */
    assert_non_null(x);
    assert_true(x->boot_path);
    assert_int_equal(x->nchain, 1);
    assert_string_equal(x->chain[0].file, "svc/__main__.py");
    x = fx_find(&f, DA001_MISSING, "alembic"); /* the script's own python -m */
    assert_non_null(x);
    assert_true(x->boot_path);
    x = fx_find(&f, DA001_MISSING, "toml"); /* nothing at start-up imports it */
    assert_non_null(x);
    assert_false(x->boot_path);
    da_findings_free(&f);
    fx_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_da001_boot_path_chain_error_and_fix),
        cmocka_unit_test(test_da004_unused_and_its_exceptions),
        cmocka_unit_test(test_da002_guards),
        cmocka_unit_test(test_da003_transitive),
        cmocka_unit_test(test_da005_da006_da010),
        cmocka_unit_test(test_da007_conflicts_and_failure),
        cmocka_unit_test(test_da008_not_copied_and_dockerignore),
        cmocka_unit_test(test_da009_removed_stdlib),
        cmocka_unit_test(test_ignores),
        cmocka_unit_test(test_from_namespace_missing_name),
        cmocka_unit_test(test_fix_in_requirements_file_and_family_versions),
        cmocka_unit_test(test_name_guess_is_labelled),
        cmocka_unit_test(test_partial_environment_after_a_conflict),
        cmocka_unit_test(test_boot_through_wrapper_script_and_python_m),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
