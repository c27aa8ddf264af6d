/* Scanning directory trees (skip rules, symlinks, excludes, first-party discovery,
 * deterministic order with any thread count), the standard-library table's transitions
 * between Python versions, and the JSON shape. Trees are built in a fresh temporary
 * directory per test. */
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "depaudit/imports.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char tmp_root[256];

static void write_file(const char *rel, const char *content)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", tmp_root, rel);
    /* make parent directories */
    for (char *p = path + strlen(tmp_root) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(path, 0755) != 0 && errno != EEXIST)
                fail_msg("mkdir %s: %s", path, strerror(errno));
            *p = '/';
        }
    }
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
}

static void make_symlink(const char *target, const char *rel)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", tmp_root, rel);
    assert_int_equal(symlink(target, path), 0);
}

static int setup_tree(void **state)
{
    (void)state;
    snprintf(tmp_root, sizeof(tmp_root), "/tmp/depaudit-test-scan-XXXXXX");
    if (!mkdtemp(tmp_root))
        return -1;
    return 0;
}

static int remove_tree(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_root);
    return system(cmd) == 0 ? 0 : -1;
}

static const da_import *find(const da_import_set *s, const char *module)
{
    for (size_t i = 0; i < s->len; i++)
        if (strcmp(s->items[i].module, module) == 0)
            return &s->items[i];
    return NULL;
}

static da_import_set scan_with(const char *root, int threads, int minor, const char *exclude)
{
    da_import_options o;
    da_import_options_init(&o);
    o.threads = threads;
    o.py_minor = minor;
    if (exclude)
        da_strlist_push(&o.excludes, exclude);
    da_import_set s = {0};
    da_error err;
    const char *roots[] = {root};
    int rc = da_imports_scan(roots, 1, &o, &s, &err);
    da_import_options_free(&o);
    if (rc != 0)
        fail_msg("scan failed: %s", err.message);
    return s;
}

static void test_walk_skips_and_classifies(void **state)
{
    (void)state;
    write_file("app/__init__.py", "");
    write_file("app/main.py", "import os\nimport requests\nfrom app import models\n"
                              "from . import views\nimport helpers\nimport nspkg.sub\n"
                              "import src\nimport tomllib\n");
    write_file("helpers.py", "");
    write_file("nspkg/sub/mod.py", "import yaml\n"); /* namespace package: no __init__ */
    write_file("src/lib_in_src/__init__.py", "import attr\n");
    write_file(".git/hooks/x.py", "import from_git\n");
    write_file("venv/pyvenv.cfg", "home = /usr\n");
    write_file("venv/lib/site.py", "import from_venv\n");
    write_file("node_modules/pkg/x.py", "import from_node\n");
    write_file("__pycache__/x.py", "import from_cache\n");
    write_file("migrations/0001.py", "import from_migrations\n");
    write_file("notebooks/explore.ipynb",
               "{\"cells\":[{\"cell_type\":\"code\",\"source\":\"import seaborn\"}]}");
    write_file("README.txt", "import not_python\n");

    da_import_set s = scan_with(tmp_root, 2, 11, "migrations");
    assert_int_equal(s.nerrors, 0);
    assert_int_equal(s.files, 6);
    assert_null(find(&s, "from_git"));
    assert_null(find(&s, "from_venv"));
    assert_null(find(&s, "from_node"));
    assert_null(find(&s, "from_cache"));
    assert_null(find(&s, "from_migrations"));
    assert_null(find(&s, "not_python"));
    assert_int_equal(find(&s, "os")->klass, DA_CLASS_STDLIB);
    assert_int_equal(find(&s, "requests")->klass, DA_CLASS_THIRD_PARTY);
    assert_int_equal(find(&s, "app")->klass, DA_CLASS_FIRST_PARTY);
    assert_int_equal(find(&s, "")->klass, DA_CLASS_RELATIVE);
    assert_int_equal(find(&s, "helpers")->klass, DA_CLASS_FIRST_PARTY);
    assert_int_equal(find(&s, "nspkg.sub")->klass, DA_CLASS_FIRST_PARTY);
    assert_int_equal(find(&s, "src")->klass, DA_CLASS_FIRST_PARTY);
    assert_int_equal(find(&s, "tomllib")->klass, DA_CLASS_STDLIB);
    assert_int_equal(find(&s, "seaborn")->klass, DA_CLASS_THIRD_PARTY);
    assert_string_equal(find(&s, "os")->file, "app/main.py");
    assert_string_equal(find(&s, "os")->root, tmp_root);
    assert_true(da_strlist_contains(&s.first_party, "lib_in_src"));
    assert_true(da_strlist_contains(&s.first_party, "nspkg"));
    assert_false(da_strlist_contains(&s.first_party, "notebooks")); /* no .py under it */
    /* The same tree for Python 3.10: tomllib is not there yet. */
    da_imports_classify(&s, 3, 10, NULL);
    assert_int_equal(find(&s, "tomllib")->klass, DA_CLASS_THIRD_PARTY);
    /* ...and a name the image makes importable can be declared first-party. */
    da_strlist extra = {0};
    da_strlist_push(&extra, "requests");
    da_imports_classify(&s, 3, 10, &extra);
    assert_int_equal(find(&s, "requests")->klass, DA_CLASS_FIRST_PARTY);
    da_strlist_free(&extra);
    da_import_set_free(&s);

    /* The root itself is first-party when it is a package (imported by its name). */
    char pkg_root[512];
    snprintf(pkg_root, sizeof(pkg_root), "%s/app", tmp_root);
    s = scan_with(pkg_root, 1, 12, NULL);
    assert_true(da_strlist_contains(&s.first_party, "app"));
    assert_int_equal(find(&s, "app")->klass, DA_CLASS_FIRST_PARTY);
    assert_string_equal(find(&s, "os")->file, "main.py");
    da_import_set_free(&s);
}

