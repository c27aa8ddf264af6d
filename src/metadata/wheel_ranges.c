#include "metadata/wheel_ranges.h"

#include <zip.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Members larger than this are not read into memory (METADATA is a few KiB). */
#define MAX_MEMBER_BYTES (64LL * 1024 * 1024)

void da_sparse_add(da_sparse_file *f, long long offset, const char *data, size_t len)
{
    if (len == 0)
        return;
    f->chunks = da_xrealloc(f->chunks, (f->nchunks + 1) * sizeof(*f->chunks));
    da_range_chunk *c = &f->chunks[f->nchunks++];
    c->offset = offset;
    c->len = len;
    c->data = da_xmalloc(len);
    memcpy(c->data, data, len);
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
 * Returns how many bytes were covered. */
static long long sparse_read(const da_sparse_file *f, long long offset, char *out, size_t len)
{
    memset(out, 0, len);
    long long covered = 0;
    /* Walk byte spans; chunks may overlap, later ones simply overwrite the same bytes. */
    char *seen = da_xcalloc(len ? len : 1, 1);
    for (size_t i = 0; i < f->nchunks; i++) {
        const da_range_chunk *c = &f->chunks[i];
        long long lo = offset > c->offset ? offset : c->offset;
        long long hi_a = offset + (long long)len;
        long long hi_b = c->offset + (long long)c->len;
        long long hi = hi_a < hi_b ? hi_a : hi_b;
        if (lo >= hi)
            continue;
        memcpy(out + (lo - offset), c->data + (lo - c->offset), (size_t)(hi - lo));
        memset(seen + (lo - offset), 1, (size_t)(hi - lo));
    }
    for (size_t i = 0; i < len; i++)
        covered += seen[i];
    free(seen);
    return covered;
}

bool da_sparse_has(const da_sparse_file *f, long long offset, long long len)
{
    if (len <= 0)
        return true;
    if (len > MAX_MEMBER_BYTES)
        return false;
    char *tmp = da_xmalloc((size_t)len);
    long long covered = sparse_read(f, offset, tmp, (size_t)len);
    free(tmp);
    return covered == len;
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

/* The fetched chunk that ends at the file's end (the tail), or NULL. */
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

int da_zip_locate_central_directory(const da_sparse_file *f, const char *origin,
                                    long long *cd_offset, long long *cd_end, da_error *err)
{
    const da_range_chunk *t = tail_chunk(f);
    if (!t || f->size < 22)
        return f->size >= 0 && f->size < 22
                   ? da_error_set(err, origin, 0, 0, "not a zip file (%lld bytes)", f->size)
                   : 1;
    const unsigned char *d = (const unsigned char *)t->data;
    long long eocd = -1;
    for (long long i = (long long)t->len - 22; i >= 0; i--) {
        if (le32(d + i) == 0x06054b50 && i + 22 + le16(d + i + 20) <= (long long)t->len) {
            eocd = i;
            break;
        }
        if ((long long)t->len - i > 22 + 65535)
            break;
    }
    if (eocd < 0) {
        /* The comment can be up to 64 KiB: only a tail that long proves there is none. */
        if (t->offset == 0 || (long long)t->len >= 22 + 65535)
            return da_error_set(err, origin, 0, 0,
                                "not a zip file: no end-of-central-directory record");
        return 1;
    }
    uint64_t size = le32(d + eocd + 12);
    uint64_t off = le32(d + eocd + 16);
    long long end_records = t->offset + eocd;
    if (size == 0xFFFFFFFFu || off == 0xFFFFFFFFu) {
        /* ZIP64: a locator (20 bytes) precedes the end record and points at the ZIP64 end
         * record, which holds the real size and offset. */
        if (eocd < 20)
            return 1;
        const unsigned char *loc = d + eocd - 20;
        if (le32(loc) != 0x07064b50)
            return da_error_set(err, origin, 0, 0, "corrupt zip: ZIP64 locator missing");
        long long z64 = (long long)le64(loc + 8);
        if (z64 < t->offset)
            return 1;
        if (z64 + 56 > t->offset + (long long)t->len || le32(d + (z64 - t->offset)) != 0x06064b50)
            return da_error_set(err, origin, 0, 0, "corrupt zip: bad ZIP64 end record");
        size = le64(d + (z64 - t->offset) + 40);
        off = le64(d + (z64 - t->offset) + 48);
        end_records = z64;
    }
    if (off > (uint64_t)end_records || off + size > (uint64_t)end_records)
        return da_error_set(err, origin, 0, 0,
                            "corrupt zip: central directory (offset %llu, %llu bytes) "
                            "outside the file",
                            (unsigned long long)off, (unsigned long long)size);
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
        if ((long long)len > left)
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

/* Local header offsets of every member, from our own walk of the central directory (libzip
 * does not expose them), to bound one member's extent by the next one's start. */
int da_zip_member_extent(const da_sparse_file *f, const char *origin, const char *name,
                         long long *first, long long *end, da_error *err)
{
    long long cd_off = 0, cd_end = 0;
    int rc = da_zip_locate_central_directory(f, origin, &cd_off, &cd_end, err);
    if (rc != 0)
        return rc < 0 ? -1 : da_error_set(err, origin, 0, 0, "zip end record not fetched");
    long long cd_len = cd_end - cd_off;
    if (cd_len > MAX_MEMBER_BYTES || !da_sparse_has(f, cd_off, cd_len))
        return da_error_set(err, origin, 0, 0, "central directory not fetched");
    unsigned char *cd = da_xmalloc((size_t)cd_len + 1);
    sparse_read(f, cd_off, (char *)cd, (size_t)cd_len);
    long long target = -1;
    long long next = cd_off; /* the smallest local offset above target, or the CD start */
    size_t nlen = strlen(name);
    /* Two passes: find the target's offset, then the next larger offset. */
    for (int pass = 0; pass < 2; pass++) {
        long long p = 0;
        while (p + 46 <= cd_len) {
            const unsigned char *e = cd + p;
            if (le32(e) != 0x02014b50)
                break;
            uint16_t fnl = le16(e + 28), exl = le16(e + 30), cml = le16(e + 32);
            if (p + 46 + fnl + exl + cml > cd_len)
                break;
            uint64_t local = le32(e + 42);
            if (local == 0xFFFFFFFFu) {
                /* ZIP64 extra field 0x0001: sizes first when they overflowed, then offset. */
                const unsigned char *x = e + 46 + fnl, *xe = x + exl;
                while (x + 4 <= xe) {
                    uint16_t id = le16(x), sz = le16(x + 2);
                    if (x + 4 + sz > xe)
                        break;
                    if (id == 1) {
                        int skip = (le32(e + 24) == 0xFFFFFFFFu) + (le32(e + 20) == 0xFFFFFFFFu);
                        if (4 + 8 * skip + 8 <= 4 + sz)
                            local = le64(x + 4 + 8 * skip);
                    }
                    x += 4 + sz;
                }
            }
            if (pass == 0 && fnl == nlen && memcmp(e + 46, name, nlen) == 0)
                target = (long long)local;
            if (pass == 1 && (long long)local > target && (long long)local < next)
                next = (long long)local;
            p += 46 + fnl + exl + cml;
        }
        if (pass == 0 && target < 0) {
            free(cd);
            return 1;
        }
    }
    free(cd);
    if (target >= next)
        return da_error_set(err, origin, 0, 0, "corrupt zip: member %s overlaps the directory",
                            name);
    *first = target;
    *end = next;
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
    if ((long long)st.size > MAX_MEMBER_BYTES) {
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
