/* From a tree-sitter-python syntax tree to import records: the full path, and the reference
 * the fast path (fast_*.c, see README.md) is held to record for record.
 *
 * The tree is walked once, depth first, with a TSTreeCursor (no recursion: deeply nested
 * input must not exhaust the stack). Every node on the current path has a frame holding
 * the context its subtree runs in: scope, guard, guarding condition and alternative
 * group. A child's context is derived from its parent's frame and the child's role
 * (field) in the parent, e.g. the `consequence` of an `if sys.version_info ...`. */
#include "python_internal.h"
#include "syntax.h"

#include "depaudit/grammars.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct walk_ctx {
    da_import_scope scope;
    da_import_guard guard;
    const char *condition; /* owned by the walker's condition list */
    int group;
    bool in_except;
} walk_ctx;

typedef struct frame {
    TSNode node;
    walk_ctx ctx;
    /* For an if_statement: "not (A) and not (B)" of the conditions seen so far, and the
     * strongest version/platform guard among them, so elif/else branches inherit it. */
    da_buf negation;
    da_import_guard negation_guard;
    bool negation_type_checking; /* the if was `if not TYPE_CHECKING:` */
    /* For a try_statement: whether its handlers catch ImportError, and its group. */
    bool catches_import_error;
    int group;
} frame;

typedef struct walker {
    py_source src; /* the text being walked */
    const char *root, *file;
    int cell;
    TSNode tree_root;
    da_import_set *out;
    size_t first_record;   /* index in out->items of this text's first record */
    da_strlist conditions; /* condition strings handed to records are copied from here */
    frame *frames;
    size_t depth, cap;
    bool import_module_imported; /* from importlib import import_module seen */
    int python2_line;            /* first Python 2 print/exec statement, 0 if none */
    /* Indices of records from calls to a bare import_module(...), kept only when the
     * name was imported from importlib. */
    size_t *bare_calls;
    size_t nbare, bare_cap;
} walker;

void da_py_read_ignore_codes(const char *p, const char *end, da_import *im)
{
    im->ignored = true;
    if (p >= end || *p != '[')
        return;
    const char *close = memchr(p, ']', (size_t)(end - p));
    if (!close)
        return;
    const char *q = p + 1;
    while (q < close) {
        while (q < close && (*q == ' ' || *q == ','))
            q++;
        const char *s = q;
        while (q < close && *q != ',' && *q != ' ')
            q++;
        if (q > s)
            da_strlist_push_owned(&im->ignore_codes, da_xstrndup(s, (size_t)(q - s)));
    }
}

/* "# depaudit: ignore" or "# depaudit: ignore[A, B]" in a comment on one of the
 * statement's lines. Only real comments count (the tree says which '#' starts one), so
 * the marker inside a string is not an ignore. */
static void read_ignore(const walker *w, TSNode stmt, da_import *im)
{
    uint32_t a = ts_node_start_byte(stmt), b = ts_node_end_byte(stmt);
    while (a > 0 && w->src.text[a - 1] != '\n')
        a--;
    while (b < w->src.len && w->src.text[b] != '\n')
        b++;
    static const char marker[] = "depaudit: ignore";
    const char *p = memchr(w->src.text + a, '#', b - a);
    while (p) {
        uint32_t at = (uint32_t)(p - w->src.text);
        TSNode n = ts_node_descendant_for_byte_range(w->tree_root, at, at + 1);
        if (py_is(n, S_COMMENT) && ts_node_start_byte(n) == at) {
            const char *end = w->src.text + ts_node_end_byte(n);
            const char *m = memmem(p, (size_t)(end - p), marker, sizeof(marker) - 1);
            if (m) {
                da_py_read_ignore_codes(m + sizeof(marker) - 1, end, im);
                return;
            }
        }
        p = memchr(p + 1, '#', (size_t)(w->src.text + b - (p + 1)));
    }
}

