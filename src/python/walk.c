/* Finding the source files under the roots, and the first-party names they define. */
#include "python_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A set of (device, inode) pairs: directories entered and files taken, so symlink loops
 * end and no file is read twice. Open addressing; the key is never (0, 0) in practice,
 * and an all-zero slot marks empty. */
typedef struct inode_set {
    struct inode_key {
        dev_t dev;
        ino_t ino;
        bool used;
    } * slots;
    size_t len, cap;
} inode_set;

static size_t inode_hash(dev_t dev, ino_t ino)
{
    uint64_t h = (uint64_t)ino * 0x9E3779B97F4A7C15ull ^ (uint64_t)dev * 0xC2B2AE3D27D4EB4Full;
    return (size_t)(h ^ (h >> 29));
}

/* Returns false when the pair was already there. */
static bool inode_set_add(inode_set *s, dev_t dev, ino_t ino)
{
    if ((s->len + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 64;
        struct inode_key *n = da_xcalloc(ncap, sizeof(*n));
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slots[i].used)
                continue;
            size_t j = inode_hash(s->slots[i].dev, s->slots[i].ino) & (ncap - 1);
            while (n[j].used)
                j = (j + 1) & (ncap - 1);
            n[j] = s->slots[i];
        }
        free(s->slots);
        s->slots = n;
        s->cap = ncap;
    }
    size_t j = inode_hash(dev, ino) & (s->cap - 1);
    while (s->slots[j].used) {
        if (s->slots[j].dev == dev && s->slots[j].ino == ino)
            return false;
        j = (j + 1) & (s->cap - 1);
    }
    s->slots[j] = (struct inode_key){dev, ino, true};
    s->len++;
    return true;
}

typedef struct walk_state {
    const da_strlist *excludes;
    da_source_list *files;
    da_import_set *errs;
    inode_set seen;
    size_t root_index;
    const char *root;
} walk_state;

static bool excluded(const da_strlist *excludes, const char *rel, const char *base)
{
    for (size_t i = 0; excludes && i < excludes->len; i++)
        if (fnmatch(excludes->items[i], rel, 0) == 0 || fnmatch(excludes->items[i], base, 0) == 0)
            return true;
    return false;
}

static bool skipped_directory(const char *base)
{
    static const char *const names[] = {".git", ".hg", ".svn", "node_modules", "__pycache__"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(base, names[i]) == 0)
            return true;
    return false;
}

static bool is_source_name(const char *name)
{
    return da_str_ends_with(name, ".py") || da_str_ends_with(name, ".ipynb");
}

