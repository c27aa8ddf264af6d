#include "resolver.h"

#include <stdlib.h>
#include <string.h>

/* Whether a failed install is known to fail. With complete version lists and the metadata
 * of the versions themselves, every conflict is (rs_step_facts_known). Without them a
 * conflict can still be known: when the requirements on one distribution exclude each
 * other whatever versions exist (`urllib3<1.0` against `urllib3>=1.21.1`), and each of
 * them is the user's own or comes from a version the user pins exactly, whose metadata is
 * its own and complete. */

static void tighten(rs_bound *b, const char *text, bool inclusive, bool lower)
{
    da_version *v = da_version_parse(text, NULL);
    if (!v)
        return;
    int c = b->v ? da_version_compare(v, b->v) : (lower ? 1 : -1);
    if ((lower && c > 0) || (!lower && c < 0) || (c == 0 && !inclusive)) {
        da_version_free(b->v);
        b->v = v;
        b->inclusive = c == 0 ? b->inclusive && inclusive : inclusive;
        return;
    }
    da_version_free(v);
}

/* >=, >, <=, < and == (not a wildcard) move the bounds; != is kept for a single point; the
 * rest (~=, wildcards, ===) constrain nothing here, so nothing is claimed from them. */
void rs_bounds_add(rs_bounds *b, const rs_clauses *cl, size_t i)
{
    if (cl->wildcard[i])
        return;
    char *text = da_specifier_set_to_string(cl->items[i]);
    const char *op = cl->ops[i];
    const char *v = text + strspn(text, "=<>!~ ");
    if (strcmp(op, ">=") == 0)
        tighten(&b->lo, v, true, true);
    else if (strcmp(op, ">") == 0)
        tighten(&b->lo, v, false, true);
    else if (strcmp(op, "<=") == 0)
        tighten(&b->hi, v, true, false);
    else if (strcmp(op, "<") == 0)
        tighten(&b->hi, v, false, false);
    else if (strcmp(op, "==") == 0) {
        tighten(&b->lo, v, true, true);
        tighten(&b->hi, v, true, false);
    } else if (strcmp(op, "!=") == 0)
        da_strlist_push(&b->not_eq, v);
    free(text);
}

bool rs_bounds_empty(const rs_bounds *b)
{
    if (!b->lo.v || !b->hi.v)
        return false;
    int c = da_version_compare(b->lo.v, b->hi.v);
    bool empty = c > 0 || (c == 0 && (!b->lo.inclusive || !b->hi.inclusive));
    for (size_t i = 0; c == 0 && !empty && i < b->not_eq.len; i++) {
        da_version *x = da_version_parse(b->not_eq.items[i], NULL);
        empty = x && da_version_compare(x, b->lo.v) == 0;
        da_version_free(x);
    }
    return empty;
}

void rs_bounds_free(rs_bounds *b)
{
    da_version_free(b->lo.v);
    da_version_free(b->hi.v);
    da_strlist_free(&b->not_eq);
    memset(b, 0, sizeof(*b));
}

/* No version at all satisfies every clause of these edges. */
static bool clauses_exclude_each_other(const rs_info *const *edges, size_t n)
{
    rs_bounds b = {{NULL, true}, {NULL, true}, {0}};
    for (size_t e = 0; e < n; e++)
        for (size_t i = 0; i < edges[e]->clauses.len; i++)
            rs_bounds_add(&b, &edges[e]->clauses, i);
    bool empty = rs_bounds_empty(&b);
    rs_bounds_free(&b);
    return empty;
}

/* The user asks for exactly this version of identifier id's project in this step. */
static bool pinned_by_user(const rs_ctx *c, int id, const rs_version *v)
{
    int project = c->idents[id].project;
    for (size_t k = 0; k < c->ninfos; k++) {
        const rs_info *u = c->infos[k];
        if (u->parent >= 0 || u->kind != RS_INFO_REQ || u->ident < 0 ||
            c->idents[u->ident].project != project)
            continue;
        for (size_t i = 0; i < u->clauses.len; i++) {
            if (u->clauses.wildcard[i] || strcmp(u->clauses.ops[i], "==") != 0)
                continue;
            char *text = da_specifier_set_to_string(u->clauses.items[i]);
            da_version *x = da_version_parse(text + strspn(text, "= "), NULL);
            bool same = x && da_version_compare(x, v->v) == 0;
            da_version_free(x);
            free(text);
            if (same)
                return true;
        }
    }
    return false;
}

/* An edge that is a fact: the user's requirement, or the requirement (or Requires-Python)
 * of a version the user pins exactly, read from that version's own complete metadata. */
static bool edge_known(const rs_ctx *c, const rs_info *info)
{
    if (info->parent < 0)
        return info->kind == RS_INFO_REQ;
    const rs_project *p = &c->projects[c->idents[info->parent].project];
    const rs_version *v = &p->versions[info->parent_version];
    if (v->assumed || v->deps_unknown || !v->release || v->release->requires_incomplete)
        return false;
    return pinned_by_user(c, info->parent, v);
}

bool rs_conflict_certain(const rs_ctx *c, rs_info *const *causes, size_t n)
{
    if (rs_step_facts_known(c))
        return true;
    for (size_t i = 0; i < n; i++)
        if (causes[i]->kind == RS_INFO_PYTHON && edge_known(c, causes[i]))
            return true; /* an exact version that does not run on the image's Python */
    const rs_info **edges = da_xcalloc(n + 1, sizeof(*edges));
    bool certain = false;
    for (size_t i = 0; i < n && !certain; i++) {
        int id = causes[i]->ident;
        if (causes[i]->kind != RS_INFO_REQ || id < 0)
            continue;
        size_t m = 0;
        bool all_known = true;
        for (size_t k = 0; k < n; k++)
            if (causes[k]->kind == RS_INFO_REQ && causes[k]->ident >= 0 &&
                c->idents[causes[k]->ident].project == c->idents[id].project) {
                edges[m++] = causes[k];
                all_known = all_known && edge_known(c, causes[k]);
            }
        certain = all_known && m > 1 && clauses_exclude_each_other(edges, m);
    }
    free(edges);
    return certain;
}
