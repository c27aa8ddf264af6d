/* `depaudit resolve`: the install steps (the final image's, or one pip command from
 * requirements and their files), the metadata sources for the target, the resolver. */
#include "check_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The target of a bare requirement list: --python-version X.Y[.Z] and --platform. */
static int target_of(const da_plan_options *p, da_target *t, da_error *err)
{
    if (p->python_version) {
        int major = 0, minor = 0, micro = -1;
        int n = sscanf(p->python_version, "%d.%d.%d", &major, &minor, &micro);
        if (n < 2 || major != 3)
            return da_error_set(err, NULL, 0, 0, "--python-version must look like 3.11, not '%s'",
                                p->python_version);
        da_target_init(t, major, minor, n == 3 ? micro : -1);
    }
    if (p->platform) {
        const char *arch = strchr(p->platform, '/');
        arch = arch ? arch + 1 : p->platform;
        if (strcmp(arch, "amd64") == 0 || strcmp(arch, "x86_64") == 0)
            snprintf(t->machine, sizeof(t->machine), "x86_64");
        else if (strcmp(arch, "arm64") == 0 || strcmp(arch, "aarch64") == 0 ||
                 strcmp(arch, "arm64/v8") == 0)
            snprintf(t->machine, sizeof(t->machine), "aarch64");
        else
            return da_error_set(err, NULL, 0, 0,
                                "unknown --platform '%s' (linux/amd64, linux/arm64)", p->platform);
    }
    return 0;
}

/* One requirements file's requirements (or, constraints_only, all of them as constraints)
 * and global options into the step. */
static int add_requirements_file(const char *path, bool constraints_only, da_resolve_step *s,
                                 da_strlist *warnings, da_error *err)
{
    da_requirements_file rf;
    memset(&rf, 0, sizeof(rf));
    if (da_requirements_file_parse(path, NULL, &rf, err) < 0)
        return -1;
    for (size_t k = 0; k < rf.nreqs; k++) {
        const da_plan_requirement *r = &rf.reqs[k];
        const da_span *w = &r->where;
        if (r->kind != DA_REQ_NAMED)
            da_strlist_push_owned(warnings, da_xasprintf("%s:%d: warning: '%s' is not resolved",
                                                         w->file, w->line, r->text));
        else if (constraints_only)
            da_resolve_step_add_constraint(s, r->text, w->file, w->line, w->col);
        else
            da_resolve_step_add_req(s, r->text, w->file, w->line, w->col);
    }
    for (size_t k = 0; k < rf.nconstraints; k++) {
        const da_plan_requirement *r = &rf.constraints[k];
        if (r->kind == DA_REQ_NAMED)
            da_resolve_step_add_constraint(s, r->text, r->where.file, r->where.line, r->where.col);
    }
    s->pre = s->pre || rf.pre;
    if (da_strlist_contains(&rf.only_binary, ":all:"))
        s->only_binary_all = true;
    da_requirements_file_free(&rf);
    return 0;
}

/* -r files and REQ arguments as one pip command. */
static int input_from_requirements(const da_check_resolve_options *o, da_resolve_input *in,
                                   da_strlist *warnings, da_error *err)
{
    da_resolve_input_init(in);
    if (target_of(&o->plan, &in->target, err) < 0)
        return -1;
    da_resolve_step *s = da_resolve_input_add_step(in, DA_STEP_INSTALL, NULL, 0);
    for (size_t i = 0; i < o->nreqs; i++)
        da_resolve_step_add_req(s, o->reqs[i], NULL, 0, (int)i + 1);
    for (size_t i = 0; i < o->nreq_files; i++)
        if (add_requirements_file(o->req_files[i], false, s, warnings, err) < 0)
            return -1;
    for (size_t i = 0; i < o->nconstraint_files; i++)
        if (add_requirements_file(o->constraint_files[i], true, s, warnings, err) < 0)
            return -1;
    return 0;
}

/* The indexes the Dockerfile's installs name, which the image resolves against. */
typedef struct image_indexes {
    char *index_url;
    da_strlist extras;
} image_indexes;

