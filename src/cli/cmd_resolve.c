#include "commands.h"

#include "depaudit/install_plan.h"
#include "depaudit/metadata.h"
#include "depaudit/pep.h"
#include "depaudit/resolve.h"
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
    "  --python-version X.Y    the target Python (default: from the Dockerfile's FROM, else "
    "3.11)\n"
    "  --platform P            linux/amd64 (default), linux/arm64, ...\n"
    "  --index-url URL         the package index (default $PIP_INDEX_URL)\n"
    "  --cache-dir DIR         metadata cache (default $XDG_CACHE_HOME/depaudit)\n"
    "  --offline               snapshot and cache only, no network\n"
    "  --pre                   allow pre-releases\n"
    "  --as-of DATE            only files uploaded before DATE (ISO 8601)\n"
    "  -r, --requirement FILE  requirements file (repeatable)\n"
    "  -c, --constraint FILE   constraints file (repeatable, with -r or REQ...)\n"
    "  --no-deps               do not follow dependencies\n"
    "  --only-binary :all:     wheels only (as the oracle tests run pip)\n"
    "  --build-arg K=V         Dockerfile build argument (repeatable)\n"
    "  --target STAGE          Dockerfile build target\n"
    "\n"
    "Exit codes: 0 resolved, 1 a command cannot be resolved (conflict), 2 usage or input\n"
    "error, 3 metadata needed but unavailable.\n";

typedef struct resolve_args {
    const char *format;
    const char *python_version;
    const char *platform;
    const char *index_url;
    const char *cache_dir;
    const char *as_of;
    const char *target_stage;
    bool offline, pre, no_deps, only_binary_all;
    da_strlist req_files, constraint_files, reqs, build_args;
} resolve_args;

static void args_free(resolve_args *a)
{
    da_strlist_free(&a->req_files);
    da_strlist_free(&a->constraint_files);
    da_strlist_free(&a->reqs);
    da_strlist_free(&a->build_args);
}

