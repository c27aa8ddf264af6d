/* What a project declares about itself when pyproject.toml does not say it: setup.cfg
 * (setup_cfg.c) and setup.py (setup_py.c, parsed and never run), and the choice of which
 * file a build backend reads (setup_project.c). Internal to requirements/. */
#ifndef DEPAUDIT_IMAGE_SETUP_PROJECT_H
#define DEPAUDIT_IMAGE_SETUP_PROJECT_H

#include "image/requirements/pyproject.h"
#include "image/requirements/requirement_text.h"

/* The project files of one directory, as found (any may be NULL). */
typedef struct rq_project_files {
    const rq_content *pyproject, *setup_cfg, *setup_py;
} rq_project_files;

/* The project's name, dependencies, extras and packages from whichever file declares them:
 * pyproject.toml ([project] or Poetry's tables), else setup.cfg and setup.py. Files its
 * dependencies are read from (relative to the project) go into out->dependency_files; what
 * cannot be known without running code becomes a warning. Returns 0, or -1 with err when
 * pyproject.toml is not TOML at all. */
int rq_project_read(const rq_project_files *in, da_pyproject *out, da_error *err);

void rq_setup_cfg_read(const rq_content *c, da_pyproject *out, da_strlist *files);
/* Returns 0, or -1 when the text cannot be parsed at all. problems gets what is unknown. */
int rq_setup_py_read(const rq_content *c, da_pyproject *out, da_strlist *files,
                     da_strlist *problems);

/* A requirement at document bytes [s, e) of c into out (group NULL: a dependency). */
void rq_setup_add_req(const rq_content *c, da_pyproject *out, const char *text, const char *group,
                      size_t s, size_t e, size_t list);
/* Top-level packages or modules named by value (comma, space or line separated); dotted:
 * package names (subpackages skipped), else module or path names. */
void rq_setup_add_packages(da_pyproject *out, const char *value, bool dotted);

#endif
