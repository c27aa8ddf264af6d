/* depaudit installs: what the Dockerfile asks pip to install in the final image. */
#include "commands.h"

#include "depaudit/check.h"
#include "depaudit/util.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: depaudit installs [OPTIONS] DOCKERFILE\n"
    "\n"
    "Prints the install plan of the image DOCKERFILE builds: per stage the pip / uv /\n"
    "poetry install commands with file:line, their requirements (from the command line,\n"
    "requirements files and pyproject.toml, each with its source line), constraints,\n"
    "index URLs and destinations; which of them reach the final image; and for the final\n"
    "image the merged requirement list, the Python version and platform, CMD/ENTRYPOINT,\n"
    "ENV, WORKDIR and the first-party paths copied in. Warnings name what could not be\n"
    "modelled, each with file:line.\n"
    "\n"
    "Options:\n"
    "  --format text|json      output format (default text)\n"
    "  --build-arg NAME=VALUE  override an ARG's default; repeatable\n"
    "  --target STAGE          the stage to build (default: the last)\n"
    "  --python-version X.Y    the final image's Python, instead of the one read from FROM\n"
    "  --platform P            linux/amd64 (default), linux/arm64, ...\n"
    "  --context DIR           the build context (default: the compose file's, else the\n"
    "                          nearest folder up from the Dockerfile holding its COPY\n"
    "                          sources, else the Dockerfile's folder)\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 with a plan (warnings included), 2 for unusable input.\n";

typedef struct installs_args {
    cli_format format;
    cli_python python;
    da_strlist build_args;
    const char *target_stage, *platform, *context_dir;
    da_strlist dockerfiles; /* positional */
} installs_args;

static const cli_option installs_options[] = {
    {"--build-arg", NULL, CLI_LIST, offsetof(installs_args, build_args), NULL, NULL},
    {"--target", NULL, CLI_VALUE, offsetof(installs_args, target_stage), NULL, NULL},
    {"--platform", NULL, CLI_VALUE, offsetof(installs_args, platform), NULL, NULL},
    {"--context", NULL, CLI_VALUE, offsetof(installs_args, context_dir), NULL, NULL},
};

static int parse_args(int argc, char **argv, installs_args *a)
{
    a->format.format = "text";
    const cli_group groups[] = {
        CLI_GROUP(installs_options, a),
        CLI_GROUP(cli_format_options, &a->format),
        CLI_GROUP(cli_python_options, &a->python),
    };
    int rc = cli_parse("installs", usage, argc, argv, groups, 3, &a->dockerfiles);
    if (rc == 0 && a->dockerfiles.len == 0)
        return cli_error("installs", "no DOCKERFILE given (see depaudit installs --help)");
    if (rc == 0 && a->dockerfiles.len > 1)
        return cli_error("installs", "one DOCKERFILE only ('%s' and '%s')", a->dockerfiles.items[0],
                         a->dockerfiles.items[1]);
    return rc;
}

/* The plan on stdout; with JSON, its warnings on stderr too (the text lists them). */
static void write_plan(const installs_args *a, const da_install_plan *plan)
{
    bool json = strcmp(a->format.format, "json") == 0;
    char *out = json ? da_install_plan_to_json(plan) : da_install_plan_to_text(plan);
    da_buf b = {0};
    da_buf_puts(&b, out);
    if (out[0] && out[strlen(out) - 1] != '\n')
        da_buf_putc(&b, '\n');
    cli_write(&b);
    da_buf_free(&b);
    free(out);
    if (json)
        for (size_t i = 0; i < plan->nwarnings; i++)
            cli_note("warning: %s:%d: %s", plan->warnings[i].file, plan->warnings[i].line,
                     plan->warnings[i].message);
}

int cmd_installs(int argc, char **argv)
{
    installs_args a;
    memset(&a, 0, sizeof(a));
    int rc = parse_args(argc, argv, &a);
    if (rc == 0) {
        da_plan_options o = {(const char *const *)a.build_args.items,
                             a.build_args.len,
                             a.target_stage,
                             a.python.version,
                             a.platform,
                             a.context_dir,
                             NULL,
                             false};
        da_install_plan plan;
        da_error err;
        da_error_clear(&err);
        if (da_check_installs(a.dockerfiles.items[0], &o, &plan, &err) < 0) {
            rc = cli_fail(&err, DA_EXIT_USAGE);
            da_install_plan_free(&plan);
        } else {
            write_plan(&a, &plan);
            da_install_plan_free(&plan);
        }
    }
    da_strlist_free(&a.build_args);
    da_strlist_free(&a.dockerfiles);
    return rc == CLI_HELP ? DA_EXIT_OK : rc;
}
