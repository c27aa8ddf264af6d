/* PEP 440 versions, parsed and ordered exactly as packaging 23.0's Version does (its
 * regular expression, its normalisation of spellings, its comparison key). */
#include "text.h"
#include "version_impl.h"

#include <stdlib.h>
#include <string.h>

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_sep(char c)
{
    return c == '-' || c == '_' || c == '.';
}

static size_t digits_end(const char *s, size_t n, size_t pos)
{
    while (pos < n && is_digit(s[pos]))
        pos++;
    return pos;
}

/* A number at s[start..end) of the pool: offset/length without leading zeros. */
static pep_num make_num(const char *pool, size_t start, size_t end)
{
    while (start < end && pool[start] == '0')
        start++;
    pep_num num = {(uint32_t)start, (uint32_t)(end - start)};
    return num;
}

static pep_num pool_add(da_buf *pool, const char *s, size_t n)
{
    pep_num t = {(uint32_t)pool->len, (uint32_t)n};
    da_buf_append(pool, s, n);
    return t;
}

/* Lower-cases a matched spelling and maps it to the preferred one (packaging's
 * _parse_letter_version); a spelling that lower-cases to something else (IGNORECASE
 * lets "poſt" match) is kept, as packaging keeps it. */
static pep_num letter_add(da_buf *pool, const char *s, size_t n)
{
    da_buf low = {0};
    pep_lower_append(&low, s, n);
    const char *l = low.data;
    const char *norm = l;
    if (strcmp(l, "alpha") == 0)
        norm = "a";
    else if (strcmp(l, "beta") == 0)
        norm = "b";
    else if (strcmp(l, "c") == 0 || strcmp(l, "pre") == 0 || strcmp(l, "preview") == 0)
        norm = "rc";
    else if (strcmp(l, "rev") == 0 || strcmp(l, "r") == 0)
        norm = "post";
    pep_num t = pool_add(pool, norm, strlen(norm));
    da_buf_free(&low);
    return t;
}

static size_t match_words(const char *s, size_t n, const char *const *words)
{
    for (size_t i = 0; words[i]; i++) {
        size_t l = pep_ci_word(s, n, words[i]);
        if (l)
            return l;
    }
    return 0;
}

/* Longest spelling first: a shorter one can never complete a match where a longer one
 * starts (nothing may follow "pre" that would also spell "view", and so on). */
static const char *const PRE_WORDS[] = {"preview", "alpha", "beta", "pre", "rc",
                                        "a",       "b",     "c",    NULL};
static const char *const POST_WORDS[] = {"post", "rev", "r", NULL};

typedef struct num_list {
    pep_num *items;
    size_t len, cap;
} num_list;

typedef struct local_list {
    pep_local_part *items;
    size_t len, cap;
} local_list;

/* The local segment after '+' at *pos: [a-z0-9]+ ([-_.] [a-z0-9]+)*. Advances *pos past
 * it; false (and *pos unchanged) when a part is empty. */
static bool parse_local(const char *s, size_t n, size_t *pos, da_buf *pool, local_list *local)
{
    size_t p = *pos + 1;
    for (;;) {
        size_t part = p, l;
        while ((l = pep_ci_alnum(s + p, n - p)) != 0)
            p += l;
        if (p == part)
            return false; /* *pos stays at the '+': the error points there */
        bool numeric = true;
        for (size_t i = part; i < p; i++)
            numeric = numeric && is_digit(s[i]);
        pep_local_part lp = {numeric, {0, 0}};
        if (numeric) {
            lp.text = make_num(pool->data, part, p);
        } else {
            da_buf low = {0};
            pep_lower_append(&low, s + part, p - part);
            lp.text = pool_add(pool, low.data, low.len);
            da_buf_free(&low);
        }
        DA_PUSH(local->items, local->len, local->cap, lp);
        if (p + 1 < n && is_sep(s[p]) && pep_ci_alnum(s + p + 1, n - p - 1))
            p++;
        else
            break;
    }
    *pos = p;
    return true;
}

