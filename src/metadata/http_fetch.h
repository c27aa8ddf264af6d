/* The default transport: many HTTP GETs at once through the curl multi interface, with
 * bounded concurrency, retries with backoff (connection errors, 429 with Retry-After,
 * 5xx), a connect timeout, a stall timeout (no byte for timeout_ms), a total time budget,
 * truncated-body detection, redirects, conditional requests and byte ranges. A host that
 * could not be reached (connect failure or stall, after its retries) is not tried again
 * by the same da_http: later requests to it fail at once, saying why.
 * Credentials in URLs and ~/.netrc are used by curl and never printed (every message
 * redacts the URL). */
#ifndef DEPAUDIT_METADATA_HTTP_FETCH_H
#define DEPAUDIT_METADATA_HTTP_FETCH_H

#include "depaudit/metadata.h"
#include "depaudit/util.h"
#include "metadata/transport.h"

typedef struct da_http da_http;

/* Fails when o->cert names a file that cannot be read (curl would only say so per
 * transfer, with a vaguer message). stats (may be NULL) receives the request counters. */
da_http *da_http_new(const da_metadata_options *o, da_metadata_stats *stats, da_error *err);
void da_http_free(da_http *h);
/* Whether a connection (TLS included) to url's host can be made, within the connect
 * timeout, through the same proxy and CA settings as the transfers; no request is sent.
 * -1 with *reason (to free) when not. */
int da_http_probe(da_http *h, const char *url, char **reason);

/* Runs every request to completion (success, or error set). */
void da_http_run(da_http *h, da_http_request **reqs, size_t n);

/* h as a da_transport (its destroy frees h). */
da_transport da_http_transport(da_http *h);

#endif
