/* libFuzzer target for the resolver: the input bytes describe a small package index (six
 * projects, a handful of versions each, requirements drawn from specifier, extra and
 * marker pieces that exercise pre-releases, yanked files, Requires-Python and extras) and
 * up to three install commands. Whatever the index, da_resolve must finish (the round
 * limit bounds backtracking), never crash, and free everything; a resolved environment
 * must satisfy every user requirement it reports as requested. */
#include "depaudit/pep.h"
#include "depaudit/resolve.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct bytes {
    const uint8_t *p;
    size_t n;
} bytes;

static unsigned take(bytes *b)
{
    if (!b->n)
        return 0;
    b->n--;
    return *b->p++;
}

static const char *const VERSIONS[] = {"0.9", "1.0",   "1.1",       "1.5",
                                       "2.0", "2.0b1", "2.0.post1", "3.0rc1"};
static const char *const SPECS[] = {"",      ">=1",     "<2",     "==1.0",     "!=1.1",
                                    "~=1.0", ">=2.0b1", "===1.5", ">0.9,<1.5", "==2.*"};
static const char *const MARKERS[] = {"", "; extra == 'x'", "; python_version < '3'",
                                      "; sys_platform == 'linux'", "; extra == 'y'"};
static const char *const PYTHONS[] = {NULL, ">=3.8", ">=3.12", "<3"};
enum { NPROJ = 6, MAXV = 5, MAXDEPS = 3 };

typedef struct fz_version {
    const char *version;
    bool yanked, sdist_only;
    const char *requires_python;
    da_strlist deps;
} fz_version;

typedef struct fz_index {
    fz_version v[NPROJ][MAXV];
    int nv[NPROJ];
} fz_index;

static char *make_req(bytes *b)
{
    unsigned r = take(b);
    char name = (char)('a' + r % NPROJ);
    const char *extra = (r / NPROJ) % 3 == 1 ? "[x]" : (r / NPROJ) % 3 == 2 ? "[x,y]" : "";
    const char *spec = SPECS[take(b) % (sizeof(SPECS) / sizeof(*SPECS))];
    const char *marker = MARKERS[take(b) % (sizeof(MARKERS) / sizeof(*MARKERS))];
    return da_xasprintf("%c%s%s%s", name, extra, spec, marker);
}

static int get_project(void *ctx, const char *name, da_project **out, da_error *err)
{
    (void)err;
    fz_index *ix = ctx;
    *out = NULL;
    if (strlen(name) != 1 || name[0] < 'a' || name[0] >= 'a' + NPROJ)
        return 1;
    int p = name[0] - 'a';
    da_project *proj = da_xcalloc(1, sizeof(*proj));
    proj->name = da_xstrdup(name);
    proj->versions = da_xcalloc(MAXV, sizeof(*proj->versions));
    for (int i = 0; i < ix->nv[p]; i++) {
        const fz_version *v = &ix->v[p][i];
        da_project_version *pv = &proj->versions[proj->nversions++];
        pv->version = da_xstrdup(v->version);
        pv->files = da_xcalloc(1, sizeof(*pv->files));
        pv->nfiles = 1;
        da_release_file *f = &pv->files[0];
        f->filename = v->sdist_only ? da_xasprintf("%s-%s.tar.gz", name, v->version)
                                    : da_xasprintf("%s-%s-py3-none-any.whl", name, v->version);
        f->yanked = v->yanked;
        f->requires_python = v->requires_python ? da_xstrdup(v->requires_python) : NULL;
        f->upload_time = da_xstrdup("2023-01-01T00:00:00Z");
        f->size = -1;
    }
    *out = proj;
    return 0;
}

