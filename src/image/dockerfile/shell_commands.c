/* Walks the tree-sitter-bash syntax tree of a RUN body into the simple commands it runs:
 * statement lists, && and || lists, pipelines, subshells and groups, redirected statements;
 * compound statements are in shell_compound.c, single commands in shell_emit.c.
 *
 * tree-sitter-bash hangs the redirection at the end of a list on the whole list
 * (`x && pip install c>=1 d` is a redirected list with destinations `=1` and `d`); sh gives
 * it to the last command, and `d` is an argument of that command. Along the walk each
 * command learns whether it may not run (||, if, loops) and whether its failure fails the
 * RUN: the last command of the script and the commands joined to it by && do, and with
 * `set -e` every command that is not a condition or the left side of && or ||. */
#include "image/dockerfile/shell_walk.h"

#include <stdlib.h>
#include <string.h>

/* ---- variables ------------------------------------------------------------------------- */

static const char *walker_lookup(void *ctx, const char *name)
{
    walker *w = ctx;
    size_t nl = strlen(name);
    const char *v = NULL;
    bool local = false;
    for (size_t i = w->locals.len; i > 0 && !local; i--) {
        const char *e = w->locals.items[i - 1];
        if (strncmp(e, name, nl) == 0 && e[nl] == '=') {
            v = e + nl + 1;
            local = true;
        }
    }
    if (local && da_strlist_contains(&w->unknown_locals, name))
        w->unknown = true;
    if (!local)
        v = w->outer && w->outer->lookup ? w->outer->lookup(w->outer->ctx, name) : NULL;
    if (w->collect_used) {
        char *u = v ? da_xasprintf("%s=%s", name, v) : da_xasprintf("%s unset", name);
        if (da_strlist_contains(&w->used, u))
            free(u);
        else
            da_strlist_push_owned(&w->used, u);
    }
    return v;
}

static void walker_missing(void *ctx, const char *name)
{
    walker *w = ctx;
    w->unknown = true;
    if (w->unset && !da_strlist_contains(w->unset, name))
        da_strlist_push(w->unset, name);
    if (w->outer && w->outer->missing)
        w->outer->missing(w->outer->ctx, name);
}

void sh_set_local(walker *w, const char *name, const char *value, bool unknown)
{
    da_strlist_push_owned(&w->locals, da_xasprintf("%s=%s", name, value ? value : ""));
    bool was = da_strlist_contains(&w->unknown_locals, name);
    if (unknown && !was)
        da_strlist_push(&w->unknown_locals, name);
    if (!unknown && was)
        for (size_t i = 0; i < w->unknown_locals.len; i++)
            if (strcmp(w->unknown_locals.items[i], name) == 0) {
                free(w->unknown_locals.items[i]);
                w->unknown_locals.items[i] = w->unknown_locals.items[--w->unknown_locals.len];
                break;
            }
}

void sh_assignment(walker *w, TSNode a, char **name, char **value, bool *unknown)
{
    TSNode nn = ts_node_child_by_field_name(a, "name", 4);
    TSNode vn = ts_node_child_by_field_name(a, "value", 5);
    size_t nl = 0;
    const char *nt = ts_node_is_null(nn) ? "" : sh_node_text(w, nn, &nl);
    *name = da_xstrndup(nt, nl);
    *unknown = false;
    *value = ts_node_is_null(vn) ? da_xstrdup("") : sh_string(w, vn, unknown);
}

static void set_local_node(walker *w, TSNode a)
{
    char *name, *value;
    bool unknown;
    sh_assignment(w, a, &name, &value, &unknown);
    if (name[0])
        sh_set_local(w, name, value, unknown);
    free(name);
    free(value);
}

void sh_note_add(walker *w, TSNode at, char *message)
{
    sh_note note = {sh_offset(w, ts_node_start_byte(at)), message};
    size_t cap = w->out->nnotes;
    DA_PUSH(w->out->notes, w->out->nnotes, cap, note);
}

size_t sh_enter_subshell(walker *w)
{
    size_t saved = w->scope;
    size_t cap = w->out->nscopes;
    DA_PUSH(w->out->scope_parent, w->out->nscopes, cap, saved);
    w->scope = w->out->nscopes - 1;
    return saved;
}

void sh_leave_subshell(walker *w, size_t saved)
{
    w->scope = saved;
}

/* ---- statements -------------------------------------------------------------------------- */

static bool is_statement(TSNode c)
{
    return ts_node_is_named(c) && !sh_is_type(c, "comment") && !sh_is_type(c, "heredoc_body");
}

