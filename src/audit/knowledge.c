/* What the audit knows and what it does not. For each distribution of the image, its
 * modules and requirements are known (from the metadata of its version, or of another
 * version: approximate) or unknown; the image may also hold what no one can see from here:
 * install steps the plan could not read, a base image of unknown contents, the
 * dependencies of a distribution whose requirements are unknown. "Nothing in the image
 * provides X" is a known fact only when none of these is there; otherwise it is DA012,
 * which says what is unknown and what would settle it. */
#include "audit_checks.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

bool audit_dist_modules_known(const audit_dist *d)
{
    return d->release && d->release->modules_known;
}

bool audit_dist_requires_known(const audit_dist *d)
{
    return d->release && d->release->requires_known;
}

bool audit_dist_approximate(const audit_dist *d)
{
    return d->release && d->version && *d->version && d->release->version &&
           strcmp(d->release->version, d->version) != 0;
}

/* ---- name evidence --------------------------------------------------------------------- */

/* lower case without separators: "Foo_Bar-baz.qux" -> "foobarbazqux" */
static char *squash(const char *s, size_t n)
{
    char *o = da_xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n && s[i]; i++)
        if (s[i] != '-' && s[i] != '_' && s[i] != '.')
            o[k++] = (char)tolower((unsigned char)s[i]);
    o[k] = '\0';
    return o;
}

static bool is_subsequence(const char *needle, const char *hay)
{
    for (; *needle && *hay; hay++)
        if (*needle == *hay)
            needle++;
    return *needle == '\0';
}

/* The distribution name without the conventional affixes around an import name. */
static const char *strip_affixes(const char *ds, size_t *len)
{
    static const char *const prefixes[] = {"python3", "python", "py"};
    static const char *const suffixes[] = {"python3", "python", "py"};
    size_t n = strlen(ds);
    for (size_t i = 0; i < 3; i++) {
        size_t p = strlen(prefixes[i]);
        if (n > p + 2 && strncmp(ds, prefixes[i], p) == 0) {
            ds += p;
            n -= p;
            break;
        }
    }
    for (size_t i = 0; i < 3; i++) {
        size_t p = strlen(suffixes[i]);
        if (n > p + 2 && strncmp(ds + n - p, suffixes[i], p) == 0) {
            n -= p;
            break;
        }
    }
    *len = n;
    return ds;
}

int audit_name_evidence(const char *module, const char *dist)
{
    size_t toplen = strcspn(module, ".");
    char *ts = squash(module, toplen);
    char *ms = squash(module, strlen(module));
    char *ds = squash(dist, strlen(dist));
    size_t tl = strlen(ts), dl = strlen(ds);
    size_t corelen = 0;
    const char *core = strip_affixes(ds, &corelen);
    int score = 0;
    if (strcmp(ds, ts) == 0 || (strchr(module, '.') && strcmp(ds, ms) == 0))
        score = 100; /* requests, google.cloud.storage -> google-cloud-storage */
    else if (tl >= 2 && corelen == tl && strncmp(core, ts, tl) == 0)
        score = 95; /* pyyaml, python-jose, dtw-python */
    else if (tl >= 3 && strstr(ds, ts))
        score = 70; /* jose in python-jose-cryptodome */
    else if (corelen >= 3 && tl > corelen && strncmp(ts, core, corelen) == 0)
        score = 60; /* a dist named after the start of the module */
    else if (tl >= 3 && dl > tl && strncmp(ds, ts, tl) == 0)
        score = 60; /* PIL -> pillow */
    else if (tl >= 4 && is_subsequence(ts, ds))
        score = 40; /* telebot -> pytelegrambotapi, sklearn -> scikit-learn */
    free(ts);
    free(ms);
    free(ds);
    return score;
}

/* ---- what may install something unseen ------------------------------------------------- */

