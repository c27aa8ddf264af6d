/* setup.cfg, as setuptools reads it for a project without dependency metadata in
 * pyproject.toml: [metadata] name, [options] install_requires (one requirement per line,
 * or `file: requirements.txt`), packages and py_modules, [options.extras_require]. INI
 * syntax: `key = value`, values continued on indented lines, `#`/`;` comment lines. */
#include "image/requirements/setup_project.h"

#include "depaudit/util.h"
#include "image/requirements/requirement_text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct ini_state {
    const rq_content *c;
    da_pyproject *out;
    da_strlist *files;
    char *section;
    char *key;
    size_t list;         /* the list of the current key, (size_t)-1 if none yet */
    bool file_directive; /* `install_requires = file: a.txt` */
} ini_state;

/* One value line [s, e) of the document text for the current key. */
static void value_line(ini_state *st, size_t s, size_t e)
{
    const char *t = st->c->text.s;
    while (s < e && isspace((unsigned char)t[s]))
        s++;
    while (e > s && isspace((unsigned char)t[e - 1]))
        e--;
    if (s >= e || !st->key || !st->section)
        return;
    char *v = da_xstrndup(t + s, e - s);
    bool deps = strcmp(st->section, "options") == 0 && strcmp(st->key, "install_requires") == 0;
    bool extra = strcmp(st->section, "options.extras_require") == 0;
    if (strcmp(st->section, "metadata") == 0 && strcmp(st->key, "name") == 0 && !st->out->name) {
        st->out->name = da_xstrdup(v);
    } else if (strcmp(st->section, "options") == 0 &&
               (strcmp(st->key, "packages") == 0 || strcmp(st->key, "py_modules") == 0)) {
        if (!da_str_starts_with(v, "find"))
            rq_setup_add_packages(st->out, v, strcmp(st->key, "packages") == 0);
    } else if ((deps || extra) && da_str_starts_with(v, "file:")) {
        char *f = da_xstrndup_trimmed(v + 5, strlen(v + 5));
        if (deps && f[0])
            da_strlist_push(st->files, f);
        free(f);
    } else if (deps || extra) {
        char *group = extra ? da_xasprintf("extra:%s", st->key) : NULL;
        if (st->list == (size_t)-1)
            st->list = rt_req_list_add(&st->out->lists, &st->out->nlists, st->c->host_file,
                                       DA_ORIGIN_PYPROJECT, "requirements", "\n");
        rq_setup_add_req(st->c, st->out, v, group, s, e, st->list);
        free(group);
    }
    free(v);
}

static void new_key(ini_state *st, const char *t, size_t s, size_t eq, size_t e)
{
    free(st->key);
    char *k = da_xstrndup_trimmed(t + s, eq - s);
    for (char *p = k; *p; p++)
        *p = *p == '-' ? '_' : (char)tolower((unsigned char)*p); /* install-requires too */
    st->key = k;
    st->list = (size_t)-1;
    value_line(st, eq + 1, e);
}

void rq_setup_cfg_read(const rq_content *c, da_pyproject *out, da_strlist *files)
{
    ini_state st;
    memset(&st, 0, sizeof(st));
    st.c = c;
    st.out = out;
    st.files = files;
    st.list = (size_t)-1;
    const char *t = c->text.s;
    size_t n = c->text.len;
    for (size_t s = 0; s < n;) {
        size_t e = s;
        while (e < n && t[e] != '\n')
            e++;
        size_t k = s;
        while (k < e && (t[k] == ' ' || t[k] == '\t'))
            k++;
        bool indented = k > s;
        if (k < e && (t[k] == '#' || t[k] == ';')) {
            /* a comment line */
        } else if (!indented && k < e && t[k] == '[') {
            const char *close = memchr(t + k, ']', e - k);
            free(st.section);
            st.section = close ? da_xstrndup_trimmed(t + k + 1, (size_t)(close - t - k - 1)) : NULL;
            free(st.key);
            st.key = NULL;
        } else if (!indented && k < e) {
            const char *eq = memchr(t + k, '=', e - k);
            const char *colon = memchr(t + k, ':', e - k);
            if (colon && (!eq || colon < eq) && !memchr(t + k, ' ', (size_t)(colon - t - k)))
                eq = colon;
            if (eq)
                new_key(&st, t, k, (size_t)(eq - t), e);
        } else if (indented) {
            value_line(&st, k, e);
        }
        s = e < n ? e + 1 : e;
    }
    free(st.section);
    free(st.key);
}
