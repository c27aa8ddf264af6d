#include "fixture_provider.h"

#include "depaudit/pep.h"
#include "depaudit/wheel.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
    cJSON *doc;
    fixture_stats stats;
    char *fail_name;
} fixture;

#define DEFAULT_UPLOAD_TIME "2023-01-01T00:00:00.000000Z"

static const cJSON *find_project(const fixture *f, const char *name)
{
    const cJSON *projects = cJSON_GetObjectItemCaseSensitive(f->doc, "projects");
    const cJSON *p;
    cJSON_ArrayForEach(p, projects)
    {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(p, "name");
        if (!cJSON_IsString(n))
            continue;
        char *norm = da_name_normalize(n->valuestring);
        bool same = strcmp(norm, name) == 0;
        free(norm);
        if (same)
            return p;
    }
    return NULL;
}

static const char *str_field(const cJSON *o, const char *key, const char *dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : dflt;
}

static bool bool_field(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsTrue(v) || cJSON_IsString(v);
}

static char *wheel_dist(const char *name)
{
    char *n = da_name_normalize(name);
    for (char *p = n; *p; p++)
        if (*p == '-')
            *p = '_';
    return n;
}

static void add_file(da_project_version *pv, size_t *cap, char *filename, const cJSON *rel,
                     const cJSON *wheel)
{
    da_grow((void **)&pv->files, cap, pv->nfiles + 1, sizeof(*pv->files));
    da_release_file *f = &pv->files[pv->nfiles++];
    memset(f, 0, sizeof(*f));
    f->filename = filename;
    f->url = da_xasprintf("memory:///%s", filename);
    const char *rp = str_field(rel, "requires_python", NULL);
    f->requires_python = rp ? da_xstrdup(rp) : NULL;
    const char *up = str_field(wheel ? wheel : rel, "upload_time", NULL);
    if (!up)
        up = str_field(rel, "upload_time", DEFAULT_UPLOAD_TIME);
    f->upload_time = da_xstrdup(up);
    f->yanked = bool_field(rel, "yanked") || (wheel && bool_field(wheel, "yanked"));
    f->has_metadata = true;
    f->size = -1;
}

static int get_project(void *ctx, const char *name, da_project **out, da_error *err)
{
    fixture *f = ctx;
    f->stats.get_project++;
    *out = NULL;
    if (f->fail_name && strcmp(f->fail_name, name) == 0)
        return da_error_set(err, "memory:///simple", 0, 0, "%s: connection refused", name);
    const cJSON *p = find_project(f, name);
    if (!p)
        return 1;
    da_project *proj = da_xcalloc(1, sizeof(*proj));
    proj->name = da_name_normalize(name);
    /* "snapshot": true models the offline snapshot: versions listed without files */
    bool snapshot = bool_field(p, "snapshot");
    proj->source = snapshot ? DA_SOURCE_SNAPSHOT : DA_SOURCE_INDEX;
    /* "versions_complete": true: a snapshot list that is every version there is */
    proj->versions_complete = bool_field(p, "versions_complete");
    proj->origin = da_xstrdup("fixture");
    const cJSON *rels = cJSON_GetObjectItemCaseSensitive(p, "releases");
    size_t vcap = 0;
    const cJSON *rel;
    char *dist = wheel_dist(name);
    cJSON_ArrayForEach(rel, rels)
    {
        const char *ver = str_field(rel, "version", NULL);
        if (!ver)
            continue;
        da_grow((void **)&proj->versions, &vcap, proj->nversions + 1, sizeof(*proj->versions));
        da_project_version *pv = &proj->versions[proj->nversions++];
        memset(pv, 0, sizeof(*pv));
        pv->version = da_xstrdup(ver);
        size_t fcap = 0;
        if (snapshot)
            continue;
        const cJSON *wheels = cJSON_GetObjectItemCaseSensitive(rel, "wheels");
        if (cJSON_IsArray(wheels)) {
            const cJSON *w;
            cJSON_ArrayForEach(w, wheels)
            {
                const char *build = str_field(w, "build", NULL);
                char *fn = da_xasprintf("%s-%s%s%s-%s.whl", dist, ver, build ? "-" : "",
                                        build ? build : "", str_field(w, "tags", "py3-none-any"));
                add_file(pv, &fcap, fn, rel, w);
            }
        } else if (!bool_field(rel, "sdist_only")) {
            add_file(pv, &fcap, da_xasprintf("%s-%s-py3-none-any.whl", dist, ver), rel, NULL);
        }
        if (bool_field(rel, "sdist") || bool_field(rel, "sdist_only"))
            add_file(pv, &fcap, da_xasprintf("%s-%s.tar.gz", dist, ver), rel, NULL);
    }
    free(dist);
    *out = proj;
    return 0;
}

