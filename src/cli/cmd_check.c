/* `depaudit [check]`: the full audit, its report, --diff/--fix and the exit code. */
#include "commands.h"

#include "depaudit/check.h"
#include "depaudit/report.h"
#include "depaudit/util.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char check_usage[] =
    "usage: depaudit [check] [OPTIONS] PATH...\n"
    "\n"
    "Audits the Python imports under the source PATHs against what the Dockerfile's final\n"
    "image installs. A PATH named Dockerfile, *.Dockerfile or Dockerfile.* is the\n"
    "Dockerfile; the others are source roots (a Dockerfile alone: what its COPY lines\n"
    "bring into the final image).\n"
    "\n"
    "Options:\n"
    "  --format text|json|sarif|github   report format (default text)\n"
    "  --fail-on error|warning|info|never  exit 1 when a finding is at least this severe\n"
    "                                    (default error)\n"
    "  --certainty inferred|known  what settles an error: known facts and inference bounded\n"
    "                             by evidence (default), or known facts only (inferred\n"
    "                             findings become DA012 warnings)\n"
    "  --offline                  metadata from the embedded snapshot and the cache only\n"
    "  -i, --index-url URL        the package index (PEP 503/691 simple API)\n"
    "  --cache-dir DIR            the metadata cache\n" CLI_NETWORK_USAGE
    "  --python-version X.Y       the image's Python, instead of the one FROM names\n"
    "  --build-arg NAME=VALUE     a build argument (repeatable)\n"
    "  --target STAGE             audit this stage instead of the last\n"
    "  --dockerfile FILE          the Dockerfile, whatever its name\n"
    "  --context DIR              the build context (default: the compose file's, else the\n"
    "                             nearest folder up from the Dockerfile holding its COPY\n"
    "                             sources)\n"
    "  --config FILE              configuration ([tool.depaudit]); default: .depaudit.toml\n"
    "                             or pyproject.toml in . and next to the Dockerfile\n"
    "  --snapshot FILE            a metadata snapshot file instead of the embedded one\n"
    "  --diff                     print the fix as a unified diff instead of the report\n"
    "  --fix                      write the fix into the Dockerfile / requirements file,\n"
    "                             then report what remains\n"
    "  -v, --verbose              every older-metadata detail and what is unknown\n"
    "\n"
    "Codes: DA001 missing, DA002 missing-optional, DA003 transitive, DA004 unused,\n"
    "DA005 stdlib-shadow, DA006 unknown-distribution, DA007 unresolvable,\n"
    "DA008 first-party-not-in-image, DA009 removed-stdlib, DA010 dev-in-production,\n"
    "DA012 unverified. Silence one on an import line with `# depaudit: ignore[DA001]`.\n"
    "\n"
    "Exit codes:\n"
    "  0  no confident finding at or above the failing level (unverified findings,\n"
    "     DA012, never fail the run; --fail-on never: 0 for any completed audit)\n"
    "  1  confident findings at or above the failing level\n"
    "  2  usage or input error (unreadable file, bad option)\n"
    "  3  the audit could not be done: a package index failed (the message says what)\n";

typedef struct check_args {
    cli_format format;
    cli_python python;
    cli_index index;
    const char *fail_on;
    const char *certainty;
    da_strlist build_args;
    const char *target_stage, *dockerfile, *config_file, *snapshot_file, *context_dir;
    bool fix, diff, verbose;
    da_strlist paths; /* positional: source roots and maybe the Dockerfile */
    da_strlist roots;
} check_args;

static const char *const report_formats[] = {"text", "json", "sarif", "github", NULL};
static const char *const fail_levels[] = {"error", "warning", "info", "never", NULL};
static const char *const certainty_levels[] = {"inferred", "known", NULL};

static int apply_dockerfile(const char *command, const char *option, const char *value, void *field)
{
    (void)option;
    const char **dockerfile = field;
    if (*dockerfile)
        return cli_error(command, "two Dockerfiles given: %s and %s", *dockerfile, value);
    *dockerfile = value;
    return 0;
}

