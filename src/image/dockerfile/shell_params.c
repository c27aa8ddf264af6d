/* The positional parameters of a RUN body ($1, $@, $*, $#): what `set -- ...` and `shift`
 * make of them. A script starts with none (sh -c gives the words after its body). When an
 * `if`/`case` on values unknown here, or `||`, sets them differently on its paths, each
 * possible list is kept (a few at most) and a command using them is formed once per list,
 * each form marked as maybe running; a loop or function that changes them, or a `set`
 * with a word whose value is unknown, makes them unknown. An unknown parameter expands to
 * its text as written, marked unknown, so that an installer reading it records an unread
 * step instead of installing nothing. */
#include "image/dockerfile/shell_walk.h"

#include <stdlib.h>
#include <string.h>

/* More possible lists than this and the parameters are unknown. */
enum { MAX_ALTS = 8 };

void sh_params_init(sh_params *p)
{
    memset(p, 0, sizeof(*p));
    p->alts = da_xcalloc(1, sizeof(da_strlist));
    p->nalts = 1;
}

void sh_params_free(sh_params *p)
{
    for (size_t i = 0; i < p->nalts; i++)
        da_strlist_free(&p->alts[i]);
    free(p->alts);
    da_strlist_free(&p->unset);
    memset(p, 0, sizeof(*p));
}

void sh_params_copy(sh_params *dst, const sh_params *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->unknown = src->unknown;
    dst->why = src->why;
    dst->nalts = src->nalts;
    dst->alts = da_xcalloc(src->nalts ? src->nalts : 1, sizeof(da_strlist));
    for (size_t i = 0; i < src->nalts; i++)
        da_strlist_copy_into(&dst->alts[i], &src->alts[i]);
    da_strlist_copy_into(&dst->unset, &src->unset);
}

void sh_params_add_unset(sh_params *p, const da_strlist *names)
{
    for (size_t i = 0; i < names->len; i++)
        if (!da_strlist_contains(&p->unset, names->items[i]))
            da_strlist_push(&p->unset, names->items[i]);
}

void sh_params_set_unknown(sh_params *p)
{
    const char *why = p->why;
    da_strlist unset = p->unset;
    memset(&p->unset, 0, sizeof(p->unset));
    sh_params_free(p);
    p->unknown = true;
    p->why = why;
    p->unset = unset;
}

static bool same_list(const da_strlist *a, const da_strlist *b)
{
    if (a->len != b->len)
        return false;
    for (size_t i = 0; i < a->len; i++)
        if (strcmp(a->items[i], b->items[i]) != 0)
            return false;
    return true;
}

bool sh_params_equal(const sh_params *a, const sh_params *b)
{
    if (a->unknown || b->unknown)
        return a->unknown == b->unknown;
    if (a->nalts != b->nalts)
        return false;
    for (size_t i = 0; i < a->nalts; i++)
        if (!same_list(&a->alts[i], &b->alts[i]))
            return false;
    return true;
}

void sh_params_union(sh_params *acc, const sh_params *other, const char *why)
{
    sh_params_add_unset(acc, &other->unset);
    if (acc->unknown)
        return;
    if (other->unknown) {
        sh_params_set_unknown(acc);
        return;
    }
    for (size_t i = 0; i < other->nalts; i++) {
        bool seen = false;
        for (size_t k = 0; k < acc->nalts && !seen; k++)
            seen = same_list(&acc->alts[k], &other->alts[i]);
        if (seen)
            continue;
        if (acc->nalts >= MAX_ALTS) {
            sh_params_set_unknown(acc);
            return;
        }
        acc->alts = da_xrealloc(acc->alts, (acc->nalts + 1) * sizeof(da_strlist));
        memset(&acc->alts[acc->nalts], 0, sizeof(da_strlist));
        da_strlist_copy_into(&acc->alts[acc->nalts++], &other->alts[i]);
    }
    if (acc->nalts > 1 && !acc->why)
        acc->why = why;
}

/* Where `set` starts its new parameters among words[from..n): after `--` or `-`, or at
 * the first word that is not an option; n when it leaves them alone (`set -e`). */
