/* Which file declares a project's dependencies, as a PEP 517 build would find them:
 * pyproject.toml when its [project] table (or Poetry's) states them; otherwise setuptools'
 * setup.cfg and setup.py, read without running anything; [tool.setuptools.dynamic] files. */
#include "image/requirements/setup_project.h"

#include "depaudit/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void rq_setup_add_req(const rq_content *c, da_pyproject *out, const char *text, const char *group,
                      size_t s, size_t e, size_t list)
{
    da_plan_requirement r;
    memset(&r, 0, sizeof(r));
    char *problem = NULL;
    rt_classify(&r, text, NULL, false, &problem);
    size_t hs = c->text.map[s < c->text.len ? s : c->text.len];
    size_t he = c->text.map[e < c->text.len ? e : c->text.len];
    if (he < hs)
        he = hs;
    int line = rq_line_of(c->host_data, c->host_len, hs);
    if (problem) {
        rq_warn(&out->warnings, &out->nwarnings, c->host_file, line, "invalid requirement '%s': %s",
                text, problem);
        free(problem);
    }
    size_t ls = hs;
    while (ls > 0 && c->host_data[ls - 1] != '\n')
        ls--;
    rt_span_set(&r.where, c->host_file, line, (int)(hs - ls) + 1, hs, he);
    r.origin = DA_ORIGIN_PYPROJECT;
    r.group = group ? da_xstrdup(group) : NULL;
    r.list = list;
    da_req_list *l = &out->lists[list];
    l->insert_at = he;
    l->insert_line = line;
    l->count++;
    if (group)
        DA_APPEND(out->optional, out->noptional, r);
    else
        DA_APPEND(out->dependencies, out->ndependencies, r);
}

void rq_setup_add_packages(da_pyproject *out, const char *value, bool dotted)
{
    char *copy = da_xstrdup(value), *save = NULL;
    for (char *t = strtok_r(copy, ", \t\n\r", &save); t; t = strtok_r(NULL, ", \t\n\r", &save)) {
        if (dotted && strchr(t, '.'))
            continue; /* a subpackage of one listed */
        if (!da_strlist_contains(&out->packages, t))
            da_strlist_push(&out->packages, t);
    }
    free(copy);
}

int rq_project_read(const rq_project_files *in, da_pyproject *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    if (in->pyproject && rq_pyproject_parse(in->pyproject, in->pyproject->host_file, out, err) < 0)
        return -1;
    if (out->declares_dependencies || (!in->setup_cfg && !in->setup_py))
        return 0;
    /* setuptools' own files: what setup.cfg says, then setup.py's keyword arguments */
    if (in->setup_cfg)
        rq_setup_cfg_read(in->setup_cfg, out, &out->dependency_files);
    if (in->setup_py) {
        da_strlist problems = {0};
        if (rq_setup_py_read(in->setup_py, out, &out->dependency_files, &problems) < 0)
            da_strlist_push(&problems, "a file that cannot be parsed");
        for (size_t i = 0; i < problems.len; i++)
            rq_warn(&out->warnings, &out->nwarnings, in->setup_py->host_file, 0,
                    "setup.py gives %s: what it declares there is unknown without running it "
                    "(the requirements depaudit can read are used)",
                    problems.items[i]);
        da_strlist_free(&problems);
    }
    const rq_content *any = in->setup_py ? in->setup_py : in->setup_cfg;
    rq_discover_packages(out, any->host_file);
    return 0;
}
