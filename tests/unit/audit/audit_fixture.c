#include "audit_fixture.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int lk_which(void *ctx, const char *module, da_strlist *dists)
{
    fx_world *w = ctx;
    /* longest matching prefix wins, as the snapshot does */
    const fx_which *best = NULL;
    for (size_t i = 0; i < w->nwhich; i++) {
        size_t n = strlen(w->which[i].module);
        if (strncmp(module, w->which[i].module, n) == 0 && (module[n] == 0 || module[n] == '.'))
            if (!best || strlen(best->module) < n)
                best = &w->which[i];
    }
    if (!best)
        return 0;
    char *copy = da_xstrdup(best->dists);
    int n = 0;
    for (char *t = strtok(copy, " "); t; t = strtok(NULL, " "), n++)
        da_strlist_push(dists, t);
    free(copy);
    return n;
}

static bool lk_name_exists(void *ctx, const char *name)
{
    fx_world *w = ctx;
    return da_strlist_contains(&w->names, name);
}

static int lk_closest(void *ctx, const char *name, da_strlist *out, size_t max)
{
    fx_world *w = ctx;
    int n = 0;
    /* names sharing the first three letters: enough for the tests */
    for (size_t i = 0; i < w->names.len && (size_t)n < max; i++)
        if (strncmp(w->names.items[i], name, 3) == 0) {
            da_strlist_push(out, w->names.items[i]);
            n++;
        }
    return n;
}

static char *lk_known_version(void *ctx, const char *name)
{
    fx_world *w = ctx;
    size_t n = strlen(name);
    for (size_t i = 0; i < w->versions.len; i++)
        if (strncmp(w->versions.items[i], name, n) == 0 && w->versions.items[i][n] == '=')
            return da_xstrdup(w->versions.items[i] + n + 1);
    return NULL;
}

static bool lk_is_stdlib(void *ctx, int major, int minor, const char *module)
{
    (void)major;
    (void)minor;
    fx_world *w = ctx;
    const char *dot = strchr(module, '.');
    char *top = dot ? da_xstrndup(module, (size_t)(dot - module)) : da_xstrdup(module);
    bool r = da_strlist_contains(&w->stdlib, top);
    free(top);
    return r;
}

/* a release from the environment table by name (a copy: the caller frees it) */
static da_release *lk_release(void *ctx, const char *name, const char *version)
{
    (void)version;
    fx_world *w = ctx;
    for (size_t i = 0; i < w->nrelease_table; i++) {
        const da_release *r = w->release_table[i];
        if (strcmp(r->name, name) != 0)
            continue;
        da_release *c = da_xcalloc(1, sizeof(*c));
        c->name = da_xstrdup(r->name);
        c->version = da_xstrdup(r->version);
        c->modules_known = r->modules_known;
        c->requires_known = true;
        for (size_t k = 0; k < r->modules.len; k++)
            da_strlist_push(&c->modules, r->modules.items[k]);
        for (size_t k = 0; k < r->namespaces.len; k++)
            da_strlist_push(&c->namespaces, r->namespaces.items[k]);
        for (size_t k = 0; k < r->requires_dist.len; k++)
            da_strlist_push(&c->requires_dist, r->requires_dist.items[k]);
        c->source = DA_SOURCE_SNAPSHOT;
        return c;
    }
    return NULL;
}

void fx_init(fx_world *w, int py_minor)
{
    memset(w, 0, sizeof(*w));
    char tmpl[] = "/tmp/depaudit-audit-XXXXXX";
    char *d = mkdtemp(tmpl);
    if (!d)
        abort();
    char real[PATH_MAX];
    if (!realpath(d, real))
        abort();
    if (strlen(real) >= sizeof(w->dir))
        abort();
    memcpy(w->dir, real, strlen(real) + 1);
    w->plan.dockerfile = da_xasprintf("%s/Dockerfile", w->dir);
    w->plan.context_dir = da_xstrdup(w->dir);
    da_target_init(&w->plan.target, 3, py_minor, -1);
    w->plan.workdir = da_xstrdup("/app");
    w->lookup.ctx = w;
    w->lookup.which = lk_which;
    w->lookup.name_exists = lk_name_exists;
    w->lookup.closest_names = lk_closest;
    w->lookup.known_version = lk_known_version;
    w->lookup.is_stdlib = lk_is_stdlib;
    w->lookup.release = lk_release;
    const char *std[] = {"os",          "sys",  "json",    "typing",     "asyncio",
                         "dataclasses", "enum", "pathlib", "contextlib", NULL};
    for (size_t i = 0; std[i]; i++)
        da_strlist_push(&w->stdlib, std[i]);
    w->have_env = true;
}

