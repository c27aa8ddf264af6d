/* What the container runs at start-up: CMD and ENTRYPOINT read as the servers and
 * launchers that load Python code (gunicorn, uvicorn, hypercorn, daphne, celery, flask,
 * fastapi, python -m / python FILE.py), through `sh -c` wrappers, into first-party entry
 * modules or scripts and the third-party modules named on the command line. */
#include "audit_internal.h"

#include <stdlib.h>
#include <string.h>

static void add_entry(audit_boot *b, const char *module, const char *path, const char *origin)
{
    da_grow((void **)&b->entries, &b->cap, b->len + 1, sizeof(*b->entries));
    audit_boot_entry *e = &b->entries[b->len++];
    e->module = module ? da_xstrdup(module) : NULL;
    e->path = path ? da_xstrdup(path) : NULL;
    e->origin = da_xstrdup(origin);
    e->as_main = false;
}

/* "pkg.mod:app", "pkg.mod:create_app()", "pkg.mod" -> "pkg.mod"; NULL for paths. */
static char *module_of_app_spec(const char *spec)
{
    const char *colon = strchr(spec, ':');
    size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
    if (n == 0)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = spec[i];
        if (!(c == '.' || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9')))
            return NULL;
    }
    return da_xstrndup(spec, n);
}

static bool is_python(const char *prog)
{
    const char *b = da_path_base_name(prog);
    if (strcmp(b, "python") == 0)
        return true;
    if (strncmp(b, "python3", 7) != 0)
        return false;
    for (const char *p = b + 7; *p; p++)
        if (!((*p >= '0' && *p <= '9') || *p == '.'))
            return false;
    return true;
}

static bool in_list(const char *word, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(word, list[i]) == 0)
            return true;
    return false;
}

/* Options of each server that take no value; every other option does (when not given
 * as --opt=value), which is the common case for these command lines. */
static const char *const gunicorn_flags[] = {"--preload",
                                             "--reload",
                                             "-D",
                                             "--daemon",
                                             "--check-config",
                                             "--print-config",
                                             "--capture-output",
                                             "--enable-stdio-inheritance",
                                             "--reuse-port",
                                             "--strip-header-spaces",
                                             "--no-sendfile",
                                             "-R",
                                             "--spew",
                                             NULL};
static const char *const uvicorn_flags[] = {"--reload",           "--factory",
                                            "--proxy-headers",    "--no-proxy-headers",
                                            "--access-log",       "--no-access-log",
                                            "--use-colors",       "--no-use-colors",
                                            "--server-header",    "--no-server-header",
                                            "--date-header",      "--no-date-header",
                                            "--reload-dirs-only", NULL};
static const char *const celery_flags[] = {"-B",
                                           "--beat",
                                           "-E",
                                           "--task-events",
                                           "--without-gossip",
                                           "--without-mingle",
                                           "--without-heartbeat",
                                           "-D",
                                           "--detach",
                                           NULL};

static void add_module_or_class(audit_boot *b, const char *dotted, bool is_class)
{
    char *m = module_of_app_spec(dotted);
    if (!m)
        return;
    if (is_class) {
        char *dot = strrchr(m, '.');
        if (dot)
            *dot = '\0';
    }
    if (!da_strlist_contains(&b->third_party, m))
        da_strlist_push(&b->third_party, m);
    free(m);
}

/* A server that loads "MOD:app" given as its first positional argument. */
static void read_server(audit_boot *b, char **w, size_t n, const char *const *flags,
                        const char *origin)
{
    for (size_t i = 1; i < n; i++) {
        const char *a = w[i];
        if (a[0] == '-') {
            const char *eq = strchr(a, '=');
            const char *value = NULL;
            char *opt = eq ? da_xstrndup(a, (size_t)(eq - a)) : da_xstrdup(a);
            if (eq)
                value = eq + 1;
            else if (!in_list(opt, flags) && i + 1 < n)
                value = w[++i];
            if (value && (strcmp(opt, "-k") == 0 || strcmp(opt, "--worker-class") == 0))
                add_module_or_class(b, value, true);
            if (value && (strcmp(opt, "-A") == 0 || strcmp(opt, "--app") == 0)) {
                char *m = module_of_app_spec(value);
                if (m)
                    add_entry(b, m, NULL, origin);
                free(m);
            }
            free(opt);
            continue;
        }
        /* the app; options may follow it */
        char *m = module_of_app_spec(a);
        if (m && strchr(a, ':'))
            add_entry(b, m, NULL, origin);
        free(m);
    }
}

static void read_command(audit_boot *b, char **w, size_t n, const da_install_plan *plan,
                         const char *origin);

