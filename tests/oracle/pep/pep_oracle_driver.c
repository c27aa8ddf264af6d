/* Answers the oracle's questions with da_pep, one line per question. Every field in and
 * out is hex-encoded UTF-8, so any text (tabs, line breaks) travels intact.
 *   N name                 -> normalized  valid(0/1)
 *   V text                 -> E | OK normalized prerelease(0/1)
 *   C a b                  -> -1 | 0 | 1            (both valid versions)
 *   S spec                 -> E | OK str
 *   SC spec version pre    -> E | 0 | 1             (pre: -1 default, 0, 1)
 *   M marker               -> E | OK str
 *   ME marker extra|- f1..f11 -> E | 1 | 0 | -1      (-1: packaging raises)
 *   R req                  -> E col | OK name extras spec url|- marker|- str */
#include "depaudit/pep.h"
#include "hex_fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
        if (strcmp(kind, "N") == 0) {
            char *s = oracle_field(&line);
            char *n = da_name_normalize(s);
            oracle_put_hex(n);
            printf("\t%d\n", da_name_is_valid(s));
            free(n);
            free(s);
        } else if (strcmp(kind, "V") == 0) {
            char *s = oracle_field(&line);
            da_version *v = da_version_parse(s, NULL);
            if (!v) {
                puts("E");
            } else {
                char *str = da_version_to_string(v);
                fputs("OK\t", stdout);
                oracle_put_hex(str);
                printf("\t%d\n", da_version_is_prerelease(v));
                free(str);
            }
            da_version_free(v);
            free(s);
        } else if (strcmp(kind, "C") == 0) {
            char *a = oracle_field(&line), *b = oracle_field(&line);
            da_version *va = da_version_parse(a, NULL), *vb = da_version_parse(b, NULL);
            if (!va || !vb) {
                puts("E");
            } else {
                int c = da_version_compare(va, vb);
                printf("%d\n", c < 0 ? -1 : (c > 0 ? 1 : 0));
            }
            da_version_free(va);
            da_version_free(vb);
            free(a);
            free(b);
        } else if (strcmp(kind, "S") == 0 || strcmp(kind, "SC") == 0) {
            char *s = oracle_field(&line);
            da_specifier_set *set = da_specifier_set_parse(s, NULL);
            if (!set) {
                puts("E");
            } else if (kind[1] == 'C') {
                char *vs = oracle_field(&line), *pre = oracle_field(&line);
                da_version *v = da_version_parse(vs, NULL);
                if (!v)
                    puts("E");
                else
                    printf("%d\n", da_specifier_set_contains(set, v, atoi(pre)));
                da_version_free(v);
                free(vs);
                free(pre);
            } else {
                char *str = da_specifier_set_to_string(set);
                fputs("OK\t", stdout);
                oracle_put_hex(str);
                putchar('\n');
                free(str);
            }
            da_specifier_set_free(set);
            free(s);
        } else if (strcmp(kind, "M") == 0 || strcmp(kind, "ME") == 0) {
            char *s = oracle_field(&line);
            da_marker *m = da_marker_parse(s, NULL);
            if (!m) {
                puts("E");
            } else if (kind[1] == 'E') {
                char *extra_f = strsep(&line, "\t");
                char *extra = (extra_f && strcmp(extra_f, "-") != 0) ? oracle_unhex(extra_f) : NULL;
                da_marker_env env;
                char *fields[11];
                for (int i = 0; i < 11; i++)
                    fields[i] = oracle_field(&line);
                char *dst[11] = {env.python_version,
                                 env.python_full_version,
                                 env.os_name,
                                 env.sys_platform,
                                 env.platform_system,
                                 env.platform_machine,
                                 env.platform_release,
                                 env.platform_version,
                                 env.platform_python_implementation,
                                 env.implementation_name,
                                 env.implementation_version};
                size_t sizes[11] = {sizeof env.python_version,
                                    sizeof env.python_full_version,
                                    sizeof env.os_name,
                                    sizeof env.sys_platform,
                                    sizeof env.platform_system,
                                    sizeof env.platform_machine,
                                    sizeof env.platform_release,
                                    sizeof env.platform_version,
                                    sizeof env.platform_python_implementation,
                                    sizeof env.implementation_name,
                                    sizeof env.implementation_version};
                for (int i = 0; i < 11; i++) {
                    snprintf(dst[i], sizes[i], "%s", fields[i]);
                    free(fields[i]);
                }
                printf("%d\n", da_marker_evaluate(m, &env, extra));
                free(extra);
            } else {
                char *str = da_marker_to_string(m);
                fputs("OK\t", stdout);
                oracle_put_hex(str);
                putchar('\n');
                free(str);
            }
            da_marker_free(m);
            free(s);
        } else if (strcmp(kind, "R") == 0) {
            char *s = oracle_field(&line);
            da_error err;
            da_error_clear(&err);
            da_requirement *r = da_requirement_parse(s, &err);
            if (!r) {
                printf("E\t%d\n", err.col);
            } else {
                da_buf extras = {0};
                da_buf_puts(&extras, "");
                for (size_t i = 0; i < r->extras.len; i++) {
                    if (i)
                        da_buf_putc(&extras, ',');
                    da_buf_puts(&extras, r->extras.items[i]);
                }
                char *spec = da_specifier_set_to_string(r->specifier);
                char *mk = r->marker ? da_marker_to_string(r->marker) : NULL;
                char *str = da_requirement_to_string(r);
                fputs("OK\t", stdout);
                oracle_put_hex(r->name);
                putchar('\t');
                oracle_put_hex(extras.data);
                putchar('\t');
                oracle_put_hex(spec);
                putchar('\t');
                oracle_put_hex(r->url);
                putchar('\t');
                oracle_put_hex(mk);
                putchar('\t');
                oracle_put_hex(str);
                putchar('\n');
                free(spec);
                free(mk);
                free(str);
                da_buf_free(&extras);
            }
            da_requirement_free(r);
            free(s);
        } else {
            printf("?\n");
        }
    }
    free(buf);
    return 0;
}
