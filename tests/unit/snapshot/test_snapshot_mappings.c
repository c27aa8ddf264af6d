/* The committed, embedded snapshot answers the well-known module -> distribution
 * questions. The answers come from the generated data (Debian file lists, pyodide,
 * installed RECORDs, curated wheel RECORDs); this file only states what must come out. */
#include "depaudit/snapshot.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static int setup(void **state)
{
    da_error err;
    da_error_clear(&err);
    da_snapshot *s = da_snapshot_open_embedded(&err);
    if (!s) {
        print_error("embedded snapshot: %s\n", err.message);
        return -1;
    }
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    da_snapshot_close(*state);
    return 0;
}

/* The distributions providing `module`, as one string for messages. */
static bool provides(const da_snapshot *s, const char *module, const char *dist)
{
    da_strlist d = {0};
    da_snapshot_which(s, module, &d);
    bool found = da_strlist_contains(&d, dist);
    if (!found) {
        print_message("%s -> [", module);
        for (size_t i = 0; i < d.len; i++)
            print_message("%s%s", i ? ", " : "", d.items[i]);
        print_message("], expected %s\n", dist);
    }
    da_strlist_free(&d);
    return found;
}

static void known_mappings(void **state)
{
    const da_snapshot *s = *state;
    assert_true(provides(s, "yaml", "pyyaml"));
    assert_true(provides(s, "PIL.Image", "pillow"));
    assert_true(provides(s, "sklearn.linear_model", "scikit-learn"));
    assert_true(provides(s, "jose.jwt", "python-jose"));
    assert_true(provides(s, "dateutil.parser", "python-dateutil"));
    assert_true(provides(s, "google.protobuf.message", "protobuf"));
    assert_true(provides(s, "zope.interface", "zope-interface"));
    assert_true(provides(s, "attr", "attrs"));
    assert_true(provides(s, "bs4", "beautifulsoup4"));
}

static void opencv_family(void **state)
{
    const da_snapshot *s = *state;
    da_strlist d = {0};
    assert_true(da_snapshot_which(s, "cv2", &d) >= 1);
    for (size_t i = 0; i < d.len; i++)
        assert_true(da_str_starts_with(d.items[i], "opencv-"));
    assert_true(da_strlist_contains(&d, "opencv-python"));
    assert_true(da_strlist_contains(&d, "opencv-python-headless"));
    da_strlist_free(&d);
}

/* One Debian package (python3-azure-storage) ships several distributions: each gets the
 * modules under its own name, the deepest name winning. */
static void shared_debian_package_is_split_by_name(void **state)
{
    const da_snapshot *s = *state;
    da_strlist d = {0};
    da_snapshot_which(s, "azure.storage.blob", &d);
    assert_true(da_strlist_contains(&d, "azure-storage-blob"));
    assert_false(da_strlist_contains(&d, "azure-storage-blob-changefeed"));
    da_strlist_free(&d);
    da_snapshot_which(s, "azure.storage.blob.changefeed", &d);
    assert_true(da_strlist_contains(&d, "azure-storage-blob-changefeed"));
    assert_false(da_strlist_contains(&d, "azure-storage-blob"));
    da_strlist_free(&d);
}

