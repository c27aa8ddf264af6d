/* A remote wheel seen through the byte ranges fetched so far, read with libzip through a
 * custom zip_source. Only the end of the file (end-of-central-directory record and the
 * central directory) and, when needed, one member's extent are ever fetched. */
#ifndef DEPAUDIT_METADATA_WHEEL_RANGES_H
#define DEPAUDIT_METADATA_WHEEL_RANGES_H

#include "depaudit/util.h"

#include <stdbool.h>

typedef struct da_range_chunk {
    long long offset;
    size_t len;
    char *data;
} da_range_chunk;

typedef struct da_sparse_file {
    long long size; /* whole file size, -1 until known */
    da_range_chunk *chunks;
    size_t nchunks;
} da_sparse_file;

void da_sparse_add(da_sparse_file *f, long long offset, const char *data, size_t len);
/* True when [offset, offset+len) is entirely fetched. */
bool da_sparse_has(const da_sparse_file *f, long long offset, long long len);
void da_sparse_free(da_sparse_file *f);

/* Where the central directory is, from the fetched tail. Returns 0 and the byte range
 * [*cd_offset, *cd_end) (cd_end = start of the end records), 1 when the tail does not
 * reach the end-of-central-directory record yet, -1 with err when it is no zip at all. */
int da_zip_locate_central_directory(const da_sparse_file *f, const char *origin,
                                    long long *cd_offset, long long *cd_end, da_error *err);

/* The member names (in order) with libzip over the fetched ranges. Bytes before the
 * central directory that were never fetched read as zeros: libzip reads a fixed-size
 * window at the end to find the end record, and those bytes do not matter to it. */
int da_zip_list_names(da_sparse_file *f, const char *origin, da_strlist *names, da_error *err);

/* The byte extent of member `name` (local header + data), from the central directory:
 * [*first, *end). Returns 0, 1 if there is no such member, -1 with err. */
int da_zip_member_extent(const da_sparse_file *f, const char *origin, const char *name,
                         long long *first, long long *end, da_error *err);

/* Reads member `name` (decompressed) with libzip; its extent must be fetched. */
int da_zip_read_member(da_sparse_file *f, const char *origin, const char *name, char **data,
                       size_t *len, da_error *err);

#endif
