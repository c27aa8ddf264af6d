/* The inside of a parsed version, shared by the specifier code in this directory. */
#ifndef DEPAUDIT_PEP_VERSION_IMPL_H
#define DEPAUDIT_PEP_VERSION_IMPL_H

#include "depaudit/pep.h"

#include <stdint.h>

/* A non-negative integer of any size, as ASCII digits without leading zeros stored in
 * the version's pool (len 0 means zero). Python's int has no limit, so neither has this. */
typedef struct pep_num {
    uint32_t off, len;
} pep_num;

/* One dot-separated part of a local version: a number, or a lower-cased string. */
typedef struct pep_local_part {
    bool numeric;
    pep_num text; /* digits (numeric) or the lower-cased bytes */
} pep_local_part;

struct da_version {
    char *pool; /* every string below points into it by offset */
    uint32_t pool_len;
    pep_num epoch;
    uint32_t nrel, nrel_key; /* release count, and without trailing zeros (for ordering) */
    pep_num *rel;
    bool has_pre, has_post, has_dev;
    pep_num pre_letter, pre_n; /* letter: "a", "b", "rc" (or an odd lower-cased spelling) */
    pep_num post_letter, post_n;
    pep_num dev_n;
    uint32_t nlocal; /* 0 = no local segment */
    pep_local_part *local;
};

/* Compare a and b as if a had no local segment (packaging's Version(a.public)). */
int pep_version_compare_public(const da_version *a, const da_version *b);
/* Epoch and release equal (packaging's Version(a.base_version) == Version(b.base_version)). */
bool pep_version_base_equal(const da_version *a, const da_version *b);
/* Appends str(v); with_local false gives v.public. strip_zeros gives canonicalize_version's
 * release (trailing ".0" removed). */
void pep_version_append(da_buf *out, const da_version *v, bool with_local, bool strip_zeros);
/* Parses s[0..n) (need not be NUL-terminated). */
da_version *pep_version_parse_n(const char *s, size_t n, da_error *err);

#endif
