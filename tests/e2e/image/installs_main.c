/* `depaudit installs` linked on its own (cmd_installs.c, the CLI's option parser and the
 * check stage), so the golden suite runs the real subcommand code. Invoked like the real binary:
 * `installs_main installs [OPTIONS] DOCKERFILE`. */
#include "cli/commands.h"

#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "installs") != 0)
        return cli_error(NULL, "usage: %s installs [OPTIONS] DOCKERFILE", argv[0]);
    return cmd_installs(argc - 1, argv + 1);
}
