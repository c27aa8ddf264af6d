/* Internal to the resolve stage: the project cache in front of the provider, candidate
 * search (pip's find_matches), the backtracking solver for one install command and the
 * conflict explanation. Not a public interface. */
#ifndef DEPAUDIT_RESOLVE_RESOLVER_H
#define DEPAUDIT_RESOLVE_RESOLVER_H

#include "depaudit/pep.h"
#include "depaudit/resolve.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- a bump allocator for the solver's many small, step-lived nodes ---------------- */

typedef struct rs_arena {
    struct rs_arena_chunk *chunks;
} rs_arena;

void *rs_arena_alloc(rs_arena *a, size_t n); /* zeroed */
void rs_arena_free(rs_arena *a);

/* Frees what a resolved distribution owns and zeroes it (environment.c: the one
 * destructor of da_resolved_dist, used by da_environment_free and the resolver). */
void rs_dist_clear(da_resolved_dist *d);

/* ---- the project cache ------------------------------------------------------------- */

/* A requirement with its specifier split into single clauses, because pip's pre-release
 * fallback works clause by clause over the merged set. */
typedef struct rs_clauses {
    da_specifier_set **items;
    char **ops; /* "==", ">=", "===", ... (for "pinned" and "unfree") */
    bool *wildcard;
    size_t len;
} rs_clauses;

int rs_clauses_from_specifier(const da_specifier_set *spec, rs_clauses *out, da_error *err);
void rs_clauses_free(rs_clauses *c);

/* One version of a project as the index lists it (or as installed in the image). */
typedef struct rs_version {
    char *str;
    da_version *v;
    bool prerelease;
    bool installed_only; /* not in the index: only the base image has it */
    /* per-step file choice (recomputed when eligibility_step changes) */
    bool eligible; /* pip could install it in this step */
    int best_file; /* index into the project's files of this version, -1 none */
    bool yanked;   /* the best eligible file is yanked (so all eligible ones are) */
    char *why_not; /* why no file is eligible, for explanations (owned) */
    /* the release, fetched on first use */
    bool release_loaded;
    da_release *release; /* NULL: provider had no metadata for it */
    da_requirement **deps;
    const char **dep_text; /* the Requires-Dist strings, borrowed from release */
    size_t ndeps;
    bool deps_unknown;
    /* Not a version the source lists: assumed to exist because the project's list is a
     * sample (or unknown) and nothing listed fits. A placeholder has no version string
     * ("") and fits every specifier; otherwise str is the pinned version. */
    bool assumed;
    bool placeholder;
    char *approx_from; /* the listed version whose metadata stands in for it, or NULL */
} rs_version;

typedef struct rs_project {
    char *name; /* normalised */
    bool loaded;
    bool missing; /* the sources answered that it does not exist */
    bool unknown; /* no source at hand could answer (offline): nothing known about it */
    bool sample;  /* its version list is a sample of what exists (not an index's page) */
    char *unknown_why;
    da_project *proj;
    rs_version *versions; /* newest first */
    size_t nversions;
    int eligibility_step;
    int installed; /* version index the image holds before this step, -1 none */
} rs_project;

/* ---- solver identifiers and requirement edges -------------------------------------- */

/* pip resolves "name" and "name[extras]" as separate identifiers; the extras one depends
 * on the base one at exactly the same version. */
typedef struct rs_ident {
    char *key; /* "foo" or "foo[a,b]" */
    int project;
    da_strlist extras; /* sorted, normalised */
    int base;          /* the base identifier (itself when no extras) */
} rs_ident;

typedef enum rs_info_kind {
    RS_INFO_REQ = 0,  /* a requirement (user's or a Requires-Dist) */
    RS_INFO_EXPLICIT, /* extras candidate -> its base at the same version */
    RS_INFO_PYTHON,   /* a candidate's Requires-Python the target does not meet */
} rs_info_kind;

/* One requirement edge: who asked for which identifier, with what. */
typedef struct rs_info {
    rs_info_kind kind;
    int ident; /* the identifier it constrains (-1 for RS_INFO_PYTHON) */
    const da_requirement *req;
    rs_clauses clauses;
    const char *text;          /* as written (user) or the Requires-Dist string */
    int parent;                /* identifier of the requiring candidate, -1 = user */
    int parent_version;        /* index into the parent's project versions */
    const char *extra;         /* the parent's extra that pulls it in, NULL for base deps */
    const da_resolve_req *src; /* user requirement: where it was written */
} rs_info;

typedef struct rs_node {
    struct rs_node *next;
    rs_info *info;
} rs_node;

typedef struct rs_inode {
    struct rs_inode *next;
    int version;
} rs_inode;

/* What the image held before this command (earlier steps, base image). */
typedef struct rs_installed {
    char *name;
    char *version;
} rs_installed;

/* ---- the resolver context: shared by every step of one da_resolve call ------------- */

