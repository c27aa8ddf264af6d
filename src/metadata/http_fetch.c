#include "metadata/http_fetch.h"

#include <curl/curl.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* A body larger than this is refused: no index page or wheel part we read comes close,
 * and a hostile server must not make us allocate without bound. */
#define MAX_BODY_BYTES (512LL * 1024 * 1024)

struct da_http {
    CURLM *multi;
    da_metadata_options opts; /* shallow: cert and numbers only */
    char *cert;
    char user_agent[64];
    da_metadata_stats *stats;
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

da_http *da_http_new(const da_metadata_options *o, da_metadata_stats *stats, da_error *err)
{
    static bool global_done = false;
    if (!global_done) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            da_error_set(err, NULL, 0, 0, "cannot initialise libcurl");
            return NULL;
        }
        global_done = true;
    }
    if (o->cert) {
        /* Checked here so a typo in --cert is one clear error, not one per transfer. */
        FILE *f = fopen(o->cert, "rb");
        if (!f) {
            da_error_set(err, o->cert, 0, 0, "cannot read the CA bundle given by --cert: %s",
                         strerror(errno));
            return NULL;
        }
        fclose(f);
    }
    da_http *h = da_xcalloc(1, sizeof(*h));
    h->multi = curl_multi_init();
    if (!h->multi) {
        free(h);
        da_error_set(err, NULL, 0, 0, "cannot initialise libcurl's multi interface");
        return NULL;
    }
    h->opts = *o;
    h->cert = o->cert ? da_xstrdup(o->cert) : NULL;
    h->stats = stats;
    snprintf(h->user_agent, sizeof(h->user_agent), "depaudit/%s", DEPAUDIT_VERSION);
    curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)o->concurrency);
    return h;
}

void da_http_free(da_http *h)
{
    if (!h)
        return;
    curl_multi_cleanup(h->multi);
    free(h->cert);
    free(h);
}

da_http_request *da_http_request_new(const char *url)
{
    da_http_request *r = da_xcalloc(1, sizeof(*r));
    r->url = da_xstrdup(url);
    r->range_first = -1;
    r->range_last = -1;
    return r;
}

static void clear_response(da_http_request *r)
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
    r->range_start = 0;
    r->total_size = -1;
    r->http_version = 0;
}

void da_http_request_free(da_http_request *r)
{
    if (!r)
        return;
    clear_response(r);
    free(r->url);
    free(r->if_none_match);
    free(r->if_modified_since);
    free(r->error);
    curl_slist_free_all(r->headers);
    free(r);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
    da_http_request *r = userp;
    size_t n = size * nmemb;
    if ((long long)(r->body.len + n) > MAX_BODY_BYTES)
        return 0; /* makes curl fail the transfer with CURLE_WRITE_ERROR */
    da_buf_append(&r->body, data, n);
    return n;
}

static char *header_value(const char *line, size_t len, const char *name)
{
    size_t nl = strlen(name);
    if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
        return NULL;
    const char *v = line + nl + 1;
    const char *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    return da_xstrndup(v, (size_t)(end - v));
}

static void set_header(char **slot, char *value)
{
    if (value) {
        free(*slot);
        *slot = value;
    }
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *userp)
{
    da_http_request *r = userp;
    size_t len = size * nmemb;
    if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        /* A new response (after a redirect or a 100): forget the previous one's headers. */
        char *keep_error = r->error;
        r->error = NULL;
        clear_response(r);
        r->error = keep_error;
        return len;
    }
    set_header(&r->etag, header_value(line, len, "ETag"));
    set_header(&r->last_modified, header_value(line, len, "Last-Modified"));
    set_header(&r->cache_control, header_value(line, len, "Cache-Control"));
    set_header(&r->content_type, header_value(line, len, "Content-Type"));
    set_header(&r->retry_after, header_value(line, len, "Retry-After"));
    char *range = header_value(line, len, "Content-Range");
    if (range) {
        long long first = 0, last = 0, total = 0;
        if (sscanf(range, "bytes %lld-%lld/%lld", &first, &last, &total) == 3) {
            r->range_start = first;
            r->total_size = total;
        }
        free(range);
    }
    return len;
}

