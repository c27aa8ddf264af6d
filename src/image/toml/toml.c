/* The TOML reader shared by the project-file readers and the depaudit configuration: a
 * thin layer over tree-sitter-toml that knows TOML's keys, strings and tables, so that
 * its users only say which keys they want. */
#include "depaudit/toml.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is(TSNode n, const char *type)
{
    return strcmp(ts_node_type(n), type) == 0;
}

int da_toml_parse(da_toml *doc, const char *path, const char *src, size_t len, da_error *err)
{
    memset(doc, 0, sizeof(*doc));
    doc->path = path;
    doc->src = src;
    doc->len = len;
    if (len > UINT32_MAX)
        return da_error_set(err, path, 0, 0, "too large to read as TOML");
    doc->parser = ts_parser_new();
    ts_parser_set_language(doc->parser, tree_sitter_toml());
    doc->tree = ts_parser_parse_string(doc->parser, NULL, src, (uint32_t)len);
    if (!doc->tree) {
        da_toml_free(doc);
        return da_error_set(err, path, 0, 0, "cannot parse TOML");
    }
    return 0;
}

void da_toml_free(da_toml *doc)
{
    if (doc->tree)
        ts_tree_delete(doc->tree);
    if (doc->parser)
        ts_parser_delete(doc->parser);
    doc->tree = NULL;
    doc->parser = NULL;
}

int da_toml_check(const da_toml *doc, da_error *err, size_t *offset)
{
    TSNode n = ts_tree_root_node(doc->tree);
    if (!ts_node_has_error(n))
        return 0;
    /* Down to the first ERROR or missing node. */
    for (bool descended = true; descended;) {
        descended = false;
        for (uint32_t i = 0; i < ts_node_child_count(n); i++) {
            TSNode ch = ts_node_child(n, i);
            if (is(ch, "ERROR") || ts_node_is_missing(ch)) {
                n = ch;
                break;
            }
            if (ts_node_has_error(ch)) {
                n = ch;
                descended = true;
                break;
            }
        }
    }
    if (offset)
        *offset = da_toml_start(n);
    return da_toml_fail(doc, n, err, "not valid TOML here");
}

