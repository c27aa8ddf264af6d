/* From one shell command to one install operation: which installer it is, every option
 * consumed with its value, requirement arguments located in the Dockerfile, -r/-c files
 * followed through the image's filesystem, local projects read from pyproject.toml, and
 * where the packages go. */
#include "image/commands/install_command.h"

#include "image/commands/pip_options.h"
#include "image/push.h"
#include "image/requirements/requirement_text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* python, python3, python3.11 */
bool ic_is_python(const char *bn)
{
    if (strncmp(bn, "python", 6) != 0)
        return false;
    const char *p = bn + 6;
    while (isdigit((unsigned char)*p) || *p == '.')
        p++;
    return *p == '\0';
}

/* pip, pip3, pip3.11 */
static bool is_pip(const char *bn)
{
    if (strncmp(bn, "pip", 3) != 0)
        return false;
    const char *p = bn + 3;
    while (isdigit((unsigned char)*p) || *p == '.')
        p++;
    return *p == '\0';
}

static const char *list_value(const da_strlist *l, const char *name)
{
    size_t nl = strlen(name);
    for (size_t i = l->len; i > 0; i--)
        if (strncmp(l->items[i - 1], name, nl) == 0 && l->items[i - 1][nl] == '=')
            return l->items[i - 1] + nl + 1;
    return NULL;
}

/* A variable as the command sees it: its own prefix assignments, then the script's, then
 * ARG/ENV. */
const char *ic_cmd_var(pl_builder *b, const sh_command *c, const char *name)
{
    const char *v = list_value(&c->assigns, name);
    if (!v)
        v = list_value(&c->locals, name);
    if (!v)
        v = pl_lookup(b, name);
    return v;
}

bool ic_truthy(const char *v)
{
    return v && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0 ||
                 strcasecmp(v, "on") == 0);
}

static void warn_unknown_words(pl_builder *b, const sh_command *c, int line)
{
    for (size_t i = 0; i < c->nwords; i++) {
        const sh_word *w = &c->words[i];
        if (!w->unknown)
            continue;
        if (strstr(w->value, "$(") || strchr(w->value, '`')) {
            pl_warn(b, line, "'%s' holds a command substitution whose output is unknown", w->value);
            continue;
        }
        /* Name the unset variables of the word from its text in the file. */
        const char *t = b->df_data + w->start;
        size_t n = w->end > w->start ? w->end - w->start : 0;
        for (size_t k = 0; k + 1 < n; k++) {
            if (t[k] != '$')
                continue;
            size_t s = k + 1 + (t[k + 1] == '{');
            size_t e = s;
            while (e < n && (isalnum((unsigned char)t[e]) || t[e] == '_'))
                e++;
            if (e == s)
                continue;
            char *name = da_xstrndup(t + s, e - s);
            if (!ic_cmd_var(b, c, name))
                pl_report_missing(b, name, line, "an install command");
            free(name);
        }
    }
}