/* "--opt VALUE" or "--opt=VALUE". Returns the value or NULL when argv[*i] is not opt. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt, bool *missing)
{
    const char *a = argv[*i];
    size_t n = strlen(opt);
    if (strncmp(a, opt, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = true;
        return NULL;
    }
    return argv[++*i];
}

static int parse_args(int argc, char **argv, resolve_args *a)
{
    a->format = "text";
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        bool missing = false;
        const char *v;
#define VALUE_OPT(name, field)                                                                     \
    if ((v = opt_value(argc, argv, &i, name, &missing)) != NULL) {                                 \
        a->field = v;                                                                              \
        continue;                                                                                  \
    }                                                                                              \
    if (missing)                                                                                   \
        return cli_usage_error("resolve: %s needs a value", name);
#define LIST_OPT(name, list)                                                                       \
    if ((v = opt_value(argc, argv, &i, name, &missing)) != NULL) {                                 \
        da_strlist_push(&a->list, v);                                                              \
        continue;                                                                                  \
    }                                                                                              \
    if (missing)                                                                                   \
        return cli_usage_error("resolve: %s needs a value", name);
        VALUE_OPT("--format", format)
        VALUE_OPT("--python-version", python_version)
        VALUE_OPT("--platform", platform)
        VALUE_OPT("--index-url", index_url)
        VALUE_OPT("-i", index_url)
        VALUE_OPT("--cache-dir", cache_dir)
        VALUE_OPT("--as-of", as_of)
        VALUE_OPT("--target", target_stage)
        LIST_OPT("--requirement", req_files)
        LIST_OPT("-r", req_files)
        LIST_OPT("--constraint", constraint_files)
        LIST_OPT("-c", constraint_files)
        LIST_OPT("--build-arg", build_args)
#undef VALUE_OPT
#undef LIST_OPT
        if ((v = opt_value(argc, argv, &i, "--only-binary", &missing)) != NULL) {
            if (strcmp(v, ":all:") != 0)
                return cli_usage_error("resolve: only --only-binary :all: is supported");
            a->only_binary_all = true;
            continue;
        }
        if (missing)
            return cli_usage_error("resolve: --only-binary needs a value");
        if (strcmp(arg, "--offline") == 0)
            a->offline = true;
        else if (strcmp(arg, "--pre") == 0)
            a->pre = true;
        else if (strcmp(arg, "--no-deps") == 0)
            a->no_deps = true;
        else if (arg[0] == '-' && arg[1] != '\0')
            return cli_usage_error("resolve: unknown option '%s' (see depaudit resolve --help)",
                                   arg);
        else
            da_strlist_push(&a->reqs, arg);
    }
    if (strcmp(a->format, "text") != 0 && strcmp(a->format, "json") != 0)
        return cli_usage_error("resolve: --format must be text or json, not '%s'", a->format);
    return 0;
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

static int print_error(const da_error *err)
{
    char msg[2048];
    da_error_format(err, msg, sizeof(msg));
    fprintf(stderr, "depaudit: %s\n", msg);
    return DA_EXIT_USAGE;
}

static int target_from_args(const resolve_args *a, da_target *t)
{
    if (a->python_version) {
        int major = 0, minor = 0, micro = -1;
        int n = sscanf(a->python_version, "%d.%d.%d", &major, &minor, &micro);
        if (n < 2 || major != 3)
            return cli_usage_error("resolve: --python-version must look like 3.11, not '%s'",
                                   a->python_version);
        da_target_init(t, major, minor, n == 3 ? micro : -1);
    }
    if (a->platform) {
        const char *arch = strchr(a->platform, '/');
        arch = arch ? arch + 1 : a->platform;
        if (strcmp(arch, "amd64") == 0 || strcmp(arch, "x86_64") == 0)
            snprintf(t->machine, sizeof(t->machine), "x86_64");
        else if (strcmp(arch, "arm64") == 0 || strcmp(arch, "aarch64") == 0 ||
                 strcmp(arch, "arm64/v8") == 0)
            snprintf(t->machine, sizeof(t->machine), "aarch64");
        else
            return cli_usage_error("resolve: unknown --platform '%s' (linux/amd64, linux/arm64)",
                                   a->platform);
    }
    return 0;
}

/* -r files and REQ arguments as one pip command. */
static int input_from_requirements(const resolve_args *a, da_resolve_input *in)
{
    da_resolve_input_init(in);
    int rc = target_from_args(a, &in->target);
    if (rc)
        return rc;
    da_resolve_step *s = da_resolve_input_add_step(in, DA_STEP_INSTALL, NULL, 0);
    for (size_t i = 0; i < a->reqs.len; i++)
        da_resolve_step_add_req(s, a->reqs.items[i], NULL, 0, (int)i + 1);
    for (int pass = 0; pass < 2; pass++) {
        const da_strlist *files = pass == 0 ? &a->req_files : &a->constraint_files;
        for (size_t i = 0; i < files->len; i++) {
            da_requirements_file rf;
            memset(&rf, 0, sizeof(rf));
            da_error err;
            da_error_clear(&err);
            if (da_requirements_file_parse(files->items[i], NULL, &rf, &err) < 0)
                return print_error(&err);
            for (size_t k = 0; k < rf.nreqs; k++) {
                const da_plan_requirement *r = &rf.reqs[k];
                if (r->kind != DA_REQ_NAMED) {
                    fprintf(stderr, "depaudit: %s:%d: warning: '%s' is not resolved\n",
                            r->where.file, r->where.line, r->text);
                    continue;
                }
                if (pass == 0)
                    da_resolve_step_add_req(s, r->text, r->where.file, r->where.line, r->where.col);
                else
                    da_resolve_step_add_constraint(s, r->text, r->where.file, r->where.line,
                                                   r->where.col);
            }
            for (size_t k = 0; k < rf.nconstraints; k++) {
                const da_plan_requirement *r = &rf.constraints[k];
                if (r->kind == DA_REQ_NAMED)
                    da_resolve_step_add_constraint(s, r->text, r->where.file, r->where.line,
                                                   r->where.col);
            }
            s->pre = s->pre || rf.pre;
            if (da_strlist_contains(&rf.only_binary, ":all:"))
                s->only_binary_all = true;
            da_requirements_file_free(&rf);
        }
    }
    return 0;
}

static int input_from_dockerfile(const resolve_args *a, const char *path, da_resolve_input *in)
{
    da_plan_options o;
    memset(&o, 0, sizeof(o));
    o.build_args = (const char *const *)a->build_args.items;
    o.nbuild_args = a->build_args.len;
    o.target_stage = a->target_stage;
    o.python_version = a->python_version;
    o.platform = a->platform;
    da_install_plan plan;
    memset(&plan, 0, sizeof(plan));
    da_error err;
    da_error_clear(&err);
    if (da_install_plan_load(path, &o, &plan, &err) < 0) {
        da_install_plan_free(&plan);
        return print_error(&err);
    }
    for (size_t i = 0; i < plan.nwarnings; i++)
        fprintf(stderr, "depaudit: %s:%d: warning: %s\n", plan.warnings[i].file,
                plan.warnings[i].line, plan.warnings[i].message);
    int rc = da_resolve_input_from_plan(&plan, in, &err);
    da_install_plan_free(&plan);
    if (rc < 0)
        return print_error(&err);
    return 0;
}

