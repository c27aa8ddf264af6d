/* The state of the install-plan builder while it walks a Dockerfile: per-stage variables,
 * the files each stage copied in, virtualenvs, and the order in which installs and
 * `COPY --from` happen, from which reachability to the final image is computed. */
#ifndef DEPAUDIT_IMAGE_PLAN_MODEL_H
#define DEPAUDIT_IMAGE_PLAN_MODEL_H

#include "depaudit/install_plan.h"
#include "image/dockerfile/dockerfile.h"
#include "image/dockerfile/expand.h"
#include "image/dockerfile/shell_commands.h"
#include "image/plan/name_index.h"
#include "image/requirements/requirements_reader.h"

typedef struct pl_var {
    char *name;
    char *value; /* NULL: declared ARG without a value */
    bool is_arg;
    int line;
} pl_var;

enum { PL_FROM_CONTEXT = -1, PL_FROM_IMAGE = -2 };

typedef struct pl_copy {
    int line;
    int from_stage;         /* PL_FROM_CONTEXT, PL_FROM_IMAGE or a stage index */
    char *src;              /* context: relative normalised path; stage: absolute path */
    char *dst;              /* absolute path in this stage */
    bool src_is_dir;        /* the contents of src land under dst */
    const df_text *heredoc; /* COPY <<EOF: the content (owned by the parsed Dockerfile) */
    char *text;             /* "COPY --from=builder /install /usr/local" */
} pl_copy;

typedef struct pl_venv {
    char *path;
    int line;
    bool seeded; /* has pip (python -m venv, virtualenv, uv venv --seed) */
} pl_venv;

typedef struct pl_event {
    bool is_copy;
    size_t index; /* op index in the plan, or copy index in the stage */
} pl_event;

typedef struct pl_stage {
    int index;
    int base_stage; /* -1: an image */
    char *name;
    char *image; /* the root image reference (inherited through stages) */
    int image_line;
    pl_var *vars;
    size_t nvars, vcap;
    pl_name_index var_index; /* name -> its latest entry in vars (ARG or ENV) */
    pl_name_index env_index; /* name -> its latest ENV entry */
    pl_copy *copies;
    size_t ncopies, ccap;
    pl_venv *venvs;
    size_t nvenvs, vecap;
    pl_event *events;
    size_t nevents, ecap;
    char *workdir;
    char *user;
    da_strlist shell;
    da_strlist cmd;
    bool cmd_shell;
    int cmd_line;
    da_strlist entrypoint;
    bool ep_shell;
    int ep_line;
    bool poetry_in_system;  /* poetry config virtualenvs.create false */
    bool poetry_in_project; /* poetry config virtualenvs.in-project true */
} pl_stage;

/* What a RUN made that a later install reads: wheels built or downloaded into a directory
 * (pip wheel -w, pip download -d), so that `pip install /wheels/<glob>` can be read as the
 * requirements they were built from; or a requirements file an export wrote (poetry/uv/pdm
 * export, into a file or a pipe), read by `pip install -r` as the pins it holds. */
typedef struct pl_wheelhouse {
    int stage;
    char *dir; /* the directory, or the file (a pipe: "/dev/stdin@RUNLINE:COMMAND") */
    bool file;
    da_install_op op; /* not in the plan: the requirements and where they were written */
} pl_wheelhouse;

typedef struct pl_builder {
    const da_plan_options *o;
    da_install_plan *plan;
    df_file df;
    char *df_data;
    size_t df_len;
    char *context;
    pl_var *globals;
    size_t nglobals, gcap;
    pl_stage *stages;
    size_t nstages, scap;
    int cur;
    int line;          /* instruction being processed, for warnings */
    da_strlist warned; /* "LINE:NAME" already warned about */
    char machine[32];
    char arch[16];         /* docker arch: amd64, arm64 */
    char platform_str[48]; /* "linux/amd64" */
    bool platform_given;
    char *stage_platform;     /* machine of a FROM --platform=..., when no --platform given */
    int stage_platform_stage; /* the stage whose FROM named it */
    da_strlist missing_now;   /* variables found unset while expanding the current word */
    long budget;              /* steps left for the current walk of the stage graph */
    bool budget_warned;
    char *refused; /* why the last context file of a walk was not read (outside the
                      context, not a regular file, too large), NULL if none */
    pl_wheelhouse *wheelhouses;
    size_t nwheelhouses, whcap;
    int *unknown_stages; /* the stage of each plan->unknowns entry, while building */
    size_t nunknown_stages;
    /* An error found deep inside (a -r cycle): the load fails with it at the end. */
    char *fatal_file;
    int fatal_line;
    char *fatal_message;
} pl_builder;

