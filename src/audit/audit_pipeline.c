/* da_audit_check: the stages in order (imports, install plan, snapshot and metadata,
 * resolution, audit), each one's result handed to the next as a plain struct. Where a
 * stage cannot answer, the audit is told so and says so; nothing is invented here. */
#include "audit_internal.h"
#include "depaudit/audit.h"
#include "depaudit/metadata.h"
#include "depaudit/snapshot.h"
#include "version_notes.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct snapshot_lookup {
    da_snapshot *snap;
    da_metadata *meta;
    bool no_index; /* offline, or no index configured: only the snapshot and the cache */
    char *fault;   /* the first index failure a look-up met: the audit cannot do its job */
} snapshot_lookup;

/* Distributions whose files provide the module; those that only contribute to a
 * namespace above it (google-cloud-ndb for google.cloud.storage) provide nothing here. */
static int lk_which(void *ctx, const char *module, da_strlist *dists)
{
    snapshot_lookup *l = ctx;
    da_snapshot_match *m = NULL;
    int n = da_snapshot_which_matches(l->snap, module, &m);
    int added = 0;
    for (int i = 0; i < n; i++)
        if (!m[i].namespace_only && !da_strlist_contains(dists, m[i].dist)) {
            da_strlist_push(dists, m[i].dist);
            added++;
        }
    da_snapshot_matches_free(m, n);
    return added;
}

static bool lk_name_exists(void *ctx, const char *name)
{
    snapshot_lookup *l = ctx;
    if (da_snapshot_name_exists(l->snap, name, NULL))
        return true;
    if (l->no_index || !l->meta)
        return false;
    /* online: the index is the authority on names; one that fails says nothing */
    da_project *p = NULL;
    da_error err;
    da_error_clear(&err);
    int rc = da_metadata_get_project(l->meta, name, &p, &err);
    da_project_free(p);
    if (rc < 0 && !l->fault) {
        char msg[1600];
        da_error_format(&err, msg, sizeof(msg));
        l->fault = da_xasprintf("the package index could not answer for %s: %s", name, msg);
    }
    return rc != 1;
}

static int lk_closest(void *ctx, const char *name, da_strlist *out, size_t max)
{
    snapshot_lookup *l = ctx;
    return da_snapshot_closest_names(l->snap, name, out, max);
}

/* The newest version known to exist: online the index's, offline the snapshot's names
 * list (never an older release picked because its metadata happens to be at hand). */
static char *lk_known_version(void *ctx, const char *name)
{
    snapshot_lookup *l = ctx;
    if (l->no_index || !l->meta) {
        const char *latest = da_snapshot_latest_known(l->snap, name);
        return latest ? da_xstrdup(latest) : NULL;
    }
    da_project *p = NULL;
    if (da_metadata_get_project(l->meta, name, &p, NULL) != 0) {
        const char *latest = da_snapshot_latest_known(l->snap, name);
        return latest ? da_xstrdup(latest) : NULL;
    }
    da_target t;
    da_target_init(&t, 3, 11, -1);
    char *v = da_project_latest_version(p, &t);
    da_project_free(p);
    return v;
}

static da_release *lk_release(void *ctx, const char *name, const char *version)
{
    snapshot_lookup *l = ctx;
    da_release *r = version ? da_snapshot_release_version(l->snap, name, version) : NULL;
    return r ? r : da_snapshot_release(l->snap, name);
}

static const char *vf_latest_known(void *ctx, const char *name)
{
    snapshot_lookup *l = ctx;
    return da_snapshot_latest_known(l->snap, name);
}

/* As the audit judged a distribution the environment lacks: the snapshot's best release. */
static da_release *vf_release(void *ctx, const char *name)
{
    return lk_release(ctx, name, NULL);
}

