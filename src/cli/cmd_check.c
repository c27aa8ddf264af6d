/* `depaudit [check]`: the full audit, its report, --diff/--fix and the exit code. */
#include "commands.h"

#include "depaudit/audit.h"
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
    "Dockerfile; the others are source roots (a Dockerfile alone: its directory).\n"
    "\n"
    "Options:\n"
    "  --format text|json|sarif|github   report format (default text)\n"
    "  --fail-on error|warning|info|never  exit 1 when a finding is at least this severe\n"
    "                                    (default error)\n"
    "  --offline                  metadata from the embedded snapshot and the cache only\n"
    "  --index-url URL            the package index (PEP 503/691 simple API)\n"
    "  --cache-dir DIR            the metadata cache\n"
    "  --python-version X.Y       the image's Python, instead of the one FROM names\n"
    "  --build-arg NAME=VALUE     a build argument (repeatable)\n"
    "  --target STAGE             audit this stage instead of the last\n"
    "  --dockerfile FILE          the Dockerfile, whatever its name\n"
    "  --config FILE              configuration ([tool.depaudit]); default: .depaudit.toml\n"
    "                             or pyproject.toml in . and next to the Dockerfile\n"
    "  --snapshot FILE            a metadata snapshot file instead of the embedded one\n"
    "  --diff                     print the fix as a unified diff instead of the report\n"
    "  --fix                      write the fix into the Dockerfile / requirements file,\n"
    "                             then report what remains\n"
    "  --verbose                  every older-metadata detail and what is unknown\n"
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
    da_check_options o;
    da_strlist roots;
    da_strlist build_args;
    int format;
    int fail_on;
    bool fix, diff, verbose;
} check_args;

static bool is_dockerfile_name(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    return strcmp(b, "Dockerfile") == 0 || da_str_ends_with(b, ".Dockerfile") ||
           da_str_starts_with(b, "Dockerfile.");
}

/* --opt VALUE or --opt=VALUE; NULL when argv[*i] is not that option. */
static const char *option_value(int argc, char **argv, int *i, const char *name, bool *missing)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
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

static int parse_args(int argc, char **argv, check_args *a)
{
    a->format = DA_FORMAT_TEXT;
    a->fail_on = DA_SEVERITY_ERROR;
    bool only_paths = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (only_paths || arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (is_dockerfile_name(arg)) {
                if (a->o.dockerfile)
                    return cli_usage_error("two Dockerfiles given: %s and %s", a->o.dockerfile,
                                           arg);
                a->o.dockerfile = arg;
            } else {
                da_strlist_push(&a->roots, arg);
            }
            continue;
        }
        bool missing = false;
        const char *v;
        if (strcmp(arg, "--") == 0) {
            only_paths = true;
        } else if (strcmp(arg, "--offline") == 0) {
            a->o.offline = true;
        } else if (strcmp(arg, "--fix") == 0) {
            a->fix = true;
        } else if (strcmp(arg, "--diff") == 0) {
            a->diff = true;
        } else if (strcmp(arg, "--verbose") == 0 || strcmp(arg, "-v") == 0) {
            a->verbose = true;
        } else if ((v = option_value(argc, argv, &i, "--format", &missing))) {
            a->format = da_report_format_parse(v);
            if (a->format < 0)
                return cli_usage_error("--format: unknown format '%s' (text, json, sarif, "
                                       "github)",
                                       v);
        } else if ((v = option_value(argc, argv, &i, "--fail-on", &missing))) {
            a->fail_on = da_severity_parse(v);
            if (a->fail_on == -2)
                return cli_usage_error("--fail-on: unknown level '%s' (error, warning, info, "
                                       "never)",
                                       v);
        } else if ((v = option_value(argc, argv, &i, "--index-url", &missing))) {
            a->o.index_url = v;
        } else if ((v = option_value(argc, argv, &i, "--cache-dir", &missing))) {
            a->o.cache_dir = v;
        } else if ((v = option_value(argc, argv, &i, "--python-version", &missing))) {
            int x, y;
            char extra;
            if (sscanf(v, "%d.%d%c", &x, &y, &extra) < 2)
                return cli_usage_error("--python-version: expected X.Y, got '%s'", v);
            a->o.python_version = v;
        } else if ((v = option_value(argc, argv, &i, "--build-arg", &missing))) {
            da_strlist_push(&a->build_args, v);
        } else if ((v = option_value(argc, argv, &i, "--target", &missing))) {
            a->o.target_stage = v;
        } else if ((v = option_value(argc, argv, &i, "--dockerfile", &missing))) {
            if (a->o.dockerfile)
                return cli_usage_error("two Dockerfiles given: %s and %s", a->o.dockerfile, v);
            a->o.dockerfile = v;
        } else if ((v = option_value(argc, argv, &i, "--config", &missing))) {
            a->o.config_file = v;
        } else if ((v = option_value(argc, argv, &i, "--snapshot", &missing))) {
            a->o.snapshot_file = v;
        } else if (missing) {
            return cli_usage_error("%s needs a value", arg);
        } else {
            return cli_usage_error("unknown option '%s' (see depaudit check --help)", arg);
        }
        if (missing)
            return cli_usage_error("%s needs a value", arg);
    }
    if (a->roots.len == 0 && !a->o.dockerfile)
        return cli_usage_error("no PATH given (source roots and/or a Dockerfile)");
    if (a->roots.len == 0) {
        /* a Dockerfile alone: its directory holds the sources */
        const char *slash = strrchr(a->o.dockerfile, '/');
        da_strlist_push_owned(
            &a->roots, slash ? da_xstrndup(a->o.dockerfile, (size_t)(slash - a->o.dockerfile))
                             : da_xstrdup("."));
    }
    for (size_t i = 0; i < a->roots.len; i++)
        if (access(a->roots.items[i], R_OK) != 0)
            return cli_usage_error("%s: cannot read it", a->roots.items[i]);
    if (a->o.dockerfile && access(a->o.dockerfile, R_OK) != 0)
        return cli_usage_error("%s: cannot read it", a->o.dockerfile);
    a->o.roots = (const char *const *)a->roots.items;
    a->o.nroots = a->roots.len;
    a->o.build_args = (const char *const *)a->build_args.items;
    a->o.nbuild_args = a->build_args.len;
    return DA_EXIT_OK;
}

