/* PEP 508 environment markers: evaluation against a target's environment, with
 * packaging 23.0's rules (version comparison when `op + value` is a specifier, string
 * comparison otherwise, every clause evaluated, PEP 685 names for `extra`). */
#include "pep508.h"
#include "specifier_impl.h"

#include <stdlib.h>
#include <string.h>

static const char *env_lookup(const da_marker_env *env, const char *extra, const char *key)
{
    if (strcmp(key, "python_version") == 0)
        return env->python_version;
    if (strcmp(key, "python_full_version") == 0)
        return env->python_full_version;
    if (strcmp(key, "os_name") == 0)
        return env->os_name;
    if (strcmp(key, "sys_platform") == 0)
        return env->sys_platform;
    if (strcmp(key, "platform_system") == 0)
        return env->platform_system;
    if (strcmp(key, "platform_machine") == 0)
        return env->platform_machine;
    if (strcmp(key, "platform_release") == 0)
        return env->platform_release;
    if (strcmp(key, "platform_version") == 0)
        return env->platform_version;
    if (strcmp(key, "platform_python_implementation") == 0)
        return env->platform_python_implementation;
    if (strcmp(key, "implementation_name") == 0)
        return env->implementation_name;
    if (strcmp(key, "implementation_version") == 0)
        return env->implementation_version;
    if (strcmp(key, "extra") == 0)
        return extra ? extra : "";
    return NULL;
}

/* packaging's _eval_op: a version comparison when `op + rhs` is a valid specifier (and
 * then lhs must be a version, else packaging raises), a string comparison otherwise. */
static int eval_op(const char *lhs, const char *op, const char *rhs, const pep_mnode *item)
{
    pep_specifier local, *sp = NULL;
    if (item && item->fixed_rhs) {
        sp = item->rhs_is_spec ? item->rhs_spec : NULL;
    } else {
        char *spec_text = da_xasprintf("%s%s", op, rhs);
        if (pep_specifier_parse(&local, spec_text, strlen(spec_text), NULL))
            sp = &local;
        free(spec_text);
    }
    if (sp) {
        da_version *v = da_version_parse(lhs, NULL);
        int r = v ? (pep_specifier_contains(sp, v, true) ? 1 : 0) : -1;
        da_version_free(v);
        if (sp == &local)
            pep_specifier_clear(&local);
        return r;
    }
    if (strcmp(op, "in") == 0)
        return strstr(rhs, lhs) != NULL;
    if (strcmp(op, "not in") == 0)
        return strstr(rhs, lhs) == NULL;
    int c = strcmp(lhs, rhs);
    if (strcmp(op, "<") == 0)
        return c < 0;
    if (strcmp(op, "<=") == 0)
        return c <= 0;
    if (strcmp(op, "==") == 0)
        return c == 0;
    if (strcmp(op, "!=") == 0)
        return c != 0;
    if (strcmp(op, ">=") == 0)
        return c >= 0;
    if (strcmp(op, ">") == 0)
        return c > 0;
    return -1; /* ~= or === on strings: packaging raises UndefinedComparison */
}

static int eval_item(const pep_mnode *it, const da_marker_env *env, const char *extra)
{
    const char *key, *lhs, *rhs;
    if (it->lhs.is_var) {
        key = it->lhs.text;
        lhs = env_lookup(env, extra, key);
        rhs = it->rhs.text; /* a variable on the right is taken as its name */
    } else {
        lhs = it->lhs.text;
        key = it->rhs.text;
        rhs = env_lookup(env, extra, key);
    }
    if (!lhs || !rhs)
        return -1; /* packaging: KeyError for an unknown environment name */
    if (strcmp(key, "extra") == 0) {
        char *a = da_name_normalize(lhs), *b = da_name_normalize(rhs);
        int r = eval_op(a, it->op, b, NULL);
        free(a);
        free(b);
        return r;
    }
    return eval_op(lhs, it->op, rhs, it);
}

static int eval_list(const pep_mnode *list, const da_marker_env *env, const char *extra)
{
    /* Every item is evaluated (an error anywhere is an error), then or-of-ands. */
    bool any_group = false, group = true;
    for (size_t i = 0; i < list->len; i++) {
        const pep_mnode *n = &list->items[i];
        int r;
        switch (n->kind) {
        case PEP_M_OR:
            any_group = any_group || group;
            group = true;
            continue;
        case PEP_M_AND:
            continue;
        case PEP_M_LIST:
            r = eval_list(n, env, extra);
            break;
        default:
            r = eval_item(n, env, extra);
        }
        if (r < 0)
            return -1;
        group = group && r;
    }
    return (any_group || group) ? 1 : 0;
}

int da_marker_evaluate(const da_marker *m, const da_marker_env *env, const char *extra)
{
    return eval_list(&m->root, env, extra);
}
