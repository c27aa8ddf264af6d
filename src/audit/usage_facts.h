/* Facts behind DA004, DA009 and DA010 (see usage_facts.c). */
#ifndef DEPAUDIT_AUDIT_USAGE_FACTS_H
#define DEPAUDIT_AUDIT_USAGE_FACTS_H

#include "audit_internal.h"

typedef struct audit_removed_module {
    const char *module;
    int major, minor; /* first version without it */
    const char *replacement;
} audit_removed_module;

/* The removal that applies to `module` (or a parent) on Python major.minor, or NULL. */
const audit_removed_module *audit_removed_stdlib(const char *module, int major, int minor);
/* pytest and its plugins, black, mypy, ruff, flake8, ... (normalised names). */
bool audit_is_dev_tool(const char *name);
/* Why a distribution is legitimately never imported (pip, stubs, plugins), or NULL. */
const char *audit_used_without_import(const char *name);
/* If `text` holds a database/broker URL whose driver `dist` provides, the scheme matched
 * ("+asyncpg", "postgresql") and *at its position; NULL otherwise. */
const char *audit_url_driver_in(const char *text, const char *dist, const char **at);

#endif
