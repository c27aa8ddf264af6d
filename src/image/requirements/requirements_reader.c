/* pip's requirements-file format: lines joined at a trailing backslash, comments from a
 * '#' at the start or after whitespace, ${VAR} expanded from the environment, a line's
 * requirement part ending at the first word that starts with '-', options per line or per
 * requirement (--hash), -r/-c nesting relative to the including file. */
#include "image/requirements/requirements_reader.h"

#include "depaudit/util.h"
#include "image/requirements/requirement_text.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void rq_warn(da_plan_warning **w, size_t *n, const char *file, int line, const char *fmt, ...)
{
    da_plan_warning pw;
    va_list ap;
    da_buf b = {0};
    va_start(ap, fmt);
    da_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    pw.file = da_xstrdup(file ? file : "");
    pw.line = line;
    pw.message = da_buf_take(&b);
    DA_APPEND(*w, *n, pw);
}

int rq_line_of(const char *data, size_t len, size_t off)
{
    int line = 1;
    for (size_t i = 0; i < off && i < len; i++)
        if (data[i] == '\n')
            line++;
    return line;
}

static int col_of(const char *data, size_t len, size_t off)
{
    size_t i = off < len ? off : len;
    int col = 1;
    while (i > 0 && data[i - 1] != '\n') {
        i--;
        col++;
    }
    return col;
}

void rq_content_free(rq_content *c)
{
    df_text_free(&c->text);
    free(c->host_file);
    free(c->host_data);
    memset(c, 0, sizeof(*c));
}

void rq_reader_free(rq_reader *r)
{
    da_strlist_free(&r->stack);
}

/* Options that take a value, in a requirements file. */
typedef struct rq_option {
    const char *short_name;
    const char *long_name;
    bool takes_value;
} rq_option;

static const rq_option rq_options[] = {
    {"-r", "--requirement", true},
    {"-c", "--constraint", true},
    {"-e", "--editable", true},
    {"-i", "--index-url", true},
    {NULL, "--extra-index-url", true},
    {NULL, "--no-index", false},
    {"-f", "--find-links", true},
    {NULL, "--pre", false},
    {NULL, "--prefer-binary", false},
    {NULL, "--require-hashes", false},
    {NULL, "--only-binary", true},
    {NULL, "--no-binary", true},
    {NULL, "--trusted-host", true},
    {NULL, "--use-feature", true},
    {NULL, "--hash", true},
    {"-C", "--config-settings", true},
    {NULL, "--global-option", true},
    {NULL, "--install-option", true},
};

static const rq_option *find_option(const char *word, const char **attached)
{
    *attached = NULL;
    for (size_t i = 0; i < sizeof(rq_options) / sizeof(rq_options[0]); i++) {
        const rq_option *o = &rq_options[i];
        size_t ll = strlen(o->long_name);
        if (strncmp(word, o->long_name, ll) == 0 && (word[ll] == '\0' || word[ll] == '=')) {
            if (word[ll] == '=')
                *attached = word + ll + 1;
            return o;
        }
        if (o->short_name && strncmp(word, o->short_name, 2) == 0) {
            if (word[2] != '\0')
                *attached = word + 2;
            return o;
        }
    }
    return NULL;
}

typedef struct token {
    char *s;           /* after ${VAR} expansion */
    size_t start, end; /* offsets into the logical line */
} token;

static size_t list_for(da_requirements_file *out, const char *file, bool constraints)
{
    for (size_t i = 0; i < out->nlists; i++)
        if (strcmp(out->lists[i].file, file) == 0 &&
            out->lists[i].origin == (constraints ? DA_ORIGIN_CONSTRAINTS : DA_ORIGIN_REQUIREMENTS))
            return i;
    return rt_req_list_add(&out->lists, &out->nlists, file,
                           constraints ? DA_ORIGIN_CONSTRAINTS : DA_ORIGIN_REQUIREMENTS,
                           "requirements", "\n");
}

