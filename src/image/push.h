/* Appending to the arrays of the public structs, which carry a length but no capacity:
 * the array is grown to exactly what it holds, which is cheap at the sizes involved. */
#ifndef DEPAUDIT_IMAGE_PUSH_H
#define DEPAUDIT_IMAGE_PUSH_H

#include "depaudit/util.h"

#define DA_APPEND(arr, len, value)                                                                 \
    do {                                                                                           \
        size_t cap_ = (len);                                                                       \
        da_grow((void **)&(arr), &cap_, (len) + 1, sizeof(*(arr)));                                \
        (arr)[(len)++] = (value);                                                                  \
    } while (0)

#endif