static CURL *make_easy(da_http *h, da_http_request *r)
{
    CURL *e = curl_easy_init();
    if (!e)
        return NULL;
    curl_easy_setopt(e, CURLOPT_URL, r->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, r);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(e, CURLOPT_USERAGENT, h->user_agent);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(e, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (h->cert)
        curl_easy_setopt(e, CURLOPT_CAINFO, h->cert);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, h->opts.connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, h->opts.timeout_ms);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    r->curl_detail[0] = '\0';
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->curl_detail);
    curl_slist_free_all(r->headers);
    r->headers = NULL;
    if (r->accept) {
        char *a = da_xasprintf("Accept: %s", r->accept);
        r->headers = curl_slist_append(r->headers, a);
        free(a);
    }
    if (r->if_none_match) {
        char *a = da_xasprintf("If-None-Match: %s", r->if_none_match);
        r->headers = curl_slist_append(r->headers, a);
        free(a);
    }
    if (r->if_modified_since) {
        char *a = da_xasprintf("If-Modified-Since: %s", r->if_modified_since);
        r->headers = curl_slist_append(r->headers, a);
        free(a);
    }
    if (r->headers)
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);
    char range[64] = "";
    if (r->suffix_len > 0)
        snprintf(range, sizeof(range), "-%lld", r->suffix_len);
    else if (r->range_first >= 0 && r->range_last >= 0)
        snprintf(range, sizeof(range), "%lld-%lld", r->range_first, r->range_last);
    else if (r->range_first >= 0)
        snprintf(range, sizeof(range), "%lld-", r->range_first);
    if (range[0]) {
        curl_easy_setopt(e, CURLOPT_RANGE, range);
        h->stats->range_requests++;
    }
    return e;
}

static bool retryable_curl(CURLcode c)
{
    switch (c) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return true;
    default:
        return false;
    }
}

/* Delay before the next attempt: Retry-After (seconds, capped) for 429/503, otherwise
 * exponential backoff from backoff_ms. */
static long long retry_delay_ms(da_http *h, da_http_request *r)
{
    long long backoff = h->opts.backoff_ms;
    for (int i = 1; i < r->attempts && backoff < 60000; i++)
        backoff *= 2;
    if ((r->status == 429 || r->status == 503) && r->retry_after) {
        char *end = NULL;
        long secs = strtol(r->retry_after, &end, 10);
        if (end != r->retry_after && *end == '\0' && secs >= 0) {
            if (secs > h->opts.retry_after_cap_s)
                secs = h->opts.retry_after_cap_s;
            return (long long)secs * 1000;
        }
    }
    return backoff;
}

/* Classifies a finished transfer: returns true when it should be tried again. */
static bool finish_transfer(da_http *h, da_http_request *r, CURL *e, CURLcode code,
                            const char *curl_message)
{
    long status = 0;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    r->status = status;
    long version = 0, connects = 0;
    curl_easy_getinfo(e, CURLINFO_HTTP_VERSION, &version);
    curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &connects);
    r->http_version = version == CURL_HTTP_VERSION_1_0   ? 10
                      : version == CURL_HTTP_VERSION_1_1 ? 11
                      : version == CURL_HTTP_VERSION_2_0 ? 20
                      : version == CURL_HTTP_VERSION_3   ? 30
                                                         : 0;
    r->connects += connects;
    char *eff = NULL;
    curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &eff);
    free(r->effective_url);
    r->effective_url = da_xstrdup(eff ? eff : r->url);
    h->stats->bytes += (long long)r->body.len;
    free(r->error);
    r->error = NULL;
    bool again = false;
    if (code != CURLE_OK) {
        if (code == CURLE_PARTIAL_FILE) {
            curl_off_t expected = -1;
            curl_easy_getinfo(e, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expected);
            r->error = da_xasprintf("truncated body: received %zu of %lld bytes", r->body.len,
                                    (long long)expected);
        } else if (code == CURLE_OPERATION_TIMEDOUT) {
            r->error = da_xasprintf("timed out (%s)", curl_message);
        } else if (code == CURLE_PEER_FAILED_VERIFICATION) {
            /* Never retried, never cached: the answer came from a server we cannot trust. */
            r->error =
                da_xasprintf("the server's TLS certificate could not be verified (%s)%s",
                             r->curl_detail[0] ? r->curl_detail : curl_message,
                             h->cert ? "" : "; for an index with a private CA, pass --cert FILE");
        } else if (code == CURLE_SSL_CACERT_BADFILE) {
            r->error = da_xasprintf("the CA bundle could not be used (%s)",
                                    r->curl_detail[0] ? r->curl_detail : curl_message);
        } else if (code == CURLE_SSL_CONNECT_ERROR) {
            r->error = da_xasprintf("TLS handshake failed (%s)",
                                    r->curl_detail[0] ? r->curl_detail : curl_message);
        } else if (code == CURLE_TOO_MANY_REDIRECTS) {
            r->error = da_xstrdup("too many redirects (a redirect loop?)");
        } else {
            r->error = da_xstrdup(curl_message);
        }
        again = retryable_curl(code);
    } else if (status == 429 || status >= 500) {
        r->error = da_xasprintf("HTTP %ld%s", status,
                                status == 429 ? " Too Many Requests" : " server error");
        again = true;
    } else if (status == 200) {
        r->range_start = 0;
        r->total_size = (long long)r->body.len;
    }
    if (again && r->attempts <= h->opts.retries) {
        r->not_before_ms = now_ms() + retry_delay_ms(h, r);
        h->stats->retries++;
        return true;
    }
    if (again && r->error && r->attempts > 1) {
        char *more = da_xasprintf("%s (after %d attempts)", r->error, r->attempts);
        free(r->error);
        r->error = more;
    }
    return false;
}

