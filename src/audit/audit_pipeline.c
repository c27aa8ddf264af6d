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
    bool offline;
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
    if (l->offline || !l->meta)
        return false;
    /* online: the index is the authority on names */
    da_project *p = NULL;
    int rc = da_metadata_get_project(l->meta, name, &p, NULL);
    da_project_free(p);
    return rc == 0;
}

static int lk_closest(void *ctx, const char *name, da_strlist *out, size_t max)
{
    snapshot_lookup *l = ctx;
    return da_snapshot_closest_names(l->snap, name, out, max);
}

/* A version whose metadata a source holds: the snapshot's release, else (online) the
 * newest the index lists. */
static char *lk_known_version(void *ctx, const char *name)
{
    snapshot_lookup *l = ctx;
    da_release *r = da_snapshot_release(l->snap, name);
    if (r) {
        char *v = da_xstrdup(r->version);
        da_release_free(r);
        return v;
    }
    if (l->offline || !l->meta)
        return NULL;
    da_project *p = NULL;
    if (da_metadata_get_project(l->meta, name, &p, NULL) != 0)
        return NULL;
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

/* The plan's final operations as resolver steps (locked steps for the pins of lock files).
 * The base image's distributions are the audit's to count (audit_run.c), and what the input
 * cannot express (local paths, URLs) is said as a warning. */
static void build_resolve_input(const da_install_plan *plan, da_resolve_input *in,
                                da_strlist *warnings)
{
    da_error err;
    da_error_clear(&err);
    da_resolve_input_from_plan(plan, in, &err);
    for (size_t i = 0; i < in->npreinstalled; i++) {
        free(in->preinstalled[i].name);
        free(in->preinstalled[i].version);
        free(in->preinstalled[i].file);
    }
    in->npreinstalled = 0;
    for (size_t i = 0; i < in->notes.len; i++)
        if (!da_str_starts_with(in->notes.items[i], "assumed the base image's") &&
            !da_str_starts_with(in->notes.items[i], "preinstalled "))
            da_strlist_push(warnings, in->notes.items[i]);
    da_strlist_free(&in->notes);
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

    if (have_plan) {
        build_resolve_input(&plan, &rin, &out->warnings);
        have_rin = true;
        da_provider provider = da_metadata_provider(meta);
        da_error rerr;
        da_error_clear(&rerr);
        int r = da_resolve(&rin, &provider, &env, &rerr);
        have_env = true;
        if (r < 0) {
            char msg[1600];
            da_error_format(&rerr, msg, sizeof(msg));
            resolve_failure = da_xstrdup(msg);
            /* exit 3 is for real distributions whose metadata is not at hand; a name no
             * index knows is a finding (DA006), not missing metadata */
            const da_strlist *missing = da_metadata_missing(meta);
            for (size_t i = 0; o->offline && missing && i < missing->len; i++) {
                const char *line = missing->items[i];
                char *name = da_xstrndup(line, strcspn(line, ":=<>!~ ;["));
                if (da_snapshot_name_exists(snap, name, NULL))
                    out->metadata_unavailable = true;
                free(name);
            }
        }
        for (size_t i = 0; i < env.warnings.len; i++)
            da_strlist_push(&out->warnings, env.warnings.items[i]);
    }

    snapshot_lookup sl = {snap, meta, o->offline};
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
                         minor};
    rc = da_audit_run(&in, &out->findings, err);
    if (rc == 0) {
        audit_version_facts facts = {&sl, vf_latest_known, vf_release};
        audit_note_older_metadata(&out->findings, have_env ? &env : NULL, &facts);
    }
    da_metadata_get_stats(meta, &st);
    out->metadata_line = da_xasprintf(
        "metadata: %s; %ld snapshot answers, %ld cache hits, %ld index requests; %zu "
        "answer%s rest%s on a name guess%s",
        origin, st.snapshot_hits, st.cache_hits, st.requests, out->findings.guesses,
        out->findings.guesses == 1 ? "" : "s", out->findings.guesses == 1 ? "s" : "",
        resolve_failure || (have_env && env.nconflicts)
            ? "; pip's resolution could not be reproduced: judged against the requested "
              "distributions and their dependencies as the metadata lists them"
            : "");
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
    da_strlist_free(&r->warnings);
    memset(r, 0, sizeof(*r));
}
