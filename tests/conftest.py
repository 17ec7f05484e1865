"""Test set-up shared by every suite.

One template database is migrated and seeded with the demo factory once per run; each test
gets a cheap copy of it (a file copy on SQLite, ``CREATE DATABASE ... TEMPLATE`` on
PostgreSQL). The leg is chosen by ``TAKT_TEST_POSTGRES_URL`` (an admin connection to a
PostgreSQL server) and ``REDIS_URL``; without them the suite runs embedded (SQLite, memory).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
import uuid
from pathlib import Path

_RUN = uuid.uuid4().hex[:8]
_TMP = Path(tempfile.mkdtemp(prefix=f"takt-test-{_RUN}-"))
PG_ADMIN_URL = os.environ.get("TAKT_TEST_POSTGRES_URL")
os.environ["TAKT_DATA_DIR"] = str(_TMP)
os.environ["PICCOLO_CONF"] = "takt.piccolo_conf"
os.environ["LOGIN_RATE_LIMIT_PER_MINUTE"] = "100000"
os.environ["PUBLIC_URL"] = "http://takt.test:8000"
# The API tests see the built-in front door whatever PWA build the working tree holds; serving
# a built app is tested with a small fake one (tests/api/test_front_door.py).
os.environ["PWA_DIR"] = str(_TMP / "no-pwa-build")
# The test client runs the app's lifespan on its own event loop, so a pool opened there could
# not serve queries the tests make directly; test_platform checks the pool on its own.
os.environ["DB_POOL_MAX"] = "0"
os.environ["REDIS_PREFIX"] = f"takt-test-{_RUN}"
os.environ.pop("DATABASE_URL", None)
if PG_ADMIN_URL:
    _PG_BASE = PG_ADMIN_URL.rsplit("/", 1)[0]
    _TEMPLATE_DB = f"takt_tpl_{_RUN}"
    os.environ["DATABASE_URL"] = f"{_PG_BASE}/{_TEMPLATE_DB}"

import pytest  # noqa: E402
from litestar.testing import AsyncTestClient  # noqa: E402

from takt.platform import db  # noqa: E402
from takt.platform.roles import ALL_ROLES  # noqa: E402
from takt.settings import ensure_keys, get_settings  # noqa: E402

# What `takt migrate` does to a data directory besides the database: reading the settings
# makes no key files.
ensure_keys(get_settings())

ROLES = ALL_ROLES
ON_POSTGRES = PG_ADMIN_URL is not None


async def _pg_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
async def template_db() -> dict[str, int]:
    """Migrate and seed the template once; return the demo users' ids by role name."""
    from takt.platform.tables import User
    from takt.seed import load_seed

    if ON_POSTGRES:
        await _pg_admin(f"DROP DATABASE IF EXISTS {_TEMPLATE_DB}")
        await _pg_admin(f"CREATE DATABASE {_TEMPLATE_DB}")
    settings = get_settings()
    await db.start(settings)
    await db.migrate()
    # Production tests make their own orders; the demo's orders are tested on their own
    # (tests/api/test_production_demo.py).
    await load_seed(skip={"work-orders"})
    rows = await User.select(User.id, User.username)
    if not ON_POSTGRES:
        await db.engine().run_ddl("PRAGMA wal_checkpoint(TRUNCATE)")
    await db.stop()
    yield {row["username"]: row["id"] for row in rows}
    if ON_POSTGRES:
        await _pg_admin(f"DROP DATABASE IF EXISTS {_TEMPLATE_DB}")
    shutil.rmtree(_TMP, ignore_errors=True)


_counter = iter(range(1, 1_000_000))


@pytest.fixture
async def fresh_db(template_db: dict[str, int]) -> dict[str, int]:
    """A private copy of the seeded template for one test."""
    engine = db.engine()
    n = next(_counter)
    if ON_POSTGRES:
        name = f"takt_t_{_RUN}_{n}"
        await _pg_admin(f"CREATE DATABASE {name} TEMPLATE {_TEMPLATE_DB}")
        engine.config["dsn"] = f"{_PG_BASE}/{name}"
        yield template_db
        await _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    else:
        template = get_settings().sqlite_path
        path = _TMP / f"test_{n}.db"
        shutil.copyfile(template, path)
        engine.path = str(path)
        yield template_db
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


@pytest.fixture
async def service_db(fresh_db: dict[str, int]) -> dict[str, int]:
    """A fresh database opened for service-layer tests (no HTTP)."""
    await db.start(get_settings())
    yield fresh_db
    await db.stop()


@pytest.fixture
def app(fresh_db):  # type: ignore[no-untyped-def]
    """The app on a fresh database, with its own Redis key prefix (rate limits, badge locks)."""
    from takt.app import create_app

    settings = dataclasses.replace(get_settings(),
                                   redis_prefix=f"{get_settings().redis_prefix}-{next(_counter)}")
    return create_app(settings)


@pytest.fixture(scope="session")
def tokens(template_db: dict[str, int]) -> dict[str, str]:
    """A bearer token per demo role (sign-in itself is tested in test_auth)."""
    from takt.platform.auth import make_jwt_auth

    jwt_auth = make_jwt_auth(get_settings())
    return {role: jwt_auth.create_token(identifier=str(template_db[role])) for role in ROLES}


@pytest.fixture
async def client(app):  # type: ignore[no-untyped-def]
    """An HTTP client of the app on a fresh database, not signed in."""
    async with AsyncTestClient(app=app, base_url="http://takt.test:8000") as test_client:
        yield test_client


@pytest.fixture
def as_role(tokens):  # type: ignore[no-untyped-def]
    """Headers of a signed-in demo user: ``as_role("planner")``."""

    def headers(role: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[role]}", **extra}

    return headers
