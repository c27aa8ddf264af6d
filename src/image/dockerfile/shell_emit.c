/* One simple command as sh runs it: prefix assignments, words (fields), and redirections
 * taken out of the arguments. Only the first word after a redirection's operator is its
 * target; tree-sitter-bash hangs the words after it on the redirection as well, and they
 * are put back among the arguments here, in their place. A redirection written right
 * after a word (`pkg>=1`) is marked glued to it. `set -e`/`set -o pipefail` change how the
 * commands after them fail, and the body of `sh -c`/`bash -c`/`su -c` is walked as a
 * script of its own. */
#include "image/dockerfile/shell_walk.h"

#include <stdlib.h>
#include <string.h>

/* A command being formed: its words (and the node each came from), its redirections, and
 * where the element before the next one ended, to tell `pkg>=1` (glued) from `pkg >=1`. */
typedef struct emit_state {
    sh_command cmd;
    size_t wcap, rcap, ncap, nnodes;
    TSNode *nodes; /* the node of each word (when track_nodes) */
    bool track_nodes;
    uint32_t prev_end;
    size_t prev_word; /* the word a glued chain starts at, (size_t)-1 if none */
} emit_state;

static void add_words(walker *w, emit_state *e, TSNode n)
{
    size_t before = e->cmd.nwords;
    sh_fields(w, n, &e->cmd.words, &e->cmd.nwords, &e->wcap);
    if (e->track_nodes)
        while (e->nnodes < e->cmd.nwords)
            DA_PUSH(e->nodes, e->nnodes, e->ncap, n);
    e->prev_end = ts_node_end_byte(n);
    e->prev_word = e->cmd.nwords > before ? e->cmd.nwords - 1 : (size_t)-1;
}

static int descriptor(const char *t, size_t len)
{
    int fd = 0;
    for (size_t i = 0; i < len && i < 4; i++) {
        if (t[i] < '0' || t[i] > '9')
            return -1;
        fd = fd * 10 + (t[i] - '0');
    }
    return len > 0 && len <= 4 ? fd : -1;
}

/* A file_redirect or herestring_redirect: its first destination is its target, the words
 * after it are arguments. */
static void add_redirect(walker *w, emit_state *e, TSNode r)
{
    sh_redirect rd;
    memset(&rd, 0, sizeof(rd));
    rd.fd = -1;
    rd.start = sh_offset(w, ts_node_start_byte(r));
    rd.glued = ts_node_start_byte(r) == e->prev_end;
    rd.word = rd.glued ? e->prev_word : (size_t)-1;
    bool have_target = false;
    uint32_t nc = ts_node_child_count(r);
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = ts_node_child(r, i);
        size_t len;
        const char *t = sh_node_text(w, c, &len);
        if (!ts_node_is_named(c)) {
            if (!have_target && len < sizeof(rd.op))
                memcpy(rd.op, t, len);
            continue;
        }
        if (sh_is_type(c, "file_descriptor")) {
            rd.fd = descriptor(t, len);
            continue;
        }
        if (sh_is_type(c, "comment"))
            continue;
        if (!have_target) {
            rd.target = sh_single(w, c);
            rd.end = sh_offset(w, ts_node_end_byte(c) - 1) + 1;
            have_target = true;
            e->prev_end = ts_node_end_byte(c);
            e->prev_word = rd.word;
            continue;
        }
        add_words(w, e, c); /* sh: an argument of the command */
    }
    if (!have_target) {
        rd.target.value = da_xstrdup("");
        rd.end = sh_offset(w, ts_node_end_byte(r));
    }
    DA_PUSH(e->cmd.redirects, e->cmd.nredirects, e->rcap, rd);
}

static bool is_redirect(TSNode c)
{
    return sh_is_type(c, "file_redirect") || sh_is_type(c, "herestring_redirect");
}

/* Children: prefix assignments, the command_name, then arguments and redirections. (Field
 * names are not used: ts_node_field_name_for_child is unreliable in the tree-sitter release
 * Debian ships.) */
