/* SARIF 2.1.0: one run, every rule as reportingDescriptors, one result per finding
 * with its location, the boot-path chain as relatedLocations and the fix as a SARIF fix
 * (an insertion at the list's last line). */
#include "depaudit/report.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

static const char *sarif_level(da_severity s)
{
    return s == DA_SEVERITY_ERROR ? "error" : s == DA_SEVERITY_WARNING ? "warning" : "note";
}

static cJSON *physical(const char *file, int line, int col)
{
    cJSON *loc = cJSON_CreateObject();
    cJSON *phys = cJSON_AddObjectToObject(loc, "physicalLocation");
    cJSON *art = cJSON_AddObjectToObject(phys, "artifactLocation");
    cJSON_AddStringToObject(art, "uri", file && *file ? file : "Dockerfile");
    cJSON_AddStringToObject(art, "uriBaseId", "%SRCROOT%");
    if (line > 0) {
        cJSON *region = cJSON_AddObjectToObject(phys, "region");
        cJSON_AddNumberToObject(region, "startLine", line);
        if (col > 0)
            cJSON_AddNumberToObject(region, "startColumn", col);
    }
    return loc;
}

/* Codes are not dense: the index of a rule among those that exist. */
static int rule_index(da_code code)
{
    int k = 0;
    for (int c = 1; c < (int)code; c++)
        k += da_code_exists((da_code)c);
    return k;
}

static cJSON *rules_json(void)
{
    cJSON *rules = cJSON_CreateArray();
    for (int c = 1; c <= DA_CODE_COUNT; c++) {
        if (!da_code_exists((da_code)c))
            continue;
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "id", da_code_id((da_code)c));
        cJSON_AddStringToObject(r, "name", da_code_name((da_code)c));
        cJSON *sd = cJSON_AddObjectToObject(r, "shortDescription");
        cJSON_AddStringToObject(sd, "text", da_code_summary((da_code)c));
        cJSON *fd = cJSON_AddObjectToObject(r, "fullDescription");
        cJSON_AddStringToObject(fd, "text", da_code_summary((da_code)c));
        cJSON *dc = cJSON_AddObjectToObject(r, "defaultConfiguration");
        cJSON_AddStringToObject(dc, "level", sarif_level(da_code_default_severity((da_code)c)));
        cJSON *props = cJSON_AddObjectToObject(r, "properties");
        cJSON *tags = cJSON_AddArrayToObject(props, "tags");
        cJSON_AddItemToArray(tags, cJSON_CreateString("dependencies"));
        cJSON_AddItemToArray(rules, r);
    }
    return rules;
}

