/* The audit: joins what the code imports (imports.h) with what the final image holds
 * (install_plan.h, resolve.h) and says what will break, where, whether the container
 * dies at start-up, and the requirement line that fixes it.
 *
 * The core, da_audit_run, is a pure function over plain structs: the import set, the
 * install plan, the resolved environment, a few metadata look-ups behind a small vtable
 * and the user's configuration. It calls no other stage, so it is tested with structs
 * built by hand. Wiring the stages together is the check stage's (depaudit/check.h). */
#ifndef DEPAUDIT_AUDIT_H
#define DEPAUDIT_AUDIT_H

#include "depaudit/build_context.h"
#include "depaudit/imports.h"
#include "depaudit/install_plan.h"
#include "depaudit/resolve.h"
#include "depaudit/util.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- findings ------------------------------------------------------------------------ */

/* Stable codes (documented in README with an example each), dense from DA001. */
typedef enum da_code {
    DA001_MISSING = 1,
    DA002_MISSING_OPTIONAL,
    DA003_TRANSITIVE,
    DA004_UNUSED,
    DA005_STDLIB_SHADOW,
    DA006_UNKNOWN_DISTRIBUTION,
    DA007_UNRESOLVABLE,
    DA008_FIRST_PARTY_NOT_IN_IMAGE,
    DA009_REMOVED_STDLIB,
    DA010_DEV_IN_PRODUCTION,
    DA011_SHELL_SPECIFIER,
    DA012_UNVERIFIED,        /* an import nothing known provides, while something is unknown */
    DA013_NEEDED_BY_FEATURE, /* a feature the code uses needs a module nothing installs */
} da_code;
/* The highest code: loops over codes run 1..DA_CODE_COUNT. */
#define DA_CODE_COUNT 13

typedef enum da_severity {
    DA_SEVERITY_INFO = 0,
    DA_SEVERITY_WARNING,
    DA_SEVERITY_ERROR,
} da_severity;

/* Whether c has a rule (codes are not dense). */
bool da_code_exists(da_code c);
const char *da_code_id(da_code c);      /* "DA001" */
const char *da_code_name(da_code c);    /* "missing", "missing-optional", ... */
const char *da_code_summary(da_code c); /* one sentence: what the rule catches */
da_severity da_code_default_severity(da_code c);
const char *da_severity_name(da_severity s); /* "info", "warning", "error" */
/* "DA001" / "da001" / "missing" -> the code; 0 if none. */
da_code da_code_parse(const char *s);
/* "error"/"warning"/"info" -> severity, "never" -> -1 (fail on nothing); -2 if invalid. */
int da_severity_parse(const char *s);

/* Why a distribution is named as able to provide a module. */
typedef enum da_basis {
    DA_BASIS_METADATA = 0, /* the file list of a release (index, cache, site-packages) */
    DA_BASIS_SNAPSHOT,     /* the embedded snapshot's module table */
    DA_BASIS_CONFIG,       /* a mapping in [tool.depaudit] */
    DA_BASIS_NAME,         /* the module's name is a real distribution name: a guess */
    /* DA012: an installed distribution whose modules are unknown, named because its name
     * bears the import's name out (tokens, py-/python- prefixes, -python suffix) ... */
    DA_BASIS_NAME_EVIDENCE,
    DA_BASIS_MODULES_UNKNOWN, /* ... or only because its modules are unknown */
} da_basis;
/* "metadata", "snapshot", "config", "name guess", "name evidence", "modules unknown" */
const char *da_basis_name(da_basis b);

