/* Compound statements of a RUN body. `if` and `case` on values known when the Dockerfile
 * is read (ARG defaults, --build-arg, ENV, earlier assignments) take only the branch those
 * values select, and a note says so; when a condition cannot be told (a file test, a
 * command's status, an unknown value) every branch is walked and marked as maybe not
 * running. A `for` over a short list of known words is unrolled; other loops and function
 * bodies are walked once, marked as maybe not running. */
#include "image/dockerfile/shell_walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More values than this and a loop is walked once instead of unrolled. */
enum { MAX_UNROLL = 32 };

static bool is_token(TSNode c, const char *t)
{
    return !ts_node_is_named(c) && strcmp(ts_node_type(c), t) == 0;
}

/* What the condition read, and what the text of the `sh -c` body it sits in read. */
static char *used_values(walker *w)
{
    da_buf b = {0};
    da_buf_puts(&b, "");
    size_t n = 0;
    for (size_t i = 0; i < w->body_used.len; i++)
        da_buf_printf(&b, "%s%s", n++ ? ", " : "", w->body_used.items[i]);
    for (size_t i = 0; i < w->used.len; i++)
        if (!da_strlist_contains(&w->body_used, w->used.items[i]))
            da_buf_printf(&b, "%s%s", n++ ? ", " : "", w->used.items[i]);
    return da_buf_take(&b);
}

/* The condition statements [from, to) of an if/elif: they run (tail and set -e do not
 * apply to them); the last one's status decides. */
static int condition(walker *w, TSNode n, uint32_t from, uint32_t to, sh_ctx ctx)
{
    sh_ctx cc = ctx;
    cc.tail = false;
    cc.errexit_ok = false;
    sh_walk_sequence(w, n, cc, from, to);
    TSNode last = {0};
    bool have = false;
    for (uint32_t i = from; i < to; i++)
        if (ts_node_is_named(ts_node_child(n, i)) && !sh_is_type(ts_node_child(n, i), "comment")) {
            last = ts_node_child(n, i);
            have = true;
        }
    if (!have)
        return -1;
    w->collect_used = true;
    int v = sh_eval_condition(w, last);
    w->collect_used = false;
    return v;
}

static void note_branch(walker *w, TSNode at, const char *what, const char *branch)
{
    char *vals = used_values(w);
    sh_note_add(w, at,
                da_xasprintf("this `%s` is decided by values known here (%s): only %s is "
                             "modelled (--build-arg changes them)",
                             what, vals[0] ? vals : "no variables", branch));
    free(vals);
}

/* The positional parameters over the paths of an `if` or `case`: each branch starts from
 * what they held before it, and after it they may hold what any walked branch left (or,
 * when a path runs no branch, what they held before). */
typedef struct paths {
    sh_params before, after;
    bool any;
} paths;

static void paths_start(walker *w, paths *p)
{
    memset(p, 0, sizeof(*p));
    sh_params_copy(&p->before, &w->params);
}

static void paths_branch(walker *w, paths *p)
{
    sh_params_free(&w->params);
    sh_params_copy(&w->params, &p->before);
}

static void paths_join(walker *w, paths *p, const char *why)
{
    if (!p->any)
        sh_params_copy(&p->after, &w->params);
    else
        sh_params_union(&p->after, &w->params, why);
    p->any = true;
    /* the next condition is tested with what they held before the statement */
    sh_params_free(&w->params);
    sh_params_copy(&w->params, &p->before);
}

static void paths_end(walker *w, paths *p, bool no_branch_path, const char *why)
{
    if (no_branch_path || !p->any) {
        sh_params_free(&w->params);
        sh_params_copy(&w->params, &p->before);
        paths_join(w, p, why);
    }
    sh_params_free(&w->params);
    w->params = p->after;
    sh_params_free(&p->before);
}

/* After a loop walked once: parameters it changes are unknown (it may run any number of
 * times). */
static void loop_params(walker *w, sh_params *before)
{
    if (!sh_params_equal(before, &w->params))
        sh_params_set_unknown(&w->params);
    sh_params_free(before);
}

/* if COND; then BODY [elif COND; then BODY]... [else BODY] fi, as (node, cond range,
 * body range) triples walked in order. */