static void command_children(walker *w, emit_state *e, TSNode n)
{
    uint32_t nc = ts_node_child_count(n);
    bool seen_name = false;
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = ts_node_child(n, i);
        if (!ts_node_is_named(c)) {
            /* `$`, `=~`, `==` tokens of test-like commands: keep as literal words */
            if (seen_name)
                add_words(w, e, c);
            continue;
        }
        if (!seen_name && sh_is_type(c, "variable_assignment")) {
            char *name, *value;
            bool unknown;
            sh_assignment(w, c, &name, &value, &unknown);
            da_strlist_push_owned(&e->cmd.assigns, da_xasprintf("%s=%s", name, value));
            free(name);
            free(value);
            continue;
        }
        if (is_redirect(c)) {
            add_redirect(w, e, c);
            continue;
        }
        if (sh_is_type(c, "heredoc_redirect") || sh_is_type(c, "comment"))
            continue;
        if (sh_is_type(c, "command_name")) {
            seen_name = true;
            add_words(w, e, ts_node_named_child_count(c) > 0 ? ts_node_named_child(c, 0) : c);
            continue;
        }
        if (seen_name)
            add_words(w, e, c);
    }
}

void sh_command_free(sh_command *c)
{
    for (size_t j = 0; j < c->nwords; j++)
        free(c->words[j].value);
    free(c->words);
    for (size_t j = 0; j < c->nredirects; j++)
        free(c->redirects[j].target.value);
    free(c->redirects);
    da_strlist_free(&c->assigns);
    da_strlist_free(&c->locals);
    da_strlist_free(&c->unset);
    memset(c, 0, sizeof(*c));
}

/* `set -e`, `set -eux`, `set -o errexit`, `set +e`, `set -o pipefail`. */
static void track_set(walker *w, const sh_command *c)
{
    if (strcmp(c->words[0].value, "set") != 0)
        return;
    for (size_t i = 1; i < c->nwords; i++) {
        const char *a = c->words[i].value;
        if (strcmp(a, "--") == 0 || (a[0] != '-' && a[0] != '+'))
            break;
        bool on = a[0] == '-';
        for (const char *p = a + 1; *p; p++) {
            if (*p == 'e')
                w->errexit = on;
            if (*p == 'o' && i + 1 < c->nwords) {
                const char *opt = c->words[++i].value;
                if (strcmp(opt, "errexit") == 0)
                    w->errexit = on;
                else if (strcmp(opt, "pipefail") == 0)
                    w->pipefail = on;
                break;
            }
        }
    }
}

/* The command node as sh forms it with the positional parameters' list alt. */
static void form(walker *w, TSNode n, sh_ctx ctx, const TSNode *extra, size_t nextra, size_t alt,
                 emit_state *e)
{
    memset(e, 0, sizeof(*e));
    e->prev_end = UINT32_MAX;
    e->prev_word = (size_t)-1;
    e->track_nodes = true;
    e->cmd.pipe_from = (size_t)-1;
    e->cmd.start = sh_offset(w, ts_node_start_byte(n));
    e->cmd.conditional = ctx.why != NULL;
    e->cmd.why_conditional = ctx.why;
    e->cmd.status_checked = ctx.tail || (ctx.errexit_ok && w->errexit);
    e->cmd.shell_c = ctx.shell_c;
    e->cmd.shell_c_quote = ctx.shell_c_quote;
    e->cmd.scope = w->scope;
    w->params_alt = alt;
    w->unset = &e->cmd.unset;
    command_children(w, e, n);
    for (size_t i = 0; i < nextra; i++)
        add_redirect(w, e, extra[i]);
    w->unset = NULL;
    w->params_alt = 0;
    /* an unset variable that gave the parameters no word stands where they are used */
    if (w->params_used)
        for (size_t i = 0; i < w->params.unset.len; i++)
            if (!da_strlist_contains(&e->cmd.unset, w->params.unset.items[i]))
                da_strlist_push(&e->cmd.unset, w->params.unset.items[i]);
}

static void push(walker *w, emit_state *e, sh_ctx ctx)
{
    for (size_t i = 0; i < w->locals.len; i++)
        da_strlist_push(&e->cmd.locals, w->locals.items[i]);
    track_set(w, &e->cmd);
    DA_PUSH(w->out->cmds, w->out->ncmds, w->cap, e->cmd);
    w->last_cmd = w->out->ncmds - 1;
    w->last_end = e->prev_end;
    w->last_word = e->prev_word;
    sh_shell_c(w, w->last_cmd, e->nodes, e->nnodes, ctx);
    free(e->nodes);
}

