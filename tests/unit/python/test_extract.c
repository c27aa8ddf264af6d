/* Import records from single buffers: statement forms, dynamic imports, scope, guards,
 * conditions, alternative groups, ignore comments, encodings and broken input. The
 * positions of plain statements are also held to CPython by the oracle tests; these tests
 * pin down what ast cannot say (guards, scope, kind, names, dynamic imports). */
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "depaudit/imports.h"

#include <stdlib.h>
#include <string.h>

static da_import_set extract(const char *path, const char *src, size_t len)
{
    da_import_set s = {0};
    da_imports_extract_buffer(path, src, len, &s);
    return s;
}

static da_import_set extract_str(const char *src)
{
    return extract("t.py", src, strlen(src));
}

/* The n-th (0-based) record for module, or fails the test. */
static const da_import *find_nth(const da_import_set *s, const char *module, int n)
{
    for (size_t i = 0; i < s->len; i++)
        if (strcmp(s->items[i].module, module) == 0 && n-- == 0)
            return &s->items[i];
    fail_msg("no record for module '%s'", module);
    return NULL;
}

static const da_import *find(const da_import_set *s, const char *module)
{
    return find_nth(s, module, 0);
}

static bool has(const da_import_set *s, const char *module)
{
    for (size_t i = 0; i < s->len; i++)
        if (strcmp(s->items[i].module, module) == 0)
            return true;
    return false;
}

static void test_statement_forms(void **state)
{
    (void)state;
    da_import_set s = extract_str("import a.b.c\n"
                                  "import a.b as x, d\n"
                                  "from e.f import g, h\n"
                                  "from i import (j as k)\n"
                                  "from . import l\n"
                                  "from ..pkg.mod import m\n"
                                  "from __future__ import annotations\n"
                                  "from n import *\n");
    assert_int_equal(s.len, 9);
    const da_import *r = find(&s, "a.b.c");
    assert_int_equal(r->kind, DA_IMPORT_KIND_IMPORT);
    assert_int_equal(r->line, 1);
    assert_int_equal(r->col, 1);
    assert_int_equal(r->level, 0);
    assert_int_equal(r->names.len, 0);
    r = find(&s, "a.b");
    assert_int_equal(r->line, 2);
    r = find(&s, "d");
    assert_int_equal(r->line, 2);
    assert_int_equal(r->kind, DA_IMPORT_KIND_IMPORT);
    r = find(&s, "e.f");
    assert_int_equal(r->kind, DA_IMPORT_KIND_FROM);
    assert_int_equal(r->names.len, 2);
    assert_string_equal(r->names.items[0], "g");
    assert_string_equal(r->names.items[1], "h");
    r = find(&s, "i");
    assert_int_equal(r->names.len, 1);
    assert_string_equal(r->names.items[0], "j"); /* the imported name, not the alias */
    r = find_nth(&s, "", 0);
    assert_int_equal(r->level, 1);
    assert_string_equal(r->names.items[0], "l");
    assert_int_equal(r->klass, DA_CLASS_RELATIVE);
    r = find(&s, "pkg.mod");
    assert_int_equal(r->level, 2);
    assert_int_equal(r->klass, DA_CLASS_RELATIVE);
    r = find(&s, "__future__");
    assert_int_equal(r->kind, DA_IMPORT_KIND_FUTURE);
    assert_int_equal(r->klass, DA_CLASS_FUTURE);
    assert_string_equal(r->names.items[0], "annotations");
    r = find(&s, "n");
    assert_string_equal(r->names.items[0], "*");
    assert_int_equal(s.nerrors, 0);
    da_import_set_free(&s);
}

