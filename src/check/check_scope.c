/* The scope of an audit: which of the scanned files are the image's own code. A file the
 * final image never gets (no COPY/ADD brings it in, .dockerignore leaves it out) and test
 * code (tests/, test_*.py, conftest.py, files importing only test frameworks) are not
 * judged against the image; their imports still count as uses. */
#include "check_internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Distributions whose import makes a file test code when it imports nothing else. */
static const char *const test_frameworks[] = {
    "pytest",       "_pytest",   "hypothesis", "mock",          "nose",
    "nose2",        "responses", "freezegun",  "parameterized", "testcontainers",
    "respx",        "moto",      "factory",    "model_bakery",  "httpretty",
    "vcr",          "syrupy",    "behave",     "pytest_mock",   "pytest_asyncio",
    "time_machine",
};

static bool is_test_framework(const char *module)
{
    size_t n = strcspn(module, ".");
    if (n > 7 && strncmp(module, "pytest_", 7) == 0)
        return true;
    for (size_t i = 0; i < sizeof(test_frameworks) / sizeof(*test_frameworks); i++)
        if (strlen(test_frameworks[i]) == n && strncmp(module, test_frameworks[i], n) == 0)
            return true;
    return false;
}

/* tests/, test/ (and tests_*, test_*, *_tests, *_test folders) anywhere in the path,
 * test_*.py, *_test.py, conftest.py. */
bool check_is_test_path(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strcmp(base, "conftest.py") == 0 ||
        (da_str_starts_with(base, "test_") && da_str_ends_with(base, ".py")) ||
        da_str_ends_with(base, "_test.py"))
        return true;
    for (const char *p = path; p < base;) {
        const char *slash = strchr(p, '/');
        size_t n = (size_t)(slash - p);
        char *dir = da_xstrndup(p, n);
        /* tests/, test/, tests_e2e/, e2e_tests/, integration_test/ */
        bool test_dir = strcmp(dir, "tests") == 0 || strcmp(dir, "test") == 0 ||
                        da_str_starts_with(dir, "tests_") || da_str_starts_with(dir, "test_") ||
                        da_str_ends_with(dir, "_tests") || da_str_ends_with(dir, "_test");
        free(dir);
        if (test_dir)
            return true;
        p = slash + 1;
    }
    return false;
}

/* Records [from, to) are one file's: test code when all its third-party imports are test
 * frameworks (and there is one). */
static bool imports_only_tests(const da_import_set *s, size_t from, size_t to)
{
    bool any = false;
    for (size_t i = from; i < to; i++) {
        const da_import *r = &s->items[i];
        if (r->klass != DA_CLASS_THIRD_PARTY)
            continue;
        if (!is_test_framework(r->module))
            return false;
        any = true;
    }
    return any;
}

/* The file's path inside the context (ctx resolved), NULL when outside. */
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

/* "scripts/ (3 files)": where the left-out files are, by their first folder. */
static void count_place(da_strlist *places, size_t **counts, const char *shown)
{
    const char *slash = strchr(shown, '/');
    char *place = slash ? da_xstrndup(shown, (size_t)(slash - shown + 1)) : da_xstrdup(shown);
    for (size_t i = 0; i < places->len; i++)
        if (strcmp(places->items[i], place) == 0) {
            (*counts)[i]++;
            free(place);
            return;
        }
    da_strlist_push_owned(places, place);
    *counts = da_xrealloc(*counts, places->len * sizeof(**counts));
    (*counts)[places->len - 1] = 1;
}

static char *places_text(const da_strlist *places, const size_t *counts)
{
    da_buf b = {0};
    for (size_t i = 0; i < places->len && i < 6; i++)
        da_buf_printf(&b, "%s%s (%zu file%s)", i ? ", " : "", places->items[i], counts[i],
                      counts[i] == 1 ? "" : "s");
    if (places->len > 6)
        da_buf_printf(&b, " and %zu more places", places->len - 6);
    return da_buf_take(&b);
}

typedef struct scope_tally {
    da_strlist out_places, test_places;
    size_t *out_counts, *test_counts;
    size_t out_files, test_files;
} scope_tally;

/* The scope of one file (records [from, to) of s). */
static da_file_scope file_scope_of(const check_scope *sc, const da_install_plan *p, const char *ctx,
                                   const da_import_set *s, size_t from, size_t to, const char *cwd,
                                   scope_tally *t)
{
    const da_import *r = &s->items[from];
    char *host = da_audit_display_path(r->root, r->file, NULL);
    char *shown = da_audit_display_path(r->root, r->file, cwd);
    da_file_scope scope = DA_FILE_RUNTIME;
    if (check_is_test_path(shown) || imports_only_tests(s, from, to)) {
        scope = DA_FILE_TEST;
        t->test_files++;
        count_place(&t->test_places, &t->test_counts, shown);
    } else if (p && !sc->unknown && !p->context_guessed) {
        /* with a guessed context what is copied is a guess too: every file stays in */
        char *rel = ctx ? context_relative(ctx, host) : NULL;
        char *in_image = rel ? da_image_path_of(p, &sc->ignore, rel, NULL) : NULL;
        if (!in_image) {
            scope = DA_FILE_NOT_IN_IMAGE;
            t->out_files++;
            count_place(&t->out_places, &t->out_counts, shown);
        }
        free(in_image);
        free(rel);
    }
    free(host);
    free(shown);
    return scope;
}

