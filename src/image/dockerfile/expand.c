/* Docker's variable expansion and word splitting (the rules of its shell-lex package, not
 * of a shell: no globbing, no command substitution, no field splitting of values). */
#include "image/dockerfile/expand.h"

#include "depaudit/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool name_start(char c)
{
    return isalpha((unsigned char)c) || c == '_';
}

static bool name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static const char *lookup(const ex_env *env, const char *name)
{
    const char *v = env && env->lookup ? env->lookup(env->ctx, name) : NULL;
    return v;
}

static void report_missing(const ex_env *env, const char *name)
{
    if (env && env->missing)
        env->missing(env->ctx, name);
}

/* The index just after the '}' matching the '{' at s[open], or n if unbalanced. */
static size_t matching_brace(const char *s, size_t n, size_t open)
{
    int depth = 0;
    for (size_t i = open; i < n; i++) {
        if (s[i] == '{')
            depth++;
        else if (s[i] == '}' && --depth == 0)
            return i + 1;
    }
    return n;
}

/* Expands the `$...` at s[i]; appends to b and returns the index after it. `word_fn`
 * processes the word of ${A:-word} (with or without quote removal). */
/* Nested defaults (${A:-${B:-...}}) recurse; past this depth the text stays literal. */
enum { MAX_NESTING = 32 };

static char *word_at(const char *s, size_t n, char escape, const ex_env *env, int depth);
static char *vars_at(const char *s, size_t n, bool braces_only, const ex_env *env, int depth);

static size_t expand_dollar(const char *s, size_t n, size_t i, char escape, bool quotes,
                            const ex_env *env, da_buf *b, int depth)
{
    size_t j = i + 1;
    if (j < n && s[j] == '{') {
        size_t close = matching_brace(s, n, j);
        if (close == n && (n == 0 || s[n - 1] != '}')) {
            /* Unterminated: keep the text literally. */
            da_buf_append(b, s + i, n - i);
            return n;
        }
        size_t ns = j + 1, ne = ns;
        while (ne < close - 1 && name_char(s[ne]))
            ne++;
        if (ne == ns || !name_start(s[ns])) {
            da_buf_append(b, s + i, close - i);
            return close;
        }
        char *name = da_xstrndup(s + ns, ne - ns);
        const char *val = lookup(env, name);
        size_t op = ne;
        size_t inner_end = close - 1;
        if (op == inner_end) {
            if (val)
                da_buf_puts(b, val);
            else if (env && env->keep_unset)
                da_buf_append(b, s + i, close - i);
            else
                report_missing(env, name);
            free(name);
            return close;
        }
        bool colon = s[op] == ':';
        size_t m = colon ? op + 1 : op;
        char kind = m < inner_end ? s[m] : 0;
        if (kind != '-' && kind != '+' && kind != '?') {
            /* ${A#pat}, ${A%pat}, ${A/x/y}: not modelled; the value unchanged is the
             * closest honest answer. */
            if (val)
                da_buf_puts(b, val);
            else
                report_missing(env, name);
            free(name);
            return close;
        }
        bool set = val != NULL;
        bool nonempty = set && val[0] != '\0';
        bool cond = colon ? nonempty : set;
        if (depth >= MAX_NESTING) {
            da_buf_append(b, s + i, close - i);
            free(name);
            return close;
        }
        char *word = quotes ? word_at(s + m + 1, inner_end - m - 1, escape, env, depth + 1)
                            : vars_at(s + m + 1, inner_end - m - 1, false, env, depth + 1);
        if (kind == '-')
            da_buf_puts(b, cond ? val : word);
        else if (kind == '+')
            da_buf_puts(b, cond ? word : "");
        else {
            if (cond)
                da_buf_puts(b, val);
            else
                report_missing(env, name);
        }
        free(word);
        free(name);
        return close;
    }
    if (j < n && name_start(s[j])) {
        size_t e = j;
        while (e < n && name_char(s[e]))
            e++;
        char *name = da_xstrndup(s + j, e - j);
        const char *val = lookup(env, name);
        if (val)
            da_buf_puts(b, val);
        else if (env && env->keep_unset)
            da_buf_append(b, s + i, e - i);
        else
            report_missing(env, name);
        free(name);
        return e;
    }
    da_buf_putc(b, '$');
    return j;
}

char *ex_word(const char *s, size_t n, char escape, const ex_env *env)
{
    return word_at(s, n, escape, env, 0);
}

static char *word_at(const char *s, size_t n, char escape, const ex_env *env, int depth)
{
    da_buf b = {0};
    da_buf_puts(&b, "");
    size_t i = 0;
    while (i < n) {
        char c = s[i];
        if (c == escape) {
            if (i + 1 < n)
                da_buf_putc(&b, s[i + 1]);
            i += 2;
        } else if (c == '\'') {
            size_t e = i + 1;
            while (e < n && s[e] != '\'')
                e++;
            da_buf_append(&b, s + i + 1, e - i - 1);
            i = e < n ? e + 1 : n;
        } else if (c == '"') {
            i++;
            while (i < n && s[i] != '"') {
                if (s[i] == escape && i + 1 < n &&
                    (s[i + 1] == '"' || s[i + 1] == '$' || s[i + 1] == escape)) {
                    da_buf_putc(&b, s[i + 1]);
                    i += 2;
                } else if (s[i] == '$') {
                    i = expand_dollar(s, n, i, escape, false, env, &b, depth);
                } else {
                    da_buf_putc(&b, s[i]);
                    i++;
                }
            }
            if (i < n)
                i++;
        } else if (c == '$') {
            i = expand_dollar(s, n, i, escape, true, env, &b, depth);
        } else {
            da_buf_putc(&b, c);
            i++;
        }
    }
    return da_buf_take(&b);
}

char *ex_vars_only(const char *s, size_t n, bool braces_only, const ex_env *env)
{
    return vars_at(s, n, braces_only, env, 0);
}

static char *vars_at(const char *s, size_t n, bool braces_only, const ex_env *env, int depth)
{
    da_buf b = {0};
    da_buf_puts(&b, "");
    size_t i = 0;
    while (i < n) {
        if (s[i] == '$' && i + 1 < n && (s[i + 1] == '{' || (!braces_only && name_start(s[i + 1]))))
            i = expand_dollar(s, n, i, 0, false, env, &b, depth);
        else
            da_buf_putc(&b, s[i++]);
    }
    return da_buf_take(&b);
}

size_t ex_split(const char *s, size_t n, char escape, ex_span **out)
{
    ex_span *spans = NULL;
    size_t len = 0, cap = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && isspace((unsigned char)s[i]))
            i++;
        if (i >= n)
            break;
        size_t start = i;
        char quote = 0;
        while (i < n) {
            char c = s[i];
            if (quote) {
                if (c == escape && quote == '"' && i + 1 < n)
                    i++;
                else if (c == quote)
                    quote = 0;
            } else if (c == escape && i + 1 < n) {
                i++;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (isspace((unsigned char)c)) {
                break;
            }
            i++;
        }
        ex_span sp = {start, i > n ? n : i};
        DA_PUSH(spans, len, cap, sp);
    }
    *out = spans;
    return len;
}
