"""The hand-written SQL of reporting, the commands the floor sends most: their statements are
written once rather than built by Piccolo per call (see :mod:`takt.platform.sql`), and the one
place where reporting reads differently on each engine (:func:`read_for_report`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import msgspec

from takt.platform import db
from takt.platform.sql import Statement

__all__ = [
    "ADD_TO_OPERATION",
    "ADD_TO_ORDER",
    "CONSUMED_AT",
    "INSERT_REPORT",
    "LOCK_OUTSOURCE_ORDER",
    "OUTPUT_LOT",
    "OUTSOURCED_RECEIPT_NOTE",
    "PASS_ON",
    "SCANNED_MATERIAL",
    "SCRAP_REASON",
    "START_LABOUR",
    "START_OPERATION_BY_REPORT",
    "UNRECEIVE",
    "MaterialStock",
    "ReportRows",
    "materials_and_line_stock",
    "read_for_report",
]

OUTSOURCED_RECEIPT_NOTE = "received from supplier on "
"""The note of the reports an outsourced receipt makes, followed by the outsource order's
code (:mod:`takt.production.outsourcing`); a void finds the supplier's location by it."""

_CONTEXT_COLUMNS = """
           o.id, o.code, o.seq, o.work_order AS work_order_id,
           w.code AS wo_code, w.status AS wo_status, w.quantity AS wo_quantity,
           w.good AS wo_good, w.scrap AS wo_scrap, w.held AS wo_held,
           ws.code AS workstation, sws.code AS scheduled_workstation, wsl.code AS ws_line,
           swsl.code AS sws_line, wl.code AS wo_line, u.code AS unit, u.decimals,
           w.item AS wo_item, i.unit AS wo_unit_id,
           COALESCE(swsl.wip_location, wsl.wip_location, wl.wip_location) AS wip_location,
           (SELECT code FROM md_location
            WHERE id = COALESCE(swsl.wip_location, wsl.wip_location, wl.wip_location))
               AS wip_code,
           (SELECT lot.id FROM inv_lot lot WHERE lot.work_order_code = w.code
            AND lot.origin = 'production' ORDER BY lot.id LIMIT 1) AS output_lot
"""
_CONTEXT_JOINS = """
    JOIN pr_work_order w ON w.id = o.work_order
    JOIN md_item i ON i.id = w.item
    JOIN md_unit u ON u.id = i.unit
    LEFT JOIN md_workstation ws ON ws.id = o.workstation
    LEFT JOIN md_line wsl ON wsl.id = ws.line
    LEFT JOIN md_workstation sws ON sws.id = o.scheduled_workstation
    LEFT JOIN md_line swsl ON swsl.id = sws.line
    LEFT JOIN md_line wl ON wl.id = w.line
"""
_OPERATION_COLUMNS = """
           {p}.id AS op_id, {p}.seq AS op_seq, {p}.status AS op_status, {p}.available,
           {p}.good, {p}.scrap, {p}.held, {p}.rework, {p}.needs_inspection,
           (SELECT max(seq) FROM pr_operation WHERE work_order = {p}.work_order
            AND counts_output) AS last_output_seq
"""
_USABLE_STOCK = """
    SELECT m.position, m.item, m.unit, m.required, m.scan_to_consume, h.lot AS stock_lot,
           h.quantity AS stock_quantity
    FROM pr_operation_material m
    LEFT JOIN (inv_on_hand_now h LEFT JOIN inv_lot l ON l.id = h.lot)
           ON h.location = {location} AND h.item = m.item AND h.quantity <> 0
          AND h.quantity > 0 AND (h.lot IS NULL OR l.quality_status = 'released')
    WHERE m.operation = {operation}
"""
"""An operation's material lines, each with the usable stock of its item where it is
consumed: released lots and lot-less stock, oldest lot first once ordered by position, lot
is null, lot."""

