/* The TOML reader (include/depaudit/toml.h): tables in order with their names, pairs of
 * tables and inline tables, keys bare/quoted/dotted, strings of the four kinds with their
 * content spans, booleans, array elements, and the first syntax error at file:line:col. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "depaudit/toml.h"

#include <stdlib.h>
#include <string.h>

static const char doc_text[] = "top = 1 # before any header\n"
                               "[tool.\"my.tool\"]\n"
                               "name = \"a\\tb\\\"c\"\n"
                               "lit = 'C:\\path'\n"
                               "multi = \"\"\"\n"
                               "one \\\n"
                               "   two\"\"\"\n"
                               "on = true\n"
                               "off = false\n"
                               "dep = {version = \"^1\", optional = true}\n"
                               "list = [\"x\", # a comment\n"
                               "  'y', 3]\n"
                               "a.b.c = \"dotted\"\n"
                               "[[package]]\n"
                               "name = \"first\"\n"
                               "[[package]]\n"
                               "name = \"second\"\n";

typedef struct fixture {
    da_toml doc;
    da_toml_table table;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    da_error err;
    assert_int_equal(da_toml_parse(&f->doc, "t.toml", doc_text, strlen(doc_text), &err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    da_strlist_free(&f->table.name);
    da_toml_free(&f->doc);
    free(f);
    return 0;
}

/* The value of `key` in the n-th top-level item. */
static TSNode value_in(fixture *f, size_t n, const char *key)
{
    size_t cursor = 0;
    for (size_t i = 0; i <= n; i++)
        assert_true(da_toml_next_table(&f->doc, &cursor, &f->table));
    TSNode v;
    assert_true(da_toml_get(&f->doc, f->table.node, key, &v));
    return v;
}

static void test_tables_in_order(void **state)
{
    fixture *f = *state;
    assert_int_equal(da_toml_check(&f->doc, NULL, NULL), 0);
    size_t cursor = 0;
    da_toml_table *t = &f->table;
    assert_true(da_toml_next_table(&f->doc, &cursor, t));
    assert_int_equal(t->name.len, 0); /* the pair before the first header */
    assert_false(t->array);
    assert_true(da_toml_next_table(&f->doc, &cursor, t));
    assert_int_equal(t->name.len, 2);
    assert_string_equal(t->name.items[1], "my.tool");
    char *dotted = da_toml_dotted(&t->name);
    assert_string_equal(dotted, "tool.my.tool");
    free(dotted);
    assert_int_equal(da_toml_line(t->node), 2);
    const char *names[] = {"first", "second"};
    for (size_t i = 0; i < 2; i++) {
        assert_true(da_toml_next_table(&f->doc, &cursor, t));
        assert_true(t->array);
        assert_string_equal(t->name.items[0], "package");
        TSNode v;
        assert_true(da_toml_get(&f->doc, t->node, "name", &v));
        char *s = da_toml_string(&f->doc, v, NULL, NULL);
        assert_string_equal(s, names[i]);
        free(s);
    }
    assert_false(da_toml_next_table(&f->doc, &cursor, t));
    assert_int_equal(t->name.len, 0);
}

static void test_strings(void **state)
{
    fixture *f = *state;
    size_t a, z;
    char *s = da_toml_string(&f->doc, value_in(f, 1, "name"), &a, &z);
    assert_string_equal(s, "a\tb\"c");
    assert_memory_equal(doc_text + a, "a\\tb\\\"c", z - a);
    free(s);
    s = da_toml_string(&f->doc, value_in(f, 1, "lit"), NULL, NULL);
    assert_string_equal(s, "C:\\path"); /* a literal string keeps its backslash */
    free(s);
    s = da_toml_string(&f->doc, value_in(f, 1, "multi"), NULL, NULL);
    assert_string_equal(s, "one two"); /* first newline and the escaped line break dropped */
    free(s);
    assert_null(da_toml_string(&f->doc, value_in(f, 1, "on"), NULL, NULL));
}

