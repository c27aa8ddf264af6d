/* PEP 440 version specifiers with packaging 23.0's semantics: pre-release handling,
 * wildcards compared on padded release strings, ~= through its computed prefix,
 * exclusive < and > that keep pre/post releases and locals of the named version out. */
#include "specifier_impl.h"
#include "text.h"
#include "version_impl.h"

#include <stdlib.h>
#include <string.h>

struct da_specifier_set {
    pep_specifier *items;
    size_t len, cap;
    bool any_pre; /* some clause names a pre-release */
};

static char *strip_dup(const char *s, size_t n)
{
    size_t start = pep_skip_space(s, n, 0);
    size_t len = pep_rstrip_len(s + start, n - start);
    return da_xstrndup(s + start, len);
}

/* canonicalize_version(text): the text itself when it is not a version. */
static char *canonicalize_text(const char *text, bool strip_zeros)
{
    da_version *v = da_version_parse(text, NULL);
    if (!v)
        return da_xstrdup(text);
    da_buf out = {0};
    da_buf_puts(&out, "");
    pep_version_append(&out, v, true, strip_zeros);
    da_version_free(v);
    return da_buf_take(&out);
}

/* packaging's _version_split: on '.', and "1rc2"-style items into "1", "rc2". */
static void version_split(const char *s, da_strlist *out)
{
    const char *p = s;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        size_t d = 0;
        while (d < len && p[d] >= '0' && p[d] <= '9')
            d++;
        size_t split = 0;
        if (d > 0 && d < len) {
            size_t q = d, l = 0;
            if (p[q] == 'a' || p[q] == 'b' || p[q] == 'c')
                l = 1;
            else if (len - q >= 2 && p[q] == 'r' && p[q + 1] == 'c')
                l = 2;
            if (l) {
                size_t r = q + l, e = r;
                while (e < len && p[e] >= '0' && p[e] <= '9')
                    e++;
                if (e > r && e == len)
                    split = d;
            }
        }
        if (split) {
            da_strlist_push_owned(out, da_xstrndup(p, split));
            da_strlist_push_owned(out, da_xstrndup(p + split, len - split));
        } else {
            da_strlist_push_owned(out, da_xstrndup(p, len));
        }
        if (!dot)
            break;
        p = dot + 1;
    }
}

static bool is_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

static bool is_suffix(const char *s)
{
    return da_str_starts_with(s, "dev") || da_str_starts_with(s, "a") ||
           da_str_starts_with(s, "b") || da_str_starts_with(s, "rc") ||
           da_str_starts_with(s, "post");
}

/* ~= X.Y.Z -> "X.Y": the release parts before the first suffix, without the last. */
static char *compatible_prefix(const char *version)
{
    da_strlist parts = {0};
    version_split(version, &parts);
    size_t keep = 0;
    while (keep < parts.len && !is_suffix(parts.items[keep]))
        keep++;
    da_buf out = {0};
    da_buf_puts(&out, "");
    for (size_t i = 0; i + 1 < keep; i++) {
        if (i)
            da_buf_putc(&out, '.');
        da_buf_puts(&out, parts.items[i]);
    }
    da_strlist_free(&parts);
    return da_buf_take(&out);
}

bool pep_specifier_parse(pep_specifier *sp, const char *s, size_t n, da_error *err)
{
    memset(sp, 0, sizeof(*sp));
    pep_spec_match m;
    if (!pep_specifier_match(s, n, 0, true, &m)) {
        da_error_set(err, NULL, 1, pep_column(s, pep_skip_space(s, n, 0)),
                     "invalid specifier '%.*s'", (int)n, s);
        return false;
    }
    memcpy(sp->op, s + m.op_start, m.op_len);
    sp->op[m.op_len] = '\0';
    sp->version = strip_dup(s + m.ver_start, m.ver_end - m.ver_start);
    bool is_eq = strcmp(sp->op, "==") == 0, is_ne = strcmp(sp->op, "!=") == 0;
    bool arbitrary = strcmp(sp->op, "===") == 0;
    sp->wildcard = (is_eq || is_ne) && da_str_ends_with(sp->version, ".*");
    if (sp->wildcard) {
        sp->wild_prefix = da_xstrndup(sp->version, strlen(sp->version) - 2);
        sp->parsed = da_version_parse(sp->wild_prefix, NULL);
    } else {
        sp->parsed = da_version_parse(sp->version, NULL);
    }
    if (!sp->parsed && !arbitrary) { /* the pattern admits only versions here */
        da_error_set(err, NULL, 1, pep_column(s, m.ver_start), "invalid version in '%.*s'", (int)n,
                     s);
        pep_specifier_clear(sp);
        return false;
    }
    if (strcmp(sp->op, "~=") == 0)
        sp->wild_prefix = compatible_prefix(sp->version);
    /* Specifier.prereleases: names a pre-release (!=, <, > never count). */
    if (is_ne || strcmp(sp->op, "<") == 0 || strcmp(sp->op, ">") == 0)
        sp->prereleases = 0;
    else if (!sp->parsed)
        sp->prereleases = -1; /* Version(text) raises InvalidVersion in packaging */
    else if (sp->wildcard && !is_eq)
        sp->prereleases = 0;
    else
        sp->prereleases = da_version_is_prerelease(sp->parsed) ? 1 : 0;
    sp->canonical = canonicalize_text(sp->version, strcmp(sp->op, "~=") != 0);
    return true;
}

