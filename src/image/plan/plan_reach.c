/* Which installs reach the final image and where their files land there (through the
 * FROM chain and every COPY --from), whether that place is on the interpreter's import
 * path, and the first-party paths the final image holds. */
#include "image/plan/plan_model.h"

#include "image/push.h"
#include "image/requirements/requirement_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reachability ---------------------------------------------------------------------- */

typedef struct landed {
    size_t op;
    char *path; /* the install root's path in the stage */
    char *via;  /* the COPY that brought it, NULL if installed in the stage (chain) */
} landed;

typedef struct landed_list {
    landed *items;
    size_t len, cap;
} landed_list;

static void landed_free(landed_list *l)
{
    for (size_t i = 0; i < l->len; i++) {
        free(l->items[i].path);
        free(l->items[i].via);
    }
    free(l->items);
    memset(l, 0, sizeof(*l));
}

static void effective(pl_builder *b, int s, landed_list *out, int depth)
{
    if (depth > 64 || !pl_spend(b))
        return;
    const pl_stage *st = &b->stages[s];
    if (st->base_stage >= 0) {
        landed_list base = {0};
        effective(b, st->base_stage, &base, depth + 1);
        for (size_t i = 0; i < base.len; i++) {
            landed l = {base.items[i].op, da_xstrdup(base.items[i].path),
                        base.items[i].via ? da_xstrdup(base.items[i].via) : NULL};
            DA_PUSH(out->items, out->len, out->cap, l);
        }
        landed_free(&base);
    }
    for (size_t e = 0; e < st->nevents; e++) {
        const pl_event *ev = &st->events[e];
        if (!ev->is_copy) {
            landed l = {ev->index, pl_op_root(&b->plan->ops[ev->index]), NULL};
            DA_PUSH(out->items, out->len, out->cap, l);
            continue;
        }
        const pl_copy *cp = &st->copies[ev->index];
        if (cp->from_stage < 0)
            continue;
        landed_list src = {0};
        effective(b, cp->from_stage, &src, depth + 1);
        for (size_t i = 0; i < src.len; i++) {
            const char *rest;
            char *np = NULL;
            if (pl_path_under(src.items[i].path, cp->src, &rest))
                np = pl_join2(cp->dst, rest);
            else if (pl_path_under(cp->src, src.items[i].path, &rest))
                np = da_xstrdup(cp->dst); /* a part of it, e.g. only site-packages */
            if (!np)
                continue;
            landed l = {src.items[i].op, np,
                        da_xasprintf("%s (%s:%d)", cp->text, b->df.path, cp->line)};
            DA_PUSH(out->items, out->len, out->cap, l);
        }
        landed_free(&src);
    }
}

static bool on_path_list(const char *list, const char *dir)
{
    if (!list)
        return false;
    char *copy = da_xstrdup(list);
    char *save = NULL;
    bool found = false;
    for (char *t = strtok_r(copy, ":", &save); t && !found; t = strtok_r(NULL, ":", &save)) {
        char *norm = rt_join_path(NULL, t);
        found = strcmp(norm, dir) == 0;
        free(norm);
    }
    free(copy);
    return found;
}

/* The project tool a CMD/ENTRYPOINT runs through (`uv run ...`, `poetry run ...`, also in a
 * shell form's script), which runs in that project's virtualenv; NULL if none. */
static const char *runs_through(const da_strlist *argv)
{
    static const char *const tools[] = {"uv", "poetry", "pdm", "pipenv"};
    const char *first = NULL, *second = NULL;
    char *script = NULL;
    if (argv->len >= 3 && strcmp(argv->items[argv->len - 2], "-c") == 0) {
        script = da_xstrdup(argv->items[argv->len - 1]);
        char *save = NULL;
        first = strtok_r(script, " \t\n", &save);
        if (first && strcmp(first, "exec") == 0)
            first = strtok_r(NULL, " \t\n", &save);
        second = first ? strtok_r(NULL, " \t\n", &save) : NULL;
    } else if (argv->len >= 2) {
        first = argv->items[0];
        second = argv->items[1];
    }
    const char *tool = NULL;
    for (size_t i = 0; first && second && i < 4; i++)
        if (strcmp(rt_base_name(first), tools[i]) == 0 && strcmp(second, "run") == 0)
            tool = tools[i];
    free(script);
    return tool;
}

static void check_importable(pl_builder *b, const da_install_op *op, const char *path)
{
    const da_install_plan *p = b->plan;
    const char *pythonpath = da_install_plan_env(p, "PYTHONPATH");
    const char *path_env = da_install_plan_env(p, "PATH");
    char site[128];
    snprintf(site, sizeof(site), "lib/python%d.%d/site-packages", p->target.py_major,
             p->target.py_minor);
    const char *rest;
    if (strcmp(path, "/usr/local") == 0 || strcmp(path, "/usr") == 0 ||
        pl_path_under(path, "/usr/local/lib", &rest))
        return;
    if (on_path_list(pythonpath, path))
        return;
    char *sp = pl_join2(path, site);
    bool ok = on_path_list(pythonpath, sp);
    free(sp);
    if (ok)
        return;
    if (op->dest == DA_DEST_VENV ||
        (op->dest == DA_DEST_PREFIX && pl_find_venv(b, p->final_stage, path))) {
        char *bin = pl_join2(path, "bin");
        bool used = on_path_list(path_env, bin);
        const char *venv = da_install_plan_env(p, "VIRTUAL_ENV");
        if (venv && strcmp(venv, path) == 0)
            used = true;
        const da_strlist *argv = p->entrypoint.len ? &p->entrypoint : &p->cmd;
        if (argv->len && da_str_starts_with(argv->items[0], bin))
            used = true;
        /* `uv run`/`poetry run`/... from inside the project uses the venv it made */
        const char *below;
        char *project = rt_dir_of(path);
        if (runs_through(argv) && p->workdir && pl_path_under(p->workdir, project, &below))
            used = true;
        free(project);
        free(bin);
        if (used)
            return;
        pl_warn(b, op->line,
                "the virtualenv %s reaches the final image, but neither is its bin on PATH nor "
                "does CMD/ENTRYPOINT run its python: these packages are not imported",
                path);
        return;
    }
    if (op->dest == DA_DEST_USER && da_str_ends_with(path, "/.local"))
        return;
    pl_warn(b, op->line,
            "packages installed by this command land in %s in the final image, which is not on "
            "the interpreter's import path (PYTHONPATH does not name it)",
            path);
}

