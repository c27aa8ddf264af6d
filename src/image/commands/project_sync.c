/* `uv sync`, `poetry install` and `pdm install`/`pdm sync` of the project in the current
 * directory. With the project's lock file in the image the install is the lock's pins
 * for the groups and extras asked for (lock_install.c); without it, the requirements of
 * pyproject.toml, resolved later. */
#include "image/commands/lock_install.h"

#include "depaudit/util.h"
#include "image/requirements/pyproject.h"
#include "image/requirements/requirement_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the options of the command ask for. */
typedef struct sync_opts {
    da_strlist extras, groups, without, only;
    bool all_extras, all_groups, root, no_dev, only_dev, no_default, prod, global;
    bool inexact, exact; /* uv sync --inexact; poetry install --sync, pdm sync --clean */
} sync_opts;

static void split_into(da_strlist *l, const char *value, const char *seps)
{
    char *copy = da_xstrdup(value), *save = NULL;
    for (char *t = strtok_r(copy, seps, &save); t; t = strtok_r(NULL, seps, &save))
        da_strlist_push_owned(l, da_name_normalize(t));
    free(copy);
}

static bool takes_value(const char *opt)
{
    static const char *const with_value[] = {
        "--extras",          "-E",         "--extra",   "--with",
        "--without",         "--only",     "--group",   "-G",
        "--only-group",      "--no-group", "--python",  "-p",
        "--directory",       "--project",  "--package", "--index-url",
        "--extra-index-url", "--no-extra", "-L",        "--lockfile"};
    for (size_t i = 0; i < sizeof(with_value) / sizeof(with_value[0]); i++)
        if (strcmp(opt, with_value[i]) == 0)
            return true;
    return false;
}

static bool is(const char *opt, const char *a, const char *b)
{
    return strcmp(opt, a) == 0 || (b && strcmp(opt, b) == 0);
}

/* One option (its value in val); --directory/--project/-p move s->cwd. */
static void read_option(const char *opt, const char *val, ic_state *s, sync_opts *o, bool pdm)
{
    if (is(opt, "--extras", "-E") || is(opt, "--extra", NULL)) {
        split_into(&o->extras, val, ", ");
    } else if (is(opt, "--all-extras", NULL)) {
        o->all_extras = true;
    } else if (is(opt, "--with", "--group") || is(opt, "-G", NULL)) {
        if (strcmp(val, ":all") == 0)
            o->all_groups = true;
        else
            split_into(&o->groups, val, ",");
    } else if (is(opt, "--all-groups", NULL)) {
        o->all_groups = true;
    } else if (is(opt, "--only", "--only-group")) {
        split_into(&o->only, val, ",");
    } else if (is(opt, "--only-dev", NULL)) {
        o->only_dev = true;
    } else if (is(opt, "--without", "--no-group")) {
        split_into(&o->without, val, ",");
    } else if (is(opt, "--no-root", "--no-install-project") || is(opt, "--no-self", NULL) ||
               is(opt, "--no-emit-project", NULL)) {
        o->root = false;
    } else if (is(opt, "--only-root", NULL)) {
        da_strlist_push(&o->only, "<root>");
    } else if (is(opt, "--no-dev", NULL)) {
        o->no_dev = true;
    } else if (is(opt, "--no-default-groups", "--no-default")) {
        o->no_default = true;
    } else if (is(opt, "--prod", "--production")) {
        o->prod = true;
    } else if (is(opt, "--inexact", NULL)) {
        o->inexact = true;
    } else if (is(opt, "--sync", "--clean") || is(opt, "--exact", NULL)) {
        o->exact = true;
    } else if (pdm && is(opt, "--global", "-g")) {
        o->global = true;
    } else if (is(opt, "--directory", "--project") || (pdm && is(opt, "-p", NULL))) {
        char *d = rt_join_path(s->cwd, val);
        free(s->cwd);
        s->cwd = d;
    }
}

static void read_sync_options(const sh_command *c, ic_state *s, size_t first_opt, sync_opts *o,
                              bool pdm)
{
    o->root = true;
    for (size_t i = first_opt; i < c->nwords; i++) {
        const char *w = c->words[i].value;
        const char *v = i + 1 < c->nwords ? c->words[i + 1].value : "";
        const char *eq = w[0] == '-' ? strchr(w, '=') : NULL;
        char opt[64];
        snprintf(opt, sizeof(opt), "%.*s", (int)(eq ? eq - w : (long)strlen(w)), w);
        read_option(opt, eq ? eq + 1 : v, s, o, pdm);
        if (takes_value(opt) && !eq)
            i++;
    }
}