/* One allocation for the struct and its arrays; takes the pool. */
static da_version *assemble(const da_version *tmp, const num_list *rel, const local_list *local,
                            da_buf *pool)
{
    size_t size =
        sizeof(da_version) + rel->len * sizeof(pep_num) + local->len * sizeof(pep_local_part);
    da_version *v = da_xmalloc(size);
    *v = *tmp;
    v->rel = (pep_num *)(v + 1);
    memcpy(v->rel, rel->items, rel->len * sizeof(pep_num));
    v->nrel = (uint32_t)rel->len;
    v->nrel_key = v->nrel;
    while (v->nrel_key > 0 && v->rel[v->nrel_key - 1].len == 0)
        v->nrel_key--;
    v->local = (pep_local_part *)(v->rel + rel->len);
    if (local->len)
        memcpy(v->local, local->items, local->len * sizeof(pep_local_part));
    v->nlocal = (uint32_t)local->len;
    v->pool_len = (uint32_t)pool->len;
    v->pool = da_buf_take(pool);
    return v;
}

da_version *pep_version_parse_n(const char *s, size_t n, da_error *err)
{
    da_buf pool = {0};
    da_buf_append(&pool, s, n); /* digits are read from this copy */
    da_buf_putc(&pool, '\0');
    num_list rel = {0};
    local_list local = {0};
    da_version tmp;
    memset(&tmp, 0, sizeof(tmp));
    size_t pos = pep_skip_space(s, n, 0), p, e;

    pos += pep_ci_char(s + pos, n - pos, 'v');
    e = digits_end(s, n, pos);
    if (e > pos && e < n && s[e] == '!') {
        tmp.epoch = make_num(pool.data, pos, e);
        pos = e + 1;
    }
    e = digits_end(s, n, pos);
    if (e == pos)
        goto invalid;
    DA_PUSH(rel.items, rel.len, rel.cap, make_num(pool.data, pos, e));
    pos = e;
    while (pos + 1 < n && s[pos] == '.' && is_digit(s[pos + 1])) {
        e = digits_end(s, n, pos + 1);
        DA_PUSH(rel.items, rel.len, rel.cap, make_num(pool.data, pos + 1, e));
        pos = e;
    }
    /* pre-release: [-_.]? letter [-_.]? digits? */
    p = pos;
    if (p < n && is_sep(s[p]))
        p++;
    size_t wl = match_words(s + p, n - p, PRE_WORDS);
    if (wl) {
        tmp.has_pre = true;
        tmp.pre_letter = letter_add(&pool, s + p, wl);
        p += wl;
        if (p < n && is_sep(s[p]))
            p++;
        e = digits_end(s, n, p);
        tmp.pre_n = make_num(pool.data, p, e);
        pos = e;
    }
    /* post-release: -digits | [-_.]? (post|rev|r) [-_.]? digits? */
    if (pos + 1 < n && s[pos] == '-' && is_digit(s[pos + 1])) {
        e = digits_end(s, n, pos + 1);
        tmp.has_post = true;
        tmp.post_letter = pool_add(&pool, "post", 4);
        tmp.post_n = make_num(pool.data, pos + 1, e);
        pos = e;
    } else {
        p = pos;
        if (p < n && is_sep(s[p]))
            p++;
        wl = match_words(s + p, n - p, POST_WORDS);
        if (wl) {
            tmp.has_post = true;
            tmp.post_letter = letter_add(&pool, s + p, wl);
            p += wl;
            if (p < n && is_sep(s[p]))
                p++;
            e = digits_end(s, n, p);
            tmp.post_n = make_num(pool.data, p, e);
            pos = e;
        }
    }
    /* dev-release: [-_.]? dev [-_.]? digits? */
    p = pos;
    if (p < n && is_sep(s[p]))
        p++;
    wl = pep_ci_word(s + p, n - p, "dev");
    if (wl) {
        tmp.has_dev = true;
        p += wl;
        if (p < n && is_sep(s[p]))
            p++;
        e = digits_end(s, n, p);
        tmp.dev_n = make_num(pool.data, p, e);
        pos = e;
    }
    /* local: + [a-z0-9]+ ([-_.] [a-z0-9]+)* */
    if (pos < n && s[pos] == '+' && !parse_local(s, n, &pos, &pool, &local))
        goto invalid;
    pos = pep_skip_space(s, n, pos);
    if (pos != n)
        goto invalid;

    da_version *v = assemble(&tmp, &rel, &local, &pool);
    free(rel.items);
    free(local.items);
    return v;

invalid:
    da_error_set(err, NULL, 1, pep_column(s, pos), "invalid version '%.*s'", (int)n, s);
    da_buf_free(&pool);
    free(rel.items);
    free(local.items);
    return NULL;
}

