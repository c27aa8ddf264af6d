/* Path arithmetic for file lists: joining and normalising without touching the disk. */
#include "pep/record_path.h"

#include "depaudit/util.h"

#include <stdlib.h>
#include <string.h>

/* Returns a new path made of `base` joined with `rel`, with "." and empty segments dropped
 * and ".." resolved where it can be; leading ".." that leave the root are kept. */
char *da_record_path_normalise(const char *base, const char *rel)
{
    da_strlist segs = {0};
    const char *parts[2] = {base ? base : "", rel};
    size_t leading_up = 0;
    for (int k = 0; k < 2; k++) {
        const char *p = parts[k];
        while (*p) {
            const char *slash = strchr(p, '/');
            size_t n = slash ? (size_t)(slash - p) : strlen(p);
            if (n == 0 || (n == 1 && p[0] == '.')) {
                /* nothing */
            } else if (n == 2 && p[0] == '.' && p[1] == '.') {
                if (segs.len > 0)
                    free(segs.items[--segs.len]);
                else
                    leading_up++;
            } else {
                da_strlist_push_owned(&segs, da_xstrndup(p, n));
            }
            p += n;
            if (*p == '/')
                p++;
        }
    }
    da_buf out = {0};
    for (size_t i = 0; i < leading_up; i++)
        da_buf_puts(&out, i ? "/.." : "..");
    for (size_t i = 0; i < segs.len; i++) {
        if (out.len)
            da_buf_putc(&out, '/');
        da_buf_puts(&out, segs.items[i]);
    }
    da_strlist_free(&segs);
    return da_buf_take(&out);
}
