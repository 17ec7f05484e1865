"""Serial numbers: one code per unit of a serial-tracked item.

A serial is handed out to a work order (``generated``, its label printed), becomes
``produced`` when the unit is reported as output by scanning it, and leaves as ``shipped``
on a shipment line that names it (:func:`mark_shipped`), or ends ``scrapped``. It is
produced once, never twice: the change is one guarded update from ``generated`` (``UPDATE
... WHERE code = $1 AND status = 'generated'``), so two scans of one label racing on
PostgreSQL cannot both count. A void of the work report that produced it puts it back to
``generated`` (reportable again; no lot, no operation), audited.

Codes come from the numbering service (``takt.platform.codes``, document type ``SN``):
``SN-2026-000001``, one sequence per year for every item, never reused, the same rule as
every other document number. The item is printed next to it on the label; a serial code alone
already names one unit in the plant.

Inventory knows no production tables: the work order and operation a serial belongs to are
kept as plain values, and production (``takt.production.serials``) checks them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

import msgspec

from takt.inventory import schemas as inv
from takt.inventory.tables import SerialNumber
from takt.inventory.tracing import trace_lot
from takt.platform.codes import next_document_codes
from takt.platform.commands import UnitOfWork
from takt.platform.errors import Conflict, Invalid, NotFound
from takt.platform.i18n import Message
from takt.platform.sql import Statement

__all__ = [
    "SERIAL_DOC_TYPE",
    "SerialOut",
    "SerialStatus",
    "SerialTraceOut",
    "already_produced",
    "generate_serials",
    "get_serial",
    "list_serials",
    "mark_produced",
    "mark_shipped",
    "serial_row",
    "shipped_serials",
    "unproduce_for_report",
    "status_words",
    "trace_serial",
]

SERIAL_DOC_TYPE = "SN"
"""The numbering service's document type of serial codes."""
CODE_WIDTH = 6
"""Digits of the yearly sequence (a plant making a million units a year gets longer codes,
never repeated ones)."""

SerialStatus = Literal["generated", "produced", "shipped", "scrapped"]

_STATUS_WORDS = {
    "generated": Message("not produced yet"),
    "produced": Message("already produced"),
    "shipped": Message("already shipped"),
    "scrapped": Message("scrapped", context="serial status"),
}


def status_words(status: str) -> str:
    """A serial's status as words in a sentence."""
    return _STATUS_WORDS.get(status, status)


class SerialOut(msgspec.Struct, kw_only=True):
    """A serial number: the unit, its work order and, once produced, where and into which
    lot."""

    code: str
    item_code: str
    item_name: str
    work_order_code: str
    status: SerialStatus
    lot_code: str | None
    operation_id: int | None
    operation_code: str | None
    produced_at: datetime | None
    produced_by: str | None
    generated_by: str
    created_at: datetime


class SerialTraceOut(msgspec.Struct, kw_only=True):
    """A serial on top of the trace tree of the lot it was produced into (the same tree as
    ``GET /api/v1/lots/{code}/trace``)."""

    serial: SerialOut
    direction: Literal["backward", "forward"]
    trace: inv.TraceNode


_SERIAL_COLUMNS = """
    SELECT s.id, s.code, s.item, s.work_order_code, s.status, s.lot, s.operation_id,
           s.operation_code, s.produced_at, s.produced_by, s.generated_by, s.created_at,
           i.code AS item_code, i.name AS item_name, l.code AS lot_code
    FROM inv_serial s
    JOIN md_item i ON i.id = s.item
    LEFT JOIN inv_lot l ON l.id = s.lot
"""
_SERIAL_BY_CODE = Statement(_SERIAL_COLUMNS + " WHERE s.code = $1")
_SERIALS_OF_ORDER = Statement(_SERIAL_COLUMNS + " WHERE s.work_order_code = $1 ORDER BY s.id")
_PRODUCE = Statement("""
    UPDATE inv_serial SET status = 'produced', lot = $2, operation_id = $3,
                          operation_code = $4, produced_at = $5, produced_by_id = $6,
                          produced_by = $7, work_report_id = $8, version = version + 1
    WHERE code = $1 AND status = 'generated'
    RETURNING id
""")
"""The one way a serial becomes produced: only from generated, so never twice."""
_UNPRODUCE = Statement("""
    UPDATE inv_serial SET status = 'generated', lot = NULL, operation_id = NULL,
                          operation_code = '', produced_at = NULL, produced_by_id = NULL,
                          produced_by = '', work_report_id = NULL, version = version + 1
    WHERE status = 'produced'
      AND (work_report_id = $1
           OR (work_report_id IS NULL AND code = $2 AND operation_id = $3))
    RETURNING code, work_order_code, operation_code
""")
"""A serial produced by a voided report, back to generated. Serials produced before the
report was recorded on them are found by the code the report's note names, at its
operation."""
_PRODUCED_BY_REPORT = Statement("""
    SELECT s.code, l.code AS lot_code FROM inv_serial s LEFT JOIN inv_lot l ON l.id = s.lot
    WHERE s.status = 'produced'
      AND (s.work_report_id = $1
           OR (s.work_report_id IS NULL AND s.code = $2 AND s.operation_id = $3))
""")


