/* [tool.depaudit] in pyproject.toml and .depaudit.toml, and their errors. */
/* cmocka needs these first, in this order */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "audit_fixture.h"

#include <stdlib.h>
#include <string.h>

static void test_pyproject_table(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 11);
    fx_write(&w, "pyproject.toml",
             "[project]\nname = \"svc\"\ndependencies = [\"x\"]\n\n"
             "[tool.depaudit]\n"
             "ignore = [\"DA004\", \"transitive\"]\n"
             "first-party = [\"svc\"]\n"
             "base-image-provides = ['numpy']\n"
             "exclude = [\"tests\", \"*/migrations/*\"]\n"
             "report-type-checking = true\n"
             "per-module-ignores = { \"legacy.tools\" = [\"DA001\"] }\n\n"
             "[tool.depaudit.mappings]\n"
             "\"acme_sdk\" = \"acme-internal-sdk\"\n"
             "[tool.other]\nx = 1\n");
    char *path = da_xasprintf("%s/pyproject.toml", w.dir);
    da_audit_config c;
    da_error err;
    assert_int_equal(da_audit_config_load(path, &c, &err), 0);
    assert_int_equal(c.ignore.len, 2);
    assert_string_equal(c.ignore.items[0], "DA004");
    assert_string_equal(c.first_party.items[0], "svc");
    assert_string_equal(c.base_provides.items[0], "numpy");
    assert_int_equal(c.exclude.len, 2);
    assert_true(c.report_type_checking);
    assert_string_equal(c.module_ignores.items[0], "legacy.tools:DA001");
    assert_string_equal(c.mappings.items[0], "acme_sdk=acme-internal-sdk");
    assert_string_equal(c.file, path);
    da_audit_config_free(&c);
    free(path);
    fx_free(&w);
}

static void test_config_drives_the_audit(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 11);
    fx_write(&w, ".depaudit.toml",
             "base-image-provides = [\"numpy\"]\n"
             "[mappings]\nacme_sdk = \"acme-internal-sdk\"\n");
    fx_write(&w, "a.py", "import numpy\nimport acme_sdk.client\n");
    fx_import(&w, "a.py", 1, "numpy", DA_CLASS_THIRD_PARTY);
    fx_import(&w, "a.py", 2, "acme_sdk.client", DA_CLASS_THIRD_PARTY);
    char *path = da_xasprintf("%s/.depaudit.toml", w.dir);
    da_error err;
    assert_int_equal(da_audit_config_load(path, &w.config, &err), 0);
    free(path);
    da_findings f;
    assert_int_equal(fx_run(&w, &f), 0);
    /* numpy: the base image has it; acme_sdk: missing, and the mapping names who provides */
    assert_null(fx_find(&f, DA001_MISSING, "numpy"));
    const da_finding *x = fx_find(&f, DA001_MISSING, "acme_sdk.client");
    assert_non_null(x);
    assert_string_equal(x->candidates[0].dist, "acme-internal-sdk");
    assert_int_equal(x->candidates[0].basis, DA_BASIS_CONFIG);
    da_findings_free(&f);
    /* once installed, the mapping makes it provided */
    fx_dist(&w, "acme-internal-sdk", "1.0", true, "acme", "", NULL);
    assert_int_equal(fx_run(&w, &f), 0);
    assert_null(fx_find(&f, DA001_MISSING, "acme_sdk.client"));
    da_findings_free(&f);
    fx_free(&w);
}

static void expect_error(const char *text, int line, const char *needle)
{
    fx_world w;
    fx_init(&w, 11);
    fx_write(&w, ".depaudit.toml", text);
    char *path = da_xasprintf("%s/.depaudit.toml", w.dir);
    da_audit_config c;
    da_error err;
    da_error_clear(&err);
    assert_int_equal(da_audit_config_load(path, &c, &err), -1);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, line);
    assert_true(err.col >= 1);
    if (!strstr(err.message, needle))
        fail_msg("message '%s' lacks '%s'", err.message, needle);
    free(path);
    fx_free(&w);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("ignore = [\"DA004\"]\nignored = [\"DA001\"]\n", 2, "unknown [tool.depaudit] key");
    expect_error("ignore = \"DA004\"\n", 1, "array of strings");
    expect_error("\n\nignore = [\"DA042\"]\n", 3, "unknown rule code");
    expect_error("report-type-checking = \"yes\"\n", 1, "true or false");
    expect_error("ignore = [\"DA004\"\n", 1, "not valid TOML");
    expect_error("[mapings]\nx = \"y\"\n", 1, "unknown table");
    /* a missing file is an error naming it */
    da_audit_config c;
    da_error err;
    assert_int_equal(da_audit_config_load("/nonexistent/.depaudit.toml", &c, &err), -1);
    assert_string_equal(err.file, "/nonexistent/.depaudit.toml");
}

static void test_pyproject_without_table(void **state)
{
    (void)state;
    fx_world w;
    fx_init(&w, 11);
    fx_write(&w, "pyproject.toml", "[project]\nname = \"x\"\n[tool.black]\nline-length = 100\n");
    char *path = da_xasprintf("%s/pyproject.toml", w.dir);
    da_audit_config c;
    da_error err;
    assert_int_equal(da_audit_config_load(path, &c, &err), 0);
    assert_int_equal(c.ignore.len + c.mappings.len + c.first_party.len, 0);
    da_audit_config_free(&c);
    free(path);
    fx_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pyproject_table),
        cmocka_unit_test(test_config_drives_the_audit),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_pyproject_without_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
