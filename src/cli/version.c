/* `depaudit --version`: what a bug report needs to say which depaudit ran. The version is
 * the project's (CMakeLists.txt project(VERSION), its one place), the git commit the build
 * came from when it came from git, the dates of the embedded snapshot's sources (what the
 * offline answers know), and the libraries it runs with. */
#include "commands.h"

#include "depaudit/snapshot.h"
#include "depaudit/util.h"
#include "git_commit.h" /* generated each build by cmake/GitStamp.cmake */

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <tree_sitter/api.h>
#include <zip.h>
#include <zlib.h>

/* "Sat, 11 Jul 2026 10:16:37 UTC" -> "2026-07-11"; false if it is not that shape. */
static bool rfc822_day(const char *s, char out[16])
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    char mon[4] = "";
    int day = 0, year = 0;
    if (sscanf(s, "%*3s, %d %3s %d", &day, mon, &year) != 3 || strlen(mon) != 3)
        return false;
    const char *m = strstr(months, mon);
    if (!m || (m - months) % 3 != 0 || day < 1 || day > 31 || year < 1970 || year > 9999)
        return false;
    int month = (int)(m - months) / 3 + 1;
    snprintf(out, 16, "%04d-%02d-%02d", year % 10000, month % 100, day % 100);
    return true;
}

/* One provenance line ("debian sid: InRelease dated Fri, 30 Oct 2026 ...", "names: ...
 * as of 2026-11, ...") as "debian sid 2026-10-30"; nothing for a line without a date. */
static void source_date(da_buf *out, const char *line, size_t len)
{
    const char *colon = memchr(line, ':', len);
    if (!colon)
        return;
    char text[512];
    snprintf(text, sizeof(text), "%.*s", (int)len, line);
    char date[16] = "";
    const char *dated = strstr(text, "InRelease dated ");
    const char *as_of = strstr(text, " as of ");
    if (dated && rfc822_day(dated + strlen("InRelease dated "), date)) {
    } else if (as_of && sscanf(as_of + strlen(" as of "), "%15[0-9-]", date) == 1) {
    } else {
        return;
    }
    da_buf_printf(out, "%s%.*s %s", out->len ? ", " : "", (int)(colon - line), line, date);
}

static void print_snapshot_dates(void)
{
    da_error err;
    da_error_clear(&err);
    da_snapshot *s = da_snapshot_open_embedded(&err);
    if (!s) {
        puts("snapshot: none embedded");
        return;
    }
    da_buf dates = {0};
    for (const char *p = da_snapshot_provenance(s); p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        source_date(&dates, p, len);
        p += len + (nl ? 1 : 0);
    }
    printf("snapshot: %s\n", dates.len ? dates.data : "(sources undated)");
    da_buf_free(&dates);
    da_snapshot_close(s);
}

int cli_print_version(void)
{
    if (DEPAUDIT_GIT_COMMIT[0])
        printf("depaudit %s (git %s)\n", DEPAUDIT_VERSION, DEPAUDIT_GIT_COMMIT);
    else
        printf("depaudit %s\n", DEPAUDIT_VERSION);
    print_snapshot_dates();
    printf("libraries: libcurl %s, libzip %s, cJSON %s, zlib %s, tree-sitter language ABI %d\n",
           curl_version_info(CURLVERSION_NOW)->version, zip_libzip_version(), cJSON_Version(),
           zlibVersion(), TREE_SITTER_LANGUAGE_VERSION);
    return DA_EXIT_OK;
}
