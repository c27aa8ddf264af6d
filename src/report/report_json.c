/* The JSON report (schema in include/depaudit/report.h), written with cJSON. */
#include "depaudit/report.h"

#include "depaudit/util_json.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

static cJSON *finding_json(const da_finding *x)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "code", da_code_id(x->code));
    cJSON_AddStringToObject(o, "name", da_code_name(x->code));
    cJSON_AddStringToObject(o, "severity", da_severity_name(x->severity));
    cJSON_AddItemToObject(o, "file", da_json_string_or_null(*x->file ? x->file : NULL));
    cJSON_AddItemToObject(o, "line", x->line ? cJSON_CreateNumber(x->line) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "column", x->col ? cJSON_CreateNumber(x->col) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "message", da_json_string_or_null(x->message));
    cJSON_AddItemToObject(o, "module", da_json_string_or_null(x->module));
    cJSON_AddItemToObject(o, "distribution", da_json_string_or_null(x->dist));
    cJSON_AddBoolToObject(o, "boot_path", x->boot_path);
    cJSON *chain = cJSON_AddArrayToObject(o, "chain");
    for (size_t k = 0; k < x->nchain; k++) {
        cJSON *l = cJSON_CreateObject();
        cJSON_AddStringToObject(l, "file", x->chain[k].file);
        cJSON_AddNumberToObject(l, "line", x->chain[k].line);
        cJSON_AddNumberToObject(l, "column", x->chain[k].col);
        cJSON_AddItemToArray(chain, l);
    }
    cJSON_AddItemToObject(o, "python_error", da_json_string_or_null(x->python_error));
    cJSON_AddBoolToObject(o, "guess", x->guess);
    cJSON_AddStringToObject(o, "certainty", da_certainty_name(x->certainty));
    cJSON_AddItemToObject(o, "older_metadata", da_json_string_or_null(x->older_metadata));
    cJSON *cands = cJSON_AddArrayToObject(o, "candidates");
    for (size_t k = 0; k < x->ncandidates; k++) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "distribution", x->candidates[k].dist);
        cJSON_AddStringToObject(c, "basis", da_basis_name(x->candidates[k].basis));
        cJSON_AddItemToArray(cands, c);
    }
    cJSON *rel = cJSON_AddArrayToObject(o, "related");
    for (size_t k = 0; k < x->related.len; k++)
        cJSON_AddItemToArray(rel, cJSON_CreateString(x->related.items[k]));
    if (x->fix) {
        cJSON *fx = cJSON_AddObjectToObject(o, "fix");
        cJSON_AddStringToObject(fx, "file", x->fix->display);
        cJSON_AddNumberToObject(fx, "line", x->fix->line);
        cJSON_AddStringToObject(fx, "requirement", x->fix->requirement);
        cJSON_AddStringToObject(fx, "insert", x->fix->text);
        if (x->fix->replace_len)
            cJSON_AddStringToObject(fx, "replace", x->fix->replaced);
        cJSON_AddStringToObject(fx, "why", x->fix->why);
    } else {
        cJSON_AddNullToObject(o, "fix");
    }
    return o;
}

char *da_report_json(const da_findings *f, const da_report_options *o)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "schema", "depaudit-report");
    cJSON_AddNumberToObject(root, "schema_version", DA_REPORT_SCHEMA_VERSION);
    cJSON *tool = cJSON_AddObjectToObject(root, "tool");
    cJSON_AddStringToObject(tool, "name", "depaudit");
    cJSON_AddStringToObject(tool, "version", DEPAUDIT_VERSION);
    cJSON *meta = cJSON_AddObjectToObject(root, "metadata");
    cJSON_AddItemToObject(meta, "origin", da_json_string_or_null(f->metadata_origin));
    cJSON_AddNumberToObject(meta, "guesses", (double)f->guesses);
    size_t n[3] = {0}, boot = 0, unverified = 0;
    for (size_t i = 0; i < f->len; i++) {
        n[f->items[i].severity]++;
        boot += f->items[i].boot_path;
        unverified += f->items[i].certainty == DA_CERTAINTY_UNVERIFIED;
    }
    cJSON *sum = cJSON_AddObjectToObject(root, "summary");
    cJSON_AddNumberToObject(sum, "findings", (double)f->len);
    cJSON_AddNumberToObject(sum, "error", (double)n[DA_SEVERITY_ERROR]);
    cJSON_AddNumberToObject(sum, "warning", (double)n[DA_SEVERITY_WARNING]);
    cJSON_AddNumberToObject(sum, "info", (double)n[DA_SEVERITY_INFO]);
    cJSON_AddNumberToObject(sum, "boot_path", (double)boot);
    cJSON_AddNumberToObject(sum, "files_scanned", (double)f->files_scanned);
    cJSON_AddNumberToObject(sum, "imports_checked", (double)f->imports_checked);
    cJSON_AddStringToObject(sum, "fail_on",
                            o->fail_on < 0 ? "never" : da_severity_name((da_severity)o->fail_on));
    cJSON_AddBoolToObject(sum, "failed", da_findings_count_failing(f, o->fail_on) > 0);
    cJSON_AddNumberToObject(sum, "unverified", (double)unverified);
    cJSON *res = cJSON_AddObjectToObject(sum, "resolution");
    cJSON_AddStringToObject(res, "state", da_resolution_state_name(f->resolution));
    cJSON *unk = cJSON_AddArrayToObject(res, "unknowns");
    for (size_t i = 0; i < f->unknowns.len; i++)
        cJSON_AddItemToArray(unk, cJSON_CreateString(f->unknowns.items[i]));
    cJSON *items = cJSON_AddArrayToObject(root, "findings");
    for (size_t i = 0; i < f->len; i++)
        cJSON_AddItemToArray(items, finding_json(&f->items[i]));
    cJSON *notes = cJSON_AddArrayToObject(root, "notes");
    for (size_t i = 0; i < f->notes.len; i++)
        cJSON_AddItemToArray(notes, cJSON_CreateString(f->notes.items[i]));
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    return s;
}
