/* Text from an index or a user (a project name, a zip member name, a hash, a header) as a
 * message may show it: printable ASCII kept, every other byte written \xNN, so a hostile
 * value can neither forge lines nor make the JSON and SARIF output invalid UTF-8. */
#ifndef DEPAUDIT_METADATA_SHOWN_TEXT_H
#define DEPAUDIT_METADATA_SHOWN_TEXT_H

/* A new string; at most 200 characters of s are shown, then "...". */
char *da_shown_text(const char *s);

#endif
