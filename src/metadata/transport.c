/* The transport-neutral half of an HTTP request: allocation and reset. */
#include "metadata/transport.h"

#include <stdlib.h>

da_http_request *da_http_request_new(const char *url)
{
    da_http_request *r = da_xcalloc(1, sizeof(*r));
    r->url = da_xstrdup(url);
    r->range_first = -1;
    r->range_last = -1;
    r->range_start = -1;
    r->range_end = -1;
    r->total_size = -1;
    return r;
}

void da_http_request_clear_response(da_http_request *r)
{
    r->status = 0;
    da_buf_free(&r->body);
    free(r->etag);
    free(r->last_modified);
    free(r->cache_control);
    free(r->content_type);
    free(r->effective_url);
    free(r->retry_after);
    r->etag = r->last_modified = r->cache_control = r->content_type = NULL;
    r->effective_url = r->retry_after = NULL;
    r->range_start = -1;
    r->range_end = -1;
    r->total_size = -1;
    r->http_version = 0;
}

void da_http_request_free(da_http_request *r)
{
    if (!r)
        return;
    da_http_request_clear_response(r);
    free(r->url);
    free(r->if_none_match);
    free(r->if_modified_since);
    free(r->error);
    free(r);
}
