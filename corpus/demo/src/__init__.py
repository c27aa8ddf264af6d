"""Reports API: a small FastAPI service."""
