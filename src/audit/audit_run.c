/* da_audit_run: builds the picture of the image, walks the boot path, runs every check. */
#include "audit_checks.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const da_audit_config default_config;

static void add_dist(audit_image *img, const char *name, const char *version,
                     const da_release *release, bool requested, bool preinstalled,
                     const da_resolved_dist *resolved)
{
    da_grow((void **)&img->dists, &img->cap, img->len + 1, sizeof(*img->dists));
    audit_dist *d = &img->dists[img->len++];
    d->name = name;
    d->version = version;
    d->release = release;
    d->requested = requested;
    d->preinstalled = preinstalled;
    d->resolved = resolved;
}

static const char *keep_name(da_strlist *pool, const char *name)
{
    char *n = audit_normalize(name);
    da_strlist_push_owned(pool, n);
    return n;
}

/* A distribution the image holds whose metadata the environment lacks (an assumed
 * version, the base image's copy, a declared base package): the look-up's release of that
 * version, else its best one (approximate: audit_dist_approximate says so), else none. */
static const da_release *fill_release(audit_ctx *c, const char *name, const char *version)
{
    const da_audit_lookup *lk = c->in->lookup;
    if (!lk || !lk->release)
        return NULL;
    da_release *r = lk->release(lk->ctx, name, version && *version ? version : NULL);
    if (r)
        DA_PUSH(c->owned_releases, c->nowned_releases, c->owned_cap, r);
    return r;
}

static void build_image(audit_ctx *c, da_strlist *pool)
{
    const da_audit_input *in = c->in;
    c->img.lookup = in->lookup;
    c->img.mappings = &c->config->mappings;
    if (in->env) {
        for (size_t i = 0; i < in->env->ndists; i++) {
            const da_resolved_dist *d = &in->env->dists[i];
            const da_release *r = d->release;
            if (!r && !d->url)
                r = fill_release(c, d->name, d->version);
            add_dist(&c->img, d->name, d->version, r, d->requested, d->preinstalled, d);
        }
    }
    /* pip would fail (a conflict) or the resolver could not run: approximate, and say so */
    if (in->plan && (!in->env || in->resolve_failure || in->env->nconflicts > 0)) {
        audit_image_add_closure(c, pool);
        c->partial_env = true;
    }
    if (in->plan)
        for (size_t i = 0; i < in->plan->npreinstalled; i++) {
            const char *n = keep_name(pool, in->plan->preinstalled[i].name);
            if (!audit_image_find(&c->img, n))
                add_dist(&c->img, n, NULL, fill_release(c, n, NULL), false, true, NULL);
        }
    for (size_t i = 0; i < c->config->base_provides.len; i++) {
        const char *n = keep_name(pool, c->config->base_provides.items[i]);
        if (!audit_image_find(&c->img, n))
            add_dist(&c->img, n, NULL, fill_release(c, n, NULL), false, true, NULL);
    }
}

static bool dotted_within(const char *module, const char *entry)
{
    size_t n = strlen(entry);
    return strncmp(module, entry, n) == 0 && (module[n] == '\0' || module[n] == '.');
}

bool audit_suppressed(const audit_ctx *c, da_code code, const da_import *r, const char *module)
{
    const char *id = da_code_id(code);
    for (size_t i = 0; i < c->config->ignore.len; i++)
        if (da_code_parse(c->config->ignore.items[i]) == code)
            return true;
    for (size_t i = 0; module && i < c->config->module_ignores.len; i++) {
        const char *e = c->config->module_ignores.items[i];
        const char *colon = strchr(e, ':');
        char *mod = colon ? da_xstrndup(e, (size_t)(colon - e)) : da_xstrdup(e);
        bool hit = dotted_within(module, mod) && (!colon || da_code_parse(colon + 1) == code);
        free(mod);
        if (hit)
            return true;
    }
    if (r && r->ignored) {
        if (r->ignore_codes.len == 0)
            return true;
        for (size_t i = 0; i < r->ignore_codes.len; i++)
            if (strcmp(r->ignore_codes.items[i], id) == 0 ||
                da_code_parse(r->ignore_codes.items[i]) == code)
                return true;
    }
    return false;
}

