/* uv.lock: [[package]] entries with name, version, source (a registry, or the project
 * itself: `editable`/`virtual`), dependency edges `{ name, version?, marker?, extra? }`, and
 * the tables [package.optional-dependencies] (extras) and [package.dev-dependencies]
 * (dependency groups) of the package before them. */
#include "image/requirements/lock.h"

#include <stdlib.h>
#include <string.h>

static char *string_of(const da_toml *doc, TSNode container, const char *key)
{
    TSNode v;
    return da_toml_get(doc, container, key, &v) ? da_toml_string(doc, v, NULL, NULL) : NULL;
}

/* `{ name = "x", version = "1", marker = "...", extra = ["a"] }` */
static void read_edge(const da_toml *doc, TSNode t, rq_lock_deps *deps)
{
    if (!da_toml_is_inline_table(t))
        return;
    char *name = string_of(doc, t, "name");
    if (!name)
        return;
    char *version = string_of(doc, t, "version");
    char *marker = string_of(doc, t, "marker");
    rq_lock_dep_add(deps, name, version, marker);
    TSNode extras;
    if (da_toml_get(doc, t, "extra", &extras) && da_toml_is_array(extras)) {
        TSNode e;
        for (size_t i = 0; da_toml_next_element(extras, &i, &e);) {
            char *x = da_toml_string(doc, e, NULL, NULL);
            if (x)
                da_strlist_push_owned(&deps->items[deps->len - 1].extras, da_name_normalize(x));
            free(x);
        }
    }
    free(name);
    free(version);
    free(marker);
}

static void read_edges(const da_toml *doc, TSNode array, rq_lock_deps *deps)
{
    if (!da_toml_is_array(array))
        return;
    TSNode e;
    for (size_t i = 0; da_toml_next_element(array, &i, &e);)
        read_edge(doc, e, deps);
}

/* source = { registry = ... } | { editable = "." } | { virtual = "." } | { git = ... } */
static void read_source(const da_toml *doc, TSNode src, rq_lock_package *p)
{
    if (!da_toml_is_inline_table(src))
        return;
    da_toml_pair q;
    for (size_t k = 0; da_toml_next_pair(src, &k, &q);) {
        bool editable = da_toml_key_is(doc, q.key, "editable");
        bool virt = da_toml_key_is(doc, q.key, "virtual");
        if (editable || virt) {
            p->project = true;
            p->virtual_project = virt;
            free(p->path);
            p->path = da_toml_string(doc, q.value, NULL, NULL);
        } else if (!da_toml_key_is(doc, q.key, "registry")) {
            p->non_index = true; /* git, path, directory, url */
        }
    }
}

static void read_package(const da_toml *doc, TSNode table, rq_lock_package *p)
{
    da_toml_pair q;
    for (size_t k = 0; da_toml_next_pair(table, &k, &q);) {
        if (rq_lock_read_identity(doc, &q, p)) {
            continue;
        } else if (da_toml_key_is(doc, q.key, "source")) {
            read_source(doc, q.value, p);
        } else if (da_toml_key_is(doc, q.key, "dependencies")) {
            read_edges(doc, q.value, &p->deps);
        } else if (da_toml_key_is(doc, q.key, "resolution-markers")) {
            da_toml_push_strings(doc, q.value, &p->resolution_markers);
        }
    }
}

/* [package.optional-dependencies] / [package.dev-dependencies]: NAME = [edges] */
static void read_groups(const da_toml *doc, TSNode table, rq_lock_group **groups, size_t *n)
{
    da_toml_pair q;
    for (size_t k = 0; da_toml_next_pair(table, &k, &q);) {
        char *name = da_toml_key_text(doc, q.key);
        rq_lock_group *g = rq_lock_group_get(groups, n, name);
        read_edges(doc, q.value, &g->deps);
        free(name);
    }
}

void rq_lock_read_uv(const da_toml *doc, rq_lock *out)
{
    da_toml_table t = {0};
    rq_lock_package *cur = NULL;
    for (size_t i = 0; da_toml_next_table(doc, &i, &t);) {
        if (t.name.len == 0 || strcmp(t.name.items[0], "package") != 0)
            continue;
        if (t.array && t.name.len == 1) {
            cur = rq_lock_add_package(out);
            read_package(doc, t.node, cur);
        } else if (cur && !t.array && t.name.len == 2 &&
                   strcmp(t.name.items[1], "optional-dependencies") == 0) {
            read_groups(doc, t.node, &cur->extras, &cur->nextras);
        } else if (cur && !t.array && t.name.len == 2 &&
                   strcmp(t.name.items[1], "dev-dependencies") == 0) {
            read_groups(doc, t.node, &cur->dev, &cur->ndev);
        }
    }
    da_strlist_free(&t.name);
}