/* Images whose contents hold no Python distribution beyond what the plan models (the
 * official python images' pip/setuptools/wheel) or the distribution's packages the plan
 * reads as unknown steps. Any other base may ship distributions: unknown. */
static bool base_contents_known(const char *ref)
{
    if (!ref || !*ref || strcmp(ref, "scratch") == 0)
        return true;
    static const char *const known[] = {
        "python",
        "debian",
        "ubuntu",
        "alpine",
        "busybox",
        "buildpack-deps",
        "fedora",
        "centos",
        "rockylinux",
        "almalinux",
        "amazonlinux",
        "archlinux",
        "opensuse/leap",
        "opensuse/tumbleweed",
        "oraclelinux",
        "gcr.io/distroless/base",
        "gcr.io/distroless/cc",
        "gcr.io/distroless/static",
        "gcr.io/distroless/python3",
        "nvidia/cuda",
        "node",
        "golang",
        "nginx",
        "redhat/ubi8",
        "redhat/ubi9",
    };
    char *r = da_xstrdup(ref);
    r[strcspn(r, "@")] = '\0';
    char *colon = strrchr(r, ':');
    if (colon && !strchr(colon, '/'))
        *colon = '\0';
    const char *name = r;
    if (strncmp(name, "docker.io/", 10) == 0)
        name += 10;
    if (strncmp(name, "library/", 8) == 0)
        name += 8;
    bool hit = false;
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]) && !hit; i++)
        hit = strcmp(name, known[i]) == 0 ||
              (da_str_starts_with(name, known[i]) && name[strlen(known[i])] == '-' &&
               strncmp(known[i], "gcr.io/", 7) == 0);
    free(r);
    return hit;
}

static void add_unknown(audit_ctx *c, const char *may_install, char *line)
{
    if (may_install && !da_strlist_contains(&c->may_install, may_install))
        da_strlist_push(&c->may_install, may_install);
    if (da_strlist_contains(&c->out->unknowns, line))
        free(line);
    else
        da_strlist_push_owned(&c->out->unknowns, line);
}

static bool is_archive(const char *p)
{
    return da_str_ends_with(p, ".whl") || da_str_ends_with(p, ".tar.gz") ||
           da_str_ends_with(p, ".zip") || da_str_ends_with(p, ".tgz") ||
           da_str_ends_with(p, ".tar.bz2");
}

static void plan_unknowns(audit_ctx *c)
{
    const da_install_plan *p = c->in->plan;
    if (!p)
        return;
    for (size_t i = 0; i < p->nunknowns; i++) {
        char *file = da_audit_display_path(NULL, p->unknowns[i].file, c->cwd);
        char *what = da_xasprintf("the step at %s:%d (%s)", file, p->unknowns[i].line,
                                  p->unknowns[i].message);
        add_unknown(c, what,
                    da_xasprintf("%s:%d: %s", file, p->unknowns[i].line, p->unknowns[i].message));
        free(what);
        free(file);
    }
    for (size_t k = 0; k < p->nfinal_ops; k++) {
        const da_install_op *op = &p->ops[p->final_ops[k]];
        for (size_t j = 0; op->kind != DA_OP_UNINSTALL && j < op->nreqs; j++) {
            const da_plan_requirement *r = &op->reqs[j];
            bool unknown = r->kind == DA_REQ_URL ||
                           (r->kind == DA_REQ_LOCAL_PATH && r->path && is_archive(r->path));
            if (!unknown)
                continue;
            char *file = da_audit_display_path(NULL, r->where.file, c->cwd);
            char *what = da_xasprintf("`%s` at %s:%d (what it installs is unknown)", r->text, file,
                                      r->where.line);
            add_unknown(c, what,
                        da_xasprintf("%s:%d: `%s` is a local archive or URL: its name, modules "
                                     "and requirements are unknown",
                                     file, r->where.line, r->text));
            free(what);
            free(file);
        }
    }
    if (!base_contents_known(p->base_image) && c->config->base_provides.len == 0) {
        c->base_unknown = true;
        char *what = da_xasprintf("the base image %s (its contents are unknown)", p->base_image);
        add_unknown(c, what,
                    da_xasprintf("the base image %s may ship Python distributions: declare them "
                                 "under [tool.depaudit] base-image-provides",
                                 p->base_image));
        free(what);
    }
}

