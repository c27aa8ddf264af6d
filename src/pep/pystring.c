#include "pystring.h"

#include <stdint.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void put_cp(da_buf *out, uint32_t cp)
{
    char t[4];
    size_t len;
    if (cp < 0x80) {
        t[0] = (char)cp;
        len = 1;
    } else if (cp < 0x800) {
        t[0] = (char)(0xC0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3F));
        len = 2;
    } else if (cp < 0x10000) { /* lone surrogates too, as Python strings allow them */
        t[0] = (char)(0xE0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        len = 3;
    } else {
        t[0] = (char)(0xF0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        len = 4;
    }
    da_buf_append(out, t, len);
}

bool pep_pystring_decode(const char *tok, size_t n, da_buf *out, const char **why)
{
    const char *s = tok + 1;
    size_t len = n - 2, i = 0;
    da_buf_puts(out, "");
    while (i < len) {
        char c = s[i];
        if (c == '\n' || c == '\r') {
            *why = "line break inside a quoted string";
            return false;
        }
        if (c != '\\') {
            da_buf_putc(out, c);
            i++;
            continue;
        }
        if (i + 1 >= len) {
            *why = "backslash before the closing quote";
            return false;
        }
        char e = s[i + 1];
        i += 2;
        int digits = 0;
        switch (e) {
        case '\n':
            break; /* line continuation */
        case '\r':
            if (i < len && s[i] == '\n')
                i++;
            break;
        case '\\':
        case '\'':
        case '"':
            da_buf_putc(out, e);
            break;
        case 'a':
            da_buf_putc(out, '\a');
            break;
        case 'b':
            da_buf_putc(out, '\b');
            break;
        case 'f':
            da_buf_putc(out, '\f');
            break;
        case 'n':
            da_buf_putc(out, '\n');
            break;
        case 'r':
            da_buf_putc(out, '\r');
            break;
        case 't':
            da_buf_putc(out, '\t');
            break;
        case 'v':
            da_buf_putc(out, '\v');
            break;
        case 'x':
            digits = 2;
            break;
        case 'u':
            digits = 4;
            break;
        case 'U':
            digits = 8;
            break;
        case 'N':
            *why = "\\N{...} escapes are not supported";
            return false;
        default:
            if (e >= '0' && e <= '7') {
                uint32_t v = (uint32_t)(e - '0');
                for (int k = 0; k < 2 && i < len && s[i] >= '0' && s[i] <= '7'; k++)
                    v = v * 8 + (uint32_t)(s[i++] - '0');
                put_cp(out, v);
            } else { /* an unknown escape stays as written */
                da_buf_putc(out, '\\');
                i--;
            }
        }
        if (digits) {
            uint32_t v = 0;
            for (int k = 0; k < digits; k++) {
                int h = i < len ? hexval(s[i]) : -1;
                if (h < 0) {
                    *why = "truncated \\x, \\u or \\U escape";
                    return false;
                }
                v = v * 16 + (uint32_t)h;
                i++;
            }
            if (v > 0x10FFFF) {
                *why = "\\U escape out of range";
                return false;
            }
            put_cp(out, v);
        }
    }
    return true;
}
