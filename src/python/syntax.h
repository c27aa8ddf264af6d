/* What the python stage needs from tree-sitter-python's trees: the node types and fields
 * it looks at, and the source text behind a node. Internal to src/python. */
#ifndef DEPAUDIT_PYTHON_SYNTAX_H
#define DEPAUDIT_PYTHON_SYNTAX_H

#include <stdbool.h>
#include <stddef.h>
#include <tree_sitter/api.h>

/* tree-sitter's symbol for ERROR nodes (ts_builtin_sym_error, not in the public API). */
#define PY_ERROR_SYMBOL ((TSSymbol)-1)

/* The node types we look at, indices into da_py_syms. */
enum py_symbol {
    S_IMPORT,
    S_IMPORT_FROM,
    S_FUTURE,
    S_DOTTED,
    S_ALIASED,
    S_RELATIVE,
    S_PREFIX,
    S_WILDCARD,
    S_TRY,
    S_EXCEPT,
    S_EXCEPT_GROUP,
    S_IF,
    S_ELIF,
    S_ELSE,
    S_FUNCTION,
    S_CLASS,
    S_LAMBDA,
    S_CALL,
    S_STRING,
    S_IDENTIFIER,
    S_ATTRIBUTE,
    S_STRING_CONTENT,
    S_KEYWORD_ARGUMENT,
    S_NOT,
    S_PARENS,
    S_COMMENT,
    S_PRINT,
    S_EXEC,
    S_COUNT
};

extern TSSymbol da_py_syms[S_COUNT];
extern TSFieldId da_py_f_name, da_py_f_module_name, da_py_f_body, da_py_f_condition,
    da_py_f_consequence, da_py_f_alternative, da_py_f_value, da_py_f_function, da_py_f_arguments,
    da_py_f_alias, da_py_f_argument, da_py_f_object, da_py_f_attribute;

/* Looks the ids up in the grammar; call before using them (cheap after the first time,
 * safe from any thread). */
void da_py_syntax_init(void);

static inline bool py_is(TSNode n, enum py_symbol s)
{
    return ts_node_symbol(n) == da_py_syms[s];
}

/* The text being parsed: node byte offsets index into it. */
typedef struct py_source {
    const char *text;
    size_t len;
} py_source;

/* A node's bytes (clamped to the text), not NUL-terminated. */
const char *da_py_node_text(const py_source *v, TSNode n, size_t *len);
bool da_py_text_equals(const py_source *v, TSNode n, const char *s);
/* Source text with every run of whitespace and line continuations made one space. */
char *da_py_collapsed_text(const py_source *v, TSNode n);
/* "a . b" (a dotted_name, comments and line breaks allowed between parts) -> "a.b". */
char *da_py_dotted_text(const py_source *v, TSNode n);

/* --- guards.c --- */
/* Whether an except / except* clause catches ImportError (or something wider: its
 * subclass ModuleNotFoundError, Exception, BaseException, or a bare except). */
bool da_py_is_handler(TSNode n);
bool da_py_handler_catches_import_error(const py_source *v, TSNode handler);

typedef enum py_cond_kind {
    PY_COND_OTHER,
    PY_COND_TYPE_CHECKING,     /* TYPE_CHECKING / typing.TYPE_CHECKING */
    PY_COND_NOT_TYPE_CHECKING, /* not TYPE_CHECKING */
    PY_COND_VERSION,           /* mentions sys.version_info and friends */
    PY_COND_PLATFORM,          /* mentions sys.platform, os.name, platform.system() ... */
    PY_COND_MAIN,              /* __name__ == "__main__" */
} py_cond_kind;

py_cond_kind da_py_classify_condition(const py_source *v, TSNode cond);

#endif