static void test_dynamic_imports(void **state)
{
    (void)state;
    da_import_set s = extract_str("import importlib\n"
                                  "m = importlib.import_module('x.y')\n"
                                  "from importlib import import_module\n"
                                  "def f():\n"
                                  "    return import_module('.sub', package=__name__)\n"
                                  "__import__(\"z\")\n"
                                  "importlib.import_module(name)\n"
                                  "__import__(f'{a}')\n"
                                  "importlib.import_module('a' 'b')\n");
    const da_import *r = find(&s, "x.y");
    assert_int_equal(r->kind, DA_IMPORT_KIND_DYNAMIC);
    assert_int_equal(r->line, 2);
    assert_int_equal(r->col, 5);
    r = find(&s, "sub");
    assert_int_equal(r->kind, DA_IMPORT_KIND_DYNAMIC);
    assert_int_equal(r->level, 1);
    assert_int_equal(r->scope, DA_SCOPE_FUNCTION);
    r = find(&s, "z");
    assert_int_equal(r->kind, DA_IMPORT_KIND_DYNAMIC);
    /* name, an f-string and an implicit concatenation have no literal value here. */
    assert_int_equal(s.dynamic_unresolved, 3);
    assert_int_equal(s.len, 5); /* importlib, x.y, importlib (from), sub, z */
    da_import_set_free(&s);
}

static void test_bare_import_module_needs_importlib(void **state)
{
    (void)state;
    /* import_module from elsewhere is not importlib's: no record, counted unresolved. */
    da_import_set s = extract_str("from mylib import import_module\nimport_module('x')\n");
    assert_false(has(&s, "x"));
    assert_int_equal(s.dynamic_unresolved, 1);
    da_import_set_free(&s);
}

static void test_scopes(void **state)
{
    (void)state;
    da_import_set s = extract_str("import top\n"
                                  "class C:\n"
                                  "    import in_class\n"
                                  "    def m(self):\n"
                                  "        import in_method\n"
                                  "def f(x=__import__('default_arg')):\n"
                                  "    class Inner:\n"
                                  "        import class_in_function\n"
                                  "async def g():\n"
                                  "    import in_async\n"
                                  "h = lambda: __import__('in_lambda')\n"
                                  "@decorator\n"
                                  "def d():\n"
                                  "    import in_decorated\n");
    assert_int_equal(find(&s, "top")->scope, DA_SCOPE_MODULE);
    assert_int_equal(find(&s, "in_class")->scope, DA_SCOPE_CLASS);
    assert_int_equal(find(&s, "in_method")->scope, DA_SCOPE_FUNCTION);
    assert_int_equal(find(&s, "default_arg")->scope, DA_SCOPE_MODULE);
    assert_int_equal(find(&s, "class_in_function")->scope, DA_SCOPE_FUNCTION);
    assert_int_equal(find(&s, "in_async")->scope, DA_SCOPE_FUNCTION);
    assert_int_equal(find(&s, "in_lambda")->scope, DA_SCOPE_FUNCTION);
    assert_int_equal(find(&s, "in_decorated")->scope, DA_SCOPE_FUNCTION);
    da_import_set_free(&s);
}

static void test_import_error_guards(void **state)
{
    (void)state;
    da_import_set s = extract_str("try:\n"
                                  "    import ujson as json\n"
                                  "except ImportError:\n"
                                  "    import json\n"
                                  "try:\n"
                                  "    import a\n"
                                  "except (ValueError, ModuleNotFoundError) as e:\n"
                                  "    pass\n"
                                  "try:\n"
                                  "    import b\n"
                                  "except Exception:\n"
                                  "    pass\n"
                                  "try:\n"
                                  "    import c\n"
                                  "except BaseException:\n"
                                  "    pass\n"
                                  "try:\n"
                                  "    import d\n"
                                  "except:\n"
                                  "    pass\n"
                                  "try:\n"
                                  "    import e\n"
                                  "except KeyError:\n"
                                  "    import f\n"
                                  "else:\n"
                                  "    import g\n"
                                  "finally:\n"
                                  "    import h\n"
                                  "try:\n"
                                  "    import i\n"
                                  "except* ImportError:\n"
                                  "    import j\n");
    const da_import *primary = find(&s, "ujson");
    const da_import *fallback = find(&s, "json");
    assert_int_equal(primary->guard, DA_GUARD_IMPORT_ERROR);
    assert_int_equal(fallback->guard, DA_GUARD_IMPORT_ERROR);
    assert_true(primary->alternative_group > 0);
    assert_int_equal(primary->alternative_group, fallback->alternative_group);
    assert_false(primary->in_except);
    assert_true(fallback->in_except);
    const char *caught[] = {"a", "b", "c", "d", "i", "j"};
    for (size_t k = 0; k < sizeof(caught) / sizeof(caught[0]); k++)
        assert_int_equal(find(&s, caught[k])->guard, DA_GUARD_IMPORT_ERROR);
    assert_int_not_equal(find(&s, "a")->alternative_group, primary->alternative_group);
    assert_true(find(&s, "j")->in_except);
    const char *unguarded[] = {"e", "f", "g", "h"};
    for (size_t k = 0; k < sizeof(unguarded) / sizeof(unguarded[0]); k++) {
        assert_int_equal(find(&s, unguarded[k])->guard, DA_GUARD_NONE);
        assert_int_equal(find(&s, unguarded[k])->alternative_group, 0);
    }
    da_import_set_free(&s);
}

