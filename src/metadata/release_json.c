#include "metadata/release_json.h"
#include "depaudit/metadata.h"

#include "depaudit/util_json.h"

#include <cjson/cJSON.h>

#include <stdlib.h>
#include <string.h>

static void add_string_or_null(cJSON *o, const char *k, const char *v)
{
    cJSON_AddItemToObject(o, k, da_json_string_or_null(v));
}

char *da_release_to_json(const da_release *r)
{
    cJSON *o = cJSON_CreateObject();
    add_string_or_null(o, "name", r->name);
    add_string_or_null(o, "version", r->version);
    add_string_or_null(o, "requires_python", r->requires_python);
    cJSON_AddBoolToObject(o, "requires_known", r->requires_known);
    cJSON_AddBoolToObject(o, "requires_incomplete", r->requires_incomplete);
    cJSON_AddItemToObject(o, "requires_dist", da_json_strlist(&r->requires_dist));
    cJSON_AddItemToObject(o, "provides_extra", da_json_strlist(&r->provides_extra));
    cJSON_AddBoolToObject(o, "modules_known", r->modules_known);
    cJSON_AddItemToObject(o, "modules", da_json_strlist(&r->modules));
    cJSON_AddItemToObject(o, "namespaces", da_json_strlist(&r->namespaces));
    cJSON_AddItemToObject(o, "import_names", da_json_strlist(&r->import_names));
    cJSON_AddStringToObject(o, "source", da_source_kind_name(r->source));
    add_string_or_null(o, "origin", r->origin);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

char *da_project_to_json(const da_project *p)
{
    cJSON *o = cJSON_CreateObject();
    add_string_or_null(o, "name", p->name);
    cJSON_AddStringToObject(o, "source", da_source_kind_name(p->source));
    add_string_or_null(o, "origin", p->origin);
    cJSON *versions = cJSON_AddArrayToObject(o, "versions");
    for (size_t i = 0; i < p->nversions; i++) {
        const da_project_version *v = &p->versions[i];
        cJSON *vo = cJSON_CreateObject();
        cJSON_AddStringToObject(vo, "version", v->version);
        cJSON *files = cJSON_AddArrayToObject(vo, "files");
        for (size_t j = 0; j < v->nfiles; j++) {
            const da_release_file *f = &v->files[j];
            cJSON *fo = cJSON_CreateObject();
            add_string_or_null(fo, "filename", f->filename);
            /* Output only (never read back): the URL may carry index credentials. */
            char *url = f->url ? da_url_hide_credentials(f->url, DA_URL_REDACT) : NULL;
            add_string_or_null(fo, "url", url);
            free(url);
            add_string_or_null(fo, "sha256", f->sha256);
            add_string_or_null(fo, "requires_python", f->requires_python);
            add_string_or_null(fo, "upload_time", f->upload_time);
            cJSON_AddBoolToObject(fo, "yanked", f->yanked);
            cJSON_AddBoolToObject(fo, "has_metadata", f->has_metadata);
            add_string_or_null(fo, "metadata_sha256", f->metadata_sha256);
            cJSON_AddNumberToObject(fo, "size", (double)f->size);
            cJSON_AddItemToArray(files, fo);
        }
        cJSON_AddItemToArray(versions, vo);
    }
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

da_release *da_release_from_json(const char *text, size_t len)
{
    cJSON *o = cJSON_ParseWithLength(text, len);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return NULL;
    }
    da_release *r = da_xcalloc(1, sizeof(*r));
    r->name = da_json_dup_string(o, "name");
    r->version = da_json_dup_string(o, "version");
    r->requires_python = da_json_dup_string(o, "requires_python");
    r->origin = da_json_dup_string(o, "origin");
    r->requires_known = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "requires_known"));
    r->requires_incomplete =
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "requires_incomplete"));
    r->modules_known = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "modules_known"));
    bool ok = r->name && r->version &&
              da_json_read_strlist(o, "requires_dist", &r->requires_dist) &&
              da_json_read_strlist(o, "provides_extra", &r->provides_extra) &&
              da_json_read_strlist(o, "modules", &r->modules) &&
              da_json_read_strlist(o, "namespaces", &r->namespaces) &&
              da_json_read_strlist(o, "import_names", &r->import_names);
    cJSON_Delete(o);
    if (!ok) {
        da_release_free(r);
        return NULL;
    }
    return r;
}
