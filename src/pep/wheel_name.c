/* Wheel and sdist file names. Wheel names follow the binary distribution format spec;
 * the checks are as lenient as pip's (it installs what the index serves), strict only
 * where a wrong split would give a wrong name, version or tag. */
#include "depaudit/wheel.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int fail(da_error *err, const char *filename, const char *what)
{
    return da_error_set(err, filename, 0, 0, "invalid wheel file name: %s", what);
}

static bool has_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (isspace((unsigned char)s[i]))
            return true;
    return false;
}

/* Real wheels compress a handful of tags ("py2.py3", two manylinux aliases); a name from
 * an untrusted index page could ask for millions (the product of three dot lists). */
enum { MAX_EXPANDED_TAGS = 1024 };

static size_t count_members(const char *s, const char *end)
{
    size_t n = 1;
    for (; s < end; s++)
        n += *s == '.';
    return n;
}

/* Appends every interpreter x abi x platform combination of one compressed tag set
 * ("py2.py3-none-any"), in the nesting order packaging.tags.parse_tag uses. Tags are
 * compared lowercased, as packaging does. Returns NULL, or what is wrong with the set. */
static const char *expand_tag_set(const char *interp, size_t ni, const char *abi, size_t na,
                                  const char *plat, size_t np, da_strlist *out)
{
    const char *ends[3] = {interp + ni, abi + na, plat + np};
    const char *starts[3] = {interp, abi, plat};
    size_t product = 1;
    for (int k = 0; k < 3; k++) {
        /* an empty set or an empty member (a leading, trailing or doubled dot) */
        if (starts[k] == ends[k] || starts[k][0] == '.' || ends[k][-1] == '.' ||
            memmem(starts[k], (size_t)(ends[k] - starts[k]), "..", 2))
            return "an empty member in the compressed tag set";
        product *= count_members(starts[k], ends[k]);
        if (product > MAX_EXPANDED_TAGS)
            return "the compressed tag set expands to more than 1024 tags";
    }
    for (const char *i = interp; i < ends[0];) {
        const char *ie = memchr(i, '.', (size_t)(ends[0] - i));
        if (!ie)
            ie = ends[0];
        for (const char *a = abi; a < ends[1];) {
            const char *ae = memchr(a, '.', (size_t)(ends[1] - a));
            if (!ae)
                ae = ends[1];
            for (const char *p = plat; p < ends[2];) {
                const char *pe = memchr(p, '.', (size_t)(ends[2] - p));
                if (!pe)
                    pe = ends[2];
                char *tag = da_xasprintf("%.*s-%.*s-%.*s", (int)(ie - i), i, (int)(ae - a), a,
                                         (int)(pe - p), p);
                for (char *c = tag; *c; c++)
                    *c = (char)tolower((unsigned char)*c);
                da_strlist_push_owned(out, tag);
                p = pe + 1;
            }
            a = ae + 1;
        }
        i = ie + 1;
    }
    return NULL;
}

int da_wheel_name_parse(const char *filename, da_wheel_name *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!filename)
        return fail(err, "", "no file name");
    size_t len = strlen(filename);
    if (len < 4 || strcmp(filename + len - 4, ".whl") != 0)
        return fail(err, filename, "it does not end in .whl");
    size_t stem_len = len - 4;
    if (has_space(filename, stem_len))
        return fail(err, filename, "it contains white space");

    /* name-version(-build)?-python-abi-platform: 5 or 6 dash-separated parts */
    const char *part[6];
    size_t part_len[6];
    size_t nparts = 0;
    const char *p = filename, *end = filename + stem_len;
    while (p <= end) {
        const char *dash = memchr(p, '-', (size_t)(end - p));
        const char *stop = dash ? dash : end;
        if (nparts == 6)
            return fail(err, filename, "too many '-' separated parts (at most 6)");
        part[nparts] = p;
        part_len[nparts] = (size_t)(stop - p);
        nparts++;
        if (!dash)
            break;
        p = dash + 1;
    }
    if (nparts < 5)
        return fail(err, filename, "too few '-' separated parts (name-version-py-abi-plat)");
    for (size_t i = 0; i < nparts; i++)
        if (part_len[i] == 0)
            return fail(err, filename, "an empty '-' separated part");
    if (nparts == 6 && !isdigit((unsigned char)part[2][0]))
        return fail(err, filename, "the build tag must start with a digit");

    da_strlist tags = {0};
    size_t t = nparts - 3;
    const char *bad = expand_tag_set(part[t], part_len[t], part[t + 1], part_len[t + 1],
                                     part[t + 2], part_len[t + 2], &tags);
    if (bad) {
        da_strlist_free(&tags);
        return fail(err, filename, bad);
    }
    out->name = da_xstrndup(part[0], part_len[0]);
    out->version = da_xstrndup(part[1], part_len[1]);
    out->build = nparts == 6 ? da_xstrndup(part[2], part_len[2]) : NULL;
    out->tags = tags;
    return 0;
}

