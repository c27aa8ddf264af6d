#include "commands.h"

#include "depaudit/util.h"

#include <string.h>

/* Placeholder until its stage lands: says so plainly and fails, never pretends. */
int cmd_resolve(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
        puts("usage: depaudit resolve ... (not implemented yet)");
        return DA_EXIT_OK;
    }
    return cli_usage_error("resolve: not implemented yet");
}