static cJSON *result_json(const da_finding *x)
{
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "ruleId", da_code_id(x->code));
    cJSON_AddNumberToObject(r, "ruleIndex", rule_index(x->code));
    cJSON_AddStringToObject(r, "level", sarif_level(x->severity));
    cJSON *msg = cJSON_AddObjectToObject(r, "message");
    cJSON_AddStringToObject(msg, "text", x->message ? x->message : da_code_summary(x->code));
    cJSON *locs = cJSON_AddArrayToObject(r, "locations");
    cJSON_AddItemToArray(locs, physical(x->file, x->line, x->col));
    if (x->nchain > 1) {
        cJSON *rel = cJSON_AddArrayToObject(r, "relatedLocations");
        for (size_t k = 0; k < x->nchain; k++) {
            cJSON *l = physical(x->chain[k].file, x->chain[k].line, x->chain[k].col);
            cJSON_AddNumberToObject(l, "id", (double)k + 1);
            cJSON *m = cJSON_AddObjectToObject(l, "message");
            cJSON_AddStringToObject(
                m, "text", k == 0 ? "boot path starts here" : "imported at start-up from here");
            cJSON_AddItemToArray(rel, l);
        }
    }
    if (x->fix) {
        cJSON *fixes = cJSON_AddArrayToObject(r, "fixes");
        cJSON *fx = cJSON_CreateObject();
        cJSON *d = cJSON_AddObjectToObject(fx, "description");
        char *t = x->fix->replace_len ? da_xasprintf("quote %s", x->fix->requirement)
                                      : da_xasprintf("add %s", x->fix->requirement);
        cJSON_AddStringToObject(d, "text", t);
        free(t);
        cJSON *changes = cJSON_AddArrayToObject(fx, "artifactChanges");
        cJSON *ch = cJSON_CreateObject();
        cJSON *art = cJSON_AddObjectToObject(ch, "artifactLocation");
        cJSON_AddStringToObject(art, "uri", x->fix->display);
        /* relative, like the results' locations: resolved against the same base */
        cJSON_AddStringToObject(art, "uriBaseId", "%SRCROOT%");
        cJSON *reps = cJSON_AddArrayToObject(ch, "replacements");
        cJSON *rep = cJSON_CreateObject();
        cJSON *del = cJSON_AddObjectToObject(rep, "deletedRegion");
        cJSON_AddNumberToObject(del, "charOffset", (double)x->fix->insert_at);
        cJSON_AddNumberToObject(del, "charLength", (double)x->fix->replace_len);
        cJSON *ins = cJSON_AddObjectToObject(rep, "insertedContent");
        cJSON_AddStringToObject(ins, "text", x->fix->text);
        cJSON_AddItemToArray(reps, rep);
        cJSON_AddItemToArray(changes, ch);
        cJSON_AddItemToArray(fixes, fx);
    }
    cJSON *props = cJSON_AddObjectToObject(r, "properties");
    cJSON_AddBoolToObject(props, "bootPath", x->boot_path);
    cJSON_AddStringToObject(props, "certainty", da_certainty_name(x->certainty));
    if (x->python_error)
        cJSON_AddStringToObject(props, "pythonError", x->python_error);
    if (x->module)
        cJSON_AddStringToObject(props, "module", x->module);
    if (x->dist)
        cJSON_AddStringToObject(props, "distribution", x->dist);
    if (x->older_metadata)
        cJSON_AddStringToObject(props, "olderMetadata", x->older_metadata);
    return r;
}

char *da_report_sarif(const da_findings *f, const da_report_options *o)
{
    (void)o;
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "$schema",
                            "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                            "sarif-schema-2.1.0.json");
    cJSON_AddStringToObject(root, "version", "2.1.0");
    cJSON *runs = cJSON_AddArrayToObject(root, "runs");
    cJSON *run = cJSON_CreateObject();
    cJSON *tool = cJSON_AddObjectToObject(run, "tool");
    cJSON *driver = cJSON_AddObjectToObject(tool, "driver");
    cJSON_AddStringToObject(driver, "name", "depaudit");
    cJSON_AddStringToObject(driver, "version", DEPAUDIT_VERSION);
    cJSON_AddStringToObject(driver, "semanticVersion", DEPAUDIT_VERSION);
    cJSON_AddItemToObject(driver, "rules", rules_json());
    cJSON *results = cJSON_AddArrayToObject(run, "results");
    for (size_t i = 0; i < f->len; i++)
        cJSON_AddItemToArray(results, result_json(&f->items[i]));
    cJSON_AddStringToObject(run, "columnKind", "utf16CodeUnits");
    /* where the answers came from (the embedded snapshot, a cache, an index): SARIF has no
     * place for it but a property bag */
    cJSON *props = cJSON_AddObjectToObject(run, "properties");
    if (f->metadata_origin)
        cJSON_AddStringToObject(props, "metadataOrigin", f->metadata_origin);
    cJSON_AddNumberToObject(props, "guesses", (double)f->guesses);
    cJSON_AddStringToObject(props, "resolution", da_resolution_state_name(f->resolution));
    cJSON *unk = cJSON_AddArrayToObject(props, "unknowns");
    for (size_t i = 0; i < f->unknowns.len; i++)
        cJSON_AddItemToArray(unk, cJSON_CreateString(f->unknowns.items[i]));
    cJSON_AddItemToArray(runs, run);
    char *s = cJSON_Print(root);
    cJSON_Delete(root);
    return s;
}
