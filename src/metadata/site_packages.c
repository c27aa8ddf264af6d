/* Installed environments: every *.dist-info (METADATA, RECORD) and *.egg-info (PKG-INFO,
 * requires.txt, top_level.txt, installed-files.txt; or a single PKG-INFO file) of one
 * site-packages directory, read into da_release values. Nothing is executed. */
#include "depaudit/metadata.h"

#include "depaudit/core_metadata.h"
#include "depaudit/pep.h"
#include "depaudit/wheel.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int read_optional(const char *dir, const char *name, char **data, size_t *len)
{
    char *path = da_xasprintf("%s/%s", dir, name);
    int rc = da_read_file(path, data, len, NULL);
    free(path);
    return rc;
}

static void warn(da_strlist *warnings, const da_error *e)
{
    if (!warnings)
        return;
    char msg[2048];
    da_error_format(e, msg, sizeof(msg));
    da_strlist_push(warnings, msg);
}

static da_release *release_from_metadata(const char *text, size_t len, const char *origin,
                                         da_error *err)
{
    da_core_metadata md;
    if (da_core_metadata_parse(text, len, origin, &md, err) != 0)
        return NULL;
    if (!md.name || !md.version) {
        da_core_metadata_free(&md);
        da_error_set(err, origin, 0, 0, "metadata without Name or Version");
        return NULL;
    }
    da_release *r = da_xcalloc(1, sizeof(*r));
    r->name = da_name_normalize(md.name);
    r->version = da_xstrdup(md.version);
    r->requires_python = md.requires_python ? da_xstrdup(md.requires_python) : NULL;
    for (size_t i = 0; i < md.requires_dist.len; i++)
        da_strlist_push(&r->requires_dist, md.requires_dist.items[i]);
    for (size_t i = 0; i < md.provides_extra.len; i++)
        da_strlist_push(&r->provides_extra, md.provides_extra.items[i]);
    for (size_t i = 0; i < md.import_names.len; i++)
        da_strlist_push(&r->import_names, md.import_names.items[i]);
    r->requires_known = true;
    r->source = DA_SOURCE_SITE_PACKAGES;
    r->origin = da_xstrdup(origin);
    da_core_metadata_free(&md);
    return r;
}

static da_release *read_dist_info(const char *path, da_error *err)
{
    char *text = NULL;
    size_t len = 0;
    char *meta_path = da_xasprintf("%s/METADATA", path);
    if (da_read_file(meta_path, &text, &len, err) != 0) {
        free(meta_path);
        return NULL;
    }
    da_release *r = release_from_metadata(text, len, meta_path, err);
    free(text);
    free(meta_path);
    if (!r)
        return NULL;
    if (read_optional(path, "RECORD", &text, &len) == 0) {
        char *origin = da_xasprintf("%s/RECORD", path);
        da_strlist paths = {0};
        if (da_record_parse(text, len, origin, &paths, err) != 0) {
            da_strlist_free(&paths);
            free(origin);
            free(text);
            da_release_free(r);
            return NULL;
        }
        da_modules_from_paths(&paths, r);
        da_strlist_free(&paths);
        free(origin);
        free(text);
    }
    return r;
}

/* Adds top_level.txt names as modules: used only when no file list says more. */
static void modules_from_top_level(const char *text, size_t len, da_release *r)
{
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && text[j] != '\n')
            j++;
        size_t a = i, b = j;
        while (a < b && (text[a] == ' ' || text[a] == '\t' || text[a] == '\r'))
            a++;
        while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '\r'))
            b--;
        if (b > a) {
            char *name = da_xstrndup(text + a, b - a);
            for (char *c = name; *c; c++)
                if (*c == '/')
                    *c = '.';
            if (!da_strlist_contains(&r->modules, name))
                da_strlist_push(&r->modules, name);
            free(name);
        }
        i = j + 1;
    }
    r->modules_known = r->modules.len > 0;
}

