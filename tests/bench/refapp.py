"""The bare reference for ``make bench``: Litestar + asyncpg and nothing else.

It answers the two shapes of request Takt's hot paths have, with the least work a server can
do for them, so the benchmark can say how much Takt's auth, validation, idempotency, audit and
events cost on the same machine, database and run:

- ``GET /ref/read?code=…``: one SELECT by an indexed code (what a scan resolves at its core);
- ``POST /ref/counters/{id}/reports`` ``{"good", "scrap"}``: one INSERT of an append-only row
  and one UPDATE of a summary row in one transaction (what a work report is at its core).

Served by uvicorn with two workers and Takt's pool size, through ``serve.py`` (TCP_NODELAY on,
see there); the tables are made and filled by ``bench.py``. Not part of Takt.
"""

from __future__ import annotations

import os
from typing import Any

import asyncpg
import msgspec
from litestar import Litestar, get, post
from litestar.datastructures import State
from litestar.exceptions import NotFoundException

__all__ = ["SCHEMA", "create_app"]

SCHEMA = """
CREATE TABLE bench_ref_record (
    id bigserial PRIMARY KEY,
    code text NOT NULL,
    title text NOT NULL,
    status text NOT NULL
);
CREATE UNIQUE INDEX bench_ref_record_code ON bench_ref_record (code);
CREATE TABLE bench_ref_counter (
    id bigserial PRIMARY KEY,
    good numeric NOT NULL DEFAULT 0,
    scrap numeric NOT NULL DEFAULT 0,
    version integer NOT NULL DEFAULT 1
);
CREATE TABLE bench_ref_report (
    id bigserial PRIMARY KEY,
    counter_id bigint NOT NULL REFERENCES bench_ref_counter (id),
    good numeric NOT NULL,
    scrap numeric NOT NULL,
    reported_at timestamptz NOT NULL DEFAULT now()
);
"""
"""The reference tables, made by ``bench.py`` in the benchmark's database."""


class ReportIn(msgspec.Struct, forbid_unknown_fields=True):
    good: int = 0
    scrap: int = 0


@get("/ref/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@get("/ref/read")
async def read(state: State, code: str) -> dict[str, Any]:
    row = await state.pool.fetchrow(
        "SELECT id, code, title, status FROM bench_ref_record WHERE code = $1", code)
    if row is None:
        raise NotFoundException(f"No record {code}.")
    return dict(row)


@post("/ref/counters/{counter_id:int}/reports", status_code=201)
async def write(state: State, counter_id: int, data: ReportIn) -> dict[str, Any]:
    async with state.pool.acquire() as conn, conn.transaction():
        report_id = await conn.fetchval(
            "INSERT INTO bench_ref_report (counter_id, good, scrap) VALUES ($1, $2, $3) "
            "RETURNING id", counter_id, data.good, data.scrap)
        version = await conn.fetchval(
            "UPDATE bench_ref_counter SET good = good + $2, scrap = scrap + $3, "
            "version = version + 1 WHERE id = $1 RETURNING version",
            counter_id, data.good, data.scrap)
    if version is None:
        raise NotFoundException(f"No counter {counter_id}.")
    return {"id": report_id, "counter_id": counter_id, "version": version}


async def _open_pool(app: Litestar) -> None:
    # The same pool bounds as a Takt worker (DB_POOL_MIN / DB_POOL_MAX).
    app.state.pool = await asyncpg.create_pool(
        os.environ["BENCH_REF_DSN"], min_size=int(os.environ.get("DB_POOL_MIN", "1")),
        max_size=int(os.environ.get("DB_POOL_MAX", "10")))


async def _close_pool(app: Litestar) -> None:
    await app.state.pool.close()


def create_app() -> Litestar:
    """The reference app (``python serve.py refapp:create_app PORT``)."""
    return Litestar([health, read, write], on_startup=[_open_pool], on_shutdown=[_close_pool])
