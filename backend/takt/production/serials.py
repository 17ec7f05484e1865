"""Serial numbers on the floor: ranges for a work order, output reported by scanning them.

Items flagged ``serial_tracked`` (the demo's pumps and sensors) carry one serial per unit.
A planner or supervisor generates a range for a work order (never more in total than the
order may make: its quantity plus the allowed overrun, in whole units) and prints their
labels. At the order's last output-counting operation ("Label and pack" in the demo) the
operator scans each unit's serial: one command reports one good unit there
(:func:`takt.production.reporting.report_in_command`) and marks the serial produced at that
operation, into the order's output lot. Scanning it again is refused and writes nothing.
Voiding that report (a unit counted by mistake) puts the serial back to generated, so its
label reports the unit again.

Why only the last output-counting operation: a produced serial is a unit of the order's
output, and that step's good is the order's produced quantity. A serial scanned at an
earlier step would be "produced" while its unit is unfinished and outside the output lot.
Earlier steps report quantities as before; so may the last step (plain quantity reports
stay allowed on serial-tracked items, for a printer that failed or a unit without its
label); the serial scan is how the app reports them.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from takt.inventory import serials as inventory_serials
from takt.inventory.serials import SerialOut, already_produced, serial_row
from takt.platform.commands import UnitOfWork
from takt.platform.errors import Conflict, Invalid, NotFound
from takt.platform.i18n import Message, term
from takt.platform.records import Record, register_kind
from takt.platform.roles import EVERYONE, FLOOR, UNIT_LABEL_PRINTERS
from takt.platform.sql import Statement
from takt.production import reporting
from takt.production import schemas as s
from takt.production.common import WORKING, qty
from takt.production.reporting_sql import OUTPUT_LOT

__all__ = [
    "SerialRangeOut",
    "SerialReportIn",
    "SerialReportOut",
    "SerialsIn",
    "generate_for_work_order",
    "list_for_work_order",
    "register_serial_kind",
    "report_by_serial",
    "serial_limit",
]

MAX_PER_REQUEST = 10_000


class SerialsIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """How many new serials to hand out to the work order."""

    count: Annotated[int, Meta(ge=1, le=MAX_PER_REQUEST,
                               description="New serials to generate (1 to 10,000)")]


class SerialRangeOut(msgspec.Struct, kw_only=True):
    """The serials just generated, and how many the order has and may still have."""

    work_order_code: str
    item_code: str
    generated: list[SerialOut]
    total: int
    limit: int
    remaining: int


class SerialReportIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The serial scanned on the unit just finished at the operation."""

    serial: s.Code
    note: Annotated[str, Meta(max_length=400)] = ""


class SerialReportOut(msgspec.Struct, kw_only=True):
    """The serial now produced, and the work report (one good unit) it made."""

    serial: SerialOut
    report: s.ReportOut


_ORDER_FOR_SERIALS = Statement("""
    SELECT w.id, w.code, w.status, w.quantity, w.overrun_percent, w.item,
           i.code AS item_code, i.serial_tracked, u.code AS unit,
           (SELECT COUNT(*) FROM inv_serial sn WHERE sn.work_order_code = w.code) AS serials
    FROM pr_work_order w
    JOIN md_item i ON i.id = w.item
    JOIN md_unit u ON u.id = i.unit
    WHERE w.code = $1
    FOR UPDATE OF w
""")
"""The order locked (the one lock order: work order first), so two ranges generated at once
for it queue and the second sees the first one's serials in its count."""
_ORDER_EXISTS = Statement("SELECT id FROM pr_work_order WHERE code = $1")
_OPERATION = Statement("""
    SELECT o.id, o.code, o.seq, o.counts_output, w.code AS wo_code,
           (SELECT max(seq) FROM pr_operation p WHERE p.work_order = o.work_order
            AND p.counts_output) AS last_output_seq,
           (SELECT p.code FROM pr_operation p WHERE p.work_order = o.work_order
            AND p.counts_output ORDER BY p.seq DESC LIMIT 1) AS last_output_code
    FROM pr_operation o
    JOIN pr_work_order w ON w.id = o.work_order
    WHERE o.id = $1
""")
CLOSED = ("closed", "cancelled")


