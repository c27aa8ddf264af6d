/* `depaudit installs` and `depaudit imports`: one stage each; the imports are written out
 * (text or JSON) as the scan produces them. */
#include "check_internal.h"

#include <string.h>

int da_check_installs(const char *dockerfile, const da_plan_options *o, da_install_plan *out,
                      da_error *err)
{
    return check_plan_load(dockerfile, o, out, err);
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

static void import_error_text(const da_import_error *e, da_buf *out)
{
    da_buf_puts(out, "warning: ");
    location_text(e->root, e->file, 0, out);
    if (e->line > 0)
        da_buf_printf(out, ":%d", e->line);
    da_buf_printf(out, ": %s", e->message);
}

/* What a streamed scan of `depaudit imports` keeps between files: the output not yet
 * written and how many records went out. */
typedef struct imports_stream {
    const da_check_imports_output *out;
    da_buf pending;
    da_imports_json_writer json;
    size_t records;
} imports_stream;

static void write_pending(imports_stream *st)
{
    if (st->pending.len)
        st->out->write(st->pending.data, st->pending.len, st->out->ctx);
    st->pending.len = 0;
}

static void warn_all(const da_check_imports_output *out, const da_import_set *s)
{
    for (size_t i = 0; i < s->nerrors; i++) {
        da_buf line = {0};
        import_error_text(&s->errors[i], &line);
        out->warn(line.data, out->ctx);
        da_buf_free(&line);
    }
}

static int on_begin(const da_import_set *summary, void *ctx)
{
    imports_stream *st = ctx;
    warn_all(st->out, summary);
    if (st->out->json)
        da_imports_json_begin(&st->json, summary);
    return 0;
}

static int on_file(const da_import_set *batch, void *ctx)
{
    imports_stream *st = ctx;
    warn_all(st->out, batch);
    if (st->out->json) {
        da_imports_json_records(&st->json, batch);
    } else {
        for (size_t i = 0; i < batch->len; i++)
            import_text(&batch->items[i], &st->pending);
    }
    st->records += batch->len;
    if (st->pending.len >= (1u << 16)) /* written in large pieces, not one call per file */
        write_pending(st);
    return 0;
}

static void summary_text(const da_import_set *s, size_t records, da_buf *out)
{
    da_buf_printf(out, "%zu files, %zu imports", s->files, records);
    if (s->dynamic_unresolved)
        da_buf_printf(out, ", %zu dynamic imports without a literal name", s->dynamic_unresolved);
    da_buf_putc(out, '\n');
}

int da_check_imports(const char *const *paths, size_t npaths, const da_import_options *o,
                     const da_check_imports_output *out, da_error *err)
{
    imports_stream st = {.out = out};
    st.json.out = &st.pending;
    da_import_sink sink = {on_begin, on_file, &st};
    da_import_set summary = {0};
    int rc = da_imports_scan_stream(paths, npaths, o, &sink, &summary, err);
    if (rc == 0) {
        if (out->json)
            da_imports_json_end(&st.json, &summary);
        else
            summary_text(&summary, st.records, &st.pending);
        write_pending(&st);
    }
    da_buf_free(&st.pending);
    da_import_set_free(&summary);
    return rc < 0 ? -1 : 0;
}
