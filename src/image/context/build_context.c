/* Which directory is the build context of a Dockerfile when nobody says: the compose file
 * that builds it, else the nearest folder in which its COPY/ADD sources exist (docker
 * could not build it otherwise), else the Dockerfile's folder. */
#include "depaudit/build_context.h"

#include "image/compose/compose.h"
#include "image/dockerfile/dockerfile.h"
#include "image/dockerfile/expand.h"

#include <fnmatch.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CONTEXT_MAX_LEVELS 16

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return da_xstrdup(".");
    if (slash == path)
        return da_xstrdup("/");
    return da_xstrndup(path, (size_t)(slash - path));
}

/* a joined with b, lexically cleaned ("docker" + ".." -> "."); b absolute: b. */
static char *join_clean(const char *a, const char *b)
{
    char *joined = b[0] == '/' ? da_xstrdup(b) : da_xasprintf("%s/%s", a, b);
    bool rooted = joined[0] == '/';
    da_strlist parts = {0};
    char *save = NULL;
    for (char *t = strtok_r(joined, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
        if (strcmp(t, ".") == 0)
            continue;
        if (strcmp(t, "..") == 0 && parts.len && strcmp(parts.items[parts.len - 1], "..") != 0) {
            free(parts.items[--parts.len]);
            continue;
        }
        if (strcmp(t, "..") == 0 && rooted)
            continue;
        da_strlist_push(&parts, t);
    }
    da_buf out = {0};
    da_buf_puts(&out, rooted ? "/" : "");
    for (size_t i = 0; i < parts.len; i++)
        da_buf_printf(&out, "%s%s", i ? "/" : "", parts.items[i]);
    if (out.len == 0)
        da_buf_puts(&out, ".");
    da_strlist_free(&parts);
    free(joined);
    return da_buf_take(&out);
}

static bool same_file(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

/* Whether directory `dir` is `top` or below it. */
static bool under(const char *dir, const char *top)
{
    char rd[PATH_MAX], rt[PATH_MAX];
    if (!realpath(dir, rd) || !realpath(top, rt))
        return false;
    size_t n = strlen(rt);
    return strcmp(rt, "/") == 0 || (strncmp(rd, rt, n) == 0 && (rd[n] == '/' || rd[n] == '\0'));
}

/* The folders from the Dockerfile's up to top, nearest first. */
static void folders_up(const char *dfdir, const char *top, da_strlist *out)
{
    da_strlist_push(out, dfdir);
    if (!top || !under(dfdir, top) || same_file(dfdir, top))
        return;
    char *d = da_xstrdup(dfdir);
    for (int i = 0; i < CONTEXT_MAX_LEVELS; i++) {
        char *up = join_clean(d, "..");
        free(d);
        d = up;
        da_strlist_push(out, d);
        if (same_file(d, top) || !under(d, top))
            break;
    }
    free(d);
}

/* The repository root above dir (the folder holding .git), or NULL. */
static char *repository_root(const char *dir)
{
    char *d = da_xstrdup(dir);
    for (int i = 0; i < CONTEXT_MAX_LEVELS * 2; i++) {
        char *git = da_xasprintf("%s/.git", d);
        bool hit = is_dir(git) || is_file(git);
        free(git);
        if (hit)
            return d;
        char r[PATH_MAX];
        if (!realpath(d, r) || strcmp(r, "/") == 0)
            break;
        char *up = join_clean(d, "..");
        free(d);
        d = up;
    }
    free(d);
    return NULL;
}

/* A compose path with variables (`./docker/${PY}/Dockerfile`) as a pattern: each
 * expansion may be anything within one path element. */
static char *as_pattern(const char *path)
{
    da_buf b = {0};
    da_buf_puts(&b, "");
    for (const char *p = path; *p;) {
        if (p[0] == '$' && p[1] == '{' && strchr(p, '}')) {
            da_buf_puts(&b, "*");
            p = strchr(p, '}') + 1;
        } else if (p[0] == '$' &&
                   (p[1] == '_' || (p[1] >= 'A' && p[1] <= 'Z') || (p[1] >= 'a' && p[1] <= 'z'))) {
            da_buf_puts(&b, "*");
            for (p++; *p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                      (*p >= '0' && *p <= '9');
                 p++)
                ;
        } else {
            da_buf_printf(&b, "%c", *p++);
        }
    }
    return da_buf_take(&b);
}

/* Whether a service's Dockerfile path (relative, cleaned, maybe with variables) names the
 * Dockerfile (`df_real`, resolved). */
static bool names_dockerfile(const char *df, const char *df_real)
{
    if (!strchr(df, '$'))
        return same_file(df, df_real);
    char *pat = as_pattern(df);
    char dir[PATH_MAX];
    bool hit = false;
    char *pat_dir = dir_of(pat);
    /* the folder part must exist as written (variables only in the file name), or the
     * pattern is matched against the resolved path */
    if (!strchr(pat_dir, '*') && realpath(pat_dir, dir)) {
        const char *base = strrchr(pat, '/');
        char *abs_pat = da_xasprintf("%s/%s", dir, base ? base + 1 : pat);
        hit = fnmatch(abs_pat, df_real, FNM_PATHNAME) == 0;
        free(abs_pat);
    } else {
        char cwd_real[PATH_MAX];
        if (pat[0] == '/') {
            hit = fnmatch(pat, df_real, FNM_PATHNAME) == 0;
        } else if (realpath(".", cwd_real)) {
            char *joined = join_clean(cwd_real, pat);
            hit = fnmatch(joined, df_real, FNM_PATHNAME) == 0;
            free(joined);
        }
    }
    free(pat_dir);
    free(pat);
    return hit;
}

/* The compose files of a folder: compose.yaml, docker-compose.yml and their variants
 * (docker-compose.override.yml, docker-compose.prod.yaml, ...). */
static void compose_files(const char *folder, da_strlist *out)
{
    static const char *const globs[] = {"compose.y*ml", "compose.*.y*ml", "docker-compose.y*ml",
                                        "docker-compose.*.y*ml", "docker-compose-*.y*ml"};
    for (size_t k = 0; k < sizeof(globs) / sizeof(*globs); k++) {
        char *pat = join_clean(folder, globs[k]);
        glob_t g;
        if (glob(pat, 0, NULL, &g) == 0)
            for (size_t i = 0; i < g.gl_pathc && out->len < 32; i++)
                if (is_file(g.gl_pathv[i]) && !da_strlist_contains(out, g.gl_pathv[i]))
                    da_strlist_push(out, g.gl_pathv[i]);
        globfree(&g);
        free(pat);
    }
}

/* A compose file in one of the folders whose service builds this Dockerfile: certain. A
 * service building another Dockerfile of the same folder gives its context as a guess
 * (*sibling), used when nothing better is found. */
static bool from_compose(const char *dockerfile, const da_strlist *folders, da_build_context *out,
                         da_build_context *sibling)
{
    char df_real[PATH_MAX];
    if (!realpath(dockerfile, df_real))
        return false;
    char *df_folder = dir_of(df_real);
    bool found = false;
    for (size_t f = 0; f < folders->len && !found; f++) {
        da_strlist files = {0};
        compose_files(folders->items[f], &files);
        for (size_t k = 0; k < files.len && !found; k++) {
            const char *path = files.items[k];
            da_compose_file cf;
            if (da_compose_read(path, &cf, NULL) != 0)
                continue;
            for (size_t i = 0; i < cf.nservices && !found; i++) {
                const da_compose_service *s = &cf.services[i];
                if (strstr(s->context, "://") || da_str_starts_with(s->context, "git@") ||
                    strchr(s->context, '$'))
                    continue;
                char *ctx = join_clean(folders->items[f], s->context);
                char *df = join_clean(ctx, s->dockerfile ? s->dockerfile : "Dockerfile");
                char *df_dir = dir_of(df);
                char real_dir[PATH_MAX];
                if (is_dir(ctx) && names_dockerfile(df, df_real)) {
                    found = true;
                    out->dir = da_xstrdup(ctx);
                    out->reason = da_xasprintf("%s:%d: service %s builds it with context %s", path,
                                               s->build_line, s->name, s->context);
                    out->certain = true;
                } else if (is_dir(ctx) && !sibling->dir && realpath(df_dir, real_dir) &&
                           strcmp(real_dir, df_folder) == 0) {
                    sibling->dir = da_xstrdup(ctx);
                    sibling->reason = da_xasprintf(
                        "%s:%d: service %s builds %s, in the same folder, with context %s", path,
                        s->build_line, s->name, s->dockerfile ? s->dockerfile : "Dockerfile",
                        s->context);
                }
                free(df_dir);
                free(df);
                free(ctx);
            }
            da_compose_file_free(&cf);
        }
        da_strlist_free(&files);
    }
    free(df_folder);
    return found;
}

static void add_source(const char *w, da_strlist *out)
{
    if (strchr(w, '$') || da_str_starts_with(w, "<<") || strstr(w, "://") ||
        da_str_starts_with(w, "git@"))
        return;
    char *c = join_clean(".", w[0] == '/' ? w + 1 : w);
    if (strcmp(c, "*") == 0)
        strcpy(c, "."); /* the whole context: says nothing of where it is */
    if (!da_str_starts_with(c, "..") && !da_strlist_contains(out, c))
        da_strlist_push(out, c);
    free(c);
}

/* RUN --mount=type=bind,source=X (no from=): X is read from the context too. */
static void mount_sources(const df_instruction *in, da_strlist *out)
{
    for (size_t f = 0; f < in->nflags; f++) {
        if (strcmp(in->flags[f].name, "mount") != 0 || !in->flags[f].value)
            continue;
        char *v = da_xstrdup(in->flags[f].value);
        bool bind = false, other_source = false;
        char *source = NULL, *save = NULL;
        for (char *kv = strtok_r(v, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
            if (strcmp(kv, "type=bind") == 0)
                bind = true;
            else if (da_str_starts_with(kv, "from="))
                other_source = true;
            else if (da_str_starts_with(kv, "source=") || da_str_starts_with(kv, "src="))
                source = strchr(kv, '=') + 1;
        }
        if (bind && !other_source && source && *source)
            add_source(source, out);
        free(v);
    }
}

/* The COPY/ADD sources taken from the context that say something about where it is:
 * not from another stage, not a URL, no variable in them, not the whole context. */
static void context_sources(const char *dockerfile, da_strlist *out)
{
    char *data = NULL;
    size_t len = 0;
    if (da_read_file_under(NULL, dockerfile, DA_TEXT_FILE_MAX, &data, &len, NULL) != 0)
        return;
    df_file df;
    if (df_parse(dockerfile, data, len, &df, NULL) == 0) {
        for (size_t i = 0; i < df.nins; i++) {
            const df_instruction *in = &df.ins[i];
            if (strcmp(in->keyword, "RUN") == 0)
                mount_sources(in, out);
            if ((strcmp(in->keyword, "COPY") != 0 && strcmp(in->keyword, "ADD") != 0) ||
                df_flag_value(in, "from"))
                continue;
            da_strlist words = {0};
            if (in->json) {
                da_strlist_copy_into(&words, &in->argv);
            } else {
                ex_span *sp = NULL;
                size_t n = ex_split(in->args.s, in->args.len, df.escape, &sp);
                for (size_t k = 0; k < n; k++)
                    da_strlist_push_owned(
                        &words, da_xstrndup(in->args.s + sp[k].start, sp[k].end - sp[k].start));
                free(sp);
            }
            for (size_t k = 0; k + 1 < words.len; k++)
                add_source(words.items[k], out);
            da_strlist_free(&words);
        }
    }
    df_free(&df); /* a failed parse leaves what it read so far */
    free(data);
}

static size_t count_present(const char *dir, const da_strlist *sources)
{
    size_t n = 0;
    for (size_t i = 0; i < sources->len; i++) {
        char *p = join_clean(dir, sources->items[i]);
        glob_t g;
        if (strpbrk(p, "*?[")) {
            if (glob(p, 0, NULL, &g) == 0 && g.gl_pathc > 0)
                n++;
            globfree(&g);
        } else {
            struct stat st;
            n += stat(p, &st) == 0;
        }
        free(p);
    }
    return n;
}

static void describe_sources(da_buf *b, const da_strlist *sources)
{
    for (size_t i = 0; i < sources->len && i < 3; i++)
        da_buf_printf(b, "%s%s", i ? ", " : "", sources->items[i]);
    if (sources->len > 3)
        da_buf_printf(b, " and %zu more", sources->len - 3);
}

/* Whether a folder looks like a project's root (so a `COPY .` from it is plausible): it
 * holds a .dockerignore, Python files or install files, not only Dockerfiles and scripts. */
static bool looks_like_project(const char *dir)
{
    static const char *const pats[] = {".dockerignore", "pyproject.toml",    "setup.py",
                                       "setup.cfg",     "requirements*.txt", "Pipfile",
                                       "*.py",          "*/__init__.py"};
    for (size_t k = 0; k < sizeof(pats) / sizeof(*pats); k++) {
        char *pat = join_clean(dir, pats[k]);
        glob_t g;
        bool hit = glob(pat, 0, NULL, &g) == 0 && g.gl_pathc > 0;
        globfree(&g);
        free(pat);
        if (hit)
            return true;
    }
    return false;
}

static void from_sources(const char *dockerfile, const da_strlist *folders, da_build_context *out)
{
    da_strlist sources = {0};
    context_sources(dockerfile, &sources);
    /* "." (the whole context) is kept apart: it decides nothing, and makes a guess of a
     * context no other source pins down */
    bool whole = false;
    for (size_t i = 0; i < sources.len;)
        if (strcmp(sources.items[i], ".") == 0) {
            whole = true;
            free(sources.items[i]);
            memmove(sources.items + i, sources.items + i + 1,
                    (sources.len - i - 1) * sizeof(*sources.items));
            sources.len--;
        } else {
            i++;
        }
    size_t best = 0, best_n = 0;
    for (size_t f = 0; f < folders->len && sources.len; f++) {
        size_t n = count_present(folders->items[f], &sources);
        if (n > best_n) {
            best = f;
            best_n = n;
        }
        if (n == sources.len)
            break;
    }
    out->dir = da_xstrdup(folders->items[best]);
    out->default_dir = best == 0;
    da_buf why = {0};
    if (!sources.len || best_n == 0) {
        /* certain when nothing comes from the context, or only all of it from a folder with
         * nothing above it, or one that looks like the project's root */
        out->certain =
            !sources.len && (!whole || folders->len == 1 || looks_like_project(folders->items[0]));
        da_buf_puts(&why, "the Dockerfile's folder");
        if (!sources.len && whole)
            da_buf_puts(&why, " (docker's default; its only COPY/ADD copies the whole context)");
        if (sources.len)
            da_buf_puts(&why, " (no folder from it up holds its COPY/ADD sources: ");
        describe_sources(&why, &sources);
        if (sources.len)
            da_buf_puts(&why, ")");
    } else {
        bool all = best_n == sources.len;
        da_buf_printf(&why, "%s COPY/ADD source%s of the Dockerfile %s found there (",
                      all ? (sources.len == 1 ? "the" : "every") : "most", all ? "" : "s",
                      all ? "is" : "are");
        describe_sources(&why, &sources);
        da_buf_printf(&why, ")%s", best == 0 ? "" : ", not in the Dockerfile's folder");
        out->certain = all;
    }
    out->reason = da_buf_take(&why);
    da_strlist_free(&sources);
}

int da_build_context_find(const char *dockerfile, const char *given, const char *top,
                          da_build_context *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    if (given) {
        if (!is_dir(given))
            return da_error_set(err, given, 0, 0, "--context: not a directory");
        out->dir = da_xstrdup(given);
        out->reason = da_xstrdup("--context");
        out->certain = true;
        return 0;
    }
    if (!is_file(dockerfile))
        return da_error_set(err, dockerfile, 0, 0, "cannot read the Dockerfile");
    char *dfdir = dir_of(dockerfile);
    char *repo = NULL;
    if (!top || !under(dfdir, top))
        top = repo = repository_root(dfdir);
    da_strlist folders = {0};
    folders_up(dfdir, top, &folders);
    out->inferred = true;
    da_build_context sibling;
    memset(&sibling, 0, sizeof(sibling));
    if (!from_compose(dockerfile, &folders, out, &sibling)) {
        from_sources(dockerfile, &folders, out);
        if (!out->certain && sibling.dir) {
            /* a guess either way: the one a compose file gives a Dockerfile next to it */
            da_build_context_free(out);
            *out = sibling;
            out->inferred = true;
            memset(&sibling, 0, sizeof(sibling));
        }
    }
    da_build_context_free(&sibling);
    da_strlist_free(&folders);
    free(repo);
    free(dfdir);
    return 0;
}

void da_build_context_free(da_build_context *c)
{
    if (!c)
        return;
    free(c->dir);
    free(c->reason);
    memset(c, 0, sizeof(*c));
}

/* ---- what of the context is in the final image ------------------------------------------- */

char *da_image_path_of(const da_install_plan *p, const da_ignore_rules *ignore, const char *rel,
                       const da_ignore_rule **rule)
{
    if (rule)
        *rule = NULL;
    const da_ignore_rule *r = da_ignore_rules_excluding(ignore, rel);
    if (r) {
        if (rule)
            *rule = r;
        return NULL;
    }
    for (size_t i = p->ncopies; i > 0; i--) {
        const da_copied_path *c = &p->copies[i - 1];
        char *src = join_clean(".", c->source);
        size_t n = strlen(src);
        char *hit = NULL;
        if (strcmp(src, ".") == 0)
            hit = join_clean(c->dest, rel);
        else if (strcmp(rel, src) == 0)
            hit = da_xstrdup(c->dest);
        else if (strncmp(rel, src, n) == 0 && rel[n] == '/')
            hit = join_clean(c->dest, rel + n + 1);
        else if (strpbrk(src, "*?[") && da_ignore_pattern_matches(src, rel))
            hit = da_xstrdup(c->dest);
        free(src);
        if (hit)
            return hit;
    }
    return NULL;
}

bool da_image_scope_unknown(const da_install_plan *p)
{
    if (p->ncopies == 0)
        return true; /* no code copied in: it is mounted, or built some other way */
    for (size_t k = 0; k < p->nfinal_ops; k++) {
        const da_install_op *op = &p->ops[p->final_ops[k]];
        if (op->stage == p->final_stage)
            continue;
        for (size_t j = 0; j < op->nreqs; j++)
            if (op->reqs[j].kind == DA_REQ_LOCAL_PATH)
                return true;
    }
    return false;
}
