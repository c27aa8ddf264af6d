"""Settings read from the environment (and a .env file in development)."""

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_prefix="REPORTS_")

    version: str = "1.4.2"
    database_url: str = "postgresql+asyncpg://reports:reports@db:5432/reports"
    redis_url: str = "redis://cache:6379/0"
    otlp_endpoint: str = "http://otel-collector:4317"
    geocoder_url: str = "http://geocoder:8080"
    jwt_secret: str = "change-me"
    cors_origins: list[str] = ["http://localhost:3000"]


settings = Settings()
