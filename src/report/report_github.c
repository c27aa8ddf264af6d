/* GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=T::message`. Data
 * escapes %, CR and LF; property values also escape : and , (as the runner expects). A
 * newline in a file name can therefore never start a command line of its own. */
#include "depaudit/report.h"

#include <string.h>

static void escape(da_buf *out, const char *raw, bool property)
{
    /* control characters and bytes that are not UTF-8 first (da_text_put_safe), keeping the
     * newlines this file joins lines with; then what the runner reads as syntax */
    da_buf safe = {0};
    da_text_put_safe(&safe, raw, "\n");
    for (const char *s = safe.data; s && *s; s++) {
        switch (*s) {
        case '%':
            da_buf_puts(out, "%25");
            break;
        case '\r':
            da_buf_puts(out, "%0D");
            break;
        case '\n':
            da_buf_puts(out, "%0A");
            break;
        case ':':
            da_buf_puts(out, property ? "%3A" : ":");
            break;
        case ',':
            da_buf_puts(out, property ? "%2C" : ",");
            break;
        default:
            da_buf_putc(out, *s);
        }
    }
    da_buf_free(&safe);
}

void da_report_github(const da_findings *f, da_buf *out)
{
    for (size_t i = 0; i < f->len; i++) {
        const da_finding *x = &f->items[i];
        const char *cmd = x->severity == DA_SEVERITY_ERROR     ? "error"
                          : x->severity == DA_SEVERITY_WARNING ? "warning"
                                                               : "notice";
        da_buf_printf(out, "::%s ", cmd);
        if (*x->file) {
            da_buf_puts(out, "file=");
            escape(out, x->file, true);
            da_buf_puts(out, ",");
        }
        if (x->line > 0)
            da_buf_printf(out, "line=%d,", x->line);
        if (x->col > 0)
            da_buf_printf(out, "col=%d,", x->col);
        da_buf_puts(out, "title=");
        da_buf_printf(out, "%s %s", da_code_id(x->code), da_code_name(x->code));
        if (x->certainty == DA_CERTAINTY_UNVERIFIED)
            da_buf_puts(out, " (unverified)");
        da_buf_puts(out, "::");
        da_buf b = {0};
        da_buf_puts(&b, x->message ? x->message : "");
        if (x->nchain) {
            da_buf_puts(&b, "\nboot path: ");
            for (size_t k = 0; k < x->nchain; k++)
                da_buf_printf(&b, "%s%s:%d", k ? " -> " : "", x->chain[k].file, x->chain[k].line);
        }
        if (x->python_error)
            da_buf_printf(&b, "\n%s", x->python_error);
        if (x->older_metadata)
            da_buf_printf(&b, "\nolder metadata: %s", x->older_metadata);
        if (x->fix && x->fix->replace_len)
            da_buf_printf(&b, "\nfix: write %s for %s at %s:%d", x->fix->text, x->fix->replaced,
                          x->fix->display, x->fix->line);
        else if (x->fix)
            da_buf_printf(&b, "\nfix: add %s to %s:%d", x->fix->requirement, x->fix->display,
                          x->fix->line);
        escape(out, b.data, false);
        da_buf_free(&b);
        da_buf_putc(out, '\n');
    }
    size_t errors = da_findings_count_at_least(f, DA_SEVERITY_ERROR);
    size_t unverified = f->len - da_findings_count_failing(f, DA_SEVERITY_INFO);
    da_buf_printf(out, "depaudit: %zu finding%s, %zu error%s, %zu unverified; resolution %s",
                  f->len, f->len == 1 ? "" : "s", errors, errors == 1 ? "" : "s", unverified,
                  da_resolution_state_name(f->resolution));
    if (f->unknowns.len)
        da_buf_printf(out, " (%zu unknown%s)", f->unknowns.len, f->unknowns.len == 1 ? "" : "s");
    /* every report says where its answers came from (the snapshot, a cache, an index) */
    if (f->metadata_origin) {
        da_buf_puts(out, "; metadata: ");
        escape(out, f->metadata_origin, false);
    }
    da_buf_putc(out, '\n');
}
