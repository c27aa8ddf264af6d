/* Prints, as JSON, what depaudit's site-packages reader finds in a directory: every
 * distribution with its top-level import names. The oracle script compares this with
 * importlib.metadata.packages_distributions() over the same directory.
 *   site_packages_dump DIR */
#include "depaudit/metadata.h"

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: site_packages_dump DIR\n");
        return 2;
    }
    da_release **list = NULL;
    da_strlist warnings = {0};
    da_error err = {0};
    int n = da_site_packages_scan(argv[1], &list, &warnings, &err);
    if (n < 0) {
        char msg[2048];
        da_error_format(&err, msg, sizeof(msg));
        fprintf(stderr, "site_packages_dump: %s\n", msg);
        return 1;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON *dists = cJSON_AddArrayToObject(root, "distributions");
    for (int i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", list[i]->name);
        cJSON_AddStringToObject(o, "version", list[i]->version);
        cJSON_AddStringToObject(o, "origin", list[i]->origin);
        cJSON_AddBoolToObject(o, "modules_known", list[i]->modules_known);
        da_strlist tops = {0};
        da_release_top_levels(list[i], &tops);
        cJSON *a = cJSON_AddArrayToObject(o, "top_levels");
        for (size_t k = 0; k < tops.len; k++)
            cJSON_AddItemToArray(a, cJSON_CreateString(tops.items[k]));
        da_strlist_free(&tops);
        cJSON_AddItemToArray(dists, o);
    }
    cJSON *w = cJSON_AddArrayToObject(root, "warnings");
    for (size_t k = 0; k < warnings.len; k++)
        cJSON_AddItemToArray(w, cJSON_CreateString(warnings.items[k]));
    char *s = cJSON_Print(root);
    puts(s);
    free(s);
    cJSON_Delete(root);
    da_strlist_free(&warnings);
    da_releases_free(list, (size_t)n);
    return 0;
}
