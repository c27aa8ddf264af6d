/* poetry.lock and uv.lock: every [[package]] as a `name==version` pin (origin lockfile),
 * located at its name, for the constraints of `poetry install` and `uv sync`. */
#include "image/requirements/project_toml.h"

#include "image/push.h"

#include <stdlib.h>
#include <string.h>

/* One [[package]]; the project itself (uv's editable or virtual source, no version) is
 * not a pin. */
static void read_lock_package(rq_toml *t, TSNode table, size_t *list)
{
    char *name = NULL, *version = NULL;
    size_t ns = 0, ne = 0;
    bool own_project = false;
    da_toml_pair p;
    for (size_t k = 0; da_toml_next_pair(table, &k, &p);) {
        if (da_toml_key_is(t->doc, p.key, "name") && da_toml_is_string(p.value) && !name) {
            name = da_toml_string(t->doc, p.value, &ns, &ne);
        } else if (da_toml_key_is(t->doc, p.key, "version") && da_toml_is_string(p.value) &&
                   !version) {
            version = da_toml_string(t->doc, p.value, NULL, NULL);
        } else if (da_toml_key_is(t->doc, p.key, "source") && da_toml_is_inline_table(p.value)) {
            size_t vl;
            const char *vs = da_toml_text(t->doc, p.value, &vl);
            char *src = da_xstrndup(vs, vl);
            own_project = strstr(src, "editable") || strstr(src, "virtual");
            free(src);
        }
    }
    if (name && version && !own_project) {
        char *text = da_xasprintf("%s==%s", name, version);
        if (*list == (size_t)-1) {
            *list = rq_toml_new_list(t, "lockfile", "");
            t->out->lists[*list].origin = DA_ORIGIN_LOCKFILE;
        }
        rq_toml_add_req(t, text, NULL, ns, ne, *list);
        t->out->dependencies[t->out->ndependencies - 1].origin = DA_ORIGIN_LOCKFILE;
        t->out->lists[*list].count++;
        free(text);
    }
    free(name);
    free(version);
}

void rq_lock_packages(rq_toml *t)
{
    size_t list = (size_t)-1;
    da_toml_table table = {0};
    for (size_t i = 0; da_toml_next_table(t->doc, &i, &table);)
        if (table.array && table.name.len == 1 && strcmp(table.name.items[0], "package") == 0)
            read_lock_package(t, table.node, &list);
    da_strlist_free(&table.name);
}
