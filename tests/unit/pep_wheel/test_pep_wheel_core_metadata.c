/* Core metadata (METADATA/PKG-INFO) and egg-info requires.txt. Real files from the
 * machine are compared with Python's readers in tests/oracle/pep_wheel. */
/* cmocka.h needs these first; the blank line keeps clang-format from reordering them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "depaudit/core_metadata.h"

#include <stdlib.h>
#include <string.h>

static int parse(const char *text, da_core_metadata *m, da_error *err)
{
    da_error_clear(err);
    return da_core_metadata_parse(text, strlen(text), "pkg/METADATA", m, err);
}

static void test_fields_and_body(void **state)
{
    (void)state;
    const char *text = "Metadata-Version: 2.1\r\n"
                       "Name: opentelemetry-api\r\n"
                       "Version: 1.21.0\r\n"
                       "Summary: OpenTelemetry Python API\r\n"
                       "Requires-Python: >=3.7\r\n"
                       "Requires-Dist: deprecated>=1.2.6\r\n"
                       "requires-dist: importlib-metadata<7.0,>=6.0\r\n"
                       "Requires-Dist: pytest; extra == 'test'\r\n"
                       "Provides-Extra: test\r\n"
                       "Classifier: Programming Language :: Python\r\n"
                       "\r\n"
                       "# OpenTelemetry\r\n"
                       "\r\n"
                       "Name: not a field, this is the body\r\n";
    da_core_metadata m;
    da_error err;
    assert_int_equal(parse(text, &m, &err), 0);
    assert_string_equal(m.metadata_version, "2.1");
    assert_string_equal(m.name, "opentelemetry-api");
    assert_string_equal(m.version, "1.21.0");
    assert_string_equal(m.requires_python, ">=3.7");
    assert_int_equal(m.requires_dist.len, 3);
    assert_string_equal(m.requires_dist.items[1], "importlib-metadata<7.0,>=6.0");
    assert_string_equal(m.requires_dist.items[2], "pytest; extra == 'test'");
    assert_int_equal(m.provides_extra.len, 1);
    assert_string_equal(m.provides_extra.items[0], "test");
    assert_non_null(m.description);
    assert_true(strncmp(m.description, "# OpenTelemetry\r\n", 17) == 0);
    assert_non_null(strstr(m.description, "this is the body"));
    assert_int_equal(m.warnings.len, 0);
    assert_false(m.import_names_declared);
    da_core_metadata_free(&m);
}

static void test_folding(void **state)
{
    (void)state;
    const char *text = "Metadata-Version: 1.1\n"
                       "Name: folded\n"
                       "Version: 0.1\n"
                       "Requires-Dist: a-very-long-name\n"
                       "   >=1.0 ;\n"
                       "\tpython_version < \"3.12\"\n"
                       "Description: First line\n"
                       "       |\n"
                       "       |    indented code\n"
                       "        plain continuation\n"
                       "Provides-Extra:\n"
                       " late\n";
    da_core_metadata m;
    da_error err;
    assert_int_equal(parse(text, &m, &err), 0);
    assert_int_equal(m.requires_dist.len, 1);
    assert_string_equal(m.requires_dist.items[0],
                        "a-very-long-name >=1.0 ; python_version < \"3.12\"");
    assert_string_equal(m.description, "First line\n\n    indented code\nplain continuation");
    assert_string_equal(m.provides_extra.items[0], "late");
    da_core_metadata_free(&m);
}

static void test_import_names(void **state)
{
    (void)state;
    da_core_metadata m;
    da_error err;
    assert_int_equal(parse("Metadata-Version: 2.5\nName: x\nVersion: 1\n"
                           "Import-Name: google.cloud.storage\n"
                           "Import-Name: _x_impl ; private\n"
                           "Import-Namespace: google\n"
                           "Import-Namespace: google.cloud\n",
                           &m, &err),
                     0);
    assert_true(m.import_names_declared);
    assert_int_equal(m.import_names.len, 2);
    assert_string_equal(m.import_names.items[0], "google.cloud.storage");
    assert_string_equal(m.import_names.items[1], "_x_impl");
    assert_int_equal(m.import_namespaces.len, 2);
    assert_string_equal(m.import_namespaces.items[1], "google.cloud");
    assert_int_equal(m.warnings.len, 0);
    da_core_metadata_free(&m);

    /* an empty Import-Name says "nothing importable" */
    assert_int_equal(parse("Metadata-Version: 2.5\nName: x\nVersion: 1\nImport-Name:\n", &m, &err),
                     0);
    assert_true(m.import_names_declared);
    assert_int_equal(m.import_names.len, 0);
    da_core_metadata_free(&m);
}

