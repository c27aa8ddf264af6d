/* The requirement line that fixes a DA001, written the way the Dockerfile already writes
 * its siblings: into the same RUN list (or requirements file) as the distribution's family
 * or, failing that, the longest list reaching the final image; with the specifier style
 * most siblings use; at a version coherent with the installed family (the OpenTelemetry
 * exporters share the api/sdk version, the 0.NNb0 instrumentation line follows 1.(NN-21)). */
#include "audit_checks.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "opentelemetry-exporter-otlp" -> "opentelemetry" (NULL for names without a family) */
static char *family_of(const char *name)
{
    const char *dash = strchr(name, '-');
    if (!dash || dash - name < 3)
        return NULL;
    return da_xstrndup(name, (size_t)(dash - name));
}

static bool in_family(const char *name, const char *family)
{
    size_t n = strlen(family);
    return strncmp(name, family, n) == 0 && (name[n] == '-' || name[n] == '\0');
}

/* The operator and version a specifier text starts with: ">=1.21.0" -> ">=", "1.21.0". */
static void split_specifier(const char *spec, char *op, size_t opsz, char *ver, size_t versz)
{
    op[0] = ver[0] = '\0';
    if (!spec)
        return;
    while (isspace((unsigned char)*spec))
        spec++;
    size_t n = 0;
    while (spec[n] && strchr("<>=!~", spec[n]))
        n++;
    if (n == 0 || n >= opsz)
        return;
    memcpy(op, spec, n);
    op[n] = '\0';
    const char *v = spec + n;
    while (isspace((unsigned char)*v))
        v++;
    size_t m = 0;
    while (v[m] && v[m] != ',' && v[m] != ';' && !isspace((unsigned char)v[m]))
        m++;
    if (m >= versz)
        m = versz - 1;
    memcpy(ver, v, m);
    ver[m] = '\0';
}

/* OpenTelemetry's two release trains: the stable 1.N packages and the 0.(N+21)bX ones. */
static bool otel_contrib(const char *name)
{
    return da_str_starts_with(name, "opentelemetry-instrumentation") ||
           strcmp(name, "opentelemetry-semantic-conventions") == 0 ||
           strcmp(name, "opentelemetry-util-http") == 0 ||
           strcmp(name, "opentelemetry-distro") == 0;
}

static char *otel_version_for(const char *target, const char *sibling, const char *version)
{
    bool want_contrib = otel_contrib(target), have_contrib = otel_contrib(sibling);
    if (want_contrib == have_contrib)
        return da_xstrdup(version);
    int a, b;
    if (want_contrib && sscanf(version, "1.%d.%d", &a, &b) == 2)
        return da_xasprintf("0.%db0", a + 21);
    if (!want_contrib && sscanf(version, "0.%db%d", &a, &b) == 2 && a > 21)
        return da_xasprintf("1.%d.0", a - 21);
    return NULL;
}

typedef struct sibling {
    const da_plan_requirement *req;
    const char *name;
} sibling;

/* Requirements of the ops whose packages reach the final image. */
static size_t final_requirements(const da_install_plan *plan, sibling **out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    for (size_t k = 0; k < plan->nfinal_ops; k++) {
        const da_install_op *op = &plan->ops[plan->final_ops[k]];
        if (op->kind != DA_OP_INSTALL)
            continue;
        for (size_t j = 0; j < op->nreqs; j++) {
            const da_plan_requirement *r = &op->reqs[j];
            if (r->kind != DA_REQ_NAMED || !r->parsed || r->list >= plan->nlists)
                continue;
            if (r->origin == DA_ORIGIN_CONSTRAINTS || r->origin == DA_ORIGIN_LOCKFILE)
                continue;
            sibling s = {r, r->parsed->normalized};
            DA_PUSH(*out, n, cap, s);
        }
    }
    return n;
}

/* A requirements file's new line goes after the last requirement's whole line, so a
 * trailing comment stays with the requirement it annotates. */
static size_t line_end_for(const da_req_list *L)
{
    if (strcmp(L->separator, "\n") != 0)
        return L->insert_at;
    char *text = NULL;
    size_t len = 0;
    if (da_read_file(L->file, &text, &len, NULL) != 0)
        return L->insert_at;
    size_t at = L->insert_at;
    while (at < len && text[at] != '\n' && text[at] != '\r')
        at++;
    free(text);
    return at;
}

/* The version of the installed family member `sib` for `dist` (the OpenTelemetry trains
 * mapped), with *why; NULL when the family pins none. */
static char *family_version(const audit_image *img, const char *dist, const char *family,
                            const sibling *sib, char **why)
{
    char op[8], ver[64];
    split_specifier(sib->req->parsed->specifier_text, op, sizeof(op), ver, sizeof(ver));
    const char *v = ver[0] ? ver : NULL;
    if (!v) {
        const audit_dist *d = audit_image_find(img, sib->name);
        v = d ? d->version : NULL;
    }
    if (!v || !*v)
        return NULL;
    char *version =
        strcmp(family, "opentelemetry") == 0 ? otel_version_for(dist, sib->name, v) : da_xstrdup(v);
    if (version)
        *why = da_xasprintf("the version of %s (%s:%d), same family", sib->req->text,
                            sib->req->where.file, sib->req->where.line);
    return version;
}

/* The fix for `dist`; `fixed` (with `fixed_why`) is a requirement text decided by a rule
 * of its own (pkg_resources), NULL to choose the version here. */