void audit_mark_used(audit_ctx *c, const audit_dist *d, const char *because)
{
    size_t i = (size_t)(d - c->img.dists);
    if (i >= c->img.len)
        return;
    if (because && !c->used[i] && !c->used_because[i])
        c->used_because[i] = da_xstrdup(because);
    if (!because)
        c->used[i] = true;
}

bool audit_requested_at(const audit_ctx *c, const char *name, char **file, int *line, int *col)
{
    const da_install_plan *p = c->in->plan;
    for (size_t i = 0; p && i < p->nmerged; i++) {
        char *n = audit_normalize(p->merged[i].name);
        bool hit = strcmp(n, name) == 0 && p->merged[i].noccurrences > 0;
        free(n);
        if (hit) {
            const da_plan_requirement *r = p->merged[i].occurrences[0];
            *file = da_audit_display_path(NULL, r->where.file, c->cwd);
            *line = r->where.line;
            *col = r->where.col;
            return true;
        }
    }
    const audit_dist *d = audit_image_find(&c->img, name);
    if (d && d->resolved)
        for (size_t k = 0; k < d->resolved->nreasons; k++) {
            const da_resolve_reason *why = &d->resolved->reasons[k];
            if (why->kind == DA_REASON_REQUESTED && why->file) {
                *file = da_audit_display_path(NULL, why->file, c->cwd);
                *line = why->line;
                *col = why->col;
                return true;
            }
        }
    return false;
}

void audit_check_boot_command(audit_ctx *c)
{
    const da_install_plan *p = c->in->plan;
    if (!p)
        return;
    const char *file = p->entrypoint.len ? p->entrypoint_file : p->cmd_file;
    int line = p->entrypoint.len ? p->entrypoint_line : p->cmd_line;
    for (size_t i = 0; i < c->boot.third_party.len; i++) {
        const char *m = c->boot.third_party.items[i];
        if (audit_graph_has_module(c->graph, m))
            continue;
        if (c->in->lookup && c->in->lookup->is_stdlib &&
            c->in->lookup->is_stdlib(c->in->lookup->ctx, c->py_major, c->py_minor, m))
            continue;
        const audit_dist *by = NULL;
        bool guess = false;
        if (audit_image_provides(&c->img, m, &by, &guess) != AUDIT_MISSING) {
            if (by) {
                char *why = da_xasprintf("`%s` is named on the command line (%s:%d)", m,
                                         file ? file : "Dockerfile", line);
                audit_mark_used(c, by, why);
                free(why);
            }
            continue;
        }
        if (audit_suppressed(c, DA001_MISSING, NULL, m))
            continue;
        char *path = da_audit_display_path(NULL, file ? file : p->dockerfile, c->cwd);
        da_finding *x = audit_add_finding(c->out, DA001_MISSING, path, line, 1);
        free(path);
        x->module = da_xstrdup(m);
        x->boot_path = true;
        char *first = audit_first_missing(&c->img, m);
        x->python_error =
            da_xasprintf("ModuleNotFoundError: No module named '%s'", first ? first : m);
        free(first);
        if (c->in->lookup && c->in->lookup->which) {
            da_strlist dists = {0};
            c->in->lookup->which(c->in->lookup->ctx, m, &dists);
            for (size_t k = 0; k < dists.len; k++)
                audit_finding_add_candidate(x, dists.items[k], DA_BASIS_SNAPSHOT);
            da_strlist_free(&dists);
        }
        audit_finding_set_message(x,
                                  "`%s`, named by the container's command, is not provided by "
                                  "anything in the image; the container crashes at start-up",
                                  m);
        if (!audit_absence_known(c, m, x))
            audit_make_unverified(c, x, m, NULL, false);
        else if (x->ncandidates)
            x->fix = audit_fix_for(c, x->candidates, x->ncandidates, m);
    }
    for (size_t i = 0; i < c->boot.commands.len; i++) {
        const audit_dist *d = audit_image_find(&c->img, c->boot.commands.items[i]);
        if (d) {
            char *why = da_xasprintf("runs as the command `%s` in %s", c->boot.commands.items[i],
                                     p->entrypoint.len ? "ENTRYPOINT" : "CMD");
            audit_mark_used(c, d, why);
            free(why);
        }
    }
}

