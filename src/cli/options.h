/* The one option parser of every subcommand: each command describes its options in tables
 * (its own and the shared groups below) and cli_parse reads argv against them. Options may
 * stand anywhere, as `--opt value` or `--opt=value`; `--` ends them; `-h`/`--help`
 * anywhere before `--` prints the usage. Every usage error is one line on stderr,
 * "depaudit: COMMAND: message", and exit code 2. */
#ifndef DEPAUDIT_CLI_OPTIONS_H
#define DEPAUDIT_CLI_OPTIONS_H

#include "depaudit/check.h"
#include "depaudit/util.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum cli_kind {
    CLI_FLAG,  /* --offline: sets a bool; takes no value */
    CLI_VALUE, /* --format X: a const char * into argv (the last one wins) */
    CLI_LIST,  /* --build-arg X: appended to a da_strlist (repeatable) */
} cli_kind;

typedef struct cli_option {
    const char *name;  /* "--format" */
    const char *alias; /* "-r", or NULL */
    cli_kind kind;
    size_t offset; /* of its field in the group's struct */
    /* CLI_VALUE: the only values allowed (NULL-terminated), or NULL for any. */
    const char *const *choices;
    /* Instead of storing: checks (and stores) the value itself; returns 0, or
     * cli_error's DA_EXIT_USAGE. NULL: stored as is. */
    int (*apply)(const char *command, const char *option, const char *value, void *field);
} cli_option;

/* A table of options and the struct their offsets point into. */
typedef struct cli_group {
    const cli_option *options;
    size_t n;
    void *base;
} cli_group;
#define CLI_GROUP(table, base)                                                                     \
    {                                                                                              \
        (table), sizeof(table) / sizeof((table)[0]), (base)                                        \
    }

/* What cli_parse returns when it printed the usage (the command then exits 0). */
#define CLI_HELP (-1)

/* Parses argv[1..argc-1] (argv[0] is the command) against the groups; the other
 * arguments (a lone "-" included, everything after "--") are appended to positional.
 * Returns 0, CLI_HELP after printing usage on stdout, or DA_EXIT_USAGE after one error. */
int cli_parse(const char *command, const char *usage, int argc, char **argv,
              const cli_group *groups, size_t ngroups, da_strlist *positional);

/* ---- shared option groups ---------------------------------------------------------------- */

/* --format: text or json (check has its own table with sarif and github). */
typedef struct cli_format {
    const char *format; /* "text" unless given */
} cli_format;
extern const cli_option cli_format_options[1];
extern const char *const cli_text_json[];

/* --python-version 3.Y or 3.Y.Z: the target Python. */
typedef struct cli_python {
    const char *version;     /* NULL unless given; checked */
    int major, minor, micro; /* parsed; micro -1 when not given */
} cli_python;
extern const cli_option cli_python_options[1];

/* The package index and the network: --index-url/-i, --cache-dir, --offline. */
typedef struct cli_index {
    const char *index_url;
    const char *cache_dir;
    bool offline;
    da_network_options network; /* --timeout, --connect-timeout, --retries, --network-budget */
} cli_index;
extern const cli_option cli_index_options[7];
/* Their lines for a usage text. */
#define CLI_NETWORK_USAGE                                                                          \
    "  --timeout SECONDS       a transfer with no byte for this long fails (default 10)\n"         \
    "  --connect-timeout SECONDS  a connection not made in this long fails (default 5)\n"          \
    "  --retries N             retries after a retryable failure (default 2)\n"                    \
    "  --network-budget SECONDS  all transfers together, at most (default 60)\n"

/* Whole numbers and seconds in a range, for apply callbacks: the value is parsed into
 * *(long *)field / *(double *)field, or the error names the range. */
int cli_parse_long(const char *command, const char *option, const char *value, long min, long max,
                   long *out);
int cli_parse_seconds(const char *command, const char *option, const char *value, double max,
                      double *out);

/* ---- what the commands print --------------------------------------------------------------- */

/* "depaudit: COMMAND: message" (COMMAND NULL: "depaudit: message") on stderr; returns
 * DA_EXIT_USAGE. */
int cli_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "depaudit: FILE:LINE:COL: message" of a stage's error on stderr; returns exit_code. */
int cli_fail(const da_error *err, int exit_code);
/* "depaudit: " and the line, on stderr (warnings and notes). */
void cli_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes a buffer to stdout (nothing when empty). */
void cli_write(const da_buf *b);

#endif
