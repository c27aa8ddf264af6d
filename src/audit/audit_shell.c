/* DA011 shell-specifier: a requirement whose version constraint sh took as redirections
 * (the install plan says what sh did, see da_shell_specifier). `pkg>=1.0` unquoted loses
 * its constraint and writes a stray file: a warning. `pkg<2` reads a file named "2" that
 * the image does not have: the command fails before pip runs, and either the build stops
 * there or nothing the command lists is installed: an error. Every stage counts, final or
 * not: a failing RUN fails the build wherever it is. The fix quotes the requirement. */
#include "audit_checks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *message(const da_shell_specifier *sh, const char *dist)
{
    if (sh->effect == DA_SHELL_CONSTRAINT_LOST)
        return da_xasprintf("`%s` is not quoted: sh takes `%s` as a redirection of pip's output "
                            "to a file named `%s` (in %s): pip installs %s without the "
                            "constraint and leaves that file in the image",
                            sh->intended, sh->consumed, sh->file, sh->dir, dist);
    bool several = strchr(sh->consumed + 1, '<') || strchr(sh->consumed + 1, '>');
    return da_xasprintf("`%s` is not quoted: sh takes `%s` as %s reading pip's input from a file "
                        "named `%s` (in %s), which the image does not have: the command fails "
                        "before pip runs and %s",
                        sh->intended, sh->consumed, several ? "redirections" : "a redirection",
                        sh->file, sh->dir,
                        sh->effect == DA_SHELL_BUILD_FAILS
                            ? "the build stops here"
                            : "the RUN goes on, so nothing this command lists is installed");
}

static da_fix *quote_fix(const da_shell_specifier *sh, const char *cwd)
{
    if (!sh->quoted || !sh->written || sh->span.end <= sh->span.start)
        return NULL;
    da_fix *fx = da_xcalloc(1, sizeof(*fx));
    fx->file = da_xstrdup(sh->span.file);
    fx->display = da_audit_display_path(NULL, sh->span.file, cwd);
    fx->insert_at = sh->span.start;
    fx->replace_len = sh->span.end - sh->span.start;
    fx->replaced = da_xstrdup(sh->written);
    fx->line = sh->span.line;
    fx->text = da_xstrdup(sh->quoted);
    fx->requirement = da_xstrdup(sh->intended);
    fx->why = da_xstrdup("quoted, so that sh hands it to pip whole");
    return fx;
}

/* One finding per place in the Dockerfile: a requirement copied into several ops (a
 * wheelhouse installed later) keeps the span of its one RUN. */
static bool reported(const da_strlist *seen, const da_shell_specifier *sh)
{
    char key[64];
    snprintf(key, sizeof(key), "%zu", sh->span.start);
    return da_strlist_contains(seen, key);
}

void audit_check_shell_specifiers(audit_ctx *c)
{
    const da_install_plan *p = c->in->plan;
    if (!p || audit_suppressed(c, DA011_SHELL_SPECIFIER, NULL, NULL))
        return;
    da_strlist seen = {0};
    for (size_t i = 0; i < p->nops; i++) {
        const da_install_op *op = &p->ops[i];
        for (size_t k = 0; k < op->nreqs; k++) {
            const da_plan_requirement *r = &op->reqs[k];
            const da_shell_specifier *sh = r->shell;
            if (!sh || reported(&seen, sh))
                continue;
            da_strlist_push_owned(&seen, da_xasprintf("%zu", sh->span.start));
            char *file = da_audit_display_path(NULL, sh->span.file, c->cwd);
            da_finding *x =
                audit_add_finding(c->out, DA011_SHELL_SPECIFIER, file, sh->span.line, sh->span.col);
            free(file);
            if (sh->effect != DA_SHELL_CONSTRAINT_LOST)
                x->severity = DA_SEVERITY_ERROR;
            const char *dist = r->parsed ? r->parsed->normalized : r->text;
            x->dist = da_xstrdup(dist);
            x->message = message(sh, dist);
            x->fix = quote_fix(sh, c->cwd);
        }
    }
    da_strlist_free(&seen);
}
