"""Checks a SARIF 2.1.0 log against what the OASIS specification and its JSON schema
(sarif-schema-2.1.0.json) state, without network and without a schema library:

  - sarifLog: `version` is "2.1.0", `$schema` a URI naming the 2.1.0 schema, `runs` an array;
  - required properties: run.tool, tool.driver, toolComponent.name, reportingDescriptor.id,
    result.message (with `text` or `id`), fix.artifactChanges (at least one),
    artifactChange.artifactLocation and .replacements (at least one),
    replacement.deletedRegion, multiformatMessageString.text;
  - no property the schema does not define on the objects depaudit writes (the schema
    sets additionalProperties false on them; extra data belongs in `properties` bags);
  - enums: result.level and reportingConfiguration.level in none/note/warning/error,
    run.columnKind in utf16CodeUnits/unicodeCodePoints;
  - integers and their minimums: region.startLine/startColumn >= 1, charOffset >= -1,
    charLength >= 0, result.ruleIndex and location.id >= -1;
  - rule ids unique; ruleIndex, when present, points at the rule named by ruleId;
  - artifactLocation.uri a relative URI reference (no scheme, no leading slash) with a
    uriBaseId, so a viewer resolves it against the checkout;
  - propertyBag.tags an array of unique strings;
  - depaudit's own bags: every result's properties.certainty is known/approximate/inferred/
    unverified (a DA012 is unverified, never an error, never with a fix); the run's
    properties.resolution is complete/partial/failed and properties.unknowns an array of
    strings (empty when complete).

With --root DIR it also checks the log against the project it describes: each uri names a
file under DIR, each region lies inside that file, and each fix's replacement offset lies
inside its file.

Usage:
  check_sarif.py FILE.sarif [--expect-rule DA001]... [--root DIR]
  check_sarif.py --all DEPAUDIT_BINARY REPO_ROOT
      runs `depaudit --format sarif` offline on corpus/demo and every scenario of
      tests/e2e/audit/scenarios/ (each copied to a temporary directory), checks each log
      with its project as root, and checks that applying every fix's replacements to the
      original files gives what `depaudit --fix` writes (insertions at one offset in any
      order: each SARIF fix stands alone)."""
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

LEVELS = ("none", "note", "warning", "error")

# The properties the 2.1.0 schema defines on each object depaudit writes.
ALLOWED = {
    "sarifLog": {"$schema", "version", "runs", "inlineExternalProperties", "properties"},
    "run": {"tool", "invocations", "conversion", "language", "versionControlProvenance",
            "originalUriBaseIds", "artifacts", "logicalLocations", "graphs", "results",
            "automationDetails", "runAggregates", "baselineGuid", "redactionTokens",
            "defaultEncoding", "defaultSourceLanguage", "newlineSequences", "columnKind",
            "externalPropertyFileReferences", "threadFlowLocations", "taxonomies",
            "addresses", "translations", "policies", "webRequests", "webResponses",
            "specialLocations", "properties"},
    "tool": {"driver", "extensions", "properties"},
    "toolComponent": {"guid", "name", "organization", "product", "productSuite",
                      "shortDescription", "fullDescription", "fullName", "version",
                      "semanticVersion", "dottedQuadFileVersion", "releaseDateUtc",
                      "downloadUri", "informationUri", "globalMessageStrings", "notifications",
                      "rules", "taxa", "locations", "language", "contents", "isComprehensive",
                      "localizedDataSemanticVersion",
                      "minimumRequiredLocalizedDataSemanticVersion", "associatedComponent",
                      "translationMetadata", "supportedTaxonomies", "properties"},
    "reportingDescriptor": {"id", "deprecatedIds", "guid", "deprecatedGuids", "name",
                            "deprecatedNames", "shortDescription", "fullDescription",
                            "messageStrings", "defaultConfiguration", "helpUri", "help",
                            "relationships", "properties"},
    "reportingConfiguration": {"enabled", "level", "rank", "parameters", "properties"},
    "multiformatMessageString": {"text", "markdown", "properties"},
    "result": {"ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget",
               "locations", "guid", "correlationGuid", "occurrenceCount",
               "partialFingerprints", "fingerprints", "stacks", "codeFlows", "graphs",
               "graphTraversals", "relatedLocations", "suppressions", "baselineState", "rank",
               "attachments", "hostedViewerUri", "workItemUris", "provenance", "fixes", "taxa",
               "webRequest", "webResponse", "properties"},
    "message": {"text", "markdown", "id", "arguments", "properties"},
    "location": {"id", "physicalLocation", "logicalLocations", "message", "annotations",
                 "relationships", "properties"},
    "physicalLocation": {"address", "artifactLocation", "region", "contextRegion",
                         "properties"},
    "artifactLocation": {"uri", "uriBaseId", "index", "description", "properties"},
    "region": {"startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength",
               "byteOffset", "byteLength", "snippet", "message", "sourceLanguage",
               "properties"},
    "fix": {"description", "artifactChanges", "properties"},
    "artifactChange": {"artifactLocation", "replacements", "properties"},
    "replacement": {"deletedRegion", "insertedContent", "properties"},
    "artifactContent": {"text", "binary", "rendered", "properties"},
}