int da_toml_fail(const da_toml *doc, TSNode n, da_error *err, const char *fmt, ...)
{
    char msg[sizeof(err->message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return da_error_set(err, doc->path, da_toml_line(n), da_toml_col(n), "%s", msg);
}

/* ---- tables ---------------------------------------------------------------------------- */

bool da_toml_next_table(const da_toml *doc, size_t *cursor, da_toml_table *t)
{
    TSNode root = ts_tree_root_node(doc->tree);
    uint32_t nc = ts_node_named_child_count(root);
    da_strlist_free(&t->name);
    while (*cursor < nc) {
        TSNode n = ts_node_named_child(root, (uint32_t)(*cursor)++);
        bool pair = is(n, "pair");
        t->array = is(n, "table_array_element");
        if (!pair && !t->array && !is(n, "table"))
            continue; /* a comment */
        t->node = n;
        if (!pair && ts_node_named_child_count(n) > 0) {
            TSNode key = ts_node_named_child(n, 0);
            if (!is(key, "pair") && !is(key, "comment"))
                da_toml_key_parts(doc, key, &t->name);
        }
        return true;
    }
    return false;
}

bool da_toml_next_pair(TSNode container, size_t *cursor, da_toml_pair *pair)
{
    bool lone = is(container, "pair");
    uint32_t nc = lone ? 1 : ts_node_named_child_count(container);
    while (*cursor < nc) {
        TSNode p = lone ? container : ts_node_named_child(container, (uint32_t)*cursor);
        ++*cursor;
        uint32_t pc = ts_node_named_child_count(p);
        if (!is(p, "pair") || pc < 2)
            continue;
        pair->node = p;
        pair->key = ts_node_named_child(p, 0);
        pair->value = ts_node_named_child(p, pc - 1);
        return true;
    }
    return false;
}

bool da_toml_get(const da_toml *doc, TSNode container, const char *name, TSNode *value)
{
    da_toml_pair p;
    for (size_t i = 0; da_toml_next_pair(container, &i, &p);)
        if (da_toml_key_is(doc, p.key, name)) {
            *value = p.value;
            return true;
        }
    return false;
}

/* ---- keys ------------------------------------------------------------------------------ */

/* A quoted key's name: a basic (") or literal (') string on one line. */
static char *quoted_key(const da_toml *doc, TSNode k)
{
    size_t len;
    const char *s = da_toml_text(doc, k, &len);
    if (len < 2)
        return da_xstrndup(s, len);
    return da_toml_string(doc, k, NULL, NULL);
}

void da_toml_key_parts(const da_toml *doc, TSNode key, da_strlist *parts)
{
    /* Dotted keys nest, so the walk uses its own stack rather than recursion. */
    TSNode *stack = NULL;
    size_t n = 0, cap = 0;
    DA_PUSH(stack, n, cap, key);
    while (n > 0 && parts->len <= 64) {
        TSNode k = stack[--n];
        if (is(k, "dotted_key")) {
            for (uint32_t i = ts_node_named_child_count(k); i > 0; i--)
                DA_PUSH(stack, n, cap, ts_node_named_child(k, i - 1));
            continue;
        }
        if (is(k, "quoted_key")) {
            da_strlist_push_owned(parts, quoted_key(doc, k));
            continue;
        }
        size_t len;
        const char *s = da_toml_text(doc, k, &len);
        da_strlist_push_owned(parts, da_xstrndup(s, len));
    }
    free(stack);
}

char *da_toml_dotted(const da_strlist *parts)
{
    da_buf b = {0};
    for (size_t i = 0; i < parts->len; i++)
        da_buf_printf(&b, "%s%s", i ? "." : "", parts->items[i]);
    return da_buf_take(&b);
}

char *da_toml_key_text(const da_toml *doc, TSNode key)
{
    da_strlist parts = {0};
    da_toml_key_parts(doc, key, &parts);
    char *s = da_toml_dotted(&parts);
    da_strlist_free(&parts);
    return s;
}

bool da_toml_key_is(const da_toml *doc, TSNode key, const char *name)
{
    if (is(key, "dotted_key"))
        return false;
    if (is(key, "quoted_key")) {
        char *k = quoted_key(doc, key);
        bool same = strcmp(k, name) == 0;
        free(k);
        return same;
    }
    size_t len;
    const char *s = da_toml_text(doc, key, &len);
    return len == strlen(name) && memcmp(s, name, len) == 0;
}

/* ---- values ---------------------------------------------------------------------------- */

bool da_toml_is_string(TSNode n)
{
    return is(n, "string");
}

bool da_toml_is_array(TSNode n)
{
    return is(n, "array");
}

bool da_toml_is_inline_table(TSNode n)
{
    return is(n, "inline_table");
}

bool da_toml_is_boolean(TSNode n)
{
    return is(n, "boolean");
}

/* The escapes of a basic string undone into b, from s[a] to s[z]. */
static void unescape(da_buf *b, const char *s, size_t a, size_t z)
{
    for (size_t i = a; i < z; i++) {
        if (s[i] != '\\' || i + 1 >= z) {
            da_buf_putc(b, s[i]);
            continue;
        }
        char c = s[++i];
        if (c == 'n')
            da_buf_putc(b, '\n');
        else if (c == 't')
            da_buf_putc(b, '\t');
        else if (c == '\n') /* a line-ending backslash: the line break and indent go */
            while (i + 1 < z && isspace((unsigned char)s[i + 1]))
                i++;
        else
            da_buf_putc(b, c);
    }
}

char *da_toml_string(const da_toml *doc, TSNode n, size_t *inner_start, size_t *inner_end)
{
    if (!is(n, "string") && !is(n, "quoted_key"))
        return NULL;
    size_t len;
    const char *s = da_toml_text(doc, n, &len);
    size_t q = 1;
    if (len >= 6 && (strncmp(s, "\"\"\"", 3) == 0 || strncmp(s, "'''", 3) == 0))
        q = 3;
    if (len < 2 * q)
        q = len / 2;
    bool literal = len > 0 && s[0] == '\'';
    size_t a = q, z = len - q;
    if (q == 3 && a < z && s[a] == '\n') /* a multi-line string's first line break */
        a++;
    if (inner_start)
        *inner_start = da_toml_start(n) + a;
    if (inner_end)
        *inner_end = da_toml_start(n) + z;
    da_buf b = {0};
    if (literal)
        da_buf_append(&b, s + a, z - a);
    else
        unescape(&b, s, a, z);
    return da_buf_take(&b);
}

int da_toml_boolean(const da_toml *doc, TSNode n)
{
    if (!is(n, "boolean"))
        return -1;
    size_t len;
    const char *s = da_toml_text(doc, n, &len);
    return len == 4 && memcmp(s, "true", 4) == 0;
}

bool da_toml_next_element(TSNode array, size_t *cursor, TSNode *element)
{
    uint32_t nc = ts_node_named_child_count(array);
    while (*cursor < nc) {
        TSNode e = ts_node_named_child(array, (uint32_t)(*cursor)++);
        if (is(e, "comment"))
            continue;
        *element = e;
        return true;
    }
    return false;
}

size_t da_toml_push_strings(const da_toml *doc, TSNode n, da_strlist *out)
{
    if (!da_toml_is_array(n))
        return 0;
    size_t skipped = 0;
    TSNode e;
    for (size_t i = 0; da_toml_next_element(n, &i, &e);) {
        char *s = da_toml_string(doc, e, NULL, NULL);
        if (s)
            da_strlist_push_owned(out, s);
        else
            skipped++;
    }
    return skipped;
}

/* ---- places ---------------------------------------------------------------------------- */

const char *da_toml_text(const da_toml *doc, TSNode n, size_t *len)
{
    size_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (e > doc->len)
        e = doc->len;
    if (s > e)
        s = e;
    *len = e - s;
    return doc->src + s;
}

size_t da_toml_start(TSNode n)
{
    return ts_node_start_byte(n);
}

size_t da_toml_end(TSNode n)
{
    return ts_node_end_byte(n);
}

int da_toml_line(TSNode n)
{
    return (int)ts_node_start_point(n).row + 1;
}

int da_toml_col(TSNode n)
{
    return (int)ts_node_start_point(n).column + 1;
}
