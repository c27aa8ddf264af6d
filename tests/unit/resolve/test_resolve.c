/* The resolver against in-memory indexes (tests/unit/resolve/fixture_provider.c): each
 * test describes an index in the mirror fixture format (with ` for ", so markers keep
 * their ' quotes), runs install steps and checks the resolved set, reasons, conflicts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "depaudit/resolve.h"
#include "fixture_provider.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers --------------------------------------------------------------------------- */

/* The fixtures' wheels and Requires-Python are written for CPython 3.11. */
static void input_init(da_resolve_input *in)
{
    da_resolve_input_init(in);
    da_target_init(&in->target, 3, 11, -1);
}

static da_provider provider_of(const char *fixture)
{
    char *json = da_xstrdup(fixture);
    for (char *p = json; *p; p++)
        if (*p == '`')
            *p = '"';
    da_provider prov;
    da_error err;
    da_error_clear(&err);
    int rc = fixture_provider_from_json(json, "test", &prov, &err);
    if (rc != 0)
        fail_msg("fixture: %s", err.message);
    free(json);
    return prov;
}

/* Adds one install step with the space-separated requirements (";" inside a requirement
 * is kept: requirements are separated by " | " when they contain spaces). */
static da_resolve_step *step_of(da_resolve_input *in, const char *reqs, int line)
{
    da_resolve_step *s = da_resolve_input_add_step(in, DA_STEP_INSTALL, "Dockerfile", line);
    char *copy = da_xstrdup(reqs);
    const char *sep = strstr(copy, " | ") ? " | " : " ";
    char *p = copy;
    while (p && *p) {
        char *next = strstr(p, sep);
        if (next) {
            *next = '\0';
            next += strlen(sep);
        }
        if (*p)
            da_resolve_step_add_req(s, p, "Dockerfile", line, 1);
        p = next;
    }
    free(copy);
    return s;
}

/* "a==1.0 b==2.0" of the environment, sorted by name. */
static char *set_of(const da_environment *env)
{
    da_buf b = {0};
    for (size_t i = 0; i < env->ndists; i++)
        da_buf_printf(&b, "%s%s==%s", i ? " " : "", env->dists[i].name, env->dists[i].version);
    return da_buf_take(&b);
}

static int resolve_with(const char *fixture, da_resolve_input *in, da_environment *env,
                        da_error *err)
{
    da_provider prov = provider_of(fixture);
    da_error_clear(err);
    int rc = da_resolve(in, &prov, env, err);
    prov.destroy(prov.ctx);
    return rc;
}

