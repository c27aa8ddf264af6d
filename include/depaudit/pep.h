/* Packaging standards: PEP 503 names, PEP 440 versions and specifiers, PEP 508
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

/* ---- wheel and dist-info directory names ---------------------------------------------- */
/* The binary distribution format and recording installed projects specs: how a name and a
 * version are written into a wheel file name or a `.dist-info` directory name, and how an
 * installed directory's name is read back the way importlib.metadata and pkg_resources
 * do. In dist_dir_name.c. */

/* PEP 503 equality of two distribution names ("Foo.Bar" and "foo-bar" are equal). */
bool da_name_equal(const char *a, const char *b);
/* A name as a wheel or .dist-info writes it: every run of '-', '_' and '.' becomes one
 * '_', lower case ("Foo.Bar-baz" -> "foo_bar_baz"). Never NULL. */
char *da_name_escape(const char *name);
/* A version as those names write it: the PEP 440 normal form when it is a valid version
 * (normal forms hold no '-': "1.0-1" -> "1.0.post1"); a legacy version as setuptools
 * wrote it: ' ' to '.', then every run of characters other than ASCII letters, digits and
 * '.' to one '_' ("2.0-beta 1" -> "2.0_beta.1"). Never NULL. */
char *da_version_escape(const char *version);
/* "<escaped name>-<escaped version>.dist-info". Never NULL. */
char *da_dist_info_dir_name(const char *name, const char *version);

/* One installed directory name taken apart: "python_apt-2.6.0.egg-info",
 * "foo-1.0-py3.11-linux-x86_64.egg-info", "PyYAML-6.0.dist-info". */
typedef struct da_dist_dir_name {
    char *name;     /* as written, e.g. "python_apt", "lazr.uri": compare with da_name_equal */
    char *version;  /* as written; NULL when there is none ("cryptography.egg-info") */
    char *python;   /* egg-info only: "3.11" from a "-py3.11" part, else NULL */
    char *platform; /* egg-info only: everything after the Python part, else NULL */
    bool egg_info;  /* ".egg-info" (else ".dist-info") */
} da_dist_dir_name;

/* Parses one directory entry name. The suffix is matched case-insensitively (as
 * importlib.metadata does). The name is everything before the first '-'. For .dist-info
 * the version is all that follows it; for .egg-info it ends at the next '-', which may
 * start "-py<python>" and then "-<platform>" (pkg_resources' egg name layout). Neither
 * name nor version is validated (the version is the caller's to parse). Returns 0, or -1
 * with err (file = the entry name, line 1, col where known) for: no such suffix, a '/',
 * an empty name, an empty part after a '-', and in an egg-info name a third part not of
 * the form "py<python>". After a failure out holds nothing to free. */
int da_dist_dir_name_parse(const char *dirname, da_dist_dir_name *out, da_error *err);
void da_dist_dir_name_free(da_dist_dir_name *d); /* frees the members, not d */

/* Whether an installed directory entry belongs to the distribution `name`, as
 * importlib.metadata finds it: the entry ends in .dist-info or .egg-info (any case) and the
 * part before the first '-' is PEP 503 equal to name. Looser than the parser: an entry
 * it rejects for its version part can still match. */
bool da_dist_dir_matches(const char *dirname, const char *name);

/* Whether the version part of a directory name stands for `version` (e.g. metadata's
 * Version field). A valid PEP 440 version: the directory's reads as an equal version once
 * each '_' is taken back to the '-' it escaped ("1.0_1" and "1.0.post1" stand for "1.0-1").
 * A legacy version: the directory's is its escaped form, or escapes to the same, ignoring
 * ASCII case. */
bool da_dist_dir_version_equal(const char *dir_version, const char *version);

#endif