static da_import *new_record(walker *w, TSNode stmt, char *module, int level, da_import_kind kind)
{
    da_import_set *s = w->out;
    da_grow((void **)&s->items, &s->cap, s->len + 1, sizeof(*s->items));
    da_import *im = &s->items[s->len++];
    memset(im, 0, sizeof(*im));
    const walk_ctx *ctx = &w->frames[w->depth - 1].ctx;
    TSPoint p = ts_node_start_point(stmt);
    im->root = da_xstrdup(w->root);
    im->file = da_xstrdup(w->file);
    im->cell = w->cell;
    im->line = (int)p.row + 1;
    im->col = (int)p.column + 1;
    im->module = module;
    im->level = level;
    im->kind = kind;
    im->scope = ctx->scope;
    im->guard = ctx->guard;
    im->condition = ctx->condition ? da_xstrdup(ctx->condition) : NULL;
    im->alternative_group = ctx->group;
    im->in_except = ctx->in_except;
    im->klass = kind == DA_IMPORT_KIND_FUTURE ? DA_CLASS_FUTURE
                : level > 0                   ? DA_CLASS_RELATIVE
                                              : DA_CLASS_THIRD_PARTY;
    read_ignore(w, stmt, im);
    return im;
}

/* The name an `import` / `from ... import` clause binds from: `a.b` or `a.b as c`. */
static TSNode imported_name(TSNode n)
{
    if (py_is(n, S_ALIASED)) {
        TSNode name = ts_node_child_by_field_id(n, da_py_f_name);
        if (!ts_node_is_null(name))
            return name;
    }
    return n;
}

static void on_import(walker *w, TSNode stmt)
{
    TSTreeCursor c = ts_tree_cursor_new(stmt);
    if (ts_tree_cursor_goto_first_child(&c)) {
        do {
            if (ts_tree_cursor_current_field_id(&c) != da_py_f_name)
                continue;
            TSNode name = imported_name(ts_tree_cursor_current_node(&c));
            new_record(w, stmt, da_py_dotted_text(&w->src, name), 0, DA_IMPORT_KIND_IMPORT);
        } while (ts_tree_cursor_goto_next_sibling(&c));
    }
    ts_tree_cursor_delete(&c);
}

static void on_import_from(walker *w, TSNode stmt, bool future)
{
    char *module = NULL;
    int level = 0;
    da_strlist names = {0};
    TSTreeCursor c = ts_tree_cursor_new(stmt);
    if (ts_tree_cursor_goto_first_child(&c)) {
        do {
            TSNode n = ts_tree_cursor_current_node(&c);
            TSFieldId f = ts_tree_cursor_current_field_id(&c);
            if (f == da_py_f_module_name && py_is(n, S_RELATIVE)) {
                free(module);
                module = da_xstrdup("");
                for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
                    TSNode part = ts_node_named_child(n, i);
                    if (py_is(part, S_PREFIX)) {
                        size_t len;
                        const char *t = da_py_node_text(&w->src, part, &len);
                        for (size_t k = 0; k < len; k++)
                            level += t[k] == '.';
                    } else if (py_is(part, S_DOTTED)) {
                        free(module);
                        module = da_py_dotted_text(&w->src, part);
                    }
                }
            } else if (f == da_py_f_module_name) {
                free(module);
                module = da_py_dotted_text(&w->src, n);
            } else if (f == da_py_f_name) {
                da_strlist_push_owned(&names, da_py_dotted_text(&w->src, imported_name(n)));
            } else if (py_is(n, S_WILDCARD)) {
                da_strlist_push(&names, "*");
            }
        } while (ts_tree_cursor_goto_next_sibling(&c));
    }
    ts_tree_cursor_delete(&c);
    if (future) {
        free(module);
        module = da_xstrdup("__future__");
    }
    if (!module) { /* an incomplete statement in broken code: nothing to record */
        da_strlist_free(&names);
        return;
    }
    if (level == 0 && strcmp(module, "importlib") == 0 &&
        da_strlist_contains(&names, "import_module"))
        w->import_module_imported = true;
    da_import *im =
        new_record(w, stmt, module, level, future ? DA_IMPORT_KIND_FUTURE : DA_IMPORT_KIND_FROM);
    im->names = names;
}

/* The value of a plain string literal (no f-string interpolation, no escapes, no implicit
 * concatenation), or NULL. Module names never need more. */
