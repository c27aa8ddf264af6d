/* DA008: first-party modules the code imports whose files never reach the image, because
 * no COPY/ADD brings them in, or .dockerignore keeps them out of the build context. */
#include "audit_checks.h"

#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* The file's path inside the build context (`ctx` already resolved), NULL when it lies
 * outside. */
static char *context_relative(const char *ctx, const char *file)
{
    char f[PATH_MAX];
    if (!realpath(file, f))
        return NULL;
    size_t n = strlen(ctx);
    if (strcmp(ctx, "/") == 0)
        return da_xstrdup(f + 1);
    if (strncmp(f, ctx, n) != 0 || f[n] != '/')
        return NULL;
    return da_xstrdup(f + n + 1);
}

static bool matches_pattern(const char *pattern, const char *path)
{
    /* the pattern matches the path or one of its leading directories */
    char *p = da_xstrdup(path);
    bool hit = false;
    for (;;) {
        /* `**` spans directories: without FNM_PATHNAME `*` crosses `/` too */
        int flags = strstr(pattern, "**") ? 0 : FNM_PATHNAME;
        if (fnmatch(pattern, p, flags) == 0 ||
            (da_str_starts_with(pattern, "**/") && fnmatch(pattern + 3, p, 0) == 0)) {
            hit = true;
            break;
        }
        char *slash = strrchr(p, '/');
        if (!slash)
            break;
        *slash = '\0';
    }
    if (!hit && da_str_starts_with(pattern, "**/")) {
        /* any suffix of the path */
        for (const char *s = strchr(path, '/'); s && !hit; s = strchr(s + 1, '/'))
            hit = matches_pattern(pattern + 3, s + 1);
    }
    free(p);
    return hit;
}

/* .dockerignore: later lines win; "!" re-includes. */
static bool docker_ignored(const char *ignore, const char *path)
{
    if (!ignore)
        return false;
    bool ignored = false;
    char *copy = da_xstrdup(ignore);
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        size_t n = strlen(s);
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\r' || s[n - 1] == '/'))
            s[--n] = '\0';
        if (!*s || *s == '#')
            continue;
        bool negate = *s == '!';
        if (negate)
            s++;
        while (*s == '/')
            s++;
        if (matches_pattern(s, path))
            ignored = !negate;
    }
    free(copy);
    return ignored;
}

static bool copied(const da_install_plan *p, const char *rel)
{
    for (size_t i = 0; i < p->ncopies; i++) {
        char *src = da_xstrdup(p->copies[i].source);
        size_t n = strlen(src);
        while (n > 1 && src[n - 1] == '/')
            src[--n] = '\0';
        const char *s = src;
        while (s[0] == '.' && s[1] == '/')
            s += 2;
        bool hit = strcmp(s, ".") == 0 || *s == '\0' || matches_pattern(s, rel);
        free(src);
        if (hit)
            return true;
    }
    return false;
}

void audit_check_first_party(audit_ctx *c)
{
    const da_install_plan *p = c->in->plan;
    const da_import_set *s = c->in->imports;
    if (!p)
        return;
    char *ignore = NULL;
    char *ignore_path = da_xasprintf("%s/.dockerignore", p->context_dir ? p->context_dir : ".");
    size_t len;
    if (da_read_file_under(p->context_dir ? p->context_dir : ".", ignore_path, DA_TEXT_FILE_MAX,
                           &ignore, &len, NULL) != 0)
        ignore = NULL;
    free(ignore_path);
    char ctx[PATH_MAX];
    if (!realpath(p->context_dir && *p->context_dir ? p->context_dir : ".", ctx)) {
        free(ignore);
        return; /* no context to judge against (the plan stage reports it) */
    }
    da_strlist reported = {0};
    const char *last_module = NULL; /* records of one module often follow each other */
    for (size_t i = 0; i < s->len; i++) {
        const da_import *r = &s->items[i];
        if (r->klass != DA_CLASS_FIRST_PARTY || r->level > 0)
            continue;
        if (last_module && strcmp(last_module, r->module) == 0)
            continue;
        last_module = r->module;
        char *file = audit_graph_module_file(c->graph, r->module);
        if (!file)
            continue;
        char *rel = context_relative(ctx, file);
        const char *why = NULL;
        if (!rel)
            why = "it lies outside the build context";
        else if (docker_ignored(ignore, rel))
            why = ".dockerignore excludes it from the build context";
        else if (!copied(p, rel))
            why = "no COPY or ADD of the final stage brings it in";
        if (why && !da_strlist_contains(&reported, file) &&
            !audit_suppressed(c, DA008_FIRST_PARTY_NOT_IN_IMAGE, r, r->module)) {
            da_strlist_push(&reported, file);
            char *path = da_audit_display_path(r->root, r->file, c->cwd);
            da_finding *x =
                audit_add_finding(c->out, DA008_FIRST_PARTY_NOT_IN_IMAGE, path, r->line, r->col);
            free(path);
            x->module = da_xstrdup(r->module);
            x->boot_path = audit_graph_boot_chain(c->graph, i, c->cwd, &x->chain, &x->nchain);
            char *shown = da_audit_display_path(NULL, file, c->cwd);
            audit_finding_set_message(x, "first-party `%s` (%s) is not in the image: %s%s",
                                      r->module, shown, why,
                                      x->boot_path ? "; the container crashes at start-up" : "");
            x->python_error = da_xasprintf("ModuleNotFoundError: No module named '%s'", r->module);
            free(shown);
        }
        free(rel);
        free(file);
    }
    da_strlist_free(&reported);
    free(ignore);
}
