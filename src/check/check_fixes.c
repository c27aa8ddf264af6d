/* After the audit: the fixes as a diff or written in place (--diff, --fix), and the
 * stages' warnings as stderr shows them. */
#include "check_internal.h"

#include <string.h>

int da_check_fixes(const da_findings *f, da_buf *diff, bool write, da_strlist *written,
                   size_t *npatched, da_error *err)
{
    *npatched = 0;
    da_patch_set ps;
    if (da_fixes_build(f, &ps, err) != 0)
        return -1;
    *npatched = ps.len;
    if (diff)
        da_patch_set_diff(&ps, diff);
    int rc = 0;
    if (write) {
        rc = da_patch_set_write(&ps, err);
        for (size_t i = 0; rc == 0 && i < ps.len; i++)
            da_strlist_push(written, ps.files[i].display ? ps.files[i].display : ps.files[i].path);
    }
    da_patch_set_free(&ps);
    return rc;
}

void da_check_warning_lines(const da_strlist *warnings, da_strlist *lines)
{
    size_t files_unknown = 0, requires_incomplete = 0;
    for (size_t i = 0; i < warnings->len; i++) {
        const char *s = warnings->items[i];
        if (da_str_starts_with(s, "files of ") && strstr(s, " unknown"))
            files_unknown++;
        else if (da_str_starts_with(s, "files unknown (") && strchr(s, ':')) {
            /* the resolver's one line naming them all: "...: a, b, c" */
            files_unknown++;
            for (const char *q = strrchr(s, ':'); (q = strchr(q + 1, ','));)
                files_unknown++;
        } else if (da_str_starts_with(s, "requirements of ") && strstr(s, "incomplete"))
            requires_incomplete++;
        else
            da_strlist_push_owned(lines, da_xasprintf("warning: %s", s));
    }
    if (files_unknown)
        da_strlist_push_owned(
            lines, da_xasprintf("note: files unknown for %zu distribution%s (assumed installable)",
                                files_unknown, files_unknown == 1 ? "" : "s"));
    if (requires_incomplete)
        da_strlist_push_owned(
            lines, da_xasprintf("note: requirements possibly incomplete for %zu distribution%s",
                                requires_incomplete, requires_incomplete == 1 ? "" : "s"));
}