static da_release *read_egg_info(const char *path, const char *entry, da_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        da_error_set(err, path, 0, 0, "cannot stat: %s", strerror(errno));
        return NULL;
    }
    char *text = NULL;
    size_t len = 0;
    if (!S_ISDIR(st.st_mode)) {
        /* A lone PKG-INFO file named *.egg-info: metadata only, no file list. */
        if (da_read_file(path, &text, &len, err) != 0)
            return NULL;
        da_release *r = release_from_metadata(text, len, path, err);
        free(text);
        return r;
    }
    char *pkg = da_xasprintf("%s/PKG-INFO", path);
    if (da_read_file(pkg, &text, &len, err) != 0) {
        free(pkg);
        return NULL;
    }
    da_release *r = release_from_metadata(text, len, pkg, err);
    free(text);
    free(pkg);
    if (!r)
        return NULL;
    /* PKG-INFO of an egg does not list Requires-Dist: requires.txt does. */
    if (read_optional(path, "requires.txt", &text, &len) == 0) {
        char *origin = da_xasprintf("%s/requires.txt", path);
        int rc = da_requires_txt_parse(text, len, origin, &r->requires_dist, err);
        free(origin);
        free(text);
        if (rc != 0) {
            da_release_free(r);
            return NULL;
        }
    }
    if (read_optional(path, "installed-files.txt", &text, &len) == 0) {
        char *origin = da_xasprintf("%s/installed-files.txt", path);
        da_strlist paths = {0};
        int rc = da_file_list_parse(text, len, origin, entry, &paths, err);
        free(origin);
        free(text);
        if (rc != 0) {
            da_strlist_free(&paths);
            da_release_free(r);
            return NULL;
        }
        da_modules_from_paths(&paths, r);
        da_strlist_free(&paths);
    } else if (read_optional(path, "top_level.txt", &text, &len) == 0) {
        modules_from_top_level(text, len, r);
        free(text);
    }
    return r;
}

static int compare_releases(const void *a, const void *b)
{
    const da_release *x = *(const da_release *const *)a, *y = *(const da_release *const *)b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->version, y->version);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int da_site_packages_scan(const char *dir, da_release ***out, da_strlist *warnings, da_error *err)
{
    *out = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return da_error_set(err, dir, 0, 0, "cannot read site-packages: %s", strerror(errno));
    da_strlist entries = {0};
    struct dirent *de;
    while ((de = readdir(d)))
        if (da_str_ends_with(de->d_name, ".dist-info") || da_str_ends_with(de->d_name, ".egg-info"))
            da_strlist_push(&entries, de->d_name);
    closedir(d);
    if (entries.len > 1)
        qsort(entries.items, entries.len, sizeof(char *), compare_names);
    da_release **list = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < entries.len; i++) {
        char *path = da_xasprintf("%s/%s", dir, entries.items[i]);
        da_error e = {0};
        da_release *r = da_str_ends_with(entries.items[i], ".dist-info")
                            ? read_dist_info(path, &e)
                            : read_egg_info(path, entries.items[i], &e);
        if (r) {
            free(r->origin);
            r->origin = path;
            DA_PUSH(list, n, cap, r);
        } else {
            warn(warnings, &e);
            free(path);
        }
    }
    da_strlist_free(&entries);
    if (n > 1)
        qsort(list, n, sizeof(*list), compare_releases);
    *out = list;
    return (int)n;
}

void da_releases_free(da_release **r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        da_release_free(r[i]);
    free(r);
}

void da_release_top_levels(const da_release *r, da_strlist *out)
{
    const da_strlist *lists[2] = {&r->modules, &r->namespaces};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < lists[k]->len; i++) {
            const char *m = lists[k]->items[i];
            char *top = da_xstrndup(m, strcspn(m, "."));
            if (!da_strlist_contains(out, top))
                da_strlist_push(out, top);
            free(top);
        }
    if (out->len > 1)
        qsort(out->items, out->len, sizeof(char *), compare_names);
}
