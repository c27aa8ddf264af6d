/* The build context of an image and what of it lands in the final image: Docker's
 * .dockerignore rules (src/image/dockerfile/dockerignore.c), inferring the context when
 * nobody names it (from a compose file: src/image/compose/, or the COPY/ADD sources), and
 * where a file of the context ends up in the image (src/image/context/). */
#ifndef DEPAUDIT_BUILD_CONTEXT_H
#define DEPAUDIT_BUILD_CONTEXT_H

#include "depaudit/install_plan.h"
#include "depaudit/util.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- .dockerignore ------------------------------------------------------------------------ */

/* One pattern line, as Docker keeps it: trimmed, `!` split off, cleaned like a path
 * (`a//b/../c` -> `a/c`), leading `/` dropped. */
typedef struct da_ignore_rule {
    char *pattern;
    bool negate; /* `!pattern`: an exception */
    int line;    /* 1-based line in the file */
} da_ignore_rule;

typedef struct da_ignore_rules {
    char *file; /* the file the rules were read from (host path), NULL when none */
    da_ignore_rule *items;
    size_t len;
} da_ignore_rules;

/* Reads the rules of a .dockerignore held in memory (`file` names it). Lines whose first
 * byte is `#` are comments (a `#` after leading spaces is a pattern, as Docker reads it);
 * a UTF-8 byte-order mark is dropped. Never fails. */
void da_dockerignore_parse(const char *file, const char *text, size_t len, da_ignore_rules *out);
/* The rules Docker applies to a build of `dockerfile` with that context: the
 * Dockerfile-specific `<Dockerfile name>.dockerignore` next to it, else `.dockerignore` at
 * the context's root; none (out->file NULL) when neither exists. Returns 0, or -1 with err
 * when the file exists but cannot be read. */
int da_dockerignore_load(const char *context_dir, const char *dockerfile, da_ignore_rules *out,
                         da_error *err);
void da_ignore_rules_free(da_ignore_rules *r);

/* One pattern against one path relative to the context (no leading `/`): Go's
 * filepath.Match syntax (`*` and `?` within one path element, `[...]` classes, `\`
 * escapes) plus `**`, any number of whole directories (none included). A pattern that
 * matches a parent directory of the path matches the path too. */
bool da_ignore_pattern_matches(const char *pattern, const char *path);
/* The rule that decides `path` is left out of the context (the last matching line, which
 * is not an exception), or NULL when it is sent. */
const da_ignore_rule *da_ignore_rules_excluding(const da_ignore_rules *r, const char *path);

/* ---- the build context -------------------------------------------------------------------- */

typedef struct da_build_context {
    char *dir;    /* the context directory (as a path usable from the current directory) */
    char *reason; /* why this one: "--context", "docker-compose.yml:12: service api
                     builds it with context .", "every COPY/ADD source of the Dockerfile is
                     found there (requirements/, src/)", "the Dockerfile's folder" */
    bool inferred;
    bool default_dir; /* inferred as the Dockerfile's own folder (docker's default) */
    /* Known: given, named by a compose service that builds this Dockerfile, or the folder
     * holding every COPY/ADD source. Otherwise a guess (reason says on what). */
    bool certain;
} da_build_context;

/* The context of `dockerfile`: `given` when not NULL; else the compose file next to the
 * Dockerfile or in a folder above it (up to `top`) whose service builds this Dockerfile;
 * else the nearest folder from the Dockerfile's up to `top` in which the COPY/ADD sources
 * (those not from another stage, RUN bind mounts included) exist, as docker would need
 * them to build; else the context a compose service gives a Dockerfile in the same folder;
 * else the Dockerfile's folder. Compose files: compose*.y(a)ml, docker-compose*.y(a)ml;
 * variables in a service's Dockerfile path match anything in one path element. `top` is a folder
 * above the Dockerfile (the current directory or the repository root); NULL: the Dockerfile's
 * folder only. Returns 0, or -1 with err when the Dockerfile cannot be read or `given` is no
 * directory. */
int da_build_context_find(const char *dockerfile, const char *given, const char *top,
                          da_build_context *out, da_error *err);
void da_build_context_free(da_build_context *c);

/* ---- what of the context is in the final image ------------------------------------------- */

/* Where a file of the build context (`rel`, relative to it, normalised) lands in the final
 * image (malloc'd absolute path), or NULL when no COPY/ADD of the final image (directly or
 * through the stages it copies from) brings it in, or the ignore rules leave it out of the
 * context (*rule, when rule is not NULL, says which line). */
char *da_image_path_of(const da_install_plan *p, const da_ignore_rules *ignore, const char *rel,
                       const da_ignore_rule **rule);

/* Whether the plan's final image may hold context files no COPY line names: a copy from an
 * image whose contents are unknown, or a local project installed from a path (its files
 * reach the image through the installer). The audit then keeps every file in scope. */
bool da_image_scope_unknown(const da_install_plan *p);

#endif
