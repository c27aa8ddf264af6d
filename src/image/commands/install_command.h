/* Install commands found in RUN bodies: pip / pip3 / pipX.Y / python -m pip / a venv's
 * pip, uv pip install|sync|uninstall, uv sync, poetry install, pipenv install, turned into
 * da_install_op entries of the plan. */
#ifndef DEPAUDIT_IMAGE_INSTALL_COMMAND_H
#define DEPAUDIT_IMAGE_INSTALL_COMMAND_H

#include "image/plan/plan_model.h"

/* What the script has changed so far for the commands after it. */
typedef struct ic_state {
    char *cwd;         /* `cd` along the script, starting at WORKDIR */
    char *active_venv; /* `. /opt/venv/bin/activate` */
    int run_line;
    /* the command being handled: its index in the script, and the file its standard input
     * is (what an export piped into it wrote), NULL if none */
    size_t cmd_index;
    const char *stdin_file;
} ic_state;

/* The name under which command `index` of the RUN at run_line leaves what it writes to
 * its standard output for the command it is piped into. */
char *ic_pipe_name(int run_line, size_t index);

/* RUN (run_instruction.c): its script's commands, install operations added to the plan. */
void ic_run(pl_builder *b, const df_instruction *in);

bool ic_is_python(const char *base_name);
/* Adds an op to the plan if c is an install command (or warns about installers it does
 * not model). */
void ic_handle(pl_builder *b, const sh_command *c, ic_state *s, int line);

/* Appends a local project's requirements (its pyproject.toml, found through the image's
 * filesystem) to op: the main list always, optional ones by extra/group; with
 * install_root, the project's own packages go into op->first_party. */
void ic_add_project(pl_builder *b, da_install_op *op, const char *project_dir,
                    const da_strlist *extras, const da_strlist *groups, bool all_extras, int line,
                    const char *via, bool install_root);

/* conda.c: conda/mamba/micromamba commands that change an environment (install, create,
 * update, env create|update, run): recorded as unknown, naming the command and its file. */
void ic_conda(pl_builder *b, const sh_command *c, int line, size_t exe_i);

/* project_build.c: a build of the project (python -m build, uv/poetry/pdm/hatch/flit build)
 * whose packages a later `pip install dist/<name>.whl` reads as the project; a package file
 * from the build context read as the context's project when named after it. */
void ic_project_build(pl_builder *b, const sh_command *c, ic_state *s, int line, size_t exe_i,
                      size_t first_opt, const char *tool);
bool ic_context_package(pl_builder *b, da_install_op *op, const da_plan_requirement *r);
/* What a requirements-file reader collected, moved into op and the plan. */
void ic_absorb_requirements(pl_builder *b, da_install_op *op, da_requirements_file *acc,
                            const char *cwd);

/* The project in `dir` (pyproject.toml, else setup.cfg / setup.py, read without running
 * anything) into out. -1 (warned) when the image holds none of its files. */
int ic_read_project(pl_builder *b, const char *dir, da_pyproject *out, int line);
/* A requirements file at path (in the image) read into op, as `pip install -r` would. */
void ic_read_requirements(pl_builder *b, da_install_op *op, const char *path,
                          const char *as_written, int line);

/* Shared by the installers: the op skeleton, adding it to the plan, variables as the
 * command sees them. */
void ic_op_init(pl_builder *b, da_install_op *op, const sh_command *c, const char *tool,
                da_op_kind kind, int line, int run_line, size_t first_word);
void ic_op_push(pl_builder *b, da_install_op *op, const sh_command *c);
const char *ic_cmd_var(pl_builder *b, const sh_command *c, const char *name);
bool ic_truthy(const char *v);
/* Moving what a project file's reader found (pyproject.toml, Pipfile, a lock file) into the
 * plan: its requirement lists, returning the offset their indexes move by; a requirement,
 * into (*reqs, *n), its list shifted by base and `via` (when not NULL) replacing its own;
 * the reader's warnings. */
size_t ic_take_lists(pl_builder *b, da_pyproject *p);
void ic_take_requirement(da_plan_requirement **reqs, size_t *n, da_plan_requirement *r, size_t base,
                         const char *via);
void ic_take_warnings(pl_builder *b, da_pyproject *p);
/* Where a tool that manages its own virtualenv (poetry, pipenv) installs: `.venv` in the
 * working directory when the command sees in_project_var set, else its default directory,
 * which the image's Python does not import from, with a warning saying why. */
void ic_tool_venv_dest(pl_builder *b, da_install_op *op, const sh_command *c, const char *cwd,
                       int line, const char *in_project_var, const char *default_dir,
                       const char *warning_fmt);
/* project_install.c: local project paths among op's requirements replaced by what they
 * install. */
void ic_expand_local_projects(pl_builder *b, da_install_op *op, int line);
/* project_sync.c: uv sync / poetry install / pdm install|sync of the project in the current
 * directory, from its lock file when the image has it. */
typedef enum ic_sync_tool { IC_SYNC_UV = 0, IC_SYNC_POETRY, IC_SYNC_PDM } ic_sync_tool;
void ic_project_sync(pl_builder *b, const sh_command *c, ic_state *s, int line, size_t exe_i,
                     size_t first_opt, ic_sync_tool tool);
/* uv/poetry/pdm export: the pins it writes, for the `pip install -r` that reads them (from
 * the file it names, its `>` redirection, or the pipe). */
void ic_project_export(pl_builder *b, const sh_command *c, ic_state *s, int line, size_t exe_i,
                       size_t first_opt, ic_sync_tool tool);
/* shell_specifier.c: when sh took the version constraint of requirement r (command word
 * `word` of c) as redirections, what it did and the quoted fix, into r->shell. */
void ic_shell_specifier(pl_builder *b, const sh_command *c, size_t word, da_plan_requirement *r,
                        const char *cwd);
/* unread_steps.c: a script run from the context that installs packages (or cannot be
 * read), the distribution's python3-* packages: recorded in plan->unknowns. i is the index
 * of the command's program word. */
void ic_unread_steps(pl_builder *b, const sh_command *c, const ic_state *s, int line, size_t i);
/* pipenv install / pipenv sync (pipenv.c) */
void ic_pipenv(pl_builder *b, const sh_command *c, ic_state *s, int line, size_t exe_i,
               size_t sub_i);

#endif