static char *nested_path(const char *including, const char *ref)
{
    if (ref[0] == '/')
        return rt_join_path(NULL, ref);
    char *dir = rt_dir_of(including);
    char *p;
    if (dir[0] == '/')
        p = rt_join_path(dir, ref);
    else {
        char *tmp = da_xasprintf("%s/%s", dir, ref);
        p = rt_join_path(NULL, tmp);
        free(tmp);
    }
    free(dir);
    return p;
}

typedef struct line_ctx {
    rq_reader *r;
    const char *path;
    const rq_content *c;
    bool constraints;
    const char *via;
    size_t list;
    /* `# via` annotations of pip-compile and uv export, for the requirement before them */
    size_t last_req; /* index in out->reqs of this file's last requirement, (size_t)-1 */
    bool via_open;   /* a `# via` whose names continue on the next comment lines */
    bool any_via;
} line_ctx;

static void add_requirement(line_ctx *lc, const char *text, bool editable, bool expanded,
                            size_t host_start, size_t host_end, size_t line_end, da_strlist *hashes)
{
    const rq_content *c = lc->c;
    da_requirements_file *out = lc->r->out;
    da_plan_requirement req;
    memset(&req, 0, sizeof(req));
    char *problem = NULL;
    /* A relative path in a requirements file is relative to the current directory of
     * pip, not to the file; the plan fixes it up, here it stays as written. */
    rt_classify(&req, text, NULL, editable, &problem);
    if (req.kind == DA_REQ_LOCAL_PATH) {
        free(req.path);
        char *bare = rt_split_path_extras(text, NULL);
        req.path = bare;
    }
    int line = rq_line_of(c->host_data, c->host_len, host_start);
    if (problem) {
        rq_warn(&out->warnings, &out->nwarnings, c->host_file, line, "invalid requirement '%s': %s",
                text, problem);
        free(problem);
    }
    req.expanded = expanded;
    req.origin = lc->constraints ? DA_ORIGIN_CONSTRAINTS : DA_ORIGIN_REQUIREMENTS;
    rt_span_set(&req.where, c->host_file, line, col_of(c->host_data, c->host_len, host_start),
                host_start, host_end);
    req.list = lc->list;
    req.via = lc->via ? da_xstrdup(lc->via) : NULL;
    req.hashes = *hashes;
    memset(hashes, 0, sizeof(*hashes));
    da_req_list *l = &out->lists[lc->list];
    l->insert_at = line_end;
    l->insert_line = rq_line_of(c->host_data, c->host_len, line_end);
    l->count++;
    if (lc->constraints) {
        DA_APPEND(out->constraints, out->nconstraints, req);
    } else {
        DA_APPEND(out->reqs, out->nreqs, req);
        lc->last_req = out->nreqs - 1;
    }
    lc->via_open = false;
}

/* The words of a line, its comment ('#' at the start or after whitespace) stripped and
 * ${VAR} expanded. */
static size_t tokenize(const rq_reader *r, const df_text *L, token **out)
{
    size_t n = L->len;
    for (size_t i = 0; i < L->len; i++)
        if (L->s[i] == '#' && (i == 0 || isspace((unsigned char)L->s[i - 1]))) {
            n = i;
            break;
        }
    token *toks = NULL;
    size_t ntok = 0, tcap = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && isspace((unsigned char)L->s[i]))
            i++;
        if (i >= n)
            break;
        size_t s = i;
        while (i < n && !isspace((unsigned char)L->s[i]))
            i++;
        ex_env env = r->env ? *r->env : (ex_env){0};
        env.keep_unset = true;
        token t = {ex_vars_only(L->s + s, i - s, true, &env), s, i};
        DA_PUSH(toks, ntok, tcap, t);
    }
    *out = toks;
    return ntok;
}

/* Whether a token's value differs from its text (a variable was expanded). */
static bool token_expanded(const df_text *L, const token *t)
{
    return strlen(t->s) != t->end - t->start || memcmp(t->s, L->s + t->start, t->end - t->start);
}

