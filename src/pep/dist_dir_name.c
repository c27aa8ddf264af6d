/* Wheel and .dist-info/.egg-info directory names: escaping a name and a version the way
 * the binary distribution format and recording installed projects specs write them, and
 * reading an installed directory's name back the way importlib.metadata (the name: the
 * part before the first '-') and pkg_resources (an egg's "-py3.11-platform" parts) do.
 * Installers never trust the directory name for the version, so neither does this: the
 * parser only splits, and version equality is a separate, tolerant question. */
#include "depaudit/pep.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool da_name_equal(const char *a, const char *b)
{
    char *na = da_name_normalize(a), *nb = da_name_normalize(b);
    bool eq = strcmp(na, nb) == 0;
    free(na);
    free(nb);
    return eq;
}

char *da_name_escape(const char *name)
{
    /* The PEP 503 form has exactly one '-' where each separator run was. */
    char *s = da_name_normalize(name);
    for (char *c = s; *c; c++)
        if (*c == '-')
            *c = '_';
    return s;
}

static bool is_ascii_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* setuptools' safe_version for a version PEP 440 cannot read, then its to_filename. */
static char *escape_legacy_version(const char *version)
{
    da_buf out = {0};
    da_buf_puts(&out, "");
    bool in_run = false;
    for (const char *c = version; *c; c++) {
        char ch = *c == ' ' ? '.' : *c;
        if (is_ascii_alnum(ch) || ch == '.') {
            da_buf_putc(&out, ch);
            in_run = false;
        } else if (!in_run) {
            da_buf_putc(&out, '_');
            in_run = true;
        }
    }
    return da_buf_take(&out);
}

char *da_version_escape(const char *version)
{
    da_version *v = da_version_parse(version, NULL);
    if (!v)
        return escape_legacy_version(version);
    char *s = da_version_to_string(v);
    da_version_free(v);
    return s;
}

char *da_dist_info_dir_name(const char *name, const char *version)
{
    char *n = da_name_escape(name), *v = da_version_escape(version);
    char *dir = da_xasprintf("%s-%s.dist-info", n, v);
    free(n);
    free(v);
    return dir;
}

/* Length of the stem (the entry without its suffix), or -1 when the entry ends in
 * neither suffix. *egg tells which one it was. */
static long stem_length(const char *dirname, bool *egg)
{
    size_t n = strlen(dirname);
    if (n >= 10 && strcasecmp(dirname + n - 10, ".dist-info") == 0) {
        *egg = false;
        return (long)(n - 10);
    }
    if (n >= 9 && strcasecmp(dirname + n - 9, ".egg-info") == 0) {
        *egg = true;
        return (long)(n - 9);
    }
    return -1;
}

/* err names the entry as the file, line 1, and the column (in characters) of `at`. */
static int fail(da_error *err, const char *dirname, const char *at, const char *what)
{
    int col = at ? pep_column(dirname, (size_t)(at - dirname)) : 0;
    return da_error_set(err, dirname, 1, col, "invalid .dist-info/.egg-info directory name: %s",
                        what);
}

/* Splits an egg-info's "version[-py<python>[-<platform>]]" (rest, n bytes) into out. */
static int split_egg_rest(const char *dirname, const char *rest, size_t n, da_dist_dir_name *out,
                          da_error *err)
{
    const char *dash = memchr(rest, '-', n);
    if (!dash) {
        out->version = da_xstrndup(rest, n);
        return 0;
    }
    if (dash == rest)
        return fail(err, dirname, dash, "an empty version before '-'");
    const char *py = dash + 1, *end = rest + n;
    if (py == end)
        return fail(err, dirname, dash, "nothing after the '-' that follows the version");
    if (end - py < 3 || strncasecmp(py, "py", 2) != 0 || py[2] == '-')
        return fail(err, dirname, py, "the part after the version is not a Python tag (-pyX.Y)");
    const char *py_end = memchr(py, '-', (size_t)(end - py));
    if (py_end && py_end + 1 == end)
        return fail(err, dirname, py_end, "nothing after the '-' that follows the Python tag");
    out->version = da_xstrndup(rest, (size_t)(dash - rest));
    out->python = da_xstrndup(py + 2, (size_t)((py_end ? py_end : end) - (py + 2)));
    if (py_end)
        out->platform = da_xstrndup(py_end + 1, (size_t)(end - py_end - 1));
    return 0;
}

int da_dist_dir_name_parse(const char *dirname, da_dist_dir_name *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    if (!dirname)
        return fail(err, "", NULL, "no name given");
    bool egg = false;
    long stem = stem_length(dirname, &egg);
    if (stem < 0)
        return fail(err, dirname, NULL, "it ends in neither .dist-info nor .egg-info");
    const char *slash = strchr(dirname, '/');
    if (slash)
        return fail(err, dirname, slash, "it holds a '/' (a directory entry name was expected)");
    const char *dash = memchr(dirname, '-', (size_t)stem);
    size_t name_len = dash ? (size_t)(dash - dirname) : (size_t)stem;
    if (name_len == 0)
        return fail(err, dirname, dirname, "an empty distribution name");
    out->egg_info = egg;
    if (dash) {
        const char *rest = dash + 1;
        size_t rest_len = (size_t)(dirname + stem - rest);
        if (rest_len == 0)
            return fail(err, dirname, dash, "an empty version after '-'");
        if (!egg) {
            out->version = da_xstrndup(rest, rest_len);
        } else if (split_egg_rest(dirname, rest, rest_len, out, err) != 0) {
            da_dist_dir_name_free(out);
            return -1;
        }
    }
    out->name = da_xstrndup(dirname, name_len);
    return 0;
}

void da_dist_dir_name_free(da_dist_dir_name *d)
{
    if (!d)
        return;
    free(d->name);
    free(d->version);
    free(d->python);
    free(d->platform);
    memset(d, 0, sizeof(*d));
}

bool da_dist_dir_matches(const char *dirname, const char *name)
{
    bool egg;
    long stem = stem_length(dirname, &egg);
    if (stem <= 0 || !name)
        return false;
    const char *dash = memchr(dirname, '-', (size_t)stem);
    size_t name_len = dash ? (size_t)(dash - dirname) : (size_t)stem;
    if (name_len == 0)
        return false;
    char *part = da_xstrndup(dirname, name_len);
    bool eq = da_name_equal(part, name);
    free(part);
    return eq;
}

bool da_dist_dir_version_equal(const char *dir_version, const char *version)
{
    da_version *want = da_version_parse(version, NULL);
    if (!want) {
        /* A legacy version: the directory holds its escaped form, or (an older tool) the
           version as written, which escapes to the same text. */
        char *ev = escape_legacy_version(version), *ed = escape_legacy_version(dir_version);
        bool eq = strcasecmp(dir_version, ev) == 0 || strcasecmp(ed, ev) == 0;
        free(ev);
        free(ed);
        return eq;
    }
    /* A directory escapes '-' to '_'; PEP 440 reads '-' and '_' alike as separators except
     * for the implicit post release ("1.0-1"), so putting '-' back loses nothing. */
    char *unescaped = da_xstrdup(dir_version);
    for (char *c = unescaped; *c; c++)
        if (*c == '_')
            *c = '-';
    da_version *got = da_version_parse(unescaped, NULL);
    bool eq = got && da_version_compare(got, want) == 0;
    da_version_free(got);
    da_version_free(want);
    free(unescaped);
    return eq;
}
