/* DA008: first-party modules the code imports whose files never reach the image, because
 * no COPY/ADD brings them in, or .dockerignore keeps them out of the build context (Docker's
 * rules: depaudit/build_context.h). */
#include "audit_checks.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* The file's path inside the build context (`ctx` already resolved), NULL when it lies
 * outside. */
static char *context_relative(const char *ctx, const char *file)
{
    char f[PATH_MAX];
    if (!realpath(file, f))
        return NULL;
    size_t n = strlen(ctx);
    if (strcmp(ctx, "/") == 0)
        return da_xstrdup(f + 1);
    if (strncmp(f, ctx, n) != 0 || f[n] != '/')
        return NULL;
    return da_xstrdup(f + n + 1);
}

void audit_check_first_party(audit_ctx *c)
{
    const da_install_plan *p = c->in->plan;
    const da_import_set *s = c->in->imports;
    if (!p)
        return;
    char ctx[PATH_MAX];
    if (!realpath(p->context_dir && *p->context_dir ? p->context_dir : ".", ctx))
        return; /* no context to judge against (the plan stage reports it) */
    da_strlist reported = {0};
    const char *last_module = NULL; /* records of one module often follow each other */
    for (size_t i = 0; i < s->len; i++) {
        const da_import *r = &s->items[i];
        /* settings strings name the project's own apps; whether their files are copied
         * is judged on the imports */
        if (r->kind == DA_IMPORT_KIND_STRING || r->kind == DA_IMPORT_KIND_USAGE)
            continue;
        if (r->klass != DA_CLASS_FIRST_PARTY || r->level > 0 || !audit_record_runtime(c, i))
            continue;
        if (last_module && strcmp(last_module, r->module) == 0)
            continue;
        last_module = r->module;
        char *file = audit_graph_module_file(c->graph, r->module);
        if (!file)
            continue;
        char *rel = context_relative(ctx, file);
        char *why = NULL;
        const da_ignore_rule *rule = NULL;
        char *in_image = rel ? da_image_path_of(p, c->in->ignore, rel, &rule) : NULL;
        if (!rel)
            why = da_xstrdup("it lies outside the build context");
        else if (rule)
            why = da_xasprintf("%s:%d (`%s%s`) leaves it out of the build context",
                               c->in->ignore->file, rule->line, rule->negate ? "!" : "",
                               rule->pattern);
        else if (!in_image)
            why = da_xstrdup("no COPY or ADD of the final stage brings it in");
        free(in_image);
        if (why && !da_strlist_contains(&reported, file) &&
            !audit_suppressed(c, DA008_FIRST_PARTY_NOT_IN_IMAGE, r, r->module)) {
            da_strlist_push(&reported, file);
            char *path = da_audit_display_path(r->root, r->file, c->cwd);
            da_finding *x =
                audit_add_finding(c->out, DA008_FIRST_PARTY_NOT_IN_IMAGE, path, r->line, r->col);
            free(path);
            x->module = da_xstrdup(r->module);
            x->boot_path = audit_graph_boot_chain(c->graph, i, c->cwd, &x->chain, &x->nchain);
            char *shown = da_audit_display_path(NULL, file, c->cwd);
            audit_finding_set_message(
                x, "first-party `%s` (%s) is not in the image: %s%s%s%s%s", r->module, shown, why,
                x->boot_path ? "; the container crashes at start-up"
                             : "; fails when this module is first imported (not at start-up)",
                p->context_guessed ? "; but the build context is a guess (" : "",
                p->context_guessed && p->context_reason ? p->context_reason : "",
                p->context_guessed ? "): name it with --context" : "");
            /* an error only when it fails as the container starts and the context is known */
            if (!x->boot_path || p->context_guessed)
                x->severity = DA_SEVERITY_WARNING;
            if (p->context_guessed)
                x->certainty = DA_CERTAINTY_UNVERIFIED;
            x->python_error = da_xasprintf("ModuleNotFoundError: No module named '%s'", r->module);
            free(shown);
        }
        free(why);
        free(rel);
        free(file);
    }
    da_strlist_free(&reported);
}
