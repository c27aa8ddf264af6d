/* Metadata sources, layered: the embedded snapshot, the disk cache, a package index over
 * HTTP(S) (PEP 691 JSON or PEP 503 HTML pages, PEP 658 .metadata files, and the wheel's
 * zip central directory read with HTTP range requests), and installed site-packages.
 * Every answer carries its source and origin (dist.h). The layered source is used through
 * the da_provider vtable (provider.h); the page parsers and the site-packages reader are
 * public too, for tests, fuzzing and `depaudit metadata`. */
#ifndef DEPAUDIT_METADATA_H
#define DEPAUDIT_METADATA_H

#include "depaudit/dist.h"
#include "depaudit/provider.h"
#include "depaudit/target.h"
#include "depaudit/util.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- options --------------------------------------------------------------------------- */

/* The public index's simple API. Its host is the vendor name of the PEP 691 media type
 * (application/vnd.<vendor>.simple.v1+json) under .org, built here from that one name so
 * the media type and the default index cannot drift apart. */
#define DA_SIMPLE_VENDOR "pypi"
#define DA_SIMPLE_JSON_TYPE "application/vnd." DA_SIMPLE_VENDOR ".simple.v1+json"
#define DA_DEFAULT_INDEX_URL "https://" DA_SIMPLE_VENDOR ".org/simple/"

typedef struct da_metadata_options {
    char *index_url;             /* ".../simple/"; NULL: no index (da_metadata_options_from_env
                                    chooses one the way pip does) */
    da_strlist extra_index_urls; /* searched after index_url */
    bool index_is_default;       /* index_url is DA_DEFAULT_INDEX_URL, configured by nobody:
                                    when it cannot be reached the run goes on offline */
    char *index_from;            /* where index_url came from ("--index-url", "PIP_INDEX_URL",
                                    a pip.conf path, "the default"); NULL: not said */
    da_strlist config_warnings;  /* unreadable configuration lines, shown as warnings */
    char *cache_dir;             /* NULL: $XDG_CACHE_HOME/depaudit or ~/.cache/depaudit */
    bool no_cache;               /* neither read nor write the disk cache */
    bool offline;                /* snapshot, cache and site-packages only */
    bool refresh;                /* revalidate every cached page, whatever its age */
    bool use_snapshot;           /* the embedded snapshot as first source (default true) */
    char *cert;                  /* CA bundle for a private index (TLS is always verified) */
    int concurrency;             /* transfers in flight at once (default 16) */
    /* The network budget. An index that never answers fails in seconds: a connection not
     * made in connect_timeout_ms, or a transfer with no byte for timeout_ms, is tried once
     * more and then its host is given up for the rest of the run. */
    long connect_timeout_ms;   /* default 5000; 0: libcurl's own (300 s) */
    long timeout_ms;           /* per request: no byte for this long fails the attempt
                                  (default 10000; a slow but moving download is not cut) */
    int retries;               /* extra attempts after a retryable failure (default 2;
                                  timeouts are repeated at most once) */
    long budget_ms;            /* all transfers of one da_metadata together; when used up,
                                  running ones stop and later ones fail at once, saying so
                                  (default 60000; 0: no limit) */
    long backoff_ms;           /* first retry delay, doubled each time (default 250) */
    long retry_after_cap_s;    /* Retry-After honoured up to this (default 30) */
    long page_max_age_s;       /* freshness of a page without Cache-Control (600) */
    long tail_bytes;           /* first range read from a wheel's end (default 16384) */
    bool speculative_releases; /* prefetch_projects also fetches the newest release */
    da_target target;          /* chooses the wheel; default: the default Python */
    da_strlist site_packages;  /* installed environments to read */
} da_metadata_options;

/* Defaults as documented above; no environment is read here. */
void da_metadata_options_init(da_metadata_options *o);
/* Chooses the index the way pip does (index_config.c), keeping what the caller set (the
 * command line): index_url, else $PIP_INDEX_URL, $UV_DEFAULT_INDEX or $UV_INDEX_URL, else
 * index-url of pip's configuration files ($PIP_CONFIG_FILE, site, user, global; [install]
 * over [global]), else DA_DEFAULT_INDEX_URL; extra indexes from all of them; cert and
 * timeout from the files and $PIP_CERT / $PIP_TIMEOUT; no-index / $PIP_NO_INDEX leaves no
 * index at all. A PIP_CONFIG_FILE of /dev/null reads no file, as pip does. */
void da_metadata_options_from_env(da_metadata_options *o);
/* The same with the variables read through env (NULL: unset) and etc_dir standing for /etc
 * (the global pip.conf). For tests. */
void da_metadata_options_from_config(da_metadata_options *o, const char *(*env)(const char *),
                                     const char *etc_dir);
void da_metadata_options_free(da_metadata_options *o);

/* ---- the layered source ---------------------------------------------------------------- */

typedef struct da_metadata_stats {
    long requests;        /* HTTP requests sent, retries included */
    long retries;         /* of which repeats after a failure */
    long range_requests;  /* requests with a Range header */
    long whole_downloads; /* wheels fetched whole (server ignored Range) */
    long long bytes;      /* response body bytes received */
    long cache_hits;      /* answers from the disk cache without any request */
    long revalidated;     /* 304 Not Modified answers */
    long snapshot_hits;   /* answers from the snapshot */
} da_metadata_stats;

typedef struct da_metadata da_metadata;

