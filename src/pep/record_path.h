/* Internal to src/pep: path normalisation shared by the file-list readers and module
 * derivation. */
#ifndef DEPAUDIT_PEP_RECORD_PATH_H
#define DEPAUDIT_PEP_RECORD_PATH_H

/* base (may be NULL) joined with rel, "." and empty segments dropped, ".." resolved where
 * possible; ".." that leave the root are kept at the front ("../../bin/x"). A leading "/"
 * is dropped too: callers check for absolute paths before. Caller frees. */
char *da_record_path_normalise(const char *base, const char *rel);

#endif
