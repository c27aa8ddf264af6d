/* The four renderings of one set of findings (the demo in miniature). The SARIF document
 * is also written to argv[1] for the structural check in check_sarif.py. */
/* cmocka needs these first, in this order */
/* clang-format off */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include "audit_fixture.h"
#include "depaudit/report.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *sarif_out;

static void with_demo(da_findings *f, fx_world *w)
{
    fx_demo_world(w);
    assert_int_equal(fx_run(w, f), 0);
}

static void test_text(void **state)
{
    (void)state;
    fx_world w;
    da_findings f;
    with_demo(&f, &w);
    da_report_options o = {DA_FORMAT_TEXT, false, DA_SEVERITY_ERROR, true};
    da_buf out = {0};
    da_report_render(&f, &o, &out);
    const char *t = out.data;
    assert_non_null(strstr(t, "src/core/telemetry.py:2:1: DA001 "
                              "`opentelemetry.exporter.otlp.proto.grpc.trace_exporter` is not "
                              "provided by anything in the image"));
    assert_non_null(strstr(t, "    boot path: src/api/main.py:3 -> src/core/telemetry.py:2\n"));
    assert_non_null(strstr(t, "    python: ModuleNotFoundError: No module named "
                              "'opentelemetry.exporter'\n"));
    assert_non_null(strstr(t, "src/core/security.py:1:1: DA001 `jose`"));
    assert_non_null(strstr(t, "Dockerfile:7:6: DA004 tenacity is requested"));
    assert_non_null(strstr(t, "Suggested fix"));
    assert_non_null(
        strstr(t, "  Dockerfile:9: + opentelemetry-exporter-otlp-proto-grpc>=1.21.0\n"));
    /* findings first, then the fix, then exactly one summary line at the end */
    const char *summary = strstr(t, "Found 3 problems: 2 errors, 1 warning, 0 info (1 on the "
                                    "boot path).\n");
    assert_non_null(summary);
    assert_true(summary > strstr(t, "Suggested fix"));
    assert_string_equal(summary + strlen(summary) - 1, "\n");
    assert_null(strchr(t, '\033'));
    da_buf_free(&out);
    /* colour only when asked */
    o.color = true;
    da_report_render(&f, &o, &out);
    assert_non_null(strstr(out.data, "\033[31mDA001\033[0m"));
    da_buf_free(&out);
    da_findings_free(&f);
    fx_free(&w);
}

static void test_text_clean(void **state)
{
    (void)state;
    da_findings f = {0};
    f.imports_checked = 7;
    f.files_scanned = 3;
    da_report_options o = {DA_FORMAT_TEXT, false, DA_SEVERITY_ERROR, true};
    da_buf out = {0};
    da_report_render(&f, &o, &out);
    assert_string_equal(out.data, "No problems found (7 imports in 3 files checked).\n");
    da_buf_free(&out);
}

static void test_json(void **state)
{
    (void)state;
    fx_world w;
    da_findings f;
    with_demo(&f, &w);
    da_report_options o = {DA_FORMAT_JSON, false, DA_SEVERITY_WARNING, false};
    char *s = da_report_json(&f, &o);
    cJSON *root = cJSON_Parse(s);
    assert_non_null(root);
    assert_string_equal(cJSON_GetObjectItem(root, "schema")->valuestring, "depaudit-report");
    assert_int_equal(cJSON_GetObjectItem(root, "schema_version")->valueint, 1);
    cJSON *sum = cJSON_GetObjectItem(root, "summary");
    assert_int_equal(cJSON_GetObjectItem(sum, "error")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(sum, "warning")->valueint, 1);
    assert_string_equal(cJSON_GetObjectItem(sum, "fail_on")->valuestring, "warning");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(sum, "failed")));
    cJSON *items = cJSON_GetObjectItem(root, "findings");
    assert_int_equal(cJSON_GetArraySize(items), (int)f.len);
    cJSON *otlp = NULL;
    cJSON *it;
    cJSON_ArrayForEach(it, items)
    {
        cJSON *m = cJSON_GetObjectItem(it, "module");
        if (cJSON_IsString(m) && strstr(m->valuestring, "otlp"))
            otlp = it;
    }
    assert_non_null(otlp);
    assert_string_equal(cJSON_GetObjectItem(otlp, "code")->valuestring, "DA001");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(otlp, "boot_path")));
    cJSON *chain = cJSON_GetObjectItem(otlp, "chain");
    assert_int_equal(cJSON_GetArraySize(chain), 2);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(chain, 0), "file")->valuestring,
                        "src/api/main.py");
    cJSON *fix = cJSON_GetObjectItem(otlp, "fix");
    assert_string_equal(cJSON_GetObjectItem(fix, "requirement")->valuestring,
                        "opentelemetry-exporter-otlp-proto-grpc>=1.21.0");
    cJSON *cand = cJSON_GetArrayItem(cJSON_GetObjectItem(otlp, "candidates"), 0);
    assert_string_equal(cJSON_GetObjectItem(cand, "basis")->valuestring, "snapshot");
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(root, "notes")) >= 1);
    cJSON_Delete(root);
    free(s);
    da_findings_free(&f);
    fx_free(&w);
}

