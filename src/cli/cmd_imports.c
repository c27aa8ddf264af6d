/* depaudit imports: the modules the Python code under PATH... imports, with context. */
#include "commands.h"

#include "depaudit/check.h"
#include "depaudit/target.h"
#include "depaudit/util.h"

#include <stdio.h>
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
    "  --max-file-size BYTES skip (with a warning) a source file larger than this\n"
    "                        (default 16777216)\n"
    "  -h, --help            show this help\n"
    "\n"
    "Skips .git, node_modules, __pycache__ and virtualenvs (directories with pyvenv.cfg).\n"
    "Files that do not parse cleanly are still read; a warning on stderr names them.\n";

typedef struct imports_args {
    cli_format format;
    cli_python python;
    da_import_options o;
    da_strlist paths; /* positional */
} imports_args;

static int apply_threads(const char *command, const char *option, const char *value, void *field)
{
    long n = 0;
    int rc = cli_parse_long(command, option, value, 1, 64, &n);
    if (rc == 0)
        *(int *)field = (int)n;
    return rc;
}

static int apply_max_file_size(const char *command, const char *option, const char *value,
                               void *field)
{
    long n = 0;
    int rc = cli_parse_long(command, option, value, 1, 1L << 40, &n);
    if (rc == 0)
        *(size_t *)field = (size_t)n;
    return rc;
}

static const cli_option imports_options[] = {
    {"--exclude", NULL, CLI_LIST, offsetof(imports_args, o.excludes), NULL, NULL},
    {"--first-party", NULL, CLI_LIST, offsetof(imports_args, o.extra_first_party), NULL, NULL},
    {"--threads", NULL, CLI_VALUE, offsetof(imports_args, o.threads), NULL, apply_threads},
    {"--max-file-size", NULL, CLI_VALUE, offsetof(imports_args, o.max_file_bytes), NULL,
     apply_max_file_size},
};

static void write_stdout(const char *text, size_t len, void *ctx)
{
    (void)ctx;
    fwrite(text, 1, len, stdout);
}

static void write_warning(const char *line, void *ctx)
{
    (void)ctx;
    cli_note("%s", line);
}

/* The records go to stdout as the scan produces them, so memory does not grow with the
 * tree. */
static int scan(const imports_args *a)
{
    da_error err;
    da_error_clear(&err);
    da_check_imports_output out = {strcmp(a->format.format, "json") == 0, write_stdout,
                                   write_warning, NULL};
    if (da_check_imports((const char *const *)a->paths.items, a->paths.len, &a->o, &out, &err) < 0)
        return cli_fail(&err, DA_EXIT_USAGE);
    return DA_EXIT_OK;
}

int cmd_imports(int argc, char **argv)
{
    imports_args a;
    memset(&a, 0, sizeof(a));
    da_import_options_init(&a.o);
    a.format.format = "text";
    const cli_group groups[] = {
        CLI_GROUP(imports_options, &a),
        CLI_GROUP(cli_format_options, &a.format),
        CLI_GROUP(cli_python_options, &a.python),
    };
    int rc = cli_parse("imports", usage, argc, argv, groups, 3, &a.paths);
    if (rc == 0 && a.paths.len == 0)
        rc = cli_error("imports", "no PATH given (see depaudit imports --help)");
    if (rc == 0) {
        if (a.python.version) {
            a.o.py_major = a.python.major;
            a.o.py_minor = a.python.minor;
        }
        rc = scan(&a);
    }
    da_strlist_free(&a.paths);
    da_import_options_free(&a.o);
    return rc == CLI_HELP ? DA_EXIT_OK : rc;
}
