#include "resolver.h"

#include <stdlib.h>
#include <string.h>

/* What a resolution assumes when its sources do not know enough: a version list that is a
 * sample (the snapshot holds the versions Debian or pyodide happen to package, never the
 * whole list an index has) cannot say that no version fits, and a project no source at
 * hand knows cannot say anything. Both are unknown, and the resolution goes on with an
 * assumed version, labelled as such, instead of calling the install unresolvable. */

int rs_assumed_version(rs_ctx *c, rs_project *p, const char *pin)
{
    (void)c;
    da_version *v = da_version_parse(pin ? pin : "0", NULL);
    if (!v)
        return -1;
    for (size_t i = 0; i < p->nversions; i++) {
        const rs_version *o = &p->versions[i];
        if (!pin && o->placeholder) {
            da_version_free(v);
            return (int)i;
        }
        if (pin && !o->placeholder && da_version_compare(o->v, v) == 0) {
            da_version_free(v);
            /* listed but unusable (Python, yanked, incompatible): nothing to assume */
            return o->assumed ? (int)i : -1;
        }
    }
    size_t cap = p->nversions;
    rs_version *n = rs_add_version(p, &cap, pin ? pin : "", v, false);
    n->assumed = true;
    n->placeholder = pin == NULL;
    /* never among the listed candidates: rs_find_matches offers it only as the fallback */
    n->eligible = false;
    return (int)(p->nversions - 1);
}

static bool version_known(const rs_version *v)
{
    if (!v->release_loaded)
        return true; /* never pinned nor explored: it cannot be behind a conflict */
    return !v->assumed && !v->deps_unknown && v->release && !v->release->requires_incomplete;
}

bool rs_step_facts_known(const rs_ctx *c)
{
    for (size_t i = 0; i < c->nidents; i++) {
        const rs_project *p = &c->projects[c->idents[i].project];
        if (p->sample || p->unknown)
            return false;
        for (size_t k = 0; k < p->nversions; k++)
            if (!version_known(&p->versions[k]))
                return false;
    }
    return true;
}

/* "2.34.2, 2.33.1, 2.28.1" (at most six) */
static void listed_versions(const rs_project *p, da_buf *b)
{
    size_t shown = 0, listed = 0;
    for (size_t i = 0; i < p->nversions; i++) {
        if (p->versions[i].assumed || p->versions[i].installed_only)
            continue;
        listed++;
        if (shown < 6)
            da_buf_printf(b, "%s%s", shown++ ? ", " : "", p->versions[i].str);
    }
    if (listed > shown)
        da_buf_printf(b, " and %zu more", listed - shown);
}

char *rs_unknown_statement(const rs_project *p, const rs_version *v)
{
    const char *src = p->proj ? da_source_kind_name(p->proj->source) : "metadata source";
    da_buf b = {0};
    if (p->unknown) {
        da_buf_printf(&b, "%s%s%s: nothing known (%s)", p->name, *v->str ? " " : "", v->str,
                      p->unknown_why ? p->unknown_why : "no source could answer");
        return da_buf_take(&b);
    }
    if (v->assumed) {
        if (v->placeholder)
            da_buf_printf(&b, "%s: no version the %s lists fits (it lists ", p->name, src);
        else
            da_buf_printf(&b, "%s %s: not among the versions the %s lists (", p->name, v->str, src);
        listed_versions(p, &b);
        da_buf_puts(&b, ", a sample of what exists)");
        if (v->approx_from)
            da_buf_printf(&b, "; requirements and modules taken from %s", v->approx_from);
        else
            da_buf_puts(&b, "; requirements and modules unknown");
        return da_buf_take(&b);
    }
    if (v->deps_unknown && !v->installed_only) {
        da_buf_printf(&b, "%s %s: requirements unknown (%s)", p->name, v->str,
                      v->release ? da_source_kind_name(v->release->source) : "no metadata");
        return da_buf_take(&b);
    }
    da_buf_free(&b);
    return NULL;
}
