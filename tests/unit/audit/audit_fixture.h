/* Builds the audit's inputs by hand (import records, install plan, environment, metadata
 * look-ups) in a temporary build context, so the audit core is tested without the other
 * stages. */
#ifndef DEPAUDIT_TESTS_AUDIT_FIXTURE_H
#define DEPAUDIT_TESTS_AUDIT_FIXTURE_H

#include "depaudit/audit.h"

typedef struct fx_which {
    char *module; /* dotted prefix */
    char *dists;  /* space separated */
} fx_which;

typedef struct fx_world {
    char dir[256];
    da_import_set imports;
    da_install_plan plan;
    da_environment env;
    bool have_env;
    da_audit_config config;
    da_audit_lookup lookup;
    fx_which *which;
    size_t nwhich, cwhich;
    da_strlist names;    /* names the index knows */
    da_strlist versions; /* "name=version" */
    da_strlist stdlib;   /* top-level stdlib names */
    char *resolve_failure;
    da_release **release_table; /* what the look-up's release() knows (not owned) */
    size_t nrelease_table;
} fx_world;

void fx_init(fx_world *w, int py_minor);
void fx_free(fx_world *w);
/* Writes a file under the context directory (parents created). */
void fx_write(fx_world *w, const char *rel, const char *content);
char *fx_read(fx_world *w, const char *rel);
/* Adds an import record of `file` (relative to the context, which is the scan root). */
da_import *fx_import(fx_world *w, const char *file, int line, const char *module,
                     da_import_class klass);
/* The Dockerfile's text (written to DIR/Dockerfile). */
void fx_dockerfile(fx_world *w, const char *text);
/* One pip install op reaching the final image, its requirements found in the Dockerfile
 * text (NULL-terminated list of the requirement strings as written). */
void fx_install(fx_world *w, const char *const *reqs);
/* A requirements file (already written with fx_write) installed by the final image. */
void fx_install_requirements_file(fx_world *w, const char *rel, const char *const *reqs);
/* A resolved distribution; modules/namespaces are space separated ("" none, NULL unknown). */
da_resolved_dist *fx_dist(fx_world *w, const char *name, const char *version, bool requested,
                          const char *modules, const char *namespaces, const char *required_by);
void fx_cmd(fx_world *w, const char *const *argv, bool shell_form);
void fx_copy(fx_world *w, const char *source, const char *dest);
void fx_env(fx_world *w, const char *name, const char *value);
void fx_which_add(fx_world *w, const char *module, const char *dists);
/* Runs the audit with the world's inputs (cwd = the context directory). */
int fx_run(fx_world *w, da_findings *out);
/* The first finding with this code (and module or dist when non-NULL), or NULL. */
const da_finding *fx_find(const da_findings *f, da_code code, const char *what);
size_t fx_count(const da_findings *f, da_code code);

/* The incident in miniature (src/api/main.py -> src/core/telemetry.py -> the OTLP
 * exporter; jose off the boot path; tenacity unused; asyncpg as a URL driver). */
extern const char fx_demo_dockerfile[];
void fx_demo_world(fx_world *w);

#endif
