/* Opening a snapshot: check the header and section table, inflate the sections and check
 * every offset and index in them, so that lookups afterwards never need to. A damaged
 * file is rejected at open with a message naming the file and the first problem. */
#include "snapshot_format.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static const char *section_name(int id)
{
    static const char *const names[SNAP_SEC_COUNT] = {
        "?", "strings", "projects", "releases", "lists", "modules", "provenance", "names",
    };
    return id > 0 && id < SNAP_SEC_COUNT ? names[id] : "?";
}

static int read_header(da_snapshot *s, da_error *err)
{
    const unsigned char *f = s->file;
    if (s->file_len < SNAP_MAGIC_LEN + 8 || memcmp(f, SNAP_MAGIC, SNAP_MAGIC_LEN) != 0)
        return da_error_set(err, s->label, 0, 0,
                            "not a depaudit snapshot (bad magic or shorter than a header)");
    uint32_t version = rd32(f + 8), nsec = rd32(f + 12);
    if (version != SNAP_FORMAT_VERSION)
        return da_error_set(err, s->label, 0, 0,
                            "snapshot format version %u, this depaudit reads version %u "
                            "(regenerate with corpus/index/generate)",
                            version, SNAP_FORMAT_VERSION);
    if (nsec == 0 || nsec > SNAP_MAX_SECTIONS)
        return da_error_set(err, s->label, 0, 0, "corrupt snapshot: %u sections", nsec);
    size_t table_end = 16 + (size_t)nsec * 24;
    if (table_end > s->file_len)
        return da_error_set(err, s->label, 0, 0,
                            "truncated snapshot: section table needs %zu bytes, file has %zu",
                            table_end, s->file_len);
    for (uint32_t i = 0; i < nsec; i++) {
        const unsigned char *e = f + 16 + (size_t)i * 24;
        uint32_t id = rd32(e);
        if (id == 0 || id >= SNAP_SEC_COUNT || s->sec[id].present)
            return da_error_set(err, s->label, 0, 0,
                                "corrupt snapshot: section table entry %u has id %u", i, id);
        snap_section_data *d = &s->sec[id];
        d->flags = rd32(e + 4);
        d->offset = rd32(e + 8);
        d->stored_len = rd32(e + 12);
        d->raw_len = rd32(e + 16);
        d->crc = rd32(e + 20);
        d->present = true;
        if (d->flags & ~SNAP_FLAG_ZLIB)
            return da_error_set(err, s->label, 0, 0, "corrupt snapshot: %s section flags %#x",
                                section_name((int)id), d->flags);
        if ((size_t)d->offset + d->stored_len > s->file_len || d->offset < table_end)
            return da_error_set(err, s->label, 0, 0,
                                "truncated snapshot: %s section ends at byte %zu, file has %zu",
                                section_name((int)id), (size_t)d->offset + d->stored_len,
                                s->file_len);
        if (d->raw_len > SNAP_MAX_RAW_SECTION ||
            (!(d->flags & SNAP_FLAG_ZLIB) && d->raw_len != d->stored_len))
            return da_error_set(err, s->label, 0, 0, "corrupt snapshot: %s section length %u",
                                section_name((int)id), d->raw_len);
    }
    for (int id = 1; id < SNAP_SEC_COUNT; id++)
        if (!s->sec[id].present)
            return da_error_set(err, s->label, 0, 0, "corrupt snapshot: no %s section",
                                section_name(id));
    return 0;
}

/* The fuzz target skips checksums (libFuzzer's convention) so that mutations reach the
 * structure checks behind them instead of all stopping at the CRC. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define CRC_MATCHES(crc, data, len) ((void)(crc), (void)(data), (void)(len), true)
#else
#define CRC_MATCHES(crc, data, len) (crc32(0L, (data), (len)) == (crc))
#endif

/* The raw bytes of a section: in place when stored uncompressed and aligned, else in a
 * new buffer (*owned) with a spare NUL after them. The checksum is verified either way. */
static const unsigned char *section_bytes(const da_snapshot *s, int id, unsigned char **owned,
                                          da_error *err)
{
    const snap_section_data *d = &s->sec[id];
    const unsigned char *stored = s->file + d->offset;
    *owned = NULL;
    const unsigned char *raw = stored;
    if (d->flags & SNAP_FLAG_ZLIB) {
        *owned = da_xmalloc((size_t)d->raw_len + 1);
        (*owned)[d->raw_len] = 0;
        uLongf out_len = d->raw_len;
        int rc = uncompress(*owned, &out_len, stored, d->stored_len);
        if (rc != Z_OK || out_len != d->raw_len) {
            free(*owned);
            *owned = NULL;
            da_error_set(err, s->label, 0, 0, "corrupt snapshot: %s section does not inflate (%s)",
                         section_name(id),
                         rc == Z_OK          ? "wrong length"
                         : rc == Z_BUF_ERROR ? "truncated data"
                                             : "bad data");
            return NULL;
        }
        raw = *owned;
    } else if (((uintptr_t)stored & 7u) != 0) {
        *owned = da_xmalloc((size_t)d->raw_len + 1);
        memcpy(*owned, stored, d->raw_len);
        (*owned)[d->raw_len] = 0;
        raw = *owned;
    }
    if (!CRC_MATCHES(d->crc, raw, d->raw_len)) {
        free(*owned);
        *owned = NULL;
        da_error_set(err, s->label, 0, 0, "corrupt snapshot: %s section checksum mismatch",
                     section_name(id));
        return NULL;
    }
    return raw;
}