/* One step, default target; checks rc and the resolved set. */
static void expect_set(const char *fixture, const char *reqs, const char *expected)
{
    da_resolve_input in;
    input_init(&in);
    step_of(&in, reqs, 3);
    da_environment env;
    da_error err;
    int rc = resolve_with(fixture, &in, &env, &err);
    char *got = set_of(&env);
    if (rc != 0)
        fail_msg("rc %d for %s: %s %s", rc, reqs, err.message,
                 env.nconflicts ? env.conflicts[0].message : "");
    assert_string_equal(got, expected);
    free(got);
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

static const da_resolved_dist *must_find(const da_environment *env, const char *name)
{
    const da_resolved_dist *d = da_environment_find(env, name);
    if (!d)
        fail_msg("%s not resolved", name);
    return d;
}

/* ---- fixtures -------------------------------------------------------------------------- */

static const char CHAIN[] =
    "{`projects`: ["
    " {`name`: `a`, `releases`: [{`version`: `1.0`, `requires_dist`: [`b`]},"
    "   {`version`: `2.0`, `requires_dist`: [`b>=2`]}]},"
    " {`name`: `b`, `releases`: [{`version`: `1.0`},"
    "   {`version`: `2.0`, `requires_dist`: [`C_d>1`]},"
    "   {`version`: `2.1`, `requires_dist`: [`c.d`]}]},"
    " {`name`: `c-d`, `releases`: [{`version`: `1.0`}, {`version`: `1.5`}]}"
    "]}";

static void test_chain_newest(void **state)
{
    (void)state;
    expect_set(CHAIN, "a", "a==2.0 b==2.1 c-d==1.5");
    expect_set(CHAIN, "a==1.0", "a==1.0 b==2.1 c-d==1.5");
    expect_set(CHAIN, "a b<2.1", "a==2.0 b==2.0 c-d==1.5");
}

static const char DIAMOND[] =
    "{`projects`: ["
    " {`name`: `top`, `releases`: [{`version`: `1.0`, `requires_dist`: [`left`, `right`]}]},"
    " {`name`: `left`, `releases`: [{`version`: `1.0`, `requires_dist`: [`base<2`]}]},"
    " {`name`: `right`, `releases`: [{`version`: `1.0`, `requires_dist`: [`base>=1.5`]}]},"
    " {`name`: `base`, `releases`: [{`version`: `1.0`}, {`version`: `1.5`}, {`version`: `1.6`},"
    "   {`version`: `2.0`}]}"
    "]}";

static void test_diamond(void **state)
{
    (void)state;
    expect_set(DIAMOND, "top", "base==1.6 left==1.0 right==1.0 top==1.0");
}

static const char EXTRAS[] =
    "{`projects`: ["
    " {`name`: `web`, `releases`: [{`version`: `1.0`, `provides_extra`: [`fast`, `db`],"
    "   `requires_dist`: [`core`, `speed>=2; extra == 'fast'`, `pg[async]; extra == 'db'`]}]},"
    " {`name`: `core`, `releases`: [{`version`: `1.0`}]},"
    " {`name`: `speed`, `releases`: [{`version`: `1.0`}, {`version`: `2.0`}]},"
    " {`name`: `pg`, `releases`: [{`version`: `3.0`, `provides_extra`: [`async`],"
    "   `requires_dist`: [`aio; extra == 'async'`]}]},"
    " {`name`: `aio`, `releases`: [{`version`: `0.5`}]}"
    "]}";

static void test_extras_and_reasons(void **state)
{
    (void)state;
    expect_set(EXTRAS, "web", "core==1.0 web==1.0");
    expect_set(EXTRAS, "web[fast]", "core==1.0 speed==2.0 web==1.0");
    /* extras requested on an edge propagate: pg[async] pulls aio */
    expect_set(EXTRAS, "web[db,fast]", "aio==0.5 core==1.0 pg==3.0 speed==2.0 web==1.0");

    da_resolve_input in;
    input_init(&in);
    step_of(&in, "web[db]", 7);
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(EXTRAS, &in, &env, &err), 0);
    const da_resolved_dist *web = must_find(&env, "web");
    assert_true(web->requested);
    assert_int_equal(web->extras.len, 1);
    assert_string_equal(web->extras.items[0], "db");
    char *why = da_resolve_reason_format(&web->reasons[0]);
    assert_string_equal(why, "requested as web[db] at Dockerfile:7");
    free(why);
    const da_resolved_dist *pg = must_find(&env, "pg");
    assert_false(pg->requested);
    assert_int_equal(pg->nreasons, 1);
    assert_int_equal(pg->reasons[0].kind, DA_REASON_REQUIRED_BY);
    assert_string_equal(pg->reasons[0].parent, "web");
    assert_string_equal(pg->reasons[0].extra, "db");
    why = da_resolve_reason_format(&pg->reasons[0]);
    assert_string_equal(why, "required by web 1.0 (extra db) as pg[async]; extra == 'db'");
    free(why);
    const da_resolved_dist *aio = must_find(&env, "aio");
    assert_string_equal(aio->reasons[0].parent, "pg");
    assert_string_equal(aio->reasons[0].extra, "async");
    /* core is a base requirement of web: no extra */
    assert_null(must_find(&env, "core")->reasons[0].extra);
    assert_non_null(must_find(&env, "core")->release);
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

static void test_missing_extra_warns(void **state)
{
    (void)state;
    da_resolve_input in;
    input_init(&in);
    step_of(&in, "core[nope]", 2);
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(EXTRAS, &in, &env, &err), 0);
    assert_int_equal(env.warnings.len, 1);
    assert_string_equal(env.warnings.items[0], "core 1.0 does not provide the extra 'nope'");
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

static const char MARKERS[] =
    "{`projects`: ["
    " {`name`: `app`, `releases`: [{`version`: `1.0`, `requires_dist`: ["
    "   `backport; python_version < '3.10'`, `winonly; sys_platform == 'win32'`,"
    "   `linuxonly; sys_platform == 'linux' and platform_machine == 'x86_64'`]}]},"
    " {`name`: `backport`, `releases`: [{`version`: `1.0`}]},"
    " {`name`: `winonly`, `releases`: [{`version`: `1.0`}]},"
    " {`name`: `linuxonly`, `releases`: [{`version`: `1.0`}]}"
    "]}";

static void test_markers_for_target(void **state)
{
    (void)state;
    expect_set(MARKERS, "app", "app==1.0 linuxonly==1.0");
    /* the target's Python, not the running one */
    da_resolve_input in;
    input_init(&in);
    da_target_init(&in.target, 3, 9, -1);
    snprintf(in.target.machine, sizeof(in.target.machine), "aarch64");
    step_of(&in, "app", 1);
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(MARKERS, &in, &env, &err), 0);
    char *got = set_of(&env);
    assert_string_equal(got, "app==1.0 backport==1.0");
    free(got);
    da_environment_free(&env);
    da_resolve_input_free(&in);
    /* a requirement whose own marker is false is ignored, as pip does */
    expect_set(MARKERS, "app | winonly; sys_platform == 'win32'", "app==1.0 linuxonly==1.0");
}