static void test_symlink_loops_and_duplicates(void **state)
{
    (void)state;
    write_file("pkg/a.py", "import a_dep\n");
    make_symlink("..", "pkg/loop");           /* pkg/loop -> tmp_root: a cycle */
    make_symlink("a.py", "pkg/same_as_a.py"); /* the same file twice */
    make_symlink("missing.py", "pkg/dangling.py");
    da_import_set s = scan_with(tmp_root, 2, 12, NULL);
    assert_int_equal(s.files, 1);
    assert_int_equal(s.len, 1);
    assert_string_equal(s.items[0].file, "pkg/a.py");
    assert_int_equal(s.nerrors, 1); /* the dangling link names a source file */
    assert_string_equal(s.errors[0].file, "pkg/dangling.py");
    da_import_set_free(&s);
}

static void test_unreadable_root_fails(void **state)
{
    (void)state;
    da_import_set s = {0};
    da_error err;
    const char *roots[] = {"/nonexistent/depaudit/root"};
    assert_int_equal(da_imports_scan(roots, 1, NULL, &s, &err), -1);
    assert_string_equal(err.file, "/nonexistent/depaudit/root");
    assert_non_null(strstr(err.message, "No such file"));
    da_import_set_free(&s);
}

static void test_order_is_deterministic_across_threads(void **state)
{
    (void)state;
    char name[64], body[256];
    for (int i = 0; i < 60; i++) {
        snprintf(name, sizeof(name), "d%d/m%02d.py", i % 7, i);
        snprintf(body, sizeof(body),
                 "import x%d\ntry:\n    import y%d\nexcept ImportError:\n    import z%d\n", i, i,
                 i);
        write_file(name, body);
    }
    da_import_set one = scan_with(tmp_root, 1, 12, NULL);
    char *json_one = da_imports_to_json(&one);
    for (int threads = 2; threads <= 4; threads++) {
        da_import_set many = scan_with(tmp_root, threads, 12, NULL);
        char *json_many = da_imports_to_json(&many);
        assert_string_equal(json_one, json_many);
        free(json_many);
        da_import_set_free(&many);
    }
    assert_int_equal(one.len, 180);
    /* sorted by path, alternative groups unique across files */
    for (size_t i = 1; i < one.len; i++)
        assert_true(strcmp(one.items[i - 1].file, one.items[i].file) <= 0);
    assert_int_not_equal(one.items[1].alternative_group, one.items[4].alternative_group);
    assert_int_equal(one.items[1].alternative_group, one.items[2].alternative_group);
    free(json_one);
    da_import_set_free(&one);
}

static void test_stdlib_transitions(void **state)
{
    (void)state;
    assert_false(da_stdlib_contains(3, 10, "tomllib"));
    assert_true(da_stdlib_contains(3, 11, "tomllib"));
    assert_true(da_stdlib_contains(3, 14, "tomllib"));
    const char *gone_in_312[] = {"distutils", "imp", "asynchat", "asyncore", "smtpd"};
    for (size_t i = 0; i < sizeof(gone_in_312) / sizeof(gone_in_312[0]); i++) {
        assert_true(da_stdlib_contains(3, 11, gone_in_312[i]));
        assert_false(da_stdlib_contains(3, 12, gone_in_312[i]));
    }
    const char *gone_in_313[] = {"cgi",    "cgitb",   "crypt",       "telnetlib", "nntplib",
                                 "pipes",  "audioop", "chunk",       "imghdr",    "mailcap",
                                 "msilib", "nis",     "ossaudiodev", "sndhdr",    "spwd",
                                 "sunau",  "uu",      "xdrlib",      "lib2to3"};
    for (size_t i = 0; i < sizeof(gone_in_313) / sizeof(gone_in_313[0]); i++) {
        assert_true(da_stdlib_contains(3, 12, gone_in_313[i]));
        assert_false(da_stdlib_contains(3, 13, gone_in_313[i]));
    }
    assert_true(da_stdlib_contains(3, 8, "_thread"));
    assert_true(da_stdlib_contains(3, 14, "_thread"));
    assert_true(da_stdlib_contains(3, 12, "os.path"));
    assert_true(da_stdlib_contains(3, 12, "xml.etree.ElementTree"));
    assert_false(da_stdlib_contains(3, 10, "asyncio.taskgroups"));
    assert_true(da_stdlib_contains(3, 11, "asyncio.taskgroups"));
    assert_false(da_stdlib_contains(3, 8, "zoneinfo"));
    assert_true(da_stdlib_contains(3, 9, "zoneinfo"));
    assert_true(da_stdlib_contains(3, 14, "annotationlib"));
    assert_false(da_stdlib_contains(3, 13, "annotationlib"));
    /* not standard library although typeshed ships stubs for them */
    assert_false(da_stdlib_contains(3, 12, "typing_extensions"));
    assert_false(da_stdlib_contains(3, 12, "_typeshed"));
    assert_false(da_stdlib_contains(3, 12, "requests"));
    assert_false(da_stdlib_contains(3, 12, "osx")); /* a prefix of "os..." is not "os" */
    assert_false(da_stdlib_contains(3, 12, ""));
    /* outside 3.8-3.14 the nearest covered version answers */
    assert_true(da_stdlib_contains(3, 20, "tomllib"));
    assert_true(da_stdlib_contains(3, 6, "distutils"));
}