/* `set -- ...` or `shift` formed with each list the parameters may hold: what they hold
 * after it. first is the command formed with list 0. */
static void change_params(walker *w, TSNode n, sh_ctx ctx, const TSNode *extra, size_t nextra,
                          const emit_state *first, bool per_alt)
{
    sh_params next;
    memset(&next, 0, sizeof(next));
    bool is_shift = strcmp(first->cmd.words[0].value, "shift") == 0;
    if (is_shift && w->params.unknown)
        return; /* unknown stays unknown */
    size_t nalts = per_alt || is_shift ? w->params.nalts : 1;
    bool have = false;
    for (size_t i = 0; i < nalts; i++) {
        emit_state e;
        const emit_state *c = first;
        if (i > 0 && per_alt) {
            form(w, n, ctx, extra, nextra, i, &e);
            c = &e;
        }
        sh_params one;
        if (!sh_params_command(&c->cmd, &one)) {
            memset(&one, 0, sizeof(one));
            sh_params_init(&one);
        }
        if (is_shift)
            sh_params_add_unset(&one, &w->params.unset);
        else
            sh_params_add_unset(&one, &c->cmd.unset);
        if (is_shift && !one.unknown) {
            size_t by = c->cmd.nwords > 1 ? (size_t)strtoul(c->cmd.words[1].value, NULL, 10) : 1;
            da_strlist_free(&one.alts[0]);
            da_strlist_copy_into(&one.alts[0], &w->params.alts[i]);
            sh_params_shift(&one.alts[0], by);
        }
        if (!have)
            sh_params_copy(&next, &one);
        else
            sh_params_union(&next, &one, w->params.why);
        have = true;
        sh_params_free(&one);
        if (c != first) {
            sh_command_free(&e.cmd);
            free(e.nodes);
        }
    }
    if (next.nalts > 1 && !next.why)
        next.why = w->params.why;
    sh_params_free(&w->params);
    w->params = next;
}

void sh_emit(walker *w, TSNode n, sh_ctx ctx, const TSNode *extra, size_t nextra)
{
    if (w->steps++ > SH_MAX_STEPS)
        return;
    emit_state e;
    w->params_used = false;
    form(w, n, ctx, extra, nextra, 0, &e);
    bool per_alt = w->params_used && !w->params.unknown && w->params.nalts > 1;
    if (e.cmd.nwords == 0) {
        /* `A=1 B=2` alone: assignments for the rest of the script. */
        for (size_t i = 0; i < e.cmd.assigns.len; i++) {
            char *eq = strchr(e.cmd.assigns.items[i], '=');
            *eq = '\0';
            sh_set_local(w, e.cmd.assigns.items[i], eq + 1, per_alt);
        }
        sh_command_free(&e.cmd);
        free(e.nodes);
        return;
    }
    sh_params probe;
    bool changes = sh_params_command(&e.cmd, &probe);
    if (changes) {
        sh_params_free(&probe);
        change_params(w, n, ctx, extra, nextra, &e, per_alt);
    }
    if (!per_alt || changes) {
        push(w, &e, ctx);
        return;
    }
    /* one command per list the parameters may hold, each maybe running */
    size_t nalts = w->params.nalts;
    const char *why = ctx.why ? ctx.why : w->params.why ? w->params.why : "if";
    sh_ctx alt_ctx = ctx;
    alt_ctx.why = why;
    for (size_t i = 0; i < nalts; i++) {
        if (i > 0)
            form(w, n, alt_ctx, extra, nextra, i, &e);
        e.cmd.conditional = true;
        e.cmd.why_conditional = why;
        push(w, &e, alt_ctx);
    }
}

void sh_attach_redirects(walker *w, size_t cmd, const TSNode *extra, size_t nextra)
{
    emit_state e;
    memset(&e, 0, sizeof(e));
    e.cmd = w->out->cmds[cmd];
    e.wcap = e.cmd.nwords;
    e.rcap = e.cmd.nredirects;
    e.prev_end = w->last_end;
    e.prev_word = w->last_word;
    for (size_t i = 0; i < nextra; i++)
        add_redirect(w, &e, extra[i]);
    w->out->cmds[cmd] = e.cmd;
    w->last_end = e.prev_end;
    w->last_word = e.prev_word;
}
