/* depaudit installs: what the Dockerfile asks pip to install in the final image. */
#include "commands.h"

#include "depaudit/install_plan.h"
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
    "  --context DIR           the build context (default: the Dockerfile's directory)\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 with a plan (warnings included), 2 for unusable input.\n";

/* "--opt VALUE" or "--opt=VALUE"; advances *i past the value. */
static const char *option_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
    size_t n = strlen(name);
    *missing = false;
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

int cmd_installs(int argc, char **argv)
{
    const char *format = "text";
    const char *dockerfile = NULL;
    da_strlist build_args = {0};
    da_plan_options o;
    memset(&o, 0, sizeof(o));
    int rc = DA_EXIT_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v;
        bool missing = false;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(usage, stdout);
            da_strlist_free(&build_args);
            return DA_EXIT_OK;
        }
        /* options that take a value: where each one lands */
        const char *names[] = {"--format",         "--build-arg", "--target",
                               "--python-version", "--platform",  "--context"};
        const char **slots[] = {&format,           NULL,        &o.target_stage,
                                &o.python_version, &o.platform, &o.context_dir};
        bool matched = false;
        for (size_t k = 0; k < sizeof(names) / sizeof(names[0]) && !matched; k++) {
            v = option_value(argc, argv, &i, names[k], &missing);
            if (missing) {
                da_strlist_free(&build_args);
                return cli_usage_error("installs: %s needs a value", a);
            }
            if (!v)
                continue;
            matched = true;
            if (slots[k])
                *slots[k] = v;
            else
                da_strlist_push(&build_args, v);
        }
        if (matched) {
            if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
                da_strlist_free(&build_args);
                return cli_usage_error("installs: --format must be text or json, not '%s'", format);
            }
            continue;
        }
        if (a[0] == '-' && a[1] != '\0') {
            da_strlist_free(&build_args);
            return cli_usage_error("installs: unknown option %s (see depaudit installs --help)", a);
        } else if (dockerfile) {
            da_strlist_free(&build_args);
            return cli_usage_error("installs: one DOCKERFILE only ('%s' and '%s')", dockerfile, a);
        } else {
            dockerfile = a;
        }
    }
    if (!dockerfile) {
        da_strlist_free(&build_args);
        return cli_usage_error("installs: no DOCKERFILE given (see depaudit installs --help)");
    }
    o.build_args = (const char *const *)build_args.items;
    o.nbuild_args = build_args.len;
    da_install_plan plan;
    da_error err;
    da_error_clear(&err);
    if (da_install_plan_load(dockerfile, &o, &plan, &err) < 0) {
        char msg[2048];
        da_error_format(&err, msg, sizeof(msg));
        rc = cli_usage_error("%s", msg);
    } else {
        char *out = strcmp(format, "json") == 0 ? da_install_plan_to_json(&plan)
                                                : da_install_plan_to_text(&plan);
        fputs(out, stdout);
        if (out[0] && out[strlen(out) - 1] != '\n')
            fputc('\n', stdout);
        free(out);
        if (strcmp(format, "text") != 0)
            for (size_t i = 0; i < plan.nwarnings; i++)
                fprintf(stderr, "depaudit: warning: %s:%d: %s\n", plan.warnings[i].file,
                        plan.warnings[i].line, plan.warnings[i].message);
        da_install_plan_free(&plan);
    }
    da_strlist_free(&build_args);
    return rc;
}
