"""Batch jobs run by the scheduler with `python -m src.jobs.<name>`, not by the web app."""
