/* Version-sensitive answers that rest on older metadata: when the module list or the
 * requirements behind a DA001-DA004 came from a snapshot row older than the newest version
 * known to exist (or than the version the resolver picked), the finding says so.
 *
 * The statement goes into the finding's own `older_metadata` field (every report format
 * renders it next to the message; text only under --verbose), the finding's certainty
 * becomes approximate, and da_findings.older_metadata counts such findings. */
#ifndef DEPAUDIT_AUDIT_VERSION_NOTES_H
#define DEPAUDIT_AUDIT_VERSION_NOTES_H

#include "depaudit/audit.h"
#include "depaudit/resolve.h"

/* Ends the statements in a message, and each note. */
#define AUDIT_OLDER_METADATA_TAIL "; the answer may differ for the version the image installs"

/* Where the notes' facts come from: the environment's releases, and for a distribution
 * the environment lacks (partial environments) a release by name; the latest version known
 * to exist. Any callback may be NULL. */
typedef struct audit_version_facts {
    void *ctx;
    /* The newest version known to exist (not metadata), borrowed; NULL if unknown. */
    const char *(*latest_known)(void *ctx, const char *name);
    /* The release the audit judged `name` by when the environment has none; caller frees. */
    da_release *(*release)(void *ctx, const char *name);
} audit_version_facts;

/* Adds the older-metadata statements to every DA001-DA004 in f whose answer depends on a
 * snapshot row older than the latest known version or than the resolved version (a second
 * pass adds nothing). */
void audit_note_older_metadata(da_findings *f, const da_environment *env,
                               const audit_version_facts *facts);

/* The statement for one release, or NULL when its metadata is not older: "modules of
 * google-auth taken from 1.5.1 (snapshot: debian bookworm python3-google-auth 1.5.1-3);
 * latest known 2.62.2" (AUDIT_OLDER_METADATA_TAIL is the caller's to add).
 * `what` is "modules" or "requirements"; `picked` the resolver's version or NULL. */
char *audit_older_metadata_statement(const da_release *r, const char *what, const char *picked,
                                     const char *latest);

#endif