def serial_limit(quantity: Decimal, overrun_percent: Decimal) -> int:
    """How many serials an order may have in all: its quantity plus the allowed overrun,
    rounded down to whole units (10 pumps + 2.5 % = 10; 40 + 2.5 % = 41)."""
    allowed = qty(quantity) * (1 + qty(overrun_percent) / 100)
    return int(allowed.to_integral_value(rounding=ROUND_DOWN))


async def generate_for_work_order(uow: UnitOfWork, code: str, data: SerialsIn
                                  ) -> SerialRangeOut:
    """Hand out ``data.count`` new serials to a work order of a serial-tracked item.

    Raises:
        NotFound: no such work order.
        Conflict: the item is not serial-tracked (``serial.not_tracked``), the order is
            closed or cancelled (``work_order.not_open``), or the range would pass what the
            order may make (``serial.limit``, with ``remaining``).
    """
    code = code.strip().upper()
    order = await _ORDER_FOR_SERIALS.fetchrow(code)
    if order is None:
        raise NotFound(Message("There is no work order {code}.", code=code),
                       code="work_order.not_found")
    if not order["serial_tracked"]:
        raise Conflict(Message("{order_item_code} is not serial-tracked, so work order {code} "
                               "has no serial numbers; flag the item serial-tracked in master "
                               "data first.", order_item_code=order['item_code'], code=code),
                       code="serial.not_tracked", item_code=order["item_code"])
    if order["status"] in CLOSED:
        raise Conflict(Message("Work order {code} is {order_status}; it gets no more serials.",
                               code=code, order_status=term("work order status", order["status"])),
                       code="work_order.not_open", current_status=order["status"])
    limit = serial_limit(order["quantity"], order["overrun_percent"])
    have = int(order["serials"] or 0)
    remaining = max(limit - have, 0)
    if data.count > remaining:
        overrun = qty(order["overrun_percent"])
        allowance = Message(" + {overrun} % overrun", overrun=overrun) if overrun else ""
        raise Conflict(
            Message("Work order {code} may have at most {limit} serials ({order_quantity} "
                    "{order_unit}{allowance}); it has {have}, so {remaining} more can be "
                    "generated, not {count}.",
                    code=code, limit=limit, order_quantity=qty(order['quantity']),
                    order_unit=order['unit'], allowance=allowance, have=have, remaining=remaining,
                    count=data.count),
            code="serial.limit", limit=limit,
            remaining=remaining)
    generated = await inventory_serials.generate_serials(
        uow, item_id=order["item"], work_order_code=code, count=data.count)
    total = have + data.count
    return SerialRangeOut(work_order_code=code, item_code=order["item_code"],
                          generated=generated, total=total, limit=limit,
                          remaining=limit - total)


async def list_for_work_order(code: str) -> list[SerialOut]:
    """The serials of a work order (404 when there is no such order)."""
    code = code.strip().upper()
    if await _ORDER_EXISTS.fetchrow(code) is None:
        raise NotFound(Message("There is no work order {code}.", code=code),
                       code="work_order.not_found")
    return await inventory_serials.list_serials(code)


