/* PEP 508 dependency specifiers: `name [extras] (specifier | @ url) ; marker`, with
 * packaging 23.0's grammar, error positions and URL acceptance. */
#include "pep508.h"
#include "text.h"
#include "url_check.h"

#include <stdlib.h>
#include <string.h>

static bool parse_extras(pep_tokenizer *t, da_strlist *extras)
{
    if (!pep_tok_char(t, '['))
        return true;
    size_t open = t->pos++;
    pep_tok_skip_ws(t);
    size_t l = pep_tok_identifier(t);
    if (l) {
        da_strlist_push_owned(extras, da_xstrndup(t->s + t->pos, l));
        t->pos += l;
        for (;;) {
            pep_tok_skip_ws(t);
            if (pep_tok_identifier(t))
                return pep_tok_fail(t, t->pos, "Expected comma between extra names");
            if (!pep_tok_char(t, ','))
                break;
            t->pos++;
            pep_tok_skip_ws(t);
            if (!(l = pep_tok_identifier(t)))
                return pep_tok_fail(t, t->pos, "Expected extra name after comma");
            da_strlist_push_owned(extras, da_xstrndup(t->s + t->pos, l));
            t->pos += l;
        }
    }
    pep_tok_skip_ws(t);
    if (!pep_tok_char(t, ']'))
        return pep_tok_fail(t, open, "Expected closing RIGHT_BRACKET");
    t->pos++;
    return true;
}

/* SPECIFIER (WS? COMMA WS? SPECIFIER)*, optionally in parentheses; tokens and commas are
 * joined without the white space, as packaging does. */
static bool parse_specifier(pep_tokenizer *t, da_buf *text)
{
    da_buf_puts(text, "");
    bool paren = pep_tok_char(t, '(') != 0;
    size_t open = t->pos;
    if (paren) {
        t->pos++;
        pep_tok_skip_ws(t);
    }
    size_t l;
    while ((l = pep_tok_specifier(t)) != 0) {
        da_buf_append(text, t->s + t->pos, l);
        t->pos += l;
        pep_tok_skip_ws(t);
        if (!pep_tok_char(t, ','))
            break;
        da_buf_putc(text, ',');
        t->pos++;
        pep_tok_skip_ws(t);
    }
    if (paren) {
        pep_tok_skip_ws(t);
        if (!pep_tok_char(t, ')'))
            return pep_tok_fail(t, open, "Expected closing RIGHT_PARENTHESIS");
        t->pos++;
    }
    return true;
}

static bool parse_marker_part(pep_tokenizer *t, da_requirement *r, size_t span_start,
                              const char *after)
{
    if (!pep_tok_char(t, ';')) {
        char *msg = da_xasprintf("Expected end or semicolon (after %s)", after);
        pep_tok_fail(t, span_start, msg);
        free(msg);
        return false;
    }
    t->pos++;
    size_t start = t->pos;
    da_marker *m = da_xcalloc(1, sizeof(*m));
    r->marker = m;
    if (!pep_parse_marker(t, &m->root))
        return false;
    pep_marker_normalize_extra(&m->root);
    pep_marker_prepare(&m->root);
    size_t a = pep_skip_space(t->s, t->pos, start);
    r->marker_text = da_xstrndup(t->s + a, pep_rstrip_len(t->s + a, t->pos - a));
    pep_tok_skip_ws(t);
    return true;
}

/* Where the URL or the specifier began, for errors found after the grammar. */
typedef struct detail_starts {
    size_t url, spec;
} detail_starts;

