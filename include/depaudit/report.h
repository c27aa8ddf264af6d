/* Renderers for the audit's findings: text for people, JSON (versioned schema below) for
 * scripts, SARIF 2.1.0 for code-scanning tools, GitHub workflow annotations for CI logs.
 *
 * JSON schema, version 1 (`"schema": "depaudit-report", "schema_version": 1`); keys are
 * always present, null when unknown:
 *   tool      {name, version}
 *   metadata  {origin: where answers came from, guesses: how many rest on a name guess}
 *   summary   {findings, error, warning, info, boot_path, files_scanned, imports_checked,
 *              fail_on: "error"|"warning"|"info"|"never", failed: bool,
 *              unverified: how many findings rest on something unknown,
 *              resolution: {state: "complete"|"partial"|"failed", unknowns: [strings]}}
 *   findings  [{code: "DA001", name: "missing", severity, file, line, column, message,
 *              module, distribution, boot_path: bool,
 *              chain: [{file, line, column}] (entry-point import first),
 *              python_error, guess: bool,
 *              certainty: "known"|"approximate"|"unverified",
 *              candidates: [{distribution, basis: "metadata"|"snapshot"|"config"|"name guess"|
 *                           "name evidence"|"modules unknown"}],
 *              related: [names], fix: null | {file, line, requirement, insert, why}}]
 *   notes     [strings: facts that explain the absence of a finding]
 * A new key may be added without a version change; renaming or removing one bumps it. */
#ifndef DEPAUDIT_REPORT_H
#define DEPAUDIT_REPORT_H

#include "depaudit/audit.h"
#include "depaudit/util.h"

#include <stdbool.h>

#define DA_REPORT_SCHEMA_VERSION 1

typedef enum da_report_format {
    DA_FORMAT_TEXT = 0,
    DA_FORMAT_JSON,
    DA_FORMAT_SARIF,
    DA_FORMAT_GITHUB,
} da_report_format;

/* "text"/"json"/"sarif"/"github" -> format; -1 if unknown. */
int da_report_format_parse(const char *s);

typedef struct da_report_options {
    da_report_format format;
    bool color;   /* ANSI colour (text only); the caller decides (TTY, NO_COLOR) */
    int fail_on;  /* a da_severity, or -1 for never: reported in summaries */
    bool verbose; /* text: every finding's older-metadata detail and the unknowns, instead
                     of a one-line count of each */
} da_report_options;

/* Appends the rendering of the findings to out. */
void da_report_render(const da_findings *f, const da_report_options *o, da_buf *out);

void da_report_text(const da_findings *f, const da_report_options *o, da_buf *out);
char *da_report_json(const da_findings *f, const da_report_options *o);  /* caller frees */
char *da_report_sarif(const da_findings *f, const da_report_options *o); /* caller frees */
void da_report_github(const da_findings *f, da_buf *out);

#endif
