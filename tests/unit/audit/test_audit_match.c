/* Matching at full dotted depth, first missing component, guard conditions and the
 * reading of CMD/ENTRYPOINT. */
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

static da_release *release(const char *modules, const char *namespaces)
{
    da_release *r = da_xcalloc(1, sizeof(*r));
    r->name = da_xstrdup("x");
    r->version = da_xstrdup("1");
    r->modules_known = true;
    char *m = da_xstrdup(modules);
    for (char *t = strtok(m, " "); t; t = strtok(NULL, " "))
        da_strlist_push(&r->modules, t);
    free(m);
    char *n = da_xstrdup(namespaces);
    for (char *t = strtok(n, " "); t; t = strtok(NULL, " "))
        da_strlist_push(&r->namespaces, t);
    free(n);
    return r;
}

static void test_release_provides_namespace_rules(void **state)
{
    (void)state;
    da_release *api =
        release("opentelemetry.trace opentelemetry.context opentelemetry.baggage", "opentelemetry");
    assert_int_equal(audit_release_provides(api, "opentelemetry.trace"), AUDIT_PROVIDED);
    assert_int_equal(audit_release_provides(api, "opentelemetry.trace.span"), AUDIT_PROVIDED);
    assert_int_equal(audit_release_provides(api, "opentelemetry"), AUDIT_NAMESPACE_ONLY);
    assert_int_equal(audit_release_provides(api, "opentelemetry.exporter.otlp.proto.grpc"),
                     AUDIT_MISSING);
    /* a prefix that is not at a dot boundary is not a match */
    assert_int_equal(audit_release_provides(api, "opentelemetry.tracex"), AUDIT_MISSING);
    da_release_free(api);
    /* one distribution, several top-level modules */
    da_release *six = release("six _six_helpers", "");
    assert_int_equal(audit_release_provides(six, "_six_helpers.x"), AUDIT_PROVIDED);
    assert_int_equal(audit_release_provides(six, "sixx"), AUDIT_MISSING);
    da_release_free(six);
}

static void test_image_first_missing_component(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 11);
    fx_dist(&w, "opentelemetry-api", "1.21.0", true, "opentelemetry.trace opentelemetry.context",
            "opentelemetry", NULL);
    fx_dist(&w, "opentelemetry-sdk", "1.21.0", true, "opentelemetry.sdk", "opentelemetry", NULL);
    fx_dist(&w, "google-cloud-storage", "2.0", true, "google.cloud.storage", "google google.cloud",
            NULL);
    audit_image img = {0};
    for (size_t i = 0; i < w.env.ndists; i++) {
        da_grow((void **)&img.dists, &img.cap, img.len + 1, sizeof(*img.dists));
        img.dists[img.len++] = (audit_dist){w.env.dists[i].name,
                                            w.env.dists[i].version,
                                            w.env.dists[i].release,
                                            true,
                                            false,
                                            NULL,
                                            NULL};
    }
    char *m = audit_first_missing(&img, "opentelemetry.exporter.otlp.proto.grpc.trace_exporter");
    assert_string_equal(m, "opentelemetry.exporter");
    free(m);
    assert_null(audit_first_missing(&img, "opentelemetry.sdk.trace.export"));
    assert_null(audit_first_missing(&img, "opentelemetry"));
    m = audit_first_missing(&img, "google.cloud.pubsub");
    assert_string_equal(m, "google.cloud.pubsub");
    free(m);
    m = audit_first_missing(&img, "yaml");
    assert_string_equal(m, "yaml");
    free(m);
    const audit_dist *by = NULL;
    bool guess = true;
    assert_int_equal(audit_image_provides(&img, "opentelemetry.sdk.resources", &by, &guess),
                     AUDIT_PROVIDED);
    assert_string_equal(by->name, "opentelemetry-sdk");
    assert_false(guess);
    free(img.dists);
    fx_free(&w);
}

static void test_unknown_modules_use_lookup_as_guess(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 11);
    da_resolved_dist *d = fx_dist(&w, "pyyaml", "6.0", true, NULL, NULL, NULL);
    fx_which_add(&w, "yaml", "pyyaml");
    audit_image img = {0};
    da_grow((void **)&img.dists, &img.cap, 1, sizeof(*img.dists));
    img.dists[img.len++] = (audit_dist){d->name, d->version, d->release, true, false, NULL, NULL};
    img.lookup = &w.lookup;
    const audit_dist *by = NULL;
    bool guess = false;
    assert_int_equal(audit_image_provides(&img, "yaml.constructor", &by, &guess), AUDIT_PROVIDED);
    assert_true(guess);
    assert_int_equal(audit_image_provides(&img, "toml", &by, &guess), AUDIT_MISSING);
    free(img.dists);
    fx_free(&w);
}