/* The options that set something of the whole file; false for the others. */
static bool file_option(da_requirements_file *out, const char *name, const char *value)
{
    if (strcmp(name, "--index-url") == 0) {
        free(out->index_url);
        out->index_url = da_xstrdup(value);
    } else if (strcmp(name, "--extra-index-url") == 0) {
        da_strlist_push(&out->extra_index_urls, value);
    } else if (strcmp(name, "--find-links") == 0) {
        da_strlist_push(&out->find_links, value);
    } else if (strcmp(name, "--no-index") == 0) {
        out->no_index = true;
    } else if (strcmp(name, "--pre") == 0) {
        out->pre = true;
    } else if (strcmp(name, "--require-hashes") == 0) {
        out->require_hashes = true;
    } else if (strcmp(name, "--only-binary") == 0) {
        da_strlist_push(&out->only_binary, value);
    } else if (strcmp(name, "--no-binary") == 0) {
        da_strlist_push(&out->no_binary, value);
    } else {
        return false;
    }
    return true;
}

/* -r FILE / -c FILE: the nested file, relative to this one, read now. */
static int read_nested(line_ctx *lc, bool constraint, const char *value, int line, da_error *err)
{
    const rq_content *c = lc->c;
    da_requirements_file *out = lc->r->out;
    bool cons = constraint || lc->constraints;
    if (strstr(value, "://")) {
        rq_warn(&out->warnings, &out->nwarnings, c->host_file, line,
                "remote requirements file %s is not read", value);
        return 0;
    }
    char *np = nested_path(lc->path, value);
    char *via = da_xasprintf("%s %s %s", lc->via ? lc->via : lc->path, cons ? "-c" : "-r", value);
    int rc = rq_read(lc->r, np, cons, via, c->host_file, line, err);
    free(via);
    free(np);
    return rc;
}

/* What the options of one line say about its requirement. */
typedef struct line_opts {
    da_strlist hashes;
    bool editable, ed_expanded;
    char *editable_text;
    size_t ed_start, ed_end;
} line_opts;

/* The options of a line (from token first on); stops at an error of a nested file. */
static int read_options(line_ctx *lc, const df_text *L, const token *toks, size_t ntok,
                        size_t first, int line, line_opts *lo, da_error *err)
{
    da_requirements_file *out = lc->r->out;
    const char *file = lc->c->host_file;
    int rc = 0;
    for (size_t i = first; i < ntok && rc == 0; i++) {
        const char *attached;
        const rq_option *o = find_option(toks[i].s, &attached);
        if (!o) {
            rq_warn(&out->warnings, &out->nwarnings, file, line,
                    "unknown option '%s' in requirements file", toks[i].s);
            continue;
        }
        const char *value = NULL;
        size_t vs = toks[i].start, ve = toks[i].end;
        bool vexp = false;
        if (o->takes_value) {
            if (attached) {
                value = attached;
                vs = toks[i].end - strlen(attached);
            } else if (i + 1 < ntok) {
                i++;
                value = toks[i].s;
                vs = toks[i].start;
                ve = toks[i].end;
                vexp = token_expanded(L, &toks[i]);
            } else {
                rq_warn(&out->warnings, &out->nwarnings, file, line, "option %s needs a value",
                        o->long_name);
                continue;
            }
        }
        const char *name = o->long_name;
        if (strcmp(name, "--requirement") == 0 || strcmp(name, "--constraint") == 0) {
            rc = read_nested(lc, strcmp(name, "--constraint") == 0, value, line, err);
        } else if (strcmp(name, "--editable") == 0) {
            lo->editable = true;
            free(lo->editable_text);
            lo->editable_text = da_xstrdup(value);
            lo->ed_start = vs;
            lo->ed_end = ve;
            lo->ed_expanded = vexp;
        } else if (strcmp(name, "--hash") == 0) {
            da_strlist_push(&lo->hashes, value);
        } else {
            file_option(out, name, value);
        }
    }
    return rc;
}