void da_http_run(da_http *h, da_http_request **reqs, size_t n)
{
    /* pending: indices not yet started (or waiting for a retry), in order. */
    size_t *pending = da_xmalloc((n ? n : 1) * sizeof(*pending));
    size_t npending = 0;
    for (size_t i = 0; i < n; i++) {
        reqs[i]->attempts = 0;
        reqs[i]->connects = 0;
        reqs[i]->not_before_ms = 0;
        pending[npending++] = i;
    }
    int active = 0;
    int limit = h->opts.concurrency > 0 ? h->opts.concurrency : 16;
    while (npending > 0 || active > 0) {
        long long now = now_ms();
        long long next_due = -1;
        for (size_t k = 0; k < npending && active < limit;) {
            da_http_request *r = reqs[pending[k]];
            if (r->not_before_ms > now) {
                if (next_due < 0 || r->not_before_ms < next_due)
                    next_due = r->not_before_ms;
                k++;
                continue;
            }
            clear_response(r);
            free(r->error);
            r->error = NULL;
            CURL *e = make_easy(h, r);
            if (!e) {
                r->error = da_xstrdup("cannot create a curl handle");
            } else {
                r->attempts++;
                h->stats->requests++;
                curl_multi_add_handle(h->multi, e);
                active++;
            }
            memmove(&pending[k], &pending[k + 1], (npending - k - 1) * sizeof(*pending));
            npending--;
        }
        if (active == 0) {
            if (npending == 0)
                break;
            long long wait = next_due - now_ms();
            if (wait > 0) {
                struct timespec ts = {wait / 1000, (wait % 1000) * 1000000};
                nanosleep(&ts, NULL);
            }
            continue;
        }
        int running = 0;
        curl_multi_perform(h->multi, &running);
        int left = 0;
        CURLMsg *msg;
        while ((msg = curl_multi_info_read(h->multi, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            CURL *e = msg->easy_handle;
            CURLcode code = msg->data.result;
            da_http_request *r = NULL;
            curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&r);
            bool again = finish_transfer(h, r, e, code, curl_easy_strerror(code));
            curl_multi_remove_handle(h->multi, e);
            curl_easy_cleanup(e);
            active--;
            if (again) {
                for (size_t i = 0; i < n; i++)
                    if (reqs[i] == r)
                        pending[npending++] = i;
            }
        }
        /* A slot freed up and a request is due: start it now rather than after a poll. */
        bool startable = false;
        long long t = now_ms();
        for (size_t k = 0; k < npending && !startable; k++)
            startable = reqs[pending[k]]->not_before_ms <= t;
        if (startable && active < limit)
            continue;
        if (active > 0 || npending > 0) {
            int timeout = 100;
            if (active == 0 && next_due > 0) {
                long long w = next_due - now_ms();
                timeout = w < 0 ? 0 : (w > 1000 ? 1000 : (int)w);
            }
            curl_multi_poll(h->multi, NULL, 0, timeout, NULL);
        }
    }
    free(pending);
}
