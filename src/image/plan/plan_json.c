/* The plan as JSON, in a fixed key order (the golden tests diff it). Only options that
 * differ from pip's defaults are written, so each golden file reads as the specification
 * of its case. */
#include "depaudit/install_plan.h"
#include "depaudit/util_json.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

static const char *kind_name(da_req_kind k)
{
    switch (k) {
    case DA_REQ_NAMED:
        return "named";
    case DA_REQ_LOCAL_PATH:
        return "local-path";
    case DA_REQ_URL:
        return "url";
    case DA_REQ_INVALID:
        return "invalid";
    }
    return "?";
}

static const char *op_kind_name(da_op_kind k)
{
    return k == DA_OP_INSTALL ? "install" : k == DA_OP_UNINSTALL ? "uninstall" : "sync";
}

static cJSON *requirement(const da_plan_requirement *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "text", r->text);
    cJSON_AddStringToObject(o, "kind", kind_name(r->kind));
    if (r->parsed) {
        cJSON_AddStringToObject(o, "name", r->parsed->normalized);
        if (r->parsed->extras.len)
            cJSON_AddItemToObject(o, "extras", da_json_strlist(&r->parsed->extras));
        if (r->parsed->specifier_text && r->parsed->specifier_text[0])
            cJSON_AddStringToObject(o, "specifier", r->parsed->specifier_text);
        if (r->parsed->url)
            cJSON_AddStringToObject(o, "url", r->parsed->url);
        if (r->parsed->marker_text)
            cJSON_AddStringToObject(o, "marker", r->parsed->marker_text);
    }
    if (r->path)
        cJSON_AddStringToObject(o, r->kind == DA_REQ_URL ? "url" : "path", r->path);
    if (r->editable)
        cJSON_AddBoolToObject(o, "editable", true);
    if (r->expanded)
        cJSON_AddBoolToObject(o, "expanded", true);
    cJSON_AddStringToObject(o, "origin", da_req_origin_name(r->origin));
    char where[700];
    snprintf(where, sizeof(where), "%s:%d:%d", r->where.file ? r->where.file : "", r->where.line,
             r->where.col);
    cJSON_AddStringToObject(o, "at", where);
    cJSON *span = cJSON_CreateArray();
    cJSON_AddItemToArray(span, cJSON_CreateNumber((double)r->where.start));
    cJSON_AddItemToArray(span, cJSON_CreateNumber((double)r->where.end));
    cJSON_AddItemToObject(o, "span", span);
    cJSON_AddNumberToObject(o, "list", (double)r->list);
    if (r->via)
        cJSON_AddStringToObject(o, "via", r->via);
    if (r->group)
        cJSON_AddStringToObject(o, "group", r->group);
    if (r->hashes.len)
        cJSON_AddNumberToObject(o, "hashes", (double)r->hashes.len);
    if (r->lock)
        cJSON_AddStringToObject(o, "lock", da_lock_role_name(r->lock));
    if (r->required_by.len)
        cJSON_AddItemToObject(o, "required_by", da_json_strlist(&r->required_by));
    if (r->shell) {
        const da_shell_specifier *sh = r->shell;
        cJSON *j = cJSON_AddObjectToObject(o, "shell");
        cJSON_AddStringToObject(j, "effect", da_shell_effect_name(sh->effect));
        cJSON_AddStringToObject(j, "consumed", sh->consumed);
        cJSON_AddStringToObject(j, "file", sh->file);
        cJSON_AddStringToObject(j, "dir", sh->dir);
        cJSON_AddStringToObject(j, "intended", sh->intended);
        if (sh->quoted)
            cJSON_AddStringToObject(j, "fix", sh->quoted);
        else
            cJSON_AddNullToObject(j, "fix");
        cJSON *sp = cJSON_AddArrayToObject(j, "span");
        cJSON_AddItemToArray(sp, cJSON_CreateNumber((double)sh->span.start));
        cJSON_AddItemToArray(sp, cJSON_CreateNumber((double)sh->span.end));
    }
    return o;
}