/* The final stage's value of an ENV variable (the last one set wins). */
static const char *plan_env(const da_install_plan *plan, const char *name)
{
    const char *v = NULL;
    for (size_t i = 0; plan && i < plan->nenv; i++)
        if (strcmp(plan->env[i].name, name) == 0)
            v = plan->env[i].value;
    return v;
}

static void read_python(audit_boot *b, char **w, size_t n, const da_install_plan *plan,
                        const char *origin)
{
    for (size_t i = 1; i < n; i++) {
        const char *a = w[i];
        if (strcmp(a, "-m") == 0 && i + 1 < n) {
            const char *mod = w[i + 1];
            /* `python -m gunicorn ...` runs that tool: read the rest as its command. */
            char **rest = &w[i + 1];
            size_t nrest = n - i - 1;
            const char *tool = da_path_base_name(mod);
            if (strcmp(tool, "gunicorn") == 0 || strcmp(tool, "uvicorn") == 0 ||
                strcmp(tool, "celery") == 0 || strcmp(tool, "flask") == 0 ||
                strcmp(tool, "hypercorn") == 0) {
                read_command(b, rest, nrest, plan, origin);
                return;
            }
            add_entry(b, mod, NULL, origin);
            b->entries[b->len - 1].as_main = true;
            return;
        }
        if (strcmp(a, "-c") == 0)
            return;
        if (a[0] == '-')
            continue;
        add_entry(b, NULL, a, origin);
        return;
    }
}

static void read_command(audit_boot *b, char **w, size_t n, const da_install_plan *plan,
                         const char *origin)
{
    while (n > 0 && (strcmp(w[0], "exec") == 0 || (strchr(w[0], '=') && w[0][0] != '-'))) {
        w++;
        n--;
    }
    if (n == 0)
        return;
    const char *prog = da_path_base_name(w[0]);
    if (!da_strlist_contains(&b->commands, prog))
        da_strlist_push(&b->commands, prog);
    if (is_python(prog)) {
        read_python(b, w, n, plan, origin);
    } else if (strcmp(prog, "gunicorn") == 0) {
        read_server(b, w, n, gunicorn_flags, origin);
    } else if (strcmp(prog, "uvicorn") == 0 || strcmp(prog, "hypercorn") == 0 ||
               strcmp(prog, "daphne") == 0) {
        read_server(b, w, n, uvicorn_flags, origin);
    } else if (strcmp(prog, "celery") == 0) {
        read_server(b, w, n, celery_flags, origin);
    } else if (strcmp(prog, "flask") == 0) {
        bool app_given = false;
        for (size_t i = 1; i + 1 < n; i++)
            if (strcmp(w[i], "--app") == 0 || strcmp(w[i], "-A") == 0)
                app_given = true;
        read_server(b, w, n, uvicorn_flags, origin);
        const char *fa = plan_env(plan, "FLASK_APP");
        if (!app_given && fa) {
            char *m = module_of_app_spec(fa);
            if (m)
                add_entry(b, m, NULL, origin);
            else if (da_str_ends_with(fa, ".py"))
                add_entry(b, NULL, fa, origin);
            free(m);
        }
    } else if (strcmp(prog, "fastapi") == 0) {
        for (size_t i = 2; i < n; i++)
            if (w[i][0] != '-' && da_str_ends_with(w[i], ".py")) {
                add_entry(b, NULL, w[i], origin);
                break;
            }
    }
}

/* Splits a shell command line into simple commands (on && || ; | and newlines) and
 * words (quotes removed). Good enough for the one-liners CMD holds. */
static void read_shell(audit_boot *b, const char *text, const da_install_plan *plan,
                       const char *origin)
{
    da_strlist words = {0};
    da_buf cur = {0};
    bool in_word = false;
    for (const char *p = text;; p++) {
        char c = *p;
        bool end_cmd = c == '\0' || c == ';' || c == '\n' || c == '|' || c == '&';
        if (c == '\'' || c == '"') {
            const char *q = strchr(p + 1, c);
            if (!q)
                q = p + strlen(p);
            da_buf_append(&cur, p + 1, (size_t)(q - p - 1));
            in_word = true;
            p = *q ? q : q - 1;
            continue;
        }
        if (c == ' ' || c == '\t' || end_cmd) {
            if (in_word) {
                da_strlist_push(&words, cur.data ? cur.data : "");
                cur.len = 0;
                if (cur.data)
                    cur.data[0] = '\0';
            }
            in_word = false;
            if (end_cmd) {
                if (words.len)
                    read_command(b, words.items, words.len, plan, origin);
                da_strlist_free(&words);
                if (c == '\0')
                    break;
            }
            continue;
        }
        if (c == '\\' && p[1]) {
            p++;
            c = *p;
        }
        da_buf_putc(&cur, c);
        in_word = true;
    }
    da_buf_free(&cur);
    da_strlist_free(&words);
}

