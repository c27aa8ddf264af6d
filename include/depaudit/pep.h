/* Packaging standards, part 1: PEP 503 names, PEP 440 versions and specifiers, PEP 508
 * markers and requirements. Pure functions over values: no I/O, no global state. The
 * behaviour is that of the `packaging` library 23.0 (Debian's), which the oracle test
 * compares against (tests/oracle/pep/), down to its quirks; the few deliberate
 * differences are listed at the functions they concern (marker printing, \N{} escapes).
 * Errors: file "" and line 1 (the text is one line), col the 1-based column in the text;
 * a caller reading a file fills in the file and line. */
#ifndef DEPAUDIT_PEP_H
#define DEPAUDIT_PEP_H

#include "depaudit/target.h" /* da_target, already exists */
#include "depaudit/util.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- names ---------------------------------------------------------------------------- */

/* PEP 503: lower case, every run of '-', '_' and '.' becomes one '-'. Never NULL. */
char *da_name_normalize(const char *name);
/* Core metadata Name rule: ASCII letters/digits, with '.', '_', '-' only between them. */
bool da_name_is_valid(const char *name);

/* ---- versions (PEP 440) --------------------------------------------------------------- */

typedef struct da_version da_version;

/* NULL + err if invalid. Leading/trailing white space is allowed, as in packaging; so are
 * any size of number (1.2.99999999999999999999 compares exactly). */
da_version *da_version_parse(const char *s, da_error *err);
int da_version_compare(const da_version *a, const da_version *b); /* <0, 0, >0 */
char *da_version_to_string(const da_version *v);                  /* normalised form */
bool da_version_is_prerelease(const da_version *v);               /* has a pre or a dev segment */
void da_version_free(da_version *v);

/* More accessors, for the resolver and the wheel code. */
da_version *da_version_copy(const da_version *v);
bool da_version_is_postrelease(const da_version *v);
bool da_version_is_devrelease(const da_version *v);
bool da_version_has_local(const da_version *v);
long long da_version_epoch(const da_version *v);
/* The release segment: count and values (e.g. 1.4.2 -> 3 and {1, 4, 2}). */
size_t da_version_release_len(const da_version *v);
long long da_version_release_at(const da_version *v, size_t i);
/* "1.4.2" for 1!1.4.2rc1+local: the release part only, no epoch. */
char *da_version_base_string(const da_version *v);

/* ---- specifiers (PEP 440) ------------------------------------------------------------- */

typedef struct da_specifier_set da_specifier_set;

da_specifier_set *da_specifier_set_parse(const char *s, da_error *err); /* "" = any */
/* prereleases: -1 = default rules (allowed if the set names one), 0 = never, 1 = always.
 * (With -1, packaging raises when a clause is "===text" and text is not a version; here
 * such a clause does not count as naming a pre-release.) */
bool da_specifier_set_contains(const da_specifier_set *s, const da_version *v, int prereleases);
char *da_specifier_set_to_string(const da_specifier_set *s);
void da_specifier_set_free(da_specifier_set *s);

/* Number of clauses (0 for the empty set = any version). */
size_t da_specifier_set_len(const da_specifier_set *s);
/* Like `contains` but for a version string: false when it is not a valid version. */
bool da_specifier_set_contains_str(const da_specifier_set *s, const char *version, int prereleases);
/* The default prerelease decision of the set: true if any clause names a pre-release. */
bool da_specifier_set_allows_prereleases(const da_specifier_set *s);

/* ---- markers (PEP 508) ---------------------------------------------------------------- */

typedef struct da_marker da_marker;

/* As packaging 23.0's Marker(): text after a complete marker is not looked at
 * ("os_name == 'a' junk" parses as os_name == 'a'); a requirement's marker is checked to
 * the end. Quoted values are Python literals (escapes are decoded) except that \N{name}
 * is rejected (no Unicode name table here), as is a value holding a NUL. */
da_marker *da_marker_parse(const char *s, da_error *err);

/* the marker values for a target: python_version "3.11", python_full_version,
   os_name "posix", sys_platform "linux", platform_system "Linux", platform_machine,
   platform_python_implementation "CPython", implementation_name "cpython", ... */
typedef struct da_marker_env {
    char python_version[16], python_full_version[32], os_name[16], sys_platform[16],
        platform_system[16], platform_machine[32], platform_release[64], platform_version[128],
        platform_python_implementation[16], implementation_name[16], implementation_version[32];
} da_marker_env;

/* When t->py_micro is -1 (only "X.Y" known, e.g. FROM python:3.11), python_full_version
 * and implementation_version are "X.Y.0": that is the lowest release of the series, so
 * a marker such as `python_full_version >= "3.11.4"` is judged false rather than guessed
 * true. platform_release/platform_version are "" (the image's kernel is not known). */
void da_marker_env_from_target(da_marker_env *env, const da_target *t);
/* 1 true, 0 false; extra may be NULL (then `extra == "x"` is false).
 * -1 where packaging raises: `os_name ~= "x"` (no such string comparison), a version
 * comparison whose left side is not a version (`platform_release >= "5"` with an empty
 * release), a quoted string on both sides. Treat -1 as "cannot tell", not as true. */
int da_marker_evaluate(const da_marker *m, const da_marker_env *env, const char *extra);
/* packaging's normal form (double quotes, canonical variable names, the first `extra`
 * clause normalised) with two corrections so that the text reads back with the same
 * meaning: a doubly-parenthesised group inside a larger expression keeps its parentheses,
 * and a value holding a double quote, backslash or line break is quoted or escaped. */
char *da_marker_to_string(const da_marker *m);
void da_marker_free(da_marker *m);

/* ---- requirements (PEP 508) ----------------------------------------------------------- */

typedef struct da_requirement {
    char *name;                  /* as written */
    char *normalized;            /* PEP 503 */
    da_strlist extras;           /* normalised */
    da_specifier_set *specifier; /* never NULL: empty set = any version */
    char *specifier_text;        /* as written, "" if none */
    char *url;                   /* for "name @ url", else NULL */
    da_marker *marker;           /* NULL if none */
    char *marker_text;           /* as written, NULL if none */
    da_strlist extras_written;   /* as written, sorted, no duplicates: what to_string prints */
} da_requirement;

/* err->col is the 1-based column of the problem in s */
da_requirement *da_requirement_parse(const char *s, da_error *err);
/* packaging's str(Requirement): "name[extras]spec", "name@ url ; marker", "name; marker". */
char *da_requirement_to_string(const da_requirement *r);
void da_requirement_free(da_requirement *r);

#endif