static cJSON *operation(const da_install_plan *p, size_t idx)
{
    const da_install_op *op = &p->ops[idx];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "index", (double)idx);
    cJSON_AddStringToObject(o, "kind", op_kind_name(op->kind));
    cJSON_AddStringToObject(o, "tool", op->tool);
    cJSON_AddStringToObject(o, "command", op->command);
    char at[600];
    snprintf(at, sizeof(at), "%s:%d", op->file, op->line);
    cJSON_AddStringToObject(o, "at", at);
    cJSON_AddNumberToObject(o, "run_line", op->run_line);
    const da_plan_stage *st = &p->stages[op->stage];
    if (st->name)
        cJSON_AddStringToObject(o, "stage", st->name);
    else
        cJSON_AddNumberToObject(o, "stage", op->stage);
    cJSON *dest = cJSON_CreateObject();
    cJSON_AddStringToObject(dest, "kind", da_dest_kind_name(op->dest));
    if (op->dest_path)
        cJSON_AddStringToObject(dest, "path", op->dest_path);
    cJSON_AddItemToObject(o, "destination", dest);
    if (op->locked) {
        cJSON_AddBoolToObject(o, "locked", true);
        cJSON_AddStringToObject(o, "lock_file", op->lock_file ? op->lock_file : "");
    }
    cJSON_AddBoolToObject(o, "reaches_final", op->reaches_final);
    if (op->reach)
        cJSON_AddStringToObject(o, "reach", op->reach);
    cJSON *opts = cJSON_CreateObject();
    if (op->no_deps)
        cJSON_AddBoolToObject(opts, "no_deps", true);
    if (op->pre)
        cJSON_AddBoolToObject(opts, "pre", true);
    if (op->upgrade)
        cJSON_AddBoolToObject(opts, "upgrade", true);
    if (op->force_reinstall)
        cJSON_AddBoolToObject(opts, "force_reinstall", true);
    if (op->ignore_installed)
        cJSON_AddBoolToObject(opts, "ignore_installed", true);
    if (op->no_index)
        cJSON_AddBoolToObject(opts, "no_index", true);
    if (op->require_hashes)
        cJSON_AddBoolToObject(opts, "require_hashes", true);
    if (op->only_binary.len)
        cJSON_AddItemToObject(opts, "only_binary", da_json_strlist(&op->only_binary));
    if (op->no_binary.len)
        cJSON_AddItemToObject(opts, "no_binary", da_json_strlist(&op->no_binary));
    if (op->index_url)
        cJSON_AddStringToObject(opts, "index_url", op->index_url);
    if (op->extra_index_urls.len)
        cJSON_AddItemToObject(opts, "extra_index_urls", da_json_strlist(&op->extra_index_urls));
    if (op->find_links.len)
        cJSON_AddItemToObject(opts, "find_links", da_json_strlist(&op->find_links));
    if (op->python_version)
        cJSON_AddStringToObject(opts, "python_version", op->python_version);
    if (op->platforms.len)
        cJSON_AddItemToObject(opts, "platforms", da_json_strlist(&op->platforms));
    cJSON_AddItemToObject(o, "options", opts);
    cJSON *reqs = cJSON_CreateArray();
    for (size_t i = 0; i < op->nreqs; i++)
        cJSON_AddItemToArray(reqs, requirement(&op->reqs[i]));
    cJSON_AddItemToObject(o, "requirements", reqs);
    if (op->nconstraints) {
        cJSON *cons = cJSON_CreateArray();
        for (size_t i = 0; i < op->nconstraints; i++)
            cJSON_AddItemToArray(cons, requirement(&op->constraints[i]));
        cJSON_AddItemToObject(o, "constraints", cons);
    }
    if (op->first_party.len)
        cJSON_AddItemToObject(o, "first_party", da_json_strlist(&op->first_party));
    return o;
}

