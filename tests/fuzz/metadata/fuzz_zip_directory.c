/* The zip central-directory reader over fetched ranges (wheel_ranges.c), as a hostile
 * server drives it: the input is the file's last bytes (the tail a range request returns,
 * with the end record, ZIP64 locator and record, and the central directory), preceded by
 * 8 bytes giving how many unfetched bytes come before them (little-endian; 0: the input is
 * the whole file). Whatever the bytes, the reader answers or fails with a message; it never
 * crashes, reads outside what was fetched, or hands out a range outside the file.
 *
 * Input: [8-byte LE prefix length][tail bytes] */
#include "depaudit/util.h"
#include "metadata/wheel_ranges.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_failure(int rc, const da_error *err)
{
    if (rc < 0 && !err->message[0])
        abort(); /* a failure always says why */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 8)
        return 0;
    uint64_t prefix = 0;
    for (int i = 7; i >= 0; i--)
        prefix = prefix << 8 | data[i];
    const char *tail = (const char *)data + 8;
    size_t tail_len = size - 8;
    /* Any prefix up to the largest file a server may claim, so huge offsets are reachable. */
    prefix %= (uint64_t)(DA_ZIP_MAX_FILE_BYTES - (long long)tail_len) + 1;
    da_sparse_file f = {.size = (long long)prefix + (long long)tail_len};
    if (tail_len > 0 && da_sparse_add(&f, (long long)prefix, tail, tail_len) != 0)
        abort(); /* in range by construction */
    long long cd_off = 0, cd_end = 0;
    da_error err = {0};
    int rc = da_zip_locate_central_directory(&f, "fuzz.whl", &cd_off, &cd_end, &err);
    check_failure(rc, &err);
    if (rc == 0 && (cd_off < 0 || cd_end < cd_off || cd_end > f.size ||
                    cd_end - cd_off > DA_ZIP_MAX_DIRECTORY_BYTES))
        abort(); /* the directory it reports lies inside the file, within the limit */
    if (rc != 0 || !da_sparse_has(&f, cd_off, cd_end - cd_off)) {
        da_sparse_free(&f);
        return 0;
    }
    da_strlist names = {0};
    rc = da_zip_list_names(&f, "fuzz.whl", &names, &err);
    check_failure(rc, &err);
    /* Each member's extent, and its contents when they were fetched. */
    for (size_t i = 0; i < names.len && i < 8; i++) {
        long long first = 0, end = 0;
        rc = da_zip_member_extent(&f, "fuzz.whl", names.items[i], &first, &end, &err);
        check_failure(rc, &err);
        if (rc != 0)
            continue;
        if (first < 0 || end <= first || end > cd_off || end - first > DA_ZIP_MAX_MEMBER_BYTES)
            abort();
        if (!da_sparse_has(&f, first, end - first))
            continue;
        char *content = NULL;
        size_t len = 0;
        rc = da_zip_read_member(&f, "fuzz.whl", names.items[i], &content, &len, &err);
        check_failure(rc, &err);
        if (rc == 0 && (!content || len > (size_t)DA_ZIP_MAX_MEMBER_BYTES))
            abort();
        free(content);
    }
    long long first = 0, end = 0;
    check_failure(da_zip_member_extent(&f, "fuzz.whl", "x.dist-info/METADATA", &first, &end, &err),
                  &err);
    da_strlist_free(&names);
    da_sparse_free(&f);
    return 0;
}
