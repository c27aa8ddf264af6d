/* Differential test: the fast path against the full tree-sitter path, file by file.
 *
 * usage: diff_fast_full [--show-fallbacks] [--max N] PATH...
 *
 * Every .py and .ipynb file under each PATH (a directory or a file; symlinked directories
 * are followed once, nothing is skipped) is extracted twice: with DA_PARSER_FULL (tree-sitter
 * for every file, the reference) and with DA_PARSER_AUTO (the fast path, tree-sitter for what
 * it leaves). Every field of every record, every warning, the dynamic-import count and the
 * alternative-group numbering must be identical. Prints the files and bytes compared, how
 * many the fast path settled, and each difference; exits 1 on any difference. */
#include "describe_imports.h"

#include "depaudit/imports.h"
#include "depaudit/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct totals {
    size_t files, bytes, fast, fast_bytes, differ, unreadable;
    bool show_fallbacks;
    size_t max_reports;
} totals;

static void report(totals *t, const char *path, const char *full, const char *fast)
{
    t->differ++;
    if (t->differ > t->max_reports)
        return;
    printf("DIFFERENT: %s\n--- full path\n%s--- fast path\n%s\n", path, full, fast);
}

static void compare_file(totals *t, const char *path)
{
    char *bytes;
    size_t len;
    da_error err;
    if (da_read_file(path, &bytes, &len, &err) < 0) {
        t->unreadable++;
        return;
    }
    da_import_set full = {0}, fast = {0};
    da_imports_extract_buffer_using(path, bytes, len, DA_PARSER_FULL, &full);
    da_imports_extract_buffer_using(path, bytes, len, DA_PARSER_AUTO, &fast);
    char *a = describe_imports(&full), *b = describe_imports(&fast);
    t->files++;
    t->bytes += len;
    if (fast.fast_parsed > 0) {
        t->fast++;
        t->fast_bytes += len;
    } else if (t->show_fallbacks) {
        printf("fallback: %s\n", path);
    }
    if (strcmp(a, b) != 0)
        report(t, path, a, b);
    free(a);
    free(b);
    da_import_set_free(&full);
    da_import_set_free(&fast);
    free(bytes);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(totals *t, const char *path, int depth)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return;
    if (S_ISREG(sb.st_mode)) {
        if (da_str_ends_with(path, ".py") || da_str_ends_with(path, ".ipynb"))
            compare_file(t, path);
        return;
    }
    if (!S_ISDIR(sb.st_mode) || depth > 40)
        return;
    DIR *d = opendir(path);
    if (!d)
        return;
    da_strlist names = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            da_strlist_push(&names, e->d_name);
    closedir(d);
    if (names.len > 1)
        qsort(names.items, names.len, sizeof(char *), compare_names);
    for (size_t i = 0; i < names.len; i++) {
        char *child = da_xasprintf("%s/%s", path, names.items[i]);
        struct stat lb;
        /* Symlinked directories are not followed (they lead to trees walked anyway). */
        if (lstat(child, &lb) == 0 && !S_ISLNK(lb.st_mode))
            walk(t, child, depth + 1);
        free(child);
    }
    da_strlist_free(&names);
}

int main(int argc, char **argv)
{
    totals t = {.max_reports = 20};
    int first = 1;
    for (; first < argc && argv[first][0] == '-'; first++) {
        if (strcmp(argv[first], "--show-fallbacks") == 0)
            t.show_fallbacks = true;
        else if (strcmp(argv[first], "--max") == 0 && first + 1 < argc)
            t.max_reports = (size_t)atol(argv[++first]);
        else
            break;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: diff_fast_full [--show-fallbacks] [--max N] PATH...\n");
        return 2;
    }
    for (int i = first; i < argc; i++)
        walk(&t, argv[i], 0);
    printf("compared %zu files (%.1f MB); the fast path settled %zu (%.1f%%, %.1f MB); %zu "
           "differ; %zu unreadable\n",
           t.files, (double)t.bytes / 1e6, t.fast,
           t.files ? 100.0 * (double)t.fast / (double)t.files : 0.0, (double)t.fast_bytes / 1e6,
           t.differ, t.unreadable);
    return t.differ == 0 && t.files > 0 ? 0 : 1;
}