static char *literal_string(const walker *w, TSNode n)
{
    if (ts_node_is_null(n) || !py_is(n, S_STRING))
        return NULL;
    TSNode content = {0};
    bool have = false;
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++) {
        TSNode part = ts_node_named_child(n, i);
        const char *type = ts_node_type(part);
        if (strcmp(type, "string_start") == 0 || strcmp(type, "string_end") == 0)
            continue;
        if (!py_is(part, S_STRING_CONTENT) || have)
            return NULL;
        if (ts_node_named_child_count(part) > 0) /* escape sequences */
            return NULL;
        content = part;
        have = true;
    }
    size_t start_len;
    const char *start = da_py_node_text(&w->src, ts_node_named_child(n, 0), &start_len);
    for (size_t i = 0; i < start_len; i++)
        if (start[i] == 'f' || start[i] == 'F' || start[i] == 'b' || start[i] == 'B')
            return NULL;
    if (!have)
        return da_xstrdup("");
    size_t len;
    const char *t = da_py_node_text(&w->src, content, &len);
    return da_xstrndup(t, len);
}

static void on_call(walker *w, TSNode call)
{
    TSNode fn = ts_node_child_by_field_id(call, da_py_f_function);
    if (ts_node_is_null(fn))
        return;
    bool bare_import_module =
        py_is(fn, S_IDENTIFIER) && da_py_text_equals(&w->src, fn, "import_module");
    bool dunder = py_is(fn, S_IDENTIFIER) && da_py_text_equals(&w->src, fn, "__import__");
    bool qualified = false;
    if (py_is(fn, S_ATTRIBUTE)) {
        char *t = da_py_collapsed_text(&w->src, fn);
        qualified = strcmp(t, "importlib.import_module") == 0;
        free(t);
    }
    if (!bare_import_module && !dunder && !qualified)
        return;
    TSNode args = ts_node_child_by_field_id(call, da_py_f_arguments);
    TSNode first = {0};
    bool have_first = false;
    for (uint32_t i = 0; !ts_node_is_null(args) && i < ts_node_named_child_count(args); i++) {
        TSNode a = ts_node_named_child(args, i);
        if (py_is(a, S_COMMENT))
            continue;
        if (!py_is(a, S_KEYWORD_ARGUMENT)) {
            first = a;
            have_first = true;
        }
        break;
    }
    char *value = have_first ? literal_string(w, first) : NULL;
    if (!value || value[0] == '\0') {
        free(value);
        w->out->dynamic_unresolved++;
        return;
    }
    int level = 0;
    while (value[level] == '.')
        level++;
    char *module = da_xstrdup(value + level);
    free(value);
    new_record(w, call, module, level, DA_IMPORT_KIND_DYNAMIC);
    if (bare_import_module)
        DA_PUSH(w->bare_calls, w->nbare, w->bare_cap, w->out->len - 1);
}

/* --- guards --- */

enum { MAX_NEGATION = 4096 };

static const char *keep_condition(walker *w, char *owned)
{
    da_strlist_push_owned(&w->conditions, owned);
    return owned;
}

/* Context of the if-branch `child` (consequence, elif_clause or else_clause) of the
 * if_statement in frame p. */
