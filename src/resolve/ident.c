#include "resolver.h"

#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

const char *rs_ident_name(const rs_ctx *c, int id)
{
    return c->projects[c->idents[id].project].name;
}

static int find_key(const rs_ctx *c, const char *key)
{
    for (size_t i = 0; i < c->nidents; i++)
        if (strcmp(c->idents[i].key, key) == 0)
            return (int)i;
    return -1;
}

int rs_ident_get(rs_ctx *c, const char *name, const da_strlist *extras, da_error *err)
{
    char *norm = da_name_normalize(name);
    da_strlist sorted = {0};
    if (extras)
        for (size_t i = 0; i < extras->len; i++) {
            char *e = da_name_normalize(extras->items[i]);
            if (!da_strlist_contains(&sorted, e))
                da_strlist_push_owned(&sorted, e);
            else
                free(e);
        }
    if (sorted.len > 1)
        qsort(sorted.items, sorted.len, sizeof(char *), cmp_str);
    da_buf key = {0};
    da_buf_puts(&key, norm);
    if (sorted.len) {
        da_buf_putc(&key, '[');
        for (size_t i = 0; i < sorted.len; i++)
            da_buf_printf(&key, "%s%s", i ? "," : "", sorted.items[i]);
        da_buf_putc(&key, ']');
    }
    int found = find_key(c, key.data);
    if (found >= 0) {
        free(norm);
        da_strlist_free(&sorted);
        da_buf_free(&key);
        return found;
    }
    int base = -1;
    if (sorted.len) {
        base = rs_ident_get(c, norm, NULL, err);
        if (base < 0)
            goto fail;
    }
    int project = rs_project_get(c, norm, err);
    if (project < 0)
        goto fail;
    size_t n = c->nidents;
    da_grow((void **)&c->idents, &c->idents_cap, n + 1, sizeof(*c->idents));
    /* depth and user order grow with the identifiers (capacity n: always reallocated) */
    size_t cap = n;
    da_grow((void **)&c->depth, &cap, n + 1, sizeof(*c->depth));
    cap = n;
    da_grow((void **)&c->user_order, &cap, n + 1, sizeof(*c->user_order));
    rs_ident *id = &c->idents[n];
    id->key = da_buf_take(&key);
    id->project = project;
    id->extras = sorted;
    id->base = base < 0 ? (int)n : base;
    c->depth[n] = -1;
    c->user_order[n] = -1;
    c->nidents++;
    free(norm);
    return (int)n;
fail:
    free(norm);
    da_strlist_free(&sorted);
    da_buf_free(&key);
    return -1;
}

rs_info *rs_info_new(rs_ctx *c, rs_info_kind kind, int ident, const da_requirement *req,
                     const char *text, da_error *err)
{
    rs_info *info = rs_arena_alloc(&c->arena, sizeof(*info));
    info->kind = kind;
    info->ident = ident;
    info->req = req;
    info->text = text;
    info->parent = -1;
    info->parent_version = -1;
    if (req && rs_clauses_from_specifier(req->specifier, &info->clauses, err) < 0)
        return NULL;
    DA_PUSH(c->infos, c->ninfos, c->infos_cap, info);
    return info;
}
