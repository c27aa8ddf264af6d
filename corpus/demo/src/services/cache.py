"""Report cache in Redis."""

from typing import TYPE_CHECKING, Optional

import redis.asyncio as aioredis

from src.core.config import settings
from src.core.serialization import dumps, loads

if TYPE_CHECKING:
    # The tests hand in fakeredis; only its type is needed here.
    from fakeredis import FakeAsyncRedis

_client: Optional["aioredis.Redis | FakeAsyncRedis"] = None


def client() -> "aioredis.Redis | FakeAsyncRedis":
    global _client
    if _client is None:
        _client = aioredis.from_url(settings.redis_url)
    return _client


async def get_report(key: str):
    raw = await client().get(f"report:{key}")
    return None if raw is None else loads(raw)


async def put_report(key: str, value, ttl: int = 300) -> None:
    await client().set(f"report:{key}", dumps(value), ex=ttl)
