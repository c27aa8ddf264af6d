/* PEP 691 JSON project pages (api-version 1.x), with the PEP 700 additions (versions,
 * size, upload-time) and PEP 714's core-metadata key (dist-info-metadata as fallback). */
#include "depaudit/metadata.h"

#include "depaudit/pep.h"
#include "metadata/project_files.h"

#include "depaudit/util_json.h"

#include <cjson/cJSON.h>

#include <stdlib.h>
#include <string.h>

/* core-metadata / dist-info-metadata: true, false, or {"sha256": "..."}. */
static void read_metadata_flag(const cJSON *file, da_release_file *f)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(file, "core-metadata");
    if (!m)
        m = cJSON_GetObjectItemCaseSensitive(file, "dist-info-metadata");
    if (!m || cJSON_IsFalse(m) || cJSON_IsNull(m))
        return;
    if (cJSON_IsTrue(m)) {
        f->has_metadata = true;
    } else if (cJSON_IsObject(m)) {
        f->has_metadata = true;
        f->metadata_sha256 = da_json_dup_string(m, "sha256");
    }
}

int da_simple_json_parse(const char *body, size_t len, const char *base_url, const char *origin,
                         da_project **out, da_error *err)
{
    *out = NULL;
    cJSON *doc = cJSON_ParseWithLength(body, len);
    if (!doc) {
        const char *where = cJSON_GetErrorPtr();
        long off = where && where >= body && where <= body + len ? (long)(where - body) : -1;
        return da_error_set(err, origin, 0, 0, "invalid JSON page%s%ld",
                            off >= 0 ? " near byte " : "", off >= 0 ? off : 0L);
    }
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(doc, "meta");
    const cJSON *api = meta ? cJSON_GetObjectItemCaseSensitive(meta, "api-version") : NULL;
    if (!cJSON_IsString(api) || strncmp(api->valuestring, "1.", 2) != 0) {
        cJSON_Delete(doc);
        return da_error_set(err, origin, 0, 0,
                            "not a PEP 691 page: meta.api-version is missing or not 1.x");
    }
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(doc, "name");
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(doc, "files");
    if (!cJSON_IsString(name) || !cJSON_IsArray(files)) {
        cJSON_Delete(doc);
        return da_error_set(err, origin, 0, 0, "PEP 691 page without \"name\" or \"files\"");
    }
    da_project *p = da_xcalloc(1, sizeof(*p));
    p->name = da_name_normalize(name->valuestring);
    p->source = DA_SOURCE_INDEX;
    p->origin = da_xstrdup(origin);
    const cJSON *file;
    cJSON_ArrayForEach(file, files)
    {
        const cJSON *fn = cJSON_GetObjectItemCaseSensitive(file, "filename");
        const cJSON *url = cJSON_GetObjectItemCaseSensitive(file, "url");
        if (!cJSON_IsString(fn) || !cJSON_IsString(url) || strchr(fn->valuestring, '/'))
            continue; /* a file entry we cannot use: skip it, as installers do */
        da_release_file f = {0};
        f.size = -1;
        f.filename = da_xstrdup(fn->valuestring);
        f.url = da_url_resolve(base_url, url->valuestring);
        const cJSON *hashes = cJSON_GetObjectItemCaseSensitive(file, "hashes");
        if (cJSON_IsObject(hashes))
            f.sha256 = da_json_dup_string(hashes, "sha256");
        f.requires_python = da_json_dup_string(file, "requires-python");
        f.upload_time = da_json_dup_string(file, "upload-time");
        const cJSON *yanked = cJSON_GetObjectItemCaseSensitive(file, "yanked");
        f.yanked = cJSON_IsTrue(yanked) || cJSON_IsString(yanked);
        const cJSON *size = cJSON_GetObjectItemCaseSensitive(file, "size");
        if (cJSON_IsNumber(size) && size->valuedouble >= 0 && size->valuedouble < 9e18)
            f.size = (long long)size->valuedouble;
        read_metadata_flag(file, &f);
        da_project_add_file(p, &f);
    }
    const cJSON *versions = cJSON_GetObjectItemCaseSensitive(doc, "versions");
    const cJSON *v;
    if (cJSON_IsArray(versions))
        cJSON_ArrayForEach(v, versions) if (cJSON_IsString(v))
            da_project_add_version(p, v->valuestring);
    cJSON_Delete(doc);
    *out = p;
    return 0;
}
