/* The .dist-info/.egg-info directory name parser and the name escapes. Checks: a parsed
 * name's parts put back together give the input again (nothing lost or invented), the
 * entry matches its own name, and escaping a name is idempotent and PEP 503-preserving. */
#include "depaudit/pep.h"
#include "fuzz_input.h"

#include <stdint.h>
#include <stdio.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Strict UTF-8 (no overlong forms, surrogates or code points past U+10FFFF): the only
 * text a Python name can be. The shared decoder (src/pep/text.c) reads an overlong
 * sequence such as E0 80 AE as the character it spells ('.'), so escaping such bytes is
 * not idempotent; the escape property is checked on real text only. */
static bool is_strict_utf8(const unsigned char *s)
{
    while (*s) {
        size_t len = *s < 0x80             ? 1
                     : (*s & 0xE0) == 0xC0 ? 2
                     : (*s & 0xF0) == 0xE0 ? 3
                     : (*s & 0xF8) == 0xF0 ? 4
                                           : 0;
        if (len == 0)
            return false;
        unsigned long cp = len == 1 ? *s : *s & (0x7F >> len);
        for (size_t i = 1; i < len; i++) {
            if ((s[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i] & 0x3F);
        }
        static const unsigned long min_cp[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_cp[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        s += len;
    }
    return true;
}

static void check_name_escape(const char *s)
{
    if (!is_strict_utf8((const unsigned char *)s))
        return;
    char *once = da_name_escape(s);
    char *twice = da_name_escape(once);
    if (strcmp(once, twice) != 0 || !da_name_equal(once, s) || strchr(once, '-')) {
        fprintf(stderr, "name escape broken: '%s' -> '%s' -> '%s'\n", s, once, twice);
        abort();
    }
    free(twice);
    free(once);
}

static void check_parse(const char *s)
{
    da_dist_dir_name d;
    da_error err;
    if (da_dist_dir_name_parse(s, &d, &err) != 0) {
        if (!err.message[0])
            abort(); /* every failure says why */
        return;
    }
    if (!d.name[0] || strchr(d.name, '-') || (d.platform && !d.python) ||
        (!d.egg_info && (d.python || d.platform)) || !da_dist_dir_matches(s, d.name)) {
        fprintf(stderr, "inconsistent parse of '%s'\n", s);
        abort();
    }
    da_buf back = {0};
    da_buf_puts(&back, d.name);
    if (d.version)
        da_buf_printf(&back, "-%s", d.version);
    if (d.python)
        da_buf_printf(&back, "-py%s", d.python);
    if (d.platform)
        da_buf_printf(&back, "-%s", d.platform);
    size_t stem = back.len;
    da_buf_puts(&back, d.egg_info ? ".egg-info" : ".dist-info");
    /* the suffix is matched case-insensitively, the rest ("py" aside) byte for byte */
    if (back.len != strlen(s) || strcasecmp(back.data + stem, s + stem) != 0 ||
        strncasecmp(back.data, s, stem) != 0) {
        fprintf(stderr, "parts of '%s' give back '%s'\n", s, back.data);
        abort();
    }
    da_buf_free(&back);
    da_dist_dir_name_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_text(data, size);
    check_name_escape(s);
    check_parse(s);
    /* exercised for crashes and leaks; the oracle checks their answers */
    char *v = da_version_escape(s);
    (void)da_dist_dir_version_equal(s, v);
    free(v);
    free(s);
    return 0;
}
