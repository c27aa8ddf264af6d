/* Core metadata (METADATA, PKG-INFO: RFC 822 style headers, folded lines, multiple-use
 * fields, a body) and egg-info requires.txt, read into the fields the resolver and the
 * audit use. Pure: no I/O, no global state. */
#ifndef DEPAUDIT_CORE_METADATA_H
#define DEPAUDIT_CORE_METADATA_H

#include "depaudit/util.h"

#include <stdbool.h>
#include <stddef.h>

/* The newest core metadata version this parser knows. A file with a higher major version
 * is rejected; a higher minor version is read with a warning. */
#define DA_CORE_METADATA_MAX_MAJOR 2
#define DA_CORE_METADATA_MAX_MINOR 5

typedef struct da_core_metadata {
    char *metadata_version;    /* "2.1"; NULL when the field is missing */
    char *name;                /* as written; NULL when missing */
    char *version;             /* as written; NULL when missing */
    char *requires_python;     /* NULL when absent */
    char *description;         /* the body after the blank line, else the Description
                                  field with its "|"/7-space continuation prefixes removed,
                                  NULL when neither */
    da_strlist requires_dist;  /* PEP 508 strings, one per field, in file order */
    da_strlist provides_extra; /* as written */
    /* PEP 794 (metadata 2.5): Import-Name / Import-Namespace values with the optional
     * "; private" qualifier removed; empty values are not listed. */
    da_strlist import_names;
    da_strlist import_namespaces;
    bool import_names_declared; /* some Import-Name/Import-Namespace field appeared, even
                                   an empty one: then the lists are the whole truth
                                   (empty lists = "provides no importable names") */
    da_strlist warnings;        /* "ORIGIN:LINE: message" for tolerated problems */
} da_core_metadata;

/* Parses text (len bytes, need not be NUL-terminated). origin names the file in errors
 * and warnings. Returns 0, or -1 with err naming origin and the line: a line that is
 * neither "Field: value", a continuation nor the blank separator, a NUL byte, a
 * Metadata-Version that is not "N.M" or whose major exceeds DA_CORE_METADATA_MAX_MAJOR.
 * On failure out holds nothing (no need to free). */
int da_core_metadata_parse(const char *text, size_t len, const char *origin, da_core_metadata *out,
                           da_error *err);
void da_core_metadata_free(da_core_metadata *m); /* frees the members, not m */

/* egg-info requires.txt: requirement lines, then "[extra]", "[:marker]" and
 * "[extra:marker]" sections. Appends PEP 508 strings to requires_dist, with the section
 * turned into a marker: `x; extra == "e"`, `x; python_version < "3"`,
 * `x; (python_version < "3") and extra == "e"`; a line's own marker (rare) is combined
 * the same way. Comments ("#") and blank lines are skipped. Returns 0, or -1 with err
 * naming origin and the line (unterminated "[", NUL byte). */
int da_requires_txt_parse(const char *text, size_t len, const char *origin,
                          da_strlist *requires_dist, da_error *err);

#endif
