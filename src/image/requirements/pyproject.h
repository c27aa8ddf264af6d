/* The TOML project files an install reads, from content already found (in the image or on
 * the host): pyproject.toml and Pipfile. Lock files are read by lock.h. */
#ifndef DEPAUDIT_IMAGE_PYPROJECT_H
#define DEPAUDIT_IMAGE_PYPROJECT_H

#include "depaudit/install_plan.h"
#include "image/requirements/requirements_reader.h"

/* pyproject.toml: [project] dependencies and extras, [dependency-groups], Poetry's tables. */
int rq_pyproject_parse(const rq_content *c, const char *path_for_messages, da_pyproject *out,
                       da_error *err);
/* Packages a project installs when its files do not list them: the usual layouts next to
 * host_file (src/NAME, NAME, NAME.py). */
void rq_discover_packages(da_pyproject *out, const char *host_file);
/* A Pipfile: [packages] as dependencies, [dev-packages] as optional group "pipenv:dev". */
int rq_pipfile_parse(const rq_content *c, const char *path_for_messages, da_pyproject *out,
                     da_error *err);

#endif
