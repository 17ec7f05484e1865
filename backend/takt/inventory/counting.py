"""Cycle counts by location: count what is there, compare with the ledger, and post the
differences as ``count_adjustment`` movements once a supervisor approves.

A count (``CNT-2026-00001``) goes open -> submitted -> approved | rejected:

* **open**: made for one location, it snapshots what the ledger holds there (item x lot x
  quantity, negative line-side balances included) as the lines' ``expected``. Counters
  record what they find, item by item and lot by lot; a lot not expected there is recorded
  too (stock found); recording an item and lot again replaces the earlier figure. A blind
  count hides ``expected`` from everyone but supervisors while it is open.
* **submitted**: counting is closed. Every line must have been counted (zero for what is not
  there): nothing is guessed. Each line's ``book`` is what the ledger holds *at submit*, and
  ``variance = counted - book``: movements between the snapshot and the submit (an issue
  made while counting) are the ledger's, so comparing with the snapshot would post them a
  second time. The snapshot stays on the lines for information. Stock that arrived after
  the snapshot as an item and lot the count has no line for is outside the count.
* **approved** (supervisor): every non-zero variance is posted through
  :func:`takt.inventory.ledger.post_movement` (added to the location when positive, taken
  from it when negative), all in one transaction. Movements after the submit stay as they
  are (the variance is added to them, not a target quantity set), so a real location that
  no longer holds what a negative variance takes refuses the approval (409
  ``stock.insufficient``) and nothing is written: reject the count and count again.
* **rejected** (supervisor, with a reason): closed without posting. An open count can be
  rejected too (abandoned).

A count of a line-side (WIP) location is the end-of-shift line reconciliation: its
approval moves each counted item and lot of the line's WIP to the counted quantity (plus
whatever the line booked after the submit), so a negative WIP balance counted as zero is
lifted back to zero and leaves the reconciliation list.

A location has one count in progress (open or submitted) at a time. Every command begins
with a guarded update of the count row (``WHERE status = ...``), which also makes the
commands on one count queue behind each other on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from takt.inventory import schemas as s
from takt.inventory.ledger import ZERO, check_quantity, post_movement, qty, six
from takt.inventory.services import lot_of_item, lot_required, moves_by_lot
from takt.inventory.tables import Count, CountLine, Lot, OnHandNow
from takt.masterdata.lookups import item_by_code, location_by_code
from takt.masterdata.tables import Item, Line
from takt.platform.codes import next_document_code
from takt.platform.commands import UnitOfWork
from takt.platform.errors import Conflict, Invalid, NotFound, TaktError
from takt.platform.i18n import Message
from takt.platform.roles import BLIND_COUNT_READERS
from takt.platform.sql import Statement

__all__ = [
    "approve_count",
    "create_count",
    "get_count",
    "list_counts",
    "record_count_line",
    "reject_count",
    "submit_count",
]

_STATUS_WORDS = {"open": Message("still being counted"),
                 "submitted": Message("submitted", context="count status"),
                 "approved": Message("approved", context="count status"),
                 "rejected": Message("rejected", context="count status")}

_COUNT = Statement("""
    SELECT c.id, c.code, c.status, c.blind, c.version, l.id AS location_id,
           l.code AS location_code
    FROM inv_count c JOIN md_location l ON l.id = c.location
    WHERE c.code = $1
""")
_STEP = Statement("""
    UPDATE inv_count SET status = $3, version = version + 1, open_location = $4
    WHERE id = $1 AND status = $2
    RETURNING version
""")
"""The guarded transition (a recorded line is a step from open to open)."""
_SNAPSHOT = Statement("""
    SELECT item, lot, quantity FROM inv_on_hand_now
    WHERE location = $1 AND ROUND(quantity, 6) <> 0
    ORDER BY item, lot
""")
_PUT_LINE = Statement("""
    INSERT INTO inv_count_line (cycle_count, line_key, item, lot, counted, counted_by, counted_at)
    VALUES ($1, $2, $3, $4, ROUND($5, 6), $6, $7)
    ON CONFLICT (line_key) DO UPDATE
    SET counted = excluded.counted, counted_by = excluded.counted_by,
        counted_at = excluded.counted_at
""")
_LINES = Statement("""
    SELECT id, item, lot, expected, counted FROM inv_count_line WHERE cycle_count = $1
    ORDER BY item, lot
""")
_CLOSE_LINE = Statement("""
    UPDATE inv_count_line SET book = ROUND($2, 6), variance = ROUND($3, 6) WHERE id = $1
