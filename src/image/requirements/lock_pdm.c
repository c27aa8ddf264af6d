/* pdm.lock: [[package]] entries with name, version, the groups they belong to, a marker,
 * and dependencies as PEP 508 strings. An install takes the packages of its groups. */
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
        } else if (da_toml_key_is(doc, q.key, "groups")) {
            da_toml_push_strings(doc, q.value, &p->groups);
        } else if (da_toml_key_is(doc, q.key, "dependencies")) {
            da_strlist deps = {0};
            da_toml_push_strings(doc, q.value, &deps);
            for (size_t i = 0; i < deps.len; i++)
                rq_lock_dep_from_pep508(&p->deps, deps.items[i]);
            da_strlist_free(&deps);
        } else if (da_toml_key_is(doc, q.key, "editable") || da_toml_key_is(doc, q.key, "path") ||
                   da_toml_key_is(doc, q.key, "git") || da_toml_key_is(doc, q.key, "url")) {
            p->non_index = true;
        }
    }
}

void rq_lock_read_pdm(const da_toml *doc, rq_lock *out)
{
    da_toml_table t = {0};
    for (size_t i = 0; da_toml_next_table(doc, &i, &t);)
        if (t.array && t.name.len == 1 && strcmp(t.name.items[0], "package") == 0)
            read_package(doc, t.node, rq_lock_add_package(out));
    da_strlist_free(&t.name);
}
