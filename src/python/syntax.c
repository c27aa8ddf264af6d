/* Node types, fields and node text of tree-sitter-python trees. */
#include "syntax.h"

#include "depaudit/grammars.h"
#include "depaudit/util.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

static const char *const sym_names[S_COUNT] = {
    "import_statement",
    "import_from_statement",
    "future_import_statement",
    "dotted_name",
    "aliased_import",
    "relative_import",
    "import_prefix",
    "wildcard_import",
    "try_statement",
    "except_clause",
    "except_group_clause",
    "if_statement",
    "elif_clause",
    "else_clause",
    "function_definition",
    "class_definition",
    "lambda",
    "call",
    "string",
    "identifier",
    "attribute",
    "string_content",
    "keyword_argument",
    "not_operator",
    "parenthesized_expression",
    "comment",
    "print_statement",
    "exec_statement",
};

TSSymbol da_py_syms[S_COUNT];
TSFieldId da_py_f_name, da_py_f_module_name, da_py_f_body, da_py_f_condition, da_py_f_consequence,
    da_py_f_alternative, da_py_f_value, da_py_f_function, da_py_f_arguments, da_py_f_alias,
    da_py_f_argument, da_py_f_object, da_py_f_attribute;
static pthread_once_t ids_once = PTHREAD_ONCE_INIT;

/* Symbol and field ids of the python grammar, looked up once for every thread. */
static void load_ids(void)
{
    const TSLanguage *lang = tree_sitter_python();
    for (int i = 0; i < S_COUNT; i++)
        da_py_syms[i] =
            ts_language_symbol_for_name(lang, sym_names[i], (uint32_t)strlen(sym_names[i]), true);
#define FIELD(var, s) var = ts_language_field_id_for_name(lang, s, (uint32_t)strlen(s))
    FIELD(da_py_f_name, "name");
    FIELD(da_py_f_module_name, "module_name");
    FIELD(da_py_f_body, "body");
    FIELD(da_py_f_condition, "condition");
    FIELD(da_py_f_consequence, "consequence");
    FIELD(da_py_f_alternative, "alternative");
    FIELD(da_py_f_value, "value");
    FIELD(da_py_f_function, "function");
    FIELD(da_py_f_arguments, "arguments");
    FIELD(da_py_f_alias, "alias");
    FIELD(da_py_f_argument, "argument");
    FIELD(da_py_f_object, "object");
    FIELD(da_py_f_attribute, "attribute");
#undef FIELD
}

void da_py_syntax_init(void)
{
    pthread_once(&ids_once, load_ids);
}

const char *da_py_node_text(const py_source *v, TSNode n, size_t *len)
{
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    if (b > v->len)
        b = (uint32_t)v->len;
    if (a > b)
        a = b;
    *len = b - a;
    return v->text + a;
}

bool da_py_text_equals(const py_source *v, TSNode n, const char *s)
{
    size_t len;
    const char *t = da_py_node_text(v, n, &len);
    return len == strlen(s) && memcmp(t, s, len) == 0;
}

char *da_py_collapsed_text(const py_source *v, TSNode n)
{
    size_t len;
    const char *t = da_py_node_text(v, n, &len);
    da_buf b = {0};
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        char c = t[i];
        if (c == '\\' && i + 1 < len && t[i + 1] == '\n') {
            space = true;
            i++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\f') {
            space = true;
            continue;
        }
        if (space && b.len > 0)
            da_buf_putc(&b, ' ');
        space = false;
        da_buf_putc(&b, c);
    }
    return da_buf_take(&b);
}

char *da_py_dotted_text(const py_source *v, TSNode n)
{
    da_buf b = {0};
    uint32_t count = ts_node_named_child_count(n);
    if (py_is(n, S_IDENTIFIER))
        count = 0;
    if (count == 0) {
        size_t len;
        const char *t = da_py_node_text(v, n, &len);
        da_buf_append(&b, t, len);
        return da_buf_take(&b);
    }
    TSTreeCursor c = ts_tree_cursor_new(n);
    if (ts_tree_cursor_goto_first_child(&c)) {
        do {
            TSNode part = ts_tree_cursor_current_node(&c);
            if (!py_is(part, S_IDENTIFIER))
                continue;
            size_t len;
            const char *t = da_py_node_text(v, part, &len);
            if (b.len > 0)
                da_buf_putc(&b, '.');
            da_buf_append(&b, t, len);
        } while (ts_tree_cursor_goto_next_sibling(&c));
    }
    ts_tree_cursor_delete(&c);
    return da_buf_take(&b);
}
