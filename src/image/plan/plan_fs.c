/* What each stage's filesystem holds, as far as the plan needs it: the files COPY/ADD
 * put there (from the build context, a heredoc, or another stage), virtualenvs, and where
 * each install's files end up in the final image through `COPY --from`. */
#include "image/plan/plan_model.h"

#include "depaudit/util.h"
#include "image/requirements/requirement_text.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool pl_path_under(const char *path, const char *dir, const char **rest)
{
    if (strcmp(dir, "/") == 0) {
        *rest = path[0] == '/' ? path + 1 : path;
        return true;
    }
    size_t dl = strlen(dir);
    if (strncmp(path, dir, dl) == 0 && (path[dl] == '/' || path[dl] == '\0')) {
        *rest = path[dl] == '/' ? path + dl + 1 : path + dl;
        return true;
    }
    return false;
}

char *pl_join2(const char *a, const char *b)
{
    if (!b[0])
        return da_xstrdup(a);
    if (strcmp(a, ".") == 0)
        return da_xstrdup(b);
    if (strcmp(a, "/") == 0)
        return da_xasprintf("/%s", b);
    return da_xasprintf("%s/%s", a, b);
}

static char *host_path(pl_builder *b, const char *rel)
{
    return pl_join2(b->context, strcmp(rel, ".") == 0 ? "" : rel);
}

bool pl_host_is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool host_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static int stage_by_ref(pl_builder *b, const char *ref)
{
    for (size_t i = 0; i < b->nstages; i++)
        if (b->stages[i].name && strcasecmp(b->stages[i].name, ref) == 0)
            return (int)i;
    char *end;
    long idx = strtol(ref, &end, 10);
    if (*ref && !*end && idx >= 0 && (size_t)idx < b->nstages)
        return (int)idx;
    return -1;
}

static void push_copy(pl_builder *b, pl_copy c)
{
    pl_stage *st = &b->stages[b->cur];
    DA_PUSH(st->copies, st->ncopies, st->ccap, c);
    pl_event ev = {true, st->ncopies - 1};
    DA_PUSH(st->events, st->nevents, st->ecap, ev);
}

