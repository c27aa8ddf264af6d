/* Turns the fuzzer's bytes into a NUL-terminated string (the parsers take C strings, so
 * an embedded NUL simply ends the text). */
#ifndef DEPAUDIT_FUZZ_PEP_INPUT_H
#define DEPAUDIT_FUZZ_PEP_INPUT_H

#include <stdlib.h>
#include <string.h>

static inline char *fuzz_text(const unsigned char *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#endif
