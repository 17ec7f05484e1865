"""Stock at a line that a work report moves: backflushed components and produced output.

A work report consumes its operation's components from the line-side WIP location and may
produce the order's output into it. These movements follow the ledger's rules (append-only
rows, on-hand changed with them, line-side stock may go negative) but are returned as
statements for the report to send together with its own writes
(:func:`takt.platform.sql.run_together`): a report stays a handful of round trips however
many components it consumes. Only line-side locations (and a supplier's location, for an
outsourced receipt) are written here, which have no take-guard to fail, so nothing here can
refuse half-way.

Rules:

* Components are taken oldest lot first (lot creation order) among the released lots and the
  lot-less stock of the item at the line. What the line does not hold is still consumed (the
  material was used), from the item's lot-less row, which goes negative and so shows up in
  the reconciliation list.
* A consumed lot is linked to the output lot (genealogy) when the order has one.
* A voided report puts the components back into the lots it consumed (known by its
  command's idempotency key, which its movements carry too), else into the lots the order
  most recently consumed, and takes its output back out of the output lot: movements of the
  same kind in the other direction, noted as the void of the report. The genealogy is
  append-only too: each lot put back gets a reversing link (the same parent and child, a
  negative quantity), and the trace nets a pair's links, leaving out a lot whose consumption
  was put back in full.

Every report on a line changes the same few on-hand rows (the line's components). Written
in each report's transaction, on PostgreSQL those rows stayed locked to the end of its
commit's WAL flush, so reports on a line queued behind each other. There a report instead
inserts its line-side on-hand changes as deltas into ``inv_on_hand_pending``, in its own
transaction, and :func:`fold_pending` (run by every worker, one at a time) moves the deltas
into on-hand in batches: a shared row is written once per batch. Stock is read through the
view ``inv_on_hand_now`` (on-hand plus pending deltas), so every read is exact whenever the
fold runs. On SQLite (writers serialised anyway) the on-hand changes are statements of their
own: :func:`defer_line_steps` puts them among the command's last writes, summed per row (a
statement must not change a row twice).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import asyncpg

from takt.inventory.ledger import ADD_TO_ON_HAND, ZERO, six, stock_key
from takt.platform import db
from takt.platform.commands import UnitOfWork
from takt.platform.sql import Statement

__all__ = ["Need", "consume_steps", "defer_line_steps", "fold_pending", "output_steps",
           "start_folding", "stop_folding", "unconsume_steps"]

Step = tuple[Statement, tuple[Any, ...]]


@dataclass(frozen=True)
class Need:
    """A quantity of a component a report uses, in the item's unit."""

    item_id: int
    unit_id: int
    quantity: Decimal


_AT_LINE = Statement("""
    SELECT o.item, o.lot, o.quantity
    FROM inv_on_hand_now o LEFT JOIN inv_lot l ON l.id = o.lot
    WHERE o.location = $1 AND o.quantity <> 0 AND o.quantity > 0
      AND (o.lot IS NULL OR l.quality_status = 'released')
    ORDER BY o.item, o.lot IS NULL, o.lot
""")
_CONSUMED_FOR_ORDER = Statement("""
    SELECT item, lot, SUM(CASE WHEN from_location = $1 THEN quantity ELSE -quantity END)
               AS quantity,
           SUM(CASE WHEN from_location = $1 AND idempotency_key = $3 AND username = $4
                    THEN quantity ELSE 0 END) AS by_report,
           MAX(id) AS last
    FROM inv_movement
    WHERE kind = 'consume' AND document_type = 'work_order' AND document_code = $2
      AND (from_location = $1 OR to_location = $1)
    GROUP BY item, lot
    ORDER BY MAX(id) DESC
""")
"""What an order consumed of each item and lot at a location, net of what voids put back,
most recent first; ``by_report``: how much of it the command with idempotency key $3 (sent
by $4) consumed."""
_LINK = Statement("""
    INSERT INTO inv_lot_link (parent, child, kind, quantity, document_type, document_code, at)
    VALUES ($1, $2, 'consume', $3, 'work_order', $4, $5)
""")


