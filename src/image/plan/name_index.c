/* The name index: FNV-1a hashing, linear probing, grown at half full. */
#include "image/plan/name_index.h"

#include "depaudit/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static pl_name_slot *slot_for(pl_name_slot *slots, size_t cap, const char *name)
{
    size_t i = (size_t)hash(name) & (cap - 1);
    while (slots[i].key && strcmp(slots[i].key, name) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static void grow(pl_name_index *ix)
{
    size_t cap = ix->cap ? ix->cap * 2 : 16;
    pl_name_slot *slots = da_xcalloc(cap, sizeof(*slots));
    for (size_t i = 0; i < ix->cap; i++)
        if (ix->slots[i].key)
            *slot_for(slots, cap, ix->slots[i].key) = ix->slots[i];
    free(ix->slots);
    ix->slots = slots;
    ix->cap = cap;
}

void pl_index_set(pl_name_index *ix, const char *name, size_t value)
{
    if ((ix->len + 1) * 2 > ix->cap)
        grow(ix);
    pl_name_slot *s = slot_for(ix->slots, ix->cap, name);
    if (!s->key) {
        s->key = da_xstrdup(name);
        ix->len++;
    }
    s->value = value;
}

bool pl_index_get(const pl_name_index *ix, const char *name, size_t *value)
{
    if (ix->cap == 0)
        return false;
    const pl_name_slot *s = slot_for(ix->slots, ix->cap, name);
    if (!s->key)
        return false;
    *value = s->value;
    return true;
}

void pl_index_free(pl_name_index *ix)
{
    for (size_t i = 0; i < ix->cap; i++)
        free(ix->slots[i].key);
    free(ix->slots);
    memset(ix, 0, sizeof(*ix));
}
