/* From the walked Dockerfile to the final image's plan: its Python and platform, what the
 * base ships, CMD/ENTRYPOINT/ENV/WORKDIR, which installs reach it and in which order, the
 * first-party paths copied in, and the merged requirement list. */
#include "image/plan/plan_model.h"

#include "depaudit/util.h"
#include "image/requirements/requirement_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The Python assumed when the base image does not tell (depaudit/target.h). */
enum { DEFAULT_PY_MAJOR = DA_DEFAULT_PY_MAJOR, DEFAULT_PY_MINOR = DA_DEFAULT_PY_MINOR };

static void set_python(pl_builder *b)
{
    da_install_plan *p = b->plan;
    const pl_stage *fin = &b->stages[p->final_stage];
    pl_python py;
    pl_python_from_image(fin->image, &py);
    free(p->base_image);
    p->base_image = da_xstrdup(fin->image);
    free(p->python_from_file);
    p->python_from_file = da_xstrdup(b->df.path);
    p->python_from_line = fin->image_line;
    if (!p->python_overridden) {
        if (py.known) {
            da_target_init(&p->target, py.major, py.minor, py.micro);
            if (py.note[0])
                pl_warn(b, fin->image_line, "%s", py.note);
        } else {
            da_target_init(&p->target, DEFAULT_PY_MAJOR, DEFAULT_PY_MINOR, -1);
            p->python_default = true;
            pl_warn(b, fin->image_line, "%s: Python %d.%d assumed (use --python-version)", py.note,
                    DEFAULT_PY_MAJOR, DEFAULT_PY_MINOR);
        }
    }
    snprintf(p->target.machine, sizeof(p->target.machine), "%s", b->machine);
    if (!b->platform_given && b->stage_platform) {
        /* FROM --platform=... of the final stage's chain */
        for (int s = p->final_stage; s >= 0; s = b->stages[s].base_stage)
            if (s == b->stage_platform_stage)
                snprintf(p->target.machine, sizeof(p->target.machine), "%s", b->stage_platform);
    }
    if (py.musl) {
        p->target.libc = DA_LIBC_MUSL;
        p->target.libc_major = 1;
        p->target.libc_minor = 2;
    }
    (void)py.official;
}

static void add_base(da_install_plan *p, const char *name, char *reason)
{
    da_base_dist d = {da_xstrdup(name), reason};
    DA_APPEND(p->preinstalled, p->npreinstalled, d);
}

static void set_preinstalled(pl_builder *b)
{
    da_install_plan *p = b->plan;
    pl_python py;
    pl_python_from_image(b->stages[p->final_stage].image, &py);
    int minor = p->target.py_minor;
    char *vpath = NULL;
    /* the venv the final image's `python`/`pip` resolve to through PATH, if any */
    const pl_venv *v = pl_venv_on_path(b, p->final_stage, da_install_plan_env(p, "PATH"), &vpath);
    if (v) {
        if (v->seeded) {
            add_base(p, "pip",
                     da_xasprintf("the virtualenv %s (created at %s:%d) has pip", vpath, b->df.path,
                                  v->line));
            if (minor <= 11)
                add_base(p, "setuptools",
                         da_xasprintf("a virtualenv of Python 3.%d has setuptools", minor));
        }
        free(vpath);
        return;
    }
    if (!py.official)
        return;
    add_base(p, "pip", da_xasprintf("the official python image ships pip"));
    if (minor <= 11) {
        add_base(p, "setuptools",
                 da_xasprintf("the official python image ships setuptools up to Python 3.11"));
        add_base(p, "wheel",
                 da_xasprintf("the official python image ships wheel up to Python 3.11"));
    }
}

static void set_runtime(pl_builder *b)
{
    da_install_plan *p = b->plan;
    const pl_stage *fin = &b->stages[p->final_stage];
    da_strlist env = {0};
    pl_stage_env(b, fin, &env);
    for (size_t i = 0; i < env.len; i++) {
        char *eq = strchr(env.items[i], '=');
        int line = 0;
        char *name = da_xstrndup(env.items[i], (size_t)(eq - env.items[i]));
        size_t at;
        if (pl_index_get(&fin->env_index, name, &at))
            line = fin->vars[at].line;
        free(name);
        da_env_var v = {da_xstrndup(env.items[i], (size_t)(eq - env.items[i])), da_xstrdup(eq + 1),
                        da_xstrdup(b->df.path), line};
        DA_APPEND(p->env, p->nenv, v);
    }
    da_strlist_free(&env);
    for (size_t i = 0; i < fin->cmd.len; i++)
        da_strlist_push(&p->cmd, fin->cmd.items[i]);
    p->cmd_shell_form = fin->cmd_shell;
    p->cmd_line = fin->cmd_line;
    p->cmd_file = da_xstrdup(b->df.path);
    for (size_t i = 0; i < fin->entrypoint.len; i++)
        da_strlist_push(&p->entrypoint, fin->entrypoint.items[i]);
    p->entrypoint_shell_form = fin->ep_shell;
    p->entrypoint_line = fin->ep_line;
    p->entrypoint_file = da_xstrdup(b->df.path);
    p->workdir = da_xstrdup(fin->workdir);
    for (size_t i = 0; i < p->nstages; i++)
        p->stages[i].is_final = (int)i == p->final_stage;
}

static da_merged_requirement *merged_for(da_install_plan *p, pl_name_index *ix, const char *name)
{
    size_t at;
    if (pl_index_get(ix, name, &at))
        return &p->merged[at];
    da_merged_requirement m;
    memset(&m, 0, sizeof(m));
    m.name = da_xstrdup(name);
    DA_APPEND(p->merged, p->nmerged, m);
    pl_index_set(ix, name, p->nmerged - 1);
    return &p->merged[p->nmerged - 1];
}