_SHIP = Statement("""
    UPDATE inv_serial SET status = 'shipped', shipment_line_id = $4, version = version + 1
    WHERE code = $1 AND status = 'produced' AND item = $2 AND COALESCE(lot, 0) = $3
    RETURNING id
""")
"""The one way a serial ships: produced, of the item and lot on the shipment line, once."""
_SERIALS_OF_SHIPMENT_LINES = Statement("""
    SELECT l.line_no, s.code FROM inv_serial s
    JOIN inv_shipment_line l ON l.id = s.shipment_line_id
    WHERE l.shipment = $1 ORDER BY s.code
""")


def _out(row: Mapping[str, Any]) -> SerialOut:
    return SerialOut(
        code=row["code"], item_code=row["item_code"], item_name=row["item_name"],
        work_order_code=row["work_order_code"], status=row["status"],
        lot_code=row["lot_code"], operation_id=row["operation_id"],
        operation_code=row["operation_code"] or None, produced_at=row["produced_at"],
        produced_by=row["produced_by"] or None, generated_by=row["generated_by"],
        created_at=row["created_at"])


async def serial_row(code: str) -> Mapping[str, Any] | None:
    """A serial's row (with item and lot codes) by code, or ``None``."""
    return await _SERIAL_BY_CODE.fetchrow(code.strip().upper())


async def get_serial(code: str) -> SerialOut:
    """A serial by code.

    Raises:
        NotFound: no serial has that code (``serial.not_found``).
    """
    row = await serial_row(code)
    if row is None:
        raise NotFound(Message("There is no serial number {code}.", code=code.strip().upper()),
                       code="serial.not_found")
    return _out(row)


async def list_serials(work_order_code: str) -> list[SerialOut]:
    """Every serial generated for a work order, in the order they were handed out."""
    return [_out(row) for row in await _SERIALS_OF_ORDER.fetch(work_order_code.upper())]


async def generate_serials(uow: UnitOfWork, *, item_id: int, work_order_code: str,
                           count: int, at: datetime | None = None) -> list[SerialOut]:
    """Hand out ``count`` new serial codes of an item to a work order, in the caller's
    transaction (one audit row for the range). The caller checks the order may have them."""
    now = at or datetime.now(UTC)
    codes = await next_document_codes(SERIAL_DOC_TYPE, count, now, width=CODE_WIDTH)
    await SerialNumber.insert(*[SerialNumber(
        code=code, item=item_id, work_order_code=work_order_code, status="generated",
        generated_by=uow.actor.username, created_at=now) for code in codes])
    await uow.audit("serial.generate", "work_order", work_order_code, after={
        "count": count, "first": codes[0], "last": codes[-1]})
    uow.emit("serial.generated", work_order_code, f"wo:{work_order_code}")
    fresh = set(codes)
    return [_out(row) for row in await _SERIALS_OF_ORDER.fetch(work_order_code)
            if row["code"] in fresh]


async def mark_produced(uow: UnitOfWork, code: str, *, lot_id: int | None,
                        operation_id: int, operation_code: str,
                        work_report_id: int | None = None,
                        at: datetime | None = None) -> SerialOut:
    """Mark a generated serial produced at an operation, into a lot, by a work report (its
    id: a void of that report puts the serial back): one guarded update and one audit row.

    Raises:
        NotFound: no serial has that code.
        Conflict: ``serial.already_produced`` when it is not ``generated`` any more (it was
            produced, shipped or scrapped before, or by a scan racing this one).
    """
    code = code.strip().upper()
    now = at or datetime.now(UTC)
    actor = uow.actor
    changed = await _PRODUCE.fetchrow(code, lot_id, operation_id, operation_code, now,
                                      actor.user_id, actor.username, work_report_id)
    if changed is None:
        row = await serial_row(code)
        if row is None:
            raise NotFound(Message("There is no serial number {code}.", code=code),
                           code="serial.not_found")
        raise already_produced(row)
    serial = await get_serial(code)
    await uow.audit("serial.produce", "serial", code, before={"status": "generated"}, after={
        "status": "produced", "operation": operation_code, "lot": serial.lot_code,
        "work_order": serial.work_order_code, "report": work_report_id})
    uow.emit("serial.produced", code, f"serial:{code}", f"wo:{serial.work_order_code}")
    return serial


