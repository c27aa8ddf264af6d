/* Shared between the audit's source files; not part of the public API. */
#ifndef DEPAUDIT_AUDIT_INTERNAL_H
#define DEPAUDIT_AUDIT_INTERNAL_H

#include "depaudit/audit.h"

/* PEP 503 normalisation into a new string. */
char *audit_normalize(const char *name);

/* ---- findings under construction ---- */
da_finding *audit_add_finding(da_findings *f, da_code code, const char *file, int line, int col);
void audit_finding_set_message(da_finding *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void audit_finding_add_candidate(da_finding *x, const char *dist, da_basis basis);
void audit_findings_sort(da_findings *f);

/* ---- what the image holds ---- */

/* One distribution of the final image with what it provides. */
typedef struct audit_dist {
    const char *name; /* normalised */
    const char *version;
    const da_release *release; /* NULL when unknown */
    bool requested;
    bool preinstalled;
    const da_resolved_dist *resolved; /* NULL for base-image/config entries */
    const char *parent;               /* partial environments: the distribution that requires it */
} audit_dist;

typedef struct audit_image {
    audit_dist *dists;
    size_t len, cap;
    /* "module=dist" mappings from the configuration */
    const da_strlist *mappings;
    const da_audit_lookup *lookup;
} audit_image;

/* How (and whether) the image provides a dotted module. */
typedef enum audit_provision {
    AUDIT_MISSING = 0,
    AUDIT_PROVIDED,       /* a module entry equals it or is a dotted prefix of it */
    AUDIT_NAMESPACE_ONLY, /* only as a namespace package: importable, but nothing below */
} audit_provision;

/* What is known of a distribution (knowledge.c): its modules, its requirements, and
 * whether its release describes another version than the one installed. */
bool audit_dist_modules_known(const audit_dist *d);
bool audit_dist_requires_known(const audit_dist *d);
bool audit_dist_approximate(const audit_dist *d);
/* 0..100: how strongly a distribution's name says it provides `module`: 100 the same name
 * (case, `-`/`_`/`.`), 95 the py-/python-/-python conventions, 70 the import name inside
 * the distribution's, 60 one the start of the other, 40 the import name's letters in order
 * (telebot, pytelegrambotapi), 0 nothing. */
int audit_name_evidence(const char *module, const char *dist);
/* At or above this, an installed distribution whose modules are unknown is taken to
 * provide the module (a guess, counted as one). */
#define AUDIT_EVIDENCE_PROVIDES 95

/* Whether one release provides `module` (dist.h's rule). */
audit_provision audit_release_provides(const da_release *r, const char *module);
/* Across the image; *by gets the providing distribution (NULL for namespaces only),
 * *guess is set when the answer rests on a look-up rather than the release's file list. */
audit_provision audit_image_provides(const audit_image *img, const char *module,
                                     const audit_dist **by, bool *guess);
/* The shallowest dotted prefix of `module` that the image cannot import, as Python names
 * it in "No module named '...'" (malloc'd), or NULL when the whole module is provided. */
char *audit_first_missing(const audit_image *img, const char *module);
const audit_dist *audit_image_find(const audit_image *img, const char *name);

/* ---- the boot path ---- */

typedef struct audit_boot_entry {
    char *module; /* first-party module the entry point loads, or NULL */
    char *path;   /* script path in the image (python FILE.py), or NULL */
    char *origin; /* "CMD gunicorn src.api.main:app" */
    bool as_main; /* python -m: a package runs its __main__.py as the script */
} audit_boot_entry;

typedef struct audit_boot {
    audit_boot_entry *entries;
    size_t len, cap;
    da_strlist third_party; /* modules named by the command line: worker classes, apps */
    da_strlist commands;    /* program names run: "gunicorn", "celery" */
} audit_boot;

/* Reads CMD/ENTRYPOINT (and FLASK_APP) of the plan. */
void audit_boot_from_plan(const da_install_plan *plan, audit_boot *out);
void audit_boot_free(audit_boot *b);

/* First-party module graph over the import set. */
typedef struct audit_graph audit_graph;
audit_graph *audit_graph_build(const da_import_set *s, const char *const *roots, size_t nroots);
void audit_graph_free(audit_graph *g);
/* Marks every file reachable at start-up from the entries; afterwards
 * audit_graph_chain gives, for an import record on the boot path, the chain to it. */
void audit_graph_walk(audit_graph *g, const audit_boot *boot, int py_major, int py_minor);
/* Whether the import at index i of the set runs at start-up; fills chain (the caller
 * frees each link's file and the array) ending with the import itself. */
bool audit_graph_boot_chain(const audit_graph *g, size_t i, const char *cwd, da_chain_link **chain,
                            size_t *n);
/* Whether a first-party module has a file under the roots. */
bool audit_graph_has_module(const audit_graph *g, const char *module);
/* The host path of the file behind a first-party module (malloc'd), NULL if none. */
char *audit_graph_module_file(const audit_graph *g, const char *module);

/* ---- fixes ---- */
void audit_fix_free(da_fix *fx);

/* ---- conditions ---- */
/* Evaluates a guard condition ("sys.version_info >= (3, 12)", "sys.platform == 'win32'",
 * "not (A) and (B)") for the image: 1 true, 0 false, -1 unknown. */
int audit_condition_eval(const char *cond, int py_major, int py_minor);

#endif
