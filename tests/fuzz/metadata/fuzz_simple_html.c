/* PEP 503 HTML page parser: never crashes or leaks; what it accepts is well-formed. */
#include "depaudit/metadata.h"
#include "fuzz_page_check.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    da_project *p = NULL;
    da_error err = {0};
    if (da_simple_html_parse((const char *)data, size, "http://h:1/simple/x/", "x", "fuzz", &p,
                             &err) == 0) {
        check_project(p);
        da_project_free(p);
    } else if (p || !err.message[0]) {
        abort();
    }
    return 0;
}
