"""JSON encoding for cached reports: orjson when it is installed, the standard library otherwise."""

try:
    import orjson

    def dumps(value) -> bytes:
        return orjson.dumps(value)

    def loads(data: bytes):
        return orjson.loads(data)

except ImportError:
    import json

    def dumps(value) -> bytes:
        return json.dumps(value, separators=(",", ":")).encode()

    def loads(data: bytes):
        return json.loads(data)