int check_scope_build(const da_install_plan *p, const da_import_set *s, const char *cwd,
                      check_scope *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    char ctx[PATH_MAX];
    bool have_ctx = false;
    if (p) {
        if (da_dockerignore_load(p->context_dir, p->dockerfile, &out->ignore, err) != 0)
            return -1;
        out->unknown = da_image_scope_unknown(p);
        have_ctx = realpath(p->context_dir && *p->context_dir ? p->context_dir : ".", ctx) != NULL;
        if (p->context_reason)
            da_strlist_push_owned(
                &out->notes,
                da_xasprintf("build context %s%s: %s%s", p->context_dir,
                             p->context_guessed ? " (a guess)" : "", p->context_reason,
                             p->context_guessed ? "; name it with --context to settle what the "
                                                  "image copies (DA008 stays a warning till then)"
                                                : ""));
    }
    out->file_scope = da_xcalloc(s->len + 1, 1);
    scope_tally t;
    memset(&t, 0, sizeof(t));
    for (size_t i = 0; i < s->len;) {
        size_t j = i + 1;
        while (j < s->len && strcmp(s->items[j].root, s->items[i].root) == 0 &&
               strcmp(s->items[j].file, s->items[i].file) == 0)
            j++;
        da_file_scope fs = file_scope_of(out, p, have_ctx ? ctx : NULL, s, i, j, cwd, &t);
        memset(out->file_scope + i, fs, j - i);
        i = j;
    }
    if (t.out_files) {
        char *where = places_text(&t.out_places, t.out_counts);
        da_strlist_push_owned(
            &out->notes,
            da_xasprintf("code the image never gets is not audited as the image's (no COPY/ADD of "
                         "the final image brings it in, or .dockerignore leaves it out): %s",
                         where));
        free(where);
    }
    if (t.test_files) {
        char *where = places_text(&t.test_places, t.test_counts);
        da_strlist_push_owned(
            &out->notes,
            da_xasprintf("test code is not audited as the image's (its imports count as uses, "
                         "never as missing from the image): %s",
                         where));
        free(where);
    }
    if (p && out->unknown)
        da_strlist_push(&out->notes,
                        p->ncopies == 0
                            ? "the final image copies no code from the build context (it may be "
                              "mounted at run time): every scanned file is audited as its code"
                            : "a local project reaches the final image through an install from "
                              "another stage: every scanned file is audited as its code");
    da_strlist_free(&t.out_places);
    da_strlist_free(&t.test_places);
    free(t.out_counts);
    free(t.test_counts);
    return 0;
}

void check_scope_free(check_scope *sc)
{
    da_ignore_rules_free(&sc->ignore);
    free(sc->file_scope);
    da_strlist_free(&sc->notes);
    memset(sc, 0, sizeof(*sc));
}

/* The roots of `depaudit Dockerfile` alone: the folders and .py files the final image's
 * COPY/ADD lines bring in from the context, else the context itself. */
void check_scope_roots(const da_install_plan *p, da_strlist *roots)
{
    const char *ctx = p->context_dir && *p->context_dir ? p->context_dir : ".";
    for (size_t i = 0; i < p->ncopies; i++) {
        const char *src = p->copies[i].source;
        while (src[0] == '.' && src[1] == '/')
            src += 2;
        char *host = strcmp(src, ".") == 0 || !*src ? da_xstrdup(ctx)
                     : strcmp(ctx, ".") == 0        ? da_xstrdup(src)
                                                    : da_xasprintf("%s/%s", ctx, src);
        size_t n = strlen(host);
        while (n > 1 && host[n - 1] == '/')
            host[--n] = '\0';
        struct stat st;
        bool usable =
            stat(host, &st) == 0 &&
            (S_ISDIR(st.st_mode) || (S_ISREG(st.st_mode) && da_str_ends_with(host, ".py")));
        bool covered = false;
        for (size_t k = 0; k < roots->len && !covered; k++) {
            size_t rl = strlen(roots->items[k]);
            covered = strcmp(roots->items[k], host) == 0 ||
                      (strcmp(roots->items[k], ".") == 0 && host[0] != '/' &&
                       !da_str_starts_with(host, "..")) ||
                      (strncmp(host, roots->items[k], rl) == 0 && host[rl] == '/');
        }
        if (usable && !covered)
            da_strlist_push(roots, host);
        free(host);
    }
    if (roots->len == 0)
        da_strlist_push(roots, ctx);
}
