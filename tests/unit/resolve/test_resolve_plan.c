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

static void write_file(const char *dir, const char *name, const char *text)
{
    char *path = da_xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(path);
}

static const char LOCK_INDEX[] =
    "{\"projects\": ["
    " {\"name\": \"web\", \"releases\": [{\"version\": \"1.0\", \"requires_dist\": [\"core\"]}]},"
    " {\"name\": \"core\", \"releases\": [{\"version\": \"3.0\"}]}"
    "]}";

/* A uv sync from uv.lock: a locked step of exact pins, installed as they are, without a
 * version list asked for; a pin whose version the source lacks takes the release it has
 * (said so); one the source does not know at all is still installed (said so); a transitive
 * pin is required by its parent, not requested. */
static void test_locked_uv_sync(void **state)
{
    (void)state;
    char dir[] = "/tmp/resolve-lock-XXXXXX";
    if (!mkdtemp(dir))
        fail_msg("mkdtemp failed");
    write_file(dir, "Dockerfile",
               "FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\n"
               "RUN uv sync --frozen --no-dev\nENV PATH=/app/.venv/bin:$PATH\n");
    write_file(
        dir, "pyproject.toml",
        "[project]\nname = \"app\"\nversion = \"0.1\"\ndependencies = [\"web\", \"gone\"]\n");
    write_file(dir, "uv.lock",
               "version = 1\n\n"
               "[[package]]\nname = \"app\"\nversion = \"0.1\"\nsource = { editable = \".\" }\n"
               "dependencies = [{ name = \"web\" }, { name = \"gone\" }]\n\n"
               "[[package]]\nname = \"web\"\nversion = \"1.0\"\n"
               "source = { registry = \"https://index.example/simple\" }\n"
               "dependencies = [{ name = \"core\" }]\n\n"
               "[[package]]\nname = \"core\"\nversion = \"2.0\"\n"
               "source = { registry = \"https://index.example/simple\" }\n\n"
               "[[package]]\nname = \"gone\"\nversion = \"0.9\"\n"
               "source = { registry = \"https://index.example/simple\" }\n");
    char *path = da_xasprintf("%s/Dockerfile", dir);
    da_install_plan plan;
    da_error err;
    da_error_clear(&err);
    if (da_install_plan_load(path, NULL, &plan, &err) < 0)
        fail_msg("plan: %s:%d: %s", err.file, err.line, err.message);
    da_resolve_input in;
    assert_int_equal(da_resolve_input_from_plan(&plan, &in, &err), 0);
    assert_int_equal(in.nsteps, 1);
    assert_true(in.steps[0].locked);
    assert_int_equal(in.steps[0].nreqs, 3);
    da_provider prov;
    assert_int_equal(fixture_provider_from_json(LOCK_INDEX, "index", &prov, &err), 0);
    da_environment env;
    assert_int_equal(da_resolve(&in, &prov, &env, &err), 0);
    const fixture_stats *st = fixture_provider_stats(&prov);
    /* web's release is known: no version list was needed for it; core's and gone's
     * versions were looked for only to find what they ship */
    assert_int_equal(st->get_project, 2);
    const da_resolved_dist *web = da_environment_find(&env, "web");
    assert_non_null(web);
    assert_string_equal(web->version, "1.0");
    assert_true(web->requested);
    assert_non_null(web->release);
    const da_resolved_dist *core = da_environment_find(&env, "core");
    assert_non_null(core);
    assert_string_equal(core->version, "2.0"); /* the pin, not the newest release */
    assert_false(core->requested);
    assert_int_equal(core->reasons[0].kind, DA_REASON_REQUIRED_BY);
    assert_string_equal(core->reasons[0].parent, "web");
    assert_string_equal(core->reasons[0].parent_version, "1.0");
    assert_non_null(core->release); /* what 3.0 ships, for want of 2.0 */
    const da_resolved_dist *gone = da_environment_find(&env, "gone");
    assert_non_null(gone);
    assert_null(gone->release);
    bool said_core = false, said_gone = false;
    for (size_t i = 0; i < env.warnings.len; i++) {
        said_core |= strstr(env.warnings.items[i], "core 2.0 ships is taken from core 3.0") != NULL;
        said_gone |= strstr(env.warnings.items[i], "no metadata for gone 0.9") != NULL;
    }
    assert_true(said_core);
    assert_true(said_gone);
    prov.destroy(prov.ctx);
    da_environment_free(&env);
    da_resolve_input_free(&in);
    da_install_plan_free(&plan);
    const char *files[] = {"Dockerfile", "pyproject.toml", "uv.lock"};
    for (size_t i = 0; i < 3; i++) {
        char *f = da_xasprintf("%s/%s", dir, files[i]);
        unlink(f);
        free(f);
    }
    rmdir(dir);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dockerfile_to_environment),
        cmocka_unit_test(test_locked_uv_sync),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
