/* `pip` / `python -m pip` / `uv pip` in three phases: which subcommand it is (pip_command.c),
 * its words and options into the op (pip_args.c), and where the packages go (pip_dest.c).
 * Internal to commands/. */
#ifndef DEPAUDIT_IMAGE_PIP_COMMAND_H
#define DEPAUDIT_IMAGE_PIP_COMMAND_H

#include "image/commands/install_command.h"

/* A -r/-c file named by an option or the environment, read once all options are known. */
typedef struct ic_pending_file {
    char *path; /* absolute in the image */
    bool constraint;
    char *as_written;
    int line;
} ic_pending_file;

/* What the options phase collects beside the op itself. */
typedef struct ic_pip_args {
    bool uv;
    da_op_kind kind;
    ic_pending_file *files;
    size_t nfiles;
    size_t list; /* the command line's requirement list in the plan, (size_t)-1 if none yet */
    bool system_flag, dry_run, all_extras;
    char *python_opt; /* uv --python */
    char *wheel_dir;  /* pip wheel -w / pip download -d */
    da_strlist extras, groups;
} ic_pip_args;

/* pip_args.c: the words after the subcommand (sub_i), --user resolved to its home; then
 * the PIP_* variables the command sees. */
void ic_pip_read_args(pl_builder *b, const sh_command *c, const ic_state *s, int line, size_t sub_i,
                      da_install_op *op, ic_pip_args *a);
void ic_pip_env_options(pl_builder *b, const sh_command *c, da_install_op *op, ic_pip_args *a,
                        int line, const char *cwd);
/* pip_dest.c: for an op that names no destination of its own, the interpreter, virtualenv
 * or PATH the command runs with. */
void ic_pip_dest(pl_builder *b, const sh_command *c, const ic_state *s, da_install_op *op,
                 const ic_pip_args *a, const char *exe);
/* pip_command.c: the whole command; sub_i is the first word after `pip` (or `uv pip`). */
void ic_pip(pl_builder *b, const sh_command *c, ic_state *s, int line, size_t exe_i, size_t sub_i,
            bool uv);

#endif
