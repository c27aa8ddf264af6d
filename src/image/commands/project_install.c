/* Local projects and project installers: `pip install .` / `-e ./pkg` read through the
 * project's pyproject.toml, `pip install /wheels/<glob>` read as the wheelhouse's
 * requirements, and `poetry install` / `uv sync` of the project in the current directory. */
#include "image/commands/install_command.h"

#include "image/push.h"
#include "image/requirements/pyproject.h"
#include "image/requirements/requirement_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_archive_path(const char *p)
{
    return da_str_ends_with(p, ".whl") || da_str_ends_with(p, ".tar.gz") ||
           da_str_ends_with(p, ".zip") || da_str_ends_with(p, ".tgz") ||
           da_str_ends_with(p, ".tar.bz2");
}

/* extras and groups may be NULL: none asked for (`pip install .` takes no group). */
static bool listed(const da_strlist *l, const char *name)
{
    return l && da_strlist_contains(l, name);
}

static bool wants_group(const char *group, const da_strlist *extras, const da_strlist *groups,
                        bool all_extras)
{
    if (da_str_starts_with(group, "extra:"))
        return all_extras || listed(extras, group + 6);
    if (da_str_starts_with(group, "group:"))
        return listed(groups, group + 6);
    if (da_str_starts_with(group, "poetry:"))
        return listed(groups, group + 7);
    return false;
}

void ic_add_project(pl_builder *b, da_install_op *op, const char *project_dir,
                    const da_strlist *extras, const da_strlist *groups, bool all_extras, int line,
                    const char *via, bool install_root)
{
    char *pp = rt_join_path(project_dir, "pyproject.toml");
    rq_content c;
    char *why = NULL;
    if (pl_resolve_file(b, b->cur, pp, &c, &why) < 0) {
        char *setup = rt_join_path(project_dir, "setup.py");
        rq_content sc;
        char *why2 = NULL;
        if (pl_resolve_file(b, b->cur, setup, &sc, &why2) == 0) {
            pl_warn(b, line,
                    "the project at %s has a setup.py but no pyproject.toml: its "
                    "dependencies are not read",
                    project_dir);
            rq_content_free(&sc);
        } else {
            pl_warn(b, line, "the project at %s has no pyproject.toml in the image: %s",
                    project_dir, why);
        }
        free(why2);
        free(setup);
        free(why);
        free(pp);
        return;
    }
    da_pyproject proj;
    da_error err;
    da_error_clear(&err);
    if (rq_pyproject_parse(&c, c.host_file, &proj, &err) < 0) {
        pl_warn(b, line, "cannot read %s: %s:%d: %s", pp, err.file, err.line, err.message);
        rq_content_free(&c);
        free(pp);
        return;
    }
    size_t base = ic_take_lists(b, &proj);
    for (size_t i = 0; i < proj.ndependencies; i++)
        ic_take_requirement(&op->reqs, &op->nreqs, &proj.dependencies[i], base, via);
    proj.ndependencies = 0;
    for (size_t i = 0; i < proj.noptional; i++) {
        da_plan_requirement *r = &proj.optional[i];
        if (r->group && wants_group(r->group, extras, groups, all_extras))
            ic_take_requirement(&op->reqs, &op->nreqs, r, base, via);
        else
            rt_requirement_clear(r);
    }
    proj.noptional = 0;
    ic_take_warnings(b, &proj);
    if (install_root)
        for (size_t i = 0; i < proj.packages.len; i++)
            da_strlist_push_owned(&op->first_party,
                                  rt_join_path(project_dir, proj.packages.items[i]));
    da_pyproject_free(&proj);
    rq_content_free(&c);
    free(pp);
}

/* `pip install /wheels/<glob>`: the requirements the wheels in that directory were built from,
 * when a `pip wheel -w` / `pip download -d` of this or another stage made them. */
