/* Which index to ask, chosen the way pip chooses it: the command line, then environment
 * variables (pip's, then uv's), then pip's configuration files, then the public index.
 * Only the settings that decide where metadata comes from are read (index-url,
 * extra-index-url, no-index, cert, timeout); everything else in the files is ignored. */
#include "depaudit/metadata.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The settings found so far, each with where it came from. */
typedef struct index_settings {
    char *index_url, *index_from;
    char *extra; /* whitespace-separated list, as in the files and the variable */
    char *cert;
    char *timeout;
    int no_index; /* -1 unset, 0 false, 1 true */
} index_settings;

static void set_owned(char **slot, char *value)
{
    free(*slot);
    *slot = value;
}

static char *trimmed(const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    return da_xstrndup(s, n);
}

/* pip's strtobool: -1 when the word is none of its spellings. */
static int bool_word(const char *v)
{
    static const char *const yes[] = {"y", "yes", "t", "true", "on", "1"};
    static const char *const no[] = {"n", "no", "f", "false", "off", "0"};
    for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++) {
        if (strcasecmp(v, yes[i]) == 0)
            return 1;
        if (strcasecmp(v, no[i]) == 0)
            return 0;
    }
    return -1;
}

static void apply_setting(index_settings *s, const char *key, const char *value, const char *from,
                          da_strlist *warnings)
{
    if (strcmp(key, "index-url") == 0) {
        set_owned(&s->index_url, da_xstrdup(value));
        set_owned(&s->index_from, da_xstrdup(from));
    } else if (strcmp(key, "extra-index-url") == 0) {
        set_owned(&s->extra, da_xstrdup(value));
    } else if (strcmp(key, "cert") == 0) {
        set_owned(&s->cert, da_xstrdup(value));
    } else if (strcmp(key, "timeout") == 0 || strcmp(key, "default-timeout") == 0) {
        set_owned(&s->timeout, da_xstrdup(value));
    } else if (strcmp(key, "no-index") == 0) {
        int b = bool_word(value);
        if (b < 0)
            da_strlist_push_owned(warnings, da_xasprintf("%s: no-index = \"%s\" is not a boolean "
                                                         "(ignored)",
                                                         from, value));
        else
            s->no_index = b;
    }
}

/* One INI section's key/value pairs, continuation lines joined with '\n' as configparser
 * joins them. */
typedef struct ini_entry {
    char *section, *key, *value;
    int line;
} ini_entry;

typedef struct ini_file {
    ini_entry *items;
    size_t len, cap;
} ini_file;

static void ini_free(ini_file *f)
{
    for (size_t i = 0; i < f->len; i++) {
        free(f->items[i].section);
        free(f->items[i].key);
        free(f->items[i].value);
    }
    free(f->items);
}

static void ini_parse(const char *path, const char *text, ini_file *out, da_strlist *warnings)
{
    char *section = NULL;
    int lineno = 0;
    ini_entry *last = NULL; /* the entry a continuation line extends */
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        lineno++;
        char *line = trimmed(p, n);
        bool indented = n > 0 && (*p == ' ' || *p == '\t');
        p += n + (p[n] == '\n');
        if (!line[0] || line[0] == '#' || line[0] == ';') {
            free(line);
            continue;
        }
        if (indented && last) {
            char *joined = da_xasprintf("%s\n%s", last->value, line);
            set_owned(&last->value, joined);
        } else if (line[0] == '[') {
            char *end = strchr(line, ']');
            set_owned(&section, end ? trimmed(line + 1, (size_t)(end - line - 1)) : NULL);
            last = NULL;
            if (!end)
                da_strlist_push_owned(warnings, da_xasprintf("%s:%d: a section header without "
                                                             "']' (the lines after it are ignored)",
                                                             path, lineno));
        } else {
            size_t k = strcspn(line, "=:");
            last = NULL;
            if (!line[k] || !section) {
                da_strlist_push_owned(warnings,
                                      da_xasprintf("%s:%d: %s (ignored)", path, lineno,
                                                   !section ? "a setting outside any section"
                                                            : "neither 'key = value' nor a "
                                                              "section"));
            } else {
                da_grow((void **)&out->items, &out->cap, out->len + 1, sizeof(*out->items));
                last = &out->items[out->len++];
                last->section = da_xstrdup(section);
                last->key = trimmed(line, k);
                for (char *c = last->key; *c; c++)
                    *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
                last->value = trimmed(line + k + 1, strlen(line + k + 1));
                last->line = lineno;
            }
        }
        free(line);
    }
    free(section);
}

