/* The text report: `path:line:col: DA001 message` lines with their details indented, then
 * the suggested fix, then a one-line summary. Colour only when the caller asks for it. */
#include "depaudit/report.h"

#include <string.h>

#define BOLD "\033[1m"
#define RED "\033[31m"
#define YELLOW "\033[33m"
#define CYAN "\033[36m"
#define DIM "\033[2m"
#define RESET "\033[0m"

static const char *severity_color(da_severity s)
{
    return s == DA_SEVERITY_ERROR ? RED : s == DA_SEVERITY_WARNING ? YELLOW : CYAN;
}

static void location(da_buf *out, const da_finding *x)
{
    da_buf_puts(out, *x->file ? x->file : "<image>");
    if (x->line > 0) {
        da_buf_printf(out, ":%d", x->line);
        if (x->col > 0)
            da_buf_printf(out, ":%d", x->col);
    }
}

void da_report_text(const da_findings *f, const da_report_options *o, da_buf *out)
{
    bool c = o->color;
    size_t boot = 0, fixes = 0;
    for (size_t i = 0; i < f->len; i++) {
        const da_finding *x = &f->items[i];
        if (c)
            da_buf_puts(out, BOLD);
        location(out, x);
        da_buf_puts(out, ":");
        if (c)
            da_buf_puts(out, RESET);
        da_buf_printf(out, " %s%s%s %s\n", c ? severity_color(x->severity) : "",
                      da_code_id(x->code), c ? RESET : "", x->message ? x->message : "");
        if (x->boot_path) {
            boot++;
            if (x->nchain) {
                da_buf_puts(out, "    boot path: ");
                for (size_t k = 0; k < x->nchain; k++)
                    da_buf_printf(out, "%s%s:%d", k ? " -> " : "", x->chain[k].file,
                                  x->chain[k].line);
                da_buf_putc(out, '\n');
            }
        }
        if (x->python_error)
            da_buf_printf(out, "    python: %s\n", x->python_error);
        if (x->older_metadata && o->verbose)
            da_buf_printf(out, "    older metadata: %s\n", x->older_metadata);
        if (x->guess)
            da_buf_puts(out, "    note: the distribution is a guess from the module's name\n");
        if (x->fix) {
            fixes++;
            if (x->fix->replace_len)
                da_buf_printf(out, "    fix: write `%s` for `%s` at %s:%d (%s)\n", x->fix->text,
                              x->fix->replaced, x->fix->display, x->fix->line, x->fix->why);
            else
                da_buf_printf(out, "    fix: add `%s` to the list at %s:%d (%s)\n",
                              x->fix->requirement, x->fix->display, x->fix->line, x->fix->why);
        }
    }
    if (fixes) {
        da_buf_printf(out, "\n%sSuggested fix%s (`--diff` shows it, `--fix` applies it):\n",
                      c ? BOLD : "", c ? RESET : "");
        /* in the order --fix inserts them: start-up crashes first */
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < f->len; i++)
                if (f->items[i].fix && f->items[i].boot_path == (pass == 0)) {
                    const da_fix *fx = f->items[i].fix;
                    if (fx->replace_len)
                        da_buf_printf(out, "  %s:%d: %s -> %s\n", fx->display, fx->line,
                                      fx->replaced, fx->text);
                    else
                        da_buf_printf(out, "  %s:%d: + %s\n", fx->display, fx->line,
                                      fx->requirement);
                }
    }
    size_t n[3] = {0}, unverified = 0;
    for (size_t i = 0; i < f->len; i++) {
        n[f->items[i].severity]++;
        unverified += f->items[i].certainty == DA_CERTAINTY_UNVERIFIED;
    }
    bool blank = f->len > 0 && !fixes;
    if (o->verbose && f->unknowns.len) {
        da_buf_printf(out,
                      "\n%sUnknown%s (what the audit could not know; DA012 says what "
                      "settles it):\n",
                      c ? BOLD : "", c ? RESET : "");
        for (size_t i = 0; i < f->unknowns.len; i++)
            da_buf_printf(out, "  %s\n", f->unknowns.items[i]);
        blank = false;
    } else if (f->unknowns.len) {
        da_buf_printf(out,
                      "%sThe install is partly unknown (%zu unknown%s; --verbose lists "
                      "them).\n",
                      blank ? "\n" : "", f->unknowns.len, f->unknowns.len == 1 ? "" : "s");
        blank = false;
    }
    if (f->older_metadata && !o->verbose) {
        da_buf_printf(out,
                      "%s%zu finding%s rest%s on snapshot metadata older than what the image may "
                      "install (--verbose shows which).\n",
                      blank ? "\n" : "", f->older_metadata, f->older_metadata == 1 ? "" : "s",
                      f->older_metadata == 1 ? "s" : "");
        blank = false;
    }
    if (f->len == 0) {
        da_buf_printf(out, "No problems found (%zu imports in %zu files checked).\n",
                      f->imports_checked, f->files_scanned);
        return;
    }
    da_buf_printf(out,
                  "%sFound %zu problem%s: %zu error%s, %zu warning%s, %zu info (%zu on the boot "
                  "path",
                  blank ? "\n" : "", f->len, f->len == 1 ? "" : "s", n[2], n[2] == 1 ? "" : "s",
                  n[1], n[1] == 1 ? "" : "s", n[0], boot);
    if (unverified)
        da_buf_printf(out, "; %zu unverified, which never fail the run", unverified);
    da_buf_puts(out, ").\n");
}
