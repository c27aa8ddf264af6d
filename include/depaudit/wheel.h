/* Distribution file names and contents: wheel and sdist file names (binary distribution
 * format and platform compatibility tag specs), the ordered list of tags a target image's
 * Python accepts (the order pip uses), ranking and choosing among a release's files, and
 * turning a file list (RECORD, installed-files.txt, a zip's name list) into the modules a
 * distribution provides. Pure functions: no I/O, no global state. */
#ifndef DEPAUDIT_WHEEL_H
#define DEPAUDIT_WHEEL_H

#include "depaudit/dist.h"
#include "depaudit/target.h"
#include "depaudit/util.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- file names ---------------------------------------------------------------------- */

/* "name-ver(-build)?-pyX-abi-plat.whl". */
typedef struct da_wheel_name {
    char *name;      /* as written in the file name, e.g. "opentelemetry_api" */
    char *version;   /* as written, e.g. "1.21.0" */
    char *build;     /* build tag ("1", "2abc"), NULL when absent */
    da_strlist tags; /* compressed sets expanded: "py2.py3-none-any" gives
                        "py2-none-any", "py3-none-any" (in file-name order) */
} da_wheel_name;

/* Returns 0, or -1 with err (file = the file name) saying what is malformed (wrong number
 * of parts, a build tag not starting with a digit, an empty tag member, white space, a tag
 * set expanding to more than 1024 tags). As lenient as pip otherwise: the name and version
 * are not validated here (the version is the caller's to parse). */
int da_wheel_name_parse(const char *filename, da_wheel_name *out, da_error *err);
void da_wheel_name_free(da_wheel_name *w); /* frees the members, not w */

/* "name-ver.tar.gz" (also .zip, .tar.bz2, .tar.xz, .tgz, .tar, ...). The name is everything
 * before the first "-" that is followed by a digit ("python-dateutil-2.8.2.tar.gz" gives
 * "python-dateutil", "2.8.2"). Returns 0 with *name and *version owned by the caller, or
 * -1 with err. */
int da_sdist_name_parse(const char *filename, char **name, char **version, da_error *err);

/* The version in an sdist file name of a known project, the way pip splits it: the name
 * part is the first prefix ending before a '-' whose PEP 503 normal form
 * equals project's ("foo-2fa-1.0.tar.gz" for project "Foo_2fa" gives "1.0", where
 * da_sdist_name_parse would split after "foo"). Returns 0 with *version owned by the
 * caller, or -1 with err when the file is not an sdist of that project. */
int da_sdist_version_for(const char *filename, const char *project, char **version, da_error *err);

/* True when filename ends in an sdist archive extension. */
bool da_is_sdist_filename(const char *filename);

/* ---- tags ---------------------------------------------------------------------------- */

/* Every "interpreter-abi-platform" tag CPython t->py_major.py_minor on Linux accepts, best
 * first, exactly as pip (packaging.tags.sys_tags) orders them: cpXY-cpXY-<plats>,
 * cpXY-abi3-<plats>, cpXY-none-<plats>, cpXW-abi3-<plats> for W = Y-1 .. 2, then
 * pyXY/pyX/pyXW-none-<plats>, cpXY-none-any, pyXY/pyX/pyXW-none-any. <plats> is the
 * platform list of da_target_platform_tags. out is appended to. */
void da_target_supported_tags(const da_target *t, da_strlist *out);

/* The platform tags, best first: for glibc, manylinux_<maj>_<N>_<arch> from the target's
 * glibc down to 2_17 (2_5 on x86_64/i686), each legacy alias (manylinux2014 = 2_17,
 * manylinux2010 = 2_12, manylinux1 = 2_5) right after its equivalent; for musl,
 * musllinux_<maj>_<N>_<arch> from the target's musl down to N = 0; then linux_<arch>. */
void da_target_platform_tags(const da_target *t, da_strlist *out);

/* The index in da_target_supported_tags(t) of the best tag the wheel carries (lower is
 * better), or -1 when the file is not a valid wheel name or no tag is supported. */
int da_wheel_rank(const char *filename, const da_target *t);

/* The same against a precomputed supported list (avoids recomputing it per file). */
int da_wheel_rank_in(const char *filename, const da_strlist *supported);

/* The best of a release's files for t, as pip picks among the files of one version:
 * non-yanked before yanked; compatible wheels by rank (then higher build tag); an sdist
 * only when allow_sdist and after every compatible wheel. Files whose names parse as
 * neither are ignored. Requires-Python of each file is NOT checked here (the caller
 * filters with the specifier code). Returns the index into files, or -1 if none fits. */
int da_choose_release_file(const da_release_file *files, size_t nfiles, const da_target *t,
                           bool allow_sdist);

/* The same against a precomputed da_target_supported_tags list, for callers choosing
 * among many releases for one target. */
int da_choose_release_file_in(const da_release_file *files, size_t nfiles,
                              const da_strlist *supported, bool allow_sdist);

/* ---- file lists and modules ---------------------------------------------------------- */

/* A RECORD file (CSV, RFC 4180 quoting: "a,b.py" and "" for a quote inside quotes).
 * Appends the first column of every row to paths. Errors (unterminated quote, text after
 * a closing quote, NUL byte) name origin and the line. Returns 0 or -1; after a failure
 * paths may hold the rows before the bad one (the caller frees paths either way). */
int da_record_parse(const char *text, size_t len, const char *origin, da_strlist *paths,
                    da_error *err);

/* A plain list, one path per line (installed-files.txt, a zip's name list); blank lines
 * skipped, "\r\n" accepted. When relative_to is non-NULL, each path is taken relative to
 * that directory and normalised ("../foo/__init__.py" relative to "foo-1.0.egg-info"
 * gives "foo/__init__.py"); paths leaving the root ("../../bin/x") are kept as written
 * with their leading "..", which module derivation ignores. Returns 0 or -1 with err
 * (NUL byte inside the text). */
int da_file_list_parse(const char *text, size_t len, const char *origin, const char *relative_to,
                       da_strlist *paths, da_error *err);

/* From paths relative to site-packages (or to a wheel's root: "<x>.data/purelib/" and
 * "<x>.data/platlib/" are mapped to the root, other .data schemes are ignored): fills
 * r->modules with importable names at the shallowest non-namespace depth (a package with
 * __init__.py, a .py/.pyc module, an extension module "x.cpython-311-x86_64-linux-gnu.so",
 * "x.abi3.so", "x.so", "x.pyd"), r->namespaces with directories without __init__ that
 * contain modules, both sorted and without duplicates, and sets r->modules_known. Skips
 * .dist-info/.egg-info, __pycache__, paths leaving the root, and names that are not
 * Python identifiers. Existing entries of r->modules/namespaces are kept (appended to). */
void da_modules_from_paths(const da_strlist *paths, da_release *r);

/* Every importable module and package at full dotted depth (sorted, unique), namespace
 * packages included: "opentelemetry", "opentelemetry.trace", "opentelemetry.trace.span".
 * For `depaudit which`. Appends to out. */
void da_modules_full_depth(const da_strlist *paths, da_strlist *out);

/* The .pth files at the root (they run code or extend sys.path at start-up). Appends. */
void da_pth_files_from_paths(const da_strlist *paths, da_strlist *out);

#endif
