#include "depaudit/pep.h"
#include "text.h"

#include <string.h>

static bool is_sep(char c)
{
    return c == '-' || c == '_' || c == '.';
}

char *da_name_normalize(const char *name)
{
    da_buf out = {0};
    size_t n = strlen(name), start = 0;
    da_buf_puts(&out, "");
    for (size_t i = 0; i < n;) {
        if (is_sep(name[i])) {
            pep_lower_append(&out, name + start, i - start);
            while (i < n && is_sep(name[i]))
                i++;
            da_buf_putc(&out, '-');
            start = i;
        } else {
            i++;
        }
    }
    pep_lower_append(&out, name + start, n - start);
    return da_buf_take(&out);
}

static bool is_alnum_ascii(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool da_name_is_valid(const char *name)
{
    /* ^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$ case-insensitively, ASCII only. */
    size_t n = strlen(name);
    if (n == 0 || !is_alnum_ascii(name[0]) || !is_alnum_ascii(name[n - 1]))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_alnum_ascii(name[i]) && !is_sep(name[i]))
            return false;
    return true;
}
