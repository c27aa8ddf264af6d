/* Shared by the parts of the check stage. */
#ifndef DEPAUDIT_CHECK_INTERNAL_H
#define DEPAUDIT_CHECK_INTERNAL_H

#include "depaudit/build_context.h"
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

/* Which scanned files are the image's own code (check_scope.c). */
typedef struct check_scope {
    da_ignore_rules ignore;    /* the context's .dockerignore (Dockerfile-specific first) */
    unsigned char *file_scope; /* per record of the import set: a da_file_scope */
    bool unknown;              /* the image may hold context files no COPY names */
    da_strlist notes;          /* the context chosen, the code left out, the test code */
} check_scope;

/* Fills out for the records of s against the plan (NULL: no image, only test code is set
 * apart). Returns 0, or -1 with err when the .dockerignore cannot be read. */
int check_scope_build(const da_install_plan *p, const da_import_set *s, const char *cwd,
                      check_scope *out, da_error *err);
void check_scope_free(check_scope *sc);
/* tests/, test/ in the path, test_*.py, *_test.py, conftest.py. */
bool check_is_test_path(const char *path);
/* The roots of `depaudit Dockerfile` alone: what the final image's COPY/ADD lines bring
 * in, else the context. */
void check_scope_roots(const da_install_plan *p, da_strlist *roots);

/* The plan of a Dockerfile with its build context: o->context_dir, else the one
 * da_build_context_find infers from the current directory (check_context.c). */
int check_plan_load(const char *dockerfile, const da_plan_options *o, da_install_plan *out,
                    da_error *err);

#endif
