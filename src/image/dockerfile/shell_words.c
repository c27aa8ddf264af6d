/* Words as sh forms them from a tree-sitter-bash word node: quote removal, backslash
 * escapes, parameter expansion (`$A`, `${A:-x}`, `${A%.*}`, `${#A}`), command substitution
 * kept as written and marked unknown, then field splitting of what unquoted expansions
 * produced. Pathname expansion is not done: nothing in the image is known to match a glob,
 * and sh leaves a pattern that matches nothing as written. Every byte of a value keeps the
 * span of the file it came from, so a field (or a whole `sh -c` body) maps back to the
 * Dockerfile. */
#include "image/dockerfile/shell_walk.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

/* A value being formed: its bytes, the file span each came from, and whether each came
 * from an unquoted expansion (only those bytes split fields). */
typedef struct wbuf {
    da_buf buf;
    size_t *from, *to;
    bool *split;
    size_t cap;
    bool expanded, unknown, quoted;
    /* "$@": a field ends before each of these bytes; at_empty: it expanded to no word */
    size_t *breaks;
    size_t nbreaks, bcap;
    bool at_empty;
} wbuf;

static void put_byte(wbuf *b, char c, size_t from, size_t to, bool split)
{
    if (b->buf.len + 1 > b->cap) {
        b->cap = b->cap ? b->cap * 2 : 32;
        b->from = da_xrealloc(b->from, b->cap * sizeof(size_t));
        b->to = da_xrealloc(b->to, b->cap * sizeof(size_t));
        b->split = da_xrealloc(b->split, b->cap * sizeof(bool));
    }
    b->from[b->buf.len] = from;
    b->to[b->buf.len] = to;
    b->split[b->buf.len] = split;
    da_buf_putc(&b->buf, c);
}

/* A value that comes from elsewhere (an expansion): every byte spans [from, to). */
static void put_value(wbuf *b, const char *s, size_t n, size_t from, size_t to, bool split)
{
    for (size_t i = 0; i < n; i++)
        put_byte(b, s[i], from, to, split);
}

static void wbuf_free(wbuf *b)
{
    da_buf_free(&b->buf);
    free(b->from);
    free(b->to);
    free(b->split);
    free(b->breaks);
    memset(b, 0, sizeof(*b));
}

bool sh_is_type(TSNode n, const char *t)
{
    return strcmp(ts_node_type(n), t) == 0;
}

const char *sh_node_text(const walker *w, TSNode n, size_t *len)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (e > w->script->len)
        e = (uint32_t)w->script->len;
    if (s > e)
        s = e;
    *len = e - s;
    return w->script->s + s;
}

size_t sh_offset(const walker *w, uint32_t pos)
{
    return w->script->map[pos < w->script->len ? pos : w->script->len];
}

/* Script bytes [s, e) as written, with `\x` meaning x (in_dquote: only before $ ` " \ and
 * newline, as inside double quotes). */
static void put_literal(walker *w, wbuf *b, uint32_t s, uint32_t e, bool in_dquote)
{
    const char *t = w->script->s;
    if (e > w->script->len)
        e = (uint32_t)w->script->len;
    for (uint32_t i = s; i < e; i++) {
        if (t[i] == '\\' && i + 1 < e && (!in_dquote || strchr("$`\"\\\n", t[i + 1]) != NULL)) {
            if (t[i + 1] != '\n')
                put_byte(b, t[i + 1], sh_offset(w, i), sh_offset(w, i + 1) + 1, false);
            i++;
            continue;
        }
        put_byte(b, t[i], sh_offset(w, i), sh_offset(w, i) + 1, false);
    }
}

/* ---- parameter expansion ------------------------------------------------------------ */

/* The value of a variable; when report, an unset one is told to the environment (it
 * expands to nothing where a default would not replace it). */
static const char *lookup(walker *w, const char *name, bool report)
{
    const char *v = w->env.lookup(w->env.ctx, name);
    if (!v && report && w->env.missing)
        w->env.missing(w->env.ctx, name);
    return v;
}

/* Removes the shortest/longest prefix or suffix matching pattern (fnmatch), as
 * ${A#p} ${A##p} ${A%p} ${A%%p} do. */
