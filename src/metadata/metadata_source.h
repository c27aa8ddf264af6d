/* The layered source's state, shared by its parts: index_pages.c (project pages through
 * cache and HTTP), release_fetch.c (release metadata from .metadata files and wheel
 * ranges) and metadata_source.c (the layers and the provider). */
#ifndef DEPAUDIT_METADATA_SOURCE_H
#define DEPAUDIT_METADATA_SOURCE_H

#include "depaudit/metadata.h"
#include "depaudit/snapshot.h"
#include "metadata/disk_cache.h"
#include "metadata/transport.h"

/* One remembered answer, so a prefetch's result (or failure) reaches the later get. */
typedef struct da_memo {
    char *key;  /* normalised name, or "name==version-key" */
    int status; /* 0 answer, 1 absent, -1 failure */
    da_project *project;
    da_release *release;
    da_error error;
} da_memo;

typedef struct da_memo_table {
    da_memo *items;
    size_t len, cap;
} da_memo_table;

struct da_metadata {
    da_metadata_options o;    /* deep copy */
    da_strlist indexes;       /* base URLs, each ending in '/' */
    da_strlist index_origins; /* the same, redacted */
    da_disk_cache cache;
    da_transport transport; /* run NULL when offline or without an index */
    da_metadata_stats stats;
    da_strlist missing;
    da_strlist warnings;
    da_snapshot *snapshot; /* NULL when use_snapshot is off */
    da_release **installed;
    size_t ninstalled;
    da_memo_table projects;
    da_memo_table releases;
};

da_memo *da_memo_find(da_memo_table *t, const char *key);
da_memo *da_memo_add(da_memo_table *t, const char *key); /* a new entry, status -1 */
void da_memo_table_free(da_memo_table *t);

/* Fetches (or reads from the cache) the project pages of every name not yet memoised, all
 * indexes, all at once. Results go to m->projects. */
void da_index_fetch_projects(da_metadata *m, const char *const *names, size_t n);
/* Fetches the metadata of every (name, version) not yet memoised, all at once. Pages must
 * have been fetched. Results go to m->releases. */
void da_index_fetch_releases(da_metadata *m, const char *const *names, const char *const *versions,
                             size_t n);
/* Runs requests through m's transport (which must exist). */
void da_metadata_transfer(da_metadata *m, da_http_request **reqs, size_t n);
/* Whether m may send requests (an index, not offline, a transport). */
bool da_metadata_online(const da_metadata *m);

/* "name==version-key" into a new string. */
char *da_release_memo_key(const char *name, const char *version);

#endif