static void test_stdlib_agrees_with_running_python(void **state)
{
    (void)state;
    /* Every name this machine's python3.11 calls standard library must be in the table
     * for 3.11 (the generator cross-checks the same; this keeps the committed table
     * honest). */
    FILE *p = popen("/usr/bin/python3 -c \"import sys; "
                    "print(sys.version_info.minor); "
                    "print('\\n'.join(sorted(sys.stdlib_module_names)))\"",
                    "r");
    assert_non_null(p);
    char line[256];
    int minor = -1;
    size_t checked = 0;
    while (fgets(line, sizeof(line), p)) {
        line[strcspn(line, "\n")] = '\0';
        if (minor < 0) {
            minor = atoi(line);
            continue;
        }
        if (!da_stdlib_contains(3, minor, line))
            fail_msg("%s missing from the 3.%d table", line, minor);
        checked++;
    }
    assert_int_equal(pclose(p), 0);
    assert_true(checked > 250);
}

static void test_json_shape(void **state)
{
    (void)state;
    write_file("m.py", "import sys\nif sys.version_info < (3, 11):\n    import tomli\n"
                       "def f(:\n");
    da_import_set s = scan_with(tmp_root, 1, 12, NULL);
    char *text = da_imports_to_json(&s);
    cJSON *doc = cJSON_Parse(text);
    assert_non_null(doc);
    assert_int_equal(cJSON_GetObjectItem(doc, "files")->valueint, 1);
    cJSON *errors = cJSON_GetObjectItem(doc, "errors");
    assert_int_equal(cJSON_GetArraySize(errors), 1);
    cJSON *e = cJSON_GetArrayItem(errors, 0);
    assert_string_equal(cJSON_GetObjectItem(e, "file")->valuestring, "m.py");
    assert_int_equal(cJSON_GetObjectItem(e, "line")->valueint, 4);
    assert_true(cJSON_IsString(cJSON_GetObjectItem(e, "message")));
    cJSON *imports = cJSON_GetObjectItem(doc, "imports");
    assert_int_equal(cJSON_GetArraySize(imports), 2);
    cJSON *r = cJSON_GetArrayItem(imports, 1);
    assert_string_equal(cJSON_GetObjectItem(r, "file")->valuestring, "m.py");
    assert_int_equal(cJSON_GetObjectItem(r, "line")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(r, "col")->valueint, 5);
    assert_string_equal(cJSON_GetObjectItem(r, "module")->valuestring, "tomli");
    assert_int_equal(cJSON_GetObjectItem(r, "level")->valueint, 0);
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(r, "names")));
    assert_string_equal(cJSON_GetObjectItem(r, "kind")->valuestring, "import");
    assert_string_equal(cJSON_GetObjectItem(r, "scope")->valuestring, "module");
    assert_string_equal(cJSON_GetObjectItem(r, "guard")->valuestring, "version");
    assert_string_equal(cJSON_GetObjectItem(r, "condition")->valuestring,
                        "sys.version_info < (3, 11)");
    assert_string_equal(cJSON_GetObjectItem(r, "class")->valuestring, "third-party");
    r = cJSON_GetArrayItem(imports, 0);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(r, "condition")));
    assert_string_equal(cJSON_GetObjectItem(r, "class")->valuestring, "stdlib");
    cJSON_Delete(doc);
    free(text);
    da_import_set_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_walk_skips_and_classifies, setup_tree, remove_tree),
        cmocka_unit_test_setup_teardown(test_symlink_loops_and_duplicates, setup_tree, remove_tree),
        cmocka_unit_test(test_unreadable_root_fails),
        cmocka_unit_test_setup_teardown(test_order_is_deterministic_across_threads, setup_tree,
                                        remove_tree),
        cmocka_unit_test(test_stdlib_transitions),
        cmocka_unit_test(test_stdlib_agrees_with_running_python),
        cmocka_unit_test_setup_teardown(test_json_shape, setup_tree, remove_tree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