/* Copies what it needs from o. Fails (-1, err) on an unusable index URL, an unusable
 * explicit cache_dir, or a corrupt snapshot. When the default cache location cannot be
 * created (read-only HOME), it runs without a cache and says so in the warnings. */
int da_metadata_open(const da_metadata_options *o, da_metadata **out, da_error *err);
void da_metadata_close(da_metadata *m);

/* The vtable over m; its destroy does nothing (close m after the provider's last use). */
da_provider da_metadata_provider(da_metadata *m);

/* What da_metadata_get_project and da_metadata_get_release return. A caller that must
 * tell "this does not exist" from "we could not find out" compares with these: only
 * DA_METADATA_ABSENT means the sources answered that there is no such thing. */
enum da_metadata_status {
    DA_METADATA_FOUND = 0,     /* *out holds the answer, owned by the caller */
    DA_METADATA_ABSENT = 1,    /* no such project (every index said 404/410 and no local
                                  source has it), or no such version on its page */
    DA_METADATA_FAILED = -1,   /* no answer, err says why and where: the index failed (5xx
                                  after retries, timeout, truncated body, redirect loop, TLS,
                                  401/403), sent something wrong (invalid page, a page for
                                  another project, hash mismatch, corrupt wheel), or the
                                  answer was needed offline and is not cached. Never "absent" */
    DA_METADATA_BAD_NAME = -2, /* the name is not a valid distribution name (PEP 508); nothing
                                  was fetched. A usage error of the caller's input */
};

/* The same calls as the provider, directly; they return a da_metadata_status. Never read
 * a failure as "no dependencies". */
int da_metadata_get_project(da_metadata *m, const char *name, da_project **out, da_error *err);
int da_metadata_get_release(da_metadata *m, const char *name, const char *version, da_release **out,
                            da_error *err);
/* Fetch many project pages at once (bounded concurrency); errors surface later. */
void da_metadata_prefetch_projects(da_metadata *m, const char *const *names, size_t n);
/* Fetch the metadata of many releases at once: .metadata files and wheel tails in
 * flight together. Errors surface in the later get_release. */
void da_metadata_prefetch_releases(da_metadata *m, const char *const *names,
                                   const char *const *versions, size_t n);

void da_metadata_get_stats(const da_metadata *m, da_metadata_stats *out);
/* The version pip would pick with no specifier: the newest non-pre-release with a
 * non-yanked file whose Requires-Python admits t (any version when no file says, e.g. a
 * snapshot's list). NULL when there is none. */
char *da_project_latest_version(const da_project *p, const da_target *t);
/* Things a user should know that did not stop the source (e.g. "disk cache disabled:
 * ..."). Owned by m. */
const da_strlist *da_metadata_warnings(const da_metadata *m);
/* With offline: one line per answer that was needed but missing ("requests==2.31.0:
 * not in the snapshot or the cache"). Owned by m. */
const da_strlist *da_metadata_missing(const da_metadata *m);
/* The index base URLs m asks, in order, redacted (da_url_redact): the form in which a
 * report may name them. Owned by m. */
const da_strlist *da_metadata_index_origins(const da_metadata *m);
/* Whether m will send requests: an index, not offline (asked for, or no network to reach
 * the default index). When false, what the snapshot and the cache lack is unknown. */
bool da_metadata_asks_index(const da_metadata *m);

/* ---- index pages ----------------------------------------------------------------------- */

/* A PEP 691 JSON project page. base_url resolves relative file URLs; origin names the page
 * in errors. Returns 0 and a project (source INDEX, origin = base_url) or -1 with err. */
int da_simple_json_parse(const char *body, size_t len, const char *base_url, const char *origin,
                         da_project **out, da_error *err);
/* A PEP 503 HTML project page, the same way. project_name names the result. */
int da_simple_html_parse(const char *body, size_t len, const char *base_url,
                         const char *project_name, const char *origin, da_project **out,
                         da_error *err);

/* `base` joined with a possibly relative `ref` (RFC 3986), without the fragment. */
char *da_url_resolve(const char *base, const char *ref);
/* s percent-encoded as one URL path segment: every byte but RFC 3986 unreserved ones. */
char *da_url_encode_segment(const char *s);

/* ---- installed environments ------------------------------------------------------------ */

/* Every distribution in a site-packages directory (*.dist-info with METADATA and RECORD,
 * *.egg-info directories or files with PKG-INFO, requires.txt, top_level.txt,
 * installed-files.txt), sorted by name. source SITE_PACKAGES, origin = the metadata dir.
 * Unreadable entries are skipped with a warning in `warnings` (may be NULL). Returns the
 * count, or -1 with err when dir cannot be read. *out is freed with da_releases_free. */
int da_site_packages_scan(const char *dir, da_release ***out, da_strlist *warnings, da_error *err);
void da_releases_free(da_release **r, size_t n);
/* The site-packages directories (purelib, platlib) of the interpreter at `python`, asked
 * with `python -I -S` and a fixed stdlib-only snippet: no site hooks, no .pth files, no
 * project code run. Appends existing directories to out. Returns 0 or -1 with err. */
int da_python_site_packages(const char *python, da_strlist *out, da_error *err);
/* The top-level importable names of a release (first component of modules and
 * namespaces, and top_level.txt for egg-info without a file list), sorted, unique. */
void da_release_top_levels(const da_release *r, da_strlist *out);

/* ---- JSON, for `depaudit metadata --format json` and the cache ------------------------- */

char *da_release_to_json(const da_release *r);
char *da_project_to_json(const da_project *p);

#endif
