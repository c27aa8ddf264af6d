/* Older-metadata statements ("the report says when a version-sensitive answer
 * came from an old version"): which findings get one, what it says, and that every report
 * format carries it. Inputs are built by hand (audit_fixture.c); the latest known versions
 * come from a table here, as the snapshot's names list would give them. */
/* cmocka needs these first, in this order */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "audit/version_notes.h"
#include "audit_fixture.h"
#include "depaudit/report.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

/* "name=version" rows: the latest version the names list knows. */
static const char *const latest_table[] = {
    "tenacity=9.2.1",
    "opentelemetry-api=1.45.2",
    "opentelemetry-sdk=1.21.0", /* the row is the latest: no statement for it */
    "fastapi=0.163.2",
    "gunicorn=not a version", /* unparsable: no claim either way */
    "foo=2.0",
    NULL,
};

static const char *latest_known(void *ctx, const char *name)
{
    (void)ctx;
    size_t n = strlen(name);
    for (size_t i = 0; latest_table[i]; i++)
        if (strncmp(latest_table[i], name, n) == 0 && latest_table[i][n] == '=')
            return latest_table[i] + n + 1;
    return NULL;
}

/* A release the environment lacks (partial environments): foo 1.0 from a snapshot row. */
static da_release *release_of(void *ctx, const char *name)
{
    (void)ctx;
    if (strcmp(name, "foo") != 0)
        return NULL;
    da_release *r = calloc(1, sizeof(*r));
    r->name = da_xstrdup("foo");
    r->version = da_xstrdup("1.0");
    r->source = DA_SOURCE_SNAPSHOT;
    r->origin = da_xstrdup("snapshot: debian bookworm python3-foo 1.0-2 (Contents + .deb "
                           "metadata, 2026-11-27); requirements restored from Depends");
    da_strlist_push(&r->modules, "foo");
    r->modules_known = true;
    return r;
}

static const audit_version_facts facts = {NULL, latest_known, release_of};

static da_release *snapshot_release(const char *name, const char *version, da_source_kind src)
{
    da_release *r = calloc(1, sizeof(*r));
    r->name = da_xstrdup(name);
    r->version = da_xstrdup(version);
    r->source = src;
    r->origin = da_xstrdup("snapshot: debian bookworm python3-google-auth 1.5.1-3 (Contents + "
                           ".deb metadata, 2026-11-27); requirements restored from Depends "
                           "without versions: cachetools");
    return r;
}

static void test_statement(void **state)
{
    (void)state;
    da_release *r = snapshot_release("google-auth", "1.5.1", DA_SOURCE_SNAPSHOT);
    char *s = audit_older_metadata_statement(r, "modules", "1.5.1", "2.62.2");
    assert_non_null(s);
    assert_string_equal(s, "modules of google-auth taken from 1.5.1 (snapshot: debian bookworm "
                           "python3-google-auth 1.5.1-3); latest known 2.62.2");
    free(s);
    /* older than the version the resolver picked, and than the latest known */
    s = audit_older_metadata_statement(r, "requirements", "2.0.0", "2.62.2");
    assert_non_null(s);
    assert_non_null(strstr(s, "requirements of google-auth taken from 1.5.1"));
    assert_non_null(strstr(s, "; the resolver picked 2.0.0; latest known 2.62.2"));
    free(s);
    /* the row is the latest known, or newer than the names list's date: nothing to say */
    assert_null(audit_older_metadata_statement(r, "modules", "1.5.1", "1.5.1"));
    assert_null(audit_older_metadata_statement(r, "modules", NULL, "1.4"));
    assert_null(audit_older_metadata_statement(r, "modules", NULL, NULL));
    /* PEP 440 order, not string order: 1.5.1 < 1.10 */
    s = audit_older_metadata_statement(r, "modules", NULL, "1.10");
    assert_non_null(s);
    free(s);
    /* an unparsable version makes no claim */
    assert_null(audit_older_metadata_statement(r, "modules", NULL, "two"));
    da_release_free(r);
    /* pre-releases order as PEP 440 says: 0.42b0 < 0.66b2 */
    r = snapshot_release("opentelemetry-semantic-conventions", "0.42b0", DA_SOURCE_SNAPSHOT);
    s = audit_older_metadata_statement(r, "modules", NULL, "0.66b2");
    assert_non_null(s);
    free(s);
    da_release_free(r);
    /* metadata from an index is the version's own: never labelled */
    r = snapshot_release("google-auth", "1.5.1", DA_SOURCE_INDEX);
    assert_null(audit_older_metadata_statement(r, "modules", NULL, "2.62.2"));
    da_release_free(r);
    assert_null(audit_older_metadata_statement(NULL, "modules", NULL, "2.62.2"));
}

