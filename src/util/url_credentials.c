/* Credentials out of URLs before they are printed or stored (RFC 3986 authority). */
#include "depaudit/util.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

size_t da_url_scheme_len(const char *s)
{
    if (!isalpha((unsigned char)s[0]))
        return 0;
    size_t i = 1;
    while (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')
        i++;
    return s[i] == ':' ? i + 1 : 0;
}

/* Whether an authority without '@' is a plain host[:port]; a ':' followed by anything
 * but digits means a password holding '/', '?' or '#' cut the authority short. */
static bool plain_host_port(const char *auth, size_t len)
{
    const char *end = auth + len;
    const char *p = auth;
    if (p < end && *p == '[') { /* IPv6 literal */
        while (p < end && *p != ']')
            p++;
        if (p < end)
            p++;
    }
    while (p < end && *p != ':')
        p++;
    if (p == end)
        return true;
    for (p++; p < end; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    return true;
}

char *da_url_hide_credentials(const char *url, da_url_credentials how)
{
    if (!url)
        return da_xstrdup("(none)");
    /* The authority follows "scheme://" or "//"; without them, it is taken from the start,
     * so a mistyped "user:password@host/simple/" is hidden too. */
    const char *auth = url + da_url_scheme_len(url);
    if (auth[0] == '/' && auth[1] == '/')
        auth += 2;
    else
        auth = url;
    size_t auth_len = strcspn(auth, "/?#");
    /* the last '@' of the authority ends the userinfo (a password may hold '@') */
    const char *at = NULL;
    for (size_t i = 0; i < auth_len; i++)
        if (auth[i] == '@')
            at = auth + i;
    if (!at && !plain_host_port(auth, auth_len))
        at = strrchr(auth, '@'); /* a password holding '/', '?' or '#' */
    if (!at)
        return da_xstrdup(url);
    if (how == DA_URL_STRIP)
        return da_xasprintf("%.*s%s", (int)(auth - url), url, at + 1);
    return da_xasprintf("%.*s***%s", (int)(auth - url), url, at);
}

/* Characters that end a URL's authority inside free text: its own delimiters, blanks,
 * and the quotes and brackets messages put around a URL. */
static bool ends_authority(char c)
{
    return c == '\0' || strchr("/?#\"'`<> \t\r\n", c) != NULL;
}

void da_text_hide_credentials(const char *text, size_t len, da_buf *out)
{
    size_t done = 0;
    for (size_t i = 0; i + 3 <= len; i++) {
        if (memcmp(text + i, "://", 3) != 0)
            continue;
        size_t a = i + 3, e = a;
        while (e < len && !ends_authority(text[e]))
            e++;
        size_t at = e;
        for (size_t k = a; k < e; k++)
            if (text[k] == '@')
                at = k; /* the last '@': a password may hold one */
        if (at == e)
            continue;
        da_buf_append(out, text + done, a - done);
        da_buf_puts(out, "***");
        done = at;
        i = at;
    }
    da_buf_append(out, text + done, len - done);
}
