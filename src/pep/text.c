#include "text.h"

#include <string.h>

size_t pep_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0) {
        *cp = 0;
        return 0;
    }
    unsigned char c = u[0];
    size_t len;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07;
    } else {
        *cp = c;
        return 1;
    }
    if (len > n) {
        *cp = c;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80) {
            *cp = c;
            return 1;
        }
        v = (v << 6) | (u[i] & 0x3F);
    }
    /* Overlong forms, surrogates and values past U+10FFFF are not UTF-8: decoding them
     * would let e.g. E0 80 AE pass for '.', which Python text can never contain. */
    static const uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min_for_len[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = c;
        return 1;
    }
    *cp = v;
    return len;
}

static bool is_space_cp(uint32_t cp)
{
    if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F))
        return true;
    if (cp < 0x80)
        return false;
    return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

size_t pep_space_len(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80)
        return is_space_cp(c) ? 1 : 0;
    uint32_t cp;
    size_t len = pep_utf8_decode(s, n, &cp);
    return (len > 1 && is_space_cp(cp)) ? len : 0;
}

size_t pep_skip_space(const char *s, size_t n, size_t pos)
{
    while (pos < n) {
        size_t l = pep_space_len(s + pos, n - pos);
        if (l == 0)
            break;
        pos += l;
    }
    return pos;
}

size_t pep_rstrip_len(const char *s, size_t n)
{
    /* Walk forward remembering where the last run of white space began: UTF-8 cannot be
     * decoded backwards without that care. */
    size_t end = 0, pos = 0;
    while (pos < n) {
        size_t l = pep_space_len(s + pos, n - pos);
        if (l) {
            pos += l;
            continue;
        }
        uint32_t cp;
        pos += pep_utf8_decode(s + pos, n - pos, &cp);
        end = pos;
    }
    return end;
}

bool pep_is_word_cp(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
               cp == '_';
    if (is_space_cp(cp))
        return false;
    if (cp <= 0xBF) /* Latin-1 punctuation and symbols, except the few alphanumerics */
        return cp == 0xAA || cp == 0xB2 || cp == 0xB3 || cp == 0xB5 || cp == 0xB9 || cp == 0xBA ||
               (cp >= 0xBC && cp <= 0xBE);
    if (cp == 0xD7 || cp == 0xF7)
        return false;
    if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x20A0 && cp <= 0x20CF) ||
        (cp >= 0x2190 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x3004) ||
        (cp >= 0x3008 && cp <= 0x3020) || (cp >= 0xD800 && cp <= 0xDFFF) ||
        (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
        (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == 0xFFFD ||
        cp == 0xFEFF)
        return false;
    return true;
}

/* The code point that ends just before byte offset pos (walks back over continuation
 * bytes, then decodes forward). */
static uint32_t cp_before(const char *s, size_t pos)
{
    size_t start = pos - 1;
    size_t back = 0;
    while (start > 0 && back < 3 && (((unsigned char)s[start]) & 0xC0) == 0x80) {
        start--;
        back++;
    }
    uint32_t cp;
    size_t len = pep_utf8_decode(s + start, pos - start, &cp);
    if (start + len != pos) /* not one sequence: take the last byte alone */
        return (unsigned char)s[pos - 1];
    return cp;
}

bool pep_word_boundary(const char *s, size_t n, size_t pos)
{
    bool before = pos > 0 && pep_is_word_cp(cp_before(s, pos));
    bool after = false;
    if (pos < n) {
        uint32_t cp;
        pep_utf8_decode(s + pos, n - pos, &cp);
        after = pep_is_word_cp(cp);
    }
    return before != after;
}