def _check_serial(serial: Mapping[str, Any], op: Mapping[str, Any]) -> None:
    code = serial["code"]
    if serial["work_order_code"] != op["wo_code"]:
        raise Conflict(Message("Serial {code} belongs to work order {serial_work_order_code}, "
                               "not to {op_wo_code} of operation {op}.",
                               code=code, serial_work_order_code=serial['work_order_code'],
                               op_wo_code=op['wo_code'], op=op['code']),
                       code="serial.other_work_order", serial=code,
                       work_order_code=serial["work_order_code"])
    if serial["status"] != "generated":
        raise already_produced(serial)
    if op["last_output_seq"] is None or op["seq"] != op["last_output_seq"]:
        where = (Message("at operation {op}", op=op["last_output_code"])
                 if op["last_output_code"] else Message("where its output is counted"))
        raise Conflict(Message("Serials of work order {op_wo_code} are scanned {where}, the step "
                               "that counts its output; report operation {op} by quantity.",
                               op_wo_code=op['wo_code'], where=where, op=op['code']),
                       code="serial.not_output_step", output_operation=op["last_output_code"])


async def report_by_serial(uow: UnitOfWork, op_id: int, data: SerialReportIn
                           ) -> SerialReportOut:
    """Report one good unit on the order's last output-counting operation by its serial,
    and mark the serial produced there, into the order's output lot: one command, so a
    refusal anywhere (the serial already produced, nothing left to report) writes nothing.

    Raises:
        NotFound: no such operation.
        Invalid: no such serial (``reference.unknown``).
        Conflict: the serial belongs to another order (``serial.other_work_order``), is not
            generated any more (``serial.already_produced``), the operation is not the one
            that counts output (``serial.not_output_step``), or whatever
            :func:`~takt.production.reporting.report_in_command` refuses.
    """
    op = await _OPERATION.fetchrow(op_id)
    if op is None:
        raise NotFound(Message("There is no operation with id {op_id}.", op_id=op_id),
                       code="operation.not_found")
    code = data.serial.strip().upper()
    serial = await serial_row(code)
    if serial is None:
        raise Invalid(Message("There is no serial number {code}.", code=code),
                      code="reference.unknown",
                      field="serial")
    _check_serial(serial, op)
    note = f"serial {code}" + (f": {data.note}" if data.note else "")
    report = await reporting.report_in_command(uow, op_id, s.ReportIn(good=Decimal(1), note=note),
                                               works=True)
    # Checked again by the guarded update: a scan of the same serial racing this one waited
    # for the order's lock in report_in_command and is refused here, rolling its report back.
    lot_id = await OUTPUT_LOT.fetchval(op["wo_code"])
    produced = await inventory_serials.mark_produced(
        uow, code, lot_id=lot_id, operation_id=op["id"], operation_code=op["code"],
        work_report_id=report.id)
    return SerialReportOut(serial=produced, report=report)


# --- scanning a serial label -----------------------------------------------------------------

_SERIAL_RECORD = Statement("""
    SELECT s.id, s.code, s.status, s.work_order_code, s.operation_code, i.code AS item_code,
           i.name AS item_name, l.code AS lot_code, w.status AS wo_status
    FROM inv_serial s
    JOIN md_item i ON i.id = s.item
    LEFT JOIN inv_lot l ON l.id = s.lot
    LEFT JOIN pr_work_order w ON w.code = s.work_order_code
    WHERE s.code = $1
""")


async def _serial_record(code: str) -> Record | None:
    row = await _SERIAL_RECORD.fetchrow(code)
    if row is None:
        return None
    status = row["status"]
    offers = {"view_serial", "print_label"}
    if row["lot_code"]:
        offers.add("trace")
    if status == "generated" and row["wo_status"] in WORKING:
        offers.add("report_output")
    return Record("SN", row["id"], row["code"], row["item_name"], status, {
        "item_code": row["item_code"], "work_order": row["work_order_code"],
        "lot": row["lot_code"] or "", "operation": row["operation_code"] or "",
        "status": status,
    }, offers=frozenset(offers))


def register_serial_kind() -> None:
    """Register the ``SN`` label kind: a serial label scans to its serial, and operators may
    report the unit's output from it while it is generated and its order is open."""
    register_kind("SN", _serial_record, {
        "view_serial": EVERYONE,
        "report_output": FLOOR,
        "trace": EVERYONE,
        "print_label": UNIT_LABEL_PRINTERS,
    })
