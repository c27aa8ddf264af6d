/* Usage knowledge from source text: the modules a feature needs although the code never
 * imports them (usage facts, corpus/usage/facts.tsv), and the dotted paths in settings
 * strings a framework imports (INSTALLED_APPS, MIDDLEWARE, CACHES BACKEND, ...).
 *
 * Most files hold no trigger at all, so a file is first scanned once for the triggers'
 * first four bytes (a hashed bitmap, then a compare); only a file with a hit is lexed
 * (strings and comments told apart from code) and matched. Nothing is parsed with
 * tree-sitter here: the lexer is enough to tell where a literal begins and ends. */
#include "python_internal.h"
#include "usage_lex.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Settings whose string values a framework imports, and how a value names a module. */
typedef enum setting_shape {
    SHAPE_LIST,   /* every literal of the list is a path */
    SHAPE_KEYED,  /* literals under keys that name classes or modules (BACKEND, ENGINE) */
    SHAPE_SCALAR, /* the one literal assigned */
} setting_shape;

typedef enum path_tail {
    TAIL_MODULE, /* the whole path is a module */
    TAIL_ATTR,   /* the last part is an attribute of the module (a class, a function) */
    TAIL_APP,    /* a module, or an AppConfig class when the last part is capitalised */
} path_tail;

static const struct setting {
    const char *name;
    setting_shape shape;
    path_tail tail;
} settings[] = {
    {"INSTALLED_APPS", SHAPE_LIST, TAIL_APP},
    {"MIDDLEWARE", SHAPE_LIST, TAIL_ATTR},
    {"MIDDLEWARE_CLASSES", SHAPE_LIST, TAIL_ATTR},
    {"AUTHENTICATION_BACKENDS", SHAPE_LIST, TAIL_ATTR},
    {"PASSWORD_HASHERS", SHAPE_LIST, TAIL_ATTR},
    {"DATABASES", SHAPE_KEYED, TAIL_ATTR},
    {"CACHES", SHAPE_KEYED, TAIL_ATTR},
    {"STORAGES", SHAPE_KEYED, TAIL_ATTR},
    {"TEMPLATES", SHAPE_KEYED, TAIL_ATTR},
    {"CHANNEL_LAYERS", SHAPE_KEYED, TAIL_ATTR},
    {"REST_FRAMEWORK", SHAPE_KEYED, TAIL_ATTR},
    {"LOGGING", SHAPE_KEYED, TAIL_ATTR},
    {"DEFAULT_FILE_STORAGE", SHAPE_SCALAR, TAIL_ATTR},
    {"STATICFILES_STORAGE", SHAPE_SCALAR, TAIL_ATTR},
    {"EMAIL_BACKEND", SHAPE_SCALAR, TAIL_ATTR},
    {"SESSION_ENGINE", SHAPE_SCALAR, TAIL_MODULE},
};
#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

/* ---- the prefilter: every trigger and setting name, found by its first four bytes ---- */

#define HASH_BITS 16
typedef struct needle {
    const char *text;
    size_t len;
    int next;    /* next needle with the same hash, -1 at the end */
    int fact;    /* index of the fact, or -1 */
    int setting; /* index of the setting, or -1 */
} needle;

static needle *needles;
static size_t nneedles;
static int heads[1 << HASH_BITS];
static unsigned char bitmap[(1 << HASH_BITS) / 8];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static unsigned hash4(const char *p)
{
    uint32_t w;
    memcpy(&w, p, 4);
    return (unsigned)((w * 2654435761u) >> (32 - HASH_BITS));
}

static void add_needle(const char *text, int fact, int setting)
{
    size_t len = strlen(text);
    if (len < 4)
        return; /* the generator refuses shorter triggers */
    unsigned h = hash4(text);
    needles[nneedles] = (needle){text, len, heads[h], fact, setting};
    heads[h] = (int)nneedles++;
    bitmap[h >> 3] |= (unsigned char)(1u << (h & 7));
}

static void build_table(void)
{
    size_t nf = da_usage_fact_count();
    needles = da_xcalloc(nf + NSETTINGS, sizeof(*needles));
    for (size_t i = 0; i < (size_t)1 << HASH_BITS; i++)
        heads[i] = -1;
    for (size_t i = 0; i < nf; i++)
        add_needle(da_usage_fact_at(i)->trigger, (int)i, -1);
    for (size_t i = 0; i < NSETTINGS; i++)
        add_needle(settings[i].name, -1, (int)i);
}

