/* Guards: which except clauses catch a failed import, and what an if condition tests. */
#include "syntax.h"

#include <stdlib.h>
#include <string.h>

static bool name_catches_import_error(const char *s, size_t len)
{
    static const char *const names[] = {"ImportError", "ModuleNotFoundError", "Exception",
                                        "BaseException"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (len == strlen(names[i]) && memcmp(s, names[i], len) == 0)
            return true;
    return false;
}

/* Whether an except clause's type expression names ImportError or something wider. Every
 * identifier in the expression counts, so tuples and `builtins.ImportError` work. */
static bool expression_catches_import_error(const py_source *v, TSNode e)
{
    TSTreeCursor c = ts_tree_cursor_new(e);
    bool found = false;
    unsigned depth = 0;
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&c);
        if (py_is(n, S_IDENTIFIER)) {
            size_t len;
            const char *t = da_py_node_text(v, n, &len);
            if (name_catches_import_error(t, len)) {
                found = true;
                break;
            }
        }
        if (ts_tree_cursor_goto_first_child(&c)) {
            depth++;
            continue;
        }
        while (!ts_tree_cursor_goto_next_sibling(&c)) {
            if (depth == 0 || !ts_tree_cursor_goto_parent(&c))
                goto done;
            depth--;
        }
        if (depth == 0)
            break;
    }
done:
    ts_tree_cursor_delete(&c);
    return found;
}

bool da_py_handler_catches_import_error(const py_source *v, TSNode handler)
{
    if (py_is(handler, S_EXCEPT)) {
        TSNode value = ts_node_child_by_field_id(handler, da_py_f_value);
        if (ts_node_is_null(value)) {
            /* tree-sitter-python puts the type in `value`; without one it is a bare
             * except, which catches everything. */
            return true;
        }
        return expression_catches_import_error(v, value);
    }
    /* except* ExceptionGroup handlers: the type is their first expression child. */
    for (uint32_t i = 0; i < ts_node_named_child_count(handler); i++) {
        TSNode n = ts_node_named_child(handler, i);
        if (strcmp(ts_node_type(n), "block") != 0 && !py_is(n, S_COMMENT))
            return expression_catches_import_error(v, n);
    }
    return false;
}

bool da_py_is_handler(TSNode n)
{
    return py_is(n, S_EXCEPT) || py_is(n, S_EXCEPT_GROUP);
}

static TSNode unparenthesize(TSNode n)
{
    while (py_is(n, S_PARENS) && ts_node_named_child_count(n) == 1)
        n = ts_node_named_child(n, 0);
    return n;
}

static bool is_type_checking(const py_source *v, TSNode n)
{
    n = unparenthesize(n);
    if (py_is(n, S_IDENTIFIER))
        return da_py_text_equals(v, n, "TYPE_CHECKING");
    if (py_is(n, S_ATTRIBUTE)) {
        TSNode attr = ts_node_child_by_field_id(n, da_py_f_attribute);
        return !ts_node_is_null(attr) && da_py_text_equals(v, attr, "TYPE_CHECKING");
    }
    return false;
}

/* What a condition tests, judged from the names it mentions: sys.version_info and
 * friends make it a version test, sys.platform / os.name / platform.system() a platform
 * test. A condition mentioning both counts as a version test. */
py_cond_kind da_py_classify_condition(const py_source *v, TSNode cond)
{
    if (is_type_checking(v, cond))
        return PY_COND_TYPE_CHECKING;
    TSNode inner = unparenthesize(cond);
    if (py_is(inner, S_NOT)) {
        TSNode arg = ts_node_child_by_field_id(inner, da_py_f_argument);
        if (!ts_node_is_null(arg) && is_type_checking(v, arg))
            return PY_COND_NOT_TYPE_CHECKING;
    }
    char *t = da_py_collapsed_text(v, cond);
    py_cond_kind k = PY_COND_OTHER;
    static const char *const version_words[] = {"version_info", "hexversion", "python_version",
                                                "PY2", "PY3"};
    static const char *const platform_words[] = {
        "sys.platform",       "os.name",
        "platform.system",    "platform.machine",
        "sys.implementation", "platform.python_implementation"};
    for (size_t i = 0; k == PY_COND_OTHER && i < sizeof(version_words) / sizeof(*version_words);
         i++)
        if (strstr(t, version_words[i]))
            k = PY_COND_VERSION;
    for (size_t i = 0; k == PY_COND_OTHER && i < sizeof(platform_words) / sizeof(*platform_words);
         i++)
        if (strstr(t, platform_words[i]))
            k = PY_COND_PLATFORM;
    if (k == PY_COND_OTHER && strstr(t, "__name__") && strstr(t, "__main__"))
        k = PY_COND_MAIN;
    free(t);
    return k;
}