static char *trim_pattern(const char *v, const char *pattern, bool suffix, bool longest)
{
    size_t n = strlen(v);
    char *tmp = da_xstrdup(v);
    for (size_t k = 0; k <= n; k++) {
        size_t len = longest ? n - k : k; /* length of the part removed */
        bool hit;
        if (suffix) {
            hit = fnmatch(pattern, v + n - len, 0) == 0;
        } else {
            memcpy(tmp, v, len);
            tmp[len] = '\0';
            hit = fnmatch(pattern, tmp, 0) == 0;
        }
        if (hit) {
            char *r = suffix ? da_xstrndup(v, n - len) : da_xstrdup(v + len);
            free(tmp);
            return r;
        }
    }
    free(tmp);
    return da_xstrdup(v);
}

/* ${...}: the name, then nothing, a default/alternative operator, or a prefix/suffix
 * pattern. Anything else (${A/x/y}, ${A:1:2}) is unknown, its value unchanged. */
static char *expand_braces(walker *w, const char *t, size_t len, bool *unknown)
{
    const char *p = t + 2, *end = t + len - 1; /* inside ${ ... } */
    if (len < 3 || t[len - 1] != '}') {
        *unknown = true;
        return da_xstrndup(t, len);
    }
    bool length = *p == '#' && p + 1 < end;
    if (length)
        p++;
    const char *ns = p;
    while (p < end && (p == ns ? (*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
                               : (*p == '_' || (*p >= 'A' && *p <= 'Z') ||
                                  (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))))
        p++;
    char *pval = NULL;
    const char *val;
    if (p == ns) { /* ${1}, ${@}, ${#}, ${1:-x}: the positional parameters */
        size_t pl = sh_param_name_len(p, (size_t)(end - p));
        if (pl == 0 || !sh_param_value(w, p, pl, &pval)) {
            *unknown = true; /* kept as written: what it holds is not known here */
            return pl == 0 ? da_xstrdup("") : da_xstrndup(t, len);
        }
        p += pl;
        val = pval;
    } else {
        char *name = da_xstrndup(ns, (size_t)(p - ns));
        bool colon_op = p < end && *p == ':';
        char op_kind = p < end ? (colon_op && p + 1 < end ? p[1] : *p) : 0;
        bool defaulted = op_kind == '-' || op_kind == '=' || op_kind == '+';
        val = lookup(w, name, !defaulted);
        free(name);
    }
    char *word = NULL;
    char *res;
    if (length) {
        res = p == end ? da_xasprintf("%zu", val ? strlen(val) : 0) : da_xstrdup("");
        if (p != end)
            *unknown = true;
    } else if (p == end) {
        res = da_xstrdup(val ? val : "");
    } else {
        bool colon = *p == ':';
        const char *op = colon ? p + 1 : p;
        char kind = op < end ? *op : 0;
        const char *ws = op < end ? op + 1 : end; /* `${A:}` has no operator at all */
        if (kind == '#' || kind == '%') {
            bool longest = ws < end && *ws == kind;
            if (longest)
                ws++;
        }
        word = ex_vars_only(ws, (size_t)(end - ws), false, &w->env);
        bool set = val != NULL, nonempty = set && val[0];
        bool cond = colon ? nonempty : set;
        if (!colon && (kind == '#' || kind == '%'))
            res = trim_pattern(val ? val : "", word, kind == '%', op + 1 < end && op[1] == kind);
        else if (kind == '-' || kind == '=')
            res = da_xstrdup(cond ? val : word);
        else if (kind == '+')
            res = da_xstrdup(cond ? word : "");
        else if (kind == '?')
            res = da_xstrdup(val ? val : "");
        else {
            *unknown = true;
            res = da_xstrdup(val ? val : "");
        }
    }
    free(word);
    free(pval);
    return res;
}

/* $@ $* $# $1 (and ${@} ${*}): the positional parameters; false when t is none of them.
 * "$@" gives one field per parameter (none when there are none); unknown ones stay as
 * written, marked unknown. */
static bool eval_params(walker *w, const char *t, size_t len, wbuf *b, bool quoted, size_t from,
                        size_t to)
{
    const char *name = t + 1;
    size_t nl = len - 1;
    if (len >= 3 && t[1] == '{' && t[len - 1] == '}') {
        name = t + 2;
        nl = len - 3;
        if (nl != 1 || (name[0] != '@' && name[0] != '*'))
            return false; /* ${1}, ${#}, ${1:-x}: expand_braces */
    } else if (nl != 1 || !sh_param_name_len(name, nl)) {
        return false;
    }
    b->expanded = true;
    char *v = NULL;
    if (!sh_param_value(w, name, nl, &v)) {
        put_value(b, t, len, from, to, false);
        b->unknown = true;
        return true;
    }
    const da_strlist *l = sh_param_list(w);
    if (quoted && name[0] == '@' && l) {
        for (size_t i = 0; i < l->len; i++) {
            if (i > 0)
                DA_PUSH(b->breaks, b->nbreaks, b->bcap, b->buf.len);
            put_value(b, l->items[i], strlen(l->items[i]), from, to, false);
        }
        if (l->len == 0)
            b->at_empty = true;
    } else {
        put_value(b, v, strlen(v), from, to, !quoted);
    }
    free(v);
    return true;
}

static void eval_expansion(walker *w, TSNode n, wbuf *b, bool quoted)
{
    size_t len;
    const char *t = sh_node_text(w, n, &len);
    w->unknown = false;
    bool unknown = false;
    char *v;
    if (len >= 2 && eval_params(w, t, len, b, quoted, sh_offset(w, ts_node_start_byte(n)),
                                sh_offset(w, ts_node_end_byte(n) - 1) + 1))
        return;
    if (len >= 2 && t[1] == '{') {
        v = expand_braces(w, t, len, &unknown);
    } else if (len >= 2 &&
               (t[1] == '_' || (t[1] >= 'A' && t[1] <= 'Z') || (t[1] >= 'a' && t[1] <= 'z'))) {
        char *name = da_xstrndup(t + 1, len - 1);
        const char *val = lookup(w, name, true);
        v = da_xstrdup(val ? val : "");
        free(name);
    } else { /* $1 $@ $? $$ ...: not known when the Dockerfile is read */
        v = da_xstrdup("");
        unknown = true;
    }
    size_t from = sh_offset(w, ts_node_start_byte(n));
    size_t to = sh_offset(w, ts_node_end_byte(n) - 1) + 1;
    put_value(b, v, strlen(v), from, to, !quoted);
    free(v);
    b->expanded = true;
    if (unknown || w->unknown)
        b->unknown = true;
}

/* ---- the node walk ------------------------------------------------------------------ */

static void eval(walker *w, TSNode n, wbuf *b, bool quoted);

static void eval_double_quoted(walker *w, TSNode n, wbuf *b)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    uint32_t i = s + 1;
    uint32_t end = e > s + 1 ? e - 1 : e;
    uint32_t nchild = ts_node_named_child_count(n);
    for (uint32_t ci = 0; ci < nchild; ci++) {
        TSNode child = ts_node_named_child(n, ci);
        if (sh_is_type(child, "string_content"))
            continue;
        uint32_t cs = ts_node_start_byte(child);
        if (cs < i)
            continue;
        put_literal(w, b, i, cs, true);
        eval(w, child, b, true);
        i = ts_node_end_byte(child);
    }
    if (i < end)
        put_literal(w, b, i, end, true);
    b->quoted = true;
}

