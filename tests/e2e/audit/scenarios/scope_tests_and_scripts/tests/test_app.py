import pytest

from app.__main__ import app


def test_app():
    assert app
