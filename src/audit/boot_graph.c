/* The first-party import graph, walked from the container's entry points: which files run
 * at start-up and through which chain of module-level imports. Python imports the
 * __init__.py of every parent package before a module, so those are on the path too. */
#include "audit_internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct graph_file {
    char *path;        /* host path */
    size_t first, end; /* its records in the import set: [first, end) */
    bool visited;
    bool script;          /* run as __main__ */
    da_chain_link *chain; /* how start-up reaches it (host paths) */
    size_t nchain;
} graph_file;

struct audit_graph {
    const da_import_set *set;
    graph_file *files;
    size_t len, cap;
    da_strlist roots;
    size_t *slots; /* open-addressing index of files by path: file index + 1, 0 empty */
    size_t nslots;
    bool *record_runs; /* per record: runs when its file is imported at start-up */
    size_t *queue;
    size_t qlen, qcap;
};

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static char *join(const char *a, const char *b)
{
    if (!a || !*a || strcmp(a, ".") == 0)
        return da_xstrdup(b);
    if (b[0] == '/')
        return da_xstrdup(b);
    size_t n = strlen(a);
    return da_xasprintf("%s%s%s", a, a[n - 1] == '/' ? "" : "/", b);
}

static char *record_path(const da_import *r)
{
    if (!r->root || !*r->root || strcmp(r->root, r->file) == 0 || is_file(r->root))
        return da_xstrdup(r->file);
    return join(r->root, r->file);
}

char *da_audit_display_path(const char *root, const char *file, const char *cwd)
{
    char *p = root ? join(root, file) : da_xstrdup(file);
    if (root && (strcmp(root, file) == 0 || is_file(root))) {
        free(p);
        p = da_xstrdup(file);
    }
    while (p[0] == '.' && p[1] == '/')
        memmove(p, p + 2, strlen(p + 2) + 1);
    if (cwd && *cwd && p[0] == '/') {
        size_t n = strlen(cwd);
        if (strncmp(p, cwd, n) == 0 && p[n] == '/') {
            char *r = da_xstrdup(p + n + 1);
            free(p);
            return r;
        }
    }
    return p;
}