static void test_booleans_arrays_inline_tables(void **state)
{
    fixture *f = *state;
    assert_int_equal(da_toml_boolean(&f->doc, value_in(f, 1, "on")), 1);
    assert_int_equal(da_toml_boolean(&f->doc, value_in(f, 1, "off")), 0);
    assert_int_equal(da_toml_boolean(&f->doc, value_in(f, 1, "name")), -1);
    TSNode list = value_in(f, 1, "list");
    assert_true(da_toml_is_array(list));
    TSNode e;
    size_t n = 0;
    for (size_t i = 0; da_toml_next_element(list, &i, &e); n++)
        if (n == 2)
            assert_false(da_toml_is_string(e)); /* 3, the comment skipped */
    assert_int_equal(n, 3);
    TSNode dep = value_in(f, 1, "dep");
    assert_true(da_toml_is_inline_table(dep));
    TSNode v;
    assert_true(da_toml_get(&f->doc, dep, "optional", &v));
    assert_int_equal(da_toml_boolean(&f->doc, v), 1);
    assert_false(da_toml_get(&f->doc, dep, "markers", &v));
}

static void test_dotted_pair_keys(void **state)
{
    fixture *f = *state;
    size_t cursor = 0;
    assert_true(da_toml_next_table(&f->doc, &cursor, &f->table));
    assert_true(da_toml_next_table(&f->doc, &cursor, &f->table));
    da_toml_pair p;
    bool seen = false;
    for (size_t i = 0; da_toml_next_pair(f->table.node, &i, &p);) {
        char *k = da_toml_key_text(&f->doc, p.key);
        if (strcmp(k, "a.b.c") == 0) {
            seen = true;
            assert_false(da_toml_key_is(&f->doc, p.key, "a"));
            da_strlist parts = {0};
            da_toml_key_parts(&f->doc, p.key, &parts);
            assert_int_equal(parts.len, 3);
            assert_string_equal(parts.items[2], "c");
            da_strlist_free(&parts);
            /* the pair's node runs from its key to its value */
            assert_int_equal(da_toml_start(p.node), da_toml_start(p.key));
            assert_int_equal(da_toml_end(p.node), da_toml_end(p.value));
        }
        free(k);
    }
    assert_true(seen);
}

static void test_first_error_place(void **state)
{
    (void)state;
    const char *bad = "[a]\nx = 1\ny = [1,\nz = 2\n";
    da_toml doc;
    da_error err;
    assert_int_equal(da_toml_parse(&doc, "bad.toml", bad, strlen(bad), &err), 0);
    size_t off = 0;
    memset(&err, 0, sizeof(err));
    assert_int_equal(da_toml_check(&doc, &err, &off), -1);
    assert_string_equal(err.file, "bad.toml");
    assert_true(err.line >= 3);
    assert_true(err.col >= 1);
    assert_true(off >= strlen("[a]\nx = 1\n"));
    assert_non_null(strstr(err.message, "not valid TOML"));
    da_toml_free(&doc);
}

static void test_deep_dotted_key_is_bounded(void **state)
{
    (void)state;
    /* A key of 5000 parts: read without recursion, cut at 65 parts. */
    da_buf b = {0};
    for (int i = 0; i < 5000; i++)
        da_buf_puts(&b, i ? ".k" : "k");
    da_buf_puts(&b, " = 1\n");
    da_toml doc;
    assert_int_equal(da_toml_parse(&doc, "deep.toml", b.data, b.len, NULL), 0);
    size_t cursor = 0;
    da_toml_table t = {0};
    assert_true(da_toml_next_table(&doc, &cursor, &t));
    da_toml_pair p;
    size_t i = 0;
    assert_true(da_toml_next_pair(t.node, &i, &p));
    da_strlist parts = {0};
    da_toml_key_parts(&doc, p.key, &parts);
    assert_int_equal(parts.len, 65);
    da_strlist_free(&parts);
    da_strlist_free(&t.name);
    da_toml_free(&doc);
    da_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tables_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_booleans_arrays_inline_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dotted_pair_keys, setup, teardown),
        cmocka_unit_test(test_first_error_place),
        cmocka_unit_test(test_deep_dotted_key_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