void sh_walk_sequence(walker *w, TSNode n, sh_ctx ctx, uint32_t from, uint32_t to)
{
    uint32_t last = UINT32_MAX;
    for (uint32_t i = from; i < to; i++)
        if (is_statement(ts_node_child(n, i)))
            last = i;
    for (uint32_t i = from; i < to; i++) {
        TSNode c = ts_node_child(n, i);
        if (!is_statement(c))
            continue;
        sh_ctx sc = ctx;
        /* only the last statement's status is the list's; `cmd &` is never waited for */
        bool background = i + 1 < to && !ts_node_is_named(ts_node_child(n, i + 1)) &&
                          strcmp(ts_node_type(ts_node_child(n, i + 1)), "&") == 0;
        sc.tail = ctx.tail && i == last && !background;
        sc.errexit_ok = ctx.errexit_ok && !background;
        sh_walk(w, c, sc);
    }
}

/* a && b, a || b (tree-sitter nests them to the left) */
static void walk_list(walker *w, TSNode n, sh_ctx ctx)
{
    uint32_t nc = ts_node_child_count(n);
    bool first = true, after_or = false;
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = ts_node_child(n, i);
        if (!ts_node_is_named(c)) {
            after_or = strcmp(ts_node_type(c), "||") == 0;
            continue;
        }
        if (!is_statement(c))
            continue;
        sh_ctx sc = ctx;
        if (first) {
            /* its failure ends an && list with its status; before || it is handled */
            bool before_or = false;
            for (uint32_t k = i + 1; k < nc; k++)
                if (!ts_node_is_named(ts_node_child(n, k)))
                    before_or = strcmp(ts_node_type(ts_node_child(n, k)), "||") == 0;
            sc.tail = ctx.tail && !before_or;
            sc.errexit_ok = false;
        } else if (after_or && !ctx.why) {
            sc.why = "||";
        }
        first = false;
        if (after_or) {
            /* it may not run: the parameters may be as before it or as it leaves them */
            sh_params before;
            sh_params_copy(&before, &w->params);
            sh_walk(w, c, sc);
            sh_params_union(&w->params, &before, "||");
            sh_params_free(&before);
            continue;
        }
        sh_walk(w, c, sc);
    }
}

/* a | b | c: each element in a subshell; the status is the last one's (or, with
 * pipefail, any failure's). */
static void walk_pipeline(walker *w, TSNode n, sh_ctx ctx)
{
    uint32_t nc = ts_node_child_count(n);
    uint32_t last = UINT32_MAX;
    for (uint32_t i = 0; i < nc; i++)
        if (is_statement(ts_node_child(n, i)))
            last = i;
    size_t prev_last = (size_t)-1;
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = ts_node_child(n, i);
        if (!is_statement(c))
            continue;
        sh_ctx sc = ctx;
        if (i != last && !w->pipefail) {
            sc.tail = false;
            sc.errexit_ok = false;
        }
        size_t before = w->out->ncmds;
        size_t scope = sh_enter_subshell(w);
        sh_params params;
        sh_params_copy(&params, &w->params);
        sh_walk(w, c, sc);
        sh_params_free(&w->params);
        w->params = params;
        sh_leave_subshell(w, scope);
        /* the element's first command reads what the one before wrote */
        if (prev_last != (size_t)-1 && w->out->ncmds > before)
            w->out->cmds[before].pipe_from = prev_last;
        prev_last = w->out->ncmds > before ? w->out->ncmds - 1 : (size_t)-1;
    }
}

/* body redirections...: the redirections belong to the body's last simple command when the
 * body ends with one (sh allows words after them only there). */
static void walk_redirected(walker *w, TSNode n, sh_ctx ctx)
{
    uint32_t nc = ts_node_named_child_count(n);
    if (nc == 0)
        return;
    TSNode body = ts_node_named_child(n, 0);
    TSNode *extra = da_xcalloc(nc, sizeof(TSNode));
    size_t nextra = 0;
    for (uint32_t i = 1; i < nc; i++) {
        TSNode c = ts_node_named_child(n, i);
        if (sh_is_type(c, "file_redirect") || sh_is_type(c, "herestring_redirect"))
            extra[nextra++] = c;
    }
    if (sh_is_type(body, "command")) {
        sh_emit(w, body, ctx, extra, nextra);
    } else {
        size_t before = w->out->ncmds;
        sh_walk(w, body, ctx);
        bool ends_in_command = sh_is_type(body, "list") || sh_is_type(body, "pipeline") ||
                               sh_is_type(body, "redirected_statement");
        if (ends_in_command && w->out->ncmds > before && w->last_cmd == w->out->ncmds - 1)
            sh_attach_redirects(w, w->last_cmd, extra, nextra);
    }
    free(extra);
}

static void walk_scoped(walker *w, TSNode n, sh_ctx ctx, bool subshell)
{
    /* ( ): assignments, set -e and cd inside do not last beyond it */
    size_t nlocals = w->locals.len;
    bool errexit = w->errexit, pipefail = w->pipefail;
    size_t scope = subshell ? sh_enter_subshell(w) : 0;
    sh_params params;
    memset(&params, 0, sizeof(params));
    if (subshell)
        sh_params_copy(&params, &w->params);
    sh_walk_sequence(w, n, ctx, 0, ts_node_child_count(n));
    if (subshell) {
        sh_params_free(&w->params);
        w->params = params;
        sh_leave_subshell(w, scope);
        while (w->locals.len > nlocals)
            free(w->locals.items[--w->locals.len]);
        w->errexit = errexit;
        w->pipefail = pipefail;
    }
}

