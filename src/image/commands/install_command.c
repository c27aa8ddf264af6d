/* Which installer a shell command is (through wrappers such as sudo and env), handed to
 * its own module (pip_command.c, project_install.c, pipenv.c), and what the installers
 * share: the op skeleton, adding it to the plan, variables as the command sees them. */
#include "image/commands/install_command.h"

#include "depaudit/util.h"
#include "image/commands/pip_command.h"
#include "image/requirements/requirement_text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* stem followed by a version or none: pip, pip3, pip3.11 */
static bool is_versioned(const char *bn, const char *stem)
{
    size_t n = strlen(stem);
    if (strncmp(bn, stem, n) != 0)
        return false;
    const char *p = bn + n;
    while (isdigit((unsigned char)*p) || *p == '.')
        p++;
    return *p == '\0';
}

bool ic_is_python(const char *bn)
{
    return is_versioned(bn, "python");
}

static bool is_pip(const char *bn)
{
    return is_versioned(bn, "pip");
}

static const char *list_value(const da_strlist *l, const char *name)
{
    size_t nl = strlen(name);
    for (size_t i = l->len; i > 0; i--)
        if (strncmp(l->items[i - 1], name, nl) == 0 && l->items[i - 1][nl] == '=')
            return l->items[i - 1] + nl + 1;
    return NULL;
}

/* A variable as the command sees it: its own prefix assignments, then the script's, then
 * ARG/ENV. */
const char *ic_cmd_var(pl_builder *b, const sh_command *c, const char *name)
{
    const char *v = list_value(&c->assigns, name);
    if (!v)
        v = list_value(&c->locals, name);
    if (!v)
        v = pl_lookup(b, name);
    return v;
}

bool ic_truthy(const char *v)
{
    return v && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0 ||
                 strcasecmp(v, "on") == 0);
}

void ic_op_init(pl_builder *b, da_install_op *op, const sh_command *c, const char *tool,
                da_op_kind kind, int line, int run_line, size_t first_word)
{
    memset(op, 0, sizeof(*op));
    op->kind = kind;
    op->tool = da_xstrdup(tool);
    da_buf cmd = {0};
    for (size_t i = first_word; i < c->nwords; i++)
        da_buf_printf(&cmd, "%s%s", i > first_word ? " " : "", c->words[i].value);
    op->command = da_buf_take(&cmd);
    op->file = da_xstrdup(b->df.path);
    op->line = line;
    op->run_line = run_line;
    op->stage = b->cur;
}

void ic_op_push(pl_builder *b, da_install_op *op, const sh_command *c)
{
    if (c->conditional)
        pl_warn(b, op->line, "this install runs inside %s%s: assumed to run",
                strcmp(c->why_conditional, "||") == 0 ? "the right side of " : "",
                strcmp(c->why_conditional, "||") == 0   ? "'||'"
                : strcmp(c->why_conditional, "if") == 0 ? "an 'if'"
                                                        : c->why_conditional);
    DA_APPEND(b->plan->ops, b->plan->nops, *op);
    pl_stage *st = &b->stages[b->cur];
    pl_event ev = {false, b->plan->nops - 1};
    DA_PUSH(st->events, st->nevents, st->ecap, ev);
}