/* How much of what a finding says is known. */
typedef enum da_certainty {
    DA_CERTAINTY_KNOWN = 0,   /* every fact behind it comes from metadata of the versions
                                 concerned, or from the code and the Dockerfile */
    DA_CERTAINTY_APPROXIMATE, /* it rests on metadata of another version of a distribution
                                 (older_metadata says which) */
    DA_CERTAINTY_UNVERIFIED,  /* it rests on something unknown: what would settle it is in
                                 the message. Never counts for the exit code */
    DA_CERTAINTY_INFERRED,    /* what is unknown was bounded by evidence (RULES.md,
                                 "Inference"): the message states the basis. Counts for the
                                 exit code; `--certainty known` makes it DA012 instead */
} da_certainty;
/* "known", "approximate", "unverified", "inferred" */
const char *da_certainty_name(da_certainty c);

typedef struct da_candidate {
    char *dist; /* normalised distribution name */
    da_basis basis;
} da_candidate;

/* One step of the import chain from the container's entry point to a failing import. */
typedef struct da_chain_link {
    char *file; /* display path */
    int line;
    int col;
} da_chain_link;

/* A requirement to add: insert `text` at byte `insert_at` of `file` (a list's own
 * separator and quoting included); or, with replace_len, a requirement to write
 * differently: the replace_len bytes at insert_at (`replaced`) become `text`. */
typedef struct da_fix {
    char *file;    /* host path of the Dockerfile or requirements file */
    char *display; /* the same, as shown to the user */
    size_t insert_at;
    size_t replace_len; /* 0: an insertion */
    char *replaced;     /* the bytes replaced, NULL for an insertion */
    int line;           /* the line of the list's last requirement */
    char *text;         /* exactly what is inserted */
    char *requirement;  /* "opentelemetry-exporter-otlp-proto-grpc>=1.21.0" */
    char *why;          /* how the version was chosen, e.g. "same version as opentelemetry-sdk" */
} da_fix;

typedef struct da_finding {
    da_code code;
    da_severity severity;
    char *file; /* display path (relative to the current directory when under it) */
    int line;   /* 0 when the finding is about no line */
    int col;
    char *module;         /* the import concerned (DA001/2/3/8/9), else NULL */
    char *dist;           /* the distribution concerned (DA003..7, DA010), else NULL */
    char *message;        /* one line, without code or location */
    bool boot_path;       /* DA001/DA008/DA009: the import runs when the container starts */
    da_chain_link *chain; /* boot path: entry-point import first, the failing import last */
    size_t nchain;
    char *python_error;       /* what the interpreter would raise, NULL if not an import error */
    da_candidate *candidates; /* DA001/DA002: who provides the module, best first */
    size_t ncandidates;
    da_strlist related; /* DA006: closest real names; DA003: who pulls it in */
    da_fix *fix;        /* DA001: the requirement to add; NULL when none can be built */
    bool guess;         /* rests on a name guess, not on metadata */
    da_certainty certainty;
    /* The answer rests on snapshot metadata older than the version the image may install:
     * "modules of X taken from 1.2 (snapshot: ...); latest known 2.0; the answer may differ
     * for the version the image installs". NULL when it does not. */
    char *older_metadata;
} da_finding;

typedef struct da_findings {
    da_finding *items; /* sorted by file, line, col, code */
    size_t len, cap;
    /* Facts that are not findings but explain the absence of one ("asyncpg is not
     * imported but is the driver of postgresql+asyncpg:// at src/core/config.py:9"). */
    da_strlist notes;
    /* Where the answers came from, e.g. "snapshot", "index http://..."; guesses counted. */
    char *metadata_origin;
    size_t guesses;
    size_t imports_checked;
    size_t files_scanned;
    /* How much of the install is known: the resolution's state, and what is unknown (the
     * resolution's unknowns, the plan's unread steps, an unknown base image, distributions
     * whose requirements are unknown), one line each. */
    da_resolution_state resolution;
    da_strlist unknowns;
    /* Findings whose older_metadata statement text mode shows only under --verbose. */
    size_t older_metadata;
} da_findings;

void da_findings_free(da_findings *f);
/* How many findings at or above `level` (a da_severity; -1 counts nothing). */
size_t da_findings_count_at_least(const da_findings *f, int level);
/* The same, counting only confident findings (not DA_CERTAINTY_UNVERIFIED): what exit 1
 * means. */
