#include "depaudit/util.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *check(void *p)
{
    if (!p) {
        fputs("depaudit: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *da_xmalloc(size_t n)
{
    return check(malloc(n ? n : 1));
}

void *da_xcalloc(size_t count, size_t n)
{
    return check(calloc(count ? count : 1, n ? n : 1));
}

void *da_xrealloc(void *p, size_t n)
{
    return check(realloc(p, n ? n : 1));
}

char *da_xstrdup(const char *s)
{
    return check(strdup(s));
}

char *da_xstrndup(const char *s, size_t n)
{
    return check(strndup(s, n));
}

char *da_xstrndup_trimmed(const char *s, size_t n)
{
    while (n > 0 && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    return da_xstrndup(s, n);
}

char *da_xstrdup_or_null(const char *s)
{
    return s ? da_xstrdup(s) : NULL;
}

char *da_xasprintf(const char *fmt, ...)
{
    da_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    da_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return da_buf_take(&b);
}

size_t da_implied_cap(size_t len)
{
    if (len == 0)
        return 0;
    size_t n = 8;
    while (n < len)
        n *= 2;
    return n;
}

void da_grow(void **items, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap)
        return;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2 / elem_size)
            check(NULL);
        n *= 2;
    }
    *items = da_xrealloc(*items, n * elem_size);
    *cap = n;
}
