"""Hand-written SQL for the hot paths (scan resolution, work reporting), on either engine.

Piccolo builds every query anew, which costs more CPU than the database spends answering the
short statements the shop floor sends most. A :class:`Statement` is written once in
PostgreSQL's dialect with ``$1``-style parameters; its SQLite text is derived once (``?1``
parameters, no row-lock clause: SQLite's ``BEGIN IMMEDIATE`` already serialises writers). It
runs on the connection of the current Piccolo transaction, so it mixes freely with Piccolo
queries in one unit of work; outside a transaction it borrows a pooled connection.
:func:`run_together` sends several independent writes to PostgreSQL as one statement.

Rows come back as mappings (column name to value) with the same Python types Piccolo gives:
``Decimal`` for numeric, ``datetime`` for timestamps, ``bool`` for booleans.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, cast

from asyncpg import Record
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from takt.platform import db

__all__ = ["Statement", "run_together"]

_PARAMETER = re.compile(r"\$(\d+)")
_ROW_LOCK = re.compile(r"\s+FOR\s+(UPDATE|SHARE)(\s+OF\s+\w+(\s*,\s*\w+)*)?\s*$",
                       re.IGNORECASE)
_RETURNING = re.compile(r"\sRETURNING\s", re.IGNORECASE)


class Statement:
    """One SQL statement, written for PostgreSQL and adapted to SQLite once."""

    __slots__ = ("postgres", "returns", "sqlite")

    def __init__(self, text: str) -> None:
        self.postgres = " ".join(text.split())
        self.sqlite = _PARAMETER.sub(r"?\1", _ROW_LOCK.sub("", self.postgres))
        self.returns = bool(_RETURNING.search(self.postgres))

    async def fetch(self, *args: Any) -> list[Mapping[str, Any]]:
        """Every row the statement returns."""
        return await _fetch(self.postgres, self.sqlite, args)

    async def fetchrow(self, *args: Any) -> Mapping[str, Any] | None:
        """The first row, or ``None``."""
        rows = await self.fetch(*args)
        return rows[0] if rows else None

    async def fetchval(self, *args: Any) -> Any:
        """The first column of the first row, or ``None``."""
        rows = await self.fetch(*args)
        return next(iter(rows[0].values())) if rows else None

    async def execute(self, *args: Any) -> None:
        """Run the statement for its effect."""
        await self.fetch(*args)


async def run_together(*steps: tuple[Statement, Sequence[Any]]) -> list[Any]:
    """Run independent writes in one round trip: on PostgreSQL as one statement of
    data-modifying CTEs, on SQLite one after another (in-process: no round trip to save).

    The steps must not touch the same row twice and must not depend on each other's effects
    (a PostgreSQL statement sees one snapshot). Returns, for each step, the first column of
    its first returned row when it has a ``RETURNING`` clause, else ``None``.
    """
    if not isinstance(db.engine(), PostgresEngine):
        results: list[Any] = []
        for statement, args in steps:
            if statement.returns:
                results.append(await statement.fetchval(*args))
            else:
                await statement.execute(*args)
                results.append(None)
        return results
    statements = tuple(statement for statement, _ in steps)
    text = _together.get(statements)
    if text is None:
        text = _combine(statements)
        if len(_together) < 256:  # a handful of shapes in practice; never grow without bound
            _together[statements] = text
    rows = await _fetch(text, "", [arg for _, args in steps for arg in args])
    return [rows[0][f"s{index}"] if statement.returns else None
            for index, statement in enumerate(statements)]


_together: dict[tuple[Statement, ...], str] = {}


def _combine(statements: tuple[Statement, ...]) -> str:
    """``WITH s0 AS (...), s1 AS (...) SELECT (SELECT * FROM s0 LIMIT 1) AS s0, ...`` with
    each step's parameters renumbered after the previous steps'."""
    parts, columns, offset = [], [], 0
    for index, statement in enumerate(statements):
        parts.append(f"s{index} AS ({_renumber(statement.postgres, offset)})")
        # A data-modifying CTE runs whether or not the outer query reads it.
        columns.append(f"(SELECT * FROM s{index} LIMIT 1) AS s{index}" if statement.returns
                       else f"NULL AS s{index}")
        offset += max((int(n) for n in _PARAMETER.findall(statement.postgres)), default=0)
    return f"WITH {', '.join(parts)} SELECT {', '.join(columns)}"


def _renumber(text: str, by: int) -> str:
    return _PARAMETER.sub(lambda number: f"${int(number[1]) + by}", text)


def _mappings(records: list[Record]) -> list[Mapping[str, Any]]:
    # asyncpg's Record reads like a mapping (by key, get, keys, values, items) without being
    # declared one; it iterates values, not keys, so rows are read by key only.
    return cast(list[Mapping[str, Any]], records)


async def _fetch(postgres: str, sqlite: str, args: Sequence[Any]) -> list[Mapping[str, Any]]:
    engine = db.engine()
    transaction = engine.current_transaction.get()
    if isinstance(engine, PostgresEngine):
        if transaction is not None:
            return _mappings(await transaction.connection.fetch(postgres, *args))
        if engine.pool is not None:
            async with engine.pool.acquire() as pooled:
                return _mappings(await pooled.fetch(postgres, *args))
        connection = await engine.get_new_connection()
        try:
            return _mappings(await connection.fetch(postgres, *args))
        finally:
            await connection.close()
    if transaction is not None:
        return await _sqlite_fetch(transaction.connection, sqlite, args)
    if not isinstance(engine, SQLiteEngine):
        raise TypeError(f"Takt runs on PostgreSQL or SQLite, not {type(engine).__name__}.")
    own = await engine.get_connection()
    try:
        rows = await _sqlite_fetch(own, sqlite, args)
        await own.commit()
        return rows
    finally:
        await own.close()


async def _sqlite_fetch(connection: Any, text: str, args: Sequence[Any]
                        ) -> list[Mapping[str, Any]]:
    # Piccolo's SQLite connections already return dict rows and convert declared types.
    async with connection.execute(text, args) as cursor:
        return list(await cursor.fetchall())
