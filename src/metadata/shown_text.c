#include "metadata/shown_text.h"

#include "depaudit/util.h"

#define SHOWN_MAX 200

char *da_shown_text(const char *s)
{
    da_buf b = {0};
    da_buf_puts(&b, "");
    size_t n = 0;
    for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++, n++) {
        if (n == SHOWN_MAX) {
            da_buf_puts(&b, "...");
            break;
        }
        if (*c >= 0x20 && *c < 0x7f && *c != '\\')
            da_buf_putc(&b, (char)*c);
        else
            da_buf_printf(&b, "\\x%02x", *c);
    }
    return da_buf_take(&b);
}