static int handle_line(line_ctx *lc, const df_text *L, size_t line_end, da_error *err)
{
    const rq_content *c = lc->c;
    token *toks = NULL;
    size_t ntok = tokenize(lc->r, L, &toks);
    size_t nargs = 0;
    while (nargs < ntok && toks[nargs].s[0] != '-')
        nargs++;
    int line = rq_line_of(c->host_data, c->host_len, L->map[toks ? toks[0].start : 0]);
    line_opts lo;
    memset(&lo, 0, sizeof(lo));
    int rc = read_options(lc, L, toks, ntok, nargs, line, &lo, err);
    if (rc == 0 && lo.editable) {
        add_requirement(lc, lo.editable_text, true, lo.ed_expanded, L->map[lo.ed_start],
                        L->map[lo.ed_end], line_end, &lo.hashes);
    } else if (rc == 0 && nargs > 0) {
        da_buf text = {0};
        bool expanded = false;
        for (size_t i = 0; i < nargs; i++) {
            if (i > 0)
                da_buf_putc(&text, ' ');
            da_buf_puts(&text, toks[i].s);
            expanded |= token_expanded(L, &toks[i]);
        }
        char *t = da_buf_take(&text);
        add_requirement(lc, t, false, expanded, L->map[toks[0].start], L->map[toks[nargs - 1].end],
                        line_end, &lo.hashes);
        free(t);
    }
    free(lo.editable_text);
    da_strlist_free(&lo.hashes);
    for (size_t i = 0; i < ntok; i++)
        free(toks[i].s);
    free(toks);
    return rc;
}

static bool ends_with_backslash(const char *s, size_t n)
{
    return n > 0 && s[n - 1] == '\\';
}

static bool comment_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '#')
            return true;
        if (!isspace((unsigned char)s[i]))
            return false;
    }
    return false;
}

/* A name a `# via` gives: the file compiled from (`-r requirements.in`, pyproject.toml)
 * makes the requirement direct; another distribution requires it. */
static void via_name(line_ctx *lc, const char *name, size_t n)
{
    while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t' || name[n - 1] == ','))
        n--;
    if (n == 0 || lc->last_req == (size_t)-1)
        return;
    da_plan_requirement *r = &lc->r->out->reqs[lc->last_req];
    char *v = da_xstrndup(name, n);
    if (da_str_starts_with(v, "-r ") || da_str_starts_with(v, "-c ") ||
        strstr(v, "pyproject.toml") || strstr(v, "setup.py") || strstr(v, "setup.cfg") ||
        da_str_ends_with(v, ".in") || strchr(v, '('))
        r->lock = DA_LOCK_DIRECT;
    else if (!da_strlist_contains(&r->required_by, v))
        da_strlist_push(&r->required_by, v);
    free(v);
}

/* A comment line: `# via a, b`, `# via` then `#   a` lines. */
static void comment(line_ctx *lc, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '#'))
        i++;
    const char *t = s + i;
    size_t tn = n - i;
    if (tn >= 3 && strncmp(t, "via", 3) == 0 && (tn == 3 || t[3] == ' ' || t[3] == '\t')) {
        lc->any_via = true;
        lc->via_open = true;
        const char *rest = t + 3;
        size_t rn = tn - 3;
        while (rn > 0 && (*rest == ' ' || *rest == '\t')) {
            rest++;
            rn--;
        }
        via_name(lc, rest, rn);
        if (rn > 0)
            lc->via_open = false;
    } else if (lc->via_open && tn > 0) {
        via_name(lc, t, tn);
    } else {
        lc->via_open = false;
    }
}

/* The place of this file's requirements in a lock: with `# via` annotations each is direct
 * or required by the ones named; a file whose requirements are all hashed exact pins is a
 * complete pin set without roles; anything else is no lock. */
