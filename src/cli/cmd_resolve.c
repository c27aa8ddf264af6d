/* `depaudit resolve`: what pip would install, and why each distribution is there. */
#include "commands.h"

#include "depaudit/check.h"
#include "depaudit/target.h"
#include "depaudit/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char resolve_usage[] =
    "usage: depaudit resolve [OPTIONS] (DOCKERFILE | -r FILE | REQ...)\n"
    "\n"
    "The distributions pip would install for the requirements, for the image's Python and\n"
    "platform, with why each one is there; conflicts explained.\n"
    "\n"
    "Options:\n"
    "  --format text|json      output format (default text)\n"
    "  --python-version X.Y    the target Python (default: from the Dockerfile's FROM, "
    "else " DA_DEFAULT_PY_VERSION ")\n"
    "  --platform P            linux/amd64 (default), linux/arm64, ...\n"
    "  -i, --index-url URL     the package index (default: the Dockerfile's, else as pip\n"
    "                          chooses: $PIP_INDEX_URL, pip.conf, else PyPI)\n"
    "  --cache-dir DIR         metadata cache (default "
    "$XDG_CACHE_HOME/depaudit)\n" CLI_NETWORK_USAGE
    "  --offline               snapshot and cache only, no network\n"
    "  --pre                   allow pre-releases\n"
    "  --as-of DATE            only files uploaded before DATE (ISO 8601)\n"
    "  -r, --requirement FILE  requirements file (repeatable)\n"
    "  -c, --constraint FILE   constraints file (repeatable, with -r or REQ...)\n"
    "  --no-deps               do not follow dependencies\n"
    "  --only-binary :all:     wheels only (as the oracle tests run pip)\n"
    "  --build-arg K=V         Dockerfile build argument (repeatable)\n"
    "  --target STAGE          Dockerfile build target\n"
    "  --context DIR           the Dockerfile's build context (default: inferred)\n"
    "\n"
    "Exit codes: 0 resolved, 1 a command cannot be resolved (conflict), 2 usage or input\n"
    "error, 3 metadata needed but unavailable.\n";

typedef struct resolve_args {
    cli_format format;
    cli_python python;
    cli_index index;
    const char *platform, *as_of, *target_stage, *context_dir;
    bool pre, no_deps, only_binary_all;
    da_strlist req_files, constraint_files, build_args;
    da_strlist reqs; /* positional: a Dockerfile, or requirements */
} resolve_args;

static int apply_only_binary(const char *command, const char *option, const char *value,
                             void *field)
{
    if (strcmp(value, ":all:") != 0)
        return cli_error(command, "%s must be :all: (the only form supported), not '%s'", option,
                         value);
    *(bool *)field = true;
    return 0;
}

static const cli_option resolve_options[] = {
    {"--platform", NULL, CLI_VALUE, offsetof(resolve_args, platform), NULL, NULL},
    {"--as-of", NULL, CLI_VALUE, offsetof(resolve_args, as_of), NULL, NULL},
    {"--target", NULL, CLI_VALUE, offsetof(resolve_args, target_stage), NULL, NULL},
    {"--context", NULL, CLI_VALUE, offsetof(resolve_args, context_dir), NULL, NULL},
    {"--requirement", "-r", CLI_LIST, offsetof(resolve_args, req_files), NULL, NULL},
    {"--constraint", "-c", CLI_LIST, offsetof(resolve_args, constraint_files), NULL, NULL},
    {"--build-arg", NULL, CLI_LIST, offsetof(resolve_args, build_args), NULL, NULL},
    {"--only-binary", NULL, CLI_VALUE, offsetof(resolve_args, only_binary_all), NULL,
     apply_only_binary},
    {"--pre", NULL, CLI_FLAG, offsetof(resolve_args, pre), NULL, NULL},
    {"--no-deps", NULL, CLI_FLAG, offsetof(resolve_args, no_deps), NULL, NULL},
};

static void args_free(resolve_args *a)
{
    da_strlist_free(&a->req_files);
    da_strlist_free(&a->constraint_files);
    da_strlist_free(&a->reqs);
    da_strlist_free(&a->build_args);
}

