/* The requirements-file reader shared by the public da_requirements_file_parse (files on
 * the host) and the install plan (files inside the image, mapped back to the build
 * context or to a heredoc in the Dockerfile through a resolver). */
#ifndef DEPAUDIT_IMAGE_REQUIREMENTS_READER_H
#define DEPAUDIT_IMAGE_REQUIREMENTS_READER_H

#include "depaudit/install_plan.h"
#include "image/dockerfile/dockerfile.h"
#include "image/dockerfile/expand.h"

typedef struct rq_content {
    df_text text;    /* the file's bytes, each mapped to an offset in host_file */
    char *host_file; /* the file spans point into */
    char *host_data; /* that file's content (for line numbers) */
    size_t host_len;
} rq_content;

/* Finds the content of `path`. Returns 0, or -1 with *why (caller frees) when it cannot. */
typedef int (*rq_resolve_fn)(void *ctx, const char *path, rq_content *out, char **why);

typedef struct rq_reader {
    rq_resolve_fn resolve;
    void *resolve_ctx;
    const ex_env *env;         /* for ${VAR}; NULL: none set */
    da_requirements_file *out; /* accumulates */
    bool missing_is_error;     /* else a warning at the referencing line */
    da_strlist stack;          /* files being read, for cycle detection */
} rq_reader;

/* Reads `path` (absolute or relative to the resolver's root) and what it includes.
 * ref_file/ref_line: where it was named (for errors), via: the chain so far. */
int rq_read(rq_reader *r, const char *path, bool constraints, const char *via, const char *ref_file,
            int ref_line, da_error *err);
/* Reads a host file into c (identity offset map) by the repository file rule
 * (da_read_file_under): inside root (NULL: anywhere), a regular file, at most
 * DA_TEXT_FILE_MAX bytes. */
int rq_load_host_file(const char *root, const char *path, rq_content *c, char **why);
void rq_reader_free(rq_reader *r);
void rq_content_free(rq_content *c);
void rq_warn(da_plan_warning **w, size_t *n, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int rq_line_of(const char *data, size_t len, size_t off);

#endif
