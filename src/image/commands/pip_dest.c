/* The destination phase of a pip/uv command: where its packages go when no option
 * (--target, --prefix, --root, --user) or PIP_* variable says: the virtualenv of the
 * interpreter it runs with, the activated one, uv's VIRTUAL_ENV/.venv, or the first
 * virtualenv on PATH. */
#include "image/commands/pip_command.h"

#include "image/requirements/requirement_text.h"

#include <stdlib.h>
#include <string.h>

void ic_pip_dest(pl_builder *b, const sh_command *c, const ic_state *s, da_install_op *op,
                 const ic_pip_args *a, const char *exe)
{
    bool uv = a->uv, system_flag = a->system_flag;
    const char *python_opt = a->python_opt;
    if (op->dest != DA_DEST_SYSTEM)
        return; /* --target/--prefix/--user/--root */
    const char *interp = python_opt ? python_opt : exe;
    if (strchr(interp, '/')) {
        char *abs = rt_join_path(s->cwd, interp);
        char *slash = strrchr(abs, '/');
        *slash = '\0';
        if (da_str_ends_with(abs, "/bin") && strcmp(abs, "/usr/local/bin") != 0 &&
            strcmp(abs, "/usr/bin") != 0 && strcmp(abs, "/bin") != 0) {
            abs[strlen(abs) - 4] = '\0';
            op->dest = DA_DEST_VENV;
            op->dest_path = da_xstrdup(abs[0] ? abs : "/");
        }
        free(abs);
        if (op->dest == DA_DEST_VENV || !uv)
            return;
    }
    if (uv && system_flag)
        return;
    if (s->active_venv) {
        op->dest = DA_DEST_VENV;
        op->dest_path = da_xstrdup(s->active_venv);
        return;
    }
    if (uv) {
        const char *venv = ic_cmd_var(b, c, "VIRTUAL_ENV");
        if (venv && venv[0]) {
            op->dest = DA_DEST_VENV;
            op->dest_path = rt_join_path(s->cwd, venv);
            return;
        }
        if (ic_truthy(ic_cmd_var(b, c, "UV_SYSTEM_PYTHON")))
            return;
        char *dot = rt_join_path(s->cwd, ".venv");
        if (pl_find_venv(b, b->cur, dot)) {
            op->dest = DA_DEST_VENV;
            op->dest_path = dot;
            return;
        }
        free(dot);
        pl_warn(b, op->line,
                "uv pip %s without --system, a virtualenv or VIRTUAL_ENV fails in a plain "
                "image; assumed to install into the system Python",
                op->kind == DA_OP_UNINSTALL ? "uninstall" : "install");
        return;
    }
    /* A bare pip: the first PATH entry that has one. */
    char *dir;
    if (pl_venv_on_path(b, b->cur, ic_cmd_var(b, c, "PATH"), &dir)) {
        op->dest = DA_DEST_VENV;
        op->dest_path = dir;
    }
}
