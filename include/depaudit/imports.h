/* Python import extraction: from source roots (.py files and the code cells of .ipynb
 * notebooks) to one record per imported module, with the context the audit needs to
 * judge it (scope, guard, whether it is standard library, first-party or third-party).
 * A fast path (a tokenizer and recognizer of Python's grammar that reads each file once)
 * settles the files it can prove free of syntax errors; tree-sitter-python parses the rest
 * and is the reference the fast path is tested against, record for record. The tests hold
 * both to CPython's own `ast`. */
#ifndef DEPAUDIT_IMPORTS_H
#define DEPAUDIT_IMPORTS_H

#include "depaudit/target.h"
#include "depaudit/util.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum da_import_kind {
    DA_IMPORT_KIND_IMPORT,  /* import a.b.c [as x]: one record per dotted name */
    DA_IMPORT_KIND_FROM,    /* from a.b import c, d: one record per statement */
    DA_IMPORT_KIND_FUTURE,  /* from __future__ import ...: never a dependency */
    DA_IMPORT_KIND_DYNAMIC, /* importlib.import_module("x") / __import__("x") literal */
    DA_IMPORT_KIND_STRING,  /* a dotted path in a settings string a framework imports
                               (INSTALLED_APPS, MIDDLEWARE, CACHES BACKEND, ...): via names
                               the setting */
    DA_IMPORT_KIND_USAGE,   /* a module a feature the code uses needs (a usage fact,
                               usage_fact): alternatives share an alternative_group */
} da_import_kind;

typedef enum da_import_scope {
    DA_SCOPE_MODULE,   /* runs when the module is imported */
    DA_SCOPE_CLASS,    /* runs when the class body runs (also at import, usually) */
    DA_SCOPE_FUNCTION, /* runs only when the function is called */
} da_import_scope;

/* Why an import may legitimately be missing at run time. When guards nest, TYPE_CHECKING
 * wins (such imports never run); otherwise the innermost guard is recorded. */
typedef enum da_import_guard {
    DA_GUARD_NONE,
    DA_GUARD_IMPORT_ERROR,  /* try body whose handlers catch ImportError (or wider), or the
                               fallback import in such an except branch */
    DA_GUARD_TYPE_CHECKING, /* if TYPE_CHECKING: / if typing.TYPE_CHECKING: (not its else) */
    DA_GUARD_VERSION,       /* a branch of if sys.version_info ...; condition recorded */
    DA_GUARD_PLATFORM,      /* a branch of if sys.platform / os.name / platform.system() */
    DA_GUARD_MAIN,          /* if __name__ == "__main__": */
} da_import_guard;

typedef enum da_import_class {
    DA_CLASS_STDLIB,
    DA_CLASS_FIRST_PARTY,
    DA_CLASS_THIRD_PARTY,
    DA_CLASS_FUTURE,
    DA_CLASS_RELATIVE, /* level > 0: always first-party */
} da_import_class;

typedef struct da_import {
    char *root;       /* the root path as given to da_imports_scan */
    char *file;       /* relative to root ("pkg/mod.py"); the path itself for a file root */
    int cell;         /* 1-based code cell index in a notebook, 0 for a .py file */
    int line;         /* 1-based, of the statement (within the cell for notebooks) */
    int col;          /* 1-based, in UTF-8 bytes, of the statement */
    char *module;     /* dotted as written, without leading dots; "" for "from . import x" */
    int level;        /* number of leading dots, 0 for absolute */
    da_strlist names; /* imported names of a from-import ("*" for a star import) */
    da_import_kind kind;
    da_import_scope scope; /* function when any enclosing def or lambda, else class when
                              any enclosing class body, else module */
    da_import_guard guard;
    /* Source text of the guarding condition for version/platform guards, e.g.
     * "sys.version_info >= (3, 11)", or "not (sys.version_info >= (3, 11))" in its else
     * branch; for an elif, "not (A) and (B)" (past a few KB of earlier conditions in one
     * if/elif chain only the branch's own condition is kept, or "" for its else). NULL for
     * other guards, including main. */
    char *condition;
    /* Imports in the body of a guarding try share a nonzero id with the imports in its
     * except ImportError branches: they are alternatives, and the audit should complain
     * only when none of the group is importable. 0 when not part of such a try.
     * Ids are unique within a da_import_set. */
    int alternative_group;
    bool in_except; /* the record is in the except branch (the fallback) of that group */
    da_import_class klass;
    /* "# depaudit: ignore" or "# depaudit: ignore[CODE, ...]" on the statement's line:
     * ignored is true and ignore_codes lists the codes (empty means all codes). */
    bool ignored;
    da_strlist ignore_codes;
    /* STRING and USAGE records: the setting ("INSTALLED_APPS") or the fact's trigger that
     * named the module; NULL for the others. */
    char *via;
    /* USAGE records: the usage fact (a row of the compiled table); NULL for the others. */
    const struct da_usage_fact *usage_fact;
} da_import;

