/* The rule table: stable codes, names, default severities, one-sentence summaries. */
#include "audit_internal.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

struct rule {
    da_code code;
    const char *id;
    const char *name;
    da_severity severity;
    const char *summary;
};

static const struct rule rules[] = {
    {DA001_MISSING, "DA001", "missing", DA_SEVERITY_ERROR,
     "An unguarded import that no distribution in the image provides."},
    {DA002_MISSING_OPTIONAL, "DA002", "missing-optional", DA_SEVERITY_INFO,
     "A guarded import (try/except ImportError, TYPE_CHECKING, version or platform "
     "condition) that nothing in the image provides."},
    {DA003_TRANSITIVE, "DA003", "transitive", DA_SEVERITY_WARNING,
     "An import satisfied only by a distribution another requirement pulls in."},
    {DA004_UNUSED, "DA004", "unused", DA_SEVERITY_WARNING,
     "A requested distribution that no code imports and nothing else visibly uses."},
    {DA005_STDLIB_SHADOW, "DA005", "stdlib-shadow", DA_SEVERITY_WARNING,
     "A distribution that duplicates a module of the image's standard library."},
    {DA006_UNKNOWN_DISTRIBUTION, "DA006", "unknown-distribution", DA_SEVERITY_ERROR,
     "A requested name that no index or snapshot knows (a typo or a private package)."},
    {DA007_UNRESOLVABLE, "DA007", "unresolvable", DA_SEVERITY_ERROR,
     "The requirements cannot be resolved: pip would fail this install."},
    {DA008_FIRST_PARTY_NOT_IN_IMAGE, "DA008", "first-party-not-in-image", DA_SEVERITY_ERROR,
     "A first-party module the code imports whose files the Dockerfile never copies."},
    {DA009_REMOVED_STDLIB, "DA009", "removed-stdlib", DA_SEVERITY_ERROR,
     "An import of a standard module that the image's Python no longer has."},
    {DA010_DEV_IN_PRODUCTION, "DA010", "dev-in-production", DA_SEVERITY_WARNING,
     "A test or lint tool installed in the final image."},
    {DA011_SHELL_SPECIFIER, "DA011", "shell-specifier", DA_SEVERITY_WARNING,
     "A requirement's version constraint that sh takes as a redirection (`pkg>=1.0` "
     "unquoted in a RUN): the constraint is lost, or the build fails."},
    {DA012_UNVERIFIED, "DA012", "unverified", DA_SEVERITY_WARNING,
     "An import no distribution whose modules are known provides, while the image holds "
     "something unknown that may provide it."},
    {DA013_NEEDED_BY_FEATURE, "DA013", "needed-by-feature", DA_SEVERITY_WARNING,
     "A feature the code uses (a settings string, a class, a call, a URL scheme) needs a "
     "module that nothing in the image provides; an error when the feature is certain to "
     "run at start-up."},
};

#define NRULES (sizeof(rules) / sizeof(rules[0]))

static const struct rule *rule_of(da_code c)
{
    for (size_t i = 0; i < NRULES; i++)
        if (rules[i].code == c)
            return &rules[i];
    return NULL;
}

bool da_code_exists(da_code c)
{
    return rule_of(c) != NULL;
}

const char *da_code_id(da_code c)
{
    const struct rule *r = rule_of(c);
    return r ? r->id : "DA000";
}

const char *da_code_name(da_code c)
{
    const struct rule *r = rule_of(c);
    return r ? r->name : "unknown";
}

const char *da_code_summary(da_code c)
{
    const struct rule *r = rule_of(c);
    return r ? r->summary : "";
}

da_severity da_code_default_severity(da_code c)
{
    const struct rule *r = rule_of(c);
    return r ? r->severity : DA_SEVERITY_ERROR;
}

const char *da_severity_name(da_severity s)
{
    switch (s) {
    case DA_SEVERITY_INFO:
        return "info";
    case DA_SEVERITY_WARNING:
        return "warning";
    case DA_SEVERITY_ERROR:
        return "error";
    }
    return "error";
}

da_code da_code_parse(const char *s)
{
    if (!s)
        return 0;
    for (size_t i = 0; i < NRULES; i++)
        if (strcasecmp(s, rules[i].id) == 0 || strcmp(s, rules[i].name) == 0)
            return rules[i].code;
    return 0;
}

int da_severity_parse(const char *s)
{
    if (!s)
        return -2;
    if (strcmp(s, "error") == 0)
        return DA_SEVERITY_ERROR;
    if (strcmp(s, "warning") == 0)
        return DA_SEVERITY_WARNING;
    if (strcmp(s, "info") == 0)
        return DA_SEVERITY_INFO;
    if (strcmp(s, "never") == 0)
        return -1;
    return -2;
}

const char *da_basis_name(da_basis b)
{
    switch (b) {
    case DA_BASIS_METADATA:
        return "metadata";
    case DA_BASIS_SNAPSHOT:
        return "snapshot";
    case DA_BASIS_CONFIG:
        return "config";
    case DA_BASIS_NAME:
        return "name guess";
    case DA_BASIS_NAME_EVIDENCE:
        return "name evidence";
    case DA_BASIS_MODULES_UNKNOWN:
        return "modules unknown";
    }
    return "unknown";
}

const char *da_certainty_name(da_certainty c)
{
    switch (c) {
    case DA_CERTAINTY_KNOWN:
        return "known";
    case DA_CERTAINTY_APPROXIMATE:
        return "approximate";
    case DA_CERTAINTY_UNVERIFIED:
        return "unverified";
    case DA_CERTAINTY_INFERRED:
        return "inferred";
    }
    return "unverified";
}

char *audit_normalize(const char *name)
{
    da_buf b = {0};
    bool sep = false;
    for (const char *p = name; *p; p++) {
        if (*p == '-' || *p == '_' || *p == '.') {
            sep = true;
            continue;
        }
        if (sep && b.len > 0)
            da_buf_putc(&b, '-');
        sep = false;
        da_buf_putc(&b, (char)tolower((unsigned char)*p));
    }
    return da_buf_take(&b);
}
