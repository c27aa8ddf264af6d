"""Configuration, telemetry, security and serialisation shared by the app and jobs."""