static char *older_of(const da_findings *f, da_code code, const char *what)
{
    const da_finding *x = fx_find(f, code, what);
    assert_non_null(x);
    return x->older_metadata ? da_xstrdup(x->older_metadata) : NULL;
}

static bool has_note(const da_findings *f, const char *needle)
{
    for (size_t i = 0; i < f->notes.len; i++)
        if (strstr(f->notes.items[i], needle))
            return true;
    return false;
}

static void test_demo_findings(void **state)
{
    (void)state;
    fx_world w;
    da_findings f;
    fx_demo_world(&w);
    assert_int_equal(fx_run(&w, &f), 0);
    audit_note_older_metadata(&f, &w.env, &facts);

    /* DA004 rests on tenacity's module list, taken from 8.2.1; 9.2.1 is known */
    char *s = older_of(&f, DA004_UNUSED, "tenacity");
    assert_non_null(s);
    assert_non_null(strstr(s, "modules of tenacity taken from 8.2.1 (snapshot); latest known "
                              "9.2.1; the answer may differ for the version the image installs"));
    free(s);
    /* the exporter's DA001 rests on the module lists of what the image holds under
     * opentelemetry: the api's row is older than its latest, the sdk's is not */
    s = older_of(&f, DA001_MISSING, "opentelemetry.exporter.otlp.proto.grpc.trace_exporter");
    assert_non_null(s);
    assert_non_null(strstr(s, "modules of opentelemetry-api taken from 1.21.0"));
    assert_null(strstr(s, "opentelemetry-sdk"));
    free(s);
    /* nothing in the image ships under `jose`: no module list bears on it */
    s = older_of(&f, DA001_MISSING, "jose");
    assert_null(s);
    /* the statement is the finding's own, never one more note: notes explain absences */
    assert_false(has_note(&f, "modules of tenacity taken from 8.2.1"));
    size_t counted = f.older_metadata;
    assert_true(counted >= 2);
    audit_note_older_metadata(&f, &w.env, &facts); /* a second pass adds nothing */
    assert_int_equal(f.older_metadata, counted);
    const da_finding *x = fx_find(&f, DA004_UNUSED, "tenacity");
    assert_int_equal(x->certainty, DA_CERTAINTY_APPROXIMATE);
    /* the statement has its own field: the message stays the finding's own */
    assert_non_null(x->older_metadata);
    assert_null(strstr(x->message, "older metadata"));
    assert_null(strstr(x->older_metadata + 1, "modules of tenacity"));
    da_findings_free(&f);
    fx_free(&w);
}

/* A DA003 rests on the parent's requirements; a distribution the environment lacks is
 * judged by the facts' release, as the audit did for a partial environment. */