static void lock_roles(line_ctx *lc, size_t first)
{
    da_requirements_file *out = lc->r->out;
    bool all_pinned = first < out->nreqs;
    for (size_t i = first; i < out->nreqs; i++) {
        const da_plan_requirement *r = &out->reqs[i];
        if (strcmp(r->where.file, lc->c->host_file) != 0)
            continue;
        const char *spec = r->parsed ? r->parsed->specifier_text : NULL;
        if (!spec || strncmp(spec, "==", 2) != 0 || strchr(spec, '*') || r->hashes.len == 0)
            all_pinned = false;
    }
    for (size_t i = first; i < out->nreqs; i++) {
        da_plan_requirement *r = &out->reqs[i];
        if (strcmp(r->where.file, lc->c->host_file) != 0)
            continue;
        if (lc->any_via && r->lock != DA_LOCK_DIRECT)
            r->lock = r->required_by.len ? DA_LOCK_TRANSITIVE : DA_LOCK_DIRECT;
        else if (!lc->any_via)
            r->lock = all_pinned ? DA_LOCK_PINNED : DA_LOCK_NONE;
        if (r->lock != DA_LOCK_TRANSITIVE)
            da_strlist_free(&r->required_by);
    }
}

static int read_content(line_ctx *lc, da_error *err)
{
    const df_text *t = &lc->c->text;
    size_t i = 0;
    df_text L = {0};
    size_t line_end = 0;
    int rc = 0;
    while (i < t->len && rc == 0) {
        size_t s = i;
        while (i < t->len && t->s[i] != '\n')
            i++;
        size_t e = i;
        if (e > s && t->s[e - 1] == '\r')
            e--;
        size_t next = i < t->len ? i + 1 : i;
        const char *ls = t->s + s;
        size_t ln = e - s;
        if (comment_line(ls, ln) && L.len == 0) {
            comment(lc, ls, ln);
            i = next;
            continue;
        }
        bool cont = ends_with_backslash(ls, ln) && !comment_line(ls, ln);
        df_text_append(&L, ls, cont ? ln - 1 : ln, t->map[s], true);
        /* the map of a heredoc body is not contiguous across lines: fix per byte */
        for (size_t k = 0; k < (cont ? ln - 1 : ln); k++)
            L.map[L.len - (cont ? ln - 1 : ln) + k] = t->map[s + k];
        line_end = t->map[e];
        i = next;
        if (ln > 0 && !cont)
            lc->via_open = false;
        if (!cont || i >= t->len) {
            if (!L.s)
                df_text_append(&L, "", 0, t->map[s], true);
            L.map[L.len] = t->map[e];
            rc = handle_line(lc, &L, line_end, err);
            df_text_free(&L);
        }
    }
    df_text_free(&L);
    return rc;
}

int rq_read(rq_reader *r, const char *path, bool constraints, const char *via, const char *ref_file,
            int ref_line, da_error *err)
{
    for (size_t i = 0; i < r->stack.len; i++) {
        if (strcmp(r->stack.items[i], path) == 0) {
            da_buf chain = {0};
            for (size_t k = i; k < r->stack.len; k++)
                da_buf_printf(&chain, "%s -> ", r->stack.items[k]);
            da_buf_puts(&chain, path);
            da_error_set(err, ref_file, ref_line, 0, "requirements file cycle: %s", chain.data);
            da_buf_free(&chain);
            return -1;
        }
    }
    if (r->stack.len >= 64)
        return da_error_set(err, ref_file, ref_line, 0,
                            "requirements files nested deeper than 64 levels at %s", path);
    rq_content c;
    memset(&c, 0, sizeof(c));
    char *why = NULL;
    if (r->resolve(r->resolve_ctx, path, &c, &why) < 0) {
        int rc = 0;
        if (r->missing_is_error)
            rc = da_error_set(err, ref_file, ref_line, 0, "cannot read requirements file %s: %s",
                              path, why ? why : "not found");
        else
            rq_warn(&r->out->warnings, &r->out->nwarnings, ref_file, ref_line,
                    "requirements file %s not found: %s", path, why ? why : "not found");
        free(why);
        rq_content_free(&c);
        return rc;
    }
    da_strlist_push(&r->out->files, c.host_file);
    da_strlist_push(&r->stack, path);
    line_ctx lc = {r, path, &c, constraints, via, 0, (size_t)-1, false, false};
    lc.list = list_for(r->out, c.host_file, constraints);
    size_t first = r->out->nreqs;
    int rc = read_content(&lc, err);
    if (rc == 0)
        lock_roles(&lc, first);
    free(r->stack.items[--r->stack.len]);
    rq_content_free(&c);
    return rc;
}
