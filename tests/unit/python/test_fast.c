/* The fast path against the full tree-sitter path on hand-written cases: every field of every
 * record, every warning and count must be identical, and each case says whether the fast path
 * is meant to settle it (the constructs it models) or to leave it to tree-sitter (syntax
 * errors, Python 2, constructs the two parsers read apart). The differential test in
 * tests/oracle/python runs the same comparison over every .py file on the machine. */
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "describe_imports.h"

#include "depaudit/imports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fast_case {
    const char *name;
    const char *source;
    bool settled; /* the fast path is meant to settle it */
} fast_case;

/* Both paths on one source; fails with both descriptions when they differ. */
static void check(const char *name, const char *src, size_t len, bool settled)
{
    da_import_set full = {0}, fast = {0};
    da_imports_extract_buffer_using("case.py", src, len, DA_PARSER_FULL, &full);
    da_imports_extract_buffer_using("case.py", src, len, DA_PARSER_AUTO, &fast);
    char *a = describe_imports(&full), *b = describe_imports(&fast);
    if (strcmp(a, b) != 0)
        fail_msg("%s: the paths differ\n--- full\n%s--- fast\n%s", name, a, b);
    if ((fast.fast_parsed == 1) != settled)
        fail_msg("%s: expected the %s path, got the other\n%s", name, settled ? "fast" : "full", a);
    assert_int_equal(full.fast_parsed, 0);
    free(a);
    free(b);
    da_import_set_free(&full);
    da_import_set_free(&fast);
}

static void run_cases(const fast_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        check(cases[i].name, cases[i].source, strlen(cases[i].source), cases[i].settled);
}

#define RUN(cases) run_cases(cases, sizeof(cases) / sizeof(cases[0]))

static void test_statements(void **state)
{
    (void)state;
    static const fast_case cases[] = {
        {"forms",
         "import a.b.c\nimport a.b as x, d\nfrom e.f import g, h\n"
         "from i import (j as k,)\nfrom . import l\nfrom ..pkg.mod import m\n"
         "from __future__ import annotations\nfrom n import *\n",
         true},
        {"relative dots", "from ... import a\nfrom .... b import c\nfrom . . x import y\n", true},
        {"continuations", "import os, \\\n    sys\nfrom a.b \\\n  import (c,\n    d)\n", true},
        {"semicolons", "import a; import b; from c import d;\nx = 1; import e\n", true},
        {"future star", "from __future__ import *\n", false},
        {"future dotted", "from __future__.x import y\n", false},
        {"trailing comma", "import a,\n", false},
        {"from trailing comma", "from a import b,\n", false},
        {"dotted from name", "from a import b.c\n", false},
        {"ignore comments",
         "import a  # depaudit: ignore\nimport b  # depaudit: ignore[DA001, DA004]\n"
         "from c import (d,  # depaudit: ignore[DA003]\n  e)\n"
         "x = '# depaudit: ignore'; import f\n"
         "__import__('g')  # depaudit: ignore\n",
         true},
        {"no newline at end", "import last", true},
        {"empty", "", true},
        {"comments only", "# one\n   # two\n\n", true},
        {"print statement", "import a\nprint 'x'\n", false},
        {"exec statement", "exec 'import os'\n", false},
        {"print chevron", "import sys\nprint >>sys.stderr, __import__('x')\n", true},
        {"print call", "print(__import__('x'))\nprint (1), 2\n", true},
        {"type alias", "type X = int\nimport a\n", false},
        {"type call", "type(x).y = __import__('z')\ntype = 3\n", true},
        {"syntax error", "import good1\ndef broken(:\n    pass\nimport good2\n", false},
        {"unexpected indent", "  import a\n", false},
        {"bad dedent", "if x:\n    import a\n  import b\n", false},
        {"missing block", "if x:\nimport a\n", false},
        {"annotated", "x: int = 1\n(y): str\nz.a: int\nw[0]: int = __import__('q')\n", true},
        {"bad targets", "f() = 1\n", false},
        {"augmented", "x += __import__('a')\ny.z |= 1\n", true},
        {"starred", "a, *b = c\n[*d, e] = f\nreturn *g, h\nfor *i, j in k: pass\n", true},
        {"starred call", "x = *a(), b\n", true},
        {"bare star", "*a = b\n", false},
        {"del global", "def f():\n    global a, b\n    del a, b[0], c.d\n", true},
        {"assert raise", "assert x, 'm'\nraise E from __import__('c')\nraise\n", true},
        {"yield",
         "def f():\n    yield\n    x = yield __import__('a')\n    yield from b\n"
         "    y = (yield)\n",
         true},
        {"walrus", "if (n := __import__('a')):\n    pass\nwhile m := f():\n    pass\n", true},
        {"decorators",
         "@decorate(__import__('a'))\n@other.thing\ndef f():\n    import b\n"
         "@dataclass\nclass C:\n    import c\n@x[0].y(1)\nasync def g(): pass\n",
         true},
        {"match",
         "match command:\n    case 'json':\n        import json\n"
         "    case ['yaml', *rest] if __import__('g'):\n        from yaml import safe_load\n"
         "    case {'k': v, **kw} | Point(x=0, y=_) as p:\n        pass\n"
         "    case -1 | 1+2j | None | a.b:\n        pass\n    case _:\n        import pickle\n"
         "match = 3\nmatch(x)\nmatch[1] = 2\nimport after\n",
         true},
        {"match subjects", "match a, *b:\n    case (x, *y): pass\nmatch -x:\n    case 1: pass\n",
         true},
        {"except star", "try:\n    import a\nexcept* ImportError:\n    import b\n", true},
        {"except spaced star", "try:\n    import a\nexcept *ImportError as e:\n    import b\n",
         true},
        {"except mixed", "try:\n    pass\nexcept A:\n    pass\nexcept* B:\n    pass\n", false},
        {"with",
         "with a as b, c:\n    import d\nwith (e as f, g):\n    import h\n"
         "with (i, j) as k:\n    import l\nwith (m):\n    pass\nasync def z():\n"
         "    async with n as o:\n        import p\n",
         true},
        {"lambda defaults",
         "f = lambda x=__import__('a'): __import__('b')\n"
         "def g(x=__import__('c'), *a, k: int = 1, **kw) -> __import__('d'):\n"
         "    pass\n"
         "def h(a, /, b, *, c): pass\n",
         true},
        {"star annotation",
         "def f(*args: *Ts, **kw: int): pass\ndef g(*a: *tuple[int, str]): pass\n", true},
        {"pep 695", "def f[T](x: T) -> T: pass\n", false},
    };
    RUN(cases);
}