da_version *da_version_parse(const char *s, da_error *err)
{
    if (!s) {
        da_error_set(err, NULL, 0, 0, "invalid version: no text");
        return NULL;
    }
    return pep_version_parse_n(s, strlen(s), err);
}

void da_version_free(da_version *v)
{
    if (!v)
        return;
    free(v->pool);
    free(v);
}

da_version *da_version_copy(const da_version *v)
{
    size_t arrays = v->nrel * sizeof(pep_num) + v->nlocal * sizeof(pep_local_part);
    da_version *c = da_xmalloc(sizeof(da_version) + arrays);
    *c = *v;
    c->rel = (pep_num *)(c + 1);
    memcpy(c->rel, v->rel, v->nrel * sizeof(pep_num));
    c->local = (pep_local_part *)(c->rel + v->nrel);
    if (v->nlocal)
        memcpy(c->local, v->local, v->nlocal * sizeof(pep_local_part));
    c->pool = da_xmalloc(v->pool_len + 1);
    memcpy(c->pool, v->pool, v->pool_len);
    c->pool[v->pool_len] = '\0';
    return c;
}

static int num_cmp(const char *pa, pep_num a, const char *pb, pep_num b)
{
    if (a.len != b.len)
        return a.len < b.len ? -1 : 1;
    int c = memcmp(pa + a.off, pb + b.off, a.len);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

static int text_cmp(const char *pa, pep_num a, const char *pb, pep_num b)
{
    size_t m = a.len < b.len ? a.len : b.len;
    int c = memcmp(pa + a.off, pb + b.off, m);
    if (c)
        return c < 0 ? -1 : 1;
    return a.len == b.len ? 0 : (a.len < b.len ? -1 : 1);
}

static int release_cmp(const da_version *a, const da_version *b)
{
    uint32_t m = a->nrel_key < b->nrel_key ? a->nrel_key : b->nrel_key;
    for (uint32_t i = 0; i < m; i++) {
        int c = num_cmp(a->pool, a->rel[i], b->pool, b->rel[i]);
        if (c)
            return c;
    }
    return a->nrel_key == b->nrel_key ? 0 : (a->nrel_key < b->nrel_key ? -1 : 1);
}

/* packaging's _cmpkey: 1.0.dev0 < 1.0a0 < 1.0 < 1.0.post0, locals after the public one. */
static int pre_rank(const da_version *v)
{
    if (!v->has_pre && !v->has_post && v->has_dev)
        return 0; /* -Infinity */
    if (!v->has_pre)
        return 2; /* Infinity */
    return 1;
}

static int compare(const da_version *a, const da_version *b, bool with_local)
{
    int c = num_cmp(a->pool, a->epoch, b->pool, b->epoch);
    if (c)
        return c;
    if ((c = release_cmp(a, b)) != 0)
        return c;
    int ra = pre_rank(a), rb = pre_rank(b);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    if (ra == 1) {
        if ((c = text_cmp(a->pool, a->pre_letter, b->pool, b->pre_letter)) != 0)
            return c;
        if ((c = num_cmp(a->pool, a->pre_n, b->pool, b->pre_n)) != 0)
            return c;
    }
    if (a->has_post != b->has_post)
        return a->has_post ? 1 : -1;
    if (a->has_post) {
        if ((c = text_cmp(a->pool, a->post_letter, b->pool, b->post_letter)) != 0)
            return c;
        if ((c = num_cmp(a->pool, a->post_n, b->pool, b->post_n)) != 0)
            return c;
    }
    if (a->has_dev != b->has_dev)
        return a->has_dev ? -1 : 1;
    if (a->has_dev && (c = num_cmp(a->pool, a->dev_n, b->pool, b->dev_n)) != 0)
        return c;
    uint32_t la = with_local ? a->nlocal : 0, lb = b->nlocal;
    if (la == 0 || lb == 0)
        return la == lb ? 0 : (la == 0 ? -1 : 1);
    uint32_t m = la < lb ? la : lb;
    for (uint32_t i = 0; i < m; i++) {
        const pep_local_part *x = &a->local[i], *y = &b->local[i];
        if (x->numeric != y->numeric)
            return x->numeric ? 1 : -1; /* strings sort before numbers */
        c = x->numeric ? num_cmp(a->pool, x->text, b->pool, y->text)
                       : text_cmp(a->pool, x->text, b->pool, y->text);
        if (c)
            return c;
    }
    return la == lb ? 0 : (la < lb ? -1 : 1);
}

int da_version_compare(const da_version *a, const da_version *b)
{
    return compare(a, b, true);
}

int pep_version_compare_public(const da_version *a, const da_version *b)
{
    return compare(a, b, false);
}

bool pep_version_base_equal(const da_version *a, const da_version *b)
{
    return num_cmp(a->pool, a->epoch, b->pool, b->epoch) == 0 && release_cmp(a, b) == 0;
}

static void put_num(da_buf *out, const char *pool, pep_num n)
{
    if (n.len == 0)
        da_buf_putc(out, '0');
    else
        da_buf_append(out, pool + n.off, n.len);
}

void pep_version_append(da_buf *out, const da_version *v, bool with_local, bool strip_zeros)
{
    if (v->epoch.len) {
        put_num(out, v->pool, v->epoch);
        da_buf_putc(out, '!');
    }
    uint32_t nrel = v->nrel;
    if (strip_zeros) /* re.sub(r"(\.0)+$", "", release): the first part always stays */
        while (nrel > 1 && v->rel[nrel - 1].len == 0)
            nrel--;
    for (uint32_t i = 0; i < nrel; i++) {
        if (i)
            da_buf_putc(out, '.');
        put_num(out, v->pool, v->rel[i]);
    }
    if (v->has_pre) {
        da_buf_append(out, v->pool + v->pre_letter.off, v->pre_letter.len);
        put_num(out, v->pool, v->pre_n);
    }
    if (v->has_post) {
        da_buf_puts(out, ".post");
        put_num(out, v->pool, v->post_n);
    }
    if (v->has_dev) {
        da_buf_puts(out, ".dev");
        put_num(out, v->pool, v->dev_n);
    }
    if (with_local && v->nlocal) {
        da_buf_putc(out, '+');
        for (uint32_t i = 0; i < v->nlocal; i++) {
            if (i)
                da_buf_putc(out, '.');
            if (v->local[i].numeric)
                put_num(out, v->pool, v->local[i].text);
            else
                da_buf_append(out, v->pool + v->local[i].text.off, v->local[i].text.len);
        }
    }
}

char *da_version_to_string(const da_version *v)
{
    da_buf out = {0};
    pep_version_append(&out, v, true, false);
    return da_buf_take(&out);
}

char *da_version_base_string(const da_version *v)
{
    da_buf out = {0};
    for (uint32_t i = 0; i < v->nrel; i++) {
        if (i)
            da_buf_putc(&out, '.');
        put_num(&out, v->pool, v->rel[i]);
    }
    return da_buf_take(&out);
}

bool da_version_is_prerelease(const da_version *v)
{
    return v->has_pre || v->has_dev;
}

bool da_version_is_postrelease(const da_version *v)
{
    return v->has_post;
}

bool da_version_has_local(const da_version *v)
{
    return v->nlocal > 0;
}

static long long num_value(const char *pool, pep_num n)
{
    long long x = 0;
    if (n.len > 18)
        return __LONG_LONG_MAX__; /* saturate: the text form keeps the exact value */
    for (uint32_t i = 0; i < n.len; i++)
        x = x * 10 + (pool[n.off + i] - '0');
    return x;
}

long long da_version_epoch(const da_version *v)
{
    return num_value(v->pool, v->epoch);
}

size_t da_version_release_len(const da_version *v)
{
    return v->nrel;
}

long long da_version_release_at(const da_version *v, size_t i)
{
    return i < v->nrel ? num_value(v->pool, v->rel[i]) : 0;
}