size_t da_findings_count_failing(const da_findings *f, int level);

/* ---- inputs -------------------------------------------------------------------------- */

/* Metadata look-ups the audit needs beyond the environment, answered by the snapshot or
 * any other source (tests use in-memory tables). Any member may be NULL. */
typedef struct da_audit_lookup {
    void *ctx;
    /* Distributions known to provide `module`, best first, appended to `dists`. */
    int (*which)(void *ctx, const char *module, da_strlist *dists);
    /* Whether a distribution name exists on the package index. */
    bool (*name_exists)(void *ctx, const char *name);
    /* Up to max real names closest to `name`, best first. */
    int (*closest_names)(void *ctx, const char *name, da_strlist *out, size_t max);
    /* The newest version of `name` known to exist (the snapshot's names list, or an index),
     * for a fix's lower bound; malloc'd or NULL. Never an older release chosen because its
     * metadata happens to be at hand. */
    char *(*known_version)(void *ctx, const char *name);
    /* Whether `module` is in the standard library of Python major.minor. */
    bool (*is_stdlib)(void *ctx, int major, int minor, const char *module);
    /* A release of `name` (modules, Requires-Dist) for judging imports when resolution
     * failed: `version` when non-NULL and known, else the best known; the caller frees
     * it. NULL if unknown. */
    da_release *(*release)(void *ctx, const char *name, const char *version);
    /* The newest version of `name` known to exist (not metadata: a names list's), borrowed;
     * NULL if unknown. Used only by da_audit_note_older_metadata. */
    const char *(*latest_known)(void *ctx, const char *name);
    /* For inference (src/audit/inference.c): how many known distributions depend on `name`
     * (directly or through others); *rank gets its download rank (0: beyond the ranked
     * names, or not a name). */
    int (*dependents)(void *ctx, const char *name, int *rank);
} da_audit_lookup;

/* [tool.depaudit] in pyproject.toml or .depaudit.toml (see da_audit_config_load). */
typedef struct da_audit_config {
    da_strlist ignore;         /* codes ignored everywhere: "DA004" */
    da_strlist module_ignores; /* "MODULE:CODE" or "MODULE" (all codes); MODULE matches
                                  itself and its submodules */
    da_strlist mappings;       /* "module=dist": extra module-to-distribution facts */
    da_strlist first_party;    /* more first-party top-level names */
    da_strlist base_provides;  /* distributions the base image already holds */
    da_strlist exclude;        /* path globs excluded from the scan */
    bool report_type_checking; /* DA002 for missing TYPE_CHECKING-only imports */
    char *file;                /* where it was read from, NULL if defaults */
} da_audit_config;

void da_audit_config_free(da_audit_config *c);
/* Reads `[tool.depaudit]` from a pyproject.toml or the top level (or [tool.depaudit]) of
 * a .depaudit.toml, with tree-sitter-toml. Keys: ignore, per-module-ignores (table
 * MODULE = [CODES]), mappings (table module = "dist"), first-party, base-image-provides,
 * exclude, report-type-checking. Returns 0 (a file without the table leaves defaults),
 * -1 with err naming FILE:LINE:COL for a malformed file, an unknown key or a wrong type. */
int da_audit_config_load(const char *path, da_audit_config *out, da_error *err);
/* The same for a file found in the repository: read only inside root (a link out of it,
 * a FIFO or a file over DA_TEXT_FILE_MAX is an error naming it). */
int da_audit_config_load_under(const char *root, const char *path, da_audit_config *out,
                               da_error *err);
/* The same from text in memory; `path` names it in errors and decides the flavour
 * (a basename of pyproject.toml reads only [tool.depaudit]). */
int da_audit_config_parse(const char *path, const char *src, size_t len, da_audit_config *out,
                          da_error *err);