/* Progress for runs longer than a second, only on a terminal. */
static void on_slow(int sig)
{
    (void)sig;
    static const char msg[] = "depaudit: working (scanning, resolving, auditing)...\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof(msg) - 1);
    (void)w;
}

/* The stages' warnings; the resolver's many "files of X unknown (snapshot)" and
 * "requirements of X may be incomplete" lines are counted rather than listed. */
static void print_warnings(const da_strlist *w)
{
    size_t files_unknown = 0, requires_incomplete = 0;
    for (size_t i = 0; i < w->len; i++) {
        const char *s = w->items[i];
        if (da_str_starts_with(s, "files of ") && strstr(s, " unknown"))
            files_unknown++;
        else if (da_str_starts_with(s, "files unknown (") && strchr(s, ':')) {
            /* the resolver's one line naming them all: "...: a, b, c" */
            files_unknown++;
            for (const char *q = strrchr(s, ':'); (q = strchr(q + 1, ','));)
                files_unknown++;
        } else if (da_str_starts_with(s, "requirements of ") && strstr(s, "incomplete"))
            requires_incomplete++;
        else
            fprintf(stderr, "depaudit: warning: %s\n", s);
    }
    if (files_unknown)
        fprintf(stderr,
                "depaudit: note: files unknown for %zu distribution%s (assumed installable)\n",
                files_unknown, files_unknown == 1 ? "" : "s");
    if (requires_incomplete)
        fprintf(stderr, "depaudit: note: requirements possibly incomplete for %zu distribution%s\n",
                requires_incomplete, requires_incomplete == 1 ? "" : "s");
}

static int run_check(check_args *a, da_check_result *res)
{
    bool progress = isatty(STDERR_FILENO) != 0;
    if (progress) {
        signal(SIGALRM, on_slow);
        alarm(1);
    }
    da_error err;
    da_error_clear(&err);
    int rc = da_audit_check(&a->o, res, &err);
    if (progress)
        alarm(0);
    if (rc != 0) {
        char msg[1600];
        da_error_format(&err, msg, sizeof(msg));
        fprintf(stderr, "depaudit: %s\n", msg);
        return DA_EXIT_USAGE;
    }
    print_warnings(&res->warnings);
    if (res->metadata_fault) {
        fprintf(stderr, "depaudit: %s\n", res->metadata_fault);
        return DA_EXIT_NO_METADATA;
    }
    for (size_t i = 0; i < res->findings.notes.len; i++)
        fprintf(stderr, "depaudit: note: %s\n", res->findings.notes.items[i]);
    fprintf(stderr, "depaudit: %s\n", res->metadata_line);
    return DA_EXIT_OK;
}

static int apply_fixes(check_args *a, const da_findings *f)
{
    da_patch_set ps;
    da_error err;
    da_error_clear(&err);
    if (da_fixes_build(f, &ps, &err) != 0) {
        char msg[1600];
        da_error_format(&err, msg, sizeof(msg));
        fprintf(stderr, "depaudit: %s\n", msg);
        return DA_EXIT_USAGE;
    }
    int rc = DA_EXIT_OK;
    if (a->diff) {
        da_buf d = {0};
        da_patch_set_diff(&ps, &d);
        if (d.len)
            fwrite(d.data, 1, d.len, stdout);
        da_buf_free(&d);
    }
    if (a->fix) {
        if (da_patch_set_write(&ps, &err) != 0) {
            char msg[1600];
            da_error_format(&err, msg, sizeof(msg));
            fprintf(stderr, "depaudit: %s\n", msg);
            rc = DA_EXIT_USAGE;
        } else {
            for (size_t i = 0; i < ps.len; i++)
                fprintf(stderr, "depaudit: fixed %s\n",
                        ps.files[i].display ? ps.files[i].display : ps.files[i].path);
        }
    }
    if (ps.len == 0)
        fprintf(stderr, "depaudit: nothing to fix\n");
    da_patch_set_free(&ps);
    return rc;
}

int cmd_check(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(check_usage, stdout);
            return DA_EXIT_OK;
        }
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
    if (rc == DA_EXIT_OK) {
        if (!a.diff || a.fix) {
            da_report_options ro = {(da_report_format)a.format,
                                    a.format == DA_FORMAT_TEXT && cli_use_color(stdout), a.fail_on,
                                    a.verbose};
            da_buf out = {0};
            da_report_render(&res.findings, &ro, &out);
            if (out.len)
                fwrite(out.data, 1, out.len, stdout);
            da_buf_free(&out);
        }
        if (da_findings_count_failing(&res.findings, a.fail_on) > 0)
            rc = DA_EXIT_FINDINGS;
    }
    da_check_result_free(&res);
    da_strlist_free(&a.roots);
    da_strlist_free(&a.build_args);
    return rc;
}