static void test_dynamic_imports(void **state)
{
    (void)state;
    static const fast_case cases[] = {
        {"literal forms",
         "importlib.import_module('a')\n__import__(\"b.c\")\n__import__('''d''')\n"
         "__import__(u'e')\n__import__(r'f\\g')\n__import__('..h')\n"
         "__import__('...')\n__import__('i', globals())\n",
         true},
        {"not literals",
         "__import__('a\\n')\n__import__(b'x')\n__import__(f'{y}')\n"
         "__import__('a' 'b')\n__import__(('a'))\n__import__(name='x')\n"
         "__import__(*a)\n__import__()\n__import__('')\n__import__('a'.strip())\n"
         "__import__('a' if b else 'c')\n",
         true},
        {"odd escapes", "__import__('a\\qb')\n__import__('a\\8')\n__import__('a\\N{DASH}b')\n",
         true},
        {"generator argument", "__import__('a' for x in y)\n__import__('b' async for x in y)\n",
         true},
        {"spacing",
         "importlib .import_module('a')\nimportlib. import_module('b')\n"
         "(importlib).import_module('c')\nx.importlib.import_module('d')\n",
         true},
        {"bare import_module", "import_module('a')\nfrom importlib import import_module as im\n",
         true},
        {"bare unbound", "from mylib import import_module\nimport_module('x')\n", true},
        {"nested", "__import__('a', __import__('b'))\nf(__import__('c'))(__import__('d'))\n", true},
        {"in f-strings", "x = f'{__import__(\"a\")}'\ny = f'{importlib.import_module(n)}'\n", true},
        {"await", "async def f():\n    await importlib.import_module('a')\n", true},
        {"continuation before", "__import__(\\\n'a')\n__import__(  # c\n 'b')\n", true},
        {"truncated escape", "__import__('\\x4')\n", false},
    };
    RUN(cases);
}