async def unproduce_for_report(uow: UnitOfWork, *, report_id: int, void_id: int,
                               operation_id: int, note: str) -> list[str]:
    """Put the serial a voided work report produced back to ``generated``: no lot, no
    operation, reportable again (one guarded update, one audit row). ``note`` is the
    report's note: a serial produced before reports were recorded on serials is the one it
    names (``serial <code>``) at the report's operation. Returns the codes put back (none
    when the report was not a serial scan)."""
    named = note.removeprefix("serial ").split(":")[0].strip().upper() \
        if note.startswith("serial ") else ""
    found = await _PRODUCED_BY_REPORT.fetch(report_id, named, operation_id)
    if not found:
        return []
    lots = {row["code"]: row["lot_code"] for row in found}
    codes = []
    for row in await _UNPRODUCE.fetch(report_id, named, operation_id):
        code = row["code"]
        codes.append(code)
        await uow.audit("serial.unproduce", "serial", code, before={
            "status": "produced", "operation": row["operation_code"], "report": report_id,
            "lot": lots.get(code)}, after={"status": "generated", "void": void_id})
        uow.emit("serial.unproduced", code, f"serial:{code}", f"wo:{row['work_order_code']}")
    return codes


async def mark_shipped(codes: list[str], *, item: Mapping[str, Any],
                       lot: Mapping[str, Any] | None, shipment_line_id: int,
                       line_no: int) -> None:
    """Mark the serials of one shipment line shipped (one guarded update each; the shipment's
    audit row names them). Each must be produced, of the line's item and lot, and not
    shipped before.

    Raises:
        Invalid: ``serial.not_found`` for a code no serial has.
        Conflict: ``serial.not_shippable`` for a serial of another item or lot, not produced
            yet, or shipped or scrapped before (by another shipment racing this one too).
    """
    lot_id = lot["id"] if lot else 0
    for code in codes:
        if await _SHIP.fetchrow(code, item["id"], lot_id, shipment_line_id) is not None:
            continue
        row = await serial_row(code)
        if row is None:
            raise Invalid(Message("Line {line_no}: there is no serial number {code}.",
                                  line_no=line_no, code=code),
                          code="serial.not_found", line=line_no, serial=code)
        if row["status"] != "produced":
            why = Message("is {status}", status=status_words(row["status"]))
        elif row["item"] != item["id"]:
            why = Message("is a unit of {item}, not {expected}", item=row["item_code"],
                          expected=item["code"])
        else:
            why = Message("is in lot {lot}, not {expected}",
                          lot=row["lot_code"] or Message("none", context="lot"),
                          expected=lot["code"] if lot else Message("none", context="lot"))
        raise Conflict(Message("Line {line_no}: serial {code} {why}; it cannot ship on this line.",
                               line_no=line_no, code=code, why=why),
                       code="serial.not_shippable", line=line_no, serial=code,
                       current_status=row["status"])


async def shipped_serials(shipment_id: int) -> dict[int, list[str]]:
    """The serials a shipment sent, by line number."""
    by_line: dict[int, list[str]] = {}
    for row in await _SERIALS_OF_SHIPMENT_LINES.fetch(shipment_id):
        by_line.setdefault(row["line_no"], []).append(row["code"])
    return by_line


def already_produced(row: Mapping[str, Any]) -> Conflict:
    """The refusal of a serial that is not ``generated`` any more."""
    code, status = row["code"], row["status"]
    if status == "produced":
        when = row["produced_at"]
        shown = when.strftime("%Y-%m-%d %H:%M UTC") if hasattr(when, "strftime") else when
        sentence = Message("Serial {code} was already produced at operation {operation} "
                           "({shown}, {by}); a serial is produced once.", code=code,
                           operation=row["operation_code"], shown=shown, by=row["produced_by"])
    else:
        sentence = Message("Serial {code} is {status}; it cannot be produced.", code=code,
                           status=status_words(status))
    return Conflict(sentence, code="serial.already_produced", serial=code,
                    current_status=status)


async def trace_serial(code: str, direction: Literal["backward", "forward"] = "backward"
                       ) -> SerialTraceOut:
    """The serial and the trace tree of the lot it was produced into.

    Raises:
        NotFound: no serial has that code.
        Conflict: ``serial.no_lot`` when the serial has no lot yet (not produced, or its line
            keeps no line-side stock, so no output lot was made).
    """
    serial = await get_serial(code)
    if serial.lot_code is None:
        why = (Message("it has not been produced yet") if serial.status == "generated"
               else Message("its work order produced no output lot"))
        raise Conflict(Message("Serial {serial} has no lot to trace: {why}.",
                               serial=serial.code, why=why),
                       code="serial.no_lot", current_status=serial.status)
    tree = await trace_lot(serial.lot_code, direction)
    return SerialTraceOut(serial=serial, direction=direction, trace=tree)
