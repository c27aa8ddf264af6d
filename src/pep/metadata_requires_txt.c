/* egg-info requires.txt: setuptools wrote one requirement per line, grouping the optional
 * and conditional ones in "[extra]", "[:marker]" and "[extra:marker]" sections instead of
 * attaching markers. Each line is turned back into a self-contained PEP 508 string, in
 * the same form importlib.metadata produces ("x; (marker) and extra == \"e\""). */
#include "depaudit/core_metadata.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && isspace((unsigned char)**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* The requirement with its conditions joined by "and". Conditions that are themselves
 * expressions get parentheses when combined, so `or` inside them keeps its meaning. */
static char *combine(const char *req, size_t req_n, const char *line_marker, size_t lm_n,
                     const char *section_marker, size_t sm_n, const char *extra, size_t ex_n)
{
    int nconds = (lm_n > 0) + (sm_n > 0) + (ex_n > 0);
    da_buf b = {0};
    da_buf_append(&b, req, req_n);
    if (nconds == 0)
        return da_buf_take(&b);
    /* "name @ url ; marker": PEP 508 needs white space between a URL and the ';' */
    if (memchr(req, '@', req_n))
        da_buf_putc(&b, ' ');
    da_buf_puts(&b, "; ");
    bool wrap = nconds > 1;
    bool first = true;
    const char *marks[2] = {line_marker, section_marker};
    size_t lens[2] = {lm_n, sm_n};
    for (int k = 0; k < 2; k++) {
        if (lens[k] == 0)
            continue;
        if (!first)
            da_buf_puts(&b, " and ");
        da_buf_printf(&b, wrap ? "(%.*s)" : "%.*s", (int)lens[k], marks[k]);
        first = false;
    }
    if (ex_n > 0)
        da_buf_printf(&b, "%sextra == \"%.*s\"", first ? "" : " and ", (int)ex_n, extra);
    return da_buf_take(&b);
}

int da_requires_txt_parse(const char *text, size_t len, const char *origin,
                          da_strlist *requires_dist, da_error *err)
{
    const char *file = origin ? origin : "requires.txt";
    const char *extra = NULL, *smarker = NULL;
    size_t extra_n = 0, smarker_n = 0;
    size_t i = 0;
    int line = 0;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *line_start = text + i;
        const char *s = line_start;
        size_t n = end - i;
        i = nl ? end + 1 : len;
        line++;
        if (memchr(s, '\0', n))
            return da_error_set(err, file, line, 0, "NUL byte in requires.txt");
        trim(&s, &n);
        if (n == 0 || s[0] == '#')
            continue;
        if (s[0] == '[') {
            if (s[n - 1] != ']')
                return da_error_set(err, file, line, (int)(s - line_start) + 1,
                                    "section header without its closing ']'");
            const char *inner = s + 1;
            size_t inner_n = n - 2;
            const char *colon = memchr(inner, ':', inner_n);
            extra = inner;
            extra_n = colon ? (size_t)(colon - inner) : inner_n;
            smarker = colon ? colon + 1 : inner + inner_n;
            smarker_n = colon ? inner_n - extra_n - 1 : 0;
            trim(&extra, &extra_n);
            trim(&smarker, &smarker_n);
            continue;
        }
        const char *semi = memchr(s, ';', n);
        size_t req_n = semi ? (size_t)(semi - s) : n;
        const char *lmarker = semi ? semi + 1 : s + n;
        size_t lmarker_n = semi ? n - req_n - 1 : 0;
        const char *req = s;
        trim(&req, &req_n);
        trim(&lmarker, &lmarker_n);
        if (req_n == 0)
            return da_error_set(err, file, line, (int)(s - line_start) + 1,
                                "a marker without a requirement before it");
        da_strlist_push_owned(requires_dist, combine(req, req_n, lmarker, lmarker_n, smarker,
                                                     smarker_n, extra, extra_n));
    }
    return 0;
}
