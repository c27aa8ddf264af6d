/* The on-disk layout of a snapshot file, shared by the loader and the lookups. Written by
 * corpus/index/generate (write_snapshot); documented in corpus/index/README.md.
 *
 *   "DASNAP\r\n", u32 format version, u32 section count,
 *   per section: u32 id, flags (1 = zlib), offset, stored length, raw length, CRC-32 of raw,
 *   then the section bodies, each starting 8-aligned. Integers are little-endian. Every
 *   table section starts with a u32 record count; strings are u32 offsets into the
 *   STRINGS section (0 = ""). Uncompressed sections are read in place.
 *
 *   The NAMES section: u32 block count, u32 name count, u32 first-names length; per block
 *   u32 first-name offset, data offset, stored length, raw length, CRC-32, name count;
 *   the first names; then the blocks (sorted names, NUL-terminated, zlib). */
#ifndef DEPAUDIT_SNAPSHOT_FORMAT_H
#define DEPAUDIT_SNAPSHOT_FORMAT_H

#include "depaudit/snapshot.h"

#include <stdint.h>

#define SNAP_MAGIC "DASNAP\r\n"
#define SNAP_MAGIC_LEN 8
#define SNAP_FORMAT_VERSION 2u
#define SNAP_MAX_SECTIONS 16u
/* No real section comes near this; it bounds what a corrupted length can make us allocate. */
#define SNAP_MAX_RAW_SECTION (512u * 1024u * 1024u)

enum snap_section {
    SNAP_SEC_STRINGS = 1,
    SNAP_SEC_PROJECTS = 2,
    SNAP_SEC_RELEASES = 3,
    SNAP_SEC_LISTS = 4,
    SNAP_SEC_MODULES = 5,
    SNAP_SEC_PROVENANCE = 6,
    SNAP_SEC_ALLNAMES = 7,
    SNAP_SEC_COUNT = 8, /* ids are below this */
};

#define SNAP_FLAG_ZLIB 1u

/* Release flags; bits 8..15 hold the generator's source code (snap_origin_kind). */
#define SNAP_REL_REQUIRES_KNOWN 1u
#define SNAP_REL_REQUIRES_INCOMPLETE 2u
#define SNAP_REL_MODULES_KNOWN 4u
#define SNAP_REL_MODULES_ONLY 8u /* names modules but is no installable release */

/* Project flags. Without SNAP_PROJ_VERSIONS_COMPLETE a project's releases are a sample of
 * the versions that exist (Debian suites, pyodide, curated rows), never the whole list. */
#define SNAP_PROJ_VERSIONS_COMPLETE 1u
#define SNAP_PROJ_KNOWN_FLAGS SNAP_PROJ_VERSIONS_COMPLETE

typedef struct snap_project {
    uint32_t name, rank, latest, first_release, nreleases, flags;
} snap_project;

typedef struct snap_list_ref {
    uint32_t first, count;
} snap_list_ref;

typedef struct snap_release {
    uint32_t project, version, origin, requires_python, flags;
    snap_list_ref requires, extras, modules, namespaces, import_names;
} snap_release;

typedef struct snap_module {
    uint32_t module, release, kind; /* kind 0: module, 1: namespace */
} snap_module;

typedef struct snap_name_block {
    uint32_t first_name, data_offset, stored_len, raw_len, crc, count;
} snap_name_block;

typedef struct snap_section_data {
    uint32_t flags, offset, stored_len, raw_len, crc;
    bool present;
} snap_section_data;

struct da_snapshot {
    char *label;               /* file name (or "embedded snapshot") for errors */
    const unsigned char *file; /* the whole file: embedded, or owned when file_owned */
    size_t file_len;
    bool file_owned;
    snap_section_data sec[SNAP_SEC_COUNT];

    unsigned char *strings_buf, *projects_buf, *releases_buf, *lists_buf, *modules_buf;
    char *provenance;
    const char *strings;
    size_t strings_len;
    const snap_project *projects;
    size_t nprojects;
    const snap_release *releases;
    size_t nreleases;
    const uint32_t *lists;
    size_t nlists;
    const snap_module *modules;
    size_t nmodules;
    size_t bytes_memory;

    /* The list of every index name: its directory is checked on first use and each
     * block inflated when a lookup lands in it (see snapshot.h). */
    bool names_tried, names_ok;
    const unsigned char *names_sec;
    unsigned char *names_sec_buf;
    size_t names_len;
    const snap_name_block *name_blocks;
    size_t nname_blocks, nallnames;
    const char *first_names;
    size_t first_names_len;
    char **block_text; /* inflated blocks, NULL until used */
};

/* Internal to the module. */
da_snapshot *snap_open_bytes(const unsigned char *data, size_t len, bool owned, const char *label,
                             da_error *err);
const char *snap_str(const da_snapshot *s, uint32_t off);
const snap_project *snap_find_project(const da_snapshot *s, const char *normalized);
bool snap_names_ready(da_snapshot *s);
const char *snap_names_block(da_snapshot *s, size_t block);
da_release *snap_release_to_dist(const da_snapshot *s, const snap_release *r);

#endif
