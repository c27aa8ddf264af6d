/* The options phase of a pip/uv command: every word after the subcommand is a requirement,
 * an option with its value (attached or the next word), or a cluster of short flags; each
 * option's meaning is applied to the op, -r/-c files are kept for later, and the PIP_*
 * variables the command sees add theirs. */
#include "image/commands/pip_command.h"

#include "depaudit/util.h"
#include "image/commands/pip_options.h"
#include "image/requirements/requirement_text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Whether an option word names requirements (-r, -c, -e): its value changes what is
 * installed, unlike that of --index-url or --target. */
static bool option_names_packages(const char *word, const char **attached)
{
    const po_option *o = po_find(word, false, attached);
    if (!o)
        return true; /* an unknown option: assume the worst */
    return !o->takes_value || o->action == PO_REQUIREMENT || o->action == PO_CONSTRAINT ||
           o->action == PO_EDITABLE;
}

/* Whether the word at index i can change what is installed: a requirement, or the value of
 * an option that names requirements. */
static bool names_packages(const sh_command *c, size_t i)
{
    const char *att = NULL;
    if (c->words[i].value[0] == '-') {
        const po_option *o = po_find(c->words[i].value, false, &att);
        return o && att &&
               (o->action == PO_REQUIREMENT || o->action == PO_CONSTRAINT ||
                o->action == PO_EDITABLE);
    }
    if (i == 0 || c->words[i - 1].value[0] != '-')
        return true;
    const char *prev_att = NULL;
    return option_names_packages(c->words[i - 1].value, &prev_att) || prev_att;
}

/* Whether the unset variable `name`, as the command's text uses it, stands where a
 * requirement could be: not as the value of --index-url, --target and the like. */
static bool unset_names_packages(const pl_builder *b, const sh_command *c, const char *name)
{
    if (!b->df_data || c->start >= b->df_len)
        return true;
    const char *text = b->df_data + c->start;
    size_t n = b->df_len - c->start, nl = strlen(name);
    for (size_t k = 0; k + nl < n; k++) {
        if (text[k] != '$')
            continue;
        size_t s = k + 1 + (text[k + 1] == '{');
        if (s + nl > n || strncmp(text + s, name, nl) != 0 ||
            isalnum((unsigned char)text[s + nl]) || text[s + nl] == '_')
            continue;
        /* the word holding it: `--opt=$X`, or `$X` after `--opt` */
        size_t ws = k;
        while (ws > 0 && !isspace((unsigned char)text[ws - 1]))
            ws--;
        char *word = da_xstrndup(text + ws, k - ws);
        bool pkg;
        if (word[0] == '-' && strchr(word, '=')) {
            const char *att = NULL;
            pkg = option_names_packages(word, &att);
        } else {
            size_t pe = ws;
            while (pe > 0 && isspace((unsigned char)text[pe - 1]) && text[pe - 1] != '\n')
                pe--;
            while (pe > 0 && text[pe - 1] == '\\') /* a continuation */
                for (pe--; pe > 0 && isspace((unsigned char)text[pe - 1]);)
                    pe--;
            size_t ps = pe;
            while (ps > 0 && !isspace((unsigned char)text[ps - 1]))
                ps--;
            char *prev = da_xstrndup(text + ps, pe - ps);
            const char *att = NULL;
            pkg = prev[0] != '-' || strchr(prev, '=') || option_names_packages(prev, &att);
            free(prev);
        }
        free(word);
        return pkg;
    }
    return true;
}

/* A word sh cannot form when the Dockerfile is read, kept as written: a command
 * substitution, positional parameters ("$@" of a `set --` whose value is unknown), a loop
 * variable over unknown values. */
static bool unread_word(const sh_word *w)
{
    return w->unknown && (strchr(w->value, '$') || strchr(w->value, '`'));
}

static void warn_unknown_words(pl_builder *b, const sh_command *c, int line)
{
    for (size_t i = 0; i < c->nwords; i++) {
        const sh_word *w = &c->words[i];
        if (!unread_word(w))
            continue;
        const char *what = strstr(w->value, "$(") || strchr(w->value, '`')
                               ? "a command substitution whose output"
                               : "an expansion whose value";
        if (names_packages(c, i))
            pl_unknown(b, line, "'%s' holds %s is unknown", w->value, what);
        else
            pl_warn(b, line, "'%s' holds %s is unknown", w->value, what);
    }
    /* variables that expand to nothing here (a word of only such a variable is gone); one
     * that stands where a requirement could be makes the install unknown */
    for (size_t i = 0; i < c->unset.len; i++) {
        const char *name = c->unset.items[i];
        if (ic_cmd_var(b, c, name))
            continue;
        pl_report_missing(b, name, line, "an install command");
        if (unset_names_packages(b, c, name)) {
            char *what = da_xasprintf("$%s of an install command is not set: what it installs "
                                      "is unknown",
                                      name);
            pl_record_unknown(b, line, what);
            free(what);
        }
    }
}

