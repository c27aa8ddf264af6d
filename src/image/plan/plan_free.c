/* Releasing a plan and the builder's state, and the plan's small accessors. */
#include "image/plan/plan_model.h"

#include "image/requirements/requirement_text.h"

#include <stdlib.h>
#include <string.h>

void pl_op_free(da_install_op *op)
{
    free(op->tool);
    free(op->command);
    free(op->file);
    free(op->dest_path);
    free(op->reach);
    da_strlist_free(&op->only_binary);
    da_strlist_free(&op->no_binary);
    free(op->index_url);
    da_strlist_free(&op->extra_index_urls);
    da_strlist_free(&op->find_links);
    free(op->python_version);
    da_strlist_free(&op->platforms);
    rt_requirements_free(op->reqs, op->nreqs);
    rt_requirements_free(op->constraints, op->nconstraints);
    da_strlist_free(&op->first_party);
    free(op->lock_file);
    memset(op, 0, sizeof(*op));
}

static void vars_free(pl_var *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].value);
    }
    free(v);
}

void pl_builder_free(pl_builder *b)
{
    free(b->unknown_stages);
    for (size_t s = 0; s < b->nstages; s++) {
        pl_stage *st = &b->stages[s];
        free(st->name);
        free(st->image);
        vars_free(st->vars, st->nvars);
        pl_index_free(&st->var_index);
        pl_index_free(&st->env_index);
        for (size_t i = 0; i < st->ncopies; i++) {
            free(st->copies[i].src);
            free(st->copies[i].dst);
            free(st->copies[i].text);
        }
        free(st->copies);
        for (size_t i = 0; i < st->nvenvs; i++)
            free(st->venvs[i].path);
        free(st->venvs);
        free(st->events);
        free(st->workdir);
        free(st->user);
        da_strlist_free(&st->shell);
        da_strlist_free(&st->cmd);
        da_strlist_free(&st->entrypoint);
    }
    free(b->stages);
    for (size_t i = 0; i < b->nwheelhouses; i++) {
        free(b->wheelhouses[i].dir);
        pl_op_free(&b->wheelhouses[i].op);
    }
    free(b->wheelhouses);
    vars_free(b->globals, b->nglobals);
    da_strlist_free(&b->warned);
    da_strlist_free(&b->missing_now);
    free(b->fatal_file);
    free(b->fatal_message);
    free(b->stage_platform);
    free(b->context);
    free(b->refused);
    df_free(&b->df);
    free(b->df_data);
    memset(b, 0, sizeof(*b));
}

void da_install_plan_free(da_install_plan *p)
{
    if (!p)
        return;
    free(p->dockerfile);
    free(p->context_dir);
    free(p->context_reason);
    free(p->python_from_file);
    free(p->base_image);
    for (size_t i = 0; i < p->nstages; i++) {
        free(p->stages[i].name);
        free(p->stages[i].base);
        free(p->stages[i].file);
    }
    free(p->stages);
    for (size_t i = 0; i < p->nops; i++)
        pl_op_free(&p->ops[i]);
    free(p->ops);
    free(p->final_ops);
    rt_req_lists_free(p->lists, p->nlists);
    for (size_t i = 0; i < p->nmerged; i++) {
        free(p->merged[i].name);
        free(p->merged[i].occurrences);
    }
    free(p->merged);
    for (size_t i = 0; i < p->npreinstalled; i++) {
        free(p->preinstalled[i].name);
        free(p->preinstalled[i].reason);
    }
    free(p->preinstalled);
    da_strlist_free(&p->cmd);
    free(p->cmd_file);
    da_strlist_free(&p->entrypoint);
    free(p->entrypoint_file);
    for (size_t i = 0; i < p->nenv; i++) {
        free(p->env[i].name);
        free(p->env[i].value);
        free(p->env[i].file);
    }
    free(p->env);
    free(p->workdir);
    for (size_t i = 0; i < p->ncopies; i++) {
        free(p->copies[i].source);
        free(p->copies[i].dest);
        free(p->copies[i].from_stage);
        free(p->copies[i].file);
    }
    free(p->copies);
    rt_warnings_free(p->warnings, p->nwarnings);
    rt_warnings_free(p->unknowns, p->nunknowns);
    memset(p, 0, sizeof(*p));
}

const char *da_install_plan_env(const da_install_plan *p, const char *name)
{
    for (size_t i = p->nenv; i > 0; i--)
        if (strcmp(p->env[i - 1].name, name) == 0)
            return p->env[i - 1].value;
    return NULL;
}

const char *da_dest_kind_name(da_dest_kind k)
{
    switch (k) {
    case DA_DEST_SYSTEM:
        return "system";
    case DA_DEST_PREFIX:
        return "prefix";
    case DA_DEST_TARGET:
        return "target";
    case DA_DEST_USER:
        return "user";
    case DA_DEST_VENV:
        return "venv";
    case DA_DEST_ROOT:
        return "root";
    }
    return "?";
}

const char *da_req_origin_name(da_req_origin o)
{
    switch (o) {
    case DA_ORIGIN_COMMAND_LINE:
        return "command-line";
    case DA_ORIGIN_REQUIREMENTS:
        return "requirements";
    case DA_ORIGIN_CONSTRAINTS:
        return "constraints";
    case DA_ORIGIN_PYPROJECT:
        return "pyproject";
    case DA_ORIGIN_LOCKFILE:
        return "lockfile";
    case DA_ORIGIN_PIPFILE:
        return "pipfile";
    }
    return "?";
}

const char *da_shell_effect_name(da_shell_effect e)
{
    switch (e) {
    case DA_SHELL_CONSTRAINT_LOST:
        return "constraint-lost";
    case DA_SHELL_BUILD_FAILS:
        return "build-fails";
    case DA_SHELL_NOT_RUN:
        return "not-run";
    }
    return "?";
}

const char *da_lock_role_name(da_lock_role r)
{
    switch (r) {
    case DA_LOCK_NONE:
        return "none";
    case DA_LOCK_DIRECT:
        return "direct";
    case DA_LOCK_TRANSITIVE:
        return "transitive";
    case DA_LOCK_PINNED:
        return "pinned";
    }
    return "?";
}
