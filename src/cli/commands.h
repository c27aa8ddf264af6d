/* One entry point per subcommand, each in its own cmd_<name>.c: it parses its options
 * (options.h; argv[0] is the subcommand name), calls its entry of the check stage
 * (depaudit/check.h), writes the result and returns a da_exit code. */
#ifndef DEPAUDIT_CLI_COMMANDS_H
#define DEPAUDIT_CLI_COMMANDS_H

#include "cli/options.h"

#include <stdbool.h>
#include <stdio.h>

int cmd_check(int argc, char **argv);
int cmd_imports(int argc, char **argv);
int cmd_installs(int argc, char **argv);
int cmd_resolve(int argc, char **argv);
int cmd_metadata(int argc, char **argv);
int cmd_which(int argc, char **argv);
/* Prints the version, git commit, snapshot source dates and library versions; returns 0. */
int cli_print_version(void);

/* Colour only on a terminal and never when NO_COLOR is set (any value). */
bool cli_use_color(FILE *stream);

#endif
