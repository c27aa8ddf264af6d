/* Applying fixes: every insertion (and replacement, DA011's quoting) made in memory, shown
 * as a unified diff (--diff) or written back in place (--fix, fix_write.c). Only those bytes
 * change; the rest of each file is kept byte for byte. */
#include "audit_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct insertion {
    size_t at;
    size_t order;
    const da_fix *fix;
} insertion;

static int compare_insertions(const void *a, const void *b)
{
    const insertion *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static int patch_one(const da_findings *f, const char *path, da_patched_file *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    if (da_read_file(path, &out->before, &out->before_len, err) != 0)
        return -1;
    insertion *ins = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < f->len; i++) {
        const da_fix *fx = f->items[i].fix;
        if (!fx || strcmp(fx->file, path) != 0)
            continue;
        if (fx->insert_at + fx->replace_len > out->before_len ||
            (fx->replace_len &&
             (!fx->replaced || strlen(fx->replaced) != fx->replace_len ||
              memcmp(out->before + fx->insert_at, fx->replaced, fx->replace_len) != 0))) {
            free(ins);
            return da_error_set(err, path, fx->line, 0,
                                "the file changed since it was read: the text at offset %zu is "
                                "not what was read",
                                fx->insert_at);
        }
        /* at one offset, start-up crashes first, then in report order */
        insertion x = {fx->insert_at, (f->items[i].boot_path ? 0 : f->len) + i, fx};
        if (!out->display)
            out->display = da_xstrdup(fx->display);
        DA_PUSH(ins, n, cap, x);
    }
    qsort(ins, n, sizeof(*ins), compare_insertions);
    da_buf b = {0};
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        if (ins[i].at < pos)
            continue; /* inside text another fix replaced: that fix stands */
        da_buf_append(&b, out->before + pos, ins[i].at - pos);
        da_buf_puts(&b, ins[i].fix->text);
        pos = ins[i].at + ins[i].fix->replace_len;
    }
    da_buf_append(&b, out->before + pos, out->before_len - pos);
    out->after_len = b.len;
    out->after = da_buf_take(&b);
    out->path = da_xstrdup(path);
    free(ins);
    return 0;
}

int da_fixes_build(const da_findings *f, da_patch_set *out, da_error *err)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < f->len; i++) {
        const da_fix *fx = f->items[i].fix;
        if (!fx)
            continue;
        bool seen = false;
        for (size_t k = 0; k < out->len && !seen; k++)
            seen = strcmp(out->files[k].path, fx->file) == 0;
        if (seen)
            continue;
        da_grow((void **)&out->files, &out->cap, out->len + 1, sizeof(*out->files));
        if (patch_one(f, fx->file, &out->files[out->len], err) != 0) {
            free(out->files[out->len].before);
            free(out->files[out->len].after);
            free(out->files[out->len].display);
            da_patch_set_free(out);
            return -1;
        }
        out->len++;
    }
    return 0;
}

/* Lines of a buffer: start offsets, with a final sentinel at len. */
typedef struct lines {
    size_t *start;
    size_t n; /* number of lines */
} lines;

static void split_lines(const char *s, size_t len, lines *l)
{
    size_t cap = 0;
    l->start = NULL;
    l->n = 0;
    size_t pos = 0;
    while (pos < len) {
        DA_PUSH(l->start, l->n, cap, pos);
        const char *nl = memchr(s + pos, '\n', len - pos);
        pos = nl ? (size_t)(nl - s) + 1 : len;
    }
    size_t n = l->n;
    DA_PUSH(l->start, n, cap, len); /* sentinel, not counted */
}

static bool same_line(const char *a, const lines *la, size_t i, const char *b, const lines *lb,
                      size_t j)
{
    size_t na = la->start[i + 1] - la->start[i], nb = lb->start[j + 1] - lb->start[j];
    return na == nb && memcmp(a + la->start[i], b + lb->start[j], na) == 0;
}

static void emit_line(da_buf *out, char mark, const char *s, const lines *l, size_t i)
{
    size_t a = l->start[i], z = l->start[i + 1];
    da_buf_putc(out, mark);
    da_buf_append(out, s + a, z - a);
    if (z == a || s[z - 1] != '\n')
        da_buf_puts(out, "\n\\ No newline at end of file\n");
}

/* Insertions only grow lines, so the change is one region between the common prefix and
 * the common suffix of the two line lists; context of 3 lines either side. */
static void diff_file(const da_patched_file *p, da_buf *out)
{
    lines a, b;
    split_lines(p->before, p->before_len, &a);
    split_lines(p->after, p->after_len, &b);
    size_t pre = 0;
    while (pre < a.n && pre < b.n && same_line(p->before, &a, pre, p->after, &b, pre))
        pre++;
    size_t suf = 0;
    while (suf < a.n - pre && suf < b.n - pre &&
           same_line(p->before, &a, a.n - 1 - suf, p->after, &b, b.n - 1 - suf))
        suf++;
    if (pre == a.n && pre == b.n) {
        free(a.start);
        free(b.start);
        return;
    }
    size_t ctx_start = pre >= 3 ? pre - 3 : 0;
    size_t ctx_after = suf >= 3 ? 3 : suf;
    size_t a_end = a.n - suf + ctx_after, b_end = b.n - suf + ctx_after;
    const char *name = p->display ? p->display : p->path;
    da_buf_printf(out, "--- a/%s\n+++ b/%s\n", name, name);
    size_t alen = a_end - ctx_start, blen = b_end - ctx_start;
    da_buf_printf(out, "@@ -%zu,%zu +%zu,%zu @@\n", alen ? ctx_start + 1 : ctx_start, alen,
                  blen ? ctx_start + 1 : ctx_start, blen);
    for (size_t i = ctx_start; i < pre; i++)
        emit_line(out, ' ', p->before, &a, i);
    for (size_t i = pre; i < a.n - suf; i++)
        emit_line(out, '-', p->before, &a, i);
    for (size_t j = pre; j < b.n - suf; j++)
        emit_line(out, '+', p->after, &b, j);
    for (size_t i = a.n - suf; i < a_end; i++)
        emit_line(out, ' ', p->before, &a, i);
    free(a.start);
    free(b.start);
}

void da_patch_set_diff(const da_patch_set *p, da_buf *out)
{
    for (size_t i = 0; i < p->len; i++)
        diff_file(&p->files[i], out);
}

void da_patch_set_free(da_patch_set *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->len; i++) {
        free(p->files[i].path);
        free(p->files[i].display);
        free(p->files[i].before);
        free(p->files[i].after);
    }
    free(p->files);
    memset(p, 0, sizeof(*p));
}
