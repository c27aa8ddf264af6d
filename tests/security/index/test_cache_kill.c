/* kill -9 at random points while one or two processes write the disk cache, many times
 * over; after each kill the cache must be consistent:
 *   - every entry file on disk (temp files aside) is whole: its header's length and hash
 *     match and its content is exactly one generation the writer wrote (checked here from
 *     the raw bytes, not through the cache's own checks);
 *   - every key whose write completed before the kill (the writer says so on a pipe) still
 *     reads back, intact, through the cache: a killed rewrite never loses the old entry;
 *   - temp files a kill left behind are ignored by readers.
 *   test_cache_kill CACHE_WRITER [ITERATIONS]   (DA_KILL_SEED fixes the random seed) */
#include "cache_kill_content.h"
#include "metadata/disk_cache.h"
#include "metadata/sha256.h"

#include <cjson/cJSON.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "FAIL: " __VA_ARGS__);                                                 \
            fprintf(stderr, "\n");                                                                 \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

typedef struct writer {
    pid_t pid;
    int out; /* read end of its stdout */
} writer;

static writer spawn(const char *exe, const char *dir, unsigned seed)
{
    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        exit(1);
    }
    writer w = {fork(), fds[0]};
    if (w.pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        char s[16];
        snprintf(s, sizeof(s), "%u", seed);
        execl(exe, exe, dir, s, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    return w;
}

static void sleep_us(long us)
{
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

/* Marks the keys of the complete lines in text (a line cut by the kill says nothing). */
static void mark_complete(const char *text, bool *complete)
{
    for (const char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (!nl)
            break; /* a line cut by the kill says nothing */
        int k = -1;
        if (sscanf(line, "k%d", &k) == 1 && k >= 0 && k < KILL_KEYS)
            complete[k] = true;
        line = nl + 1;
    }
}

/* Waits until the writer has completed its first entry (however slow it is to start, under
 * a sanitizer or a loaded machine), so the kill that follows lands among its writes. */
static void wait_first_write(writer *w, bool *complete)
{
    char line[64];
    size_t n = 0;
    while (n + 1 < sizeof(line)) {
        ssize_t r = read(w->out, line + n, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0 || line[n++] == '\n')
            break;
    }
    line[n] = '\0';
    mark_complete(line, complete);
}

/* Reads what a dead writer reported and marks those keys complete. */
static void collect(writer *w, bool *complete)
{
    char buf[4096];
    da_buf all = {0};
    ssize_t n;
    while ((n = read(w->out, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            da_buf_append(&all, buf, (size_t)n);
    close(w->out);
    mark_complete(all.data, complete);
    da_buf_free(&all);
}

/* An entry file checked from its raw bytes. Returns false for a torn or foreign entry. */
static bool entry_whole(const char *path)
{
    char *data = NULL;
    size_t len = 0;
    if (da_read_file(path, &data, &len, NULL) != 0)
        return false;
    char *nl = memchr(data, '\n', len);
    cJSON *h = nl ? cJSON_ParseWithLength(data, (size_t)(nl - data)) : NULL;
    const cJSON *key = cJSON_GetObjectItemCaseSensitive(h, "key");
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(h, "len");
    const cJSON *sum = cJSON_GetObjectItemCaseSensitive(h, "sha256");
    bool ok = false;
    if (cJSON_IsString(key) && cJSON_IsNumber(n) && cJSON_IsString(sum)) {
        const char *content = nl + 1;
        size_t clen = len - (size_t)(content - data);
        char hex[65];
        da_sha256_hex(content, clen, hex);
        ok = (double)clen == n->valuedouble && strcmp(hex, sum->valuestring) == 0 &&
             kill_content_valid(key->valuestring, content, clen);
    }
    cJSON_Delete(h);
    free(data);
    return ok;
}

/* Every file of dir/sub: whole entries, and the count of temp files. */
static int check_files(const char *dir, const char *sub, int *entries)
{
    char *d = da_xasprintf("%s/v2/%s", dir, sub);
    DIR *dh = opendir(d);
    int temps = 0;
    struct dirent *e;
    while (dh && (e = readdir(dh))) {
        if (e->d_name[0] == '.')
            continue;
        if (strstr(e->d_name, ".tmp.")) {
            temps++;
            continue;
        }
        char *path = da_xasprintf("%s/%s", d, e->d_name);
        CHECK(entry_whole(path), "torn or foreign entry %s", path);
        (*entries)++;
        free(path);
    }
    if (dh)
        closedir(dh);
    free(d);
    return temps;
}

/* Through the cache: complete keys read back intact; any key that reads is intact. */
static void check_reads(const da_disk_cache *c, const bool *complete)
{
    for (int k = 0; k < KILL_KEYS; k++) {
        char key[16];
        snprintf(key, sizeof(key), "k%d", k);
        da_cached_page p;
        int rc = da_disk_cache_get_page(c, key, &p);
        CHECK(rc == 0 || !complete[k], "page %s was complete and is gone", key);
        if (rc == 0)
            CHECK(kill_content_valid(key, p.body, p.body_len), "page %s reads wrong", key);
        da_cached_page_free(&p);
        char *data = NULL;
        size_t len = 0;
        rc = da_disk_cache_get_blob(c, "releases", key, &data, &len);
        CHECK(rc == 0 || !complete[k], "blob %s was complete and is gone", key);
        if (rc == 0)
            CHECK(kill_content_valid(key, data, len), "blob %s reads wrong", key);
        free(data);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test_cache_kill CACHE_WRITER [ITERATIONS]\n");
        return 2;
    }
    int iterations = argc > 2 ? atoi(argv[2]) : 100;
    unsigned seed =
        getenv("DA_KILL_SEED") ? (unsigned)atoi(getenv("DA_KILL_SEED")) : (unsigned)time(NULL);
    srand(seed);
    char dir[] = "/tmp/da-cache-kill.XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    da_disk_cache c;
    da_error err = {0};
    if (da_disk_cache_open(&c, dir, &err) != 0) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    bool complete[KILL_KEYS] = {false};
    int mid_write = 0, entries = 0, temps_before = 0;
    for (int it = 0; it < iterations && failures == 0; it++) {
        int nw = it % 3 == 0 ? 2 : 1; /* sometimes two writers race on the same keys */
        writer w[2];
        for (int i = 0; i < nw; i++)
            w[i] = spawn(argv[1], dir, (unsigned)(it * 2 + i));
        for (int i = 0; i < nw; i++)
            wait_first_write(&w[i], complete);
        sleep_us(rand() % 40000);
        for (int i = 0; i < nw; i++) {
            kill(w[i].pid, SIGKILL);
            int status = 0;
            waitpid(w[i].pid, &status, 0);
            CHECK(WIFSIGNALED(status), "writer exited by itself (status %d)", status);
            collect(&w[i], complete);
            if (i + 1 < nw)
                sleep_us(rand() % 5000);
        }
        int temps = check_files(dir, "pages", &entries) + check_files(dir, "releases", &entries);
        mid_write += temps > temps_before; /* this kill left a write half done */
        temps_before = temps;
        check_reads(&c, complete);
    }
    int ncomplete = 0;
    for (int k = 0; k < KILL_KEYS; k++)
        ncomplete += complete[k];
    printf("test_cache_kill: seed %u, %d iterations, %d killed mid-write (temp files left), "
           "%d entry files checked whole, %d of %d keys completed at least once\n",
           seed, iterations, mid_write, entries, ncomplete, KILL_KEYS);
    /* The kills must have hit writes in progress, or nothing was tested. */
    CHECK(mid_write > 0, "no kill landed inside a write");
    CHECK(ncomplete > 0, "no write ever completed");
    da_disk_cache_close(&c);
    char *cmd = da_xasprintf("rm -rf '%s'", dir);
    if (system(cmd) != 0)
        failures++;
    free(cmd);
    return failures ? 1 : 0;
}
