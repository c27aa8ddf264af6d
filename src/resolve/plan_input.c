#include "depaudit/install_plan.h"
#include "depaudit/pep.h"
#include "depaudit/resolve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* From the image model to resolver steps. The plan knows which distributions the base
 * image ships but not their versions; the versions below are those the image's Python
 * bundles with ensurepip (the official images start from them), and the assumption is
 * written into the notes so reports can say so. */

typedef struct bundled {
    int minor;
    const char *pip, *setuptools, *wheel;
} bundled;

static const bundled bundled_versions[] = {
    {7, "23.0.1", "57.5.0", "0.40.0"}, {8, "23.0.1", "57.5.0", "0.42.0"},
    {9, "23.0.1", "58.1.0", "0.42.0"}, {10, "23.0.1", "65.5.0", "0.42.0"},
    {11, "24.0", "65.5.1", "0.42.0"},  {12, "24.0", "69.0.3", "0.42.0"},
    {13, "24.2", "74.1.2", "0.44.0"},  {14, "25.2", "80.9.0", "0.45.1"},
};

static const char *bundled_version(int minor, const char *name)
{
    const bundled *b = &bundled_versions[sizeof(bundled_versions) / sizeof(*b) - 1];
    for (size_t i = 0; i < sizeof(bundled_versions) / sizeof(*b); i++)
        if (bundled_versions[i].minor == minor)
            b = &bundled_versions[i];
    if (strcmp(name, "pip") == 0)
        return b->pip;
    if (strcmp(name, "setuptools") == 0)
        return b->setuptools;
    if (strcmp(name, "wheel") == 0)
        return b->wheel;
    return NULL;
}

static void binary_policy(const da_strlist *given, bool *all, da_strlist *names)
{
    for (size_t i = 0; i < given->len; i++) {
        const char *v = given->items[i];
        if (strcmp(v, ":all:") == 0)
            *all = true;
        else if (strcmp(v, ":none:") == 0) {
            *all = false;
            da_strlist_free(names);
        } else
            da_strlist_push_owned(names, da_name_normalize(v));
    }
}

/* Whether a requirement is an exact pin of a lock (`name==version`, from a lock file or a
 * pinned export). */
static bool is_lock_pin(const da_plan_requirement *r)
{
    if (r->kind != DA_REQ_NAMED || !r->parsed || r->lock == DA_LOCK_NONE || r->parsed->url)
        return false;
    const char *s = r->parsed->specifier_text;
    return s && strncmp(s, "==", 2) == 0 && s[2] != '=' && !strchr(s, ',') && !strchr(s, '*');
}

/* A locked op's pins as a locked step (installed as they are); anything else it asks for
 * follows as an ordinary step, pinned by them. Returns whether it was one. */
static bool add_locked(const da_install_op *op, da_resolve_input *in)
{
    size_t pins = 0;
    for (size_t i = 0; i < op->nreqs; i++)
        pins += is_lock_pin(&op->reqs[i]);
    if (!op->locked || op->kind == DA_OP_UNINSTALL || (pins == 0 && op->kind != DA_OP_SYNC))
        return false;
    da_resolve_step *s = da_resolve_input_add_step(in, DA_STEP_INSTALL, op->file, op->line);
    s->locked = true;
    s->sync = op->kind == DA_OP_SYNC;
    for (size_t i = 0; i < op->nreqs; i++) {
        const da_plan_requirement *r = &op->reqs[i];
        if (is_lock_pin(r))
            da_resolve_step_add_pin(s, r->text, r->where.file, r->where.line, r->where.col,
                                    r->lock == DA_LOCK_TRANSITIVE ? &r->required_by : NULL);
    }
    return true;
}

