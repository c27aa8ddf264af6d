/* The image model: from a Dockerfile and its build context to what the *final image* asks
 * pip (or uv, poetry, pipenv) to install, for which Python and platform, plus what the
 * audit needs to follow the container's boot path (CMD/ENTRYPOINT, ENV, WORKDIR, the
 * first-party sources copied in) and to patch the Dockerfile or requirements file in place.
 *
 * Everything is owned by the plan and freed by da_install_plan_free. Paths of files on
 * the host (Dockerfile, requirements files, pyproject.toml) are as depaudit opened them:
 * the context directory joined with the path inside the context. */
#ifndef DEPAUDIT_INSTALL_PLAN_H
#define DEPAUDIT_INSTALL_PLAN_H

#include "depaudit/pep.h"
#include "depaudit/target.h"
#include "depaudit/util.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- where a piece of text came from ---------------------------------------------------- */

/* A span of one input file. start/end are byte offsets [start, end) into the file as it is
 * on disk; line/col are 1-based and point at `start`. For a requirement on a RUN line of a
 * Dockerfile, the span covers the shell word without its quotes (the value pip sees when no
 * variable was expanded in it; `expanded` on the requirement says when one was). */
typedef struct da_span {
    char *file; /* host path, never NULL */
    int line;
    int col;
    size_t start;
    size_t end;
} da_span;

/* ---- requirements ------------------------------------------------------------------------ */

typedef enum da_req_kind {
    DA_REQ_NAMED = 0,  /* PEP 508: `name[extras] specifier ; marker` or `name @ url` */
    DA_REQ_LOCAL_PATH, /* `.`, `./pkg`, `/src/app`, `dist/x-1.0-py3-none-any.whl` */
    DA_REQ_URL,        /* a bare URL without a name: `git+https://...`, an archive URL */
    DA_REQ_INVALID,    /* could not be parsed; a warning says why */
} da_req_kind;

/* Where a requirement was written. */
typedef enum da_req_origin {
    DA_ORIGIN_COMMAND_LINE = 0, /* an argument of the install command in a RUN */
    DA_ORIGIN_REQUIREMENTS,     /* a line of a requirements file (-r) */
    DA_ORIGIN_CONSTRAINTS,      /* a line of a constraints file (-c) */
    DA_ORIGIN_PYPROJECT,        /* pyproject.toml of a local project (`pip install .`) */
    DA_ORIGIN_LOCKFILE,         /* poetry.lock, Pipfile.lock, uv.lock, ... */
    DA_ORIGIN_PIPFILE,          /* a Pipfile's [packages] / [dev-packages] */
} da_req_origin;

/* How the requirements of one list (one RUN command, one requirements file, one TOML
 * array or table) are written, so a fixer can add a sibling in the same style: insert
 * `separator` + quote + NEW + quote at byte offset `insert_at` of `file`. */
typedef struct da_req_list {
    char *file; /* host path of the file holding the list */
    da_req_origin origin;
    /* shell-args: just after the last requirement word (after its closing quote), so a
     *   continuation line or options after it stay where they are;
     * requirements: the end of the last requirement's line (after a trailing comment);
     * toml-array: after the last string (its comma, if any, stays after the new one);
     * poetry-table / pipfile-table: the end of the last `name = ...` entry. */
    size_t insert_at;
    int insert_line; /* the line of insert_at */
    char *separator; /* what precedes a new requirement: " \\\n    " (one per continued
                        line, with that line's indent), " " (single line), "\n"
                        (requirements file, poetry/pipfile table), ",\n    " or ", " (TOML
                        array) */
    char *quote;     /* "" or "\"" or "'": the quoting of the last sibling */
    size_t count;    /* how many requirements the list holds */
    /* "shell-args", "requirements", "toml-array", "poetry-table" (a fixer writes
     * `name = "^1.2"`, not PEP 508), "pipfile-table" (`name = ">=1.2"`) or "lockfile"
     * (Pipfile.lock: not for editing by hand) */
    char *style;
} da_req_list;