static size_t set_operands(const sh_word *words, size_t from, size_t n, bool *is_set)
{
    *is_set = false;
    for (size_t i = from; i < n; i++) {
        const char *a = words[i].value;
        if (strcmp(a, "--") == 0 || strcmp(a, "-") == 0) {
            *is_set = true;
            return i + 1;
        }
        if (a[0] != '-' && a[0] != '+') {
            *is_set = true;
            return i;
        }
        if ((strcmp(a, "-o") == 0 || strcmp(a, "+o") == 0) && i + 1 < n)
            i++;
    }
    return n;
}

bool sh_params_command(const sh_command *c, sh_params *alt_out)
{
    if (c->nwords == 0)
        return false;
    const char *name = c->words[0].value;
    memset(alt_out, 0, sizeof(*alt_out));
    if (strcmp(name, "set") == 0) {
        bool is_set;
        size_t from = set_operands(c->words, 1, c->nwords, &is_set);
        if (!is_set)
            return false;
        sh_params_init(alt_out);
        for (size_t i = from; i < c->nwords; i++) {
            if (c->words[i].unknown) {
                sh_params_set_unknown(alt_out);
                return true;
            }
            da_strlist_push(&alt_out->alts[0], c->words[i].value);
        }
        return true;
    }
    if (strcmp(name, "shift") == 0) {
        /* the caller shifts its own list; here only whether the count is known */
        sh_params_init(alt_out);
        if (c->nwords > 2 || (c->nwords == 2 && (c->words[1].unknown ||
                                                 strspn(c->words[1].value, "0123456789") !=
                                                     strlen(c->words[1].value) ||
                                                 !c->words[1].value[0])))
            sh_params_set_unknown(alt_out);
        return true;
    }
    return false;
}

void sh_params_shift(da_strlist *l, size_t n)
{
    if (n > l->len) /* sh: shift fails and leaves them */
        return;
    for (size_t i = 0; i < n; i++)
        free(l->items[i]);
    memmove(l->items, l->items + n, (l->len - n) * sizeof(char *));
    l->len -= n;
}

/* ---- expansion --------------------------------------------------------------------------- */

/* The name of a positional or special parameter at t (after `$` or `${`): "@", "*", "#",
 * "0", or digits; 0 when it is none. */
size_t sh_param_name_len(const char *t, size_t len)
{
    if (len == 0)
        return 0;
    if (t[0] == '@' || t[0] == '*' || t[0] == '#')
        return 1;
    size_t k = 0;
    while (k < len && t[k] >= '0' && t[k] <= '9')
        k++;
    return k;
}

bool sh_param_value(walker *w, const char *name, size_t nl, char **value)
{
    w->params_used = true;
    *value = NULL;
    if (w->params.unknown || w->params.nalts == 0)
        return false;
    size_t alt = w->params_alt < w->params.nalts ? w->params_alt : 0;
    const da_strlist *l = &w->params.alts[alt];
    if (nl == 1 && name[0] == '#') {
        *value = da_xasprintf("%zu", l->len);
        return true;
    }
    if (nl == 1 && (name[0] == '@' || name[0] == '*')) {
        da_buf b = {0};
        da_buf_puts(&b, "");
        for (size_t i = 0; i < l->len; i++)
            da_buf_printf(&b, "%s%s", i ? " " : "", l->items[i]);
        *value = da_buf_take(&b);
        return true;
    }
    if (nl == 1 && name[0] == '0')
        return false; /* the shell's name: not needed to read an install */
    size_t idx = 0;
    for (size_t i = 0; i < nl && idx < 100000; i++)
        idx = idx * 10 + (size_t)(name[i] - '0');
    if (idx == 0)
        return false;
    *value = da_xstrdup(idx <= l->len ? l->items[idx - 1] : "");
    return true;
}

const da_strlist *sh_param_list(const walker *w)
{
    if (w->params.unknown || w->params.nalts == 0)
        return NULL;
    return &w->params.alts[w->params_alt < w->params.nalts ? w->params_alt : 0];
}