static void read_shell(audit_boot *b, const char *text, const da_install_plan *plan,
                       const char *origin);

/* The host file behind a path in the image that a COPY from the context put there. */
static char *copied_script(const da_install_plan *plan, const char *image_path)
{
    const char *b = da_path_base_name(image_path);
    for (size_t i = 0; i < plan->ncopies; i++) {
        const da_copied_path *c = &plan->copies[i];
        if (c->from_stage || !c->dest)
            continue;
        const char *db = da_path_base_name(c->dest);
        char *host = NULL;
        if (strcmp(db, b) == 0 && (image_path[0] != '/' || strcmp(c->dest, image_path) == 0 ||
                                   strchr(image_path, '/') == NULL))
            host = da_xasprintf("%s/%s", plan->context_dir ? plan->context_dir : ".", c->source);
        else if (image_path[0] == '/' && da_str_starts_with(image_path, c->dest) &&
                 image_path[strlen(c->dest)] == '/')
            host = da_xasprintf("%s/%s%s", plan->context_dir ? plan->context_dir : ".", c->source,
                                image_path + strlen(c->dest));
        if (host)
            return host;
    }
    return NULL;
}

/* ENTRYPOINT ["docker-entrypoint.sh"]: the commands of the script when the Dockerfile
 * copies it from the context, with `exec "$@"` standing for CMD. Returns false when the
 * script is not visible. */
static bool read_wrapper(audit_boot *b, const da_install_plan *plan, const char *script,
                         const char *origin)
{
    char *host = copied_script(plan, script);
    char *text = NULL;
    size_t len = 0;
    bool ok = host && da_read_file_under(plan->context_dir ? plan->context_dir : ".", host,
                                         DA_TEXT_FILE_MAX, &text, &len, NULL) == 0;
    free(host);
    if (!ok)
        return false;
    bool runs_cmd = false;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        while (*line == ' ' || *line == '\t')
            line++;
        if (*line == '#' || *line == '\0' || da_str_starts_with(line, "set "))
            continue;
        if (strstr(line, "$@")) {
            runs_cmd = true;
            continue;
        }
        read_shell(b, line, plan, origin);
    }
    free(text);
    if (runs_cmd && plan->cmd.len)
        read_command(b, plan->cmd.items, plan->cmd.len, plan, origin);
    return true;
}

void audit_boot_from_plan(const da_install_plan *plan, audit_boot *out)
{
    memset(out, 0, sizeof(*out));
    if (!plan)
        return;
    da_strlist argv = {0};
    bool shell = false;
    const char *what = "CMD";
    if (plan->entrypoint.len > 0) {
        what = "ENTRYPOINT";
        for (size_t i = 0; i < plan->entrypoint.len; i++)
            da_strlist_push(&argv, plan->entrypoint.items[i]);
        shell = plan->entrypoint_shell_form;
        if (!shell) /* exec-form ENTRYPOINT receives CMD as arguments */
            for (size_t i = 0; i < plan->cmd.len; i++)
                da_strlist_push(&argv, plan->cmd.items[i]);
    } else {
        for (size_t i = 0; i < plan->cmd.len; i++)
            da_strlist_push(&argv, plan->cmd.items[i]);
        shell = plan->cmd_shell_form;
    }
    if (argv.len > 0) {
        da_buf o = {0};
        da_buf_printf(&o, "%s", what);
        for (size_t i = 0; i < argv.len; i++)
            da_buf_printf(&o, " %s", argv.items[i]);
        char *origin = da_buf_take(&o);
        /* {"/bin/sh", "-c", TEXT} (shell form, or a wrapper written by hand) */
        if (argv.len >= 3 && strcmp(argv.items[1], "-c") == 0 &&
            (strcmp(da_path_base_name(argv.items[0]), "sh") == 0 ||
             strcmp(da_path_base_name(argv.items[0]), "bash") == 0))
            read_shell(out, argv.items[2], plan, origin);
        else if (!(plan->entrypoint.len && !shell &&
                   (da_str_ends_with(argv.items[0], ".sh") ||
                    strstr(argv.items[0], "entrypoint")) &&
                   read_wrapper(out, plan, argv.items[0], origin)))
            read_command(out, argv.items, argv.len, plan, origin);
        free(origin);
    }
    da_strlist_free(&argv);
}

void audit_boot_free(audit_boot *b)
{
    for (size_t i = 0; i < b->len; i++) {
        free(b->entries[i].module);
        free(b->entries[i].path);
        free(b->entries[i].origin);
    }
    free(b->entries);
    da_strlist_free(&b->third_party);
    da_strlist_free(&b->commands);
    memset(b, 0, sizeof(*b));
}