static void test_type_checking_guards(void **state)
{
    (void)state;
    da_import_set s = extract_str("from typing import TYPE_CHECKING\n"
                                  "import typing\n"
                                  "if TYPE_CHECKING:\n"
                                  "    import only_for_types\n"
                                  "else:\n"
                                  "    import at_runtime\n"
                                  "if typing.TYPE_CHECKING:\n"
                                  "    from stubs import X\n"
                                  "    try:\n"
                                  "        import nested_try\n"
                                  "    except ImportError:\n"
                                  "        pass\n"
                                  "if not TYPE_CHECKING:\n"
                                  "    import runtime_again\n"
                                  "else:\n"
                                  "    import types_again\n");
    assert_int_equal(find(&s, "only_for_types")->guard, DA_GUARD_TYPE_CHECKING);
    assert_int_equal(find(&s, "at_runtime")->guard, DA_GUARD_NONE);
    assert_int_equal(find(&s, "stubs")->guard, DA_GUARD_TYPE_CHECKING);
    assert_int_equal(find(&s, "nested_try")->guard, DA_GUARD_TYPE_CHECKING);
    assert_int_equal(find(&s, "runtime_again")->guard, DA_GUARD_NONE);
    assert_int_equal(find(&s, "types_again")->guard, DA_GUARD_TYPE_CHECKING);
    assert_null(find(&s, "only_for_types")->condition);
    da_import_set_free(&s);
}

static void test_version_platform_main_guards(void **state)
{
    (void)state;
    da_import_set s = extract_str("import sys, os, platform\n"
                                  "if sys.version_info >= (3, 11):\n"
                                  "    import tomllib\n"
                                  "else:\n"
                                  "    import tomli as tomllib\n"
                                  "if sys.platform == 'win32':\n"
                                  "    import winreg\n"
                                  "elif os.name == 'posix':\n"
                                  "    import fcntl\n"
                                  "if platform.system() == 'Darwin':\n"
                                  "    import appkit\n"
                                  "if x:\n"
                                  "    import plain_if\n"
                                  "elif sys.version_info[:2] < (3,\n"
                                  "        9):\n"
                                  "    import backport\n"
                                  "if __name__ == '__main__':\n"
                                  "    import cli_only\n"
                                  "else:\n"
                                  "    import not_main\n");
    const da_import *r = find(&s, "tomllib");
    assert_int_equal(r->guard, DA_GUARD_VERSION);
    assert_string_equal(r->condition, "sys.version_info >= (3, 11)");
    r = find(&s, "tomli");
    assert_int_equal(r->guard, DA_GUARD_VERSION);
    assert_string_equal(r->condition, "not (sys.version_info >= (3, 11))");
    r = find(&s, "winreg");
    assert_int_equal(r->guard, DA_GUARD_PLATFORM);
    assert_string_equal(r->condition, "sys.platform == 'win32'");
    r = find(&s, "fcntl");
    assert_int_equal(r->guard, DA_GUARD_PLATFORM);
    assert_string_equal(r->condition, "not (sys.platform == 'win32') and (os.name == 'posix')");
    r = find(&s, "appkit");
    assert_int_equal(r->guard, DA_GUARD_PLATFORM);
    assert_string_equal(r->condition, "platform.system() == 'Darwin'");
    r = find(&s, "plain_if");
    assert_int_equal(r->guard, DA_GUARD_NONE);
    assert_null(r->condition);
    r = find(&s, "backport"); /* condition spread over two lines reads as one */
    assert_int_equal(r->guard, DA_GUARD_VERSION);
    assert_string_equal(r->condition, "not (x) and (sys.version_info[:2] < (3, 9))");
    r = find(&s, "cli_only");
    assert_int_equal(r->guard, DA_GUARD_MAIN);
    assert_null(r->condition);
    assert_int_equal(find(&s, "not_main")->guard, DA_GUARD_NONE);
    da_import_set_free(&s);
}

