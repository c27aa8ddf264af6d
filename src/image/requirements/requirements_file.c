/* da_requirements_file_parse: requirements files read straight from the host (the
 * resolver's `-r FILE`), ${VAR} taken from the given list and optionally the process
 * environment, as pip does. */
#include "depaudit/install_plan.h"

#include "image/requirements/requirement_text.h"
#include "image/requirements/requirements_reader.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int rq_load_host_file(const char *path, rq_content *out, char **why)
{
    char *data = NULL;
    size_t len = 0;
    da_error e;
    da_error_clear(&e);
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* a directory, a device, a FIFO: never a requirements file, and reading
         * /dev/zero would not end */
        *why = da_xstrdup("not a regular file");
        return -1;
    }
    if (da_read_file(path, &data, &len, &e) < 0) {
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

static int host_resolve(void *ctx, const char *path, rq_content *out, char **why)
{
    (void)ctx;
    return rq_load_host_file(path, out, why);
}

typedef struct env_list {
    const da_requirements_file_options *o;
} env_list;

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
    env_list el = {o};
    ex_env env = {env_lookup, NULL, &el, false};
    rq_reader r;
    memset(&r, 0, sizeof(r));
    r.resolve = host_resolve;
    r.env = &env;
    r.out = out;
    r.missing_is_error = true;
    int rc = rq_read(&r, path, false, NULL, path, 0, err);
    rq_reader_free(&r);
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