static void add_op(const da_install_op *op, da_resolve_input *in)
{
    da_resolve_step_kind kind = op->kind == DA_OP_UNINSTALL ? DA_STEP_UNINSTALL : DA_STEP_INSTALL;
    bool locked = add_locked(op, in);
    size_t rest = 0;
    for (size_t i = 0; i < op->nreqs; i++)
        rest += !(locked && is_lock_pin(&op->reqs[i]));
    if (locked && rest == 0)
        return;
    da_resolve_step *s = da_resolve_input_add_step(in, kind, op->file, op->line);
    s->no_deps = op->no_deps;
    s->pre = op->pre;
    s->upgrade = op->upgrade;
    s->force_reinstall = op->force_reinstall || op->ignore_installed;
    binary_policy(&op->only_binary, &s->only_binary_all, &s->only_binary);
    binary_policy(&op->no_binary, &s->no_binary_all, &s->no_binary);
    if (op->kind == DA_OP_SYNC) {
        /* a sync installs its list as given (a lock file: no dependency resolution) and
         * removes everything else */
        s->sync = true;
        s->no_deps = true;
    }
    for (size_t i = 0; i < op->nreqs; i++) {
        const da_plan_requirement *r = &op->reqs[i];
        if (locked && is_lock_pin(r)) {
            /* installed by the locked step: what else the op asks for keeps its version */
            da_resolve_step_add_constraint(s, r->text, r->where.file, r->where.line, r->where.col);
            continue;
        }
        if (r->kind == DA_REQ_NAMED) {
            da_resolve_step_add_req(s, r->text, r->where.file, r->where.line, r->where.col);
            continue;
        }
        const char *what = r->kind == DA_REQ_LOCAL_PATH ? "local path"
                           : r->kind == DA_REQ_URL      ? "URL"
                                                        : "invalid requirement";
        da_strlist_push_owned(&in->notes,
                              da_xasprintf("%s:%d: %s '%s' is not resolved (its name and "
                                           "requirements are unknown before it is built)",
                                           r->where.file, r->where.line, what, r->text));
    }
    for (size_t i = 0; i < op->nconstraints; i++) {
        const da_plan_requirement *r = &op->constraints[i];
        if (r->kind == DA_REQ_NAMED)
            da_resolve_step_add_constraint(s, r->text, r->where.file, r->where.line, r->where.col);
    }
}

int da_resolve_input_from_plan(const struct da_install_plan *plan, da_resolve_input *in,
                               da_error *err)
{
    (void)err;
    da_resolve_input_init(in);
    in->target = plan->target;
    for (size_t i = 0; i < plan->npreinstalled; i++) {
        const char *name = plan->preinstalled[i].name;
        const char *v = bundled_version(plan->target.py_minor, name);
        if (!v) {
            da_strlist_push_owned(&in->notes,
                                  da_xasprintf("preinstalled %s: version unknown, left out", name));
            continue;
        }
        da_resolve_input_add_preinstalled(in, name, v, plan->python_from_file,
                                          plan->python_from_line);
        da_strlist_push_owned(&in->notes,
                              da_xasprintf("assumed the base image's %s is %s (what Python "
                                           "%d.%d bundles)",
                                           name, v, plan->target.py_major, plan->target.py_minor));
    }
    for (size_t i = 0; i < plan->nfinal_ops; i++)
        add_op(&plan->ops[plan->final_ops[i]], in);
    return 0;
}

/* Whether url can be asked as an index: http(s), no variable left unexpanded. */
static bool askable_index(const da_install_op *op, const char *url, da_strlist *warnings)
{
    if ((da_str_starts_with(url, "http://") || da_str_starts_with(url, "https://")) &&
        !strchr(url, '$'))
        return true;
    char *shown = da_url_hide_credentials(url, DA_URL_REDACT);
    da_strlist_push_owned(warnings,
                          da_xasprintf("%s:%d: warning: the install names the index %s, which "
                                       "cannot be asked from here (not an http(s) URL, or a "
                                       "variable the Dockerfile does not set); give it with "
                                       "--index-url to resolve against it",
                                       op->file ? op->file : "Dockerfile", op->line, shown));
    free(shown);
    return false;
}

void da_plan_indexes(const struct da_install_plan *plan, char **index_url, da_strlist *extras,
                     da_strlist *warnings)
{
    *index_url = NULL;
    for (size_t k = 0; plan && k < plan->nfinal_ops; k++) {
        const da_install_op *op = &plan->ops[plan->final_ops[k]];
        if (op->index_url && askable_index(op, op->index_url, warnings)) {
            if (!*index_url)
                *index_url = da_xstrdup(op->index_url);
            else if (strcmp(*index_url, op->index_url) != 0 &&
                     !da_strlist_contains(extras, op->index_url))
                da_strlist_push(extras, op->index_url);
        }
        for (size_t i = 0; i < op->extra_index_urls.len; i++) {
            const char *u = op->extra_index_urls.items[i];
            if (askable_index(op, u, warnings) && !da_strlist_contains(extras, u))
                da_strlist_push(extras, u);
        }
    }
}
