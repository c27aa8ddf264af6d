/* The build context of a Dockerfile nobody names one for: the compose file that builds it,
 * else the nearest folder up in which its COPY/ADD sources exist, else its own folder; the
 * compose reader; where a context file lands in the final image. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "depaudit/build_context.h"
#include "image/compose/compose.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct tree {
    char dir[64];
} tree;

static void put(tree *t, const char *rel, const char *text)
{
    char *path = da_xasprintf("%s/%s", t->dir, rel);
    for (char *s = strchr(path + strlen(t->dir) + 1, '/'); s; s = strchr(s + 1, '/')) {
        *s = '\0';
        mkdir(path, 0700);
        *s = '/';
    }
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    free(path);
}

static void tree_init(tree *t)
{
    strcpy(t->dir, "/tmp/da-context-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    put(t, ".git/HEAD", "ref: refs/heads/main\n"); /* the repository root: the top */
}

static void tree_free(tree *t)
{
    char *cmd = da_xasprintf("rm -rf '%s'", t->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
}

static char *find(tree *t, const char *dockerfile_rel, const char *given, da_build_context *c)
{
    char *df = da_xasprintf("%s/%s", t->dir, dockerfile_rel);
    da_error err;
    assert_int_equal(da_build_context_find(df, given, t->dir, c, &err), 0);
    free(df);
    char *rel = strncmp(c->dir, t->dir, strlen(t->dir)) == 0
                    ? da_xstrdup(c->dir[strlen(t->dir)] ? c->dir + strlen(t->dir) + 1 : ".")
                    : da_xstrdup(c->dir);
    return rel;
}

static void test_context_from_copy_sources(void **state)
{
    (void)state;
    tree t;
    tree_init(&t);
    put(&t, "docker/app.Dockerfile",
        "FROM python:3.12\nCOPY requirements.txt .\nCOPY --from=builder /x /x\n"
        "COPY src/ /app/src/\n");
    put(&t, "requirements.txt", "flask\n");
    put(&t, "src/main.py", "import flask\n");
    da_build_context c;
    char *rel = find(&t, "docker/app.Dockerfile", NULL, &c);
    assert_string_equal(rel, "."); /* one folder up holds requirements.txt and src/ */
    assert_true(c.inferred);
    assert_false(c.default_dir);
    assert_non_null(strstr(c.reason, "every COPY/ADD source"));
    free(rel);
    da_build_context_free(&c);
    /* sources next to the Dockerfile: its own folder, docker's default */
    put(&t, "docker/requirements.txt", "flask\n");
    put(&t, "docker/src/main.py", "\n");
    rel = find(&t, "docker/app.Dockerfile", NULL, &c);
    assert_string_equal(rel, "docker");
    assert_true(c.default_dir);
    free(rel);
    da_build_context_free(&c);
    tree_free(&t);
}

static void test_context_from_compose(void **state)
{
    (void)state;
    tree t;
    tree_init(&t);
    put(&t, "deploy/Dockerfile", "FROM python:3.12\nCOPY . /app\n");
    put(&t, "docker-compose.yml",
        "services:\n"
        "  db:\n"
        "    image: postgres\n"
        "  api:\n"
        "    build:\n"
        "      context: .\n"
        "      dockerfile: deploy/Dockerfile\n"
        "      args:\n"
        "        MODE: prod\n"
        "    command: [\"python\", \"-m\", \"api\"]\n");
    da_build_context c;
    char *rel = find(&t, "deploy/Dockerfile", NULL, &c);
    assert_string_equal(rel, ".");
    assert_non_null(strstr(c.reason, "docker-compose.yml:6: service api"));
    free(rel);
    da_build_context_free(&c);
    /* --context wins over everything */
    char *given = da_xasprintf("%s/deploy", t.dir);
    rel = find(&t, "deploy/Dockerfile", given, &c);
    assert_string_equal(rel, "deploy");
    assert_false(c.inferred);
    free(rel);
    free(given);
    da_build_context_free(&c);
    /* a --context that is no directory is an error naming it */
    da_error err;
    char *df = da_xasprintf("%s/deploy/Dockerfile", t.dir);
    assert_int_equal(da_build_context_find(df, "/nonexistent/ctx", t.dir, &c, &err), -1);
    free(df);
    tree_free(&t);
}

/* RUN bind mounts read the context too; a compose Dockerfile path with a variable; a
 * service building a Dockerfile of the same folder gives a guess; a whole-context copy
 * alone from a folder of Dockerfiles only is a guess. */
static void test_mounts_variables_and_guesses(void **state)
{
    (void)state;
    tree t;
    tree_init(&t);
    put(&t, "images/py312/Dockerfile",
        "FROM python:3.12\nRUN --mount=type=bind,source=uv.lock,target=uv.lock uv sync\n"
        "COPY . /app\n");
    put(&t, "uv.lock", "version = 1\n");
    da_build_context c;
    char *rel = find(&t, "images/py312/Dockerfile", NULL, &c);
    assert_string_equal(rel, "."); /* uv.lock is at the top */
    assert_true(c.certain);
    free(rel);
    da_build_context_free(&c);
    put(&t, "docker-compose.yml",
        "services:\n  api:\n    build:\n      context: ./\n"
        "      dockerfile: images/py${PY}/Dockerfile\n");
    rel = find(&t, "images/py312/Dockerfile", NULL, &c);
    assert_string_equal(rel, ".");
    assert_non_null(strstr(c.reason, "service api builds it"));
    free(rel);
    da_build_context_free(&c);

    put(&t, "dev/web.Dockerfile", "FROM python:3.12\nCOPY . /srv\n");
    put(&t, "dev/run.sh", "#!/bin/sh\n");
    rel = find(&t, "dev/web.Dockerfile", NULL, &c);
    assert_string_equal(rel, "dev"); /* nothing says otherwise: docker's default */
    assert_false(c.certain);
    free(rel);
    da_build_context_free(&c);
    put(&t, "compose.override.yaml",
        "services:\n  worker:\n    build:\n      context: .\n"
        "      dockerfile: dev/worker.Dockerfile\n");
    rel = find(&t, "dev/web.Dockerfile", NULL, &c);
    assert_string_equal(rel, "."); /* the sibling's context */
    assert_false(c.certain);
    assert_non_null(strstr(c.reason, "in the same folder"));
    free(rel);
    da_build_context_free(&c);
    tree_free(&t);
}

static void test_compose_reader(void **state)
{
    (void)state;
    const char *y = "x-base: &base\n"
                    "  build:\n"
                    "    context: ./svc\n"
                    "    target: runtime\n"
                    "services:\n"
                    "  web:\n"
                    "    <<: *base\n"
                    "  worker:\n"
                    "    build: ./worker\n"
                    "    command: celery -A app worker\n"
                    "  cache:\n"
                    "    image: redis\n";
    da_compose_file f;
    da_error err;
    assert_int_equal(da_compose_parse("compose.yaml", y, strlen(y), &f, &err), 0);
    assert_int_equal(f.nservices, 2); /* only those that build */
    assert_string_equal(f.services[0].name, "web");
    assert_string_equal(f.services[0].context, "./svc");
    assert_string_equal(f.services[0].target, "runtime");
    assert_string_equal(f.services[1].context, "./worker");
    assert_string_equal(f.services[1].command, "celery -A app worker");
    da_compose_file_free(&f);
    /* bad YAML: an error with the file and line, never a crash */
    const char *bad = "services:\n  web:\n    build: [\n";
    assert_int_equal(da_compose_parse("compose.yaml", bad, strlen(bad), &f, &err), -1);
    assert_non_null(strstr(err.file, "compose.yaml"));
    assert_true(err.line >= 3);
    const char *list = "- a\n- b\n";
    assert_int_equal(da_compose_parse("compose.yaml", list, strlen(list), &f, &err), -1);
}

/* Found by fuzz_image_compose: aliases share nodes, so a mapping merging itself several
 * times fanned each lookup out exponentially (a hang). Lookups stay bounded and the keys
 * that are there are still found, directly or through one merge. */
static void test_compose_self_merges(void **state)
{
    (void)state;
    const char *y = "services: &s\n"
                    "  <<: [*s, *s, *s]\n"
                    "  loop: &l\n"
                    "    <<: [*l, *l, *l, *l]\n"
                    "    build: ./loop\n"
                    "  merged:\n"
                    "    <<: *l\n";
    da_compose_file f;
    da_error err;
    assert_int_equal(da_compose_parse("compose.yaml", y, strlen(y), &f, &err), 0);
    assert_int_equal(f.nservices, 2);
    assert_string_equal(f.services[0].name, "loop");
    assert_string_equal(f.services[0].context, "./loop");
    assert_null(f.services[0].command);
    assert_string_equal(f.services[1].name, "merged");
    assert_string_equal(f.services[1].context, "./loop");
    da_compose_file_free(&f);
}

static void test_image_path_of(void **state)
{
    (void)state;
    da_install_plan p;
    memset(&p, 0, sizeof(p));
    da_copied_path copies[2];
    memset(copies, 0, sizeof(copies));
    char src[] = "src", src_dest[] = "/app/src", main_py[] = "main.py",
         main_dest[] = "/app/main.py";
    copies[0].source = src;
    copies[0].dest = src_dest;
    copies[1].source = main_py;
    copies[1].dest = main_dest;
    p.copies = copies;
    p.ncopies = 2;
    char *at = da_image_path_of(&p, NULL, "src/pkg/mod.py", NULL);
    assert_string_equal(at, "/app/src/pkg/mod.py");
    free(at);
    at = da_image_path_of(&p, NULL, "main.py", NULL);
    assert_string_equal(at, "/app/main.py");
    free(at);
    assert_null(da_image_path_of(&p, NULL, "scripts/tool.py", NULL));
    assert_null(da_image_path_of(&p, NULL, "srcx/mod.py", NULL)); /* a prefix, not a folder */
    da_ignore_rules r;
    const char *text = "src/pkg/gen\n";
    da_dockerignore_parse(".dockerignore", text, strlen(text), &r);
    const da_ignore_rule *why = NULL;
    assert_null(da_image_path_of(&p, &r, "src/pkg/gen/x.py", &why));
    assert_non_null(why);
    assert_int_equal(why->line, 1);
    da_ignore_rules_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_context_from_copy_sources),
        cmocka_unit_test(test_context_from_compose),
        cmocka_unit_test(test_mounts_variables_and_guesses),
        cmocka_unit_test(test_compose_reader),
        cmocka_unit_test(test_compose_self_merges),
        cmocka_unit_test(test_image_path_of),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
