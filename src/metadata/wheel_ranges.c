#include "metadata/wheel_ranges.h"

#include <zip.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Central directory and end-record signatures and fixed sizes (APPNOTE 4.3). */
#define SIG_CENTRAL 0x02014b50u
#define SIG_END 0x06054b50u
#define SIG_END64 0x06064b50u
#define SIG_LOCATOR64 0x07064b50u
#define END_LEN 22
#define END64_LEN 56
#define LOCATOR64_LEN 20
#define CENTRAL_LEN 46
#define MAX_COMMENT 65535

int da_sparse_add(da_sparse_file *f, long long offset, const char *data, size_t len)
{
    if (len == 0)
        return 0;
    if (offset < 0 || len > (size_t)DA_ZIP_MAX_FILE_BYTES ||
        offset > DA_ZIP_MAX_FILE_BYTES - (long long)len ||
        (f->size >= 0 && offset + (long long)len > f->size))
        return -1;
    f->chunks = da_xrealloc(f->chunks, (f->nchunks + 1) * sizeof(*f->chunks));
    da_range_chunk *c = &f->chunks[f->nchunks++];
    c->offset = offset;
    c->len = len;
    c->data = da_xmalloc(len);
    memcpy(c->data, data, len);
    return 0;
}

int da_sparse_add_range(da_sparse_file *f, long long first, long long last, long long total,
                        const char *data, size_t len, const char *origin, da_error *err)
{
    if (first < 0 || last < 0 || total < 0)
        return da_error_set(err, origin, 0, 0, "206 answer without a usable Content-Range");
    if (total > DA_ZIP_MAX_FILE_BYTES)
        return da_error_set(err, origin, 0, 0,
                            "the server says the file has %lld bytes, more "
                            "than any wheel (limit %lld)",
                            total, DA_ZIP_MAX_FILE_BYTES);
    if (first > last || last >= total)
        return da_error_set(err, origin, 0, 0,
                            "Content-Range bytes %lld-%lld lies outside a file of %lld bytes",
                            first, last, total);
    if ((unsigned long long)(last - first) + 1 != (unsigned long long)len)
        return da_error_set(err, origin, 0, 0,
                            "Content-Range bytes %lld-%lld does not match the %zu bytes sent",
                            first, last, len);
    if (f->size >= 0 && f->size != total)
        return da_error_set(err, origin, 0, 0,
                            "the file changed size between two range requests (%lld, then "
                            "%lld bytes)",
                            f->size, total);
    f->size = total;
    da_sparse_add(f, first, data, len); /* cannot fail: checked above */
    return 0;
}

void da_sparse_free(da_sparse_file *f)
{
    for (size_t i = 0; i < f->nchunks; i++)
        free(f->chunks[i].data);
    free(f->chunks);
    f->chunks = NULL;
    f->nchunks = 0;
}

/* Copies [offset, offset+len) into out from the chunks; bytes no chunk covers are zero.
 * Chunks may overlap: later ones overwrite the same bytes. Chunks never reach past
 * DA_ZIP_MAX_FILE_BYTES (da_sparse_add), so the sums below cannot overflow. */
static void sparse_read(const da_sparse_file *f, long long offset, char *out, size_t len)
{
    memset(out, 0, len);
    if (offset < 0 || offset > DA_ZIP_MAX_FILE_BYTES || len > (size_t)DA_ZIP_MAX_FILE_BYTES)
        return;
    long long want_end = offset + (long long)len;
    for (size_t i = 0; i < f->nchunks; i++) {
        const da_range_chunk *c = &f->chunks[i];
        long long lo = offset > c->offset ? offset : c->offset;
        long long c_end = c->offset + (long long)c->len;
        long long hi = want_end < c_end ? want_end : c_end;
        if (lo < hi)
            memcpy(out + (lo - offset), c->data + (lo - c->offset), (size_t)(hi - lo));
    }
}

typedef struct span {
    long long lo, hi;
} span;

