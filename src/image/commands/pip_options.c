#include "image/commands/pip_options.h"

#include <stddef.h>
#include <string.h>

/* pip 23-25 `install` and general options, then uv's additions. Options that pip only
 * accepts for other subcommands (-y for uninstall) are here too: a word is never a
 * package just because the option belongs to another subcommand. */
static const po_option options[] = {
    {'r', "--requirement", true, PO_REQUIREMENT, false},
    {'c', "--constraint", true, PO_CONSTRAINT, false},
    {'e', "--editable", true, PO_EDITABLE, false},
    {'t', "--target", true, PO_TARGET, false},
    {0, "--prefix", true, PO_PREFIX, false},
    {0, "--root", true, PO_ROOT, false},
    {0, "--user", false, PO_USER, false},
    {'i', "--index-url", true, PO_INDEX_URL, false},
    {0, "--extra-index-url", true, PO_EXTRA_INDEX_URL, false},
    {'f', "--find-links", true, PO_FIND_LINKS, false},
    {0, "--no-index", false, PO_NO_INDEX, false},
    {0, "--no-deps", false, PO_NO_DEPS, false},
    {0, "--pre", false, PO_PRE, false},
    {'U', "--upgrade", false, PO_UPGRADE, false},
    {0, "--upgrade-strategy", true, PO_IGNORE, false},
    {0, "--force-reinstall", false, PO_FORCE_REINSTALL, false},
    {'I', "--ignore-installed", false, PO_IGNORE_INSTALLED, false},
    {0, "--ignore-requires-python", false, PO_IGNORE, false},
    {0, "--no-build-isolation", false, PO_IGNORE, false},
    {0, "--use-pep517", false, PO_IGNORE, false},
    {0, "--no-use-pep517", false, PO_IGNORE, false},
    {0, "--check-build-dependencies", false, PO_IGNORE, false},
    {0, "--break-system-packages", false, PO_IGNORE, false},
    {'C', "--config-settings", true, PO_IGNORE, false},
    {0, "--global-option", true, PO_IGNORE, false},
    {0, "--install-option", true, PO_IGNORE, false},
    {0, "--compile", false, PO_IGNORE, false},
    {0, "--no-compile", false, PO_IGNORE, false},
    {0, "--no-warn-script-location", false, PO_IGNORE, false},
    {0, "--no-warn-conflicts", false, PO_IGNORE, false},
    {0, "--no-binary", true, PO_NO_BINARY, false},
    {0, "--only-binary", true, PO_ONLY_BINARY, false},
    {0, "--prefer-binary", false, PO_IGNORE, false},
    {0, "--require-hashes", false, PO_REQUIRE_HASHES, false},
    {0, "--progress-bar", true, PO_IGNORE, false},
    {0, "--root-user-action", true, PO_IGNORE, false},
    {0, "--report", true, PO_IGNORE, false},
    {0, "--dry-run", false, PO_DRY_RUN, false},
    {0, "--platform", true, PO_PLATFORM, false},
    {0, "--python-version", true, PO_PYTHON_VERSION, false},
    {0, "--implementation", true, PO_IGNORE, false},
    {0, "--abi", true, PO_IGNORE, false},
    {0, "--src", true, PO_IGNORE, false},
    {0, "--exists-action", true, PO_IGNORE, false},
    {0, "--trusted-host", true, PO_IGNORE, false},
    {0, "--cert", true, PO_IGNORE, false},
    {0, "--client-cert", true, PO_IGNORE, false},
    {0, "--cache-dir", true, PO_IGNORE, false},
    {0, "--no-cache-dir", false, PO_IGNORE, false},
    {0, "--disable-pip-version-check", false, PO_IGNORE, false},
    {0, "--no-input", false, PO_IGNORE, false},
    {0, "--no-color", false, PO_IGNORE, false},
    {0, "--no-python-version-warning", false, PO_IGNORE, false},
    {0, "--isolated", false, PO_IGNORE, false},
    {0, "--require-virtualenv", false, PO_IGNORE, false},
    {0, "--python", true, PO_PYTHON, false},
    {'v', "--verbose", false, PO_IGNORE, false},
    {'q', "--quiet", false, PO_IGNORE, false},
    {0, "--log", true, PO_IGNORE, false},
    {0, "--log-file", true, PO_IGNORE, false},
    {0, "--local-log", true, PO_IGNORE, false},
    {0, "--proxy", true, PO_IGNORE, false},
    {0, "--retries", true, PO_IGNORE, false},
    {0, "--timeout", true, PO_IGNORE, false},
    {0, "--keyring-provider", true, PO_IGNORE, false},
    {0, "--use-feature", true, PO_IGNORE, false},
    {0, "--use-deprecated", true, PO_IGNORE, false},
    {0, "--debug", false, PO_IGNORE, false},
    {0, "--group", true, PO_GROUP, false},
    {'y', "--yes", false, PO_IGNORE, false},
    {0, "--no-clean", false, PO_IGNORE, false},
    {0, "--no-build", false, PO_IGNORE, true},
    /* pip wheel / pip download */
    {'w', "--wheel-dir", true, PO_WHEEL_DIR, false},
    {'d', "--dest", true, PO_WHEEL_DIR, false},
    {0, "--no-verify", false, PO_IGNORE, false},
    /* uv */
    {0, "--system", false, PO_SYSTEM, true},
    {'p', "--python", true, PO_PYTHON, true},
    {0, "--index", true, PO_EXTRA_INDEX_URL, true},
    {0, "--default-index", true, PO_INDEX_URL, true},
    {0, "--index-strategy", true, PO_IGNORE, true},
    {0, "--resolution", true, PO_IGNORE, true},
    {0, "--prerelease", true, PO_PRERELEASE, true},
    {0, "--extra", true, PO_EXTRA, true},
    {0, "--all-extras", false, PO_ALL_EXTRAS, true},
    {0, "--link-mode", true, PO_IGNORE, true},
    {0, "--compile-bytecode", false, PO_IGNORE, true},
    {0, "--refresh", false, PO_IGNORE, true},
    {0, "--refresh-package", true, PO_IGNORE, true},
    {0, "--no-build-package", true, PO_IGNORE, true},
    {0, "--no-binary-package", true, PO_IGNORE, true},
    {0, "--override", true, PO_OVERRIDE, true},
    {'b', "--build-constraints", true, PO_IGNORE, true},
    {0, "--torch-backend", true, PO_IGNORE, true},
    {0, "--exclude-newer", true, PO_IGNORE, true},
    {0, "--reinstall", false, PO_FORCE_REINSTALL, true},
    {0, "--reinstall-package", true, PO_IGNORE, true},
    {'P', "--upgrade-package", true, PO_IGNORE, true},
    {0, "--config-file", true, PO_IGNORE, true},
    {0, "--no-config", false, PO_IGNORE, true},
    {0, "--color", true, PO_IGNORE, true},
    {0, "--strict", false, PO_IGNORE, true},
    {0, "--no-sources", false, PO_IGNORE, true},
    {0, "--allow-insecure-host", true, PO_IGNORE, true},
    {0, "--python-platform", true, PO_PLATFORM, true},
    {0, "--no-progress", false, PO_IGNORE, true},
    {0, "--offline", false, PO_IGNORE, true},
    {0, "--native-tls", false, PO_IGNORE, true},
    {'n', "--no-cache", false, PO_IGNORE, true},
    {0, "--verify-hashes", false, PO_IGNORE, true},
    {0, "--no-verify-hashes", false, PO_IGNORE, true},
    {0, "--managed-python", false, PO_IGNORE, true},
    {0, "--no-managed-python", false, PO_IGNORE, true},
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))

const po_option *po_find(const char *word, bool uv, const char **attached)
{
    *attached = NULL;
    if (word[0] != '-')
        return NULL;
    if (word[1] == '-') {
        const char *eq = strchr(word, '=');
        size_t n = eq ? (size_t)(eq - word) : strlen(word);
        for (size_t i = 0; i < NOPTIONS; i++) {
            if (options[i].uv_only && !uv)
                continue;
            if (strlen(options[i].long_name) == n && strncmp(options[i].long_name, word, n) == 0) {
                if (eq)
                    *attached = eq + 1;
                return &options[i];
            }
        }
        return NULL;
    }
    const po_option *o = po_find_short(word[1], uv);
    if (o && word[2] != '\0')
        *attached = word + 2;
    return o;
}

const po_option *po_find_short(char c, bool uv)
{
    if (c == '\0')
        return NULL;
    for (size_t i = 0; i < NOPTIONS; i++) {
        if (options[i].uv_only && !uv)
            continue;
        if (options[i].short_name == c)
            return &options[i];
    }
    return NULL;
}
