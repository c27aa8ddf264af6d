/* From a distribution's file list to the modules it provides. The files are arranged in
 * a tree of directories; a directory with __init__ is a regular package, one without it
 * that holds code somewhere below is a namespace package (PEP 420), and .py/.pyc files
 * and extension modules are modules. What a distribution "provides" at the top is the
 * shallowest regular package or module on each branch: the namespaces above it are shared
 * with other distributions (opentelemetry-api and opentelemetry-sdk both fill
 * "opentelemetry"), so they are reported apart. */
#include "depaudit/wheel.h"
#include "pep/record_path.h"

#include <stdlib.h>
#include <string.h>

typedef struct module_node {
    char *name;
    struct module_node **children;
    size_t nchildren, cap;
    bool is_package; /* a directory with __init__ */
    bool is_module;  /* a .py/.pyc/extension file */
    bool holds_code; /* some module or package at or below */
} module_node;

static void node_free(module_node *n)
{
    for (size_t i = 0; i < n->nchildren; i++)
        node_free(n->children[i]);
    free(n->children);
    free(n->name);
    free(n);
}

/* The child of n named name, created if missing. Keys are inserted in sorted order (see
 * build_tree), so an existing child of that name can only be the last one added: no
 * search, and a list of 100,000 files stays linear. */
static module_node *node_child(module_node *n, const char *name, size_t len)
{
    if (n->nchildren > 0) {
        module_node *last = n->children[n->nchildren - 1];
        if (strlen(last->name) == len && memcmp(last->name, name, len) == 0)
            return last;
    }
    module_node *c = da_xcalloc(1, sizeof(*c));
    c->name = da_xstrndup(name, len);
    DA_PUSH(n->children, n->nchildren, n->cap, c);
    return c;
}

/* A Python identifier; bytes >= 0x80 are accepted as the UTF-8 of a non-ASCII letter. */
static bool is_identifier(const char *s, size_t n)
{
    if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c >= 0x80;
        if (!ok)
            return false;
    }
    return true;
}

/* The ABI part of an extension module suffix: "x.cpython-311-x86_64-linux-gnu.so",
 * "x.abi3.so", "x.cp311-win_amd64.pyd", "x.pypy39-pp73-x86_64-linux-gnu.so". */
static bool is_extension_abi(const char *s, size_t n)
{
    static const char *const prefixes[] = {"cpython-", "cp3", "pypy", "graalpy"};
    if (n == 4 && memcmp(s, "abi3", 4) == 0)
        return true;
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        size_t pn = strlen(prefixes[i]);
        if (n > pn && memcmp(s, prefixes[i], pn) == 0 && !memchr(s, '/', n))
            return true;
    }
    return false;
}

/* The module name a file defines when imported, with its length; 0 when the file is not
 * importable code (data, .pth, .pyi, a shared library that is not an extension). */
static size_t module_name_length(const char *file)
{
    const char *dot = strchr(file, '.');
    if (!dot)
        return 0;
    size_t stem = (size_t)(dot - file);
    if (!is_identifier(file, stem))
        return 0;
    const char *ext = strrchr(file, '.');
    if (ext == dot) {
        if (strcmp(ext, ".py") == 0 || strcmp(ext, ".pyc") == 0 || strcmp(ext, ".so") == 0 ||
            strcmp(ext, ".pyd") == 0)
            return stem;
        return 0;
    }
    /* "stem.ABI.so": only extension suffixes carry a middle part */
    if (strcmp(ext, ".so") != 0 && strcmp(ext, ".pyd") != 0)
        return 0;
    if (!is_extension_abi(dot + 1, (size_t)(ext - dot - 1)))
        return 0;
    return stem;
}

static bool is_metadata_dir(const char *seg, size_t n)
{
    return (n > 10 && memcmp(seg + n - 10, ".dist-info", 10) == 0) ||
           (n > 9 && memcmp(seg + n - 9, ".egg-info", 9) == 0);
}

/* Splits a normalised path into segments (pointers into path, not copies). Returns how
 * many, or 0 for a path this module ignores. `.data/purelib|platlib/` prefixes are
 * removed: those files are installed into site-packages itself. */
static size_t site_packages_segments(const char *path, const char **seg, size_t *len, size_t max)
{
    size_t n = 0;
    for (const char *p = path; *p && n < max;) {
        const char *slash = strchr(p, '/');
        size_t l = slash ? (size_t)(slash - p) : strlen(p);
        seg[n] = p;
        len[n] = l;
        n++;
        p += l;
        if (*p == '/')
            p++;
    }
    if (n == 0 || n == max || (len[0] == 2 && memcmp(seg[0], "..", 2) == 0))
        return 0;
    if (len[0] > 5 && memcmp(seg[0] + len[0] - 5, ".data", 5) == 0) {
        bool lib = n >= 3 && ((len[1] == 7 && memcmp(seg[1], "purelib", 7) == 0) ||
                              (len[1] == 7 && memcmp(seg[1], "platlib", 7) == 0));
        if (!lib)
            return 0; /* scripts, headers, data: not importable */
        memmove(seg, seg + 2, (n - 2) * sizeof(*seg));
        memmove(len, len + 2, (n - 2) * sizeof(*len));
        n -= 2;
    }
    return n;
}

enum { MAX_DEPTH = 64 };

/* Normalised copy of a list entry, NULL when it cannot be inside site-packages. */
static char *clean_path(const char *raw)
{
    if (!raw || raw[0] == '/' || raw[0] == '\0' || strchr(raw, '\\'))
        return NULL;
    return da_record_path_normalise(NULL, raw);
}

/* The module key of one list entry: its directories and module name joined by "/"
 * ("pkg/sub/__init__", "pkg/mod"), or NULL when the entry is not importable code. */