void audit_collect_unknowns(audit_ctx *c)
{
    const da_environment *env = c->in->env;
    c->out->resolution = env ? env->state : DA_RESOLUTION_PARTIAL;
    if (c->in->resolve_failure)
        c->out->resolution = DA_RESOLUTION_PARTIAL;
    for (size_t i = 0; env && i < env->unknowns.len; i++)
        add_unknown(c, NULL, da_xstrdup(env->unknowns.items[i]));
    for (size_t i = 0; i < c->img.len; i++) {
        const audit_dist *d = &c->img.dists[i];
        if (!audit_dist_deps_unseen(c, d))
            continue;
        const char *v = d->version && *d->version ? d->version : NULL;
        char *who = da_xasprintf("%s%s%s", d->name, v ? " " : "", v ? v : "");
        if (!da_strlist_contains(&c->deps_unknown, who))
            da_strlist_push(&c->deps_unknown, who);
        /* said once: the resolution's unknowns may already say it */
        bool said = false;
        for (size_t k = 0; k < c->out->unknowns.len && !said; k++) {
            const char *u = c->out->unknowns.items[k];
            size_t n = strlen(d->name);
            said = strncmp(u, d->name, n) == 0 && (u[n] == ' ' || u[n] == ':');
        }
        if (!said)
            add_unknown(c, NULL, da_xasprintf("%s: requirements unknown", who));
        free(who);
    }
    plan_unknowns(c);
    if (c->out->resolution == DA_RESOLUTION_COMPLETE && c->out->unknowns.len > 0)
        c->out->resolution = DA_RESOLUTION_PARTIAL;
}

/* Whether a finding's candidates name a distribution known to provide the module (the
 * metadata, the snapshot's module table or the configuration), not a guess. */
static bool provider_known_in(const da_finding *x)
{
    for (size_t i = 0; i < x->ncandidates; i++)
        if (x->candidates[i].basis == DA_BASIS_METADATA ||
            x->candidates[i].basis == DA_BASIS_SNAPSHOT ||
            x->candidates[i].basis == DA_BASIS_CONFIG)
            return true;
    return false;
}

/* An installed distribution that the module table says provides the module, while the
 * snapshot row it is judged by does not list it: another version ships it, or the row's
 * source split it off (Debian ships setuptools' pkg_resources as python3-pkg-resources).
 * Which holds for the version installed is not known from the row. NULL if none. */
const char *audit_installed_table_provider(const audit_ctx *c, const da_finding *x)
{
    for (size_t i = 0; x && i < x->ncandidates; i++) {
        if (x->candidates[i].basis != DA_BASIS_SNAPSHOT)
            continue;
        const audit_dist *d = audit_image_find(&c->img, x->candidates[i].dist);
        if (d && d->release && d->release->source == DA_SOURCE_SNAPSHOT)
            return d->name;
    }
    return NULL;
}

bool audit_absence_known(const audit_ctx *c, const char *module, const da_finding *x)
{
    if (c->may_install.len > 0 || c->deps_unknown.len > 0 || audit_installed_table_provider(c, x))
        return false;
    /* an installed distribution whose modules are unknown may ship it; when another
     * distribution is known to provide it, only one whose name bears the module out (a
     * fork, a rename) is a serious candidate */
    bool known_elsewhere = x && provider_known_in(x);
    for (size_t i = 0; i < c->img.len; i++) {
        const audit_dist *d = &c->img.dists[i];
        if (!audit_dist_modules_known(d) &&
            (!known_elsewhere || audit_name_evidence(module, d->name) > 0))
            return false;
    }
    return true;
}

