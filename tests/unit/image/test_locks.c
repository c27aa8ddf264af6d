/* Lock files as the installed set (src/image/requirements/lock*.c): uv.lock, poetry.lock,
 * pdm.lock and pylock.toml read into one model, and what an installer takes from them for
 * its options and target: which pins, direct or transitive (and required by whom). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "depaudit/install_plan.h"
#include "image/requirements/lock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void load(const char *name, const char *text, rq_lock *lock)
{
    rq_content c;
    memset(&c, 0, sizeof(c));
    df_text_append(&c.text, text, strlen(text), 0, true);
    c.host_file = da_xstrdup(name);
    c.host_data = da_xstrdup(text);
    c.host_len = strlen(text);
    da_error err;
    assert_int_equal(rq_lock_read(&c, name, lock, &err), 0);
    assert_int_equal(lock->nwarnings, 0);
    rq_content_free(&c);
}

/* "name==version(role)" of each pin, in lock order, joined by spaces. */
static char *pins(const rq_lock *l, const rq_lock_selection *s)
{
    da_buf b = {0};
    da_buf_puts(&b, "");
    for (size_t i = 0; i < s->len; i++) {
        const rq_lock_package *p = &l->pkgs[s->pins[i].pkg];
        da_buf_printf(&b, "%s%s==%s(%s)", i ? " " : "", p->norm, p->version ? p->version : "",
                      da_lock_role_name(s->pins[i].role));
    }
    return da_buf_take(&b);
}

static void expect(const rq_lock *l, const rq_lock_request *rq, const char *want)
{
    rq_lock_selection s;
    rq_lock_select(l, rq, &s);
    char *got = pins(l, &s);
    assert_string_equal(got, want);
    free(got);
    rq_lock_selection_free(&s);
}

static const char uv_lock[] =
    "version = 1\n"
    "requires-python = \">=3.10\"\n"
    "resolution-markers = [\"python_full_version >= '3.12'\", \"python_full_version < '3.12'\"]\n"
    "\n"
    "[[package]]\n"
    "name = \"app\"\n"
    "version = \"0.1.0\"\n"
    "source = { editable = \".\" }\n"
    "dependencies = [\n"
    "    { name = \"web\", extra = [\"fast\"] },\n"
    "    { name = \"numpy\", version = \"1.26.4\", source = { registry = "
    "\"https://index.example/simple\" }, marker = \"python_full_version < '3.12'\" },\n"
    "    { name = \"numpy\", version = \"2.1.0\", source = { registry = "
    "\"https://index.example/simple\" }, marker = \"python_full_version >= '3.12'\" },\n"
    "    { name = \"winonly\", marker = \"sys_platform == 'win32'\" },\n"
    "]\n"
    "\n"
    "[package.optional-dependencies]\n"
    "pg = [{ name = \"Psycopg\" }]\n"
    "\n"
    "[package.dev-dependencies]\n"
    "dev = [{ name = \"pytest\" }]\n"
    "lint = [{ name = \"ruff\" }]\n"
    "\n"
    "[[package]]\n"
    "name = \"web\"\n"
    "version = \"1.0\"\n"
    "source = { registry = \"https://index.example/simple\" }\n"
    "dependencies = [{ name = \"util\" }]\n"
    "\n"
    "[package.optional-dependencies]\n"
    "fast = [{ name = \"speedups\" }]\n"
    "\n"
    "[[package]]\n"
    "name = \"util\"\n"
    "version = \"2.0\"\n"
    "source = { registry = \"https://index.example/simple\" }\n"
    "\n"
    "[[package]]\n"
    "name = \"speedups\"\n"
    "version = \"0.3\"\n"
    "source = { registry = \"https://index.example/simple\" }\n"
    "dependencies = [{ name = \"util\" }]\n"
    "\n"
    "[[package]]\n"
    "name = \"numpy\"\n"
    "version = \"1.26.4\"\n"
    "source = { registry = \"https://index.example/simple\" }\n"
    "resolution-markers = [\"python_full_version < '3.12'\"]\n"
    "\n"
    "[[package]]\n"
    "name = \"numpy\"\n"
    "version = \"2.1.0\"\n"
    "source = { registry = \"https://index.example/simple\" }\n"
    "resolution-markers = [\"python_full_version >= '3.12'\"]\n"
    "\n"
    "[[package]]\n"
    "name = \"winonly\"\n"
    "version = \"1\"\n"
    "source = { registry = \"https://index.example/simple\" }\n"
    "\n"
    "[[package]]\n"
    "name = \"psycopg\"\n"
    "version = \"3.2\"\n"
    "source = { registry = \"https://index.example/simple\" }\n"
    "\n"
    "[[package]]\n"
    "name = \"pytest\"\n"
    "version = \"8.0\"\n"
    "source = { registry = \"https://index.example/simple\" }\n"
    "\n"
    "[[package]]\n"
    "name = \"ruff\"\n"
    "version = \"0.5\"\n"
    "source = { registry = \"https://index.example/simple\" }\n";