static walk_ctx if_branch_ctx(walker *w, frame *p, TSNode child, TSFieldId field)
{
    walk_ctx ctx = p->ctx;
    if (field == da_py_f_consequence || py_is(child, S_ELIF)) {
        TSNode owner = field == da_py_f_consequence ? p->node : child;
        TSNode cond = ts_node_child_by_field_id(owner, da_py_f_condition);
        if (ts_node_is_null(cond))
            return ctx;
        py_cond_kind k = da_py_classify_condition(&w->src, cond);
        char *text = da_py_collapsed_text(&w->src, cond);
        if (k == PY_COND_TYPE_CHECKING) {
            ctx.guard = DA_GUARD_TYPE_CHECKING;
            ctx.condition = NULL;
        } else if (k == PY_COND_NOT_TYPE_CHECKING) {
            p->negation_type_checking = true; /* its else runs only for type checkers */
        } else if (ctx.guard != DA_GUARD_TYPE_CHECKING &&
                   (k == PY_COND_VERSION || k == PY_COND_PLATFORM || k == PY_COND_MAIN ||
                    p->negation_guard != DA_GUARD_NONE)) {
            if (k == PY_COND_VERSION)
                ctx.guard = DA_GUARD_VERSION;
            else if (k == PY_COND_PLATFORM)
                ctx.guard = DA_GUARD_PLATFORM;
            else if (k == PY_COND_MAIN)
                ctx.guard = DA_GUARD_MAIN;
            else
                ctx.guard = p->negation_guard;
            if (ctx.guard == DA_GUARD_MAIN)
                ctx.condition = NULL;
            else if (p->negation.len > 0)
                ctx.condition =
                    keep_condition(w, da_xasprintf("%s and (%s)", p->negation.data, text));
            else
                ctx.condition = keep_condition(w, da_xstrdup(text));
        }
        if (p->negation_guard == DA_GUARD_NONE && (k == PY_COND_VERSION || k == PY_COND_PLATFORM))
            p->negation_guard = k == PY_COND_VERSION ? DA_GUARD_VERSION : DA_GUARD_PLATFORM;
        /* A chain of thousands of elifs would make every later condition repeat all the
         * earlier ones (quadratic memory); past a bound the earlier ones are dropped and
         * later branches carry only their own condition. */
        if (p->negation.len + strlen(text) > MAX_NEGATION) {
            da_buf_free(&p->negation);
        } else {
            if (p->negation.len > 0)
                da_buf_puts(&p->negation, " and ");
            da_buf_printf(&p->negation, "not (%s)", text);
        }
        free(text);
        return ctx;
    }
    /* else_clause */
    if (p->negation_type_checking && ctx.guard != DA_GUARD_TYPE_CHECKING) {
        ctx.guard = DA_GUARD_TYPE_CHECKING;
        ctx.condition = NULL;
    } else if (ctx.guard != DA_GUARD_TYPE_CHECKING && p->negation_guard != DA_GUARD_NONE) {
        ctx.guard = p->negation_guard;
        ctx.condition = keep_condition(w, da_xstrdup(p->negation.data ? p->negation.data : ""));
    }
    return ctx;
}

/* The context `child` (the cursor's node) runs in, given its parent's frame. */
static walk_ctx child_ctx(walker *w, frame *p, TSNode child, const TSTreeCursor *c)
{
    walk_ctx ctx = p->ctx;
    TSNode parent = p->node;
    /* Only these parents change the context; the field lookup is skipped for the rest
     * because it is a measurable share of the walk. */
    if (!py_is(parent, S_FUNCTION) && !py_is(parent, S_LAMBDA) && !py_is(parent, S_CLASS) &&
        !py_is(parent, S_TRY) && !py_is(parent, S_IF))
        return ctx;
    TSFieldId field = ts_tree_cursor_current_field_id(c);
    if (py_is(parent, S_FUNCTION) || py_is(parent, S_LAMBDA)) {
        if (field == da_py_f_body)
            ctx.scope = DA_SCOPE_FUNCTION;
    } else if (py_is(parent, S_CLASS)) {
        if (field == da_py_f_body && ctx.scope == DA_SCOPE_MODULE)
            ctx.scope = DA_SCOPE_CLASS;
    } else if (py_is(parent, S_TRY)) {
        if (!p->catches_import_error)
            return ctx;
        bool handler = da_py_is_handler(child);
        if (field != da_py_f_body &&
            !(handler && da_py_handler_catches_import_error(&w->src, child)))
            return ctx;
        if (p->group == 0)
            p->group = ++w->out->next_group;
        ctx.group = p->group;
        ctx.in_except = handler;
        if (ctx.guard != DA_GUARD_TYPE_CHECKING) {
            ctx.guard = DA_GUARD_IMPORT_ERROR;
            ctx.condition = NULL;
        }
    } else if (py_is(parent, S_IF)) {
        if (field == da_py_f_consequence || field == da_py_f_alternative)
            return if_branch_ctx(w, p, child, field);
    }
    return ctx;
}

static void push_frame(walker *w, TSNode node, walk_ctx ctx)
{
    da_grow((void **)&w->frames, &w->cap, w->depth + 1, sizeof(*w->frames));
    frame *f = &w->frames[w->depth++];
    memset(f, 0, sizeof(*f));
    f->node = node;
    f->ctx = ctx;
    if (py_is(node, S_TRY)) {
        for (uint32_t i = 0; i < ts_node_named_child_count(node); i++) {
            TSNode h = ts_node_named_child(node, i);
            if (da_py_is_handler(h) && da_py_handler_catches_import_error(&w->src, h)) {
                f->catches_import_error = true;
                break;
            }
        }
    }
}