static void test_guards_nest_innermost(void **state)
{
    (void)state;
    da_import_set s = extract_str("try:\n"
                                  "    if sys.version_info < (3, 8):\n"
                                  "        import importlib_metadata\n"
                                  "    import yaml\n"
                                  "except ImportError:\n"
                                  "    yaml = None\n"
                                  "if sys.platform == 'linux':\n"
                                  "    try:\n"
                                  "        import pyinotify\n"
                                  "    except ImportError:\n"
                                  "        pass\n");
    assert_int_equal(find(&s, "importlib_metadata")->guard, DA_GUARD_VERSION);
    /* still part of the try's group: the audit can see both facts */
    assert_int_not_equal(find(&s, "importlib_metadata")->alternative_group, 0);
    assert_int_equal(find(&s, "yaml")->guard, DA_GUARD_IMPORT_ERROR);
    assert_int_equal(find(&s, "pyinotify")->guard, DA_GUARD_IMPORT_ERROR);
    da_import_set_free(&s);
}

static void test_ignore_comments(void **state)
{
    (void)state;
    da_import_set s = extract_str("import a  # depaudit: ignore\n"
                                  "import b  # depaudit: ignore[DA001, DA003]\n"
                                  "import c  # something else\n"
                                  "x = '# depaudit: ignore'; import d\n"
                                  "from e import (f,  # depaudit: ignore[DA002]\n"
                                  "    g)\n");
    const da_import *r = find(&s, "a");
    assert_true(r->ignored);
    assert_int_equal(r->ignore_codes.len, 0);
    r = find(&s, "b");
    assert_true(r->ignored);
    assert_int_equal(r->ignore_codes.len, 2);
    assert_string_equal(r->ignore_codes.items[0], "DA001");
    assert_string_equal(r->ignore_codes.items[1], "DA003");
    assert_false(find(&s, "c")->ignored);
    assert_false(find(&s, "d")->ignored); /* the marker is in a string, not a comment */
    r = find(&s, "e");
    assert_true(r->ignored);
    assert_string_equal(r->ignore_codes.items[0], "DA002");
    da_import_set_free(&s);
}

static void test_broken_file_recovers_and_warns(void **state)
{
    (void)state;
    da_import_set s = extract_str("import good1\n"
                                  "def broken(:\n"
                                  "    pass\n"
                                  "import good2\n");
    assert_true(has(&s, "good1"));
    assert_true(has(&s, "good2"));
    assert_int_equal(s.nerrors, 1);
    assert_string_equal(s.errors[0].file, "t.py");
    assert_int_equal(s.errors[0].line, 2);
    assert_non_null(strstr(s.errors[0].message, "syntax error"));
    da_import_set_free(&s);
}