# PostgreSQL: one statement reads the operation's context, takes the id of the history row
# the command appends (so that row's writes need not be read back), locks the work order,
# then the operation and the next one (the lock order of work_orders.lock_order: FOR UPDATE OF locks
# each row's tables in the order named, and the rows come in step order), and reads the
# operation's materials with the usable stock where they are consumed. The stock is read as
# the statement began, before any wait for the locks; reports of other orders on the line
# are not serialised with this one anyway, so the backflush never relied on a fresher read.
_LOCK_FOR_REPORT = Statement(f"""
    SELECT CASE WHEN p.id = o.id AND $3 THEN nextval('pr_work_report_id_seq') END AS report_id,
           {_CONTEXT_COLUMNS}, {_OPERATION_COLUMNS.format(p="p")},
           CASE WHEN p.id = o.id THEN (
               SELECT json_agg(json_build_array(
                          s.position, s.item, s.unit, s.required::text, s.scan_to_consume,
                          s.stock_lot, s.stock_quantity::text)
                      ORDER BY s.position, s.stock_lot IS NULL, s.stock_lot)
               FROM ({_USABLE_STOCK.format(
                   location="COALESCE($2, swsl.wip_location, wsl.wip_location, wl.wip_location)",
                   operation="o.id")}) s)
           END AS materials
    FROM pr_operation o
    {_CONTEXT_JOINS}
    JOIN pr_operation p ON p.work_order = o.work_order
     AND p.seq IN (o.seq, (SELECT min(seq) FROM pr_operation
                           WHERE work_order = o.work_order AND seq > o.seq))
    WHERE o.id = $1
    ORDER BY p.seq
    FOR UPDATE OF w, p
""")
# SQLite (writers serialised by BEGIN IMMEDIATE, reads in-process: nothing to gain by
# folding) reads the same in three statements.
_ORDER_OF_OPERATION = Statement(f"""
    SELECT NULL AS report_id, {_CONTEXT_COLUMNS}
    FROM pr_operation o
    {_CONTEXT_JOINS}
    WHERE o.id = $1
""")
_OPERATION_AND_NEXT = Statement(f"""
    SELECT {_OPERATION_COLUMNS.format(p="p")}
    FROM pr_operation p
    WHERE p.work_order = $1 AND p.seq >= $2
    ORDER BY p.seq
    LIMIT 2
""")
_MATERIALS_AND_LINE_STOCK = Statement(
    _USABLE_STOCK.format(location="$2", operation="$1")
    + " ORDER BY m.position, h.lot IS NULL, h.lot")
SCRAP_REASON = Statement("SELECT id, kind, active FROM md_reason_code WHERE code = $1")
INSERT_REPORT = Statement("""
    INSERT INTO pr_work_report (id, operation, work_order, kind, good, scrap, rework, held,
                                scrap_reason, voids, note, user_id, username, idempotency_key,
                                reported_at)
    VALUES ($15, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
    RETURNING id
""")
ADD_TO_OPERATION = Statement("""
    UPDATE pr_operation SET good = $2, scrap = $3, held = $4, rework = $5,
                            version = version + 1
    WHERE id = $1
""")
START_OPERATION_BY_REPORT = Statement("""
    UPDATE pr_operation SET good = $2, scrap = $3, held = $4, rework = $5, status = 'running',
                            started_at = COALESCE(started_at, $6), version = version + 1
    WHERE id = $1
""")
START_LABOUR = Statement("""
    INSERT INTO pr_labour_event (operation, user_id, username, event, at)
    VALUES ($1, $2, $3, $4, $5)
""")
PASS_ON = Statement("""
    UPDATE pr_operation SET available = $2, status = $3, version = version + 1 WHERE id = $1
""")
ADD_TO_ORDER = Statement("""
    UPDATE pr_work_order SET good = $2, scrap = $3, held = $4, updated_at = $5,
                             version = version + 1
    WHERE id = $1
""")

# Where a report consumed its components: the line side, or a supplier's location for an
# outsourced receipt. The report row does not say; its consume movements do. They carry the
# command's idempotency key, as the report does (one command, one key). A receipt sent
# without a key is known by its note, naming an outsource order of the work order that
# covers the operation. NULL: the line side.
CONSUMED_AT = Statement(f"""
    SELECT COALESCE(
        (SELECT m.from_location FROM inv_movement m
         WHERE r.idempotency_key IS NOT NULL AND m.idempotency_key = r.idempotency_key
           AND m.username = r.username AND m.kind = 'consume'
           AND m.document_type = 'work_order' AND m.document_code = w.code
           AND m.from_location IS NOT NULL
         ORDER BY m.id LIMIT 1),
        (SELECT x.location FROM pr_outsource_order x
         WHERE r.idempotency_key IS NULL AND x.work_order = r.work_order
           AND x.first_seq <= o.seq AND x.last_seq >= o.seq
           AND r.note = '{OUTSOURCED_RECEIPT_NOTE}' || x.code
         ORDER BY x.id LIMIT 1)) AS consumed_at
    FROM pr_work_report r
    JOIN pr_operation o ON o.id = r.operation
    JOIN pr_work_order w ON w.id = r.work_order
    WHERE r.id = $1
""")


