"""Hand-written SQL for the hot paths (scan resolution, work reporting), on either engine.

Piccolo builds every query anew, which costs more CPU than the database spends answering the
short statements the shop floor sends most. A :class:`Statement` is written once in
PostgreSQL's dialect with ``$1``-style parameters; its SQLite text is derived once (``?1``
parameters, no row-lock clause: SQLite's ``BEGIN IMMEDIATE`` already serialises writers). It
runs on the connection of the current Piccolo transaction, so it mixes freely with Piccolo
queries in one unit of work; outside a transaction it borrows a pooled connection.

Rows come back as mappings (column name to value) with the same Python types Piccolo gives:
``Decimal`` for numeric, ``datetime`` for timestamps, ``bool`` for booleans.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from piccolo.engine.postgres import PostgresEngine

from takt.platform import db

__all__ = ["Statement"]

_PARAMETER = re.compile(r"\$(\d+)")
_ROW_LOCK = re.compile(r"\s+FOR\s+(UPDATE|SHARE)(\s+OF\s+\w+(\s*,\s*\w+)*)?\s*$",
                       re.IGNORECASE)


class Statement:
    """One SQL statement, written for PostgreSQL and adapted to SQLite once."""

    __slots__ = ("postgres", "sqlite")

    def __init__(self, text: str) -> None:
        self.postgres = " ".join(text.split())
        self.sqlite = _PARAMETER.sub(r"?\1", _ROW_LOCK.sub("", self.postgres))

    async def fetch(self, *args: Any) -> list[Mapping[str, Any]]:
        """Every row the statement returns."""
        engine = db.engine()
        transaction = engine.current_transaction.get()
        if isinstance(engine, PostgresEngine):
            if transaction is not None:
                return await transaction.connection.fetch(self.postgres, *args)
            if engine.pool is not None:
                async with engine.pool.acquire() as connection:
                    return await connection.fetch(self.postgres, *args)
            connection = await engine.get_new_connection()
            try:
                return await connection.fetch(self.postgres, *args)
            finally:
                await connection.close()
        if transaction is not None:
            return await _sqlite_fetch(transaction.connection, self.sqlite, args)
        connection = await engine.get_connection()
        try:
            rows = await _sqlite_fetch(connection, self.sqlite, args)
            await connection.commit()
            return rows
        finally:
            await connection.close()

    async def fetchrow(self, *args: Any) -> Mapping[str, Any] | None:
        """The first row, or ``None``."""
        rows = await self.fetch(*args)
        return rows[0] if rows else None

    async def execute(self, *args: Any) -> None:
        """Run the statement for its effect."""
        await self.fetch(*args)

    async def fetchval(self, *args: Any) -> Any:
        """The first column of the first row, or ``None``."""
        rows = await self.fetch(*args)
        if not rows:
            return None
        return next(iter(rows[0].values()))


async def _sqlite_fetch(connection: Any, text: str, args: Sequence[Any]
                        ) -> list[Mapping[str, Any]]:
    # Piccolo's SQLite connections already return dict rows and convert declared types.
    async with connection.execute(text, args) as cursor:
        return list(await cursor.fetchall())
