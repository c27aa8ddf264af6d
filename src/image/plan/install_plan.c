/* da_install_plan_load: walks the Dockerfile's instructions in order, keeping per-stage
 * state (variables, WORKDIR, USER, SHELL, CMD, copies, installs), then lets plan_finish.c
 * turn it into the final image's plan. */
#include "image/commands/install_command.h"
#include "image/plan/plan_model.h"

#include "depaudit/util.h"
#include "image/requirements/requirement_text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool valid_name(const char *s)
{
    if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
        return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return false;
    return true;
}

/* ARG NAME[=default] [NAME2[=default2] ...] */
static void do_arg(pl_builder *b, const df_instruction *in)
{
    ex_span *sp = NULL;
    size_t n = ex_split(in->args.s, in->args.len, b->df.escape, &sp);
    if (n == 0)
        pl_warn(b, in->line, "ARG without a name");
    for (size_t i = 0; i < n; i++) {
        const char *w = in->args.s + sp[i].start;
        size_t wl = sp[i].end - sp[i].start;
        const char *eq = memchr(w, '=', wl);
        char *name = da_xstrndup(w, eq ? (size_t)(eq - w) : wl);
        if (!valid_name(name)) {
            pl_warn(b, in->line, "ARG name '%s' is not valid", name);
            free(name);
            continue;
        }
        char *dflt = eq ? pl_expand(b, eq + 1, wl - (size_t)(eq - w) - 1) : NULL;
        pl_declare_arg(b, name, dflt, in->line);
        free(dflt);
        free(name);
    }
    free(sp);
}

/* ENV A=b C=d, or the legacy ENV A b c (the rest of the line is the value). */
static void do_env(pl_builder *b, const df_instruction *in)
{
    pl_stage *st = &b->stages[b->cur];
    ex_span *sp = NULL;
    size_t n = ex_split(in->args.s, in->args.len, b->df.escape, &sp);
    if (n == 0) {
        pl_warn(b, in->line, "ENV without a name");
        free(sp);
        return;
    }
    const char *first = in->args.s + sp[0].start;
    size_t fl = sp[0].end - sp[0].start;
    if (!memchr(first, '=', fl)) {
        char *name = da_xstrndup(first, fl);
        size_t vs = sp[0].end;
        while (vs < in->args.len && isspace((unsigned char)in->args.s[vs]))
            vs++;
        char *value = pl_expand(b, in->args.s + vs, in->args.len - vs);
        pl_set_var(st, name, value, false, in->line);
        free(name);
        free(value);
        free(sp);
        return;
    }
    /* All values are expanded with the variables as they were before this line. */
    da_strlist names = {0}, values = {0};
    for (size_t i = 0; i < n; i++) {
        const char *w = in->args.s + sp[i].start;
        size_t wl = sp[i].end - sp[i].start;
        const char *eq = memchr(w, '=', wl);
        if (!eq) {
            pl_warn(b, in->line, "ENV: '%.*s' has no '=' (mixing both ENV forms)", (int)wl, w);
            continue;
        }
        da_strlist_push_owned(&names, da_xstrndup(w, (size_t)(eq - w)));
        da_strlist_push_owned(&values, pl_expand(b, eq + 1, wl - (size_t)(eq - w) - 1));
    }
    for (size_t i = 0; i < names.len; i++)
        pl_set_var(st, names.items[i], values.items[i], false, in->line);
    da_strlist_free(&names);
    da_strlist_free(&values);
    free(sp);
}

