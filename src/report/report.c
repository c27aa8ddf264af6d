/* Choosing a renderer. */
#include "depaudit/report.h"

#include <stdlib.h>
#include <string.h>

int da_report_format_parse(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "text") == 0)
        return DA_FORMAT_TEXT;
    if (strcmp(s, "json") == 0)
        return DA_FORMAT_JSON;
    if (strcmp(s, "sarif") == 0)
        return DA_FORMAT_SARIF;
    if (strcmp(s, "github") == 0)
        return DA_FORMAT_GITHUB;
    return -1;
}

void da_report_render(const da_findings *f, const da_report_options *o, da_buf *out)
{
    char *doc = NULL;
    switch (o->format) {
    case DA_FORMAT_TEXT:
        da_report_text(f, o, out);
        return;
    case DA_FORMAT_JSON:
        doc = da_report_json(f, o);
        break;
    case DA_FORMAT_SARIF:
        doc = da_report_sarif(f, o);
        break;
    case DA_FORMAT_GITHUB:
        da_report_github(f, out);
        return;
    }
    if (doc) {
        da_buf_puts(out, doc);
        da_buf_putc(out, '\n');
        free(doc);
    }
}