static void test_encodings(void **state)
{
    (void)state;
    /* BOM: column counts from after it, as in CPython. */
    const char bom[] = "\xef\xbb\xbfimport a\n";
    da_import_set s = extract("bom.py", bom, sizeof(bom) - 1);
    assert_int_equal(find(&s, "a")->col, 1);
    assert_int_equal(s.nerrors, 0);
    da_import_set_free(&s);

    /* latin-1: the é (one byte) becomes two UTF-8 bytes, so `import b` moves right. */
    const char latin1[] = "# -*- coding: latin-1 -*-\nx = '\xe9'; import b\n";
    s = extract("l1.py", latin1, sizeof(latin1) - 1);
    assert_int_equal(find(&s, "b")->line, 2);
    assert_int_equal(find(&s, "b")->col, 11);
    assert_int_equal(s.nerrors, 0);
    da_import_set_free(&s);

    /* Undecodable UTF-8: the imports are still read, and a warning says why CPython
     * would refuse the file. */
    const char bad[] = "import c\ns = '\xff\xfe'\nimport d\n";
    s = extract("bad.py", bad, sizeof(bad) - 1);
    assert_true(has(&s, "c"));
    assert_true(has(&s, "d"));
    assert_int_equal(s.nerrors, 1);
    assert_int_equal(s.errors[0].line, 2);
    assert_non_null(strstr(s.errors[0].message, "UTF-8"));
    da_import_set_free(&s);

    /* An unknown codec: CPython cannot read the file at all, nor can we. */
    const char unknown[] = "# coding: no-such-codec\nimport e\n";
    s = extract("u.py", unknown, sizeof(unknown) - 1);
    assert_int_equal(s.len, 0);
    assert_int_equal(s.nerrors, 1);
    assert_int_equal(s.errors[0].line, 1);
    da_import_set_free(&s);

    /* A declaration that contradicts a BOM is an error for CPython too. */
    const char bom_latin[] = "\xef\xbb\xbf# coding: latin-1\nimport f\n";
    s = extract("bl.py", bom_latin, sizeof(bom_latin) - 1);
    assert_int_equal(s.nerrors, 1);
    da_import_set_free(&s);
}

static void test_line_endings(void **state)
{
    (void)state;
    const char src[] = "import a\r\nimport b\rimport c\n\x0cimport d\r\n";
    da_import_set s = extract("le.py", src, sizeof(src) - 1);
    assert_int_equal(find(&s, "a")->line, 1);
    assert_int_equal(find(&s, "b")->line, 2);
    assert_int_equal(find(&s, "c")->line, 3);
    assert_int_equal(find(&s, "d")->line, 4);
    assert_int_equal(s.nerrors, 0);
    da_import_set_free(&s);
}

static void test_empty_and_binary(void **state)
{
    (void)state;
    da_import_set s = extract("empty.py", "", 0);
    assert_int_equal(s.len, 0);
    assert_int_equal(s.nerrors, 0);
    assert_int_equal(s.files, 1);
    da_import_set_free(&s);

    s = extract("null.py", NULL, 0);
    assert_int_equal(s.len, 0);
    da_import_set_free(&s);

    char bin[4096];
    for (size_t i = 0; i < sizeof(bin); i++)
        bin[i] = (char)(i * 7919 % 251);
    s = extract("bin.py", bin, sizeof(bin));
    assert_int_equal(s.len, 0);
    assert_int_equal(s.nerrors, 1); /* a NUL byte: CPython would refuse it */
    da_import_set_free(&s);

    /* Binary without NUL bytes goes to the parser, which must cope. */
    for (size_t i = 0; i < sizeof(bin); i++)
        bin[i] = (char)(1 + i * 7919 % 250);
    s = extract("bin2.py", bin, sizeof(bin));
    assert_true(s.nerrors >= 1);
    da_import_set_free(&s);
}

