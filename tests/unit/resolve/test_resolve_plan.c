/* The adapter from the image model (include/depaudit/install_plan.h) to resolver steps,
 * end to end: a Dockerfile on disk, read by the image stage, resolved against an
 * in-memory index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "depaudit/install_plan.h"
#include "depaudit/resolve.h"
#include "fixture_provider.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char INDEX[] =
    "{\"projects\": ["
    " {\"name\": \"web\", \"releases\": [{\"version\": \"1.0\", \"provides_extra\": [\"fast\"],"
    "   \"requires_dist\": [\"core\", \"speed>=1; extra == 'fast'\"]}]},"
    " {\"name\": \"core\", \"releases\": [{\"version\": \"1.0\"}]},"
    " {\"name\": \"speed\", \"releases\": [{\"version\": \"1.0\"}, {\"version\": \"2.0\"}]},"
    " {\"name\": \"pip\", \"releases\": [{\"version\": \"24.0\"}]}"
    "]}";

static const char DOCKERFILE[] = "FROM python:3.11-slim\n"
                                 "RUN pip install --no-cache-dir \"web[fast]>=1.0\" core\n"
                                 "RUN pip install -U --no-deps speed==1.0\n"
                                 "RUN pip uninstall -y core\n";

static char *write_dockerfile(char *dir)
{
    if (!mkdtemp(dir))
        fail_msg("mkdtemp failed");
    char *path = da_xasprintf("%s/Dockerfile", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(DOCKERFILE, f);
    fclose(f);
    return path;
}

static void test_dockerfile_to_environment(void **state)
{
    (void)state;
    char dir[] = "/tmp/resolve-plan-XXXXXX";
    char *path = write_dockerfile(dir);
    da_install_plan plan;
    memset(&plan, 0, sizeof(plan));
    da_error err;
    da_error_clear(&err);
    if (da_install_plan_load(path, NULL, &plan, &err) < 0)
        fail_msg("plan: %s:%d: %s", err.file, err.line, err.message);
    da_resolve_input in;
    assert_int_equal(da_resolve_input_from_plan(&plan, &in, &err), 0);
    assert_int_equal(in.target.py_minor, 11);
    assert_int_equal(in.nsteps, 3);
    assert_int_equal(in.steps[0].nreqs, 2);
    assert_string_equal(in.steps[0].reqs[0].text, "web[fast]>=1.0");
    assert_int_equal(in.steps[0].reqs[0].line, 2);
    assert_true(in.steps[1].upgrade);
    assert_true(in.steps[1].no_deps);
    assert_int_equal(in.steps[2].kind, DA_STEP_UNINSTALL);

    da_provider prov;
    assert_int_equal(fixture_provider_from_json(INDEX, "index", &prov, &err), 0);
    da_environment env;
    assert_int_equal(da_resolve(&in, &prov, &env, &err), 0);
    prov.destroy(prov.ctx);

    assert_null(da_environment_find(&env, "core")); /* uninstalled by the last RUN */
    const da_resolved_dist *speed = da_environment_find(&env, "speed");
    assert_non_null(speed);
    assert_string_equal(speed->version, "1.0"); /* the second RUN replaced 2.0 */
    assert_int_equal(speed->step, 1);
    const da_resolved_dist *web = da_environment_find(&env, "web");
    assert_non_null(web);
    assert_true(web->requested);
    assert_non_null(strstr(web->reasons[0].file, "Dockerfile"));
    assert_int_equal(web->reasons[0].line, 2);
    /* the base image's distributions are there, and the assumption is said */
    for (size_t i = 0; i < plan.npreinstalled; i++) {
        const da_resolved_dist *d = da_environment_find(&env, plan.preinstalled[i].name);
        assert_non_null(d);
        assert_true(d->preinstalled);
    }
    bool noted = plan.npreinstalled == 0;
    for (size_t i = 0; i < env.warnings.len; i++)
        noted |= strstr(env.warnings.items[i], "assumed the base image's") != NULL;
    assert_true(noted);

    da_environment_free(&env);
    da_resolve_input_free(&in);
    da_install_plan_free(&plan);
    unlink(path);
    rmdir(dir);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dockerfile_to_environment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