static const cli_option check_options[] = {
    {"--format", NULL, CLI_VALUE, offsetof(check_args, format.format), report_formats, NULL},
    {"--fail-on", NULL, CLI_VALUE, offsetof(check_args, fail_on), fail_levels, NULL},
    {"--certainty", NULL, CLI_VALUE, offsetof(check_args, certainty), certainty_levels, NULL},
    {"--build-arg", NULL, CLI_LIST, offsetof(check_args, build_args), NULL, NULL},
    {"--target", NULL, CLI_VALUE, offsetof(check_args, target_stage), NULL, NULL},
    {"--dockerfile", NULL, CLI_VALUE, offsetof(check_args, dockerfile), NULL, apply_dockerfile},
    {"--context", NULL, CLI_VALUE, offsetof(check_args, context_dir), NULL, NULL},
    {"--config", NULL, CLI_VALUE, offsetof(check_args, config_file), NULL, NULL},
    {"--snapshot", NULL, CLI_VALUE, offsetof(check_args, snapshot_file), NULL, NULL},
    {"--diff", NULL, CLI_FLAG, offsetof(check_args, diff), NULL, NULL},
    {"--fix", NULL, CLI_FLAG, offsetof(check_args, fix), NULL, NULL},
    {"--verbose", "-v", CLI_FLAG, offsetof(check_args, verbose), NULL, NULL},
};

static bool is_dockerfile_name(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    return strcmp(b, "Dockerfile") == 0 || da_str_ends_with(b, ".Dockerfile") ||
           da_str_starts_with(b, "Dockerfile.");
}

/* The PATHs: the Dockerfile by its name, the others source roots; a Dockerfile alone
 * means its directory. */
static int sort_paths(check_args *a)
{
    for (size_t i = 0; i < a->paths.len; i++) {
        const char *p = a->paths.items[i];
        if (!is_dockerfile_name(p))
            da_strlist_push(&a->roots, p);
        else if (apply_dockerfile("check", NULL, p, &a->dockerfile) != 0)
            return DA_EXIT_USAGE;
    }
    if (a->roots.len == 0 && !a->dockerfile)
        return cli_error("check", "no PATH given (source roots and/or a Dockerfile)");
    for (size_t i = 0; i < a->roots.len; i++)
        if (access(a->roots.items[i], R_OK) != 0)
            return cli_error(NULL, "%s: cannot read it", a->roots.items[i]);
    if (a->dockerfile && access(a->dockerfile, R_OK) != 0)
        return cli_error(NULL, "%s: cannot read it", a->dockerfile);
    return 0;
}

static int parse_args(int argc, char **argv, check_args *a)
{
    a->format.format = "text";
    a->fail_on = "error";
    const cli_group groups[] = {
        CLI_GROUP(check_options, a),
        CLI_GROUP(cli_python_options, &a->python),
        CLI_GROUP(cli_index_options, &a->index),
    };
    int rc = cli_parse("check", check_usage, argc, argv, groups, 3, &a->paths);
    return rc != 0 ? rc : sort_paths(a);
}

static da_check_options options_of(const check_args *a)
{
    da_check_options o = {0};
    o.roots = (const char *const *)a->roots.items;
    o.nroots = a->roots.len;
    o.dockerfile = a->dockerfile;
    o.build_args = (const char *const *)a->build_args.items;
    o.nbuild_args = a->build_args.len;
    o.target_stage = a->target_stage;
    o.context_dir = a->context_dir;
    o.python_version = a->python.version;
    o.offline = a->index.offline;
    o.index_url = a->index.index_url;
    o.cache_dir = a->index.cache_dir;
    o.network = a->index.network;
    o.config_file = a->config_file;
    o.snapshot_file = a->snapshot_file;
    o.known_only = a->certainty && strcmp(a->certainty, "known") == 0;
    return o;
}