static int do_from(pl_builder *b, const df_instruction *in, da_error *err)
{
    ex_span *sp = NULL;
    size_t n = ex_split(in->args.s, in->args.len, b->df.escape, &sp);
    int saved = b->cur;
    b->cur = -1; /* FROM sees only the global ARGs */
    char *image =
        n > 0 ? pl_expand(b, in->args.s + sp[0].start, sp[0].end - sp[0].start) : da_xstrdup("");
    b->cur = saved;
    char *name = NULL;
    if (n == 3 && sp[1].end - sp[1].start == 2 &&
        strncasecmp(in->args.s + sp[1].start, "as", 2) == 0) {
        name = da_xstrndup(in->args.s + sp[2].start, sp[2].end - sp[2].start);
        for (char *p = name; *p; p++)
            *p = (char)tolower((unsigned char)*p);
    } else if (n != 1) {
        free(sp);
        free(image);
        return da_error_set(err, b->df.path, in->line, 0,
                            "FROM takes an image and optionally 'AS name'");
    }
    free(sp);
    if (!image[0]) {
        free(image);
        free(name);
        return da_error_set(err, b->df.path, in->line, 0, "FROM names no image");
    }
    pl_stage st;
    memset(&st, 0, sizeof(st));
    st.index = (int)b->nstages;
    st.name = name;
    st.base_stage = -1;
    char *lower = da_xstrdup(image);
    for (char *p = lower; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    for (size_t i = 0; i < b->nstages; i++)
        if (b->stages[i].name && strcmp(b->stages[i].name, lower) == 0)
            st.base_stage = (int)i;
    free(lower);
    if (name)
        for (size_t i = 0; i < b->nstages; i++)
            if (b->stages[i].name && strcmp(b->stages[i].name, name) == 0)
                pl_warn(b, in->line, "stage name '%s' is used twice", name);
    if (st.base_stage >= 0) {
        const pl_stage *base = &b->stages[st.base_stage];
        for (size_t i = 0; i < base->nvars; i++)
            if (pl_latest_env(base, i))
                pl_set_var(&st, base->vars[i].name, base->vars[i].value, false, base->vars[i].line);
        st.workdir = da_xstrdup(base->workdir);
        st.user = base->user ? da_xstrdup(base->user) : NULL;
        for (size_t i = 0; i < base->shell.len; i++)
            da_strlist_push(&st.shell, base->shell.items[i]);
        for (size_t i = 0; i < base->cmd.len; i++)
            da_strlist_push(&st.cmd, base->cmd.items[i]);
        st.cmd_shell = base->cmd_shell;
        st.cmd_line = base->cmd_line;
        for (size_t i = 0; i < base->entrypoint.len; i++)
            da_strlist_push(&st.entrypoint, base->entrypoint.items[i]);
        st.ep_shell = base->ep_shell;
        st.ep_line = base->ep_line;
        st.image = da_xstrdup(base->image);
        st.image_line = base->image_line;
        st.poetry_in_system = base->poetry_in_system;
        st.poetry_in_project = base->poetry_in_project;
    } else {
        st.workdir = da_xstrdup("/");
        da_strlist_push(&st.shell, "/bin/sh");
        da_strlist_push(&st.shell, "-c");
        st.image = da_xstrdup(image);
        st.image_line = in->line;
    }
    DA_PUSH(b->stages, b->nstages, b->scap, st);
    b->cur = (int)b->nstages - 1;
    da_plan_stage ps;
    memset(&ps, 0, sizeof(ps));
    ps.name = name ? da_xstrdup(name) : NULL;
    ps.index = b->cur;
    ps.base = image;
    ps.base_stage = st.base_stage;
    ps.file = da_xstrdup(b->df.path);
    ps.line = in->line;
    DA_APPEND(b->plan->stages, b->plan->nstages, ps);
    const char *platform = df_flag_value(in, "platform");
    if (platform && !b->platform_given) {
        b->cur = -1;
        char *pv = pl_expand(b, platform, strlen(platform));
        b->cur = (int)b->nstages - 1;
        char m[32], a[16];
        if (pl_machine_from_platform(pv, m, sizeof(m), a, sizeof(a))) {
            free(b->stage_platform);
            b->stage_platform = da_xstrdup(m);
            b->stage_platform_stage = b->cur;
        }
        free(pv);
    }
    return 0;
}

static void do_cmd(pl_builder *b, const df_instruction *in, bool entrypoint)
{
    pl_stage *st = &b->stages[b->cur];
    da_strlist *argv = entrypoint ? &st->entrypoint : &st->cmd;
    da_strlist_free(argv);
    if (in->json) {
        for (size_t i = 0; i < in->argv.len; i++)
            da_strlist_push(argv, in->argv.items[i]);
    } else {
        for (size_t i = 0; i < st->shell.len; i++)
            da_strlist_push(argv, st->shell.items[i]);
        da_strlist_push(argv, in->args.s);
    }
    if (entrypoint) {
        st->ep_shell = !in->json;
        st->ep_line = in->line;
        /* An ENTRYPOINT resets a CMD inherited from the base. */
        if (st->cmd_line && st->cmd_line < b->plan->stages[b->cur].line) {
            da_strlist_free(&st->cmd);
            st->cmd_line = 0;
        }
    } else {
        st->cmd_shell = !in->json;
        st->cmd_line = in->line;
    }
}

static int walk(pl_builder *b, da_error *err)
{
    for (size_t i = 0; i < b->df.nins; i++) {
        const df_instruction *in = &b->df.ins[i];
        const char *kw = in->keyword;
        b->line = in->line;
        if (strcmp(kw, "FROM") == 0) {
            if (do_from(b, in, err) < 0)
                return -1;
            continue;
        }
        if (b->cur < 0) {
            if (strcmp(kw, "ARG") == 0) {
                do_arg(b, in);
                continue;
            }
            return da_error_set(err, b->df.path, in->line, 0,
                                "%s before the first FROM (only ARG may come before it)", kw);
        }
        pl_stage *st = &b->stages[b->cur];
        if (strcmp(kw, "ARG") == 0) {
            do_arg(b, in);
        } else if (strcmp(kw, "ENV") == 0) {
            do_env(b, in);
        } else if (strcmp(kw, "RUN") == 0) {
            ic_run(b, in);
        } else if (strcmp(kw, "COPY") == 0 || strcmp(kw, "ADD") == 0) {
            pl_add_copy(b, in);
        } else if (strcmp(kw, "WORKDIR") == 0) {
            char *w = pl_expand(b, in->args.s, in->args.len);
            char *abs = rt_join_path(st->workdir, w);
            free(st->workdir);
            st->workdir = abs;
            free(w);
        } else if (strcmp(kw, "USER") == 0) {
            char *u = pl_expand(b, in->args.s, in->args.len);
            char *colon = strchr(u, ':');
            if (colon)
                *colon = '\0';
            free(st->user);
            st->user = u;
        } else if (strcmp(kw, "SHELL") == 0) {
            if (!in->json || in->argv.len == 0) {
                pl_warn(b, in->line, "SHELL must be a JSON array: ignored");
            } else {
                da_strlist_free(&st->shell);
                for (size_t k = 0; k < in->argv.len; k++)
                    da_strlist_push(&st->shell, in->argv.items[k]);
                const char *sh = strrchr(in->argv.items[0], '/');
                sh = sh ? sh + 1 : in->argv.items[0];
                if (strcmp(sh, "sh") != 0 && strcmp(sh, "bash") != 0 && strcmp(sh, "dash") != 0 &&
                    strcmp(sh, "ash") != 0 && strcmp(sh, "zsh") != 0)
                    pl_warn(b, in->line,
                            "SHELL %s is not a POSIX shell: RUN bodies are still "
                            "read as shell scripts",
                            in->argv.items[0]);
            }
        } else if (strcmp(kw, "CMD") == 0) {
            do_cmd(b, in, false);
        } else if (strcmp(kw, "ENTRYPOINT") == 0) {
            do_cmd(b, in, true);
        } else if (strcmp(kw, "ONBUILD") == 0) {
            pl_warn(b, in->line, "ONBUILD runs only in images built FROM this one: not modelled");
        }
        /* LABEL, EXPOSE, VOLUME, STOPSIGNAL, HEALTHCHECK, MAINTAINER: nothing to model */
    }
    if (b->nstages == 0)
        return da_error_set(err, b->df.path, 0, 0, "no FROM instruction");
    return 0;
}

static int parse_python_override(const char *s, int *ma, int *mi, int *mc)
{
    *mc = -1;
    char tail;
    int n = sscanf(s, "%d.%d.%d%c", ma, mi, mc, &tail);
    if (n == 2 || n == 3)
        return *ma == 3 && *mi >= 0 && *mi < 100 ? 0 : -1;
    return -1;
}

int da_install_plan_load(const char *dockerfile, const da_plan_options *o, da_install_plan *out,
                         da_error *err)
{
    memset(out, 0, sizeof(*out));
    static const da_plan_options none = {0};
    if (!o)
        o = &none;
    pl_builder b;
    memset(&b, 0, sizeof(b));
    b.o = o;
    b.plan = out;
    b.cur = -1;
    b.stage_platform_stage = -1;
    snprintf(b.machine, sizeof(b.machine), "x86_64");
    snprintf(b.arch, sizeof(b.arch), "amd64");
    if (o->platform) {
        if (!pl_machine_from_platform(o->platform, b.machine, sizeof(b.machine), b.arch,
                                      sizeof(b.arch)))
            return da_error_set(err, NULL, 0, 0,
                                "unknown --platform '%s' (expected linux/amd64, linux/arm64, ...)",
                                o->platform);
        b.platform_given = true;
    }
    snprintf(b.platform_str, sizeof(b.platform_str), "linux/%s", b.arch);
    int ma = 0, mi = 0, mc = -1;
    if (o->python_version && parse_python_override(o->python_version, &ma, &mi, &mc) < 0)
        return da_error_set(err, NULL, 0, 0, "--python-version '%s' is not X.Y or X.Y.Z",
                            o->python_version);
    if (da_read_file_under(NULL, dockerfile, DA_TEXT_FILE_MAX, &b.df_data, &b.df_len, err) < 0)
        return -1;
    if (memchr(b.df_data, '\0', b.df_len)) {
        free(b.df_data);
        return da_error_set(err, dockerfile, 0, 0, "not a text file (it holds NUL bytes)");
    }
    b.context = o->context_dir ? da_xstrdup(o->context_dir) : rt_dir_of(dockerfile);
    out->dockerfile = da_xstrdup(dockerfile);
    out->context_dir = da_xstrdup(b.context);
    out->context_reason = o->context_reason ? da_xstrdup(o->context_reason) : NULL;
    out->context_guessed = o->context_guessed;
    int rc = df_parse(dockerfile, b.df_data, b.df_len, &b.df, err);
    if (rc == 0)
        rc = walk(&b, err);
    if (rc == 0) {
        out->final_stage = (int)b.nstages - 1;
        if (o->target_stage) {
            out->final_stage = -1;
            for (size_t i = 0; i < b.nstages; i++)
                if (b.stages[i].name && strcasecmp(b.stages[i].name, o->target_stage) == 0)
                    out->final_stage = (int)i;
            if (out->final_stage < 0) {
                da_buf names = {0};
                da_buf_puts(&names, "");
                for (size_t i = 0; i < b.nstages; i++)
                    if (b.stages[i].name)
                        da_buf_printf(&names, "%s%s", names.len ? ", " : "", b.stages[i].name);
                rc = da_error_set(err, dockerfile, 0, 0,
                                  "--target %s: no stage of that name (stages: %s)",
                                  o->target_stage, names.len ? names.data : "none named");
                da_buf_free(&names);
            }
        }
    }
    if (rc == 0) {
        if (o->python_version) {
            da_target_init(&out->target, ma, mi, mc);
            out->python_overridden = true;
        }
        pl_finish(&b);
        if (b.fatal_message) {
            rc = da_error_set(err, b.fatal_file, b.fatal_line, 0, "%s", b.fatal_message);
        }
    }
    pl_builder_free(&b);
    if (rc < 0)
        da_install_plan_free(out);
    return rc;
}
