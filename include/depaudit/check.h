/* The composition stage: every subcommand of depaudit as one library call, wiring the
 * stages in order (python, image, snapshot, metadata, resolve, audit) and handing each
 * one's result to the next as a plain struct. It decides nothing itself: findings are the
 * audit's, versions the resolver's, answers the metadata sources'. The CLI (src/cli) parses
 * options, calls one entry here and writes what it returns; docs/ARCHITECTURE.md draws the
 * whole pipeline.
 *
 * Conventions as everywhere: an entry returns 0, or -1 with err for input it cannot use
 * (exit code 2); results are owned by the caller and freed with the matching _free. Lines
 * meant for stderr come back as strings without the "depaudit: " prefix, in the order the
 * stages produced them. */
#ifndef DEPAUDIT_CHECK_H
#define DEPAUDIT_CHECK_H

#include "depaudit/audit.h"
#include "depaudit/imports.h"
#include "depaudit/install_plan.h"
#include "depaudit/metadata.h"
#include "depaudit/resolve.h"
#include "depaudit/util.h"

#include <stdbool.h>
#include <stddef.h>

/* The network options of the command line (--timeout, --connect-timeout, --retries,
 * --network-budget): 0 (retries: retries_set false) keeps da_metadata_options' defaults. */
typedef struct da_network_options {
    long timeout_ms, connect_timeout_ms, budget_ms;
    int retries;
    bool retries_set;
} da_network_options;
/* Sets what n gives in o (after da_metadata_options_from_env: the command line wins). */
void da_network_options_apply(const da_network_options *n, da_metadata_options *o);

/* ---- depaudit check: the full audit --------------------------------------------------- */

typedef struct da_check_options {
    const char *const *roots; /* source roots (directories or .py files); none with a
                                 Dockerfile: what its COPY lines bring into the image */
    size_t nroots;
    const char *dockerfile;        /* NULL: no image, only import-side checks */
    const char *const *build_args; /* "NAME=VALUE" */
    size_t nbuild_args;
    const char *target_stage;   /* --target */
    const char *context_dir;    /* --context; NULL: inferred (da_build_context_find) */
    const char *python_version; /* --python-version X.Y */
    bool offline;
    const char *index_url;
    const char *cache_dir;
    da_network_options network;
    const char *config_file;   /* NULL: .depaudit.toml, else pyproject.toml, in the current
                                  directory, then next to the Dockerfile */
    const char *snapshot_file; /* NULL: the embedded snapshot */
    bool known_only;           /* --certainty known: no inferred findings (DA012 instead) */
} da_check_options;

typedef struct da_check_result {
    da_findings findings;
    char *metadata_line; /* where metadata came from and whether any answer is a guess */
    /* The audit could not do its job (exit 3): a package index failed (5xx, timeout,
     * corrupt answer) or answered for another project. Says which metadata was missing and
     * how to get it. NULL otherwise: unknowns offline are a completed audit (DA012). */
    char *metadata_fault;
    da_strlist warnings; /* "FILE:LINE: message" for stderr (input the stages skipped) */
} da_check_result;

/* Scans, reads the Dockerfile, resolves, audits. Returns 0 (out filled), or -1 with err
 * for input that cannot be read at all (exit code 2). */
int da_check_audit(const da_check_options *o, da_check_result *out, da_error *err);
void da_check_result_free(da_check_result *r);

/* The stages' warnings as stderr shows them: "warning: ..." each, except the resolver's
 * many "files of X unknown" and "requirements of X may be incomplete", counted in one
 * "note: ..." line each. Appended to lines. */
void da_check_warning_lines(const da_strlist *warnings, da_strlist *lines);

/* --diff and --fix: every finding's fix applied in memory; its unified diff appended to
 * diff (when non-NULL); with write, the files written in place and their display names
 * appended to written. *npatched: how many files the fixes touch. Returns 0, or -1 with err
 * (a file unreadable or changed under us, a failed write). */
int da_check_fixes(const da_findings *f, da_buf *diff, bool write, da_strlist *written,
                   size_t *npatched, da_error *err);

/* ---- depaudit installs: the install plan ---------------------------------------------- */

/* The plan of the image `dockerfile` builds (da_install_plan_load). */
int da_check_installs(const char *dockerfile, const da_plan_options *o, da_install_plan *out,
                      da_error *err);

/* ---- depaudit imports: the imports of the code ---------------------------------------- */

/* Where `depaudit imports` writes, as the scan goes (the CLI: stdout and stderr). */
typedef struct da_check_imports_output {
    bool json; /* the JSON document (da_imports_json_begin); else one line per import */
    /* The next piece of the output, in order: pieces of about 64 KiB while the scan runs,
     * then the rest. */
    void (*write)(const char *text, size_t len, void *ctx);
    /* A warning for stderr, "warning: root/file[:LINE]: message", as soon as the files
     * before it are done. */
    void (*warn)(const char *line, void *ctx);
    void *ctx;
} da_check_imports_output;

