/* da_check_audit: the stages in order (imports, install plan, snapshot and metadata,
 * resolution, audit), each one's result handed to the next as a plain struct. Where a
 * stage cannot answer, the audit is told so and says so; nothing is invented here. */
#include "check_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Everything one run holds, freed together. */
typedef struct audit_run {
    const da_check_options *o;
    da_check_result *out;
    da_audit_config cfg;
    da_install_plan plan;
    bool have_plan;
    int py_major, py_minor; /* the image's Python */
    da_import_set imports;
    da_snapshot *snap;
    da_metadata_options mopt;
    da_metadata *meta;
    da_resolve_input rin;
    bool have_rin;
    da_environment env;
    bool have_env;
    bool no_index; /* offline, or no index configured */
    char *resolve_failure;
    char cwd[PATH_MAX];
    const char *const *roots; /* o->roots, or those the COPY lines give (derived_roots) */
    size_t nroots;
    da_strlist derived_roots;
    check_scope scope;
} audit_run;

void check_resolve_input_from_plan(const da_install_plan *plan, da_resolve_input *in,
                                   da_strlist *warnings)
{
    da_error err;
    da_error_clear(&err);
    da_resolve_input_from_plan(plan, in, &err);
    /* the base image's distributions are the audit's to count (audit_run.c) */
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

/* The install plan, when there is a Dockerfile, and the image's Python. */
static int load_plan(audit_run *r, da_error *err)
{
    const da_check_options *o = r->o;
    r->py_major = DA_DEFAULT_PY_MAJOR;
    r->py_minor = DA_DEFAULT_PY_MINOR;
    if (!o->dockerfile) {
        if (o->python_version &&
            sscanf(o->python_version, "%d.%d", &r->py_major, &r->py_minor) != 2)
            r->py_major = DA_DEFAULT_PY_MAJOR, r->py_minor = DA_DEFAULT_PY_MINOR;
        return 0;
    }
    da_plan_options popt = {0};
    popt.build_args = o->build_args;
    popt.nbuild_args = o->nbuild_args;
    popt.target_stage = o->target_stage;
    popt.python_version = o->python_version;
    popt.context_dir = o->context_dir;
    if (check_plan_load(o->dockerfile, &popt, &r->plan, err) != 0)
        return -1;
    r->have_plan = true;
    for (size_t i = 0; i < r->plan.nwarnings; i++)
        da_strlist_push_owned(&r->out->warnings,
                              da_xasprintf("%s:%d: %s", r->plan.warnings[i].file,
                                           r->plan.warnings[i].line, r->plan.warnings[i].message));
    r->py_major = r->plan.target.py_major;
    r->py_minor = r->plan.target.py_minor;
    return 0;
}

/* A source root that is a directory is often copied whole (`COPY src/ ./src/` with the
 * parent on PYTHONPATH): its own name is first-party too. */
static void add_root_names(const audit_run *run, da_strlist *first_party)
{
    for (size_t i = 0; i < run->nroots; i++) {
        struct stat st;
        char *r = da_xstrdup(run->roots[i]);
        size_t n = strlen(r);
        while (n > 1 && r[n - 1] == '/')
            r[--n] = '\0';
        const char *b = da_path_base_name(r);
        if (stat(r, &st) == 0 && S_ISDIR(st.st_mode) && strcmp(b, ".") != 0 &&
            strcmp(b, "..") != 0 && !da_strlist_contains(first_party, b))
            da_strlist_push(first_party, b);
        free(r);
    }
}

static int scan_imports(audit_run *r, da_error *err)
{
    da_import_options iopt;
    da_import_options_init(&iopt);
    iopt.py_major = r->py_major;
    iopt.py_minor = r->py_minor;
    da_strlist_copy_into(&iopt.excludes, &r->cfg.exclude);
    da_strlist_copy_into(&iopt.extra_first_party, &r->cfg.first_party);
    add_root_names(r, &iopt.extra_first_party);
    int rc = da_imports_scan(r->roots, r->nroots, &iopt, &r->imports, err);
    da_import_options_free(&iopt);
    if (rc != 0)
        return -1;
    for (size_t i = 0; i < r->imports.nerrors; i++) {
        /* the findings' own path rule: a file root is its own path (not "x.py/x.py"), and
         * paths under the current directory are shown relative to it */
        const da_import_error *e = &r->imports.errors[i];
        char *path = da_audit_display_path(*e->root ? e->root : NULL, e->file, r->cwd);
        da_strlist_push_owned(&r->out->warnings,
                              da_xasprintf("%s:%d: %s", path, e->line, e->message));
        free(path);
    }
    return check_scope_build(r->have_plan ? &r->plan : NULL, &r->imports, r->cwd, &r->scope, err);
}

/* The roots: the user's, else (a Dockerfile alone) what its COPY lines bring in. */
static void choose_roots(audit_run *r)
{
    r->roots = r->o->roots;
    r->nroots = r->o->nroots;
    if (r->nroots > 0 || !r->have_plan)
        return;
    check_scope_roots(&r->plan, &r->derived_roots);
    r->roots = (const char *const *)r->derived_roots.items;
    r->nroots = r->derived_roots.len;
}

static int open_sources(audit_run *r, da_error *err)
{
    const da_check_options *o = r->o;
    r->snap = o->snapshot_file ? da_snapshot_open_file(o->snapshot_file, err)
                               : da_snapshot_open_embedded(err);
    if (!r->snap)
        return -1;
    r->mopt.offline = o->offline;
    if (o->index_url)
        r->mopt.index_url = da_xstrdup(o->index_url);
    if (o->cache_dir)
        r->mopt.cache_dir = da_xstrdup(o->cache_dir);
    if (!o->offline && r->have_plan) { /* the indexes the image itself installs from */
        char *image_index = NULL;
        da_plan_indexes(&r->plan, &image_index, &r->mopt.extra_index_urls, &r->out->warnings);
        if (!r->mopt.index_url && image_index)
            r->mopt.index_from = da_xstrdup("the Dockerfile");
        if (!r->mopt.index_url)
            r->mopt.index_url = image_index;
        else
            free(image_index);
    }
    if (!o->offline)
        da_metadata_options_from_env(&r->mopt);
    da_network_options_apply(&o->network, &r->mopt);
    if (r->have_plan)
        r->mopt.target = r->plan.target;
    if (da_metadata_open(&r->mopt, &r->meta, err) != 0)
        return -1;
    r->no_index = !da_metadata_asks_index(r->meta);
    da_strlist_copy_into(&r->out->warnings, da_metadata_warnings(r->meta));
    return 0;
}

/* Resolves the image's installs. -1 when an index failed (out->metadata_fault says which
 * metadata was missing and how to get it): no verdict rests on what it did not say. A
 * resolution that fails for another reason (an invalid requirement) sets resolve_failure.
 * Without an index, what the snapshot and the cache lack is unknown, never a fault. */
static int resolve_plan(audit_run *r)
{
    check_resolve_input_from_plan(&r->plan, &r->rin, &r->out->warnings);
    r->have_rin = true;
    r->rin.unknown_is_partial = r->no_index;
    da_provider provider = da_metadata_provider(r->meta);
    da_error rerr;
    da_error_clear(&rerr);
    int rc = da_resolve(&r->rin, &provider, &r->env, &rerr);
    r->have_env = true;
    char msg[1600];
    if (rc < 0)
        da_error_format(&rerr, msg, sizeof(msg));
    if (rc < 0 && r->env.metadata_failed) {
        r->out->metadata_fault = da_xasprintf(
            "metadata needed for the resolution is missing: %s; retry when the index answers, "
            "or audit with --offline (the snapshot and the cache: unknowns become DA012 "
            "warnings)",
            msg);
        return -1;
    }
    if (rc < 0)
        r->resolve_failure = da_xstrdup(msg);
    da_strlist_copy_into(&r->out->warnings, &r->env.warnings);
    return 0;
}

/* Where the answers came from, as every format prints it: the index URL with any
 * credentials redacted. */
static char *metadata_origin(const audit_run *r)
{
    const da_check_options *o = r->o;
    const char *index = !r->no_index ? (o->index_url ? o->index_url : r->mopt.index_url) : NULL;
    char *shown = index ? da_url_hide_credentials(index, DA_URL_REDACT) : NULL;
    char *origin = da_xasprintf("%s%s%s",
                                o->offline ? "offline: the embedded snapshot"
                                           : "the embedded snapshot, the disk cache",
                                shown ? ", index " : "", shown ? shown : "");
    free(shown);
    return origin;
}

static char *metadata_line(const audit_run *r, const char *origin)
{
    da_metadata_stats st;
    da_metadata_get_stats(r->meta, &st);
    const da_findings *f = &r->out->findings;
    return da_xasprintf(
        "metadata: %s; %ld snapshot answers, %ld cache hits, %ld index requests; %zu "
        "answer%s rest%s on a name guess; resolution %s%s",
        origin, st.snapshot_hits, st.cache_hits, st.requests, f->guesses,
        f->guesses == 1 ? "" : "s", f->guesses == 1 ? "s" : "",
        da_resolution_state_name(f->resolution),
        f->unknowns.len ? " (what is unknown: --verbose, or summary.resolution of --format json)"
                        : "");
}

static int run_audit(audit_run *r, da_error *err)
{
    check_lookup sl = {r->snap, r->meta, r->no_index, &r->mopt.target, NULL, NULL};
    da_audit_lookup lookup = check_lookup_vtable(&sl);
    char *origin = metadata_origin(r);
    da_audit_input in = {&r->imports,
                         r->have_plan ? &r->plan : NULL,
                         r->have_env ? &r->env : NULL,
                         r->resolve_failure,
                         &lookup,
                         &r->cfg,
                         r->cwd,
                         origin,
                         r->roots,
                         r->nroots,
                         r->py_major,
                         r->py_minor,
                         r->no_index,
                         r->o->known_only,
                         r->scope.file_scope,
                         r->have_plan ? &r->scope.ignore : NULL};
    int rc = da_audit_run(&in, &r->out->findings, err);
    for (size_t i = 0; rc == 0 && i < r->scope.notes.len; i++)
        da_strlist_push(&r->out->findings.notes, r->scope.notes.items[i]);
    if (rc == 0)
        da_audit_note_older_metadata(&r->out->findings, r->have_env ? &r->env : NULL, &lookup);
    if (rc == 0 && sl.fault) {
        /* a name the index failed to answer for is no DA006: no verdict at all */
        r->out->metadata_fault =
            da_xasprintf("%s; retry when the index answers, or audit with --offline", sl.fault);
        da_findings_free(&r->out->findings);
    }
    free(sl.fault);
    da_snapshot_dependents_free(sl.dependents);
    r->out->metadata_line = metadata_line(r, origin);
    free(origin);
    return rc;
}

static void audit_run_free(audit_run *r)
{
    free(r->resolve_failure);
    if (r->have_env)
        da_environment_free(&r->env);
    if (r->have_rin)
        da_resolve_input_free(&r->rin);
    da_metadata_close(r->meta);
    da_metadata_options_free(&r->mopt);
    da_snapshot_close(r->snap);
    da_import_set_free(&r->imports);
    check_scope_free(&r->scope);
    da_strlist_free(&r->derived_roots);
    if (r->have_plan)
        da_install_plan_free(&r->plan);
    da_audit_config_free(&r->cfg);
}

int da_check_audit(const da_check_options *o, da_check_result *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    audit_run r;
    memset(&r, 0, sizeof(r));
    r.o = o;
    r.out = out;
    da_metadata_options_init(&r.mopt);
    if (!getcwd(r.cwd, sizeof(r.cwd)))
        r.cwd[0] = '\0';
    int rc = -1;
    if (check_config_load(o, &r.cfg, err) == 0 && load_plan(&r, err) == 0 &&
        (choose_roots(&r), scan_imports(&r, err) == 0) && open_sources(&r, err) == 0) {
        if (!r.have_plan || resolve_plan(&r) == 0)
            rc = run_audit(&r, err);
        else
            rc = 0; /* a completed call: out->metadata_fault says why there is no verdict */
    }
    audit_run_free(&r);
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