static bool parse_details(pep_tokenizer *t, da_requirement *r, da_buf *spec, detail_starts *at)
{
    if (pep_tok_char(t, '@')) {
        t->pos++;
        pep_tok_skip_ws(t);
        size_t url_start = t->pos;
        at->url = url_start;
        size_t l = pep_tok_url(t);
        if (!l)
            return pep_tok_fail(t, t->pos, "Expected URL after @");
        r->url = da_xstrndup(t->s + t->pos, l);
        t->pos += l;
        if (pep_tok_at_end(t))
            return true;
        if (!(l = pep_tok_ws(t)))
            return pep_tok_fail(t, t->pos, "Expected whitespace after URL");
        t->pos += l;
        if (pep_tok_at_end(t))
            return true;
        return parse_marker_part(t, r, url_start, "URL and whitespace");
    }
    size_t spec_start = t->pos;
    at->spec = pep_skip_space(t->s, t->n, spec_start + pep_tok_char(t, '('));
    if (!parse_specifier(t, spec))
        return false;
    pep_tok_skip_ws(t);
    if (pep_tok_at_end(t))
        return true;
    return parse_marker_part(
        t, r, spec_start, spec->len ? "version specifier" : "name and no valid version specifier");
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void sort_unique(da_strlist *l)
{
    if (l->len < 2)
        return;
    qsort(l->items, l->len, sizeof(char *), compare_strings);
    size_t kept = 1;
    for (size_t i = 1; i < l->len; i++) {
        if (strcmp(l->items[i], l->items[kept - 1]) == 0)
            free(l->items[i]);
        else
            l->items[kept++] = l->items[i];
    }
    l->len = kept;
}

da_requirement *da_requirement_parse(const char *s, da_error *err)
{
    if (!s) {
        da_error_set(err, NULL, 0, 0, "invalid requirement: no text");
        return NULL;
    }
    pep_tokenizer t = {s, strlen(s), 0, err, false, 0};
    da_requirement *r = da_xcalloc(1, sizeof(*r));
    da_strlist raw_extras = {0};
    da_buf spec = {0};
    da_buf_puts(&spec, "");
    pep_tok_skip_ws(&t);
    size_t l = pep_tok_identifier(&t);
    if (!l) {
        pep_tok_fail(&t, t.pos, "Expected package name at the start of dependency specifier");
        goto fail;
    }
    r->name = da_xstrndup(s + t.pos, l);
    t.pos += l;
    pep_tok_skip_ws(&t);
    if (!parse_extras(&t, &raw_extras))
        goto fail;
    pep_tok_skip_ws(&t);
    detail_starts at = {0, 0};
    if (!parse_details(&t, r, &spec, &at))
        goto fail;
    if (!pep_tok_at_end(&t)) {
        pep_tok_fail(&t, t.pos, "Expected end of dependency specifier");
        goto fail;
    }
    const char *why = NULL;
    if (r->url && !pep_url_acceptable(r->url, &why)) {
        da_error_set(err, NULL, 1, pep_column(s, at.url), "%s: %s", why, r->url);
        goto fail;
    }
    da_error spec_err;
    da_error_clear(&spec_err);
    r->specifier = da_specifier_set_parse(spec.data, &spec_err);
    if (!r->specifier) {
        /* the clauses were joined without their spaces: name the specifier's start */
        da_error_set(err, NULL, 1, pep_column(s, at.spec), "%s", spec_err.message);
        goto fail;
    }
    r->specifier_text = da_buf_take(&spec);
    r->normalized = da_name_normalize(r->name);
    /* Sorted, then equal neighbours dropped: linear-logarithmic however many extras. */
    for (size_t i = 0; i < raw_extras.len; i++) {
        da_strlist_push_owned(&r->extras, da_name_normalize(raw_extras.items[i]));
        da_strlist_push(&r->extras_written, raw_extras.items[i]);
    }
    sort_unique(&r->extras);
    sort_unique(&r->extras_written); /* printed as written: "a-" would not read back */
    da_strlist_free(&raw_extras);
    return r;

fail:
    da_strlist_free(&raw_extras);
    da_buf_free(&spec);
    da_requirement_free(r);
    return NULL;
}

void da_requirement_free(da_requirement *r)
{
    if (!r)
        return;
    free(r->name);
    free(r->normalized);
    da_strlist_free(&r->extras);
    da_strlist_free(&r->extras_written);
    da_specifier_set_free(r->specifier);
    free(r->specifier_text);
    free(r->url);
    da_marker_free(r->marker);
    free(r->marker_text);
    free(r);
}

char *da_requirement_to_string(const da_requirement *r)
{
    da_buf out = {0};
    da_buf_puts(&out, r->name);
    if (r->extras_written.len) {
        da_buf_putc(&out, '[');
        for (size_t i = 0; i < r->extras_written.len; i++) {
            if (i)
                da_buf_putc(&out, ',');
            da_buf_puts(&out, r->extras_written.items[i]);
        }
        da_buf_putc(&out, ']');
    }
    if (r->specifier && da_specifier_set_len(r->specifier)) {
        char *spec = da_specifier_set_to_string(r->specifier);
        da_buf_puts(&out, spec);
        free(spec);
    }
    if (r->url) {
        da_buf_printf(&out, "@ %s", r->url);
        if (r->marker)
            da_buf_putc(&out, ' ');
    }
    if (r->marker) {
        char *m = da_marker_to_string(r->marker);
        da_buf_printf(&out, "; %s", m);
        free(m);
    }
    return da_buf_take(&out);
}