class Invalid(Exception):
    pass


def need(cond, msg):
    if not cond:
        raise Invalid(msg)


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def obj(v, kind, where):
    need(isinstance(v, dict), f"{where}: a {kind} must be an object")
    extra = set(v) - ALLOWED[kind]
    need(not extra, f"{where}: {kind} has properties the schema does not define: "
                    f"{sorted(extra)}")
    return v


def int_min(v, minimum, where):
    need(is_int(v) and v >= minimum, f"{where} must be an integer >= {minimum} (got {v!r})")


def property_bag(v, where):
    need(isinstance(v, dict), f"{where}: properties must be an object")
    tags = v.get("tags")
    if tags is not None:
        need(isinstance(tags, list) and all(isinstance(t, str) for t in tags),
             f"{where}.tags must be an array of strings")
        need(len(set(tags)) == len(tags), f"{where}.tags must be unique")


def common(v, where):
    if "properties" in v:
        property_bag(v["properties"], where + ".properties")


def mf_string(v, where):
    obj(v, "multiformatMessageString", where)
    need(isinstance(v.get("text"), str), f"{where}.text is required (a string)")
    common(v, where)


def message(v, where):
    obj(v, "message", where)
    need(isinstance(v.get("text"), str) or isinstance(v.get("id"), str),
         f"{where}: a message needs `text` or `id`")
    common(v, where)


def region(v, where, text_lines=None):
    obj(v, "region", where)
    for k in ("startLine", "startColumn", "endLine", "endColumn"):
        if k in v:
            int_min(v[k], 1, f"{where}.{k}")
    if "charOffset" in v:
        int_min(v["charOffset"], -1, f"{where}.charOffset")
    if "charLength" in v:
        int_min(v["charLength"], 0, f"{where}.charLength")
    if text_lines is not None and "startLine" in v:
        need(v["startLine"] <= max(len(text_lines), 1),
             f"{where}.startLine {v['startLine']} is past the file's {len(text_lines)} lines")
        if "startColumn" in v and text_lines:
            line = text_lines[v["startLine"] - 1]
            need(v["startColumn"] <= len(line) + 1,
                 f"{where}.startColumn {v['startColumn']} is past the line's end")
    common(v, where)


