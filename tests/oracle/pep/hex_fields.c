#include "hex_fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nibble(char c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

char *oracle_unhex(const char *h)
{
    size_t n = strlen(h) / 2;
    char *out = malloc(n + 1);
    if (!out)
        abort();
    for (size_t i = 0; i < n; i++)
        out[i] = (char)(nibble(h[2 * i]) * 16 + nibble(h[2 * i + 1]));
    out[n] = '\0';
    return out;
}

char *oracle_field(char **line)
{
    char *f = strsep(line, "\t");
    return oracle_unhex(f ? f : "");
}

void oracle_put_hex(const char *s)
{
    if (!s) {
        fputs("-", stdout);
        return;
    }
    if (!*s)
        fputs("=", stdout);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        printf("%02x", *p);
}
