/* The shared picture of one release of one distribution: what it requires and which
 * modules it provides, with where each answer came from. Produced by the metadata
 * sources (snapshot, cache, index, site-packages), consumed by the resolver and the audit. */
#ifndef DEPAUDIT_DIST_H
#define DEPAUDIT_DIST_H

#include "depaudit/util.h"

#include <stdbool.h>

typedef enum da_source_kind {
    DA_SOURCE_NONE = 0,
    DA_SOURCE_SNAPSHOT,      /* the embedded offline snapshot */
    DA_SOURCE_CONFIG,        /* an explicit mapping from the user's configuration */
    DA_SOURCE_CACHE,         /* the disk cache of earlier index answers */
    DA_SOURCE_INDEX,         /* a package index over HTTP(S) */
    DA_SOURCE_SITE_PACKAGES, /* an installed environment */
    DA_SOURCE_GUESS,         /* derived from the name alone: label it a guess */
} da_source_kind;

const char *da_source_kind_name(da_source_kind k); /* "snapshot", "index", ... */

/* One file of a release as an index lists it. */
typedef struct da_release_file {
    char *filename;        /* e.g. "opentelemetry_api-1.21.0-py3-none-any.whl" */
    char *url;             /* absolute; NULL for snapshot entries */
    char *sha256;          /* hex, NULL if the index gave none */
    char *requires_python; /* data-requires-python / requires-python, NULL if none */
    char *upload_time;     /* PEP 700 ISO 8601, NULL if unknown */
    bool yanked;
    bool has_metadata; /* PEP 658/714: a .metadata file sits next to it */
    char *metadata_sha256;
    long long size; /* bytes, -1 if unknown */
} da_release_file;

/* Everything known about one version of one distribution. Lists own their strings. */
typedef struct da_release {
    char *name;               /* PEP 503 normalised */
    char *version;            /* as published */
    char *requires_python;    /* NULL if none/unknown */
    da_strlist requires_dist; /* PEP 508 strings, markers included */
    bool requires_known;      /* false: we do not know its requirements at all */
    bool requires_incomplete; /* true: the source is known to have dropped some */
    da_strlist provides_extra;
    /* Importable names at full dotted depth, shallowest non-namespace level first:
     * "opentelemetry.trace", "opentelemetry.context", ... for opentelemetry-api.
     * An import X is provided when X equals an entry or starts with entry + ".". */
    da_strlist modules;
    /* Namespace packages (directories without __init__.py) the release contributes to:
     * "opentelemetry" for opentelemetry-api. Importing one alone succeeds, but it
     * provides none of its submodules by itself. */
    da_strlist namespaces;
    bool modules_known;
    da_strlist import_names; /* PEP 794 Import-Name, when the metadata had them */
    da_source_kind source;
    char *origin; /* human-readable provenance: URL, "debian bookworm python3-x 1.2", ... */
} da_release;

void da_release_free(da_release *r);              /* frees the members and r itself */
da_release *da_release_copy(const da_release *r); /* a deep copy */

/* The releases an index (or the snapshot) lists for one distribution. */
typedef struct da_project_version {
    char *version;
    da_release_file *files;
    size_t nfiles;
} da_project_version;

typedef struct da_project {
    char *name; /* normalised */
    da_project_version *versions;
    size_t nversions;
    da_source_kind source;
    char *origin;
    /* The versions are every release the index has. An index's page (or its cached copy)
     * always is; a snapshot's list only when the snapshot says so
     * (da_snapshot_versions_complete): otherwise a version it lacks is unknown, not absent. */
    bool versions_complete;
} da_project;

void da_project_free(da_project *p);
/* Frees a release file's strings and zeroes it (the struct itself is the caller's). */
void da_release_file_clear(da_release_file *f);

#endif
