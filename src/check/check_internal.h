/* Shared by the parts of the check stage. */
#ifndef DEPAUDIT_CHECK_INTERNAL_H
#define DEPAUDIT_CHECK_INTERNAL_H

#include "depaudit/check.h"
#include "depaudit/snapshot.h"

/* The audit's metadata look-ups answered by the snapshot and, online, the package index
 * (check_lookup.c). */
typedef struct check_lookup {
    da_snapshot *snap;
    da_metadata *meta;
    bool no_index;           /* offline, or no index configured: the snapshot and the cache */
    const da_target *target; /* the image's Python: chooses the latest version of a fix */
    char *fault;             /* the first index failure a look-up met: no verdict at all */
    da_snapshot_dependents *dependents; /* built on first need; the owner frees it */
} check_lookup;

/* The vtable over l (which must outlive it). */
da_audit_lookup check_lookup_vtable(check_lookup *l);

/* The configuration: o->config_file, else the first .depaudit.toml or pyproject.toml with
 * a [tool.depaudit] table in the current directory, then next to the Dockerfile
 * (check_config.c). Returns 0 (defaults when there is none) or -1 with err. */
int check_config_load(const da_check_options *o, da_audit_config *cfg, da_error *err);

/* The final image's install operations as resolver steps; local paths and URLs become
 * warnings, since what they install is unknown to the audit (check_audit.c). */
void check_resolve_input_from_plan(const da_install_plan *plan, da_resolve_input *in,
                                   da_strlist *warnings);

#endif