/* What sh does with a command-line requirement whose version constraint is not quoted:
 * `pip install pkg>=1.0` is `pip install pkg` with its output redirected to a file named
 * "=1.0"; `pkg<2` reads a file named "2", which sh cannot open, so pip never runs. */
typedef enum da_shell_effect {
    DA_SHELL_CONSTRAINT_LOST = 1, /* only output redirections: pip installs the name
                                     without its constraint, a stray file is written */
    DA_SHELL_BUILD_FAILS,         /* an input redirection from a file the image does not
                                     have: the command does not run and the RUN fails */
    DA_SHELL_NOT_RUN,             /* the same where sh goes on after the failure (`; true`,
                                     `|| ...`, not the last command): pip never runs */
} da_shell_effect;

typedef struct da_shell_specifier {
    da_shell_effect effect;
    char *consumed; /* what sh took as redirections, as pip should have seen it: ">=1.0" */
    char *file;     /* the file sh writes or reads first: "=1.0", "2" */
    char *dir;      /* the directory it is in (the command's working directory) */
    char *intended; /* the requirement meant: "pkg>=1.0" */
    char *quoted;   /* the same quoted for sh, the fix: "\"pkg>=1.0\"" (NULL: no faithful one) */
    char *written;  /* the text as written in the file, which the fix replaces */
    da_span span;   /* the text the fix replaces: the word and the redirections after it */
} da_shell_specifier;

/* The place of a pin in a lock file or a pinned export (pip-compile, uv export, poetry
 * export), so that a pin nothing imports is told apart from a requirement nobody uses. */
typedef enum da_lock_role {
    DA_LOCK_NONE = 0,   /* not from a lock */
    DA_LOCK_DIRECT,     /* the project (or the compiled .in file) asks for it */
    DA_LOCK_TRANSITIVE, /* pinned because other pins require it: a dependency, never unused */
    DA_LOCK_PINNED,     /* a pin of a complete pin set that does not say which (hashes only) */
} da_lock_role;

typedef struct da_plan_requirement {
    char *text; /* as pip receives it (variables expanded) */
    da_req_kind kind;
    struct da_requirement *parsed; /* for DA_REQ_NAMED; NULL otherwise */
    char *path;    /* LOCAL_PATH: the absolute path in the image (as written, when read by
                      da_requirements_file_parse); URL: the url */
    bool editable; /* -e / --editable */
    bool expanded; /* text differs from the span (a $VAR was expanded) */
    da_req_origin origin;
    da_span where;             /* the requirement text itself */
    size_t list;               /* index into da_install_plan.lists */
    char *via;                 /* NULL, or the chain that reached a file:
                                  "Dockerfile:12 -r requirements.txt -r base.txt" */
    char *group;               /* pyproject: NULL for the main dependencies, else
                                  "extra:NAME" ([project.optional-dependencies]),
                                  "group:NAME" ([dependency-groups]) or
                                  "poetry:NAME" (a poetry group), "pipenv:dev" */
    da_strlist hashes;         /* --hash=sha256:... values (requirements files) */
    da_shell_specifier *shell; /* NULL unless sh took part of it as redirections */
    da_lock_role lock;
    da_strlist required_by; /* TRANSITIVE: the pins that require it, as the lock says */
} da_plan_requirement;

/* ---- install operations ------------------------------------------------------------------ */

typedef enum da_op_kind {
    DA_OP_INSTALL = 0,
    DA_OP_UNINSTALL, /* pip uninstall -y x */
    DA_OP_SYNC,      /* uv pip sync / pipenv sync: the environment becomes exactly the list */
} da_op_kind;

typedef enum da_dest_kind {
    DA_DEST_SYSTEM = 0, /* the interpreter's site-packages (/usr/local/lib/pythonX.Y/...) */
    DA_DEST_PREFIX,     /* --prefix P: P/lib/pythonX.Y/site-packages */
    DA_DEST_TARGET,     /* --target/-t P: P itself */
    DA_DEST_USER,       /* --user: HOME/.local */
    DA_DEST_VENV,       /* a virtualenv's pip, or its bin on PATH: dest_path is the venv */
    DA_DEST_ROOT,       /* --root R: R + the system site-packages */
} da_dest_kind;