typedef struct da_import_error {
    char *root;
    char *file; /* relative to root, like da_import.file */
    int line;   /* 1-based, 0 when not about a line */
    char *message;
} da_import_error;

typedef struct da_import_set {
    da_import *items; /* sorted by root order, then file path, cell, line, col */
    size_t len, cap;
    size_t files;       /* files parsed (a notebook counts once) */
    size_t fast_parsed; /* texts (files, notebook cells) the fast path settled; the others
                           went to tree-sitter */
    /* Warnings: files that did not parse cleanly (line of the first error), could not be
     * read or decoded. Extraction carries on past them. */
    da_import_error *errors;
    size_t nerrors, errcap;
    size_t dynamic_unresolved; /* import_module(...) / __import__(...) without a literal */
    da_strlist first_party;    /* top-level first-party names found under the roots, sorted */
    int next_group;            /* internal: last alternative_group id handed out */
} da_import_set;

/* Which parser reads the files. */
typedef enum da_import_parser {
    DA_PARSER_AUTO, /* the fast path, and tree-sitter for what it cannot settle */
    DA_PARSER_FULL, /* tree-sitter for every file: the reference */
} da_import_parser;

/* Files larger than this are skipped with a warning naming them, unless
 * da_import_options.max_file_bytes says otherwise. */
#define DA_IMPORTS_DEFAULT_MAX_FILE_BYTES DA_SOURCE_FILE_MAX /* the read rule's limit */
/* Tree-sitter holds about 26 bytes per byte of source; a text larger than this that the fast
 * path (about 2 bytes per byte) cannot settle gets a warning instead, whatever the limit on
 * files, so one file never costs gigabytes. */
#define DA_IMPORTS_FULL_PATH_MAX_BYTES ((size_t)32 << 20)

typedef struct da_import_options {
    int py_major, py_minor;       /* the image's Python, for the stdlib table; 0,0: the default */
    da_strlist excludes;          /* fnmatch globs against the path relative to a root, and
                                     against each path component ("tests", "build/gen*") */
    da_strlist extra_first_party; /* more top-level names to treat as first-party, e.g. a
                                     root directory's own name when the image puts its
                                     parent on PYTHONPATH */
    int threads;                  /* worker threads; <= 0 means 2 */
    da_import_parser parser;
    size_t max_file_bytes; /* a larger source file is skipped with a warning; 0 means
                              DA_IMPORTS_DEFAULT_MAX_FILE_BYTES */
} da_import_options;

void da_import_options_init(da_import_options *o);
void da_import_options_free(da_import_options *o);

/* Walks each root (a directory or a single .py/.ipynb file), skipping .git, virtualenvs
 * (directories holding pyvenv.cfg), node_modules, __pycache__ and excluded paths, never
 * following a symlink loop nor reading a file twice. Fills out (which must be zeroed or
 * fresh) and classifies every record. Returns 0, or -1 with err when a root itself cannot
 * be read (problems with single files below a root become out->errors instead). */
int da_imports_scan(const char *const *roots, size_t nroots, const da_import_options *o,
                    da_import_set *out, da_error *err);

/* Streaming: what da_imports_scan_stream hands over as it goes. */
typedef struct da_import_sink {
    /* Once, after the roots are walked and before any file: summary holds the first-party
     * names and the warnings of the walk itself. May be NULL. */
    int (*begin)(const da_import_set *summary, void *ctx);
    /* Once per source file, in the order da_imports_scan would list them (root order, then
     * path): the file's records, classified, with alternative_group ids unique across the
     * scan (the same numbers da_imports_scan gives), and its warnings. The batch is freed
     * after the call. A nonzero return stops the scan, which then returns it. */
    int (*file)(const da_import_set *batch, void *ctx);
    void *ctx;
} da_import_sink;

/* da_imports_scan without holding the records: each file's batch goes to sink->file as soon
 * as the files before it are done, so memory stays bounded by the files in flight (a few
 * per thread), not by the tree. On return summary holds what da_imports_scan's set would
 * hold except the records: files, fast_parsed, errors (walk and files, in order),
 * dynamic_unresolved, first_party, next_group. Returns 0, -1 with err when a root cannot be
 * read, or the sink's nonzero return. summary must be zeroed or fresh. */
int da_imports_scan_stream(const char *const *roots, size_t nroots, const da_import_options *o,
                           const da_import_sink *sink, da_import_set *summary, da_error *err);

/* The JSON document of `depaudit imports --format json`, appended to w->out as it is
 * produced: begin, then each batch's records, then end. The caller writes w->out out and
 * empties it whenever it likes (the check stage does every 64 KiB). The same members as
 * da_imports_to_json, in the order a stream allows: {"first_party", "imports", "files",
 * "errors", "dynamic_unresolved"}; each record is the same object. */
