/* Writes cache entries until killed, for test_cache_kill: pages and blobs under the keys
 * k0..k(N-1), over and over, each time with a new generation of content. After each key's
 * page and blob are both written it prints "k<i>\n" (flushed), so the test knows which
 * entries were complete before it killed us.
 *   cache_writer CACHE_DIR SEED */
#include "cache_kill_content.h"
#include "metadata/disk_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: cache_writer CACHE_DIR SEED\n");
        return 2;
    }
    da_disk_cache c;
    da_error err = {0};
    if (da_disk_cache_open(&c, argv[1], &err) != 0) {
        fprintf(stderr, "cache_writer: %s\n", err.message);
        return 1;
    }
    unsigned seed = (unsigned)strtoul(argv[2], NULL, 10);
    for (unsigned long gen = 0;; gen++) {
        int k = (int)((gen * 7 + seed) % KILL_KEYS);
        char key[16];
        snprintf(key, sizeof(key), "k%d", k);
        size_t len = 0;
        char *body = kill_content(key, gen * 1000 + seed, &len);
        da_cached_page p = {0};
        p.url = "http://idx.test/simple/x/";
        p.fetched_at = 1700000000;
        p.max_age = 600;
        p.body = body;
        p.body_len = len;
        int rc = da_disk_cache_put_page(&c, key, &p, &err);
        if (rc == 0)
            rc = da_disk_cache_put_blob(&c, "releases", key, body, len, &err);
        free(body);
        if (rc != 0) {
            fprintf(stderr, "cache_writer: %s\n", err.message);
            return 1;
        }
        printf("%s\n", key);
        fflush(stdout);
    }
}
