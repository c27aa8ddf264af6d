/* RUN: the shell script Docker hands to /bin/sh -c (or the exec-form argv, or a heredoc
 * script), parsed into commands; `cd`, `source .../activate` and virtualenv creation
 * tracked along the script; install commands handed to install_command.c. */
#include "image/commands/install_command.h"

#include "depaudit/util.h"
#include "image/requirements/requirement_text.h"

#include <stdlib.h>
#include <string.h>

static bool is_shell(const char *exe)
{
    const char *b = rt_base_name(exe);
    return strcmp(b, "sh") == 0 || strcmp(b, "bash") == 0 || strcmp(b, "dash") == 0 ||
           strcmp(b, "ash") == 0 || strcmp(b, "zsh") == 0;
}

/* The script of a RUN: shell form text (with its heredocs appended, as the shell reads
 * them), the first heredoc alone for `RUN <<EOF`, or `sh -c SCRIPT` of the exec form. */
static bool build_script(pl_builder *b, const df_instruction *in, df_text *script)
{
    memset(script, 0, sizeof(*script));
    if (in->json) {
        if (in->argv.len >= 3 && is_shell(in->argv.items[0]) && in->argv.items[1][0] == '-' &&
            strchr(in->argv.items[1], 'c')) {
            const char *code = in->argv.items[2];
            const char *at = strstr(in->args.s, code);
            if (at)
                df_text_append(script, code, strlen(code), in->args.map[at - in->args.s], true);
            else
                df_text_append(script, code, strlen(code), in->start, false);
            return true;
        }
        return false;
    }
    if (da_str_starts_with(in->args.s, "<<") && in->nheredocs > 0) {
        const df_text *body = &in->heredocs[0].body;
        if (da_str_starts_with(body->s, "#!") && !strstr(body->s, "sh\n") &&
            !strstr(body->s, "bash")) {
            pl_warn(b, in->line,
                    "RUN heredoc with interpreter '%.*s' is not a shell script: "
                    "not modelled",
                    (int)(strchr(body->s, '\n') ? strchr(body->s, '\n') - body->s : 0), body->s);
            return false;
        }
        df_text_append(script, body->s, body->len, 0, true);
        memcpy(script->map, body->map, (body->len + 1) * sizeof(size_t));
        return true;
    }
    df_text_append(script, in->args.s, in->args.len, 0, true);
    memcpy(script->map, in->args.map, (in->args.len + 1) * sizeof(size_t));
    for (size_t h = 0; h < in->nheredocs; h++) {
        const df_heredoc *hd = &in->heredocs[h];
        size_t at = script->len;
        df_text_append(script, "\n", 1, in->args.map[in->args.len], false);
        at = script->len;
        df_text_append(script, hd->body.s, hd->body.len, 0, true);
        for (size_t k = 0; k <= hd->body.len; k++)
            script->map[at + k] = hd->body.map[k];
        df_text_append(script, hd->delim, strlen(hd->delim), hd->end, false);
    }
    return true;
}