static void push_strings(da_strlist *l, const cJSON *arr)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, arr)
    {
        if (cJSON_IsString(s))
            da_strlist_push(l, s->valuestring);
    }
}

static int get_release(void *ctx, const char *name, const char *version, da_release **out,
                       da_error *err)
{
    fixture *f = ctx;
    f->stats.get_release++;
    *out = NULL;
    if (f->fail_name && strcmp(f->fail_name, name) == 0)
        return da_error_set(err, "memory:///simple", 0, 0, "%s %s: connection refused", name,
                            version);
    const cJSON *p = find_project(f, name);
    if (!p)
        return 1;
    const cJSON *rel;
    cJSON_ArrayForEach(rel, cJSON_GetObjectItemCaseSensitive(p, "releases"))
    {
        const char *ver = str_field(rel, "version", NULL);
        if (!ver || strcmp(ver, version) != 0)
            continue;
        da_release *r = da_xcalloc(1, sizeof(*r));
        r->name = da_name_normalize(name);
        r->version = da_xstrdup(ver);
        const char *rp = str_field(rel, "requires_python", NULL);
        r->requires_python = rp ? da_xstrdup(rp) : NULL;
        /* "requires_unknown": true models a source that lost the requirements */
        r->requires_known = !bool_field(rel, "requires_unknown");
        push_strings(&r->requires_dist, cJSON_GetObjectItemCaseSensitive(rel, "requires_dist"));
        push_strings(&r->provides_extra, cJSON_GetObjectItemCaseSensitive(rel, "provides_extra"));
        da_strlist paths = {0};
        const cJSON *files = cJSON_GetObjectItemCaseSensitive(rel, "files");
        if (cJSON_IsArray(files))
            push_strings(&paths, files);
        else if (cJSON_IsObject(files)) {
            const cJSON *e;
            cJSON_ArrayForEach(e, files) da_strlist_push(&paths, e->string);
        }
        da_modules_from_paths(&paths, r);
        da_strlist_free(&paths);
        r->source = bool_field(p, "snapshot") ? DA_SOURCE_SNAPSHOT : DA_SOURCE_INDEX;
        r->origin = da_xstrdup("fixture");
        *out = r;
        return 0;
    }
    return 1;
}

static void prefetch(void *ctx, const char *const *names, size_t n)
{
    (void)names;
    (void)n;
    ((fixture *)ctx)->stats.prefetch++;
}

static void destroy(void *ctx)
{
    fixture *f = ctx;
    cJSON_Delete(f->doc);
    free(f->fail_name);
    free(f);
}

int fixture_provider_from_json(const char *text, const char *origin, da_provider *out,
                               da_error *err)
{
    cJSON *doc = cJSON_Parse(text);
    if (!doc || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "projects"))) {
        cJSON_Delete(doc);
        return da_error_set(err, origin, 0, 0, "not a fixture: expected {\"projects\": [...]}");
    }
    fixture *f = da_xcalloc(1, sizeof(*f));
    f->doc = doc;
    out->ctx = f;
    out->prefetch_projects = prefetch;
    out->get_project = get_project;
    out->get_release = get_release;
    out->destroy = destroy;
    return 0;
}

int fixture_provider_from_file(const char *path, da_provider *out, da_error *err)
{
    char *text = NULL;
    size_t len = 0;
    if (da_read_file(path, &text, &len, err) < 0)
        return -1;
    int rc = fixture_provider_from_json(text, path, out, err);
    free(text);
    return rc;
}

const fixture_stats *fixture_provider_stats(const da_provider *p)
{
    return &((const fixture *)p->ctx)->stats;
}

void fixture_provider_fail_on(da_provider *p, const char *name)
{
    fixture *f = p->ctx;
    free(f->fail_name);
    f->fail_name = da_xstrdup(name);
}
