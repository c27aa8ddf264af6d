/* What the reports print of repository text (file names, requirement text, messages that
 * quote them), on arbitrary bytes: da_text_put_safe's output is valid UTF-8 without a
 * control character but tab (and newline where asked for); da_text_hide_credentials keeps
 * every byte outside a URL's userinfo and leaves no "://user@" behind; the text and GitHub
 * reports of a finding whose file and message are the input hold no raw control byte and
 * no line the input started. No crash, no leak. */
#include "depaudit/report.h"
#include "depaudit/util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    size_t n = c < 0x80                 ? 1
               : c >= 0xC2 && c <= 0xDF ? 2
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4
                                        : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

static void check_safe(const char *out, bool newlines)
{
    const unsigned char *p = (const unsigned char *)out;
    while (*p) {
        size_t n = utf8_len(p);
        if (n == 0)
            abort(); /* not UTF-8 */
        if (n == 1 && ((*p < 0x20 && *p != '\t' && !(newlines && *p == '\n')) || *p == 0x7F))
            abort(); /* a raw control character */
        p += n;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = da_xstrndup((const char *)data, size);
    da_buf b = {0};
    da_text_put_safe(&b, text, NULL);
    check_safe(b.data ? b.data : "", false);
    da_buf_free(&b);

    da_text_hide_credentials(text, strlen(text), &b);
    if (b.data && strlen(text) > 0) {
        /* no URL keeps an '@' in its authority */
        for (const char *u = strstr(b.data, "://"); u; u = strstr(u + 1, "://")) {
            const char *a = u + 3;
            size_t n = strcspn(a, "/?#\"'`<> \t\r\n");
            const char *at = memchr(a, '@', n);
            if (at && !(at - a == 3 && memcmp(a, "***", 3) == 0))
                abort();
        }
    }
    da_buf_free(&b);

    da_findings f;
    memset(&f, 0, sizeof(f));
    da_finding x;
    memset(&x, 0, sizeof(x));
    x.code = DA001_MISSING;
    x.severity = DA_SEVERITY_ERROR;
    x.file = text;
    x.message = text;
    x.line = 1;
    DA_APPEND(f.items, f.len, x);
    da_report_options o;
    memset(&o, 0, sizeof(o));
    da_buf t = {0}, g = {0};
    da_report_text(&f, &o, &t);
    check_safe(t.data, true);
    da_report_github(&f, &g);
    check_safe(g.data, true);
    /* every line of the GitHub output is one the reporter started */
    for (const char *line = g.data; line && *line;) {
        if (strncmp(line, "::error ", 8) != 0 && strncmp(line, "depaudit: ", 10) != 0)
            abort();
        const char *nl = strchr(line, '\n');
        line = nl ? nl + 1 : NULL;
    }
    da_buf_free(&t);
    da_buf_free(&g);
    free(f.items);
    free(text);
    return 0;
}
