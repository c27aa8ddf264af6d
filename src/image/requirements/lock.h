/* Lock files as the installed set: uv.lock, poetry.lock, pdm.lock and PEP 751 pylock.toml
 * read into one model (packages, their dependency edges, extras and groups), and the
 * selection an installer makes from it for given options and a target: the pins it installs,
 * each direct (the project asks for it) or transitive (with the pins that require it).
 * Nothing is resolved and no metadata is needed for the set itself. */
#ifndef DEPAUDIT_IMAGE_LOCK_H
#define DEPAUDIT_IMAGE_LOCK_H

#include "depaudit/install_plan.h"
#include "depaudit/pep.h"
#include "depaudit/toml.h"
#include "image/requirements/requirements_reader.h"

/* A dependency edge: to the package `name` (normalised), when marker holds, with extras. */
typedef struct rq_lock_dep {
    char *name;
    char *version;     /* which of several versions of name (uv's forks), else NULL */
    char *marker;      /* NULL: always */
    char *specifier;   /* poetry: the PEP 440 form of the edge's constraint, else NULL */
    bool optional;     /* poetry: only with an extra of the package that names it */
    da_strlist extras; /* extras of the target the edge asks for */
} rq_lock_dep;

typedef struct rq_lock_deps {
    rq_lock_dep *items;
    size_t len, cap;
} rq_lock_deps;

/* An extra (optional dependencies) or a dependency group of a package. */
typedef struct rq_lock_group {
    char *name; /* normalised */
    rq_lock_deps deps;
} rq_lock_group;

typedef struct rq_lock_package {
    char *name; /* as written */
    char *norm;
    char *version;                 /* NULL when the lock gives none (a uv project) */
    char *marker;                  /* when it is installed at all (pdm, pylock, poetry 2) */
    da_strlist resolution_markers; /* uv: the forks this version is for */
    bool project;                  /* uv: the project or a workspace member */
    char *path;                    /* uv: its directory, relative to the lock ("." ) */
    bool virtual_project;          /* uv: a project that is not itself installed */
    bool non_index;                /* from git, a path or a URL */
    da_strlist groups;             /* pdm/poetry: the groups it belongs to */
    rq_lock_deps deps;
    rq_lock_group *extras; /* uv optional-dependencies, poetry [package.extras] */
    size_t nextras;
    rq_lock_group *dev; /* uv dev-dependencies (dependency groups) */
    size_t ndev;
    size_t name_start, name_end; /* the span of its name in the document text */
} rq_lock_package;

typedef struct rq_lock {
    const char *kind; /* "uv.lock", "poetry.lock", "pdm.lock", "pylock.toml" (static) */
    rq_lock_package *pkgs;
    size_t npkgs;
    da_strlist default_groups; /* pylock.toml */
    da_plan_warning *warnings;
    size_t nwarnings;
} rq_lock;

/* Whether a file name is a lock file this reader knows (by its base name). */
bool rq_is_lock_file(const char *path);
/* Reads the lock file c (its kind from path's base name). Returns 0, or -1 with err when it
 * is no lock at all (not TOML); a lock with errors is read as far as it goes, warned. */
int rq_lock_read(const rq_content *c, const char *path, rq_lock *out, da_error *err);
void rq_lock_free(rq_lock *l);

/* lock_read.c helpers for the per-format readers. */
rq_lock_package *rq_lock_add_package(rq_lock *l);
/* A package table's `name` and `version` keys, the first of each (every format has them);
 * true when q was one of them. */
bool rq_lock_read_identity(const da_toml *doc, const da_toml_pair *q, rq_lock_package *p);
void rq_lock_dep_add(rq_lock_deps *d, const char *name, const char *version, const char *marker);
rq_lock_group *rq_lock_group_get(rq_lock_group **groups, size_t *n, const char *name);
/* A PEP 508 requirement string as an edge (pdm's dependencies, poetry's extras lists). */
void rq_lock_dep_from_pep508(rq_lock_deps *d, const char *text);
void rq_lock_read_uv(const da_toml *doc, rq_lock *out);
void rq_lock_read_poetry(const da_toml *doc, rq_lock *out);
void rq_lock_read_pdm(const da_toml *doc, rq_lock *out);
void rq_lock_read_pylock(const da_toml *doc, rq_lock *out);

/* ---- what an installer takes from it -------------------------------------------------- */

typedef struct rq_lock_request {
    /* the roots: uv takes the lock's projects; poetry and pdm take these (from the
     * pyproject.toml: main dependencies and the groups and extras asked for) */
    bool use_lock_projects;
    rq_lock_deps roots;
    /* uv: what of each project: main dependencies, extras, dependency groups */
    bool main;         /* not --only-group / --only-dev */
    da_strlist extras; /* normalised; all_extras takes every one */
    bool all_extras;
    da_strlist groups;     /* dependency groups taken (dev unless --no-dev) */
    bool install_projects; /* not --no-install-project */
    /* pdm / pylock: by membership instead of edges */
    bool by_group;
    da_strlist member_groups;
    const da_marker_env *env;
} rq_lock_request;

/* One pin the installer takes. */
typedef struct rq_lock_pin {
    size_t pkg; /* index into the lock's packages */
    da_lock_role role;
    da_strlist required_by; /* TRANSITIVE: the pins that require it */
} rq_lock_pin;

typedef struct rq_lock_selection {
    rq_lock_pin *pins;
    size_t len, cap;
    da_strlist missing;  /* names an edge leads to that the lock does not hold ("x (required
                            by y)" for an edge of a pin) */
    da_strlist projects; /* uv: the projects installed themselves (their directories) */
} rq_lock_selection;

void rq_lock_select(const rq_lock *l, const rq_lock_request *rq, rq_lock_selection *out);
void rq_lock_selection_free(rq_lock_selection *s);
void rq_lock_request_free(rq_lock_request *rq);

#endif
