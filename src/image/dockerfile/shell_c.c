/* The script a command hands to a shell: `sh -c BODY`, `bash -eo pipefail -c BODY`,
 * `su -c BODY user`, also behind sudo, env, nice, gosu and the like. BODY is a script of its
 * own, run by a new shell: it is parsed and walked like the RUN body, in a subshell (its cd
 * does not last), starting with the options the shell was given. */
#include "image/dockerfile/shell_walk.h"

#include <stdlib.h>
#include <string.h>

static bool is_shell_name(const char *bn)
{
    static const char *const names[] = {"sh", "bash", "dash", "ash", "zsh", "ksh", "busybox"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(bn, names[i]) == 0)
            return true;
    return false;
}

/* The index of the word that runs, past wrappers that run the next word as the command. */
static size_t skip_wrappers(const sh_command *c)
{
    size_t i = 0;
    while (i < c->nwords) {
        const char *bn = da_path_base_name(c->words[i].value);
        bool user_arg = strcmp(bn, "gosu") == 0 || strcmp(bn, "su-exec") == 0;
        if (!user_arg && strcmp(bn, "sudo") != 0 && strcmp(bn, "env") != 0 &&
            strcmp(bn, "nice") != 0 && strcmp(bn, "nohup") != 0 && strcmp(bn, "time") != 0 &&
            strcmp(bn, "exec") != 0 && strcmp(bn, "command") != 0 && strcmp(bn, "runuser") != 0)
            break;
        bool env = strcmp(bn, "env") == 0, sudo = strcmp(bn, "sudo") == 0;
        i++;
        while (i < c->nwords) {
            const char *a = c->words[i].value;
            if (strcmp(a, "--") == 0) {
                i++;
                break;
            }
            if (a[0] == '-') {
                /* options with a value: sudo -u/-g/-C, env -u, nice -n, runuser -u */
                if (strlen(a) == 2 && strchr(sudo ? "ugCDhpRrTt" : "un", a[1]))
                    i++;
                i++;
                continue;
            }
            if (env && strchr(a, '=')) {
                i++;
                continue;
            }
            break;
        }
        if (user_arg && i < c->nwords)
            i++;
    }
    return i;
}

/* `sh [options] -c BODY`: the index of BODY (0 if none) and the options for it. */
static size_t shell_body(const sh_command *c, size_t i, sh_options *o)
{
    bool has_c = false;
    size_t k = i + 1;
    while (k < c->nwords) {
        const char *a = c->words[k].value;
        if (strcmp(a, "--") == 0 || strcmp(a, "-") == 0) {
            k++;
            break;
        }
        if ((a[0] != '-' && a[0] != '+') || !a[1])
            break;
        k++;
        if (a[1] == '-') { /* --login, --posix, --rcfile FILE */
            if (strcmp(a, "--rcfile") == 0 || strcmp(a, "--init-file") == 0)
                k++;
            continue;
        }
        for (const char *p = a + 1; *p; p++) {
            if (*p == 'c')
                has_c = true;
            else if (*p == 'e')
                o->errexit = a[0] == '-';
            else if (*p == 'o' && k < c->nwords) {
                const char *opt = c->words[k++].value;
                if (strcmp(opt, "pipefail") == 0)
                    o->pipefail = a[0] == '-';
                else if (strcmp(opt, "errexit") == 0)
                    o->errexit = a[0] == '-';
            }
        }
    }
    return has_c && k < c->nwords ? k : 0;
}

/* `su [options] [-] [user] -c BODY`. */
static size_t su_body(const sh_command *c, size_t i)
{
    for (size_t k = i + 1; k + 1 < c->nwords; k++)
        if (strcmp(c->words[k].value, "-c") == 0 || strcmp(c->words[k].value, "--command") == 0)
            return k + 1;
    return 0;
}

void sh_options_from_argv(const char *const *argv, size_t n, sh_options *o)
{
    memset(o, 0, sizeof(*o));
    sh_command c;
    memset(&c, 0, sizeof(c));
    c.words = da_xcalloc(n + 1, sizeof(sh_word));
    for (size_t i = 0; i < n; i++)
        c.words[i].value = (char *)argv[i];
    c.nwords = n;
    if (n > 0)
        (void)shell_body(&c, 0, o);
    free(c.words);
}

void sh_shell_c(walker *w, size_t cmd, const TSNode *nodes, size_t nnodes, sh_ctx ctx)
{
    if (w->nesting >= SH_MAX_NESTING)
        return;
    const sh_command *c = &w->out->cmds[cmd];
    size_t i = skip_wrappers(c);
    if (i >= c->nwords)
        return;
    const char *bn = da_path_base_name(c->words[i].value);
    sh_options o;
    memset(&o, 0, sizeof(o));
    size_t body = 0;
    const char *label = NULL;
    if (is_shell_name(bn)) {
        body = shell_body(c, i, &o);
        label = strcmp(bn, "bash") == 0 ? "bash -c" : "sh -c";
    } else if (strcmp(bn, "su") == 0) {
        body = su_body(c, i);
        label = "su -c";
    }
    if (body == 0 || body >= nnodes)
        return;
    df_text text;
    /* a body that is one field of its word maps byte for byte to the file */
    bool one_field = !ts_node_eq(nodes[body - 1], nodes[body]) &&
                     (body + 1 >= nnodes || !ts_node_eq(nodes[body + 1], nodes[body]));
    /* what the body's text read (`bash -c "... $ARG ..."`), for the notes of its branches */
    da_strlist saved_used = w->used, saved_body = w->body_used;
    memset(&w->used, 0, sizeof(w->used));
    w->collect_used = true;
    if (one_field) {
        sh_mapped(w, nodes[body], &text);
    } else {
        memset(&text, 0, sizeof(text));
        df_text_append(&text, c->words[body].value, strlen(c->words[body].value),
                       c->words[body].start, false);
    }
    w->collect_used = false;
    w->body_used = w->used;
    for (size_t k = 0; k < saved_body.len; k++)
        if (!da_strlist_contains(&w->body_used, saved_body.items[k]))
            da_strlist_push(&w->body_used, saved_body.items[k]);
    w->used = saved_used;
    sh_ctx inner = ctx;
    inner.shell_c = label;
    inner.shell_c_quote = c->words[body].quote;
    bool errexit = w->errexit, pipefail = w->pipefail;
    w->errexit = o.errexit;
    w->pipefail = o.pipefail;
    w->nesting++;
    size_t scope = sh_enter_subshell(w);
    /* `sh -c BODY NAME ARGS...`: the body's $0 is NAME, its $@ the ARGS */
    sh_params outer_params = w->params;
    sh_params_init(&w->params);
    for (size_t k = body + 2; k < c->nwords; k++) {
        if (c->words[k].unknown) {
            sh_params_set_unknown(&w->params);
            break;
        }
        da_strlist_push(&w->params.alts[0], c->words[k].value);
    }
    sh_walk_text(w, &text, inner);
    sh_params_free(&w->params);
    w->params = outer_params;
    sh_leave_subshell(w, scope);
    w->nesting--;
    w->errexit = errexit;
    w->pipefail = pipefail;
    da_strlist_free(&w->body_used);
    w->body_used = saved_body;
    df_text_free(&text);
}