typedef struct da_install_op {
    da_op_kind kind;
    char *tool;    /* "pip", "uv pip", "poetry", "pipenv", "uv sync" */
    char *command; /* the whole command, words joined by spaces, variables expanded */
    char *file;    /* the Dockerfile */
    int line;      /* line of the command (inside a multi-line RUN: where it starts) */
    int run_line;  /* line of the RUN instruction */
    int stage;     /* index into da_install_plan.stages */
    da_dest_kind dest;
    char *dest_path;    /* the directory for PREFIX/TARGET/USER/VENV/ROOT, else NULL */
    bool reaches_final; /* its packages are in the final image */
    char *reach;        /* how: "final stage", "COPY --from=builder /install /usr/local
                           (Dockerfile:31)", or why not: "stage 'test' is never copied" */
    /* options */
    bool no_deps, pre, upgrade, force_reinstall, ignore_installed, no_index, require_hashes;
    da_strlist only_binary; /* ":all:", ":none:" or names, as given (comma lists split) */
    da_strlist no_binary;
    char *index_url; /* -i/--index-url, NULL = the default index */
    da_strlist extra_index_urls;
    da_strlist find_links;
    char *python_version; /* --python-version, NULL if not given */
    da_strlist platforms; /* --platform values */
    /* Requirements in the order pip reads them: command line, then -r files depth-first.
     * A local project (`.`, `./pkg`) stays as a LOCAL_PATH entry followed by the
     * dependencies its pyproject.toml declares (their `via` names the path; none with
     * --no-deps); `pip install /wheels/<glob>` is followed by the requirements the
     * `pip wheel` that built that directory was given. */
    da_plan_requirement *reqs;
    size_t nreqs;
    da_plan_requirement *constraints; /* -c files, PIP_CONSTRAINT */
    size_t nconstraints;
    /* First-party top-level packages/modules that local projects of this op install
     * (`pip install .` reads pyproject.toml), as absolute paths in the image. */
    da_strlist first_party;
    /* The op installs exactly the pins of a lock file (uv sync, poetry install, pipenv
     * with Pipfile.lock, pdm sync, a pylock.toml, a fully pinned requirements file):
     * reqs are `name==version` (with markers), nothing to resolve. */
    bool locked;
    char *lock_file; /* host path of the lock it read, when locked */
} da_install_op;

/* ---- the image ----------------------------------------------------------------------------- */

typedef struct da_plan_stage {
    char *name; /* AS name (lower case), NULL if unnamed */
    int index;
    char *base;     /* the FROM argument after expansion: "python:3.11-slim", "builder" */
    int base_stage; /* index of the stage it is FROM, or -1 for an image */
    char *file;
    int line; /* FROM line */
    bool is_final;
} da_plan_stage;

/* A distribution the base image already ships that matters for imports. */
typedef struct da_base_dist {
    char *name;   /* "pip", "setuptools", "wheel" */
    char *reason; /* "official python image 3.11 ships setuptools" */
} da_base_dist;

typedef struct da_env_var {
    char *name;
    char *value; /* expanded */
    char *file;
    int line;
} da_env_var;

/* A first-party path copied from the build context into the final image. */
typedef struct da_copied_path {
    char *source;     /* path in the build context, relative, normalised ("." for all of it) */
    char *dest;       /* absolute path in the image (WORKDIR applied); for a directory copied
                         "into" a directory this is where its *contents* land, as Docker does */
    char *from_stage; /* NULL for the context; the stage name/index for COPY --from whose
                         files came from the context in that stage */
    char *file;
    int line;
} da_copied_path;

typedef struct da_plan_warning {
    char *file;
    int line;
    char *message;
} da_plan_warning;