static int span_cmp(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

bool da_sparse_has(const da_sparse_file *f, long long offset, long long len)
{
    if (len <= 0)
        return true;
    if (offset < 0 || offset > DA_ZIP_MAX_FILE_BYTES || len > DA_ZIP_MAX_FILE_BYTES - offset)
        return false;
    long long end = offset + len;
    /* The chunks' spans within [offset, end), sorted, must leave no gap. */
    span *spans = da_xmalloc((f->nchunks ? f->nchunks : 1) * sizeof(*spans));
    size_t n = 0;
    for (size_t i = 0; i < f->nchunks; i++) {
        long long lo = f->chunks[i].offset, hi = lo + (long long)f->chunks[i].len;
        if (hi > offset && lo < end)
            spans[n++] = (span){lo, hi};
    }
    qsort(spans, n, sizeof(*spans), span_cmp);
    long long reached = offset;
    for (size_t i = 0; i < n && reached < end; i++)
        if (spans[i].lo <= reached && spans[i].hi > reached)
            reached = spans[i].hi;
    free(spans);
    return reached >= end;
}

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* The fetched chunk that ends at the file's end (the longest such), or NULL. */
static const da_range_chunk *tail_chunk(const da_sparse_file *f)
{
    const da_range_chunk *best = NULL;
    for (size_t i = 0; i < f->nchunks; i++) {
        const da_range_chunk *c = &f->chunks[i];
        if (c->offset + (long long)c->len == f->size && (!best || c->offset < best->offset))
            best = c;
    }
    return best;
}

/* The end-of-central-directory record's position in the tail: the last signature whose
 * comment fits in what follows. -1 when there is none. */
static long long find_end_record(const unsigned char *d, long long len)
{
    for (long long i = len - END_LEN; i >= 0 && len - i <= END_LEN + MAX_COMMENT; i--)
        if (le32(d + i) == SIG_END && i + END_LEN + le16(d + i + 20) <= len)
            return i;
    return -1;
}

/* The directory's size, offset and entry count from the ZIP64 end record the locator
 * before the end record points to. Returns 0, 1 when that record is not fetched, -1 with
 * err. All positions are checked before use: the locator's offset is read from the wire. */
static int read_zip64_end(const da_range_chunk *t, long long eocd, const char *origin,
                          uint64_t *size, uint64_t *off, uint64_t *entries, long long *end_records,
                          da_error *err)
{
    const unsigned char *d = (const unsigned char *)t->data;
    if (eocd < LOCATOR64_LEN)
        return t->offset > 0 ? 1
                             : da_error_set(err, origin, 0, 0,
                                            "corrupt zip: ZIP64 end record without a locator");
    const unsigned char *loc = d + eocd - LOCATOR64_LEN;
    if (le32(loc) != SIG_LOCATOR64)
        return da_error_set(err, origin, 0, 0, "corrupt zip: ZIP64 locator missing");
    long long loc_pos = t->offset + eocd - LOCATOR64_LEN;
    uint64_t z64 = le64(loc + 8);
    /* The ZIP64 end record (56 bytes at least) lies wholly before its locator. */
    if (loc_pos < END64_LEN || z64 > (uint64_t)(loc_pos - END64_LEN))
        return da_error_set(err, origin, 0, 0,
                            "corrupt zip: the ZIP64 locator points at byte %llu, past the end "
                            "records at %lld",
                            (unsigned long long)z64, loc_pos);
    if ((long long)z64 < t->offset)
        return 1;
    const unsigned char *rec = d + ((long long)z64 - t->offset);
    if (le32(rec) != SIG_END64)
        return da_error_set(err, origin, 0, 0, "corrupt zip: bad ZIP64 end record");
    *entries = le64(rec + 32);
    *size = le64(rec + 40);
    *off = le64(rec + 48);
    *end_records = (long long)z64;
    return 0;
}

int da_zip_locate_central_directory(const da_sparse_file *f, const char *origin,
                                    long long *cd_offset, long long *cd_end, da_error *err)
{
    if (f->size >= 0 && f->size < END_LEN)
        return da_error_set(err, origin, 0, 0, "not a zip file (%lld bytes)", f->size);
    const da_range_chunk *t = tail_chunk(f);
    if (!t)
        return 1;
    const unsigned char *d = (const unsigned char *)t->data;
    long long eocd = find_end_record(d, (long long)t->len);
    if (eocd < 0) {
        /* The comment can be up to 64 KiB: only a tail that long proves there is none. */
        if (t->offset == 0 || (long long)t->len >= END_LEN + MAX_COMMENT)
            return da_error_set(err, origin, 0, 0,
                                "not a zip file: no end-of-central-directory record");
        return 1;
    }
    uint64_t entries = le16(d + eocd + 10);
    uint64_t size = le32(d + eocd + 12);
    uint64_t off = le32(d + eocd + 16);
    long long end_records = t->offset + eocd;
    bool has_locator = eocd >= LOCATOR64_LEN && le32(d + eocd - LOCATOR64_LEN) == SIG_LOCATOR64;
    if (size == 0xFFFFFFFFu || off == 0xFFFFFFFFu || (entries == 0xFFFFu && has_locator)) {
        int rc = read_zip64_end(t, eocd, origin, &size, &off, &entries, &end_records, err);
        if (rc != 0)
            return rc;
    }
    if (off > (uint64_t)end_records || size > (uint64_t)end_records - off)
        return da_error_set(err, origin, 0, 0,
                            "corrupt zip: central directory (offset %llu, %llu bytes) "
                            "outside the file",
                            (unsigned long long)off, (unsigned long long)size);
    if (size > (uint64_t)DA_ZIP_MAX_DIRECTORY_BYTES)
        return da_error_set(err, origin, 0, 0,
                            "central directory of %llu bytes, more than the %lld MiB limit",
                            (unsigned long long)size, DA_ZIP_MAX_DIRECTORY_BYTES >> 20);
    if (entries > size / CENTRAL_LEN)
        return da_error_set(err, origin, 0, 0,
                            "corrupt zip: %llu entries cannot fit in a central directory of "
                            "%llu bytes",
                            (unsigned long long)entries, (unsigned long long)size);
    *cd_offset = (long long)off;
    *cd_end = (long long)(off + size);
    return 0;
}

/* ---- libzip over the sparse file ----------------------------------------------------- */

typedef struct sparse_source {
    da_sparse_file *file;
    long long pos;
    zip_error_t error;
} sparse_source;

static zip_int64_t sparse_callback(void *userdata, void *data, zip_uint64_t len,
                                   zip_source_cmd_t cmd)
{
    sparse_source *s = userdata;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        s->pos = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        long long left = s->file->size - s->pos;
        if (left <= 0)
            return 0;
        if (len > (zip_uint64_t)left)
            len = (zip_uint64_t)left;
        sparse_read(s->file, s->pos, data, (size_t)len);
        s->pos += (long long)len;
        return (zip_int64_t)len;
    }
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = data;
        zip_stat_init(st);
        st->size = (zip_uint64_t)s->file->size;
        st->valid |= ZIP_STAT_SIZE;
        return sizeof(*st);
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&s->error, data, len);
    case ZIP_SOURCE_FREE:
        zip_error_fini(&s->error);
        free(s);
        return 0;
    case ZIP_SOURCE_SEEK: {
        zip_int64_t np = zip_source_seek_compute_offset(
            (zip_uint64_t)s->pos, (zip_uint64_t)s->file->size, data, len, &s->error);
        if (np < 0)
            return -1;
        s->pos = np;
        return 0;
    }
    case ZIP_SOURCE_TELL:
        return s->pos;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(
            ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR,
            ZIP_SOURCE_FREE, ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL, ZIP_SOURCE_SUPPORTS, -1);
    default:
        zip_error_set(&s->error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

static zip_t *open_sparse(da_sparse_file *f, const char *origin, da_error *err)
{
    if (f->size < 0) {
        da_error_set(err, origin, 0, 0, "zip size unknown");
        return NULL;
    }
    sparse_source *s = da_xcalloc(1, sizeof(*s));
    s->file = f;
    zip_error_init(&s->error);
    zip_error_t zerr;
    zip_error_init(&zerr);
    zip_source_t *src = zip_source_function_create(sparse_callback, s, &zerr);
    if (!src) {
        zip_error_fini(&s->error);
        free(s);
        da_error_set(err, origin, 0, 0, "libzip: %s", zip_error_strerror(&zerr));
        zip_error_fini(&zerr);
        return NULL;
    }
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &zerr);
    if (!z) {
        da_error_set(err, origin, 0, 0, "cannot read the zip's central directory: %s",
                     zip_error_strerror(&zerr));
        zip_source_free(src);
    }
    zip_error_fini(&zerr);
    return z;
}

