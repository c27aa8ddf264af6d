/* Every field of an import set as text (see describe_imports.h). */
#include "describe_imports.h"

#include "depaudit/util.h"

static void strlist_put(da_buf *b, const da_strlist *l)
{
    da_buf_putc(b, '[');
    for (size_t i = 0; i < l->len; i++)
        da_buf_printf(b, "%s%s", i ? "," : "", l->items[i]);
    da_buf_putc(b, ']');
}

char *describe_imports(const da_import_set *s)
{
    da_buf b = {0};
    da_buf_printf(&b, "files=%zu unresolved=%zu groups=%d\n", s->files, s->dynamic_unresolved,
                  s->next_group);
    for (size_t i = 0; i < s->nerrors; i++)
        da_buf_printf(&b, "error %s:%d: %s\n", s->errors[i].file, s->errors[i].line,
                      s->errors[i].message);
    for (size_t i = 0; i < s->len; i++) {
        const da_import *im = &s->items[i];
        da_buf_printf(&b, "%s|%s|%d:%d:%d %s level=%d ", im->root, im->file, im->cell, im->line,
                      im->col, im->module, im->level);
        strlist_put(&b, &im->names);
        da_buf_printf(&b, " %s %s %s cond=%s group=%d%s %s ignored=%d ",
                      da_import_kind_name(im->kind), da_import_scope_name(im->scope),
                      da_import_guard_name(im->guard), im->condition ? im->condition : "(null)",
                      im->alternative_group, im->in_except ? " fallback" : "",
                      da_import_class_name(im->klass), im->ignored);
        strlist_put(&b, &im->ignore_codes);
        da_buf_putc(&b, '\n');
    }
    if (!b.data)
        da_buf_puts(&b, "");
    return da_buf_take(&b);
}
