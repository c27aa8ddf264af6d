/* Which installs reach the final image and where their files land there (through the
 * FROM chain and every COPY --from), whether that place is on the interpreter's import
 * path, and the first-party paths the final image holds. */
#include "image/plan/plan_model.h"

#include "depaudit/util.h"
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
    pl_name_index seen; /* "op:path": one entry however many ways it lands there */
} landed_list;

static void landed_free(landed_list *l)
{
    for (size_t i = 0; i < l->len; i++) {
        free(l->items[i].path);
        free(l->items[i].via);
    }
    free(l->items);
    pl_index_free(&l->seen);
    memset(l, 0, sizeof(*l));
}

/* Every stage's landed installs, computed in stage order: a stage builds on its base's
 * list and on the lists of the stages it copies from, all earlier ones, so each list is
 * made once and a chain of any length is followed. The total is capped (a warning says
 * so) against inputs that copy everything everywhere. */
enum { MAX_LANDED = 1000000 };

static void push_landed(pl_builder *b, landed_list *out, size_t *total, landed l)
{
    char *key = da_xasprintf("%zu:%s", l.op, l.path);
    size_t at;
    bool dup = pl_index_get(&out->seen, key, &at);
    if (!dup)
        pl_index_set(&out->seen, key, out->len);
    free(key);
    if (dup) {
        free(l.path);
        free(l.via);
        return;
    }
    if (++*total > MAX_LANDED) {
        if (!b->budget_warned) {
            b->budget_warned = true;
            pl_warn(b, 0,
                    "the stages copy from each other too many times to follow completely: "
                    "the plan may be incomplete");
        }
        free(l.path);
        free(l.via);
        return;
    }
    DA_PUSH(out->items, out->len, out->cap, l);
}

static void stage_landed(pl_builder *b, int s, landed_list *lists, size_t *total)
{
    const pl_stage *st = &b->stages[s];
    landed_list *out = &lists[s];
    if (st->base_stage >= 0 && st->base_stage < s) {
        const landed_list *base = &lists[st->base_stage];
        for (size_t i = 0; i < base->len; i++) {
            landed l = {base->items[i].op, da_xstrdup(base->items[i].path),
                        base->items[i].via ? da_xstrdup(base->items[i].via) : NULL};
            push_landed(b, out, total, l);
        }
    }
    for (size_t e = 0; e < st->nevents; e++) {
        const pl_event *ev = &st->events[e];
        if (!ev->is_copy) {
            landed l = {ev->index, pl_op_root(&b->plan->ops[ev->index]), NULL};
            push_landed(b, out, total, l);
            continue;
        }
        const pl_copy *cp = &st->copies[ev->index];
        if (cp->from_stage < 0 || cp->from_stage >= s)
            continue;
        const landed_list *src = &lists[cp->from_stage];
        for (size_t i = 0; i < src->len; i++) {
            const char *rest;
            char *np = NULL;
            if (pl_path_under(src->items[i].path, cp->src, &rest))
                np = pl_join2(cp->dst, rest);
            else if (pl_path_under(cp->src, src->items[i].path, &rest))
                np = da_xstrdup(cp->dst); /* a part of it, e.g. only site-packages */
            if (!np)
                continue;
            landed l = {src->items[i].op, np,
                        da_xasprintf("%s (%s:%d)", cp->text, b->df.path, cp->line)};
            push_landed(b, out, total, l);
        }
    }
}

