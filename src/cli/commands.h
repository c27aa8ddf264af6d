/* One entry point per subcommand, each in its own cmd_<name>.c. Each parses its own
 * options (argv[0] is the subcommand name) and returns a da_exit code. */
#ifndef DEPAUDIT_CLI_COMMANDS_H
#define DEPAUDIT_CLI_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>

int cmd_check(int argc, char **argv);
int cmd_imports(int argc, char **argv);
int cmd_installs(int argc, char **argv);
int cmd_resolve(int argc, char **argv);
int cmd_metadata(int argc, char **argv);
int cmd_which(int argc, char **argv);

/* Colour only on a terminal and never when NO_COLOR is set (any value). */
bool cli_use_color(FILE *stream);
/* "depaudit: message" on stderr; returns DA_EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
