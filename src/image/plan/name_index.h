/* A map from names to indexes (an open-addressing hash table of string keys, which it owns),
 * so that what the walk looks up by name (a stage's variables, the merged requirements)
 * costs the same however long the Dockerfile is. */
#ifndef DEPAUDIT_IMAGE_NAME_INDEX_H
#define DEPAUDIT_IMAGE_NAME_INDEX_H

#include <stdbool.h>
#include <stddef.h>

typedef struct pl_name_slot {
    char *key; /* NULL: empty */
    size_t value;
} pl_name_slot;

typedef struct pl_name_index {
    pl_name_slot *slots;
    size_t cap, len; /* cap is 0 or a power of two */
} pl_name_index;

/* Sets name's value (adding the name when new). */
void pl_index_set(pl_name_index *ix, const char *name, size_t value);
/* name's value, or false when it has none. */
bool pl_index_get(const pl_name_index *ix, const char *name, size_t *value);
void pl_index_free(pl_name_index *ix);

#endif