/* --mount=type=bind,source=X,target=Y[,from=Z]: files visible during this RUN only. */
static size_t add_bind_mounts(pl_builder *b, const df_instruction *in)
{
    pl_stage *st = &b->stages[b->cur];
    size_t added = 0;
    for (size_t i = 0; i < in->nflags; i++) {
        if (strcmp(in->flags[i].name, "mount") != 0 || !in->flags[i].value)
            continue;
        char *spec = pl_expand(b, in->flags[i].value, strlen(in->flags[i].value));
        char *type = NULL, *source = NULL, *target = NULL, *from = NULL;
        char *save = NULL;
        for (char *kv = strtok_r(spec, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
            char *eq = strchr(kv, '=');
            if (!eq)
                continue;
            *eq = '\0';
            const char *v = eq + 1;
            char **slot = NULL;
            if (strcmp(kv, "type") == 0)
                slot = &type;
            else if (strcmp(kv, "source") == 0 || strcmp(kv, "src") == 0)
                slot = &source;
            else if (strcmp(kv, "target") == 0 || strcmp(kv, "dst") == 0 ||
                     strcmp(kv, "destination") == 0)
                slot = &target;
            else if (strcmp(kv, "from") == 0)
                slot = &from;
            if (slot) { /* the last of a repeated key wins */
                free(*slot);
                *slot = da_xstrdup(v);
            }
        }
        if ((!type || strcmp(type, "bind") == 0) && target) {
            pl_copy c;
            memset(&c, 0, sizeof(c));
            c.line = in->line;
            c.from_stage = PL_FROM_CONTEXT;
            if (from) {
                c.from_stage = PL_FROM_IMAGE;
                for (size_t s = 0; s < (size_t)b->cur; s++)
                    if (b->stages[s].name && strcasecmp(b->stages[s].name, from) == 0)
                        c.from_stage = (int)s;
            }
            const char *src = source ? source : (c.from_stage >= 0 ? "/" : ".");
            if (c.from_stage >= 0)
                c.src = rt_join_path("/", src);
            else
                c.src = rt_join_path(NULL, src[0] == '/' ? src + 1 : src);
            if (c.from_stage == PL_FROM_CONTEXT && da_str_starts_with(c.src, "..")) {
                pl_warn(b, in->line, "RUN --mount source %s is outside the build context", src);
                free(c.src);
                c.src = da_xstrdup(".nonexistent-outside-context");
            }
            c.dst = rt_join_path(st->workdir, target);
            char *hp = strcmp(b->context, ".") == 0 ? da_xstrdup(c.src)
                                                    : da_xasprintf("%s/%s", b->context, c.src);
            c.src_is_dir = c.from_stage >= 0 || strcmp(c.src, ".") == 0 || pl_host_is_dir(hp);
            free(hp);
            c.text = da_xasprintf("RUN --mount=%s", in->flags[i].value);
            DA_PUSH(st->copies, st->ncopies, st->ccap, c);
            added++;
        }
        free(type);
        free(source);
        free(target);
        free(from);
        free(spec);
    }
    return added;
}

static void drop_mounts(pl_builder *b, size_t n)
{
    pl_stage *st = &b->stages[b->cur];
    while (n-- > 0 && st->ncopies > 0) {
        pl_copy *c = &st->copies[--st->ncopies];
        free(c->src);
        free(c->dst);
        free(c->text);
    }
}

/* Handles commands that change the state later commands run in; returns true if it was
 * one of them. */
static bool track_state(pl_builder *b, const sh_command *c, ic_state *s, int line)
{
    const char *w0 = c->words[0].value;
    if (strcmp(w0, "cd") == 0) {
        if (c->nwords >= 2 && c->words[1].value[0] && strcmp(c->words[1].value, "-") != 0) {
            char *n = rt_join_path(s->cwd, c->words[1].value);
            free(s->cwd);
            s->cwd = n;
        }
        return true;
    }
    if ((strcmp(w0, ".") == 0 || strcmp(w0, "source") == 0) && c->nwords >= 2 &&
        da_str_ends_with(c->words[1].value, "/bin/activate")) {
        char *p = rt_join_path(s->cwd, c->words[1].value);
        p[strlen(p) - strlen("/bin/activate")] = '\0';
        free(s->active_venv);
        s->active_venv = p;
        return true;
    }
    if (strcmp(w0, "deactivate") == 0) {
        free(s->active_venv);
        s->active_venv = NULL;
        return true;
    }
    const char *bn = rt_base_name(w0);
    /* python -m venv DIR, virtualenv DIR, uv venv [DIR] */
    bool venv_cmd = false, seeded = true;
    size_t argi = 1;
    if (ic_is_python(bn)) {
        for (size_t i = 1; i + 1 < c->nwords; i++) {
            if (strcmp(c->words[i].value, "-m") == 0) {
                const char *mod = c->words[i + 1].value;
                if (strcmp(mod, "venv") == 0 || strcmp(mod, "virtualenv") == 0) {
                    venv_cmd = true;
                    argi = i + 2;
                }
                break;
            }
            if (c->words[i].value[0] != '-')
                break;
        }
    } else if (strcmp(bn, "virtualenv") == 0) {
        venv_cmd = true;
    } else if (strcmp(bn, "uv") == 0 && c->nwords >= 2 && strcmp(c->words[1].value, "venv") == 0) {
        venv_cmd = true;
        argi = 2;
        seeded = false;
        for (size_t i = 2; i < c->nwords; i++)
            if (strcmp(c->words[i].value, "--seed") == 0)
                seeded = true;
    }
    if (venv_cmd) {
        const char *dir = NULL;
        for (size_t i = argi; i < c->nwords; i++) {
            const char *w = c->words[i].value;
            if (w[0] == '-') {
                if (strcmp(w, "--prompt") == 0 || strcmp(w, "-p") == 0 ||
                    strcmp(w, "--python") == 0)
                    i++;
                if (strcmp(w, "--without-pip") == 0)
                    seeded = false;
                continue;
            }
            dir = w;
            break;
        }
        if (!dir && strcmp(bn, "uv") == 0)
            dir = ".venv";
        if (dir) {
            char *p = rt_join_path(s->cwd, dir);
            pl_add_venv(b, p, line, seeded);
            free(p);
        }
        return true;
    }
    if (strcmp(bn, "poetry") == 0 && c->nwords >= 2 && strcmp(c->words[1].value, "config") == 0) {
        /* poetry config [--local] KEY VALUE */
        const char *kv[2] = {NULL, NULL};
        for (size_t i = 2, n = 0; i < c->nwords && n < 2; i++)
            if (c->words[i].value[0] != '-')
                kv[n++] = c->words[i].value;
        if (kv[0] && kv[1]) {
            bool on = strcmp(kv[1], "true") == 0 || strcmp(kv[1], "1") == 0;
            if (strcmp(kv[0], "virtualenvs.create") == 0)
                b->stages[b->cur].poetry_in_system = !on;
            else if (strcmp(kv[0], "virtualenvs.in-project") == 0)
                b->stages[b->cur].poetry_in_project = on;
        }
        return true;
    }
    return false;
}

/* The state of each subshell of the script: a copy of its parent's when its first command
 * runs, so that a cd inside ( ) or `sh -c` does not move the commands after it. */
typedef struct scope_states {
    ic_state *items;
    bool *made;
    size_t n;
} scope_states;

static ic_state *state_of(scope_states *st, const sh_script *sc, size_t scope)
{
    if (scope >= st->n)
        return &st->items[0];
    if (!st->made[scope]) {
        /* a parent scope is always an older one: the walk up ends */
        size_t up = sc->scope_parent[scope] < scope ? sc->scope_parent[scope] : 0;
        const ic_state *parent = state_of(st, sc, up);
        st->items[scope].cwd = da_xstrdup(parent->cwd);
        st->items[scope].active_venv = parent->active_venv ? da_xstrdup(parent->active_venv) : NULL;
        st->items[scope].run_line = parent->run_line;
        st->made[scope] = true;
    }
    return &st->items[scope];
}

/* The exec form's argv as one command; spans point at the instruction. */
static void exec_form_command(const df_instruction *in, sh_script *script)
{
    sh_command c;
    memset(&c, 0, sizeof(c));
    c.start = in->start;
    c.status_checked = true;
    c.pipe_from = (size_t)-1;
    const char *from = in->args.s; /* each string after the one before: ["pip", "x", "pip"] */
    for (size_t i = 0; i < in->argv.len; i++) {
        sh_word w;
        memset(&w, 0, sizeof(w));
        w.value = da_xstrdup(in->argv.items[i]);
        size_t n = strlen(in->argv.items[i]);
        const char *at = strstr(from, in->argv.items[i]);
        /* the whole JSON string (between its quotes), or its place is unknown (escapes) */
        while (at && !(at > in->args.s && at[-1] == '"' && at[n] == '"'))
            at = strstr(at + 1, in->argv.items[i]);
        if (at) {
            from = at + n;
            w.start = in->args.map[at - in->args.s];
            w.end = in->args.map[at - in->args.s + n];
            w.quote = '"';
        } else {
            w.start = w.end = in->start;
        }
        DA_APPEND(c.words, c.nwords, w);
    }
    DA_APPEND(script->cmds, script->ncmds, c);
    DA_APPEND(script->scope_parent, script->nscopes, (size_t)0);
}

static void parse_script(pl_builder *b, const df_instruction *in, sh_script *script)
{
    memset(script, 0, sizeof(*script));
    df_text text;
    ex_env env = pl_env(b);
    const pl_stage *st = &b->stages[b->cur];
    sh_options o;
    sh_options_from_argv((const char *const *)st->shell.items, st->shell.len, &o);
    if (build_script(b, in, &text)) {
        sh_parse(&text, &env, &o, script);
        df_text_free(&text);
        if (script->has_error)
            pl_warn(b, df_line_of(&b->df, script->error_at),
                    "the shell syntax of this RUN could not be fully parsed: commands near here "
                    "may be missed");
        for (size_t i = 0; i < script->nnotes; i++)
            pl_warn(b, df_line_of(&b->df, script->notes[i].at), "%s", script->notes[i].message);
    } else if (in->json && in->argv.len > 0) {
        exec_form_command(in, script);
    }
}

char *ic_pipe_name(int run_line, size_t index)
{
    return da_xasprintf("/dev/stdin@%d:%zu", run_line, index);
}

void ic_run(pl_builder *b, const df_instruction *in)
{
    pl_stage *st = &b->stages[b->cur];
    size_t mounts = add_bind_mounts(b, in);
    sh_script script;
    parse_script(b, in, &script);
    scope_states states;
    states.n = script.nscopes ? script.nscopes : 1;
    states.items = da_xcalloc(states.n, sizeof(ic_state));
    states.made = da_xcalloc(states.n, sizeof(bool));
    states.items[0].cwd = da_xstrdup(st->workdir);
    states.items[0].run_line = in->line;
    states.made[0] = true;
    for (size_t i = 0; i < script.ncmds; i++) {
        const sh_command *c = &script.cmds[i];
        int line = df_line_of(&b->df, c->start);
        if (c->nwords == 0)
            continue;
        ic_state *s = state_of(&states, &script, c->scope);
        if (track_state(b, c, s, line))
            continue;
        char *pipe = c->pipe_from != (size_t)-1 ? ic_pipe_name(in->line, c->pipe_from) : NULL;
        s->cmd_index = i;
        s->stdin_file = pipe;
        ic_handle(b, c, s, line);
        s->stdin_file = NULL;
        free(pipe);
    }
    for (size_t i = 0; i < states.n; i++) {
        free(states.items[i].cwd);
        free(states.items[i].active_venv);
    }
    free(states.items);
    free(states.made);
    sh_script_free(&script);
    drop_mounts(b, mounts);
}
