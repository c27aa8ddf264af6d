#include "resolver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Turns the requirement edges that made the last attempt fail into sentences a person can
 * act on: who asks for what, which requested line started it, and what the index offers. */

static void describe_edge(const rs_ctx *c, const rs_info *info, da_buf *b)
{
    if (info->kind == RS_INFO_PYTHON) {
        const rs_ident *pid = &c->idents[info->parent];
        const rs_project *p = &c->projects[pid->project];
        da_buf_printf(b, "%s %s requires Python %s, but the image has Python %s", p->name,
                      p->versions[info->parent_version].str, info->text, c->python_full);
        return;
    }
    if (info->parent < 0) {
        const da_resolve_req *src = info->src;
        da_buf_printf(b, "%s is requested", info->text ? info->text : "?");
        if (src && src->file && src->line > 0)
            da_buf_printf(b, " at %s:%d", src->file, src->line);
        else if (src && src->file)
            da_buf_printf(b, " in %s", src->file);
        else
            da_buf_puts(b, " on the command line");
        return;
    }
    const rs_ident *pid = &c->idents[info->parent];
    const rs_project *p = &c->projects[pid->project];
    const char *pv = p->versions[info->parent_version].str;
    if (info->kind == RS_INFO_EXPLICIT) {
        da_buf_printf(b, "%s %s needs %s==%s", pid->key, pv, p->name, pv);
        return;
    }
    da_buf_printf(b, "%s %s requires %s", p->name, pv, info->text ? info->text : "?");
    if (info->extra)
        da_buf_printf(b, " (extra %s)", info->extra);
}

/* What the index has for a project and why versions are out, in one short clause. */
static void describe_available(const rs_ctx *c, int id, da_buf *b)
{
    const rs_project *p = &c->projects[c->idents[id].project];
    if (p->missing) {
        da_buf_printf(b, "%s is not on the package index (or any metadata source)", p->name);
        return;
    }
    if (p->unknown) {
        da_buf_printf(b, "nothing is known of %s here", p->name);
        return;
    }
    if (p->nversions == 0) {
        da_buf_printf(b, "%s has no releases", p->name);
        return;
    }
    da_buf_printf(b, "%s has ", p->name);
    size_t shown = 0;
    size_t listed = 0;
    for (size_t i = 0; i < p->nversions; i++)
        listed += !p->versions[i].assumed;
    for (size_t i = 0; i < p->nversions && shown < 8; i++) {
        const rs_version *v = &p->versions[i];
        if (v->assumed)
            continue; /* not a version the source lists */
        da_buf_printf(b, "%s%s", shown ? ", " : "", v->str);
        if (!v->eligible && !v->installed_only)
            da_buf_printf(b, " (%s)", v->why_not ? v->why_not : "no usable file");
        else if (v->yanked)
            da_buf_puts(b, " (yanked)");
        else if (v->prerelease)
            da_buf_puts(b, " (pre-release: needs --pre or a specifier naming one)");
        shown++;
    }
    if (listed > shown)
        da_buf_printf(b, " and %zu older", listed - shown);
    if (p->sample)
        da_buf_puts(b, ", a sample of the versions that exist");
}

/* Constraints (-c) narrow a project without showing up as requirement edges: name them. */
static void describe_constraints(const rs_ctx *c, int id, da_buf *b)
{
    const char *name = rs_ident_name(c, id);
    for (size_t i = 0; i < c->nconstraints; i++) {
        const rs_info *k = c->constraints[i];
        if (strcmp(k->req->normalized, name) != 0)
            continue;
        da_buf_printf(b, "; the constraint %s", k->text ? k->text : "?");
        if (k->src && k->src->file && k->src->line > 0)
            da_buf_printf(b, " (%s:%d)", k->src->file, k->src->line);
        else if (k->src && k->src->file)
            da_buf_printf(b, " (%s)", k->src->file);
        da_buf_puts(b, " applies");
    }
}

/* The user requirement at the root of a chain leading to identifier id, if any. */
static const rs_info *root_of(const rs_ctx *c, const rs_state *st, int id, int depth)
{
    if (depth > 32 || id < 0 || (size_t)id >= st->cap)
        return NULL;
    for (const rs_node *n = st->crit[id]; n; n = n->next)
        if (n->info->parent < 0 && n->info->kind == RS_INFO_REQ)
            return n->info;
    for (const rs_node *n = st->crit[id]; n; n = n->next) {
        const rs_info *i = n->info;
        if (i->parent >= 0 && (size_t)i->parent < st->cap &&
            st->pin[i->parent] == i->parent_version) {
            const rs_info *r = root_of(c, st, i->parent, depth + 1);
            if (r)
                return r;
        }
    }
    return NULL;
}

char *rs_explain(rs_ctx *c, const rs_state *st, rs_info *const *causes, size_t ncauses,
                 char **name_out)
{
    da_buf b = {0};
    *name_out = NULL;
    /* the identifiers involved, in order of first mention */
    int *ids = da_xcalloc(ncauses + 1, sizeof(int));
    size_t nids = 0;
    for (size_t i = 0; i < ncauses; i++) {
        int id = causes[i]->kind == RS_INFO_PYTHON ? -1 - causes[i]->parent : causes[i]->ident;
        bool seen = false;
        for (size_t j = 0; j < nids; j++)
            seen = seen || ids[j] == id;
        if (!seen)
            ids[nids++] = id;
    }
    da_strlist said = {0};
    for (size_t k = 0; k < nids; k++) {
        if (k)
            da_buf_puts(&b, "; ");
        size_t nedges = 0;
        for (size_t i = 0; i < ncauses; i++) {
            const rs_info *info = causes[i];
            int id = info->kind == RS_INFO_PYTHON ? -1 - info->parent : info->ident;
            if (id != ids[k])
                continue;
            da_buf e = {0};
            describe_edge(c, info, &e);
            if (!da_strlist_contains(&said, e.data ? e.data : "")) {
                da_buf_puts(&b, nedges ? ", but " : "");
                da_buf_puts(&b, e.data ? e.data : "");
                da_strlist_push(&said, e.data ? e.data : "");
                nedges++;
            }
            da_buf_free(&e);
        }
        if (ids[k] >= 0) {
            if (nids == 1)
                *name_out = da_xstrdup(rs_ident_name(c, ids[k]));
            da_buf_puts(&b, nedges > 1 ? "; no version of " : "; no version of ");
            da_buf_printf(&b, "%s fits (", rs_ident_name(c, ids[k]));
            describe_available(c, ids[k], &b);
            da_buf_putc(&b, ')');
            describe_constraints(c, ids[k], &b);
        }
    }
    /* where the requiring distributions came from */
    da_strlist roots = {0};
    for (size_t i = 0; i < ncauses; i++) {
        if (causes[i]->parent < 0)
            continue;
        const rs_info *r = root_of(c, st, causes[i]->parent, 0);
        if (!r)
            continue;
        da_buf e = {0};
        describe_edge(c, r, &e);
        if (e.data && !da_strlist_contains(&said, e.data) && !da_strlist_contains(&roots, e.data))
            da_strlist_push(&roots, e.data);
        da_buf_free(&e);
    }
    for (size_t i = 0; i < roots.len; i++)
        da_buf_printf(&b, "; %s", roots.items[i]);
    da_strlist_free(&roots);
    da_strlist_free(&said);
    free(ids);
    if (!b.data)
        da_buf_puts(&b, "the requirements cannot be satisfied together");
    return da_buf_take(&b);
}