static size_t new_list(pl_builder *b, da_req_origin origin)
{
    return rt_req_list_add(&b->plan->lists, &b->plan->nlists, b->df.path, origin, "shell-args",
                           " ");
}

/* A word of an exec-form RUN: a JSON string, followed (after blanks and line
 * continuations) by the array's `,` or `]`, which no shell word quoted whole can be. */
static bool exec_form_word(const pl_builder *b, const sh_word *w)
{
    if (w->quote != '"')
        return false;
    size_t k = w->end + 1;
    while (k < b->df_len &&
           (isspace((unsigned char)b->df_data[k]) || b->df_data[k] == b->df.escape))
        k++;
    return k < b->df_len && (b->df_data[k] == ',' || b->df_data[k] == ']');
}

/* Style of the command-line list from its last requirement: one per continued line when
 * it starts its physical line, otherwise space-separated. */
static void style_from_word(pl_builder *b, da_req_list *l, const sh_word *w)
{
    size_t start = w->quote ? w->start - 1 : w->start;
    int line = df_line_of(&b->df, start);
    size_t ls = b->df.line_starts[line - 1];
    size_t k = ls;
    while (k < start && (b->df_data[k] == ' ' || b->df_data[k] == '\t'))
        k++;
    free(l->separator);
    if (exec_form_word(b, w))
        l->separator = da_xstrdup(", "); /* RUN ["pip", "install", "a"]: a JSON array */
    else if (k == start && l->count > 0)
        l->separator = da_xasprintf(" %c\n%.*s", b->df.escape, (int)(k - ls), b->df_data + ls);
    else
        l->separator = da_xstrdup(" ");
    free(l->quote);
    l->quote = w->quote ? da_xasprintf("%c", w->quote) : da_xstrdup("");
    l->insert_at = w->quote ? w->end + 1 : w->end;
    l->insert_line = df_line_of(&b->df, l->insert_at);
}

static void add_arg_requirement(pl_builder *b, da_install_op *op, const sh_word *w, bool editable,
                                const char *cwd, size_t list, bool is_uninstall)
{
    da_plan_requirement r;
    memset(&r, 0, sizeof(r));
    char *problem = NULL;
    if (unread_word(w)) {
        /* its value is only known when the image is built: warned about already */
        r.text = da_xstrdup(w->value);
        r.kind = DA_REQ_INVALID;
        r.editable = editable;
    } else {
        rt_classify(&r, w->value, cwd, editable, &problem);
    }
    int line = df_line_of(&b->df, w->start);
    if (problem) {
        pl_warn(b, line, "invalid requirement '%s': %s", w->value, problem);
        free(problem);
    }
    if (is_uninstall && r.kind != DA_REQ_NAMED)
        pl_warn(b, line, "uninstall of '%s': not a distribution name", w->value);
    r.origin = DA_ORIGIN_COMMAND_LINE;
    r.expanded = w->expanded;
    rt_span_set(&r.where, b->df.path, line, df_col_of(&b->df, w->start), w->start, w->end);
    r.list = list;
    DA_APPEND(op->reqs, op->nreqs, r);
    da_req_list *l = &b->plan->lists[list];
    style_from_word(b, l, w);
    l->count++;
}

/* A cluster of short flags (-qU): true if every letter is a flag without a value, and
 * then applied. */
static bool short_cluster(const char *word, bool uv, da_install_op *op)
{
    for (const char *p = word + 1; *p; p++) {
        const po_option *so = po_find_short(*p, uv);
        if (!so || so->takes_value)
            return false;
    }
    for (const char *p = word + 1; *p; p++) {
        const po_option *so = po_find_short(*p, uv);
        if (so->action == PO_UPGRADE)
            op->upgrade = true;
        else if (so->action == PO_IGNORE_INSTALLED)
            op->ignore_installed = true;
    }
    return true;
}