/* Every import under the paths, written as the scan produces it (da_imports_scan_stream):
 * in the order da_imports_scan lists them, memory bounded by the files in flight, not the
 * tree. Text is "root/file:LINE:COL: from a.b (x, y) third-party scope=module guard=none",
 * one line per import, then "N files, M imports". Returns 0, or -1 with err when a path
 * cannot be read (out then holds nothing). */
int da_check_imports(const char *const *paths, size_t npaths, const da_import_options *o,
                     const da_check_imports_output *out, da_error *err);

/* ---- depaudit resolve: what pip would install ----------------------------------------- */

typedef struct da_check_resolve_options {
    /* The final image of this Dockerfile, or (NULL) the requirements below as one pip
     * command for plan.python_version / plan.platform. */
    const char *dockerfile;
    da_plan_options plan;
    const char *const *reqs; /* REQ... */
    size_t nreqs;
    const char *const *req_files; /* -r FILE */
    size_t nreq_files;
    const char *const *constraint_files; /* -c FILE */
    size_t nconstraint_files;
    bool pre, no_deps, only_binary_all;
    const char *as_of; /* only files uploaded before this date */
    const char *index_url;
    const char *cache_dir;
    bool offline;
    da_network_options network;
} da_check_resolve_options;

typedef struct da_check_resolution {
    da_strlist warnings; /* for stderr, in order: "FILE:LINE: warning: message" */
    da_environment env;
    int status;           /* da_resolve's: 0 resolved, 1 a step conflicts, -1 failed (error) */
    da_error error;       /* status -1: why */
    bool metadata_failed; /* status -1 because metadata was unavailable (exit code 3) */
    da_metadata_stats stats;
    da_strlist missing; /* metadata needed but unavailable */
} da_check_resolution;

/* Builds the install steps (from the plan, or from the requirements and their files),
 * opens the metadata sources for the target and resolves. Returns 0 when the resolver ran
 * (out->status says how it went), -1 with err when the input cannot be read (out->warnings
 * may already hold lines). */
int da_check_resolve(const da_check_resolve_options *o, da_check_resolution *out, da_error *err);
void da_check_resolution_free(da_check_resolution *r);

/* ---- depaudit metadata: what the sources know ----------------------------------------- */

typedef struct da_check_metadata_query {
    char *name;
    char *version; /* asked for, or the latest; NULL if unknown */
    bool version_given;
    int project_rc; /* da_metadata_get_project's */
    da_project *project;
    da_error project_err;
    int release_rc; /* da_metadata_get_release's; -2 when not asked (no version) */
    da_release *release;
    da_error release_err;
} da_check_metadata_query;

typedef struct da_check_metadata_answers {
    da_check_metadata_query *queries;
    size_t nqueries;
    da_strlist warnings; /* for stderr: what did not stop the sources */
    da_metadata_stats stats;
    da_strlist missing; /* needed but unavailable */
    bool offline;
    bool all_answered; /* false: exit code 3 */
    bool bad_name;     /* a NAME is no distribution name (PEP 508): a usage error, exit 2 */
} da_check_metadata_answers;

/* Asks the sources about each NAME or NAME==VERSION (pages, then releases, in batches).
 * Returns 0, or -1 with err when the sources cannot be opened. */
int da_check_metadata(const da_metadata_options *o, const char *const *names, size_t n,
                      da_check_metadata_answers *out, da_error *err);
void da_check_metadata_answers_free(da_check_metadata_answers *a);
/* The answers for people (stats: the request counters too), or as a JSON document. */
void da_check_metadata_text(const da_check_metadata_answers *a, bool stats, da_buf *out);
char *da_check_metadata_json(const da_check_metadata_answers *a, bool stats);
/* Every distribution installed in the directories, with its top-level names, as text or
 * JSON appended to out; unreadable entries appended to warnings. Returns 0, or -1 with err
 * when a directory cannot be read (text: out holds the directories before it). */
int da_check_site_packages(const da_strlist *dirs, bool json, da_buf *out, da_strlist *warnings,
                           da_error *err);

/* ---- depaudit which: the distributions that provide a module -------------------------- */

/* For each dotted module, the distributions of the snapshot (snapshot_file, or the
 * embedded one when NULL) that provide it, as text or JSON appended to out. *all_known is
 * false when some module is provided by none. Returns 0, or -1 with err when the snapshot
 * cannot be read. */
int da_check_which(const char *snapshot_file, const char *const *modules, size_t n, bool json,
                   da_buf *out, bool *all_known, da_error *err);

#endif
