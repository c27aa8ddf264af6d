/* Walks the tree-sitter-bash syntax tree of a RUN body. Only simple commands matter for
 * the install plan; compound statements are walked for the commands inside them, with a
 * note that those may not run. */
#include "image/dockerfile/shell_commands.h"

#include "depaudit/grammars.h"

#include <stdlib.h>
#include <string.h>

typedef struct walker {
    const df_text *script;
    const ex_env *outer;
    da_strlist locals; /* "NAME=value" set by the script itself, latest last */
    ex_env env;        /* locals first, then outer */
    sh_script *out;
    size_t cap;
    bool unknown; /* set while evaluating a word that used an unset variable */
    int depth;    /* recursion depth of walk / eval_node */
} walker;

static const char *walker_lookup(void *ctx, const char *name)
{
    walker *w = ctx;
    size_t nl = strlen(name);
    for (size_t i = w->locals.len; i > 0; i--) {
        const char *e = w->locals.items[i - 1];
        if (strncmp(e, name, nl) == 0 && e[nl] == '=')
            return e + nl + 1;
    }
    return w->outer && w->outer->lookup ? w->outer->lookup(w->outer->ctx, name) : NULL;
}

static void walker_missing(void *ctx, const char *name)
{
    walker *w = ctx;
    w->unknown = true;
    if (w->outer && w->outer->missing)
        w->outer->missing(w->outer->ctx, name);
}

static const char *node_text(const walker *w, TSNode n, size_t *len)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (e > w->script->len)
        e = (uint32_t)w->script->len;
    if (s > e)
        s = e;
    *len = e - s;
    return w->script->s + s;
}

static bool is_type(TSNode n, const char *t)
{
    return strcmp(ts_node_type(n), t) == 0;
}

typedef struct word_state {
    da_buf buf;
    bool expanded;
    bool unknown;
} word_state;

static void eval_node(walker *w, TSNode n, word_state *ws);
static void eval_node_inner(walker *w, TSNode n, word_state *ws);

/* Deeper than this (subshells in subshells...), the rest of a tree is not walked: no
 * real RUN body nests so deep, and the walk must not exhaust the stack. */
enum { MAX_DEPTH = 256 };

static void eval_expansion(walker *w, TSNode n, word_state *ws)
{
    size_t len;
    const char *t = node_text(w, n, &len);
    w->unknown = false;
    char *v = ex_vars_only(t, len, false, &w->env);
    da_buf_puts(&ws->buf, v);
    free(v);
    ws->expanded = true;
    if (w->unknown)
        ws->unknown = true;
}

static void eval_double_quoted(walker *w, TSNode n, word_state *ws)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    const char *txt = w->script->s;
    uint32_t i = s + 1;
    uint32_t end = e > s + 1 ? e - 1 : e;
    uint32_t nchild = ts_node_named_child_count(n);
    uint32_t ci = 0;
    while (i < end) {
        TSNode child = {0};
        bool at_child = false;
        while (ci < nchild) {
            child = ts_node_named_child(n, ci);
            if (ts_node_end_byte(child) <= i) {
                ci++;
                continue;
            }
            at_child = ts_node_start_byte(child) == i && !is_type(child, "string_content");
            break;
        }
        if (at_child) {
            eval_node(w, child, ws);
            i = ts_node_end_byte(child);
            ci++;
            continue;
        }
        char c = txt[i];
        if (c == '\\' && i + 1 < end &&
            (txt[i + 1] == '"' || txt[i + 1] == '\\' || txt[i + 1] == '$' || txt[i + 1] == '`')) {
            da_buf_putc(&ws->buf, txt[i + 1]);
            i += 2;
        } else if (c == '\\' && i + 1 < end && txt[i + 1] == '\n') {
            i += 2;
        } else {
            da_buf_putc(&ws->buf, c);
            i++;
        }
    }
}

static void eval_node(walker *w, TSNode n, word_state *ws)
{
    if (++w->depth > MAX_DEPTH) {
        w->depth--;
        ws->unknown = true;
        return;
    }
    eval_node_inner(w, n, ws);
    w->depth--;
}