static void test_sarif(void **state)
{
    (void)state;
    fx_world w;
    da_findings f;
    with_demo(&f, &w);
    da_report_options o = {DA_FORMAT_SARIF, false, DA_SEVERITY_ERROR, false};
    char *s = da_report_sarif(&f, &o);
    cJSON *root = cJSON_Parse(s);
    assert_non_null(root);
    assert_string_equal(cJSON_GetObjectItem(root, "version")->valuestring, "2.1.0");
    cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "runs"), 0);
    cJSON *rules = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(run, "tool"), "driver"), "rules");
    int nrules = 0;
    for (int c = 1; c <= DA_CODE_COUNT; c++)
        nrules += da_code_exists((da_code)c);
    assert_int_equal(cJSON_GetArraySize(rules), nrules);
    assert_true(nrules >= 11); /* DA001-DA010 and DA012 */
    cJSON *results = cJSON_GetObjectItem(run, "results");
    assert_int_equal(cJSON_GetArraySize(results), (int)f.len);
    cJSON_Delete(root);
    if (sarif_out) {
        FILE *fp = fopen(sarif_out, "w");
        assert_non_null(fp);
        fputs(s, fp);
        fclose(fp);
    }
    free(s);
    da_findings_free(&f);
    fx_free(&w);
}

static void test_github(void **state)
{
    (void)state;
    fx_world w;
    da_findings f;
    with_demo(&f, &w);
    da_buf out = {0};
    da_report_github(&f, &out);
    assert_non_null(strstr(out.data, "::error file=src/core/telemetry.py,line=2,col=1,title=DA001 "
                                     "missing::`opentelemetry.exporter"));
    assert_non_null(strstr(out.data, "%0Aboot path: src/api/main.py:3 -> "
                                     "src/core/telemetry.py:2%0AModuleNotFoundError"));
    assert_non_null(strstr(out.data, "::warning file=Dockerfile,line=7,col=6,title=DA004 "
                                     "unused::"));
    /* one command per line: no raw newline inside a message */
    size_t lines = 0;
    for (const char *p = out.data; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, f.len + 1);
    da_buf_free(&out);
    /* property values escape ':' and ',' */
    da_findings g = {0};
    da_grow((void **)&g.items, &g.cap, 1, sizeof(*g.items));
    memset(&g.items[0], 0, sizeof(g.items[0]));
    g.items[0].code = DA004_UNUSED;
    g.items[0].severity = DA_SEVERITY_INFO;
    g.items[0].file = da_xstrdup("a,b:c.py");
    g.items[0].message = da_xstrdup("100% sure");
    g.len = 1;
    da_report_github(&g, &out);
    assert_non_null(
        strstr(out.data, "::notice file=a%2Cb%3Ac.py,title=DA004 unused::100%25 sure\n"));
    da_buf_free(&out);
    da_findings_free(&g);
    da_findings_free(&f);
    fx_free(&w);
}

int main(int argc, char **argv)
{
    sarif_out = argc > 1 ? argv[1] : NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),   cmocka_unit_test(test_text_clean),
        cmocka_unit_test(test_json),   cmocka_unit_test(test_sarif),
        cmocka_unit_test(test_github),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