static bool lk_is_stdlib(void *ctx, int major, int minor, const char *module)
{
    (void)ctx;
    return da_stdlib_contains(major, minor, module);
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int load_config(const da_check_options *o, da_audit_config *cfg, da_error *err)
{
    memset(cfg, 0, sizeof(*cfg));
    if (o->config_file)
        return da_audit_config_load(o->config_file, cfg, err);
    da_strlist dirs = {0};
    da_strlist_push(&dirs, ".");
    if (o->dockerfile) {
        const char *slash = strrchr(o->dockerfile, '/');
        char *d =
            slash ? da_xstrndup(o->dockerfile, (size_t)(slash - o->dockerfile)) : da_xstrdup(".");
        if (!da_strlist_contains(&dirs, d))
            da_strlist_push(&dirs, d);
        free(d);
    }
    int rc = 0;
    for (size_t i = 0; i < dirs.len && !cfg->file && rc == 0; i++) {
        const char *names[] = {".depaudit.toml", "pyproject.toml"};
        for (size_t k = 0; k < 2 && !cfg->file && rc == 0; k++) {
            char *p = da_xasprintf("%s/%s", dirs.items[i], names[k]);
            if (file_exists(p)) {
                rc = da_audit_config_load(p, cfg, err);
                /* a pyproject.toml without [tool.depaudit] does not end the search */
                if (rc == 0 && k == 1 &&
                    cfg->ignore.len + cfg->module_ignores.len + cfg->mappings.len +
                            cfg->first_party.len + cfg->base_provides.len + cfg->exclude.len ==
                        0 &&
                    !cfg->report_type_checking) {
                    da_audit_config_free(cfg);
                }
            }
            free(p);
        }
    }
    da_strlist_free(&dirs);
    return rc;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s && s[1] ? s + 1 : p;
}

static void build_resolve_input(const da_install_plan *plan, da_resolve_input *in,
                                da_strlist *warnings)
{
    da_resolve_input_init(in);
    in->target = plan->target;
    for (size_t k = 0; k < plan->nfinal_ops; k++) {
        const da_install_op *op = &plan->ops[plan->final_ops[k]];
        da_resolve_step *s = da_resolve_input_add_step(
            in, op->kind == DA_OP_UNINSTALL ? DA_STEP_UNINSTALL : DA_STEP_INSTALL, op->file,
            op->line);
        s->no_deps = op->no_deps;
        s->pre = op->pre;
        s->upgrade = op->upgrade;
        s->force_reinstall = op->force_reinstall;
        for (size_t i = 0; i < op->only_binary.len; i++)
            if (strcmp(op->only_binary.items[i], ":all:") == 0)
                s->only_binary_all = true;
        for (size_t j = 0; j < op->nreqs; j++) {
            const da_plan_requirement *r = &op->reqs[j];
            if (r->kind != DA_REQ_NAMED) {
                da_strlist_push_owned(warnings,
                                      da_xasprintf("%s:%d: `%s` is a local path or URL: what it "
                                                   "installs is not known to the audit",
                                                   r->where.file, r->where.line, r->text));
                continue;
            }
            da_resolve_step_add_req(s, r->text, r->where.file, r->where.line, r->where.col);
        }
        for (size_t j = 0; j < op->nconstraints; j++) {
            const da_plan_requirement *r = &op->constraints[j];
            if (r->kind == DA_REQ_NAMED)
                da_resolve_step_add_constraint(s, r->text, r->where.file, r->where.line,
                                               r->where.col);
        }
    }
}

/* Resolves the image's installs. -1 when an index failed (out->metadata_fault says which
 * metadata was missing and how to get it): no verdict rests on what it did not say. A
 * resolution that fails for another reason (an invalid requirement) sets *failure. */
static int resolve_image(const da_resolve_input *rin, da_metadata *meta, da_environment *env,
                         da_check_result *out, char **failure)
{
    da_provider provider = da_metadata_provider(meta);
    da_error rerr;
    da_error_clear(&rerr);
    int r = da_resolve(rin, &provider, env, &rerr);
    if (r >= 0 || !env->metadata_failed) {
        if (r < 0) {
            char msg[1600];
            da_error_format(&rerr, msg, sizeof(msg));
            *failure = da_xstrdup(msg);
        }
        for (size_t i = 0; i < env->warnings.len; i++)
            da_strlist_push(&out->warnings, env->warnings.items[i]);
        return 0;
    }
    char msg[1600];
    da_error_format(&rerr, msg, sizeof(msg));
    out->metadata_fault = da_xasprintf("metadata needed for the resolution is missing: %s; retry "
                                       "when the index answers, or audit with --offline (the "
                                       "snapshot and the cache: unknowns become DA012 warnings)",
                                       msg);
    return -1;
}

int da_audit_check(const da_check_options *o, da_check_result *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    int rc = -1;
    da_audit_config cfg = {0};
    da_install_plan plan;
    bool have_plan = false;
    da_import_set imports = {0};
    da_import_options iopt;
    da_import_options_init(&iopt);
    da_snapshot *snap = NULL;
    da_metadata *meta = NULL;
    da_metadata_options mopt;
    da_metadata_options_init(&mopt);
    da_resolve_input rin;
    bool have_rin = false;
    da_environment env = {0};
    bool have_env = false;
    char *resolve_failure = NULL;
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd)))
        cwd[0] = '\0';

    if (load_config(o, &cfg, err) != 0)
        goto done;
    if (o->dockerfile) {
        da_plan_options popt = {0};
        popt.build_args = o->build_args;
        popt.nbuild_args = o->nbuild_args;
        popt.target_stage = o->target_stage;
        popt.python_version = o->python_version;
        if (da_install_plan_load(o->dockerfile, &popt, &plan, err) != 0)
            goto done;
        have_plan = true;
        for (size_t i = 0; i < plan.nwarnings; i++)
            da_strlist_push_owned(&out->warnings,
                                  da_xasprintf("%s:%d: %s", plan.warnings[i].file,
                                               plan.warnings[i].line, plan.warnings[i].message));
    }
    int major = have_plan ? plan.target.py_major : 3, minor = have_plan ? plan.target.py_minor : 12;
    if (!have_plan && o->python_version && sscanf(o->python_version, "%d.%d", &major, &minor) != 2)
        major = 3, minor = 12;
    iopt.py_major = major;
    iopt.py_minor = minor;
    for (size_t i = 0; i < cfg.exclude.len; i++)
        da_strlist_push(&iopt.excludes, cfg.exclude.items[i]);
    for (size_t i = 0; i < cfg.first_party.len; i++)
        da_strlist_push(&iopt.extra_first_party, cfg.first_party.items[i]);
    /* A source root that is a directory is often copied whole (`COPY src/ ./src/` with
     * the parent on PYTHONPATH): its own name is first-party too. */
    for (size_t i = 0; i < o->nroots; i++) {
        struct stat st;
        char *r = da_xstrdup(o->roots[i]);
        size_t n = strlen(r);
        while (n > 1 && r[n - 1] == '/')
            r[--n] = '\0';
        const char *b = base_name(r);
        if (stat(r, &st) == 0 && S_ISDIR(st.st_mode) && strcmp(b, ".") != 0 &&
            strcmp(b, "..") != 0 && !da_strlist_contains(&iopt.extra_first_party, b))
            da_strlist_push(&iopt.extra_first_party, b);
        free(r);
    }
    if (da_imports_scan(o->roots, o->nroots, &iopt, &imports, err) != 0)
        goto done;
    for (size_t i = 0; i < imports.nerrors; i++) {
        /* the findings' own path rule: a file root is its own path (not "x.py/x.py"), and
         * paths under the current directory are shown relative to it */
        const da_import_error *e = &imports.errors[i];
        char *path = audit_display_path(*e->root ? e->root : NULL, e->file, cwd);
        da_strlist_push_owned(&out->warnings, da_xasprintf("%s:%d: %s", path, e->line, e->message));
        free(path);
    }

    snap = o->snapshot_file ? da_snapshot_open_file(o->snapshot_file, err)
                            : da_snapshot_open_embedded(err);
    if (!snap)
        goto done;
    mopt.offline = o->offline;
    if (o->index_url)
        mopt.index_url = da_xstrdup(o->index_url);
    if (o->cache_dir)
        mopt.cache_dir = da_xstrdup(o->cache_dir);
    if (!o->offline)
        da_metadata_options_from_env(&mopt);
    if (have_plan)
        mopt.target = plan.target;
    if (da_metadata_open(&mopt, &meta, err) != 0)
        goto done;

    /* without an index, what the snapshot and the cache lack is unknown, never a fault */
    bool no_index = o->offline || (!mopt.index_url && mopt.extra_index_urls.len == 0);
    if (have_plan) {
        build_resolve_input(&plan, &rin, &out->warnings);
        have_rin = have_env = true;
        rin.unknown_is_partial = no_index;
        if (resolve_image(&rin, meta, &env, out, &resolve_failure) < 0) {
            rc = 0; /* a completed call: out->metadata_fault says why there is no verdict */
            goto done;
        }
    }

    snapshot_lookup sl = {snap, meta, no_index, NULL};
    da_audit_lookup lookup = {&sl,          lk_which,  lk_name_exists, lk_closest, lk_known_version,
                              lk_is_stdlib, lk_release};
    da_metadata_stats st;
    da_metadata_get_stats(meta, &st);
    const char *index = !o->offline ? (o->index_url ? o->index_url : mopt.index_url) : NULL;
    char *origin = da_xasprintf("%s%s%s",
                                o->offline ? "offline: the embedded snapshot"
                                           : "the embedded snapshot, the disk cache",
                                index ? ", index " : "", index ? index : "");
    da_audit_input in = {&imports,
                         have_plan ? &plan : NULL,
                         have_env ? &env : NULL,
                         resolve_failure,
                         &lookup,
                         &cfg,
                         cwd,
                         origin,
                         o->roots,
                         o->nroots,
                         major,
                         minor,
                         no_index};
    rc = da_audit_run(&in, &out->findings, err);
    if (rc == 0) {
        audit_version_facts facts = {&sl, vf_latest_known, vf_release};
        audit_note_older_metadata(&out->findings, have_env ? &env : NULL, &facts);
    }
    if (rc == 0 && sl.fault) {
        /* a name the index failed to answer for is no DA006: no verdict at all */
        out->metadata_fault = da_xasprintf("%s; retry when the index answers, or audit with "
                                           "--offline",
                                           sl.fault);
        da_findings_free(&out->findings);
    }
    free(sl.fault);
    da_metadata_get_stats(meta, &st);
    size_t nunknown = out->findings.unknowns.len;
    out->metadata_line = da_xasprintf(
        "metadata: %s; %ld snapshot answers, %ld cache hits, %ld index requests; %zu "
        "answer%s rest%s on a name guess; resolution %s%s",
        origin, st.snapshot_hits, st.cache_hits, st.requests, out->findings.guesses,
        out->findings.guesses == 1 ? "" : "s", out->findings.guesses == 1 ? "s" : "",
        da_resolution_state_name(out->findings.resolution),
        nunknown ? " (what is unknown: --verbose, or summary.resolution of --format json)" : "");
    free(origin);

done:
    free(resolve_failure);
    if (have_env)
        da_environment_free(&env);
    if (have_rin)
        da_resolve_input_free(&rin);
    da_metadata_close(meta);
    da_metadata_options_free(&mopt);
    da_snapshot_close(snap);
    da_import_set_free(&imports);
    da_import_options_free(&iopt);
    if (have_plan)
        da_install_plan_free(&plan);
    da_audit_config_free(&cfg);
    return rc;
}

void da_check_result_free(da_check_result *r)
{
    if (!r)
        return;
    da_findings_free(&r->findings);
    free(r->metadata_line);
    free(r->metadata_fault);
    da_strlist_free(&r->warnings);
    memset(r, 0, sizeof(*r));
}