typedef struct rs_ctx {
    const da_resolve_input *in;
    const da_provider *provider;
    da_environment *env;
    da_marker_env marker_env;
    char python_full[32];
    da_strlist supported_tags;
    rs_project *projects;
    size_t nprojects, projects_cap;
    /* per step */
    int step_index;
    const da_resolve_step *step;
    rs_installed *installed;
    size_t ninstalled;
    rs_ident *idents;
    size_t nidents, idents_cap;
    double *depth;   /* pip's inferred depth per identifier, -1 unknown */
    int *user_order; /* first position among the user's requirements, -1 if not */
    rs_arena arena;
    rs_info **infos; /* every info made this step, to free their clauses */
    size_t ninfos, infos_cap;
    da_requirement **owned_reqs;
    size_t nowned_reqs, owned_reqs_cap;
    rs_info **constraints; /* the step's constraints, by project */
    size_t nconstraints;
    bool warned_no_upload_time;
    da_strlist files_unknown; /* projects whose source lists versions without files */
} rs_ctx;

/* Appends a version (taking v) to a project's list; *cap is the list's capacity. */
rs_version *rs_add_version(rs_project *p, size_t *cap, const char *str, da_version *v,
                           bool installed_only);
/* Project cache. Returns the project index, or -1 with err when the provider failed. */
int rs_project_get(rs_ctx *c, const char *name, da_error *err);
/* Fetches (once) the release of a version and parses its requirements. 0 or -1. */
int rs_version_load(rs_ctx *c, rs_project *p, rs_version *v, da_error *err);
/* Decides, for the current step, which file of each version pip would take. */
void rs_project_eligibility(rs_ctx *c, rs_project *p);
/* The version to assume when nothing the project lists fits (assumed.c): the version that
 * `pin` names, or a placeholder when pin is NULL; created once. Returns its index. */
int rs_assumed_version(rs_ctx *c, rs_project *p, const char *pin);
/* Whether the facts behind the current step are all known (complete version lists, the
 * requirements of the versions themselves): only then is a conflict certain. */
bool rs_step_facts_known(const rs_ctx *c);
/* A line for env->unknowns about a pinned version whose metadata is not its own, or NULL. */
char *rs_unknown_statement(const rs_project *p, const rs_version *v);
void rs_projects_free(rs_ctx *c);
bool rs_python_satisfies(const rs_ctx *c, const char *requires_python);

/* Identifiers. Returns the id of "name[extras]" (creating it). -1 with err on failure. */
int rs_ident_get(rs_ctx *c, const char *name, const da_strlist *extras, da_error *err);

/* The arena-allocated info registry. */
rs_info *rs_info_new(rs_ctx *c, rs_info_kind kind, int ident, const da_requirement *req,
                     const char *text, da_error *err);

/* ---- the solver state (resolvelib's State) ----------------------------------------- */

typedef struct rs_state {
    size_t cap;
    int *pin;       /* version index per identifier, -1 = not pinned */
    rs_node **crit; /* requirement edges per identifier, NULL = no criterion */
    rs_inode **incompat;
    int *order; /* pinned identifiers, in pin order */
    size_t norder;
    rs_info **causes; /* the last backtrack's causes */
    size_t ncauses;
} rs_state;

/* The candidates for identifier id under its requirement edges crit and the
 * incompatibilities incompat and incompat2 (either may be NULL), best first, as version indices.
 * Returns the count (may be 0) or -1 with err when the provider failed. *out is malloc'd. */
int rs_find_matches(rs_ctx *c, int id, const rs_node *crit, const rs_inode *incompat,
                    const rs_inode *incompat2, int **out, da_error *err);

/* Outcome of one install command. */
typedef struct rs_result {
    bool ok;
    rs_state final; /* when ok */
    char *conflict; /* explanation when !ok */
    char *conflict_name;
    bool certain; /* !ok and known to fail whatever is not known (rs_conflict_certain) */
} rs_result;

/* The versions a set of single clauses leaves, as an interval (certain.c): when it is
 * empty, no version that exists or could exist satisfies them all. */
typedef struct rs_bound {
    da_version *v; /* NULL: unbounded */
    bool inclusive;
} rs_bound;
typedef struct rs_bounds {
    rs_bound lo, hi;
    da_strlist not_eq ;
} rs_bounds;
void rs_bounds_add(rs_bounds *b, const rs_clauses *cl, size_t i);
bool rs_bounds_empty(const rs_bounds *b);
void rs_bounds_free(rs_bounds *b);

/* certain.c: whether the failure these causes explain is a fact: every fact of the step is
 * known, or the requirements on one distribution exclude each other whatever versions exist
 * and each is the user's or that of a version the user pins, from its own metadata. */
bool rs_conflict_certain(const rs_ctx *c, rs_info *const *causes, size_t n);

int rs_solve(rs_ctx *c, rs_info **roots, size_t nroots, rs_result *out, da_error *err);
void rs_state_free(rs_state *s);

/* Explanation of a failure from the causes resolvelib would report. Caller frees. */
char *rs_explain(rs_ctx *c, const rs_state *st, rs_info *const *causes, size_t ncauses,
                 char **name_out);

/* "name 1.0" of a version of an identifier's project. */
const char *rs_ident_name(const rs_ctx *c, int id);

/* resolve.c: the environment being built, for locked.c. rs_warn takes msg (deduplicated). */
da_resolved_dist *rs_env_find(da_environment *env, const char *name);
da_resolved_dist *rs_env_add(da_environment *env, const char *name);
void rs_add_reason(da_resolved_dist *d, const da_resolve_reason *r);
void rs_warn(da_environment *env, char *msg);
void rs_env_remove(da_environment *env, da_resolved_dist *d);
/* locked.c: a step of exact pins, installed as they are. */
void rs_locked_step(rs_ctx *c, int step_index);

#endif