static size_t new_list(pl_builder *b, da_req_origin origin)
{
    da_req_list l;
    memset(&l, 0, sizeof(l));
    l.file = da_xstrdup(b->df.path);
    l.origin = origin;
    l.separator = da_xstrdup(" ");
    l.quote = da_xstrdup("");
    l.style = da_xstrdup("shell-args");
    DA_APPEND(b->plan->lists, b->plan->nlists, l);
    return b->plan->nlists - 1;
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
    if (k == start && l->count > 0)
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
    if (w->unknown && (strstr(w->value, "$(") || strchr(w->value, '`'))) {
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

typedef struct pending_file {
    char *path; /* absolute in the image */
    bool constraint;
    char *as_written;
    int line;
} pending_file;

static int resolve_cb(void *ctx, const char *path, rq_content *out, char **why)
{
    pl_builder *b = ctx;
    return pl_resolve_file(b, b->cur, path, out, why);
}

/* Moves what the requirements-file reader collected into the op and the plan. */
static void absorb(pl_builder *b, da_install_op *op, da_requirements_file *acc, const char *cwd)
{
    size_t base = b->plan->nlists;
    for (size_t i = 0; i < acc->nlists; i++) {
        DA_APPEND(b->plan->lists, b->plan->nlists, acc->lists[i]);
    }
    free(acc->lists);
    acc->lists = NULL;
    acc->nlists = 0;
    for (size_t i = 0; i < acc->nreqs; i++) {
        da_plan_requirement *r = &acc->reqs[i];
        r->list += base;
        if (r->kind == DA_REQ_LOCAL_PATH) {
            char *abs = rt_join_path(cwd, r->path);
            free(r->path);
            r->path = abs;
        }
        DA_APPEND(op->reqs, op->nreqs, *r);
    }
    free(acc->reqs);
    acc->reqs = NULL;
    acc->nreqs = 0;
    for (size_t i = 0; i < acc->nconstraints; i++) {
        acc->constraints[i].list += base;
        DA_APPEND(op->constraints, op->nconstraints, acc->constraints[i]);
    }
    free(acc->constraints);
    acc->constraints = NULL;
    acc->nconstraints = 0;
    for (size_t i = 0; i < acc->nwarnings; i++)
        DA_APPEND(b->plan->warnings, b->plan->nwarnings, acc->warnings[i]);
    free(acc->warnings);
    acc->warnings = NULL;
    acc->nwarnings = 0;
    if (acc->index_url && !op->index_url) {
        op->index_url = acc->index_url;
        acc->index_url = NULL;
    }
    for (size_t i = 0; i < acc->extra_index_urls.len; i++)
        da_strlist_push(&op->extra_index_urls, acc->extra_index_urls.items[i]);
    for (size_t i = 0; i < acc->find_links.len; i++)
        da_strlist_push(&op->find_links, acc->find_links.items[i]);
    for (size_t i = 0; i < acc->only_binary.len; i++)
        da_strlist_push(&op->only_binary, acc->only_binary.items[i]);
    for (size_t i = 0; i < acc->no_binary.len; i++)
        da_strlist_push(&op->no_binary, acc->no_binary.items[i]);
    op->no_index |= acc->no_index;
    op->pre |= acc->pre;
    op->require_hashes |= acc->require_hashes;
    da_requirements_file_free(acc);
}

static void read_files(pl_builder *b, da_install_op *op, pending_file *files, size_t n,
                       const sh_command *c, const char *cwd)
{
    da_requirements_file acc;
    memset(&acc, 0, sizeof(acc));
    ex_env env = pl_env(b);
    (void)c;
    rq_reader r;
    memset(&r, 0, sizeof(r));
    r.resolve = resolve_cb;
    r.resolve_ctx = b;
    r.env = &env;
    r.out = &acc;
    r.missing_is_error = false;
    for (size_t i = 0; i < n; i++) {
        char *via = da_xasprintf("%s:%d %s %s", b->df.path, files[i].line,
                                 files[i].constraint ? "-c" : "-r", files[i].as_written);
        da_error err;
        da_error_clear(&err);
        if (rq_read(&r, files[i].path, files[i].constraint, via, b->df.path, files[i].line, &err) <
            0) {
            /* A -r cycle or a nesting too deep: pip would fail the build. */
            rq_warn(&acc.warnings, &acc.nwarnings, err.file, err.line, "%s", err.message);
            b->fatal_line = err.line;
            if (!b->fatal_file) {
                b->fatal_file = da_xstrdup(err.file);
                b->fatal_message = da_xstrdup(err.message);
            }
        }
        free(via);
    }
    rq_reader_free(&r);
    absorb(b, op, &acc, cwd);
}

/* Where the packages of a pip/uv command go, from its options, its executable and PATH. */
static void decide_dest(pl_builder *b, const sh_command *c, ic_state *s, da_install_op *op,
                        const char *exe, bool uv, bool system_flag, const char *python_opt)
{
    if (op->dest != DA_DEST_SYSTEM)
        return; /* --target/--prefix/--user/--root */
    const char *interp = python_opt ? python_opt : exe;
    if (strchr(interp, '/')) {
        char *abs = rt_join_path(s->cwd, interp);
        char *slash = strrchr(abs, '/');
        *slash = '\0';
        if (da_str_ends_with(abs, "/bin") && strcmp(abs, "/usr/local/bin") != 0 &&
            strcmp(abs, "/usr/bin") != 0 && strcmp(abs, "/bin") != 0) {
            abs[strlen(abs) - 4] = '\0';
            op->dest = DA_DEST_VENV;
            op->dest_path = da_xstrdup(abs[0] ? abs : "/");
        }
        free(abs);
        if (op->dest == DA_DEST_VENV || !uv)
            return;
    }
    if (uv && system_flag)
        return;
    if (s->active_venv) {
        op->dest = DA_DEST_VENV;
        op->dest_path = da_xstrdup(s->active_venv);
        return;
    }
    if (uv) {
        const char *venv = ic_cmd_var(b, c, "VIRTUAL_ENV");
        if (venv && venv[0]) {
            op->dest = DA_DEST_VENV;
            op->dest_path = rt_join_path(s->cwd, venv);
            return;
        }
        if (ic_truthy(ic_cmd_var(b, c, "UV_SYSTEM_PYTHON")))
            return;
        char *dot = rt_join_path(s->cwd, ".venv");
        if (pl_find_venv(b, b->cur, dot)) {
            op->dest = DA_DEST_VENV;
            op->dest_path = dot;
            return;
        }
        free(dot);
        pl_warn(b, op->line,
                "uv pip %s without --system, a virtualenv or VIRTUAL_ENV fails in a plain "
                "image; assumed to install into the system Python",
                op->kind == DA_OP_UNINSTALL ? "uninstall" : "install");
        return;
    }
    /* A bare pip: the first PATH entry that has one. */
    const char *path = ic_cmd_var(b, c, "PATH");
    if (!path)
        return;
    char *copy = da_xstrdup(path);
    char *save = NULL;
    for (char *e = strtok_r(copy, ":", &save); e; e = strtok_r(NULL, ":", &save)) {
        char *dir = rt_join_path(NULL, e);
        if (strcmp(dir, "/usr/local/bin") == 0 || strcmp(dir, "/usr/bin") == 0) {
            free(dir);
            break;
        }
        if (da_str_ends_with(dir, "/bin")) {
            dir[strlen(dir) - 4] = '\0';
            if (pl_find_venv(b, b->cur, dir[0] ? dir : "/")) {
                op->dest = DA_DEST_VENV;
                op->dest_path = da_xstrdup(dir);
                free(dir);
                break;
            }
        }
        free(dir);
    }
    free(copy);
}

void ic_op_init(pl_builder *b, da_install_op *op, const sh_command *c, const char *tool,
                da_op_kind kind, int line, int run_line, size_t first_word)
{
    memset(op, 0, sizeof(*op));
    op->kind = kind;
    op->tool = da_xstrdup(tool);
    da_buf cmd = {0};
    for (size_t i = first_word; i < c->nwords; i++)
        da_buf_printf(&cmd, "%s%s", i > first_word ? " " : "", c->words[i].value);
    op->command = da_buf_take(&cmd);
    op->file = da_xstrdup(b->df.path);
    op->line = line;
    op->run_line = run_line;
    op->stage = b->cur;
}

void ic_op_push(pl_builder *b, da_install_op *op, const sh_command *c)
{
    if (c->conditional)
        pl_warn(b, op->line, "this install runs inside %s%s: assumed to run",
                strcmp(c->why_conditional, "||") == 0 ? "the right side of " : "",
                strcmp(c->why_conditional, "||") == 0   ? "'||'"
                : strcmp(c->why_conditional, "if") == 0 ? "an 'if'"
                                                        : c->why_conditional);
    DA_APPEND(b->plan->ops, b->plan->nops, *op);
    pl_stage *st = &b->stages[b->cur];
    pl_event ev = {false, b->plan->nops - 1};
    DA_PUSH(st->events, st->nevents, st->ecap, ev);
}

static void env_options(pl_builder *b, const sh_command *c, da_install_op *op, pending_file **files,
                        size_t *nfiles, int line, const char *cwd)
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
        pending_file f = {rt_join_path(cwd, v), true, da_xstrdup(v), line};
        DA_APPEND(*files, *nfiles, f);
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

static void pip_like(pl_builder *b, const sh_command *c, ic_state *s, int line, size_t exe_i,
                     size_t sub_i, bool uv)
{
    /* General options may come before the subcommand: `pip --no-cache-dir install x`. */
    while (sub_i < c->nwords && c->words[sub_i].value[0] == '-') {
        const char *att;
        const po_option *o = po_find(c->words[sub_i].value, uv, &att);
        sub_i += (o && o->takes_value && !att) ? 2 : 1;
    }
    if (sub_i >= c->nwords)
        return;
    const char *sub = c->words[sub_i].value;
    da_op_kind kind;
    if (strcmp(sub, "install") == 0)
        kind = DA_OP_INSTALL;
    else if (strcmp(sub, "uninstall") == 0)
        kind = DA_OP_UNINSTALL;
    else if (uv && strcmp(sub, "sync") == 0)
        kind = DA_OP_SYNC;
    else if (!uv && (strcmp(sub, "wheel") == 0 || strcmp(sub, "download") == 0))
        kind = DA_OP_INSTALL; /* builds a wheelhouse, kept aside below */
    else
        return; /* freeze, list, show, compile...: install nothing */
    bool wheelhouse = strcmp(sub, "wheel") == 0 || strcmp(sub, "download") == 0;
    char *wheel_dir = NULL;
    da_install_op op;
    ic_op_init(b, &op, c, uv ? "uv pip" : "pip", kind, line, s->run_line, exe_i);
    warn_unknown_words(b, c, line);
    pending_file *files = NULL;
    size_t nfiles = 0;
    size_t list = (size_t)-1;
    bool system_flag = false, dry_run = false, all_extras = false;
    char *python_opt = NULL;
    da_strlist extras = {0}, groups = {0};
    bool only_args = false;
    for (size_t i = sub_i + 1; i < c->nwords; i++) {
        const sh_word *w = &c->words[i];
        if (!only_args && strcmp(w->value, "--") == 0) {
            only_args = true;
            continue;
        }
        if (only_args || w->value[0] != '-' || strcmp(w->value, "-") == 0) {
            if (kind == DA_OP_SYNC) {
                pending_file f = {rt_join_path(s->cwd, w->value), false, da_xstrdup(w->value),
                                  df_line_of(&b->df, w->start)};
                DA_APPEND(files, nfiles, f);
                continue;
            }
            if (list == (size_t)-1)
                list = new_list(b, DA_ORIGIN_COMMAND_LINE);
            add_arg_requirement(b, &op, w, false, s->cwd, list, kind == DA_OP_UNINSTALL);
            continue;
        }
        const char *att = NULL;
        const po_option *o = po_find(w->value, uv, &att);
        if (!o && w->value[1] != '-' && strlen(w->value) > 2) {
            /* a cluster of short flags: -qU */
            bool all = true;
            for (const char *p = w->value + 1; *p; p++) {
                const po_option *so = po_find_short(*p, uv);
                if (!so || so->takes_value)
                    all = false;
            }
            if (all) {
                for (const char *p = w->value + 1; *p; p++) {
                    const po_option *so = po_find_short(*p, uv);
                    if (so->action == PO_UPGRADE)
                        op.upgrade = true;
                    else if (so->action == PO_IGNORE_INSTALLED)
                        op.ignore_installed = true;
                }
                continue;
            }
        }
        if (!o) {
            pl_warn(b, line, "unknown %s option %s: assumed to take no value",
                    uv ? "uv pip" : "pip", w->value);
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
        switch (o->action) {
        case PO_REQUIREMENT:
        case PO_CONSTRAINT:
        case PO_OVERRIDE: {
            pending_file f = {rt_join_path(s->cwd, value), o->action != PO_REQUIREMENT,
                              da_xstrdup(value), line};
            DA_APPEND(files, nfiles, f);
            break;
        }
        case PO_EDITABLE: {
            if (list == (size_t)-1)
                list = new_list(b, DA_ORIGIN_COMMAND_LINE);
            sh_word tmp = vw ? *vw : *w;
            if (!vw) {
                tmp.value = (char *)value;
                tmp.start = w->end - strlen(value);
                tmp.quote = 0;
            }
            add_arg_requirement(b, &op, &tmp, true, s->cwd, list, false);
            break;
        }
        case PO_TARGET:
            op.dest = DA_DEST_TARGET;
            free(op.dest_path);
            op.dest_path = rt_join_path(s->cwd, value);
            break;
        case PO_PREFIX:
            op.dest = DA_DEST_PREFIX;
            free(op.dest_path);
            op.dest_path = rt_join_path(s->cwd, value);
            break;
        case PO_ROOT:
            op.dest = DA_DEST_ROOT;
            free(op.dest_path);
            op.dest_path = rt_join_path(s->cwd, value);
            break;
        case PO_USER:
            op.dest = DA_DEST_USER;
            break;
        case PO_INDEX_URL:
            free(op.index_url);
            op.index_url = da_xstrdup(value);
            break;
        case PO_EXTRA_INDEX_URL:
            da_strlist_push(&op.extra_index_urls, value);
            break;
        case PO_FIND_LINKS:
            da_strlist_push(&op.find_links, value);
            break;
        case PO_NO_INDEX:
            op.no_index = true;
            break;
        case PO_NO_DEPS:
            op.no_deps = true;
            break;
        case PO_PRE:
            op.pre = true;
            break;
        case PO_PRERELEASE:
            if (strcmp(value, "allow") == 0)
                op.pre = true;
            break;
        case PO_UPGRADE:
            op.upgrade = true;
            break;
        case PO_FORCE_REINSTALL:
            op.force_reinstall = true;
            break;
        case PO_IGNORE_INSTALLED:
            op.ignore_installed = true;
            break;
        case PO_ONLY_BINARY:
        case PO_NO_BINARY: {
            da_strlist *l = o->action == PO_ONLY_BINARY ? &op.only_binary : &op.no_binary;
            char *copy = da_xstrdup(value), *save = NULL;
            for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
                da_strlist_push(l, t);
            free(copy);
            break;
        }
        case PO_PYTHON_VERSION:
            free(op.python_version);
            op.python_version = da_xstrdup(value);
            break;
        case PO_PLATFORM:
            da_strlist_push(&op.platforms, value);
            break;
        case PO_REQUIRE_HASHES:
            op.require_hashes = true;
            break;
        case PO_SYSTEM:
            system_flag = true;
            break;
        case PO_PYTHON:
            free(python_opt);
            python_opt = da_xstrdup(value);
            break;
        case PO_GROUP:
            da_strlist_push(&groups, value);
            break;
        case PO_EXTRA:
            da_strlist_push(&extras, value);
            break;
        case PO_ALL_EXTRAS:
            all_extras = true;
            break;
        case PO_DRY_RUN:
            dry_run = true;
            break;
        case PO_WHEEL_DIR:
            free(wheel_dir);
            wheel_dir = rt_join_path(s->cwd, value);
            break;
        case PO_IGNORE:
            break;
        }
    }
    if (op.dest == DA_DEST_USER) {
        const char *home = ic_cmd_var(b, c, "HOME");
        if (!home) {
            home = "/root";
            pl_warn(b, line, "--user as user %s: its home is not known, /root assumed",
                    b->stages[b->cur].user ? b->stages[b->cur].user : "?");
        }
        op.dest_path = rt_join_path(home, ".local");
    }
    env_options(b, c, &op, &files, &nfiles, line, s->cwd);
    decide_dest(b, c, s, &op, c->words[exe_i].value, uv, system_flag, python_opt);
    /* uv reads a project file given as requirements (-r pyproject.toml, with --extra) */
    size_t kept = 0;
    for (size_t i = 0; i < nfiles; i++) {
        if (uv && !files[i].constraint && da_str_ends_with(files[i].path, "/pyproject.toml")) {
            char *dir =
                da_xstrndup(files[i].path, strlen(files[i].path) - strlen("/pyproject.toml"));
            char *via = da_xasprintf("%s:%d -r %s", b->df.path, files[i].line, files[i].as_written);
            ic_add_project(b, &op, dir[0] ? dir : "/", &extras, &groups, all_extras, files[i].line,
                           via, false);
            free(via);
            free(dir);
            free(files[i].path);
            free(files[i].as_written);
            continue;
        }
        files[kept++] = files[i];
    }
    nfiles = kept;
    read_files(b, &op, files, nfiles, c, s->cwd);
    for (size_t i = 0; i < nfiles; i++) {
        free(files[i].path);
        free(files[i].as_written);
    }
    free(files);
    if (kind != DA_OP_UNINSTALL && !wheelhouse)
        ic_expand_local_projects(b, &op, line);
    if (wheelhouse) {
        pl_wheelhouse wh = {b->cur, wheel_dir ? wheel_dir : da_xstrdup(s->cwd), op};
        DA_PUSH(b->wheelhouses, b->nwheelhouses, b->whcap, wh);
        da_strlist_free(&extras);
        da_strlist_free(&groups);
        free(python_opt);
        return;
    }
    free(wheel_dir);
    da_strlist_free(&extras);
    da_strlist_free(&groups);
    free(python_opt);
    if (dry_run) {
        pl_warn(b, line, "--dry-run installs nothing");
        pl_op_free(&op);
        return;
    }
    if (op.nreqs == 0 && kind != DA_OP_SYNC)
        pl_warn(b, line, "%s %s without any requirement", op.tool, sub);
    ic_op_push(b, &op, c);
}

void ic_handle(pl_builder *b, const sh_command *c, ic_state *s, int line)
{
    size_t i = 0;
    /* Wrappers that run the next word as the command. */
    for (;;) {
        if (i >= c->nwords)
            return;
        const char *w = base_name(c->words[i].value);
        if (strcmp(w, "sudo") == 0 || strcmp(w, "exec") == 0 || strcmp(w, "time") == 0 ||
            strcmp(w, "nice") == 0 || strcmp(w, "nohup") == 0 || strcmp(w, "command") == 0 ||
            strcmp(w, "env") == 0) {
            i++;
            while (i < c->nwords && (c->words[i].value[0] == '-' ||
                                     (strcmp(w, "env") == 0 && strchr(c->words[i].value, '='))))
                i++;
            continue;
        }
        break;
    }
    const char *exe = c->words[i].value;
    const char *bn = base_name(exe);
    if (is_pip(bn)) {
        pip_like(b, c, s, line, i, i + 1, false);
        return;
    }
    if (ic_is_python(bn)) {
        for (size_t k = i + 1; k < c->nwords; k++) {
            const char *w = c->words[k].value;
            if (strcmp(w, "-m") == 0 && k + 1 < c->nwords) {
                const char *mod = c->words[k + 1].value;
                if (strcmp(mod, "pip") == 0)
                    pip_like(b, c, s, line, i, k + 2, false);
                else if (strcmp(mod, "uv") == 0 && k + 2 < c->nwords &&
                         strcmp(c->words[k + 2].value, "pip") == 0)
                    pip_like(b, c, s, line, i, k + 3, true);
                return;
            }
            if (strcmp(w, "-c") == 0 || w[0] != '-')
                return;
            if (strcmp(w, "-X") == 0 || strcmp(w, "-W") == 0)
                k++;
        }
        return;
    }
    if (strcmp(bn, "uv") == 0) {
        size_t k = i + 1;
        while (k < c->nwords && c->words[k].value[0] == '-')
            k++;
        if (k >= c->nwords)
            return;
        if (strcmp(c->words[k].value, "pip") == 0)
            pip_like(b, c, s, line, i, k + 1, true);
        else if (strcmp(c->words[k].value, "sync") == 0)
            ic_project_sync(b, c, s, line, i, k + 1, false);
        else if (strcmp(c->words[k].value, "tool") == 0 || strcmp(c->words[k].value, "add") == 0)
            pl_warn(b, line, "uv %s is not modelled: its packages are not counted",
                    c->words[k].value);
        return;
    }
    if (strcmp(bn, "poetry") == 0 && i + 1 < c->nwords &&
        strcmp(c->words[i + 1].value, "install") == 0) {
        ic_project_sync(b, c, s, line, i, i + 2, true);
        return;
    }
    if (strcmp(bn, "pipenv") == 0 && i + 1 < c->nwords &&
        (strcmp(c->words[i + 1].value, "install") == 0 ||
         strcmp(c->words[i + 1].value, "sync") == 0)) {
        ic_pipenv(b, c, s, line, i, i + 1);
        return;
    }
    if (strcmp(bn, "pip-sync") == 0) {
        pl_warn(b, line, "pip-sync is not modelled: its packages are not counted");
        return;
    }
    if ((strcmp(bn, "conda") == 0 || strcmp(bn, "mamba") == 0 || strcmp(bn, "micromamba") == 0 ||
         strcmp(bn, "pipx") == 0) &&
        i + 1 < c->nwords && strcmp(c->words[i + 1].value, "install") == 0) {
        pl_warn(b, line, "%s install is not modelled: its packages are not counted", bn);
        return;
    }
    if ((strcmp(bn, "sh") == 0 || strcmp(bn, "bash") == 0) && i + 2 < c->nwords &&
        strcmp(c->words[i + 1].value, "-c") == 0 && strstr(c->words[i + 2].value, "pip")) {
        pl_warn(b, line, "commands inside '%s -c' are not followed", bn);
    }
}

void ic_tool_venv_dest(pl_builder *b, da_install_op *op, const sh_command *c, const char *cwd,
                       int line, const char *in_project_var, const char *default_dir,
                       const char *warning_fmt)
{
    op->dest = DA_DEST_VENV;
    if (ic_truthy(ic_cmd_var(b, c, in_project_var))) {
        op->dest_path = rt_join_path(cwd, ".venv");
        pl_add_venv(b, op->dest_path, line, true);
    } else {
        op->dest_path = da_xstrdup(default_dir);
        pl_warn(b, line, warning_fmt, op->dest_path);
    }
}