/* One option with its value (NULL if it takes none) applied to the op. w is the option's
 * word, vw the separate word holding its value (NULL when attached or none). */
static void apply_option(pl_builder *b, const ic_state *s, int line, da_install_op *op,
                         ic_pip_args *a, const po_option *o, const char *value, const sh_word *w,
                         const sh_word *vw)
{
    switch (o->action) {
    case PO_REQUIREMENT:
    case PO_CONSTRAINT:
    case PO_OVERRIDE: {
        /* `-r /dev/stdin` or `-r -` reads what the command piped into it wrote */
        bool from_stdin =
            s->stdin_file && (strcmp(value, "-") == 0 || strcmp(value, "/dev/stdin") == 0 ||
                              strcmp(value, "/proc/self/fd/0") == 0);
        ic_pending_file f = {from_stdin ? da_xstrdup(s->stdin_file) : rt_join_path(s->cwd, value),
                             o->action != PO_REQUIREMENT, da_xstrdup(value), line};
        DA_APPEND(a->files, a->nfiles, f);
        break;
    }
    case PO_EDITABLE: {
        if (a->list == (size_t)-1)
            a->list = new_list(b, DA_ORIGIN_COMMAND_LINE);
        sh_word tmp = vw ? *vw : *w;
        if (!vw) {
            tmp.value = (char *)value;
            tmp.start = w->end - strlen(value);
            tmp.quote = 0;
        }
        add_arg_requirement(b, op, &tmp, true, s->cwd, a->list, false);
        break;
    }
    case PO_TARGET:
    case PO_PREFIX:
    case PO_ROOT:
        op->dest = o->action == PO_TARGET   ? DA_DEST_TARGET
                   : o->action == PO_PREFIX ? DA_DEST_PREFIX
                                            : DA_DEST_ROOT;
        free(op->dest_path);
        op->dest_path = rt_join_path(s->cwd, value);
        break;
    case PO_USER:
        op->dest = DA_DEST_USER;
        break;
    case PO_INDEX_URL:
        free(op->index_url);
        op->index_url = da_xstrdup(value);
        break;
    case PO_EXTRA_INDEX_URL:
        da_strlist_push(&op->extra_index_urls, value);
        break;
    case PO_FIND_LINKS:
        da_strlist_push(&op->find_links, value);
        break;
    case PO_NO_INDEX:
        op->no_index = true;
        break;
    case PO_NO_DEPS:
        op->no_deps = true;
        break;
    case PO_PRE:
        op->pre = true;
        break;
    case PO_PRERELEASE:
        if (strcmp(value, "allow") == 0)
            op->pre = true;
        break;
    case PO_UPGRADE:
        op->upgrade = true;
        break;
    case PO_FORCE_REINSTALL:
        op->force_reinstall = true;
        break;
    case PO_IGNORE_INSTALLED:
        op->ignore_installed = true;
        break;
    case PO_ONLY_BINARY:
    case PO_NO_BINARY: {
        da_strlist *l = o->action == PO_ONLY_BINARY ? &op->only_binary : &op->no_binary;
        char *copy = da_xstrdup(value), *save = NULL;
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
            da_strlist_push(l, t);
        free(copy);
        break;
    }
    case PO_PYTHON_VERSION:
        free(op->python_version);
        op->python_version = da_xstrdup(value);
        break;
    case PO_PLATFORM:
        da_strlist_push(&op->platforms, value);
        break;
    case PO_REQUIRE_HASHES:
        op->require_hashes = true;
        break;
    case PO_SYSTEM:
        a->system_flag = true;
        break;
    case PO_PYTHON:
        free(a->python_opt);
        a->python_opt = da_xstrdup(value);
        break;
    case PO_GROUP:
        da_strlist_push(&a->groups, value);
        break;
    case PO_EXTRA:
        da_strlist_push(&a->extras, value);
        break;
    case PO_ALL_EXTRAS:
        a->all_extras = true;
        break;
    case PO_DRY_RUN:
        a->dry_run = true;
        break;
    case PO_WHEEL_DIR:
        free(a->wheel_dir);
        a->wheel_dir = rt_join_path(s->cwd, value);
        break;
    case PO_IGNORE:
        break;
    }
}