static void eval_inner(walker *w, TSNode n, wbuf *b, bool quoted)
{
    const char *type = ts_node_type(n);
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (strcmp(type, "raw_string") == 0) {
        for (uint32_t i = s + 1; i + 1 < e; i++)
            put_byte(b, w->script->s[i], sh_offset(w, i), sh_offset(w, i) + 1, false);
        b->quoted = true;
    } else if (strcmp(type, "string") == 0) {
        eval_double_quoted(w, n, b);
    } else if (strcmp(type, "translated_string") == 0 && ts_node_named_child_count(n) > 0) {
        eval_double_quoted(w, ts_node_named_child(n, 0), b);
    } else if (strcmp(type, "ansi_c_string") == 0) {
        if (e >= s + 3)
            put_literal(w, b, s + 2, e - 1, false);
        b->quoted = true;
    } else if (strcmp(type, "concatenation") == 0) {
        uint32_t nc = ts_node_child_count(n);
        uint32_t prev_end = s;
        for (uint32_t i = 0; i < nc; i++) {
            TSNode c = ts_node_child(n, i);
            /* Anonymous pieces between named children are literal text. */
            if (ts_node_start_byte(c) > prev_end)
                put_literal(w, b, prev_end, ts_node_start_byte(c), quoted);
            eval(w, c, b, quoted);
            prev_end = ts_node_end_byte(c);
        }
    } else if (strcmp(type, "simple_expansion") == 0 || strcmp(type, "expansion") == 0) {
        eval_expansion(w, n, b, quoted);
    } else if (strcmp(type, "command_substitution") == 0 ||
               strcmp(type, "process_substitution") == 0 ||
               strcmp(type, "arithmetic_expansion") == 0) {
        /* its output is known only when the image is built: kept as written */
        size_t len;
        const char *t = sh_node_text(w, n, &len);
        put_value(b, t, len, sh_offset(w, s), sh_offset(w, e > s ? e - 1 : s) + 1, false);
        b->unknown = true;
    } else {
        /* word, number, glob patterns and anything else: backslash escapes removed */
        put_literal(w, b, s, e, quoted);
    }
}

