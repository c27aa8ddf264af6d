/* The resolver: from the install commands an image runs (in order) to the distributions
 * and versions the image ends up holding, the way pip's backtracking resolver picks them
 * for the image's Python and platform (never the running machine's). Every resolved
 * distribution says why it is there; a failed command says why, in words a person can act
 * on. Metadata comes only through a da_provider (include/depaudit/provider.h). */
#ifndef DEPAUDIT_RESOLVE_H
#define DEPAUDIT_RESOLVE_H

#include "depaudit/dist.h"
#include "depaudit/provider.h"
#include "depaudit/target.h"
#include "depaudit/util.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- input: install steps ------------------------------------------------------------ */

/* One requirement as written, with where it was written (the Dockerfile line of a RUN,
 * or the requirements file line). file may be NULL for the command line. */
typedef struct da_resolve_req {
    char *text; /* PEP 508 string, e.g. "uvicorn[standard]>=0.24.0" */
    char *file;
    int line; /* 1-based, 0 if unknown */
    int col;  /* 1-based, 0 if unknown */
    /* A pin of a locked step that the lock says other pins require (their names): it is
     * there because of them, not requested. Empty otherwise. */
    da_strlist required_by;
} da_resolve_req;

typedef enum da_resolve_step_kind {
    DA_STEP_INSTALL = 0, /* pip install REQS */
    DA_STEP_UNINSTALL,   /* pip uninstall NAMES (only the names of reqs are used) */
} da_resolve_step_kind;

/* One pip command. Defaults (all false/empty) are pip's defaults. */
typedef struct da_resolve_step {
    da_resolve_step_kind kind;
    char *file; /* where the command is (Dockerfile), NULL if none */
    int line;
    da_resolve_req *reqs;
    size_t nreqs, reqs_cap;
    da_resolve_req *constraints; /* -c files: limit versions, never add a distribution */
    size_t nconstraints, constraints_cap;
    bool no_deps;           /* --no-deps */
    bool pre;               /* --pre */
    bool upgrade;           /* -U: re-pick the newest for the named requirements */
    bool force_reinstall;   /* --force-reinstall: ignore what earlier steps installed */
    bool sync;              /* uv pip sync / pipenv sync: afterwards the environment holds
                               exactly this step's distributions (base image's kept) */
    bool only_binary_all;   /* --only-binary=:all: */
    bool no_binary_all;     /* --no-binary=:all: */
    da_strlist only_binary; /* normalised names */
    da_strlist no_binary;   /* normalised names */
    /* The exact pins of a lock file (uv sync, poetry install, a hashed or compiled
     * requirements file): each `name==version` whose markers hold is installed as it is,
     * nothing is resolved and no dependency is followed; metadata is asked only for what
     * each ships, and where a source lacks it the pin is still installed (a warning says
     * so). */
    bool locked;
} da_resolve_step;

/* A distribution the base image already holds (pip, setuptools, wheel in python:X.Y). */
typedef struct da_resolve_preinstalled {
    char *name; /* any spelling; normalised by the resolver */
    char *version;
    char *file; /* where we learnt it (FROM line), may be NULL */
    int line;
} da_resolve_preinstalled;

typedef struct da_resolve_input {
    da_target target;
    da_resolve_step *steps;
    size_t nsteps, steps_cap;
    da_resolve_preinstalled *preinstalled;
    size_t npreinstalled, preinstalled_cap;
    char *as_of;      /* ISO 8601 date or date-time (UTC): only files uploaded strictly
                         before it (a date is its first instant); NULL = no limit */
    bool pre;         /* --pre for every step */
    bool allow_sdist; /* consider releases that only have an sdist (pip's default: true);
                         only_binary/no_binary of a step refine it */
    da_strlist notes; /* what the input could not express (local paths, bare URLs, assumed
                         versions): da_resolve copies them into env->warnings */
    /* The provider has no network source to ask (offline, or no index configured): when it
     * cannot answer for a project or a release, the answer is "not known here", never a
     * fault. The resolution then goes on with that distribution unknown (listed in
     * env->unknowns) instead of failing. With an index, a failure stays a failure. */
    bool unknown_is_partial;
} da_resolve_input;

