#include "resolver.h"

#include <stdlib.h>
#include <string.h>

/* Chunks are never freed one by one: the solver's nodes live exactly as long as one
 * install command's resolution, so a bump allocator keeps that cheap and leak-free. */
struct rs_arena_chunk {
    struct rs_arena_chunk *next;
    size_t used, cap;
    _Alignas(max_align_t) unsigned char data[];
};

enum { RS_ARENA_CHUNK = 64 * 1024 };

void *rs_arena_alloc(rs_arena *a, size_t n)
{
    size_t align = _Alignof(max_align_t);
    n = (n + align - 1) / align * align;
    struct rs_arena_chunk *ch = a->chunks;
    if (!ch || ch->used + n > ch->cap) {
        size_t cap = n > RS_ARENA_CHUNK ? n : RS_ARENA_CHUNK;
        ch = da_xmalloc(sizeof(*ch) + cap);
        ch->next = a->chunks;
        ch->used = 0;
        ch->cap = cap;
        a->chunks = ch;
    }
    void *p = ch->data + ch->used;
    ch->used += n;
    memset(p, 0, n);
    return p;
}

void rs_arena_free(rs_arena *a)
{
    struct rs_arena_chunk *ch = a->chunks;
    while (ch) {
        struct rs_arena_chunk *next = ch->next;
        free(ch);
        ch = next;
    }
    a->chunks = NULL;
}
