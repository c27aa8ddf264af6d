/* Wheel and sdist file names, the supported-tag list's landmarks, ranking and choosing a
 * file. The exact tag order is checked against packaging.tags in tests/oracle/pep_wheel. */
/* cmocka.h needs these first; the blank line keeps clang-format from reordering them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "depaudit/wheel.h"

#include <stdlib.h>
#include <string.h>

typedef struct wheel_case {
    const char *filename;
    const char *name, *version, *build; /* name NULL: must be rejected */
    const char *tags;                   /* expanded tags joined with ' ' */
} wheel_case;

static const wheel_case wheel_cases[] = {
    {"pip-23.0.1-py3-none-any.whl", "pip", "23.0.1", NULL, "py3-none-any"},
    {"six-1.16.0-py2.py3-none-any.whl", "six", "1.16.0", NULL, "py2-none-any py3-none-any"},
    {"numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", "numpy", "1.26.4",
     NULL, "cp311-cp311-manylinux_2_17_x86_64 cp311-cp311-manylinux2014_x86_64"},
    {"foo-1.0-1-py3-none-any.whl", "foo", "1.0", "1", "py3-none-any"},
    {"foo-1.0-2abc-py3-none-any.whl", "foo", "1.0", "2abc", "py3-none-any"},
    {"opentelemetry_api-1.21.0-py3-none-any.whl", "opentelemetry_api", "1.21.0", NULL,
     "py3-none-any"},
    {"Pillow-10.0.0-CP311-CP311-Manylinux_2_28_X86_64.whl", "Pillow", "10.0.0", NULL,
     "cp311-cp311-manylinux_2_28_x86_64"},
    {"a-1-py2.py3-cp27mu.none-x.y.whl", "a", "1", NULL,
     "py2-cp27mu-x py2-cp27mu-y py2-none-x py2-none-y py3-cp27mu-x py3-cp27mu-y py3-none-x "
     "py3-none-y"},
    {"cryptography-41.0.0-cp37-abi3-musllinux_1_1_aarch64.whl", "cryptography", "41.0.0", NULL,
     "cp37-abi3-musllinux_1_1_aarch64"},
    /* rejected */
    {"pip-23.0.1-py3-none-any.zip", NULL, NULL, NULL, NULL},
    {"pip-23.0.1-none-any.whl", NULL, NULL, NULL, NULL},
    {"a-1-x-2-py3-none-any.whl", NULL, NULL, NULL, NULL},
    {"foo-1.0-abc-py3-none-any.whl", NULL, NULL, NULL, NULL},
    {"foo--py3-none-any.whl", NULL, NULL, NULL, NULL},
    {"foo-1.0-py3.-none-any.whl", NULL, NULL, NULL, NULL},
    {"foo-1.0-py3..py2-none-any.whl", NULL, NULL, NULL, NULL},
    {"foo-1.0-py3-none-.whl", NULL, NULL, NULL, NULL},
    {"foo bar-1.0-py3-none-any.whl", NULL, NULL, NULL, NULL},
    {".whl", NULL, NULL, NULL, NULL},
    {"", NULL, NULL, NULL, NULL},
};

static char *joined(const da_strlist *l)
{
    da_buf b = {0};
    for (size_t i = 0; i < l->len; i++) {
        if (i)
            da_buf_putc(&b, ' ');
        da_buf_puts(&b, l->items[i]);
    }
    return da_buf_take(&b);
}

static void test_wheel_name_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(wheel_cases) / sizeof(wheel_cases[0]); i++) {
        const wheel_case *c = &wheel_cases[i];
        da_wheel_name w;
        da_error err;
        da_error_clear(&err);
        int rc = da_wheel_name_parse(c->filename, &w, &err);
        if (!c->name) {
            if (rc != -1)
                fail_msg("%s: accepted, should be rejected", c->filename);
            assert_string_equal(err.file, c->filename);
            assert_non_null(strstr(err.message, "invalid wheel file name"));
            continue;
        }
        if (rc != 0)
            fail_msg("%s: rejected: %s", c->filename, err.message);
        assert_string_equal(w.name, c->name);
        assert_string_equal(w.version, c->version);
        if (c->build)
            assert_string_equal(w.build, c->build);
        else
            assert_null(w.build);
        char *tags = joined(&w.tags);
        assert_string_equal(tags, c->tags);
        free(tags);
        da_wheel_name_free(&w);
    }
}

