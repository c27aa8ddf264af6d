/* da_requirements_file_parse: requirements files read straight from the host (the
 * resolver's `-r FILE`), ${VAR} taken from the given list and optionally the process
 * environment, as pip does. */
#include "depaudit/install_plan.h"

#include "image/requirements/requirement_text.h"
#include "image/requirements/requirements_reader.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int rq_load_host_file(const char *root, const char *path, rq_content *out, char **why)
{
    char *data = NULL;
    size_t len = 0;
    da_error e;
    da_error_clear(&e);
    if (da_read_file_under(root, path, DA_TEXT_FILE_MAX, &data, &len, &e) < 0) {
        *why = da_xstrdup(e.message);
        return -1;
    }
    if (memchr(data, '\0', len)) {
        /* A binary file cannot be a requirements file; stop at the first NUL. */
        len = strlen(data);
    }
    df_text_append(&out->text, data, len, 0, true);
    out->host_file = da_xstrdup(path);
    out->host_data = data;
    out->host_len = len;
    return 0;
}

typedef struct env_list {
    const da_requirements_file_options *o;
    char *root; /* where files named by -r/-c may be: set once the first file is read */
} env_list;

/* The first file is the one the user named; the files it names (-r, -c) must stay in
 * the current directory (a checkout) when it is there, else in its own directory, so a
 * hostile `-r /proc/self/environ` or a link out of the tree is never read. */
static char *include_root(const char *first)
{
    char cwd[PATH_MAX], real[PATH_MAX];
    if (getcwd(cwd, sizeof(cwd)) && realpath(first, real) && da_path_within(real, cwd))
        return da_xstrdup(cwd);
    char *dir = rt_dir_of(first);
    return dir;
}

static int host_resolve(void *ctx, const char *path, rq_content *out, char **why)
{
    env_list *el = ctx;
    if (!el->root) {
        int rc = rq_load_host_file(NULL, path, out, why);
        if (rc == 0)
            el->root = include_root(path);
        return rc;
    }
    return rq_load_host_file(el->root, path, out, why);
}

static const char *env_lookup(void *ctx, const char *name)
{
    const env_list *el = ctx;
    size_t nl = strlen(name);
    if (el->o) {
        for (size_t i = el->o->nenv; i > 0; i--) {
            const char *e = el->o->env[i - 1];
            if (strncmp(e, name, nl) == 0 && e[nl] == '=')
                return e + nl + 1;
        }
        if (el->o->use_process_env)
            return getenv(name);
    }
    return NULL;
}

int da_requirements_file_parse(const char *path, const da_requirements_file_options *o,
                               da_requirements_file *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    env_list el = {o, NULL};
    ex_env env = {env_lookup, NULL, &el, false};
    rq_reader r;
    memset(&r, 0, sizeof(r));
    r.resolve = host_resolve;
    r.resolve_ctx = &el;
    r.env = &env;
    r.out = out;
    r.missing_is_error = true;
    int rc = rq_read(&r, path, false, NULL, path, 0, err);
    rq_reader_free(&r);
    free(el.root);
    if (rc < 0) {
        da_requirements_file_free(out);
        return -1;
    }
    return 0;
}

void da_requirements_file_free(da_requirements_file *f)
{
    if (!f)
        return;
    rt_requirements_free(f->reqs, f->nreqs);
    rt_requirements_free(f->constraints, f->nconstraints);
    rt_req_lists_free(f->lists, f->nlists);
    free(f->index_url);
    da_strlist_free(&f->extra_index_urls);
    da_strlist_free(&f->find_links);
    da_strlist_free(&f->only_binary);
    da_strlist_free(&f->no_binary);
    da_strlist_free(&f->files);
    rt_warnings_free(f->warnings, f->nwarnings);
    memset(f, 0, sizeof(*f));
}