static void test_guards(void **state)
{
    (void)state;
    static const fast_case cases[] = {
        {"try",
         "try:\n    import a\nexcept ImportError:\n    import b\nelse:\n    import c\n"
         "finally:\n    import d\n",
         true},
        {"try wide",
         "try:\n    import a\nexcept (ValueError, builtins.ImportError) as e:\n"
         "    import b\ntry:\n    import c\nexcept:\n    import d\n"
         "try:\n    import e\nexcept KeyError:\n    import f\nexcept Exception:\n"
         "    import g\n",
         true},
        {"try not catching", "try:\n    import a\nexcept KeyError:\n    import b\n", true},
        {"try nested",
         "try:\n    try:\n        import a\n    except ImportError:\n        import b\n"
         "    import c\nexcept ImportError:\n    try:\n        import d\n"
         "    except KeyError:\n        import e\n",
         true},
        {"try calls in handlers",
         "try:\n    pass\nexcept __import__('x').E:\n    pass\n"
         "except (ImportError, __import__('y').F):\n    pass\n",
         true},
        {"type checking",
         "if TYPE_CHECKING:\n    import a\nelse:\n    import b\n"
         "if typing.TYPE_CHECKING:\n    import c\nif not TYPE_CHECKING:\n"
         "    import d\nelse:\n    import e\nif (TYPE_CHECKING):\n    import f\n"
         "if TYPE_CHECKING:\n    try:\n        import g\n    except ImportError:\n"
         "        import h\n",
         true},
        {"type checking comment", "if (TYPE_CHECKING  # c\n):\n    import a\n", false},
        {"type checking continuation", "if (TYPE_CHECKING \\\n):\n    import a\n", false},
        {"version chain",
         "if sys.version_info >= (3, 8):\n    import a\n"
         "elif sys.platform == 'win32':\n    import b\nelif x:\n    import c\n"
         "elif __import__('d'):\n    import e\nelse:\n    import f\n",
         true},
        {"platform", "if os.name == 'nt' or platform.system() == 'x':\n    import a\n", true},
        {"main", "if __name__ == '__main__':\n    import a\nelse:\n    import b\n", true},
        {"multi-line condition",
         "if (sys.version_info\n        >= (3,  8)  # comment\n):\n"
         "    import a\nelse:\n    import b\n",
         true},
        {"scopes",
         "def f():\n    import a\n    class K:\n        import b\nclass C:\n    import c\n"
         "    def m(self):\n        import d\n    x = lambda: __import__('e')\n",
         true},
    };
    RUN(cases);
}

/* An if/elif chain whose negated conditions pass the 4 KB bound on the kept negation. */
static void test_long_elif_chain(void **state)
{
    (void)state;
    char *src = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&src, &len);
    fprintf(f, "if sys.version_info >= (3, 0):\n    import first\n");
    for (int i = 0; i < 200; i++)
        fprintf(f, "elif sys.platform == 'platform-number-%d':\n    import m%d\n", i, i);
    fprintf(f, "else:\n    import last\n");
    fclose(f);
    check("long elif chain", src, len, true);
    free(src);
}

static void test_strings(void **state)
{
    (void)state;
    static const fast_case cases[] = {
        {"prefixes",
         "a = r'x' + R'x' + u'x' + U'x' + b'x' + B'x' + br'x' + Rb'x' + f'x' + "
         "rf'x' + FR'x'\nimport after\n",
         true},
        {"bad prefix", "a = ur'x'\n", false},
        {"triple", "a = '''x\n'y'\n''\n'''\nb = \"\"\"\"x\"\"\"\nimport after\n", true},
        {"escapes", "a = 'x\\'y\\\\'\nb = \"\\\n\"\nimport after\n", true},
        {"raw escapes", "a = r'\\''\nb = r'\\\\'\nimport after\n", true},
        {"unterminated", "a = 'x\nimport b\n", false},
        {"fstrings",
         "a = f'{x!r:>{width}} {y=} {z = !s:.2f} {{lit}} {d[\"k\"]}'\n"
         "b = f\"{f'{x}'}\" + f'{a:%Y-%m-%d}' + f'{a,b}' + f'{x:}'\nimport after\n",
         true},
        {"pep 701 quotes", "a = f\"{x[\"k\"]}\"\nb = f'{\"a\" if c else \"b\"}'\nimport after\n",
         true},
        {"raw fstring brace", "a = rf'\\{c}' + fr'\\{{x}}'\nimport after\n", true},
        {"fstring lone brace", "a = f'{x}}'\n", false},
        {"fstring escaped brace", "a = f'\\{x}'\n", false},
        {"fstring newline in field", "a = f'''{\nx}'''\n", false},
        {"fstring comment", "a = f'''{x # c\n}'''\n", false},
        {"fstring lambda", "a = f'{lambda x: 1}'\n", false},
        {"fstring walrus", "a = f'{x:=5}'\n", false},
        {"fstring non-ascii spec", "a = f'{x:\xc3\xa9>10}'\nimport after\n", true},
        {"bytes and text", "a = b'x' 'y'\n", false},
        {"named escape", "a = '\\N{EM DASH}'\nb = '\\N{' + '}'\n", false},
        {"numbers",
         "a = [0, 00, 0_0, 1_000, 0x_ff, 0o17, 0b1, 1.5, .5, 5., 1e5, 1E-5, 1j, 1.5J,"
         " 0123.5, 1.5.real]\nimport after\n",
         true},
        {"bad numbers", "a = 0123\n", false},
        {"python 2 octal", "a = 0777L\n", false},
    };
    RUN(cases);
}