static cJSON *argv_json(const da_strlist *argv, bool shell, const char *file, int line)
{
    if (line == 0)
        return cJSON_CreateNull();
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "argv", da_json_strlist(argv));
    cJSON_AddBoolToObject(o, "shell_form", shell);
    char at[600];
    snprintf(at, sizeof(at), "%s:%d", file, line);
    cJSON_AddStringToObject(o, "at", at);
    return o;
}

/* The target: Python version and where it comes from, then the platform. */
static void add_target(cJSON *root, const da_install_plan *p)
{
    cJSON *py = cJSON_CreateObject();
    char ver[32];
    if (p->target.py_micro >= 0)
        snprintf(ver, sizeof(ver), "%d.%d.%d", p->target.py_major, p->target.py_minor,
                 p->target.py_micro);
    else
        snprintf(ver, sizeof(ver), "%d.%d", p->target.py_major, p->target.py_minor);
    cJSON_AddStringToObject(py, "version", ver);
    char at[600];
    snprintf(at, sizeof(at), "%s:%d", p->python_from_file ? p->python_from_file : "",
             p->python_from_line);
    cJSON_AddStringToObject(py, "from", at);
    cJSON_AddStringToObject(py, "base_image", p->base_image ? p->base_image : "");
    cJSON_AddBoolToObject(py, "default", p->python_default);
    cJSON_AddBoolToObject(py, "overridden", p->python_overridden);
    cJSON_AddItemToObject(root, "python", py);
    cJSON *plat = cJSON_CreateObject();
    cJSON_AddStringToObject(plat, "machine", p->target.machine);
    cJSON_AddStringToObject(plat, "libc", p->target.libc == DA_LIBC_MUSL ? "musl" : "glibc");
    char lv[32];
    snprintf(lv, sizeof(lv), "%d.%d", p->target.libc_major, p->target.libc_minor);
    cJSON_AddStringToObject(plat, "libc_version", lv);
    cJSON_AddItemToObject(root, "platform", plat);
}

static cJSON *stages_json(const da_install_plan *p)
{
    cJSON *stages = cJSON_CreateArray();
    for (size_t i = 0; i < p->nstages; i++) {
        const da_plan_stage *s = &p->stages[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "index", s->index);
        if (s->name)
            cJSON_AddStringToObject(o, "name", s->name);
        cJSON_AddStringToObject(o, "base", s->base);
        if (s->base_stage >= 0)
            cJSON_AddNumberToObject(o, "base_stage", s->base_stage);
        cJSON_AddNumberToObject(o, "line", s->line);
        if (s->is_final)
            cJSON_AddBoolToObject(o, "final", true);
        cJSON_AddItemToArray(stages, o);
    }
    return stages;
}