/* ---- DA012 ------------------------------------------------------------------------------ */

typedef struct ranked {
    const audit_dist *d;
    int score;
} ranked;

static int by_score(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return strcmp(x->d->name, y->d->name);
}

/* The installed distributions whose modules are unknown, best name evidence first. Those
 * without any evidence are named only when no distribution is known to provide the module:
 * otherwise each would be a fork shipping another project's module under an unrelated
 * name, which is not what the reader needs to hear. */
static void rank_unknown_modules(const audit_ctx *c, const char *module, da_finding *x,
                                 bool provider_known)
{
    ranked *r = da_xcalloc(c->img.len + 1, sizeof(*r));
    size_t n = 0;
    for (size_t i = 0; i < c->img.len; i++) {
        const audit_dist *d = &c->img.dists[i];
        int e = audit_dist_modules_known(d) ? -1 : audit_name_evidence(module, d->name);
        if (e > 0 || (e == 0 && !provider_known))
            r[n++] = (ranked){d, e};
    }
    qsort(r, n, sizeof(*r), by_score);
    for (size_t i = 0; i < n; i++)
        audit_finding_add_candidate(x, r[i].d->name,
                                    r[i].score ? DA_BASIS_NAME_EVIDENCE : DA_BASIS_MODULES_UNKNOWN);
    free(r);
}

/* "a, b and 3 more" of the first `max` */
static void name_list(da_buf *b, const char *const *items, size_t n, size_t max)
{
    for (size_t i = 0; i < n && i < max; i++)
        da_buf_printf(b, "%s%s", i ? (i + 1 == n ? " or " : ", ") : "", items[i]);
    if (n > max)
        da_buf_printf(b, " (and %zu more)", n - max);
}