static void sync_opts_free(sync_opts *o)
{
    da_strlist_free(&o->extras);
    da_strlist_free(&o->groups);
    da_strlist_free(&o->without);
    da_strlist_free(&o->only);
}

/* The dependency groups an install takes: uv: dev unless --no-dev, plus --group; poetry:
 * every group not marked optional, plus --with; pdm: every dev group unless --prod, plus -G;
 * --only/--only-group replace them; --without / --no-group take them out. *main: the
 * project's own dependencies are taken. */
static void choose_groups(const da_pyproject *proj, ic_sync_tool tool, const sync_opts *o,
                          da_strlist *use, bool *main)
{
    bool poetry = tool == IC_SYNC_POETRY;
    *main = true;
    const char *prefix = poetry ? "poetry:" : "group:";
    for (size_t i = 0; proj && i < proj->noptional; i++) {
        const char *g = proj->optional[i].group;
        if (!g || !da_str_starts_with(g, prefix))
            continue;
        char *name = da_name_normalize(g + strlen(prefix));
        bool dflt = poetry ? !da_strlist_contains(&proj->optional_groups, g + strlen(prefix)) &&
                                 !(o->no_dev && strcmp(name, "dev") == 0)
                    : tool == IC_SYNC_PDM
                        ? !o->prod
                        : strcmp(name, "dev") == 0 && !o->no_dev && !o->no_default;
        if ((dflt || o->all_groups) && !da_strlist_contains(use, name))
            da_strlist_push(use, name);
        free(name);
    }
    if (!poetry && !proj && !o->no_dev && !o->no_default)
        da_strlist_push(use, "dev"); /* uv's default group */
    for (size_t i = 0; i < o->groups.len; i++)
        if (!da_strlist_contains(use, o->groups.items[i]))
            da_strlist_push(use, o->groups.items[i]);
    if (o->only.len || o->only_dev) {
        da_strlist_free(use);
        *main = da_strlist_contains(&o->only, "main");
        for (size_t i = 0; i < o->only.len; i++)
            if (strcmp(o->only.items[i], "main") != 0 && strcmp(o->only.items[i], "<root>") != 0)
                da_strlist_push(use, o->only.items[i]);
        if (o->only_dev)
            da_strlist_push(use, "dev");
    }
    for (size_t i = 0; i < use->len;) {
        if (da_strlist_contains(&o->without, use->items[i])) {
            free(use->items[i]);
            use->items[i] = use->items[--use->len];
        } else {
            i++;
        }
    }
}

/* The project's requirements the install takes: main (when *main), the groups, extras. */
static void project_requirements(da_pyproject *proj, const da_strlist *use, bool main,
                                 const sync_opts *o, da_plan_requirement **out, size_t *n)
{
    for (size_t i = 0; main && i < proj->ndependencies; i++) {
        da_plan_requirement r;
        rt_requirement_copy(&r, &proj->dependencies[i]);
        DA_APPEND(*out, *n, r);
    }
    for (size_t i = 0; i < proj->noptional; i++) {
        const char *g = proj->optional[i].group;
        const char *colon = g ? strchr(g, ':') : NULL;
        if (!colon)
            continue;
        char *name = da_name_normalize(colon + 1);
        /* pdm's -G names extras and groups alike */
        bool take = da_strlist_contains(use, name) ||
                    (da_str_starts_with(g, "extra:") &&
                     (o->all_extras || da_strlist_contains(&o->extras, name)));
        free(name);
        if (!take)
            continue;
        da_plan_requirement r;
        rt_requirement_copy(&r, &proj->optional[i]);
        DA_APPEND(*out, *n, r);
    }
}

typedef struct project_file {
    da_pyproject proj;
    bool have;
} project_file;

static void read_project(pl_builder *b, const char *dir, project_file *pf, int line)
{
    memset(pf, 0, sizeof(*pf));
    size_t nwarnings = b->plan->nwarnings;
    pf->have = ic_read_project(b, dir, &pf->proj, line) == 0;
    /* a missing project file is said by the caller, with what it does instead */
    while (!pf->have && b->plan->nwarnings > nwarnings) {
        da_plan_warning *w = &b->plan->warnings[--b->plan->nwarnings];
        free(w->file);
        free(w->message);
    }
}

