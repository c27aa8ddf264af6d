/* ARG and ENV as Docker scopes them: global ARGs (before the first FROM) are visible in
 * FROM lines and, re-declared with `ARG NAME`, inside a stage; ENV is inherited by stages
 * built FROM another stage; --build-arg overrides a declared ARG's default. */
#include "image/plan/plan_model.h"

#include "depaudit/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Docker's default PATH, which every image's configuration carries. */
static const char default_path[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

void pl_warn(pl_builder *b, int line, const char *fmt, ...)
{
    va_list ap;
    da_buf m = {0};
    va_start(ap, fmt);
    da_buf_vprintf(&m, fmt, ap);
    va_end(ap);
    /* The same message at the same line once. */
    for (size_t i = 0; i < b->plan->nwarnings; i++)
        if (b->plan->warnings[i].line == line &&
            strcmp(b->plan->warnings[i].message, m.data) == 0) {
            da_buf_free(&m);
            return;
        }
    da_plan_warning w = {da_xstrdup(b->df.path), line, da_buf_take(&m)};
    DA_APPEND(b->plan->warnings, b->plan->nwarnings, w);
}

void pl_record_unknown(pl_builder *b, int line, const char *what)
{
    for (size_t i = 0; i < b->plan->nunknowns; i++)
        if (b->plan->unknowns[i].line == line && strcmp(b->plan->unknowns[i].message, what) == 0)
            return;
    da_plan_warning w = {da_xstrdup(b->df.path), line, da_xstrdup(what)};
    DA_APPEND(b->plan->unknowns, b->plan->nunknowns, w);
    DA_APPEND(b->unknown_stages, b->nunknown_stages, b->cur);
}

void pl_unknown(pl_builder *b, int line, const char *fmt, ...)
{
    va_list ap;
    da_buf m = {0};
    va_start(ap, fmt);
    da_buf_vprintf(&m, fmt, ap);
    va_end(ap);
    pl_warn(b, line, "%s", m.data);
    pl_record_unknown(b, line, m.data);
    da_buf_free(&m);
}

static const char *predefined(pl_builder *b, const char *name)
{
    if (strcmp(name, "TARGETPLATFORM") == 0 || strcmp(name, "BUILDPLATFORM") == 0)
        return b->platform_str;
    if (strcmp(name, "TARGETOS") == 0 || strcmp(name, "BUILDOS") == 0)
        return "linux";
    if (strcmp(name, "TARGETARCH") == 0 || strcmp(name, "BUILDARCH") == 0)
        return b->arch;
    if (strcmp(name, "TARGETVARIANT") == 0 || strcmp(name, "BUILDVARIANT") == 0)
        return "";
    return NULL;
}

const char *pl_build_arg(pl_builder *b, const char *name)
{
    if (!b->o)
        return NULL;
    size_t nl = strlen(name);
    for (size_t i = b->o->nbuild_args; i > 0; i--) {
        const char *a = b->o->build_args[i - 1];
        if (strncmp(a, name, nl) == 0 && a[nl] == '=')
            return a + nl + 1;
        if (strcmp(a, name) == 0)
            return getenv(name) ? getenv(name) : "";
    }
    return NULL;
}

static const char *find_var(const pl_var *vars, size_t n, const char *name, bool *found)
{
    for (size_t i = n; i > 0; i--)
        if (strcmp(vars[i - 1].name, name) == 0) {
            *found = true;
            return vars[i - 1].value ? vars[i - 1].value : "";
        }
    *found = false;
    return NULL;
}

const char *pl_lookup(pl_builder *b, const char *name)
{
    bool found = false;
    const char *v;
    if (b->cur < 0) {
        v = find_var(b->globals, b->nglobals, name, &found);
        if (found)
            return v;
        return predefined(b, name);
    }
    const pl_stage *st = &b->stages[b->cur];
    size_t at;
    if (pl_index_get(&st->var_index, name, &at))
        return st->vars[at].value ? st->vars[at].value : "";
    if (strcmp(name, "PATH") == 0)
        return default_path;
    if (strcmp(name, "HOME") == 0)
        return (!st->user || strcmp(st->user, "root") == 0 || strcmp(st->user, "0") == 0) ? "/root"
                                                                                          : NULL;
    return NULL;
}

static const char *env_lookup(void *ctx, const char *name)
{
    return pl_lookup(ctx, name);
}

static void env_missing(void *ctx, const char *name)
{
    pl_builder *b = ctx;
    if (!da_strlist_contains(&b->missing_now, name))
        da_strlist_push(&b->missing_now, name);
}

ex_env pl_env(pl_builder *b)
{
    ex_env e = {env_lookup, env_missing, b, false};
    return e;
}

char *pl_expand(pl_builder *b, const char *s, size_t n)
{
    ex_env e = pl_env(b);
    da_strlist_free(&b->missing_now);
    char *v = ex_word(s, n, b->df.escape, &e);
    for (size_t i = 0; i < b->missing_now.len; i++)
        pl_report_missing(b, b->missing_now.items[i], b->line, NULL);
    da_strlist_free(&b->missing_now);
    return v;
}

void pl_set_var(pl_stage *st, const char *name, const char *value, bool is_arg, int line)
{
    pl_var v = {da_xstrdup(name), value ? da_xstrdup(value) : NULL, is_arg, line};
    DA_PUSH(st->vars, st->nvars, st->vcap, v);
    pl_index_set(&st->var_index, name, st->nvars - 1);
    if (!is_arg)
        pl_index_set(&st->env_index, name, st->nvars - 1);
}

bool pl_latest_env(const pl_stage *st, size_t i)
{
    size_t at;
    return !st->vars[i].is_arg && pl_index_get(&st->env_index, st->vars[i].name, &at) && at == i;
}

void pl_declare_arg(pl_builder *b, const char *name, const char *dflt, int line)
{
    const char *over = pl_build_arg(b, name);
    const char *value = over ? over : dflt;
    if (!value && b->cur >= 0) {
        bool found = false;
        const char *g = find_var(b->globals, b->nglobals, name, &found);
        if (found)
            value = g;
        else
            value = predefined(b, name);
    }
    if (b->cur < 0) {
        pl_var v = {da_xstrdup(name), value ? da_xstrdup(value) : NULL, true, line};
        DA_PUSH(b->globals, b->nglobals, b->gcap, v);
    } else {
        pl_set_var(&b->stages[b->cur], name, value, true, line);
    }
}

void pl_report_missing(pl_builder *b, const char *name, int line, const char *where)
{
    char key[300];
    snprintf(key, sizeof(key), "%d:%s", line, name);
    if (da_strlist_contains(&b->warned, key))
        return;
    da_strlist_push(&b->warned, key);
    /* Declared later in the file? That is the classic "ARG used before declaration". */
    for (size_t i = 0; i < b->df.nins; i++) {
        const df_instruction *in = &b->df.ins[i];
        if (in->line <= line)
            continue;
        if (strcmp(in->keyword, "ARG") != 0 && strcmp(in->keyword, "ENV") != 0)
            continue;
        size_t nl = strlen(name);
        const char *a = in->args.s;
        while (*a == ' ' || *a == '\t')
            a++;
        if (strncmp(a, name, nl) == 0 &&
            (a[nl] == '\0' || a[nl] == '=' || a[nl] == ' ' || a[nl] == '\t')) {
            pl_warn(b, line,
                    "variable %s is used%s%s before its %s at line %d: it expands to an empty "
                    "string here",
                    name, where ? " in " : "", where ? where : "", in->keyword, in->line);
            return;
        }
    }
    pl_warn(b, line, "variable %s is not set%s%s: it expands to an empty string", name,
            where ? " in " : "", where ? where : "");
}

void pl_stage_env(pl_builder *b, const pl_stage *st, da_strlist *out)
{
    (void)b;
    for (size_t i = 0; i < st->nvars; i++)
        if (pl_latest_env(st, i))
            da_strlist_push_owned(out, da_xasprintf("%s=%s", st->vars[i].name,
                                                    st->vars[i].value ? st->vars[i].value : ""));
}