static void eval_node_inner(walker *w, TSNode n, word_state *ws)
{
    const char *type = ts_node_type(n);
    size_t len;
    const char *t = node_text(w, n, &len);
    if (strcmp(type, "raw_string") == 0) {
        if (len >= 2)
            da_buf_append(&ws->buf, t + 1, len - 2);
    } else if (strcmp(type, "string") == 0 || strcmp(type, "translated_string") == 0) {
        if (strcmp(type, "translated_string") == 0 && ts_node_named_child_count(n) > 0)
            eval_double_quoted(w, ts_node_named_child(n, 0), ws);
        else
            eval_double_quoted(w, n, ws);
    } else if (strcmp(type, "ansi_c_string") == 0) {
        if (len >= 3)
            da_buf_append(&ws->buf, t + 2, len - 3);
    } else if (strcmp(type, "concatenation") == 0) {
        uint32_t nc = ts_node_child_count(n);
        uint32_t prev_end = ts_node_start_byte(n);
        for (uint32_t i = 0; i < nc; i++) {
            TSNode c = ts_node_child(n, i);
            /* Anonymous pieces between named children are literal text. */
            if (ts_node_start_byte(c) > prev_end)
                da_buf_append(&ws->buf, w->script->s + prev_end, ts_node_start_byte(c) - prev_end);
            eval_node(w, c, ws);
            prev_end = ts_node_end_byte(c);
        }
    } else if (strcmp(type, "simple_expansion") == 0 || strcmp(type, "expansion") == 0) {
        eval_expansion(w, n, ws);
    } else if (strcmp(type, "command_substitution") == 0 ||
               strcmp(type, "process_substitution") == 0 ||
               strcmp(type, "arithmetic_expansion") == 0) {
        da_buf_append(&ws->buf, t, len);
        ws->unknown = true;
    } else {
        /* word, number, and anything else: backslash escapes removed. */
        for (size_t i = 0; i < len; i++) {
            if (t[i] == '\\' && i + 1 < len) {
                if (t[i + 1] != '\n')
                    da_buf_putc(&ws->buf, t[i + 1]);
                i++;
            } else {
                da_buf_putc(&ws->buf, t[i]);
            }
        }
    }
}

static sh_word make_word(walker *w, TSNode n)
{
    word_state ws = {0};
    da_buf_puts(&ws.buf, "");
    eval_node(w, n, &ws);
    sh_word word;
    memset(&word, 0, sizeof(word));
    word.value = da_buf_take(&ws.buf);
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (e > w->script->len)
        e = (uint32_t)w->script->len;
    if (s > e)
        s = e;
    if ((is_type(n, "string") || is_type(n, "raw_string")) && e - s >= 2) {
        word.quote = is_type(n, "string") ? '"' : '\'';
        s++;
        e--;
    }
    word.start = w->script->map[s];
    word.end = w->script->map[e];
    word.expanded = ws.expanded;
    word.unknown = ws.unknown;
    return word;
}

static char *eval_to_string(walker *w, TSNode n)
{
    word_state ws = {0};
    da_buf_puts(&ws.buf, "");
    eval_node(w, n, &ws);
    return da_buf_take(&ws.buf);
}

static void set_local(walker *w, TSNode assignment)
{
    TSNode name = ts_node_child_by_field_name(assignment, "name", 4);
    TSNode value = ts_node_child_by_field_name(assignment, "value", 5);
    if (ts_node_is_null(name))
        return;
    size_t nl;
    const char *nt = node_text(w, name, &nl);
    char *v = ts_node_is_null(value) ? da_xstrdup("") : eval_to_string(w, value);
    da_strlist_push_owned(&w->locals, da_xasprintf("%.*s=%s", (int)nl, nt, v));
    free(v);
}

static void emit_command(walker *w, TSNode n, const char *why)
{
    sh_command cmd;
    memset(&cmd, 0, sizeof(cmd));
    size_t wcap = 0;
    cmd.start =
        w->script
            ->map[ts_node_start_byte(n) < w->script->len ? ts_node_start_byte(n) : w->script->len];
    cmd.conditional = why != NULL;
    cmd.why_conditional = why;
    /* Children: prefix assignments, the command_name, then arguments and redirects.
     * (Field names are not used: ts_node_field_name_for_child is unreliable in the
     * tree-sitter release Debian ships.) */
    uint32_t nc = ts_node_child_count(n);
    bool seen_name = false;
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = ts_node_child(n, i);
        if (!ts_node_is_named(c)) {
            /* `$`, `=~`, `==` tokens of test-like commands: keep as literal words */
            if (seen_name) {
                sh_word word = make_word(w, c);
                DA_PUSH(cmd.words, cmd.nwords, wcap, word);
            }
            continue;
        }
        if (!seen_name && is_type(c, "variable_assignment")) {
            TSNode name = ts_node_child_by_field_name(c, "name", 4);
            TSNode value = ts_node_child_by_field_name(c, "value", 5);
            size_t nl = 0;
            const char *nt = ts_node_is_null(name) ? "" : node_text(w, name, &nl);
            char *v = ts_node_is_null(value) ? da_xstrdup("") : eval_to_string(w, value);
            da_strlist_push_owned(&cmd.assigns, da_xasprintf("%.*s=%s", (int)nl, nt, v));
            free(v);
            continue;
        }
        if (is_type(c, "file_redirect") || is_type(c, "herestring_redirect") ||
            is_type(c, "heredoc_redirect") || is_type(c, "comment"))
            continue;
        if (is_type(c, "command_name")) {
            seen_name = true;
            TSNode inner = ts_node_named_child_count(c) > 0 ? ts_node_named_child(c, 0) : c;
            sh_word word = make_word(w, inner);
            DA_PUSH(cmd.words, cmd.nwords, wcap, word);
            continue;
        }
        if (seen_name) {
            sh_word word = make_word(w, c);
            DA_PUSH(cmd.words, cmd.nwords, wcap, word);
        }
    }
    for (size_t i = 0; i < w->locals.len; i++)
        da_strlist_push(&cmd.locals, w->locals.items[i]);
    if (cmd.nwords == 0) {
        /* `A=1 B=2` alone: assignments for the rest of the script. */
        for (size_t i = 0; i < cmd.assigns.len; i++)
            da_strlist_push(&w->locals, cmd.assigns.items[i]);
        da_strlist_free(&cmd.assigns);
        da_strlist_free(&cmd.locals);
        return;
    }
    DA_PUSH(w->out->cmds, w->out->ncmds, w->cap, cmd);
}

