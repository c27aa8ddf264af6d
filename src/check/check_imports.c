/* `depaudit installs` and `depaudit imports`: one stage each, and the text listing of the
 * imports. */
#include "check_internal.h"

#include <string.h>

int da_check_installs(const char *dockerfile, const da_plan_options *o, da_install_plan *out,
                      da_error *err)
{
    return check_plan_load(dockerfile, o, out, err);
}

int da_check_imports(const char *const *paths, size_t npaths, const da_import_options *o,
                     da_import_set *out, da_error *err)
{
    return da_imports_scan(paths, npaths, o, out, err);
}

static void location_text(const char *root, const char *file, int cell, da_buf *out)
{
    if (strcmp(root, file) == 0 || !*root)
        da_buf_puts(out, file);
    else if (da_str_ends_with(root, "/"))
        da_buf_printf(out, "%s%s", root, file);
    else
        da_buf_printf(out, "%s/%s", root, file);
    if (cell > 0)
        da_buf_printf(out, "[cell %d]", cell);
}

static void import_text(const da_import *im, da_buf *out)
{
    location_text(im->root, im->file, im->cell, out);
    da_buf_printf(out, ":%d:%d: %s ", im->line, im->col, da_import_kind_name(im->kind));
    for (int d = 0; d < im->level; d++)
        da_buf_putc(out, '.');
    da_buf_puts(out, im->module);
    if (im->names.len > 0) {
        da_buf_puts(out, " (");
        for (size_t n = 0; n < im->names.len; n++)
            da_buf_printf(out, "%s%s", n ? ", " : "", im->names.items[n]);
        da_buf_putc(out, ')');
    }
    da_buf_printf(out, " %s scope=%s guard=%s", da_import_class_name(im->klass),
                  da_import_scope_name(im->scope), da_import_guard_name(im->guard));
    if (im->condition)
        da_buf_printf(out, " condition=\"%s\"", im->condition);
    if (im->alternative_group)
        da_buf_printf(out, " group=%d%s", im->alternative_group, im->in_except ? " fallback" : "");
    if (im->ignored)
        da_buf_puts(out, " ignored");
    da_buf_putc(out, '\n');
}

void da_check_imports_text(const da_import_set *s, da_buf *out)
{
    for (size_t i = 0; i < s->len; i++)
        import_text(&s->items[i], out);
    da_buf_printf(out, "%zu files, %zu imports", s->files, s->len);
    if (s->dynamic_unresolved)
        da_buf_printf(out, ", %zu dynamic imports without a literal name", s->dynamic_unresolved);
    da_buf_putc(out, '\n');
}

void da_check_import_error_text(const da_import_error *e, da_buf *out)
{
    location_text(e->root, e->file, 0, out);
    if (e->line > 0)
        da_buf_printf(out, ":%d", e->line);
    da_buf_printf(out, ": %s", e->message);
}