static void mkdirs(const char *path)
{
    char *p = da_xstrdup(path);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            mkdir(p, 0755);
            *s = '/';
        }
    free(p);
}

void fx_write(fx_world *w, const char *rel, const char *content)
{
    char *path = da_xasprintf("%s/%s", w->dir, rel);
    mkdirs(path);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fputs(content, f);
    fclose(f);
    free(path);
}

char *fx_read(fx_world *w, const char *rel)
{
    char *path = da_xasprintf("%s/%s", w->dir, rel);
    char *data = NULL;
    size_t len;
    if (da_read_file(path, &data, &len, NULL) != 0)
        data = NULL;
    free(path);
    return data;
}

da_import *fx_import(fx_world *w, const char *file, int line, const char *module,
                     da_import_class klass)
{
    da_grow((void **)&w->imports.items, &w->imports.cap, w->imports.len + 1,
            sizeof(*w->imports.items));
    da_import *r = &w->imports.items[w->imports.len++];
    memset(r, 0, sizeof(*r));
    r->root = da_xstrdup(w->dir);
    r->file = da_xstrdup(file);
    r->line = line;
    r->col = 1;
    r->module = da_xstrdup(module);
    r->kind = DA_IMPORT_KIND_IMPORT;
    r->klass = klass;
    if (w->imports.len == 1 || strcmp(w->imports.items[w->imports.len - 2].file, file) != 0)
        w->imports.files++;
    return r;
}

static void set_dockerfile_text(fx_world *w, const char *text)
{
    fx_write(w, "Dockerfile", text);
}

void fx_dockerfile(fx_world *w, const char *text)
{
    set_dockerfile_text(w, text);
}

static int line_at(const char *text, size_t off)
{
    int line = 1;
    for (size_t i = 0; i < off; i++)
        line += text[i] == '\n';
    return line;
}