static void add_wheelhouse(pl_builder *b, da_install_op *op, size_t req_index, int line)
{
    char *dir = da_xstrdup(op->reqs[req_index].path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *(slash == dir ? slash + 1 : slash) = '\0';
    const pl_wheelhouse *wh = pl_find_wheelhouse(b, b->cur, dir);
    if (!wh) {
        pl_warn(b, line,
                "'%s' installs whatever files match in %s: no pip wheel/download "
                "made them, so they are not counted",
                op->reqs[req_index].text, dir);
        free(dir);
        return;
    }
    char *via = da_xasprintf("%s:%d %s (wheels built by `%s` at %s:%d)",
                             op->reqs[req_index].where.file, op->reqs[req_index].where.line,
                             op->reqs[req_index].text, wh->op.command, b->df.path, wh->op.line);
    for (size_t k = 0; k < wh->op.nreqs; k++) {
        if (wh->op.reqs[k].kind != DA_REQ_NAMED)
            continue;
        da_plan_requirement copy;
        rt_requirement_copy(&copy, &wh->op.reqs[k]);
        free(copy.via);
        copy.via = da_xstrdup(via);
        DA_APPEND(op->reqs, op->nreqs, copy);
    }
    free(via);
    free(dir);
}

void ic_expand_local_projects(pl_builder *b, da_install_op *op, int line)
{
    size_t n = op->nreqs;
    for (size_t i = 0; i < n; i++) {
        da_plan_requirement *r = &op->reqs[i];
        if (r->kind != DA_REQ_LOCAL_PATH)
            continue;
        if (strpbrk(r->path, "*?[")) {
            add_wheelhouse(b, op, i, line);
            continue;
        }
        if (is_archive_path(r->path))
            continue;
        da_strlist extras = {0};
        char *bare = rt_split_path_extras(r->text, &extras);
        char *dir = da_xstrdup(r->path);
        char *via = da_xasprintf("%s:%d %s", r->where.file, r->where.line, r->text);
        int l = r->where.line ? r->where.line : line;
        if (op->no_deps) {
            /* --no-deps: the project alone, none of its dependencies */
            da_strlist none = {0};
            size_t before = op->nreqs;
            ic_add_project(b, op, dir, &extras, &none, false, l, via, true);
            for (size_t k = before; k < op->nreqs; k++)
                rt_requirement_clear(&op->reqs[k]);
            op->nreqs = before;
        } else {
            ic_add_project(b, op, dir, &extras, NULL, false, l, via, true);
        }
        /* op->reqs may have moved */
        free(via);
        free(dir);
        free(bare);
        da_strlist_free(&extras);
    }
}

/* The lock file's pins become constraints of the op: the installer takes exactly those
 * versions, and a constraint neither adds a package nor conflicts with the project's own
 * (looser) requirement on it. */
static void add_lock_constraints(pl_builder *b, da_install_op *op, const char *lock, int line)
{
    rq_content c;
    char *why = NULL;
    if (pl_resolve_file(b, b->cur, lock, &c, &why) < 0) {
        free(why);
        pl_warn(b, line,
                "%s is not in the image: versions come from the constraints in "
                "pyproject.toml",
                lock);
        return;
    }
    da_pyproject locked;
    da_error err;
    if (rq_lockfile_parse(&c, c.host_file, &locked, &err) == 0) {
        size_t base = ic_take_lists(b, &locked);
        for (size_t i = 0; i < locked.ndependencies; i++)
            ic_take_requirement(&op->constraints, &op->nconstraints, &locked.dependencies[i], base,
                                NULL);
        locked.ndependencies = 0;
        if (op->nconstraints == 0)
            pl_warn(b, line, "%s holds no [[package]] pins", lock);
        ic_take_warnings(b, &locked);
        da_pyproject_free(&locked);
    }
    rq_content_free(&c);
}

/* What the options of `poetry install` / `uv sync` ask for. */
typedef struct sync_opts {
    da_strlist extras, groups, without;
    bool all_extras, root, no_dev, only;
} sync_opts;

static void split_into(da_strlist *l, const char *value, const char *seps)
{
    char *copy = da_xstrdup(value), *save = NULL;
    for (char *t = strtok_r(copy, seps, &save); t; t = strtok_r(NULL, seps, &save))
        da_strlist_push(l, t);
    free(copy);
}

static bool takes_value(const char *opt)
{
    static const char *const with_value[] = {
        "--extras",  "-E",           "--extra",     "--with",           "--without", "--only",
        "--group",   "--only-group", "--no-group",  "--python",         "-p",        "--directory",
        "--project", "--package",    "--index-url", "--extra-index-url"};
    for (size_t i = 0; i < sizeof(with_value) / sizeof(with_value[0]); i++)
        if (strcmp(opt, with_value[i]) == 0)
            return true;
    return false;
}

/* The options from first_opt on; --directory/--project move s->cwd. */
static void read_sync_options(const sh_command *c, ic_state *s, size_t first_opt, sync_opts *o)
{
    o->root = true;
    for (size_t i = first_opt; i < c->nwords; i++) {
        const char *w = c->words[i].value;
        const char *v = i + 1 < c->nwords ? c->words[i + 1].value : "";
        const char *eq = strchr(w, '=');
        char opt[64];
        snprintf(opt, sizeof(opt), "%.*s", (int)(eq ? eq - w : (long)strlen(w)), w);
        const char *val = eq ? eq + 1 : v;
        if (strcmp(opt, "--extras") == 0 || strcmp(opt, "-E") == 0 || strcmp(opt, "--extra") == 0) {
            split_into(&o->extras, val, ", ");
        } else if (strcmp(opt, "--all-extras") == 0) {
            o->all_extras = true;
        } else if (strcmp(opt, "--with") == 0 || strcmp(opt, "--group") == 0) {
            split_into(&o->groups, val, ",");
        } else if (strcmp(opt, "--only") == 0 || strcmp(opt, "--only-group") == 0) {
            o->only = true;
            split_into(&o->groups, val, ",");
        } else if (strcmp(opt, "--without") == 0 || strcmp(opt, "--no-group") == 0) {
            split_into(&o->without, val, ",");
        } else if (strcmp(opt, "--no-root") == 0 || strcmp(opt, "--no-install-project") == 0 ||
                   strcmp(opt, "--only-root") == 0) {
            o->root = strcmp(opt, "--only-root") == 0;
        } else if (strcmp(opt, "--no-dev") == 0 || strcmp(opt, "--no-default-groups") == 0) {
            o->no_dev = true;
        } else if (strcmp(opt, "--directory") == 0 || strcmp(opt, "--project") == 0) {
            char *d = rt_join_path(s->cwd, val);
            free(s->cwd);
            s->cwd = d;
        }
        if (takes_value(opt) && !eq)
            i++;
    }
}

/* The dependency groups the installer takes: its default ones (poetry: every group not
 * marked optional; uv: dev) and those asked for, less those left out. */
static void groups_to_install(pl_builder *b, const ic_state *s, bool poetry, int line,
                              const sync_opts *o, da_strlist *use_groups)
{
    char *pp = rt_join_path(s->cwd, "pyproject.toml");
    rq_content c_pp;
    char *why = NULL;
    if (pl_resolve_file(b, b->cur, pp, &c_pp, &why) == 0) {
        da_pyproject proj;
        da_error err;
        if (rq_pyproject_parse(&c_pp, c_pp.host_file, &proj, &err) == 0) {
            for (size_t i = 0; i < proj.noptional; i++) {
                const char *g = proj.optional[i].group;
                if (!g)
                    continue;
                const char *name = strchr(g, ':') ? strchr(g, ':') + 1 : g;
                bool is_group =
                    poetry ? da_str_starts_with(g, "poetry:") : da_str_starts_with(g, "group:");
                if (!is_group || da_strlist_contains(use_groups, name))
                    continue;
                bool dflt = poetry ? !da_strlist_contains(&proj.optional_groups, name)
                                   : strcmp(name, "dev") == 0 && !o->no_dev;
                if (o->only)
                    dflt = false;
                if ((dflt || da_strlist_contains(&o->groups, name)) &&
                    !da_strlist_contains(&o->without, name))
                    da_strlist_push(use_groups, name);
            }
            da_pyproject_free(&proj);
        }
        rq_content_free(&c_pp);
    } else {
        pl_warn(b, line, "%s: %s", poetry ? "poetry install" : "uv sync", why);
    }
    free(why);
    free(pp);
}

/* The project's requirements into op; --only without `main` drops the main dependencies. */
static void add_synced_project(pl_builder *b, da_install_op *op, const ic_state *s,
                               const sync_opts *o, const da_strlist *use_groups, int line)
{
    char *via = da_xasprintf("%s:%d %s", b->df.path, line, op->tool);
    size_t before = op->nreqs;
    ic_add_project(b, op, s->cwd, &o->extras, use_groups, o->all_extras, line, via, o->root);
    free(via);
    if (!o->only || da_strlist_contains(&o->groups, "main"))
        return;
    size_t k = before;
    for (size_t i = before; i < op->nreqs; i++) {
        if (!op->reqs[i].group)
            rt_requirement_clear(&op->reqs[i]);
        else
            op->reqs[k++] = op->reqs[i];
    }
    op->nreqs = k;
}

/* Where: poetry's own virtualenv unless virtualenvs.create is off; uv's .venv (or
 * UV_PROJECT_ENVIRONMENT). */
static void sync_dest(pl_builder *b, const sh_command *c, const ic_state *s, da_install_op *op,
                      bool poetry, int line)
{
    if (poetry) {
        const char *create = ic_cmd_var(b, c, "POETRY_VIRTUALENVS_CREATE");
        bool in_system = b->stages[b->cur].poetry_in_system ||
                         (create && (strcmp(create, "false") == 0 || strcmp(create, "0") == 0));
        if (!in_system)
            ic_tool_venv_dest(b, op, c, s->cwd, line, "POETRY_VIRTUALENVS_IN_PROJECT",
                              "/root/.cache/pypoetry/virtualenvs",
                              "poetry installs into its own virtualenv under %s unless "
                              "virtualenvs.create is false");
        return;
    }
    const char *pe = ic_cmd_var(b, c, "UV_PROJECT_ENVIRONMENT");
    char *dir = rt_join_path(s->cwd, pe && pe[0] ? pe : ".venv");
    if (strcmp(dir, "/usr/local") == 0 || strcmp(dir, "/usr") == 0) {
        free(dir);
        return;
    }
    op->dest = DA_DEST_VENV;
    op->dest_path = dir;
    pl_add_venv(b, dir, line, false);
}

/* poetry install / uv sync: the project in the current directory. */
void ic_project_sync(pl_builder *b, const sh_command *c, ic_state *s, int line, size_t exe_i,
                     size_t first_opt, bool poetry)
{
    da_install_op op;
    ic_op_init(b, &op, c, poetry ? "poetry" : "uv sync", DA_OP_INSTALL, line, s->run_line, exe_i);
    sync_opts o;
    memset(&o, 0, sizeof(o));
    read_sync_options(c, s, first_opt, &o);
    da_strlist use_groups = {0};
    groups_to_install(b, s, poetry, line, &o, &use_groups);
    add_synced_project(b, &op, s, &o, &use_groups, line);
    char *lock = rt_join_path(s->cwd, poetry ? "poetry.lock" : "uv.lock");
    add_lock_constraints(b, &op, lock, line);
    free(lock);
    sync_dest(b, c, s, &op, poetry, line);
    da_strlist_free(&o.extras);
    da_strlist_free(&o.groups);
    da_strlist_free(&o.without);
    da_strlist_free(&use_groups);
    ic_op_push(b, &op, c);
}
