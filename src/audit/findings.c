/* The findings list: building, ordering, counting and freeing it. */
#include "audit_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

da_finding *audit_add_finding(da_findings *f, da_code code, const char *file, int line, int col)
{
    da_grow((void **)&f->items, &f->cap, f->len + 1, sizeof(*f->items));
    da_finding *x = &f->items[f->len++];
    memset(x, 0, sizeof(*x));
    x->code = code;
    x->severity = da_code_default_severity(code);
    x->file = da_xstrdup(file ? file : "");
    x->line = line;
    x->col = col;
    return x;
}

void audit_finding_set_message(da_finding *x, const char *fmt, ...)
{
    da_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    da_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    free(x->message);
    x->message = da_buf_take(&b);
}

void audit_finding_add_candidate(da_finding *x, const char *dist, da_basis basis)
{
    for (size_t i = 0; i < x->ncandidates; i++)
        if (strcmp(x->candidates[i].dist, dist) == 0)
            return;
    size_t cap = x->ncandidates;
    da_grow((void **)&x->candidates, &cap, x->ncandidates + 1, sizeof(*x->candidates));
    x->candidates[x->ncandidates].dist = da_xstrdup(dist);
    x->candidates[x->ncandidates].basis = basis;
    x->ncandidates++;
}

static int compare_findings(const void *a, const void *b)
{
    const da_finding *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    if (c)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    if (x->code != y->code)
        return x->code < y->code ? -1 : 1;
    const char *mx = x->module ? x->module : x->dist ? x->dist : "";
    const char *my = y->module ? y->module : y->dist ? y->dist : "";
    return strcmp(mx, my);
}

void audit_findings_sort(da_findings *f)
{
    if (f->len > 1)
        qsort(f->items, f->len, sizeof(*f->items), compare_findings);
}

size_t da_findings_count_at_least(const da_findings *f, int level)
{
    if (level < 0)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < f->len; i++)
        if ((int)f->items[i].severity >= level)
            n++;
    return n;
}

size_t da_findings_count_failing(const da_findings *f, int level)
{
    if (level < 0)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < f->len; i++)
        if ((int)f->items[i].severity >= level && f->items[i].certainty != DA_CERTAINTY_UNVERIFIED)
            n++;
    return n;
}

void audit_fix_free(da_fix *fx)
{
    if (!fx)
        return;
    free(fx->file);
    free(fx->display);
    free(fx->text);
    free(fx->replaced);
    free(fx->requirement);
    free(fx->why);
    free(fx);
}

void da_findings_free(da_findings *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->len; i++) {
        da_finding *x = &f->items[i];
        free(x->file);
        free(x->module);
        free(x->dist);
        free(x->message);
        for (size_t k = 0; k < x->nchain; k++)
            free(x->chain[k].file);
        free(x->chain);
        free(x->python_error);
        for (size_t k = 0; k < x->ncandidates; k++)
            free(x->candidates[k].dist);
        free(x->candidates);
        da_strlist_free(&x->related);
        audit_fix_free(x->fix);
        free(x->older_metadata);
    }
    free(f->items);
    da_strlist_free(&f->notes);
    da_strlist_free(&f->unknowns);
    free(f->metadata_origin);
    memset(f, 0, sizeof(*f));
}