static void add_list_op(fx_world *w, const char *file, const char *const *reqs, bool req_file)
{
    char *text = NULL;
    size_t len;
    if (da_read_file(file, &text, &len, NULL) != 0)
        abort();
    size_t list = w->plan.nlists;
    w->plan.lists = da_xrealloc(w->plan.lists, (list + 1) * sizeof(da_req_list));
    da_req_list *L = &w->plan.lists[list];
    memset(L, 0, sizeof(*L));
    w->plan.nlists++;
    L->file = da_xstrdup(file);
    L->origin = req_file ? DA_ORIGIN_REQUIREMENTS : DA_ORIGIN_COMMAND_LINE;
    L->quote = da_xstrdup("");
    w->plan.ops = da_xrealloc(w->plan.ops, (w->plan.nops + 1) * sizeof(da_install_op));
    da_install_op *op = &w->plan.ops[w->plan.nops];
    memset(op, 0, sizeof(*op));
    op->kind = DA_OP_INSTALL;
    op->tool = da_xstrdup("pip");
    op->file = da_xstrdup(w->plan.dockerfile);
    op->reaches_final = true;
    size_t n = 0;
    while (reqs[n])
        n++;
    op->reqs = da_xcalloc(n, sizeof(da_plan_requirement));
    op->nreqs = n;
    size_t from = 0, prev_end = 0;
    int prev_line = 0;
    bool quoted = false;
    bool multiline = false;
    for (size_t i = 0; i < n; i++) {
        const char *at = strstr(text + from, reqs[i]);
        if (!at)
            abort();
        da_plan_requirement *r = &op->reqs[i];
        r->text = da_xstrdup(reqs[i]);
        r->kind = DA_REQ_NAMED;
        r->origin = L->origin;
        r->list = list;
        r->where.file = da_xstrdup(file);
        r->where.start = (size_t)(at - text);
        r->where.end = r->where.start + strlen(reqs[i]);
        quoted = at > text && at[-1] == '"' && at[strlen(reqs[i])] == '"';
        r->where.line = line_at(text, r->where.start);
        r->where.col = 1;
        for (const char *p = at; p > text && p[-1] != '\n'; p--)
            r->where.col++;
        if (i > 0 && r->where.line != prev_line)
            multiline = true;
        prev_line = r->where.line;
        prev_end = r->where.end;
        from = r->where.end;
        struct da_requirement *p = da_xcalloc(1, sizeof(*p));
        size_t nl = strcspn(reqs[i], "<>=!~[; ");
        p->name = da_xstrndup(reqs[i], nl);
        char *norm = da_xstrdup(p->name);
        for (char *c = norm; *c; c++)
            *c = (*c == '_' || *c == '.') ? '-' : (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
        p->normalized = norm;
        const char *spec = reqs[i] + nl;
        if (*spec == '[') {
            const char *close = strchr(spec, ']');
            char *ex = da_xstrndup(spec + 1, (size_t)(close - spec - 1));
            for (char *t = strtok(ex, ","); t; t = strtok(NULL, ","))
                da_strlist_push(&p->extras, t);
            free(ex);
            spec = close + 1;
        }
        p->specifier_text = da_xstrdup(spec);
        r->parsed = p;
    }
    L->insert_at = prev_end + (quoted ? 1 : 0); /* after the closing quote */
    free(L->quote);
    L->quote = da_xstrdup(quoted ? "\"" : "");
    L->insert_line = prev_line;
    L->count = n;
    L->separator = da_xstrdup(req_file ? "\n" : multiline ? " \\\n    " : " ");
    w->plan.final_ops = da_xrealloc(w->plan.final_ops, (w->plan.nfinal_ops + 1) * sizeof(size_t));
    w->plan.final_ops[w->plan.nfinal_ops++] = w->plan.nops;
    w->plan.nops++;
    /* merged: every named requirement (pointers are fixed up in fx_run) */
    free(text);
}

void fx_install(fx_world *w, const char *const *reqs)
{
    add_list_op(w, w->plan.dockerfile, reqs, false);
}

void fx_install_requirements_file(fx_world *w, const char *rel, const char *const *reqs)
{
    char *path = da_xasprintf("%s/%s", w->dir, rel);
    add_list_op(w, path, reqs, true);
    free(path);
}

static void split_into(da_strlist *out, const char *s)
{
    char *copy = da_xstrdup(s);
    for (char *t = strtok(copy, " "); t; t = strtok(NULL, " "))
        da_strlist_push(out, t);
    free(copy);
}

da_resolved_dist *fx_dist(fx_world *w, const char *name, const char *version, bool requested,
                          const char *modules, const char *namespaces, const char *required_by)
{
    w->env.dists = da_xrealloc(w->env.dists, (w->env.ndists + 1) * sizeof(da_resolved_dist));
    da_resolved_dist *d = &w->env.dists[w->env.ndists++];
    memset(d, 0, sizeof(*d));
    d->name = da_xstrdup(name);
    d->version = da_xstrdup(version);
    d->requested = requested;
    d->release = da_xcalloc(1, sizeof(da_release));
    d->release->name = da_xstrdup(name);
    d->release->version = da_xstrdup(version);
    d->release->source = DA_SOURCE_SNAPSHOT;
    d->release->requires_known = true; /* what the environment says is all it requires */
    if (modules) {
        d->release->modules_known = true;
        split_into(&d->release->modules, modules);
    }
    if (namespaces)
        split_into(&d->release->namespaces, namespaces);
    d->reasons = da_xcalloc(1, sizeof(da_resolve_reason));
    d->nreasons = 1;
    if (requested) {
        d->reasons[0].kind = DA_REASON_REQUESTED;
        d->reasons[0].file = da_xstrdup(w->plan.dockerfile);
        d->reasons[0].line = 1;
    } else {
        d->reasons[0].kind = DA_REASON_REQUIRED_BY;
        d->reasons[0].parent = da_xstrdup(required_by ? required_by : "something");
    }
    if (!da_strlist_contains(&w->names, name))
        da_strlist_push(&w->names, name);
    return d;
}

void fx_cmd(fx_world *w, const char *const *argv, bool shell_form)
{
    for (size_t i = 0; argv[i]; i++)
        da_strlist_push(&w->plan.cmd, argv[i]);
    w->plan.cmd_shell_form = shell_form;
    w->plan.cmd_file = da_xstrdup(w->plan.dockerfile);
    w->plan.cmd_line = 1;
}

void fx_copy(fx_world *w, const char *source, const char *dest)
{
    w->plan.copies = da_xrealloc(w->plan.copies, (w->plan.ncopies + 1) * sizeof(da_copied_path));
    da_copied_path *c = &w->plan.copies[w->plan.ncopies++];
    memset(c, 0, sizeof(*c));
    c->source = da_xstrdup(source);
    c->dest = da_xstrdup(dest);
    c->file = da_xstrdup(w->plan.dockerfile);
    c->line = 1;
}

void fx_env(fx_world *w, const char *name, const char *value)
{
    w->plan.env = da_xrealloc(w->plan.env, (w->plan.nenv + 1) * sizeof(da_env_var));
    da_env_var *e = &w->plan.env[w->plan.nenv++];
    e->name = da_xstrdup(name);
    e->value = da_xstrdup(value);
    e->file = da_xstrdup(w->plan.dockerfile);
    e->line = 1;
}

void fx_which_add(fx_world *w, const char *module, const char *dists)
{
    fx_which x = {da_xstrdup(module), da_xstrdup(dists)};
    DA_PUSH(w->which, w->nwhich, w->cwhich, x);
    char *copy = da_xstrdup(dists);
    for (char *t = strtok(copy, " "); t; t = strtok(NULL, " "))
        if (!da_strlist_contains(&w->names, t))
            da_strlist_push(&w->names, t);
    free(copy);
}

/* plan.merged from the ops, as the image stage builds it */
static void build_merged(fx_world *w)
{
    for (size_t k = 0; k < w->plan.nops; k++) {
        da_install_op *op = &w->plan.ops[k];
        for (size_t j = 0; j < op->nreqs; j++) {
            const char *name = op->reqs[j].parsed->normalized;
            da_merged_requirement *m = NULL;
            for (size_t i = 0; i < w->plan.nmerged; i++)
                if (strcmp(w->plan.merged[i].name, name) == 0)
                    m = &w->plan.merged[i];
            if (!m) {
                w->plan.merged =
                    da_xrealloc(w->plan.merged, (w->plan.nmerged + 1) * sizeof(*w->plan.merged));
                m = &w->plan.merged[w->plan.nmerged++];
                memset(m, 0, sizeof(*m));
                m->name = da_xstrdup(name);
            }
            m->occurrences =
                da_xrealloc(m->occurrences, (m->noccurrences + 1) * sizeof(*m->occurrences));
            m->occurrences[m->noccurrences++] = &op->reqs[j];
        }
    }
}

int fx_run(fx_world *w, da_findings *out)
{
    if (w->plan.nmerged == 0)
        build_merged(w);
    da_audit_input in = {0};
    in.imports = &w->imports;
    in.plan = &w->plan;
    in.env = w->have_env ? &w->env : NULL;
    in.resolve_failure = w->resolve_failure;
    in.lookup = &w->lookup;
    in.config = &w->config;
    in.cwd = w->dir;
    in.metadata_origin = "test tables";
    da_error err;
    /* the build context's .dockerignore, as the check stage hands it over */
    da_ignore_rules ignore;
    if (da_dockerignore_load(w->plan.context_dir, NULL, &ignore, &err) != 0)
        return -1;
    in.ignore = &ignore;
    int rc = da_audit_run(&in, out, &err);
    da_ignore_rules_free(&ignore);
    return rc;
}

const da_finding *fx_find(const da_findings *f, da_code code, const char *what)
{
    for (size_t i = 0; i < f->len; i++) {
        const da_finding *x = &f->items[i];
        if (x->code != code)
            continue;
        if (!what || (x->module && strcmp(x->module, what) == 0) ||
            (x->dist && strcmp(x->dist, what) == 0))
            return x;
    }
    return NULL;
}

size_t fx_count(const da_findings *f, da_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < f->len; i++)
        n += f->items[i].code == code;
    return n;
}

