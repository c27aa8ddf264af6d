/* Prints what src/pep's wheel/metadata/RECORD code makes of real inputs, one record per
 * line, for the Python oracle scripts beside it to compare with packaging.tags,
 * importlib.metadata and zipfile. Test-only: libzip is linked here, not in src/pep.
 *
 *   pep_wheel_probe tags X.Y glibc|musl MAJOR.MINOR ARCH   supported tags, best first
 *   pep_wheel_probe dists < dirs        per *.dist-info / *.egg-info dir (one per line):
 *       dir TAB modules TAB namespaces   (comma-separated; "!" + error on failure)
 *   pep_wheel_probe metadata < files    file TAB name TAB version TAB requires_python
 *       TAB provides_extra(|) TAB requires_dist(|)
 *   pep_wheel_probe requires < files    file TAB requirement TAB requirement ...
 *   pep_wheel_probe wheel FILE.whl...   see print_wheel
 */
#include "depaudit/core_metadata.h"
#include "depaudit/wheel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

static void print_list(const da_strlist *l, char sep)
{
    for (size_t i = 0; i < l->len; i++) {
        if (i)
            putchar(sep);
        fputs(l->items[i], stdout);
    }
}

static void print_error(const char *what, const da_error *err)
{
    char msg[2048];
    da_error_format(err, msg, sizeof(msg));
    printf("%s\t!%s\n", what, msg);
}

static int cmd_tags(int argc, char **argv)
{
    if (argc != 6)
        return 2;
    da_target t;
    int maj, min, lmaj, lmin;
    if (sscanf(argv[2], "%d.%d", &maj, &min) != 2 || sscanf(argv[4], "%d.%d", &lmaj, &lmin) != 2)
        return 2;
    da_target_init(&t, maj, min, -1);
    t.libc = strcmp(argv[3], "musl") == 0 ? DA_LIBC_MUSL : DA_LIBC_GLIBC;
    t.libc_major = lmaj;
    t.libc_minor = lmin;
    snprintf(t.machine, sizeof(t.machine), "%s", argv[5]);
    da_strlist tags = {0};
    da_target_supported_tags(&t, &tags);
    for (size_t i = 0; i < tags.len; i++)
        puts(tags.items[i]);
    da_strlist_free(&tags);
    return 0;
}

/* Lines of stdin, without their newline; NULL at the end. */
static char *next_line(char **buf, size_t *cap)
{
    ssize_t n = getline(buf, cap, stdin);
    if (n < 0)
        return NULL;
    if (n > 0 && (*buf)[n - 1] == '\n')
        (*buf)[n - 1] = '\0';
    return *buf;
}

/* The paths a distribution's metadata directory lists: RECORD, else (egg-info)
 * installed-files.txt, whose paths are relative to the directory itself. */
static int read_dist_paths(const char *dir, da_strlist *paths, da_error *err)
{
    char *path = da_xasprintf("%s/RECORD", dir);
    char *text;
    size_t len;
    int rc;
    if (da_read_file(path, &text, &len, NULL) == 0) {
        rc = da_record_parse(text, len, path, paths, err);
    } else {
        free(path);
        path = da_xasprintf("%s/installed-files.txt", dir);
        if (da_read_file(path, &text, &len, err) < 0) {
            free(path);
            return -1;
        }
        const char *base = strrchr(dir, '/');
        base = base ? base + 1 : dir;
        rc = da_file_list_parse(text, len, path, base, paths, err);
    }
    free(text);
    free(path);
    return rc;
}

static int cmd_dists(void)
{
    char *line = NULL;
    size_t cap = 0;
    while (next_line(&line, &cap)) {
        da_strlist paths = {0};
        da_error err;
        if (read_dist_paths(line, &paths, &err) < 0) {
            print_error(line, &err);
        } else {
            da_release r = {0};
            da_modules_from_paths(&paths, &r);
            printf("%s\t", line);
            print_list(&r.modules, ',');
            putchar('\t');
            print_list(&r.namespaces, ',');
            putchar('\n');
            da_strlist_free(&r.modules);
            da_strlist_free(&r.namespaces);
        }
        da_strlist_free(&paths);
    }
    free(line);
    return 0;
}

static void print_metadata(const char *what, const char *text, size_t len)
{
    da_core_metadata m;
    da_error err;
    if (da_core_metadata_parse(text, len, what, &m, &err) < 0) {
        print_error(what, &err);
        return;
    }
    printf("%s\t%s\t%s\t%s\t", what, m.name ? m.name : "", m.version ? m.version : "",
           m.requires_python ? m.requires_python : "");
    print_list(&m.provides_extra, '|');
    putchar('\t');
    print_list(&m.requires_dist, '|');
    putchar('\n');
    da_core_metadata_free(&m);
}

