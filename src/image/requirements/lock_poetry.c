/* poetry.lock: [[package]] entries with name, version, the groups they belong to (`groups`,
 * or the older `category`), a package-level `markers`, and the tables
 * [package.dependencies] (NAME = constraint, an inline table with version/markers/optional/
 * extras, or an array of those) and [package.extras] (EXTRA = ["dep (>=1)", ...]) of the
 * package before them. Constraints are in Poetry's syntax and kept in PEP 440 form, to pick
 * among several versions of one name. */
#include "image/requirements/lock.h"

#include "image/requirements/project_toml.h"

#include <stdlib.h>
#include <string.h>

static void add_constraint(rq_lock_dep *dep, char *constraint)
{
    if (constraint && constraint[0] && strcmp(constraint, "*") != 0) {
        bool lossy = false;
        char *spec = rq_poetry_constraint(constraint, &lossy);
        if (spec && spec[0])
            dep->specifier = spec;
        else
            free(spec);
    }
    free(constraint);
}

/* One value of [package.dependencies]: "constraint" or {version, markers, optional, extras} */
static void read_dep_value(const da_toml *doc, const char *name, TSNode v, rq_lock_deps *deps)
{
    if (da_toml_is_string(v)) {
        rq_lock_dep_add(deps, name, NULL, NULL);
        add_constraint(&deps->items[deps->len - 1], da_toml_string(doc, v, NULL, NULL));
        return;
    }
    if (!da_toml_is_inline_table(v))
        return;
    TSNode x;
    char *marker = da_toml_get(doc, v, "markers", &x) ? da_toml_string(doc, x, NULL, NULL) : NULL;
    rq_lock_dep_add(deps, name, NULL, marker);
    free(marker);
    rq_lock_dep *dep = &deps->items[deps->len - 1];
    if (da_toml_get(doc, v, "version", &x))
        add_constraint(dep, da_toml_string(doc, x, NULL, NULL));
    dep->optional = da_toml_get(doc, v, "optional", &x) && da_toml_boolean(doc, x) == 1;
    if (da_toml_get(doc, v, "extras", &x) && da_toml_is_array(x)) {
        TSNode e;
        for (size_t i = 0; da_toml_next_element(x, &i, &e);) {
            char *s = da_toml_string(doc, e, NULL, NULL);
            if (s)
                da_strlist_push_owned(&dep->extras, da_name_normalize(s));
            free(s);
        }
    }
}

static void read_dependencies(const da_toml *doc, TSNode table, rq_lock_package *p)
{
    da_toml_pair q;
    for (size_t k = 0; da_toml_next_pair(table, &k, &q);) {
        char *name = da_toml_key_text(doc, q.key);
        if (da_toml_is_array(q.value)) { /* several constraints, each with its markers */
            TSNode e;
            for (size_t i = 0; da_toml_next_element(q.value, &i, &e);)
                read_dep_value(doc, name, e, &p->deps);
        } else {
            read_dep_value(doc, name, q.value, &p->deps);
        }
        free(name);
    }
}

/* [package.extras] EXTRA = ["name (>=1)", "other[x]"] */
static void read_extras(const da_toml *doc, TSNode table, rq_lock_package *p)
{
    da_toml_pair q;
    for (size_t k = 0; da_toml_next_pair(table, &k, &q);) {
        if (!da_toml_is_array(q.value))
            continue;
        char *name = da_toml_key_text(doc, q.key);
        rq_lock_group *g = rq_lock_group_get(&p->extras, &p->nextras, name);
        TSNode e;
        for (size_t i = 0; da_toml_next_element(q.value, &i, &e);) {
            char *s = da_toml_string(doc, e, NULL, NULL);
            if (s)
                rq_lock_dep_from_pep508(&g->deps, s);
            free(s);
        }
        free(name);
    }
}

static void read_package(const da_toml *doc, TSNode table, rq_lock_package *p)
{
    da_toml_pair q;
    for (size_t k = 0; da_toml_next_pair(table, &k, &q);) {
        if (rq_lock_read_identity(doc, &q, p)) {
            continue;
        } else if (da_toml_key_is(doc, q.key, "category") && da_toml_is_string(q.value)) {
            da_strlist_push_owned(&p->groups, da_toml_string(doc, q.value, NULL, NULL));
        } else if (da_toml_key_is(doc, q.key, "groups")) {
            da_toml_push_strings(doc, q.value, &p->groups);
        } else if (da_toml_key_is(doc, q.key, "markers") && da_toml_is_string(q.value)) {
            free(p->marker); /* a key given twice: the last one */
            p->marker = da_toml_string(doc, q.value, NULL, NULL);
        } else if (da_toml_key_is(doc, q.key, "markers") && da_toml_is_inline_table(q.value)) {
            TSNode m; /* per group: the main group's, which an install of it uses */
            if (da_toml_get(doc, q.value, "main", &m)) {
                free(p->marker);
                p->marker = da_toml_string(doc, m, NULL, NULL);
            }
        }
    }
}

void rq_lock_read_poetry(const da_toml *doc, rq_lock *out)
{
    da_toml_table t = {0};
    rq_lock_package *cur = NULL;
    for (size_t i = 0; da_toml_next_table(doc, &i, &t);) {
        if (t.name.len == 0 || strcmp(t.name.items[0], "package") != 0)
            continue;
        if (t.array && t.name.len == 1) {
            cur = rq_lock_add_package(out);
            read_package(doc, t.node, cur);
        } else if (cur && t.name.len == 2 && strcmp(t.name.items[1], "dependencies") == 0) {
            read_dependencies(doc, t.node, cur);
        } else if (cur && t.name.len == 2 && strcmp(t.name.items[1], "extras") == 0) {
            read_extras(doc, t.node, cur);
        } else if (cur && t.name.len == 2 && strcmp(t.name.items[1], "source") == 0) {
            TSNode type;
            if (da_toml_get(doc, t.node, "type", &type)) {
                char *ty = da_toml_string(doc, type, NULL, NULL);
                cur->non_index = ty && strcmp(ty, "legacy") != 0;
                free(ty);
            }
        }
    }
    da_strlist_free(&t.name);
}
