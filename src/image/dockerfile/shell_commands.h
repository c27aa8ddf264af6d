/* A RUN body (or RUN heredoc script, or the script of a `sh -c`) parsed with tree-sitter-bash
 * into the simple commands it runs, in order, each word formed the way sh forms it: quotes
 * removed, variables from ARG/ENV and earlier assignments in the same script expanded,
 * unquoted expansions split into fields, globs left as written (nothing in the image is
 * known to match them), every redirection taken out of the arguments (only the first word
 * after `>`, `<`, `2>`, ... is its target; the words after it are still arguments), and
 * every word located by file offsets. `sh -c`/`bash -c`/`su -c` bodies are parsed as shell
 * in their turn; `if`/`case` on known values take only their branch. */
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

/* A redirection of a command: `>=1.0` in `pip install pkg>=1.0` is one (to a file named
 * "=1.0"), which is why the shell's reading matters. */
typedef struct sh_redirect {
    char op[4];     /* ">", ">>", "<", ">&", "<&", "&>", "&>>", ">|", "<>", "<<<" */
    int fd;         /* the descriptor written before it (`2>`), -1 if none */
    sh_word target; /* the first word after the operator */
    size_t start;   /* file offset of the redirection (its descriptor or operator) */
    size_t end;     /* file offset just after its target */
    /* No blank before it: it continues the word before it (`pkg>=1`) or a redirection
     * that does (`pkg>1,<2`); word is the index in words of that word, else (size_t)-1. */
    bool glued;
    size_t word;
} sh_redirect;

typedef struct sh_command {
    sh_word *words;
    size_t nwords;
    sh_redirect *redirects;
    size_t nredirects;
    da_strlist assigns; /* "NAME=value" prefixes (`PIP_NO_DEPS=1 pip install x`) */
    da_strlist locals;  /* "NAME=value" set earlier in the script (export, A=b), latest last */
    size_t start;       /* file offset of the command */
    bool conditional;   /* inside if/case/loop/function, or after || */
    const char *why_conditional; /* "if", "||", ... (static) */
    /* Its failure makes the RUN fail: it is the last command of the script (or joined to
     * it by &&), or `set -e` applies to it. Otherwise sh goes on after a failure. */
    bool status_checked;
    const char *shell_c; /* "sh -c", "bash -c", "su -c" when it comes from such a body */
    char shell_c_quote;  /* how that body is quoted in the file: '"', '\'' or 0 */
    da_strlist unset;    /* variables its words use that are not set (they expand to "") */
    /* The subshell it runs in (( ), a pipeline element, a `sh -c` body), 0 for the script
     * itself: what a command changes there (cd, an activated virtualenv) stays there.
     * sh_script.scope_parent[scope] is the one it was started from. */
    size_t scope;
    /* The command whose output this one reads through a pipe (`a | b`), (size_t)-1 if none:
     * an index into sh_script.cmds. */
    size_t pipe_from;
} sh_command;

/* What the walk decided on its own, to be said in the plan: the branch an `if` or `case`
 * on known values takes. */
typedef struct sh_note {
    size_t at; /* file offset */
    char *message;
} sh_note;

typedef struct sh_script {
    sh_command *cmds;
    size_t ncmds;
    sh_note *notes;
    size_t nnotes;
    size_t *scope_parent; /* for each scope (0 included, its own parent) */
    size_t nscopes;
    bool has_error;  /* tree-sitter found a syntax error */
    size_t error_at; /* file offset of the first error node */
} sh_script;

/* How the shell is started (SHELL ["/bin/bash", "-eo", "pipefail", "-c"]). */
typedef struct sh_options {
    bool errexit;  /* -e */
    bool pipefail; /* -o pipefail */
} sh_options;

/* Parses script (text + offset map). env gives variables known before the script runs;
 * assignments inside the script extend it for the commands after them. o may be NULL. */
void sh_parse(const df_text *script, const ex_env *env, const sh_options *o, sh_script *out);
void sh_script_free(sh_script *s);
/* The shell options a SHELL argv (without its script) sets: -e, -o pipefail, ... */
void sh_options_from_argv(const char *const *argv, size_t n, sh_options *o);

#endif
