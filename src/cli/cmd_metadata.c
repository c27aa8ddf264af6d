#include "commands.h"

#include "depaudit/util.h"

#include <string.h>

/* Placeholder until its stage lands: says so plainly and fails, never pretends. */
int cmd_metadata(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
        puts("usage: depaudit metadata ... (not implemented yet)");
        return DA_EXIT_OK;
    }
    return cli_usage_error("metadata: not implemented yet");
}
