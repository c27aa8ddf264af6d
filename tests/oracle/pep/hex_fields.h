/* The oracle drivers' wire format: tab-separated fields, each hex-encoded UTF-8, with "-"
 * for NULL and "=" for the empty string, so any byte survives the pipe from Python. */
#ifndef DEPAUDIT_ORACLE_HEX_FIELDS_H
#define DEPAUDIT_ORACLE_HEX_FIELDS_H

/* Decodes hex text (malloc'd, NUL-terminated). */
char *oracle_unhex(const char *h);
/* The next tab-separated field of *line, decoded; "" when the line is exhausted. */
char *oracle_field(char **line);
/* Writes s hex-encoded to stdout ("-" for NULL, "=" for ""). */
void oracle_put_hex(const char *s);

#endif