static void env_for(da_marker_env *env, int minor)
{
    da_target t;
    da_target_init(&t, 3, minor, -1);
    da_marker_env_from_target(env, &t);
}

/* uv sync: the project's edges, extras on edges, the fork for the target's Python, groups
 * (dev by default), extras of the project; --no-install-project. */
static void test_uv_lock(void **state)
{
    (void)state;
    rq_lock l;
    load("uv.lock", uv_lock, &l);
    assert_int_equal(l.npkgs, 10);
    assert_true(l.pkgs[0].project);
    da_marker_env env;
    env_for(&env, 12);
    rq_lock_request rq;
    memset(&rq, 0, sizeof(rq));
    rq.use_lock_projects = true;
    rq.main = true;
    rq.install_projects = true;
    rq.env = &env;
    da_strlist_push(&rq.groups, "dev");
    expect(&l, &rq,
           "web==1.0(direct) util==2.0(transitive) speedups==0.3(transitive) numpy==2.1.0(direct) "
           "pytest==8.0(direct)");
    rq_lock_selection s;
    rq_lock_select(&l, &rq, &s);
    assert_int_equal(s.projects.len, 1);
    assert_string_equal(s.projects.items[0], ".");
    assert_string_equal(s.pins[1].required_by.items[0], "web"); /* util */
    assert_int_equal(s.pins[1].required_by.len, 2);             /* and speedups */
    rq_lock_selection_free(&s);
    /* Python 3.11: the other fork; --no-dev --extra pg --group lint */
    env_for(&env, 11);
    da_strlist_free(&rq.groups);
    da_strlist_push(&rq.groups, "lint");
    da_strlist_push(&rq.extras, "pg");
    rq.install_projects = false;
    expect(&l, &rq,
           "web==1.0(direct) util==2.0(transitive) speedups==0.3(transitive) "
           "numpy==1.26.4(direct) psycopg==3.2(direct) ruff==0.5(direct)");
    rq_lock_select(&l, &rq, &s);
    assert_int_equal(s.projects.len, 0);
    rq_lock_selection_free(&s);
    /* --only-group dev: the group alone */
    rq.main = false;
    da_strlist_free(&rq.extras);
    da_strlist_free(&rq.groups);
    da_strlist_push(&rq.groups, "dev");
    expect(&l, &rq, "pytest==8.0(direct)");
    rq_lock_request_free(&rq);
    rq_lock_free(&l);
}

