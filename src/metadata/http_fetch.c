#include "metadata/http_fetch.h"

#include <curl/curl.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* A body larger than this is refused: no index page or wheel part we read comes close,
 * and a hostile server must not make us allocate without bound. */
#define MAX_BODY_BYTES (512LL * 1024 * 1024)
/* A timed-out attempt (connect timeout or stall) is repeated at most this often: a server
 * that stalled twice in a row is down, and every further try costs a whole timeout. */
#define MAX_TIMEOUT_RETRIES 1

/* A host that could not be reached, so later requests to it fail at once. */
typedef struct dead_host {
    char *key; /* "scheme://host:port", never with credentials */
    char *reason;
} dead_host;

struct da_http {
    CURLM *multi;
    da_metadata_options opts; /* shallow: numbers only (cert is copied below) */
    char *cert;
    char user_agent[64];
    da_metadata_stats *stats, own_stats;
    long long spent_ms; /* time spent inside da_http_run so far, against budget_ms */
    dead_host *dead;
    size_t ndead, dead_cap;
};

/* One request's state while it runs: what curl needs and the retry bookkeeping. */
typedef struct transfer {
    da_http_request *r;
    da_http *h;
    CURL *easy;
    struct curl_slist *headers;
    char curl_detail[CURL_ERROR_SIZE];
    char *host_key;
    long long not_before_ms; /* a retry waits until then */
    long long last_data_ms;  /* start of the attempt or the last byte received */
    int timeouts;            /* attempts that timed out */
    bool stalled;            /* this attempt was stopped for lack of data */
    enum { T_PENDING, T_ACTIVE, T_DONE } state;
} transfer;

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
    h->opts.index_url = h->opts.cache_dir = h->opts.cert = h->opts.index_from = NULL;
    memset(&h->opts.config_warnings, 0, sizeof(h->opts.config_warnings));
    memset(&h->opts.extra_index_urls, 0, sizeof(h->opts.extra_index_urls));
    memset(&h->opts.site_packages, 0, sizeof(h->opts.site_packages));
    h->cert = o->cert ? da_xstrdup(o->cert) : NULL;
    h->stats = stats ? stats : &h->own_stats;
    snprintf(h->user_agent, sizeof(h->user_agent), "depaudit/%s", DEPAUDIT_VERSION);
    curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)o->concurrency);
    return h;
}

int da_http_probe(da_http *h, const char *url, char **reason)
{
    *reason = NULL;
    CURL *e = curl_easy_init();
    if (!e) {
        *reason = da_xstrdup("cannot initialise libcurl");
        return -1;
    }
    char detail[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (h->cert)
        curl_easy_setopt(e, CURLOPT_CAINFO, h->cert);
    long ct = h->opts.connect_timeout_ms > 0 ? h->opts.connect_timeout_ms : 5000;
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, ct);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, detail);
    CURLcode c = curl_easy_perform(e);
    curl_easy_cleanup(e);
    if (c == CURLE_OK)
        return 0;
    *reason = da_xstrdup(detail[0] ? detail : curl_easy_strerror(c));
    return -1;
}

void da_http_free(da_http *h)
{
    if (!h)
        return;
    curl_multi_cleanup(h->multi);
    for (size_t i = 0; i < h->ndead; i++) {
        free(h->dead[i].key);
        free(h->dead[i].reason);
    }
    free(h->dead);
    free(h->cert);
    free(h);
}

/* "scheme://host:port" of url, without credentials; NULL when curl cannot parse it. */
static char *host_key_of(const char *url)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *key = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
        key = da_xasprintf("%s://%s:%s", scheme, host, port);
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return key;
}

static const dead_host *find_dead(const da_http *h, const char *key)
{
    for (size_t i = 0; key && i < h->ndead; i++)
        if (strcmp(h->dead[i].key, key) == 0)
            return &h->dead[i];
    return NULL;
}

