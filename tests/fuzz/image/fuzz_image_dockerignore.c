/* Fuzzes the .dockerignore reader and matcher (what da_image_path_of asks): the input is
 * split at its first NUL byte into the rules and one path of the context. Whatever the
 * bytes, parsing and matching must neither crash, hang nor leak, and:
 *   - matching is deterministic (the same rules and path give the same deciding rule), and
 *     a deciding rule is one of the file's exclusions;
 *   - for a path that is its own exact pattern (clean, relative, no glob metacharacters,
 *     no surrounding blanks), Docker's rules (the last matching line decides) give:
 *     rules + "\n<path>" exclude it, and rules + "\n!<path>" do not. */
#include "depaudit/build_context.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A path that Docker's pattern cleaning leaves as it is and that has no glob syntax, so
 * the pattern equal to it matches it literally (a leading `#` would make its line a
 * comment, a leading `!` an exception). */
static bool is_literal_clean_path(const char *p)
{
    size_t n = strlen(p);
    if (n == 0 || strchr("/#!", p[0]) || p[n - 1] == '/' || strchr(p, '\n'))
        return false;
    if (strpbrk(p, "*?[\\") || strchr(" \t\r\v\f", p[0]) || strchr(" \t\r\v\f", p[n - 1]))
        return false;
    for (const char *e = p; e;) { /* no empty, `.` or `..` element */
        const char *slash = strchr(e, '/');
        size_t len = slash ? (size_t)(slash - e) : strlen(e);
        if (len == 0 || (len == 1 && e[0] == '.') || (len == 2 && e[0] == '.' && e[1] == '.'))
            return false;
        e = slash ? slash + 1 : NULL;
    }
    return true;
}

static const da_ignore_rule *excluding_with(const char *rules, size_t rlen, const char *line,
                                            const char *path, da_ignore_rules *r)
{
    size_t llen = strlen(line), plen = strlen(path);
    char *text = malloc(rlen + llen + plen + 2);
    if (!text)
        abort();
    memcpy(text, rules, rlen);
    text[rlen] = '\n';
    memcpy(text + rlen + 1, line, llen);
    memcpy(text + rlen + 1 + llen, path, plen);
    da_dockerignore_parse(".dockerignore", text, rlen + 1 + llen + plen, r);
    free(text);
    return da_ignore_rules_excluding(r, path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    size_t rlen = nul ? (size_t)(nul - text) : size;
    char *path = nul ? da_xstrndup(nul + 1, size - rlen - 1) : da_xstrdup("app/main.py");

    da_ignore_rules r;
    da_dockerignore_parse(".dockerignore", text, rlen, &r);
    for (size_t i = 0; i < r.len; i++) {
        if (!r.items[i].pattern || r.items[i].line < 1)
            abort();
        (void)da_ignore_pattern_matches(r.items[i].pattern, path);
    }
    const da_ignore_rule *a = da_ignore_rules_excluding(&r, path);
    const da_ignore_rule *b = da_ignore_rules_excluding(&r, path);
    if (a != b || (a && (a < r.items || a >= r.items + r.len || a->negate)))
        abort();
    da_ignore_rules_free(&r);

    if (is_literal_clean_path(path)) {
        da_ignore_rules with;
        const da_ignore_rule *d = excluding_with(text, rlen, "", path, &with);
        if (!d)
            abort();
        da_ignore_rules_free(&with);
        if (excluding_with(text, rlen, "!", path, &with))
            abort();
        da_ignore_rules_free(&with);
    }
    free(path);
    return 0;
}
