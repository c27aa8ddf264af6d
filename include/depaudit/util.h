/* Shared plumbing for every stage: errors a user can act on, growable buffers and
 * arrays, reading files whole, credentials out of URLs. Nothing here knows about Python
 * or packaging; the packaging value types every stage shares are util's too, in dist.h
 * and target.h. */
#ifndef DEPAUDIT_UTIL_H
#define DEPAUDIT_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Process exit codes, shared by every subcommand and documented in README. */
enum da_exit {
    DA_EXIT_OK = 0,          /* no findings at or above the failing level */
    DA_EXIT_FINDINGS = 1,    /* findings at or above the failing level */
    DA_EXIT_USAGE = 2,       /* usage or input error */
    DA_EXIT_NO_METADATA = 3, /* metadata needed but unavailable */
};

/* An error with the place it is about. Functions that can fail take a `da_error *`
 * (which may be NULL) and return a negative value or NULL after filling it. */
typedef struct da_error {
    char file[512]; /* the input file the message is about, "" if none */
    int line;       /* 1-based, 0 if unknown */
    int col;        /* 1-based, 0 if unknown */
    char message[1024];
} da_error;

void da_error_clear(da_error *err);
/* Fills err (when non-NULL) and returns -1, so `return da_error_set(...)` reads well. */
int da_error_set(da_error *err, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* "FILE:LINE:COL: message" (omitting what is unknown) into out. */
void da_error_format(const da_error *err, char *out, size_t out_size);

/* Allocation that cannot fail: out of memory aborts with a message, because no stage
 * can do anything useful after it and checking every call hides real error paths. */
void *da_xmalloc(size_t n);
void *da_xcalloc(size_t count, size_t n);
void *da_xrealloc(void *p, size_t n);
char *da_xstrdup(const char *s);
char *da_xstrndup(const char *s, size_t n);
/* The n bytes at s without leading and trailing white space, as a new string. */
char *da_xstrndup_trimmed(const char *s, size_t n);
/* The part of a '/'-separated path after its last slash ("a/b.py" -> "b.py"); the whole path
 * when it has no slash or ends with one. Points into path. */
const char *da_path_base_name(const char *path);
char *da_xstrdup_or_null(const char *s); /* NULL stays NULL */
char *da_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow *items (of elem_size bytes each) so that it can hold at least `need` elements:
 * capacities go 8, 16, 32, ... so that n pushes cost O(n) copying. */
void da_grow(void **items, size_t *cap, size_t need, size_t elem_size);
/* Appends to an array with its own capacity field. */
#define DA_PUSH(arr, len, cap, value)                                                              \
    do {                                                                                           \
        da_grow((void **)&(arr), &(cap), (len) + 1, sizeof(*(arr)));                               \
        (arr)[(len)++] = (value);                                                                  \
    } while (0)
/* The capacity an array of `len` elements grown only by da_grow has at least (0, 8, 16,
 * 32, ...). */
size_t da_implied_cap(size_t len);
/* Appends to an array that carries a length but no capacity (the arrays of the public
 * structs): its capacity is implied by its length, so it is reallocated only when the
 * length reaches 8, 16, 32, ... Such an array must only grow through DA_APPEND, DA_PUSH or
 * da_grow, never be allocated to an exact size and then appended to. */
#define DA_APPEND(arr, len, value)                                                                 \
    do {                                                                                           \
        size_t cap_ = da_implied_cap(len);                                                         \
        da_grow((void **)&(arr), &cap_, (len) + 1, sizeof(*(arr)));                                \
        (arr)[(len)++] = (value);                                                                  \
    } while (0)

/* A growable NUL-terminated byte string. */
typedef struct da_buf {
    char *data; /* always NUL-terminated once anything was appended; may hold NULs */
    size_t len;
    size_t cap;
} da_buf;

void da_buf_append(da_buf *b, const void *data, size_t n);
void da_buf_puts(da_buf *b, const char *s);
void da_buf_putc(da_buf *b, char c);
void da_buf_printf(da_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void da_buf_vprintf(da_buf *b, const char *fmt, va_list ap);
/* Hands the string over to the caller (never NULL) and resets b. */
char *da_buf_take(da_buf *b);
void da_buf_free(da_buf *b);

/* A list of owned strings. */
typedef struct da_strlist {
    char **items;
    size_t len;
    size_t cap;
} da_strlist;

void da_strlist_push(da_strlist *l, const char *s);
void da_strlist_push_owned(da_strlist *l, char *s);
bool da_strlist_contains(const da_strlist *l, const char *s);
/* Appends a copy of every string of src to dst. */
void da_strlist_copy_into(da_strlist *dst, const da_strlist *src);
void da_strlist_free(da_strlist *l);

/* Reading files whole. Only regular files are read: a directory, device, FIFO or socket
 * is refused without being opened for reading (so `--config /dev/zero` or a FIFO never
 * make a read last forever), and so is a file larger than the limit. Errors name the
 * file and the reason, e.g. "larger than 16 MiB (20000000 bytes): not read". */
#define DA_READ_FILE_MAX ((size_t)256 << 20) /* any file depaudit reads whole */
#define DA_TEXT_FILE_MAX                                                                           \
    ((size_t)16 << 20) /* a repository's text file: a Dockerfile, a                                \
                          requirements, TOML or lock file, a config */
#define DA_SOURCE_FILE_MAX                                                                         \
    ((size_t)8 << 20) /* a Python source or notebook: parsing one                                  \
                         takes about 40 times its size in memory */
/* Reads a whole file of at most DA_READ_FILE_MAX bytes. Returns 0, or -1 with err naming
 * the file and the reason. */
int da_read_file(const char *path, char **data, size_t *len, da_error *err);
/* The one rule for a repository's files: path (relative to the current directory, links
 * followed) must resolve inside the directory root (the build context, a source root),
 * itself resolved; a link leading out of it is refused ("leads outside ROOT (to TARGET,
 * through a symbolic link): not read"), and so is anything but a regular file of at most
 * max bytes (0: DA_READ_FILE_MAX). root NULL: anywhere. */
int da_read_file_under(const char *root, const char *path, size_t max, char **data, size_t *len,
                       da_error *err);
/* Whether the absolute, resolved path is dir or inside it (both without "." or ".."). */
bool da_path_within(const char *path, const char *dir);
/* "a directory", "a FIFO", "a character device", ... for a st_mode. */
const char *da_file_kind(unsigned mode);
/* A size as a person reads it: "16 MiB", "512 KiB", "1000 bytes". */
void da_size_text(size_t n, char *out, size_t out_size);

/* What happens to the credentials ("user:password@") of a URL's authority. */
typedef enum da_url_credentials {
    DA_URL_REDACT = 0, /* replaced by "***@": every URL a message shows */
    DA_URL_STRIP,      /* dropped: what is stored (the disk cache, cache keys) */
} da_url_credentials;
/* The URL without its credentials, in a new string; NULL gives "(none)". The one place
 * that knows where credentials sit in a URL: route every URL that is printed or stored
 * through it. */
char *da_url_hide_credentials(const char *url, da_url_credentials how);
/* Text that came from the input (file names, requirement text, messages quoting either)
 * made safe to print: valid UTF-8 is kept, every other byte and every control character
 * but tab is written as \xNN, so a file name cannot drive the terminal (ESC sequences),
 * forge a line of a report, or make the output invalid UTF-8. newline: what a '\n'
 * becomes: NULL for "\x0a", else that text ("\n" keeps it; the text report's "\n    "
 * indents what follows, which no finding line starts with). */
void da_text_put_safe(da_buf *out, const char *s, const char *newline);
/* da_text_put_safe(NULL newline) into a new string (caller frees). */
char *da_text_safe(const char *s);
/* Free text (a message, a whole report) with the credentials of every URL in it
 * ("scheme://user:password@host", "https://TOKEN@host") replaced by "***", appended to
 * out: the last line of defence where output leaves the process, for URLs a message
 * quoted from a requirement, a Dockerfile or a lock file. */
void da_text_hide_credentials(const char *text, size_t len, da_buf *out);
/* Length of "scheme:" (RFC 3986) at the start of s, 0 if s has no scheme. */
size_t da_url_scheme_len(const char *s);

bool da_str_starts_with(const char *s, const char *prefix);
bool da_str_ends_with(const char *s, const char *suffix);

#endif
