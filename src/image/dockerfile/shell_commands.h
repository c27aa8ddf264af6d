/* A RUN body (or RUN heredoc script) parsed with tree-sitter-bash into the simple commands
 * it runs, in order, each word evaluated the way the shell would (quotes removed,
 * variables from ARG/ENV and earlier assignments in the same script expanded) and located
 * by file offsets. */
#ifndef DEPAUDIT_IMAGE_SHELL_COMMANDS_H
#define DEPAUDIT_IMAGE_SHELL_COMMANDS_H

#include "image/dockerfile/dockerfile.h"
#include "image/dockerfile/expand.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct sh_word {
    char *value;       /* after quote removal and expansion */
    size_t start, end; /* file offsets; inside the quotes when the word is one quoted string */
    char quote;        /* '"', '\'' or 0: how the word is quoted as a whole */
    bool expanded;     /* a variable was expanded in it */
    bool unknown;      /* holds what cannot be evaluated ($(...), unset variable) */
} sh_word;

typedef struct sh_command {
    sh_word *words;
    size_t nwords;
    da_strlist assigns; /* "NAME=value" prefixes (`PIP_NO_DEPS=1 pip install x`) */
    da_strlist locals;  /* "NAME=value" set earlier in the script (export, A=b), latest last */
    size_t start;       /* file offset of the command */
    bool conditional;   /* inside if/case/loop/function, or after || */
    const char *why_conditional; /* "if", "||", ... (static) */
} sh_command;

typedef struct sh_script {
    sh_command *cmds;
    size_t ncmds;
    bool has_error;  /* tree-sitter found a syntax error */
    size_t error_at; /* file offset of the first error node */
} sh_script;

/* Parses script (text + offset map). env gives variables known before the script runs;
 * assignments inside the script extend it for the commands after them. */
void sh_parse(const df_text *script, const ex_env *env, sh_script *out);
void sh_script_free(sh_script *s);

#endif
