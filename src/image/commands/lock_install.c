/* An install from a lock file (uv sync, poetry install, pdm install/sync, a pylock.toml
 * given to uv pip): the pins the installer takes for this stage's Python and platform become
 * the op's requirements, `name==version`, located at their entry in the lock, each marked
 * direct or transitive (never "unused"). Projects the lock installs themselves give their
 * first-party packages. */
#include "image/commands/lock_install.h"

#include "depaudit/util.h"
#include "image/requirements/pyproject.h"
#include "image/requirements/requirement_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ic_stage_marker_env(pl_builder *b, da_marker_env *env)
{
    da_target t;
    pl_python py;
    pl_python_from_image(b->stages[b->cur].image, &py);
    int ma = 3, mi = 12, mc = -1;
    if (b->o && b->o->python_version &&
        sscanf(b->o->python_version, "%d.%d.%d", &ma, &mi, &mc) < 2) {
        ma = 3;
        mi = 12;
    } else if (!(b->o && b->o->python_version) && py.known) {
        ma = py.major;
        mi = py.minor;
        mc = py.micro;
    }
    da_target_init(&t, ma, mi, mc);
    snprintf(t.machine, sizeof(t.machine), "%s", b->machine);
    if (py.musl)
        t.libc = DA_LIBC_MUSL;
    da_marker_env_from_target(env, &t);
}

static void add_pin(pl_builder *b, da_install_op *op, const rq_content *c, const rq_lock *lock,
                    const rq_lock_pin *pin, size_t list, const char *via)
{
    const rq_lock_package *p = &lock->pkgs[pin->pkg];
    char *text = p->version && !p->non_index ? da_xasprintf("%s==%s", p->name, p->version)
                                             : da_xstrdup(p->name);
    da_plan_requirement r;
    memset(&r, 0, sizeof(r));
    char *problem = NULL;
    rt_classify(&r, text, NULL, false, &problem);
    size_t s = p->name_start < c->text.len ? p->name_start : 0;
    size_t e = p->name_end <= c->text.len && p->name_end >= s ? p->name_end : s;
    size_t hs = c->text.map[s], he = c->text.map[e];
    int line = rq_line_of(c->host_data, c->host_len, hs);
    if (problem) {
        pl_warn(b, op->line, "%s:%d: invalid pin '%s': %s", c->host_file, line, text, problem);
        free(problem);
    }
    int col = 1;
    for (size_t k = hs; k > 0 && c->host_data[k - 1] != '\n'; k--)
        col++;
    rt_span_set(&r.where, c->host_file, line, col, hs, he);
    r.origin = DA_ORIGIN_LOCKFILE;
    r.list = list;
    r.via = da_xstrdup(via);
    r.lock = pin->role;
    for (size_t i = 0; i < pin->required_by.len; i++)
        da_strlist_push(&r.required_by, pin->required_by.items[i]);
    DA_APPEND(op->reqs, op->nreqs, r);
    b->plan->lists[list].count++;
    free(text);
}

/* The first-party packages of a project the lock installs itself. */
static void project_packages(pl_builder *b, da_install_op *op, const char *dir)
{
    char *pp = rt_join_path(dir, "pyproject.toml");
    rq_content c;
    char *why = NULL;
    if (pl_resolve_file(b, b->cur, pp, &c, &why) == 0) {
        da_pyproject proj;
        da_error err;
        if (rq_pyproject_parse(&c, c.host_file, &proj, &err) == 0) {
            for (size_t i = 0; i < proj.packages.len; i++)
                da_strlist_push_owned(&op->first_party, rt_join_path(dir, proj.packages.items[i]));
            da_pyproject_free(&proj);
        }
        rq_content_free(&c);
    }
    free(why);
    free(pp);
}

bool ic_lock_install(pl_builder *b, da_install_op *op, const char *lock_path,
                     const rq_lock_request *rq, int line, const char *via)
{
    rq_content c;
    char *why = NULL;
    if (pl_resolve_file(b, b->cur, lock_path, &c, &why) < 0) {
        free(why);
        return false;
    }
    rq_lock lock;
    da_error err;
    da_error_clear(&err);
    if (rq_lock_read(&c, lock_path, &lock, &err) < 0) {
        pl_warn(b, line, "cannot read %s: %s", lock_path, err.message);
        rq_content_free(&c);
        return false;
    }
    for (size_t i = 0; i < lock.nwarnings; i++)
        pl_warn(b, line, "%s:%d: %s", lock.warnings[i].file, lock.warnings[i].line,
                lock.warnings[i].message);
    rq_lock_selection sel;
    rq_lock_select(&lock, rq, &sel);
    size_t list = rt_req_list_add(&b->plan->lists, &b->plan->nlists, c.host_file,
                                  DA_ORIGIN_LOCKFILE, "lockfile", "");
    for (size_t i = 0; i < sel.len; i++)
        add_pin(b, op, &c, &lock, &sel.pins[i], list, via);
    for (size_t i = 0; i < sel.missing.len; i++)
        pl_warn(b, line, "%s is required but %s holds no pin of it: not counted",
                sel.missing.items[i], lock_path);
    char *dir = rt_dir_of(lock_path);
    for (size_t i = 0; i < sel.projects.len; i++) {
        char *pd = rt_join_path(dir, sel.projects.items[i]);
        project_packages(b, op, pd);
        free(pd);
    }
    free(dir);
    op->locked = true;
    free(op->lock_file);
    op->lock_file = da_xstrdup(c.host_file);
    if (sel.len == 0 && sel.projects.len == 0)
        pl_warn(b, line, "%s gives no pin for this install", lock_path);
    rq_lock_selection_free(&sel);
    rq_lock_free(&lock);
    rq_content_free(&c);
    return true;
}

void ic_lock_roots_from(rq_lock_request *rq, const da_plan_requirement *reqs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const da_requirement *r = reqs[i].parsed;
        if (!r)
            continue;
        rq_lock_dep_add(&rq->roots, r->name, NULL, r->marker_text);
        rq_lock_dep *d = &rq->roots.items[rq->roots.len - 1];
        for (size_t k = 0; k < r->extras.len; k++)
            da_strlist_push_owned(&d->extras, da_name_normalize(r->extras.items[k]));
        char *spec = da_specifier_set_to_string(r->specifier);
        if (spec && spec[0])
            d->specifier = spec;
        else
            free(spec);
    }
}