/* Sets target to the default Python (DA_DEFAULT_PY_*) on linux x86_64 / glibc 2.36,
 * allow_sdist true. */
void da_resolve_input_init(da_resolve_input *in);
/* Appends a step (zeroed, kind set, file copied) and returns it; valid until the next add. */
da_resolve_step *da_resolve_input_add_step(da_resolve_input *in, da_resolve_step_kind kind,
                                           const char *file, int line);
void da_resolve_step_add_req(da_resolve_step *s, const char *text, const char *file, int line,
                             int col);
void da_resolve_step_add_constraint(da_resolve_step *s, const char *text, const char *file,
                                    int line, int col);
/* A pin of a locked step; required_by (may be NULL) names the pins that require it. */
void da_resolve_step_add_pin(da_resolve_step *s, const char *text, const char *file, int line,
                             int col, const da_strlist *required_by);
void da_resolve_input_add_preinstalled(da_resolve_input *in, const char *name, const char *version,
                                       const char *file, int line);
void da_resolve_input_free(da_resolve_input *in); /* frees the members, not in */

struct da_install_plan; /* include/depaudit/install_plan.h */
/* The final image's install operations (plan->final_ops, in order) as steps: target,
 * options, requirements and constraints with their file:line:col, uninstalls, and the base
 * image's pip/setuptools/wheel as preinstalled (at the versions the image's Python bundles,
 * noted as an assumption). Local paths and bare URLs become notes. in is initialised here.
 * Returns 0 (never fails today; -1 with err is reserved for unusable plans). */
int da_resolve_input_from_plan(const struct da_install_plan *plan, da_resolve_input *in,
                               da_error *err);
/* The indexes the plan's final installs name (-i/--index-url, --extra-index-url, the same
 * in requirements files and PIP_INDEX_URL/PIP_EXTRA_INDEX_URL from ENV/ARG, as the plan
 * records them): those are what the image resolves against. The first --index-url is the
 * index (*index_url, to free; NULL if none), every other URL an extra. A URL that is not
 * http(s) or still holds an unexpanded variable cannot be asked: a warning says so, with
 * credentials hidden. */
void da_plan_indexes(const struct da_install_plan *plan, char **index_url, da_strlist *extras,
                     da_strlist *warnings);

/* ---- output: the environment --------------------------------------------------------- */

typedef enum da_reason_kind {
    DA_REASON_REQUESTED = 0, /* named by an install command */
    DA_REASON_REQUIRED_BY,   /* a Requires-Dist of another resolved distribution */
    DA_REASON_PREINSTALLED,  /* in the base image */
} da_reason_kind;

typedef struct da_resolve_reason {
    da_reason_kind kind;
    char *requirement; /* the requirement text that brought it ("sentry-sdk[fastapi]",
                          or the Requires-Dist string of the parent) */
    char *file;        /* REQUESTED/PREINSTALLED: where; NULL if unknown */
    int line, col;
    char *parent;         /* REQUIRED_BY: normalised name of the requiring distribution */
    char *parent_version; /* REQUIRED_BY */
    char *extra;          /* REQUIRED_BY: the parent's extra that pulls it in, else NULL */
} da_resolve_reason;

/* "requested at Dockerfile:12", "required by sentry-sdk 1.39.1 (extra fastapi)",
 * "preinstalled in the base image". Caller frees. */
char *da_resolve_reason_format(const da_resolve_reason *r);

typedef struct da_resolved_dist {
    char *name;          /* normalised */
    char *version;       /* as published; "" for a direct URL requirement (see url) */
    char *url;           /* "name @ url" requirements: the URL, else NULL */
    da_release *release; /* owned; NULL only for URL requirements or when the provider
                            had no metadata (then a warning says so) */
    char *filename;      /* the file pip would install, NULL for preinstalled/unknown */
    da_strlist extras;   /* extras installed with it (normalised, sorted) */
    da_resolve_reason *reasons;
    size_t nreasons;
    bool requested;    /* some install command names it directly */
    bool preinstalled; /* the base image's copy, untouched by any step */
    int step;          /* index of the step that installed this version, -1 preinstalled */
    /* The version is not one the metadata source lists (its list is a sample, or it knows
     * no list at all): a requirement pins it (`version` is the pin) or nothing says which
     * (`version` is ""). `release`, when set, then describes another version, named by
     * release->version; NULL when nothing of the distribution is known. */
    bool assumed;
} da_resolved_dist;

