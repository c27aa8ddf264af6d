/* What leaves the process is safe to show: da_text_put_safe keeps valid UTF-8 and escapes
 * control characters and stray bytes; da_text_hide_credentials hides every URL's
 * credentials in free text; and the text and GitHub reports of a finding whose file name
 * and message hold ESC sequences, newlines, `::` and invalid UTF-8 stay one line each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "depaudit/report.h"
#include "depaudit/util.h"

#include <stdlib.h>
#include <string.h>

static char *safe(const char *s, const char *newline)
{
    da_buf b = {0};
    da_text_put_safe(&b, s, newline);
    return da_buf_take(&b);
}

static void test_escapes(void **state)
{
    (void)state;
    char *s = safe("plain ascii\tand \xc3\xa9t\xc3\xa9", NULL);
    assert_string_equal(s, "plain ascii\tand \xc3\xa9t\xc3\xa9"); /* kept as is */
    free(s);
    s = safe("\x1b[2J\x1b]0;t\x07 \x7f", NULL);
    assert_string_equal(s, "\\x1b[2J\\x1b]0;t\\x07 \\x7f");
    free(s);
    s = safe("a\nb", NULL);
    assert_string_equal(s, "a\\x0ab");
    free(s);
    s = safe("a\nb", "\n    ");
    assert_string_equal(s, "a\n    b");
    free(s);
    /* stray bytes, an overlong '/', a surrogate, a C1 control (CSI), a cut sequence */
    s = safe("\xff\xc0\xaf\xed\xa0\x80\xc2\x9b\xe2\x82", NULL);
    assert_string_equal(s, "\\xff\\xc0\\xaf\\xed\\xa0\\x80\\xc2\\x9b\\xe2\\x82");
    free(s);
    s = safe("\xf0\x9f\x90\x8d \xe2\x82\xac", NULL); /* 4- and 3-byte characters kept */
    assert_string_equal(s, "\xf0\x9f\x90\x8d \xe2\x82\xac");
    free(s);
}

static char *hidden(const char *s)
{
    da_buf b = {0};
    da_text_hide_credentials(s, strlen(s), &b);
    return da_buf_take(&b);
}

static void test_hides_credentials(void **state)
{
    (void)state;
    char *s = hidden("URL 'git+https://x-access-token:S3CR@T@h.example/r.git' and "
                     "`https://TOKEN@h/p.whl`, http://h:8080/simple/ and mailto:a@b");
    assert_string_equal(s, "URL 'git+https://***@h.example/r.git' and `https://***@h/p.whl`, "
                           "http://h:8080/simple/ and mailto:a@b");
    free(s);
    s = hidden("\"index\": \"http://u:p@h/simple/\"}"); /* inside JSON */
    assert_string_equal(s, "\"index\": \"http://***@h/simple/\"}");
    free(s);
    s = hidden("ends with http://u:p@h");
    assert_string_equal(s, "ends with http://***@h");
    free(s);
}

static da_findings hostile_finding(void)
{
    da_findings f;
    memset(&f, 0, sizeof(f));
    da_finding x;
    memset(&x, 0, sizeof(x));
    x.code = DA001_MISSING;
    x.severity = DA_SEVERITY_ERROR;
    x.file = da_xstrdup("src/\x1b[31mevil\n::error file=forged::x\xff.py");
    x.line = 1;
    x.col = 1;
    x.message = da_xstrdup("`evil\r\n::error::forged` \x1b]0;title\x07 is missing");
    DA_APPEND(f.items, f.len, x);
    return f;
}

static void assert_safe_lines(const char *out)
{
    assert_null(strchr(out, '\x1b'));
    assert_null(strchr(out, '\x07'));
    assert_null(strchr(out, '\r'));
    assert_null(strstr(out, "\xff"));
    for (const char *line = out; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
        assert_false(strncmp(line, "::error file=forged", 19) == 0 ||
                     strncmp(line, "::error::forged", 15) == 0);
}

static void test_reports_stay_one_line(void **state)
{
    (void)state;
    da_findings f = hostile_finding();
    da_buf text = {0}, gh = {0};
    da_report_options o;
    memset(&o, 0, sizeof(o));
    o.format = DA_FORMAT_TEXT;
    da_report_text(&f, &o, &text);
    assert_safe_lines(text.data);
    assert_non_null(strstr(text.data, "src/\\x1b[31mevil\\x0a::error file=forged::x\\xff.py:1:1:"));
    da_report_github(&f, &gh);
    assert_safe_lines(gh.data);
    assert_true(strncmp(gh.data, "::error file=src/\\x1b[31mevil%0A%3A%3Aerror", 42) == 0);
    da_buf_free(&text);
    da_buf_free(&gh);
    free(f.items[0].message);
    free(f.items[0].file);
    free(f.items);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_hides_credentials),
        cmocka_unit_test(test_reports_stay_one_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