static const char BACKTRACK[] =
    "{`projects`: ["
    " {`name`: `a`, `releases`: [{`version`: `1.0`, `requires_dist`: [`b>=2`]},"
    "   {`version`: `2.0`, `requires_dist`: [`b<1`]}]},"
    " {`name`: `b`, `releases`: [{`version`: `0.9`}, {`version`: `1.5`}, {`version`: `2.0`}]},"
    " {`name`: `c`, `releases`: [{`version`: `1.0`, `requires_dist`: [`b>=1.5`]}]},"
    " {`name`: `d`, `releases`: [{`version`: `1.0`, `requires_dist`: [`e==1.0`]},"
    "   {`version`: `2.0`, `requires_dist`: [`e==2.0`]}, {`version`: `3.0`, `requires_dist`: "
    "[`e==3.0`]}]},"
    " {`name`: `e`, `releases`: [{`version`: `1.0`}, {`version`: `2.0`}, {`version`: `3.0`,"
    "   `requires_dist`: [`f<1`]}]},"
    " {`name`: `f`, `releases`: [{`version`: `2.0`}]}"
    "]}";

static void test_backtracking(void **state)
{
    (void)state;
    /* a 2.0 needs b<1 but c needs b>=1.5: a falls back to 1.0 */
    expect_set(BACKTRACK, "a c", "a==1.0 b==2.0 c==1.0");
    /* e 3.0 needs a missing f<1: d steps back to 2.0 */
    expect_set(BACKTRACK, "d", "d==2.0 e==2.0");

    da_resolve_input in;
    input_init(&in);
    step_of(&in, "d", 1);
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(BACKTRACK, &in, &env, &err), 0);
    assert_true(env.backtracks >= 1);
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

static void test_conflict_explained(void **state)
{
    (void)state;
    da_resolve_input in;
    input_init(&in);
    step_of(&in, "a==2.0 c", 12);
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(BACKTRACK, &in, &env, &err), 1);
    assert_int_equal(env.nconflicts, 1);
    const char *m = env.conflicts[0].message;
    assert_string_equal(env.conflicts[0].name, "b");
    assert_int_equal(env.conflicts[0].line, 12);
    assert_non_null(strstr(m, "a 2.0 requires b<1"));
    assert_non_null(strstr(m, "c 1.0 requires b>=1.5"));
    assert_non_null(strstr(m, "a==2.0 is requested at Dockerfile:12"));
    assert_non_null(strstr(m, "no version of b fits"));
    /* nothing is installed by the failed command */
    assert_int_equal(env.ndists, 0);
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

static void test_conflict_unknown_and_unsatisfiable(void **state)
{
    (void)state;
    da_resolve_input in;
    input_init(&in);
    step_of(&in, "nosuchthing", 4);
    step_of(&in, "b>5", 5);
    step_of(&in, "b==2.0", 6);
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(BACKTRACK, &in, &env, &err), 1);
    assert_int_equal(env.nconflicts, 2);
    assert_non_null(strstr(env.conflicts[0].message, "nosuchthing is not on the package index"));
    assert_non_null(strstr(env.conflicts[1].message, "b>5 is requested at Dockerfile:5"));
    assert_non_null(strstr(env.conflicts[1].message, "b has 2.0, 1.5, 0.9"));
    /* the later step still ran */
    char *got = set_of(&env);
    assert_string_equal(got, "b==2.0");
    free(got);
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

static const char YANKED_PRE[] =
    "{`projects`: ["
    " {`name`: `y`, `releases`: [{`version`: `1.0`}, {`version`: `1.1`, `yanked`: `broken`}]},"
    " {`name`: `allyanked`, `releases`: [{`version`: `1.0`, `yanked`: true}]},"
    " {`name`: `p`, `releases`: [{`version`: `1.0`}, {`version`: `2.0b1`}]},"
    " {`name`: `onlypre`, `releases`: [{`version`: `0.1a1`}, {`version`: `0.2.dev3`}]}"
    "]}";

static void test_yanked(void **state)
{
    (void)state;
    expect_set(YANKED_PRE, "y", "y==1.0");
    expect_set(YANKED_PRE, "y==1.1", "y==1.1");
    /* not pinned: a yanked release is never picked, so nothing fits */
    da_resolve_input in;
    input_init(&in);
    step_of(&in, "y>=1.1", 1);
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(YANKED_PRE, &in, &env, &err), 1);
    assert_non_null(strstr(env.conflicts[0].message, "y has 1.1 (yanked), 1.0"));
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