static void walk_if(walker *w, TSNode n, sh_ctx ctx)
{
    da_strlist_free(&w->used);
    bool unknown_seen = false, taken = false, covered = false;
    paths p;
    paths_start(w, &p);
    int branch_no = 0;
    TSNode clause = n;
    while (!taken) {
        uint32_t nc = ts_node_child_count(clause);
        bool is_else = sh_is_type(clause, "else_clause");
        uint32_t cond_from = 1, then_at = 0, body_to = nc;
        for (uint32_t i = 1; i < nc && !is_else; i++)
            if (is_token(ts_node_child(clause, i), "then")) {
                then_at = i;
                break;
            }
        for (uint32_t i = is_else ? 1 : then_at + 1; i < nc; i++) {
            TSNode c = ts_node_child(clause, i);
            if (sh_is_type(c, "elif_clause") || sh_is_type(c, "else_clause") || is_token(c, "fi")) {
                body_to = i;
                break;
            }
        }
        sh_ctx cond_ctx = ctx;
        if (unknown_seen && !cond_ctx.why)
            cond_ctx.why = "if";
        int v = is_else ? 1 : condition(w, clause, cond_from, then_at ? then_at : nc, cond_ctx);
        if (v != 0) {
            sh_ctx bc = ctx;
            if ((v < 0 || unknown_seen) && !bc.why)
                bc.why = "if";
            if (v == 1 && !unknown_seen) {
                taken = true;
                if (branch_no > 0 || w->used.len > 0 || w->body_used.len > 0)
                    note_branch(w, n, "if",
                                is_else          ? "its else branch"
                                : branch_no == 0 ? "its then branch"
                                                 : "an elif branch");
            }
            unknown_seen |= v < 0;
            /* the body may hold conditions of its own */
            da_strlist used = w->used;
            memset(&w->used, 0, sizeof(w->used));
            paths_branch(w, &p);
            sh_walk_sequence(w, clause, bc, is_else ? 1 : then_at + 1, body_to);
            paths_join(w, &p, "if");
            covered |= v == 1;
            da_strlist_free(&w->used);
            w->used = used;
        }
        branch_no++;
        /* the next elif/else clause of the statement */
        TSNode next = {0};
        bool have_next = false;
        for (uint32_t i = body_to; i < nc && !have_next; i++) {
            TSNode c = ts_node_child(clause, i);
            if (sh_is_type(c, "elif_clause") || sh_is_type(c, "else_clause")) {
                next = c;
                have_next = true;
            }
        }
        if (!have_next && clause.id != n.id) {
            /* elif/else clauses are children of the if_statement, not of each other */
            uint32_t pc = ts_node_child_count(n);
            bool after = false;
            for (uint32_t i = 0; i < pc && !have_next; i++) {
                TSNode c = ts_node_child(n, i);
                if (after && (sh_is_type(c, "elif_clause") || sh_is_type(c, "else_clause"))) {
                    next = c;
                    have_next = true;
                }
                if (c.id == clause.id)
                    after = true;
            }
        }
        if (!have_next)
            break;
        clause = next;
    }
    if (!taken && !unknown_seen && w->used.len > 0)
        note_branch(w, n, "if", "that no branch runs");
    paths_end(w, &p, !covered, "if");
    da_strlist_free(&w->used);
}

/* case WORD in PATTERN|PATTERN) BODY ;; ... esac */
static void walk_case(walker *w, TSNode n, sh_ctx ctx)
{
    uint32_t nc = ts_node_child_count(n);
    TSNode value = {0};
    bool have_value = false;
    for (uint32_t i = 0; i < nc && !have_value; i++)
        if (ts_node_is_named(ts_node_child(n, i)) && !sh_is_type(ts_node_child(n, i), "comment")) {
            value = ts_node_child(n, i);
            have_value = true;
        }
    if (!have_value)
        return;
    da_strlist_free(&w->used);
    w->collect_used = true;
    bool unknown = false;
    char *v = sh_string(w, value, &unknown);
    w->collect_used = false;
    bool unknown_seen = unknown, covered = false;
    paths p;
    paths_start(w, &p);
    for (uint32_t i = 0; i < nc; i++) {
        TSNode item = ts_node_child(n, i);
        if (!sh_is_type(item, "case_item"))
            continue;
        uint32_t ic = ts_node_child_count(item), paren = ic;
        int match = 0;
        for (uint32_t k = 0; k < ic && paren == ic; k++) {
            TSNode c = ts_node_child(item, k);
            if (is_token(c, ")")) {
                paren = k;
            } else if (ts_node_is_named(c) && !unknown) {
                int m = sh_case_match(w, c, v);
                match = match == 1 || m == 1 ? 1 : (match < 0 || m < 0 ? -1 : 0);
            }
        }
        if (unknown)
            match = -1;
        if (match == 0)
            continue;
        sh_ctx bc = ctx;
        if ((match < 0 || unknown_seen) && !bc.why)
            bc.why = "case";
        bool decided = match == 1 && !unknown_seen;
        if (decided)
            note_branch(w, n, "case", "the branch its value selects");
        da_strlist_free(&w->used);
        paths_branch(w, &p);
        sh_walk_sequence(w, item, bc, paren + 1, ic);
        paths_join(w, &p, "case");
        covered |= match == 1;
        if (decided)
            break;
        unknown_seen = true;
    }
    paths_end(w, &p, !covered, "case");
    free(v);
    da_strlist_free(&w->used);
}