static void test_hand_findings(void **state)
{
    (void)state;
    da_findings f;
    memset(&f, 0, sizeof(f));
    f.len = f.cap = 3;
    f.items = calloc(3, sizeof(*f.items));
    f.items[0].code = DA004_UNUSED;
    f.items[0].dist = da_xstrdup("foo");
    f.items[0].message = da_xstrdup("foo is requested but no code imports it");
    f.items[1].code = DA003_TRANSITIVE;
    f.items[1].dist = da_xstrdup("urllib3");
    f.items[1].module = da_xstrdup("urllib3");
    da_strlist_push(&f.items[1].related, "foo");
    f.items[1].message = da_xstrdup("`urllib3` comes from urllib3");
    f.items[2].code = DA006_UNKNOWN_DISTRIBUTION; /* not version-sensitive */
    f.items[2].dist = da_xstrdup("foo");
    f.items[2].message = da_xstrdup("foo is not a name");
    audit_note_older_metadata(&f, NULL, &facts);
    const char *s = f.items[0].older_metadata;
    assert_non_null(s);
    assert_string_equal(s, "modules of foo taken from 1.0 (snapshot: debian bookworm python3-foo "
                           "1.0-2); latest known 2.0; the answer may differ for the version the "
                           "image installs");
    s = f.items[1].older_metadata;
    assert_non_null(s);
    assert_non_null(strstr(s, "requirements of foo taken from 1.0"));
    assert_null(f.items[2].older_metadata);
    assert_string_equal(f.items[2].message, "foo is not a name");
    assert_int_equal(f.notes.len, 0);
    assert_int_equal(f.older_metadata, 2);
    /* no facts at all: nothing is claimed */
    da_findings g;
    memset(&g, 0, sizeof(g));
    g.len = g.cap = 1;
    g.items = calloc(1, sizeof(*g.items));
    g.items[0].code = DA004_UNUSED;
    g.items[0].dist = da_xstrdup("foo");
    g.items[0].message = da_xstrdup("m");
    audit_note_older_metadata(&g, NULL, NULL);
    assert_null(g.items[0].older_metadata);
    assert_string_equal(g.items[0].message, "m");
    da_findings_free(&g);
    da_findings_free(&f);
}

/* Every format carries the statement, and where the answers came from. */
static void test_formats(void **state)
{
    (void)state;
    fx_world w;
    da_findings f;
    fx_demo_world(&w);
    assert_int_equal(fx_run(&w, &f), 0);
    audit_note_older_metadata(&f, &w.env, &facts);
    const char *want = "modules of tenacity taken from 8.2.1 (snapshot); latest known 9.2.1";

    da_report_options o = {DA_FORMAT_TEXT, false, DA_SEVERITY_ERROR, true};
    da_buf text = {0};
    da_report_render(&f, &o, &text);
    assert_non_null(strstr(text.data, want));
    da_buf_free(&text);

    char *json = da_report_json(&f, &o);
    cJSON *doc = cJSON_Parse(json);
    assert_non_null(doc);
    cJSON *items = cJSON_GetObjectItem(doc, "findings");
    int with = 0, without = 0;
    cJSON *it;
    cJSON_ArrayForEach(it, items)
    {
        cJSON *om = cJSON_GetObjectItem(it, "older_metadata");
        assert_non_null(om); /* the key is always present */
        const char *dist = cJSON_GetStringValue(cJSON_GetObjectItem(it, "distribution"));
        if (cJSON_IsString(om)) {
            with++;
            if (dist && strcmp(dist, "tenacity") == 0)
                assert_non_null(strstr(om->valuestring, want));
        } else {
            assert_true(cJSON_IsNull(om));
            without++;
        }
    }
    assert_true(with >= 2);
    assert_true(without >= 1);
    cJSON *notes = cJSON_GetObjectItem(doc, "notes");
    bool noted = false;
    cJSON_ArrayForEach(it, notes) noted = noted || strstr(it->valuestring, want) != NULL;
    assert_false(noted); /* the finding's field, not a note */
    cJSON_Delete(doc);
    free(json);

    char *sarif = da_report_sarif(&f, &o);
    doc = cJSON_Parse(sarif);
    assert_non_null(doc);
    cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "runs"), 0);
    cJSON *rprops = cJSON_GetObjectItem(run, "properties");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(rprops, "metadataOrigin")),
                        "test tables");
    bool in_props = false;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(run, "results"))
    {
        cJSON *p = cJSON_GetObjectItem(it, "properties");
        const char *om = cJSON_GetStringValue(cJSON_GetObjectItem(p, "olderMetadata"));
        if (om && strstr(om, want))
            in_props = true;
    }
    assert_true(in_props);
    cJSON_Delete(doc);
    free(sarif);

    da_buf gh = {0};
    da_report_github(&f, &gh);
    assert_non_null(strstr(gh.data, "title=DA004 unused::"));
    assert_non_null(strstr(gh.data, "older metadata: modules of tenacity taken from 8.2.1"));
    assert_non_null(strstr(gh.data, "; metadata: test tables\n"));
    da_buf_free(&gh);
    da_findings_free(&f);
    fx_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statement),
        cmocka_unit_test(test_demo_findings),
        cmocka_unit_test(test_hand_findings),
        cmocka_unit_test(test_formats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
