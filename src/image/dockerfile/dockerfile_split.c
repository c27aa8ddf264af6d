/* Splits a Dockerfile into instructions the way BuildKit's parser does: parser directives
 * at the top (`# escape=`), comment and blank lines dropped even inside continuations, the
 * escape character before a newline joining lines, flags (`--from=`), exec form, and
 * heredoc bodies after the instruction line. */
#include "image/dockerfile/dockerfile.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const known_keywords[] = {
    "ADD",    "ARG",   "CMD",         "COPY",  "ENTRYPOINT", "ENV",
    "EXPOSE", "FROM",  "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD",
    "RUN",    "SHELL", "STOPSIGNAL",  "USER",  "VOLUME",     "WORKDIR",
};

void df_text_append(df_text *t, const char *s, size_t n, size_t first_off, bool contiguous)
{
    t->s = da_xrealloc(t->s, t->len + n + 1);
    t->map = da_xrealloc(t->map, (t->len + n + 1) * sizeof(size_t));
    memcpy(t->s + t->len, s, n);
    for (size_t i = 0; i < n; i++)
        t->map[t->len + i] = contiguous ? first_off + i : first_off;
    t->len += n;
    t->s[t->len] = '\0';
    t->map[t->len] = contiguous ? first_off + n : first_off;
}

void df_text_free(df_text *t)
{
    free(t->s);
    free(t->map);
    memset(t, 0, sizeof(*t));
}