typedef struct hit {
    size_t at;
    int needle;
} hit;

typedef struct hits {
    hit *items;
    size_t len, cap;
} hits;

/* One pass over the bytes: every place a needle starts. */
static void find_needles(const char *text, size_t len, hits *out)
{
    for (size_t i = 0; i + 4 <= len; i++) {
        unsigned h = hash4(text + i);
        if (!(bitmap[h >> 3] & (1u << (h & 7))))
            continue;
        for (int k = heads[h]; k >= 0; k = needles[k].next)
            if (needles[k].len <= len - i && memcmp(text + i, needles[k].text, needles[k].len) == 0)
                DA_PUSH(out->items, out->len, out->cap, ((hit){i, k}));
    }
}

/* ---- records ----------------------------------------------------------------------- */

typedef struct scan {
    const char *root, *file;
    int cell;
    const char *text;
    size_t len;
    const unsigned char *cls; /* usage_lex classes, one per byte */
    da_import_set *out;
    size_t added;
} scan;

static void position(const scan *s, size_t at, int *line, int *col)
{
    int l = 1;
    size_t bol = 0;
    for (size_t i = 0; i < at; i++)
        if (s->text[i] == '\n') {
            l++;
            bol = i + 1;
        }
    *line = l;
    *col = (int)(at - bol) + 1;
}

static da_import *add_record(scan *s, size_t at, const char *module, da_import_kind kind,
                             const char *via)
{
    da_import im = {0};
    im.root = da_xstrdup(s->root);
    im.file = da_xstrdup(s->file);
    im.cell = s->cell;
    position(s, at, &im.line, &im.col);
    im.module = da_xstrdup(module);
    im.kind = kind;
    im.scope = DA_SCOPE_MODULE;
    im.guard = DA_GUARD_NONE;
    im.klass = DA_CLASS_THIRD_PARTY;
    im.via = da_xstrdup(via);
    DA_PUSH(s->out->items, s->out->len, s->out->cap, im);
    s->added++;
    return &s->out->items[s->out->len - 1];
}

