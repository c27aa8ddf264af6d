/* Many HTTP GETs at once through the curl multi interface: bounded concurrency, retries
 * with backoff (connection errors, 429 with Retry-After, 5xx), timeouts, truncated-body
 * detection, redirects, conditional requests and byte ranges. Credentials in URLs and
 * ~/.netrc are used by curl and never printed (every message redacts the URL). */
#ifndef DEPAUDIT_METADATA_HTTP_FETCH_H
#define DEPAUDIT_METADATA_HTTP_FETCH_H

#include "depaudit/metadata.h"
#include "depaudit/util.h"

#include <stdbool.h>

typedef struct da_http_request {
    /* in */
    char *url;
    const char *accept;    /* NULL: curl's default */
    long long range_first; /* -1: no Range; else first byte */
    long long range_last;  /* inclusive last byte, -1: to the end */
    long long suffix_len;  /* > 0: "bytes=-suffix_len" (overrides range_first) */
    char *if_none_match;   /* conditional request headers, NULL if none */
    char *if_modified_since;
    /* out */
    long status; /* final HTTP status, 0 if no response */
    da_buf body;
    char *etag, *last_modified, *cache_control, *content_type, *effective_url;
    long long range_start; /* from Content-Range (206), else 0 */
    long long total_size;  /* from Content-Range's "/N", else body length on 200 */
    char *error;           /* the reason (no URL) when it failed after all retries */
    int attempts;
    long http_version; /* of the last attempt: 10, 11, 20, 30 (0 if no response) */
    long connects;     /* new connections opened, summed over attempts (0: all reused) */
    /* bookkeeping of the fetcher */
    long long not_before_ms;
    struct curl_slist *headers;
    char *retry_after;
    char curl_detail[256]; /* curl's CURLOPT_ERRORBUFFER (CURL_ERROR_SIZE) */
    void *user;            /* the caller's */
} da_http_request;

typedef struct da_http da_http;

/* Fails when o->cert names a file that cannot be read (curl would only say so per
 * transfer, with a vaguer message). */
da_http *da_http_new(const da_metadata_options *o, da_metadata_stats *stats, da_error *err);
void da_http_free(da_http *h);

/* Runs every request to completion (success, or error set). Requests may be reused only
 * after da_http_request_reset. */
void da_http_run(da_http *h, da_http_request **reqs, size_t n);

/* A fresh request for url (copied). */
da_http_request *da_http_request_new(const char *url);
void da_http_request_free(da_http_request *r);

#endif