static char *module_key(const char *raw)
{
    char *path = clean_path(raw);
    if (!path)
        return NULL;
    const char *seg[MAX_DEPTH];
    size_t len[MAX_DEPTH];
    size_t n = site_packages_segments(path, seg, len, MAX_DEPTH);
    bool usable = n > 0;
    for (size_t k = 0; usable && k + 1 < n; k++) {
        if (is_metadata_dir(seg[k], len[k]) ||
            (len[k] == 11 && memcmp(seg[k], "__pycache__", 11) == 0) ||
            !is_identifier(seg[k], len[k]))
            usable = false;
    }
    /* the file name is the last segment and is NUL-terminated in path */
    size_t mod_len = usable ? module_name_length(seg[n - 1]) : 0;
    bool is_init = mod_len == 8 && memcmp(seg[n - 1], "__init__", 8) == 0;
    /* an __init__ at the root of site-packages belongs to no package */
    if (mod_len == 0 || (is_init && n == 1)) {
        free(path);
        return NULL;
    }
    da_buf key = {0};
    for (size_t k = 0; k + 1 < n; k++) {
        da_buf_append(&key, seg[k], len[k]);
        da_buf_putc(&key, '/');
    }
    da_buf_append(&key, seg[n - 1], mod_len);
    free(path);
    return da_buf_take(&key);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Keys are sorted first: identifiers hold no byte below '/', so everything under one
 * directory sorts contiguously and node_child only looks at the last child. */
static module_node *build_tree(const da_strlist *paths)
{
    da_strlist keys = {0};
    for (size_t i = 0; i < paths->len; i++) {
        char *key = module_key(paths->items[i]);
        if (key)
            da_strlist_push_owned(&keys, key);
    }
    if (keys.len > 1)
        qsort(keys.items, keys.len, sizeof(char *), compare_strings);
    module_node *root = da_xcalloc(1, sizeof(*root));
    root->name = da_xstrdup("");
    for (size_t i = 0; i < keys.len; i++) {
        module_node *node = root;
        root->holds_code = true;
        const char *p = keys.items[i];
        const char *slash;
        while ((slash = strchr(p, '/')) != NULL) {
            node = node_child(node, p, (size_t)(slash - p));
            node->holds_code = true;
            p = slash + 1;
        }
        if (strcmp(p, "__init__") == 0) {
            node->is_package = true;
        } else {
            module_node *m = node_child(node, p, strlen(p));
            m->is_module = true;
            m->holds_code = true;
        }
    }
    da_strlist_free(&keys);
    return root;
}

static bool contains_first(const da_strlist *l, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

/* Sorts `found`, then moves the entries not yet in out to it. Only what out held before
 * needs a search: `found` itself is deduplicated by sorting. */
static void append_sorted_unique(da_strlist *found, da_strlist *out)
{
    size_t before = out->len;
    if (found->len > 1)
        qsort(found->items, found->len, sizeof(char *), compare_strings);
    const char *prev = NULL; /* the last string moved to out */
    for (size_t i = 0; i < found->len; i++) {
        char *item = found->items[i];
        found->items[i] = NULL;
        if ((prev && strcmp(item, prev) == 0) || contains_first(out, before, item)) {
            free(item);
            continue;
        }
        da_strlist_push_owned(out, item);
        prev = item;
    }
    found->len = 0;
    da_strlist_free(found);
}

static char *dotted(const char *prefix, const char *name)
{
    return prefix[0] ? da_xasprintf("%s.%s", prefix, name) : da_xstrdup(name);
}

static void collect_top(const module_node *n, const char *prefix, da_strlist *modules,
                        da_strlist *namespaces)
{
    for (size_t i = 0; i < n->nchildren; i++) {
        const module_node *c = n->children[i];
        char *name = dotted(prefix, c->name);
        if (c->is_package || c->is_module) {
            da_strlist_push_owned(modules, name);
        } else if (c->holds_code) {
            collect_top(c, name, modules, namespaces);
            da_strlist_push_owned(namespaces, name);
        } else {
            free(name);
        }
    }
}

static void collect_all(const module_node *n, const char *prefix, da_strlist *out)
{
    for (size_t i = 0; i < n->nchildren; i++) {
        const module_node *c = n->children[i];
        if (!c->holds_code)
            continue;
        char *name = dotted(prefix, c->name);
        collect_all(c, name, out);
        da_strlist_push_owned(out, name);
    }
}

void da_modules_from_paths(const da_strlist *paths, da_release *r)
{
    module_node *root = build_tree(paths);
    da_strlist modules = {0}, namespaces = {0};
    collect_top(root, "", &modules, &namespaces);
    append_sorted_unique(&modules, &r->modules);
    append_sorted_unique(&namespaces, &r->namespaces);
    r->modules_known = true;
    node_free(root);
}

void da_modules_full_depth(const da_strlist *paths, da_strlist *out)
{
    module_node *root = build_tree(paths);
    da_strlist all = {0};
    collect_all(root, "", &all);
    append_sorted_unique(&all, out);
    node_free(root);
}

void da_pth_files_from_paths(const da_strlist *paths, da_strlist *out)
{
    da_strlist found = {0};
    for (size_t i = 0; i < paths->len; i++) {
        char *path = clean_path(paths->items[i]);
        if (!path)
            continue;
        const char *seg[MAX_DEPTH];
        size_t len[MAX_DEPTH];
        size_t n = site_packages_segments(path, seg, len, MAX_DEPTH);
        /* only .pth files directly in site-packages are read at start-up */
        if (n == 1 && len[0] > 4 && memcmp(seg[0] + len[0] - 4, ".pth", 4) == 0)
            da_strlist_push(&found, seg[0]);
        free(path);
    }
    append_sorted_unique(&found, out);
}