static void test_yanked_unpinned_is_conflict(void **state)
{
    (void)state;
    da_resolve_input in;
    input_init(&in);
    step_of(&in, "allyanked", 1);
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(YANKED_PRE, &in, &env, &err), 1);
    assert_non_null(strstr(env.conflicts[0].message, "1.0 (yanked)"));
    da_environment_free(&env);
    da_resolve_input_free(&in);
    expect_set(YANKED_PRE, "allyanked===1.0", "allyanked==1.0");
}

static void test_prereleases(void **state)
{
    (void)state;
    expect_set(YANKED_PRE, "p", "p==1.0");
    expect_set(YANKED_PRE, "p>=1.0", "p==1.0");
    expect_set(YANKED_PRE, "p>=2.0b1", "p==2.0b1");
    /* nothing but pre-releases, no specifier: pip takes them */
    expect_set(YANKED_PRE, "onlypre", "onlypre==0.2.dev3");
    /* ... but not with a specifier that names none */
    da_resolve_input in;
    input_init(&in);
    step_of(&in, "onlypre<1", 1);
    da_resolve_step *s = step_of(&in, "p", 2);
    s->pre = true;
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(YANKED_PRE, &in, &env, &err), 1);
    assert_non_null(strstr(env.conflicts[0].message, "pre-release"));
    char *got = set_of(&env);
    assert_string_equal(got, "p==2.0b1");
    free(got);
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

static void test_constraints(void **state)
{
    (void)state;
    da_resolve_input in;
    input_init(&in);
    da_resolve_step *s = step_of(&in, "a", 1);
    da_resolve_step_add_constraint(s, "b<1.6", "constraints.txt", 1, 1);
    da_resolve_step_add_constraint(s, "c==1.0", "constraints.txt", 2, 1);
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(BACKTRACK, &in, &env, &err), 0);
    char *got = set_of(&env);
    /* a 2.0 needs b<1: with b<1.6 allowed, a 2.0 and b 0.9; c is not added */
    assert_string_equal(got, "a==2.0 b==0.9");
    free(got);
    da_environment_free(&env);
    da_resolve_input_free(&in);

    /* a constraint that makes a pin impossible is named in the explanation */
    input_init(&in);
    s = step_of(&in, "a==2.0", 4);
    da_resolve_step_add_constraint(s, "b>=1", "constraints.txt", 3, 1);
    assert_int_equal(resolve_with(BACKTRACK, &in, &env, &err), 1);
    assert_non_null(strstr(env.conflicts[0].message,
                           "a 2.0 requires b<1; no version of b fits (b has 2.0, 1.5, 0.9); "
                           "the constraint b>=1 (constraints.txt:3) applies; "
                           "a==2.0 is requested at Dockerfile:4"));
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

static const char PYTHON[] =
    "{`projects`: ["
    " {`name`: `new`, `releases`: [{`version`: `1.0`, `requires_python`: `>=3.8`},"
    "   {`version`: `2.0`, `requires_python`: `>=3.12`}]},"
    " {`name`: `bin`, `releases`: [{`version`: `1.0`, `wheels`: [{`tags`: "
    "`cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64`}]},"
    "   {`version`: `2.0`, `wheels`: [{`tags`: `cp312-cp312-manylinux_2_17_x86_64`}]},"
    "   {`version`: `3.0`, `wheels`: [{`tags`: `cp311-cp311-musllinux_1_1_x86_64`}], `sdist`: "
    "true}]},"
    " {`name`: `src`, `releases`: [{`version`: `1.0`, `sdist_only`: true}]}"
    "]}";

/* A bare requirement list is resolved for the one default Python of every stage. */
static void test_default_target_is_the_default_python(void **state)
{
    (void)state;
    da_resolve_input in;
    da_resolve_input_init(&in);
    assert_int_equal(in.target.py_major, DA_DEFAULT_PY_MAJOR);
    assert_int_equal(in.target.py_minor, DA_DEFAULT_PY_MINOR);
    assert_int_equal(in.target.py_micro, -1);
    assert_true(in.allow_sdist);
    da_resolve_input_free(&in);
}