static bool has_glob(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

/* The words of a COPY/ADD as Docker expands them (words) and as written (raw). */
static void copy_words(pl_builder *b, const df_instruction *in, da_strlist *words, da_strlist *raw)
{
    if (in->json) {
        for (size_t i = 0; i < in->argv.len; i++) {
            /* exec form: the strings are already unquoted, only variables expand */
            ex_env e = pl_env(b);
            da_strlist_push_owned(
                words, ex_vars_only(in->argv.items[i], strlen(in->argv.items[i]), false, &e));
            da_strlist_push(raw, in->argv.items[i]);
        }
        return;
    }
    ex_span *sp = NULL;
    size_t n = ex_split(in->args.s, in->args.len, b->df.escape, &sp);
    for (size_t i = 0; i < n; i++) {
        da_strlist_push_owned(words,
                              pl_expand(b, in->args.s + sp[i].start, sp[i].end - sp[i].start));
        da_strlist_push_owned(raw, da_xstrndup(in->args.s + sp[i].start, sp[i].end - sp[i].start));
    }
    free(sp);
}

/* The stage `--from=` names (*from_ref: its expanded text, caller frees), PL_FROM_IMAGE
 * for an image or a stage that cannot be copied from, PL_FROM_CONTEXT without it. */
static int copy_from_stage(pl_builder *b, const df_instruction *in, char **from_ref)
{
    const char *from = df_flag_value(in, "from");
    *from_ref = NULL;
    if (!from)
        return PL_FROM_CONTEXT;
    *from_ref = pl_expand(b, from, strlen(from));
    int from_stage = stage_by_ref(b, *from_ref);
    if (from_stage >= b->cur) {
        pl_warn(b, in->line, "COPY --from=%s names this or a later stage", *from_ref);
        from_stage = PL_FROM_IMAGE;
    } else if (from_stage < 0) {
        from_stage = PL_FROM_IMAGE;
        pl_warn(b, in->line,
                "COPY --from=%s copies from an image whose content depaudit does not know",
                *from_ref);
    }
    return from_stage;
}

/* Docker takes the destination as a directory when it ends with '/', when several sources
 * are copied, or when it already is one in the image: WORKDIR (and "."), or where a
 * directory was copied before. */
static bool dest_is_dir(pl_builder *b, const char *dst, const char *dst_abs, size_t nwords)
{
    const pl_stage *st = &b->stages[b->cur];
    bool dst_dir = da_str_ends_with(dst, "/") || nwords > 2 || strcmp(dst, ".") == 0 ||
                   strcmp(dst_abs, st->workdir) == 0 || strcmp(dst_abs, "/") == 0;
    for (int s = b->cur; s >= 0 && !dst_dir; s = b->stages[s].base_stage)
        for (size_t i = 0; i < b->stages[s].ncopies && !dst_dir; i++)
            if (b->stages[s].copies[i].src_is_dir &&
                strcmp(b->stages[s].copies[i].dst, dst_abs) == 0)
                dst_dir = true;
    return dst_dir;
}

/* The paths of the build context a source names (a glob expanded there); several make the
 * destination a directory. */
static void context_matches(pl_builder *b, const df_instruction *in, const char *src,
                            const char *rel, da_strlist *matches, bool *dst_dir)
{
    if (!has_glob(rel)) {
        da_strlist_push(matches, rel);
        return;
    }
    char *pattern = host_path(b, rel);
    glob_t g;
    if (glob(pattern, 0, NULL, &g) == 0) {
        size_t skip = strcmp(b->context, ".") == 0 ? 0 : strlen(b->context) + 1;
        for (size_t k = 0; k < g.gl_pathc; k++)
            da_strlist_push(matches, g.gl_pathv[k] + skip);
    }
    globfree(&g);
    free(pattern);
    if (matches->len == 0)
        pl_warn(b, in->line, "%s source %s matches nothing in the build context", in->keyword, src);
    if (matches->len > 1)
        *dst_dir = true;
}

/* A source from the build context: one copy per path it names. c is the template (its
 * text is the caller's). */
static void copy_from_context(pl_builder *b, const df_instruction *in, const pl_copy *c,
                              const char *src, const char *dst_abs, bool *dst_dir)
{
    if (strstr(src, "://") || da_str_starts_with(src, "git@"))
        return; /* ADD of a URL: nothing of the context */
    char *rel = rt_join_path(NULL, src[0] == '/' ? src + 1 : src);
    if (da_str_starts_with(rel, "..")) {
        pl_warn(b, in->line, "%s source %s is outside the build context", in->keyword, src);
        free(rel);
        return;
    }
    da_strlist matches = {0};
    context_matches(b, in, src, rel, &matches, dst_dir);
    for (size_t k = 0; k < matches.len; k++) {
        pl_copy m = *c;
        m.text = da_xstrdup(c->text);
        m.src = da_xstrdup(matches.items[k]);
        char *hp = host_path(b, m.src);
        if (!host_exists(hp) && !has_glob(rel))
            pl_warn(b, in->line, "%s source %s is not in the build context %s", in->keyword, src,
                    b->context);
        m.src_is_dir = pl_host_is_dir(hp) || strcmp(m.src, ".") == 0;
        free(hp);
        m.dst = (!m.src_is_dir && *dst_dir) ? pl_join2(dst_abs, rt_base_name(m.src))
                                            : da_xstrdup(dst_abs);
        push_copy(b, m);
    }
    da_strlist_free(&matches);
    free(rel);
}

/* The instruction as the plan shows it: --from expanded, then the expanded words. */
static char *copy_text(const df_instruction *in, const char *from_ref, const da_strlist *words)
{
    da_buf text = {0};
    da_buf_printf(&text, "%s", in->keyword);
    for (size_t i = 0; i < in->nflags; i++)
        if (strcmp(in->flags[i].name, "from") == 0)
            da_buf_printf(&text, " --from=%s", from_ref ? from_ref : "");
    for (size_t i = 0; i < words->len; i++)
        da_buf_printf(&text, " %s", words->items[i]);
    return da_buf_take(&text);
}

void pl_add_copy(pl_builder *b, const df_instruction *in)
{
    da_strlist words = {0};
    da_strlist raw = {0};
    copy_words(b, in, &words, &raw);
    if (words.len < 2) {
        pl_warn(b, in->line, "%s needs a source and a destination", in->keyword);
        da_strlist_free(&words);
        da_strlist_free(&raw);
        return;
    }
    char *from_ref;
    int from_stage = copy_from_stage(b, in, &from_ref);
    char *dst = words.items[words.len - 1];
    char *dst_abs = rt_join_path(b->stages[b->cur].workdir, dst);
    bool dst_dir = dest_is_dir(b, dst, dst_abs, words.len);
    char *text = copy_text(in, from_ref, &words);
    size_t heredoc_i = 0;
    for (size_t i = 0; i + 1 < words.len; i++) {
        const char *src = words.items[i];
        pl_copy c;
        memset(&c, 0, sizeof(c));
        c.line = in->line;
        c.from_stage = from_stage;
        c.text = text;
        if (da_str_starts_with(raw.items[i], "<<") && heredoc_i < in->nheredocs) {
            const df_heredoc *h = &in->heredocs[heredoc_i++];
            c.heredoc = &h->body;
            c.from_stage = PL_FROM_CONTEXT;
            c.src = da_xasprintf("<<%s", h->delim);
            c.dst = dst_dir ? pl_join2(dst_abs, h->delim) : da_xstrdup(dst_abs);
        } else if (from_stage == PL_FROM_IMAGE) {
            c.src = da_xstrdup(src);
            c.dst = da_xstrdup(dst_abs);
            c.src_is_dir = true;
        } else if (from_stage >= 0) {
            c.src = rt_join_path("/", src);
            const char *bn = rt_base_name(c.src);
            c.src_is_dir = strchr(bn, '.') == NULL || da_str_ends_with(src, "/");
            c.dst = (!c.src_is_dir && dst_dir) ? pl_join2(dst_abs, bn) : da_xstrdup(dst_abs);
        } else {
            copy_from_context(b, in, &c, src, dst_abs, &dst_dir);
            continue;
        }
        c.text = da_xstrdup(text);
        push_copy(b, c);
    }
    free(text);
    free(dst_abs);
    free(from_ref);
    da_strlist_free(&words);
    da_strlist_free(&raw);
}

/* Walks of the stage graph follow every COPY --from; a Dockerfile whose stages copy from
 * each other many times over would make that exponential, so each walk has a budget. */

bool pl_spend(pl_builder *b)
{
    if (b->budget-- > 0)
        return true;
    if (!b->budget_warned) {
        b->budget_warned = true;
        pl_warn(b, 0,
                "the stages copy from each other too many times to follow completely: "
                "the plan may be incomplete");
    }
    return false;
}

/* Each COPY --from leads to an earlier stage; past this many, a warning says the file was
 * not looked for further (the stack stays small whatever the input). */
enum { MAX_COPY_CHAIN = 2000 };

static int resolve_in(pl_builder *b, int stage, const char *path, rq_content *c, int depth)
{
    if (depth > MAX_COPY_CHAIN) {
        pl_warn(b, b->line, "%s comes through more than %d COPY --from steps: not followed further",
                path, MAX_COPY_CHAIN);
        return -1;
    }
    if (!pl_spend(b))
        return -1;
    for (int s = stage; s >= 0; s = b->stages[s].base_stage) {
        const pl_stage *st = &b->stages[s];
        for (size_t i = st->ncopies; i > 0; i--) {
            const pl_copy *cp = &st->copies[i - 1];
            const char *rest;
            if (cp->heredoc) {
                if (strcmp(cp->dst, path) != 0)
                    continue;
                df_text_append(&c->text, cp->heredoc->s, cp->heredoc->len, 0, true);
                memcpy(c->text.map, cp->heredoc->map, (cp->heredoc->len + 1) * sizeof(size_t));
                c->host_file = da_xstrdup(b->df.path);
                c->host_data = da_xstrndup(b->df_data, b->df_len);
                c->host_len = b->df_len;
                return 0;
            }
            if (cp->from_stage == PL_FROM_IMAGE)
                continue;
            if (!pl_path_under(path, cp->dst, &rest))
                continue;
            if (!cp->src_is_dir && rest[0])
                continue;
            if (cp->from_stage >= 0) {
                char *inner = cp->src_is_dir ? pl_join2(cp->src, rest) : da_xstrdup(cp->src);
                int rc = resolve_in(b, cp->from_stage, inner, c, depth + 1);
                free(inner);
                if (rc == 0)
                    return 0;
                continue;
            }
            char *rel = cp->src_is_dir ? pl_join2(cp->src, rest) : da_xstrdup(cp->src);
            char *hp = host_path(b, rel);
            free(rel);
            if (!host_exists(hp) || pl_host_is_dir(hp)) {
                free(hp);
                continue;
            }
            char *why = NULL;
            int rc = rq_load_host_file(b->context, hp, c, &why);
            if (rc != 0) { /* a link out of the context, a FIFO, a huge file: say which */
                free(b->refused);
                b->refused = da_xasprintf("%s: %s", hp, why);
            }
            free(why);
            free(hp);
            if (rc == 0)
                return 0;
        }
    }
    return -1;
}

int pl_resolve_file(pl_builder *b, int stage, const char *path, rq_content *c, char **why)
{
    memset(c, 0, sizeof(*c));
    b->budget = PL_WALK_BUDGET;
    free(b->refused);
    b->refused = NULL;
    if (resolve_in(b, stage, path, c, 0) == 0)
        return 0;
    rq_content_free(c);
    if (b->refused) {
        *why = b->refused;
        b->refused = NULL;
        return -1;
    }
    *why = da_xasprintf("no COPY or ADD puts %s into stage %s from the build context", path,
                        b->stages[stage].name ? b->stages[stage].name : "(unnamed)");
    return -1;
}

char *pl_op_root(const da_install_op *op)
{
    switch (op->dest) {
    case DA_DEST_SYSTEM:
        return da_xstrdup("/usr/local");
    case DA_DEST_ROOT:
        return pl_join2(op->dest_path ? op->dest_path : "/", "usr/local");
    default:
        return da_xstrdup(op->dest_path ? op->dest_path : "/usr/local");
    }
}

void pl_add_venv(pl_builder *b, const char *path, int line, bool seeded)
{
    pl_stage *st = &b->stages[b->cur];
    pl_venv v = {da_xstrdup(path), line, seeded};
    DA_PUSH(st->venvs, st->nvenvs, st->vecap, v);
}

const pl_venv *pl_find_venv(pl_builder *b, int stage, const char *path)
{
    /* each step goes to an earlier stage: the walk ends */
    for (int depth = 0; stage >= 0 && depth <= (int)b->nstages; depth++) {
        for (int s = stage; s >= 0; s = b->stages[s].base_stage) {
            const pl_stage *st = &b->stages[s];
            for (size_t i = st->nvenvs; i > 0; i--)
                if (strcmp(st->venvs[i - 1].path, path) == 0)
                    return &st->venvs[i - 1];
        }
        /* A venv copied in from another stage. */
        int next = -1;
        char *next_path = NULL;
        for (int s = stage; s >= 0 && next < 0; s = b->stages[s].base_stage) {
            const pl_stage *st = &b->stages[s];
            for (size_t i = st->ncopies; i > 0; i--) {
                const pl_copy *cp = &st->copies[i - 1];
                const char *rest;
                if (cp->from_stage >= 0 && pl_path_under(path, cp->dst, &rest)) {
                    next = cp->from_stage;
                    next_path = pl_join2(cp->src, rest);
                    break;
                }
            }
        }
        if (next < 0)
            return NULL;
        const pl_venv *v = NULL;
        for (int s = next; s >= 0 && !v; s = b->stages[s].base_stage)
            for (size_t i = 0; i < b->stages[s].nvenvs; i++)
                if (strcmp(b->stages[s].venvs[i].path, next_path) == 0)
                    v = &b->stages[s].venvs[i];
        free(next_path);
        if (v)
            return v;
        stage = next;
    }
    return NULL;
}

const pl_venv *pl_venv_on_path(pl_builder *b, int stage, const char *path, char **dir)
{
    *dir = NULL;
    if (!path)
        return NULL;
    char *copy = da_xstrdup(path), *save = NULL;
    const pl_venv *v = NULL;
    for (char *e = strtok_r(copy, ":", &save); e && !v; e = strtok_r(NULL, ":", &save)) {
        char *d = rt_join_path(NULL, e);
        if (strcmp(d, "/usr/local/bin") == 0 || strcmp(d, "/usr/bin") == 0) {
            free(d);
            break;
        }
        if (da_str_ends_with(d, "/bin")) {
            d[strlen(d) - 4] = '\0';
            v = pl_find_venv(b, stage, d[0] ? d : "/");
            if (v)
                *dir = da_xstrdup(d);
        }
        free(d);
    }
    free(copy);
    return v;
}

/* Made at `dir` in the stage or its bases, or copied in from another stage's: each copy
 * leads to an earlier stage, so the walk ends. */
static const pl_wheelhouse *find_made(pl_builder *b, int stage, const char *dir, bool file)
{
    char *path = da_xstrdup(dir);
    const pl_wheelhouse *found = NULL;
    while (stage >= 0 && path && !found) {
        for (size_t i = b->nwheelhouses; i > 0 && !found; i--) {
            const pl_wheelhouse *wh = &b->wheelhouses[i - 1];
            for (int s = stage; s >= 0 && !found; s = b->stages[s].base_stage)
                if (wh->stage == s && wh->file == file && strcmp(wh->dir, path) == 0)
                    found = wh;
        }
        if (found)
            break;
        int next = -1;
        char *next_path = NULL;
        for (int s = stage; s >= 0 && next < 0; s = b->stages[s].base_stage)
            for (size_t i = b->stages[s].ncopies; i > 0; i--) {
                const pl_copy *cp = &b->stages[s].copies[i - 1];
                const char *rest;
                if (cp->from_stage >= 0 && pl_path_under(path, cp->dst, &rest)) {
                    next = cp->from_stage;
                    next_path = pl_join2(cp->src, rest);
                    break;
                }
            }
        free(path);
        path = next_path;
        stage = next < stage ? next : -1;
    }
    free(path);
    return found;
}

const pl_wheelhouse *pl_find_wheelhouse(pl_builder *b, int stage, const char *dir)
{
    return find_made(b, stage, dir, false);
}

const pl_wheelhouse *pl_find_export(pl_builder *b, int stage, const char *path)
{
    return find_made(b, stage, path, true);
}
