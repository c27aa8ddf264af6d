/* pip / python -m pip / uv pip: the subcommand (install, uninstall, sync, or wheel and
 * download, which fill a wheelhouse), then the options phase (pip_args.c) and the
 * destination phase (pip_dest.c), then the -r/-c files read through the image's
 * filesystem into the op. */
#include "image/commands/pip_command.h"

#include "depaudit/util.h"
#include "image/commands/lock_install.h"
#include "image/commands/pip_options.h"
#include "image/requirements/requirement_text.h"

#include <stdlib.h>
#include <string.h>

static int resolve_cb(void *ctx, const char *path, rq_content *out, char **why)
{
    pl_builder *b = ctx;
    int rc = pl_resolve_file(b, b->cur, path, out, why);
    if (rc < 0) { /* warned by the reader; what the file would install is unknown */
        char *what =
            da_xasprintf("requirements file %s not found: what it installs is unknown", path);
        pl_record_unknown(b, b->line, what);
        free(what);
    }
    return rc;
}

void ic_absorb_requirements(pl_builder *b, da_install_op *op, da_requirements_file *acc,
                            const char *cwd)
{
    size_t base = b->plan->nlists;
    for (size_t i = 0; i < acc->nlists; i++) {
        DA_APPEND(b->plan->lists, b->plan->nlists, acc->lists[i]);
    }
    free(acc->lists);
    acc->lists = NULL;
    acc->nlists = 0;
    for (size_t i = 0; i < acc->nreqs; i++) {
        da_plan_requirement *r = &acc->reqs[i];
        r->list += base;
        if (r->kind == DA_REQ_LOCAL_PATH) {
            char *abs = rt_join_path(cwd, r->path);
            free(r->path);
            r->path = abs;
        }
        DA_APPEND(op->reqs, op->nreqs, *r);
    }
    free(acc->reqs);
    acc->reqs = NULL;
    acc->nreqs = 0;
    for (size_t i = 0; i < acc->nconstraints; i++) {
        acc->constraints[i].list += base;
        DA_APPEND(op->constraints, op->nconstraints, acc->constraints[i]);
    }
    free(acc->constraints);
    acc->constraints = NULL;
    acc->nconstraints = 0;
    for (size_t i = 0; i < acc->nwarnings; i++)
        DA_APPEND(b->plan->warnings, b->plan->nwarnings, acc->warnings[i]);
    free(acc->warnings);
    acc->warnings = NULL;
    acc->nwarnings = 0;
    if (acc->index_url && !op->index_url) {
        op->index_url = acc->index_url;
        acc->index_url = NULL;
    }
    for (size_t i = 0; i < acc->extra_index_urls.len; i++)
        da_strlist_push(&op->extra_index_urls, acc->extra_index_urls.items[i]);
    for (size_t i = 0; i < acc->find_links.len; i++)
        da_strlist_push(&op->find_links, acc->find_links.items[i]);
    for (size_t i = 0; i < acc->only_binary.len; i++)
        da_strlist_push(&op->only_binary, acc->only_binary.items[i]);
    for (size_t i = 0; i < acc->no_binary.len; i++)
        da_strlist_push(&op->no_binary, acc->no_binary.items[i]);
    op->no_index |= acc->no_index;
    op->pre |= acc->pre;
    op->require_hashes |= acc->require_hashes;
    da_requirements_file_free(acc);
}

/* A -r file an export wrote (poetry/uv/pdm export, into a file or a pipe): its pins. */
static bool read_export(pl_builder *b, da_install_op *op, const ic_pending_file *f)
{
    const pl_wheelhouse *ex = pl_find_export(b, b->cur, f->path);
    if (!ex)
        return false;
    char *via = da_xasprintf("%s:%d -r %s (written by `%s` at %s:%d)", b->df.path, f->line,
                             f->as_written, ex->op.command, b->df.path, ex->op.line);
    for (size_t k = 0; k < ex->op.nreqs; k++) {
        da_plan_requirement copy;
        rt_requirement_copy(&copy, &ex->op.reqs[k]);
        free(copy.via);
        copy.via = da_xstrdup(via);
        DA_APPEND(op->reqs, op->nreqs, copy);
    }
    for (size_t k = 0; k < ex->op.first_party.len; k++)
        da_strlist_push(&op->first_party, ex->op.first_party.items[k]);
    free(via);
    return true;
}

