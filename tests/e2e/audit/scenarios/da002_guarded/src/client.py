import httpx

try:
    import ujson as json_impl
except ImportError:
    import json as json_impl

try:
    import brotli
except ImportError:
    brotli = None


def fetch(url):
    data = httpx.get(url).content
    if brotli is not None:
        data = brotli.decompress(data)
    return json_impl.loads(data)
