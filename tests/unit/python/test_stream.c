/* The streaming scan: batches in file order with the numbering da_imports_scan gives, for
 * any thread count; a sink that stops the scan; the size limit on one source file; the
 * streamed JSON document against da_imports_to_json. Trees are built in a fresh temporary
 * directory per test. */
/* cmocka needs these first, in this order. */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "describe_imports.h"

#include "depaudit/imports.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char tmp_root[256];

static void write_file(const char *rel, const char *content)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", tmp_root, rel);
    for (char *p = path + strlen(tmp_root) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(path, 0755) != 0 && errno != EEXIST)
                fail_msg("mkdir %s: %s", path, strerror(errno));
            *p = '/';
        }
    }
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
}

static int setup_tree(void **state)
{
    (void)state;
    snprintf(tmp_root, sizeof(tmp_root), "/tmp/depaudit-test-stream-XXXXXX");
    if (!mkdtemp(tmp_root))
        return -1;
    /* Alternative groups in several files, a broken file, a notebook, nested packages. */
    for (int i = 0; i < 40; i++) {
        char rel[64], src[512];
        snprintf(rel, sizeof(rel), "pkg%d/mod%d.py", i % 4, i);
        snprintf(src, sizeof(src),
                 "import os\ntry:\n    import opt%d\nexcept ImportError:\n    opt%d = None\n"
                 "from pkg%d import sibling\n__import__('dyn%d')\n__import__(name)\n",
                 i, i, i % 4, i);
        write_file(rel, src);
    }
    write_file("pkg0/__init__.py", "");
    write_file("broken.py", "import ok\ndef f(:\n    pass\n");
    write_file("nb.ipynb", "{\"cells\":[{\"cell_type\":\"code\",\"source\":\"try:\\n    import a\\n"
                           "except ImportError:\\n    import b\\n\"}]}");
    return 0;
}

static int remove_tree(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_root);
    return system(cmd) == 0 ? 0 : -1;
}

typedef struct collected {
    da_import_set all; /* the batches' records and warnings, appended */
    size_t batches, stop_after;
    bool begun;
    char last_file[512];
} collected;

static int on_begin(const da_import_set *summary, void *ctx)
{
    collected *c = ctx;
    assert_false(c->begun);
    assert_true(summary->first_party.len > 0);
    c->begun = true;
    return 0;
}

static int on_file(const da_import_set *batch, void *ctx)
{
    collected *c = ctx;
    assert_true(c->begun);
    c->batches++;
    for (size_t i = 0; i < batch->len; i++) {
        const da_import *im = &batch->items[i];
        /* file order: never back to an earlier path */
        assert_true(strcmp(c->last_file, im->file) <= 0);
        snprintf(c->last_file, sizeof(c->last_file), "%s", im->file);
        da_import copy = *im;
        copy.root = strdup(im->root);
        copy.file = strdup(im->file);
        copy.module = strdup(im->module);
        copy.condition = im->condition ? strdup(im->condition) : NULL;
        memset(&copy.names, 0, sizeof(copy.names));
        memset(&copy.ignore_codes, 0, sizeof(copy.ignore_codes));
        for (size_t k = 0; k < im->names.len; k++)
            da_strlist_push(&copy.names, im->names.items[k]);
        for (size_t k = 0; k < im->ignore_codes.len; k++)
            da_strlist_push(&copy.ignore_codes, im->ignore_codes.items[k]);
        DA_PUSH(c->all.items, c->all.len, c->all.cap, copy);
    }
    return c->stop_after && c->batches >= c->stop_after ? 7 : 0;
}

static void test_stream_matches_scan(void **state)
{
    (void)state;
    const char *roots[] = {tmp_root};
    da_import_options o;
    da_import_options_init(&o);
    da_import_set whole = {0};
    da_error err;
    assert_int_equal(da_imports_scan(roots, 1, &o, &whole, &err), 0);
    char *expected = describe_imports(&whole);
    for (int threads = 1; threads <= 4; threads += 3) {
        o.threads = threads;
        collected c = {0};
        da_import_sink sink = {on_begin, on_file, &c};
        da_import_set summary = {0};
        assert_int_equal(da_imports_scan_stream(roots, 1, &o, &sink, &summary, &err), 0);
        assert_int_equal(summary.len, 0);
        assert_int_equal(c.batches, summary.files);
        /* The records as batches carried them, the counts and warnings as the summary
         * holds them: together what da_imports_scan returns. */
        c.all.files = summary.files;
        c.all.dynamic_unresolved = summary.dynamic_unresolved;
        c.all.next_group = summary.next_group;
        c.all.errors = summary.errors;
        c.all.nerrors = summary.nerrors;
        char *got = describe_imports(&c.all);
        assert_string_equal(got, expected);
        free(got);
        c.all.errors = NULL;
        c.all.nerrors = 0;
        assert_true(summary.fast_parsed > 0);
        da_import_set_free(&c.all);
        da_import_set_free(&summary);
    }
    free(expected);
    da_import_set_free(&whole);
    da_import_options_free(&o);
}

