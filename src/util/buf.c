#include "depaudit/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void da_buf_append(da_buf *b, const void *data, size_t n)
{
    da_grow((void **)&b->data, &b->cap, b->len + n + 1, 1);
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void da_buf_puts(da_buf *b, const char *s)
{
    da_buf_append(b, s, strlen(s));
}

void da_buf_putc(da_buf *b, char c)
{
    da_buf_append(b, &c, 1);
}

void da_buf_vprintf(da_buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return;
    da_grow((void **)&b->data, &b->cap, b->len + (size_t)n + 1, 1);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void da_buf_printf(da_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    da_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

char *da_buf_take(da_buf *b)
{
    char *s = b->data ? b->data : da_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

void da_buf_free(da_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void da_strlist_push(da_strlist *l, const char *s)
{
    da_strlist_push_owned(l, da_xstrdup(s));
}

void da_strlist_push_owned(da_strlist *l, char *s)
{
    DA_PUSH(l->items, l->len, l->cap, s);
}

bool da_strlist_contains(const da_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->len; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

void da_strlist_copy_into(da_strlist *dst, const da_strlist *src)
{
    for (size_t i = 0; i < src->len; i++)
        da_strlist_push(dst, src->items[i]);
}

void da_strlist_free(da_strlist *l)
{
    for (size_t i = 0; i < l->len; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->len = l->cap = 0;
}

bool da_str_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool da_str_ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}
