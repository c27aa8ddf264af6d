/* The content cache_writer writes and test_cache_kill checks: self-describing, so any read
 * can be checked whole without knowing which generation it is. A header line
 * "key=K gen=G len=N\n" and N bytes derived from (K, G), 16 to 256 KiB. */
#ifndef DEPAUDIT_CACHE_KILL_CONTENT_H
#define DEPAUDIT_CACHE_KILL_CONTENT_H

#include "depaudit/util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KILL_KEYS 12

static inline unsigned char kill_byte(const char *key, unsigned long gen, size_t i)
{
    unsigned long h = gen * 2654435761u + i * 40503u;
    for (const char *c = key; *c; c++)
        h = h * 31 + (unsigned char)*c;
    return (unsigned char)(h >> 7);
}

static inline char *kill_content(const char *key, unsigned long gen, size_t *len)
{
    size_t n = 16384 + (size_t)((gen * 7919) % (256 * 1024 - 16384));
    char head[96];
    int hl = snprintf(head, sizeof(head), "key=%s gen=%lu len=%zu\n", key, gen, n);
    char *out = da_xmalloc((size_t)hl + n + 1);
    memcpy(out, head, (size_t)hl);
    for (size_t i = 0; i < n; i++)
        out[(size_t)hl + i] = (char)kill_byte(key, gen, i);
    out[(size_t)hl + n] = '\0';
    *len = (size_t)hl + n;
    return out;
}

/* Whether data is exactly what kill_content wrote for key, for some generation. */
static inline bool kill_content_valid(const char *key, const char *data, size_t len)
{
    const char *nl = memchr(data, '\n', len);
    char k[32];
    unsigned long gen = 0;
    size_t n = 0;
    if (!nl || sscanf(data, "key=%31s gen=%lu len=%zu\n", k, &gen, &n) != 3 ||
        strcmp(k, key) != 0 || len - (size_t)(nl + 1 - data) != n)
        return false;
    const unsigned char *p = (const unsigned char *)nl + 1;
    for (size_t i = 0; i < n; i++)
        if (p[i] != kill_byte(key, gen, i))
            return false;
    return true;
}

#endif
