/* PEP 751 pylock.toml: [[packages]] entries with name, version, marker and optionally their
 * dependencies (`{ name = ... }`); the top-level default-groups. An installer takes every
 * package whose marker holds for the target. */
#include "image/requirements/lock.h"

#include <stdlib.h>
#include <string.h>

static void read_package(const da_toml *doc, TSNode table, rq_lock_package *p)
{
    da_toml_pair q;
    for (size_t k = 0; da_toml_next_pair(table, &k, &q);) {
        if (rq_lock_read_identity(doc, &q, p)) {
            continue;
        } else if (da_toml_key_is(doc, q.key, "marker") && !p->marker) {
            p->marker = da_toml_string(doc, q.value, NULL, NULL);
        } else if (da_toml_key_is(doc, q.key, "vcs") || da_toml_key_is(doc, q.key, "directory") ||
                   da_toml_key_is(doc, q.key, "archive")) {
            p->non_index = true;
        } else if (da_toml_key_is(doc, q.key, "dependencies") && da_toml_is_array(q.value)) {
            TSNode e;
            for (size_t i = 0; da_toml_next_element(q.value, &i, &e);) {
                TSNode n;
                if (!da_toml_is_inline_table(e) || !da_toml_get(doc, e, "name", &n))
                    continue;
                char *name = da_toml_string(doc, n, NULL, NULL);
                if (name)
                    rq_lock_dep_add(&p->deps, name, NULL, NULL);
                free(name);
            }
        }
    }
}

void rq_lock_read_pylock(const da_toml *doc, rq_lock *out)
{
    da_toml_table t = {0};
    for (size_t i = 0; da_toml_next_table(doc, &i, &t);) {
        if (t.array && t.name.len == 1 && strcmp(t.name.items[0], "packages") == 0) {
            read_package(doc, t.node, rq_lock_add_package(out));
            continue;
        }
        if (t.name.len != 0)
            continue;
        da_toml_pair q; /* a top-level pair */
        for (size_t k = 0; da_toml_next_pair(t.node, &k, &q);) {
            if (da_toml_key_is(doc, q.key, "default-groups"))
                da_toml_push_strings(doc, q.value, &out->default_groups);
        }
    }
    da_strlist_free(&t.name);
}
