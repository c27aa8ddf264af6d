/* The seam between the metadata source and the network: a batch of HTTP GETs run to
 * completion by a transport. The default transport is libcurl (http_fetch.h); tests and
 * the whole-metadata fuzz target plug in their own, so every reader behind it (pages,
 * .metadata files, wheel ranges) sees exactly what a server could send.
 *
 * A transport fills the "out" fields of each request; it never interprets bodies. What a
 * response means (a page, a range of a wheel) and whether it is consistent (a Content-Range
 * that matches the body, a hash) is checked by the metadata source, never trusted. */
#ifndef DEPAUDIT_METADATA_TRANSPORT_H
#define DEPAUDIT_METADATA_TRANSPORT_H

#include "depaudit/metadata.h"
#include "depaudit/util.h"

#include <stddef.h>

typedef struct da_http_request {
    /* in */
    char *url;
    const char *accept;    /* NULL: the transport's default */
    long long range_first; /* -1: no Range; else first byte */
    long long range_last;  /* inclusive last byte, -1: to the end */
    long long suffix_len;  /* > 0: "bytes=-suffix_len" (overrides range_first) */
    char *if_none_match;   /* conditional request headers, NULL if none */
    char *if_modified_since;
    /* out: the final response (after redirects and retries) */
    long status; /* HTTP status, 0 if no response */
    da_buf body;
    char *etag, *last_modified, *cache_control, *content_type, *effective_url;
    char *retry_after;     /* the Retry-After header, for the transport's retries */
    long long range_start; /* Content-Range "bytes FIRST-LAST/TOTAL" as sent, -1 if absent */
    long long range_end;   /* LAST (inclusive), -1 if absent */
    long long total_size;  /* TOTAL from Content-Range (-1 if absent or "*"); on 200 the
                              body length */
    char *error;           /* the reason (no URL) when it failed after all retries */
    int attempts;
    long http_version; /* of the last attempt: 10, 11, 20, 30 (0 if no response) */
    long connects;     /* new connections opened, summed over attempts (0: all reused) */
    void *user;        /* the caller's */
} da_http_request;

/* A fresh request for url (copied). */
da_http_request *da_http_request_new(const char *url);
void da_http_request_free(da_http_request *r);
/* Forgets the response fields (not the error), as before a new attempt. */
void da_http_request_clear_response(da_http_request *r);

typedef struct da_transport {
    void *ctx;
    /* Runs every request to completion: a response, or `error` set. */
    void (*run)(void *ctx, da_http_request **reqs, size_t n);
    void (*destroy)(void *ctx);
} da_transport;

/* The layered source over a given transport instead of libcurl (which it owns from now
 * on, and destroys at close or when opening fails). Otherwise as da_metadata_open. */
int da_metadata_open_with_transport(const da_metadata_options *o, da_transport transport,
                                    da_metadata **out, da_error *err);

#endif