size_t pep_ci_char(const char *s, size_t n, char c)
{
    if (n == 0)
        return 0;
    unsigned char b = (unsigned char)s[0];
    if (b < 0x80) {
        if (b >= 'A' && b <= 'Z')
            b = (unsigned char)(b - 'A' + 'a');
        return b == (unsigned char)c ? 1 : 0;
    }
    if (c == 's' && n >= 2 && b == 0xC5 && (unsigned char)s[1] == 0xBF)
        return 2; /* U+017F LATIN SMALL LETTER LONG S */
    if (c == 'i' && n >= 2 && b == 0xC4 &&
        ((unsigned char)s[1] == 0xB0 || (unsigned char)s[1] == 0xB1))
        return 2; /* U+0130 and U+0131, the dotted and dotless I */
    if (c == 'k' && n >= 3 && b == 0xE2 && (unsigned char)s[1] == 0x84 &&
        (unsigned char)s[2] == 0xAA)
        return 3; /* U+212A KELVIN SIGN */
    return 0;
}

size_t pep_ci_word(const char *s, size_t n, const char *word)
{
    size_t pos = 0;
    for (const char *w = word; *w; w++) {
        size_t l = pep_ci_char(s + pos, n - pos, *w);
        if (l == 0)
            return 0;
        pos += l;
    }
    return pos;
}

size_t pep_ci_alnum(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    unsigned char b = (unsigned char)s[0];
    if (b < 0x80)
        return ((b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) ? 1 : 0;
    size_t l = pep_ci_char(s, n, 's');
    if (!l)
        l = pep_ci_char(s, n, 'i');
    if (!l)
        l = pep_ci_char(s, n, 'k');
    return l;
}

static void put_cp(da_buf *out, uint32_t cp)
{
    char tmp[4];
    size_t len;
    if (cp < 0x80) {
        tmp[0] = (char)cp;
        len = 1;
    } else if (cp < 0x800) {
        tmp[0] = (char)(0xC0 | (cp >> 6));
        tmp[1] = (char)(0x80 | (cp & 0x3F));
        len = 2;
    } else if (cp < 0x10000) {
        tmp[0] = (char)(0xE0 | (cp >> 12));
        tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        tmp[2] = (char)(0x80 | (cp & 0x3F));
        len = 3;
    } else {
        tmp[0] = (char)(0xF0 | (cp >> 18));
        tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        tmp[3] = (char)(0x80 | (cp & 0x3F));
        len = 4;
    }
    da_buf_append(out, tmp, len);
}

static uint32_t lower_cp(uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        return cp + 32;
    if (cp < 0xC0)
        return cp;
    if (cp <= 0xDE && cp != 0xD7)
        return cp + 32;
    if (cp >= 0x100 && cp <= 0x12F)
        return cp | 1;
    if ((cp >= 0x132 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177))
        return cp | 1;
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
        return (cp & 1) ? cp + 1 : cp;
    if (cp == 0x178)
        return 0xFF;
    if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2)
        return cp + 32;
    if (cp >= 0x410 && cp <= 0x42F)
        return cp + 32;
    if (cp >= 0x400 && cp <= 0x40F)
        return cp + 80;
    if (cp == 0x212A)
        return 'k';
    return cp;
}

void pep_lower_append(da_buf *out, const char *s, size_t n)
{
    size_t pos = 0;
    while (pos < n) {
        unsigned char b = (unsigned char)s[pos];
        if (b < 0x80) {
            da_buf_putc(out, (char)((b >= 'A' && b <= 'Z') ? b + 32 : b));
            pos++;
            continue;
        }
        uint32_t cp;
        size_t l = pep_utf8_decode(s + pos, n - pos, &cp);
        if (l == 1) { /* not UTF-8: keep the byte */
            da_buf_putc(out, (char)b);
        } else if (cp == 0x130) {
            da_buf_puts(out, "i\xCC\x87"); /* str.lower() gives i + COMBINING DOT ABOVE */
        } else {
            put_cp(out, lower_cp(cp));
        }
        pos += l;
    }
}

int pep_column(const char *s, size_t off)
{
    int col = 1;
    size_t pos = 0;
    while (pos < off) {
        uint32_t cp;
        size_t l = pep_utf8_decode(s + pos, off - pos, &cp);
        pos += l ? l : 1;
        col++;
    }
    return col;
}

void pep_int_append(da_buf *out, const char *digits, size_t n)
{
    size_t i = 0;
    while (i + 1 < n && digits[i] == '0')
        i++;
    if (n == 0)
        da_buf_putc(out, '0');
    else
        da_buf_append(out, digits + i, n - i);
}
