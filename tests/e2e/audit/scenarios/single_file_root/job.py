"""A one-file job whose second half does not parse: the import above the error counts."""
import requests


def fetch(url:
    return requests.get(url)
