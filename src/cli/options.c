/* The table-driven option parser (options.h) and the one way errors are printed. */
#include "cli/options.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Everything depaudit prints leaves through here: the credentials of any URL a message
 * quotes (from a requirement, a Dockerfile, a lock file, an option) are hidden, and on
 * stderr, control characters and bytes that are not UTF-8 are escaped (a file name
 * cannot drive the terminal). */
static void emit(FILE *to, const char *text, size_t len, bool escape)
{
    da_buf hidden = {0};
    da_text_hide_credentials(text, len, &hidden);
    if (escape) {
        da_buf safe = {0};
        da_text_put_safe(&safe, hidden.data, "\n");
        da_buf_free(&hidden);
        hidden = safe;
    }
    if (hidden.len)
        fwrite(hidden.data, 1, hidden.len, to);
    da_buf_free(&hidden);
}

static void vnote(const char *command, const char *fmt, va_list ap)
{
    da_buf b = {0};
    da_buf_puts(&b, "depaudit: ");
    if (command)
        da_buf_printf(&b, "%s: ", command);
    da_buf_vprintf(&b, fmt, ap);
    da_buf_putc(&b, '\n');
    emit(stderr, b.data, b.len, true);
    da_buf_free(&b);
}

int cli_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vnote(command, fmt, ap);
    va_end(ap);
    return DA_EXIT_USAGE;
}

int cli_fail(const da_error *err, int exit_code)
{
    char msg[2048];
    da_error_format(err, msg, sizeof(msg));
    cli_note("%s", msg);
    return exit_code;
}

void cli_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vnote(NULL, fmt, ap);
    va_end(ap);
}

void cli_write(const da_buf *b)
{
    if (b->len)
        emit(stdout, b->data, b->len, false);
}

/* ---- shared groups ---------------------------------------------------------------------- */

const char *const cli_text_json[] = {"text", "json", NULL};

const cli_option cli_format_options[1] = {
    {"--format", NULL, CLI_VALUE, offsetof(cli_format, format), cli_text_json, NULL},
};

/* "3.Y" or "3.Y.Z", digits and dots only. */
static int apply_python_version(const char *command, const char *option, const char *value,
                                void *field)
{
    cli_python *p = field;
    int major = 0, minor = 0, micro = -1, end2 = 0, end3 = 0;
    /* at most 11 characters: no part overflows an int */
    size_t len = strlen(value);
    int n = len <= 11 && strspn(value, "0123456789.") == len
                ? sscanf(value, "%d.%d%n.%d%n", &major, &minor, &end2, &micro, &end3)
                : 0;
    bool whole = (n == 2 && value[end2] == '\0') || (n == 3 && value[end3] == '\0');
    if (!whole || major != 3 || minor > 99)
        return cli_error(command, "%s must be 3.Y or 3.Y.Z, not '%s'", option, value);
    p->version = value;
    p->major = major;
    p->minor = minor;
    p->micro = n == 3 ? micro : -1;
    return 0;
}

const cli_option cli_python_options[1] = {
    {"--python-version", NULL, CLI_VALUE, 0, NULL, apply_python_version},
};

static int apply_ms(const char *command, const char *option, const char *value, void *field)
{
    double secs = 0;
    int rc = cli_parse_seconds(command, option, value, 3600, &secs);
    if (rc == 0)
        *(long *)field = secs * 1000 < 1 ? 1 : (long)(secs * 1000);
    return rc;
}

static int apply_retries(const char *command, const char *option, const char *value, void *field)
{
    long n = 0;
    int rc = cli_parse_long(command, option, value, 0, 20, &n);
    if (rc == 0) {
        da_network_options *net = field;
        net->retries = (int)n;
        net->retries_set = true;
    }
    return rc;
}

#define NET(f) offsetof(cli_index, network.f)
const cli_option cli_index_options[7] = {
    {"--index-url", "-i", CLI_VALUE, offsetof(cli_index, index_url), NULL, NULL},
    {"--cache-dir", NULL, CLI_VALUE, offsetof(cli_index, cache_dir), NULL, NULL},
    {"--offline", NULL, CLI_FLAG, offsetof(cli_index, offline), NULL, NULL},
    {"--timeout", NULL, CLI_VALUE, NET(timeout_ms), NULL, apply_ms},
    {"--connect-timeout", NULL, CLI_VALUE, NET(connect_timeout_ms), NULL, apply_ms},
    {"--retries", NULL, CLI_VALUE, offsetof(cli_index, network), NULL, apply_retries},
    {"--network-budget", NULL, CLI_VALUE, NET(budget_ms), NULL, apply_ms},
};
#undef NET

