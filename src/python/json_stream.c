/* The JSON document of `depaudit imports --format json`, written while the scan runs. Each
 * record is the object da_imports_to_json makes (same members, same order, strings escaped
 * as cJSON escapes them), so the two documents hold the same data. Everything is appended
 * to a buffer the caller writes out in large pieces. */
#include "python_internal.h"

#include <stdlib.h>
#include <string.h>

/* Bytes a JSON string can hold as they are (cJSON escapes '"', '\\' and controls). */
static inline bool plain(unsigned char c)
{
    return c >= 32 && c != '"' && c != '\\';
}

/* Appends without the NUL da_buf keeps (terminated() puts it back once per call). */
static inline void bytes(da_buf *b, const void *p, size_t n)
{
    if (b->len + n >= b->cap)
        da_grow((void **)&b->data, &b->cap, b->len + n + 1, 1);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static inline void byte(da_buf *b, char c)
{
    if (b->len + 1 >= b->cap)
        da_grow((void **)&b->data, &b->cap, b->len + 2, 1);
    b->data[b->len++] = c;
}

/* The capacity is always above the length: the growth above leaves room for the NUL. */
static void terminated(da_buf *b)
{
    if (b->data)
        b->data[b->len] = '\0';
}

static void put(da_buf *b, const char *s)
{
    bytes(b, s, strlen(s));
}

static void string(da_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    byte(b, '"');
    const unsigned char *p = (const unsigned char *)s;
    for (;;) {
        const unsigned char *run = p;
        while (*p && plain(*p))
            p++;
        bytes(b, run, (size_t)(p - run));
        unsigned char c = *p;
        if (!c)
            break;
        p++;
        char esc[7] = {'\\', (char)c, 0};
        switch (c) {
        case '"':
        case '\\':
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
        }
        put(b, esc);
    }
    byte(b, '"');
}

static void number(da_buf *b, long long v)
{
    char digits[24];
    int n = 0;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        byte(b, '-');
    while (n > 0)
        byte(b, digits[--n]);
}

static void strings(da_buf *b, const da_strlist *l)
{
    byte(b, '[');
    for (size_t i = 0; i < l->len; i++) {
        if (i)
            byte(b, ',');
        string(b, l->items[i]);
    }
    byte(b, ']');
}

/* ,"key": */
static void key(da_buf *b, const char *k)
{
    byte(b, ',');
    byte(b, '"');
    put(b, k);
    put(b, "\":");
}

/* A batch's records share their root and file: escaped once, copied after. */
typedef struct shared {
    const char *root, *file;
    da_buf *escaped; /* root, then file */
    size_t root_len;
} shared;

static void shared_string(da_buf *b, const char *s, const shared *sh, bool root)
{
    const char *same = root ? sh->root : sh->file;
    if (same && strcmp(s, same) == 0) {
        size_t at = root ? 0 : sh->root_len;
        size_t len = root ? sh->root_len : sh->escaped->len - sh->root_len;
        bytes(b, sh->escaped->data + at, len);
    } else {
        string(b, s);
    }
}

static void record(da_buf *b, const da_import *im, const shared *sh)
{
    put(b, "{\"root\":");
    shared_string(b, im->root, sh, true);
    key(b, "file");
    shared_string(b, im->file, sh, false);
    key(b, "cell");
    number(b, im->cell);
    key(b, "line");
    number(b, im->line);
    key(b, "col");
    number(b, im->col);
    key(b, "module");
    string(b, im->module);
    key(b, "level");
    number(b, im->level);
    key(b, "names");
    strings(b, &im->names);
    key(b, "kind");
    string(b, da_import_kind_name(im->kind));
    key(b, "scope");
    string(b, da_import_scope_name(im->scope));
    key(b, "guard");
    string(b, da_import_guard_name(im->guard));
    key(b, "condition");
    if (im->condition)
        string(b, im->condition);
    else
        put(b, "null");
    key(b, "alternative_group");
    number(b, im->alternative_group);
    key(b, "in_except");
    put(b, im->in_except ? "true" : "false");
    key(b, "class");
    string(b, da_import_class_name(im->klass));
    key(b, "ignored");
    put(b, im->ignored ? "true" : "false");
    key(b, "ignore_codes");
    strings(b, &im->ignore_codes);
    byte(b, '}');
}

void da_imports_json_begin(da_imports_json_writer *w, const da_import_set *summary)
{
    put(w->out, "{\"first_party\":");
    strings(w->out, &summary->first_party);
    put(w->out, ",\"imports\":[");
    terminated(w->out);
}

void da_imports_json_records(da_imports_json_writer *w, const da_import_set *batch)
{
    da_buf escaped = {0};
    shared sh = {0};
    if (batch->len > 0) {
        sh.root = batch->items[0].root;
        sh.file = batch->items[0].file;
        sh.escaped = &escaped;
        string(&escaped, sh.root);
        sh.root_len = escaped.len;
        string(&escaped, sh.file);
    }
    for (size_t i = 0; i < batch->len; i++) {
        if (w->records++ > 0)
            byte(w->out, ',');
        record(w->out, &batch->items[i], &sh);
    }
    free(escaped.data);
    terminated(w->out);
}

void da_imports_json_end(da_imports_json_writer *w, const da_import_set *summary)
{
    da_buf *b = w->out;
    put(b, "],\"files\":");
    number(b, (long long)summary->files);
    put(b, ",\"errors\":[");
    for (size_t i = 0; i < summary->nerrors; i++) {
        const da_import_error *e = &summary->errors[i];
        put(b, i ? ",{\"root\":" : "{\"root\":");
        string(b, e->root);
        key(b, "file");
        string(b, e->file);
        key(b, "line");
        number(b, e->line);
        key(b, "message");
        string(b, e->message);
        byte(b, '}');
    }
    put(b, "],\"dynamic_unresolved\":");
    number(b, (long long)summary->dynamic_unresolved);
    put(b, "}\n");
    terminated(b);
}
