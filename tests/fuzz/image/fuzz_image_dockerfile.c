/* Fuzzes the Dockerfile side of the image stage: whatever the bytes, splitting,
 * expansion, the shell walk of RUN bodies and the whole plan must neither crash, hang
 * nor leak, and a plan that loads must render to JSON and text. */
#include "depaudit/install_plan.h"
#include "image/dockerfile/dockerfile.h"
#include "image/dockerfile/expand.h"
#include "image/dockerfile/shell_commands.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];

static const char *lookup(void *ctx, const char *name)
{
    (void)ctx;
    return strcmp(name, "A") == 0 ? "value" : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        snprintf(dir, sizeof(dir), "/tmp/da-fuzz-image-XXXXXX");
        if (!mkdtemp(dir))
            abort();
    }
    df_file f;
    da_error err;
    ex_env env = {lookup, NULL, NULL, false};
    if (df_parse("Dockerfile", (const char *)data, size, &f, &err) == 0) {
        for (size_t i = 0; i < f.nins; i++) {
            const df_instruction *in = &f.ins[i];
            char *w = ex_word(in->args.s, in->args.len, f.escape, &env);
            free(w);
            if (strcmp(in->keyword, "RUN") == 0) {
                sh_script sc;
                sh_parse(&in->args, &env, NULL, &sc);
                sh_script_free(&sc);
            }
        }
    }
    df_free(&f);
    if (memchr(data, '\0', size))
        return 0;
    char path[128];
    snprintf(path, sizeof(path), "%s/Dockerfile", dir);
    FILE *out = fopen(path, "wb");
    if (!out)
        abort();
    fwrite(data, 1, size, out);
    fclose(out);
    da_install_plan plan;
    if (da_install_plan_load(path, NULL, &plan, &err) == 0) {
        char *j = da_install_plan_to_json(&plan);
        char *t = da_install_plan_to_text(&plan);
        free(j);
        free(t);
        da_install_plan_free(&plan);
    }
    return 0;
}