static void read_files(pl_builder *b, da_install_op *op, ic_pending_file *files, size_t n,
                       const sh_command *c, const char *cwd)
{
    da_requirements_file acc;
    memset(&acc, 0, sizeof(acc));
    ex_env env = pl_env(b);
    (void)c;
    rq_reader r;
    memset(&r, 0, sizeof(r));
    r.resolve = resolve_cb;
    r.resolve_ctx = b;
    r.env = &env;
    r.out = &acc;
    r.missing_is_error = false;
    for (size_t i = 0; i < n; i++) {
        if (!files[i].constraint && read_export(b, op, &files[i]))
            continue;
        char *via = da_xasprintf("%s:%d %s %s", b->df.path, files[i].line,
                                 files[i].constraint ? "-c" : "-r", files[i].as_written);
        da_error err;
        da_error_clear(&err);
        if (rq_read(&r, files[i].path, files[i].constraint, via, b->df.path, files[i].line, &err) <
            0) {
            /* A -r cycle or a nesting too deep: pip would fail the build. */
            rq_warn(&acc.warnings, &acc.nwarnings, err.file, err.line, "%s", err.message);
            b->fatal_line = err.line;
            if (!b->fatal_file) {
                b->fatal_file = da_xstrdup(err.file);
                b->fatal_message = da_xstrdup(err.message);
            }
        }
        free(via);
    }
    rq_reader_free(&r);
    ic_absorb_requirements(b, op, &acc, cwd);
}

void ic_read_requirements(pl_builder *b, da_install_op *op, const char *path,
                          const char *as_written, int line)
{
    ic_pending_file f = {(char *)path, false, (char *)as_written, line};
    char *cwd = rt_dir_of(path);
    read_files(b, op, &f, 1, NULL, cwd);
    free(cwd);
}

static void free_args(ic_pip_args *a)
{
    for (size_t i = 0; i < a->nfiles; i++) {
        free(a->files[i].path);
        free(a->files[i].as_written);
    }
    free(a->files);
    free(a->wheel_dir);
    da_strlist_free(&a->extras);
    da_strlist_free(&a->groups);
    free(a->python_opt);
}

/* A PEP 751 lock given as requirements (`uv pip install -r pylock.toml`, `uv pip sync
 * pylock.toml`): the packages whose markers hold for the target. */
static bool take_pylock(pl_builder *b, da_install_op *op, const ic_pending_file *f)
{
    const char *base = rt_base_name(f->path);
    if (f->constraint || !rq_is_lock_file(f->path) || !da_str_starts_with(base, "pylock"))
        return false;
    da_marker_env env;
    ic_stage_marker_env(b, &env);
    rq_lock_request rq;
    memset(&rq, 0, sizeof(rq));
    rq.env = &env;
    rq.by_group = true;
    char *via = da_xasprintf("%s:%d -r %s", b->df.path, f->line, f->as_written);
    if (!ic_lock_install(b, op, f->path, &rq, f->line, via))
        pl_warn(b, f->line, "%s is not in the image: its packages are not counted", f->path);
    free(via);
    rq_lock_request_free(&rq);
    return true;
}

/* uv reads a project file given as requirements (-r pyproject.toml, with --extra): those
 * leave a->files for the project's own requirements; so does a pylock.toml. */
static void take_project_files(pl_builder *b, da_install_op *op, ic_pip_args *a)
{
    size_t kept = 0;
    for (size_t i = 0; i < a->nfiles; i++) {
        ic_pending_file *f = &a->files[i];
        if (take_pylock(b, op, f)) {
            free(f->path);
            free(f->as_written);
            continue;
        }
        if (a->uv && !f->constraint && da_str_ends_with(f->path, "/pyproject.toml")) {
            char *dir = da_xstrndup(f->path, strlen(f->path) - strlen("/pyproject.toml"));
            char *via = da_xasprintf("%s:%d -r %s", b->df.path, f->line, f->as_written);
            ic_add_project(b, op, dir[0] ? dir : "/", &a->extras, &a->groups, a->all_extras,
                           f->line, via, false);
            free(via);
            free(dir);
            free(f->path);
            free(f->as_written);
            continue;
        }
        a->files[kept++] = *f;
    }
    a->nfiles = kept;
}