/* A table section: u32 count then count records of rec_size bytes, exactly. */
static const unsigned char *table(da_snapshot *s, int id, unsigned char **owned, size_t rec_size,
                                  size_t *count, da_error *err)
{
    const unsigned char *raw = section_bytes(s, id, owned, err);
    if (!raw)
        return NULL;
    size_t len = s->sec[id].raw_len;
    if (*owned)
        s->bytes_memory += len + 1;
    if (len < 4) {
        da_error_set(err, s->label, 0, 0, "corrupt snapshot: %s section too short",
                     section_name(id));
        return NULL;
    }
    *count = rd32(raw);
    if ((len - 4) / rec_size != *count || (len - 4) % rec_size != 0) {
        da_error_set(err, s->label, 0, 0,
                     "corrupt snapshot: %s section holds %zu bytes for %zu records",
                     section_name(id), len - 4, *count);
        return NULL;
    }
    return raw + 4;
}

static bool str_ok(const da_snapshot *s, uint32_t off)
{
    return off < s->strings_len;
}

static bool list_ok(const da_snapshot *s, snap_list_ref l)
{
    return (uint64_t)l.first + l.count <= s->nlists;
}

static int check_tables(da_snapshot *s, da_error *err)
{
    for (size_t i = 0; i < s->nlists; i++)
        if (!str_ok(s, s->lists[i]))
            return da_error_set(err, s->label, 0, 0, "corrupt snapshot: list entry %zu", i);
    for (size_t i = 0; i < s->nprojects; i++) {
        const snap_project *p = &s->projects[i];
        if (!str_ok(s, p->name) || !str_ok(s, p->latest) ||
            (uint64_t)p->first_release + p->nreleases > s->nreleases ||
            (p->flags & ~SNAP_PROJ_KNOWN_FLAGS) != 0)
            return da_error_set(err, s->label, 0, 0, "corrupt snapshot: project record %zu", i);
    }
    for (size_t i = 0; i < s->nreleases; i++) {
        const snap_release *r = &s->releases[i];
        if (r->project >= s->nprojects || !str_ok(s, r->version) || !str_ok(s, r->origin) ||
            !str_ok(s, r->requires_python) || !list_ok(s, r->requires) || !list_ok(s, r->extras) ||
            !list_ok(s, r->modules) || !list_ok(s, r->namespaces) || !list_ok(s, r->import_names))
            return da_error_set(err, s->label, 0, 0, "corrupt snapshot: release record %zu", i);
    }
    for (size_t i = 0; i < s->nmodules; i++) {
        const snap_module *m = &s->modules[i];
        if (!str_ok(s, m->module) || m->release >= s->nreleases || m->kind > 1)
            return da_error_set(err, s->label, 0, 0, "corrupt snapshot: module record %zu", i);
    }
    return 0;
}

static int load_sections(da_snapshot *s, da_error *err)
{
    if (read_header(s, err) < 0)
        return -1;
    const unsigned char *str = section_bytes(s, SNAP_SEC_STRINGS, &s->strings_buf, err);
    if (!str)
        return -1;
    s->strings = (const char *)str;
    s->strings_len = s->sec[SNAP_SEC_STRINGS].raw_len;
    if (s->strings_buf)
        s->bytes_memory += s->strings_len + 1;
    /* Every offset below strings_len then reads a terminated string. */
    if (s->strings_len == 0 || s->strings[s->strings_len - 1] != '\0')
        return da_error_set(err, s->label, 0, 0,
                            "corrupt snapshot: strings section is not NUL-terminated");
    /* Sections start 8-aligned in a malloc'd or .balign'ed buffer (or were copied), so
     * the records after the 4-byte count are aligned for their u32 fields. */
    const unsigned char *p, *r, *l, *m;
    if (!(p = table(s, SNAP_SEC_PROJECTS, &s->projects_buf, sizeof(snap_project), &s->nprojects,
                    err)) ||
        !(r = table(s, SNAP_SEC_RELEASES, &s->releases_buf, sizeof(snap_release), &s->nreleases,
                    err)) ||
        !(l = table(s, SNAP_SEC_LISTS, &s->lists_buf, sizeof(uint32_t), &s->nlists, err)) ||
        !(m = table(s, SNAP_SEC_MODULES, &s->modules_buf, sizeof(snap_module), &s->nmodules, err)))
        return -1;
    s->projects = (const snap_project *)(const void *)p;
    s->releases = (const snap_release *)(const void *)r;
    s->lists = (const uint32_t *)(const void *)l;
    s->modules = (const snap_module *)(const void *)m;
    unsigned char *owned = NULL;
    const unsigned char *prov = section_bytes(s, SNAP_SEC_PROVENANCE, &owned, err);
    if (!prov)
        return -1;
    size_t prov_len = s->sec[SNAP_SEC_PROVENANCE].raw_len;
    s->provenance = da_xstrndup((const char *)prov, prov_len);
    free(owned);
    s->bytes_memory += prov_len + 1;
    return check_tables(s, err);
}

