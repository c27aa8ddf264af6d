#include "resolver.h"

#include "depaudit/wheel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void warn(rs_ctx *c, char *msg)
{
    if (da_strlist_contains(&c->env->warnings, msg))
        free(msg);
    else
        da_strlist_push_owned(&c->env->warnings, msg);
}

/* ---- specifier clauses --------------------------------------------------------------- */

int rs_clauses_from_specifier(const da_specifier_set *spec, rs_clauses *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    char *text = da_specifier_set_to_string(spec);
    size_t cap = 0, ops_cap = 0, wc_cap = 0;
    char *save = NULL;
    for (char *tok = strtok_r(text, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        if (!*tok)
            continue;
        da_specifier_set *one = da_specifier_set_parse(tok, err);
        if (!one) {
            free(text);
            rs_clauses_free(out);
            return -1;
        }
        size_t oplen = strspn(tok, "=<>!~");
        size_t n = out->len;
        size_t n2 = n, n3 = n;
        DA_PUSH(out->items, n, cap, one);
        DA_PUSH(out->ops, n2, ops_cap, da_xstrndup(tok, oplen));
        DA_PUSH(out->wildcard, n3, wc_cap, da_str_ends_with(tok, ".*"));
        out->len = n;
    }
    free(text);
    return 0;
}

void rs_clauses_free(rs_clauses *c)
{
    for (size_t i = 0; i < c->len; i++) {
        da_specifier_set_free(c->items[i]);
        free(c->ops[i]);
    }
    free(c->items);
    free(c->ops);
    free(c->wildcard);
    memset(c, 0, sizeof(*c));
}

/* ---- projects -------------------------------------------------------------------------- */

bool rs_python_satisfies(const rs_ctx *c, const char *requires_python)
{
    if (!requires_python || !*requires_python)
        return true;
    da_specifier_set *s = da_specifier_set_parse(requires_python, NULL);
    if (!s)
        return true; /* pip ignores a Requires-Python it cannot parse */
    bool ok = da_specifier_set_contains_str(s, c->python_full, -1);
    da_specifier_set_free(s);
    return ok;
}

static int version_desc(const void *a, const void *b)
{
    const rs_version *x = a, *y = b;
    return da_version_compare(y->v, x->v);
}

rs_version *rs_add_version(rs_project *p, size_t *cap, const char *str, da_version *v,
                           bool installed_only)
{
    da_grow((void **)&p->versions, cap, p->nversions + 1, sizeof(*p->versions));
    rs_version *rv = &p->versions[p->nversions++];
    memset(rv, 0, sizeof(*rv));
    rv->str = da_xstrdup(str);
    rv->v = v;
    rv->prerelease = da_version_is_prerelease(v);
    rv->installed_only = installed_only;
    rv->best_file = -1;
    return rv;
}

static bool has_version(const rs_project *p, const da_version *v)
{
    for (size_t i = 0; i < p->nversions; i++)
        if (da_version_compare(p->versions[i].v, v) == 0)
            return true;
    return false;
}

int rs_project_get(rs_ctx *c, const char *name, da_error *err)
{
    char *norm = da_name_normalize(name);
    for (size_t i = 0; i < c->nprojects; i++)
        if (strcmp(c->projects[i].name, norm) == 0) {
            free(norm);
            return (int)i;
        }
    da_project *proj = NULL;
    da_error e;
    da_error_clear(&e);
    int rc = c->provider->get_project(c->provider->ctx, norm, &proj, &e);
    if (rc < 0 && !c->in->unknown_is_partial) {
        if (err)
            *err = e;
        c->env->metadata_failed = true;
        free(norm);
        return -1;
    }
    if (rc >= 0)
        c->env->projects_fetched++;
    da_grow((void **)&c->projects, &c->projects_cap, c->nprojects + 1, sizeof(*c->projects));
    rs_project *p = &c->projects[c->nprojects];
    memset(p, 0, sizeof(*p));
    p->name = norm;
    p->loaded = true;
    p->eligibility_step = -1;
    p->installed = -1;
    p->missing = rc == 1;
    p->unknown = rc < 0;
    if (p->unknown)
        p->unknown_why = da_xstrdup(e.message[0] ? e.message : "no metadata source could answer");
    /* an index lists every version; the snapshot and site-packages hold a sample unless
     * the snapshot says its list is whole */
    p->sample = p->unknown || (proj && proj->source != DA_SOURCE_INDEX &&
                               proj->source != DA_SOURCE_CACHE && !proj->versions_complete);
    p->proj = proj;
    size_t cap = 0;
    if (proj) {
        for (size_t i = 0; i < proj->nversions; i++) {
            /* pip skips versions that are not valid PEP 440 versions */
            da_version *v = da_version_parse(proj->versions[i].version, NULL);
            if (!v)
                continue;
            if (has_version(p, v)) {
                da_version_free(v);
                continue;
            }
            rs_add_version(p, &cap, proj->versions[i].version, v, false);
        }
    }
    /* The base image's versions need not be on the index but are candidates all the same. */
    for (size_t i = 0; i < c->in->npreinstalled; i++) {
        char *pn = da_name_normalize(c->in->preinstalled[i].name);
        bool same = strcmp(pn, norm) == 0;
        free(pn);
        if (!same)
            continue;
        da_version *v = da_version_parse(c->in->preinstalled[i].version, NULL);
        if (!v)
            continue;
        if (has_version(p, v))
            da_version_free(v);
        else
            rs_add_version(p, &cap, c->in->preinstalled[i].version, v, true);
    }
    if (p->nversions > 1)
        qsort(p->versions, p->nversions, sizeof(*p->versions), version_desc);
    c->nprojects++;
    return (int)(c->nprojects - 1);
}

static const da_project_version *project_version_of(const rs_project *p, const rs_version *v)
{
    if (!p->proj || v->installed_only)
        return NULL;
    for (size_t i = 0; i < p->proj->nversions; i++) {
        if (strcmp(p->proj->versions[i].version, v->str) == 0)
            return &p->proj->versions[i];
    }
    return NULL;
}

/* The file pip takes among one version's eligible files: non-yanked first, then the wheel
 * with the best tag, an sdist only after every compatible wheel. The supported tag list is
 * computed once per resolution (building it per file dominated the run time). */
static int choose_file(const rs_ctx *c, const da_release_file *files, size_t n, bool allow_sdist)
{
    int best = -1;
    long best_key = 0;
    for (size_t i = 0; i < n; i++) {
        long rank;
        if (da_str_ends_with(files[i].filename, ".whl")) {
            int r = da_wheel_rank_in(files[i].filename, &c->supported_tags);
            if (r < 0)
                continue;
            rank = r;
        } else if (allow_sdist && da_is_sdist_filename(files[i].filename)) {
            rank = (long)c->supported_tags.len; /* after every wheel */
        } else {
            continue;
        }
        long key = (files[i].yanked ? 1L << 30 : 0) + rank;
        if (best < 0 || key < best_key) {
            best = (int)i;
            best_key = key;
        }
    }
    return best;
}

static bool name_listed(const da_strlist *l, const char *name)
{
    return da_strlist_contains(l, name) || da_strlist_contains(l, ":all:");
}

/* pip evaluates each file (link) on its own: the platform tags, the data-requires-python,
 * the binary policy; and --as-of adds the upload time. Among those left it prefers a
 * non-yanked file, then the best wheel, then an sdist. */
void rs_project_eligibility(rs_ctx *c, rs_project *p)
{
    if (p->eligibility_step == c->step_index)
        return;
    p->eligibility_step = c->step_index;
    p->installed = -1;
    for (size_t i = 0; i < c->ninstalled; i++) {
        if (strcmp(c->installed[i].name, p->name) != 0)
            continue;
        da_version *iv = da_version_parse(c->installed[i].version, NULL);
        for (size_t j = 0; iv && j < p->nversions; j++)
            if (da_version_compare(p->versions[j].v, iv) == 0)
                p->installed = (int)j;
        da_version_free(iv);
    }
    const da_resolve_step *s = c->step;
    bool allow_sdist =
        c->in->allow_sdist && !(s && (s->only_binary_all || name_listed(&s->only_binary, p->name)));
    bool allow_wheel = !(s && (s->no_binary_all || name_listed(&s->no_binary, p->name)));
    for (size_t i = 0; i < p->nversions; i++) {
        rs_version *v = &p->versions[i];
        free(v->why_not);
        v->why_not = NULL;
        v->best_file = -1;
        v->eligible = false;
        v->yanked = false;
        const da_project_version *pv = project_version_of(p, v);
        if (!pv)
            continue;
        if (pv->nfiles == 0 && p->proj->source != DA_SOURCE_INDEX) {
            /* The snapshot and the cache of a snapshot-only answer list versions without
             * files: assume the version installs, and say so once. */
            v->eligible = true;
            if (!da_strlist_contains(&c->files_unknown, p->name))
                da_strlist_push(&c->files_unknown, p->name);
            continue;
        }
        da_release_file *keep = da_xcalloc(pv->nfiles ? pv->nfiles : 1, sizeof(*keep));
        size_t *map = da_xcalloc(pv->nfiles ? pv->nfiles : 1, sizeof(*map));
        size_t n = 0;
        const char *why = NULL;
        for (size_t j = 0; j < pv->nfiles; j++) {
            const da_release_file *f = &pv->files[j];
            bool is_wheel = da_str_ends_with(f->filename, ".whl");
            if (c->in->as_of && f->upload_time && strcmp(f->upload_time, c->in->as_of) >= 0) {
                why = "uploaded after the --as-of date";
                continue;
            }
            if (c->in->as_of && !f->upload_time && !c->warned_no_upload_time) {
                c->warned_no_upload_time = true;
                warn(c, da_xasprintf("upload time unknown for %s (kept despite --as-of)",
                                     f->filename));
            }
            if (f->requires_python && !rs_python_satisfies(c, f->requires_python)) {
                why = "requires a newer or older Python";
                v->why_not = da_xasprintf("requires Python %s", f->requires_python);
                continue;
            }
            if (is_wheel && !allow_wheel)
                continue;
            keep[n] = *f;
            map[n] = j;
            n++;
        }
        int best = n ? choose_file(c, keep, n, allow_sdist) : -1;
        if (best >= 0) {
            v->eligible = true;
            v->best_file = (int)map[best];
            v->yanked = keep[best].yanked;
            free(v->why_not);
            v->why_not = NULL;
        } else if (!v->why_not) {
            if (n)
                why = allow_sdist ? "no wheel or sdist for this platform"
                                  : "no compatible wheel (sdists not allowed)";
            v->why_not = da_xstrdup(why ? why : "no files");
        }
        free(keep);
        free(map);
    }
}

/* Parses a release's Requires-Dist into the version's dependency edges. */
static void take_release(rs_ctx *c, rs_project *p, rs_version *v, da_release *r)
{
    v->release = r;
    if (!r->requires_known) {
        v->deps_unknown = true;
        warn(c, da_xasprintf("requirements unknown for %s%s%s (%s)", p->name, *v->str ? " " : "",
                             v->str, da_source_kind_name(r->source)));
        return;
    }
    if (r->requires_incomplete)
        warn(c, da_xasprintf("requirements of %s%s%s may be incomplete (%s)", p->name,
                             *v->str ? " " : "", v->str, da_source_kind_name(r->source)));
    size_t cap = 0, text_cap = 0, ntext = 0;
    for (size_t i = 0; i < r->requires_dist.len; i++) {
        da_error e;
        da_error_clear(&e);
        da_requirement *req = da_requirement_parse(r->requires_dist.items[i], &e);
        if (!req) {
            warn(c, da_xasprintf("%s %s: ignoring unparsable requirement '%s': %s", p->name, v->str,
                                 r->requires_dist.items[i], e.message));
            continue;
        }
        DA_PUSH(v->deps, v->ndeps, cap, req);
        DA_PUSH(v->dep_text, ntext, text_cap, (const char *)r->requires_dist.items[i]);
    }
}

/* The listed version whose metadata best stands in for an assumed one: the newest listed
 * version not above it, else the oldest above it; for a placeholder, the newest. */
static const rs_version *stand_in_for(const rs_project *p, const rs_version *v)
{
    const rs_version *best = NULL;
    for (size_t i = 0; i < p->nversions; i++) {
        const rs_version *o = &p->versions[i];
        if (o->assumed || o->installed_only)
            continue;
        if (v->placeholder)
            return o; /* versions are newest first */
        if (da_version_compare(o->v, v->v) <= 0)
            return o;
        best = o; /* above it: keep the oldest such */
    }
    return best;
}

/* An assumed version: its own metadata if some source has it, else a listed version's. */
static int load_assumed(rs_ctx *c, rs_project *p, rs_version *v)
{
    v->release_loaded = true;
    da_release *r = NULL;
    da_error e;
    da_error_clear(&e);
    if (!v->placeholder && !p->unknown &&
        c->provider->get_release(c->provider->ctx, p->name, v->str, &r, &e) == 0 && r) {
        c->env->releases_fetched++;
        take_release(c, p, v, r);
        return 0;
    }
    const rs_version *o = p->unknown ? NULL : stand_in_for(p, v);
    da_error_clear(&e);
    if (o && c->provider->get_release(c->provider->ctx, p->name, o->str, &r, &e) == 0 && r) {
        c->env->releases_fetched++;
        v->approx_from = da_xstrdup(o->str);
        take_release(c, p, v, r);
        return 0;
    }
    v->deps_unknown = true;
    return 0;
}

int rs_version_load(rs_ctx *c, rs_project *p, rs_version *v, da_error *err)
{
    if (v->release_loaded)
        return 0;
    if (v->assumed)
        return load_assumed(c, p, v);
    da_release *r = NULL;
    da_error e;
    da_error_clear(&e);
    int rc = c->provider->get_release(c->provider->ctx, p->name, v->str, &r, &e);
    bool in_image = p->installed >= 0 && &p->versions[p->installed] == v;
    if (rc < 0 && (in_image || c->in->unknown_is_partial)) {
        /* the image already holds this version: not knowing its requirements is a gap to
         * report, not a reason to give up on the whole command */
        v->release_loaded = true;
        v->deps_unknown = true;
        warn(c, da_xasprintf("requirements unknown for %s %s (%s): %s", p->name, v->str,
                             in_image ? "already in the image" : "no metadata at hand", e.message));
        return 0;
    }
    if (rc < 0) {
        if (err)
            *err = e;
        c->env->metadata_failed = true;
        return -1;
    }
    c->env->releases_fetched++;
    v->release_loaded = true;
    if (rc == 1 || !r) {
        v->release = NULL;
        v->deps_unknown = true;
        warn(c, da_xasprintf("requirements unknown for %s %s (no metadata in any source)", p->name,
                             v->str));
        return 0;
    }
    take_release(c, p, v, r);
    return 0;
}

void rs_projects_free(rs_ctx *c)
{
    for (size_t i = 0; i < c->nprojects; i++) {
        rs_project *p = &c->projects[i];
        for (size_t j = 0; j < p->nversions; j++) {
            rs_version *v = &p->versions[j];
            free(v->str);
            da_version_free(v->v);
            free(v->why_not);
            free(v->approx_from);
            if (v->release)
                da_release_free(v->release);
            for (size_t k = 0; k < v->ndeps; k++)
                da_requirement_free(v->deps[k]);
            free(v->deps);
            free(v->dep_text);
        }
        free(p->versions);
        free(p->name);
        free(p->unknown_why);
        da_project_free(p->proj);
    }
    free(c->projects);
    c->projects = NULL;
    c->nprojects = c->projects_cap = 0;
}