static void add_file(walk_state *st, const char *path, const char *rel)
{
    da_source_file f = {st->root_index, da_xstrdup(path), da_xstrdup(rel)};
    DA_PUSH(st->files->items, st->files->len, st->files->cap, f);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A link that ends outside the root is not the project's (`etc -> /etc`, `up -> ..`): it is
 * not walked or read, so nothing of it is listed. Asked only of entries readdir cannot type
 * as a plain file or directory, so ordinary trees pay nothing for it. */
static bool link_leaves_root(const char *root, const char *child)
{
    struct stat lb;
    if (lstat(child, &lb) != 0 || !S_ISLNK(lb.st_mode))
        return false;
    char real_root[PATH_MAX], real[PATH_MAX];
    if (!realpath(root, real_root) || !realpath(child, real))
        return true;
    return !da_path_within(real, real_root);
}

typedef struct entry {
    char *name;
    unsigned char type; /* d_type */
    ino_t ino;
} entry;

typedef struct listing {
    entry *items;
    size_t len, cap;
    int venv; /* 1: holds pyvenv.cfg, 0: does not, -1: a link or unknown entry by that name */
} listing;

static int compare_entries(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

/* The entries of a directory that may matter: subdirectories, source files, and what
 * readdir cannot type (links, unknown); other files are left without a stat. Sorted, so the
 * output does not depend on the file system's order. */
static void list_entries(DIR *d, listing *l)
{
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        bool link = e->d_type == DT_LNK || e->d_type == DT_UNKNOWN;
        if (strcmp(e->d_name, "pyvenv.cfg") == 0)
            l->venv = link ? -1 : 1;
        if (e->d_type == DT_REG ? is_source_name(e->d_name) : e->d_type == DT_DIR || link) {
            entry en = {da_xstrdup(e->d_name), e->d_type, e->d_ino};
            DA_PUSH(l->items, l->len, l->cap, en);
        }
    }
    if (l->len > 1)
        qsort(l->items, l->len, sizeof(*l->items), compare_entries);
}

static void listing_free(listing *l)
{
    for (size_t i = 0; i < l->len; i++)
        free(l->items[i].name);
    free(l->items);
}

static void walk_dir(walk_state *st, const char *path, const char *rel, dev_t dev, bool root);

static bool leaves_root(const walk_state *st, const char *path, const char *name)
{
    char *child = da_xasprintf("%s/%s", path, name);
    bool out = link_leaves_root(st->root, child);
    free(child);
    return out;
}

/* One entry of the directory open as dir (path, rel, on device dev). */
static void walk_entry(walk_state *st, int dir, const char *path, const char *rel, dev_t dev,
                       const entry *en)
{
    const char *name = en->name;
    char *child_rel = *rel ? da_xasprintf("%s/%s", rel, name) : da_xstrdup(name);
    struct stat sb;
    if (excluded(st->excludes, child_rel, name)) {
        /* skipped on request */
    } else if (en->type == DT_REG) {
        /* readdir's inode is the file's: a plain file is never a mount point */
        if (inode_set_add(&st->seen, dev, en->ino)) {
            char *child = da_xasprintf("%s/%s", path, name);
            add_file(st, child, child_rel);
            free(child);
        }
    } else if (fstatat(dir, name, &sb, 0) != 0) {
        /* A dangling symlink is not the project's code; say so only for sources. */
        if (is_source_name(name))
            da_import_set_add_error(st->errs, st->root, child_rel, 0, "cannot read: %s",
                                    strerror(errno));
    } else if ((S_ISDIR(sb.st_mode) || is_source_name(name)) && leaves_root(st, path, name)) {
        da_import_set_add_error(st->errs, st->root, child_rel, 0,
                                "a symbolic link to a %s outside %s: not read",
                                S_ISDIR(sb.st_mode) ? "directory" : "file", st->root);
    } else if (S_ISDIR(sb.st_mode)) {
        if (!skipped_directory(name) && inode_set_add(&st->seen, sb.st_dev, sb.st_ino)) {
            char *child = da_xasprintf("%s/%s", path, name);
            walk_dir(st, child, child_rel, sb.st_dev, false);
            free(child);
        }
    } else if (S_ISREG(sb.st_mode) && is_source_name(name)) {
        if (inode_set_add(&st->seen, sb.st_dev, sb.st_ino)) {
            char *child = da_xasprintf("%s/%s", path, name);
            add_file(st, child, child_rel);
            free(child);
        }
    }
    free(child_rel);
}

/* A directory on device dev. Below a root, one holding pyvenv.cfg is a virtualenv: installed
 * code, not the project's, and skipped. */
static void walk_dir(walk_state *st, const char *path, const char *rel, dev_t dev, bool root)
{
    DIR *d = opendir(path);
    if (!d) {
        da_import_set_add_error(st->errs, st->root, rel, 0, "cannot read directory: %s",
                                strerror(errno));
        return;
    }
    listing l = {0};
    list_entries(d, &l);
    int dir = dirfd(d);
    bool venv = l.venv == 1 || (l.venv == -1 && faccessat(dir, "pyvenv.cfg", F_OK, 0) == 0);
    for (size_t i = 0; !(venv && !root) && i < l.len; i++)
        walk_entry(st, dir, path, rel, dev, &l.items[i]);
    closedir(d);
    listing_free(&l);
}

static bool is_identifier(const char *s, size_t n)
{
    if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(c == '_' || c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

/* "pkg/sub/mod.py" -> "pkg"; "mod.py" -> "mod"; with skip_src, "src/pkg/..." -> "pkg" too.
 * Notebooks are not importable and define nothing. */
static void first_party_of(const char *rel, da_strlist *out)
{
    if (!da_str_ends_with(rel, ".py"))
        return;
    const char *p = rel;
    for (int pass = 0; pass < 2; pass++) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p) - 3;
        if (is_identifier(p, n))
            da_strlist_push_owned(out, da_xstrndup(p, n)); /* duplicates go at the end */
        /* src/ layout: the packages inside src/ are what gets installed and imported. */
        if (!slash || n != 3 || memcmp(p, "src", 3) != 0)
            break;
        p = slash + 1;
    }
}

/* Drops repeats from a sorted list. */
static void unique(da_strlist *l)
{
    size_t keep = 0;
    for (size_t i = 0; i < l->len; i++) {
        if (keep > 0 && strcmp(l->items[keep - 1], l->items[i]) == 0)
            free(l->items[i]);
        else
            l->items[keep++] = l->items[i];
    }
    l->len = keep;
}

static const char *base_name(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    const char *b = path + n;
    while (b > path && b[-1] != '/')
        b--;
    return b;
}

static int compare_files(const void *a, const void *b)
{
    const da_source_file *x = a, *y = b;
    if (x->root_index != y->root_index)
        return x->root_index < y->root_index ? -1 : 1;
    return strcmp(x->rel, y->rel);
}

int da_walk_roots(const char *const *roots, size_t nroots, const da_strlist *excludes,
                  da_source_list *files, da_strlist *first_party, da_import_set *errs,
                  da_error *err)
{
    walk_state st = {.excludes = excludes, .files = files, .errs = errs};
    int rc = 0;
    for (size_t r = 0; r < nroots && rc == 0; r++) {
        st.root_index = r;
        st.root = roots[r];
        size_t first = files->len;
        struct stat sb;
        if (stat(roots[r], &sb) != 0) {
            rc = da_error_set(err, roots[r], 0, 0, "cannot read: %s", strerror(errno));
        } else if (S_ISDIR(sb.st_mode)) {
            if (inode_set_add(&st.seen, sb.st_dev, sb.st_ino)) {
                DIR *probe = opendir(roots[r]);
                if (!probe) {
                    rc = da_error_set(err, roots[r], 0, 0, "cannot read directory: %s",
                                      strerror(errno));
                    break;
                }
                closedir(probe);
                walk_dir(&st, roots[r], "", sb.st_dev, true);
            }
            /* A root that is itself a package is imported by its directory name. */
            char *init = da_xasprintf("%s/__init__.py", roots[r]);
            const char *base = base_name(roots[r]);
            size_t blen = strcspn(base, "/");
            if (access(init, F_OK) == 0 && is_identifier(base, blen))
                da_strlist_push_owned(first_party, da_xstrndup(base, blen));
            free(init);
        } else if (S_ISREG(sb.st_mode)) {
            FILE *probe = fopen(roots[r], "rb");
            if (!probe) {
                rc = da_error_set(err, roots[r], 0, 0, "cannot read: %s", strerror(errno));
                break;
            }
            fclose(probe);
            if (inode_set_add(&st.seen, sb.st_dev, sb.st_ino))
                add_file(&st, roots[r], roots[r]);
            first_party_of(base_name(roots[r]), first_party);
            continue;
        } else {
            rc = da_error_set(err, roots[r], 0, 0, "not a file or directory");
        }
        for (size_t i = first; i < files->len; i++)
            first_party_of(files->items[i].rel, first_party);
    }
    free(st.seen.slots);
    if (files->len > 1)
        qsort(files->items, files->len, sizeof(*files->items), compare_files);
    if (first_party->len > 1)
        qsort(first_party->items, first_party->len, sizeof(char *), compare_names);
    unique(first_party);
    return rc;
}

void da_source_list_free(da_source_list *l)
{
    for (size_t i = 0; i < l->len; i++) {
        free(l->items[i].path);
        free(l->items[i].rel);
    }
    free(l->items);
    memset(l, 0, sizeof(*l));
}
