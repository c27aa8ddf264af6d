"""Signed service tokens for the scheduler's callbacks."""

from datetime import datetime, timedelta, timezone

from jose import jwt

from .config import settings

ALGORITHM = "HS256"


def issue_token(subject: str, ttl: timedelta = timedelta(hours=1)) -> str:
    claims = {"sub": subject, "exp": datetime.now(timezone.utc) + ttl}
    return jwt.encode(claims, settings.jwt_secret, algorithm=ALGORITHM)


def read_token(token: str) -> str:
    return jwt.decode(token, settings.jwt_secret, algorithms=[ALGORITHM])["sub"]
