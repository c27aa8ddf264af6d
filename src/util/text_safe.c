/* Text from the input made safe to print (util.h: da_text_put_safe). UTF-8 is checked by its own
 * rules (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF; C1 controls
 * (U+0080..U+009F) are escaped too, as some terminals act on them. */
#include "depaudit/util.h"

#include <stdlib.h>

/* The length of the valid UTF-8 sequence at s (1..4), 0 if the bytes are not one. */
static size_t utf8_length(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n = c >= 0xC2 && c <= 0xDF   ? 2
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4
                                        : 0;
    if (n == 0)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) || (c == 0xF0 && s[1] < 0x90) ||
        (c == 0xF4 && s[1] > 0x8F))
        return 0; /* overlong, a surrogate, above U+10FFFF */
    return n;
}

void da_text_put_safe(da_buf *out, const char *s, const char *newline)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        if (*p == '\n' && newline) {
            da_buf_puts(out, newline);
            p++;
            continue;
        }
        size_t n = utf8_length(p);
        bool control = n == 1 ? (*p < 0x20 && *p != '\t') || *p == 0x7F
                              : n == 2 && p[0] == 0xC2 && p[1] < 0xA0;
        if (n == 0 || control) {
            for (size_t i = 0; i < (n ? n : 1); i++)
                da_buf_printf(out, "\\x%02x", p[i]);
            p += n ? n : 1;
            continue;
        }
        da_buf_append(out, (const char *)p, n);
        p += n;
    }
}

char *da_text_safe(const char *s)
{
    da_buf b = {0};
    da_text_put_safe(&b, s, NULL);
    return da_buf_take(&b);
}
