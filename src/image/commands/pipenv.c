/* pipenv install / pipenv sync: the packages of Pipfile.lock (pinned) when the image has
 * it, else of the Pipfile, with [dev-packages] / "develop" for --dev; --system installs
 * into the system Python, otherwise into pipenv's own virtualenv. */
#include "image/commands/install_command.h"

#include "depaudit/util.h"
#include "image/requirements/pyproject.h"
#include "image/requirements/requirement_text.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* The span of `"name"` as a key in the lock file, searched after `from`. */
static void key_span(const rq_content *c, const char *name, size_t from, size_t *s, size_t *e)
{
    char *needle = da_xasprintf("\"%s\"", name);
    const char *hit = strstr(c->text.s + (from < c->text.len ? from : c->text.len), needle);
    if (hit) {
        *s = (size_t)(hit - c->text.s) + 1;
        *e = *s + strlen(name);
    } else {
        *s = *e = from < c->text.len ? from : c->text.len;
    }
    free(needle);
}

static void read_lock_section(pl_builder *b, da_install_op *op, const rq_content *c,
                              const cJSON *section, const char *section_name, size_t list,
                              const char *via)
{
    char *marker = da_xasprintf("\"%s\"", section_name);
    const char *at = strstr(c->text.s, marker);
    size_t from = at ? (size_t)(at - c->text.s) : 0;
    free(marker);
    const cJSON *pkg;
    cJSON_ArrayForEach(pkg, section)
    {
        if (!pkg->string || !cJSON_IsObject(pkg))
            continue;
        da_buf text = {0};
        da_buf_puts(&text, pkg->string);
        const cJSON *extras = cJSON_GetObjectItemCaseSensitive(pkg, "extras");
        if (cJSON_IsArray(extras) && cJSON_GetArraySize(extras) > 0) {
            da_buf_putc(&text, '[');
            const cJSON *x;
            bool first = true;
            cJSON_ArrayForEach(x, extras) if (cJSON_IsString(x))
            {
                da_buf_printf(&text, "%s%s", first ? "" : ",", x->valuestring);
                first = false;
            }
            da_buf_putc(&text, ']');
        }
        const cJSON *version = cJSON_GetObjectItemCaseSensitive(pkg, "version");
        if (cJSON_IsString(version) && strcmp(version->valuestring, "*") != 0)
            da_buf_puts(&text, version->valuestring);
        const cJSON *markers = cJSON_GetObjectItemCaseSensitive(pkg, "markers");
        if (cJSON_IsString(markers) && markers->valuestring[0])
            da_buf_printf(&text, "; %s", markers->valuestring);
        da_plan_requirement r;
        memset(&r, 0, sizeof(r));
        char *problem = NULL;
        rt_classify(&r, text.data, NULL, false, &problem);
        size_t s, e;
        key_span(c, pkg->string, from, &s, &e);
        int line = rq_line_of(c->host_data, c->host_len, c->text.map[s]);
        int col = 1;
        for (size_t k = c->text.map[s]; k > 0 && c->host_data[k - 1] != '\n'; k--)
            col++;
        if (problem) {
            pl_warn(b, op->line, "%s:%d: invalid requirement '%s': %s", c->host_file, line,
                    text.data, problem);
            free(problem);
        }
        r.origin = DA_ORIGIN_LOCKFILE;
        rt_span_set(&r.where, c->host_file, line, col, c->text.map[s], c->text.map[e]);
        r.list = list;
        r.via = da_xstrdup(via);
        if (strcmp(section_name, "develop") == 0)
            r.group = da_xstrdup("pipenv:dev");
        DA_APPEND(op->reqs, op->nreqs, r);
        b->plan->lists[list].count++;
        da_buf_free(&text);
    }
}

/* The names the Pipfile next to the lock asks for: those pins are direct, the others are
 * there for them. Without the Pipfile the roles are unknown. */
static void lock_roles(pl_builder *b, da_install_op *op, size_t first, const char *lock_path)
{
    char *dir = rt_dir_of(lock_path);
    char *pipfile = rt_join_path(dir, "Pipfile");
    rq_content c;
    char *why = NULL;
    da_strlist direct = {0};
    bool have = false;
    if (pl_resolve_file(b, b->cur, pipfile, &c, &why) == 0) {
        da_pyproject pf;
        da_error err;
        if (rq_pipfile_parse(&c, c.host_file, &pf, &err) == 0) {
            have = true;
            for (size_t i = 0; i < pf.ndependencies; i++)
                if (pf.dependencies[i].parsed)
                    da_strlist_push(&direct, pf.dependencies[i].parsed->normalized);
            for (size_t i = 0; i < pf.noptional; i++)
                if (pf.optional[i].parsed)
                    da_strlist_push(&direct, pf.optional[i].parsed->normalized);
            da_pyproject_free(&pf);
        }
        rq_content_free(&c);
    }
    for (size_t i = first; i < op->nreqs; i++) {
        da_plan_requirement *r = &op->reqs[i];
        if (!have)
            r->lock = DA_LOCK_PINNED;
        else
            r->lock = r->parsed && da_strlist_contains(&direct, r->parsed->normalized)
                          ? DA_LOCK_DIRECT
                          : DA_LOCK_TRANSITIVE;
    }
    op->locked = true;
    free(op->lock_file);
    op->lock_file = da_xstrdup(lock_path);
    da_strlist_free(&direct);
    free(why);
    free(pipfile);
    free(dir);
}

