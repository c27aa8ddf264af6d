"""ASGI entry point: gunicorn loads `src.api.main:app` with the uvicorn worker class."""

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from src.core.config import settings
from src.core.telemetry import configure_tracing
from src.db.session import engine

from .routes import health, reports


@asynccontextmanager
async def lifespan(app: FastAPI):
    configure_tracing(app)
    yield
    await engine.dispose()


app = FastAPI(title="reports-api", version=settings.version, lifespan=lifespan)
app.add_middleware(
    CORSMiddleware,
    allow_origins=settings.cors_origins,
    allow_methods=["GET", "POST"],
    allow_headers=["*"],
)
app.include_router(health.router)
app.include_router(reports.router, prefix="/reports")