/* Without the lock: the project's requirements, resolved later. */
static void from_pyproject(pl_builder *b, da_install_op *op, const ic_state *s, project_file *pf,
                           const da_strlist *use, bool main, const sync_opts *o, const char *via)
{
    da_plan_requirement *reqs = NULL;
    size_t n = 0;
    project_requirements(&pf->proj, use, main, o, &reqs, &n);
    size_t base = ic_take_lists(b, &pf->proj);
    for (size_t i = 0; i < n; i++)
        ic_take_requirement(&op->reqs, &op->nreqs, &reqs[i], base, via);
    free(reqs);
    for (size_t i = 0; main && i < pf->proj.dependency_files.len; i++) {
        char *path = rt_join_path(s->cwd, pf->proj.dependency_files.items[i]);
        ic_read_requirements(b, op, path, pf->proj.dependency_files.items[i], op->line);
        free(path);
    }
    ic_take_warnings(b, &pf->proj);
    if (o->root)
        for (size_t i = 0; i < pf->proj.packages.len; i++)
            da_strlist_push_owned(&op->first_party,
                                  rt_join_path(s->cwd, pf->proj.packages.items[i]));
}

/* With the lock: its pins for what the options ask. */
static bool from_lock(pl_builder *b, da_install_op *op, const ic_state *s, project_file *pf,
                      const da_strlist *use, bool main, const sync_opts *o, ic_sync_tool tool,
                      int line)
{
    static const char *const names[] = {"uv.lock", "poetry.lock", "pdm.lock"};
    char *lock = rt_join_path(s->cwd, names[tool]);
    da_marker_env env;
    ic_stage_marker_env(b, &env);
    rq_lock_request rq;
    memset(&rq, 0, sizeof(rq));
    rq.env = &env;
    rq.main = main;
    rq.all_extras = o->all_extras;
    for (size_t i = 0; i < o->extras.len; i++)
        da_strlist_push(&rq.extras, o->extras.items[i]);
    for (size_t i = 0; i < use->len; i++)
        da_strlist_push(&rq.groups, use->items[i]);
    rq.install_projects = o->root;
    if (pf->have) {
        da_plan_requirement *reqs = NULL;
        size_t n = 0;
        project_requirements(&pf->proj, use, main, o, &reqs, &n);
        ic_lock_roots_from(&rq, reqs, n);
        rt_requirements_free(reqs, n);
    }
    if (tool == IC_SYNC_UV) {
        rq.use_lock_projects = true;
    } else if (tool == IC_SYNC_PDM || !pf->have) {
        /* pdm's packages name their groups; a poetry lock without its pyproject too */
        rq.by_group = true;
        if (main)
            da_strlist_push(&rq.member_groups, tool == IC_SYNC_PDM ? "default" : "main");
        for (size_t i = 0; i < use->len; i++)
            da_strlist_push(&rq.member_groups, use->items[i]);
        for (size_t i = 0; tool == IC_SYNC_PDM && i < o->extras.len; i++)
            da_strlist_push(&rq.member_groups, o->extras.items[i]);
    }
    char *via = da_xasprintf("%s:%d %s (%s)", b->df.path, line, op->tool, names[tool]);
    bool ok = ic_lock_install(b, op, lock, &rq, line, via);
    if (ok && tool != IC_SYNC_UV && o->root && pf->have)
        for (size_t i = 0; i < pf->proj.packages.len; i++)
            da_strlist_push_owned(&op->first_party,
                                  rt_join_path(s->cwd, pf->proj.packages.items[i]));
    free(via);
    rq_lock_request_free(&rq);
    free(lock);
    return ok;
}

/* Where: poetry's own virtualenv unless virtualenvs.create is off; uv's .venv (or
 * UV_PROJECT_ENVIRONMENT); pdm's .venv unless --global or a virtualenv is active. */