static const char poetry_lock[] =
    "[[package]]\n"
    "name = \"anyio\"\n"
    "version = \"4.0.0\"\n"
    "optional = false\n"
    "groups = [\"main\"]\n"
    "\n"
    "[package.dependencies]\n"
    "exceptiongroup = {version = \">=1.0.2\", markers = \"python_version < \\\"3.11\\\"\"}\n"
    "idna = \">=2.8\"\n"
    "trio = {version = \">=0.22\", optional = true}\n"
    "\n"
    "[package.extras]\n"
    "trio = [\"trio (>=0.22)\"]\n"
    "\n"
    "[[package]]\n"
    "name = \"exceptiongroup\"\n"
    "version = \"1.2.0\"\n"
    "optional = false\n"
    "groups = [\"main\"]\n"
    "markers = \"python_version < \\\"3.11\\\"\"\n"
    "\n"
    "[[package]]\n"
    "name = \"idna\"\n"
    "version = \"3.6\"\n"
    "category = \"main\"\n"
    "\n"
    "[[package]]\n"
    "name = \"trio\"\n"
    "version = \"0.24.0\"\n"
    "groups = [\"main\"]\n"
    "\n"
    "[[package]]\n"
    "name = \"django\"\n"
    "version = \"3.2.0\"\n"
    "groups = [\"main\"]\n"
    "markers = \"python_version < \\\"3.10\\\"\"\n"
    "\n"
    "[[package]]\n"
    "name = \"django\"\n"
    "version = \"5.0.0\"\n"
    "groups = [\"main\"]\n"
    "markers = \"python_version >= \\\"3.10\\\"\"\n"
    "\n"
    "[[package]]\n"
    "name = \"pytest\"\n"
    "version = \"8.0.0\"\n"
    "groups = [\"dev\"]\n"
    "\n"
    "[metadata]\n"
    "lock-version = \"2.1\"\n";

/* poetry install: the pyproject's requirements as roots, edges with markers, an extra's
 * optional dependency, two versions of one name told apart by markers; without a
 * pyproject, the packages of the groups. */
static void test_poetry_lock(void **state)
{
    (void)state;
    rq_lock l;
    load("poetry.lock", poetry_lock, &l);
    assert_int_equal(l.npkgs, 7);
    da_marker_env env;
    env_for(&env, 12);
    rq_lock_request rq;
    memset(&rq, 0, sizeof(rq));
    rq.env = &env;
    rq.main = true;
    rq_lock_dep_add(&rq.roots, "anyio", NULL, NULL);
    rq_lock_dep_add(&rq.roots, "Django", NULL, NULL);
    expect(&l, &rq, "anyio==4.0.0(direct) idna==3.6(transitive) django==5.0.0(direct)");
    da_strlist_push(&rq.roots.items[0].extras, "trio");
    env_for(&env, 10);
    expect(&l, &rq,
           "anyio==4.0.0(direct) exceptiongroup==1.2.0(transitive) idna==3.6(transitive) "
           "trio==0.24.0(transitive) django==5.0.0(direct)");
    rq_lock_request_free(&rq);
    /* no pyproject: the main group's packages whose markers hold */
    memset(&rq, 0, sizeof(rq));
    rq.env = &env;
    rq.by_group = true;
    da_strlist_push(&rq.member_groups, "main");
    expect(&l, &rq,
           "anyio==4.0.0(pinned) exceptiongroup==1.2.0(transitive) idna==3.6(transitive) "
           "trio==0.24.0(transitive) django==5.0.0(pinned)");
    rq_lock_request_free(&rq);
    rq_lock_free(&l);
}