int df_line_of(const df_file *f, size_t off)
{
    size_t lo = 0, hi = f->nlines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (f->line_starts[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return (int)lo + 1;
}

int df_col_of(const df_file *f, size_t off)
{
    int line = df_line_of(f, off);
    return (int)(off - f->line_starts[line - 1]) + 1;
}

const char *df_flag_value(const df_instruction *in, const char *name)
{
    for (size_t i = in->nflags; i > 0; i--)
        if (strcmp(in->flags[i - 1].name, name) == 0)
            return in->flags[i - 1].value ? in->flags[i - 1].value : "";
    return NULL;
}

bool df_has_flag(const df_instruction *in, const char *name)
{
    return df_flag_value(in, name) != NULL;
}

/* A physical line: [start, end) without its newline (and without a trailing '\r'). */
typedef struct line_range {
    size_t start, end, next;
} line_range;

static line_range line_at(const df_file *f, size_t idx)
{
    line_range r;
    r.start = f->line_starts[idx];
    r.next = idx + 1 < f->nlines ? f->line_starts[idx + 1] : f->len;
    r.end = r.next;
    if (r.end > r.start && f->data[r.end - 1] == '\n')
        r.end--;
    if (r.end > r.start && f->data[r.end - 1] == '\r')
        r.end--;
    return r;
}

static bool is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

static bool is_comment(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    return i < n && s[i] == '#';
}

/* `# name=value` at the top of the file. Returns true and fills name/value if it is one. */
static bool parse_directive(const char *s, size_t n, char *name, size_t name_size, char *value,
                            size_t value_size)
{
    size_t i = 0;
    if (n == 0 || s[0] != '#')
        return false;
    i = 1;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    size_t ns = i;
    while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
        i++;
    size_t nl = i - ns;
    if (nl == 0 || nl >= name_size)
        return false;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    if (i >= n || s[i] != '=')
        return false;
    i++;
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    size_t ve = n;
    while (ve > i && isspace((unsigned char)s[ve - 1]))
        ve--;
    if (ve - i >= value_size)
        return false;
    for (size_t k = 0; k < nl; k++)
        name[k] = (char)tolower((unsigned char)s[ns + k]);
    name[nl] = '\0';
    memcpy(value, s + i, ve - i);
    value[ve - i] = '\0';
    return true;
}

static bool keyword_known(const char *kw)
{
    for (size_t i = 0; i < sizeof(known_keywords) / sizeof(known_keywords[0]); i++)
        if (strcmp(kw, known_keywords[i]) == 0)
            return true;
    return false;
}

/* Does the (trailing-space-trimmed) physical line end with the escape character? */
static bool continues(const char *s, size_t *n, char escape)
{
    size_t e = *n;
    while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        e--;
    if (e > 0 && s[e - 1] == escape) {
        *n = e - 1;
        return true;
    }
    return false;
}

static void text_trim(df_text *t, size_t lead)
{
    size_t end = t->len;
    while (end > lead && isspace((unsigned char)t->s[end - 1]))
        end--;
    memmove(t->s, t->s + lead, end - lead);
    memmove(t->map, t->map + lead, (end - lead + 1) * sizeof(size_t));
    t->len = end - lead;
    t->s[t->len] = '\0';
}

static void free_instruction(df_instruction *in)
{
    for (size_t i = 0; i < in->nflags; i++) {
        free(in->flags[i].name);
        free(in->flags[i].value);
    }
    free(in->flags);
    df_text_free(&in->args);
    da_strlist_free(&in->argv);
    for (size_t i = 0; i < in->nheredocs; i++) {
        free(in->heredocs[i].delim);
        df_text_free(&in->heredocs[i].body);
    }
    free(in->heredocs);
}

void df_free(df_file *f)
{
    for (size_t i = 0; i < f->nins; i++)
        free_instruction(&f->ins[i]);
    free(f->ins);
    free(f->line_starts);
    free(f->path);
    memset(f, 0, sizeof(*f));
}

static bool takes_flags(const char *kw)
{
    return strcmp(kw, "FROM") == 0 || strcmp(kw, "RUN") == 0 || strcmp(kw, "COPY") == 0 ||
           strcmp(kw, "ADD") == 0 || strcmp(kw, "HEALTHCHECK") == 0;
}

static bool may_be_json(const char *kw)
{
    return strcmp(kw, "RUN") == 0 || strcmp(kw, "CMD") == 0 || strcmp(kw, "ENTRYPOINT") == 0 ||
           strcmp(kw, "SHELL") == 0 || strcmp(kw, "COPY") == 0 || strcmp(kw, "ADD") == 0 ||
           strcmp(kw, "VOLUME") == 0;
}

static int split_flags(const df_file *f, df_instruction *in, da_error *err)
{
    size_t i = 0;
    size_t cap = 0;
    while (i + 1 < in->args.len && in->args.s[i] == '-' && in->args.s[i + 1] == '-') {
        size_t s = i + 2, e = s;
        while (e < in->args.len && !isspace((unsigned char)in->args.s[e]))
            e++;
        const char *eq = memchr(in->args.s + s, '=', e - s);
        size_t name_end = eq ? (size_t)(eq - in->args.s) : e;
        if (name_end == s)
            return da_error_set(err, f->path, in->line, df_col_of(f, in->args.map[i]),
                                "%s: malformed flag", in->keyword);
        df_flag fl;
        fl.name = da_xstrndup(in->args.s + s, name_end - s);
        for (char *p = fl.name; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        fl.value = eq ? da_xstrndup(eq + 1, e - name_end - 1) : NULL;
        DA_PUSH(in->flags, in->nflags, cap, fl);
        i = e;
        while (i < in->args.len && isspace((unsigned char)in->args.s[i]))
            i++;
    }
    if (i > 0)
        text_trim(&in->args, i);
    return 0;
}

static void try_json(df_instruction *in)
{
    if (in->args.len == 0 || in->args.s[0] != '[')
        return;
    cJSON *j = cJSON_ParseWithLength(in->args.s, in->args.len);
    if (!j)
        return;
    if (cJSON_IsArray(j)) {
        bool all_strings = true;
        const cJSON *it;
        cJSON_ArrayForEach(it, j) if (!cJSON_IsString(it)) all_strings = false;
        if (all_strings) {
            in->json = true;
            cJSON_ArrayForEach(it, j) da_strlist_push(&in->argv, it->valuestring);
        }
    }
    cJSON_Delete(j);
}

/* Finds `<<WORD`, `<<-WORD`, `<<"WORD"` in a shell-form RUN/COPY/ADD line. */
static void find_heredocs(df_instruction *in)
{
    size_t cap = 0;
    const char *s = in->args.s;
    size_t n = in->args.len;
    char quote = 0;
    for (size_t i = 0; i + 2 < n + 1 && i < n; i++) {
        char c = s[i];
        if (quote) {
            if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            continue;
        }
        if (c != '<' || i + 1 >= n || s[i + 1] != '<')
            continue;
        if ((i > 0 && s[i - 1] == '<') || (i + 2 < n && s[i + 2] == '<')) {
            i += 2;
            continue;
        }
        size_t j = i + 2;
        df_heredoc h;
        memset(&h, 0, sizeof(h));
        if (j < n && s[j] == '-') {
            h.strip_tabs = true;
            j++;
        }
        char q = 0;
        if (j < n && (s[j] == '"' || s[j] == '\'')) {
            q = s[j];
            j++;
        }
        size_t ws = j;
        while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_' || s[j] == '-' || s[j] == '.'))
            j++;
        if (j == ws)
            continue;
        h.delim = da_xstrndup(s + ws, j - ws);
        h.quoted = q != 0;
        if (q && j < n && s[j] == q)
            j++;
        DA_PUSH(in->heredocs, in->nheredocs, cap, h);
        i = j - 1;
    }
}

/* Reads the heredoc bodies following the instruction; *li is the index of the next line. */
static int read_heredocs(const df_file *f, df_instruction *in, size_t *li, da_error *err)
{
    for (size_t h = 0; h < in->nheredocs; h++) {
        df_heredoc *hd = &in->heredocs[h];
        hd->line = (int)*li + 1;
        bool closed = false;
        while (*li < f->nlines) {
            line_range r = line_at(f, *li);
            (*li)++;
            size_t s = r.start;
            if (hd->strip_tabs)
                while (s < r.end && f->data[s] == '\t')
                    s++;
            size_t dl = strlen(hd->delim);
            if (r.end - s == dl && memcmp(f->data + s, hd->delim, dl) == 0) {
                closed = true;
                hd->end_line = (int)*li;
                hd->end = r.next;
                break;
            }
            df_text_append(&hd->body, f->data + s, r.end - s, s, true);
            df_text_append(&hd->body, "\n", 1, r.end, true);
        }
        if (!closed)
            return da_error_set(err, f->path, in->line, 0,
                                "unterminated heredoc <<%s: no line '%s' before the end of "
                                "the file",
                                hd->delim, hd->delim);
        if (!hd->body.s)
            df_text_append(&hd->body, "", 0, f->line_starts[hd->end_line - 1], true);
        in->end_line = hd->end_line;
    }
    return 0;
}

int df_parse(const char *path, const char *data, size_t len, df_file *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    out->path = da_xstrdup(path);
    out->data = data;
    out->len = len;
    out->escape = '\\';
    size_t lcap = 0;
    DA_PUSH(out->line_starts, out->nlines, lcap, (size_t)0);
    for (size_t i = 0; i < len; i++)
        if (data[i] == '\n' && i + 1 < len)
            DA_PUSH(out->line_starts, out->nlines, lcap, i + 1);

    size_t li = 0;
    /* Parser directives: only as the very first lines. */
    while (li < out->nlines) {
        line_range r = line_at(out, li);
        char name[32], value[64];
        if (!parse_directive(data + r.start, r.end - r.start, name, sizeof(name), value,
                             sizeof(value)))
            break;
        if (strcmp(name, "escape") == 0) {
            if (strcmp(value, "`") == 0)
                out->escape = '`';
            else if (strcmp(value, "\\") == 0)
                out->escape = '\\';
            else
                return da_error_set(err, path, (int)li + 1, 0,
                                    "invalid escape directive '%s': must be ` or \\", value);
        }
        li++;
    }

    size_t icap = 0;
    while (li < out->nlines) {
        line_range r = line_at(out, li);
        const char *ls = data + r.start;
        size_t n = r.end - r.start;
        if (is_blank(ls, n) || is_comment(ls, n)) {
            li++;
            continue;
        }
        df_instruction in;
        memset(&in, 0, sizeof(in));
        in.line = (int)li + 1;
        size_t p = 0;
        while (p < n && isspace((unsigned char)ls[p]))
            p++;
        in.start = r.start + p;
        size_t ks = p;
        while (p < n && isalpha((unsigned char)ls[p]))
            p++;
        size_t kl = p - ks;
        if (kl == 0 || kl >= sizeof(in.keyword) || (p < n && !isspace((unsigned char)ls[p]))) {
            size_t e = ks;
            while (e < n && !isspace((unsigned char)ls[e]) && e - ks < 40)
                e++;
            return da_error_set(err, path, in.line, (int)ks + 1, "unknown instruction: %.*s",
                                (int)(e - ks), ls + ks);
        }
        for (size_t k = 0; k < kl; k++)
            in.keyword[k] = (char)toupper((unsigned char)ls[ks + k]);
        if (!keyword_known(in.keyword))
            return da_error_set(err, path, in.line, (int)ks + 1, "unknown instruction: %s",
                                in.keyword);
        /* The logical line: join continuations, skipping comment and blank lines. */
        size_t body_end = n;
        bool more = continues(ls, &body_end, out->escape);
        if (body_end < p)
            body_end = p;
        df_text_append(&in.args, ls + p, body_end - p, r.start + p, true);
        li++;
        in.end_line = (int)li;
        while (more && li < out->nlines) {
            line_range c = line_at(out, li);
            const char *cs = data + c.start;
            size_t cn = c.end - c.start;
            li++;
            if (is_comment(cs, cn) || is_blank(cs, cn))
                continue;
            in.end_line = (int)li;
            size_t ce = cn;
            more = continues(cs, &ce, out->escape);
            df_text_append(&in.args, cs, ce, c.start, true);
        }
        if (!in.args.s)
            df_text_append(&in.args, "", 0, r.end, true);
        size_t lead = 0;
        while (lead < in.args.len && isspace((unsigned char)in.args.s[lead]))
            lead++;
        text_trim(&in.args, lead);
        if (takes_flags(in.keyword) && split_flags(out, &in, err) < 0) {
            free_instruction(&in);
            return -1;
        }
        if (may_be_json(in.keyword))
            try_json(&in);
        if (!in.json && (strcmp(in.keyword, "RUN") == 0 || strcmp(in.keyword, "COPY") == 0 ||
                         strcmp(in.keyword, "ADD") == 0)) {
            find_heredocs(&in);
            if (read_heredocs(out, &in, &li, err) < 0) {
                free_instruction(&in);
                return -1;
            }
        }
        DA_PUSH(out->ins, out->nins, icap, in);
    }
    return 0;
}