def artifact_location(v, where, root):
    obj(v, "artifactLocation", where)
    uri = v.get("uri")
    need(isinstance(uri, str) and uri, f"{where}.uri is required here (a non-empty string)")
    need(not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", uri) and not uri.startswith("/"),
         f"{where}.uri {uri!r} must be relative (resolved against its uriBaseId)")
    need(" " not in uri and "\\" not in uri, f"{where}.uri {uri!r} is not a URI reference")
    need(isinstance(v.get("uriBaseId"), str) and v["uriBaseId"],
         f"{where}: a relative uri needs a uriBaseId")
    if "index" in v:
        int_min(v["index"], -1, f"{where}.index")
    common(v, where)
    if root is None:
        return None
    path = os.path.join(root, uri)
    need(os.path.isfile(path), f"{where}.uri {uri!r} names no file of the project")
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def location(v, where, root):
    obj(v, "location", where)
    if "id" in v:
        int_min(v["id"], -1, f"{where}.id")
    if "message" in v:
        message(v["message"], where + ".message")
    phys = v.get("physicalLocation")
    if phys is not None:
        obj(phys, "physicalLocation", where + ".physicalLocation")
        need("artifactLocation" in phys or "address" in phys,
             f"{where}.physicalLocation needs an artifactLocation or an address")
        text = artifact_location(phys["artifactLocation"],
                                 where + ".physicalLocation.artifactLocation", root)
        if "region" in phys:
            region(phys["region"], where + ".physicalLocation.region",
                   text.split("\n") if text is not None else None)
        common(phys, where + ".physicalLocation")
    common(v, where)


def fix(v, where, root):
    obj(v, "fix", where)
    if "description" in v:
        message(v["description"], where + ".description")
    changes = v.get("artifactChanges")
    need(isinstance(changes, list) and changes, f"{where}.artifactChanges: at least one")
    for c, ch in enumerate(changes):
        w = f"{where}.artifactChanges[{c}]"
        obj(ch, "artifactChange", w)
        need("artifactLocation" in ch, f"{w}.artifactLocation is required")
        text = artifact_location(ch["artifactLocation"], w + ".artifactLocation", root)
        reps = ch.get("replacements")
        need(isinstance(reps, list) and reps, f"{w}.replacements: at least one")
        for r, rep in enumerate(reps):
            wr = f"{w}.replacements[{r}]"
            obj(rep, "replacement", wr)
            need("deletedRegion" in rep, f"{wr}.deletedRegion is required")
            region(rep["deletedRegion"], wr + ".deletedRegion")
            if text is not None and "charOffset" in rep["deletedRegion"]:
                d = rep["deletedRegion"]
                need(0 <= d["charOffset"] and d["charOffset"] + d.get("charLength", 0) <= len(text),
                     f"{wr}.deletedRegion lies outside the file")
            if "insertedContent" in rep:
                ic = obj(rep["insertedContent"], "artifactContent", wr + ".insertedContent")
                need(isinstance(ic.get("text"), str) or isinstance(ic.get("binary"), str),
                     f"{wr}.insertedContent needs text or binary")
            common(rep, wr)
        common(ch, w)
    common(v, where)