int cli_parse_long(const char *command, const char *option, const char *value, long min, long max,
                   long *out)
{
    char *end = NULL;
    errno = 0;
    long n = strtol(value, &end, 10);
    if (end == value || *end || errno || n < min || n > max)
        return cli_error(command, "%s must be a whole number from %ld to %ld, not '%s'", option,
                         min, max, value);
    *out = n;
    return 0;
}

int cli_parse_seconds(const char *command, const char *option, const char *value, double max,
                      double *out)
{
    char *end = NULL;
    double secs = strtod(value, &end);
    if (end == value || *end || !(secs > 0) || secs > max)
        return cli_error(command, "%s must be seconds (more than 0, at most %g), not '%s'", option,
                         max, value);
    *out = secs;
    return 0;
}

/* ---- the parser ------------------------------------------------------------------------- */

static const cli_option *find_option(const cli_group *groups, size_t ngroups, const char *arg,
                                     size_t len, void **base)
{
    for (size_t g = 0; g < ngroups; g++)
        for (size_t i = 0; i < groups[g].n; i++) {
            const cli_option *o = &groups[g].options[i];
            if ((strlen(o->name) == len && strncmp(o->name, arg, len) == 0) ||
                (o->alias && strlen(o->alias) == len && strncmp(o->alias, arg, len) == 0)) {
                *base = groups[g].base;
                return o;
            }
        }
    return NULL;
}

static int check_choice(const char *command, const cli_option *o, const char *value)
{
    if (!o->choices)
        return 0;
    size_t n = 0;
    for (; o->choices[n]; n++)
        if (strcmp(o->choices[n], value) == 0)
            return 0;
    da_buf list = {0};
    for (size_t i = 0; i < n; i++)
        da_buf_printf(&list, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", o->choices[i]);
    cli_error(command, "%s must be %s, not '%s'", o->name, list.data, value);
    da_buf_free(&list);
    return DA_EXIT_USAGE;
}

static int store(const char *command, const cli_option *o, const char *shown, const char *value,
                 void *base)
{
    void *field = (char *)base + o->offset;
    if (o->apply)
        return o->apply(command, shown, value, field);
    if (o->kind == CLI_LIST) {
        da_strlist_push(field, value);
        return 0;
    }
    int rc = check_choice(command, o, value);
    if (rc == 0)
        *(const char **)field = value;
    return rc;
}

/* One option at argv[*i]; advances *i past a separate value. */
static int parse_option(const char *command, int argc, char **argv, int *i, const cli_group *groups,
                        size_t ngroups)
{
    const char *arg = argv[*i];
    const char *eq = strncmp(arg, "--", 2) == 0 ? strchr(arg, '=') : NULL;
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    void *base = NULL;
    const cli_option *o = find_option(groups, ngroups, arg, len, &base);
    if (!o)
        return cli_error(command, "unknown option '%.*s' (see depaudit %s --help)", (int)len, arg,
                         command);
    const char *shown = strncmp(arg, "--", 2) == 0 ? o->name : o->alias;
    if (o->kind == CLI_FLAG) {
        if (eq)
            return cli_error(command, "%s takes no value", o->name);
        if (o->apply)
            return o->apply(command, shown, NULL, (char *)base + o->offset);
        *(bool *)((char *)base + o->offset) = true;
        return 0;
    }
    if (eq)
        return store(command, o, shown, eq + 1, base);
    if (*i + 1 >= argc)
        return cli_error(command, "%s needs a value", shown);
    return store(command, o, shown, argv[++*i], base);
}

int cli_parse(const char *command, const char *usage, int argc, char **argv,
              const cli_group *groups, size_t ngroups, da_strlist *positional)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return CLI_HELP;
        }
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "--") == 0) {
            for (i++; i < argc; i++)
                da_strlist_push(positional, argv[i]);
            break;
        }
        if (arg[0] != '-' || arg[1] == '\0') {
            da_strlist_push(positional, arg);
            continue;
        }
        int rc = parse_option(command, argc, argv, &i, groups, ngroups);
        if (rc != 0)
            return rc;
    }
    return 0;
}