void pep_specifier_clear(pep_specifier *sp)
{
    free(sp->version);
    free(sp->wild_prefix);
    free(sp->canonical);
    da_version_free(sp->parsed);
    memset(sp, 0, sizeof(*sp));
}

/* _compare_equal with a ".*" prefix: both sides canonicalised and split, the candidate
 * padded with zeros to the prefix's release length, then cut to the prefix's length. */
static bool equal_wildcard(const da_version *v, const char *prefix)
{
    da_buf pro = {0};
    da_buf_puts(&pro, "");
    pep_version_append(&pro, v, false, true);
    char *spec = canonicalize_text(prefix, false);
    da_strlist left = {0}, right = {0};
    version_split(pro.data, &left);
    version_split(spec, &right);
    size_t lnum = 0, rnum = 0;
    while (lnum < left.len && is_digits(left.items[lnum]))
        lnum++;
    while (rnum < right.len && is_digits(right.items[rnum]))
        rnum++;
    size_t pad = rnum > lnum ? rnum - lnum : 0;
    size_t total = left.len + pad;
    bool eq = total >= right.len;
    for (size_t i = 0; eq && i < right.len; i++) {
        const char *item;
        if (i < lnum)
            item = left.items[i];
        else if (i < lnum + pad)
            item = "0";
        else
            item = left.items[i - pad];
        eq = strcmp(item, right.items[i]) == 0;
    }
    da_strlist_free(&left);
    da_strlist_free(&right);
    free(spec);
    da_buf_free(&pro);
    return eq;
}

static bool equal_exact(const da_version *v, const da_version *spec)
{
    if (spec->nlocal)
        return da_version_compare(v, spec) == 0;
    return pep_version_compare_public(v, spec) == 0;
}

static bool arbitrary_equal(const da_version *v, const char *text)
{
    da_buf a = {0}, b = {0}, low = {0};
    pep_version_append(&a, v, true, false);
    pep_lower_append(&low, a.data, a.len);
    pep_lower_append(&b, text, strlen(text));
    da_buf_puts(&low, "");
    da_buf_puts(&b, "");
    bool eq = strcmp(low.data, b.data) == 0;
    da_buf_free(&a);
    da_buf_free(&b);
    da_buf_free(&low);
    return eq;
}

