#include "pep508.h"
#include "specifier_impl.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

size_t pep_tok_ws(const pep_tokenizer *t)
{
    size_t p = t->pos;
    while (p < t->n && (t->s[p] == ' ' || t->s[p] == '\t'))
        p++;
    return p - t->pos;
}

void pep_tok_skip_ws(pep_tokenizer *t)
{
    t->pos += pep_tok_ws(t);
}

size_t pep_tok_char(const pep_tokenizer *t, char c)
{
    return (t->pos < t->n && t->s[t->pos] == c) ? 1 : 0;
}

size_t pep_tok_quoted(const pep_tokenizer *t)
{
    if (t->pos >= t->n || (t->s[t->pos] != '\'' && t->s[t->pos] != '"'))
        return 0;
    const char *close = memchr(t->s + t->pos + 1, t->s[t->pos], t->n - t->pos - 1);
    return close ? (size_t)(close - (t->s + t->pos)) + 1 : 0;
}

size_t pep_tok_op(const pep_tokenizer *t)
{
    static const char *const ops[] = {"===", "==", "~=", "!=", "<=", ">=", "<", ">", NULL};
    for (size_t i = 0; ops[i]; i++) {
        size_t l = strlen(ops[i]);
        if (t->pos + l <= t->n && memcmp(t->s + t->pos, ops[i], l) == 0)
            return l;
    }
    return 0;
}

size_t pep_tok_word(const pep_tokenizer *t, const char *word)
{
    size_t l = strlen(word);
    if (t->pos + l > t->n || memcmp(t->s + t->pos, word, l) != 0)
        return 0;
    if (!pep_word_boundary(t->s, t->n, t->pos) || !pep_word_boundary(t->s, t->n, t->pos + l))
        return 0;
    return l;
}

size_t pep_tok_variable(const pep_tokenizer *t)
{
    static const char *const names[] = {"python_version",
                                        "python_full_version",
                                        "os_name",
                                        "os.name",
                                        "sys_platform",
                                        "sys.platform",
                                        "platform_release",
                                        "platform_system",
                                        "platform_version",
                                        "platform.version",
                                        "platform_machine",
                                        "platform.machine",
                                        "platform_python_implementation",
                                        "platform.python_implementation",
                                        "python_implementation",
                                        "implementation_name",
                                        "implementation_version",
                                        "extra",
                                        NULL};
    for (size_t i = 0; names[i]; i++) {
        size_t l = pep_tok_word(t, names[i]);
        if (l)
            return l;
    }
    return 0;
}

static bool is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

size_t pep_tok_identifier(const pep_tokenizer *t)
{
    /* \b[a-zA-Z0-9][a-zA-Z0-9._-]*\b : the longest run that ends on a word boundary */
    size_t p = t->pos;
    if (p >= t->n || !is_alnum(t->s[p]) || !pep_word_boundary(t->s, t->n, p))
        return 0;
    size_t e = p + 1;
    while (e < t->n && (is_alnum(t->s[e]) || t->s[e] == '.' || t->s[e] == '_' || t->s[e] == '-'))
        e++;
    for (; e > p; e--)
        if (pep_word_boundary(t->s, t->n, e))
            return e - p;
    return 0;
}

size_t pep_tok_specifier(const pep_tokenizer *t)
{
    pep_spec_match m;
    if (!pep_specifier_match(t->s, t->n, t->pos, false, &m))
        return 0;
    return m.end - t->pos;
}

size_t pep_tok_url(const pep_tokenizer *t)
{
    size_t p = t->pos;
    while (p < t->n && t->s[p] != ' ' && t->s[p] != '\t')
        p++;
    return p - t->pos;
}

bool pep_tok_at_end(const pep_tokenizer *t)
{
    return t->pos == t->n || (t->pos + 1 == t->n && t->s[t->pos] == '\n');
}

bool pep_tok_fail(pep_tokenizer *t, size_t at, const char *message)
{
    if (!t->failed) {
        t->failed = true;
        da_error_set(t->err, NULL, 1, pep_column(t->s, at), "%s", message);
    }
    return false;
}
