/* RECORD parsing (CSV quoting), plain file lists, and the modules/namespaces derived from
 * them. The derivation is compared with importlib.metadata over every installed
 * distribution on the machine in tests/oracle/pep_wheel. */
/* cmocka.h needs these first; the blank line keeps clang-format from reordering them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "depaudit/wheel.h"

#include <stdlib.h>
#include <string.h>

static char *joined(const da_strlist *l)
{
    da_buf b = {0};
    for (size_t i = 0; i < l->len; i++) {
        if (i)
            da_buf_putc(&b, ' ');
        da_buf_puts(&b, l->items[i]);
    }
    if (!b.data)
        da_buf_puts(&b, "");
    return da_buf_take(&b);
}

static void test_record_csv_quoting(void **state)
{
    (void)state;
    const char *text = "pkg/__init__.py,sha256=abc,12\r\n"
                       "\"pkg/with,comma.py\",sha256=def,3\r\n"
                       "\"pkg/say \"\"hi\"\".txt\",,\n"
                       "\"pkg/new\nline.txt\",\"sha256=x\",\"4\"\n"
                       "\n"
                       "pkg-1.0.dist-info/RECORD,,\n"
                       "last/without/newline.py,,";
    da_strlist paths = {0};
    da_error err;
    assert_int_equal(da_record_parse(text, strlen(text), "RECORD", &paths, &err), 0);
    assert_int_equal(paths.len, 6);
    assert_string_equal(paths.items[0], "pkg/__init__.py");
    assert_string_equal(paths.items[1], "pkg/with,comma.py");
    assert_string_equal(paths.items[2], "pkg/say \"hi\".txt");
    assert_string_equal(paths.items[3], "pkg/new\nline.txt");
    assert_string_equal(paths.items[4], "pkg-1.0.dist-info/RECORD");
    assert_string_equal(paths.items[5], "last/without/newline.py");
    da_strlist_free(&paths);
}

static void test_record_errors_name_the_line(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int line;
        const char *message;
    } cases[] = {
        {"a.py,,\n\"b.py,,\n", 2, "unterminated quoted path"},
        {"a.py,,\nb.py,,\n\"c\"d.py,,\n", 3, "text after the closing quote"},
        {"a.py,\"sha\n", 1, "unterminated quoted column"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        da_strlist paths = {0};
        da_error err;
        assert_int_equal(
            da_record_parse(cases[i].text, strlen(cases[i].text), "x/RECORD", &paths, &err), -1);
        assert_string_equal(err.file, "x/RECORD");
        assert_int_equal(err.line, cases[i].line);
        assert_non_null(strstr(err.message, cases[i].message));
        da_strlist_free(&paths);
    }
    const char nul[] = "a.py,,\nb\0.py,,\n";
    da_strlist paths = {0};
    da_error err;
    assert_int_equal(da_record_parse(nul, sizeof(nul) - 1, NULL, &paths, &err), -1);
    assert_int_equal(err.line, 2);
    da_strlist_free(&paths);
}

static void test_file_list_relative_to_egg_info(void **state)
{
    (void)state;
    const char *text = "../foo/__init__.py\r\n"
                       "../foo/./sub/../bar.py\n"
                       "\n"
                       "PKG-INFO\n"
                       "../../../../bin/foo-script\n";
    da_strlist paths = {0};
    da_error err;
    assert_int_equal(da_file_list_parse(text, strlen(text), "installed-files.txt",
                                        "foo-1.0.egg-info", &paths, &err),
                     0);
    char *got = joined(&paths);
    assert_string_equal(got, "foo/__init__.py foo/bar.py foo-1.0.egg-info/PKG-INFO "
                             "../../../bin/foo-script");
    free(got);
    da_strlist_free(&paths);
    assert_int_equal(da_file_list_parse(text, strlen(text), NULL, NULL, &paths, &err), 0);
    assert_string_equal(paths.items[0], "../foo/__init__.py");
    da_strlist_free(&paths);
    assert_int_equal(da_file_list_parse("a\nb\0c\n", 6, "names", NULL, &paths, &err), -1);
    assert_int_equal(err.line, 2);
    da_strlist_free(&paths);
}

typedef struct derive_case {
    const char *what;
    const char *files; /* one path per line */
    const char *modules, *namespaces, *full;
} derive_case;

