/* Local projects: `pip install .` / `-e ./pkg` read through the project's pyproject.toml,
 * and `pip install /wheels/<glob>` read as the wheelhouse's requirements. */
#include "image/commands/install_command.h"

#include "depaudit/util.h"
#include "image/requirements/pyproject.h"
#include "image/requirements/requirement_text.h"
#include "image/requirements/setup_project.h"

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

int ic_read_project(pl_builder *b, const char *dir, da_pyproject *out, int line)
{
    static const char *const names[] = {"pyproject.toml", "setup.cfg", "setup.py"};
    rq_content c[3];
    bool have[3];
    char *why = NULL;
    for (size_t i = 0; i < 3; i++) {
        char *p = rt_join_path(dir, names[i]);
        free(why);
        why = NULL;
        have[i] = pl_resolve_file(b, b->cur, p, &c[i], &why) == 0;
        free(p);
    }
    int rc = -1;
    if (!have[0] && !have[1] && !have[2]) {
        pl_unknown(b, line,
                   "the project at %s has no pyproject.toml, setup.cfg or setup.py in the image: "
                   "%s",
                   dir, why ? why : "not found");
    } else {
        rq_project_files in = {have[0] ? &c[0] : NULL, have[1] ? &c[1] : NULL,
                               have[2] ? &c[2] : NULL};
        da_error err;
        da_error_clear(&err);
        rc = rq_project_read(&in, out, &err);
        if (rc < 0)
            pl_unknown(b, line, "cannot read the project at %s: %s:%d: %s", dir, err.file, err.line,
                       err.message);
    }
    for (size_t i = 0; i < 3; i++)
        if (have[i])
            rq_content_free(&c[i]);
    free(why);
    return rc;
}

void ic_add_project(pl_builder *b, da_install_op *op, const char *project_dir,
                    const da_strlist *extras, const da_strlist *groups, bool all_extras, int line,
                    const char *via, bool install_root)
{
    da_pyproject proj;
    if (ic_read_project(b, project_dir, &proj, line) < 0)
        return;
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
    /* dependencies the project reads from files (setup.py's open(), dynamic metadata) */
    for (size_t i = 0; i < proj.dependency_files.len; i++) {
        char *path = rt_join_path(project_dir, proj.dependency_files.items[i]);
        ic_read_requirements(b, op, path, proj.dependency_files.items[i], line);
        free(path);
    }
    ic_take_warnings(b, &proj);
    if (install_root)
        for (size_t i = 0; i < proj.packages.len; i++)
            da_strlist_push_owned(&op->first_party,
                                  rt_join_path(project_dir, proj.packages.items[i]));
    da_pyproject_free(&proj);
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
        da_plan_requirement r;
        rt_requirement_copy(&r, &op->reqs[req_index]);
        if (!ic_context_package(b, op, &r))
            pl_unknown(b, line,
                       "'%s' is a package file depaudit does not read (nothing in the image built "
                       "it and the build context's project is not named so): what it installs is "
                       "not counted",
                       r.text);
        rt_requirement_clear(&r);
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
    for (size_t k = 0; k < wh->op.first_party.len; k++)
        da_strlist_push(&op->first_party, wh->op.first_party.items[k]);
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
        if (strpbrk(r->path, "*?[") || is_archive_path(r->path)) {
            add_wheelhouse(b, op, i, line); /* a built package: what it was built from */
            continue;
        }
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