static void mark_dead(da_http *h, const char *key, const char *reason)
{
    if (!key || find_dead(h, key))
        return;
    da_grow((void **)&h->dead, &h->dead_cap, h->ndead + 1, sizeof(*h->dead));
    h->dead[h->ndead].key = da_xstrdup(key);
    h->dead[h->ndead].reason = da_xstrdup(reason);
    h->ndead++;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userp)
{
    transfer *t = userp;
    size_t n = size * nmemb;
    t->last_data_ms = now_ms();
    if ((long long)(t->r->body.len + n) > MAX_BODY_BYTES)
        return 0; /* makes curl fail the transfer with CURLE_WRITE_ERROR */
    da_buf_append(&t->r->body, data, n);
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

/* A decimal number of at most 18 digits (no sign, no overflow); advances *s. */
static bool read_number(const char **s, long long *out)
{
    const char *p = *s;
    long long v = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9' && digits < 18) {
        v = v * 10 + (*p++ - '0');
        digits++;
    }
    if (digits == 0 || (*p >= '0' && *p <= '9'))
        return false;
    *s = p;
    *out = v;
    return true;
}

/* "bytes FIRST-LAST/TOTAL" into r (TOTAL may be "*": then -1). Anything
 * else leaves r's fields at -1: the caller decides what a 206 without them means. */
static void parse_content_range(da_http_request *r, const char *v)
{
    long long first = -1, last = -1, total = -1;
    if (strncasecmp(v, "bytes ", 6) != 0)
        return;
    const char *p = v + 6;
    if (!read_number(&p, &first) || *p++ != '-' || !read_number(&p, &last) || *p++ != '/')
        return;
    if (strcmp(p, "*") != 0 && (!read_number(&p, &total) || *p != '\0'))
        return;
    r->range_start = first;
    r->range_end = last;
    r->total_size = total;
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *userp)
{
    transfer *t = userp;
    da_http_request *r = t->r;
    size_t len = size * nmemb;
    t->last_data_ms = now_ms();
    if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        /* A new response (after a redirect or a 100): forget the previous one's headers. */
        da_http_request_clear_response(r);
        return len;
    }
    set_header(&r->etag, header_value(line, len, "ETag"));
    set_header(&r->last_modified, header_value(line, len, "Last-Modified"));
    set_header(&r->cache_control, header_value(line, len, "Cache-Control"));
    set_header(&r->content_type, header_value(line, len, "Content-Type"));
    set_header(&r->retry_after, header_value(line, len, "Retry-After"));
    char *range = header_value(line, len, "Content-Range");
    if (range) {
        parse_content_range(r, range);
        free(range);
    }
    return len;
}

static void add_header(transfer *t, const char *name, const char *value)
{
    if (!value)
        return;
    char *a = da_xasprintf("%s: %s", name, value);
    t->headers = curl_slist_append(t->headers, a);
    free(a);
}

static CURL *make_easy(da_http *h, transfer *t)
{
    da_http_request *r = t->r;
    CURL *e = curl_easy_init();
    if (!e)
        return NULL;
    curl_easy_setopt(e, CURLOPT_URL, r->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, t);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
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
    if (h->opts.connect_timeout_ms > 0)
        curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, h->opts.connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    t->curl_detail[0] = '\0';
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->curl_detail);
    curl_slist_free_all(t->headers);
    t->headers = NULL;
    add_header(t, "Accept", r->accept);
    add_header(t, "If-None-Match", r->if_none_match);
    add_header(t, "If-Modified-Since", r->if_modified_since);
    if (t->headers)
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
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