static void pop_frame(walker *w)
{
    da_buf_free(&w->frames[--w->depth].negation);
}

/* Inside an ERROR node tree-sitter leaves a statement it could not finish as loose
 * tokens, e.g. `from __future__ import *` (its grammar has no star future import, CPython
 * does). The tokens `from MODULE import` in a row are still a from-import: record it. */
static void recover_from_error(walker *w, TSNode error)
{
    uint32_t n = ts_node_child_count(error);
    if (n < 3)
        return;
    TSTreeCursor c = ts_tree_cursor_new(error);
    TSNode window[3];
    memset(window, 0, sizeof(window));
    uint32_t seen = 0;
    if (ts_tree_cursor_goto_first_child(&c)) {
        do {
            window[0] = window[1];
            window[1] = window[2];
            window[2] = ts_tree_cursor_current_node(&c);
            if (++seen < 3)
                continue;
            if (strcmp(ts_node_type(window[0]), "from") != 0 ||
                strcmp(ts_node_type(window[2]), "import") != 0 || ts_node_is_named(window[0]) ||
                ts_node_is_named(window[2]))
                continue;
            TSNode mod = window[1];
            bool future = strcmp(ts_node_type(mod), "__future__") == 0;
            if (future) {
                new_record(w, window[0], da_xstrdup("__future__"), 0, DA_IMPORT_KIND_FUTURE);
            } else if (py_is(mod, S_DOTTED)) {
                new_record(w, window[0], da_py_dotted_text(&w->src, mod), 0, DA_IMPORT_KIND_FROM);
            } else if (py_is(mod, S_RELATIVE)) {
                int level = 0;
                char *module = da_xstrdup("");
                for (uint32_t i = 0; i < ts_node_named_child_count(mod); i++) {
                    TSNode part = ts_node_named_child(mod, i);
                    size_t len;
                    const char *t = da_py_node_text(&w->src, part, &len);
                    if (py_is(part, S_PREFIX)) {
                        for (size_t k = 0; k < len; k++)
                            level += t[k] == '.';
                    } else if (py_is(part, S_DOTTED)) {
                        free(module);
                        module = da_py_dotted_text(&w->src, part);
                    }
                }
                new_record(w, window[0], module, level, DA_IMPORT_KIND_FROM);
            }
        } while (ts_tree_cursor_goto_next_sibling(&c));
    }
    ts_tree_cursor_delete(&c);
}

/* `print >> f, x` is also a valid Python 3 expression statement (a shift and a tuple),
 * so a print statement with a chevron proves nothing. */
static bool has_chevron(TSNode n)
{
    for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
        if (strcmp(ts_node_type(ts_node_named_child(n, i)), "chevron") == 0)
            return true;
    return false;
}

/* Handles the node the cursor is on; returns whether to descend into it. */
static bool visit(walker *w, TSNode n)
{
    if (py_is(n, S_IMPORT)) {
        on_import(w, n);
        return false;
    }
    if (py_is(n, S_IMPORT_FROM) || py_is(n, S_FUTURE)) {
        on_import_from(w, n, py_is(n, S_FUTURE));
        return false;
    }
    if (py_is(n, S_CALL))
        on_call(w, n);
    if (ts_node_symbol(n) == PY_ERROR_SYMBOL)
        recover_from_error(w, n);
    if (w->python2_line == 0 && (py_is(n, S_PRINT) || py_is(n, S_EXEC)) && !has_chevron(n))
        w->python2_line = (int)ts_node_start_point(n).row + 1;
    if (py_is(n, S_STRING) || py_is(n, S_COMMENT))
        return false;
    return true;
}

static bool child_has_error(TSNode n)
{
    TSTreeCursor c = ts_tree_cursor_new(n);
    bool found = false;
    if (ts_tree_cursor_goto_first_child(&c)) {
        do
            found = ts_node_has_error(ts_tree_cursor_current_node(&c));
        while (!found && ts_tree_cursor_goto_next_sibling(&c));
    }
    ts_tree_cursor_delete(&c);
    return found;
}

