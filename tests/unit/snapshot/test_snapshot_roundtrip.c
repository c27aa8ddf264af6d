/* Round-trip: a snapshot written by the generator's own writer (write_fixture.py, with
 * modules derived by the generator's modules_from_paths) reads back field for field. */
#include "depaudit/snapshot.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const char *fixture_path;

static int setup(void **state)
{
    da_error err;
    da_error_clear(&err);
    da_snapshot *s = da_snapshot_open_file(fixture_path, &err);
    if (!s) {
        print_error("cannot open %s: %s\n", fixture_path, err.message);
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

static void release_fields(void **state)
{
    da_snapshot *s = *state;
    da_release *r = da_snapshot_release(s, "OpenTelemetry.API");
    assert_non_null(r);
    assert_string_equal(r->name, "opentelemetry-api");
    assert_string_equal(r->version, "1.21.0"); /* newest first */
    assert_string_equal(r->requires_python, ">=3.7");
    assert_int_equal(r->requires_dist.len, 2);
    assert_string_equal(r->requires_dist.items[0], "deprecated>=1.2.6");
    assert_string_equal(r->requires_dist.items[1], "importlib-metadata<7.0,>=6.0");
    assert_true(r->requires_known);
    assert_false(r->requires_incomplete);
    assert_true(r->modules_known);
    /* modules_from_paths: namespace opentelemetry, modules at the first regular level. */
    assert_int_equal(r->modules.len, 3);
    assert_string_equal(r->modules.items[0], "opentelemetry.context");
    assert_string_equal(r->modules.items[1], "opentelemetry.trace");
    assert_string_equal(r->modules.items[2], "opentelemetry.version");
    assert_int_equal(r->namespaces.len, 1);
    assert_string_equal(r->namespaces.items[0], "opentelemetry");
    assert_int_equal(r->source, DA_SOURCE_SNAPSHOT);
    assert_string_equal(r->origin, "snapshot: fixture api");
    da_release_free(r);

    r = da_snapshot_release_version(s, "opentelemetry-api", " 1.15.0 ");
    assert_non_null(r);
    assert_true(r->requires_incomplete);
    assert_null(r->requires_python);
    assert_string_equal(r->requires_dist.items[0], "deprecated");
    da_release_free(r);
    assert_null(da_snapshot_release_version(s, "opentelemetry-api", "9.9"));

    r = da_snapshot_release(s, "pyyaml");
    assert_non_null(r);
    assert_int_equal(r->provides_extra.len, 1);
    assert_string_equal(r->provides_extra.items[0], "libyaml");
    assert_int_equal(r->import_names.len, 1);
    assert_string_equal(r->import_names.items[0], "yaml");
    assert_int_equal(r->modules.len, 2);
    assert_string_equal(r->modules.items[0], "_yaml");
    assert_string_equal(r->modules.items[1], "yaml");
    da_release_free(r);

    assert_null(da_snapshot_release(s, "requests")); /* a name without metadata */
    assert_null(da_snapshot_release(s, "no-such-thing"));
}

static void versions_and_provider(void **state)
{
    da_snapshot *s = *state;
    da_strlist v = {0};
    assert_int_equal(da_snapshot_versions(s, "opentelemetry_api", &v), 2);
    assert_string_equal(v.items[0], "1.21.0");
    assert_string_equal(v.items[1], "1.15.0");
    da_strlist_free(&v);
    /* typeshed rows only name modules: not an installable version */
    assert_int_equal(da_snapshot_versions(s, "types-pyyaml", &v), 0);
    da_strlist_free(&v);

    da_provider p = da_snapshot_provider(s);
    da_project *proj = NULL;
    da_error err;
    da_error_clear(&err);
    assert_int_equal(p.get_project(p.ctx, "OpenTelemetry-API", &proj, &err), 0);
    assert_string_equal(proj->name, "opentelemetry-api");
    assert_int_equal(proj->nversions, 2);
    assert_int_equal(proj->versions[0].nfiles, 0);
    assert_int_equal(proj->source, DA_SOURCE_SNAPSHOT);
    da_project_free(proj);
    assert_int_equal(p.get_project(p.ctx, "requests", &proj, &err), 1);
    assert_null(proj);
    da_release *r = NULL;
    assert_int_equal(p.get_release(p.ctx, "pyyaml", "6.0.1", &r, &err), 0);
    assert_string_equal(r->version, "6.0.1");
    da_release_free(r);
    assert_int_equal(p.get_release(p.ctx, "pyyaml", "5.0", &r, &err), 1);
    p.destroy(p.ctx);
}

/* The project flag the writer sets reads back; a sample is the default, and a name with no
 * release (or none at all) is never complete. */
static void versions_complete_flag(void **state)
{
    da_snapshot *s = *state;
    assert_true(da_snapshot_versions_complete(s, "PyYAML"));
    assert_false(da_snapshot_versions_complete(s, "opentelemetry-api"));
    assert_false(da_snapshot_versions_complete(s, "opentelemetry-exporter-otlp-proto-grpc"));
    assert_false(da_snapshot_versions_complete(s, "requests")); /* ranked, no release */
    assert_false(da_snapshot_versions_complete(s, "no-such-thing"));
}

static void which_longest_prefix(void **state)
{
    da_snapshot *s = *state;
    da_snapshot_match *m;
    int n = da_snapshot_which_matches(s, "opentelemetry.exporter.otlp.proto.grpc.exporter", &m);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].dist, "opentelemetry-exporter-otlp-proto-grpc");
    assert_string_equal(m[0].module, "opentelemetry.exporter.otlp.proto.grpc");
    assert_false(m[0].namespace_only);
    da_snapshot_matches_free(m, n);

    n = da_snapshot_which_matches(s, "opentelemetry.trace.span", &m);
    assert_int_equal(n, 1); /* two releases list it, one distribution */
    assert_string_equal(m[0].dist, "opentelemetry-api");
    assert_int_equal(m[0].rank, 120);
    da_snapshot_matches_free(m, n);

    /* Only namespaces match: the contributors, flagged. */
    n = da_snapshot_which_matches(s, "opentelemetry", &m);
    assert_int_equal(n, 2);
    assert_true(m[0].namespace_only && m[1].namespace_only);
    assert_string_equal(m[0].dist, "opentelemetry-api"); /* ranked before unranked */
    da_snapshot_matches_free(m, n);
    n = da_snapshot_which_matches(s, "opentelemetry.exporter.otlp.proto.http", &m);
    assert_int_equal(n, 1);
    assert_true(m[0].namespace_only);
    assert_string_equal(m[0].module, "opentelemetry.exporter.otlp.proto");
    da_snapshot_matches_free(m, n);

    /* "yam" is a prefix of "yaml" as a string but not as a dotted name. */
    assert_int_equal(da_snapshot_which_matches(s, "yam", &m), 0);
    assert_null(m);
    assert_int_equal(da_snapshot_which_matches(s, "yamlx", &m), 0);
    assert_int_equal(da_snapshot_which_matches(s, "", &m), 0);
    da_strlist d = {0};
    assert_int_equal(da_snapshot_which(s, "yaml.cyaml", &d), 1);
    assert_string_equal(d.items[0], "pyyaml");
    da_strlist_free(&d);
}

