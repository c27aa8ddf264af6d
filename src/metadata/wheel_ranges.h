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

/* Limits on what a server may make us handle. No real wheel comes near them; every offset
 * and size read from the wire is checked against them before any arithmetic. */
#define DA_ZIP_MAX_FILE_BYTES (64LL * 1024 * 1024 * 1024) /* a whole wheel */
#define DA_ZIP_MAX_DIRECTORY_BYTES (64LL * 1024 * 1024)   /* its central directory */
#define DA_ZIP_MAX_MEMBER_BYTES (64LL * 1024 * 1024)      /* one member read or fetched */

/* Adds bytes known to sit at [offset, offset+len) (a whole-file download: offset 0).
 * Returns -1 and adds nothing when the span is negative, overflows, or lies outside the
 * file's size once that is known. */
int da_sparse_add(da_sparse_file *f, long long offset, const char *data, size_t len);
/* Adds a 206 response: bytes first..last (inclusive) of a file of total bytes, as its
 * Content-Range said. Returns 0, or -1 with err (naming origin) when the response does not
 * hold together: no usable Content-Range, a range outside the file or not matching the body
 * length, a file above DA_ZIP_MAX_FILE_BYTES, or a size other than an earlier response's. */
int da_sparse_add_range(da_sparse_file *f, long long first, long long last, long long total,
                        const char *data, size_t len, const char *origin, da_error *err);
/* True when [offset, offset+len) is entirely fetched. */
bool da_sparse_has(const da_sparse_file *f, long long offset, long long len);
void da_sparse_free(da_sparse_file *f);

/* Where the central directory is, from the fetched tail. Returns 0 and the byte range
 * [*cd_offset, *cd_end) (cd_end <= start of the end records), 1 when the tail does not
 * reach the end-of-central-directory record yet, -1 with err when it is no zip at all or
 * its end records do not hold together (offsets outside the file, a directory larger than
 * DA_ZIP_MAX_DIRECTORY_BYTES, more entries than could fit in it). */
int da_zip_locate_central_directory(const da_sparse_file *f, const char *origin,
                                    long long *cd_offset, long long *cd_end, da_error *err);

/* The member names (in order) with libzip over the fetched ranges. Bytes before the
 * central directory that were never fetched read as zeros: libzip reads a fixed-size
 * window at the end to find the end record, and those bytes do not matter to it. */
int da_zip_list_names(da_sparse_file *f, const char *origin, da_strlist *names, da_error *err);

/* The byte extent of member `name` (local header + data), from the central directory:
 * [*first, *end), at most DA_ZIP_MAX_MEMBER_BYTES long. Returns 0, 1 if there is no such
 * member, -1 with err. */
int da_zip_member_extent(const da_sparse_file *f, const char *origin, const char *name,
                         long long *first, long long *end, da_error *err);

/* Reads member `name` (decompressed) with libzip; its extent must be fetched. */
int da_zip_read_member(da_sparse_file *f, const char *origin, const char *name, char **data,
                       size_t *len, da_error *err);

#endif