static const derive_case derive_cases[] = {
    {"namespace package: opentelemetry-api",
     "opentelemetry/context/__init__.py\n"
     "opentelemetry/context/context.py\n"
     "opentelemetry/trace/__init__.py\n"
     "opentelemetry/trace/span.py\n"
     "opentelemetry/version.py\n"
     "opentelemetry/py.typed\n"
     "opentelemetry_api-1.21.0.dist-info/METADATA\n"
     "opentelemetry_api-1.21.0.dist-info/RECORD\n",
     "opentelemetry.context opentelemetry.trace opentelemetry.version", "opentelemetry",
     "opentelemetry opentelemetry.context opentelemetry.context.context opentelemetry.trace "
     "opentelemetry.trace.span opentelemetry.version"},
    {"nested namespaces: google-cloud-storage",
     "google/cloud/storage/__init__.py\n"
     "google/cloud/storage/blob.py\n"
     "google/cloud/storage/_helpers.py\n"
     "google_cloud_storage-2.10.0-py3.9-nspkg.pth\n",
     "google.cloud.storage", "google google.cloud",
     "google google.cloud google.cloud.storage google.cloud.storage._helpers "
     "google.cloud.storage.blob"},
    {"plain modules, packages, extension modules and their ABI suffixes",
     "six.py\n"
     "yaml/__init__.py\n"
     "yaml/_yaml.cpython-311-x86_64-linux-gnu.so\n"
     "_cffi_backend.cpython-311-x86_64-linux-gnu.so\n"
     "_rust.abi3.so\n"
     "_old.so\n"
     "_win.cp311-win_amd64.pyd\n"
     "compiled_only.pyc\n"
     "stubs.pyi\n"
     "libfoo.so.1\n"
     "numpy.libs/libopenblas64_p-r0-5007b62f.3.23.dev.so\n"
     "foo.libs/libz.so\n"
     "cython_pkg/__init__.cpython-311-x86_64-linux-gnu.so\n"
     "cython_pkg/core.cpython-311-x86_64-linux-gnu.so\n",
     "_cffi_backend _old _rust _win compiled_only cython_pkg six yaml", "",
     "_cffi_backend _old _rust _win compiled_only cython_pkg cython_pkg.core six yaml "
     "yaml._yaml"},
    {"skipped: metadata dirs, caches, scripts, .pth, data, files outside site-packages",
     "pkg-1.0.dist-info/entry_points.txt\n"
     "pkg-1.0.egg-info/top_level.txt\n"
     "__pycache__/six.cpython-311.pyc\n"
     "pkg/__pycache__/mod.cpython-311.pyc\n"
     "../../../bin/pkg-script\n"
     "/usr/lib/python3/dist-packages/abs.py\n"
     "distutils-precedence.pth\n"
     "pkg/__init__.py\n"
     "pkg-1.0.data/scripts/tool.py\n"
     "pkg-1.0.data/headers/pkg.h\n"
     "pkg-1.0.data/data/share/pkg/x.py\n"
     "not-an-identifier/mod.py\n"
     "has.dot/mod.py\n"
     "__init__.py\n"
     "data_only/readme.txt\n",
     "pkg", "", "pkg"},
    {".data/purelib and .data/platlib map to site-packages",
     "pkg-1.0.data/purelib/pure/__init__.py\n"
     "pkg-1.0.data/platlib/fast.cpython-311-x86_64-linux-gnu.so\n"
     "pkg-1.0.data/platlib/ns/inner/__init__.py\n",
     "fast ns.inner pure", "ns", "fast ns ns.inner pure"},
    {"a namespace inside a package is not a namespace of the distribution",
     "pkg/__init__.py\n"
     "pkg/plugins/a.py\n"
     "pkg/templates/page.html\n",
     "pkg", "", "pkg pkg.plugins pkg.plugins.a"},
    {"module beside a namespace directory, duplicates, ./ and // in paths",
     "./ns/a/__init__.py\n"
     "ns//a/__init__.py\n"
     "ns/b.py\n"
     "ns/deeper/still/c.py\n"
     "top.py\n"
     "top.py\n",
     "ns.a ns.b ns.deeper.still.c top", "ns ns.deeper ns.deeper.still",
     "ns ns.a ns.b ns.deeper ns.deeper.still ns.deeper.still.c top"},
    {"interleaved directories in any order",
     "b/x.py\n"
     "a/y/z.py\n"
     "b/__init__.py\n"
     "a_/m.py\n"
     "a/__init__.py\n"
     "a/y/__init__.py\n"
     "b/x.py\n"
     "a0.py\n",
     "a a0 a_.m b", "a_", "a a.y a.y.z a0 a_ a_.m b b.x"},
    {"nothing importable", "README.md\nLICENSE\n", "", "", ""},
};

