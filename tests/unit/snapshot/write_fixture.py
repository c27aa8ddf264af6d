"""Writes a tiny snapshot with the generator's own writer, for the round-trip test.
usage: write_fixture.py GENERATE OUT"""
import importlib.machinery
import importlib.util
import sys

loader = importlib.machinery.SourceFileLoader("generate", sys.argv[1])
spec = importlib.util.spec_from_loader("generate", loader)
g = importlib.util.module_from_spec(spec)
loader.exec_module(g)

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

projects = sorted([
    ("opentelemetry-api", 120, "1.38.0", [api, old]),
    ("opentelemetry-exporter-otlp-proto-grpc", 0, "", [grpc]),
    ("pyyaml", 25, "6.0.3", [yaml]),
    ("types-pyyaml", 900, "6.0.12", [stub]),
    ("requests", 3, "2.32.5", []),
], key=lambda p: p[0].encode())
all_names = sorted(["opentelemetry-api", "pyyaml", "requests", "types-pyyaml",
                    "some-unranked-name"], key=lambda s: s.encode())
g.write_snapshot(sys.argv[2], projects, "fixture provenance line 1\nline 2", all_names)
