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
    /* What may install distributions no one sees from here (knowledge.c), for DA012's
     * message: the distributions whose requirements are unknown ("gradio 4.44.0"), and the
     * other unknown steps ("the step at Dockerfile:7 (requirements file ... not found)"). */
    da_strlist deps_unknown;
    da_strlist may_install;
    bool base_unknown; /* among may_install: the base image's contents */
} audit_ctx;

/* Whether the record at index i is in a file of the image's own code (not a test, not code
 * the image never gets): only those can be missing from the image. */
static inline bool audit_record_runtime(const audit_ctx *c, size_t i)
{
    return !c->in->file_scope || c->in->file_scope[i] == DA_FILE_RUNTIME;
}

/* Whether configuration or an inline comment silences `code` for this record/module. */
bool audit_suppressed(const audit_ctx *c, da_code code, const da_import *r, const char *module);
/* Marks a distribution used; `because` (copied) says how when it is not an import. */
void audit_mark_used(audit_ctx *c, const audit_dist *d, const char *because);

/* Requested distributions and their Requires-Dist closure, when resolution failed. */
void audit_image_add_closure(audit_ctx *c, da_strlist *pool);

void audit_check_imports(audit_ctx *c); /* DA001 DA002 DA003 DA009 */
void audit_check_usage(audit_ctx *c);   /* settings strings, DA013 */
/* Reports import record i as missing (DA001/DA002), with candidates and a fix; why_guarded
 * (may be NULL) says why it is only optional. */
void audit_report_missing(audit_ctx *c, size_t i, da_code code, const char *missing_name,
                          const char *why_guarded);
/* DA003 for record i when d is installed only as another's dependency. */
void audit_report_transitive(audit_ctx *c, size_t i, const audit_dist *d);
void audit_check_boot_command(audit_ctx *c);     /* modules named by CMD/ENTRYPOINT */
void audit_check_first_party(audit_ctx *c);      /* DA008 */
void audit_check_installed(audit_ctx *c);        /* DA004 DA005 DA006 DA010 */
void audit_check_resolution(audit_ctx *c);       /* DA007 */
void audit_check_shell_specifiers(audit_ctx *c); /* DA011 */

/* knowledge.c: the unknowns of the image into c->may_install and c->out->unknowns; whether
 * "nothing provides it" is a known fact here; a DA001/DA002 under construction turned into
 * DA012 (candidates: installed distributions whose modules are unknown, by name evidence,
 * then the module table's providers), `guard` being the guard's clause or NULL. */
void audit_collect_unknowns(audit_ctx *c);
/* x: the finding under construction, whose candidates say who is known to provide it. */
bool audit_absence_known(const audit_ctx *c, const char *module, const da_finding *x);
void audit_make_unverified(audit_ctx *c, da_finding *x, const char *module, const char *guard,
                           bool local);
/* An installed distribution the module table names for the module while the snapshot row it
 * is judged by does not list it (another version, or a row its source split), or NULL. */
const char *audit_installed_table_provider(const audit_ctx *c, const da_finding *x);
/* A module of that top-level name in the scanned sources (display path, malloc'd): an
 * import of it may be a local one; NULL if none. `near` limits it to the directory of that
 * file. */
char *audit_local_module(const audit_ctx *c, const char *module, const char *near);

/* inference.c (RULES.md, "Inference"). Whether distribution d may bring dependencies no
 * one sees from here: its requirements are unknown and some step that installs it follows
 * them (not a lock's exact pins, not --no-deps). */
bool audit_dist_deps_unseen(const audit_ctx *c, const audit_dist *d);
/* Whether a distribution x whose requirements are unknown may depend on d, by their download
 * ranks (0: beyond the ranked names), how many known distributions depend on d, and their
 * names (one family: the same first word, or one name inside the other). */
bool audit_may_depend_on(int x_rank, const char *x, int d_rank, int d_dependents, const char *d);
bool audit_names_related(const char *a, const char *b);
/* When the absence of `module` is not a known fact only because of distributions whose
 * modules or requirements are unknown, and evidence rules each of them out: the basis, as a
 * clause of the finding's message (malloc'd); NULL when nothing settles it (then DA012). */
char *audit_infer_absence(const audit_ctx *c, const char *module, const da_finding *x);

/* pinned_deps.c: another distribution of the image whose requirements name `name`
 * (borrowed), or NULL; why `name` is pinned by a lock, compile or freeze output (malloc'd),
 * or NULL. Either keeps a requested distribution from being called unused. */
const char *audit_required_by(const audit_ctx *c, const char *name);
char *audit_pinned_by_output(const audit_ctx *c, const char *name);

/* The fix of a DA001 of `module` (fix_suggest.c): the requirement of the first candidate
 * known to provide it (never a name guess, never the name of a local module), at the
 * version RULES.md states. NULL when none can be written. */
da_fix *audit_fix_for(const audit_ctx *c, const da_candidate *cands, size_t n, const char *module);

/* Where a distribution is requested (display path, line, col); false if nowhere. */
bool audit_requested_at(const audit_ctx *c, const char *name, char **file, int *line, int *col);

#endif