static cJSON *merged_json(const da_install_plan *p)
{
    cJSON *merged = cJSON_CreateArray();
    for (size_t i = 0; i < p->nmerged; i++) {
        const da_merged_requirement *m = &p->merged[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", m->name);
        cJSON *occ = cJSON_CreateArray();
        for (size_t k = 0; k < m->noccurrences; k++) {
            char s[900];
            snprintf(s, sizeof(s), "%s (%s:%d)", m->occurrences[k]->text,
                     m->occurrences[k]->where.file, m->occurrences[k]->where.line);
            cJSON_AddItemToArray(occ, cJSON_CreateString(s));
        }
        cJSON_AddItemToObject(o, "requested", occ);
        if (m->conflicting)
            cJSON_AddBoolToObject(o, "conflicting", true);
        if (m->uninstalled)
            cJSON_AddBoolToObject(o, "uninstalled", true);
        cJSON_AddItemToArray(merged, o);
    }
    return merged;
}

/* The paths copied in, the requirement lists (for the fixer), the warnings. */
static void add_copies_lists_warnings(cJSON *root, const da_install_plan *p)
{
    cJSON *copies = cJSON_CreateArray();
    for (size_t i = 0; i < p->ncopies; i++) {
        const da_copied_path *c = &p->copies[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "source", c->source);
        cJSON_AddStringToObject(o, "dest", c->dest);
        if (c->from_stage)
            cJSON_AddStringToObject(o, "via_stage", c->from_stage);
        cJSON_AddNumberToObject(o, "line", c->line);
        cJSON_AddItemToArray(copies, o);
    }
    cJSON_AddItemToObject(root, "copied", copies);
    cJSON *lists = cJSON_CreateArray();
    for (size_t i = 0; i < p->nlists; i++) {
        const da_req_list *l = &p->lists[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", l->file);
        cJSON_AddStringToObject(o, "style", l->style ? l->style : "");
        cJSON_AddNumberToObject(o, "insert_at", (double)l->insert_at);
        cJSON_AddNumberToObject(o, "insert_line", l->insert_line);
        cJSON_AddStringToObject(o, "separator", l->separator);
        cJSON_AddStringToObject(o, "quote", l->quote);
        cJSON_AddNumberToObject(o, "count", (double)l->count);
        cJSON_AddItemToArray(lists, o);
    }
    cJSON_AddItemToObject(root, "lists", lists);
    cJSON *warnings = cJSON_CreateArray();
    for (size_t i = 0; i < p->nwarnings; i++) {
        char s[1600];
        if (p->warnings[i].line > 0)
            snprintf(s, sizeof(s), "%s:%d: %s", p->warnings[i].file, p->warnings[i].line,
                     p->warnings[i].message);
        else
            snprintf(s, sizeof(s), "%s: %s", p->warnings[i].file, p->warnings[i].message);
        cJSON_AddItemToArray(warnings, cJSON_CreateString(s));
    }
    cJSON_AddItemToObject(root, "warnings", warnings);
}

char *da_install_plan_to_json(const da_install_plan *p)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "dockerfile", p->dockerfile);
    cJSON_AddStringToObject(root, "context", p->context_dir);
    if (p->context_reason)
        cJSON_AddStringToObject(root, "context_reason", p->context_reason);
    add_target(root, p);
    cJSON_AddItemToObject(root, "stages", stages_json(p));
    cJSON *ops = cJSON_CreateArray();
    for (size_t i = 0; i < p->nops; i++)
        cJSON_AddItemToArray(ops, operation(p, i));
    cJSON_AddItemToObject(root, "operations", ops);
    cJSON *fops = cJSON_CreateArray();
    for (size_t i = 0; i < p->nfinal_ops; i++)
        cJSON_AddItemToArray(fops, cJSON_CreateNumber((double)p->final_ops[i]));
    cJSON_AddItemToObject(root, "final_operations", fops);
    cJSON_AddItemToObject(root, "requirements", merged_json(p));
    cJSON *pre = cJSON_CreateArray();
    for (size_t i = 0; i < p->npreinstalled; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", p->preinstalled[i].name);
        cJSON_AddStringToObject(o, "reason", p->preinstalled[i].reason);
        cJSON_AddItemToArray(pre, o);
    }
    cJSON_AddItemToObject(root, "preinstalled", pre);
    cJSON_AddItemToObject(root, "entrypoint",
                          argv_json(&p->entrypoint, p->entrypoint_shell_form, p->entrypoint_file,
                                    p->entrypoint_line));
    cJSON_AddItemToObject(root, "cmd",
                          argv_json(&p->cmd, p->cmd_shell_form, p->cmd_file, p->cmd_line));
    cJSON *env = cJSON_CreateObject();
    for (size_t i = 0; i < p->nenv; i++)
        cJSON_AddStringToObject(env, p->env[i].name, p->env[i].value);
    cJSON_AddItemToObject(root, "env", env);
    cJSON_AddStringToObject(root, "workdir", p->workdir ? p->workdir : "/");
    add_copies_lists_warnings(root, p);
    char *txt = cJSON_Print(root);
    cJSON_Delete(root);
    char *out = da_xstrdup(txt);
    cJSON_free(txt);
    return out;
}
