/* The JSON document of `depaudit imports --format json`, written while the scan runs. Each
 * record is the object da_imports_to_json makes (same members, same order, strings escaped
 * as cJSON escapes them), so the two documents hold the same data. */
#include "python_internal.h"

static void string(FILE *out, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    putc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if (c >= 32 && c != '"' && c != '\\') {
            putc(c, out);
            continue;
        }
        putc('\\', out);
        switch (c) {
        case '"':
        case '\\':
            putc(c, out);
            break;
        case '\b':
            putc('b', out);
            break;
        case '\f':
            putc('f', out);
            break;
        case '\n':
            putc('n', out);
            break;
        case '\r':
            putc('r', out);
            break;
        case '\t':
            putc('t', out);
            break;
        default:
            fputs("u00", out);
            putc(hex[c >> 4], out);
            putc(hex[c & 15], out);
        }
    }
    putc('"', out);
}

static void strings(FILE *out, const da_strlist *l)
{
    putc('[', out);
    for (size_t i = 0; i < l->len; i++) {
        if (i)
            putc(',', out);
        string(out, l->items[i]);
    }
    putc(']', out);
}

static void member(FILE *out, const char *key, const char *value)
{
    fprintf(out, ",\"%s\":", key);
    string(out, value);
}

static void record(FILE *out, const da_import *im)
{
    fputs("{\"root\":", out);
    string(out, im->root);
    member(out, "file", im->file);
    fprintf(out, ",\"cell\":%d,\"line\":%d,\"col\":%d", im->cell, im->line, im->col);
    member(out, "module", im->module);
    fprintf(out, ",\"level\":%d,\"names\":", im->level);
    strings(out, &im->names);
    member(out, "kind", da_import_kind_name(im->kind));
    member(out, "scope", da_import_scope_name(im->scope));
    member(out, "guard", da_import_guard_name(im->guard));
    if (im->condition)
        member(out, "condition", im->condition);
    else
        fputs(",\"condition\":null", out);
    fprintf(out, ",\"alternative_group\":%d,\"in_except\":%s", im->alternative_group,
            im->in_except ? "true" : "false");
    member(out, "class", da_import_class_name(im->klass));
    fprintf(out, ",\"ignored\":%s,\"ignore_codes\":", im->ignored ? "true" : "false");
    strings(out, &im->ignore_codes);
    putc('}', out);
}

void da_imports_json_begin(FILE *out, const da_import_set *summary)
{
    fputs("{\"first_party\":", out);
    strings(out, &summary->first_party);
    fputs(",\"imports\":[", out);
}

void da_imports_json_records(FILE *out, const da_import_set *batch, size_t *count)
{
    for (size_t i = 0; i < batch->len; i++) {
        if ((*count)++ > 0)
            putc(',', out);
        record(out, &batch->items[i]);
    }
}

void da_imports_json_end(FILE *out, const da_import_set *summary)
{
    fprintf(out, "],\"files\":%zu,\"errors\":[", summary->files);
    for (size_t i = 0; i < summary->nerrors; i++) {
        const da_import_error *e = &summary->errors[i];
        fputs(i ? ",{\"root\":" : "{\"root\":", out);
        string(out, e->root);
        member(out, "file", e->file);
        fprintf(out, ",\"line\":%d", e->line);
        member(out, "message", e->message);
        putc('}', out);
    }
    fprintf(out, "],\"dynamic_unresolved\":%zu}\n", summary->dynamic_unresolved);
}
