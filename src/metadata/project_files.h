/* Building and copying da_project / da_release values: files grouped into versions by
 * their file names, versions compared in their PEP 440 normal form. */
#ifndef DEPAUDIT_METADATA_PROJECT_FILES_H
#define DEPAUDIT_METADATA_PROJECT_FILES_H

#include "depaudit/dist.h"

/* The PEP 440 normal form of v, or a copy of v when it is not a valid version. */
char *da_version_key(const char *v);
/* The version a distribution file name carries (wheel or sdist), NULL when neither. */
char *da_version_of_filename(const char *filename);
/* Moves *f into p under its version (from the file name); files whose names give no
 * version, or whose URL is not http(s), are freed and 0 is returned, else 1. */
int da_project_add_file(da_project *p, da_release_file *f);
/* Adds a version without files (PEP 700 "versions" lists them). */
void da_project_add_version(da_project *p, const char *version);
da_project *da_project_copy(const da_project *p);

#endif
