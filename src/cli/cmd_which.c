/* depaudit which: the distributions that provide a module, from the embedded snapshot
 * (or --snapshot FILE), each with where the answer came from. */
#include "commands.h"

#include "depaudit/check.h"
#include "depaudit/util.h"

#include <stdio.h>
#include <string.h>

static const char which_usage[] =
    "usage: depaudit which [--format text|json] [--snapshot FILE] MODULE...\n"
    "\n"
    "Which distributions provide MODULE (dotted, e.g. google.protobuf.message): the\n"
    "longest dotted prefix some distribution ships wins, most downloaded first.\n"
    "\n"
    "  --format text|json  output format (default text)\n"
    "  --snapshot FILE     read this snapshot file instead of the embedded one\n"
    "\n"
    "Exit status: 0 when every module is known, 3 when some is not in the snapshot,\n"
    "2 on usage errors or an unreadable snapshot.\n";

typedef struct which_args {
    cli_format format;
    const char *snapshot_file;
    da_strlist modules; /* positional */
} which_args;

static const cli_option which_options[] = {
    {"--snapshot", NULL, CLI_VALUE, offsetof(which_args, snapshot_file), NULL, NULL},
};

int cmd_which(int argc, char **argv)
{
    which_args a;
    memset(&a, 0, sizeof(a));
    a.format.format = "text";
    const cli_group groups[] = {
        CLI_GROUP(which_options, &a),
        CLI_GROUP(cli_format_options, &a.format),
    };
    int rc = cli_parse("which", which_usage, argc, argv, groups, 2, &a.modules);
    if (rc == 0 && a.modules.len == 0)
        rc = cli_error("which", "name at least one MODULE (see depaudit which --help)");
    if (rc == 0) {
        da_buf out = {0};
        bool all_known = true;
        da_error err;
        da_error_clear(&err);
        if (da_check_which(a.snapshot_file, (const char *const *)a.modules.items, a.modules.len,
                           strcmp(a.format.format, "json") == 0, &out, &all_known, &err) < 0) {
            rc = cli_fail(&err, DA_EXIT_USAGE);
        } else {
            cli_write(&out);
            rc = all_known ? DA_EXIT_OK : DA_EXIT_NO_METADATA;
        }
        da_buf_free(&out);
    }
    da_strlist_free(&a.modules);
    return rc == CLI_HELP ? DA_EXIT_OK : rc;
}
