"""HTTP layer: the ASGI app and its routes."""