/* for NAME in WORDS; do BODY; done */
static void walk_for(walker *w, TSNode n, sh_ctx ctx)
{
    uint32_t nc = ts_node_child_count(n);
    TSNode var = {0}, body = {0};
    bool have_var = false, have_body = false, have_in = false;
    sh_word *values = NULL;
    size_t nvalues = 0, cap = 0;
    for (uint32_t i = 0; i < nc; i++) {
        TSNode c = ts_node_child(n, i);
        if (is_token(c, "in"))
            have_in = true;
        else if (sh_is_type(c, "variable_name") && !have_var) {
            var = c;
            have_var = true;
        } else if (sh_is_type(c, "do_group")) {
            body = c;
            have_body = true;
        } else if (have_in && ts_node_is_named(c) && !sh_is_type(c, "comment"))
            sh_fields(w, c, &values, &nvalues, &cap);
    }
    bool known = have_in && nvalues <= MAX_UNROLL;
    for (size_t i = 0; i < nvalues; i++)
        known &= !values[i].unknown;
    size_t nl;
    const char *name = have_var ? sh_node_text(w, var, &nl) : "";
    char *vname = have_var ? da_xstrndup(name, nl) : da_xstrdup("");
    if (have_body && known) {
        for (size_t i = 0; i < nvalues; i++) {
            if (vname[0])
                sh_set_local(w, vname, values[i].value, false);
            sh_walk(w, body, ctx);
        }
    } else if (have_body) {
        /* each value unknown: kept as written, so a command using it reads as unknown
         * rather than as given nothing */
        if (vname[0]) {
            char *as_written = da_xasprintf("${%s}", vname);
            sh_set_local(w, vname, as_written, true);
            free(as_written);
        }
        sh_ctx bc = ctx;
        if (!bc.why)
            bc.why = "loop";
        sh_params before;
        sh_params_copy(&before, &w->params);
        sh_walk(w, body, bc);
        loop_params(w, &before);
    }
    free(vname);
    for (size_t i = 0; i < nvalues; i++)
        sh_word_free(&values[i]);
    free(values);
}

bool sh_walk_compound(walker *w, TSNode n, sh_ctx ctx)
{
    const char *type = ts_node_type(n);
    if (strcmp(type, "if_statement") == 0) {
        walk_if(w, n, ctx);
    } else if (strcmp(type, "case_statement") == 0) {
        walk_case(w, n, ctx);
    } else if (strcmp(type, "for_statement") == 0) {
        walk_for(w, n, ctx);
    } else if (strcmp(type, "while_statement") == 0 || strcmp(type, "c_style_for_statement") == 0 ||
               strcmp(type, "function_definition") == 0) {
        sh_ctx bc = ctx;
        if (!bc.why)
            bc.why = strcmp(type, "function_definition") == 0 ? "function" : "loop";
        bool function = strcmp(type, "function_definition") == 0;
        if (function) {
            bc.tail = false;
            bc.errexit_ok = false;
        }
        sh_params before;
        sh_params_copy(&before, &w->params);
        if (function) /* its parameters are its callers' arguments */
            sh_params_set_unknown(&w->params);
        for (uint32_t i = 0; i < ts_node_named_child_count(n); i++)
            sh_walk(w, ts_node_named_child(n, i), bc);
        if (function) {
            sh_params_free(&w->params);
            w->params = before;
        } else {
            loop_params(w, &before);
        }
    } else if (strcmp(type, "do_group") == 0) {
        sh_walk_sequence(w, n, ctx, 0, ts_node_child_count(n));
    } else {
        return false;
    }
    return true;
}