_INSERT_LINE_MOVEMENT = Statement("""
    INSERT INTO inv_movement (kind, item, lot, from_location, to_location, quantity, unit,
                              document_type, document_code, note, user_id, username,
                              idempotency_key, at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, 'work_order', $8, $9, $10, $11, $12, $13)
""")
_PENDING = Statement("""
    INSERT INTO inv_on_hand_pending (stock_key, item, lot, location, quantity, at)
    VALUES ($1, $2, $3, $4, ROUND($5, 6), $6)
""")
"""A line-side on-hand change waiting for :func:`fold_pending` (PostgreSQL)."""
_FOLD_ONE_AT_A_TIME = Statement("SELECT pg_try_advisory_xact_lock(7316001) AS mine")
_LOCK_TIMEOUT = Statement("SET LOCAL lock_timeout = '200ms'")
_FOLD = Statement("""
    WITH folded AS (DELETE FROM inv_on_hand_pending
                    RETURNING stock_key, item, lot, location, quantity, at),
         summed AS (SELECT stock_key, MIN(item) AS item, MIN(lot) AS lot,
                           MIN(location) AS location, SUM(quantity) AS quantity,
                           MAX(at) AS at, COUNT(*) AS deltas
                    FROM folded GROUP BY stock_key),
         applied AS (INSERT INTO inv_on_hand (stock_key, item, lot, location, quantity,
                                              updated_at)
                     SELECT stock_key, item, lot, location, ROUND(quantity, 6), at
                     FROM summed ORDER BY stock_key
                     ON CONFLICT (stock_key) DO UPDATE
                     SET quantity = ROUND(inv_on_hand.quantity + excluded.quantity, 6),
                         updated_at = GREATEST(inv_on_hand.updated_at, excluded.updated_at))
    SELECT COALESCE(SUM(deltas), 0)::integer AS deltas FROM summed
""")
"""Every committed pending delta into on-hand, summed per row, in key order (the order in
which every writer of on-hand rows in bulk takes them)."""


def _pends() -> bool:
    """Whether line-side on-hand changes wait as pending deltas (PostgreSQL) rather than
    being written by the report itself (SQLite)."""
    return db.engine().engine_type == "postgres"


def _moved(uow: UnitOfWork, kind: str, need_item: int, unit_id: int, lot_id: int | None,
           location_id: int, quantity: Decimal, work_order_code: str, note: str, *,
           arriving: bool, at: datetime) -> list[Step]:
    """A movement row and the on-hand change it makes at the line: on PostgreSQL a pending
    delta (no shared row written, see the module's docstring), on SQLite an on-hand change
    summed with the command's others."""
    movement = (_INSERT_LINE_MOVEMENT, (
        kind, need_item, lot_id, None if arriving else location_id,
        location_id if arriving else None, quantity, unit_id, work_order_code, note,
        uow.actor.user_id, uow.actor.username, uow.idempotency_key, at))
    change = (stock_key(need_item, lot_id, location_id), need_item, lot_id, location_id,
              quantity if arriving else -quantity, at)
    if _pends():
        return [movement, (_PENDING, change)]
    return [(ADD_TO_ON_HAND, change), movement]


def _in_key_order(pieces: dict[tuple[int, int | None], Decimal], location_id: int
                  ) -> list[tuple[tuple[int, int | None], Decimal]]:
    """Pieces by their on-hand row's key: the order every report locks those rows in."""
    return sorted(pieces.items(),
                  key=lambda piece: stock_key(piece[0][0], piece[0][1], location_id))