static int cmd_files(bool requires)
{
    char *line = NULL;
    size_t cap = 0;
    while (next_line(&line, &cap)) {
        char *text;
        size_t len;
        da_error err;
        if (da_read_file(line, &text, &len, &err) < 0) {
            print_error(line, &err);
            continue;
        }
        if (requires) {
            da_strlist reqs = {0};
            if (da_requires_txt_parse(text, len, line, &reqs, &err) < 0) {
                print_error(line, &err);
            } else {
                printf("%s", line);
                for (size_t i = 0; i < reqs.len; i++)
                    printf("\t%s", reqs.items[i]);
                putchar('\n');
            }
            da_strlist_free(&reqs);
        } else {
            print_metadata(line, text, len);
        }
        free(text);
    }
    free(line);
    return 0;
}

static char *read_member(zip_t *z, const char *name, size_t *len)
{
    zip_stat_t st;
    if (zip_stat(z, name, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE))
        return NULL;
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f)
        return NULL;
    char *data = da_xmalloc(st.size + 1);
    zip_int64_t got = zip_fread(f, data, st.size);
    zip_fclose(f);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(data);
        return NULL;
    }
    data[st.size] = '\0';
    *len = st.size;
    return data;
}

/* Lines: "name\tNAME\tVERSION" from the file name; "metadata\t..." as print_metadata;
 * "record\tPATH|PATH..." from RECORD; "names-modules\tM,..\tNS,.." derived from the zip's
 * name list; "record-modules\t..." the same from RECORD; "full\tM,..." full depth. */
static int print_wheel(const char *file)
{
    da_wheel_name w;
    da_error err;
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    if (da_wheel_name_parse(base, &w, &err) < 0) {
        print_error(file, &err);
        return 1;
    }
    printf("name\t%s\t%s\n", w.name, w.version);
    int zerr;
    zip_t *z = zip_open(file, ZIP_RDONLY, &zerr);
    if (!z) {
        printf("!cannot open %s\n", file);
        da_wheel_name_free(&w);
        return 1;
    }
    da_strlist names = {0};
    zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *nm = zip_get_name(z, (zip_uint64_t)i, 0);
        if (nm && !da_str_ends_with(nm, "/"))
            da_strlist_push(&names, nm);
    }
    char *distinfo = da_xasprintf("%s-%s.dist-info", w.name, w.version);
    char *meta_name = da_xasprintf("%s/METADATA", distinfo);
    char *record_name = da_xasprintf("%s/RECORD", distinfo);
    size_t len;
    char *text = read_member(z, meta_name, &len);
    if (text)
        print_metadata("metadata", text, len);
    free(text);
    da_strlist record = {0};
    text = read_member(z, record_name, &len);
    if (text && da_record_parse(text, len, record_name, &record, &err) == 0) {
        printf("record\t");
        print_list(&record, '|');
        putchar('\n');
    } else if (text) {
        print_error("record", &err);
    }
    free(text);
    const da_strlist *lists[2] = {&names, &record};
    const char *labels[2] = {"names-modules", "record-modules"};
    for (int k = 0; k < 2; k++) {
        da_release r = {0};
        da_modules_from_paths(lists[k], &r);
        printf("%s\t", labels[k]);
        print_list(&r.modules, ',');
        putchar('\t');
        print_list(&r.namespaces, ',');
        putchar('\n');
        da_strlist_free(&r.modules);
        da_strlist_free(&r.namespaces);
    }
    da_strlist full = {0}, pth = {0};
    da_modules_full_depth(&names, &full);
    da_pth_files_from_paths(&names, &pth);
    printf("full\t");
    print_list(&full, ',');
    printf("\npth\t");
    print_list(&pth, ',');
    putchar('\n');
    da_strlist_free(&full);
    da_strlist_free(&pth);
    da_strlist_free(&record);
    da_strlist_free(&names);
    free(distinfo);
    free(meta_name);
    free(record_name);
    zip_close(z);
    da_wheel_name_free(&w);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "tags") == 0)
        return cmd_tags(argc, argv);
    if (argc == 2 && strcmp(argv[1], "dists") == 0)
        return cmd_dists();
    if (argc == 2 && strcmp(argv[1], "metadata") == 0)
        return cmd_files(false);
    if (argc == 2 && strcmp(argv[1], "requires") == 0)
        return cmd_files(true);
    if (argc >= 3 && strcmp(argv[1], "wheel") == 0) {
        int rc = 0;
        for (int i = 2; i < argc; i++)
            rc |= print_wheel(argv[i]);
        return rc;
    }
    fprintf(stderr, "usage: see the comment at the top of pep_wheel_probe.c\n");
    return 2;
}
