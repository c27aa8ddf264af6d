/* pyproject.toml reading (da_pyproject_read): PEP 621, dependency groups with includes,
 * Poetry constraints converted to PEP 440, spans and list style. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "depaudit/install_plan.h"
#include "image/requirements/pyproject.h"
#include "image/requirements/setup_project.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *write_tmp(const char *content)
{
    char *path = da_xstrdup("/tmp/da-pyproject-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(content, f);
    fclose(f);
    return path;
}

static const da_plan_requirement *find(const da_plan_requirement *r, size_t n, const char *text)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i].text, text) == 0)
            return &r[i];
    return NULL;
}

static void test_pep621(void **state)
{
    (void)state;
    const char *content = "[project]\n"
                          "name = \"demo-app\"\n"
                          "dependencies = [\n"
                          "    \"httpx>=0.25\",\n"
                          "    'pydantic>=2,<3',\n"
                          "]\n"
                          "[project.optional-dependencies]\n"
                          "pg = [\"psycopg[binary]>=3.1\"]\n"
                          "[dependency-groups]\n"
                          "test = [\"pytest\", {include-group = \"lint\"}]\n"
                          "lint = [\"ruff\"]\n";
    char *path = write_tmp(content);
    da_pyproject p;
    da_error err;
    assert_int_equal(da_pyproject_read(path, &p, &err), 0);
    assert_string_equal(p.name, "demo-app");
    assert_int_equal(p.ndependencies, 2);
    assert_string_equal(p.dependencies[0].text, "httpx>=0.25");
    assert_int_equal(p.dependencies[0].where.line, 4);
    assert_memory_equal(content + p.dependencies[1].where.start, "pydantic>=2,<3", 14);
    const da_plan_requirement *pg = find(p.optional, p.noptional, "psycopg[binary]>=3.1");
    assert_non_null(pg);
    assert_string_equal(pg->group, "extra:pg");
    /* the include copies lint's ruff into test */
    bool ruff_in_test = false;
    for (size_t i = 0; i < p.noptional; i++)
        if (strcmp(p.optional[i].text, "ruff") == 0 &&
            strcmp(p.optional[i].group, "group:test") == 0)
            ruff_in_test = true;
    assert_true(ruff_in_test);
    /* a multi-line array: new entries go on their own line, with the same quotes */
    const da_req_list *l = &p.lists[p.dependencies[0].list];
    assert_string_equal(l->style, "toml-array");
    assert_string_equal(l->separator, ",\n    ");
    assert_string_equal(l->quote, "'");
    assert_int_equal(l->insert_at, (size_t)(strstr(content, "<3'") + 3 - content));
    da_pyproject_free(&p);
    unlink(path);
    free(path);
}

static void test_poetry(void **state)
{
    (void)state;
    char *path = write_tmp("[tool.poetry]\n"
                           "name = \"api\"\n"
                           "[tool.poetry.dependencies]\n"
                           "python = \"^3.11\"\n"
                           "fastapi = \"^0.104.1\"\n"
                           "django = \"^4\"\n"
                           "tiny = \"^0.0.3\"\n"
                           "uvicorn = {extras = [\"standard\"], version = \"~0.24\"}\n"
                           "exact = \"2.31.0\"\n"
                           "anyver = \"*\"\n"
                           "ranged = \">=1.2,<2\"\n"
                           "tilde = \"~1\"\n"
                           "opt = {version = \"^1\", optional = true}\n"
                           "[tool.poetry.group.dev.dependencies]\n"
                           "pytest = \"^7.4\"\n"
                           "[tool.poetry.group.docs]\n"
                           "optional = true\n");
    da_pyproject p;
    da_error err;
    assert_int_equal(da_pyproject_read(path, &p, &err), 0);
    assert_true(p.is_poetry);
    assert_string_equal(p.name, "api");
    const char *want[] = {"fastapi>=0.104.1,<0.105", "django>=4,<5",
                          "tiny>=0.0.3,<0.0.4",      "uvicorn[standard]>=0.24,<0.25",
                          "exact==2.31.0",           "anyver",
                          "ranged>=1.2,<2",          "tilde>=1,<2"};
    assert_int_equal(p.ndependencies, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < p.ndependencies; i++) {
        assert_string_equal(p.dependencies[i].text, want[i]);
        assert_non_null(p.dependencies[i].parsed);
    }
    assert_int_equal(p.noptional, 1);
    assert_string_equal(p.optional[0].text, "pytest>=7.4,<8.0");
    assert_string_equal(p.optional[0].group, "poetry:dev");
    assert_true(da_strlist_contains(&p.optional_groups, "docs"));
    assert_string_equal(p.lists[p.dependencies[0].list].style, "poetry-table");
    da_pyproject_free(&p);
    unlink(path);
    free(path);
}

