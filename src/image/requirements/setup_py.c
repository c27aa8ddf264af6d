/* setup.py, read and never run: the keyword arguments of its setup(...) call parsed with
 * tree-sitter-python. install_requires and extras_require are read when they are literals
 * (lists, tuples, strings, `+` of those), names bound to literals at module level, or the
 * lines of a file the script reads (`open("requirements.txt").read().splitlines()`,
 * `[l.strip() for l in open(...)]`, `with open(...) as f: REQS = f.read().splitlines()`,
 * `Path(...).read_text()`, a function of the script called with the file's name). Anything
 * else is code whose result is unknown here, and is said so. */
#include "image/requirements/setup_project.h"

#include "depaudit/grammars.h"
#include "depaudit/util.h"

#include <stdlib.h>
#include <string.h>

typedef struct binding {
    char *name;
    TSNode value;   /* the assigned expression, or ... */
    char *file;     /* ... the file a `with open(FILE) as f:` body read into it */
    bool reads_arg; /* a function whose body opens a file: called with the file's name */
} binding;

typedef struct setup_reader {
    const rq_content *c;
    da_pyproject *out;
    da_strlist *files;
    da_strlist *problems;
    binding *b;
    size_t nb, bcap;
    int depth;
    bool packages_seen;
    const char *extra_marker; /* extras_require={"name:MARKER": ...} */
} setup_reader;

enum { MAX_DEPTH = 64 };

static const char *text_of(const setup_reader *r, TSNode n, size_t *len)
{
    uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (e > r->c->text.len)
        e = (uint32_t)r->c->text.len;
    if (s > e)
        s = e;
    *len = e - s;
    return r->c->text.s + s;
}

static bool is(TSNode n, const char *type)
{
    return !ts_node_is_null(n) && strcmp(ts_node_type(n), type) == 0;
}

