"""The one place that chooses between the embedded default and scale-out mode."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

if TYPE_CHECKING:
    # Litestar's backends are imported where they are built, for create_app: the database
    # modules import this one for the engine and must not load the web framework.
    from litestar.channels.backends.base import ChannelsBackend
    from litestar.stores.base import Store

    from takt.settings import Settings

__all__ = ["Mode", "choose_mode", "make_engine"]


@dataclass(frozen=True)
class Mode:
    """How this process runs: which database, which event fan-out, which stores."""

    name: str
    """``embedded`` or ``scale-out`` (``postgres`` / ``redis`` parts named in ``describe``)."""
    uses_postgres: bool
    uses_redis: bool
    redis_url: str | None
    redis_prefix: str = "takt"

    def describe(self) -> str:
        """A one-line description for logs and ``/ready``."""
        db = "PostgreSQL" if self.uses_postgres else "SQLite"
        events = "Redis" if self.uses_redis else "in-process memory"
        return f"{self.name}: database {db}, events and stores {events}"

    def channels_backend(self) -> ChannelsBackend:
        """The channels backend events fan out through."""
        if self.uses_redis:
            from redis.asyncio import Redis

            return _prefixed_pubsub(Redis.from_url(self.redis_url or ""),
                                    f"{self.redis_prefix}:")
        from litestar.channels.backends.memory import MemoryChannelsBackend

        return MemoryChannelsBackend()

    def store(self, namespace: str) -> Store:
        """A key-value store (rate limits, caches) shared by all workers in scale-out mode."""
        if self.uses_redis:
            from litestar.stores.redis import RedisStore

            return RedisStore.with_client(url=self.redis_url or "",
                                          namespace=f"{self.redis_prefix}:{namespace}")
        from litestar.stores.memory import MemoryStore

        return MemoryStore()


def make_engine(settings: Settings) -> Engine:
    """Build the Piccolo engine for ``DATABASE_URL`` (unset: the embedded SQLite file)."""
    url = settings.database_url
    if url and url.startswith(("postgresql://", "postgres://")):
        return PostgresEngine(config={"dsn": url}, log_queries=False)
    path = settings.sqlite_path
    assert path is not None
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    # A generous busy timeout: several requests may wait for SQLite's single writer.
    return SQLiteEngine(path=str(path), timeout=30)


def choose_mode(settings: Settings) -> Mode:
    """Decide, from the settings alone, how this process runs."""
    uses_postgres = bool(settings.database_url and settings.database_url.startswith("postgres"))
    uses_redis = settings.redis_url is not None
    name = "scale-out" if (uses_postgres or uses_redis) else "embedded"
    return Mode(name=name, uses_postgres=uses_postgres, uses_redis=uses_redis,
                redis_url=settings.redis_url, redis_prefix=settings.redis_prefix)


def _prefixed_pubsub(redis: Any, prefix: str) -> ChannelsBackend:
    """Redis pub/sub whose channel names carry ``prefix``, so Takt installations sharing one
    Redis (REDIS_PREFIX) never hear each other's events: Litestar's pub/sub backend uses its
    ``key_prefix`` only for stored keys, not for the channels it publishes on."""
    from collections.abc import AsyncGenerator, Iterable

    from litestar.channels.backends.redis import RedisChannelsPubSubBackend

    class PrefixedPubSub(RedisChannelsPubSubBackend):
        async def subscribe(self, channels: Iterable[str]) -> None:
            await super().subscribe([prefix + channel for channel in channels])

        async def unsubscribe(self, channels: Iterable[str]) -> None:
            await super().unsubscribe([prefix + channel for channel in channels])

        async def publish(self, data: bytes, channels: Iterable[str]) -> None:
            await super().publish(data, [prefix + channel for channel in channels])

        async def stream_events(self) -> AsyncGenerator[tuple[str, Any], None]:
            async for channel, data in super().stream_events():
                yield channel.removeprefix(prefix), data

    return PrefixedPubSub(redis=redis, key_prefix=f"{prefix}CHANNELS")