/* Optional Poetry dependencies belong to the extras naming them (names normalised);
 * python/platform keys and Pipfile-style marker keys become markers; a dependency given
 * as an array of constraints is one requirement per alternative. */
static void test_poetry_extras_and_markers(void **state)
{
    (void)state;
    char *path = write_tmp("[tool.poetry.dependencies]\n"
                           "python = \">=3.10\"\n"
                           "lts = { version = \">=0.2\", python = \"^3.13\" }\n"
                           "old = { version = \"*\", python = \"~3.8.1 || >=3.12\" }\n"
                           "win = { version = \">=1\", platform = \"win32\" }\n"
                           "nix = { version = \">=1\", platform = \"!=win32\", markers = "
                           "\"os_name == 'posix'\" }\n"
                           "gpu_rt = { version = \">=1.17\", optional = true }\n"
                           "never = { version = \"*\", optional = true }\n"
                           "split = [{ version = \"<2\", python = \"<3.11\" },\n"
                           "         { version = \"^2.1\", python = \">=3.11\" }]\n"
                           "[tool.poetry.extras]\n"
                           "gpu = [\"GPU-rt\"]\n"
                           "all = [\"gpu_rt\", \"missing\"]\n");
    da_pyproject p;
    da_error err;
    assert_int_equal(da_pyproject_read(path, &p, &err), 0);
    const char *want[] = {
        "lts>=0.2; python_version >= \"3.13\" and python_version < \"4.0\"",
        ("old; (python_full_version >= \"3.8.1\" and python_version < \"3.9\") or "
         "python_version >= \"3.12\""),
        "win>=1; sys_platform == \"win32\"",
        "nix>=1; os_name == 'posix' and sys_platform != \"win32\"",
        "split<2; python_version < \"3.11\"",
        "split>=2.1,<3.0; python_version >= \"3.11\""};
    assert_int_equal(p.ndependencies, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < p.ndependencies; i++) {
        assert_string_equal(p.dependencies[i].text, want[i]);
        assert_non_null(p.dependencies[i].parsed);
    }
    assert_int_equal(p.noptional, 2);
    assert_string_equal(p.optional[0].text, "gpu_rt>=1.17");
    assert_string_equal(p.optional[0].group, "extra:gpu");
    assert_string_equal(p.optional[1].group, "extra:all");
    /* the table's list counts what it holds: six dependencies and the two extra entries */
    assert_int_equal(p.lists[p.dependencies[0].list].count, 8);
    da_pyproject_free(&p);
    unlink(path);
    free(path);
    /* a Pipfile entry's marker keys */
    char *pf = write_tmp("[packages]\nwinreg = {version = \"*\", sys_platform = \"== 'win32'\"}\n");
    rq_content c;
    memset(&c, 0, sizeof(c));
    char *why = NULL;
    assert_int_equal(rq_load_host_file(NULL, pf, &c, &why), 0);
    assert_int_equal(rq_pipfile_parse(&c, pf, &p, &err), 0);
    assert_int_equal(p.ndependencies, 1);
    assert_string_equal(p.dependencies[0].text, "winreg; sys_platform == 'win32'");
    da_pyproject_free(&p);
    rq_content_free(&c);
    unlink(pf);
    free(pf);
}

