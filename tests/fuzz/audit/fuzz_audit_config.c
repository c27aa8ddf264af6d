/* The configuration reader on arbitrary bytes, in both flavours (a .depaudit.toml and a
 * pyproject.toml): it must return 0 or -1 with a located error, never crash or leak, and a
 * successful read must hold only known rule codes. */
#include "depaudit/audit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {".depaudit.toml", "pyproject.toml"};
    for (size_t k = 0; k < 2; k++) {
        da_audit_config c;
        da_error err;
        da_error_clear(&err);
        int rc = da_audit_config_parse(names[k], (const char *)data, size, &c, &err);
        if (rc == 0) {
            for (size_t i = 0; i < c.ignore.len; i++)
                if (!da_code_parse(c.ignore.items[i]))
                    abort();
            da_audit_config_free(&c);
        } else if (rc != -1 || strcmp(err.file, names[k]) != 0 || !err.message[0]) {
            abort();
        }
    }
    return 0;
}