/* An install whose requirements files are a lock (pip-compile or uv export output with
 * `# via`, or hashed exact pins): their pins are the installed set. */
static void mark_locked(da_install_op *op)
{
    for (size_t i = 0; i < op->nreqs; i++) {
        const da_plan_requirement *r = &op->reqs[i];
        if (r->lock == DA_LOCK_NONE || !r->parsed || !r->parsed->specifier_text ||
            strncmp(r->parsed->specifier_text, "==", 2) != 0)
            continue;
        op->locked = true;
        if (!op->lock_file)
            op->lock_file = da_xstrdup(r->where.file);
    }
}

/* The detection phase: general options before the subcommand (`pip --no-cache-dir install
 * x`) skipped, the subcommand found; false for those that install nothing. */
static bool subcommand(const sh_command *c, size_t *sub_i, bool uv, da_op_kind *kind)
{
    size_t i = *sub_i;
    while (i < c->nwords && c->words[i].value[0] == '-') {
        const char *att;
        const po_option *o = po_find(c->words[i].value, uv, &att);
        i += (o && o->takes_value && !att) ? 2 : 1;
    }
    *sub_i = i;
    if (i >= c->nwords)
        return false;
    const char *sub = c->words[i].value;
    if (strcmp(sub, "install") == 0)
        *kind = DA_OP_INSTALL;
    else if (strcmp(sub, "uninstall") == 0)
        *kind = DA_OP_UNINSTALL;
    else if (uv && strcmp(sub, "sync") == 0)
        *kind = DA_OP_SYNC;
    else if (!uv && (strcmp(sub, "wheel") == 0 || strcmp(sub, "download") == 0))
        *kind = DA_OP_INSTALL; /* builds a wheelhouse, kept aside by ic_pip */
    else
        return false; /* freeze, list, show, compile...: install nothing */
    return true;
}

void ic_pip(pl_builder *b, const sh_command *c, ic_state *s, int line, size_t exe_i, size_t sub_i,
            bool uv)
{
    ic_pip_args a;
    memset(&a, 0, sizeof(a));
    a.uv = uv;
    a.list = (size_t)-1;
    if (!subcommand(c, &sub_i, uv, &a.kind))
        return;
    const char *sub = c->words[sub_i].value;
    bool wheelhouse = strcmp(sub, "wheel") == 0 || strcmp(sub, "download") == 0;
    da_install_op op;
    ic_op_init(b, &op, c, uv ? "uv pip" : "pip", a.kind, line, s->run_line, exe_i);
    ic_pip_read_args(b, c, s, line, sub_i, &op, &a);
    ic_pip_env_options(b, c, &op, &a, line, s->cwd);
    ic_pip_dest(b, c, s, &op, &a, c->words[exe_i].value);
    take_project_files(b, &op, &a);
    read_files(b, &op, a.files, a.nfiles, c, s->cwd);
    if (a.kind != DA_OP_UNINSTALL) /* pip wheel . builds the project's dependencies too */
        ic_expand_local_projects(b, &op, line);
    if (a.kind != DA_OP_UNINSTALL)
        mark_locked(&op);
    if (wheelhouse) {
        pl_wheelhouse wh = {b->cur, a.wheel_dir ? a.wheel_dir : da_xstrdup(s->cwd), false, op};
        DA_PUSH(b->wheelhouses, b->nwheelhouses, b->whcap, wh);
        a.wheel_dir = NULL;
        free_args(&a);
        return;
    }
    bool dry_run = a.dry_run;
    free_args(&a);
    if (dry_run) {
        pl_warn(b, line, "--dry-run installs nothing");
        pl_op_free(&op);
        return;
    }
    if (op.nreqs == 0 && a.kind != DA_OP_SYNC && a.nfiles == 0)
        pl_unknown(b, line, "%s %s without any requirement", op.tool, sub);
    else if (op.nreqs == 0 && a.kind != DA_OP_SYNC)
        pl_warn(b, line, "%s %s without any requirement", op.tool, sub);
    ic_op_push(b, &op, c);
}
