#include "commands.h"

#include "depaudit/util.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: depaudit [check] [OPTIONS] PATH...\n"
    "       depaudit imports [OPTIONS] PATH...\n"
    "       depaudit installs [OPTIONS] DOCKERFILE\n"
    "       depaudit resolve [OPTIONS] (DOCKERFILE | -r FILE | REQ...)\n"
    "       depaudit metadata [OPTIONS] NAME[==VERSION]...\n"
    "       depaudit which [OPTIONS] MODULE...\n"
    "\n"
    "Will every import in this code succeed inside the image this Dockerfile builds?\n"
    "\n"
    "Subcommands:\n"
    "  check      the full audit (default): imports against what the image installs\n"
    "  imports    the modules the Python code imports, with their context\n"
    "  installs   what the Dockerfile asks pip to install in the final image\n"
    "  resolve    the distributions pip would install for those requirements\n"
    "  metadata   what the metadata sources know about distributions\n"
    "  which      which distributions provide a module\n"
    "\n"
    "Run 'depaudit SUBCOMMAND --help' for a subcommand's options.\n"
    "\n"
    "Exit codes:\n"
    "  0  no findings at or above the failing level\n"
    "  1  findings at or above the failing level\n"
    "  2  usage or input error (unreadable file, bad option)\n"
    "  3  metadata needed but unavailable (offline and not in snapshot or cache)\n";

struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
};

static const struct subcommand subcommands[] = {
    {"check", cmd_check},     {"imports", cmd_imports},   {"installs", cmd_installs},
    {"resolve", cmd_resolve}, {"metadata", cmd_metadata}, {"which", cmd_which},
};

int main(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage, stdout);
        return DA_EXIT_OK;
    }
    if (argc >= 2 && strcmp(argv[1], "--version") == 0)
        return cli_print_version();
    if (argc < 2) {
        fputs(usage, stderr);
        return DA_EXIT_USAGE;
    }
    for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
        if (strcmp(argv[1], subcommands[i].name) == 0)
            return subcommands[i].run(argc - 1, argv + 1);
    /* No subcommand named: the arguments are the audit's. argv[0] stands in for the
     * subcommand name so every cmd_* sees the same shape. */
    return cmd_check(argc, argv);
}