/* *no_index: no network source will be asked (offline, or no index configured), so what
 * the local sources lack is unknown rather than a failure. */
static int open_metadata(const resolve_args *a, const da_target *t, da_metadata **m, bool *no_index)
{
    da_metadata_options o;
    da_metadata_options_init(&o);
    if (a->index_url)
        o.index_url = da_xstrdup(a->index_url);
    if (a->cache_dir)
        o.cache_dir = da_xstrdup(a->cache_dir);
    da_metadata_options_from_env(&o);
    o.offline = a->offline;
    *no_index = o.offline || (!o.index_url && o.extra_index_urls.len == 0);
    o.target = *t;
    da_error err;
    da_error_clear(&err);
    int rc = da_metadata_open(&o, m, &err);
    da_metadata_options_free(&o);
    if (rc < 0)
        return print_error(&err);
    return 0;
}

int cmd_resolve(int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(resolve_usage, stdout);
        return DA_EXIT_OK;
    }
    resolve_args a;
    memset(&a, 0, sizeof(a));
    int rc = parse_args(argc, argv, &a);
    if (rc) {
        args_free(&a);
        return rc;
    }
    da_resolve_input in;
    memset(&in, 0, sizeof(in));
    if (a.reqs.len == 1 && a.req_files.len == 0 && is_dockerfile_path(a.reqs.items[0]))
        rc = input_from_dockerfile(&a, a.reqs.items[0], &in);
    else if (a.reqs.len || a.req_files.len)
        rc = input_from_requirements(&a, &in);
    else
        rc = cli_usage_error("resolve: nothing to resolve: give a Dockerfile, -r FILE or "
                             "requirements");
    if (rc) {
        da_resolve_input_free(&in);
        args_free(&a);
        return rc;
    }
    in.pre = in.pre || a.pre;
    if (a.as_of)
        in.as_of = da_xstrdup(a.as_of);
    for (size_t i = 0; i < in.nsteps; i++) {
        in.steps[i].no_deps = in.steps[i].no_deps || a.no_deps;
        in.steps[i].only_binary_all = in.steps[i].only_binary_all || a.only_binary_all;
    }
    da_metadata *m = NULL;
    rc = open_metadata(&a, &in.target, &m, &in.unknown_is_partial);
    if (rc) {
        da_resolve_input_free(&in);
        args_free(&a);
        return rc;
    }
    da_provider prov = da_metadata_provider(m);
    da_environment env;
    da_error err;
    da_error_clear(&err);
    int res = da_resolve(&in, &prov, &env, &err);
    if (res < 0) {
        print_error(&err);
        rc = env.metadata_failed ? DA_EXIT_NO_METADATA : DA_EXIT_USAGE;
    } else {
        if (strcmp(a.format, "json") == 0) {
            char *json = da_environment_to_json(&env);
            puts(json);
            free(json);
        } else {
            da_buf out = {0};
            da_environment_format_text(&env, &out);
            fputs(out.data ? out.data : "", stdout);
            da_buf_free(&out);
        }
        rc = env.state == DA_RESOLUTION_FAILED ? DA_EXIT_FINDINGS : DA_EXIT_OK;
    }
    da_metadata_stats st;
    da_metadata_get_stats(m, &st);
    fprintf(stderr,
            "depaudit: metadata: %ld requests, %lld bytes, %ld cache hits, %ld from the "
            "snapshot\n",
            st.requests, st.bytes, st.cache_hits, st.snapshot_hits);
    const da_strlist *missing = da_metadata_missing(m);
    for (size_t i = 0; missing && i < missing->len; i++)
        fprintf(stderr, "depaudit: metadata unavailable: %s\n", missing->items[i]);
    if (prov.destroy)
        prov.destroy(prov.ctx);
    da_metadata_close(m);
    da_environment_free(&env);
    da_resolve_input_free(&in);
    args_free(&a);
    return rc;
}
