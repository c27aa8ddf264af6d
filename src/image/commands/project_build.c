/* Packages of the project built in the image (`python -m build`, `uv build`, `poetry
 * build`, `pdm build`, `hatch build`, `flit build`) or copied in from the build context's
 * dist/, and installed later from the file: `pip install dist/NAME.whl` installs the project,
 * so its requirements (read from its files, never run) and its packages come with it. */
#include "image/commands/install_command.h"

#include "depaudit/util.h"
#include "image/requirements/pyproject.h"
#include "image/requirements/requirement_text.h"
#include "image/requirements/setup_project.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* Where the command writes its packages, and the project it builds. */
static void build_dirs(const sh_command *c, const ic_state *s, size_t first_opt, const char *tool,
                       char **project, char **out)
{
    const char *src = NULL, *dest = NULL;
    bool hatch = strcmp(tool, "hatch") == 0;
    for (size_t i = first_opt; i < c->nwords; i++) {
        const char *w = c->words[i].value;
        const char *v = i + 1 < c->nwords ? c->words[i + 1].value : NULL;
        if ((strcmp(w, "-o") == 0 || strcmp(w, "--outdir") == 0 || strcmp(w, "--out-dir") == 0 ||
             strcmp(w, "--output") == 0 || strcmp(w, "-d") == 0 || strcmp(w, "--dest") == 0) &&
            v) {
            dest = v;
            i++;
        } else if (da_str_starts_with(w, "--outdir=") || da_str_starts_with(w, "--out-dir=") ||
                   da_str_starts_with(w, "--output=") || da_str_starts_with(w, "--dest=")) {
            dest = strchr(w, '=') + 1;
        } else if (w[0] != '-' && !src && !hatch) {
            src = w;
        } else if (w[0] != '-' && hatch && !dest) {
            dest = w; /* hatch build [LOCATION] */
        }
    }
    *project = rt_join_path(s->cwd, src ? src : ".");
    *out = dest ? rt_join_path(s->cwd, dest) : rt_join_path(*project, "dist");
}

void ic_project_build(pl_builder *b, const sh_command *c, ic_state *s, int line, size_t exe_i,
                      size_t first_opt, const char *tool)
{
    char *project, *out;
    build_dirs(c, s, first_opt, tool, &project, &out);
    da_install_op op;
    ic_op_init(b, &op, c, tool, DA_OP_INSTALL, line, s->run_line, exe_i);
    char *via = da_xasprintf("%s:%d %s", b->df.path, line, op.command);
    ic_add_project(b, &op, project, NULL, NULL, false, line, via, true);
    free(via);
    pl_wheelhouse wh = {b->cur, out, false, op};
    DA_PUSH(b->wheelhouses, b->nwheelhouses, b->whcap, wh);
    free(project);
}

/* The distribution name a wheel or sdist file name starts with, wheel-normalised. */
static char *file_dist_name(const char *base)
{
    size_t n = strcspn(base, "-");
    char *name = da_xstrndup(base, n);
    for (char *p = name; *p; p++)
        *p = (*p == '.' || *p == '-') ? '_' : (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
    return name;
}

/* The project files in the host directory dir (the build context) into out. */
static int read_host_project(const char *dir, da_pyproject *out)
{
    static const char *const names[] = {"pyproject.toml", "setup.cfg", "setup.py"};
    rq_content c[3];
    bool have[3];
    for (size_t i = 0; i < 3; i++) {
        char *p = pl_join2(dir, names[i]);
        char *why = NULL;
        memset(&c[i], 0, sizeof(c[i]));
        have[i] = pl_host_is_dir(p) ? false : rq_load_host_file(dir, p, &c[i], &why) == 0;
        if (!have[i])
            rq_content_free(&c[i]);
        free(why);
        free(p);
    }
    int rc = -1;
    if (have[0] || have[1] || have[2]) {
        rq_project_files in = {have[0] ? &c[0] : NULL, have[1] ? &c[1] : NULL,
                               have[2] ? &c[2] : NULL};
        da_error err;
        rc = rq_project_read(&in, out, &err);
    }
    for (size_t i = 0; i < 3; i++)
        if (have[i])
            rq_content_free(&c[i]);
    return rc;
}

/* The site-packages of the op's destination, for the stage's Python. */
static char *site_packages(pl_builder *b, const da_install_op *op)
{
    pl_python py;
    pl_python_from_image(b->stages[b->cur].image, &py);
    char *root = pl_op_root(op);
    char *sp = op->dest == DA_DEST_TARGET
                   ? da_xstrdup(root)
                   : da_xasprintf("%s/lib/python%d.%d/site-packages", root, py.known ? py.major : 3,
                                  py.known ? py.minor : 12);
    free(root);
    return sp;
}

/* The context project's requirements (none with --no-deps; its requirement files read from
 * the context) and its packages, which the package file installs into site-packages. */
static void take_host_project(pl_builder *b, da_install_op *op, da_pyproject *proj, const char *dir,
                              const char *via)
{
    size_t base = ic_take_lists(b, proj);
    for (size_t i = 0; !op->no_deps && i < proj->ndependencies; i++)
        ic_take_requirement(&op->reqs, &op->nreqs, &proj->dependencies[i], base, via);
    if (!op->no_deps)
        proj->ndependencies = 0;
    for (size_t i = 0; !op->no_deps && i < proj->dependency_files.len; i++) {
        char *path = pl_join2(dir, proj->dependency_files.items[i]);
        da_requirements_file f;
        da_error err;
        if (da_requirements_file_parse(path, NULL, &f, &err) == 0)
            ic_absorb_requirements(b, op, &f, "/");
        else
            pl_warn(b, op->line, "cannot read %s: %s", path, err.message);
        free(path);
    }
    ic_take_warnings(b, proj);
    char *sp = site_packages(b, op);
    for (size_t i = 0; i < proj->packages.len; i++)
        da_strlist_push_owned(&op->first_party,
                              pl_join2(sp, rt_base_name(proj->packages.items[i])));
    free(sp);
}

bool ic_context_package(pl_builder *b, da_install_op *op, const da_plan_requirement *r)
{
    da_pyproject proj;
    if (read_host_project(b->context, &proj) < 0)
        return false;
    bool ok = false;
    if (proj.name) {
        char *name = file_dist_name(proj.name);
        const char *base = rt_base_name(r->path);
        char *wheel = da_xasprintf("%s-0-py3-none-any.whl", name);
        char *sdist = da_xasprintf("%s-0.tar.gz", name);
        char *own = file_dist_name(base);
        ok = strpbrk(base, "*?[") ? fnmatch(base, wheel, 0) == 0 || fnmatch(base, sdist, 0) == 0
                                  : strcmp(own, name) == 0;
        if (ok) {
            char *via = da_xasprintf("%s:%d %s (the build context's project %s)", r->where.file,
                                     r->where.line, r->text, proj.name);
            take_host_project(b, op, &proj, b->context, via);
            free(via);
        }
        free(own);
        free(wheel);
        free(sdist);
        free(name);
    }
    da_pyproject_free(&proj);
    return ok;
}