/* Which code a scanned file is: the image's (judged against the image), test code (its
 * imports count as uses, never as missing from the image), or code the image never gets
 * (not copied in, or left out of the build context). */
typedef enum da_file_scope {
    DA_FILE_RUNTIME = 0,
    DA_FILE_TEST,
    DA_FILE_NOT_IN_IMAGE,
} da_file_scope;

/* Why an environment is partial, for DA007 and the labels of degraded answers. */
typedef struct da_audit_input {
    const da_import_set *imports; /* classified for the image's Python version */
    const da_install_plan *plan;  /* NULL: no Dockerfile (only import-side checks run) */
    const da_environment *env;    /* NULL: nothing could be resolved */
    /* The resolver failed as a whole (not a per-step conflict): its message, and env holds
     * only the requested distributions (labelled as such in every finding). */
    const char *resolve_failure;
    const da_audit_lookup *lookup;
    const da_audit_config *config; /* NULL: defaults */
    const char *cwd;               /* display paths are made relative to it; NULL: as is */
    const char *metadata_origin;   /* copied to da_findings.metadata_origin */
    /* The source roots as scanned (a root whose files import nothing has no records but
     * still defines first-party modules). May be NULL: the records' roots are used. */
    const char *const *roots;
    size_t nroots;
    /* The image's Python when there is no plan (--python-version); 0: the default. */
    int py_major, py_minor;
    /* No package index was asked (offline, or none configured): what settles an unknown is
     * an audit with one. */
    bool no_index;
    /* Only known facts settle a finding (`--certainty known`): no inference, what it would
     * settle stays DA012. */
    bool known_only;
    /* Per record of imports (same index): the scope of the file it is in; NULL: every file
     * is the image's code. Only DA_FILE_RUNTIME records can be missing from the image. */
    const unsigned char *file_scope;
    /* The build context's ignore rules (.dockerignore), for DA008; NULL: none. */
    const da_ignore_rules *ignore;
} da_audit_input;

/* Runs every check. Returns 0 (out holds the findings, possibly none), -1 with err for
 * an input that contradicts itself (never for findings). */
int da_audit_run(const da_audit_input *in, da_findings *out, da_error *err);

/* Says, in every DA001-DA004 whose answer rests on snapshot metadata older than the latest
 * known version (lookup->latest_known) or than the version resolved in env (may be NULL),
 * which release it was taken from (da_finding.older_metadata, and once per distribution in
 * the notes). A distribution env lacks is judged by lookup->release. */
void da_audit_note_older_metadata(da_findings *f, const da_environment *env,
                                  const da_audit_lookup *lookup);

/* How findings show a file: root + file, relative to cwd when under it (malloc'd). A file
 * root is its own path. root and cwd may be NULL. */
char *da_audit_display_path(const char *root, const char *file, const char *cwd);

/* ---- fixes ----------------------------------------------------------------------------- */

/* One patched file: the original and the new contents. */
typedef struct da_patched_file {
    char *path;    /* host path */
    char *display; /* as shown */
    char *before;
    size_t before_len;
    char *after;
    size_t after_len;
} da_patched_file;

typedef struct da_patch_set {
    da_patched_file *files;
    size_t len, cap;
} da_patch_set;

/* Applies every finding's fix in memory (several fixes to one list keep their order).
 * Returns 0, or -1 with err when a file cannot be read or has changed under us. */
int da_fixes_build(const da_findings *f, da_patch_set *out, da_error *err);
/* A unified diff (`--- a/FILE`, `+++ b/FILE`, 3 lines of context) of every file. */
void da_patch_set_diff(const da_patch_set *p, da_buf *out);
/* Writes every file or none (fix_write.c): refuses a symbolic link, a file with other hard
 * links or one changed since it was read; each file is staged whole next to itself with
 * its owner and mode, fsync'd, then renamed over it, so a kill leaves it old or new. */
int da_patch_set_write(const da_patch_set *p, da_error *err);
void da_patch_set_free(da_patch_set *p);

#endif