/* pdm: packages by group and marker; pylock.toml: every package whose marker holds. */
static void test_pdm_and_pylock(void **state)
{
    (void)state;
    rq_lock l;
    load("pdm.lock",
         "[metadata]\ngroups = [\"default\", \"test\"]\n\n"
         "[[package]]\nname = \"flask\"\nversion = \"3.0.0\"\ngroups = [\"default\"]\n"
         "dependencies = [\"werkzeug>=3.0\", \"colorama; platform_system == 'Windows'\"]\n\n"
         "[[package]]\nname = \"werkzeug\"\nversion = \"3.0.1\"\ngroups = [\"default\"]\n\n"
         "[[package]]\nname = \"colorama\"\nversion = \"0.4.6\"\ngroups = [\"default\"]\n"
         "marker = \"platform_system == \\\"Windows\\\"\"\n\n"
         "[[package]]\nname = \"pytest\"\nversion = \"8.0.0\"\ngroups = [\"test\"]\n",
         &l);
    da_marker_env env;
    env_for(&env, 12);
    rq_lock_request rq;
    memset(&rq, 0, sizeof(rq));
    rq.env = &env;
    rq.by_group = true;
    da_strlist_push(&rq.member_groups, "default");
    rq_lock_dep_add(&rq.roots, "flask", NULL, NULL);
    expect(&l, &rq, "flask==3.0.0(direct) werkzeug==3.0.1(transitive)");
    da_strlist_push(&rq.member_groups, "test");
    expect(&l, &rq, "flask==3.0.0(direct) werkzeug==3.0.1(transitive) pytest==8.0.0(pinned)");
    rq_lock_request_free(&rq);
    rq_lock_free(&l);
    load("pylock.toml",
         "lock-version = \"1.0\"\ncreated-by = \"a tool\"\n\n"
         "[[packages]]\nname = \"attrs\"\nversion = \"23.2.0\"\n\n"
         "[[packages]]\nname = \"tomli\"\nversion = \"2.0.1\"\nmarker = \"python_version < "
         "'3.11'\"\n",
         &l);
    memset(&rq, 0, sizeof(rq));
    rq.env = &env;
    rq.by_group = true;
    expect(&l, &rq, "attrs==23.2.0(pinned)");
    rq_lock_request_free(&rq);
    rq_lock_free(&l);
}

/* Not TOML at all, or fields of the wrong type: read as far as it goes, never a crash. */
static void test_bad_locks(void **state)
{
    (void)state;
    const char *bad[] = {"[[package]]\nname = 3\nversion = [1]\ndependencies = \"x\"\n",
                         "[[package]\nname = \"a\"\n", "[package.dependencies]\nx = 1\n",
                         "[[package]]\ndependencies = [{ extra = [1] }, 3, { name = 4 }]\n",
                         /* a package without a name (found by fuzzing): no pin, no crash */
                         "[[package]]\nversion = \"1\"\n[[packages]]\nversion = \"2\"\n"
                         "[[package]]\nname = \"app\"\nsource = { virtual = \".\" }\n"
                         "dependencies = [{ name = \"\" }]\n",
                         /* a key given twice (found by fuzzing): no leak */
                         ("[[package]]\nname = \"a\"\nmarkers = \"os_name == 'nt'\"\n"
                          "markers = {main = \"os_name == 'posix'\"}\n")};
    const char *names[] = {"uv.lock", "poetry.lock", "pdm.lock", "pylock.toml"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        for (size_t k = 0; k < 4; k++) {
            rq_content c;
            memset(&c, 0, sizeof(c));
            df_text_append(&c.text, bad[i], strlen(bad[i]), 0, true);
            c.host_file = da_xstrdup(names[k]);
            c.host_data = da_xstrdup(bad[i]);
            c.host_len = strlen(bad[i]);
            rq_lock l;
            da_error err;
            assert_int_equal(rq_lock_read(&c, names[k], &l, &err), 0);
            rq_lock_request rq;
            memset(&rq, 0, sizeof(rq));
            rq.use_lock_projects = true;
            rq.main = true;
            rq_lock_selection s;
            rq_lock_select(&l, &rq, &s);
            for (size_t p = 0; p < s.len; p++)
                assert_non_null(l.pkgs[s.pins[p].pkg].name);
            rq_lock_selection_free(&s);
            rq_lock_free(&l);
            rq_content_free(&c);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uv_lock),
        cmocka_unit_test(test_poetry_lock),
        cmocka_unit_test(test_pdm_and_pylock),
        cmocka_unit_test(test_bad_locks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