static void test_tag_set_expansion_is_bounded(void **state)
{
    (void)state;
    /* 32 x 32 = 1024 tags is accepted, 32 x 32 x 2 is refused */
    da_buf interp = {0}, abi = {0};
    for (int i = 0; i < 32; i++) {
        da_buf_printf(&interp, "%sp%d", i ? "." : "", i);
        da_buf_printf(&abi, "%sa%d", i ? "." : "", i);
    }
    char *ok = da_xasprintf("x-1-%s-%s-any.whl", interp.data, abi.data);
    char *big = da_xasprintf("x-1-%s-%s-any.any2.whl", interp.data, abi.data);
    da_wheel_name w;
    da_error err;
    assert_int_equal(da_wheel_name_parse(ok, &w, &err), 0);
    assert_int_equal(w.tags.len, 1024);
    assert_string_equal(w.tags.items[1023], "p31-a31-any");
    da_wheel_name_free(&w);
    assert_int_equal(da_wheel_name_parse(big, &w, &err), -1);
    assert_non_null(strstr(err.message, "more than 1024 tags"));
    free(ok);
    free(big);
    da_buf_free(&interp);
    da_buf_free(&abi);
}

static void test_sdist_names(void **state)
{
    (void)state;
    static const char *const ok[][3] = {
        {"requests-2.31.0.tar.gz", "requests", "2.31.0"},
        {"python-dateutil-2.8.2.tar.gz", "python-dateutil", "2.8.2"},
        {"zope.interface-6.0.zip", "zope.interface", "6.0"},
        {"foo_bar-1.0rc1.tar.bz2", "foo_bar", "1.0rc1"},
        {"pkg-1.0-1.tgz", "pkg", "1.0-1"},
        {"Django-4.2.TAR.GZ", "Django", "4.2"},
        {"py2-tools3-0.1.tar.xz", "py2-tools3", "0.1"},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        char *name, *version;
        da_error err;
        assert_true(da_is_sdist_filename(ok[i][0]));
        if (da_sdist_name_parse(ok[i][0], &name, &version, &err) != 0)
            fail_msg("%s: %s", ok[i][0], err.message);
        assert_string_equal(name, ok[i][1]);
        assert_string_equal(version, ok[i][2]);
        free(name);
        free(version);
    }
    static const char *const bad[] = {
        "requests.tar.gz",     "requests-.tar.gz",           "-1.0.tar.gz",
        "requests-2.31.0.whl", "requests-2.31.0.tar.gz.asc", ".tar.gz",
        "a b-1.0.zip"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *name = (char *)"x", *version = (char *)"y";
        da_error err;
        if (da_sdist_name_parse(bad[i], &name, &version, &err) != -1)
            fail_msg("%s: accepted", bad[i]);
        assert_null(name);
        assert_null(version);
        assert_string_equal(err.file, bad[i]);
    }
    assert_false(da_is_sdist_filename("x-1.0-py3-none-any.whl"));

    /* knowing the project settles where the name ends */
    static const char *const known[][3] = {
        {"foo-2fa-1.0.tar.gz", "Foo_2fa", "1.0"},
        {"python-dateutil-2.8.2.tar.gz", "python_dateutil", "2.8.2"},
        {"Zope.Interface-6.0.zip", "zope-interface", "6.0"},
        {"a__b-1.tar.gz", "a.b", "1"},
    };
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        char *version;
        da_error err;
        if (da_sdist_version_for(known[i][0], known[i][1], &version, &err) != 0)
            fail_msg("%s: %s", known[i][0], err.message);
        assert_string_equal(version, known[i][2]);
        free(version);
    }
    char *version = (char *)"x";
    da_error err;
    assert_int_equal(da_sdist_version_for("foo-1.0.tar.gz", "foobar", &version, &err), -1);
    assert_null(version);
    assert_int_equal(da_sdist_version_for("foo-1.0.tar.gz", "fo", &version, &err), -1);
    assert_int_equal(da_sdist_version_for("foo-1.0.whl", "foo", &version, &err), -1);
    assert_int_equal(da_sdist_version_for("foo-.tar.gz", "foo", &version, &err), -1);
}