void fx_free(fx_world *w)
{
    char *cmd = da_xasprintf("rm -rf '%s'", w->dir);
    if (system(cmd) != 0) {
        /* leaving a temporary directory behind is harmless */
    }
    free(cmd);
    /* the stages' own destructors: the fixture builds their structs by hand but owns
     * every member the same way they do */
    da_import_set_free(&w->imports);
    da_install_plan_free(&w->plan);
    da_environment_free(&w->env);
    for (size_t i = 0; i < w->nwhich; i++) {
        free(w->which[i].module);
        free(w->which[i].dists);
    }
    free(w->which);
    da_strlist_free(&w->names);
    da_strlist_free(&w->versions);
    da_strlist_free(&w->stdlib);
    da_audit_config_free(&w->config);
    free(w->resolve_failure);
}

const char fx_demo_dockerfile[] =
    "FROM python:3.11-slim AS builder\n"
    "RUN pip install --no-cache-dir --prefix=/install \\\n"
    "    \"fastapi>=0.104.0\" \\\n"
    "    \"gunicorn>=21.2.0\" \\\n"
    "    \"uvicorn[standard]>=0.24.0\" \\\n"
    "    \"asyncpg>=0.29.0\" \\\n"
    "    \"tenacity>=8.2.1\" \\\n"
    "    \"opentelemetry-api>=1.21.0\" \\\n"
    "    \"opentelemetry-sdk>=1.21.0\"\n"
    "FROM python:3.11-slim\n"
    "COPY --from=builder /install /usr/local\n"
    "WORKDIR /app\n"
    "COPY src/ ./src/\n"
    "CMD [\"gunicorn\", \"src.api.main:app\", \"-k\", \"uvicorn.workers.UvicornWorker\"]\n";