void audit_check_resolution(audit_ctx *c)
{
    const da_environment *env = c->in->env;
    for (size_t i = 0; env && i < env->nconflicts; i++) {
        const da_resolve_conflict *k = &env->conflicts[i];
        /* a failure that may come from what is not known is among the unknowns, never DA007 */
        if (!k->certain || audit_suppressed(c, DA007_UNRESOLVABLE, NULL, k->name))
            continue;
        char *path = da_audit_display_path(NULL, k->file ? k->file : "", c->cwd);
        da_finding *x = audit_add_finding(c->out, DA007_UNRESOLVABLE, path, k->line, 1);
        free(path);
        x->dist = k->name ? da_xstrdup(k->name) : NULL;
        audit_finding_set_message(x, "pip cannot resolve this install: %s", k->message);
    }
    if (c->in->resolve_failure && !audit_suppressed(c, DA007_UNRESOLVABLE, NULL, NULL)) {
        const da_install_plan *p = c->in->plan;
        char *path = da_audit_display_path(NULL, p ? p->dockerfile : "", c->cwd);
        da_finding *x = audit_add_finding(c->out, DA007_UNRESOLVABLE, path, 0, 0);
        free(path);
        audit_finding_set_message(x,
                                  "the requirements could not be resolved (%s); imports are judged "
                                  "against the requested distributions and their dependencies "
                                  "as the metadata lists them",
                                  c->in->resolve_failure);
    }
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every .py file under a root (the import set only lists files that import something,
 * but a settings module with a database URL may import nothing). */
static void walk_sources(const char *dir, int depth, da_strlist *paths)
{
    if (depth > 16)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    char *venv = da_xasprintf("%s/pyvenv.cfg", dir);
    struct stat st;
    bool is_venv = stat(venv, &st) == 0;
    free(venv);
    for (struct dirent *e; !is_venv && (e = readdir(d));) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "__pycache__") == 0 ||
            strcmp(e->d_name, "node_modules") == 0)
            continue;
        char *path = da_xasprintf("%s/%s", dir, e->d_name);
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            walk_sources(path, depth + 1, paths);
        else if (S_ISREG(st.st_mode) && da_str_ends_with(e->d_name, ".py"))
            da_strlist_push(paths, path);
        free(path);
    }
    closedir(d);
}

/* The text of every source file, for uses of a distribution that are not imports. */
static void read_sources(audit_ctx *c)
{
    const da_import_set *s = c->in->imports;
    da_strlist paths = {0}, roots = {0};
    for (size_t i = 0; s && i < s->len; i++) {
        const char *root = s->items[i].root;
        if (root && *root && (!roots.len || strcmp(roots.items[roots.len - 1], root) != 0) &&
            !da_strlist_contains(&roots, root))
            da_strlist_push(&roots, root);
        da_strlist_push_owned(&paths,
                              da_audit_display_path(s->items[i].root, s->items[i].file, NULL));
    }
    for (size_t i = 0; i < roots.len; i++) {
        struct stat st;
        if (stat(roots.items[i], &st) == 0 && S_ISDIR(st.st_mode))
            walk_sources(roots.items[i], 0, &paths);
    }
    da_strlist_free(&roots);
    if (paths.len > 1)
        qsort(paths.items, paths.len, sizeof(char *), compare_strings);
    size_t cap = 0, cap2 = 0;
    for (size_t i = 0; i < paths.len; i++) {
        if (i > 0 && strcmp(paths.items[i], paths.items[i - 1]) == 0)
            continue;
        char *data = NULL;
        size_t len = 0;
        /* only text a person wrote: big generated files hold no deployment facts */
        if (da_read_file_under(NULL, paths.items[i], (size_t)1 << 20, &data, &len, NULL) != 0)
            continue;
        size_t n = c->nsources;
        DA_PUSH(c->sources, c->nsources, cap, data);
        DA_PUSH(c->source_paths, n, cap2, da_xstrdup(paths.items[i]));
    }
    da_strlist_free(&paths);
}