void da_wheel_name_free(da_wheel_name *w)
{
    if (!w)
        return;
    free(w->name);
    free(w->version);
    free(w->build);
    da_strlist_free(&w->tags);
    memset(w, 0, sizeof(*w));
}

/* The archive extensions pip accepts for source distributions, longest first so that
 * ".tar.gz" wins over ".gz"-less matches. */
static const char *const sdist_extensions[] = {
    ".tar.lzma", ".tar.bz2", ".tar.gz", ".tar.xz", ".tar.lz", ".tar.z",
    ".tbz",      ".tgz",     ".txz",    ".tlz",    ".tar",    ".zip",
};

static size_t sdist_extension_length(const char *filename)
{
    size_t len = strlen(filename);
    for (size_t i = 0; i < sizeof(sdist_extensions) / sizeof(sdist_extensions[0]); i++) {
        size_t n = strlen(sdist_extensions[i]);
        if (len > n && strcasecmp(filename + len - n, sdist_extensions[i]) == 0)
            return n;
    }
    return 0;
}

bool da_is_sdist_filename(const char *filename)
{
    return filename && sdist_extension_length(filename) > 0;
}

int da_sdist_name_parse(const char *filename, char **name, char **version, da_error *err)
{
    *name = NULL;
    *version = NULL;
    if (!filename)
        return da_error_set(err, "", 0, 0, "invalid sdist file name: no file name");
    size_t ext = sdist_extension_length(filename);
    if (ext == 0)
        return da_error_set(err, filename, 0, 0,
                            "invalid sdist file name: not a .tar.gz, .zip or other "
                            "source archive extension");
    size_t stem_len = strlen(filename) - ext;
    /* The name ends at the first '-' followed by a digit: names may contain '-' (legacy
     * sdists were not escaped) but a version always starts with a digit (or "v"-less
     * epoch digits). */
    const char *split = NULL;
    for (size_t i = 1; i + 1 < stem_len; i++) {
        if (filename[i] == '-' && isdigit((unsigned char)filename[i + 1])) {
            split = filename + i;
            break;
        }
    }
    if (!split)
        return da_error_set(err, filename, 0, 0,
                            "invalid sdist file name: no '-' followed by a version");
    if (has_space(filename, stem_len))
        return da_error_set(err, filename, 0, 0,
                            "invalid sdist file name: it contains white space");
    *name = da_xstrndup(filename, (size_t)(split - filename));
    *version = da_xstrndup(split + 1, stem_len - (size_t)(split - filename) - 1);
    return 0;
}

static bool is_name_separator(char c)
{
    return c == '-' || c == '_' || c == '.';
}

/* Whether a[0..an) and b have the same PEP 503 normal form (lower case, every run of
 * "-", "_", "." one "-"), compared without building either. */
static bool same_project_name(const char *a, size_t an, const char *b)
{
    size_t bn = strlen(b), i = 0, j = 0;
    while (i < an && j < bn) {
        bool sa = is_name_separator(a[i]), sb = is_name_separator(b[j]);
        if (sa != sb)
            return false;
        if (sa) {
            while (i < an && is_name_separator(a[i]))
                i++;
            while (j < bn && is_name_separator(b[j]))
                j++;
            continue;
        }
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[j]))
            return false;
        i++;
        j++;
    }
    return i == an && j == bn;
}

int da_sdist_version_for(const char *filename, const char *project, char **version, da_error *err)
{
    *version = NULL;
    size_t ext = filename ? sdist_extension_length(filename) : 0;
    if (!filename || !project || ext == 0)
        return da_error_set(err, filename ? filename : "", 0, 0,
                            "invalid sdist file name: not a source archive");
    size_t stem_len = strlen(filename) - ext;
    for (size_t i = 1; i + 1 < stem_len; i++) {
        if (filename[i] == '-' && same_project_name(filename, i, project)) {
            *version = da_xstrndup(filename + i + 1, stem_len - i - 1);
            return 0;
        }
    }
    return da_error_set(err, filename, 0, 0, "not an sdist of project \"%s\"", project);
}