typedef struct da_merged_requirement {
    char *name; /* PEP 503 normalised */
    /* every occurrence in the final image's ops, in install order (pointers into ops) */
    const da_plan_requirement **occurrences;
    size_t noccurrences;
    bool conflicting; /* listed more than once with different specifiers/urls */
    bool uninstalled; /* a later op uninstalls it */
} da_merged_requirement;

typedef struct da_install_plan {
    char *dockerfile;     /* as given */
    char *context_dir;    /* the build context (the Dockerfile's directory by default) */
    char *context_reason; /* why that context (da_plan_options.context_reason), or NULL */
    bool context_guessed; /* the context was inferred without certainty (DA008 says so) */

    /* The final image's Python and platform. */
    da_target target;
    char *python_from_file; /* where the version came from: the FROM line that names the */
    int python_from_line;   /* python image (through inherited stages), 0 if none */
    char *base_image;       /* the image reference of the final stage's root, expanded */
    bool python_default;    /* no version could be read: a default was used (and warned) */
    bool python_overridden; /* --python-version */

    da_plan_stage *stages;
    size_t nstages;
    int final_stage;

    /* Every install/uninstall operation in Dockerfile order, whether or not it reaches
     * the final image (see reaches_final). */
    da_install_op *ops;
    size_t nops;
    /* The operations whose effects reach the final image, in the order they take effect
     * there (a builder stage's ops take effect where the final stage copies them in). */
    size_t *final_ops;
    size_t nfinal_ops;

    da_req_list *lists;
    size_t nlists;

    /* The final image's requirements by name, in first-install order. Local paths and
     * bare URLs are not in it (they are still in the ops). */
    da_merged_requirement *merged;
    size_t nmerged;

    da_base_dist *preinstalled;
    size_t npreinstalled;

    /* The final stage's CMD and ENTRYPOINT as argv lists. A shell form becomes
     * {"/bin/sh", "-c", "TEXT"} (or the SHELL in effect), as Docker runs it. */
    da_strlist cmd;
    bool cmd_shell_form;
    char *cmd_file;
    int cmd_line; /* 0 if none (then the base image's default applies) */
    da_strlist entrypoint;
    bool entrypoint_shell_form;
    char *entrypoint_file;
    int entrypoint_line;

    /* The ENV variables of the final stage (its FROM chain included), values expanded,
     * latest definition of each. Variables only the base image sets are not listed;
     * `ENV PATH=/x:$PATH` is expanded against Docker's default PATH. */
    da_env_var *env;
    size_t nenv;
    char *workdir; /* final WORKDIR, "/" if none */
    da_copied_path *copies;
    size_t ncopies;

    da_plan_warning *warnings;
    size_t nwarnings;

    /* What the final image may hold that the plan cannot read, one entry each (each is
     * also a warning): a requirements file not found, install words whose value is not
     * known ($VAR unset, $(...)), an installer that is not modelled (conda, pipx, pip-sync,
     * the distribution's python3-* packages), a script that is not followed. Anything may
     * be installed there: the audit never calls a module missing while one of these
     * reaches the final image (stages the final one is built FROM or copies from). */
    da_plan_warning *unknowns;
    size_t nunknowns;
} da_install_plan;

typedef struct da_plan_options {
    const char *const *build_args; /* "NAME=VALUE" (or "NAME": taken from the environment) */
    size_t nbuild_args;
    const char *target_stage;   /* --target, NULL = the last stage */
    const char *python_version; /* --python-version "3.12" or "3.12.1", NULL = from FROM */
    const char *platform;       /* --platform "linux/arm64", NULL = linux/amd64 */
    const char *context_dir;    /* NULL = the Dockerfile's directory */
    const char *context_reason; /* why that context (shown with it), or NULL */
    bool context_guessed;       /* inferred without certainty */
} da_plan_options;

/* Reads the Dockerfile and everything it refers to in the context. Returns 0 (the plan
 * may carry warnings), or -1 with err naming FILE:LINE for input it cannot read at all
 * (unreadable Dockerfile, unknown instruction, unterminated heredoc, no FROM, bad option
 * value, unknown --target). o may be NULL. */