static void test_ten_megabytes(void **state)
{
    (void)state;
    static const char block[] = "import os\n"
                                "def f():\n"
                                "    from json import dumps\n"
                                "    return dumps(os.environ)\n";
    size_t blocks = 10 * 1024 * 1024 / (sizeof(block) - 1) + 1;
    size_t len = blocks * (sizeof(block) - 1);
    char *src = malloc(len);
    assert_non_null(src);
    for (size_t i = 0; i < blocks; i++)
        memcpy(src + i * (sizeof(block) - 1), block, sizeof(block) - 1);
    da_import_set s = extract("big.py", src, len);
    free(src);
    assert_int_equal(s.len, 2 * blocks);
    assert_int_equal(s.nerrors, 0);
    const da_import *last = &s.items[s.len - 1];
    assert_string_equal(last->module, "json");
    assert_int_equal(last->line, (int)(4 * blocks - 1));
    assert_int_equal(last->scope, DA_SCOPE_FUNCTION);
    da_import_set_free(&s);
}

static void test_deep_nesting_does_not_overflow(void **state)
{
    (void)state;
    /* Recursion anywhere in the walk would overflow on this. */
    size_t depth = 100000;
    char *src = malloc(2 * depth + 32);
    size_t n = 0;
    for (size_t i = 0; i < depth; i++)
        src[n++] = '(';
    for (size_t i = 0; i < depth; i++)
        src[n++] = ')';
    memcpy(src + n, "\nimport after\n", 14);
    n += 14;
    da_import_set s = extract("deep.py", src, n);
    free(src);
    assert_true(has(&s, "after"));
    da_import_set_free(&s);
}

static void test_notebook_cells(void **state)
{
    (void)state;
    const char nb[] =
        "{\"cells\": ["
        "{\"cell_type\": \"markdown\", \"source\": [\"import not_code\\n\"]},"
        "{\"cell_type\": \"code\", \"source\": [\"!pip install pandas\\n\", \"import pandas as "
        "pd\\n\", \"%matplotlib inline\\n\", \"if x:\\n\", \"    %time y()\\n\", \"    import "
        "inner\\n\"]},"
        "{\"cell_type\": \"code\", \"source\": \"%%bash\\nimport not_python\\n\"},"
        "{\"cell_type\": \"code\", \"source\": \"from sklearn import svm\"}"
        "], \"nbformat\": 4}";
    da_import_set s = extract("nb.ipynb", nb, sizeof(nb) - 1);
    assert_int_equal(s.nerrors, 0);
    assert_int_equal(s.len, 3);
    assert_false(has(&s, "not_code"));
    assert_false(has(&s, "not_python"));
    const da_import *r = find(&s, "pandas");
    assert_int_equal(r->cell, 2);
    assert_int_equal(r->line, 2);
    r = find(&s, "inner");
    assert_int_equal(r->cell, 2);
    assert_int_equal(r->line, 6);
    r = find(&s, "sklearn");
    assert_int_equal(r->cell, 4);
    assert_int_equal(r->line, 1);
    assert_int_equal(s.files, 1);
    da_import_set_free(&s);

    s = extract("bad.ipynb", "{\"cells\": 3}", 12);
    assert_int_equal(s.nerrors, 1);
    assert_non_null(strstr(s.errors[0].message, "not a notebook"));
    da_import_set_free(&s);
    s = extract("bad.ipynb", "import os", 9);
    assert_int_equal(s.len, 0);
    assert_int_equal(s.nerrors, 1);
    da_import_set_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statement_forms),
        cmocka_unit_test(test_dynamic_imports),
        cmocka_unit_test(test_bare_import_module_needs_importlib),
        cmocka_unit_test(test_scopes),
        cmocka_unit_test(test_import_error_guards),
        cmocka_unit_test(test_type_checking_guards),
        cmocka_unit_test(test_version_platform_main_guards),
        cmocka_unit_test(test_guards_nest_innermost),
        cmocka_unit_test(test_ignore_comments),
        cmocka_unit_test(test_broken_file_recovers_and_warns),
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_line_endings),
        cmocka_unit_test(test_empty_and_binary),
        cmocka_unit_test(test_ten_megabytes),
        cmocka_unit_test(test_deep_nesting_does_not_overflow),
        cmocka_unit_test(test_notebook_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