static void sync_dest(pl_builder *b, const sh_command *c, const ic_state *s, da_install_op *op,
                      ic_sync_tool tool, const sync_opts *o, int line)
{
    if (tool == IC_SYNC_POETRY) {
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
    if (tool == IC_SYNC_PDM && o->global)
        return;
    const char *pe = tool == IC_SYNC_UV ? ic_cmd_var(b, c, "UV_PROJECT_ENVIRONMENT") : NULL;
    const char *active = tool == IC_SYNC_PDM ? s->active_venv : NULL;
    char *dir = active ? da_xstrdup(active) : rt_join_path(s->cwd, pe && pe[0] ? pe : ".venv");
    if (strcmp(dir, "/usr/local") == 0 || strcmp(dir, "/usr") == 0) {
        free(dir);
        return;
    }
    op->dest = DA_DEST_VENV;
    op->dest_path = dir;
    if (!active)
        pl_add_venv(b, dir, line, false);
}

static const char *const lock_names[] = {"uv.lock", "poetry.lock", "pdm.lock"};

/* The op the command makes (the project's pins from its lock, else its requirements), not
 * yet placed; o is filled from the command's options. */
static void sync_op(pl_builder *b, const sh_command *c, ic_state *s, int line, size_t exe_i,
                    size_t first_opt, ic_sync_tool tool, const char *name, bool export,
                    da_install_op *op, sync_opts *o)
{
    ic_op_init(b, op, c, name, DA_OP_INSTALL, line, s->run_line, exe_i);
    memset(o, 0, sizeof(*o));
    read_sync_options(c, s, first_opt, o, tool == IC_SYNC_PDM);
    project_file pf;
    read_project(b, s->cwd, &pf, line);
    da_strlist use = {0};
    bool main = true;
    choose_groups(pf.have ? &pf.proj : NULL, tool, o, &use, &main);
    if (tool == IC_SYNC_PDM && o->prod) {
        da_strlist_free(&use);
        for (size_t i = 0; i < o->groups.len; i++)
            da_strlist_push(&use, o->groups.items[i]);
    }
    if (tool == IC_SYNC_PDM && o->no_default)
        main = false;
    if (export && tool == IC_SYNC_POETRY && !o->only.len) {
        /* poetry export takes the main group and only the groups asked for */
        da_strlist_free(&use);
        for (size_t i = 0; i < o->groups.len; i++)
            if (!da_strlist_contains(&o->without, o->groups.items[i]))
                da_strlist_push(&use, o->groups.items[i]);
    }
    if (!from_lock(b, op, s, &pf, &use, main, o, tool, line)) {
        if (!pf.have) {
            pl_warn(b, line,
                    "%s: neither the project's pyproject.toml nor its lock file is in the image",
                    name);
        } else {
            pl_warn(b, line,
                    "%s/%s is not in the image: versions come from the constraints in "
                    "pyproject.toml",
                    s->cwd, lock_names[tool]);
            char *via = da_xasprintf("%s:%d %s", b->df.path, line, op->tool);
            from_pyproject(b, op, s, &pf, &use, main, o, via);
            free(via);
        }
    }
    if (pf.have)
        da_pyproject_free(&pf.proj);
    da_strlist_free(&use);
}

void ic_project_sync(pl_builder *b, const sh_command *c, ic_state *s, int line, size_t exe_i,
                     size_t first_opt, ic_sync_tool tool)
{
    static const char *const tools[] = {"uv sync", "poetry", "pdm"};
    da_install_op op;
    sync_opts o;
    sync_op(b, c, s, line, exe_i, first_opt, tool, tools[tool], false, &op, &o);
    /* uv sync leaves the environment exactly as the lock says unless --inexact; poetry
     * and pdm only with --sync/--clean (without a lock there is a resolution first) */
    if (op.locked && ((tool == IC_SYNC_UV && !o.inexact) || o.exact))
        op.kind = DA_OP_SYNC;
    sync_dest(b, c, s, &op, tool, &o, line);
    sync_opts_free(&o);
    ic_op_push(b, &op, c);
}

/* Where an export writes: -o/--output/--output-file, else its `>` redirection, else the
 * pipe to the next command. */
static char *export_target(const sh_command *c, const ic_state *s, size_t first_opt)
{
    for (size_t i = first_opt; i < c->nwords; i++) {
        const char *w = c->words[i].value;
        const char *v = NULL;
        if ((strcmp(w, "-o") == 0 || strcmp(w, "--output") == 0 ||
             strcmp(w, "--output-file") == 0) &&
            i + 1 < c->nwords)
            v = c->words[i + 1].value;
        else if (da_str_starts_with(w, "--output=") || da_str_starts_with(w, "--output-file="))
            v = strchr(w, '=') + 1;
        if (v)
            return rt_join_path(s->cwd, v);
    }
    for (size_t i = c->nredirects; i > 0; i--) {
        const sh_redirect *r = &c->redirects[i - 1];
        if ((r->fd == -1 || r->fd == 1) && r->op[0] == '>' && r->op[1] != '&')
            return rt_join_path(s->cwd, r->target.value);
    }
    return ic_pipe_name(s->run_line, s->cmd_index);
}

void ic_project_export(pl_builder *b, const sh_command *c, ic_state *s, int line, size_t exe_i,
                       size_t first_opt, ic_sync_tool tool)
{
    static const char *const tools[] = {"uv export", "poetry export", "pdm export"};
    char *saved_cwd = da_xstrdup(s->cwd);
    da_install_op op;
    sync_opts o;
    sync_op(b, c, s, line, exe_i, first_opt, tool, tools[tool], true, &op, &o);
    /* an export writes the pins; only uv's adds the project itself (`-e .`) */
    if (tool != IC_SYNC_UV || !o.root)
        da_strlist_free(&op.first_party);
    sync_opts_free(&o);
    pl_wheelhouse ex = {b->cur, export_target(c, s, first_opt), true, op};
    DA_PUSH(b->wheelhouses, b->nwheelhouses, b->whcap, ex);
    free(s->cwd); /* --directory/--project apply to the export only */
    s->cwd = saved_cwd;
}
