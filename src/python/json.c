/* The JSON document of `depaudit imports --format json`. */
#include "python_internal.h"

#include "depaudit/util_json.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

static cJSON *import_object(const da_import *im)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "root", im->root);
    cJSON_AddStringToObject(o, "file", im->file);
    cJSON_AddNumberToObject(o, "cell", im->cell);
    cJSON_AddNumberToObject(o, "line", im->line);
    cJSON_AddNumberToObject(o, "col", im->col);
    cJSON_AddStringToObject(o, "module", im->module);
    cJSON_AddNumberToObject(o, "level", im->level);
    cJSON_AddItemToObject(o, "names", da_json_strlist(&im->names));
    cJSON_AddStringToObject(o, "kind", da_import_kind_name(im->kind));
    cJSON_AddStringToObject(o, "scope", da_import_scope_name(im->scope));
    cJSON_AddStringToObject(o, "guard", da_import_guard_name(im->guard));
    if (im->via)
        cJSON_AddStringToObject(o, "via", im->via);
    if (im->usage_fact)
        cJSON_AddStringToObject(o, "usage_fact", im->usage_fact->id);
    if (im->condition)
        cJSON_AddStringToObject(o, "condition", im->condition);
    else
        cJSON_AddNullToObject(o, "condition");
    cJSON_AddNumberToObject(o, "alternative_group", im->alternative_group);
    cJSON_AddBoolToObject(o, "in_except", im->in_except);
    cJSON_AddStringToObject(o, "class", da_import_class_name(im->klass));
    cJSON_AddBoolToObject(o, "ignored", im->ignored);
    cJSON_AddItemToObject(o, "ignore_codes", da_json_strlist(&im->ignore_codes));
    return o;
}

char *da_imports_to_json(const da_import_set *s)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "files", (double)s->files);
    cJSON *errors = cJSON_AddArrayToObject(doc, "errors");
    for (size_t i = 0; i < s->nerrors; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "root", s->errors[i].root);
        cJSON_AddStringToObject(e, "file", s->errors[i].file);
        cJSON_AddNumberToObject(e, "line", s->errors[i].line);
        cJSON_AddStringToObject(e, "message", s->errors[i].message);
        cJSON_AddItemToArray(errors, e);
    }
    cJSON_AddNumberToObject(doc, "dynamic_unresolved", (double)s->dynamic_unresolved);
    cJSON_AddItemToObject(doc, "first_party", da_json_strlist(&s->first_party));
    cJSON *imports = cJSON_AddArrayToObject(doc, "imports");
    for (size_t i = 0; i < s->len; i++)
        cJSON_AddItemToArray(imports, import_object(&s->items[i]));
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (!text)
        abort(); /* cJSON fails only when out of memory, like da_xmalloc */
    /* Hand back memory the caller frees with free(): cJSON uses malloc by default. */
    return text;
}
