#include "depaudit/resolve.h"

#include "depaudit/target.h"

#include <stdlib.h>
#include <string.h>

void da_resolve_input_init(da_resolve_input *in)
{
    memset(in, 0, sizeof(*in));
    da_target_init_default(&in->target);
    in->allow_sdist = true;
}

da_resolve_step *da_resolve_input_add_step(da_resolve_input *in, da_resolve_step_kind kind,
                                           const char *file, int line)
{
    da_grow((void **)&in->steps, &in->steps_cap, in->nsteps + 1, sizeof(*in->steps));
    da_resolve_step *s = &in->steps[in->nsteps++];
    memset(s, 0, sizeof(*s));
    s->kind = kind;
    s->file = file ? da_xstrdup(file) : NULL;
    s->line = line;
    return s;
}

static void push_req(da_resolve_req **items, size_t *len, size_t *cap, const char *text,
                     const char *file, int line, int col)
{
    da_grow((void **)items, cap, *len + 1, sizeof(**items));
    da_resolve_req *r = &(*items)[(*len)++];
    r->text = da_xstrdup(text);
    r->file = file ? da_xstrdup(file) : NULL;
    r->line = line;
    r->col = col;
    memset(&r->required_by, 0, sizeof(r->required_by));
}

void da_resolve_step_add_req(da_resolve_step *s, const char *text, const char *file, int line,
                             int col)
{
    push_req(&s->reqs, &s->nreqs, &s->reqs_cap, text, file, line, col);
}

void da_resolve_step_add_constraint(da_resolve_step *s, const char *text, const char *file,
                                    int line, int col)
{
    push_req(&s->constraints, &s->nconstraints, &s->constraints_cap, text, file, line, col);
}

void da_resolve_step_add_pin(da_resolve_step *s, const char *text, const char *file, int line,
                             int col, const da_strlist *required_by)
{
    push_req(&s->reqs, &s->nreqs, &s->reqs_cap, text, file, line, col);
    for (size_t i = 0; required_by && i < required_by->len; i++)
        da_strlist_push(&s->reqs[s->nreqs - 1].required_by, required_by->items[i]);
}

void da_resolve_input_add_preinstalled(da_resolve_input *in, const char *name, const char *version,
                                       const char *file, int line)
{
    da_grow((void **)&in->preinstalled, &in->preinstalled_cap, in->npreinstalled + 1,
            sizeof(*in->preinstalled));
    da_resolve_preinstalled *p = &in->preinstalled[in->npreinstalled++];
    p->name = da_xstrdup(name);
    p->version = da_xstrdup(version);
    p->file = file ? da_xstrdup(file) : NULL;
    p->line = line;
}

static void free_reqs(da_resolve_req *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(r[i].text);
        free(r[i].file);
        da_strlist_free(&r[i].required_by);
    }
    free(r);
}

void da_resolve_input_free(da_resolve_input *in)
{
    if (!in)
        return;
    for (size_t i = 0; i < in->nsteps; i++) {
        da_resolve_step *s = &in->steps[i];
        free(s->file);
        free_reqs(s->reqs, s->nreqs);
        free_reqs(s->constraints, s->nconstraints);
        da_strlist_free(&s->only_binary);
        da_strlist_free(&s->no_binary);
    }
    free(in->steps);
    for (size_t i = 0; i < in->npreinstalled; i++) {
        free(in->preinstalled[i].name);
        free(in->preinstalled[i].version);
        free(in->preinstalled[i].file);
    }
    free(in->preinstalled);
    free(in->as_of);
    da_strlist_free(&in->notes);
    memset(in, 0, sizeof(*in));
}
