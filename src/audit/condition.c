/* Evaluates the version and platform conditions that guard imports, for the image (CPython
 * X.Y on Linux): `sys.version_info >= (3, 11)`, `sys.version_info[:2] < (3, 8)`,
 * `sys.platform == "win32"`, `sys.platform.startswith("linux")`, `os.name == "nt"`,
 * `platform.system() == "Windows"`, combined with not/and/or and parentheses. Anything
 * else is "unknown" (-1), which the audit reports as such rather than guessing. */
#include "audit_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct cond_parser {
    const char *p;
    int major, minor;
} cond_parser;

static void skip_ws(cond_parser *c)
{
    while (*c->p && isspace((unsigned char)*c->p))
        c->p++;
}

static bool eat(cond_parser *c, const char *tok)
{
    skip_ws(c);
    size_t n = strlen(tok);
    if (strncmp(c->p, tok, n) != 0)
        return false;
    /* keywords must end at a word boundary */
    if (isalpha((unsigned char)tok[n - 1]) && (isalnum((unsigned char)c->p[n]) || c->p[n] == '_'))
        return false;
    c->p += n;
    return true;
}

static int parse_or(cond_parser *c);

static const char *const ops[] = {">=", "<=", "==", "!=", ">", "<", NULL};

static int read_op(cond_parser *c)
{
    skip_ws(c);
    for (int i = 0; ops[i]; i++)
        if (eat(c, ops[i]))
            return i;
    return -1;
}

static int apply_op(int op, int cmp)
{
    switch (op) {
    case 0:
        return cmp >= 0;
    case 1:
        return cmp <= 0;
    case 2:
        return cmp == 0;
    case 3:
        return cmp != 0;
    case 4:
        return cmp > 0;
    case 5:
        return cmp < 0;
    }
    return -1;
}

/* A quoted string literal into buf; false if none. */
static bool read_string(cond_parser *c, char *buf, size_t size)
{
    skip_ws(c);
    char q = *c->p;
    if (q != '"' && q != '\'')
        return false;
    const char *end = strchr(c->p + 1, q);
    if (!end)
        return false;
    size_t n = (size_t)(end - c->p - 1);
    if (n >= size)
        n = size - 1;
    memcpy(buf, c->p + 1, n);
    buf[n] = '\0';
    c->p = end + 1;
    return true;
}

/* (3, 11) or (3,) -> compare with the image's version; -2 when malformed */
static int compare_version_tuple(cond_parser *c)
{
    if (!eat(c, "("))
        return -2;
    long v[3] = {0, 0, 0};
    int n = 0;
    for (;;) {
        skip_ws(c);
        if (eat(c, ")"))
            break;
        char *end;
        long x = strtol(c->p, &end, 10);
        if (end == c->p)
            return -2;
        if (n < 3)
            v[n++] = x;
        c->p = end;
        eat(c, ",");
    }
    long mine[3] = {c->major, c->minor, 0};
    for (int i = 0; i < n && i < 2; i++)
        if (mine[i] != v[i])
            return mine[i] < v[i] ? -1 : 1;
    /* (3, 11, 2): the micro version of the image is unknown */
    if (n == 3 && v[2] != 0)
        return -3;
    return 0;
}

static int parse_atom(cond_parser *c)
{
    if (eat(c, "(")) {
        int v = parse_or(c);
        if (!eat(c, ")"))
            return -2;
        return v;
    }
    if (eat(c, "sys.version_info")) {
        skip_ws(c);
        if (*c->p == '[') { /* [:2], [0], [:3] */
            const char *close = strchr(c->p, ']');
            if (!close)
                return -2;
            bool major_only = strncmp(c->p, "[0]", 3) == 0;
            c->p = close + 1;
            if (major_only) {
                int op = read_op(c);
                skip_ws(c);
                char *end;
                long x = strtol(c->p, &end, 10);
                if (op < 0 || end == c->p)
                    return -2;
                c->p = end;
                return apply_op(op, c->major < x ? -1 : c->major > x ? 1 : 0);
            }
        }
        int op = read_op(c);
        if (op < 0)
            return -2;
        int cmp = compare_version_tuple(c);
        if (cmp == -2)
            return -2;
        return cmp == -3 ? -1 : apply_op(op, cmp);
    }
    const char *actual = NULL;
    if (eat(c, "sys.platform.startswith")) {
        char s[64];
        if (!eat(c, "(") || !read_string(c, s, sizeof(s)) || !eat(c, ")"))
            return -2;
        return strncmp("linux", s, strlen(s)) == 0;
    }
    if (eat(c, "sys.platform"))
        actual = "linux";
    else if (eat(c, "os.name"))
        actual = "posix";
    else if (eat(c, "platform.system()"))
        actual = "Linux";
    if (actual) {
        int op = read_op(c);
        char s[64];
        if ((op != 2 && op != 3) || !read_string(c, s, sizeof(s)))
            return -2;
        bool eq = strcmp(actual, s) == 0;
        return op == 2 ? eq : !eq;
    }
    return -2;
}

static int parse_not(cond_parser *c)
{
    if (eat(c, "not")) {
        int v = parse_not(c);
        return v < 0 ? v : !v;
    }
    return parse_atom(c);
}

/* three-valued: -1 unknown, -2 cannot parse (also unknown to the caller) */
static int parse_and(cond_parser *c)
{
    int v = parse_not(c);
    while (eat(c, "and")) {
        int w = parse_not(c);
        if (v == -2 || w == -2)
            v = -2;
        else if (v == 0 || w == 0)
            v = 0;
        else if (v == -1 || w == -1)
            v = -1;
        else
            v = 1;
    }
    return v;
}

static int parse_or(cond_parser *c)
{
    int v = parse_and(c);
    while (eat(c, "or")) {
        int w = parse_and(c);
        if (v == -2 || w == -2)
            v = -2;
        else if (v == 1 || w == 1)
            v = 1;
        else if (v == -1 || w == -1)
            v = -1;
        else
            v = 0;
    }
    return v;
}

int audit_condition_eval(const char *cond, int py_major, int py_minor)
{
    if (!cond)
        return -1;
    cond_parser c = {cond, py_major, py_minor};
    int v = parse_or(&c);
    skip_ws(&c);
    if (v < 0 || *c.p)
        return -1;
    return v;
}
