/* The state one audit run shares between its checks (audit_run.c drives them). */
#ifndef DEPAUDIT_AUDIT_CHECKS_H
#define DEPAUDIT_AUDIT_CHECKS_H

#include "audit_internal.h"

typedef struct audit_ctx {
    const da_audit_input *in;
    const da_audit_config *config; /* never NULL (defaults when the input has none) */
    da_findings *out;
    const char *cwd;
    int py_major, py_minor;
    audit_image img;
    bool *used;          /* per img.dists: imported or otherwise used */
    char **used_because; /* per img.dists: why it counts as used without an import */
    bool partial_env;    /* only the requested distributions are known */
    audit_boot boot;
    audit_graph *graph;
    da_strlist transitive_reported;
    char **sources; /* contents of the scanned files (for DA004's other uses) */
    char **source_paths;
    size_t nsources;
    da_release **owned_releases; /* releases the look-up handed over (partial env) */
    size_t nowned_releases, owned_cap;
} audit_ctx;

/* Whether configuration or an inline comment silences `code` for this record/module. */
bool audit_suppressed(const audit_ctx *c, da_code code, const da_import *r, const char *module);
/* Marks a distribution used; `because` (copied) says how when it is not an import. */
void audit_mark_used(audit_ctx *c, const audit_dist *d, const char *because);

/* Requested distributions and their Requires-Dist closure, when resolution failed. */
void audit_image_add_closure(audit_ctx *c, da_strlist *pool);

void audit_check_imports(audit_ctx *c);      /* DA001 DA002 DA003 DA009 */
void audit_check_boot_command(audit_ctx *c); /* modules named by CMD/ENTRYPOINT */
void audit_check_first_party(audit_ctx *c);  /* DA008 */
void audit_check_installed(audit_ctx *c);    /* DA004 DA005 DA006 DA010 */
void audit_check_resolution(audit_ctx *c);   /* DA007 */
void audit_check_shell_specifiers(audit_ctx *c); /* DA011 */

/* Where a distribution is requested (display path, line, col); false if nowhere. */
bool audit_requested_at(const audit_ctx *c, const char *name, char **file, int *line, int *col);

#endif
