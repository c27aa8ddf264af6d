/* The plan for a person: per stage the install commands with where they are and what
 * they ask for, then the final image. */
#include "depaudit/install_plan.h"

#include <stdlib.h>

static void put_req(da_buf *b, const da_plan_requirement *r)
{
    da_buf_printf(b, "      %s", r->text);
    if (r->editable)
        da_buf_puts(b, " (editable)");
    da_buf_printf(b, "  [%s:%d", r->where.file, r->where.line);
    if (r->group)
        da_buf_printf(b, ", %s", r->group);
    da_buf_puts(b, "]");
    if (r->kind == DA_REQ_INVALID)
        da_buf_puts(b, "  INVALID");
    if (r->lock)
        da_buf_printf(b, "  (%s pin)", da_lock_role_name(r->lock));
    if (r->shell)
        da_buf_printf(b, "  sh took `%s` as a redirection (%s)", r->shell->consumed,
                      da_shell_effect_name(r->shell->effect));
    da_buf_putc(b, '\n');
}

char *da_install_plan_to_text(const da_install_plan *p)
{
    da_buf b = {0};
    da_buf_printf(&b, "Dockerfile %s (build context %s)\n", p->dockerfile, p->context_dir);
    if (p->context_reason)
        da_buf_printf(&b, "  context chosen: %s\n", p->context_reason);
    da_buf_printf(&b, "Python %d.%d", p->target.py_major, p->target.py_minor);
    if (p->target.py_micro >= 0)
        da_buf_printf(&b, ".%d", p->target.py_micro);
    da_buf_printf(&b, " on linux/%s (%s %d.%d), base %s at %s:%d%s%s\n", p->target.machine,
                  p->target.libc == DA_LIBC_MUSL ? "musl" : "glibc", p->target.libc_major,
                  p->target.libc_minor, p->base_image ? p->base_image : "?",
                  p->python_from_file ? p->python_from_file : "", p->python_from_line,
                  p->python_default ? " (default: version unknown)" : "",
                  p->python_overridden ? " (--python-version)" : "");
    for (size_t s = 0; s < p->nstages; s++) {
        const da_plan_stage *st = &p->stages[s];
        da_buf_printf(&b, "\nStage %zu%s%s: FROM %s (line %d)%s\n", s, st->name ? " " : "",
                      st->name ? st->name : "", st->base, st->line,
                      st->is_final ? "  <- final image" : "");
        for (size_t i = 0; i < p->nops; i++) {
            const da_install_op *op = &p->ops[i];
            if (op->stage != (int)s)
                continue;
            const char *kind = op->kind == DA_OP_INSTALL     ? "install"
                               : op->kind == DA_OP_UNINSTALL ? "uninstall"
                                                             : "sync";
            if (da_str_ends_with(op->tool, kind))
                kind = "";
            da_buf_printf(&b, "  %s:%d  %s%s%s -> %s%s%s\n", op->file, op->line, op->tool,
                          kind[0] ? " " : "", kind, da_dest_kind_name(op->dest),
                          op->dest_path ? " " : "", op->dest_path ? op->dest_path : "");
            da_buf_printf(&b, "    %s: %s\n",
                          op->reaches_final ? "in the final image" : "NOT in the final image",
                          op->reach ? op->reach : "");
            if (op->locked)
                da_buf_printf(&b, "    locked: the pins of %s, installed as they are\n",
                              op->lock_file ? op->lock_file : "a lock file");
            if (op->no_deps || op->pre || op->upgrade || op->index_url || op->extra_index_urls.len)
                da_buf_printf(&b, "    options:%s%s%s%s%s%s\n", op->no_deps ? " --no-deps" : "",
                              op->pre ? " --pre" : "", op->upgrade ? " --upgrade" : "",
                              op->index_url ? " --index-url " : "",
                              op->index_url ? op->index_url : "",
                              op->extra_index_urls.len ? " --extra-index-url ..." : "");
            for (size_t r = 0; r < op->nreqs; r++)
                put_req(&b, &op->reqs[r]);
            if (op->nconstraints) {
                da_buf_puts(&b, "    constraints:\n");
                for (size_t r = 0; r < op->nconstraints; r++)
                    put_req(&b, &op->constraints[r]);
            }
        }
    }
    da_buf_puts(&b, "\nFinal image requirements:\n");
    for (size_t i = 0; i < p->nmerged; i++) {
        const da_merged_requirement *m = &p->merged[i];
        da_buf_printf(&b, "  %s%s%s:", m->name, m->conflicting ? " (conflicting)" : "",
                      m->uninstalled ? " (uninstalled later)" : "");
        for (size_t k = 0; k < m->noccurrences; k++)
            da_buf_printf(&b, " %s [%s:%d]", m->occurrences[k]->text, m->occurrences[k]->where.file,
                          m->occurrences[k]->where.line);
        da_buf_putc(&b, '\n');
    }
    if (p->npreinstalled) {
        da_buf_puts(&b, "Preinstalled:");
        for (size_t i = 0; i < p->npreinstalled; i++)
            da_buf_printf(&b, " %s", p->preinstalled[i].name);
        da_buf_putc(&b, '\n');
    }
    if (p->entrypoint_line) {
        da_buf_puts(&b, "ENTRYPOINT");
        for (size_t i = 0; i < p->entrypoint.len; i++)
            da_buf_printf(&b, " %s", p->entrypoint.items[i]);
        da_buf_printf(&b, "  [line %d]\n", p->entrypoint_line);
    }
    if (p->cmd_line) {
        da_buf_puts(&b, "CMD");
        for (size_t i = 0; i < p->cmd.len; i++)
            da_buf_printf(&b, " %s", p->cmd.items[i]);
        da_buf_printf(&b, "  [line %d]\n", p->cmd_line);
    }
    da_buf_printf(&b, "WORKDIR %s\n", p->workdir ? p->workdir : "/");
    for (size_t i = 0; i < p->nenv; i++)
        da_buf_printf(&b, "ENV %s=%s\n", p->env[i].name, p->env[i].value);
    for (size_t i = 0; i < p->ncopies; i++)
        da_buf_printf(&b, "COPY %s -> %s%s%s  [line %d]\n", p->copies[i].source, p->copies[i].dest,
                      p->copies[i].from_stage ? " via stage " : "",
                      p->copies[i].from_stage ? p->copies[i].from_stage : "", p->copies[i].line);
    if (p->nwarnings) {
        da_buf_puts(&b, "\nWarnings:\n");
        for (size_t i = 0; i < p->nwarnings; i++)
            da_buf_printf(&b, "  %s:%d: %s\n", p->warnings[i].file, p->warnings[i].line,
                          p->warnings[i].message);
    }
    return da_buf_take(&b);
}