static TSNode field(TSNode n, const char *name)
{
    return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

/* A plain string literal's value and the span of its contents; NULL for f-strings, byte
 * strings and anything else. */
static char *string_value(const setup_reader *r, TSNode n, size_t *s, size_t *e)
{
    if (!is(n, "string"))
        return NULL;
    size_t len;
    const char *t = text_of(r, n, &len);
    size_t p = 0;
    bool raw = false;
    while (p < len && strchr("rRuUbBfF", t[p])) {
        if (strchr("bBfF", t[p]))
            return NULL;
        raw |= t[p] == 'r' || t[p] == 'R';
        p++;
    }
    if (p >= len || (t[p] != '"' && t[p] != '\''))
        return NULL;
    size_t q = (len - p >= 6 && t[p + 1] == t[p] && t[p + 2] == t[p]) ? 3 : 1;
    if (len < p + 2 * q)
        return NULL;
    size_t a = p + q, z = len - q;
    da_buf b = {0};
    da_buf_puts(&b, "");
    for (size_t i = a; i < z; i++) {
        if (!raw && t[i] == '\\' && i + 1 < z) {
            char x = t[++i];
            da_buf_putc(&b, x == 'n' ? '\n' : x == 't' ? '\t' : x);
        } else {
            da_buf_putc(&b, t[i]);
        }
    }
    if (s)
        *s = ts_node_start_byte(n) + a;
    if (e)
        *e = ts_node_start_byte(n) + z;
    return da_buf_take(&b);
}

static const binding *lookup(const setup_reader *r, const char *name, size_t nl)
{
    for (size_t i = r->nb; i > 0; i--)
        if (strlen(r->b[i - 1].name) == nl && strncmp(r->b[i - 1].name, name, nl) == 0)
            return &r->b[i - 1];
    return NULL;
}

/* Whether the expression reads a file: a call of open/read/read_text/readlines/splitlines. */
static bool reads_file(const setup_reader *r, TSNode n, int depth)
{
    if (depth > MAX_DEPTH)
        return false;
    if (is(n, "call")) {
        TSNode f = field(n, "function");
        TSNode name = is(f, "attribute") ? field(f, "attribute") : f;
        size_t len = 0;
        const char *t = is(name, "identifier") ? text_of(r, name, &len) : "";
        if (is(name, "identifier"))
            for (size_t i = 0; i < 5; i++) {
                static const char *const readers[] = {"open", "read", "read_text", "readlines",
                                                      "splitlines"};
                if (strlen(readers[i]) == len && strncmp(t, readers[i], len) == 0)
                    return true;
            }
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        if (reads_file(r, ts_node_named_child(n, i), depth + 1))
            return true;
    return false;
}

/* The first string literal in the expression that names a file ("requirements.txt"). */
static char *file_named(const setup_reader *r, TSNode n, int depth)
{
    if (depth > MAX_DEPTH)
        return NULL;
    char *v = string_value(r, n, NULL, NULL);
    if (v && strchr(v, '.') && !strpbrk(v, " \n\t\"'"))
        return v;
    free(v);
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
        char *f = file_named(r, ts_node_named_child(n, i), depth + 1);
        if (f)
            return f;
    }
    return NULL;
}

static void value(setup_reader *r, TSNode v, const char *group, size_t *list);

static void requirement_string(setup_reader *r, TSNode v, const char *group, size_t *list)
{
    size_t s, e;
    char *text = string_value(r, v, &s, &e);
    if (!text) {
        da_strlist_push(r->problems, "a requirement that is not a plain string");
        return;
    }
    if (*list == (size_t)-1)
        *list = rt_req_list_add(&r->out->lists, &r->out->nlists, r->c->host_file,
                                DA_ORIGIN_PYPROJECT, "toml-array", ", ");
    /* a string of several lines holds one requirement per line */
    size_t at = 0;
    while (at <= strlen(text)) {
        size_t nl = strcspn(text + at, "\n");
        char *line = da_xstrndup(text + at, nl);
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        size_t ls = 0, le = strlen(line);
        while (ls < le && (line[ls] == ' ' || line[ls] == '\t'))
            ls++;
        while (le > ls && (line[le - 1] == ' ' || line[le - 1] == '\t' || line[le - 1] == '\r'))
            le--;
        if (le > ls) {
            line[le] = '\0';
            /* the span is the literal's when it is the requirement exactly as written */
            bool exact = strchr(text, '\n') == NULL && s + strlen(text) == e;
            char *req = r->extra_marker
                            ? da_xasprintf("%s%s%s", line + ls,
                                           strchr(line + ls, ';') ? " and " : "; ", r->extra_marker)
                            : da_xstrdup(line + ls);
            rq_setup_add_req(r->c, r->out, req, group, s, exact && !r->extra_marker ? e : s, *list);
            free(req);
        }
        free(line);
        at += nl + 1;
    }
    free(text);
}

/* A call: reading a file, or a function of the script given the file's name. */
static void call_value(setup_reader *r, TSNode v, const char *group)
{
    TSNode f = field(v, "function");
    size_t len;
    const char *t = is(f, "identifier") ? text_of(r, f, &len) : NULL;
    const binding *fb = t ? lookup(r, t, len) : NULL;
    if ((fb && fb->reads_arg) || reads_file(r, v, 0)) {
        char *file = file_named(r, v, 0);
        if (file) {
            if (!group)
                da_strlist_push(r->files, file);
            else
                da_strlist_push(r->problems, "an extra read from a file");
            free(file);
            return;
        }
    }
    da_strlist_push(r->problems, "a value computed by code setup.py runs");
}

static void value(setup_reader *r, TSNode v, const char *group, size_t *list)
{
    if (++r->depth > MAX_DEPTH) {
        r->depth--;
        return;
    }
    if (is(v, "list") || is(v, "tuple") || is(v, "set")) {
        for (uint32_t i = 0; i < ts_node_named_child_count(v); i++) {
            TSNode el = ts_node_named_child(v, i);
            if (is(el, "comment"))
                continue;
            if (is(el, "string"))
                requirement_string(r, el, group, list);
            else
                value(r, el, group, list);
        }
    } else if (is(v, "string")) {
        requirement_string(r, v, group, list);
    } else if (is(v, "binary_operator")) {
        value(r, field(v, "left"), group, list);
        value(r, field(v, "right"), group, list);
    } else if (is(v, "parenthesized_expression") && ts_node_named_child_count(v) > 0) {
        value(r, ts_node_named_child(v, 0), group, list);
    } else if (is(v, "identifier")) {
        size_t len;
        const char *t = text_of(r, v, &len);
        const binding *bd = lookup(r, t, len);
        if (bd && bd->file && !group)
            da_strlist_push(r->files, bd->file);
        else if (bd && !ts_node_is_null(bd->value) && !bd->file)
            value(r, bd->value, group, list);
        else
            da_strlist_push(r->problems, "a name setup.py does not bind to a literal");
    } else if (is(v, "call") || is(v, "list_comprehension")) {
        call_value(r, is(v, "call") ? v : v, group);
    } else {
        da_strlist_push(r->problems, "a value computed by code setup.py runs");
    }
    r->depth--;
}

/* extras_require={"name": [...], ...} (or a name bound to such a dict) */
static void extras(setup_reader *r, TSNode v, int depth)
{
    if (depth > MAX_DEPTH)
        return;
    if (is(v, "identifier")) {
        size_t len;
        const char *t = text_of(r, v, &len);
        const binding *bd = lookup(r, t, len);
        if (bd && !ts_node_is_null(bd->value) && !bd->file)
            extras(r, bd->value, depth + 1);
        else
            da_strlist_push(r->problems, "extras_require bound to no literal");
        return;
    }
    if (!is(v, "dictionary")) {
        da_strlist_push(r->problems, "extras_require computed by code setup.py runs");
        return;
    }
    for (uint32_t i = 0; i < ts_node_named_child_count(v); i++) {
        TSNode pair = ts_node_named_child(v, i);
        if (!is(pair, "pair"))
            continue;
        char *name = string_value(r, field(pair, "key"), NULL, NULL);
        if (!name)
            continue;
        /* "name:marker" keys are setuptools' way of putting a marker on the extra */
        char *colon = strchr(name, ':');
        if (colon)
            *colon = '\0';
        char *group = da_xasprintf("extra:%s", name);
        size_t list = (size_t)-1;
        r->extra_marker = colon && colon[1] ? colon + 1 : NULL;
        value(r, field(pair, "value"), group, &list);
        r->extra_marker = NULL;
        free(group);
        free(name);
    }
}

/* packages=[...], py_modules=[...] literals; find_packages() leaves them to discovery. */
static void packages(setup_reader *r, TSNode v, bool dotted)
{
    if (!is(v, "list") && !is(v, "tuple"))
        return;
    for (uint32_t i = 0; i < ts_node_named_child_count(v); i++) {
        char *p = string_value(r, ts_node_named_child(v, i), NULL, NULL);
        if (p)
            rq_setup_add_packages(r->out, p, dotted);
        free(p);
    }
    r->packages_seen = true;
}

static bool key_is(const setup_reader *r, TSNode key, const char *name)
{
    size_t len;
    const char *t = text_of(r, key, &len);
    return strlen(name) == len && strncmp(t, name, len) == 0;
}

static void setup_call(setup_reader *r, TSNode call)
{
    TSNode args = field(call, "arguments");
    for (uint32_t i = 0; i < ts_node_named_child_count(args); i++) {
        TSNode kw = ts_node_named_child(args, i);
        if (is(kw, "dictionary_splat")) {
            da_strlist_push(r->problems, "setup(**...) arguments");
            continue;
        }
        if (!is(kw, "keyword_argument"))
            continue;
        TSNode k = field(kw, "name"), v = field(kw, "value");
        size_t list = (size_t)-1;
        if (key_is(r, k, "install_requires")) {
            value(r, v, NULL, &list);
        } else if (key_is(r, k, "extras_require")) {
            extras(r, v, 0);
        } else if (key_is(r, k, "name") && !r->out->name) {
            r->out->name = string_value(r, v, NULL, NULL);
        } else if (key_is(r, k, "packages")) {
            packages(r, v, true);
        } else if (key_is(r, k, "py_modules")) {
            packages(r, v, false);
        }
    }
}

static bool is_setup_call(const setup_reader *r, TSNode n)
{
    if (!is(n, "call"))
        return false;
    TSNode f = field(n, "function");
    if (is(f, "attribute"))
        f = field(f, "attribute");
    return is(f, "identifier") && key_is(r, f, "setup");
}

static void bind(setup_reader *r, TSNode name, TSNode v, char *file, bool reads_arg)
{
    size_t len;
    const char *t = text_of(r, name, &len);
    binding b = {da_xstrndup(t, len), v, file, reads_arg};
    DA_PUSH(r->b, r->nb, r->bcap, b);
}

/* `with open("x") as f: NAME = f....`: NAME holds the lines of x. */
static void with_statement(setup_reader *r, TSNode n)
{
    char *file = NULL;
    TSNode clause = ts_node_named_child(n, 0);
    if (is(clause, "with_clause") && reads_file(r, clause, 0))
        file = file_named(r, clause, 0);
    TSNode body = field(n, "body");
    for (uint32_t i = 0; !ts_node_is_null(body) && i < ts_node_named_child_count(body); i++) {
        TSNode st = ts_node_named_child(body, i);
        TSNode a = is(st, "expression_statement") ? ts_node_named_child(st, 0) : st;
        if (is(a, "assignment") && is(field(a, "left"), "identifier"))
            bind(r, field(a, "left"), field(a, "right"), file ? da_xstrdup(file) : NULL, false);
    }
    free(file);
}

static void statements(setup_reader *r, TSNode block, int depth)
{
    if (depth > 8)
        return;
    for (uint32_t i = 0; i < ts_node_named_child_count(block); i++) {
        TSNode st = ts_node_named_child(block, i);
        TSNode e = is(st, "expression_statement") ? ts_node_named_child(st, 0) : st;
        if (is(e, "assignment") && is(field(e, "left"), "identifier")) {
            bind(r, field(e, "left"), field(e, "right"), NULL, false);
        } else if (is_setup_call(r, e)) {
            setup_call(r, e);
        } else if (is(st, "with_statement")) {
            with_statement(r, st);
        } else if (is(st, "function_definition")) {
            TSNode none = {0};
            bind(r, field(st, "name"), none, NULL, reads_file(r, field(st, "body"), 0));
        } else if (is(st, "if_statement")) {
            statements(r, field(st, "consequence"), depth + 1);
        }
    }
}

int rq_setup_py_read(const rq_content *c, da_pyproject *out, da_strlist *files,
                     da_strlist *problems)
{
    if (c->text.len > UINT32_MAX / 2)
        return -1;
    TSParser *parser = ts_parser_new();
    ts_parser_set_language(parser, tree_sitter_python());
    TSTree *tree = ts_parser_parse_string(parser, NULL, c->text.s, (uint32_t)c->text.len);
    if (!tree) {
        ts_parser_delete(parser);
        return -1;
    }
    setup_reader r;
    memset(&r, 0, sizeof(r));
    r.c = c;
    r.out = out;
    r.files = files;
    r.problems = problems;
    statements(&r, ts_tree_root_node(tree), 0);
    for (size_t i = 0; i < r.nb; i++) {
        free(r.b[i].name);
        free(r.b[i].file);
    }
    free(r.b);
    ts_tree_delete(tree);
    ts_parser_delete(parser);
    return 0;
}