static void names(void **state)
{
    da_snapshot *s = *state;
    int rank = -1;
    assert_true(da_snapshot_name_exists(s, "Requests", &rank));
    assert_int_equal(rank, 3);
    assert_true(da_snapshot_name_exists(s, "some_unranked.name", &rank));
    assert_int_equal(rank, 0);
    assert_false(da_snapshot_name_exists(s, "opentelemetry-exporter-otlp-proto-grpc", NULL));
    assert_false(da_snapshot_name_exists(s, "nope", &rank));
    assert_string_equal(da_snapshot_latest_known(s, "PyYAML"), "6.0.3");
    assert_null(da_snapshot_latest_known(s, "opentelemetry-exporter-otlp-proto-grpc"));

    da_strlist c = {0};
    assert_int_equal(da_snapshot_closest_names(s, "reqeusts", &c, 5), 1);
    assert_string_equal(c.items[0], "requests");
    da_strlist_free(&c);
    assert_int_equal(da_snapshot_closest_names(s, "requests", &c, 5), 0); /* never itself */
    assert_int_equal(da_snapshot_closest_names(s, "pyyam", &c, 0), 0);
    da_strlist_free(&c);
    assert_string_equal(da_snapshot_provenance(s), "fixture provenance line 1\nline 2");

    da_snapshot_stats st;
    da_snapshot_get_stats(s, &st);
    assert_int_equal(st.dists, 4);
    assert_int_equal(st.releases, 5);
    assert_int_equal(st.names, 5);
    assert_int_equal(st.ranked_names, 4);
}

static void normalize(void **state)
{
    (void)state;
    const char *cases[][2] = {{"Foo_Bar.baz", "foo-bar-baz"},
                              {"a--b__c", "a-b-c"},
                              {"a-_.b", "a-b"},
                              {"x--", "x-"},
                              {"-x-", "-x-"},
                              {"", ""},
                              {"PyYAML", "pyyaml"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *n = da_snapshot_normalize_name(cases[i][0]);
        assert_string_equal(n, cases[i][1]);
        free(n);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_error("usage: %s FIXTURE.snapshot\n", argv[0]);
        return 2;
    }
    fixture_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(release_fields),
        cmocka_unit_test(versions_and_provider),
        cmocka_unit_test(versions_complete_flag),
        cmocka_unit_test(which_longest_prefix),
        cmocka_unit_test(names),
        cmocka_unit_test(normalize),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