/* Reads one pip.conf: [global], then [install] over it (pip's order for `pip install`). */
static void read_config_file(index_settings *s, const char *path, da_strlist *warnings)
{
    char *text = NULL;
    size_t len = 0;
    da_error err;
    da_error_clear(&err);
    if (da_read_file(path, &text, &len, &err) != 0) {
        if (errno != ENOENT) {
            char msg[1600];
            da_error_format(&err, msg, sizeof(msg));
            da_strlist_push_owned(warnings, da_xasprintf("pip configuration not read: %s", msg));
        }
        return;
    }
    ini_file f = {0};
    ini_parse(path, text, &f, warnings);
    static const char *const sections[] = {"global", "install"};
    for (size_t k = 0; k < 2; k++)
        for (size_t i = 0; i < f.len; i++)
            if (strcmp(f.items[i].section, sections[k]) == 0) {
                char *from = da_xasprintf("%s:%d", path, f.items[i].line);
                apply_setting(s, f.items[i].key, f.items[i].value, from, warnings);
                free(from);
            }
    ini_free(&f);
    free(text);
}

/* pip's files in the order pip lets them override each other: global (the XDG config
 * dirs, then /etc), user (the legacy ~/.pip, then the XDG config home), site (the active
 * virtual environment), then $PIP_CONFIG_FILE; /dev/null there means no file at all. */
static void config_files(const char *(*env)(const char *), const char *etc_dir, da_strlist *out)
{
    const char *forced = env("PIP_CONFIG_FILE");
    if (forced && strcmp(forced, "/dev/null") == 0)
        return;
    const char *xdg_dirs = env("XDG_CONFIG_DIRS");
    if (!xdg_dirs || !xdg_dirs[0])
        xdg_dirs = "/etc/xdg";
    for (const char *d = xdg_dirs; *d;) {
        size_t n = strcspn(d, ":");
        if (n > 0)
            da_strlist_push_owned(out, da_xasprintf("%.*s/pip/pip.conf", (int)n, d));
        d += n + (d[n] == ':');
    }
    da_strlist_push_owned(out, da_xasprintf("%s/pip.conf", etc_dir));
    const char *home = env("HOME"), *xdg_home = env("XDG_CONFIG_HOME");
    if (home && home[0])
        da_strlist_push_owned(out, da_xasprintf("%s/.pip/pip.conf", home));
    if (xdg_home && xdg_home[0])
        da_strlist_push_owned(out, da_xasprintf("%s/pip/pip.conf", xdg_home));
    else if (home && home[0])
        da_strlist_push_owned(out, da_xasprintf("%s/.config/pip/pip.conf", home));
    const char *venv = env("VIRTUAL_ENV");
    if (venv && venv[0])
        da_strlist_push_owned(out, da_xasprintf("%s/pip.conf", venv));
    if (forced && forced[0])
        da_strlist_push(out, forced);
}

