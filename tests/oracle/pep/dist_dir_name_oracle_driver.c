/* Answers oracle_dist_dir_name.py's questions with da_pep's directory-name functions, one
 * line per question. Fields in and out are hex-encoded UTF-8 ("-" is NULL, "=" is "").
 *   NE name              -> escaped name
 *   VE version           -> escaped version
 *   DI name version      -> .dist-info directory name
 *   D dirname            -> E | OK name version python platform egg(0/1)
 *   DM dirname name      -> 0 | 1
 *   DV dirversion version -> 0 | 1 */
#include "depaudit/pep.h"
#include "hex_fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void answer(const char *kind, char *line)
{
    char *a = oracle_field(&line);
    if (strcmp(kind, "NE") == 0 || strcmp(kind, "VE") == 0) {
        char *e = kind[0] == 'N' ? da_name_escape(a) : da_version_escape(a);
        oracle_put_hex(e);
        free(e);
    } else if (strcmp(kind, "DI") == 0) {
        char *b = oracle_field(&line);
        char *d = da_dist_info_dir_name(a, b);
        oracle_put_hex(d);
        free(d);
        free(b);
    } else if (strcmp(kind, "D") == 0) {
        da_dist_dir_name d;
        if (da_dist_dir_name_parse(a, &d, NULL) != 0) {
            fputs("E", stdout);
        } else {
            const char *parts[4] = {d.name, d.version, d.python, d.platform};
            fputs("OK", stdout);
            for (int i = 0; i < 4; i++) {
                putchar('\t');
                oracle_put_hex(parts[i]);
            }
            printf("\t%d", d.egg_info);
            da_dist_dir_name_free(&d);
        }
    } else if (strcmp(kind, "DM") == 0 || strcmp(kind, "DV") == 0) {
        char *b = oracle_field(&line);
        bool yes = kind[1] == 'M' ? da_dist_dir_matches(a, b) : da_dist_dir_version_equal(a, b);
        fputs(yes ? "1" : "0", stdout);
        free(b);
    } else {
        fprintf(stderr, "unknown question '%s'\n", kind);
        exit(2);
    }
    putchar('\n');
    free(a);
}

int main(void)
{
    char *buf = NULL;
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&buf, &cap, stdin)) > 0) {
        if (buf[got - 1] == '\n')
            buf[got - 1] = '\0';
        char *line = buf;
        char *kind = strsep(&line, "\t");
        answer(kind, line ? line : (char *)"");
    }
    free(buf);
    return 0;
}
