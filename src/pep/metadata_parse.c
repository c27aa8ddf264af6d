/* Core metadata files (METADATA in a wheel, PKG-INFO in an sdist or egg-info): a block of
 * RFC 822 style "Field: value" headers, values folded onto lines starting with white
 * space, then an optional blank line and a body holding the description. */
#include "depaudit/core_metadata.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct parse_state {
    const char *origin;
    da_core_metadata *out;
    da_error *err;
} parse_state;

static void warn(parse_state *st, int line, const char *fmt, const char *arg)
{
    da_buf b = {0};
    da_buf_printf(&b, "%s:%d: ", st->origin, line);
    da_buf_printf(&b, fmt, arg);
    da_strlist_push_owned(&st->out->warnings, da_buf_take(&b));
}

/* "N.M" with both parts decimal; returns false for anything else. */
static bool parse_metadata_version(const char *v, long *major, long *minor)
{
    char *end;
    if (!isdigit((unsigned char)v[0]))
        return false;
    *major = strtol(v, &end, 10);
    if (*end != '.' || !isdigit((unsigned char)end[1]))
        return false;
    *minor = strtol(end + 1, &end, 10);
    return *end == '\0';
}

static void set_single(parse_state *st, char **slot, char *value, const char *field, int line)
{
    if (*slot) {
        warn(st, line, "%s given more than once; the first one is used", field);
        free(value);
        return;
    }
    *slot = value;
}

/* PEP 794: "name" or "name; private"; an empty value declares "no import names". */
static void add_import_name(parse_state *st, da_strlist *list, char *value)
{
    st->out->import_names_declared = true;
    char *semi = strchr(value, ';');
    if (semi) {
        *semi = '\0';
        char *cut = da_xstrndup_trimmed(value, strlen(value));
        free(value);
        value = cut;
    }
    if (value[0])
        da_strlist_push_owned(list, value);
    else
        free(value);
}

/* Handles one complete (unfolded) field. Takes ownership of value. */
static int take_field(parse_state *st, const char *field, size_t flen, char *value, int line)
{
    da_core_metadata *m = st->out;
#define IS(name) (flen == strlen(name) && strncasecmp(field, name, flen) == 0)
    if (IS("Metadata-Version")) {
        long major, minor;
        if (!parse_metadata_version(value, &major, &minor)) {
            da_error_set(st->err, st->origin, line, 0,
                         "Metadata-Version \"%s\" is not of the form MAJOR.MINOR", value);
            free(value);
            return -1;
        }
        if (major > DA_CORE_METADATA_MAX_MAJOR) {
            da_error_set(st->err, st->origin, line, 0,
                         "Metadata-Version %s is not supported (newest known: %d.%d)", value,
                         DA_CORE_METADATA_MAX_MAJOR, DA_CORE_METADATA_MAX_MINOR);
            free(value);
            return -1;
        }
        if (major == DA_CORE_METADATA_MAX_MAJOR && minor > DA_CORE_METADATA_MAX_MINOR)
            warn(st, line, "Metadata-Version %s is newer than 2.5; fields added since are ignored",
                 value);
        set_single(st, &m->metadata_version, value, "Metadata-Version", line);
    } else if (IS("Name")) {
        set_single(st, &m->name, value, "Name", line);
    } else if (IS("Version")) {
        set_single(st, &m->version, value, "Version", line);
    } else if (IS("Requires-Python")) {
        set_single(st, &m->requires_python, value, "Requires-Python", line);
    } else if (IS("Description")) {
        set_single(st, &m->description, value, "Description", line);
    } else if (IS("Requires-Dist")) {
        da_strlist_push_owned(&m->requires_dist, value);
    } else if (IS("Provides-Extra")) {
        da_strlist_push_owned(&m->provides_extra, value);
    } else if (IS("Import-Name")) {
        add_import_name(st, &m->import_names, value);
    } else if (IS("Import-Namespace")) {
        add_import_name(st, &m->import_namespaces, value);
    } else {
        free(value); /* a field this tool does not use */
    }
#undef IS
    return 0;
}

/* The continuation prefix of a folded Description line: the spec's 7 spaces and "|", or
 * (older tools) up to 8 spaces or one tab. */
static size_t description_prefix(const char *s, size_t n)
{
    if (n >= 8 && memcmp(s, "       |", 8) == 0)
        return 8;
    if (n >= 1 && s[0] == '\t')
        return 1;
    size_t k = 0;
    while (k < n && k < 8 && s[k] == ' ')
        k++;
    return k;
}