static da_fix *fix_for_dist(const audit_ctx *c, const char *dist, const char *fixed,
                            const char *fixed_why)
{
    const da_install_plan *plan = c->in->plan;
    const audit_image *img = &c->img;
    const char *cwd = c->cwd;
    if (!plan || plan->nlists == 0)
        return NULL;
    /* already requested: adding it again fixes nothing (the install itself fails) */
    for (size_t i = 0; i < plan->nmerged; i++)
        if (strcmp(plan->merged[i].name, dist) == 0)
            return NULL;
    sibling *sib;
    size_t nsib = final_requirements(plan, &sib);
    if (nsib == 0) {
        free(sib);
        return NULL;
    }
    char *family = family_of(dist);
    /* the list: the family's, else the one with the most requirements */
    size_t list = (size_t)-1;
    const sibling *family_sib = NULL;
    for (size_t i = 0; family && i < nsib; i++)
        if (in_family(sib[i].name, family)) {
            list = sib[i].req->list;
            char op[8], ver[64];
            split_specifier(sib[i].req->parsed->specifier_text, op, sizeof(op), ver, sizeof(ver));
            if (ver[0] || !family_sib)
                family_sib = &sib[i];
        }
    if (list == (size_t)-1) {
        size_t best = 0;
        for (size_t i = 0; i < nsib; i++) {
            size_t count = 0;
            for (size_t j = 0; j < nsib; j++)
                count += sib[j].req->list == sib[i].req->list;
            if (count > best) {
                best = count;
                list = sib[i].req->list;
            }
        }
    }
    const da_req_list *L = &plan->lists[list];
    /* the specifier style of the list */
    const char *styles[] = {">=", "==", "~=", ""};
    size_t votes[4] = {0};
    for (size_t i = 0; i < nsib; i++) {
        if (sib[i].req->list != list)
            continue;
        char op[8], ver[64];
        split_specifier(sib[i].req->parsed->specifier_text, op, sizeof(op), ver, sizeof(ver));
        int s = strcmp(op, ">=") == 0   ? 0
                : strcmp(op, "==") == 0 ? 1
                : strcmp(op, "~=") == 0 ? 2
                                        : 3;
        votes[s]++;
    }
    int style = 3; /* the most common; ties go to the earlier entry of styles[] */
    size_t most = 0;
    for (int s = 0; s < 4; s++)
        if (votes[s] > most) {
            most = votes[s];
            style = s;
        }

    char *why = NULL;
    char *version = family_sib ? family_version(img, dist, family, family_sib, &why) : NULL;
    /* no family: the newest version known to exist, as a lower bound whatever the list's
     * style (an exact pin of it would claim more than is known) */
    if (!version && style != 3 && img->lookup && img->lookup->known_version) {
        version = img->lookup->known_version(img->lookup->ctx, dist);
        if (version) {
            why = da_xasprintf("the latest version known to exist, as a lower bound");
            style = 0;
        }
    }
    if (!why)
        why = da_xstrdup(style == 3 ? "the list pins nothing" : "no version known: unpinned");
    /* a list that pins nothing gets an unpinned name too */
    char *req = fixed                   ? da_xstrdup(fixed)
                : version && style != 3 ? da_xasprintf("%s%s%s", dist, styles[style], version)
                                        : da_xstrdup(dist);
    if (fixed) {
        free(why);
        why = da_xstrdup(fixed_why);
    }

    da_fix *fx = da_xcalloc(1, sizeof(*fx));
    fx->file = da_xstrdup(L->file);
    fx->display = da_audit_display_path(NULL, L->file, cwd);
    fx->insert_at = line_end_for(L);
    fx->line = L->insert_line;
    /* an unquoted shell word with > or < would be a redirection: quote it */
    const char *quote = L->quote;
    if (!*quote && L->origin == DA_ORIGIN_COMMAND_LINE && strpbrk(req, "<>;|&*?[] "))
        quote = "\"";
    fx->text = da_xasprintf("%s%s%s%s", L->count ? L->separator : "", quote, req, quote);
    fx->requirement = req;
    fx->why = why;
    free(version);
    free(family);
    free(sib);
    return fx;
}

/* OpenCV's GUI builds need libGL.so.1, which neither the official python images (slim or
 * not) nor the distribution images have: `import cv2` fails with an ImportError there. Its
 * headless build provides the same cv2 without it. */
static const char *headless_of(const char *dist)
{
    if (strcmp(dist, "opencv-python") == 0)
        return "opencv-python-headless";
    if (strcmp(dist, "opencv-contrib-python") == 0)
        return "opencv-contrib-python-headless";
    return NULL;
}

/* setuptools 82.0.0 removed pkg_resources (its changelog): the last series that ships it. */
#define PKG_RESOURCES_REQUIREMENT "setuptools<82"

da_fix *audit_fix_for(const audit_ctx *c, const da_candidate *cands, size_t n, const char *module)
{
    size_t top = strcspn(module, ".");
    if (top == strlen("pkg_resources") && strncmp(module, "pkg_resources", top) == 0)
        return fix_for_dist(c, "setuptools", PKG_RESOURCES_REQUIREMENT,
                            "pkg_resources ships with setuptools before 82.0.0, which removed it");
    /* a module of that name in the sources: the import may be a local one, never a
     * distribution to add */
    char *local = audit_local_module(c, module, NULL);
    if (local) {
        free(local);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (cands[i].basis != DA_BASIS_METADATA && cands[i].basis != DA_BASIS_SNAPSHOT &&
            cands[i].basis != DA_BASIS_CONFIG)
            continue; /* a guess from a name is no fix */
        const char *headless = headless_of(cands[i].dist);
        if (!headless)
            return fix_for_dist(c, cands[i].dist, NULL, NULL);
        da_fix *fx = fix_for_dist(c, headless, NULL, NULL);
        if (fx) {
            char *why = da_xasprintf("%s; the headless build, as the image has no libGL.so.1 "
                                     "for %s's GUI build",
                                     fx->why, cands[i].dist);
            free(fx->why);
            fx->why = why;
        }
        return fx;
    }
    return NULL;
}