int da_zip_list_names(da_sparse_file *f, const char *origin, da_strlist *names, da_error *err)
{
    zip_t *z = open_sparse(f, origin, err);
    if (!z)
        return -1;
    zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
        if (name)
            da_strlist_push(names, name);
    }
    zip_discard(z);
    return 0;
}

/* The local header offset of the central directory entry at e (fixed part plus
 * name_len + extra_len bytes, all inside the directory): the 32-bit field, or the ZIP64
 * extra field's value when that says 0xFFFFFFFF. */
static uint64_t local_offset(const unsigned char *e, size_t name_len, size_t extra_len)
{
    uint64_t local = le32(e + 42);
    if (local != 0xFFFFFFFFu)
        return local;
    /* ZIP64 extra field 0x0001: the sizes that overflowed come first, then the offset. */
    size_t skip = 8 * (size_t)((le32(e + 24) == 0xFFFFFFFFu) + (le32(e + 20) == 0xFFFFFFFFu));
    const unsigned char *x = e + CENTRAL_LEN + name_len;
    size_t p = 0;
    while (p + 4 <= extra_len) {
        size_t id = le16(x + p), sz = le16(x + p + 2);
        if (sz > extra_len - p - 4)
            break;
        if (id == 1 && skip + 8 <= sz)
            return le64(x + p + 4 + skip);
        p += 4 + sz;
    }
    return local;
}

