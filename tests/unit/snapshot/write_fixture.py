"""Writes a tiny snapshot with the generator's own writer, for the round-trip test.
usage: write_fixture.py GENERATE OUT (GENERATE: corpus/index/generate, beside its snapgen/)"""
import os
import sys
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[1])))
from snapgen import common, modules, snapfile  # noqa: E402

g = types.SimpleNamespace(Release=common.Release, SRC_CURATED=common.SRC_CURATED,
                          SRC_DEBIAN=common.SRC_DEBIAN, SRC_INSTALLED=common.SRC_INSTALLED,
                          SRC_TYPESHED=common.SRC_TYPESHED,
                          modules_from_paths=modules.modules_from_paths,
                          write_snapshot=snapfile.write_snapshot)

api = g.Release("OpenTelemetry_API", "1.21.0", g.SRC_CURATED, "fixture api")
api.modules, api.namespaces = g.modules_from_paths([
    "opentelemetry/trace/__init__.py", "opentelemetry/context/__init__.py",
    "opentelemetry/version.py", "opentelemetry_api-1.21.0.dist-info/RECORD"])
api.modules_known = api.requires_known = True
api.requires = ["deprecated>=1.2.6", "importlib-metadata<7.0,>=6.0"]
api.requires_python = ">=3.7"

grpc = g.Release("opentelemetry-exporter-otlp-proto-grpc", "1.21.0", g.SRC_CURATED,
                 "fixture grpc")
grpc.modules, grpc.namespaces = g.modules_from_paths([
    "opentelemetry/exporter/otlp/proto/grpc/__init__.py",
    "opentelemetry/exporter/otlp/proto/grpc/exporter.py"])
grpc.modules_known = True

old = g.Release("opentelemetry-api", "1.15.0", g.SRC_DEBIAN, "fixture old api")
old.modules, old.namespaces = ["opentelemetry.trace"], ["opentelemetry"]
old.modules_known = old.requires_known = old.requires_incomplete = True
old.requires = ["deprecated"]

yaml = g.Release("PyYAML", "6.0.1", g.SRC_INSTALLED, "fixture yaml")
yaml.modules, yaml.namespaces = g.modules_from_paths(
    ["yaml/__init__.py", "_yaml/__init__.py", "yaml/cyaml.py"])
yaml.modules_known = True
yaml.extras = ["libyaml"]
yaml.import_names = ["yaml"]

stub = g.Release("types-PyYAML", "6.0", g.SRC_TYPESHED, "fixture stub")
stub.modules_known = stub.modules_only = True

# pyyaml's version list is marked complete (as a source listing every release would); the
# others are samples, as every list the generator writes today.
projects = sorted([
    ("opentelemetry-api", 120, "1.38.0", [api, old], 0),
    ("opentelemetry-exporter-otlp-proto-grpc", 0, "", [grpc], 0),
    ("pyyaml", 25, "6.0.3", [yaml], common.P_VERSIONS_COMPLETE),
    ("types-pyyaml", 900, "6.0.12", [stub], 0),
    ("requests", 3, "2.32.5", [], 0),
], key=lambda p: p[0].encode())
all_names = sorted(["opentelemetry-api", "pyyaml", "requests", "types-pyyaml",
                    "some-unranked-name"], key=lambda s: s.encode())
g.write_snapshot(sys.argv[2], projects, "fixture provenance line 1\nline 2", all_names)