/* Progress for runs longer than a second, only on a terminal. */
static void on_slow(int sig)
{
    (void)sig;
    static const char msg[] = "depaudit: working (scanning, resolving, auditing)...\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof(msg) - 1);
    (void)w;
}

static int run_check(const check_args *a, da_check_result *res)
{
    bool progress = isatty(STDERR_FILENO) != 0;
    if (progress) {
        signal(SIGALRM, on_slow);
        alarm(1);
    }
    da_check_options o = options_of(a);
    da_error err;
    da_error_clear(&err);
    int rc = da_check_audit(&o, res, &err);
    if (progress)
        alarm(0);
    if (rc != 0)
        return cli_fail(&err, DA_EXIT_USAGE);
    da_strlist lines = {0};
    da_check_warning_lines(&res->warnings, &lines);
    if (res->metadata_fault) {
        da_strlist_push(&lines, res->metadata_fault);
        for (size_t i = 0; i < lines.len; i++)
            cli_note("%s", lines.items[i]);
        da_strlist_free(&lines);
        return DA_EXIT_NO_METADATA;
    }
    for (size_t i = 0; i < res->findings.notes.len; i++)
        da_strlist_push_owned(&lines, da_xasprintf("note: %s", res->findings.notes.items[i]));
    da_strlist_push(&lines, res->metadata_line);
    for (size_t i = 0; i < lines.len; i++)
        cli_note("%s", lines.items[i]);
    da_strlist_free(&lines);
    return DA_EXIT_OK;
}

static int apply_fixes(const check_args *a, const da_findings *f)
{
    da_buf diff = {0};
    da_strlist written = {0};
    size_t npatched = 0;
    da_error err;
    da_error_clear(&err);
    int rc = da_check_fixes(f, a->diff ? &diff : NULL, a->fix, &written, &npatched, &err);
    cli_write(&diff);
    if (rc != 0)
        cli_fail(&err, DA_EXIT_USAGE);
    for (size_t i = 0; i < written.len; i++)
        cli_note("fixed %s", written.items[i]);
    if (rc == 0 && npatched == 0)
        cli_note("nothing to fix");
    da_buf_free(&diff);
    da_strlist_free(&written);
    return rc != 0 ? DA_EXIT_USAGE : DA_EXIT_OK;
}

static int report(const check_args *a, const da_check_result *res)
{
    int format = da_report_format_parse(a->format.format);
    int fail_on = da_severity_parse(a->fail_on);
    if (!a->diff || a->fix) {
        da_report_options ro = {(da_report_format)format,
                                format == DA_FORMAT_TEXT && cli_use_color(stdout), fail_on,
                                a->verbose};
        da_buf out = {0};
        da_report_render(&res->findings, &ro, &out);
        cli_write(&out);
        da_buf_free(&out);
    }
    if (da_findings_count_failing(&res->findings, fail_on) > 0)
        return DA_EXIT_FINDINGS;
    return DA_EXIT_OK;
}

int cmd_check(int argc, char **argv)
{
    check_args a;
    memset(&a, 0, sizeof(a));
    int rc = parse_args(argc, argv, &a);
    da_check_result res;
    memset(&res, 0, sizeof(res));
    if (rc == DA_EXIT_OK)
        rc = run_check(&a, &res);
    if (rc == DA_EXIT_OK && (a.fix || a.diff)) {
        rc = apply_fixes(&a, &res.findings);
        if (rc == DA_EXIT_OK && a.fix) {
            /* report what remains in the fixed files */
            da_check_result_free(&res);
            rc = run_check(&a, &res);
        }
    }
    if (rc == DA_EXIT_OK)
        rc = report(&a, &res);
    da_check_result_free(&res);
    da_strlist_free(&a.paths);
    da_strlist_free(&a.roots);
    da_strlist_free(&a.build_args);
    return rc == CLI_HELP ? DA_EXIT_OK : rc;
}