static char *pin_of(const da_requirement *r)
{
    char *spec = da_specifier_set_to_string(r->specifier);
    char *s = da_xasprintf("%s|%s", spec ? spec : "", r->url ? r->url : "");
    free(spec);
    return s;
}

static const da_install_op *op_of(const da_install_plan *p, const da_plan_requirement *r)
{
    for (size_t i = 0; i < p->nops; i++)
        if (p->ops[i].nreqs && r >= p->ops[i].reqs && r < p->ops[i].reqs + p->ops[i].nreqs)
            return &p->ops[i];
    return NULL;
}

/* A requirement whose markers exclude the final image's Python and platform is not
 * installed there (pip skips it): it neither merges nor conflicts. */
static bool applies(const da_requirement *r, const da_marker_env *env)
{
    return !r->marker || da_marker_evaluate(r->marker, env, "") != 0;
}

static void merge(pl_builder *b)
{
    da_install_plan *p = b->plan;
    da_marker_env menv;
    da_marker_env_from_target(&menv, &p->target);
    pl_name_index ix = {0};
    for (size_t k = 0; k < p->nfinal_ops; k++) {
        const da_install_op *op = &p->ops[p->final_ops[k]];
        if (op->kind == DA_OP_SYNC)
            for (size_t i = 0; i < p->nmerged; i++) {
                /* a sync empties only its own environment */
                bool same_env = false;
                for (size_t o = 0; o < p->merged[i].noccurrences; o++) {
                    const da_install_op *prev = op_of(p, p->merged[i].occurrences[o]);
                    if (prev && prev->dest == op->dest &&
                        strcmp(prev->dest_path ? prev->dest_path : "",
                               op->dest_path ? op->dest_path : "") == 0)
                        same_env = true;
                }
                if (!same_env)
                    continue;
                bool kept = false;
                for (size_t r = 0; r < op->nreqs; r++)
                    if (op->reqs[r].parsed &&
                        strcmp(op->reqs[r].parsed->normalized, p->merged[i].name) == 0)
                        kept = true;
                if (!kept)
                    p->merged[i].uninstalled = true;
            }
        for (size_t r = 0; r < op->nreqs; r++) {
            const da_plan_requirement *req = &op->reqs[r];
            if (req->kind != DA_REQ_NAMED || !req->parsed || !applies(req->parsed, &menv))
                continue;
            da_merged_requirement *m = merged_for(p, &ix, req->parsed->normalized);
            if (op->kind == DA_OP_UNINSTALL) {
                m->uninstalled = true;
                continue;
            }
            m->uninstalled = false;
            /* all earlier occurrences agree with the first: comparing with it is enough */
            for (size_t o = 0; o < m->noccurrences && o < 1 && !m->conflicting; o++) {
                const da_plan_requirement *prev = m->occurrences[o];
                char *a = pin_of(prev->parsed), *c = pin_of(req->parsed);
                if (strcmp(a, c) != 0) {
                    m->conflicting = true;
                    pl_warn(b, op->line,
                            "%s is required twice with different versions: '%s' at %s:%d and "
                            "'%s' at %s:%d",
                            m->name, prev->text, prev->where.file, prev->where.line, req->text,
                            req->where.file, req->where.line);
                }
                free(a);
                free(c);
            }
            DA_APPEND(m->occurrences, m->noccurrences, req);
        }
    }
    pl_index_free(&ix);
    /* Names only ever uninstalled are not requirements of the image. */
    size_t w = 0;
    for (size_t i = 0; i < p->nmerged; i++) {
        if (p->merged[i].noccurrences == 0) {
            free(p->merged[i].name);
            free(p->merged[i].occurrences);
            continue;
        }
        p->merged[w++] = p->merged[i];
    }
    p->nmerged = w;
}

/* Adds stage s and the stages it is built FROM to the reached set. */
static void reach_chain(const pl_builder *b, int s, bool *reached)
{
    for (size_t guard = 0; s >= 0 && (size_t)s < b->nstages && guard < b->nstages; guard++) {
        reached[s] = true;
        s = b->stages[s].base_stage;
    }
}

void pl_keep_reaching_unknowns(pl_builder *b)
{
    da_install_plan *p = b->plan;
    bool *reached = da_xcalloc(b->nstages + 1, sizeof(bool));
    reach_chain(b, p->final_stage, reached);
    for (bool grew = true; grew;) { /* what a reached stage copies from reaches it too */
        grew = false;
        for (size_t t = 0; t < b->nstages; t++)
            for (size_t k = 0; reached[t] && k < b->stages[t].ncopies; k++) {
                int from = b->stages[t].copies[k].from_stage;
                if (from >= 0 && (size_t)from < b->nstages && !reached[from]) {
                    reach_chain(b, from, reached);
                    grew = true;
                }
            }
    }
    size_t w = 0;
    for (size_t i = 0; i < p->nunknowns; i++) {
        int s = i < b->nunknown_stages ? b->unknown_stages[i] : p->final_stage;
        if (s >= 0 && (size_t)s < b->nstages && reached[s]) {
            p->unknowns[w++] = p->unknowns[i];
            continue;
        }
        free(p->unknowns[i].file);
        free(p->unknowns[i].message);
    }
    p->nunknowns = w;
    free(reached);
    free(b->unknown_stages);
    b->unknown_stages = NULL;
    b->nunknown_stages = 0;
}

void pl_finish(pl_builder *b)
{
    set_python(b);
    set_runtime(b);
    set_preinstalled(b);
    pl_compute_reach(b);
    pl_collect_copied_paths(b);
    merge(b);
    pl_keep_reaching_unknowns(b);
}
