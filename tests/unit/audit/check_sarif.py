"""Structural check of a SARIF 2.1.0 log: the properties the OASIS schema requires, with
their types, and the cross references (ruleId/ruleIndex) a viewer relies on.
Usage: check_sarif.py FILE.sarif [--expect-rule DA001]..."""
import json
import sys


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def check_location(loc, where):
    phys = loc.get("physicalLocation")
    if not isinstance(phys, dict):
        fail(f"{where}: physicalLocation missing")
    art = phys.get("artifactLocation")
    if not isinstance(art, dict) or not isinstance(art.get("uri"), str) or not art["uri"]:
        fail(f"{where}: artifactLocation.uri missing")
    region = phys.get("region")
    if region is not None:
        line = region.get("startLine")
        if not isinstance(line, int) or line < 1:
            fail(f"{where}: region.startLine must be an integer >= 1")
        col = region.get("startColumn")
        if col is not None and (not isinstance(col, int) or col < 1):
            fail(f"{where}: region.startColumn must be an integer >= 1")


def main():
    path = sys.argv[1]
    expect = [sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == "--expect-rule"]
    with open(path, encoding="utf-8") as f:
        log = json.load(f)
    if log.get("version") != "2.1.0":
        fail("version must be 2.1.0")
    if "sarif-schema-2.1.0" not in log.get("$schema", ""):
        fail("$schema must name the 2.1.0 schema")
    runs = log.get("runs")
    if not isinstance(runs, list) or not runs:
        fail("runs must be a non-empty array")
    seen = set()
    for r, run in enumerate(runs):
        driver = run.get("tool", {}).get("driver")
        if not isinstance(driver, dict) or not isinstance(driver.get("name"), str):
            fail(f"runs[{r}].tool.driver.name missing")
        rules = driver.get("rules", [])
        ids = []
        for i, rule in enumerate(rules):
            if not isinstance(rule.get("id"), str):
                fail(f"rule {i}: id missing")
            if not isinstance(rule.get("shortDescription", {}).get("text"), str):
                fail(f"rule {rule['id']}: shortDescription.text missing")
            level = rule.get("defaultConfiguration", {}).get("level")
            if level not in ("none", "note", "warning", "error"):
                fail(f"rule {rule['id']}: bad defaultConfiguration.level {level!r}")
            ids.append(rule["id"])
        if len(set(ids)) != len(ids):
            fail("rule ids must be unique")
        for k, res in enumerate(run.get("results", [])):
            where = f"results[{k}]"
            if not isinstance(res.get("message", {}).get("text"), str):
                fail(f"{where}: message.text missing")
            rid = res.get("ruleId")
            if rid not in ids:
                fail(f"{where}: ruleId {rid!r} is not a rule of the driver")
            idx = res.get("ruleIndex")
            if idx is not None and (idx < 0 or idx >= len(ids) or ids[idx] != rid):
                fail(f"{where}: ruleIndex {idx} does not point at {rid}")
            if res.get("level") not in (None, "none", "note", "warning", "error"):
                fail(f"{where}: bad level")
            for loc in res.get("locations", []):
                check_location(loc, where)
            for loc in res.get("relatedLocations", []):
                check_location(loc, where + ".relatedLocations")
            for fx in res.get("fixes", []):
                for ch in fx.get("artifactChanges", []):
                    if not ch.get("artifactLocation", {}).get("uri"):
                        fail(f"{where}: fix without artifactLocation.uri")
                    if not ch.get("replacements"):
                        fail(f"{where}: fix without replacements")
                    for rep in ch["replacements"]:
                        if "deletedRegion" not in rep:
                            fail(f"{where}: replacement without deletedRegion")
            seen.add(rid)
    for e in expect:
        if e not in seen:
            fail(f"expected a {e} result")
    print(f"ok: {path}: SARIF 2.1.0 structure, {sum(len(r.get('results', [])) for r in runs)} results")


main()
