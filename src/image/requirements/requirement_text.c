#include "image/requirements/requirement_text.h"

#include "depaudit/util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *rt_join_path(const char *cwd, const char *p)
{
    da_buf joined = {0};
    if (p[0] == '/' || !cwd)
        da_buf_puts(&joined, p);
    else
        da_buf_printf(&joined, "%s/%s", cwd, p);
    char *src = da_buf_take(&joined);
    /* Split on '/', resolve "." and "..", rejoin. */
    da_strlist parts = {0};
    char *save = NULL;
    bool absolute = src[0] == '/';
    for (char *tok = strtok_r(src, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (strcmp(tok, ".") == 0)
            continue;
        if (strcmp(tok, "..") == 0) {
            if (parts.len > 0 && strcmp(parts.items[parts.len - 1], "..") != 0) {
                free(parts.items[--parts.len]);
                continue;
            }
            if (absolute)
                continue;
        }
        da_strlist_push(&parts, tok);
    }
    da_buf out = {0};
    if (absolute)
        da_buf_puts(&out, "/");
    for (size_t i = 0; i < parts.len; i++) {
        if (i > 0)
            da_buf_putc(&out, '/');
        da_buf_puts(&out, parts.items[i]);
    }
    if (out.len == 0)
        da_buf_puts(&out, ".");
    da_strlist_free(&parts);
    free(src);
    return da_buf_take(&out);
}

char *rt_split_path_extras(const char *text, da_strlist *extras)
{
    size_t n = strlen(text);
    if (n > 2 && text[n - 1] == ']') {
        const char *open = strrchr(text, '[');
        if (open && open > text) {
            char *inner = da_xstrndup(open + 1, (size_t)(text + n - 1 - open - 1));
            char *save = NULL;
            for (char *tok = strtok_r(inner, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                while (isspace((unsigned char)*tok))
                    tok++;
                size_t tl = strlen(tok);
                while (tl > 0 && isspace((unsigned char)tok[tl - 1]))
                    tok[--tl] = '\0';
                if (tl > 0 && extras)
                    da_strlist_push(extras, tok);
            }
            free(inner);
            return da_xstrndup(text, (size_t)(open - text));
        }
    }
    return da_xstrdup(text);
}

static bool looks_like_named_url(const char *t)
{
    /* `name @ url` or `name[extra] @ url` */
    size_t i = 0;
    while (isalnum((unsigned char)t[i]) || t[i] == '.' || t[i] == '_' || t[i] == '-')
        i++;
    if (i == 0)
        return false;
    if (t[i] == '[') {
        while (t[i] && t[i] != ']')
            i++;
        if (t[i] == ']')
            i++;
    }
    while (t[i] == ' ' || t[i] == '\t')
        i++;
    return t[i] == '@';
}

static bool is_archive(const char *t)
{
    return da_str_ends_with(t, ".whl") || da_str_ends_with(t, ".tar.gz") ||
           da_str_ends_with(t, ".zip") || da_str_ends_with(t, ".tar.bz2") ||
           da_str_ends_with(t, ".tgz");
}

/* A PEP 508 requirement: NAMED, or INVALID with *problem saying why. */
static void parse_pep508(da_plan_requirement *r, const char *text, char **problem)
{
    da_error e;
    da_error_clear(&e);
    r->parsed = da_requirement_parse(text, &e);
    if (r->parsed) {
        r->kind = DA_REQ_NAMED;
        return;
    }
    r->kind = DA_REQ_INVALID;
    *problem = da_xstrdup(e.message[0] ? e.message : "not a valid requirement");
}

void rt_classify(da_plan_requirement *r, const char *text, const char *cwd, bool editable,
                 char **problem)
{
    *problem = NULL;
    r->text = da_xstrdup(text);
    r->editable = editable;
    if (looks_like_named_url(text)) {
        parse_pep508(r, text, problem);
        return;
    }
    if (strstr(text, "://") || da_str_starts_with(text, "git+") ||
        da_str_starts_with(text, "hg+") || da_str_starts_with(text, "svn+") ||
        da_str_starts_with(text, "bzr+")) {
        r->kind = DA_REQ_URL;
        r->path = da_xstrdup(text);
        return;
    }
    if (text[0] == '.' || text[0] == '/' || text[0] == '~' || strchr(text, '/') ||
        is_archive(text)) {
        r->kind = DA_REQ_LOCAL_PATH;
        char *bare = rt_split_path_extras(text, NULL);
        r->path = rt_join_path(cwd ? cwd : "/", bare);
        free(bare);
        return;
    }
    parse_pep508(r, text, problem);
}

void rt_span_set(da_span *s, const char *file, int line, int col, size_t start, size_t end)
{
    free(s->file);
    s->file = da_xstrdup(file);
    s->line = line;
    s->col = col;
    s->start = start;
    s->end = end;
}

void rt_requirement_clear(da_plan_requirement *r)
{
    free(r->text);
    if (r->parsed)
        da_requirement_free(r->parsed);
    free(r->path);
    free(r->where.file);
    free(r->via);
    free(r->group);
    da_strlist_free(&r->hashes);
    rt_shell_specifier_free(r->shell);
    da_strlist_free(&r->required_by);
    memset(r, 0, sizeof(*r));
}

void rt_shell_specifier_free(da_shell_specifier *s)
{
    if (!s)
        return;
    free(s->consumed);
    free(s->file);
    free(s->dir);
    free(s->intended);
    free(s->quoted);
    free(s->written);
    free(s->span.file);
    free(s);
}

static da_shell_specifier *shell_specifier_copy(const da_shell_specifier *s)
{
    if (!s)
        return NULL;
    da_shell_specifier *c = da_xcalloc(1, sizeof(*c));
    c->effect = s->effect;
    c->consumed = da_xstrdup(s->consumed);
    c->file = da_xstrdup(s->file);
    c->dir = da_xstrdup(s->dir);
    c->intended = da_xstrdup(s->intended);
    c->quoted = s->quoted ? da_xstrdup(s->quoted) : NULL;
    c->written = s->written ? da_xstrdup(s->written) : NULL;
    c->span = s->span;
    c->span.file = da_xstrdup(s->span.file);
    return c;
}

void rt_requirement_copy(da_plan_requirement *dst, const da_plan_requirement *src)
{
    *dst = *src;
    dst->text = src->text ? da_xstrdup(src->text) : NULL;
    dst->parsed = NULL;
    if (src->parsed) {
        da_error e;
        dst->parsed = da_requirement_parse(src->text, &e);
    }
    dst->path = src->path ? da_xstrdup(src->path) : NULL;
    dst->where.file = src->where.file ? da_xstrdup(src->where.file) : NULL;
    dst->via = src->via ? da_xstrdup(src->via) : NULL;
    dst->group = src->group ? da_xstrdup(src->group) : NULL;
    memset(&dst->hashes, 0, sizeof(dst->hashes));
    for (size_t i = 0; i < src->hashes.len; i++)
        da_strlist_push(&dst->hashes, src->hashes.items[i]);
    dst->shell = shell_specifier_copy(src->shell);
    memset(&dst->required_by, 0, sizeof(dst->required_by));
    for (size_t i = 0; i < src->required_by.len; i++)
        da_strlist_push(&dst->required_by, src->required_by.items[i]);
}

const char *rt_base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

char *rt_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return da_xstrdup(".");
    if (slash == path)
        return da_xstrdup("/");
    return da_xstrndup(path, (size_t)(slash - path));
}

void rt_requirements_free(da_plan_requirement *reqs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        rt_requirement_clear(&reqs[i]);
    free(reqs);
}

void rt_warnings_free(da_plan_warning *warnings, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(warnings[i].file);
        free(warnings[i].message);
    }
    free(warnings);
}

size_t rt_req_list_add(da_req_list **lists, size_t *n, const char *file, da_req_origin origin,
                       const char *style, const char *separator)
{
    da_req_list l;
    memset(&l, 0, sizeof(l));
    l.file = da_xstrdup(file);
    l.origin = origin;
    l.separator = da_xstrdup(separator);
    l.quote = da_xstrdup("");
    l.style = da_xstrdup(style);
    DA_APPEND(*lists, *n, l);
    return *n - 1;
}

void rt_req_lists_free(da_req_list *lists, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(lists[i].file);
        free(lists[i].separator);
        free(lists[i].quote);
        free(lists[i].style);
    }
    free(lists);
}