static void test_layout(void **state)
{
    (void)state;
    static const fast_case cases[] = {
        {"tabs", "if x:\n\timport tabbed\n\tif y:\n\t\tfrom a import b\n", true},
        {"mixed tabs", "if x:\n  \timport mixed\n", false},
        {"form feeds",
         "import a\n\x0c\nimport b\n\x0c"
         "def f():\n    import c\n",
         true},
        {"dedented continuation line", "def f():\n    x = foo(a,\nb)\n    import c\n", true},
        {"dedented after operator", "def f():\n    x = (a +\nb)\n    import c\n", false},
        {"dedented string", "def f():\n    x = (\n'abc')\n    import c\n", true},
        {"dedented subscript", "def f():\n    x = a[\n0]\n    import c\n", false},
        {"dedented ternary", "def f():\n    x = (a if b\nelse c)\n", false},
        {"continuation comment", "x = 1 \\\n    # comment\nimport a\n", true},
        {"continuation blank", "x = 1 \\\n\nimport a\n", false},
        {"non-ascii identifiers",
         "caf\xc3\xa9 = 1; import os\n\xc3\xa9t\xc3\xa9 = 2\n"
         "from \xc3\xa9"
         "cole import cours\n",
         true},
        {"non-identifier character", "\xe2\x82\xac = 2\n", false},
        {"nul", "import a\n\0import b\n", false},
        {"deep nesting", "x = ((((((((((((((((((((1))))))))))))))))))))\nimport a\n", true},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len = strlen(cases[i].source);
        if (strcmp(cases[i].name, "nul") == 0)
            len = 19;
        check(cases[i].name, cases[i].source, len, cases[i].settled);
    }
}

static void test_deep_nesting_goes_to_full_path(void **state)
{
    (void)state;
    size_t depth = 5000;
    char *src = malloc(2 * depth + 32);
    size_t n = 0;
    n += (size_t)sprintf(src + n, "x = ");
    for (size_t i = 0; i < depth; i++)
        src[n++] = '(';
    src[n++] = '1';
    for (size_t i = 0; i < depth; i++)
        src[n++] = ')';
    n += (size_t)sprintf(src + n, "\nimport a\n");
    check("5000 parentheses", src, n, false);
    free(src);
}

static void test_notebooks(void **state)
{
    (void)state;
    static const char nb[] =
        "{\"cells\": [{\"cell_type\": \"code\", \"source\": [\"import a\\n\", \"!pip install "
        "x\\n\","
        " \"try:\\n\", \"    import b\\n\", \"except ImportError:\\n\", \"    pass\\n\"]},"
        " {\"cell_type\": \"markdown\", \"source\": \"import no\"},"
        " {\"cell_type\": \"code\", \"source\": \"try:\\n    import c\\nexcept ImportError:\\n"
        "    import d\\n\"}]}";
    da_import_set full = {0}, fast = {0};
    da_imports_extract_buffer_using("n.ipynb", nb, sizeof(nb) - 1, DA_PARSER_FULL, &full);
    da_imports_extract_buffer_using("n.ipynb", nb, sizeof(nb) - 1, DA_PARSER_AUTO, &fast);
    char *a = describe_imports(&full), *b = describe_imports(&fast);
    assert_string_equal(a, b);
    assert_int_equal(fast.fast_parsed, 2); /* both code cells */
    assert_int_equal(fast.next_group, 2);  /* group ids run on across cells */
    free(a);
    free(b);
    da_import_set_free(&full);
    da_import_set_free(&fast);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statements),
        cmocka_unit_test(test_dynamic_imports),
        cmocka_unit_test(test_guards),
        cmocka_unit_test(test_long_elif_chain),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_deep_nesting_goes_to_full_path),
        cmocka_unit_test(test_notebooks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