static void test_bad_toml_does_not_crash(void **state)
{
    (void)state;
    char *path = write_tmp("[project\ndependencies = [\"a\", 3, {x=1}, \"b\"\n");
    da_pyproject p;
    da_error err;
    assert_int_equal(da_pyproject_read(path, &p, &err), 0);
    assert_true(p.nwarnings >= 1);
    da_pyproject_free(&p);
    unlink(path);
    free(path);
    /* the warning names the line of the first error (the unclosed array's) */
    path = write_tmp("[project]\nname = \"x\"\ndependencies = [\n  \"a\",\n\n[tool.x]\ny = 1\n");
    assert_int_equal(da_pyproject_read(path, &p, &err), 0);
    assert_true(p.nwarnings >= 1);
    assert_non_null(strstr(p.warnings[0].message, "not valid TOML"));
    assert_int_equal(p.warnings[0].line, 3);
    da_pyproject_free(&p);
    unlink(path);
    free(path);
    /* versions too large to bump: no exact PEP 440 form, said so, never overflowed */
    path = write_tmp("[tool.poetry.dependencies]\nx = \"^99999999999999999999999\"\n");
    assert_int_equal(da_pyproject_read(path, &p, &err), 0);
    assert_int_equal(p.ndependencies, 1);
    assert_string_equal(p.dependencies[0].text, "x");
    assert_int_equal(p.nwarnings, 1);
    assert_non_null(strstr(p.warnings[0].message, "no exact PEP 440 form"));
    da_pyproject_free(&p);
    unlink(path);
    free(path);
    assert_int_equal(da_pyproject_read("/nonexistent/pyproject.toml", &p, &err), -1);
    assert_non_null(strstr(err.file, "/nonexistent/pyproject.toml"));
}

static void content(rq_content *c, const char *name, const char *text)
{
    memset(c, 0, sizeof(*c));
    df_text_append(&c->text, text, strlen(text), 0, true);
    c->host_file = da_xstrdup(name);
    c->host_data = da_xstrdup(text);
    c->host_len = strlen(text);
}

static const da_plan_requirement *find_req(const da_pyproject *p, const char *text)
{
    const da_plan_requirement *r = find(p->dependencies, p->ndependencies, text);
    return r ? r : find(p->optional, p->noptional, text);
}

/* setup.py read and never run: literals, names bound to literals, `+`, the file it opens,
 * extras; setup.cfg's sections; pyproject.toml wins when it states the dependencies, and
 * its dynamic files are named. */
