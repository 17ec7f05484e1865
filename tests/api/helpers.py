"""Helpers for tests that need a database outside the per-test template copy."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from takt.platform import db


def current_database_url() -> str:
    """The URL of the database the engine points at now (for a CLI subprocess)."""
    engine = db.engine()
    if hasattr(engine, "path"):
        return f"sqlite:///{engine.path}"
    return engine.config["dsn"]


@asynccontextmanager
async def empty_database() -> AsyncIterator[None]:
    """Point the engine at a brand-new empty database for the duration of the block."""
    engine = db.engine()
    admin_url = os.environ.get("TAKT_TEST_POSTGRES_URL")
    name = f"takt_empty_{uuid.uuid4().hex[:10]}"
    if admin_url:
        previous = engine.config["dsn"]
        conn = await asyncpg.connect(admin_url)
        await conn.execute(f"CREATE DATABASE {name}")
        engine.config["dsn"] = f"{admin_url.rsplit('/', 1)[0]}/{name}"
        try:
            yield
        finally:
            engine.config["dsn"] = previous
            await conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            await conn.close()
    else:
        previous = engine.path
        path = os.path.join(os.environ["TAKT_DATA_DIR"], f"{name}.db")
        engine.path = path
        try:
            yield
        finally:
            engine.path = previous
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.unlink(path + suffix)
