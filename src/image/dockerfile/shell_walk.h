/* The walker over a tree-sitter-bash tree shared by the parts of the shell reader: words
 * (shell_words.c), conditions (shell_test.c), redirections and commands
 * (shell_commands.c), compound statements (shell_compound.c). Internal to dockerfile/. */
#ifndef DEPAUDIT_IMAGE_SHELL_WALK_H
#define DEPAUDIT_IMAGE_SHELL_WALK_H

#include "depaudit/grammars.h"
#include "image/dockerfile/shell_commands.h"

/* Where a node runs: why it may not run, whether its failure fails the whole script
 * (it is in tail position) and whether `set -e` applies to it there. */
typedef struct sh_ctx {
    const char *why;
    const char *shell_c;
    char shell_c_quote;
    bool tail;
    bool errexit_ok;
} sh_ctx;

/* The positional parameters ($1 $@ $# ...): the lists they may hold (one when known), or
 * unknown. why says what made several possible ("if", "case", "||"). */
typedef struct sh_params {
    da_strlist *alts;
    size_t nalts;
    bool unknown;
    const char *why;
    da_strlist unset; /* variables not set where they were formed: they gave no word */
} sh_params;

typedef struct walker {
    const df_text *script; /* the text being walked: the RUN body, or a `sh -c` body */
    const ex_env *outer;
    da_strlist locals;         /* "NAME=value" set by the script itself, latest last */
    da_strlist unknown_locals; /* names whose latest value is unknown ($(...)) */
    ex_env env;                /* locals first, then outer */
    sh_script *out;
    size_t cap;
    bool unknown;    /* set while evaluating a word that used an unset variable */
    da_strlist used; /* while evaluating a condition: "NAME=value" of what it read */
    bool collect_used;
    da_strlist body_used; /* what the text of the `sh -c` body being walked read */
    da_strlist *unset;    /* while forming a command: where unset variables are noted */
    int depth;            /* recursion depth of walk / eval */
    int nesting;          /* `sh -c` inside `sh -c` ... */
    bool errexit, pipefail;
    long steps;        /* commands emitted (loops unrolled included), capped */
    size_t scope;      /* the subshell being walked (sh_command.scope) */
    size_t last_cmd;   /* the last command emitted, (size_t)-1 if none */
    uint32_t last_end; /* where its last element ends in the text */
    size_t last_word;  /* the word a glued chain at its end starts at */
    TSParser *parser;  /* for `sh -c` bodies */
    sh_params params;  /* the positional parameters here */
    size_t params_alt; /* which of their lists words are being formed with */
    bool params_used;  /* a word formed since this was cleared read them */
} walker;

/* Deeper than this (subshells in subshells...), the rest of a tree is not walked: no real
 * RUN body nests so deep, and the walk must not exhaust the stack. */
enum { SH_MAX_DEPTH = 256, SH_MAX_NESTING = 8, SH_MAX_STEPS = 100000 };

bool sh_is_type(TSNode n, const char *t);
const char *sh_node_text(const walker *w, TSNode n, size_t *len);
/* The file offset of a position in the text being walked. */
size_t sh_offset(const walker *w, uint32_t pos);

/* shell_words.c: the fields a word node expands to (none for an unquoted expansion that
 * is empty), appended to *words; the node as one word without field splitting; its value
 * alone; its value with the file offset of each byte (a `sh -c` body). */
void sh_fields(walker *w, TSNode n, sh_word **words, size_t *nwords, size_t *cap);
sh_word sh_single(walker *w, TSNode n);
char *sh_string(walker *w, TSNode n, bool *unknown);
void sh_mapped(walker *w, TSNode n, df_text *out);
void sh_word_free(sh_word *word);

/* shell_test.c: whether a condition holds with the values known: 1, 0, or -1 when it
 * cannot be told (a file test, a command's status, an unknown value). */
int sh_eval_condition(walker *w, TSNode n);
/* `test`/`[` as a command's words (after the command name). */
int sh_eval_test_words(const sh_word *words, size_t n, bool brackets);
/* Whether a case pattern matches: 1, 0, or -1. */
int sh_case_match(walker *w, TSNode pattern, const char *value);

/* shell_commands.c */
void sh_walk(walker *w, TSNode n, sh_ctx ctx);
/* A statement list (a script, { }, ( ), do ... done, a branch): each statement in turn,
 * the last in the list's tail position. */
void sh_walk_sequence(walker *w, TSNode n, sh_ctx ctx, uint32_t from, uint32_t to);
void sh_set_local(walker *w, const char *name, const char *value, bool unknown);
void sh_assignment(walker *w, TSNode a, char **name, char **value, bool *unknown);
void sh_note_add(walker *w, TSNode at, char *message);
/* Parses text (mapped to the file) as a script of its own, walked with ctx: a `sh -c` body. */
void sh_walk_text(walker *w, const df_text *text, sh_ctx ctx);

/* Enters a new subshell of the current one; leaving restores the one returned. */
size_t sh_enter_subshell(walker *w);
void sh_leave_subshell(walker *w, size_t saved);

/* shell_emit.c: a simple command node (with the redirections tree-sitter hung on it from
 * outside), or such redirections added to the last command emitted. */
void sh_emit(walker *w, TSNode n, sh_ctx ctx, const TSNode *extra, size_t nextra);
void sh_attach_redirects(walker *w, size_t cmd, const TSNode *extra, size_t nextra);
void sh_command_free(sh_command *c);

/* shell_c.c: when command cmd runs a shell on a script (`sh -c BODY`, `bash -ec BODY`,
 * `su -c BODY user`, through sudo/env/...), BODY walked as a script; nodes[i] is the node
 * word i came from. */
void sh_shell_c(walker *w, size_t cmd, const TSNode *nodes, size_t nnodes, sh_ctx ctx);

/* shell_params.c: the positional parameters. */
void sh_params_init(sh_params *p); /* none: $# is 0 */
void sh_params_free(sh_params *p);
void sh_params_copy(sh_params *dst, const sh_params *src);
void sh_params_set_unknown(sh_params *p);
void sh_params_add_unset(sh_params *p, const da_strlist *names);
bool sh_params_equal(const sh_params *a, const sh_params *b);
/* Adds other's lists to acc's (paths that join: the branches of an `if`). */
void sh_params_union(sh_params *acc, const sh_params *other, const char *why);
/* When c is `set ... -- words` (or `set words`): true, and the one list it sets (or
 * unknown) in *alt_out. When c is `shift [n]`: true, with *alt_out unknown when n is not
 * a known count. Otherwise false. */
bool sh_params_command(const sh_command *c, sh_params *alt_out);
void sh_params_shift(da_strlist *l, size_t n);
/* The length of a positional/special parameter name at t ("@", "*", "#", digits), or 0. */
size_t sh_param_name_len(const char *t, size_t len);
/* Its value in the list being formed with (joined by spaces for @ and *); false when it
 * is not known. Marks the parameters as read. */
bool sh_param_value(walker *w, const char *name, size_t nl, char **value);
/* The list being formed with, NULL when unknown. */
const da_strlist *sh_param_list(const walker *w);

/* shell_compound.c: if, case, for, while, functions. */
bool sh_walk_compound(walker *w, TSNode n, sh_ctx ctx);

#endif