/* plan_vars.c */
const char *pl_lookup(pl_builder *b, const char *name);
ex_env pl_env(pl_builder *b);
char *pl_expand(pl_builder *b, const char *s, size_t n); /* Docker word processing */
void pl_set_var(pl_stage *st, const char *name, const char *value, bool is_arg, int line);
void pl_declare_arg(pl_builder *b, const char *name, const char *dflt, int line);
const char *pl_build_arg(pl_builder *b, const char *name);
void pl_report_missing(pl_builder *b, const char *name, int line, const char *where);
/* Every ENV variable of the stage (latest wins) as "NAME=value". */
void pl_stage_env(pl_builder *b, const pl_stage *st, da_strlist *out);
/* Whether vars[i] is the latest ENV definition of its name. */
bool pl_latest_env(const pl_stage *st, size_t i);

/* warnings */
void pl_warn(pl_builder *b, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Records what the current stage may install unseen (plan->unknowns), without a warning. */
void pl_record_unknown(pl_builder *b, int line, const char *what);
/* A warning that also records what the current stage may install unseen (plan->unknowns). */
void pl_unknown(pl_builder *b, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Keeps the unknowns of the stages whose contents reach the final image (plan_finish.c). */
void pl_keep_reaching_unknowns(pl_builder *b);

/* plan_fs.c */
/* Finds what `path` (absolute, in stage st) holds: a file of the context or a heredoc.
 * Returns 0 and fills c, or -1 with *why. */
int pl_resolve_file(pl_builder *b, int stage, const char *path, rq_content *c, char **why);
void pl_add_copy(pl_builder *b, const df_instruction *in);
/* The install root of an op in its stage ("/usr/local", the prefix, the venv, ...). */
char *pl_op_root(const da_install_op *op);
void pl_compute_reach(pl_builder *b);
void pl_collect_copied_paths(pl_builder *b);
const pl_venv *pl_find_venv(pl_builder *b, int stage, const char *path);
/* The virtualenv a PATH value (NULL: none) leads to in the stage: the first <dir>/bin entry
 * that is one, before /usr/local/bin or /usr/bin; *dir (caller frees) as PATH names it. */
const pl_venv *pl_venv_on_path(pl_builder *b, int stage, const char *path, char **dir);
/* A virtualenv created at `path` in the current stage (seeded: with pip in it). */
void pl_add_venv(pl_builder *b, const char *path, int line, bool seeded);
bool pl_host_is_dir(const char *p);
/* path is dir or below it; *rest is what follows dir ("" for dir itself). */
bool pl_path_under(const char *path, const char *dir, const char **rest);
char *pl_join2(const char *a, const char *b); /* "a/b", with "." and "/" handled */
/* Walks of the stage graph follow every COPY --from; stages that copy from each other
 * many times over would make that exponential, so each walk has a budget of steps. */
enum { PL_WALK_BUDGET = 20000 };
bool pl_spend(pl_builder *b); /* false (and a warning, once) when it is spent */
/* The wheelhouse that directory `dir` of the stage holds (made there or copied in); the
 * exported requirements file at `path`. */
const pl_wheelhouse *pl_find_wheelhouse(pl_builder *b, int stage, const char *dir);
const pl_wheelhouse *pl_find_export(pl_builder *b, int stage, const char *path);

/* base_image.c */
typedef struct pl_python {
    int major, minor, micro; /* micro -1 when not in the tag */
    bool known;
    bool official; /* an official python image (pip/setuptools/wheel rules apply) */
    bool musl;
    char note[256]; /* why it is a guess, "" if it is not */
} pl_python;
void pl_python_from_image(const char *ref, pl_python *out);
bool pl_machine_from_platform(const char *platform, char *machine, size_t msize, char *arch,
                              size_t asize);

/* plan_finish.c */
void pl_finish(pl_builder *b);

/* plan_free.c */
void pl_op_free(da_install_op *op);
void pl_builder_free(pl_builder *b);

#endif