void pl_compute_reach(pl_builder *b)
{
    da_install_plan *p = b->plan;
    landed_list fin = {0};
    b->budget = PL_WALK_BUDGET;
    effective(b, p->final_stage, &fin, 0);
    for (size_t i = 0; i < fin.len; i++) {
        da_install_op *op = &p->ops[fin.items[i].op];
        bool dup = false;
        for (size_t k = 0; k < p->nfinal_ops; k++)
            if (p->final_ops[k] == fin.items[i].op)
                dup = true;
        if (dup)
            continue;
        DA_APPEND(p->final_ops, p->nfinal_ops, fin.items[i].op);
        op->reaches_final = true;
        free(op->reach);
        if (fin.items[i].via)
            op->reach = da_xstrdup(fin.items[i].via);
        else if (op->stage == p->final_stage)
            op->reach = da_xstrdup("final stage");
        else
            op->reach =
                da_xasprintf("stage %s is the base of the final stage",
                             p->stages[op->stage].name ? p->stages[op->stage].name : "(unnamed)");
        check_importable(b, op, fin.items[i].path);
    }
    for (size_t i = 0; i < p->nops; i++) {
        da_install_op *op = &p->ops[i];
        if (op->reaches_final)
            continue;
        const char *sname = p->stages[op->stage].name;
        bool copied = false;
        for (size_t s = 0; s < b->nstages; s++)
            for (size_t c = 0; c < b->stages[s].ncopies; c++)
                if (b->stages[s].copies[c].from_stage == op->stage)
                    copied = true;
        free(op->reach);
        char *root = pl_op_root(op);
        if (op->stage > p->final_stage && !copied)
            op->reach =
                da_xasprintf("stage %s comes after the target stage", sname ? sname : "(unnamed)");
        else if (copied)
            op->reach = da_xasprintf("stage %s is copied from, but not its %s",
                                     sname ? sname : "(unnamed)", root);
        else
            op->reach = da_xasprintf("stage %s is never copied into the final image",
                                     sname ? sname : "(unnamed)");
        pl_warn(b, op->line, "this %s does not reach the final image: %s",
                op->kind == DA_OP_UNINSTALL ? "uninstall" : "install", op->reach);
        free(root);
    }
    landed_free(&fin);
}

/* ---- first-party paths ------------------------------------------------------------------ */

static void context_copies(pl_builder *b, int s, da_copied_path **out, size_t *n, int depth)
{
    if (depth > 64 || !pl_spend(b))
        return;
    const pl_stage *st = &b->stages[s];
    if (st->base_stage >= 0)
        context_copies(b, st->base_stage, out, n, depth + 1);
    for (size_t i = 0; i < st->ncopies; i++) {
        const pl_copy *cp = &st->copies[i];
        if (cp->heredoc || cp->from_stage == PL_FROM_IMAGE)
            continue;
        if (cp->from_stage == PL_FROM_CONTEXT) {
            da_copied_path c = {da_xstrdup(cp->src), da_xstrdup(cp->dst), NULL,
                                da_xstrdup(b->df.path), cp->line};
            DA_APPEND(*out, *n, c);
            continue;
        }
        da_copied_path *inner = NULL;
        size_t ninner = 0;
        context_copies(b, cp->from_stage, &inner, &ninner, depth + 1);
        const pl_stage *from = &b->stages[cp->from_stage];
        for (size_t k = 0; k < ninner; k++) {
            const char *rest;
            char *src = NULL, *dst = NULL;
            if (pl_path_under(inner[k].dest, cp->src, &rest)) {
                src = da_xstrdup(inner[k].source);
                dst = pl_join2(cp->dst, rest);
            } else if (pl_path_under(cp->src, inner[k].dest, &rest)) {
                src = pl_join2(inner[k].source, rest);
                dst = da_xstrdup(cp->dst);
            }
            if (src) {
                char *fs = from->name ? da_xstrdup(from->name) : da_xasprintf("%d", from->index);
                da_copied_path c = {src, dst, fs, da_xstrdup(b->df.path), cp->line};
                DA_APPEND(*out, *n, c);
            }
            free(inner[k].source);
            free(inner[k].dest);
            free(inner[k].from_stage);
            free(inner[k].file);
        }
        free(inner);
    }
}

void pl_collect_copied_paths(pl_builder *b)
{
    b->budget = PL_WALK_BUDGET;
    context_copies(b, b->plan->final_stage, &b->plan->copies, &b->plan->ncopies, 0);
}