da_snapshot *snap_open_bytes(const unsigned char *data, size_t len, bool owned, const char *label,
                             da_error *err)
{
    da_snapshot *s = da_xcalloc(1, sizeof(*s));
    s->label = da_xstrdup(label);
    s->file = data;
    s->file_len = len;
    s->file_owned = owned;
    if (load_sections(s, err) < 0) {
        da_snapshot_close(s);
        return NULL;
    }
    return s;
}

da_snapshot *da_snapshot_open_file(const char *path, da_error *err)
{
    char *data;
    size_t len;
    if (da_read_file(path, &data, &len, err) < 0)
        return NULL;
    return snap_open_bytes((const unsigned char *)data, len, true, path, err);
}

da_snapshot *da_snapshot_open_memory(const void *data, size_t len, const char *label, da_error *err)
{
    unsigned char *copy = da_xmalloc(len ? len : 1);
    if (len)
        memcpy(copy, data, len);
    return snap_open_bytes(copy, len, true, label ? label : "snapshot in memory", err);
}

bool snap_names_ready(da_snapshot *s)
{
    if (s->names_tried)
        return s->names_ok;
    s->names_tried = true;
    /* A damaged names list only loses the answers for unranked names; the ranked ones
     * are in the projects table, which was checked at open. */
    const unsigned char *n = section_bytes(s, SNAP_SEC_ALLNAMES, &s->names_sec_buf, NULL);
    size_t len = s->sec[SNAP_SEC_ALLNAMES].raw_len;
    if (!n || len < 12)
        return false;
    size_t nblocks = rd32(n), first_len = rd32(n + 8);
    size_t dir_end = 12 + nblocks * sizeof(snap_name_block);
    if (nblocks > len / sizeof(snap_name_block) || dir_end + first_len > len ||
        (first_len > 0 && n[dir_end + first_len - 1] != '\0') || (nblocks > 0 && first_len == 0))
        return false;
    const snap_name_block *b = (const snap_name_block *)(const void *)(n + 12);
    for (size_t i = 0; i < nblocks; i++)
        if (b[i].first_name >= first_len || (uint64_t)b[i].data_offset + b[i].stored_len > len ||
            b[i].raw_len > SNAP_MAX_RAW_SECTION)
            return false;
    s->names_sec = n;
    s->names_len = len;
    s->name_blocks = b;
    s->nname_blocks = nblocks;
    s->nallnames = rd32(n + 4);
    s->first_names = (const char *)n + dir_end;
    s->first_names_len = first_len;
    s->block_text = da_xcalloc(nblocks ? nblocks : 1, sizeof(char *));
    s->names_ok = true;
    return true;
}

const char *snap_names_block(da_snapshot *s, size_t i)
{
    if (s->block_text[i])
        return s->block_text[i];
    const snap_name_block *b = &s->name_blocks[i];
    char *raw = da_xmalloc((size_t)b->raw_len + 1);
    uLongf out_len = b->raw_len;
    if (uncompress((unsigned char *)raw, &out_len, s->names_sec + b->data_offset, b->stored_len) !=
            Z_OK ||
        out_len != b->raw_len || !CRC_MATCHES(b->crc, (unsigned char *)raw, b->raw_len)) {
        free(raw);
        return NULL;
    }
    raw[b->raw_len] = '\0'; /* the last name is terminated even if the block is not */
    s->block_text[i] = raw;
    s->bytes_memory += (size_t)b->raw_len + 1;
    return raw;
}

void da_snapshot_close(da_snapshot *s)
{
    if (!s)
        return;
    if (s->file_owned)
        free((void *)s->file);
    free(s->label);
    free(s->strings_buf);
    free(s->projects_buf);
    free(s->releases_buf);
    free(s->lists_buf);
    free(s->modules_buf);
    free(s->provenance);
    free(s->names_sec_buf);
    for (size_t i = 0; s->block_text && i < s->nname_blocks; i++)
        free(s->block_text[i]);
    free(s->block_text);
    free(s);
}

const char *snap_str(const da_snapshot *s, uint32_t off)
{
    return off < s->strings_len ? s->strings + off : "";
}

const char *da_snapshot_provenance(const da_snapshot *s)
{
    return s->provenance;
}

void da_snapshot_get_stats(const da_snapshot *s, da_snapshot_stats *st)
{
    memset(st, 0, sizeof(*st));
    for (size_t i = 0; i < s->nprojects; i++) {
        st->dists += s->projects[i].nreleases > 0;
        st->ranked_names += s->projects[i].rank > 0;
    }
    st->releases = s->nreleases;
    st->module_entries = s->nmodules;
    st->names = s->nallnames; /* 0 until the names list is first used */
    st->bytes_file = s->file_len;
    st->bytes_memory = s->bytes_memory + sizeof(*s);
}
