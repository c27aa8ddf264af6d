/* RECORD files (CSV as Python's csv module writes it: RFC 4180 quoting) and plain file
 * lists, read into paths. Only the path column matters to module derivation. */
#include "depaudit/wheel.h"
#include "pep/record_path.h"

#include <stdlib.h>
#include <string.h>

int da_record_parse(const char *text, size_t len, const char *origin, da_strlist *paths,
                    da_error *err)
{
    const char *file = origin ? origin : "RECORD";
    size_t i = 0;
    int line = 1;
    da_buf field = {0};
    while (i < len) {
        /* one row: read its first field, skip the rest of the row */
        int row_line = line;
        da_buf_free(&field);
        bool quoted = false;
        size_t col = 0;
        if (text[i] == '"') {
            quoted = true;
            i++;
            for (;;) {
                if (i >= len) {
                    da_buf_free(&field);
                    return da_error_set(err, file, row_line, 1,
                                        "unterminated quoted path (the closing '\"' is missing)");
                }
                char c = text[i++];
                if (c == '\0') {
                    da_buf_free(&field);
                    return da_error_set(err, file, line, 0, "NUL byte in a path");
                }
                if (c == '"') {
                    if (i < len && text[i] == '"') {
                        da_buf_putc(&field, '"');
                        i++;
                        continue;
                    }
                    break;
                }
                if (c == '\n')
                    line++;
                da_buf_putc(&field, c);
            }
            if (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                da_buf_free(&field);
                return da_error_set(err, file, line, 0, "text after the closing quote of a path");
            }
        } else {
            while (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                if (text[i] == '\0') {
                    da_buf_free(&field);
                    return da_error_set(err, file, line, (int)col + 1, "NUL byte in a path");
                }
                da_buf_putc(&field, text[i++]);
                col++;
            }
        }
        /* The other columns (hash, size) may be quoted too; skip them quote-aware so a
         * newline inside quotes does not start a row. */
        bool in_quotes = false;
        while (i < len) {
            char c = text[i];
            if (c == '\0') {
                da_buf_free(&field);
                return da_error_set(err, file, line, 0, "NUL byte in a RECORD row");
            }
            if (c == '"')
                in_quotes = !in_quotes;
            else if (c == '\n') {
                line++;
                if (!in_quotes) {
                    i++;
                    break;
                }
            }
            i++;
        }
        if (in_quotes) {
            da_buf_free(&field);
            return da_error_set(err, file, row_line, 0, "unterminated quoted column");
        }
        if (field.len > 0 || quoted)
            da_strlist_push_owned(paths, da_buf_take(&field));
    }
    da_buf_free(&field);
    return 0;
}

int da_file_list_parse(const char *text, size_t len, const char *origin, const char *relative_to,
                       da_strlist *paths, da_error *err)
{
    const char *file = origin ? origin : "file list";
    if (len > 0 && memchr(text, '\0', len)) {
        int line = 1;
        for (const char *p = text; *p; p++)
            line += *p == '\n';
        return da_error_set(err, file, line, 0, "NUL byte in the file list");
    }
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t n = end - i;
        if (n > 0 && text[i + n - 1] == '\r')
            n--;
        if (n > 0) {
            char *line = da_xstrndup(text + i, n);
            if (relative_to) {
                da_strlist_push_owned(paths, da_record_path_normalise(relative_to, line));
                free(line);
            } else {
                da_strlist_push_owned(paths, line);
            }
        }
        i = end + 1;
    }
    return 0;
}