void ic_handle(pl_builder *b, const sh_command *c, ic_state *s, int line)
{
    size_t i = 0;
    /* Wrappers that run the next word as the command. */
    for (;;) {
        if (i >= c->nwords)
            return;
        const char *w = rt_base_name(c->words[i].value);
        if (strcmp(w, "sudo") == 0 || strcmp(w, "exec") == 0 || strcmp(w, "time") == 0 ||
            strcmp(w, "nice") == 0 || strcmp(w, "nohup") == 0 || strcmp(w, "command") == 0 ||
            strcmp(w, "env") == 0) {
            i++;
            while (i < c->nwords && (c->words[i].value[0] == '-' ||
                                     (strcmp(w, "env") == 0 && strchr(c->words[i].value, '='))))
                i++;
            continue;
        }
        break;
    }
    ic_unread_steps(b, c, s, line, i);
    const char *exe = c->words[i].value;
    const char *bn = rt_base_name(exe);
    if (is_pip(bn)) {
        ic_pip(b, c, s, line, i, i + 1, false);
        return;
    }
    if (ic_is_python(bn)) {
        for (size_t k = i + 1; k < c->nwords; k++) {
            const char *w = c->words[k].value;
            if (strcmp(w, "-m") == 0 && k + 1 < c->nwords) {
                const char *mod = c->words[k + 1].value;
                if (strcmp(mod, "pip") == 0)
                    ic_pip(b, c, s, line, i, k + 2, false);
                else if (strcmp(mod, "build") == 0)
                    ic_project_build(b, c, s, line, i, k + 2, "python -m build");
                else if (strcmp(mod, "uv") == 0 && k + 2 < c->nwords &&
                         strcmp(c->words[k + 2].value, "pip") == 0)
                    ic_pip(b, c, s, line, i, k + 3, true);
                return;
            }
            if (strcmp(w, "-c") == 0 || w[0] != '-')
                return;
            if (strcmp(w, "-X") == 0 || strcmp(w, "-W") == 0)
                k++;
        }
        return;
    }
    if (strcmp(bn, "uv") == 0) {
        size_t k = i + 1;
        while (k < c->nwords && c->words[k].value[0] == '-')
            k++;
        if (k >= c->nwords)
            return;
        if (strcmp(c->words[k].value, "pip") == 0)
            ic_pip(b, c, s, line, i, k + 1, true);
        else if (strcmp(c->words[k].value, "sync") == 0)
            ic_project_sync(b, c, s, line, i, k + 1, IC_SYNC_UV);
        else if (strcmp(c->words[k].value, "export") == 0)
            ic_project_export(b, c, s, line, i, k + 1, IC_SYNC_UV);
        else if (strcmp(c->words[k].value, "build") == 0)
            ic_project_build(b, c, s, line, i, k + 1, "uv build");
        else if (strcmp(c->words[k].value, "tool") == 0 || strcmp(c->words[k].value, "add") == 0)
            pl_unknown(b, line, "uv %s is not modelled: its packages are not counted",
                       c->words[k].value);
        return;
    }
    if (strcmp(bn, "poetry") == 0 && i + 1 < c->nwords &&
        strcmp(c->words[i + 1].value, "install") == 0) {
        ic_project_sync(b, c, s, line, i, i + 2, IC_SYNC_POETRY);
        return;
    }
    if (strcmp(bn, "pdm") == 0 && i + 1 < c->nwords &&
        (strcmp(c->words[i + 1].value, "install") == 0 ||
         strcmp(c->words[i + 1].value, "sync") == 0)) {
        ic_project_sync(b, c, s, line, i, i + 2, IC_SYNC_PDM);
        return;
    }
    if ((strcmp(bn, "poetry") == 0 || strcmp(bn, "pdm") == 0 || strcmp(bn, "hatch") == 0 ||
         strcmp(bn, "flit") == 0) &&
        i + 1 < c->nwords && strcmp(c->words[i + 1].value, "build") == 0) {
        ic_project_build(b, c, s, line, i, i + 2, bn);
        return;
    }
    if ((strcmp(bn, "poetry") == 0 || strcmp(bn, "pdm") == 0) && i + 1 < c->nwords &&
        strcmp(c->words[i + 1].value, "export") == 0) {
        ic_project_export(b, c, s, line, i, i + 2,
                          strcmp(bn, "pdm") == 0 ? IC_SYNC_PDM : IC_SYNC_POETRY);
        return;
    }
    if (strcmp(bn, "pipenv") == 0 && i + 1 < c->nwords &&
        (strcmp(c->words[i + 1].value, "install") == 0 ||
         strcmp(c->words[i + 1].value, "sync") == 0)) {
        ic_pipenv(b, c, s, line, i, i + 1);
        return;
    }
    if (strcmp(bn, "pip-sync") == 0) {
        pl_unknown(b, line, "pip-sync is not modelled: its packages are not counted");
        return;
    }
    if (strcmp(bn, "conda") == 0 || strcmp(bn, "mamba") == 0 || strcmp(bn, "micromamba") == 0) {
        ic_conda(b, c, line, i);
        return;
    }
    if (strcmp(bn, "pipx") == 0 && i + 1 < c->nwords &&
        strcmp(c->words[i + 1].value, "install") == 0) {
        pl_unknown(b, line, "%s install is not modelled: its packages are not counted", bn);
        return;
    }
    /* `sh -c BODY`: the shell reader walked BODY, its commands follow this one */
}

size_t ic_take_lists(pl_builder *b, da_pyproject *p)
{
    size_t base = b->plan->nlists;
    for (size_t i = 0; i < p->nlists; i++)
        DA_APPEND(b->plan->lists, b->plan->nlists, p->lists[i]);
    free(p->lists);
    p->lists = NULL;
    p->nlists = 0;
    return base;
}

void ic_take_requirement(da_plan_requirement **reqs, size_t *n, da_plan_requirement *r, size_t base,
                         const char *via)
{
    r->list += base;
    if (via) {
        free(r->via);
        r->via = da_xstrdup(via);
    }
    DA_APPEND(*reqs, *n, *r);
}

void ic_take_warnings(pl_builder *b, da_pyproject *p)
{
    for (size_t i = 0; i < p->nwarnings; i++)
        DA_APPEND(b->plan->warnings, b->plan->nwarnings, p->warnings[i]);
    p->nwarnings = 0;
}

void ic_tool_venv_dest(pl_builder *b, da_install_op *op, const sh_command *c, const char *cwd,
                       int line, const char *in_project_var, const char *default_dir,
                       const char *warning_fmt)
{
    op->dest = DA_DEST_VENV;
    bool configured = strcmp(in_project_var, "POETRY_VIRTUALENVS_IN_PROJECT") == 0 &&
                      b->stages[b->cur].poetry_in_project;
    if (configured || ic_truthy(ic_cmd_var(b, c, in_project_var))) {
        op->dest_path = rt_join_path(cwd, ".venv");
        pl_add_venv(b, op->dest_path, line, true);
    } else {
        op->dest_path = da_xstrdup(default_dir);
        pl_warn(b, line, warning_fmt, op->dest_path);
    }
}
