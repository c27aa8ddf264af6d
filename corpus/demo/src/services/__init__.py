"""Clients for the services the API talks to."""