int da_install_plan_load(const char *dockerfile, const da_plan_options *o, da_install_plan *out,
                         da_error *err);
void da_install_plan_free(da_install_plan *p);
/* The plan as a JSON document (caller frees). Stable key order: the golden tests diff it. */
char *da_install_plan_to_json(const da_install_plan *p);
/* Human-readable rendering (caller frees). */
char *da_install_plan_to_text(const da_install_plan *p);
/* The value of an ENV variable of the final stage, or NULL. */
const char *da_install_plan_env(const da_install_plan *p, const char *name);
const char *da_dest_kind_name(da_dest_kind k);       /* "system", "prefix", ... */
const char *da_req_origin_name(da_req_origin o);     /* "command-line", "requirements", ... */
const char *da_shell_effect_name(da_shell_effect e); /* "constraint-lost", "build-fails", ... */
const char *da_lock_role_name(da_lock_role r);       /* "direct", "transitive", "pinned" */

/* ---- requirements files and pyproject.toml, on their own --------------------------------- */

/* A requirements file read from the host, following -r/-c (relative to the including
 * file), expanding ${VAR} from `env` ("NAME=VALUE" entries, then the process
 * environment if use_process_env). */
typedef struct da_requirements_file {
    da_plan_requirement *reqs; /* in order, nested files depth-first */
    size_t nreqs;
    da_plan_requirement *constraints;
    size_t nconstraints;
    da_req_list *lists; /* one per file read; reqs[i].list indexes it */
    size_t nlists;
    /* global options found in the files */
    char *index_url;
    da_strlist extra_index_urls;
    da_strlist find_links;
    bool no_index, pre, require_hashes;
    da_strlist only_binary, no_binary;
    da_strlist files; /* every file read, in order */
    da_plan_warning *warnings;
    size_t nwarnings;
} da_requirements_file;

typedef struct da_requirements_file_options {
    const char *const *env;
    size_t nenv;
    bool use_process_env;
} da_requirements_file_options;

/* Returns 0, or -1 with err (FILE:LINE) for an unreadable file, a -r cycle, or a line
 * pip would reject. o may be NULL. */
int da_requirements_file_parse(const char *path, const da_requirements_file_options *o,
                               da_requirements_file *out, da_error *err);
void da_requirements_file_free(da_requirements_file *f);

/* A project's pyproject.toml: the requirements `pip install .[extras]` (or poetry / uv)
 * would install, with spans into the file. Poetry dependencies are converted to PEP 508
 * (`^1.2` -> `>=1.2,<2.0`); `text` holds the converted form and `where` the TOML entry. */
typedef struct da_pyproject {
    char *name; /* [project].name or [tool.poetry].name, NULL if absent */
    char *version;
    char *requires_python;
    da_plan_requirement *dependencies; /* [project].dependencies / poetry main group */
    size_t ndependencies;
    /* [project.optional-dependencies], [dependency-groups], poetry groups: group set */
    da_plan_requirement *optional;
    size_t noptional;
    da_req_list *lists;
    size_t nlists;
    da_strlist packages; /* first-party top-level packages/modules it installs, as paths
                            relative to the project ("src/app", "mypkg") */
    bool is_poetry;
    da_strlist optional_groups; /* poetry groups marked optional = true */
    /* The file states the project's dependencies ([project].dependencies not dynamic, or
     * Poetry's table); otherwise setup.cfg / setup.py / a dynamic file declare them. */
    bool declares_dependencies;
    /* Files the dependencies are read from, relative to the project: [tool.setuptools.
     * dynamic] dependencies, setup.cfg's `file:`, setup.py's open(...). */
    da_strlist dependency_files;
    da_plan_warning *warnings;
    size_t nwarnings;
} da_pyproject;

int da_pyproject_read(const char *path, da_pyproject *out, da_error *err);
void da_pyproject_free(da_pyproject *p);

#endif