bool pep_specifier_contains(const pep_specifier *sp, const da_version *v, bool prereleases)
{
    if (da_version_is_prerelease(v) && !prereleases)
        return false;
    const char *op = sp->op;
    const da_version *spec = sp->parsed;
    if (strcmp(op, "===") == 0)
        return arbitrary_equal(v, sp->version);
    if (strcmp(op, "==") == 0)
        return sp->wildcard ? equal_wildcard(v, sp->wild_prefix) : equal_exact(v, spec);
    if (strcmp(op, "!=") == 0)
        return !(sp->wildcard ? equal_wildcard(v, sp->wild_prefix) : equal_exact(v, spec));
    if (strcmp(op, "~=") == 0)
        return pep_version_compare_public(v, spec) >= 0 && equal_wildcard(v, sp->wild_prefix);
    if (strcmp(op, "<=") == 0)
        return pep_version_compare_public(v, spec) <= 0;
    if (strcmp(op, ">=") == 0)
        return pep_version_compare_public(v, spec) >= 0;
    if (strcmp(op, "<") == 0) {
        if (da_version_compare(v, spec) >= 0)
            return false;
        /* <1.0 must not admit 1.0a1: a pre-release of the named version is excluded
         * unless the specifier itself names a pre-release. */
        return !(!da_version_is_prerelease(spec) && da_version_is_prerelease(v) &&
                 pep_version_base_equal(v, spec));
    }
    /* ">": 1.0.post1 and 1.0+local are not "greater than 1.0" */
    if (da_version_compare(v, spec) <= 0)
        return false;
    if (!spec->has_post && v->has_post && pep_version_base_equal(v, spec))
        return false;
    return !(v->nlocal && pep_version_base_equal(v, spec));
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Clauses are a set, equal by (operator, canonical version): a small open-addressing
 * table of indexes keeps de-duplication linear however many clauses the text holds. */
typedef struct clause_table {
    size_t *slots; /* index + 1, 0 = empty */
    size_t cap;
} clause_table;

static size_t clause_hash(const pep_specifier *sp)
{
    size_t h = 1469598103934665603u;
    for (const char *c = sp->op; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211u;
    h = (h ^ 0xFF) * 1099511628211u;
    for (const char *c = sp->canonical; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211u;
    return h;
}

static bool clause_equal(const pep_specifier *a, const pep_specifier *b)
{
    return strcmp(a->op, b->op) == 0 && strcmp(a->canonical, b->canonical) == 0;
}

/* Returns true if an equal clause is already in the set; otherwise records index i. */
static bool clause_seen(clause_table *t, const da_specifier_set *set, const pep_specifier *sp,
                        size_t i)
{
    if ((i + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        size_t *slots = da_xcalloc(cap, sizeof(size_t));
        for (size_t k = 0; k < t->cap; k++) {
            if (!t->slots[k])
                continue;
            size_t j = clause_hash(&set->items[t->slots[k] - 1]) & (cap - 1);
            while (slots[j])
                j = (j + 1) & (cap - 1);
            slots[j] = t->slots[k];
        }
        free(t->slots);
        t->slots = slots;
        t->cap = cap;
    }
    size_t j = clause_hash(sp) & (t->cap - 1);
    while (t->slots[j]) {
        if (clause_equal(&set->items[t->slots[j] - 1], sp))
            return true;
        j = (j + 1) & (t->cap - 1);
    }
    t->slots[j] = i + 1;
    return false;
}

da_specifier_set *da_specifier_set_parse(const char *s, da_error *err)
{
    da_specifier_set *set = da_xcalloc(1, sizeof(*set));
    if (!s)
        return set;
    clause_table table = {NULL, 0};
    size_t n = strlen(s), start = 0;
    while (start <= n) {
        const char *comma = memchr(s + start, ',', n - start);
        size_t end = comma ? (size_t)(comma - s) : n;
        size_t a = pep_skip_space(s, end, start);
        if (a < end) {
            pep_specifier sp;
            if (!pep_specifier_parse(&sp, s + start, end - start, NULL)) {
                da_error_set(err, NULL, 1, pep_column(s, a), "invalid specifier '%.*s'",
                             (int)(pep_rstrip_len(s + a, end - a)), s + a);
                free(table.slots);
                da_specifier_set_free(set);
                return NULL;
            }
            if (clause_seen(&table, set, &sp, set->len)) {
                pep_specifier_clear(&sp); /* the first spelling is the one kept */
            } else {
                set->any_pre = set->any_pre || sp.prereleases == 1;
                DA_PUSH(set->items, set->len, set->cap, sp);
            }
        }
        if (!comma)
            break;
        start = end + 1;
    }
    free(table.slots);
    return set;
}

void da_specifier_set_free(da_specifier_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->len; i++)
        pep_specifier_clear(&s->items[i]);
    free(s->items);
    free(s);
}

size_t da_specifier_set_len(const da_specifier_set *s)
{
    return s->len;
}

bool da_specifier_set_allows_prereleases(const da_specifier_set *s)
{
    return s->any_pre;
}

bool da_specifier_set_contains(const da_specifier_set *s, const da_version *v, int prereleases)
{
    /* Default rules: allowed if any clause names a pre-release. packaging raises when
     * it must test an "===" text that is not a version; that counts as "not named". */
    bool pre = prereleases < 0 ? s->any_pre : prereleases != 0;
    if (!pre && da_version_is_prerelease(v))
        return false;
    for (size_t i = 0; i < s->len; i++)
        if (!pep_specifier_contains(&s->items[i], v, pre))
            return false;
    return true;
}

bool da_specifier_set_contains_str(const da_specifier_set *s, const char *version, int prereleases)
{
    da_version *v = da_version_parse(version, NULL);
    if (!v)
        return false;
    bool r = da_specifier_set_contains(s, v, prereleases);
    da_version_free(v);
    return r;
}

char *da_specifier_set_to_string(const da_specifier_set *s)
{
    char **texts = da_xcalloc(s->len ? s->len : 1, sizeof(char *));
    for (size_t i = 0; i < s->len; i++)
        texts[i] = da_xasprintf("%s%s", s->items[i].op, s->items[i].version);
    qsort(texts, s->len, sizeof(char *), compare_strings);
    da_buf out = {0};
    da_buf_puts(&out, "");
    for (size_t i = 0; i < s->len; i++) {
        if (i)
            da_buf_putc(&out, ',');
        da_buf_puts(&out, texts[i]);
        free(texts[i]);
    }
    free(texts);
    return da_buf_take(&out);
}