static int index_of(const da_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->len; i++)
        if (strcmp(l->items[i], s) == 0)
            return (int)i;
    return -1;
}

static void test_supported_tags_landmarks(void **state)
{
    (void)state;
    da_target t;
    da_target_init(&t, 3, 11, 7); /* bookworm: glibc 2.36, x86_64 */
    da_strlist tags = {0};
    da_target_supported_tags(&t, &tags);
    assert_string_equal(tags.items[0], "cp311-cp311-manylinux_2_36_x86_64");
    assert_string_equal(tags.items[tags.len - 1], "py30-none-any");
    /* the legacy alias comes right after its glibc version */
    int m2014 = index_of(&tags, "cp311-cp311-manylinux2014_x86_64");
    assert_int_equal(index_of(&tags, "cp311-cp311-manylinux_2_17_x86_64") + 1, m2014);
    assert_true(index_of(&tags, "cp311-cp311-manylinux1_x86_64") > m2014);
    assert_true(index_of(&tags, "cp311-cp311-linux_x86_64") >
                index_of(&tags, "cp311-cp311-manylinux1_x86_64"));
    /* nothing newer than the target's glibc, nothing musl */
    assert_int_equal(index_of(&tags, "cp311-cp311-manylinux_2_37_x86_64"), -1);
    assert_int_equal(index_of(&tags, "cp311-cp311-musllinux_1_2_x86_64"), -1);
    /* abi3 down to cp32, none, then the generic ones */
    assert_true(index_of(&tags, "cp32-abi3-manylinux1_x86_64") >
                index_of(&tags, "cp311-none-linux_x86_64"));
    assert_int_equal(index_of(&tags, "cp31-abi3-linux_x86_64"), -1);
    assert_true(index_of(&tags, "py3-none-any") > index_of(&tags, "cp311-none-any"));
    assert_true(index_of(&tags, "py311-none-any") < index_of(&tags, "py3-none-any"));
    assert_true(index_of(&tags, "py310-none-any") > index_of(&tags, "py3-none-any"));
    assert_int_equal(index_of(&tags, "cp312-cp312-manylinux_2_17_x86_64"), -1);
    assert_int_equal(index_of(&tags, "py2-none-any"), -1);
    da_strlist_free(&tags);

    /* aarch64 starts manylinux at 2_17; musl targets get musllinux */
    memcpy(t.machine, "aarch64", 8);
    da_target_supported_tags(&t, &tags);
    assert_int_equal(index_of(&tags, "cp311-cp311-manylinux_2_16_aarch64"), -1);
    assert_true(index_of(&tags, "cp311-cp311-manylinux2014_aarch64") >= 0);
    assert_int_equal(index_of(&tags, "cp311-cp311-manylinux2010_aarch64"), -1);
    da_strlist_free(&tags);
    t.libc = DA_LIBC_MUSL;
    t.libc_major = 1;
    t.libc_minor = 2;
    da_target_platform_tags(&t, &tags);
    assert_int_equal(tags.len, 4);
    assert_string_equal(tags.items[0], "musllinux_1_2_aarch64");
    assert_string_equal(tags.items[2], "musllinux_1_0_aarch64");
    assert_string_equal(tags.items[3], "linux_aarch64");
    da_strlist_free(&tags);

    /* 3.7 carries the pymalloc "m" ABI flag */
    da_target_init(&t, 3, 7, -1);
    da_target_supported_tags(&t, &tags);
    assert_string_equal(tags.items[0], "cp37-cp37m-manylinux_2_36_x86_64");
    da_strlist_free(&tags);
}