/* Failures that say the host itself cannot be reached, whatever the path. */
static bool host_unreachable(CURLcode c)
{
    return c == CURLE_COULDNT_CONNECT || c == CURLE_OPERATION_TIMEDOUT ||
           c == CURLE_COULDNT_RESOLVE_HOST;
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

/* The reason a transfer failed with code, without the URL. */
static char *curl_failure(da_http *h, transfer *t, CURLcode code, const char *curl_message)
{
    da_http_request *r = t->r;
    const char *detail = t->curl_detail[0] ? t->curl_detail : curl_message;
    switch (code) {
    case CURLE_PARTIAL_FILE: {
        curl_off_t expected = -1;
        curl_easy_getinfo(t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expected);
        return da_xasprintf("truncated body: received %zu of %lld bytes", r->body.len,
                            (long long)expected);
    }
    case CURLE_OPERATION_TIMEDOUT:
        if (t->stalled)
            return da_xasprintf("timed out: no data for %.1f s", h->opts.timeout_ms / 1000.0);
        return da_xasprintf("timed out (%s)", detail);
    case CURLE_PEER_FAILED_VERIFICATION:
        /* Never retried, never cached: the answer came from a server we cannot trust. */
        return da_xasprintf("the server's TLS certificate could not be verified (%s)%s", detail,
                            h->cert ? "" : "; for an index with a private CA, pass --cert FILE");
    case CURLE_SSL_CACERT_BADFILE:
        return da_xasprintf("the CA bundle could not be used (%s)", detail);
    case CURLE_SSL_CONNECT_ERROR:
        return da_xasprintf("TLS handshake failed (%s)", detail);
    case CURLE_TOO_MANY_REDIRECTS:
        return da_xstrdup("too many redirects (a redirect loop?)");
    case CURLE_WRITE_ERROR:
        if ((long long)r->body.len + CURL_MAX_WRITE_SIZE > MAX_BODY_BYTES)
            return da_xasprintf("response larger than the %lld MiB limit",
                                MAX_BODY_BYTES / (1024 * 1024));
        return da_xstrdup(curl_message);
    default:
        return da_xstrdup(curl_message);
    }
}

/* Classifies a finished attempt: returns true when it should be tried again. */
static bool finish_attempt(da_http *h, transfer *t, CURLcode code, const char *curl_message)
{
    da_http_request *r = t->r;
    CURL *e = t->easy;
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
    bool again = false, tries_left = r->attempts <= h->opts.retries;
    if (code != CURLE_OK) {
        r->error = curl_failure(h, t, code, curl_message);
        again = retryable_curl(code);
        if (code == CURLE_OPERATION_TIMEDOUT && ++t->timeouts > MAX_TIMEOUT_RETRIES)
            tries_left = false;
    } else if (status == 429 || status >= 500) {
        r->error = da_xasprintf("HTTP %ld%s", status,
                                status == 429 ? " Too Many Requests" : " server error");
        again = true;
    } else if (status == 200) {
        r->range_start = r->range_end = -1;
        r->total_size = (long long)r->body.len;
    }
    if (again && tries_left) {
        t->not_before_ms = now_ms() + retry_delay_ms(h, r);
        h->stats->retries++;
        return true;
    }
    if (code != CURLE_OK && host_unreachable(code))
        mark_dead(h, t->host_key, r->error);
    if (again && r->error && r->attempts > 1) {
        char *more = da_xasprintf("%s (after %d attempts)", r->error, r->attempts);
        free(r->error);
        r->error = more;
    }
    return false;
}

static void fail_transfer(transfer *t, char *reason)
{
    free(t->r->error);
    t->r->error = reason;
    t->state = T_DONE;
}

/* Starts t's next attempt, unless its host is known dead. */
static void start_attempt(da_http *h, transfer *t)
{
    const dead_host *d = find_dead(h, t->host_key);
    if (d) {
        fail_transfer(t, da_xasprintf("not tried: %s did not answer an earlier request (%s)",
                                      t->host_key, d->reason));
        return;
    }
    da_http_request_clear_response(t->r);
    free(t->r->error);
    t->r->error = NULL;
    t->stalled = false;
    t->easy = make_easy(h, t);
    if (!t->easy) {
        fail_transfer(t, da_xstrdup("cannot create a curl handle"));
        return;
    }
    t->r->attempts++;
    h->stats->requests++;
    t->last_data_ms = now_ms();
    curl_multi_add_handle(h->multi, t->easy);
    t->state = T_ACTIVE;
}

static void end_attempt(da_http *h, transfer *t, CURLcode code, const char *message)
{
    bool again = finish_attempt(h, t, code, message);
    curl_multi_remove_handle(h->multi, t->easy);
    curl_easy_cleanup(t->easy);
    t->easy = NULL;
    t->state = again ? T_PENDING : T_DONE;
}

/* The budget ran out: every unfinished transfer fails, saying so. */
static void stop_all(da_http *h, transfer *ts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        transfer *t = &ts[i];
        if (t->state == T_DONE)
            continue;
        if (t->easy) {
            curl_multi_remove_handle(h->multi, t->easy);
            curl_easy_cleanup(t->easy);
            t->easy = NULL;
        }
        da_http_request_clear_response(t->r);
        /* A transfer waiting to be retried says what went wrong before. */
        const char *before = t->r->error;
        fail_transfer(t, da_xasprintf("stopped: the network time budget (%.1f s) is used up%s%s%s",
                                      h->opts.budget_ms / 1000.0, before ? " (last attempt: " : "",
                                      before ? before : "", before ? ")" : ""));
    }
}