static bool is_dockerfile_path(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    return strcmp(base, "Dockerfile") == 0 || da_str_starts_with(base, "Dockerfile.") ||
           da_str_ends_with(base, ".Dockerfile") || da_str_ends_with(base, ".dockerfile") ||
           strcmp(base, "Containerfile") == 0;
}

static da_check_resolve_options options_of(const resolve_args *a)
{
    da_check_resolve_options o = {0};
    if (a->reqs.len == 1 && a->req_files.len == 0 && is_dockerfile_path(a->reqs.items[0]))
        o.dockerfile = a->reqs.items[0];
    else {
        o.reqs = (const char *const *)a->reqs.items;
        o.nreqs = a->reqs.len;
    }
    o.plan.build_args = (const char *const *)a->build_args.items;
    o.plan.nbuild_args = a->build_args.len;
    o.plan.target_stage = a->target_stage;
    o.plan.context_dir = a->context_dir;
    o.plan.python_version = a->python.version;
    o.plan.platform = a->platform;
    o.req_files = (const char *const *)a->req_files.items;
    o.nreq_files = a->req_files.len;
    o.constraint_files = (const char *const *)a->constraint_files.items;
    o.nconstraint_files = a->constraint_files.len;
    o.pre = a->pre;
    o.no_deps = a->no_deps;
    o.only_binary_all = a->only_binary_all;
    o.as_of = a->as_of;
    o.index_url = a->index.index_url;
    o.cache_dir = a->index.cache_dir;
    o.offline = a->index.offline;
    o.network = a->index.network;
    return o;
}

/* The environment on stdout, the metadata counters on stderr; the exit code. */
static int report(const resolve_args *a, const da_check_resolution *r)
{
    int rc;
    if (r->status < 0) {
        rc = cli_fail(&r->error, r->metadata_failed ? DA_EXIT_NO_METADATA : DA_EXIT_USAGE);
    } else {
        da_buf out = {0};
        if (strcmp(a->format.format, "json") == 0) {
            char *json = da_environment_to_json(&r->env);
            da_buf_printf(&out, "%s\n", json);
            free(json);
        } else {
            da_environment_format_text(&r->env, &out);
        }
        cli_write(&out);
        da_buf_free(&out);
        rc = r->env.state == DA_RESOLUTION_FAILED ? DA_EXIT_FINDINGS : DA_EXIT_OK;
    }
    const da_metadata_stats *st = &r->stats;
    cli_note("metadata: %ld requests, %lld bytes, %ld cache hits, %ld from the snapshot",
             st->requests, st->bytes, st->cache_hits, st->snapshot_hits);
    for (size_t i = 0; i < r->missing.len; i++)
        cli_note("metadata unavailable: %s", r->missing.items[i]);
    return rc;
}

int cmd_resolve(int argc, char **argv)
{
    resolve_args a;
    memset(&a, 0, sizeof(a));
    a.format.format = "text";
    const cli_group groups[] = {
        CLI_GROUP(resolve_options, &a),
        CLI_GROUP(cli_format_options, &a.format),
        CLI_GROUP(cli_python_options, &a.python),
        CLI_GROUP(cli_index_options, &a.index),
    };
    int rc = cli_parse("resolve", resolve_usage, argc, argv, groups, 4, &a.reqs);
    if (rc == 0 && a.reqs.len == 0 && a.req_files.len == 0)
        rc = cli_error("resolve", "nothing to resolve: give a Dockerfile, -r FILE or "
                                  "requirements");
    if (rc == 0) {
        da_check_resolve_options o = options_of(&a);
        da_check_resolution r;
        da_error err;
        da_error_clear(&err);
        int ran = da_check_resolve(&o, &r, &err);
        for (size_t i = 0; i < r.warnings.len; i++)
            cli_note("%s", r.warnings.items[i]);
        rc = ran < 0 ? cli_fail(&err, DA_EXIT_USAGE) : report(&a, &r);
        da_check_resolution_free(&r);
    }
    args_free(&a);
    return rc == CLI_HELP ? DA_EXIT_OK : rc;
}
