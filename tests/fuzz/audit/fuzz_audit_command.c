/* CMD reading (shell form through sh -c, and exec form split on NULs) and the guard
 * condition evaluator on arbitrary text: no crash, no leak, a condition evaluates to
 * -1, 0 or 1, and every entry found names a module or a path. */
#include "audit/audit_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = da_xstrndup((const char *)data, size);
    int v = audit_condition_eval(text, 3, 11);
    if (v < -1 || v > 1)
        abort();

    da_install_plan p;
    memset(&p, 0, sizeof(p));
    da_strlist_push(&p.cmd, "/bin/sh");
    da_strlist_push(&p.cmd, "-c");
    da_strlist_push(&p.cmd, text);
    p.cmd_shell_form = true;
    audit_boot b;
    audit_boot_from_plan(&p, &b);
    for (size_t i = 0; i < b.len; i++)
        if (!b.entries[i].module && !b.entries[i].path)
            abort();
    audit_boot_free(&b);
    da_strlist_free(&p.cmd);

    /* exec form: the NUL-separated pieces are the words */
    for (size_t off = 0; off <= size;) {
        const char *w = (const char *)data + off;
        size_t n = strnlen(w, size - off);
        char *word = da_xstrndup(w, n);
        da_strlist_push_owned(&p.cmd, word);
        off += n + 1;
    }
    audit_boot_from_plan(&p, &b);
    audit_boot_free(&b);
    da_strlist_free(&p.cmd);
    free(text);
    return 0;
}