static void test_conditions(void **state)
{
    (void)state;
    assert_int_equal(audit_condition_eval("sys.version_info >= (3, 11)", 3, 11), 1);
    assert_int_equal(audit_condition_eval("sys.version_info >= (3, 12)", 3, 11), 0);
    assert_int_equal(audit_condition_eval("sys.version_info[:2] < (3, 8)", 3, 11), 0);
    assert_int_equal(audit_condition_eval("not (sys.version_info >= (3, 11))", 3, 10), 1);
    assert_int_equal(audit_condition_eval("sys.version_info[0] == 3", 3, 10), 1);
    assert_int_equal(audit_condition_eval("sys.platform == \"win32\"", 3, 11), 0);
    assert_int_equal(audit_condition_eval("sys.platform.startswith('linux')", 3, 11), 1);
    assert_int_equal(audit_condition_eval("os.name == 'nt' or sys.version_info < (3, 9)", 3, 11),
                     0);
    assert_int_equal(audit_condition_eval(
                         "not (sys.platform == 'win32') and (sys.version_info >= (3, 8))", 3, 11),
                     1);
    assert_int_equal(audit_condition_eval("platform.system() == 'Linux'", 3, 11), 1);
    assert_int_equal(audit_condition_eval("HAS_NUMPY", 3, 11), -1);
    assert_int_equal(audit_condition_eval("sys.version_info >= (3, 11, 4)", 3, 11), -1);
    assert_int_equal(audit_condition_eval("sys.version_info >= (3, 11", 3, 11), -1);
    assert_int_equal(audit_condition_eval(NULL, 3, 11), -1);
}

static const char *entry_module(const audit_boot *b, size_t i)
{
    return i < b->len ? b->entries[i].module : NULL;
}

static void test_boot_entries(void **state)
{
    (void)state;
    da_install_plan p = {0};
    audit_boot b;
    const char *gunicorn[] = {"gunicorn",       "src.api.main:app",
                              "--worker-class", "uvicorn.workers.UvicornWorker",
                              "--workers",      "4",
                              "--bind",         "0.0.0.0:8000"};
    for (size_t i = 0; i < 8; i++)
        da_strlist_push(&p.cmd, gunicorn[i]);
    audit_boot_from_plan(&p, &b);
    assert_int_equal(b.len, 1);
    assert_string_equal(entry_module(&b, 0), "src.api.main");
    assert_true(da_strlist_contains(&b.third_party, "uvicorn.workers"));
    assert_true(da_strlist_contains(&b.commands, "gunicorn"));
    audit_boot_free(&b);
    da_strlist_free(&p.cmd);

    /* shell form through sh -c, with a migration first and exec */
    da_strlist_push(&p.cmd, "/bin/sh");
    da_strlist_push(&p.cmd, "-c");
    da_strlist_push(&p.cmd, "alembic upgrade head && exec uvicorn 'app.main:create_app()' "
                            "--factory --host 0.0.0.0 --port \"8000\"");
    p.cmd_shell_form = true;
    audit_boot_from_plan(&p, &b);
    assert_int_equal(b.len, 1);
    assert_string_equal(entry_module(&b, 0), "app.main");
    assert_true(da_strlist_contains(&b.commands, "alembic"));
    assert_true(da_strlist_contains(&b.commands, "uvicorn"));
    audit_boot_free(&b);
    da_strlist_free(&p.cmd);

    /* exec-form ENTRYPOINT receives CMD */
    da_strlist_push(&p.entrypoint, "python");
    da_strlist_push(&p.entrypoint, "-m");
    da_strlist_push(&p.cmd, "worker.main");
    p.cmd_shell_form = false;
    audit_boot_from_plan(&p, &b);
    assert_int_equal(b.len, 1);
    assert_string_equal(entry_module(&b, 0), "worker.main");
    audit_boot_free(&b);
    da_strlist_free(&p.cmd);
    da_strlist_free(&p.entrypoint);

    /* celery -A, python FILE.py, flask run with FLASK_APP */
    const char *celery[] = {"celery", "-A", "tasks.app", "worker", "-l", "info"};
    for (size_t i = 0; i < 6; i++)
        da_strlist_push(&p.cmd, celery[i]);
    audit_boot_from_plan(&p, &b);
    assert_string_equal(entry_module(&b, 0), "tasks.app");
    audit_boot_free(&b);
    da_strlist_free(&p.cmd);

    da_strlist_push(&p.cmd, "python3.12");
    da_strlist_push(&p.cmd, "-u");
    da_strlist_push(&p.cmd, "/app/bin/serve.py");
    audit_boot_from_plan(&p, &b);
    assert_int_equal(b.len, 1);
    assert_null(b.entries[0].module);
    assert_string_equal(b.entries[0].path, "/app/bin/serve.py");
    audit_boot_free(&b);
    da_strlist_free(&p.cmd);

    da_env_var env = {"FLASK_APP", "web.wsgi", NULL, 0};
    p.env = &env;
    p.nenv = 1;
    da_strlist_push(&p.cmd, "flask");
    da_strlist_push(&p.cmd, "run");
    audit_boot_from_plan(&p, &b);
    assert_string_equal(entry_module(&b, 0), "web.wsgi");
    audit_boot_free(&b);
    da_strlist_free(&p.cmd);

    /* nothing to run: no entries, no crash */
    audit_boot_from_plan(NULL, &b);
    assert_int_equal(b.len, 0);
    audit_boot_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_release_provides_namespace_rules),
        cmocka_unit_test(test_image_first_missing_component),
        cmocka_unit_test(test_unknown_modules_use_lookup_as_guess),
        cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_boot_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