""")
_POSTED = Statement("UPDATE inv_count_line SET movement_id = $2 WHERE id = $1")


def _line_key(count_id: int, item_id: int, lot_id: int | None) -> str:
    return f"{count_id}:{item_id}:{lot_id or 0}"


async def _count(code: str) -> dict[str, Any]:
    row = await _COUNT.fetchrow(code.upper())
    if row is None:
        raise NotFound(Message("There is no count {code}.", code=code.upper()),
                       code="count.not_found")
    return dict(row)


async def _step(count: dict[str, Any], frm: str, to: str, *, still_open: bool) -> int:
    """Move ``count`` from status ``frm`` to ``to`` by one guarded update; its version."""
    if count["status"] != frm:
        raise Conflict(Message("Count {count} is {status}; {frm}",
                               count=count['code'], status=_STATUS_WORDS[count['status']],
                               frm=_refusal(frm)),
                       code="count.bad_status",
                       count_status=count["status"])
    version = await _STEP.fetchval(count["id"], frm, to,
                                   count["location_id"] if still_open else None)
    if version is None:  # it changed between the read and the update
        now = await _count(count["code"])
        raise Conflict(Message("Count {count} is {status} now; look again.",
                               count=count['code'], status=_STATUS_WORDS[now['status']]),
                       code="count.bad_status",
                       count_status=now["status"])
    return int(version)


def _refusal(needed: str) -> str:
    return {"open": Message("counting is closed."),
            "submitted": Message("only a submitted count can be approved.")}.get(needed, "")


def _counted(value: Decimal, item: dict[str, Any]) -> Decimal:
    """A counted quantity: zero or more, with at most the unit's decimals."""
    if isinstance(value, Decimal) and value.is_finite() and value == 0:
        return six(ZERO)
    return check_quantity(value, item["decimals"], item["unit"])


# --- commands --------------------------------------------------------------------------------

async def create_count(uow: UnitOfWork, data: s.CountIn) -> s.CountOut:
    """Start counting a location: the count and its lines, one per item and lot the ledger
    holds there now (the snapshot)."""
    location = await location_by_code(data.location_code, "location_code")
    busy = await Count.select(Count.code).where(
        Count.open_location == location["id"]).first()
    if busy is not None:
        raise Conflict(Message("{location} is being counted already ({busy}); finish or reject "
                               "that count first.", location=location['code'], busy=busy['code']),
                       code="count.in_progress",
                       count_code=busy["code"])
    now = datetime.now(UTC)
    code = await next_document_code("CNT", now)
    actor = uow.actor
    rows = await Count.insert(Count(
        code=code, location=location["id"], blind=data.blind, status="open",
        open_location=location["id"], note=data.note, created_by_id=actor.user_id,
        created_by=actor.username, created_at=now)).returning(Count.id)
    count_id = rows[0]["id"]
    snapshot = await _SNAPSHOT.fetch(location["id"])
    if snapshot:
        await CountLine.insert(*[CountLine(
            cycle_count=count_id, line_key=_line_key(count_id, row["item"], row["lot"]),
            item=row["item"], lot=row["lot"], expected=six(row["quantity"]))
            for row in snapshot])
    await uow.audit("count.create", "count", code, after={
        "location_code": location["code"], "blind": data.blind, "lines": len(snapshot),
        "note": data.note})
    uow.emit("count.created", code, f"location:{location['code']}", f"count:{code}",
             version=1)
    return await get_count(code, actor.roles)


async def record_count_line(uow: UnitOfWork, code: str, data: s.CountLineIn) -> s.CountOut:
    """Record what was counted of an item (and lot) on an open count."""
    count = await _count(code)
    item = await item_by_code(data.item_code)
    lot = await lot_of_item(data.lot_code, item) if data.lot_code else None
    # Stock of an item kept by lot is counted by lot, except the lot-less balance a line's
    # backflush may leave (consumed before any lot was issued): the count expects it.
    if lot is None and moves_by_lot(item) and not await CountLine.exists().where(
            CountLine.line_key == _line_key(count["id"], item["id"], None)):
        raise lot_required(item)
    amount = _counted(data.quantity, item)
    version = await _step(count, "open", "open", still_open=True)
    now = datetime.now(UTC)
    lot_id = lot["id"] if lot else None
    await _PUT_LINE.execute(count["id"], _line_key(count["id"], item["id"], lot_id),
                            item["id"], lot_id, amount, uow.actor.username, now)
    await uow.audit("count.record", "count", count["code"], after={
        "item_code": item["code"], "lot_code": lot["code"] if lot else None,
        "counted": str(qty(amount))})
    uow.emit("count.counted", count["code"], f"location:{count['location_code']}",
             f"count:{count['code']}", version=version)
    return await get_count(count["code"], uow.actor.roles)