static void first_error(TSNode root, int *line)
{
    TSTreeCursor c = ts_tree_cursor_new(root);
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&c);
        if (ts_node_symbol(n) == PY_ERROR_SYMBOL || ts_node_is_missing(n)) {
            /* An ERROR often wraps a whole region of good statements; the first
             * error inside it is where the problem is. */
            *line = (int)ts_node_start_point(n).row + 1;
            if (!child_has_error(n))
                break;
        }
        /* Only descend where an error hides. */
        if (ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&c))
            continue;
        bool moved = false;
        while (!(moved = ts_tree_cursor_goto_next_sibling(&c)))
            if (!ts_tree_cursor_goto_parent(&c))
                break;
        if (!moved)
            break;
    }
    ts_tree_cursor_delete(&c);
}

/* Keeps bare import_module("x") records only when import_module came from importlib. */
static void drop_unbound_import_module_calls(walker *w)
{
    if (w->nbare == 0 || w->import_module_imported)
        return;
    da_import_set *s = w->out;
    size_t keep = w->first_record, b = 0;
    for (size_t i = w->first_record; i < s->len; i++) {
        if (b < w->nbare && w->bare_calls[b] == i) {
            b++;
            da_import_free(&s->items[i]);
            s->dynamic_unresolved++;
            continue;
        }
        s->items[keep++] = s->items[i];
    }
    s->len = keep;
}

void da_py_extract_text_full(TSParser *parser, const char *root, const char *file, int cell,
                             const char *text, size_t len, da_import_set *out)
{
    if (len > UINT32_MAX / 2) {
        da_import_set_add_error(out, root, file, 0, "file too large to parse (%zu bytes)", len);
        return;
    }
    TSTree *tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)len);
    if (!tree) {
        da_import_set_add_error(out, root, file, 0, "the parser gave up on this file");
        return;
    }
    walker w = {.src = {text, len}, .root = root, .file = file, .cell = cell, .out = out};
    w.first_record = out->len;
    da_py_syntax_init();
    TSNode rootn = ts_tree_root_node(tree);
    w.tree_root = rootn;
    if (ts_node_has_error(rootn)) {
        int line = 0;
        first_error(rootn, &line);
        if (cell > 0)
            da_import_set_add_error(out, root, file, line,
                                    "cell %d: syntax error; imports were recovered as far as "
                                    "possible",
                                    cell);
        else
            da_import_set_add_error(out, root, file, line,
                                    "syntax error; imports were recovered as far as possible");
    }
    TSTreeCursor c = ts_tree_cursor_new(rootn);
    push_frame(&w, rootn, (walk_ctx){.scope = DA_SCOPE_MODULE, .guard = DA_GUARD_NONE});
    /* Invariant: frames[0..depth) is the path from the root to the cursor's node. */
    for (;;) {
        bool descend = w.depth == 1 || visit(&w, ts_tree_cursor_current_node(&c));
        if (descend && ts_tree_cursor_goto_first_child(&c)) {
            frame *p = &w.frames[w.depth - 1];
            TSNode child = ts_tree_cursor_current_node(&c);
            walk_ctx ctx = child_ctx(&w, p, child, &c);
            push_frame(&w, child, ctx);
            continue;
        }
        for (;;) {
            pop_frame(&w);
            if (w.depth == 0)
                break;
            if (ts_tree_cursor_goto_next_sibling(&c)) {
                frame *p = &w.frames[w.depth - 1];
                TSNode child = ts_tree_cursor_current_node(&c);
                walk_ctx ctx = child_ctx(&w, p, child, &c);
                push_frame(&w, child, ctx);
                break;
            }
            ts_tree_cursor_goto_parent(&c);
        }
        if (w.depth == 0)
            break;
    }
    ts_tree_cursor_delete(&c);
    /* tree-sitter-python still accepts Python 2 print/exec statements; CPython 3 does not,
     * so the file cannot be imported. */
    if (w.python2_line > 0 && !ts_node_has_error(rootn))
        da_import_set_add_error(out, root, file, w.python2_line,
                                "Python 2 syntax (print or exec statement); Python 3 cannot "
                                "import this file");
    drop_unbound_import_module_calls(&w);
    free(w.frames);
    free(w.bare_calls);
    da_strlist_free(&w.conditions);
    ts_tree_delete(tree);
}