static int input_from_dockerfile(const da_check_resolve_options *o, da_resolve_input *in,
                                 image_indexes *idx, da_strlist *warnings, da_error *err)
{
    da_install_plan plan;
    memset(&plan, 0, sizeof(plan));
    if (check_plan_load(o->dockerfile, &o->plan, &plan, err) < 0) {
        da_install_plan_free(&plan);
        return -1;
    }
    for (size_t i = 0; i < plan.nwarnings; i++)
        da_strlist_push_owned(warnings,
                              da_xasprintf("%s:%d: warning: %s", plan.warnings[i].file,
                                           plan.warnings[i].line, plan.warnings[i].message));
    da_plan_indexes(&plan, &idx->index_url, &idx->extras, warnings);
    int rc = da_resolve_input_from_plan(&plan, in, err);
    da_install_plan_free(&plan);
    return rc < 0 ? -1 : 0;
}

/* *no_index: no network source will be asked (offline, or no index configured), so what
 * the local sources lack is unknown rather than a failure. */
static int open_metadata(const da_check_resolve_options *o, const da_target *t,
                         const image_indexes *idx, da_metadata **m, bool *no_index,
                         da_strlist *warnings, da_error *err)
{
    da_metadata_options mo;
    da_metadata_options_init(&mo);
    if (o->index_url) {
        mo.index_url = da_xstrdup(o->index_url);
    } else if (idx->index_url) {
        mo.index_url = da_xstrdup(idx->index_url);
        mo.index_from = da_xstrdup("the Dockerfile");
    }
    da_strlist_copy_into(&mo.extra_index_urls, &idx->extras);
    if (o->cache_dir)
        mo.cache_dir = da_xstrdup(o->cache_dir);
    da_metadata_options_from_env(&mo);
    da_network_options_apply(&o->network, &mo);
    mo.offline = o->offline;
    mo.target = *t;
    int rc = da_metadata_open(&mo, m, err);
    da_metadata_options_free(&mo);
    if (rc < 0)
        return -1;
    *no_index = !da_metadata_asks_index(*m);
    da_strlist_copy_into(warnings, da_metadata_warnings(*m));
    return 0;
}

/* The command-line switches that apply to every step. */
static void apply_switches(const da_check_resolve_options *o, da_resolve_input *in)
{
    in->pre = in->pre || o->pre;
    if (o->as_of)
        in->as_of = da_xstrdup(o->as_of);
    for (size_t i = 0; i < in->nsteps; i++) {
        in->steps[i].no_deps = in->steps[i].no_deps || o->no_deps;
        in->steps[i].only_binary_all = in->steps[i].only_binary_all || o->only_binary_all;
    }
}

int da_check_resolve(const da_check_resolve_options *o, da_check_resolution *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    da_resolve_input in;
    memset(&in, 0, sizeof(in));
    image_indexes idx = {0};
    int rc = o->dockerfile ? input_from_dockerfile(o, &in, &idx, &out->warnings, err)
                           : input_from_requirements(o, &in, &out->warnings, err);
    da_metadata *m = NULL;
    if (rc == 0) {
        apply_switches(o, &in);
        rc = open_metadata(o, &in.target, &idx, &m, &in.unknown_is_partial, &out->warnings, err);
    }
    if (rc == 0) {
        da_provider prov = da_metadata_provider(m);
        da_error_clear(&out->error);
        out->status = da_resolve(&in, &prov, &out->env, &out->error);
        out->metadata_failed = out->status < 0 && out->env.metadata_failed;
        da_metadata_get_stats(m, &out->stats);
        const da_strlist *missing = da_metadata_missing(m);
        if (missing)
            da_strlist_copy_into(&out->missing, missing);
        if (prov.destroy)
            prov.destroy(prov.ctx);
        da_metadata_close(m);
    }
    da_resolve_input_free(&in);
    free(idx.index_url);
    da_strlist_free(&idx.extras);
    return rc;
}

void da_check_resolution_free(da_check_resolution *r)
{
    if (!r)
        return;
    da_strlist_free(&r->warnings);
    da_environment_free(&r->env);
    da_strlist_free(&r->missing);
    memset(r, 0, sizeof(*r));
}