static void test_rank(void **state)
{
    (void)state;
    da_target t;
    da_target_init(&t, 3, 11, -1);
    int native = da_wheel_rank("numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64."
                               "manylinux2014_x86_64.whl",
                               &t);
    int abi3 = da_wheel_rank("cryptography-41.0.0-cp37-abi3-manylinux_2_28_x86_64.whl", &t);
    int pure = da_wheel_rank("six-1.16.0-py2.py3-none-any.whl", &t);
    assert_true(native >= 0);
    assert_true(abi3 > native);
    assert_true(pure > abi3);
    /* a compressed set ranks by its best member */
    assert_int_equal(da_wheel_rank("x-1-py3-none-manylinux1_x86_64.any.whl", &t),
                     da_wheel_rank("x-1-py3-none-manylinux1_x86_64.whl", &t));
    assert_int_equal(da_wheel_rank("numpy-1.26.4-cp312-cp312-manylinux_2_17_x86_64.whl", &t), -1);
    assert_int_equal(da_wheel_rank("numpy-1.26.4-cp311-cp311-win_amd64.whl", &t), -1);
    assert_int_equal(da_wheel_rank("numpy-1.26.4-cp311-cp311-manylinux_2_39_x86_64.whl", &t), -1);
    assert_int_equal(da_wheel_rank("numpy-1.26.4-cp311-cp311-musllinux_1_1_x86_64.whl", &t), -1);
    assert_int_equal(da_wheel_rank("not-a-wheel.tar.gz", &t), -1);
    assert_int_equal(da_wheel_rank("six-1.16.0-PY3-NONE-ANY.whl", &t), pure);
}

static void test_choose_release_file(void **state)
{
    (void)state;
    da_target t;
    da_target_init(&t, 3, 11, -1);
    da_release_file files[] = {
        {.filename = "pkg-1.0.tar.gz"},
        {.filename = "pkg-1.0-py3-none-any.whl"},
        {.filename = "pkg-1.0-cp311-cp311-manylinux_2_17_x86_64.whl", .yanked = true},
        {.filename = "pkg-1.0-cp311-cp311-win_amd64.whl"},
        {.filename = "pkg-1.0-cp311-abi3-manylinux_2_17_x86_64.whl"},
        {.filename = "pkg-1.0-1-cp311-abi3-manylinux_2_17_x86_64.whl"},
        {.filename = "pkg-1.0-10-cp311-abi3-manylinux_2_17_x86_64.whl"},
        {.filename = "pkg-1.0-9z-cp311-abi3-manylinux_2_17_x86_64.whl"},
        {.filename = "README.txt"},
    };
    size_t n = sizeof(files) / sizeof(files[0]);
    /* the non-yanked abi3 wheel with the highest build number */
    assert_int_equal(da_choose_release_file(files, n, &t, true), 6);
    assert_int_equal(da_choose_release_file(files, 5, &t, true), 4);
    assert_int_equal(da_choose_release_file(files, 4, &t, true), 1);
    assert_int_equal(da_choose_release_file(files, 1, &t, true), 0);
    assert_int_equal(da_choose_release_file(files, 1, &t, false), -1);
    /* only the yanked one fits: chosen rather than nothing */
    assert_int_equal(da_choose_release_file(files + 2, 2, &t, false), 0);
    assert_int_equal(da_choose_release_file(files + 3, 1, &t, true), -1);
    assert_int_equal(da_choose_release_file(NULL, 0, &t, true), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wheel_name_table),
        cmocka_unit_test(test_tag_set_expansion_is_bounded),
        cmocka_unit_test(test_sdist_names),
        cmocka_unit_test(test_supported_tags_landmarks),
        cmocka_unit_test(test_rank),
        cmocka_unit_test(test_choose_release_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
