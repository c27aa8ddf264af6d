/* depaudit metadata: what the metadata sources know about distributions (versions,
 * requirements, modules) and where each answer came from. With --site-packages and no
 * names, lists every installed distribution with its top-level import names. */
#include "commands.h"

#include "depaudit/check.h"
#include "depaudit/target.h"
#include "depaudit/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char metadata_usage[] =
    "usage: depaudit metadata [OPTIONS] NAME[==VERSION]...\n"
    "       depaudit metadata --site-packages DIR [OPTIONS]\n"
    "\n"
    "Prints what the metadata sources know: versions, requirements, provided modules, and\n"
    "where each answer came from (snapshot, cache, index URL, site-packages).\n"
    "\n"
    "Options:\n"
    "  --format text|json      output format (default text)\n"
    "  -i, --index-url URL     package index (PEP 503/691 simple API); default\n"
    "                          as pip chooses: $PIP_INDEX_URL, pip.conf, else PyPI\n"
    "  --extra-index-url URL   another index, searched too (repeatable; also\n"
    "                          $PIP_EXTRA_INDEX_URL and pip.conf)\n"
    "  --offline               no network: snapshot, cache and site-packages only\n"
    "  --cache-dir DIR         cache directory (default $XDG_CACHE_HOME/depaudit)\n"
    "  --no-cache              neither read nor write the cache\n"
    "  --refresh               revalidate cached index pages whatever their age\n"
    "  --site-packages DIR     an installed environment to read (repeatable)\n"
    "  --python PATH           read that interpreter's site-packages (it is asked\n"
    "                          only for its paths; nothing of the project runs)\n"
    "  --cert FILE             CA bundle for a private index (TLS is always verified)\n"
    "                          credentials: user:password@ in the index URL, or\n"
    "                          ~/.netrc; they are never printed or cached\n"
    "  --python-version X.Y    the target Python (chooses the wheel; "
    "default " DA_DEFAULT_PY_VERSION ")\n"
    "  --no-snapshot           do not use the embedded snapshot\n" CLI_NETWORK_USAGE
    "  --stats                 add request/byte/cache counters to the output\n"
    "\n"
    "Exit status: 0 all answered, 2 usage error, 3 some metadata unavailable.\n";

typedef struct metadata_args {
    cli_format format;
    cli_python python;
    cli_index index;
    da_metadata_options o;
    bool stats;
    da_strlist names; /* positional */
} metadata_args;

static int apply_string(const char *command, const char *option, const char *value, void *field)
{
    (void)command, (void)option;
    char **s = field;
    free(*s);
    *s = da_xstrdup(value);
    return 0;
}

/* --python: that interpreter's site-packages, in order with --site-packages. */
static int apply_python(const char *command, const char *option, const char *value, void *field)
{
    (void)command, (void)option;
    da_error err;
    da_error_clear(&err);
    if (da_python_site_packages(value, field, &err) != 0)
        return cli_fail(&err, DA_EXIT_USAGE);
    return 0;
}

static int apply_no(const char *command, const char *option, const char *value, void *field)
{
    (void)command, (void)option, (void)value;
    *(bool *)field = false;
    return 0;
}

#define MO(field) offsetof(metadata_args, o.field)
static const cli_option metadata_options[] = {
    {"--extra-index-url", NULL, CLI_LIST, MO(extra_index_urls), NULL, NULL},
    {"--no-cache", NULL, CLI_FLAG, MO(no_cache), NULL, NULL},
    {"--refresh", NULL, CLI_FLAG, MO(refresh), NULL, NULL},
    {"--site-packages", NULL, CLI_LIST, MO(site_packages), NULL, NULL},
    {"--python", NULL, CLI_VALUE, MO(site_packages), NULL, apply_python},
    {"--cert", NULL, CLI_VALUE, MO(cert), NULL, apply_string},
    {"--no-snapshot", NULL, CLI_FLAG, MO(use_snapshot), NULL, apply_no},
    {"--stats", NULL, CLI_FLAG, offsetof(metadata_args, stats), NULL, NULL},
};
#undef MO

static int parse_args(int argc, char **argv, metadata_args *a)
{
    a->format.format = "text";
    const cli_group groups[] = {
        CLI_GROUP(metadata_options, a),
        CLI_GROUP(cli_format_options, &a->format),
        CLI_GROUP(cli_python_options, &a->python),
        CLI_GROUP(cli_index_options, &a->index),
    };
    int rc = cli_parse("metadata", metadata_usage, argc, argv, groups, 4, &a->names);
    if (rc != 0)
        return rc;
    if (a->python.version)
        da_target_init(&a->o.target, a->python.major, a->python.minor, a->python.micro);
    if (a->index.index_url)
        a->o.index_url = da_xstrdup(a->index.index_url);
    if (a->index.cache_dir)
        a->o.cache_dir = da_xstrdup(a->index.cache_dir);
    a->o.offline = a->index.offline;
    da_metadata_options_from_env(&a->o);
    da_network_options_apply(&a->index.network, &a->o);
    if (a->names.len == 0 && a->o.site_packages.len == 0)
        return cli_error("metadata", "name a distribution (NAME or NAME==VERSION)");
    return 0;
}

/* --site-packages without names: every installed distribution and its top-level names. */
static int list_site_packages(const metadata_args *a, bool json)
{
    da_buf out = {0};
    da_strlist warnings = {0};
    da_error err;
    da_error_clear(&err);
    int rc = da_check_site_packages(&a->o.site_packages, json, &out, &warnings, &err);
    for (size_t i = 0; i < warnings.len; i++)
        cli_note("warning: %s", warnings.items[i]);
    cli_write(&out);
    da_buf_free(&out);
    da_strlist_free(&warnings);
    return rc < 0 ? cli_fail(&err, DA_EXIT_USAGE) : DA_EXIT_OK;
}

static int ask(const metadata_args *a, bool json)
{
    da_check_metadata_answers ans;
    da_error err;
    da_error_clear(&err);
    if (da_check_metadata(&a->o, (const char *const *)a->names.items, a->names.len, &ans, &err) < 0)
        return cli_fail(&err, DA_EXIT_USAGE);
    for (size_t i = 0; i < ans.warnings.len; i++)
        cli_note("warning: %s", ans.warnings.items[i]);
    da_buf out = {0};
    if (json) {
        char *s = da_check_metadata_json(&ans, a->stats);
        da_buf_printf(&out, "%s\n", s);
        free(s);
    } else {
        da_check_metadata_text(&ans, a->stats, &out);
    }
    cli_write(&out);
    da_buf_free(&out);
    int rc = ans.bad_name ? DA_EXIT_USAGE : ans.all_answered ? DA_EXIT_OK : DA_EXIT_NO_METADATA;
    da_check_metadata_answers_free(&ans);
    return rc;
}

int cmd_metadata(int argc, char **argv)
{
    metadata_args a;
    memset(&a, 0, sizeof(a));
    da_metadata_options_init(&a.o);
    int rc = parse_args(argc, argv, &a);
    bool json = rc == 0 && strcmp(a.format.format, "json") == 0;
    if (rc == 0)
        rc = a.names.len == 0 ? list_site_packages(&a, json) : ask(&a, json);
    da_strlist_free(&a.names);
    da_metadata_options_free(&a.o);
    return rc == CLI_HELP ? DA_EXIT_OK : rc;
}