static void eval(walker *w, TSNode n, wbuf *b, bool quoted)
{
    if (++w->depth > SH_MAX_DEPTH) {
        b->unknown = true;
    } else {
        eval_inner(w, n, b, quoted);
    }
    w->depth--;
}

/* ---- fields --------------------------------------------------------------------------- */

static bool is_ifs(char c)
{
    return c == ' ' || c == '\t' || c == '\n';
}

static sh_word field(const walker *w, TSNode n, const wbuf *b, size_t s, size_t e, bool whole)
{
    sh_word word;
    memset(&word, 0, sizeof(word));
    word.value = da_xstrndup(b->buf.data ? b->buf.data + s : "", e - s);
    word.expanded = b->expanded;
    word.unknown = b->unknown;
    uint32_t ns = ts_node_start_byte(n), ne = ts_node_end_byte(n);
    bool one_string = whole && (sh_is_type(n, "string") || sh_is_type(n, "raw_string"));
    if (one_string) {
        word.quote = sh_is_type(n, "string") ? '"' : '\'';
        word.start = sh_offset(w, ns + 1);
        word.end = ne > ns + 1 ? sh_offset(w, ne - 1) : word.start;
    } else if (e > s) {
        word.start = b->from[s];
        word.end = b->to[e - 1];
    } else {
        word.start = word.end = sh_offset(w, ns);
    }
    return word;
}

void sh_fields(walker *w, TSNode n, sh_word **words, size_t *nwords, size_t *cap)
{
    wbuf b;
    memset(&b, 0, sizeof(b));
    eval(w, n, &b, false);
    size_t len = b.buf.len;
    bool any_split = b.nbreaks > 0;
    for (size_t i = 0; i < len && !any_split; i++)
        any_split = b.split[i] && is_ifs(b.buf.data[i]);
    if (!any_split) {
        if ((len > 0 || b.quoted || !b.expanded) && !(len == 0 && b.at_empty)) {
            sh_word word = field(w, n, &b, 0, len, true);
            DA_PUSH(*words, *nwords, *cap, word);
        }
        wbuf_free(&b);
        return;
    }
    bool *brk = da_xcalloc(len + 1, sizeof(bool));
    for (size_t k = 0; k < b.nbreaks; k++)
        if (b.breaks[k] <= len)
            brk[b.breaks[k]] = true;
    size_t i = 0;
    while (i < len) {
        while (i < len && b.split[i] && is_ifs(b.buf.data[i]))
            i++;
        if (i >= len)
            break;
        size_t s = i;
        do
            i++;
        while (i < len && !(b.split[i] && is_ifs(b.buf.data[i])) && !brk[i]);
        sh_word word = field(w, n, &b, s, i, false);
        DA_PUSH(*words, *nwords, *cap, word);
    }
    free(brk);
    wbuf_free(&b);
}

sh_word sh_single(walker *w, TSNode n)
{
    wbuf b;
    memset(&b, 0, sizeof(b));
    eval(w, n, &b, false);
    sh_word word = field(w, n, &b, 0, b.buf.len, true);
    wbuf_free(&b);
    return word;
}

char *sh_string(walker *w, TSNode n, bool *unknown)
{
    wbuf b;
    memset(&b, 0, sizeof(b));
    eval(w, n, &b, false);
    if (unknown)
        *unknown = b.unknown;
    char *v = da_xstrndup(b.buf.data ? b.buf.data : "", b.buf.len);
    wbuf_free(&b);
    return v;
}

void sh_mapped(walker *w, TSNode n, df_text *out)
{
    wbuf b;
    memset(&b, 0, sizeof(b));
    eval(w, n, &b, false);
    memset(out, 0, sizeof(*out));
    size_t len = b.buf.len;
    out->s = da_xstrndup(b.buf.data ? b.buf.data : "", len);
    out->len = len;
    out->map = da_xmalloc((len + 1) * sizeof(size_t));
    for (size_t i = 0; i < len; i++)
        out->map[i] = b.from[i];
    out->map[len] = len ? b.to[len - 1] : sh_offset(w, ts_node_start_byte(n));
    wbuf_free(&b);
}

void sh_word_free(sh_word *word)
{
    free(word->value);
    word->value = NULL;
}
