/* Conditions of `if` and `case` on values known when the Dockerfile is read (ARG defaults,
 * --build-arg, ENV, assignments earlier in the script): `[ ... ]`, `[[ ... ]]`, `test`,
 * `true`/`false`, `!`, `&&`/`||`, and case patterns. Three answers: 1, 0, and -1 when
 * it cannot be told (files, command statuses, regexes, unknown values), and then the
 * caller models every branch. */
#include "image/dockerfile/shell_walk.h"

#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

typedef struct tok {
    const char *text;
    bool unknown;
    bool op; /* may be an operator (an operator token, or any word of `test`) */
} tok;

typedef struct toks {
    const tok *t;
    size_t n, i;
    bool double_bracket; /* [[ ]]: == and != match patterns, && and || join */
} toks;

static bool is_op(const toks *s, const char *text)
{
    return s->i < s->n && s->t[s->i].op && strcmp(s->t[s->i].text, text) == 0;
}

static int tri_and(int a, int b)
{
    return a == 0 || b == 0 ? 0 : (a == 1 && b == 1 ? 1 : -1);
}

static int tri_or(int a, int b)
{
    return a == 1 || b == 1 ? 1 : (a == 0 && b == 0 ? 0 : -1);
}

static int tri_not(int a)
{
    return a < 0 ? -1 : !a;
}

static bool integer(const char *s, long *v)
{
    while (isspace((unsigned char)*s))
        s++;
    char *end;
    errno = 0;
    *v = strtol(s, &end, 10);
    while (isspace((unsigned char)*end))
        end++;
    return end != s && *end == '\0' && errno == 0;
}

static bool unary_op(const char *o)
{
    return o[0] == '-' && o[1] && !o[2] && strchr("zntefdrwxsLhSpbcgukOGN", o[1]);
}

static bool binary_op(const char *o)
{
    static const char *const ops[] = {"=",   "==",  "!=",  "<",   ">",   "-eq", "-ne", "-lt",
                                      "-le", "-gt", "-ge", "-nt", "-ot", "-ef", "=~"};
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        if (strcmp(o, ops[i]) == 0)
            return true;
    return false;
}

static int binary(const toks *s, const tok *a, const char *o, const tok *b)
{
    if (a->unknown || b->unknown)
        return -1;
    if (strcmp(o, "=") == 0 || strcmp(o, "==") == 0 || strcmp(o, "!=") == 0) {
        bool eq =
            s->double_bracket ? fnmatch(b->text, a->text, 0) == 0 : strcmp(a->text, b->text) == 0;
        return strcmp(o, "!=") == 0 ? !eq : eq;
    }
    if (strcmp(o, "<") == 0 || strcmp(o, ">") == 0) {
        int c = strcmp(a->text, b->text);
        return o[0] == '<' ? c < 0 : c > 0;
    }
    static const char *const int_ops[] = {"-eq", "-ne", "-lt", "-le", "-gt", "-ge"};
    long x, y;
    for (size_t i = 0; i < 6; i++) {
        if (strcmp(o, int_ops[i]) != 0)
            continue;
        if (!integer(a->text, &x) || !integer(b->text, &y))
            return -1; /* sh reports "integer expression expected" */
        bool r[6] = {x == y, x != y, x<y, x <= y, x> y, x >= y};
        return r[i];
    }
    return -1; /* files (-nt -ot -ef), regexes, non-numbers */
}

static int expr(toks *s, int depth);

static int primary(toks *s, int depth)
{
    if (s->i >= s->n)
        return -1;
    if (is_op(s, "(")) {
        s->i++;
        int v = expr(s, depth + 1);
        if (is_op(s, ")"))
            s->i++;
        return v;
    }
    const tok *a = &s->t[s->i];
    /* a binary expression first: `[ -n = -n ]` compares two strings */
    if (s->i + 2 < s->n && s->t[s->i + 1].op && binary_op(s->t[s->i + 1].text)) {
        const char *o = s->t[s->i + 1].text;
        const tok *b = &s->t[s->i + 2];
        s->i += 3;
        return binary(s, a, o, b);
    }
    if (a->op && unary_op(a->text) && s->i + 1 < s->n) {
        const tok *b = &s->t[s->i + 1];
        s->i += 2;
        if (a->text[1] == 'z')
            return b->unknown ? -1 : b->text[0] == '\0';
        if (a->text[1] == 'n')
            return b->unknown ? -1 : b->text[0] != '\0';
        return -1; /* the image's files and terminals are not known */
    }
    s->i++;
    return a->unknown ? -1 : a->text[0] != '\0';
}

static int not_expr(toks *s, int depth)
{
    if (depth > SH_MAX_DEPTH)
        return -1;
    if (is_op(s, "!")) {
        s->i++;
        return tri_not(not_expr(s, depth + 1));
    }
    return primary(s, depth);
}

static int and_expr(toks *s, int depth)
{
    int v = not_expr(s, depth);
    while (is_op(s, "-a") || is_op(s, "&&")) {
        s->i++;
        v = tri_and(v, not_expr(s, depth));
    }
    return v;
}

static int expr(toks *s, int depth)
{
    if (depth > SH_MAX_DEPTH)
        return -1;
    int v = and_expr(s, depth);
    while (is_op(s, "-o") || is_op(s, "||")) {
        s->i++;
        v = tri_or(v, and_expr(s, depth));
    }
    return v;
}

static int evaluate(const tok *t, size_t n, bool double_bracket)
{
    if (n == 0)
        return 0; /* `[ ]` is false */
    toks s = {t, n, 0, double_bracket};
    int v = expr(&s, 0);
    return s.i == n ? v : -1; /* words left over: sh would report a syntax error */
}