void audit_make_unverified(audit_ctx *c, da_finding *x, const char *module, const char *guard,
                           bool local)
{
    /* the module table's providers, which the image does not hold: kept after the installed
     * ones as what to request if none of those provides it */
    da_candidate *known = x->candidates;
    size_t nknown = x->ncandidates;
    x->candidates = NULL;
    x->ncandidates = 0;
    bool provider_known = false;
    for (size_t i = 0; i < nknown; i++)
        provider_known = provider_known || known[i].basis == DA_BASIS_METADATA ||
                         known[i].basis == DA_BASIS_SNAPSHOT || known[i].basis == DA_BASIS_CONFIG;
    rank_unknown_modules(c, module, x, provider_known);
    size_t ninstalled = x->ncandidates;
    for (size_t i = 0; i < nknown; i++) {
        if (known[i].basis != DA_BASIS_NAME)
            audit_finding_add_candidate(x, known[i].dist, known[i].basis);
        free(known[i].dist);
    }
    free(known);
    x->code = DA012_UNVERIFIED;
    x->severity = da_code_default_severity(DA012_UNVERIFIED);
    x->certainty = DA_CERTAINTY_UNVERIFIED;
    x->guess = false;
    for (size_t i = 0; i < c->deps_unknown.len; i++)
        da_strlist_push_owned(&x->related, da_xasprintf("a dependency of %s (requirements unknown)",
                                                        c->deps_unknown.items[i]));
    for (size_t i = 0; i < c->may_install.len; i++)
        da_strlist_push(&x->related, c->may_install.items[i]);
    da_buf m = {0};
    da_buf_printf(&m, "`%s` is not provided by any distribution whose modules are known", module);
    if (ninstalled) {
        da_buf_puts(&m, "; it may be provided by ");
        const char **names = da_xcalloc(ninstalled, sizeof(*names));
        for (size_t i = 0; i < ninstalled; i++)
            names[i] = x->candidates[i].dist;
        name_list(&m, names, ninstalled, 3);
        free(names);
        da_buf_puts(&m, ninstalled == 1 ? " (its modules are unknown)" : " (modules unknown)");
    }
    const char *sep = ninstalled ? ", or" : "; it may";
    if (c->deps_unknown.len) {
        da_buf_printf(&m, "%s come as a dependency of ", sep);
        name_list(&m, (const char *const *)c->deps_unknown.items, c->deps_unknown.len, 3);
        da_buf_puts(&m, c->deps_unknown.len == 1 ? " (its requirements are unknown)"
                                                 : " (requirements unknown)");
        sep = ", or";
    }
    if (c->may_install.len) {
        da_buf_printf(&m, "%s come from ", sep);
        name_list(&m, (const char *const *)c->may_install.items, c->may_install.len, 2);
    }
    const char *table = audit_installed_table_provider(c, x);
    if (table)
        da_buf_printf(&m,
                      "; %s is installed, and the snapshot says a version of it provides it "
                      "(the row it is judged by does not list it)",
                      table);
    const char *provider = x->ncandidates > ninstalled ? x->candidates[ninstalled].dist : NULL;
    if (provider)
        da_buf_printf(&m, "; it is known to be provided by %s (%s)", provider,
                      da_basis_name(x->candidates[ninstalled].basis));
    if (guard)
        da_buf_printf(&m, "; %s", guard);
    if (x->boot_path)
        da_buf_puts(&m, "; if it is missing, the container crashes at start-up");
    /* what Python would raise is a claim about a module known to be missing */
    free(x->python_error);
    x->python_error = NULL;
    da_buf_puts(&m, "; to settle it: ");
    if (local)
        da_buf_printf(&m,
                      "if the local module is meant, name `%.*s` in [tool.depaudit] "
                      "first-party; else ",
                      (int)strcspn(module, "."), module);
    if (c->in->no_index && (c->deps_unknown.len || ninstalled))
        da_buf_puts(&m, "audit with a package index (--index-url), ");
    if (c->base_unknown)
        da_buf_puts(&m, "list what the base image holds in [tool.depaudit] base-image-provides, ");
    if (provider)
        da_buf_printf(&m, "request %s if the code needs it, ", provider);
    bool dotted = strchr(module, '.') != NULL;
    da_buf_printf(&m, "or name its distribution in [tool.depaudit.mappings] (`%s%s%s = \"...\"`)",
                  dotted ? "\"" : "", module, dotted ? "\"" : "");
    free(x->message);
    x->message = da_buf_take(&m);
    if (x->fix) {
        audit_fix_free(x->fix);
        x->fix = NULL;
    }
}

/* ---- local modules ----------------------------------------------------------------------- */

static size_t dir_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) : 0;
}

char *audit_local_module(const audit_ctx *c, const char *module, const char *near)
{
    size_t tl = strcspn(module, ".");
    char *as_file = da_xasprintf("%.*s.py", (int)tl, module);
    char *as_pkg = da_xasprintf("%.*s/__init__.py", (int)tl, module);
    char *found = NULL;
    while (near && near[0] == '.' && near[1] == '/')
        near += 2;
    for (size_t i = 0; i < c->nsources && !found; i++) {
        const char *p = c->source_paths[i];
        while (p[0] == '.' && p[1] == '/')
            p += 2; /* the walk's "./x" is the import set's "x" */
        size_t n = strlen(p);
        const char *hit = NULL;
        if (n >= strlen(as_file) && strcmp(p + n - strlen(as_file), as_file) == 0)
            hit = p + n - strlen(as_file);
        else if (n >= strlen(as_pkg) && strcmp(p + n - strlen(as_pkg), as_pkg) == 0)
            hit = p + n - strlen(as_pkg);
        if (!hit || (hit != p && hit[-1] != '/'))
            continue;
        size_t dir = hit == p ? 0 : (size_t)(hit - p) - 1;
        if (near && (dir != dir_len(near) || strncmp(p, near, dir) != 0))
            continue;
        found = da_audit_display_path(NULL, p, c->cwd);
    }
    free(as_file);
    free(as_pkg);
    return found;
}
