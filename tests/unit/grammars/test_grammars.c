/* The pinned grammars must load into Debian's tree-sitter runtime (ABI check) and parse
 * a representative snippet of each language without error nodes. */
/* cmocka needs these headers before its own, in this order. */
// clang-format off
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
// clang-format on

#include "depaudit/grammars.h"

#include <stdlib.h>
#include <string.h>

static void parses_cleanly(const TSLanguage *lang, const char *src, const char *root_type)
{
    TSParser *p = ts_parser_new();
    assert_true(ts_parser_set_language(p, lang));
    TSTree *t = ts_parser_parse_string(p, NULL, src, (uint32_t)strlen(src));
    assert_non_null(t);
    TSNode root = ts_tree_root_node(t);
    assert_false(ts_node_has_error(root));
    assert_string_equal(ts_node_type(root), root_type);
    ts_tree_delete(t);
    ts_parser_delete(p);
}

static void test_python(void **state)
{
    (void)state;
    parses_cleanly(tree_sitter_python(), "from a.b import (c as d)\nimport x.y\n", "module");
}

static void test_bash(void **state)
{
    (void)state;
    parses_cleanly(tree_sitter_bash(), "pip install --no-cache-dir -r r.txt && echo ok\n",
                   "program");
}

static void test_toml(void **state)
{
    (void)state;
    parses_cleanly(tree_sitter_toml(), "[project]\ndependencies = [\"a>=1\"]\n", "document");
}

static void test_python_error_is_detected(void **state)
{
    (void)state;
    TSParser *p = ts_parser_new();
    assert_true(ts_parser_set_language(p, tree_sitter_python()));
    const char *src = "import (\n";
    TSTree *t = ts_parser_parse_string(p, NULL, src, (uint32_t)strlen(src));
    assert_true(ts_node_has_error(ts_tree_root_node(t)));
    ts_tree_delete(t);
    ts_parser_delete(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_python),
        cmocka_unit_test(test_bash),
        cmocka_unit_test(test_toml),
        cmocka_unit_test(test_python_error_is_detected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
