/* depaudit imports: the modules the Python code under PATH... imports, with context. */
#include "commands.h"

#include "depaudit/imports.h"
#include "depaudit/target.h"
#include "depaudit/util.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: depaudit imports [OPTIONS] PATH...\n"
    "\n"
    "Lists every import in the .py files and notebook code cells under each PATH (a\n"
    "directory or a file), with its scope, guard and class (stdlib, first-party, ...).\n"
    "\n"
    "Options:\n"
    "  --format text|json    output format (default text)\n"
    "  --python-version X.Y  Python whose standard library decides what is stdlib\n"
    "                        (3.8 to 3.14; default " DA_DEFAULT_PY_VERSION ")\n"
    "  --exclude GLOB        skip files and directories matching GLOB (relative path or\n"
    "                        name); repeatable\n"
    "  --first-party NAME    also treat top-level module NAME as first-party; repeatable\n"
    "  --threads N           worker threads (default 2)\n"
    "  -h, --help            show this help\n"
    "\n"
    "Skips .git, node_modules, __pycache__ and virtualenvs (directories with pyvenv.cfg).\n"
    "Files that do not parse cleanly are still read; a warning on stderr names them.\n";

/* "3.11" -> 3, 11. */
static bool parse_python_version(const char *s, int *major, int *minor)
{
    char *end;
    long a = strtol(s, &end, 10);
    if (end == s || *end != '.')
        return false;
    const char *m = end + 1;
    long b = strtol(m, &end, 10);
    if (end == m || *end != '\0' || a != 3 || b < 0 || b > 99)
        return false;
    *major = (int)a;
    *minor = (int)b;
    return true;
}

static void print_location(FILE *out, const char *root, const char *file, int cell)
{
    if (strcmp(root, file) == 0 || !*root)
        fputs(file, out);
    else if (da_str_ends_with(root, "/"))
        fprintf(out, "%s%s", root, file);
    else
        fprintf(out, "%s/%s", root, file);
    if (cell > 0)
        fprintf(out, "[cell %d]", cell);
}

static void print_text(const da_import_set *s, FILE *out)
{
    for (size_t i = 0; i < s->len; i++) {
        const da_import *im = &s->items[i];
        print_location(out, im->root, im->file, im->cell);
        fprintf(out, ":%d:%d: %s ", im->line, im->col, da_import_kind_name(im->kind));
        for (int d = 0; d < im->level; d++)
            fputc('.', out);
        fputs(im->module, out);
        if (im->names.len > 0) {
            fputs(" (", out);
            for (size_t n = 0; n < im->names.len; n++)
                fprintf(out, "%s%s", n ? ", " : "", im->names.items[n]);
            fputc(')', out);
        }
        fprintf(out, " %s scope=%s guard=%s", da_import_class_name(im->klass),
                da_import_scope_name(im->scope), da_import_guard_name(im->guard));
        if (im->condition)
            fprintf(out, " condition=\"%s\"", im->condition);
        if (im->alternative_group)
            fprintf(out, " group=%d%s", im->alternative_group, im->in_except ? " fallback" : "");
        if (im->ignored)
            fputs(" ignored", out);
        fputc('\n', out);
    }
    fprintf(out, "%zu files, %zu imports", s->files, s->len);
    if (s->dynamic_unresolved)
        fprintf(out, ", %zu dynamic imports without a literal name", s->dynamic_unresolved);
    fputc('\n', out);
}

int cmd_imports(int argc, char **argv)
{
    da_import_options o;
    da_import_options_init(&o);
    bool json = false;
    da_strlist paths = {0};
    int rc = DA_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *value = NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            goto done;
        }
        bool takes_value = strcmp(a, "--format") == 0 || strcmp(a, "--python-version") == 0 ||
                           strcmp(a, "--exclude") == 0 || strcmp(a, "--first-party") == 0 ||
                           strcmp(a, "--threads") == 0;
        if (takes_value) {
            if (i + 1 >= argc) {
                rc = cli_usage_error("imports: %s needs a value", a);
                goto done;
            }
            value = argv[++i];
        }
        if (strcmp(a, "--format") == 0) {
            if (strcmp(value, "json") == 0) {
                json = true;
            } else if (strcmp(value, "text") == 0) {
                json = false;
            } else {
                rc = cli_usage_error("imports: unknown format '%s' (text or json)", value);
                goto done;
            }
        } else if (strcmp(a, "--python-version") == 0) {
            if (!parse_python_version(value, &o.py_major, &o.py_minor)) {
                rc = cli_usage_error("imports: bad --python-version '%s' (expected 3.Y)", value);
                goto done;
            }
        } else if (strcmp(a, "--exclude") == 0) {
            da_strlist_push(&o.excludes, value);
        } else if (strcmp(a, "--first-party") == 0) {
            da_strlist_push(&o.extra_first_party, value);
        } else if (strcmp(a, "--threads") == 0) {
            char *end;
            long n = strtol(value, &end, 10);
            if (end == value || *end != '\0' || n < 1 || n > 64) {
                rc = cli_usage_error("imports: bad --threads '%s' (1 to 64)", value);
                goto done;
            }
            o.threads = (int)n;
        } else if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++)
                da_strlist_push(&paths, argv[i]);
        } else if (a[0] == '-' && a[1] != '\0') {
            rc = cli_usage_error("imports: unknown option '%s' (see --help)", a);
            goto done;
        } else {
            da_strlist_push(&paths, a);
        }
    }
    if (paths.len == 0) {
        rc = cli_usage_error("imports: no PATH given (see --help)");
        goto done;
    }
    da_import_set set = {0};
    da_error err;
    da_error_clear(&err);
    if (da_imports_scan((const char *const *)paths.items, paths.len, &o, &set, &err) < 0) {
        char msg[2048];
        da_error_format(&err, msg, sizeof(msg));
        rc = cli_usage_error("%s", msg);
        da_import_set_free(&set);
        goto done;
    }
    for (size_t i = 0; i < set.nerrors; i++) {
        const da_import_error *e = &set.errors[i];
        fputs("depaudit: warning: ", stderr);
        print_location(stderr, e->root, e->file, 0);
        if (e->line > 0)
            fprintf(stderr, ":%d", e->line);
        fprintf(stderr, ": %s\n", e->message);
    }
    if (json) {
        char *text = da_imports_to_json(&set);
        puts(text);
        free(text);
    } else {
        print_text(&set, stdout);
    }
    da_import_set_free(&set);
done:
    da_strlist_free(&paths);
    da_import_options_free(&o);
    return rc;
}