static int get_release(void *ctx, const char *name, const char *version, da_release **out,
                       da_error *err)
{
    (void)err;
    fz_index *ix = ctx;
    *out = NULL;
    if (strlen(name) != 1 || name[0] < 'a' || name[0] >= 'a' + NPROJ)
        return 1;
    int p = name[0] - 'a';
    for (int i = 0; i < ix->nv[p]; i++) {
        const fz_version *v = &ix->v[p][i];
        if (strcmp(v->version, version) != 0)
            continue;
        da_release *r = da_xcalloc(1, sizeof(*r));
        r->name = da_xstrdup(name);
        r->version = da_xstrdup(version);
        r->requires_known = true;
        r->requires_python = v->requires_python ? da_xstrdup(v->requires_python) : NULL;
        for (size_t k = 0; k < v->deps.len; k++)
            da_strlist_push(&r->requires_dist, v->deps.items[k]);
        da_strlist_push(&r->provides_extra, "x");
        r->source = DA_SOURCE_INDEX;
        *out = r;
        return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bytes b = {data, size};
    fz_index ix;
    memset(&ix, 0, sizeof(ix));
    for (int p = 0; p < NPROJ; p++) {
        ix.nv[p] = (int)(take(&b) % (MAXV + 1));
        for (int i = 0; i < ix.nv[p]; i++) {
            fz_version *v = &ix.v[p][i];
            unsigned f = take(&b);
            v->version = VERSIONS[f % 8];
            v->yanked = (f & 0x08) != 0;
            v->sdist_only = (f & 0x10) != 0;
            v->requires_python = PYTHONS[(f >> 5) % 4];
            unsigned nd = take(&b) % (MAXDEPS + 1);
            for (unsigned d = 0; d < nd; d++)
                da_strlist_push_owned(&v->deps, make_req(&b));
        }
    }
    da_resolve_input in;
    da_resolve_input_init(&in);
    unsigned nsteps = 1 + take(&b) % 3;
    for (unsigned s = 0; s < nsteps; s++) {
        unsigned f = take(&b);
        da_resolve_step *st = da_resolve_input_add_step(
            &in, (f & 1) ? DA_STEP_UNINSTALL : DA_STEP_INSTALL, "Dockerfile", (int)s + 1);
        st->pre = (f & 2) != 0;
        st->upgrade = (f & 4) != 0;
        st->no_deps = (f & 8) != 0;
        st->only_binary_all = (f & 16) != 0;
        unsigned nr = 1 + take(&b) % 4;
        for (unsigned r = 0; r < nr; r++) {
            char *req = make_req(&b);
            da_resolve_step_add_req(st, req, "Dockerfile", (int)s + 1, 1);
            free(req);
        }
    }
    if (b.n && (take(&b) & 1)) {
        /* the rest, as text, for the requirement parser's error path */
        char *raw = da_xstrndup((const char *)b.p, b.n);
        da_resolve_step_add_req(&in.steps[0], raw, "Dockerfile", 1, 1);
        free(raw);
    }
    da_provider prov = {&ix, NULL, get_project, get_release, NULL};
    da_environment env;
    da_error err;
    da_error_clear(&err);
    int rc = da_resolve(&in, &prov, &env, &err);
    if (rc >= 0 && in.nsteps == 1 && in.steps[0].kind == DA_STEP_INSTALL && env.nconflicts == 0) {
        /* everything a single install command asked for is there, in a version that fits */
        da_marker_env menv;
        da_marker_env_from_target(&menv, &in.target);
        for (size_t i = 0; i < in.steps[0].nreqs; i++) {
            da_requirement *req = da_requirement_parse(in.steps[0].reqs[i].text, NULL);
            if (!req)
                continue;
            if (!req->url && (!req->marker || da_marker_evaluate(req->marker, &menv, "") == 1)) {
                const da_resolved_dist *d = da_environment_find(&env, req->normalized);
                if (!d || !da_specifier_set_contains_str(req->specifier, d->version, 1))
                    abort();
            }
            da_requirement_free(req);
        }
    }
    char *json = da_environment_to_json(&env);
    free(json);
    da_environment_free(&env);
    da_resolve_input_free(&in);
    for (int p = 0; p < NPROJ; p++)
        for (int i = 0; i < MAXV; i++)
            da_strlist_free(&ix.v[p][i].deps);
    return 0;
}