/* One line of the header block, without its line ending. */
typedef struct line_span {
    const char *s;
    size_t n;
} line_span;

static int finish_field(parse_state *st, const line_span *first, size_t colon,
                        const line_span *cont, size_t ncont, int line)
{
    const char *field = first->s;
    bool is_description = colon == 11 && strncasecmp(field, "Description", 11) == 0;
    da_buf v = {0};
    char *head = da_xstrndup_trimmed(first->s + colon + 1, first->n - colon - 1);
    da_buf_puts(&v, head);
    free(head);
    for (size_t i = 0; i < ncont; i++) {
        if (is_description) {
            size_t skip = description_prefix(cont[i].s, cont[i].n);
            da_buf_putc(&v, '\n');
            da_buf_append(&v, cont[i].s + skip, cont[i].n - skip);
        } else {
            /* RFC 822 unfolding: the line break goes, the white space becomes one space */
            char *part = da_xstrndup_trimmed(cont[i].s, cont[i].n);
            if (part[0]) {
                if (v.len)
                    da_buf_putc(&v, ' ');
                da_buf_puts(&v, part);
            }
            free(part);
        }
    }
    if (!v.data)
        da_buf_puts(&v, "");
    return take_field(st, field, colon, da_buf_take(&v), line);
}

static bool is_field_name(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 32 || c >= 127)
            return false;
    }
    return true;
}

int da_core_metadata_parse(const char *text, size_t len, const char *origin, da_core_metadata *out,
                           da_error *err)
{
    memset(out, 0, sizeof(*out));
    parse_state st = {.origin = origin ? origin : "METADATA", .out = out, .err = err};
    const char *nul = len > 0 ? memchr(text, '\0', len) : NULL;
    if (nul) {
        int line = 1;
        for (const char *p = text; p < nul; p++)
            line += *p == '\n';
        da_error_set(err, st.origin, line, 0, "NUL byte in core metadata");
        return -1;
    }

    /* a UTF-8 byte order mark some Windows tools write is not part of the first field */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    line_span first = {0};
    size_t colon = 0;
    int field_line = 0;
    line_span *cont = NULL;
    size_t ncont = 0, ccap = 0;
    int line = 0;
    size_t i = 0;
    int rc = 0;
    bool body_started = false;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        line_span ls = {text + i, end - i};
        if (ls.n > 0 && ls.s[ls.n - 1] == '\r')
            ls.n--;
        line++;
        i = nl ? end + 1 : len;

        if (ls.n > 0 && (ls.s[0] == ' ' || ls.s[0] == '\t')) {
            if (!first.s) {
                rc = da_error_set(err, st.origin, line, 1,
                                  "a continuation line (starting with white space) before "
                                  "any field");
                break;
            }
            DA_PUSH(cont, ncont, ccap, ls);
            continue;
        }
        /* a new field, the blank separator or the end: the pending field is complete */
        if (first.s) {
            rc = finish_field(&st, &first, colon, cont, ncont, field_line);
            first.s = NULL;
            ncont = 0;
            if (rc < 0)
                break;
        }
        if (ls.n == 0) {
            body_started = true;
            break;
        }
        const char *c = memchr(ls.s, ':', ls.n);
        if (!c || !is_field_name(ls.s, (size_t)(c - ls.s))) {
            rc = da_error_set(err, st.origin, line, 1,
                              "expected \"Field: value\" (or a blank line before the body)");
            break;
        }
        first = ls;
        colon = (size_t)(c - ls.s);
        field_line = line;
    }
    if (rc == 0 && first.s)
        rc = finish_field(&st, &first, colon, cont, ncont, field_line);
    free(cont);
    if (rc < 0) {
        da_core_metadata_free(out);
        return -1;
    }
    if (body_started && i < len && !out->description)
        out->description = da_xstrndup(text + i, len - i);
    if (!out->metadata_version)
        warn(&st, 1, "%s", "no Metadata-Version field");
    if (!out->name)
        warn(&st, 1, "%s", "no Name field");
    if (!out->version)
        warn(&st, 1, "%s", "no Version field");
    return 0;
}

void da_core_metadata_free(da_core_metadata *m)
{
    if (!m)
        return;
    free(m->metadata_version);
    free(m->name);
    free(m->version);
    free(m->requires_python);
    free(m->description);
    da_strlist_free(&m->requires_dist);
    da_strlist_free(&m->provides_extra);
    da_strlist_free(&m->import_names);
    da_strlist_free(&m->import_namespaces);
    da_strlist_free(&m->warnings);
    memset(m, 0, sizeof(*m));
}