static void apply_variables(index_settings *s, const char *(*env)(const char *),
                            da_strlist *warnings)
{
    static const char *const index_vars[] = {"UV_INDEX_URL", "UV_DEFAULT_INDEX", "PIP_INDEX_URL"};
    for (size_t i = 0; i < 3; i++) { /* the last one set wins */
        const char *v = env(index_vars[i]);
        if (v && v[0])
            apply_setting(s, "index-url", v, index_vars[i], warnings);
    }
    const char *v = env("PIP_EXTRA_INDEX_URL");
    if (v && v[0])
        apply_setting(s, "extra-index-url", v, "PIP_EXTRA_INDEX_URL", warnings);
    static const char *const uv_extras[] = {"UV_EXTRA_INDEX_URL", "UV_INDEX"};
    for (size_t i = 0; i < 2; i++) { /* uv's are added to pip's */
        v = env(uv_extras[i]);
        if (v && v[0])
            set_owned(&s->extra, da_xasprintf("%s %s", s->extra ? s->extra : "", v));
    }
    if ((v = env("PIP_CERT")) && v[0])
        apply_setting(s, "cert", v, "PIP_CERT", warnings);
    static const char *const timeouts[] = {"PIP_DEFAULT_TIMEOUT", "PIP_TIMEOUT"};
    for (size_t i = 0; i < 2; i++)
        if ((v = env(timeouts[i])) && v[0])
            apply_setting(s, "timeout", v, timeouts[i], warnings);
    if ((v = env("PIP_NO_INDEX")) && v[0])
        apply_setting(s, "no-index", v, "PIP_NO_INDEX", warnings);
}

/* uv's UV_INDEX entries may be "name=URL": the URL is what is asked. */
static void push_index_words(da_strlist *l, const char *s)
{
    while (s && *s) {
        s += strspn(s, " \t\n");
        size_t n = strcspn(s, " \t\n");
        const char *eq = memchr(s, '=', n), *scheme = memchr(s, ':', n);
        const char *w = eq && (!scheme || eq < scheme) ? eq + 1 : s;
        if (n > 0 && (size_t)(w - s) < n) {
            char *u = da_xstrndup(w, n - (size_t)(w - s));
            if (!da_strlist_contains(l, u))
                da_strlist_push_owned(l, u);
            else
                free(u);
        }
        s += n;
    }
}

void da_metadata_options_from_config(da_metadata_options *o, const char *(*env)(const char *),
                                     const char *etc_dir)
{
    index_settings s = {.no_index = -1};
    da_strlist files = {0};
    config_files(env, etc_dir, &files);
    for (size_t i = 0; i < files.len; i++)
        read_config_file(&s, files.items[i], &o->config_warnings);
    da_strlist_free(&files);
    apply_variables(&s, env, &o->config_warnings);
    if (s.no_index == 1 && !o->index_url) {
        /* pip --no-index: no index at all, only what is at hand */
    } else {
        if (o->index_url && !o->index_from)
            o->index_from = da_xstrdup("--index-url");
        if (!o->index_url && s.index_url) {
            o->index_url = da_xstrdup(s.index_url);
            o->index_from = da_xstrdup(s.index_from);
        }
        push_index_words(&o->extra_index_urls, s.extra);
        if (!o->index_url) {
            o->index_url = da_xstrdup(DA_DEFAULT_INDEX_URL);
            o->index_from = da_xstrdup("the default index");
            o->index_is_default = true;
        }
    }
    if (!o->cert && s.cert)
        o->cert = da_xstrdup(s.cert);
    if (s.timeout) {
        char *end = NULL;
        double secs = strtod(s.timeout, &end);
        if (end != s.timeout && *end == '\0' && secs > 0 && secs < 86400)
            o->timeout_ms = (long)(secs * 1000);
        else
            da_strlist_push_owned(&o->config_warnings,
                                  da_xasprintf("pip timeout \"%s\" is not a number of seconds "
                                               "(ignored)",
                                               s.timeout));
    }
    free(s.index_url);
    free(s.index_from);
    free(s.extra);
    free(s.cert);
    free(s.timeout);
}

static const char *process_env(const char *name)
{
    return getenv(name);
}

void da_metadata_options_from_env(da_metadata_options *o)
{
    da_metadata_options_from_config(o, process_env, "/etc");
}
