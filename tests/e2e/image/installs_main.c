/* `depaudit installs` linked with the image stage alone (cmd_installs.c and the CLI's
 * error helpers), so the golden suite runs the real subcommand code without depending on
 * every other stage of the tree building. Invoked like the real binary:
 * `installs_main installs [OPTIONS] DOCKERFILE`. */
#include "cli/commands.h"

#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "installs") != 0)
        return cli_usage_error("usage: %s installs [OPTIONS] DOCKERFILE", argv[0]);
    return cmd_installs(argc - 1, argv + 1);
}
