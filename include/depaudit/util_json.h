/* The cJSON helpers every stage that reads or writes JSON shares (part of util): string
 * lists as arrays, optional strings as null, and reading members back. */
#ifndef DEPAUDIT_UTIL_JSON_H
#define DEPAUDIT_UTIL_JSON_H

#include "depaudit/util.h"

#include <cjson/cJSON.h>
#include <stdbool.h>

/* ["a", "b", ...] from a string list (an empty list gives []). */
cJSON *da_json_strlist(const da_strlist *l);
/* "s", or null when s is NULL. */
cJSON *da_json_string_or_null(const char *s);
/* A copy of the string member `key` of o; NULL when it is absent or not a string. */
char *da_json_dup_string(const cJSON *o, const char *key);
/* Appends the strings of the array member `key` of o to out; false when it is absent,
 * not an array, or holds anything but strings (out may then hold some of them). */
bool da_json_read_strlist(const cJSON *o, const char *key, da_strlist *out);

#endif