async def submit_count(uow: UnitOfWork, code: str) -> s.CountOut:
    """Close counting: compare each line with what the ledger holds now."""
    count = await _count(code)
    version = await _step(count, "open", "submitted", still_open=True)
    lines = await _LINES.fetch(count["id"])
    missing = [line for line in lines if line["counted"] is None]
    if missing:
        names = await _names(missing)
        shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10
                                         else "")
        raise Conflict(Message("{count} line(s) of {count2} are not counted yet: {shown}. Count "
                               "them (enter 0 for what is not there) and submit again.",
                               count=len(missing), count2=count['code'], shown=shown),
                       code="count.not_counted", not_counted=names)
    if not lines:
        raise Conflict(Message("Nothing was counted on {count} and the ledger expects nothing "
                               "there; record a line or reject the count.", count=count['code']),
                       code="count.empty")
    book = {(row["item"], row["lot"]): six(row["quantity"]) for row in await OnHandNow.select(
        OnHandNow.item, OnHandNow.lot, OnHandNow.quantity).where(
        OnHandNow.location == count["location_id"])}
    variances = []
    for line in lines:
        held = book.get((line["item"], line["lot"]), six(ZERO))
        variance = six(line["counted"]) - held
        await _CLOSE_LINE.execute(line["id"], held, variance)
        if variance != 0:
            variances.append(variance)
    now = datetime.now(UTC)
    await Count.update({Count.submitted_by: uow.actor.username, Count.submitted_at: now}).where(
        Count.id == count["id"])
    await uow.audit("count.submit", "count", count["code"],
                    before={"status": "open"},
                    after={"status": "submitted", "lines": len(lines),
                           "variances": len(variances)})
    uow.emit("count.submitted", count["code"], f"location:{count['location_code']}",
             f"count:{count['code']}", version=version)
    return await get_count(count["code"], uow.actor.roles)


async def approve_count(uow: UnitOfWork, code: str, data: s.CountDecisionIn) -> s.CountOut:
    """Post every variance of a submitted count as a ``count_adjustment`` movement."""
    count = await _count(code)
    version = await _step(count, "submitted", "approved", still_open=False)
    lines = await CountLine.select(
        CountLine.id, CountLine.item, CountLine.lot, CountLine.variance,
        CountLine.item.code.as_alias("item_code"), CountLine.lot.code.as_alias("lot_code"),
    ).where(CountLine.cycle_count == count["id"]).order_by(CountLine.item).order_by(CountLine.lot)
    posted = []
    for line in lines:
        variance = six(line["variance"])
        if variance == 0:
            continue
        side = {"to_location_id": count["location_id"]} if variance > 0 else \
            {"from_location_id": count["location_id"]}
        try:
            movement = await post_movement(
                uow, "count_adjustment", item_id=line["item"], quantity=abs(variance),
                lot_id=line["lot"], document_type="count", document_code=count["code"],
                note=f"Count {count['code']}: {'+' if variance > 0 else ''}{qty(variance)}",
                **side)
        except TaktError as exc:
            why = Message(" Stock has moved since the count was submitted; reject it and "
                          "count again.") if exc.code == "stock.insufficient" else ""
            raise type(exc)(Message("Count {count} cannot be approved: {reason}{why}",
                                    count=count['code'], reason=exc.sentence, why=why),
                            code=exc.code, **exc.extra) from None
        await _POSTED.execute(line["id"], movement.id)
        posted.append({"item_code": line["item_code"], "lot_code": line["lot_code"],
                       "variance": str(qty(variance)), "movement_id": movement.id})
    await Count.update({Count.decided_by: uow.actor.username,
                        Count.decided_at: datetime.now(UTC),
                        Count.decision_note: data.note}).where(Count.id == count["id"])
    await uow.audit("count.approve", "count", count["code"], before={"status": "submitted"},
                    after={"status": "approved", "adjustments": posted, "note": data.note})
    uow.emit("count.approved", count["code"], f"location:{count['location_code']}",
             f"count:{count['code']}", version=version)
    return await get_count(count["code"], uow.actor.roles)


async def reject_count(uow: UnitOfWork, code: str, data: s.CountRejectIn) -> s.CountOut:
    """Close an open or submitted count without posting anything."""
    reason = data.reason.strip()
    if not reason:
        raise Invalid(Message("Say why the count is rejected."), code="count.reason_required",
                      field="reason")
    count = await _count(code)
    frm = count["status"] if count["status"] in ("open", "submitted") else "submitted"
    version = await _step(count, frm, "rejected", still_open=False)
    await Count.update({Count.decided_by: uow.actor.username,
                        Count.decided_at: datetime.now(UTC),
                        Count.decision_note: reason}).where(Count.id == count["id"])
    await uow.audit("count.reject", "count", count["code"], before={"status": frm},
                    after={"status": "rejected", "reason": reason})
    uow.emit("count.rejected", count["code"], f"location:{count['location_code']}",
             f"count:{count['code']}", version=version)
    return await get_count(count["code"], uow.actor.roles)