static void test_sink_stops_the_scan(void **state)
{
    (void)state;
    const char *roots[] = {tmp_root};
    da_import_options o;
    da_import_options_init(&o);
    o.threads = 2;
    collected c = {.stop_after = 3};
    da_import_sink sink = {on_begin, on_file, &c};
    da_import_set summary = {0};
    da_error err;
    assert_int_equal(da_imports_scan_stream(roots, 1, &o, &sink, &summary, &err), 7);
    assert_int_equal(c.batches, 3);
    da_import_set_free(&c.all);
    da_import_set_free(&summary);
    da_import_options_free(&o);
}

static void test_file_size_limit(void **state)
{
    (void)state;
    char big[4096];
    memset(big, '#', sizeof(big) - 1);
    big[0] = '\n';
    big[sizeof(big) - 1] = '\0';
    write_file("huge.py", big);
    const char *roots[] = {tmp_root};
    da_import_options o;
    da_import_options_init(&o);
    o.max_file_bytes = 2048;
    da_import_set s = {0};
    da_error err;
    assert_int_equal(da_imports_scan(roots, 1, &o, &s, &err), 0);
    bool warned = false;
    for (size_t i = 0; i < s.nerrors; i++)
        if (strcmp(s.errors[i].file, "huge.py") == 0 && strstr(s.errors[i].message, "4095 bytes") &&
            strstr(s.errors[i].message, "larger than 2 KiB"))
            warned = true;
    assert_true(warned);
    assert_int_equal(s.files, 43); /* 40 modules, __init__, broken.py, the notebook */
    da_import_set_free(&s);
    da_import_options_free(&o);
}

/* The streamed document and da_imports_to_json hold the same members and values. */
static void test_json_stream_matches(void **state)
{
    (void)state;
    const char *roots[] = {tmp_root};
    da_import_options o;
    da_import_options_init(&o);
    da_import_set whole = {0};
    da_error err;
    assert_int_equal(da_imports_scan(roots, 1, &o, &whole, &err), 0);
    char *reference = da_imports_to_json(&whole);

    da_buf out = {0};
    da_imports_json_writer w = {.out = &out};
    da_imports_json_begin(&w, &whole);
    da_imports_json_records(&w, &whole);
    da_imports_json_end(&w, &whole);
    char *text = out.data;
    cJSON *a = cJSON_Parse(reference), *b = cJSON_Parse(text);
    assert_non_null(a);
    assert_non_null(b);
    const char *members[] = {"files", "errors", "dynamic_unresolved", "first_party", "imports"};
    for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++)
        if (!cJSON_Compare(cJSON_GetObjectItemCaseSensitive(a, members[i]),
                           cJSON_GetObjectItemCaseSensitive(b, members[i]), true))
            fail_msg("member %s differs", members[i]);
    assert_int_equal(cJSON_GetArraySize(b), 5);
    assert_true(w.records == whole.len);
    cJSON_Delete(a);
    cJSON_Delete(b);
    free(text);
    free(reference);
    da_import_set_free(&whole);
    da_import_options_free(&o);
}

/* Control characters and quotes in names and messages are escaped as cJSON escapes them. */
static void test_json_escapes(void **state)
{
    (void)state;
    da_import_set s = {0};
    /* a raw literal: the module name keeps the quote, backslash and control character */
    const char *src = "__import__(r'a\"b\\c\x01')\nimport x\n";
    da_imports_extract_buffer("q\"\\\x01\t.py", src, strlen(src), &s);
    assert_int_equal(s.len, 2);
    char *reference = da_imports_to_json(&s);
    da_buf out = {0};
    da_imports_json_writer w = {.out = &out};
    da_imports_json_begin(&w, &s);
    da_imports_json_records(&w, &s);
    da_imports_json_end(&w, &s);
    char *text = out.data;
    /* The record objects are byte for byte the ones cJSON prints. */
    const char *ref_imports = strstr(reference, "\"imports\":[");
    const char *got_imports = strstr(text, "\"imports\":[");
    assert_non_null(ref_imports);
    assert_non_null(got_imports);
    size_t n = strlen(ref_imports) - 1; /* up to the closing brace of the document */
    assert_memory_equal(ref_imports, got_imports, n - 1);
    free(text);
    free(reference);
    da_import_set_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stream_matches_scan, setup_tree, remove_tree),
        cmocka_unit_test_setup_teardown(test_sink_stops_the_scan, setup_tree, remove_tree),
        cmocka_unit_test_setup_teardown(test_file_size_limit, setup_tree, remove_tree),
        cmocka_unit_test_setup_teardown(test_json_stream_matches, setup_tree, remove_tree),
        cmocka_unit_test(test_json_escapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