typedef struct da_imports_json_writer {
    da_buf *out;
    size_t records; /* written so far */
} da_imports_json_writer;
void da_imports_json_begin(da_imports_json_writer *w, const da_import_set *summary);
void da_imports_json_records(da_imports_json_writer *w, const da_import_set *batch);
void da_imports_json_end(da_imports_json_writer *w, const da_import_set *summary);

/* Extracts the imports of one file held in memory (a notebook when path ends in .ipynb),
 * appending to out with root "" and file = path. Records are left DA_CLASS_THIRD_PARTY
 * (or future/relative) until da_imports_classify runs. Returns the number of records
 * added; never fails (undecodable or unparsable input becomes an out->errors entry). */
size_t da_imports_extract_buffer(const char *path, const char *src, size_t len, da_import_set *out);
/* The same with a chosen parser (the differential tests compare the two). */
size_t da_imports_extract_buffer_using(const char *path, const char *src, size_t len,
                                       da_import_parser parser, da_import_set *out);

/* (Re)computes every record's klass for a Python version and the set's first_party list
 * plus extra_first_party (may be NULL). The audit calls it again once it knows the
 * image's Python version. */
void da_imports_classify(da_import_set *s, int py_major, int py_minor,
                         const da_strlist *extra_first_party);

void da_import_set_free(da_import_set *s);

/* Whether a module (top-level "tomllib" or dotted "asyncio.taskgroups") is part of the
 * standard library of Python py_major.py_minor, 3.8 through 3.14 (outside that range the
 * nearest covered version answers). A dotted name is judged by its longest listed prefix. */
bool da_stdlib_contains(int py_major, int py_minor, const char *module);

/* The JSON document of `depaudit imports --format json` (caller frees):
 * {"files": N, "errors": [{"root","file","line","message"}], "dynamic_unresolved": N,
 *  "first_party": [...], "imports": [{"root","file","cell","line","col","module","level","names",
 *  "kind","scope","guard","condition","alternative_group","in_except","class","ignored",
 *  "ignore_codes"}]}; kind is import|from|future|dynamic, scope module|class|function,
 * guard none|import-error|type-checking|version|platform|main, class
 * stdlib|first-party|third-party|future|relative; "file" is relative to "root". */
char *da_imports_to_json(const da_import_set *s);

const char *da_import_kind_name(da_import_kind k);

/* ---- usage facts (corpus/usage/facts.tsv, compiled into usage_table.c) ---------------- */

typedef enum da_usage_kind {
    DA_USAGE_STRING, /* a string literal whose whole content is the trigger */
    DA_USAGE_PREFIX, /* a string literal starting with the trigger ("redis://") */
    DA_USAGE_NAME,   /* the identifier in code (not on an import line) */
    DA_USAGE_CALL,   /* the identifier followed by "(" */
    DA_USAGE_CODE,   /* the text outside strings and comments */
} da_usage_kind;

typedef enum da_usage_when {
    DA_USAGE_WHEN_SETTINGS, /* read when the settings module loads (service start-up) */
    DA_USAGE_WHEN_BOOT,     /* part of how the service starts (worker class, loop) */
    DA_USAGE_WHEN_IMPORT,   /* fails when the module holding the trigger is imported */
    DA_USAGE_WHEN_USE,      /* fails when the feature is first used */
    DA_USAGE_WHEN_OPTIONAL, /* the library falls back without it */
} da_usage_when;

#define DA_USAGE_MAX_ALTS 6

typedef struct da_usage_fact {
    const char *id;
    da_usage_kind kind;
    const char *trigger;
    const char *context;                    /* a word the file must contain, or NULL */
    const char *modules[DA_USAGE_MAX_ALTS]; /* any one of them suffices */
    const char *dists[DA_USAGE_MAX_ALTS];   /* per module: "psycopg2,psycopg2-binary" */
    int nalts;
    const char *extra; /* "pydantic[email]", or NULL */
    da_usage_when when;
    const char *source; /* the documentation page the fact comes from */
} da_usage_fact;

size_t da_usage_fact_count(void);
const da_usage_fact *da_usage_fact_at(size_t i); /* NULL past the end */

/* Appends the STRING and USAGE records of one UTF-8 source text (a file's root, path and
 * cell as for da_imports_extract_buffer). Files holding no trigger word are passed over
 * after one scan of their bytes. Returns the number of records added. */
size_t da_usage_scan_text(const char *root, const char *file, int cell, const char *text,
                          size_t len, da_import_set *out);
const char *da_import_scope_name(da_import_scope s);
const char *da_import_guard_name(da_import_guard g);
const char *da_import_class_name(da_import_class c);

#endif
