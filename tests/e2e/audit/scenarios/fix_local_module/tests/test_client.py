import fixtures
import requests


def test_token():
    assert fixtures.token() and requests
