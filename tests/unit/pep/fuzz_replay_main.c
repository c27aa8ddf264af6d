/* Replays a fuzz target's corpus through its checks in ordinary builds, so the round-trip
 * properties (and the inputs the fuzzers found) are tested in CI without clang/libFuzzer.
 * Usage: replay_<target> <corpus directory>. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    DIR *dir = opendir(argv[1]);
    if (!dir) {
        perror(argv[1]);
        return 2;
    }
    int files = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", argv[1], e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) {
            perror(path);
            closedir(dir);
            return 2;
        }
        unsigned char buf[65536];
        size_t n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        LLVMFuzzerTestOneInput(buf, n); /* aborts on a broken property */
        files++;
    }
    closedir(dir);
    printf("%d passed, 0 failed\n", files);
    return files > 0 ? 0 : 1;
}