void ic_pip_read_args(pl_builder *b, const sh_command *c, const ic_state *s, int line, size_t sub_i,
                      da_install_op *op, ic_pip_args *a)
{
    warn_unknown_words(b, c, line);
    bool only_args = false;
    for (size_t i = sub_i + 1; i < c->nwords; i++) {
        const sh_word *w = &c->words[i];
        if (!only_args && strcmp(w->value, "--") == 0) {
            only_args = true;
            continue;
        }
        if (only_args || w->value[0] != '-' || strcmp(w->value, "-") == 0) {
            if (a->kind == DA_OP_SYNC) {
                ic_pending_file f = {rt_join_path(s->cwd, w->value), false, da_xstrdup(w->value),
                                     df_line_of(&b->df, w->start)};
                DA_APPEND(a->files, a->nfiles, f);
                continue;
            }
            if (a->list == (size_t)-1)
                a->list = new_list(b, DA_ORIGIN_COMMAND_LINE);
            add_arg_requirement(b, op, w, false, s->cwd, a->list, a->kind == DA_OP_UNINSTALL);
            if (a->kind != DA_OP_UNINSTALL)
                ic_shell_specifier(b, c, i, &op->reqs[op->nreqs - 1], s->cwd);
            const da_shell_specifier *sh = op->reqs[op->nreqs - 1].shell;
            if (sh && sh->span.end > b->plan->lists[a->list].insert_at) {
                /* a sibling goes after the redirections, not between word and them */
                b->plan->lists[a->list].insert_at = sh->span.end;
                b->plan->lists[a->list].insert_line = df_line_of(&b->df, sh->span.end);
            }
            continue;
        }
        const char *att = NULL;
        const po_option *o = po_find(w->value, a->uv, &att);
        if (!o && w->value[1] != '-' && strlen(w->value) > 2 && short_cluster(w->value, a->uv, op))
            continue;
        if (!o) {
            pl_warn(b, line, "unknown %s option %s: assumed to take no value",
                    a->uv ? "uv pip" : "pip", w->value);
            continue;
        }
        const char *value = att;
        const sh_word *vw = NULL;
        if (o->takes_value && !value) {
            if (i + 1 >= c->nwords) {
                pl_warn(b, line, "%s needs a value", o->long_name);
                continue;
            }
            vw = &c->words[++i];
            value = vw->value;
        }
        apply_option(b, s, line, op, a, o, value, w, vw);
    }
    if (op->dest == DA_DEST_USER) {
        const char *home = ic_cmd_var(b, c, "HOME");
        if (!home) {
            home = "/root";
            pl_warn(b, line, "--user as user %s: its home is not known, /root assumed",
                    b->stages[b->cur].user ? b->stages[b->cur].user : "?");
        }
        op->dest_path = rt_join_path(home, ".local");
    }
}

void ic_pip_env_options(pl_builder *b, const sh_command *c, da_install_op *op, ic_pip_args *a,
                        int line, const char *cwd)
{
    const char *v;
    if ((v = ic_cmd_var(b, c, "PIP_INDEX_URL")) && v[0] && !op->index_url)
        op->index_url = da_xstrdup(v);
    if ((v = ic_cmd_var(b, c, "UV_INDEX_URL")) && v[0] && !op->index_url && strstr(op->tool, "uv"))
        op->index_url = da_xstrdup(v);
    if ((v = ic_cmd_var(b, c, "PIP_EXTRA_INDEX_URL")) && v[0]) {
        char *copy = da_xstrdup(v), *save = NULL;
        for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
            da_strlist_push(&op->extra_index_urls, t);
        free(copy);
    }
    if (ic_truthy(ic_cmd_var(b, c, "PIP_NO_DEPS")))
        op->no_deps = true;
    if (ic_truthy(ic_cmd_var(b, c, "PIP_PRE")))
        op->pre = true;
    if ((v = ic_cmd_var(b, c, "PIP_CONSTRAINT")) && v[0]) {
        ic_pending_file f = {rt_join_path(cwd, v), true, da_xstrdup(v), line};
        DA_APPEND(a->files, a->nfiles, f);
    }
    if (op->dest == DA_DEST_SYSTEM) {
        if ((v = ic_cmd_var(b, c, "PIP_TARGET")) && v[0]) {
            op->dest = DA_DEST_TARGET;
            op->dest_path = rt_join_path(cwd, v);
        } else if ((v = ic_cmd_var(b, c, "PIP_PREFIX")) && v[0]) {
            op->dest = DA_DEST_PREFIX;
            op->dest_path = rt_join_path(cwd, v);
        } else if (ic_truthy(ic_cmd_var(b, c, "PIP_USER"))) {
            op->dest = DA_DEST_USER;
        }
    }
}
