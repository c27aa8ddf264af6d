/* The Dockerfile instruction splitter: physical lines into instructions (continuations,
 * comments, parser directives, heredocs, flags, exec form), keeping for every byte of an
 * instruction's arguments the offset it came from in the file, so that spans found later
 * (a requirement inside a RUN) point at the exact bytes a fixer must edit. */
#ifndef DEPAUDIT_IMAGE_DOCKERFILE_H
#define DEPAUDIT_IMAGE_DOCKERFILE_H

#include "depaudit/util.h"

#include <stdbool.h>
#include <stddef.h>

/* Text cut out of the file with the file offset of each of its bytes (map[len] is the
 * offset just after the last byte). */
typedef struct df_text {
    char *s;
    size_t len;
    size_t *map;
} df_text;

typedef struct df_heredoc {
    char *delim;
    bool strip_tabs; /* <<-EOF */
    bool quoted;     /* <<"EOF": no expansion in the body */
    df_text body;    /* lines between the instruction and the delimiter line, with '\n' */
    int line;        /* line of the first body line */
    int end_line;    /* line of the delimiter */
    size_t end;      /* file offset just after the delimiter line */
} df_heredoc;

typedef struct df_flag {
    char *name;  /* "from", "mount", "platform" (without dashes) */
    char *value; /* NULL for a bare --link */
} df_flag;

typedef struct df_instruction {
    char keyword[16]; /* upper case: "RUN" */
    int line;         /* line of the keyword */
    int end_line;     /* last line, heredocs included */
    size_t start;     /* offset of the keyword */
    df_flag *flags;
    size_t nflags;
    df_text args; /* after the keyword and flags, continuations removed */
    bool json;    /* exec form: argv holds the JSON array */
    da_strlist argv;
    df_heredoc *heredocs;
    size_t nheredocs;
} df_instruction;

typedef struct df_file {
    char *path;
    const char *data; /* not owned */
    size_t len;
    char escape; /* '\\' or '`' */
    df_instruction *ins;
    size_t nins;
    size_t *line_starts; /* offset of each line, 0-based index = line - 1 */
    size_t nlines;
} df_file;

/* Splits data (len bytes, the content of path). Returns 0, or -1 with err at the line of
 * an unknown instruction, an unterminated heredoc or a malformed flag. */
int df_parse(const char *path, const char *data, size_t len, df_file *out, da_error *err);
void df_free(df_file *f);
/* 1-based line and column of a file offset. */
int df_line_of(const df_file *f, size_t off);
int df_col_of(const df_file *f, size_t off);
const char *df_flag_value(const df_instruction *in, const char *name);
bool df_has_flag(const df_instruction *in, const char *name);

void df_text_free(df_text *t);
void df_text_append(df_text *t, const char *s, size_t n, size_t first_off, bool contiguous);

#endif
