/* The resolver's side of the pip oracle: resolves one scenario file
 * (a JSON file under tests/oracle/resolve/scenarios/) and prints the result for run_oracle.py.
 *
 *   resolve_driver SCENARIO.json            metadata from the scenario's own projects
 *                                           (tests/unit/resolve/fixture_provider.c)
 *   resolve_driver SCENARIO.json INDEX_URL CACHE_DIR
 *                                           metadata from the real client
 *                                           (include/depaudit/metadata.h) over the mirror
 *
 * Output: one "name==version" line per resolved distribution, sorted; or
 * "error: MESSAGE" and exit 1 when the requirements cannot be satisfied; exit 2 when
 * the input or the metadata is broken. Options are pip's: --only-binary=:all: always. */
#include "depaudit/metadata.h"
#include "depaudit/resolve.h"
#include "fixture_provider.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int load_input(const char *path, da_resolve_input *in, da_error *err)
{
    char *text = NULL;
    size_t len = 0;
    if (da_read_file(path, &text, &len, err) < 0)
        return -1;
    cJSON *doc = cJSON_Parse(text);
    free(text);
    if (!doc)
        return da_error_set(err, path, 0, 0, "not JSON");
    da_resolve_input_init(in);
    const cJSON *py = cJSON_GetObjectItemCaseSensitive(doc, "python");
    int major = 3, minor = 11;
    if (cJSON_IsString(py) && sscanf(py->valuestring, "%d.%d", &major, &minor) != 2) {
        cJSON_Delete(doc);
        return da_error_set(err, path, 0, 0, "bad python version '%s'", py->valuestring);
    }
    da_target_init(&in->target, major, minor, -1);
    in->pre = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "pre"));
    da_resolve_step *s = da_resolve_input_add_step(in, DA_STEP_INSTALL, path, 0);
    s->only_binary_all = true;
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(doc, "requirements"))
    {
        if (cJSON_IsString(r))
            da_resolve_step_add_req(s, r->valuestring, path, 0, 0);
    }
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(doc, "constraints"))
    {
        if (cJSON_IsString(r))
            da_resolve_step_add_constraint(s, r->valuestring, path, 0, 0);
    }
    cJSON_Delete(doc);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 4) {
        fprintf(stderr, "usage: resolve_driver SCENARIO.json [INDEX_URL CACHE_DIR]\n");
        return 2;
    }
    da_error err;
    da_error_clear(&err);
    da_resolve_input in;
    if (load_input(argv[1], &in, &err) < 0) {
        fprintf(stderr, "resolve_driver: %s: %s\n", err.file, err.message);
        return 2;
    }
    da_provider prov;
    da_metadata *m = NULL;
    if (argc == 4) {
        da_metadata_options o;
        da_metadata_options_init(&o);
        o.index_url = da_xstrdup(argv[2]);
        o.cache_dir = da_xstrdup(argv[3]);
        o.use_snapshot = false; /* the scenario's projects only */
        o.target = in.target;
        int rc = da_metadata_open(&o, &m, &err);
        da_metadata_options_free(&o);
        if (rc < 0) {
            fprintf(stderr, "resolve_driver: %s\n", err.message);
            da_resolve_input_free(&in);
            return 2;
        }
        prov = da_metadata_provider(m);
    } else if (fixture_provider_from_file(argv[1], &prov, &err) < 0) {
        fprintf(stderr, "resolve_driver: %s: %s\n", err.file, err.message);
        da_resolve_input_free(&in);
        return 2;
    }
    da_environment env;
    int rc = da_resolve(&in, &prov, &env, &err);
    int status = 0;
    if (rc < 0) {
        char msg[2048];
        da_error_format(&err, msg, sizeof(msg));
        fprintf(stderr, "resolve_driver: %s\n", msg);
        status = 2;
    } else if (rc == 1) {
        for (size_t i = 0; i < env.nconflicts; i++)
            printf("error: %s\n", env.conflicts[i].message);
        status = 1;
    } else {
        for (size_t i = 0; i < env.ndists; i++)
            printf("%s==%s\n", env.dists[i].name, env.dists[i].version);
    }
    da_environment_free(&env);
    if (prov.destroy)
        prov.destroy(prov.ctx);
    da_metadata_close(m);
    da_resolve_input_free(&in);
    return status;
}