def validate(log, root=None):
    """Raises Invalid; returns the rule ids that results used."""
    obj(log, "sarifLog", "log")
    need(log.get("version") == "2.1.0", "version must be \"2.1.0\"")
    schema = log.get("$schema")
    need(isinstance(schema, str) and re.match(r"^https?://", schema) and
         schema.endswith("sarif-schema-2.1.0.json"), "$schema must be the 2.1.0 schema's URI")
    runs = log.get("runs")
    need(isinstance(runs, list) and runs, "runs must be a non-empty array")
    seen = set()
    for n, run in enumerate(runs):
        wr = f"runs[{n}]"
        obj(run, "run", wr)
        need("tool" in run, f"{wr}.tool is required")
        tool = obj(run["tool"], "tool", wr + ".tool")
        need("driver" in tool, f"{wr}.tool.driver is required")
        driver = obj(tool["driver"], "toolComponent", wr + ".tool.driver")
        need(isinstance(driver.get("name"), str) and driver["name"],
             f"{wr}.tool.driver.name is required")
        for k in ("shortDescription", "fullDescription"):
            if k in driver:
                mf_string(driver[k], f"{wr}.tool.driver.{k}")
        if "columnKind" in run:
            need(run["columnKind"] in ("utf16CodeUnits", "unicodeCodePoints"),
                 f"{wr}.columnKind: bad value {run['columnKind']!r}")
        rules = driver.get("rules", [])
        need(isinstance(rules, list), f"{wr}.tool.driver.rules must be an array")
        ids = []
        for i, rule in enumerate(rules):
            w = f"{wr}.tool.driver.rules[{i}]"
            obj(rule, "reportingDescriptor", w)
            need(isinstance(rule.get("id"), str) and rule["id"], f"{w}.id is required")
            for k in ("shortDescription", "fullDescription", "help"):
                if k in rule:
                    mf_string(rule[k], f"{w}.{k}")
            if "defaultConfiguration" in rule:
                dc = obj(rule["defaultConfiguration"], "reportingConfiguration",
                         w + ".defaultConfiguration")
                need(dc.get("level", "warning") in LEVELS,
                     f"{w}.defaultConfiguration.level: bad value {dc.get('level')!r}")
                common(dc, w + ".defaultConfiguration")
            common(rule, w)
            ids.append(rule["id"])
        need(len(set(ids)) == len(ids), f"{wr}: rule ids must be unique")
        results = run.get("results", [])
        need(isinstance(results, list), f"{wr}.results must be an array")
        for k, res in enumerate(results):
            w = f"{wr}.results[{k}]"
            obj(res, "result", w)
            need("message" in res, f"{w}.message is required")
            message(res["message"], w + ".message")
            rid = res.get("ruleId")
            need(isinstance(rid, str) and rid in ids, f"{w}.ruleId {rid!r} is not a rule")
            if "ruleIndex" in res:
                idx = res["ruleIndex"]
                int_min(idx, -1, w + ".ruleIndex")
                need(0 <= idx < len(ids) and ids[idx] == rid,
                     f"{w}.ruleIndex {idx} does not point at {rid}")
            need(res.get("level", "warning") in LEVELS, f"{w}.level: bad value")
            for j, loc in enumerate(res.get("locations", [])):
                location(loc, f"{w}.locations[{j}]", root)
            rel = res.get("relatedLocations", [])
            for j, loc in enumerate(rel):
                location(loc, f"{w}.relatedLocations[{j}]", root)
            rel_ids = [loc.get("id") for loc in rel if "id" in loc]
            need(len(set(rel_ids)) == len(rel_ids), f"{w}.relatedLocations ids must be unique")
            for j, fx in enumerate(res.get("fixes", [])):
                fix(fx, f"{w}.fixes[{j}]", root)
            common(res, w)
            depaudit_result(res, w)
            seen.add(rid)
        common(run, wr)
        depaudit_run(run, wr)
    common(log, "log")
    return seen


CERTAINTIES = ("known", "approximate", "inferred", "unverified")
STATES = ("complete", "partial", "failed")


def depaudit_result(res, where):
    """depaudit's own property bag of a result: every result says how certain it is, and a
    DA012 (unverified) is never an error nor carries a fix."""
    props = res.get("properties", {})
    need(props.get("certainty") in CERTAINTIES,
         f"{where}.properties.certainty must be one of {CERTAINTIES}")
    if res.get("ruleId") == "DA012":
        need(props["certainty"] == "unverified", f"{where}: DA012 must be unverified")
        need(res.get("level") != "error", f"{where}: DA012 is never an error")
        need(not res.get("fixes"), f"{where}: DA012 carries no fix")


def depaudit_run(run, where):
    """The run's property bag says how much of the install the audit knew."""
    props = run.get("properties", {})
    need(props.get("resolution") in STATES,
         f"{where}.properties.resolution must be one of {STATES}")
    unknowns = props.get("unknowns")
    need(isinstance(unknowns, list) and all(isinstance(u, str) for u in unknowns),
         f"{where}.properties.unknowns must be an array of strings")
    need(props["resolution"] != "complete" or not unknowns,
         f"{where}: a complete resolution has no unknowns")


def fix_edits(log):
    """{uri: [(charOffset, charLength, inserted text)]} over every result's fixes."""
    edits = {}
    for run in log["runs"]:
        for res in run.get("results", []):
            for fx in res.get("fixes", []):
                for ch in fx["artifactChanges"]:
                    uri = ch["artifactLocation"]["uri"]
                    for rep in ch["replacements"]:
                        d = rep["deletedRegion"]
                        edits.setdefault(uri, []).append(
                            (d["charOffset"], d.get("charLength", 0),
                             rep.get("insertedContent", {}).get("text", "")))
    return edits