static bool read_lock(pl_builder *b, da_install_op *op, const char *path, bool dev, const char *via)
{
    rq_content c;
    char *why = NULL;
    if (pl_resolve_file(b, b->cur, path, &c, &why) < 0) {
        free(why);
        return false;
    }
    cJSON *j = cJSON_ParseWithLength(c.text.s, c.text.len);
    if (!j || !cJSON_IsObject(j)) {
        pl_unknown(b, op->line, "%s is not valid JSON: its packages are not counted", path);
        cJSON_Delete(j);
        rq_content_free(&c);
        return true;
    }
    size_t list = rt_req_list_add(&b->plan->lists, &b->plan->nlists, c.host_file,
                                  DA_ORIGIN_LOCKFILE, "lockfile", "");
    size_t first = op->nreqs;
    const cJSON *def = cJSON_GetObjectItemCaseSensitive(j, "default");
    if (cJSON_IsObject(def))
        read_lock_section(b, op, &c, def, "default", list, via);
    const cJSON *devs = cJSON_GetObjectItemCaseSensitive(j, "develop");
    if (dev && cJSON_IsObject(devs))
        read_lock_section(b, op, &c, devs, "develop", list, via);
    lock_roles(b, op, first, path);
    cJSON_Delete(j);
    rq_content_free(&c);
    return true;
}

static void read_pipfile(pl_builder *b, da_install_op *op, const char *path, bool dev,
                         const char *via)
{
    rq_content c;
    char *why = NULL;
    if (pl_resolve_file(b, b->cur, path, &c, &why) < 0) {
        pl_unknown(b, op->line, "pipenv: neither Pipfile.lock nor Pipfile is in the image: %s",
                   why);
        free(why);
        return;
    }
    da_pyproject pf;
    da_error err;
    if (rq_pipfile_parse(&c, c.host_file, &pf, &err) < 0) {
        pl_unknown(b, op->line, "cannot read %s: %s", path, err.message);
        rq_content_free(&c);
        return;
    }
    for (size_t i = 0; i < pf.nlists; i++)
        pf.lists[i].origin = DA_ORIGIN_PIPFILE;
    size_t base = ic_take_lists(b, &pf);
    for (size_t i = 0; i < pf.ndependencies; i++) {
        pf.dependencies[i].origin = DA_ORIGIN_PIPFILE;
        ic_take_requirement(&op->reqs, &op->nreqs, &pf.dependencies[i], base, via);
    }
    pf.ndependencies = 0;
    for (size_t i = 0; i < pf.noptional; i++) {
        if (!dev) {
            rt_requirement_clear(&pf.optional[i]);
            continue;
        }
        pf.optional[i].origin = DA_ORIGIN_PIPFILE;
        ic_take_requirement(&op->reqs, &op->nreqs, &pf.optional[i], base, via);
    }
    pf.noptional = 0;
    ic_take_warnings(b, &pf);
    da_pyproject_free(&pf);
    rq_content_free(&c);
}

void ic_pipenv(pl_builder *b, const sh_command *c, ic_state *s, int line, size_t exe_i,
               size_t sub_i)
{
    da_install_op op;
    ic_op_init(b, &op, c, "pipenv", DA_OP_INSTALL, line, s->run_line, exe_i);
    bool sync = strcmp(c->words[sub_i].value, "sync") == 0;
    bool system = false, dev = false, ignore_pipfile = sync, packages = false;
    for (size_t i = sub_i + 1; i < c->nwords; i++) {
        const char *w = c->words[i].value;
        if (strcmp(w, "--system") == 0)
            system = true;
        else if (strcmp(w, "--dev") == 0 || strcmp(w, "-d") == 0)
            dev = true;
        else if (strcmp(w, "--deploy") == 0 || strcmp(w, "--ignore-pipfile") == 0)
            ignore_pipfile = true;
        else if (strcmp(w, "--python") == 0 || strcmp(w, "--pypi-mirror") == 0)
            i++;
        else if (w[0] != '-')
            packages = true;
    }
    if (packages)
        pl_warn(b, line,
                "pipenv install with package arguments: only the Pipfile's packages "
                "are counted");
    char *via = da_xasprintf("%s:%d pipenv %s", b->df.path, line, c->words[sub_i].value);
    char *lock = rt_join_path(s->cwd, "Pipfile.lock");
    if (!read_lock(b, &op, lock, dev, via)) {
        if (ignore_pipfile)
            pl_warn(b, line,
                    "pipenv %s needs Pipfile.lock, which is not in the image: the "
                    "Pipfile is read instead",
                    c->words[sub_i].value);
        char *pipfile = rt_join_path(s->cwd, "Pipfile");
        read_pipfile(b, &op, pipfile, dev, via);
        free(pipfile);
    }
    free(lock);
    free(via);
    if (!system)
        ic_tool_venv_dest(b, &op, c, s->cwd, line, "PIPENV_VENV_IN_PROJECT",
                          "/root/.local/share/virtualenvs",
                          "pipenv without --system installs into its own virtualenv under %s");
    ic_op_push(b, &op, c);
}