/* A step that could not be resolved. pip would fail the RUN: the environment keeps what
 * the earlier steps installed and later steps still resolve against it. */
typedef struct da_resolve_conflict {
    int step;   /* index into the input's steps */
    char *file; /* the step's location */
    int line;
    char *name;    /* the distribution that could not be chosen, NULL if several */
    char *message; /* the explanation, e.g. "a 2.0 requires b<1, but c 1.0 requires
                      b>=1.5; a==2.0 is requested at Dockerfile:12" */
    /* Every fact the failure rests on is known: the version lists are complete (an index's,
     * not the snapshot's sample) and the requirements are those of the versions concerned.
     * False: the failure may be an artefact of what is not known; pip may well succeed. */
    bool certain;
} da_resolve_conflict;

/* How much of the install a resolution knows. */
typedef enum da_resolution_state {
    DA_RESOLUTION_COMPLETE = 0, /* every step resolved from the metadata of the versions
                                   concerned */
    DA_RESOLUTION_PARTIAL,      /* something is not known (env->unknowns says what): the
                                   environment is the best picture the metadata allows */
    DA_RESOLUTION_FAILED,       /* a step is known to fail (a certain conflict) */
} da_resolution_state;
const char *da_resolution_state_name(da_resolution_state s); /* "complete", "partial", "failed" */

typedef struct da_environment {
    da_resolved_dist *dists; /* sorted by name */
    size_t ndists;
    da_resolve_conflict *conflicts;
    size_t nconflicts;
    da_strlist warnings;  /* metadata gaps: "requirements unknown for x 1.0 (snapshot)" */
    bool metadata_failed; /* da_resolve returned -1 because the provider failed */
    da_resolution_state state;
    /* What the resolution does not know, one line each, for the distributions it installs:
     * "gradio 4.44.0: nothing known (offline: no versions of gradio in the snapshot or the
     * cache)", "requests 2.31.0: not among the versions the snapshot lists (2.34.2, 2.28.1);
     * requirements and modules taken from 2.28.1", and steps that could not be settled. */
    da_strlist unknowns;
    /* statistics */
    size_t projects_fetched, releases_fetched, rounds, backtracks;
} da_environment;

/* Runs every step in order against the provider. Returns 0 when every step resolved, 1 when
 * some step conflicted (env->conflicts says which; env holds the rest), -1 with err when
 * the input is malformed (an unparsable requirement: err names its file:line:col) or the
 * provider failed for a candidate (network, corrupt data, metadata unavailable offline
 * without unknown_is_partial; env->metadata_failed is then set). Missing metadata for what
 * the image already holds (base image, earlier steps) is a warning, not a failure. On -1
 * env is still valid (possibly partial) and must be freed. Versions a source lists without
 * files (the snapshot) are assumed installable, with one warning naming them.
 *
 * A version list that is a sample (any source but an index or its cache) never makes "no
 * version fits": when none of its versions fits, a version the requirements pin (or an
 * unnamed one) is assumed, described by the nearest listed version's metadata (say so in
 * env->unknowns). env->state says whether the result is complete, partial or failed. */
int da_resolve(const da_resolve_input *in, const da_provider *provider, da_environment *env,
               da_error *err);

const da_resolved_dist *da_environment_find(const da_environment *env, const char *name);
void da_environment_free(da_environment *env); /* frees the members, not env */

/* Human-readable listing ("name==version  <- reasons") plus conflicts and warnings. */
void da_environment_format_text(const da_environment *env, da_buf *out);
/* {"distributions":[{name,version,filename,requested,preinstalled,extras,reasons:[...],
 *   modules,namespaces,source}], "conflicts":[...], "warnings":[...]}. Caller frees. */
char *da_environment_to_json(const da_environment *env);

#endif