/* The incident in miniature: src/api/main.py -> src/core/telemetry.py -> OTLP exporter. */
void fx_demo_world(fx_world *w)
{
    fx_init(w, 11);
    fx_dockerfile(w, fx_demo_dockerfile);
    const char *reqs[] = {"fastapi>=0.104.0",          "gunicorn>=21.2.0",
                          "uvicorn[standard]>=0.24.0", "asyncpg>=0.29.0",
                          "tenacity>=8.2.1",           "opentelemetry-api>=1.21.0",
                          "opentelemetry-sdk>=1.21.0", NULL};
    fx_install(w, reqs);
    fx_copy(w, "src", "/app/src");
    const char *cmd[] = {"gunicorn", "src.api.main:app", "-k", "uvicorn.workers.UvicornWorker",
                         NULL};
    fx_cmd(w, cmd, false);
    fx_write(w, "src/__init__.py", "");
    fx_write(w, "src/api/__init__.py", "");
    fx_write(w, "src/core/__init__.py", "");
    fx_write(w, "src/api/main.py",
             "from fastapi import FastAPI\n\n"
             "from src.core.telemetry import setup\n");
    fx_write(w, "src/core/telemetry.py",
             "from opentelemetry import trace\n"
             "from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import E\n"
             "import opentelemetry.sdk.trace\n");
    fx_write(w, "src/core/config.py", "URL = 'postgresql+asyncpg://db/app'\n");
    fx_write(w, "src/core/security.py", "from jose import jwt\n");
    fx_import(w, "src/api/main.py", 1, "fastapi", DA_CLASS_THIRD_PARTY)->kind = DA_IMPORT_KIND_FROM;
    da_import *r = fx_import(w, "src/api/main.py", 3, "src.core.telemetry", DA_CLASS_FIRST_PARTY);
    r->kind = DA_IMPORT_KIND_FROM;
    da_strlist_push(&r->names, "setup");
    r = fx_import(w, "src/core/security.py", 1, "jose", DA_CLASS_THIRD_PARTY);
    r->kind = DA_IMPORT_KIND_FROM;
    da_strlist_push(&r->names, "jwt");
    r = fx_import(w, "src/core/telemetry.py", 1, "opentelemetry", DA_CLASS_THIRD_PARTY);
    r->kind = DA_IMPORT_KIND_FROM;
    da_strlist_push(&r->names, "trace");
    r = fx_import(w, "src/core/telemetry.py", 2,
                  "opentelemetry.exporter.otlp.proto.grpc.trace_exporter", DA_CLASS_THIRD_PARTY);
    r->kind = DA_IMPORT_KIND_FROM;
    da_strlist_push(&r->names, "E");
    fx_import(w, "src/core/telemetry.py", 3, "opentelemetry.sdk.trace", DA_CLASS_THIRD_PARTY);
    fx_dist(w, "fastapi", "0.104.1", true, "fastapi", "", NULL);
    fx_dist(w, "gunicorn", "21.2.0", true, "gunicorn", "", NULL);
    fx_dist(w, "uvicorn", "0.24.0", true, "uvicorn", "", NULL);
    fx_dist(w, "asyncpg", "0.29.0", true, "asyncpg", "", NULL);
    fx_dist(w, "tenacity", "8.2.1", true, "tenacity", "", NULL);
    fx_dist(w, "opentelemetry-api", "1.21.0", true, "opentelemetry.trace opentelemetry.context",
            "opentelemetry", NULL);
    fx_dist(w, "opentelemetry-sdk", "1.21.0", true, "opentelemetry.sdk", "opentelemetry", NULL);
    fx_which_add(w, "opentelemetry.exporter.otlp.proto.grpc",
                 "opentelemetry-exporter-otlp-proto-grpc");
    fx_which_add(w, "jose", "python-jose");
    da_strlist_push(&w->versions, "python-jose=3.3.0");
}