static size_t hash_path(const char *s)
{
    size_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void index_insert(audit_graph *g, size_t f)
{
    size_t mask = g->nslots - 1;
    for (size_t k = hash_path(g->files[f].path) & mask;; k = (k + 1) & mask)
        if (!g->slots[k]) {
            g->slots[k] = f + 1;
            return;
        }
}

/* Projects have thousands of files and every import asks: a hash index, not a scan. */
static size_t file_index(audit_graph *g, const char *path, bool create)
{
    if (g->nslots) {
        size_t mask = g->nslots - 1;
        for (size_t k = hash_path(path) & mask; g->slots[k]; k = (k + 1) & mask)
            if (strcmp(g->files[g->slots[k] - 1].path, path) == 0)
                return g->slots[k] - 1;
    }
    if (!create)
        return (size_t)-1;
    da_grow((void **)&g->files, &g->cap, g->len + 1, sizeof(*g->files));
    graph_file *f = &g->files[g->len];
    memset(f, 0, sizeof(*f));
    f->path = da_xstrdup(path);
    g->len++;
    if (g->len * 2 > g->nslots) { /* keep the load under one half */
        free(g->slots);
        g->nslots = g->nslots ? g->nslots * 2 : 64;
        while (g->len * 2 > g->nslots)
            g->nslots *= 2;
        g->slots = da_xcalloc(g->nslots, sizeof(*g->slots));
        for (size_t i = 0; i < g->len; i++)
            index_insert(g, i);
    } else {
        index_insert(g, g->len - 1);
    }
    return g->len - 1;
}

audit_graph *audit_graph_build(const da_import_set *s, const char *const *roots, size_t nroots)
{
    audit_graph *g = da_xcalloc(1, sizeof(*g));
    g->set = s;
    g->record_runs = da_xcalloc(s->len ? s->len : 1, sizeof(bool));
    for (size_t i = 0; i < s->len;) {
        char *p = record_path(&s->items[i]);
        size_t j = i + 1;
        while (j < s->len && strcmp(s->items[j].file, s->items[i].file) == 0 &&
               strcmp(s->items[j].root ? s->items[j].root : "",
                      s->items[i].root ? s->items[i].root : "") == 0)
            j++;
        size_t f = file_index(g, p, true);
        g->files[f].first = i;
        g->files[f].end = j;
        if (s->items[i].root && !da_strlist_contains(&g->roots, s->items[i].root))
            da_strlist_push(&g->roots, s->items[i].root);
        free(p);
        i = j;
    }
    for (size_t i = 0; i < nroots; i++)
        if (!da_strlist_contains(&g->roots, roots[i]))
            da_strlist_push(&g->roots, roots[i]);
    return g;
}

void audit_graph_free(audit_graph *g)
{
    if (!g)
        return;
    for (size_t i = 0; i < g->len; i++) {
        free(g->files[i].path);
        for (size_t k = 0; k < g->files[i].nchain; k++)
            free(g->files[i].chain[k].file);
        free(g->files[i].chain);
    }
    free(g->files);
    free(g->slots);
    da_strlist_free(&g->roots);
    free(g->record_runs);
    free(g->queue);
    free(g);
}

/* "a.b" under dir: dir/a/b.py or dir/a/b/__init__.py; NULL if neither exists. */
static char *module_file_under(const char *dir, const char *dotted)
{
    char *rel = da_xstrdup(dotted);
    for (char *p = rel; *p; p++)
        if (*p == '.')
            *p = '/';
    char *base = *rel ? join(dir, rel) : da_xstrdup(dir && *dir ? dir : ".");
    free(rel);
    char *py = da_xasprintf("%s.py", base);
    if (*dotted && is_file(py)) {
        free(base);
        return py;
    }
    free(py);
    char *init = da_xasprintf("%s/__init__.py", base);
    free(base);
    if (is_file(init))
        return init;
    free(init);
    return NULL;
}

/* An absolute first-party module to the file that defines it, trying each root both as
 * a directory on sys.path and as a package itself (the image puts its parent there). */
static char *resolve_absolute(const audit_graph *g, const char *module)
{
    for (size_t i = 0; i < g->roots.len; i++) {
        const char *root = g->roots.items[i];
        if (is_file(root)) {
            const char *b = da_path_base_name(root);
            size_t n = strlen(b);
            if (n > 3 && strncmp(b, module, n - 3) == 0 && module[n - 3] == '\0')
                return da_xstrdup(root);
            continue;
        }
        char *f = module_file_under(root, module);
        if (f)
            return f;
        char *trimmed = da_xstrdup(root);
        size_t tl = strlen(trimmed);
        while (tl > 1 && trimmed[tl - 1] == '/')
            trimmed[--tl] = '\0';
        const char *b = da_path_base_name(trimmed);
        size_t n = strlen(b);
        if (n && strncmp(module, b, n) == 0 && (module[n] == '.' || module[n] == '\0')) {
            f = module[n] == '.' ? module_file_under(trimmed, module + n + 1)
                                 : module_file_under(trimmed, "");
        }
        free(trimmed);
        if (f)
            return f;
    }
    return NULL;
}

static char *dir_name(const char *path)
{
    const char *s = strrchr(path, '/');
    if (!s)
        return da_xstrdup(".");
    return da_xstrndup(path, (size_t)(s - path));
}

/* `from ..x import y` in file `from_path` (level 2): relative to the package directory. */
static char *resolve_relative(const char *from_path, int level, const char *module)
{
    char *dir = dir_name(from_path);
    for (int i = 1; i < level; i++) {
        char *up = dir_name(dir);
        free(dir);
        dir = up;
    }
    char *f = module_file_under(dir, module ? module : "");
    free(dir);
    return f;
}

bool audit_graph_has_module(const audit_graph *g, const char *module)
{
    char *f = resolve_absolute(g, module);
    bool ok = f != NULL;
    free(f);
    return ok;
}

char *audit_graph_module_file(const audit_graph *g, const char *module)
{
    return resolve_absolute(g, module);
}

static void push_queue(audit_graph *g, size_t f)
{
    da_grow((void **)&g->queue, &g->qcap, g->qlen + 1, sizeof(*g->queue));
    g->queue[g->qlen++] = f;
}

static void visit(audit_graph *g, const char *path, const da_chain_link *chain, size_t nchain,
                  bool script);

/* Every __init__.py between the root holding `path` and its directory. */
static void visit_parents(audit_graph *g, const char *path, const da_chain_link *chain,
                          size_t nchain)
{
    for (size_t i = 0; i < g->roots.len; i++) {
        const char *root = g->roots.items[i];
        size_t n = strlen(root);
        bool dot = strcmp(root, ".") == 0;
        if (!dot && !(strncmp(path, root, n) == 0 && path[n] == '/'))
            continue;
        char *dir = dir_name(path);
        /* walk up from the file's directory to the root, inclusive */
        for (;;) {
            char *init = join(dir, "__init__.py");
            if (strcmp(init, path) != 0 && is_file(init))
                visit(g, init, chain, nchain, false);
            free(init);
            if (strcmp(dir, dot ? "." : root) == 0 || !strchr(dir, '/'))
                break;
            char *up = dir_name(dir);
            free(dir);
            dir = up;
        }
        free(dir);
        return;
    }
}

static void visit(audit_graph *g, const char *path, const da_chain_link *chain, size_t nchain,
                  bool script)
{
    size_t f = file_index(g, path, true);
    if (g->files[f].visited)
        return;
    g->files[f].visited = true;
    g->files[f].script = script;
    g->files[f].nchain = nchain;
    g->files[f].chain = nchain ? da_xcalloc(nchain, sizeof(da_chain_link)) : NULL;
    for (size_t k = 0; k < nchain; k++) {
        g->files[f].chain[k] = chain[k];
        g->files[f].chain[k].file = da_xstrdup(chain[k].file);
    }
    push_queue(g, f);
    visit_parents(g, path, chain, nchain);
}

/* Whether a record executes when its module is imported (as __main__ for scripts). */
static bool runs_on_import(const da_import *r, bool script, int py_major, int py_minor)
{
    if (r->scope == DA_SCOPE_FUNCTION)
        return false;
    switch (r->guard) {
    case DA_GUARD_NONE:
    case DA_GUARD_IMPORT_ERROR:
        return true;
    case DA_GUARD_TYPE_CHECKING:
        return false;
    case DA_GUARD_MAIN:
        return script;
    case DA_GUARD_VERSION:
    case DA_GUARD_PLATFORM:
        return audit_condition_eval(r->condition, py_major, py_minor) == 1;
    }
    return false;
}

static void follow(audit_graph *g, size_t fi, int py_major, int py_minor)
{
    /* copy what we need: visit() may move g->files */
    char *path = da_xstrdup(g->files[fi].path);
    size_t first = g->files[fi].first, end = g->files[fi].end;
    bool script = g->files[fi].script;
    size_t nchain = g->files[fi].nchain;
    da_chain_link *chain = da_xcalloc(nchain + 1, sizeof(*chain));
    for (size_t k = 0; k < nchain; k++)
        chain[k] = g->files[fi].chain[k];
    for (size_t i = first; i < end; i++) {
        const da_import *r = &g->set->items[i];
        if (!runs_on_import(r, script, py_major, py_minor))
            continue;
        g->record_runs[i] = true;
        if (r->klass != DA_CLASS_FIRST_PARTY && r->klass != DA_CLASS_RELATIVE)
            continue;
        chain[nchain].file = path;
        chain[nchain].line = r->line;
        chain[nchain].col = r->col;
        char *target = r->level > 0 ? resolve_relative(path, r->level, r->module)
                                    : resolve_absolute(g, r->module);
        if (target)
            visit(g, target, chain, nchain + 1, false);
        free(target);
        /* from pkg import submodule */
        if (r->kind == DA_IMPORT_KIND_FROM) {
            for (size_t k = 0; k < r->names.len; k++) {
                if (strcmp(r->names.items[k], "*") == 0)
                    continue;
                char *sub = *r->module ? da_xasprintf("%s.%s", r->module, r->names.items[k])
                                       : da_xstrdup(r->names.items[k]);
                char *t =
                    r->level > 0 ? resolve_relative(path, r->level, sub) : resolve_absolute(g, sub);
                if (t)
                    visit(g, t, chain, nchain + 1, false);
                free(t);
                free(sub);
            }
        }
    }
    free(chain);
    free(path);
}

/* A script path in the image ("/app/src/main.py", "main.py") to a scanned file. */
static char *script_file(const audit_graph *g, const char *image_path)
{
    for (size_t i = 0; i < g->len; i++) {
        const char *p = g->files[i].path;
        while (p[0] == '.' && p[1] == '/')
            p += 2;
        size_t n = strlen(p), m = strlen(image_path);
        if (n <= m && strcmp(image_path + m - n, p) == 0 &&
            (n == m || image_path[m - n - 1] == '/'))
            return da_xstrdup(g->files[i].path);
    }
    /* a file with no imports is not in the set: try it under each root */
    const char *rel = image_path;
    while (rel) {
        for (size_t i = 0; i < g->roots.len; i++) {
            char *c = join(g->roots.items[i], rel[0] == '/' ? rel + 1 : rel);
            if (is_file(c))
                return c;
            free(c);
        }
        rel = strchr(rel + 1, '/');
    }
    return NULL;
}

void audit_graph_walk(audit_graph *g, const audit_boot *boot, int py_major, int py_minor)
{
    for (size_t i = 0; i < boot->len; i++) {
        const audit_boot_entry *e = &boot->entries[i];
        char *f = e->module ? resolve_absolute(g, e->module)
                  : e->path ? script_file(g, e->path)
                            : NULL;
        if (f)
            visit(g, f, NULL, 0, e->path != NULL || e->as_main);
        /* python -m pkg imports pkg/__init__.py, then runs pkg/__main__.py as __main__ */
        if (f && e->as_main && da_str_ends_with(f, "__init__.py")) {
            char *main_py = da_xasprintf("%.*s__main__.py", (int)(strlen(f) - 11), f);
            if (is_file(main_py))
                visit(g, main_py, NULL, 0, true);
            free(main_py);
        }
        free(f);
    }
    for (size_t q = 0; q < g->qlen; q++)
        follow(g, g->queue[q], py_major, py_minor);
}

bool audit_graph_boot_chain(const audit_graph *g, size_t i, const char *cwd, da_chain_link **chain,
                            size_t *n)
{
    *chain = NULL;
    *n = 0;
    if (i >= g->set->len || !g->record_runs[i])
        return false;
    char *p = record_path(&g->set->items[i]);
    size_t f = file_index((audit_graph *)g, p, false);
    free(p);
    if (f == (size_t)-1 || !g->files[f].visited)
        return false;
    const graph_file *gf = &g->files[f];
    *chain = da_xcalloc(gf->nchain + 1, sizeof(da_chain_link));
    for (size_t k = 0; k < gf->nchain; k++) {
        (*chain)[k] = gf->chain[k];
        (*chain)[k].file = da_audit_display_path(NULL, gf->chain[k].file, cwd);
    }
    const da_import *r = &g->set->items[i];
    (*chain)[gf->nchain].file = da_audit_display_path(r->root, r->file, cwd);
    (*chain)[gf->nchain].line = r->line;
    (*chain)[gf->nchain].col = r->col;
    *n = gf->nchain + 1;
    return true;
}
