"""What every production room shares: the statuses and their words, row locks, times in UTC and
a few helpers for writing many rows (quantities are checked by
:func:`takt.inventory.ledger.check_quantity`).

Every command runs inside the caller's transaction (``run_command`` or ``execute``). A state
change is one guarded ``UPDATE ... WHERE status IN (...)`` and one audit row; what counts
output is an append-only row (``WorkReport``, ``LabourEvent``) and the summaries of the
operation and its work order are updated from it in the same transaction.

Rows that a command changes are locked in one order everywhere (the work order, then its
operations by ``seq``: :func:`takt.production.work_orders.lock_order`), so concurrent commands
queue instead of deadlocking. On PostgreSQL that is ``SELECT ... FOR UPDATE``; on SQLite the
whole command already holds the database's single write lock (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, overload

from takt.inventory.ledger import qty, six
from takt.platform import db
from takt.platform.i18n import Message, term

__all__ = [
    "CHUNK",
    "NOT_DONE",
    "OPEN_STATUSES",
    "REOPENABLE",
    "WORKING",
    "ZERO",
    "as_utc",
    "insert_chunked",
    "jsonable",
    "locked",
    "utc_now",
    "operation_code",
    "operation_line",
    "qty",
    "select_as",
    "six",
    "status_words",
    "work_order_topics",
]

ZERO = Decimal(0)
CHUNK = 400
"""Rows per INSERT statement: below SQLite's and asyncpg's limits on bound parameters."""

OPEN_STATUSES = ("draft", "released", "in_progress", "on_hold")
"""Work orders not finished yet (a late one is one of these past its due time)."""
WORKING = ("released", "in_progress")
"""Work order statuses in which the floor may start and report."""
REOPENABLE = (*WORKING, "completed")
"""Work order statuses in which a done operation may be reopened (a completed order goes back
to in progress)."""
NOT_DONE = ("pending", "ready", "running", "paused", "held")
"""Operation statuses of a step that has not finished."""

# A work order's and an operation's statuses share no code, so one table serves both.
_STATUS_WORDS: dict[str, Message] = {
    "draft": Message("a draft"),
    **{status: term("work order status", status) for status in (
        "released", "in_progress", "completed", "closed", "on_hold", "cancelled")},
    "pending": Message("waiting for material from the previous step"),
    **{status: term("operation status", status) for status in (
        "ready", "running", "paused", "done")},
    "held": Message("held (its work order is on hold)"),
}


def utc_now() -> datetime:
    """The time now, in UTC."""
    return datetime.now(UTC)


@overload
def as_utc(value: datetime | str) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
@overload
def as_utc(value: datetime | str | None) -> datetime | None: ...
def as_utc(value: datetime | str | None) -> datetime | None:
    """A time in UTC (naive times are taken as UTC)."""
    if value is None:
        return None
    if isinstance(value, str):  # an aggregate of times on SQLite comes back as its text
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def operation_code(work_order_code: str, seq: int) -> str:
    """The code (and label) of an operation: ``WO-2026-00001-10``."""
    return f"{work_order_code}-{seq:02d}"


def operation_line(scheduled_workstation_line: str | None, workstation_line: str | None,
                   work_order_line: str | None) -> str | None:
    """The line an operation runs on: its scheduled workstation's line, else its (route's)
    workstation's, else its work order's. Every read of an operation's line goes through here."""
    return scheduled_workstation_line or workstation_line or work_order_line


def locked(query: Any) -> Any:
    """``SELECT ... FOR UPDATE`` on PostgreSQL. SQLite has no row locks; there the command's
    ``BEGIN IMMEDIATE`` transaction already excludes every other writer."""
    return query.lock_rows() if db.engine().engine_type == "postgres" else query


def status_words(status: str) -> str:
    """A work order's or an operation's status as the words of a sentence (a
    :class:`~takt.platform.i18n.Message`, translated with the sentence it is put into)."""
    return _STATUS_WORDS.get(status, status)


def select_as(table: Any, columns: dict[str, Any]) -> Any:
    """A Piccolo select of ``columns``, each under its key as alias."""
    return table.select(*(column.as_alias(name) for name, column in columns.items()))


async def insert_chunked(table: Any, rows: list[dict[str, Any]], *returning: Any
                         ) -> list[dict[str, Any]]:
    """Insert many rows in few statements (:data:`CHUNK` a statement)."""
    out: list[dict[str, Any]] = []
    for start in range(0, len(rows), CHUNK):
        query = table.insert(*(table(**row) for row in rows[start:start + CHUNK]))
        if returning:
            out.extend(await query.returning(*returning))
        else:
            await query
    return out


def jsonable(value: Any) -> Any:
    """A column value as an audit row keeps it."""
    if isinstance(value, Decimal):
        return str(qty(value))
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def work_order_topics(code: str, line: str | None) -> list[str]:
    """The event topics of a work order: its own and its line's."""
    return [f"wo:{code}"] + ([f"line:{line}"] if line else [])