static void walk(walker *w, TSNode n, const char *why)
{
    if (w->depth > MAX_DEPTH)
        return;
    const char *type = ts_node_type(n);
    if (strcmp(type, "command") == 0) {
        emit_command(w, n, why);
        /* a command may hold a subshell as a child (rare); walk it too */
        return;
    }
    if (strcmp(type, "variable_assignment") == 0) {
        set_local(w, n);
        return;
    }
    if (strcmp(type, "declaration_command") == 0) {
        /* export A=b / declare / local / readonly */
        uint32_t nc = ts_node_named_child_count(n);
        for (uint32_t i = 0; i < nc; i++) {
            TSNode c = ts_node_named_child(n, i);
            if (is_type(c, "variable_assignment"))
                set_local(w, c);
        }
        return;
    }
    if (strcmp(type, "heredoc_body") == 0 || strcmp(type, "comment") == 0)
        return;
    const char *inner_why = why;
    if (strcmp(type, "if_statement") == 0)
        inner_why = "if";
    else if (strcmp(type, "case_statement") == 0)
        inner_why = "case";
    else if (strcmp(type, "while_statement") == 0 || strcmp(type, "for_statement") == 0 ||
             strcmp(type, "c_style_for_statement") == 0)
        inner_why = "loop";
    else if (strcmp(type, "function_definition") == 0)
        inner_why = "function";
    uint32_t nc = ts_node_child_count(n);
    bool after_or = false;
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = ts_node_child(n, i);
        if (strcmp(type, "list") == 0 && !ts_node_is_named(c)) {
            if (strcmp(ts_node_type(c), "||") == 0)
                after_or = true;
            continue;
        }
        w->depth++;
        walk(w, c, after_or && !inner_why ? "||" : inner_why);
        w->depth--;
    }
}

static void first_error(TSNode n, size_t *at, bool *found, int depth)
{
    if (*found || depth > MAX_DEPTH)
        return;
    if (strcmp(ts_node_type(n), "ERROR") == 0 || ts_node_is_missing(n)) {
        *at = ts_node_start_byte(n);
        *found = true;
        return;
    }
    if (!ts_node_has_error(n))
        return;
    uint32_t nc = ts_node_child_count(n);
    for (uint32_t i = 0; i < nc && !*found; i++)
        first_error(ts_node_child(n, i), at, found, depth + 1);
}

void sh_parse(const df_text *script, const ex_env *env, sh_script *out)
{
    memset(out, 0, sizeof(*out));
    walker w;
    memset(&w, 0, sizeof(w));
    w.script = script;
    w.outer = env;
    w.env.lookup = walker_lookup;
    w.env.missing = walker_missing;
    w.env.ctx = &w;
    w.out = out;
    TSParser *parser = ts_parser_new();
    ts_parser_set_language(parser, tree_sitter_bash());
    TSTree *tree = ts_parser_parse_string(parser, NULL, script->s, (uint32_t)script->len);
    if (tree) {
        TSNode root = ts_tree_root_node(tree);
        if (ts_node_has_error(root)) {
            size_t at = 0;
            bool found = false;
            first_error(root, &at, &found, 0);
            out->has_error = true;
            out->error_at = script->map[at < script->len ? at : script->len];
        }
        walk(&w, root, NULL);
        ts_tree_delete(tree);
    }
    ts_parser_delete(parser);
    da_strlist_free(&w.locals);
}

void sh_script_free(sh_script *s)
{
    for (size_t i = 0; i < s->ncmds; i++) {
        for (size_t j = 0; j < s->cmds[i].nwords; j++)
            free(s->cmds[i].words[j].value);
        free(s->cmds[i].words);
        da_strlist_free(&s->cmds[i].assigns);
        da_strlist_free(&s->cmds[i].locals);
    }
    free(s->cmds);
    memset(s, 0, sizeof(*s));
}