def patched_versions(text, reps):
    """The file with every replacement applied. Each SARIF fix stands alone, so insertions
    at one offset have no defined order: every order of them is a correct application."""
    groups = {}
    for off, length, ins in reps:
        groups.setdefault((off, length), []).append(ins)
    keys = sorted(groups, reverse=True)  # from the end, so earlier offsets stay valid
    choices = [list(itertools.permutations(groups[k]))[:120] for k in keys]
    for combo in itertools.product(*choices):
        out = text
        for (off, length), inserts in zip(keys, combo):
            out = out[:off] + "".join(inserts) + out[off + length:]
        yield out


def run_all(binary, repo):
    binary = os.path.abspath(binary)
    projects = [("demo", os.path.join(repo, "corpus", "demo"),
                 ["--offline", "--format", "sarif", "src", "Dockerfile"], 1)]
    sdir = os.path.join(repo, "tests", "e2e", "audit", "scenarios")
    for name in sorted(os.listdir(sdir)):
        spec_path = os.path.join(sdir, name, "expect.json")
        if not os.path.isfile(spec_path):
            continue
        with open(spec_path, encoding="utf-8") as f:
            spec = json.load(f)
        args = list(spec.get("args", ["--offline", "--format", "json", "src", "Dockerfile"]))
        if "--format" in args:
            args[args.index("--format") + 1] = "sarif"
        else:
            args = ["--format", "sarif"] + args
        projects.append((name, os.path.join(sdir, name), args, spec.get("exit", 0)))
    failures = 0
    work = tempfile.mkdtemp(prefix="depaudit-sarif-")
    try:
        for name, src, args, want_exit in projects:
            proj = os.path.join(work, name)
            shutil.copytree(src, proj, ignore=shutil.ignore_patterns("expect.json"))
            p = subprocess.run([binary] + args, cwd=proj, capture_output=True, text=True,
                               timeout=120)
            try:
                need(p.returncode == want_exit, f"exit {p.returncode}, not {want_exit}: "
                                                f"{p.stderr.strip()}")
                log = json.loads(p.stdout)
                validate(log, root=proj)
                nres = sum(len(r.get("results", [])) for r in log["runs"])
                edits = fix_edits(log)
                if edits:
                    fixed = os.path.join(work, name + "-fixed")
                    shutil.copytree(proj, fixed)
                    q = subprocess.run([binary, "--fix"] + args, cwd=fixed,
                                       capture_output=True, text=True, timeout=120)
                    need(q.returncode in (0, 1), f"--fix exit {q.returncode}")
                    for uri, reps in edits.items():
                        with open(os.path.join(proj, uri), encoding="utf-8") as f:
                            before = f.read()
                        with open(os.path.join(fixed, uri), encoding="utf-8") as f:
                            got = f.read()
                        need(got != before, f"--fix left {uri} unchanged")
                        need(any(got == want for want in patched_versions(before, reps)),
                             f"the SARIF fix of {uri} differs from what --fix writes")
                print(f"ok: {name}: SARIF 2.1.0 valid, {nres} results, "
                      f"{len(edits)} fixed file(s) agree with --fix")
            except (Invalid, ValueError) as e:
                failures += 1
                print(f"FAIL: {name}: {e}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(projects)} projects, {failures} failure(s)")
    return 1 if failures else 0


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--all":
        sys.exit(run_all(sys.argv[2], sys.argv[3]))
    path = sys.argv[1]
    expect = [sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == "--expect-rule"]
    root = next((sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == "--root"), None)
    with open(path, encoding="utf-8") as f:
        log = json.load(f)
    try:
        seen = validate(log, root)
        for e in expect:
            need(e in seen, f"expected a {e} result")
    except Invalid as e:
        print("FAIL:", e)
        sys.exit(1)
    print(f"ok: {path}: SARIF 2.1.0, {sum(len(r.get('results', [])) for r in log['runs'])} "
          f"results")


if __name__ == "__main__":
    main()