static void test_setup_py_and_cfg(void **state)
{
    (void)state;
    rq_content py, cfg, pp;
    content(&py, "setup.py",
            "from setuptools import setup\n"
            "BASE = ['flask>=3', \"gunicorn\"]\n"
            "def read(name):\n"
            "    with open(name) as f:\n"
            "        return f.read().splitlines()\n"
            "if __name__ == '__main__':\n"
            "    setup(name='web-app', install_requires=BASE + read('extra.txt'),\n"
            "          extras_require={'pg': ('psycopg',), 'fast:sys_platform != \"win32\"': "
            "['uvloop']},\n"
            "          py_modules=['webapp'])\n");
    content(&cfg, "setup.cfg",
            "[metadata]\nname = other\n[options]\ninstall_requires =\n    attrs>=23\n"
            "    # a comment\n    six\n[options.extras_require]\ndev = pytest\n");
    rq_project_files in = {NULL, &cfg, &py};
    da_pyproject p;
    da_error err;
    assert_int_equal(rq_project_read(&in, &p, &err), 0);
    assert_string_equal(p.name, "other"); /* setup.cfg's [metadata] is read first */
    assert_non_null(find_req(&p, "flask>=3"));
    assert_non_null(find_req(&p, "gunicorn"));
    assert_non_null(find_req(&p, "attrs>=23"));
    assert_non_null(find_req(&p, "six"));
    assert_string_equal(find_req(&p, "psycopg")->group, "extra:pg");
    assert_string_equal(find_req(&p, "uvloop; sys_platform != \"win32\"")->group, "extra:fast");
    assert_string_equal(find_req(&p, "pytest")->group, "extra:dev");
    assert_int_equal(p.dependency_files.len, 1);
    assert_string_equal(p.dependency_files.items[0], "extra.txt");
    assert_true(da_strlist_contains(&p.packages, "webapp"));
    /* the span of a literal is the string's contents in setup.py */
    const da_plan_requirement *flask = find_req(&p, "flask>=3");
    assert_int_equal(flask->where.line, 2);
    assert_memory_equal(py.host_data + flask->where.start, "flask>=3", 8);
    assert_int_equal(p.nwarnings, 0);
    da_pyproject_free(&p);
    rq_content_free(&py);
    /* computed: said, never guessed */
    content(&py, "setup.py",
            "import sys\nsetup(install_requires=[r for r in get_deps() if r], **kw)\n");
    rq_project_files in2 = {NULL, NULL, &py};
    assert_int_equal(rq_project_read(&in2, &p, &err), 0);
    assert_int_equal(p.ndependencies, 0);
    assert_true(p.nwarnings >= 2);
    assert_non_null(strstr(p.warnings[0].message, "unknown without running it"));
    da_pyproject_free(&p);
    /* a pyproject.toml that states them wins; one whose dependencies are dynamic does not */
    content(&pp, "pyproject.toml", "[project]\nname = \"x\"\ndependencies = [\"httpx\"]\n");
    rq_project_files in3 = {&pp, &cfg, &py};
    assert_int_equal(rq_project_read(&in3, &p, &err), 0);
    assert_int_equal(p.ndependencies, 1);
    assert_string_equal(p.dependencies[0].text, "httpx");
    da_pyproject_free(&p);
    rq_content_free(&pp);
    content(&pp, "pyproject.toml",
            "[project]\nname = \"x\"\ndynamic = [\"dependencies\"]\n"
            "[tool.setuptools.dynamic]\ndependencies = {file = [\"req/a.txt\", \"req/b.txt\"]}\n");
    rq_project_files in4 = {&pp, NULL, NULL};
    assert_int_equal(rq_project_read(&in4, &p, &err), 0);
    assert_false(p.declares_dependencies);
    assert_int_equal(p.dependency_files.len, 2);
    assert_string_equal(p.dependency_files.items[1], "req/b.txt");
    da_pyproject_free(&p);
    rq_content_free(&pp);
    /* flit's table from before PEP 621 */
    content(&pp, "pyproject.toml",
            "[tool.flit.metadata]\nmodule = \"flitpkg\"\nrequires = [\"requests\"]\n"
            "[tool.flit.metadata.requires-extra]\ntest = [\"pytest\"]\n");
    rq_project_files in5 = {&pp, NULL, &py};
    assert_int_equal(rq_project_read(&in5, &p, &err), 0);
    assert_true(p.declares_dependencies); /* setup.py is not read then */
    assert_string_equal(p.name, "flitpkg");
    assert_int_equal(p.ndependencies, 1);
    assert_string_equal(p.optional[0].group, "extra:test");
    assert_true(da_strlist_contains(&p.packages, "flitpkg"));
    da_pyproject_free(&p);
    rq_content_free(&pp);
    rq_content_free(&py);
    rq_content_free(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pep621),
        cmocka_unit_test(test_poetry),
        cmocka_unit_test(test_poetry_extras_and_markers),
        cmocka_unit_test(test_bad_toml_does_not_crash),
        cmocka_unit_test(test_setup_py_and_cfg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