static void namespace_packages_go_below_the_top(void **state)
{
    const da_snapshot *s = *state;
    da_strlist d = {0};
    da_snapshot_which(s, "opentelemetry.exporter.otlp.proto.grpc.trace_exporter", &d);
    assert_true(da_strlist_contains(&d, "opentelemetry-exporter-otlp-proto-grpc"));
    assert_false(da_strlist_contains(&d, "opentelemetry-api"));
    da_strlist_free(&d);

    da_snapshot_which(s, "opentelemetry.trace", &d);
    assert_true(da_strlist_contains(&d, "opentelemetry-api"));
    assert_false(da_strlist_contains(&d, "opentelemetry-exporter-otlp-proto-grpc"));
    da_strlist_free(&d);

    /* zope.interface must not answer for another zope.* distribution. */
    da_snapshot_which(s, "zope.interface", &d);
    for (size_t i = 0; i < d.len; i++)
        assert_string_not_equal(d.items[i], "zope-event");
    da_strlist_free(&d);

    /* A curated module layout answers which, but is never offered as a release. */
    da_snapshot_which(s, "google.cloud.storage.blob", &d);
    assert_true(da_strlist_contains(&d, "google-cloud-storage"));
    assert_false(da_strlist_contains(&d, "googleapis-common-protos"));
    da_strlist_free(&d);
    assert_int_equal(da_snapshot_versions(s, "google-cloud-storage", &d), 0);
    da_strlist_free(&d);

    /* google.* is shared by many distributions: protobuf is not google.auth. */
    da_snapshot_which(s, "google.auth.transport", &d);
    assert_false(da_strlist_contains(&d, "protobuf"));
    da_strlist_free(&d);
}

static void release_of_curated_pin(void **state)
{
    const da_snapshot *s = *state;
    da_release *r =
        da_snapshot_release_version(s, "opentelemetry-exporter-otlp-proto-grpc", "1.21.0");
    assert_non_null(r);
    assert_true(r->requires_known);
    assert_true(da_strlist_contains(&r->requires_dist, "opentelemetry-proto==1.21.0"));
    assert_true(da_strlist_contains(&r->requires_dist, "grpcio<2.0.0,>=1.0.0"));
    assert_true(da_strlist_contains(&r->modules, "opentelemetry.exporter.otlp.proto.grpc"));
    assert_true(da_strlist_contains(&r->namespaces, "opentelemetry"));
    assert_int_equal(r->source, DA_SOURCE_SNAPSHOT);
    assert_non_null(strstr(r->origin, "curated"));
    da_release_free(r);

    r = da_snapshot_release(s, "opentelemetry-api");
    assert_non_null(r);
    assert_false(da_strlist_contains(&r->modules, "opentelemetry"));
    assert_true(da_strlist_contains(&r->namespaces, "opentelemetry"));
    da_release_free(r);
}

static void every_release_names_its_source(void **state)
{
    const da_snapshot *s = *state;
    const char *names[] = {"pyyaml", "requests", "numpy", "attrs", "types-requests"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        da_release *r = da_snapshot_release(s, names[i]);
        assert_non_null(r);
        assert_true(da_str_starts_with(r->origin, "snapshot: "));
        assert_true(strlen(r->version) > 0);
        da_release_free(r);
    }
    const char *prov = da_snapshot_provenance(s);
    assert_non_null(strstr(prov, "debian"));
    assert_non_null(strstr(prov, "pyodide"));
    assert_non_null(strstr(prov, "typeshed"));
}

static void names_list(void **state)
{
    const da_snapshot *s = *state;
    int rank = 0;
    assert_true(da_snapshot_name_exists(s, "Requests", &rank));
    assert_true(rank > 0 && rank < 100);
    assert_true(da_snapshot_name_exists(s, "boto3", &rank));
    assert_false(da_snapshot_name_exists(s, "surely-no-such-distribution-xq7", &rank));
    assert_non_null(da_snapshot_latest_known(s, "numpy"));
    da_strlist c = {0};
    assert_true(da_snapshot_closest_names(s, "reqeusts", &c, 3) >= 1);
    assert_string_equal(c.items[0], "requests");
    da_strlist_free(&c);
    assert_true(da_snapshot_closest_names(s, "numpyy", &c, 3) >= 1);
    assert_string_equal(c.items[0], "numpy");
    da_strlist_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_mappings),
        cmocka_unit_test(opencv_family),
        cmocka_unit_test(shared_debian_package_is_split_by_name),
        cmocka_unit_test(namespace_packages_go_below_the_top),
        cmocka_unit_test(release_of_curated_pin),
        cmocka_unit_test(every_release_names_its_source),
        cmocka_unit_test(names_list),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