LOCK_OUTSOURCE_ORDER = Statement("""
    SELECT id, code, first_seq, last_seq FROM pr_outsource_order WHERE code = $1 FOR UPDATE
""")
UNRECEIVE = Statement("""
    UPDATE pr_outsource_order SET received = received - $2, scrapped = scrapped - $3,
                                  status = 'open', updated_at = $4, version = version + 1
    WHERE id = $1
""")


SCANNED_MATERIAL = Statement("""
    SELECT m.item, m.required, i.code AS item_code, l.id AS lot_id, l.code AS lot_code,
           l.item AS lot_item, li.code AS lot_item_code, wip.code AS wip_code
    FROM inv_lot l
    JOIN md_item li ON li.id = l.item
    LEFT JOIN pr_operation_material m ON m.operation = $1 AND m.item = l.item
                                      AND m.scan_to_consume
    LEFT JOIN md_item i ON i.id = m.item
    LEFT JOIN md_location wip ON wip.id = $3
    WHERE l.code = $2
""")


OUTPUT_LOT = Statement("""
    SELECT id FROM inv_lot WHERE work_order_code = $1 AND origin = 'production'
    ORDER BY id LIMIT 1
""")
"""An order's output lot: its first report makes it."""


@dataclass
class MaterialStock:
    """One material line of an operation, with one row of usable stock of its item where it
    is consumed (``stock_lot`` and ``stock_quantity`` are ``None`` where there is none)."""

    position: int
    item: int
    unit: int
    required: Decimal
    scan_to_consume: bool
    stock_lot: int | None
    stock_quantity: Decimal | None

    @classmethod
    def from_values(cls, values: list[Any] | tuple[Any, ...]) -> MaterialStock:
        """From the values in column order (numbers may come as text or floats)."""
        position, item, unit, required, scan_to_consume, stock_lot, stock_quantity = values
        return cls(position, item, unit, Decimal(str(required)), bool(scan_to_consume),
                   stock_lot, None if stock_quantity is None else Decimal(str(stock_quantity)))


_MATERIAL_COLUMNS = ("position", "item", "unit", "required", "scan_to_consume", "stock_lot",
                     "stock_quantity")


@dataclass
class ReportRows:
    """What :func:`read_for_report` read: the operation's context columns, the operation and
    the next one (``_OPERATION_COLUMNS``, in step order), and its materials with the usable
    stock where they are consumed (PostgreSQL; ``None`` on SQLite, read when needed by
    :func:`materials_and_line_stock`)."""

    context: Mapping[str, Any]
    operations: list[Mapping[str, Any]]
    materials: list[MaterialStock] | None


async def read_for_report(op_id: int, consumed_at: int | None, appends_history: bool
                          ) -> ReportRows | None:
    """Read an operation's context and lock its work order, then the operation and the next
    one. On PostgreSQL one statement, which also takes the id of the history row the command
    appends (with ``appends_history``) and reads the materials with the usable stock at
    ``consumed_at`` (else the line side); on SQLite two. ``None``: no such operation."""
    if db.engine().engine_type == "postgres":
        rows = await _LOCK_FOR_REPORT.fetch(op_id, consumed_at, appends_history)
        if not rows:
            return None
        materials = [MaterialStock.from_values(values) for values in
                     msgspec.json.decode(rows[0]["materials"] or "[]")]
        return ReportRows(rows[0], rows, materials)
    found = await _ORDER_OF_OPERATION.fetchrow(op_id)
    if found is None:
        return None
    return ReportRows(found, await _OPERATION_AND_NEXT.fetch(found["work_order_id"], found["seq"]),
                      None)


async def materials_and_line_stock(op_id: int, location: int) -> list[MaterialStock]:
    """An operation's material lines with the usable stock at ``location``."""
    rows = await _MATERIALS_AND_LINE_STOCK.fetch(op_id, location)
    return [MaterialStock.from_values([row[name] for name in _MATERIAL_COLUMNS])
            for row in rows]