/* Local header offsets of every member, from our own walk of the central directory (libzip
 * does not expose them), to bound one member's extent by the next one's start. */
int da_zip_member_extent(const da_sparse_file *f, const char *origin, const char *name,
                         long long *first, long long *end, da_error *err)
{
    long long cd_off = 0, cd_end = 0;
    int rc = da_zip_locate_central_directory(f, origin, &cd_off, &cd_end, err);
    if (rc != 0)
        return rc < 0 ? -1 : da_error_set(err, origin, 0, 0, "zip end record not fetched");
    size_t cd_len = (size_t)(cd_end - cd_off); /* at most DA_ZIP_MAX_DIRECTORY_BYTES */
    if (!da_sparse_has(f, cd_off, (long long)cd_len))
        return da_error_set(err, origin, 0, 0, "central directory not fetched");
    unsigned char *cd = da_xmalloc(cd_len + 1);
    sparse_read(f, cd_off, (char *)cd, cd_len);
    uint64_t target = UINT64_MAX;
    uint64_t next = (uint64_t)cd_off; /* the smallest local offset above target, or the CD */
    size_t nlen = strlen(name);
    /* Two passes: find the target's offset, then the next larger offset. */
    for (int pass = 0; pass < 2; pass++) {
        size_t p = 0;
        while (cd_len - p >= CENTRAL_LEN) {
            const unsigned char *e = cd + p;
            if (le32(e) != SIG_CENTRAL)
                break;
            size_t fnl = le16(e + 28), exl = le16(e + 30), cml = le16(e + 32);
            if (fnl + exl + cml > cd_len - p - CENTRAL_LEN)
                break;
            uint64_t local = local_offset(e, fnl, exl);
            if (pass == 0 && target == UINT64_MAX && fnl == nlen &&
                memcmp(e + CENTRAL_LEN, name, nlen) == 0)
                target = local;
            if (pass == 1 && local > target && local < next)
                next = local;
            p += CENTRAL_LEN + fnl + exl + cml;
        }
        if (pass == 0 && target == UINT64_MAX) {
            free(cd);
            return 1;
        }
    }
    free(cd);
    if (target >= (uint64_t)cd_off)
        return da_error_set(err, origin, 0, 0,
                            "corrupt zip: member %s starts at byte %llu, not before the central "
                            "directory at %lld",
                            name, (unsigned long long)target, cd_off);
    if (next - target > (uint64_t)DA_ZIP_MAX_MEMBER_BYTES)
        return da_error_set(err, origin, 0, 0,
                            "member %s spans %llu bytes, more than the %lld MiB limit", name,
                            (unsigned long long)(next - target), DA_ZIP_MAX_MEMBER_BYTES >> 20);
    *first = (long long)target;
    *end = (long long)next;
    return 0;
}

int da_zip_read_member(da_sparse_file *f, const char *origin, const char *name, char **data,
                       size_t *len, da_error *err)
{
    *data = NULL;
    *len = 0;
    zip_t *z = open_sparse(f, origin, err);
    if (!z)
        return -1;
    zip_stat_t st;
    if (zip_stat(z, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
        zip_discard(z);
        return da_error_set(err, origin, 0, 0, "no member %s", name);
    }
    if (st.size > (zip_uint64_t)DA_ZIP_MAX_MEMBER_BYTES) {
        zip_discard(z);
        return da_error_set(err, origin, 0, 0, "member %s is too large (%llu bytes)", name,
                            (unsigned long long)st.size);
    }
    zip_file_t *zf = zip_fopen(z, name, 0);
    if (!zf) {
        da_error_set(err, origin, 0, 0, "cannot open member %s: %s", name, zip_strerror(z));
        zip_discard(z);
        return -1;
    }
    char *buf = da_xmalloc((size_t)st.size + 1);
    zip_int64_t got = zip_fread(zf, buf, st.size);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        da_error_set(err, origin, 0, 0, "cannot read member %s: %s", name, zip_file_strerror(zf));
        zip_fclose(zf);
        zip_discard(z);
        free(buf);
        return -1;
    }
    buf[got] = '\0';
    zip_fclose(zf);
    zip_discard(z);
    *data = buf;
    *len = (size_t)got;
    return 0;
}