static void test_requires_python_and_wheels(void **state)
{
    (void)state;
    expect_set(PYTHON, "new", "new==1.0");
    /* 3.0 has only an sdist that fits, 2.0 is for cp312: default allows the sdist */
    expect_set(PYTHON, "bin", "bin==3.0");
    expect_set(PYTHON, "src", "src==1.0");
    da_resolve_input in;
    input_init(&in);
    da_resolve_step *s = step_of(&in, "bin", 1);
    s->only_binary_all = true;
    s = step_of(&in, "src", 2);
    s->only_binary_all = true;
    s = step_of(&in, "new>=2", 3);
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(PYTHON, &in, &env, &err), 1);
    char *got = set_of(&env);
    assert_string_equal(got, "bin==1.0");
    free(got);
    assert_int_equal(env.nconflicts, 2);
    assert_non_null(strstr(env.conflicts[0].message, "no compatible wheel"));
    assert_non_null(strstr(env.conflicts[1].message, "2.0 (requires Python >=3.12)"));
    const da_resolved_dist *bin = must_find(&env, "bin");
    assert_string_equal(bin->filename,
                        "bin-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

static void test_requires_python_from_metadata_only(void **state)
{
    (void)state;
    /* Requires-Python known only from the release metadata (not the index page) */
    static const char F[] = "{`projects`: [{`name`: `m`, `releases`: [{`version`: `1.0`},"
                            " {`version`: `2.0`, `requires_python`: `>=3.13`}]}]}";
    expect_set(F, "m", "m==1.0");
}

static void test_sequence_of_installs(void **state)
{
    (void)state;
    da_resolve_input in;
    input_init(&in);
    step_of(&in, "b==1.5", 10);
    step_of(&in, "c", 11);      /* c needs b>=1.5: the installed 1.5 is kept */
    step_of(&in, "a==1.0", 12); /* a 1.0 needs b>=2: upgraded */
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(BACKTRACK, &in, &env, &err), 0);
    char *got = set_of(&env);
    assert_string_equal(got, "a==1.0 b==2.0 c==1.0");
    free(got);
    const da_resolved_dist *b = must_find(&env, "b");
    assert_int_equal(b->step, 2);
    assert_true(b->requested); /* the first step asked for it by name */
    assert_int_equal(must_find(&env, "c")->step, 1);
    da_environment_free(&env);
    da_resolve_input_free(&in);

    /* without a pin, the installed version is kept; -U takes the newest */
    input_init(&in);
    step_of(&in, "b==1.5", 1);
    step_of(&in, "b", 2);
    assert_int_equal(resolve_with(BACKTRACK, &in, &env, &err), 0);
    assert_string_equal(must_find(&env, "b")->version, "1.5");
    da_environment_free(&env);
    in.steps[1].upgrade = true;
    assert_int_equal(resolve_with(BACKTRACK, &in, &env, &err), 0);
    assert_string_equal(must_find(&env, "b")->version, "2.0");
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

static void test_uninstall_and_preinstalled(void **state)
{
    (void)state;
    static const char F[] =
        "{`projects`: [{`name`: `pip`, `releases`: [{`version`: `23.0`}, {`version`: `24.0`}]},"
        " {`name`: `tool`, `releases`: [{`version`: `1.0`, `requires_dist`: [`setuptools>=60`]}]},"
        " {`name`: `setuptools`, `releases`: [{`version`: `65.5.1`}, {`version`: `69.0`}]}]}";
    da_resolve_input in;
    input_init(&in);
    da_resolve_input_add_preinstalled(&in, "pip", "23.0", "Dockerfile", 1);
    da_resolve_input_add_preinstalled(&in, "setuptools", "65.5.1", "Dockerfile", 1);
    da_resolve_input_add_preinstalled(&in, "wheel", "0.42.0", "Dockerfile", 1);
    da_resolve_step *s = step_of(&in, "pip", 2);
    s->upgrade = true;
    step_of(&in, "tool", 3);
    s = da_resolve_input_add_step(&in, DA_STEP_UNINSTALL, "Dockerfile", 4);
    da_resolve_step_add_req(s, "Wheel", "Dockerfile", 4, 1);
    da_resolve_step_add_req(s, "absent", "Dockerfile", 4, 1);
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(F, &in, &env, &err), 0);
    char *got = set_of(&env);
    assert_string_equal(got, "pip==24.0 setuptools==65.5.1 tool==1.0");
    free(got);
    const da_resolved_dist *st = must_find(&env, "setuptools");
    assert_true(st->preinstalled);
    assert_int_equal(st->reasons[0].kind, DA_REASON_PREINSTALLED);
    assert_int_equal(st->nreasons, 2); /* preinstalled, and required by tool */
    assert_string_equal(st->reasons[1].parent, "tool");
    assert_false(must_find(&env, "pip")->preinstalled);
    bool warned_absent = false, warned_wheel_meta = false;
    for (size_t i = 0; i < env.warnings.len; i++) {
        warned_absent |= strstr(env.warnings.items[i], "uninstall of absent") != NULL;
        warned_wheel_meta |= strstr(env.warnings.items[i], "no metadata for wheel 0.42.0") != NULL;
    }
    assert_true(warned_absent);
    assert_true(warned_wheel_meta);
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

static void test_sync_step(void **state)
{
    (void)state;
    da_resolve_input in;
    input_init(&in);
    da_resolve_input_add_preinstalled(&in, "pip", "24.0", "Dockerfile", 1);
    step_of(&in, "top", 2);
    da_resolve_step *s = step_of(&in, "left base==1.0", 3);
    s->sync = true;
    s->no_deps = true;
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(DIAMOND, &in, &env, &err), 0);
    char *got = set_of(&env);
    /* top and right are gone, base went back to the listed 1.0, pip stays */
    assert_string_equal(got, "base==1.0 left==1.0 pip==24.0");
    free(got);
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

static void test_as_of(void **state)
{
    (void)state;
    static const char F[] = "{`projects`: [{`name`: `t`, `releases`: ["
                            " {`version`: `1.0`, `upload_time`: `2023-01-05T10:00:00.000000Z`},"
                            " {`version`: `1.1`, `upload_time`: `2023-03-01T00:00:00.000000Z`},"
                            " {`version`: `1.2`, `upload_time`: `2023-06-01T00:00:00.000000Z`}]}]}";
    da_resolve_input in;
    input_init(&in);
    step_of(&in, "t", 1);
    /* strictly before: a date is its first instant, so that day's uploads are out */
    in.as_of = da_xstrdup("2023-03-02");
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(F, &in, &env, &err), 0);
    assert_string_equal(must_find(&env, "t")->version, "1.1");
    da_environment_free(&env);
    free(in.as_of);
    in.as_of = da_xstrdup("2023-03-01");
    assert_int_equal(resolve_with(F, &in, &env, &err), 0);
    assert_string_equal(must_find(&env, "t")->version, "1.0");
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

static void test_no_deps_and_unknown_requirements(void **state)
{
    (void)state;
    da_resolve_input in;
    input_init(&in);
    da_resolve_step *s = step_of(&in, "top", 1);
    s->no_deps = true;
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(DIAMOND, &in, &env, &err), 0);
    char *got = set_of(&env);
    assert_string_equal(got, "top==1.0");
    free(got);
    da_environment_free(&env);
    da_resolve_input_free(&in);

    static const char F[] = "{`projects`: [{`name`: `lost`, `releases`: [{`version`: `1.0`,"
                            " `requires_unknown`: true, `requires_dist`: [`x`]}]}]}";
    input_init(&in);
    step_of(&in, "lost", 1);
    assert_int_equal(resolve_with(F, &in, &env, &err), 0);
    assert_int_equal(env.ndists, 1);
    assert_int_equal(env.warnings.len, 1);
    assert_string_equal(env.warnings.items[0], "requirements unknown for lost 1.0 (index)");
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

static void test_snapshot_versions_without_files(void **state)
{
    (void)state;
    /* an offline source lists versions but not files: they count, with a warning */
    static const char F[] = "{`projects`: [{`name`: `snap`, `snapshot`: true, `releases`: ["
                            " {`version`: `1.0`}, {`version`: `1.2`, `requires_dist`: [`idx`]}]},"
                            " {`name`: `idx`, `releases`: [{`version`: `0.1`}]}]}";
    da_resolve_input in;
    input_init(&in);
    step_of(&in, "snap", 1);
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(F, &in, &env, &err), 0);
    char *got = set_of(&env);
    assert_string_equal(got, "idx==0.1 snap==1.2");
    free(got);
    assert_null(must_find(&env, "snap")->filename);
    assert_int_equal(must_find(&env, "snap")->release->source, DA_SOURCE_SNAPSHOT);
    assert_int_equal(env.warnings.len, 1);
    assert_string_equal(env.warnings.items[0],
                        "files unknown (the metadata source lists versions only), assumed "
                        "installable for the target: snap");
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

static void test_errors(void **state)
{
    (void)state;
    da_resolve_input in;
    input_init(&in);
    da_resolve_step *s = da_resolve_input_add_step(&in, DA_STEP_INSTALL, "Dockerfile", 9);
    da_resolve_step_add_req(s, "good", "Dockerfile", 9, 17);
    da_resolve_step_add_req(s, "bad[", "Dockerfile", 9, 22);
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(CHAIN, &in, &env, &err), -1);
    assert_string_equal(err.file, "Dockerfile");
    assert_int_equal(err.line, 9);
    assert_true(err.col >= 22);
    assert_non_null(strstr(err.message, "invalid requirement 'bad['"));
    da_environment_free(&env);
    da_resolve_input_free(&in);

    /* a provider failure is an error, never "no versions" */
    input_init(&in);
    step_of(&in, "a", 1);
    da_provider prov = provider_of(CHAIN);
    fixture_provider_fail_on(&prov, "b");
    da_error_clear(&err);
    assert_int_equal(da_resolve(&in, &prov, &env, &err), -1);
    assert_non_null(strstr(err.message, "connection refused"));
    prov.destroy(prov.ctx);
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

/* ---- what the metadata does not know -------------------------------------------------- */

/* The snapshot's versions are a sample (Debian's, pyodide's): a version it lacks is unknown,
 * not absent, and a specifier nothing listed fits is no conflict. */
static const char SAMPLED[] =
    "{`projects`: ["
    " {`name`: `snap`, `snapshot`: true, `releases`: [{`version`: `1.0`, `requires_dist`: [`dep`]},"
    "   {`version`: `1.2`, `requires_dist`: [`dep>=2`]}]},"
    " {`name`: `dep`, `snapshot`: true, `releases`: [{`version`: `1.0`}, {`version`: `2.0`}]},"
    " {`name`: `pinned`, `snapshot`: true, `releases`: [{`version`: `2.0`,"
    "   `requires_dist`: [`dep>=1.5`]}]},"
    " {`name`: `loose`, `snapshot`: true, `releases`: [{`version`: `2.0`,"
    "   `requires_dist`: [`dep>=1.5`]}]}"
    "]}";

static void test_sampled_versions_are_not_all(void **state)
{
    (void)state;
    da_resolve_input in;
    da_resolve_input_init(&in);
    step_of(&in, "snap==1.1", 3);
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(SAMPLED, &in, &env, &err), 0);
    const da_resolved_dist *d = must_find(&env, "snap");
    assert_string_equal(d->version, "1.1");
    assert_true(d->assumed);
    /* described by the nearest listed version below it, and said so */
    assert_string_equal(d->release->version, "1.0");
    assert_string_equal(must_find(&env, "dep")->version, "2.0");
    assert_int_equal(env.nconflicts, 0);
    assert_int_equal(env.state, DA_RESOLUTION_PARTIAL);
    assert_int_equal(env.unknowns.len, 1);
    assert_non_null(strstr(env.unknowns.items[0], "snap 1.1: not among the versions the snapshot "
                                                  "lists (1.2, 1.0, a sample of what exists)"));
    assert_non_null(strstr(env.unknowns.items[0], "taken from 1.0"));
    da_environment_free(&env);
    da_resolve_input_free(&in);

    /* a range nothing listed fits: an unnamed version, described by the newest listed */
    da_resolve_input_init(&in);
    step_of(&in, "snap>=3", 3);
    assert_int_equal(resolve_with(SAMPLED, &in, &env, &err), 0);
    d = must_find(&env, "snap");
    assert_string_equal(d->version, "");
    assert_true(d->assumed);
    assert_string_equal(d->release->version, "1.2");
    assert_string_equal(must_find(&env, "dep")->version, "2.0"); /* 1.2's dep>=2 */
    da_buf text = {0};
    da_environment_format_text(&env, &text);
    assert_non_null(strstr(text.data, "snap (version unknown)\n"));
    assert_non_null(strstr(text.data, "resolution: partial\n"));
    da_buf_free(&text);
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

/* Without complete lists a conflict is known only when the requirements exclude each
 * other whatever versions exist, each being the user's or that of an exact pin. */
static void test_certain_and_uncertain_conflicts(void **state)
{
    (void)state;
    da_resolve_input in;
    da_environment env;
    da_error err;
    struct {
        const char *reqs;
        int rc;
        bool certain;
    } cases[] = {
        {"dep>2 | dep<1", 1, true},         /* the user's own requirements */
        {"pinned==2.0 | dep<1.0", 1, true}, /* an exact pin whose metadata is its own */
        {"loose | dep<1.0", 1, false},      /* another version of loose may not need dep */
        {"dep==3.0", 0, false},             /* merely not listed: assumed */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        da_resolve_input_init(&in);
        step_of(&in, cases[i].reqs, 7);
        int rc = resolve_with(SAMPLED, &in, &env, &err);
        if (rc != cases[i].rc)
            fail_msg("%s: rc %d, expected %d", cases[i].reqs, rc, cases[i].rc);
        if (rc == 1) {
            assert_int_equal(env.conflicts[0].certain, cases[i].certain);
            assert_int_equal(env.state,
                             cases[i].certain ? DA_RESOLUTION_FAILED : DA_RESOLUTION_PARTIAL);
        } else {
            assert_int_equal(env.state, DA_RESOLUTION_PARTIAL);
        }
        da_environment_free(&env);
        da_resolve_input_free(&in);
    }
    /* a snapshot list the snapshot says is whole is as good as an index's */
    static const char WHOLE[] = "{`projects`: [{`name`: `snap`, `snapshot`: true, "
                                "`versions_complete`: true, `releases`: [{`version`: `1.0`}]}]}";
    da_resolve_input_init(&in);
    step_of(&in, "snap==1.1", 7);
    assert_int_equal(resolve_with(WHOLE, &in, &env, &err), 1);
    assert_true(env.conflicts[0].certain);
    da_environment_free(&env);
    da_resolve_input_free(&in);
    /* with an index's complete lists, a conflict is a fact */
    da_resolve_input_init(&in);
    step_of(&in, "a==2.0 c", 12);
    assert_int_equal(resolve_with(BACKTRACK, &in, &env, &err), 1);
    assert_true(env.conflicts[0].certain);
    assert_int_equal(env.state, DA_RESOLUTION_FAILED);
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

/* Offline, a project no local source knows is unknown: the resolution goes on. */
static void test_unknown_projects_offline(void **state)
{
    (void)state;
    da_resolve_input in;
    da_resolve_input_init(&in);
    in.unknown_is_partial = true;
    step_of(&in, "a==2.0 | c-d", 1);
    da_provider prov = provider_of(CHAIN);
    fixture_provider_fail_on(&prov, "b");
    da_environment env;
    da_error err;
    da_error_clear(&err);
    assert_int_equal(da_resolve(&in, &prov, &env, &err), 0);
    prov.destroy(prov.ctx);
    assert_false(env.metadata_failed);
    const da_resolved_dist *b = must_find(&env, "b");
    assert_null(b->release);
    assert_true(b->assumed);
    assert_string_equal(must_find(&env, "a")->version, "2.0");
    assert_int_equal(env.state, DA_RESOLUTION_PARTIAL);
    assert_int_equal(env.unknowns.len, 1);
    assert_non_null(strstr(env.unknowns.items[0], "b: nothing known"));
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

static void test_json_output(void **state)
{
    (void)state;
    da_resolve_input in;
    input_init(&in);
    step_of(&in, "web[fast]", 5);
    step_of(&in, "nosuch", 6);
    da_environment env;
    da_error err;
    assert_int_equal(resolve_with(EXTRAS, &in, &env, &err), 1);
    char *json = da_environment_to_json(&env);
    cJSON *doc = cJSON_Parse(json);
    assert_non_null(doc);
    cJSON *dists = cJSON_GetObjectItem(doc, "distributions");
    assert_int_equal(cJSON_GetArraySize(dists), 3);
    cJSON *speed = cJSON_GetArrayItem(dists, 1);
    assert_string_equal(cJSON_GetObjectItem(speed, "name")->valuestring, "speed");
    cJSON *r0 = cJSON_GetArrayItem(cJSON_GetObjectItem(speed, "reasons"), 0);
    assert_string_equal(cJSON_GetObjectItem(r0, "kind")->valuestring, "required-by");
    assert_string_equal(cJSON_GetObjectItem(r0, "extra")->valuestring, "fast");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "conflicts")), 1);
    cJSON_Delete(doc);
    free(json);
    da_buf text = {0};
    da_environment_format_text(&env, &text);
    assert_non_null(strstr(text.data, "speed==2.0\n    required by web 1.0 (extra fast)"));
    assert_non_null(strstr(text.data, "conflict: Dockerfile:6: "));
    da_buf_free(&text);
    da_environment_free(&env);
    da_resolve_input_free(&in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chain_newest),
        cmocka_unit_test(test_diamond),
        cmocka_unit_test(test_extras_and_reasons),
        cmocka_unit_test(test_missing_extra_warns),
        cmocka_unit_test(test_markers_for_target),
        cmocka_unit_test(test_backtracking),
        cmocka_unit_test(test_conflict_explained),
        cmocka_unit_test(test_conflict_unknown_and_unsatisfiable),
        cmocka_unit_test(test_yanked),
        cmocka_unit_test(test_yanked_unpinned_is_conflict),
        cmocka_unit_test(test_prereleases),
        cmocka_unit_test(test_constraints),
        cmocka_unit_test(test_default_target_is_the_default_python),
        cmocka_unit_test(test_requires_python_and_wheels),
        cmocka_unit_test(test_requires_python_from_metadata_only),
        cmocka_unit_test(test_sequence_of_installs),
        cmocka_unit_test(test_uninstall_and_preinstalled),
        cmocka_unit_test(test_sync_step),
        cmocka_unit_test(test_as_of),
        cmocka_unit_test(test_no_deps_and_unknown_requirements),
        cmocka_unit_test(test_snapshot_versions_without_files),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_sampled_versions_are_not_all),
        cmocka_unit_test(test_certain_and_uncertain_conflicts),
        cmocka_unit_test(test_unknown_projects_offline),
        cmocka_unit_test(test_json_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