async def consume_steps(uow: UnitOfWork, *, location_id: int, needs: list[Need],
                        work_order_code: str, into_lot_id: int | None = None,
                        note: str = "",
                        at_line: list[tuple[int, int | None, Decimal]] | None = None
                        ) -> list[Step]:
    """Backflush ``needs`` from the line-side location, oldest lot first; link each consumed
    lot into ``into_lot_id`` (the order's output lot) when given. ``at_line``: the location's
    usable stock (item, lot, quantity > 0; released lots and lot-less stock, oldest lot
    first) when the caller read it already, with what it read for the report."""
    needs = [need for need in needs if need.quantity > 0]
    if not needs:
        return []
    if at_line is None:
        at_line = [(row["item"], row["lot"], six(row["quantity"]))
                   for row in await _AT_LINE.fetch(location_id)]
    stock: dict[int, list[tuple[int | None, Decimal]]] = defaultdict(list)
    for item_id, lot_id, quantity in at_line:
        stock[item_id].append((lot_id, quantity))
    at = datetime.now(UTC)
    steps: list[Step] = []
    taken: dict[tuple[int, int | None], Decimal] = defaultdict(lambda: ZERO)
    units: dict[int, int] = {}
    for need in needs:
        units[need.item_id] = need.unit_id
        left = six(need.quantity)
        for lot_id, there in stock.get(need.item_id, []):
            if left <= 0:
                break
            piece = min(left, there - taken.get((need.item_id, lot_id), ZERO))
            if piece > 0:
                taken[(need.item_id, lot_id)] += piece
                left -= piece
        if left > 0:
            taken[(need.item_id, None)] += left
    for (item_id, lot_id), quantity in _in_key_order(taken, location_id):
        steps += _moved(uow, "consume", item_id, units[item_id], lot_id, location_id, quantity,
                        work_order_code, note, arriving=False, at=at)
        if lot_id is not None and into_lot_id is not None and lot_id != into_lot_id:
            steps.append((_LINK, (lot_id, into_lot_id, quantity, work_order_code, at)))
    return steps


async def unconsume_steps(uow: UnitOfWork, *, location_id: int, needs: list[Need],
                          work_order_code: str, note: str, from_lot_id: int | None = None,
                          reported_by: tuple[str | None, str] | None = None) -> list[Step]:
    """Put components back where they were consumed (a voided report). ``reported_by``: the
    voided report's idempotency key and username; the lots its movements consumed are put
    back first, then (a report sent without a key, or a need beyond what they show) the lots
    this order consumed there most recently, never more of a lot than the order consumed of
    it. Each lot put back is unlinked from ``from_lot_id`` (the order's output lot) by a
    reversing link."""
    needs = [need for need in needs if need.quantity > 0]
    if not needs:
        return []
    key, username = reported_by if reported_by is not None else (None, "")
    consumed: dict[int, list[tuple[int | None, Decimal]]] = defaultdict(list)
    by_report: dict[int, list[tuple[int | None, Decimal]]] = defaultdict(list)
    for row in await _CONSUMED_FOR_ORDER.fetch(location_id, work_order_code, key, username):
        net = six(row["quantity"])
        consumed[row["item"]].append((row["lot"], net))
        if six(row["by_report"]) > 0:
            by_report[row["item"]].append((row["lot"], min(six(row["by_report"]), net)))
    at = datetime.now(UTC)
    back: dict[tuple[int, int | None], Decimal] = defaultdict(lambda: ZERO)
    units: dict[int, int] = {}
    for need in needs:
        units[need.item_id] = need.unit_id
        left = six(need.quantity)
        for lot_id, quantity in (*by_report.get(need.item_id, []),
                                 *consumed.get(need.item_id, [])):
            piece = min(left, quantity - back.get((need.item_id, lot_id), ZERO))
            if piece > 0:
                back[(need.item_id, lot_id)] += piece
                left -= piece
        if left > 0:
            back[(need.item_id, None)] += left
    steps: list[Step] = []
    for (item_id, lot_id), quantity in _in_key_order(back, location_id):
        steps += _moved(uow, "consume", item_id, units[item_id], lot_id, location_id, quantity,
                        work_order_code, note, arriving=True, at=at)
        if lot_id is not None and from_lot_id is not None and lot_id != from_lot_id:
            steps.append((_LINK, (lot_id, from_lot_id, -quantity, work_order_code, at)))
    return steps


