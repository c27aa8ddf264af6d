/* The text report: `path:line:col: DA001 message` lines with their details indented, then
 * the suggested fix, then a one-line summary. Colour only when the caller asks for it. */
#include "depaudit/report.h"

#include <stdlib.h>
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

/* Input text (names, paths, messages quoting them): escaped, a newline continues indented. */
static void put(da_buf *out, const char *s)
{
    da_text_put_safe(out, s, "\n    ");
}

static void location(da_buf *out, const da_finding *x)
{
    da_text_put_safe(out, *x->file ? x->file : "<image>", NULL); /* a path: one token */
    if (x->line > 0) {
        da_buf_printf(out, ":%d", x->line);
        if (x->col > 0)
            da_buf_printf(out, ":%d", x->col);
    }
}

static void fix_line(da_buf *out, const da_fix *fx)
{
    char *text = fx->replace_len
                     ? da_xasprintf("    fix: write `%s` for `%s` at %s:%d (%s)", fx->text,
                                    fx->replaced, fx->display, fx->line, fx->why)
                     : da_xasprintf("    fix: add `%s` to the list at %s:%d (%s)", fx->requirement,
                                    fx->display, fx->line, fx->why);
    put(out, text);
    da_buf_putc(out, '\n');
    free(text);
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
        da_buf_printf(out, " %s%s%s ", c ? severity_color(x->severity) : "", da_code_id(x->code),
                      c ? RESET : "");
        put(out, x->message);
        da_buf_putc(out, '\n');
        if (x->boot_path) {
            boot++;
            if (x->nchain) {
                da_buf_puts(out, "    boot path: ");
                for (size_t k = 0; k < x->nchain; k++) {
                    da_buf_puts(out, k ? " -> " : "");
                    da_text_put_safe(out, x->chain[k].file, NULL);
                    da_buf_printf(out, ":%d", x->chain[k].line);
                }
                da_buf_putc(out, '\n');
            }
        }
        if (x->python_error) {
            da_buf_puts(out, "    python: ");
            put(out, x->python_error);
            da_buf_putc(out, '\n');
        }
        if (x->older_metadata && o->verbose) {
            da_buf_puts(out, "    older metadata: ");
            put(out, x->older_metadata);
            da_buf_putc(out, '\n');
        }
        if (x->guess)
            da_buf_puts(out, "    note: the distribution is a guess from the module's name\n");
        if (x->fix) {
            fixes++;
            fix_line(out, x->fix);
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
                    char *text = da_xasprintf("%s:%d: ", fx->display, fx->line);
                    char *change = fx->replace_len
                                       ? da_xasprintf("%s%s -> %s", text, fx->replaced, fx->text)
                                       : da_xasprintf("%s+ %s", text, fx->requirement);
                    da_buf_puts(out, "  ");
                    put(out, change);
                    da_buf_putc(out, '\n');
                    free(text);
                    free(change);
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
        for (size_t i = 0; i < f->unknowns.len; i++) {
            da_buf_puts(out, "  ");
            put(out, f->unknowns.items[i]);
            da_buf_putc(out, '\n');
        }
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