static void test_versions_and_warnings(void **state)
{
    (void)state;
    da_core_metadata m;
    da_error err;
    /* a newer minor is read with a warning naming the line */
    assert_int_equal(parse("Name: x\nMetadata-Version: 2.7\nVersion: 1\nName: y\n", &m, &err), 0);
    assert_string_equal(m.name, "x");
    assert_int_equal(m.warnings.len, 2);
    assert_non_null(strstr(m.warnings.items[0], "pkg/METADATA:2: Metadata-Version 2.7"));
    assert_non_null(strstr(m.warnings.items[1], "pkg/METADATA:4: Name given more than once"));
    da_core_metadata_free(&m);

    /* nothing at all: three warnings, no error */
    assert_int_equal(parse("", &m, &err), 0);
    assert_int_equal(m.warnings.len, 3);
    da_core_metadata_free(&m);

    /* a newer major is refused */
    assert_int_equal(parse("Name: x\nVersion: 1\nMetadata-Version: 3.0\n", &m, &err), -1);
    assert_string_equal(err.file, "pkg/METADATA");
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "3.0 is not supported"));
    assert_null(m.name); /* nothing is left to free after a failure */

    assert_int_equal(parse("Metadata-Version: two\n", &m, &err), -1);
    assert_int_equal(err.line, 1);
    assert_int_equal(parse("Metadata-Version: 2.\n", &m, &err), -1);
    assert_int_equal(parse("Metadata-Version: 10.1\n", &m, &err), -1);
}

static void test_malformed_lines(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int line;
        const char *message;
    } cases[] = {
        {"Name: x\nthis line has no colon\n", 2, "expected \"Field: value\""},
        {" leading continuation\nName: x\n", 1, "continuation line"},
        {"Name: x\nVersion: 1\nBad Field: y\n", 3, "expected \"Field: value\""},
        {"Name: x\n: empty field name\n", 2, "expected \"Field: value\""},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        da_core_metadata m;
        da_error err;
        assert_int_equal(parse(cases[i].text, &m, &err), -1);
        assert_int_equal(err.line, cases[i].line);
        assert_non_null(strstr(err.message, cases[i].message));
    }
    da_core_metadata m;
    da_error err;
    const char with_nul[] = "Name: x\nVer\0sion: 1\n";
    assert_int_equal(da_core_metadata_parse(with_nul, sizeof(with_nul) - 1, NULL, &m, &err), -1);
    assert_int_equal(err.line, 2);
    assert_string_equal(err.file, "METADATA");
    /* a byte order mark is skipped */
    assert_int_equal(parse("\xEF\xBB\xBFName: bom\nVersion: 1\n", &m, &err), 0);
    assert_string_equal(m.name, "bom");
    da_core_metadata_free(&m);
    /* the text need not be NUL-terminated: only len bytes are read */
    const char *longer = "Name: abcdef";
    assert_int_equal(da_core_metadata_parse(longer, 9, NULL, &m, &err), 0);
    assert_string_equal(m.name, "abc");
    da_core_metadata_free(&m);
}

static char *parse_requires(const char *text, da_error *err)
{
    da_strlist out = {0};
    da_error_clear(err);
    if (da_requires_txt_parse(text, strlen(text), "x.egg-info/requires.txt", &out, err) < 0) {
        da_strlist_free(&out);
        return NULL;
    }
    da_buf b = {0};
    for (size_t i = 0; i < out.len; i++) {
        da_buf_puts(&b, out.items[i]);
        da_buf_putc(&b, '\n');
    }
    da_strlist_free(&out);
    return da_buf_take(&b);
}

static void test_requires_txt_sections(void **state)
{
    (void)state;
    da_error err;
    char *got = parse_requires("# comment\n"
                               "requests>=2.0\n"
                               "\n"
                               "[socks]\n"
                               "PySocks!=1.5.7,>=1.5.6\n"
                               "[:python_version < \"3.8\"]\n"
                               "importlib-metadata\n"
                               "[security:sys_platform == \"win32\" or os_name == \"nt\"]\n"
                               "  pywin32  \n"
                               "[ test ]\n"
                               "pytest; python_version >= \"3.7\"\n"
                               "pkg @ https://example.invalid/pkg.zip\n"
                               "[]\n"
                               "plain\n",
                               &err);
    assert_non_null(got);
    assert_string_equal(got, "requests>=2.0\n"
                             "PySocks!=1.5.7,>=1.5.6; extra == \"socks\"\n"
                             "importlib-metadata; python_version < \"3.8\"\n"
                             "pywin32; (sys_platform == \"win32\" or os_name == \"nt\") and "
                             "extra == \"security\"\n"
                             "pytest; (python_version >= \"3.7\") and extra == \"test\"\n"
                             "pkg @ https://example.invalid/pkg.zip ; extra == \"test\"\n"
                             "plain\n");
    free(got);

    assert_null(parse_requires("a\n[broken\nb\n", &err));
    assert_int_equal(err.line, 2);
    assert_string_equal(err.file, "x.egg-info/requires.txt");
    assert_non_null(strstr(err.message, "']'"));
    assert_null(parse_requires("[x]\n ; python_version < '3'\n", &err));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 2);
    got = parse_requires("", &err);
    assert_string_equal(got, "");
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields_and_body), cmocka_unit_test(test_folding),
        cmocka_unit_test(test_import_names),    cmocka_unit_test(test_versions_and_warnings),
        cmocka_unit_test(test_malformed_lines), cmocka_unit_test(test_requires_txt_sections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