def output_steps(uow: UnitOfWork, *, location_id: int, item_id: int, unit_id: int,
                 lot_id: int | None, quantity: Decimal, work_order_code: str,
                 note: str = "") -> list[Step]:
    """Good output produced into the line-side location (``quantity`` > 0), or taken back
    out of it by a voided report (``quantity`` < 0)."""
    if quantity == 0:
        return []
    return _moved(uow, "produce", item_id, unit_id, lot_id, location_id, abs(six(quantity)),
                  work_order_code, note, arriving=quantity > 0, at=datetime.now(UTC))


def defer_line_steps(uow: UnitOfWork, steps: list[Step]) -> None:
    """Queue line movements among the command's last writes (see the module's docstring)."""
    writes = uow.last_writes
    for statement, args in steps:
        if statement is ADD_TO_ON_HAND:
            for index, (queued, queued_args) in enumerate(writes):
                if queued is ADD_TO_ON_HAND and queued_args[0] == args[0]:
                    writes[index] = (queued, (*queued_args[:4],
                                              six(queued_args[4] + args[4]), args[5]))
                    break
            else:
                writes.append((statement, args))
        else:
            writes.append((statement, args))
    slots = [index for index, (statement, _) in enumerate(writes)
             if statement is ADD_TO_ON_HAND]
    ordered = sorted((writes[index] for index in slots), key=lambda step: step[1][0])
    for index, step in zip(slots, ordered, strict=True):
        writes[index] = step


FOLD_INTERVAL_S = 0.1
"""How often each worker folds pending line-side deltas into on-hand (PostgreSQL)."""
_VACUUM_EVERY = 10
_VACUUM = Statement("VACUUM (SKIP_LOCKED) inv_on_hand_pending")
"""Every row of the pending table is deleted within a tick of being written; vacuumed every
second, it stays a few pages long instead of growing until autovacuum comes by (a minute).
The table is never truncated by a vacuum (``vacuum_truncate = false``): that would lock out
the reports writing into it; and a worker skips a vacuum another one is running."""


async def fold_pending() -> int:
    """Move every committed pending line-side delta into on-hand, in one transaction, and
    return how many there were (PostgreSQL). One worker folds at a time: another that finds
    the fold taken returns 0. The fold waits at most 200 ms for a row another command holds
    (a move out of the line side), so it gives way and is tried again at the next tick rather
    than ever being one half of a deadlock that could end that command."""
    async with db.transaction():
        if not await _FOLD_ONE_AT_A_TIME.fetchval():
            return 0
        await _LOCK_TIMEOUT.execute()
        return int(await _FOLD.fetchval())


async def _fold_forever() -> None:
    """Fold pending deltas every :data:`FOLD_INTERVAL_S` until cancelled. A fold that fails
    is logged and tried again at the next tick; stock reads stay exact meanwhile, only the
    pending deltas pile up."""
    log = logging.getLogger("takt.inventory")
    for tick in itertools.count(1):
        try:
            await fold_pending()
            if tick % _VACUUM_EVERY == 0:
                await _VACUUM.execute()
        except asyncpg.exceptions.LockNotAvailableError:
            log.debug("Folding line-side deltas gave way to a command holding a row")
        except Exception:  # noqa: BLE001 - keep folding; the next tick tries again
            log.warning("Folding line-side deltas into on-hand failed", exc_info=True)
        await asyncio.sleep(FOLD_INTERVAL_S)


def start_folding() -> asyncio.Task[None] | None:
    """Start this worker's folding of pending deltas (PostgreSQL; ``None`` on SQLite, where
    nothing is pending). Every worker runs one; they take turns."""
    return asyncio.create_task(_fold_forever()) if _pends() else None


async def stop_folding(task: asyncio.Task[None] | None) -> None:
    """Stop a worker's folding and fold once more, so the next start finds less pending
    (stock reads are exact either way, so a last fold that fails is let go)."""
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    with contextlib.suppress(Exception):
        await fold_pending()
