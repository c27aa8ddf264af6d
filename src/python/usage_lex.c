/* The byte-class map of usage_lex.h: one pass, as CPython's tokenizer delimits comments
 * and string literals (a backslash always takes the next byte, even in raw literals, where
 * it keeps a quote from closing; one-quote literals end at a newline). */
#include "usage_lex.h"

#include "depaudit/util.h"

#include <string.h>

/* The literal opened by the quote(s) at i: marks it and returns the index after it. */
static size_t literal(const char *t, size_t len, size_t i, unsigned char *cls)
{
    char q = t[i];
    bool triple = i + 2 < len && t[i + 1] == q && t[i + 2] == q;
    size_t open = triple ? 3 : 1;
    memset(cls + i, USAGE_OPEN, open);
    i += open;
    while (i < len) {
        if (t[i] == '\\') {
            cls[i] = USAGE_BODY;
            if (i + 1 < len)
                cls[i + 1] = USAGE_BODY;
            i += 2;
            continue;
        }
        if (!triple && t[i] == '\n')
            return i; /* unterminated: the newline is code again */
        if (t[i] == q && (!triple || (i + 2 < len && t[i + 1] == q && t[i + 2] == q))) {
            memset(cls + i, USAGE_CLOSE, open);
            return i + open;
        }
        cls[i++] = USAGE_BODY;
    }
    return len;
}

unsigned char *usage_lex(const char *text, size_t len)
{
    unsigned char *cls = da_xcalloc(len + 1, 1);
    size_t i = 0;
    while (i < len) {
        char c = text[i];
        if (c == '#') {
            while (i < len && text[i] != '\n')
                cls[i++] = USAGE_COMMENT;
        } else if (c == '"' || c == '\'') {
            i = literal(text, len, i, cls);
        } else {
            i++;
        }
    }
    return cls;
}