/* The final stage's landed installs (moved into *out). */
static void effective(pl_builder *b, int final, landed_list *out)
{
    landed_list *lists = da_xcalloc((size_t) final + 1, sizeof(*lists));
    size_t total = 0;
    for (int s = 0; s <= final; s++)
        stage_landed(b, s, lists, &total);
    *out = lists[final];
    pl_index_free(&out->seen);
    for (int s = 0; s < final; s++)
        landed_free(&lists[s]);
    free(lists);
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

/* The final image's variables check_importable reads, looked up once. */
typedef struct final_env {
    const char *pythonpath, *path, *virtual_env;
} final_env;

static void check_importable(pl_builder *b, const da_install_op *op, const char *path,
                             const final_env *fe)
{
    const da_install_plan *p = b->plan;
    const char *pythonpath = fe->pythonpath;
    const char *path_env = fe->path;
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
        const char *venv = fe->virtual_env;
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
    final_env fe = {da_install_plan_env(p, "PYTHONPATH"), da_install_plan_env(p, "PATH"),
                    da_install_plan_env(p, "VIRTUAL_ENV")};
    effective(b, p->final_stage, &fin);
    for (size_t i = 0; i < fin.len; i++) {
        da_install_op *op = &p->ops[fin.items[i].op];
        if (op->reaches_final) /* landed by more than one way: counted once */
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
        check_importable(b, op, fin.items[i].path, &fe);
    }
    bool *copied_from = da_xcalloc(b->nstages + 1, sizeof(bool));
    for (size_t s = 0; s < b->nstages; s++)
        for (size_t c = 0; c < b->stages[s].ncopies; c++)
            if (b->stages[s].copies[c].from_stage >= 0 &&
                (size_t)b->stages[s].copies[c].from_stage < b->nstages)
                copied_from[b->stages[s].copies[c].from_stage] = true;
    for (size_t i = 0; i < p->nops; i++) {
        da_install_op *op = &p->ops[i];
        if (op->reaches_final)
            continue;
        const char *sname = p->stages[op->stage].name;
        bool copied = copied_from[op->stage];
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
    free(copied_from);
    landed_free(&fin);
}

/* ---- first-party paths ------------------------------------------------------------------ */

/* The context paths each stage holds, in stage order like the landed installs. */
typedef struct copied_list {
    da_copied_path *items;
    size_t len, cap;
    pl_name_index seen; /* "source>dest": once */
} copied_list;

static void copied_free(copied_list *l)
{
    for (size_t k = 0; k < l->len; k++) {
        free(l->items[k].source);
        free(l->items[k].dest);
        free(l->items[k].from_stage);
        free(l->items[k].file);
    }
    free(l->items);
    pl_index_free(&l->seen);
    memset(l, 0, sizeof(*l));
}

static bool push_copied(pl_builder *b, copied_list *out, size_t *total, da_copied_path c)
{
    char *key = da_xasprintf("%s>%s", c.source, c.dest);
    size_t at;
    bool dup = pl_index_get(&out->seen, key, &at);
    if (!dup)
        pl_index_set(&out->seen, key, out->len);
    free(key);
    if (dup || ++*total > MAX_LANDED) {
        if (dup) {
            free(c.source);
            free(c.dest);
            free(c.from_stage);
            free(c.file);
            return false;
        }
        if (!b->budget_warned) {
            b->budget_warned = true;
            pl_warn(b, 0,
                    "the stages copy from each other too many times to follow completely: "
                    "the plan may be incomplete");
        }
        free(c.source);
        free(c.dest);
        free(c.from_stage);
        free(c.file);
        return false;
    }
    DA_PUSH(out->items, out->len, out->cap, c);
    return true;
}

/* A copy from another stage: the context paths of that stage it takes, where they land. */
static void copied_through(pl_builder *b, const pl_copy *cp, const copied_list *inner,
                           copied_list *out, size_t *total)
{
    const pl_stage *from = &b->stages[cp->from_stage];
    for (size_t k = 0; k < inner->len; k++) {
        const char *rest;
        char *src = NULL, *dst = NULL;
        if (pl_path_under(inner->items[k].dest, cp->src, &rest)) {
            src = da_xstrdup(inner->items[k].source);
            dst = pl_join2(cp->dst, rest);
        } else if (pl_path_under(cp->src, inner->items[k].dest, &rest)) {
            src = pl_join2(inner->items[k].source, rest);
            dst = da_xstrdup(cp->dst);
        }
        if (!src)
            continue;
        char *fs = from->name ? da_xstrdup(from->name) : da_xasprintf("%d", from->index);
        da_copied_path c = {src, dst, fs, da_xstrdup(b->df.path), cp->line};
        push_copied(b, out, total, c);
    }
}

static void stage_copies(pl_builder *b, int s, copied_list *lists, size_t *total)
{
    const pl_stage *st = &b->stages[s];
    copied_list *out = &lists[s];
    if (st->base_stage >= 0 && st->base_stage < s) {
        const copied_list *base = &lists[st->base_stage];
        for (size_t k = 0; k < base->len; k++) {
            const da_copied_path *c = &base->items[k];
            da_copied_path d = {da_xstrdup(c->source), da_xstrdup(c->dest),
                                c->from_stage ? da_xstrdup(c->from_stage) : NULL,
                                da_xstrdup(c->file), c->line};
            push_copied(b, out, total, d);
        }
    }
    for (size_t i = 0; i < st->ncopies; i++) {
        const pl_copy *cp = &st->copies[i];
        if (cp->heredoc || cp->from_stage == PL_FROM_IMAGE || cp->from_stage >= s)
            continue;
        if (cp->from_stage == PL_FROM_CONTEXT) {
            da_copied_path c = {da_xstrdup(cp->src), da_xstrdup(cp->dst), NULL,
                                da_xstrdup(b->df.path), cp->line};
            push_copied(b, out, total, c);
            continue;
        }
        copied_through(b, cp, &lists[cp->from_stage], out, total);
    }
}

void pl_collect_copied_paths(pl_builder *b)
{
    int final = b->plan->final_stage;
    copied_list *lists = da_xcalloc((size_t) final + 1, sizeof(*lists));
    size_t total = 0;
    for (int s = 0; s <= final; s++)
        stage_copies(b, s, lists, &total);
    b->plan->copies = lists[final].items;
    b->plan->ncopies = lists[final].len;
    pl_index_free(&lists[final].seen);
    for (int s = 0; s < final; s++)
        copied_free(&lists[s]);
    free(lists);
}