static void walk_inner(walker *w, TSNode n, sh_ctx ctx)
{
    const char *type = ts_node_type(n);
    if (strcmp(type, "command") == 0) {
        sh_emit(w, n, ctx, NULL, 0);
    } else if (strcmp(type, "redirected_statement") == 0) {
        walk_redirected(w, n, ctx);
    } else if (strcmp(type, "variable_assignment") == 0) {
        set_local_node(w, n);
    } else if (strcmp(type, "declaration_command") == 0) {
        /* export A=b / declare / local / readonly */
        uint32_t nc = ts_node_named_child_count(n);
        for (uint32_t i = 0; i < nc; i++)
            if (sh_is_type(ts_node_named_child(n, i), "variable_assignment"))
                set_local_node(w, ts_node_named_child(n, i));
    } else if (strcmp(type, "list") == 0) {
        walk_list(w, n, ctx);
    } else if (strcmp(type, "pipeline") == 0) {
        walk_pipeline(w, n, ctx);
    } else if (strcmp(type, "negated_command") == 0) {
        sh_ctx sc = ctx;
        sc.tail = false;
        sc.errexit_ok = false;
        for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
            sh_walk(w, ts_node_named_child(n, i), sc);
    } else if (strcmp(type, "subshell") == 0) {
        walk_scoped(w, n, ctx, true);
    } else if (strcmp(type, "program") == 0 || strcmp(type, "compound_statement") == 0) {
        walk_scoped(w, n, ctx, false);
    } else if (strcmp(type, "heredoc_body") == 0 || strcmp(type, "comment") == 0) {
        /* nothing runs */
    } else if (!sh_walk_compound(w, n, ctx)) {
        /* anything else (an ERROR node among them): the commands inside */
        for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
            sh_walk(w, ts_node_named_child(n, i), ctx);
    }
}

void sh_walk(walker *w, TSNode n, sh_ctx ctx)
{
    if (w->depth > SH_MAX_DEPTH)
        return;
    w->depth++;
    walk_inner(w, n, ctx);
    w->depth--;
}

/* ---- a script --------------------------------------------------------------------------- */

static void first_error(TSNode n, uint32_t *at, bool *found, int depth)
{
    if (*found || depth > SH_MAX_DEPTH)
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

void sh_walk_text(walker *w, const df_text *text, sh_ctx ctx)
{
    if (text->len > UINT32_MAX / 2)
        return;
    TSTree *tree = ts_parser_parse_string(w->parser, NULL, text->s, (uint32_t)text->len);
    if (!tree)
        return;
    const df_text *saved = w->script;
    w->script = text;
    size_t nlocals = w->locals.len;
    TSNode root = ts_tree_root_node(tree);
    if (ts_node_has_error(root) && !w->out->has_error) {
        uint32_t at = 0;
        bool found = false;
        first_error(root, &at, &found, 0);
        w->out->has_error = true;
        w->out->error_at = sh_offset(w, at);
    }
    sh_walk(w, root, ctx);
    if (w->nesting > 0) /* a shell of its own: its assignments end with it */
        while (w->locals.len > nlocals)
            free(w->locals.items[--w->locals.len]);
    w->script = saved;
    ts_tree_delete(tree);
}

void sh_parse(const df_text *script, const ex_env *env, const sh_options *o, sh_script *out)
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
    w.last_cmd = (size_t)-1;
    if (o) {
        w.errexit = o->errexit;
        w.pipefail = o->pipefail;
    }
    size_t cap = 0;
    DA_PUSH(out->scope_parent, out->nscopes, cap, (size_t)0); /* the script itself */
    sh_params_init(&w.params); /* RUN's sh -c gives its script none */
    w.parser = ts_parser_new();
    ts_parser_set_language(w.parser, tree_sitter_bash());
    sh_ctx ctx = {NULL, NULL, 0, true, true};
    sh_walk_text(&w, script, ctx);
    ts_parser_delete(w.parser);
    da_strlist_free(&w.locals);
    da_strlist_free(&w.unknown_locals);
    da_strlist_free(&w.used);
    da_strlist_free(&w.body_used);
    sh_params_free(&w.params);
}

void sh_script_free(sh_script *s)
{
    for (size_t i = 0; i < s->ncmds; i++)
        sh_command_free(&s->cmds[i]);
    free(s->cmds);
    for (size_t i = 0; i < s->nnotes; i++)
        free(s->notes[i].message);
    free(s->notes);
    free(s->scope_parent);
    memset(s, 0, sizeof(*s));
}