/* A requested extra whose requirements the metadata does not list (uvicorn[standard] in a
 * snapshot row that dropped them): imports it would satisfy may be reported missing. Said
 * once, as a note, rather than hedging every finding. */
static void note_incomplete_extras(audit_ctx *c)
{
    const da_install_plan *p = c->in->plan;
    for (size_t i = 0; p && i < p->nmerged; i++) {
        const audit_dist *d = audit_image_find(&c->img, p->merged[i].name);
        if (!d || !d->release || !d->release->requires_incomplete)
            continue;
        for (size_t k = 0; k < p->merged[i].noccurrences; k++) {
            const da_plan_requirement *r = p->merged[i].occurrences[k];
            if (r->parsed && r->parsed->extras.len > 0) {
                da_strlist_push_owned(
                    &c->out->notes,
                    da_xasprintf("the metadata of %s %s does not list everything its extras "
                                 "require (%s is requested): a module one of them brings may "
                                 "be reported missing",
                                 d->name, d->version ? d->version : "", r->text));
                break;
            }
        }
    }
}

int da_audit_run(const da_audit_input *in, da_findings *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!in || !in->imports)
        return da_error_set(err, "", 0, 0, "audit: no import set given");
    audit_ctx c = {0};
    c.in = in;
    c.config = in->config ? in->config : &default_config;
    c.out = out;
    c.cwd = in->cwd;
    c.py_major = DA_DEFAULT_PY_MAJOR;
    c.py_minor = DA_DEFAULT_PY_MINOR;
    if (!in->plan && in->py_major) {
        c.py_major = in->py_major;
        c.py_minor = in->py_minor;
    }
    if (in->plan && in->plan->target.py_major) {
        c.py_major = in->plan->target.py_major;
        c.py_minor = in->plan->target.py_minor;
    }
    out->metadata_origin = da_xstrdup(in->metadata_origin ? in->metadata_origin : "none");
    out->files_scanned = in->imports->files;
    da_strlist pool = {0};
    build_image(&c, &pool);
    audit_collect_unknowns(&c);
    note_incomplete_extras(&c);
    if (!in->plan)
        da_strlist_push(&out->notes, "no Dockerfile given: only checks that need no image ran "
                                     "(removed standard modules)");
    c.used = da_xcalloc(c.img.len + 1, sizeof(bool));
    c.used_because = da_xcalloc(c.img.len + 1, sizeof(char *));
    audit_boot_from_plan(in->plan, &c.boot);
    c.graph = audit_graph_build(in->imports, in->roots, in->nroots);
    audit_graph_walk(c.graph, &c.boot, c.py_major, c.py_minor);
    read_sources(&c);

    audit_check_resolution(&c);
    audit_check_boot_command(&c);
    audit_check_imports(&c);
    audit_check_usage(&c);
    audit_check_first_party(&c);
    audit_check_installed(&c);
    audit_check_shell_specifiers(&c);
    audit_findings_sort(out);

    for (size_t i = 0; i < c.img.len; i++)
        free(c.used_because[i]);
    free(c.used_because);
    free(c.used);
    for (size_t i = 0; i < c.nsources; i++) {
        free(c.sources[i]);
        free(c.source_paths[i]);
    }
    free(c.sources);
    free(c.source_paths);
    audit_boot_free(&c.boot);
    audit_graph_free(c.graph);
    da_strlist_free(&c.transitive_reported);
    da_strlist_free(&c.may_install);
    da_strlist_free(&c.deps_unknown);
    free(c.img.dists);
    for (size_t i = 0; i < c.nowned_releases; i++)
        da_release_free(c.owned_releases[i]);
    free(c.owned_releases);
    da_strlist_free(&pool);
    return 0;
}