int sh_eval_test_words(const sh_word *words, size_t n, bool brackets)
{
    if (brackets) {
        if (n == 0 || strcmp(words[n - 1].value, "]") != 0)
            return -1;
        n--;
    }
    tok *t = da_xcalloc(n ? n : 1, sizeof(tok));
    for (size_t i = 0; i < n; i++)
        t[i] = (tok){words[i].value, words[i].unknown, true};
    int v = evaluate(t, n, false);
    free(t);
    return v;
}

/* ---- [ ] and [[ ]] as tree-sitter-bash parses them ------------------------------------ */

typedef struct tok_list {
    tok *items;
    size_t len, cap;
    da_strlist owned;
} tok_list;

static bool value_node(TSNode n)
{
    static const char *const types[] = {
        "word",      "string",        "raw_string",      "number",        "simple_expansion",
        "expansion", "concatenation", "extglob_pattern", "ansi_c_string", "command_substitution",
        "regex"};
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (sh_is_type(n, types[i]))
            return true;
    return false;
}

static void collect(walker *w, TSNode n, tok_list *out, int depth)
{
    if (depth > SH_MAX_DEPTH)
        return;
    uint32_t nc = ts_node_child_count(n);
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = ts_node_child(n, i);
        size_t len;
        const char *text = sh_node_text(w, c, &len);
        tok t = {NULL, false, false};
        if (ts_node_is_named(c) && value_node(c)) {
            bool unknown = false;
            char *v = sh_string(w, c, &unknown);
            da_strlist_push_owned(&out->owned, v);
            t = (tok){v, unknown || sh_is_type(c, "command_substitution") || sh_is_type(c, "regex"),
                      false};
        } else if (!ts_node_is_named(c) || sh_is_type(c, "test_operator")) {
            char *v = da_xstrndup(text, len);
            if (strcmp(v, "[") == 0 || strcmp(v, "]") == 0 || strcmp(v, "[[") == 0 ||
                strcmp(v, "]]") == 0) {
                free(v);
                continue;
            }
            da_strlist_push_owned(&out->owned, v);
            t = (tok){v, false, true};
        } else {
            collect(w, c, out, depth + 1);
            continue;
        }
        DA_PUSH(out->items, out->len, out->cap, t);
    }
}

static int eval_test_command(walker *w, TSNode n)
{
    size_t len;
    const char *text = sh_node_text(w, n, &len);
    tok_list l;
    memset(&l, 0, sizeof(l));
    collect(w, n, &l, 0);
    int v = evaluate(l.items, l.len, len >= 2 && text[0] == '[' && text[1] == '[');
    free(l.items);
    da_strlist_free(&l.owned);
    return v;
}

static int eval_command(walker *w, TSNode n)
{
    sh_word *words = NULL;
    size_t nwords = 0, cap = 0;
    uint32_t nc = ts_node_named_child_count(n);
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (sh_is_type(c, "variable_assignment") || sh_is_type(c, "file_redirect") ||
            sh_is_type(c, "herestring_redirect"))
            continue;
        if (sh_is_type(c, "command_name") && ts_node_named_child_count(c) > 0)
            c = ts_node_named_child(c, 0);
        sh_fields(w, c, &words, &nwords, &cap);
    }
    int v = -1;
    if (nwords > 0 && !words[0].unknown) {
        const char *name = words[0].value;
        if (strcmp(name, "true") == 0 || strcmp(name, ":") == 0)
            v = 1;
        else if (strcmp(name, "false") == 0)
            v = 0;
        else if (strcmp(name, "test") == 0 || strcmp(name, "[") == 0)
            v = sh_eval_test_words(words + 1, nwords - 1, strcmp(name, "[") == 0);
    }
    for (size_t i = 0; i < nwords; i++)
        sh_word_free(&words[i]);
    free(words);
    return v;
}

int sh_eval_condition(walker *w, TSNode n)
{
    if (++w->depth > SH_MAX_DEPTH) {
        w->depth--;
        return -1;
    }
    int v = -1;
    const char *type = ts_node_type(n);
    if (strcmp(type, "test_command") == 0) {
        v = eval_test_command(w, n);
    } else if (strcmp(type, "command") == 0) {
        v = eval_command(w, n);
    } else if (strcmp(type, "negated_command") == 0 && ts_node_named_child_count(n) > 0) {
        v = tri_not(sh_eval_condition(w, ts_node_named_child(n, 0)));
    } else if (strcmp(type, "list") == 0 && ts_node_named_child_count(n) == 2) {
        /* a && b, a || b: b is looked at only when a does not decide */
        int a = sh_eval_condition(w, ts_node_named_child(n, 0));
        const char *op = "";
        for (uint32_t i = 0; i < ts_node_child_count(n); i++)
            if (!ts_node_is_named(ts_node_child(n, i)))
                op = ts_node_type(ts_node_child(n, i));
        int b = sh_eval_condition(w, ts_node_named_child(n, 1));
        v = strcmp(op, "&&") == 0 ? tri_and(a, b) : strcmp(op, "||") == 0 ? tri_or(a, b) : -1;
    } else if ((strcmp(type, "subshell") == 0 || strcmp(type, "compound_statement") == 0 ||
                strcmp(type, "redirected_statement") == 0) &&
               ts_node_named_child_count(n) > 0) {
        v = sh_eval_condition(w, ts_node_named_child(n, ts_node_named_child_count(n) - 1));
    }
    w->depth--;
    return v;
}

int sh_case_match(walker *w, TSNode pattern, const char *value)
{
    bool unknown = false;
    char *p = sh_string(w, pattern, &unknown);
    int v = unknown ? -1 : fnmatch(p, value, 0) == 0;
    free(p);
    return v;
}