# --- queries ---------------------------------------------------------------------------------

async def _names(lines: list[Any]) -> list[str]:
    """``ITEM`` or ``ITEM lot LOT`` for count lines (in their order)."""
    items = {line["item"] for line in lines}
    lots = {line["lot"] for line in lines if line["lot"]}
    item_codes = {r["id"]: r["code"] for r in await Item.select(Item.id, Item.code).where(
        Item.id.is_in(list(items)))}
    lot_codes = {r["id"]: r["code"] for r in await Lot.select(Lot.id, Lot.code).where(
        Lot.id.is_in(list(lots)))} if lots else {}
    return [item_codes[line["item"]] + (f" lot {lot_codes[line['lot']]}" if line["lot"]
                                        else "") for line in lines]


async def get_count(code: str, roles: frozenset[str]) -> s.CountOut:
    """A count with its lines, as the reader may see it (``roles``: the reader's)."""
    row = await Count.select(
        Count.id, Count.code, Count.location.code.as_alias("location_code"),
        Count.location.kind.as_alias("location_kind"),
        Count.location.line_id.as_alias("line_id"), Count.blind, Count.status, Count.note,
        Count.decision_note, Count.created_by, Count.created_at, Count.submitted_by,
        Count.submitted_at, Count.decided_by, Count.decided_at, Count.version,
    ).where(Count.code == code.upper()).first()
    if row is None:
        raise NotFound(Message("There is no count {code}.", code=code.upper()),
                       code="count.not_found")
    visible = not row["blind"] or row["status"] != "open" or bool(roles & BLIND_COUNT_READERS)
    lines = await CountLine.select(
        CountLine.item.code.as_alias("item_code"), CountLine.item.name.as_alias("item_name"),
        CountLine.lot.code.as_alias("lot_code"),
        CountLine.lot.quality_status.as_alias("quality_status"),
        CountLine.item._.unit.code.as_alias("unit"), CountLine.expected, CountLine.counted,
        CountLine.book, CountLine.variance, CountLine.counted_by, CountLine.counted_at,
        CountLine.movement_id,
    ).where(CountLine.cycle_count == row["id"]).order_by(CountLine.item.code).order_by(
        CountLine.lot.code)
    line_code = None
    if row["line_id"]:
        found_line = await Line.select(Line.code).where(Line.id == row["line_id"]).first()
        line_code = found_line["code"] if found_line else None

    def maybe(value: Any) -> Decimal | None:
        return None if value is None else qty(value)

    return s.CountOut(
        code=row["code"], location_code=row["location_code"],
        location_kind=row["location_kind"], line_code=line_code, blind=row["blind"],
        status=row["status"], expected_visible=visible, note=row["note"],
        decision_note=row["decision_note"], created_by=row["created_by"],
        created_at=row["created_at"], submitted_by=row["submitted_by"],
        submitted_at=row["submitted_at"], decided_by=row["decided_by"],
        decided_at=row["decided_at"], version=row["version"],
        lines=[s.CountLineOut(
            item_code=line["item_code"], item_name=line["item_name"],
            lot_code=line["lot_code"], quality_status=line["quality_status"] or "released",
            unit=line["unit"], found=line["expected"] is None,
            expected=maybe(line["expected"]) if visible else None,
            counted=maybe(line["counted"]), book=maybe(line["book"]),
            variance=maybe(line["variance"]), counted_by=line["counted_by"],
            counted_at=line["counted_at"], movement_id=line["movement_id"])
            for line in lines])


async def list_counts(*, location_code: str | None, status: str | None, limit: int,
                      offset: int) -> tuple[list[s.CountRow], int]:
    """Counts, newest first (``status=open`` is the counters' worklist)."""
    query = Count.select(
        Count.code, Count.location.code.as_alias("location_code"), Count.blind, Count.status,
        Count.created_by, Count.created_at,
    ).order_by(Count.id, ascending=False)
    total = Count.count()
    conditions = []
    if location_code:
        conditions.append(Count.location.code == location_code.upper())
    if status:
        conditions.append(Count.status == status)
    for condition in conditions:
        query = query.where(condition)
        total = total.where(condition)
    rows = await query.limit(limit).offset(offset)
    return [s.CountRow(**row) for row in rows], await total