/* Starts every due pending transfer while slots are free; returns the earliest time a
 * waiting one becomes due (-1: none waits). */
static long long start_due(da_http *h, transfer *ts, size_t n, int *active, int limit)
{
    long long now = now_ms(), next_due = -1;
    for (size_t i = 0; i < n && *active < limit; i++) {
        transfer *t = &ts[i];
        if (t->state != T_PENDING)
            continue;
        if (t->not_before_ms > now) {
            if (next_due < 0 || t->not_before_ms < next_due)
                next_due = t->not_before_ms;
            continue;
        }
        start_attempt(h, t);
        if (t->state == T_ACTIVE)
            (*active)++;
    }
    return next_due;
}

/* Finished transfers from curl, and attempts that stalled past timeout_ms. */
static void collect_finished(da_http *h, transfer *ts, size_t n, int *active)
{
    int left = 0;
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(h->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        transfer *t = NULL;
        CURLcode code = msg->data.result;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
        end_attempt(h, t, code, curl_easy_strerror(code));
        (*active)--;
    }
    if (h->opts.timeout_ms <= 0)
        return;
    long long now = now_ms();
    for (size_t i = 0; i < n; i++) {
        transfer *t = &ts[i];
        if (t->state == T_ACTIVE && now - t->last_data_ms > h->opts.timeout_ms) {
            t->stalled = true;
            end_attempt(h, t, CURLE_OPERATION_TIMEDOUT, "stalled");
            (*active)--;
        }
    }
}

static bool any_due(const transfer *ts, size_t n)
{
    long long now = now_ms();
    for (size_t i = 0; i < n; i++)
        if (ts[i].state == T_PENDING && ts[i].not_before_ms <= now)
            return true;
    return false;
}

void da_http_run(da_http *h, da_http_request **reqs, size_t n)
{
    long long started = now_ms();
    long long deadline = h->opts.budget_ms > 0 ? started + h->opts.budget_ms - h->spent_ms : -1;
    transfer *ts = da_xcalloc(n ? n : 1, sizeof(*ts));
    for (size_t i = 0; i < n; i++) {
        ts[i].r = reqs[i];
        ts[i].h = h;
        ts[i].host_key = host_key_of(reqs[i]->url);
        reqs[i]->attempts = 0;
        reqs[i]->connects = 0;
    }
    int active = 0;
    int limit = h->opts.concurrency > 0 ? h->opts.concurrency : 16;
    for (;;) {
        if (deadline >= 0 && now_ms() >= deadline) {
            stop_all(h, ts, n);
            break;
        }
        long long next_due = start_due(h, ts, n, &active, limit);
        if (active == 0) {
            if (next_due < 0)
                break; /* nothing runs and nothing waits: all done */
            long long wait = next_due - now_ms();
            if (deadline >= 0 && deadline - now_ms() < wait)
                wait = deadline - now_ms();
            if (wait > 0) {
                struct timespec sl = {wait / 1000, (wait % 1000) * 1000000};
                nanosleep(&sl, NULL);
            }
            continue;
        }
        int running = 0;
        curl_multi_perform(h->multi, &running);
        collect_finished(h, ts, n, &active);
        if (active < limit && any_due(ts, n))
            continue; /* a slot is free and a request waits for it: start it now */
        int timeout = 100;
        if (deadline >= 0 && deadline - now_ms() < timeout)
            timeout = (int)(deadline - now_ms() > 0 ? deadline - now_ms() : 0);
        if (active > 0)
            curl_multi_poll(h->multi, NULL, 0, timeout, NULL);
    }
    for (size_t i = 0; i < n; i++) {
        curl_slist_free_all(ts[i].headers);
        free(ts[i].host_key);
    }
    free(ts);
    h->spent_ms += now_ms() - started;
}

static void transport_run(void *ctx, da_http_request **reqs, size_t n)
{
    da_http_run(ctx, reqs, n);
}

static void transport_destroy(void *ctx)
{
    da_http_free(ctx);
}

da_transport da_http_transport(da_http *h)
{
    da_transport t = {h, transport_run, transport_destroy};
    return t;
}