static bool is_ident(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Whether `word` occurs as a whole identifier in code or strings (not comments). */
static bool file_has_word(const scan *s, const char *word)
{
    size_t n = strlen(word);
    for (size_t at = 0; at + n <= s->len; at++) {
        const char *p = s->text + at;
        if (*p != *word || memcmp(p, word, n) != 0)
            continue;
        if (s->cls[at] == USAGE_COMMENT)
            continue;
        if ((at == 0 || !is_ident(p[-1])) && (at + n >= s->len || !is_ident(p[n])))
            return true;
    }
    return false;
}

/* Whether the line holding `at` is an import statement. */
static bool on_import_line(const scan *s, size_t at)
{
    size_t bol = at;
    while (bol > 0 && s->text[bol - 1] != '\n')
        bol--;
    while (bol < at && (s->text[bol] == ' ' || s->text[bol] == '\t'))
        bol++;
    return da_str_starts_with(s->text + bol, "from ") ||
           da_str_starts_with(s->text + bol, "import ");
}

static bool fact_matches(const scan *s, const da_usage_fact *f, size_t at)
{
    size_t n = strlen(f->trigger), end = at + n;
    const unsigned char *cls = s->cls;
    switch (f->kind) {
    case DA_USAGE_STRING:
        return at > 0 && cls[at - 1] == USAGE_OPEN && end < s->len && cls[end] == USAGE_CLOSE;
    case DA_USAGE_PREFIX:
        return at > 0 && cls[at - 1] == USAGE_OPEN;
    case DA_USAGE_NAME:
    case DA_USAGE_CALL: {
        if (cls[at] != USAGE_CODE || (at > 0 && is_ident(s->text[at - 1])) ||
            (end < s->len && is_ident(s->text[end])) || on_import_line(s, at))
            return false;
        if (f->kind == DA_USAGE_NAME)
            return true;
        while (end < s->len && (s->text[end] == ' ' || s->text[end] == '\t'))
            end++;
        return end < s->len && s->text[end] == '(';
    }
    case DA_USAGE_CODE:
        return cls[at] == USAGE_CODE;
    }
    return false;
}

/* Whether the line holding `at` reads the environment (the literal is then a default). */
static bool env_lookup_line(const scan *s, size_t at)
{
    size_t bol = at, eol = at;
    while (bol > 0 && s->text[bol - 1] != '\n')
        bol--;
    while (eol < s->len && s->text[eol] != '\n')
        eol++;
    static const char *const words[] = {"environ", "getenv", "env(", "env.", "config(", NULL};
    for (size_t i = 0; words[i]; i++) {
        size_t n = strlen(words[i]);
        for (size_t p = bol; p + n <= eol; p++)
            if (memcmp(s->text + p, words[i], n) == 0)
                return true;
    }
    return false;
}

static void add_fact_records(scan *s, size_t fi, size_t at)
{
    const da_usage_fact *f = da_usage_fact_at(fi);
    int group = ++s->out->next_group;
    bool env = env_lookup_line(s, at);
    for (int k = 0; k < f->nalts; k++) {
        da_import *r = add_record(s, at, f->modules[k], DA_IMPORT_KIND_USAGE, f->trigger);
        r->usage_fact = f;
        r->alternative_group = group;
        r->in_except = k > 0; /* the first alternative carries the finding */
        if (env)
            r->condition = da_xstrdup("the value is the default of an environment look-up");
    }
}

/* ---- settings strings ------------------------------------------------------------- */

/* The module a settings path names, or NULL when the literal is no dotted path. */
static char *path_module(const char *p, size_t n, path_tail tail, bool need_dot)
{
    char *v = da_xstrndup(p, n);
    bool ok = n > 0 && !(v[0] >= '0' && v[0] <= '9');
    for (size_t i = 0; ok && i < n; i++)
        ok = is_ident(v[i]) || (v[i] == '.' && i > 0 && i + 1 < n && v[i + 1] != '.');
    char *dot = ok ? strrchr(v, '.') : NULL;
    if (!ok || (need_dot && !dot)) {
        free(v);
        return NULL;
    }
    if (dot && (tail == TAIL_ATTR || (tail == TAIL_APP && dot[1] >= 'A' && dot[1] <= 'Z')))
        *dot = '\0';
    return v;
}

/* Keys of a settings dict whose value names a class, a function or a module. */
static bool path_key(const char *k, size_t n, path_tail *tail)
{
    *tail = TAIL_ATTR;
    if (n == 6 && memcmp(k, "ENGINE", 6) == 0) {
        *tail = TAIL_MODULE;
        return true;
    }
    static const char *const keys[] = {
        "BACKEND", "class", "()", "CLIENT_CLASS", "loaders", "EXCEPTION_HANDLER", NULL};
    for (size_t i = 0; keys[i]; i++)
        if (strlen(keys[i]) == n && memcmp(k, keys[i], n) == 0)
            return true;
    if (n > 8 && memcmp(k, "DEFAULT_", 8) == 0)
        return (n > 14 && memcmp(k + n - 6, "_CLASS", 6) == 0) ||
               (n > 16 && memcmp(k + n - 8, "_CLASSES", 8) == 0);
    return false;
}

static void add_path(scan *s, size_t at, size_t n, path_tail tail, bool need_dot,
                     const struct setting *st, bool conditional)
{
    char *module = path_module(s->text + at, n, tail, need_dot);
    if (!module)
        return;
    da_import *r = add_record(s, at, module, DA_IMPORT_KIND_STRING, st->name);
    if (conditional)
        r->condition = da_xstrdup("the setting is assigned in an indented block");
    free(module);
}

#define MAX_DEPTH 16

/* The literals of one assigned value [from, to): paths per the setting's shape. */
static void settings_value(scan *s, size_t from, size_t to, const struct setting *st,
                           bool conditional)
{
    const char *keys[MAX_DEPTH] = {0};
    size_t keylen[MAX_DEPTH] = {0};
    int depth = 0;
    for (size_t i = from; i < to; i++) {
        unsigned char c = s->cls[i];
        char ch = s->text[i];
        if (c == USAGE_CODE && (ch == '[' || ch == '(' || ch == '{')) {
            if (depth + 1 < MAX_DEPTH)
                keys[++depth] = NULL;
            continue;
        }
        if (c == USAGE_CODE && (ch == ']' || ch == ')' || ch == '}')) {
            depth = depth > 0 ? depth - 1 : 0;
            continue;
        }
        if (c != USAGE_OPEN || i + 1 >= to || s->cls[i + 1] == USAGE_OPEN)
            continue;
        size_t b = i + 1, e = b;
        while (e < to && s->cls[e] == USAGE_BODY)
            e++;
        size_t after = e;
        while (after < to && (s->cls[after] == USAGE_CLOSE || s->text[after] == ' '))
            after++;
        i = e;
        if (st->shape != SHAPE_KEYED) {
            add_path(s, b, e - b, st->tail, st->shape != SHAPE_LIST, st, conditional);
            continue;
        }
        if (after < to && s->text[after] == ':' && s->cls[after] == USAGE_CODE) {
            keys[depth] = s->text + b;
            keylen[depth] = e - b;
            continue;
        }
        int kd = keys[depth] ? depth : depth - 1;
        path_tail tail;
        if (kd >= 0 && keys[kd] && path_key(keys[kd], keylen[kd], &tail))
            add_path(s, b, e - b, tail, true, st, conditional);
    }
}

/* `NAME = value` (or `+=`, or annotated) at the start of a line: the value's extent. */
static void settings_assignment(scan *s, size_t at, const struct setting *st)
{
    size_t bol = at;
    while (bol > 0 && (s->text[bol - 1] == ' ' || s->text[bol - 1] == '\t'))
        bol--;
    if (s->cls[at] != USAGE_CODE || (bol > 0 && s->text[bol - 1] != '\n'))
        return;
    size_t i = at + strlen(st->name);
    if (i < s->len && is_ident(s->text[i]))
        return;
    while (i < s->len && s->text[i] != '=' && s->text[i] != '\n')
        i++;
    if (i >= s->len || s->text[i] != '=' || (i + 1 < s->len && s->text[i + 1] == '='))
        return;
    i++;
    while (i < s->len && (s->text[i] == ' ' || s->text[i] == '\t'))
        i++;
    size_t end = i;
    int depth = 0;
    for (; end < s->len; end++) {
        if (s->cls[end] != USAGE_CODE)
            continue;
        char ch = s->text[end];
        if (ch == '[' || ch == '(' || ch == '{')
            depth++;
        else if (ch == ']' || ch == ')' || ch == '}')
            depth--;
        else if (ch == '\n' && depth <= 0)
            break;
        if (depth < 0)
            break;
    }
    settings_value(s, i, end, st, bol != at);
}

/* ---- the entry ---------------------------------------------------------------------- */

static int hit_order(const void *a, const void *b)
{
    const hit *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

size_t da_usage_scan_text(const char *root, const char *file, int cell, const char *text,
                          size_t len, da_import_set *out)
{
    pthread_once(&table_once, build_table);
    hits found = {0};
    find_needles(text, len, &found);
    if (found.len == 0)
        return 0;
    qsort(found.items, found.len, sizeof(*found.items), hit_order);
    unsigned char *cls = usage_lex(text, len);
    scan s = {root ? root : "", file ? file : "", cell, text, len, cls, out, 0};
    bool *reported = da_xcalloc(da_usage_fact_count() + 1, sizeof(bool));
    for (size_t i = 0; i < found.len; i++) {
        const needle *nd = &needles[found.items[i].needle];
        size_t at = found.items[i].at;
        if (nd->setting >= 0) {
            settings_assignment(&s, at, &settings[nd->setting]);
            continue;
        }
        const da_usage_fact *f = da_usage_fact_at((size_t)nd->fact);
        if (reported[nd->fact] || !fact_matches(&s, f, at))
            continue;
        if (f->context && !file_has_word(&s, f->context))
            continue;
        reported[nd->fact] = true;
        add_fact_records(&s, (size_t)nd->fact, at);
    }
    free(reported);
    free(cls);
    free(found.items);
    return s.added;
}

/* ---- keeping a file's records in source order ---------------------------------------- */

typedef struct ranked {
    da_import im;
    size_t rank;
} ranked;

static int source_order(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->im.cell != y->im.cell)
        return x->im.cell < y->im.cell ? -1 : 1;
    if (x->im.line != y->im.line)
        return x->im.line < y->im.line ? -1 : 1;
    if (x->im.col != y->im.col)
        return x->im.col < y->im.col ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

void da_usage_sort_records(da_import_set *out, size_t from)
{
    size_t n = out->len - from;
    if (n < 2)
        return;
    ranked *r = da_xcalloc(n, sizeof(*r));
    for (size_t i = 0; i < n; i++)
        r[i] = (ranked){out->items[from + i], i};
    qsort(r, n, sizeof(*r), source_order);
    for (size_t i = 0; i < n; i++)
        out->items[from + i] = r[i].im;
    free(r);
}
