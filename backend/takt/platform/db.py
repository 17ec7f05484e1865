"""Database lifecycle: connect, migrate, check, and transactions that work on both engines."""

from __future__ import annotations

import sqlite3
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import asyncpg
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from piccolo.engine.base import Engine

    from takt.settings import Settings

__all__ = [
    "engine",
    "is_unique_violation",
    "migrate",
    "ping",
    "start",
    "stop",
    "transaction",
]


def engine() -> Engine:
    """The Piccolo engine configured in ``takt.piccolo_conf``."""
    from takt.piccolo_conf import DB

    return DB


class _PooledConnection(asyncpg.Connection):
    """A pooled connection handed back without asyncpg's reset query (advisory unlock, CLOSE
    ALL, UNLISTEN, RESET ALL): a round trip on every request that Takt does not need, as it
    holds no advisory locks or cursors, LISTENs on no pooled connection and sets no session
    variables. An open transaction is still rolled back when a connection is released."""

    def get_reset_query(self) -> str:
        return ""


async def start(settings: Settings) -> None:
    """Open the database: a connection pool on PostgreSQL, WAL journal mode on SQLite."""
    db = engine()
    if isinstance(db, PostgresEngine) and settings.db_pool_max > 0:
        await db.start_connection_pool(min_size=settings.db_pool_min,
                                       max_size=settings.db_pool_max,
                                       connection_class=_PooledConnection)
    elif isinstance(db, SQLiteEngine):
        await db.run_ddl("PRAGMA journal_mode=WAL")


async def stop() -> None:
    """Close the connection pool, if any."""
    db = engine()
    if isinstance(db, PostgresEngine) and db.pool is not None:
        await db.close_connection_pool()


async def migrate() -> list[str]:
    """Apply every pending Piccolo migration of every app; return the apps touched."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from takt.piccolo_conf import APP_REGISTRY

    db = engine()
    if isinstance(db, SQLiteEngine):
        await db.run_ddl("PRAGMA journal_mode=WAL")
    applied = []
    for app_name in APP_REGISTRY.apps:
        name = app_name.rsplit(".", 2)[-2]
        result = await run_forwards(app_name=name)
        if not result.success:
            raise RuntimeError(f"Migrations of {name} failed: {result.message}")
        applied.append(name)
    return applied


async def ping() -> None:
    """Raise when the database does not answer a trivial query."""
    await engine().run_ddl("SELECT 1")


@asynccontextmanager
async def transaction() -> AsyncIterator[Any]:
    """A write transaction. On SQLite it takes the write lock up front (``BEGIN IMMEDIATE``)
    so two writers queue instead of failing half-way with "database is locked"."""
    db = engine()
    if isinstance(db, SQLiteEngine):
        async with db.transaction(transaction_type=TransactionType.immediate) as tx:
            yield tx
    else:
        async with db.transaction() as tx:
            yield tx


def is_unique_violation(exc: BaseException) -> bool:
    """Whether ``exc`` says a unique constraint refused a row, on either engine."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc)
    try:
        import asyncpg
    except ImportError:  # pragma: no cover - asyncpg is a dependency
        return False
    return isinstance(exc, asyncpg.exceptions.UniqueViolationError)