static void test_module_derivation(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(derive_cases) / sizeof(derive_cases[0]); i++) {
        const derive_case *c = &derive_cases[i];
        da_strlist paths = {0};
        da_error err;
        assert_int_equal(
            da_file_list_parse(c->files, strlen(c->files), c->what, NULL, &paths, &err), 0);
        da_release r = {0};
        da_modules_from_paths(&paths, &r);
        assert_true(r.modules_known);
        char *mods = joined(&r.modules), *nss = joined(&r.namespaces);
        if (strcmp(mods, c->modules) != 0 || strcmp(nss, c->namespaces) != 0)
            fail_msg("%s:\n modules    %s\n expected   %s\n namespaces %s\n expected   %s", c->what,
                     mods, c->modules, nss, c->namespaces);
        free(mods);
        free(nss);
        da_strlist full = {0};
        da_modules_full_depth(&paths, &full);
        char *all = joined(&full);
        if (strcmp(all, c->full) != 0)
            fail_msg("%s: full depth\n got      %s\n expected %s", c->what, all, c->full);
        free(all);
        da_strlist_free(&full);
        da_strlist_free(&r.modules);
        da_strlist_free(&r.namespaces);
        da_strlist_free(&paths);
    }
}

static void test_existing_entries_kept_and_pth(void **state)
{
    (void)state;
    da_strlist paths = {0};
    const char *files = "b.py\na.py\nzz.pth\nsub/x.pth\npkg-1.0.data/purelib/p.pth\n";
    da_error err;
    assert_int_equal(da_file_list_parse(files, strlen(files), NULL, NULL, &paths, &err), 0);
    da_release r = {0};
    da_strlist_push(&r.modules, "b");
    da_strlist_push(&r.modules, "c");
    da_modules_from_paths(&paths, &r);
    char *mods = joined(&r.modules);
    assert_string_equal(mods, "b c a");
    free(mods);
    da_strlist pth = {0};
    da_pth_files_from_paths(&paths, &pth);
    char *p = joined(&pth);
    assert_string_equal(p, "p.pth zz.pth");
    free(p);
    da_strlist_free(&pth);
    da_strlist_free(&r.modules);
    da_strlist_free(&r.namespaces);
    da_strlist_free(&paths);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_csv_quoting),
        cmocka_unit_test(test_record_errors_name_the_line),
        cmocka_unit_test(test_file_list_relative_to_egg_info),
        cmocka_unit_test(test_module_derivation),
        cmocka_unit_test(test_existing_entries_kept_and_pth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
