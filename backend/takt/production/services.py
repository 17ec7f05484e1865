"""Production rules: work orders from draft to closed, operations on the floor, work reports.

Every command runs inside the caller's transaction (``run_command`` or ``execute``). A state
change is one guarded ``UPDATE ... WHERE status IN (...)`` and one audit row; what counts
output is an append-only row (``WorkReport``, ``LabourEvent``) and the summaries of the
operation and its work order are updated from it in the same transaction.

Rows that a command changes are locked in one order everywhere (the work order, then its
operations by ``seq``), so concurrent commands queue instead of deadlocking. On
PostgreSQL that is ``SELECT ... FOR UPDATE``; on SQLite the whole command already holds the
database's single write lock (``BEGIN IMMEDIATE``).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import ROUND_DOWN, Decimal
from typing import Any

import msgspec
from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Max

from takt.inventory.ledger import create_lot, link_lots, post_movement, qty, six
from takt.inventory.line import (
    Need,
    consume_steps,
    defer_line_steps,
    output_steps,
    unconsume_steps,
)
from takt.inventory.serials import unproduce_for_report
from takt.inventory.tables import Lot
from takt.masterdata.tables import (
    Bom,
    BomLine,
    Item,
    Line,
    ReasonCode,
    Route,
    RouteOperation,
    UnitConversion,
    Workstation,
)
from takt.platform import db
from takt.platform.codes import next_document_code, next_document_codes
from takt.platform.commands import UnitOfWork
from takt.platform.errors import Conflict, Invalid, NotFound
from takt.platform.sql import Statement, run_together
from takt.production import schemas as s
from takt.production.tables import (
    LabourEvent,
    Operation,
    OperationMaterial,
    WorkOrder,
    WorkReport,
)

__all__ = [
    "IMPORT_COLUMNS",
    "as_utc",
    "MAX_IMPORT_ROWS",
    "OPEN_STATUSES",
    "cancel_work_order",
    "close_work_order",
    "complete_operation",
    "create_work_order",
    "get_operation",
    "get_work_order",
    "hold_work_order",
    "import_work_orders",
    "labour_by_operation",
    "list_reports",
    "list_work_orders",
    "operation_code",
    "parse_import",
    "pause_operation",
    "qty",
    "release_hold",
    "release_work_order",
    "report_work",
    "resume_operation",
    "resume_work_order",
    "split_work_order",
    "start_operation",
    "update_work_order",
    "void_report",
]

ZERO = Decimal(0)
MAX_QUANTITY = Decimal(10) ** 12
MAX_IMPORT_ROWS = 5000
CHUNK = 400
"""Rows per INSERT statement: below SQLite's and asyncpg's limits on bound parameters."""

OPEN_STATUSES = ("draft", "released", "in_progress", "on_hold")
"""Work orders not finished yet (a late one is one of these past its due time)."""
WORKING = ("released", "in_progress")
"""Work order statuses in which the floor may start and report."""
NOT_DONE = ("pending", "ready", "running", "paused", "held")
SUPERVISING = frozenset({"supervisor", "admin"})
IMPORT_COLUMNS = ("item_code", "quantity", "due_at", "priority", "route_code",
                  "customer_order_ref", "lot")

_STATUS_WORDS = {
    "draft": "a draft", "released": "released", "in_progress": "in progress",
    "completed": "completed", "closed": "closed", "on_hold": "on hold",
    "cancelled": "cancelled", "pending": "waiting for material from the previous step",
    "ready": "ready", "running": "running", "paused": "paused", "done": "done",
    "held": "held (its work order is on hold)",
}


def _now() -> datetime:
    return datetime.now(UTC)


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


def _locked(query: Any) -> Any:
    """``SELECT ... FOR UPDATE`` on PostgreSQL. SQLite has no row locks; there the command's
    ``BEGIN IMMEDIATE`` transaction already excludes every other writer."""
    return query.lock_rows() if db.engine().engine_type == "postgres" else query


def _words(status: str) -> str:
    return _STATUS_WORDS.get(status, status)


def _late(status: str, due_at: datetime | None, projected_end: datetime | None,
          now: datetime) -> bool:
    if due_at is None or status not in OPEN_STATUSES:
        return False
    return now > due_at or (projected_end is not None and projected_end > due_at)


def _check_quantity(value: Decimal, decimals: int, unit: str, name: str) -> None:
    """A quantity that is a finite number, not too large, with at most the unit's decimals."""
    if not value.is_finite() or abs(value) >= MAX_QUANTITY:
        raise Invalid(f"{name} must be a number below {MAX_QUANTITY:,}.", code="invalid.number",
                      field=name)
    if value != value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN):
        wording = "whole numbers" if decimals == 0 else f"at most {decimals} decimals"
        raise Invalid(f"{name}: quantities in {unit} are {wording}; {qty(value)} is not.",
                      code="invalid.decimals", field=name)


# --- reading ---------------------------------------------------------------------------------

_WO_COLUMNS = {
    "id": WorkOrder.id, "code": WorkOrder.code, "status": WorkOrder.status,
    "quantity": WorkOrder.quantity, "good": WorkOrder.good, "scrap": WorkOrder.scrap,
    "held": WorkOrder.held, "due_at": WorkOrder.due_at, "priority": WorkOrder.priority,
    "customer_order_ref": WorkOrder.customer_order_ref, "lot": WorkOrder.lot,
    "version": WorkOrder.version, "item_code": WorkOrder.item.code,
    "item_name": WorkOrder.item.name, "unit": WorkOrder.item.unit.code,
    "route_code": WorkOrder.route.code, "line": WorkOrder.line.code,
}
_WO_DETAIL_COLUMNS = {
    **_WO_COLUMNS, "overrun_percent": WorkOrder.overrun_percent,
    "parent_id": WorkOrder.parent_id, "held_from": WorkOrder.held_from,
    "hold_reason": WorkOrder.hold_reason, "close_reason": WorkOrder.close_reason,
    "note": WorkOrder.note, "released_at": WorkOrder.released_at,
    "started_at": WorkOrder.started_at, "completed_at": WorkOrder.completed_at,
    "closed_at": WorkOrder.closed_at, "created_at": WorkOrder.created_at,
}
_OP_COLUMNS = {
    "id": Operation.id, "code": Operation.code, "seq": Operation.seq, "name": Operation.name,
    "status": Operation.status, "available_total": Operation.available,
    "good": Operation.good, "scrap": Operation.scrap, "held": Operation.held,
    "rework": Operation.rework, "setup_s": Operation.setup_s, "cycle_s": Operation.cycle_s,
    "counts_output": Operation.counts_output, "needs_inspection": Operation.needs_inspection,
    "instructions": Operation.instructions, "scheduled_start": Operation.scheduled_start,
    "scheduled_end": Operation.scheduled_end, "started_at": Operation.started_at,
    "completed_at": Operation.completed_at, "version": Operation.version,
    "work_order_id": Operation.work_order, "work_order": Operation.work_order.code,
    "workstation": Operation.workstation.code,
    "workstation_type": Operation.workstation_type.code,
    "scheduled_workstation": Operation.scheduled_workstation.code,
    "ws_line": Operation.workstation.line.code,
    "sws_line": Operation.scheduled_workstation.line.code,
    "wo_line": Operation.work_order.line.code,
    "unit": Operation.work_order.item.unit.code,
}


def _select(table: Any, columns: dict[str, Any]) -> Any:
    return table.select(*(column.as_alias(name) for name, column in columns.items()))


@dataclass
class Labour:
    """Who works on an operation now, and the labour seconds spent on it so far."""

    operators: list[str] = field(default_factory=list)
    active: dict[str, str] = field(default_factory=dict)
    """Operator key (user id, or name for the system) -> user name, of those working now."""
    seconds: float = 0.0


async def labour_by_operation(op_ids: list[int], now: datetime | None = None
                              ) -> dict[int, Labour]:
    """Replay the labour events of operations: each operator's spans from start / resume to
    pause / complete (an open span counts up to ``now``)."""
    result: dict[int, Labour] = defaultdict(Labour)
    if not op_ids:
        return result
    now = now or _now()
    rows = await LabourEvent.select(
        LabourEvent.operation, LabourEvent.user_id, LabourEvent.username, LabourEvent.event,
        LabourEvent.at,
    ).where(LabourEvent.operation.is_in(op_ids)).order_by(LabourEvent.id)
    open_spans: dict[tuple[int, str], tuple[datetime, str]] = {}
    for row in rows:
        key = (row["operation"], str(row["user_id"] or row["username"]))
        span = open_spans.get(key)
        if row["event"] in ("start", "resume"):
            if span is None:
                open_spans[key] = (row["at"], row["username"])
        elif span is not None:
            result[row["operation"]].seconds += (row["at"] - span[0]).total_seconds()
            del open_spans[key]
    for (op_id, user_key), (since, username) in open_spans.items():
        labour = result[op_id]
        labour.seconds += max((now - since).total_seconds(), 0.0)
        labour.active[user_key] = username
        labour.operators.append(username)
    for labour in result.values():
        labour.operators.sort()
    return result


async def _materials(op_ids: list[int]) -> dict[int, list[s.MaterialOut]]:
    out: dict[int, list[s.MaterialOut]] = defaultdict(list)
    if not op_ids:
        return out
    rows = await OperationMaterial.select(
        OperationMaterial.operation, OperationMaterial.item.code.as_alias("item_code"),
        OperationMaterial.item.name.as_alias("item_name"), OperationMaterial.required,
        OperationMaterial.unit.code.as_alias("unit"), OperationMaterial.scan_to_consume,
    ).where(OperationMaterial.operation.is_in(op_ids)).order_by(OperationMaterial.position)
    for row in rows:
        out[row.pop("operation")].append(s.MaterialOut(
            item_code=row["item_code"], item_name=row["item_name"],
            required=qty(row["required"]), unit=row["unit"],
            scan_to_consume=row["scan_to_consume"]))
    return out


def _line_of(row: dict[str, Any]) -> str | None:
    return row.get("sws_line") or row.get("ws_line") or row.get("wo_line")


async def _shape_operations(rows: list[dict[str, Any]]) -> list[s.OperationOut]:
    ids = [row["id"] for row in rows]
    materials = await _materials(ids)
    labour = await labour_by_operation(ids)
    out = []
    for row in rows:
        total = qty(row["available_total"])
        remaining = max(total - qty(row["good"]) - qty(row["scrap"]), ZERO)
        work = labour.get(row["id"], Labour())
        out.append(s.OperationOut(
            id=row["id"], code=row["code"], work_order=row["work_order"], seq=row["seq"],
            name=row["name"], status=row["status"], workstation=row["workstation"],
            workstation_type=row["workstation_type"], line=_line_of(row),
            available=qty(remaining), available_total=total, good=qty(row["good"]),
            scrap=qty(row["scrap"]), held=qty(row["held"]), rework=qty(row["rework"]),
            setup_s=qty(row["setup_s"]), cycle_s=qty(row["cycle_s"]),
            counts_output=row["counts_output"], needs_inspection=row["needs_inspection"],
            instructions=row["instructions"],
            scheduled_workstation=row["scheduled_workstation"],
            scheduled_start=row["scheduled_start"], scheduled_end=row["scheduled_end"],
            started_at=row["started_at"], completed_at=row["completed_at"],
            operators=work.operators, labour_s=round(work.seconds), unit=row["unit"],
            version=row["version"], materials=materials.get(row["id"], [])))
    return out


async def _projected_ends(wo_ids: list[int]) -> dict[int, datetime]:
    """The latest scheduled end of each work order's unfinished operations."""
    if not wo_ids:
        return {}
    rows = await Operation.select(
        Operation.work_order, Max(Operation.scheduled_end, alias="projected_end"),
    ).where(Operation.work_order.is_in(wo_ids), Operation.status != "done").group_by(
        Operation.work_order)
    return {row["work_order"]: as_utc(row["projected_end"]) for row in rows
            if row["projected_end"] is not None}


def _row_out(row: dict[str, Any], projected: datetime | None, now: datetime) -> dict[str, Any]:
    return {
        "code": row["code"], "item_code": row["item_code"], "item_name": row["item_name"],
        "status": row["status"], "quantity": qty(row["quantity"]), "good": qty(row["good"]),
        "scrap": qty(row["scrap"]), "held": qty(row["held"]), "unit": row["unit"],
        "due_at": row["due_at"], "priority": row["priority"],
        "late": _late(row["status"], row["due_at"], projected, now), "line": row["line"],
        "route_code": row["route_code"], "customer_order_ref": row["customer_order_ref"],
        "lot": row["lot"], "version": row["version"],
    }


async def _wo_detail_row(code: str) -> dict[str, Any]:
    row = await _select(WorkOrder, _WO_DETAIL_COLUMNS).where(
        WorkOrder.code == code.strip().upper()).first()
    if row is None:
        raise NotFound(f"There is no work order {code.strip().upper()}.",
                       code="work_order.not_found")
    return row


async def get_work_order(code: str) -> s.WorkOrderOut:
    """A work order with its operations, their material and who works on them."""
    row = await _wo_detail_row(code)
    ops = await _select(Operation, _OP_COLUMNS).where(
        Operation.work_order == row["id"]).order_by(Operation.seq)
    parent = None
    if row["parent_id"] is not None:
        parent_row = await WorkOrder.select(WorkOrder.code).where(
            WorkOrder.id == row["parent_id"]).first()
        parent = parent_row["code"] if parent_row else None
    now = _now()
    projected = (await _projected_ends([row["id"]])).get(row["id"])
    return s.WorkOrderOut(
        **_row_out(row, projected, now), overrun_percent=qty(row["overrun_percent"]),
        parent_code=parent, held_from=row["held_from"], hold_reason=row["hold_reason"],
        close_reason=row["close_reason"], note=row["note"], released_at=row["released_at"],
        started_at=row["started_at"], completed_at=row["completed_at"],
        closed_at=row["closed_at"], created_at=row["created_at"],
        operations=await _shape_operations(ops))


def _late_condition(now: datetime) -> Any:
    """Open orders past their due time, or scheduled to finish after it."""
    return (WorkOrder.status.is_in(list(OPEN_STATUSES)) & WorkOrder.due_at.is_not_null() & (
        (WorkOrder.due_at < now) | WhereRaw(
            "pr_work_order.id IN (SELECT o.work_order FROM pr_operation o "
            "JOIN pr_work_order w ON w.id = o.work_order "
            "WHERE o.status <> 'done' AND o.scheduled_end > w.due_at)")))


async def list_work_orders(*, limit: int, offset: int, status: str | None = None,
                           item_code: str | None = None, line: str | None = None,
                           q: str | None = None, late: bool | None = None
                           ) -> tuple[list[s.WorkOrderRow], int]:
    """A page of work orders, newest first. ``status`` may list several, comma-separated."""
    now = _now()
    conditions = []
    if status:
        conditions.append(WorkOrder.status.is_in(
            [part.strip() for part in status.split(",") if part.strip()]))
    if item_code:
        conditions.append(WorkOrder.item.code == item_code.strip().upper())
    if line:
        conditions.append(WorkOrder.line.code == line.strip().upper())
    if q:
        conditions.append(WorkOrder.code.ilike(f"%{q}%")
                          | WorkOrder.customer_order_ref.ilike(f"%{q}%")
                          | WorkOrder.lot.ilike(f"%{q}%"))
    if late is True:
        conditions.append(_late_condition(now))
    query = _select(WorkOrder, _WO_COLUMNS).order_by(WorkOrder.id, ascending=False)
    count = WorkOrder.count()
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    rows = await query.limit(limit).offset(offset)
    projected = await _projected_ends([row["id"] for row in rows])
    data = [s.WorkOrderRow(**_row_out(row, projected.get(row["id"]), now)) for row in rows]
    return data, await count


async def get_operation(op_id: int) -> s.OperationOut:
    """One operation with what is available to it."""
    rows = await _select(Operation, _OP_COLUMNS).where(Operation.id == op_id)
    if not rows:
        raise NotFound(f"There is no operation with id {op_id}.", code="operation.not_found")
    return (await _shape_operations(rows))[0]


async def list_reports(op_id: int) -> list[s.ReportOut]:
    """The report history of an operation, oldest first, voids and hold releases included."""
    if not await Operation.exists().where(Operation.id == op_id):
        raise NotFound(f"There is no operation with id {op_id}.", code="operation.not_found")
    rows = await _report_rows(WorkReport.operation == op_id)
    voided_by = {row["voids"]: row["id"] for row in rows if row["voids"] is not None}
    return [_report_out(row, voided_by.get(row["id"])) for row in rows]


async def _report_rows(condition: Any) -> list[dict[str, Any]]:
    return await WorkReport.select(
        WorkReport.id, WorkReport.operation, WorkReport.operation.code.as_alias("op_code"),
        WorkReport.work_order.code.as_alias("wo_code"), WorkReport.kind, WorkReport.good,
        WorkReport.scrap, WorkReport.rework, WorkReport.held,
        WorkReport.scrap_reason.code.as_alias("scrap_reason_code"), WorkReport.voids,
        WorkReport.note, WorkReport.username, WorkReport.reported_at,
        WorkReport.idempotency_key,
    ).where(condition).order_by(WorkReport.id)


def _report_out(row: dict[str, Any], voided_by: int | None = None) -> s.ReportOut:
    return s.ReportOut(
        id=row["id"], operation_id=row["operation"], operation=row["op_code"],
        work_order=row["wo_code"], kind=row["kind"], good=qty(row["good"]),
        scrap=qty(row["scrap"]), rework=qty(row["rework"]), held=qty(row["held"]),
        scrap_reason=row["scrap_reason_code"], voids=row["voids"], voided_by=voided_by,
        note=row["note"], username=row["username"], reported_at=row["reported_at"])


# --- planning work orders: items, routes, BOMs ----------------------------------------------

@dataclass
class _ItemInfo:
    id: int
    code: str
    active: bool
    unit: int
    unit_code: str
    decimals: int
    route: int | None
    overrun: Decimal


@dataclass
class _RouteInfo:
    id: int
    code: str
    active: bool
    line: int | None
    operations: list[dict[str, Any]]


@dataclass
class _Catalogue:
    """The master data a batch of new work orders refers to, read once."""

    items: dict[str, _ItemInfo]
    routes: dict[str, _RouteInfo]
    routes_by_id: dict[int, _RouteInfo]
    boms: dict[int, tuple[Decimal, list[dict[str, Any]]]] = field(default_factory=dict)
    bom_problems: dict[int, str] = field(default_factory=dict)
    """Per item: why its BOM cannot become material (a line in a unit that does not convert
    into its component's stock unit)."""

    @classmethod
    async def load(cls, item_codes: set[str], route_codes: set[str],
                   item_ids: set[int] | None = None, route_ids: set[int] | None = None
                   ) -> _Catalogue:
        condition = Item.code.is_in(sorted(item_codes)) if item_codes else None
        if item_ids:
            by_id = Item.id.is_in(sorted(item_ids))
            condition = by_id if condition is None else condition | by_id
        item_rows = await Item.select(
            Item.id, Item.code, Item.active, Item.unit, Item.unit.code.as_alias("unit_code"),
            Item.unit.decimals.as_alias("decimals"), Item.route, Item.overrun_percent,
        ).where(condition) if condition is not None else []
        items = {row["code"]: _ItemInfo(
            row["id"], row["code"], row["active"], row["unit"], row["unit_code"],
            row["decimals"], row["route"], qty(row["overrun_percent"])) for row in item_rows}
        route_ids = {item.route for item in items.values() if item.route is not None} | (
            route_ids or set())
        route_condition = None
        if route_codes:
            route_condition = Route.code.is_in(sorted(route_codes))
        if route_ids:
            by_id = Route.id.is_in(sorted(route_ids))
            route_condition = by_id if route_condition is None else route_condition | by_id
        route_rows = await Route.select(Route.id, Route.code, Route.active).where(
            route_condition) if route_condition is not None else []
        routes: dict[int, _RouteInfo] = {
            row["id"]: _RouteInfo(row["id"], row["code"], row["active"], None, [])
            for row in route_rows}
        if routes:
            op_rows = await RouteOperation.select(
                RouteOperation.route, RouteOperation.seq, RouteOperation.name,
                RouteOperation.workstation, RouteOperation.workstation_type,
                RouteOperation.setup_minutes, RouteOperation.ideal_cycle_seconds,
                RouteOperation.counts_output, RouteOperation.needs_inspection,
                RouteOperation.instructions,
                RouteOperation.workstation.line.as_alias("ws_line"),
            ).where(RouteOperation.route.is_in(list(routes))).order_by(RouteOperation.seq)
            for row in op_rows:
                routes[row["route"]].operations.append(row)
            await _place_routes(list(routes.values()))
        catalogue = cls(items=items, routes={r.code: r for r in routes.values()},
                        routes_by_id=routes)
        if items:
            await catalogue._load_boms([item.id for item in items.values()])
        return catalogue

    async def _load_boms(self, item_ids: list[int]) -> None:
        boms = await Bom.select(Bom.id, Bom.item, Bom.quantity).where(
            Bom.item.is_in(item_ids), Bom.active == True).order_by(Bom.code)  # noqa: E712
        first: dict[int, dict[str, Any]] = {}
        for bom in boms:
            first.setdefault(bom["item"], bom)
        if not first:
            return
        lines = await BomLine.select(
            BomLine.bom, BomLine.position, BomLine.component, BomLine.quantity, BomLine.unit,
            BomLine.operation_seq, BomLine.scan_to_consume,
            BomLine.unit.code.as_alias("unit_code"),
            BomLine.component.code.as_alias("component_code"),
            BomLine.component.unit.as_alias("stock_unit"),
            BomLine.component.unit.code.as_alias("stock_unit_code"),
        ).where(BomLine.bom.is_in([bom["id"] for bom in first.values()])).order_by(
            BomLine.position)
        factors = await _unit_factors(lines)
        item_of_bom = {bom["id"]: item_id for item_id, bom in first.items()}
        codes = {item.id: item.code for item in self.items.values()}
        by_bom: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for line in lines:
            # Material is kept, consumed and picked in the component's stock unit: a BOM line
            # in another unit is converted here, once, when an order's material is made.
            line["factor"] = factors.get((line["unit"], line["stock_unit"]))
            if line["factor"] is None:
                item_id = item_of_bom[line["bom"]]
                unit, stock_unit = line["unit_code"], line["stock_unit_code"]
                self.bom_problems.setdefault(item_id, (
                    f"the BOM of {codes[item_id]} takes {qty(line['quantity'])} {unit} of "
                    f"{line['component_code']}, which is kept in {stock_unit}, and no "
                    f"conversion between {unit} and {stock_unit} is known. Add one to unit "
                    f"{unit} or {stock_unit} in master data, or give the BOM line the unit "
                    f"{stock_unit}."))
            by_bom[line["bom"]].append(line)
        for item_id, bom in first.items():
            self.boms[item_id] = (qty(bom["quantity"]), by_bom.get(bom["id"], []))


async def _unit_factors(lines: list[dict[str, Any]]
                        ) -> dict[tuple[int, int], tuple[Decimal, Decimal]]:
    """For each BOM line's (unit, stock unit) pair that converts: (multiply, divide) taking a
    quantity in the line's unit into the stock unit. Master data says ``1 from_unit = factor
    to_unit``; either direction serves (1 G = 1/1000 KG from 1 KG = 1000 G)."""
    one = (Decimal(1), Decimal(1))
    pairs = {(line["unit"], line["stock_unit"]) for line in lines}
    factors = {pair: one for pair in pairs if pair[0] == pair[1]}
    wanted = [pair for pair in pairs if pair[0] != pair[1]]
    if not wanted:
        return factors
    units = sorted({unit for pair in wanted for unit in pair})
    known: dict[tuple[int, int], Decimal] = {}
    for row in await UnitConversion.select(
            UnitConversion.from_unit, UnitConversion.to_unit, UnitConversion.factor).where(
            UnitConversion.from_unit.is_in(units), UnitConversion.to_unit.is_in(units)):
        if qty(row["factor"]) > 0:
            known[(row["from_unit"], row["to_unit"])] = qty(row["factor"])
    for unit, stock_unit in wanted:
        if (unit, stock_unit) in known:
            factors[(unit, stock_unit)] = (known[(unit, stock_unit)], Decimal(1))
        elif (stock_unit, unit) in known:
            factors[(unit, stock_unit)] = (Decimal(1), known[(stock_unit, unit)])
    return factors


async def _place_routes(routes: list[_RouteInfo]) -> None:
    """A route's line: that of its first step's workstation, or of the first workstation of
    its first step's type."""
    type_ids = {route.operations[0]["workstation_type"] for route in routes if route.operations
                and route.operations[0]["ws_line"] is None
                and route.operations[0]["workstation_type"] is not None}
    type_lines: dict[int, int] = {}
    if type_ids:
        rows = await Workstation.select(Workstation.workstation_type, Workstation.line).where(
            Workstation.workstation_type.is_in(sorted(type_ids)),
            Workstation.active == True).order_by(Workstation.code)  # noqa: E712
        for row in rows:
            type_lines.setdefault(row["workstation_type"], row["line"])
    for route in routes:
        if route.operations:
            first = route.operations[0]
            route.line = first["ws_line"] or type_lines.get(first["workstation_type"])


@dataclass
class _Planned:
    """A validated new work order, ready to insert."""

    values: dict[str, Any]
    item: _ItemInfo
    route: _RouteInfo


class _RowError(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _route_for(catalogue: _Catalogue, item: _ItemInfo, route_code: str | None) -> _RouteInfo:
    if route_code:
        route = catalogue.routes.get(route_code.upper())
        if route is None:
            raise _RowError(f"There is no route {route_code.upper()}.", "route_code")
    else:
        route = catalogue.routes_by_id.get(item.route) if item.route is not None else None
        if route is None:
            raise _RowError(f"The item {item.code} has no route; give a route_code.",
                            "route_code")
    if not route.active:
        raise _RowError(f"The route {route.code} is deactivated.", "route_code")
    if not route.operations:
        raise _RowError(f"The route {route.code} has no operations.", "route_code")
    return route


def _plan(catalogue: _Catalogue, data: s.WorkOrderIn) -> _Planned:
    item = catalogue.items.get(data.item_code.upper())
    if item is None:
        raise _RowError(f"There is no item {data.item_code.upper()}.", "item_code")
    if not item.active:
        raise _RowError(f"The item {item.code} is deactivated.", "item_code")
    if data.quantity <= 0:
        raise _RowError("quantity must be greater than zero.", "quantity")
    try:
        _check_quantity(data.quantity, item.decimals, item.unit_code, "quantity")
    except Invalid as exc:
        raise _RowError(exc.message, "quantity") from None
    route = _route_for(catalogue, item, data.route_code)
    return _Planned(values={
        "item": item.id, "route": route.id, "line": route.line,
        "quantity": six(data.quantity), "overrun_percent": item.overrun,
        "due_at": as_utc(data.due_at), "priority": data.priority,
        "customer_order_ref": (data.customer_order_ref or "").strip(),
        "lot": (data.lot or "").strip(), "status": "draft",
    }, item=item, route=route)


def _first_available(quantity: Decimal, overrun: Decimal, decimals: int) -> Decimal:
    """What the first operation may report in total: the quantity plus the allowed overrun,
    rounded down to what the unit can count."""
    allowed = quantity * (1 + overrun / 100)
    return allowed.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN)


def _expand(work_order: dict[str, Any], item: _ItemInfo, route: _RouteInfo,
            bom: tuple[Decimal, list[dict[str, Any]]] | None
            ) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """A released work order's operations (one per route step) and, per operation code, the
    material it needs (BOM lines at that step times the order quantity)."""
    quantity = qty(work_order["quantity"])
    operations = []
    for index, step in enumerate(route.operations):
        first = index == 0
        operations.append({
            "work_order": work_order["id"],
            "code": operation_code(work_order["code"], step["seq"]), "seq": step["seq"],
            "name": step["name"], "workstation": step["workstation"],
            "workstation_type": step["workstation_type"],
            "setup_s": six(qty(step["setup_minutes"]) * 60),
            "cycle_s": six(qty(step["ideal_cycle_seconds"])),
            "counts_output": step["counts_output"],
            "needs_inspection": step["needs_inspection"],
            "instructions": step["instructions"],
            "status": "ready" if first else "pending",
            "available": (_first_available(quantity, qty(work_order["overrun_percent"]),
                                           item.decimals) if first else ZERO),
        })
    materials: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if bom is not None:
        bom_quantity, lines = bom
        seqs = {step["seq"] for step in route.operations}
        first_seq = route.operations[0]["seq"]
        for line in lines:
            seq = line["operation_seq"] if line["operation_seq"] in seqs else first_seq
            code = operation_code(work_order["code"], seq)
            multiply, divide = line["factor"]
            materials[code].append({
                "position": len(materials[code]) + 1, "item": line["component"],
                "required": six(qty(line["quantity"]) * multiply * quantity
                                / (bom_quantity * divide)),
                "unit": line["stock_unit"], "scan_to_consume": line["scan_to_consume"]})
    return operations, materials


async def _insert_chunked(table: Any, rows: list[dict[str, Any]], *returning: Any
                          ) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for start in range(0, len(rows), CHUNK):
        query = table.insert(*(table(**row) for row in rows[start:start + CHUNK]))
        if returning:
            out.extend(await query.returning(*returning))
        else:
            await query
    return out


async def _release_many(work_orders: list[dict[str, Any]], catalogue: _Catalogue) -> None:
    """Write the operations and material of released work orders, in few statements."""
    op_rows: list[dict[str, Any]] = []
    material_rows: dict[str, list[dict[str, Any]]] = {}
    items_by_id = {item.id: item for item in catalogue.items.values()}
    for work_order in work_orders:
        item = items_by_id[work_order["item"]]
        if item.id in catalogue.bom_problems:
            raise Conflict(f"Work order {work_order['code']} cannot be released: "
                           f"{catalogue.bom_problems[item.id]}",
                           code="work_order.bom_unit_unconvertible", item_code=item.code)
        route = catalogue.routes_by_id[work_order["route"]]
        operations, materials = _expand(work_order, item, route, catalogue.boms.get(item.id))
        op_rows.extend(operations)
        material_rows.update(materials)
    inserted = await _insert_chunked(Operation, op_rows, Operation.id, Operation.code)
    ids = {row["code"]: row["id"] for row in inserted}
    await _insert_chunked(OperationMaterial, [
        {**material, "operation": ids[code]}
        for code, materials in material_rows.items() for material in materials])


def _wo_audit(values: dict[str, Any], code: str) -> dict[str, Any]:
    return {"code": code, "status": values.get("status"),
            "quantity": str(qty(values["quantity"])) if "quantity" in values else None,
            "due_at": values["due_at"].isoformat() if values.get("due_at") else None,
            "priority": values.get("priority")}


# --- creating and editing work orders --------------------------------------------------------

def _wo_topics(code: str, line: str | None) -> list[str]:
    return [f"wo:{code}"] + ([f"line:{line}"] if line else [])


async def create_work_order(uow: UnitOfWork, data: s.WorkOrderIn) -> s.WorkOrderOut:
    """Create a draft work order (audited); the route defaults to the item's."""
    catalogue = await _Catalogue.load({data.item_code.upper()},
                                      {data.route_code.upper()} if data.route_code else set())
    try:
        planned = _plan(catalogue, data)
    except _RowError as exc:
        raise Invalid(exc.message, code="work_order.invalid", field=exc.field) from None
    code = await next_document_code("WO")
    await WorkOrder.insert(WorkOrder(code=code, **planned.values))
    out = await get_work_order(code)
    await uow.audit("work_order.create", "work_order", code,
                    after=_wo_audit(planned.values, code))
    uow.emit("work_order.created", code, *_wo_topics(code, out.line), version=1)
    return out


def parse_import(body: bytes, content_type: str) -> list[Any]:
    """The rows of an import body: a JSON array of work orders, or CSV with a header row
    (``item_code,quantity,due_at,priority,route_code,customer_order_ref,lot``).

    Raises:
        Invalid: the body is neither, or has no rows or too many.
    """
    if "csv" in content_type:
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Invalid("The CSV file must be UTF-8 text.", code="import.unreadable") from None
        reader = csv.DictReader(io.StringIO(text))
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
        unknown = [name for name in header if name not in IMPORT_COLUMNS]
        if "item_code" not in header or "quantity" not in header or unknown:
            raise Invalid(
                "The CSV needs a header row with item_code and quantity, and may add "
                f"{', '.join(IMPORT_COLUMNS[2:])}"
                + (f"; it has unknown columns {', '.join(unknown)}." if unknown else "."),
                code="import.bad_header")
        reader.fieldnames = header
        rows: list[Any] = [{key: (value or "").strip() for key, value in row.items()
                            if key is not None} for row in reader]
    else:
        try:
            rows = msgspec.json.decode(body)
        except msgspec.DecodeError:
            raise Invalid("Send a JSON array of work orders, or CSV with Content-Type text/csv.",
                          code="import.unreadable") from None
        if not isinstance(rows, list):
            raise Invalid("Send a JSON array of work orders.", code="import.not_a_list")
    if not rows:
        raise Invalid("The import holds no work orders.", code="import.empty")
    if len(rows) > MAX_IMPORT_ROWS:
        raise Invalid(f"One import takes at most {MAX_IMPORT_ROWS} work orders; split the file.",
                      code="import.too_many")
    return rows


def _csv_due(text: str) -> datetime:
    """A due time from CSV: ISO 8601; a date alone means the end of that day (UTC)."""
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time(23, 59, 59), tzinfo=UTC)
    return datetime.fromisoformat(text)


def _row_in(row: Any) -> s.WorkOrderIn:
    """One import row as a create body; CSV cells are text, empty meaning absent."""
    if not isinstance(row, dict):
        raise _RowError("Each row must be an object with item_code and quantity.")
    if all(isinstance(value, str) for value in row.values()):
        values: dict[str, Any] = {key: value for key, value in row.items() if value != ""}
        if "priority" in values:
            try:
                values["priority"] = int(values["priority"])
            except ValueError:
                raise _RowError("priority must be a whole number from 1 to 9.",
                                "priority") from None
        if "due_at" in values:
            try:
                values["due_at"] = as_utc(_csv_due(values["due_at"]))
            except ValueError:
                raise _RowError("due_at must be a date (2026-12-01) or an ISO 8601 time.",
                                "due_at") from None
        row = values
    try:
        return msgspec.convert(row, s.WorkOrderIn, strict=False)
    except msgspec.ValidationError as exc:
        message = str(exc)
        where = message.rsplit("`$.", 1)[-1].rstrip("`") if "`$." in message else None
        raise _RowError(message, where) from None


async def import_work_orders(uow: UnitOfWork, rows: list[Any], *, release: bool
                             ) -> s.ImportOut:
    """Create many work orders at once (and release them when asked): all or none. Every bad
    row is listed in the 422 problem (``errors: [{row, field, message}]``, rows from 1)."""
    parsed: list[tuple[int, s.WorkOrderIn]] = []
    errors: list[dict[str, Any]] = []
    for number, row in enumerate(rows, start=1):
        try:
            parsed.append((number, _row_in(row)))
        except _RowError as exc:
            errors.append({"row": number, "field": exc.field, "message": exc.message})
    catalogue = await _Catalogue.load(
        {data.item_code.upper() for _, data in parsed},
        {data.route_code.upper() for _, data in parsed if data.route_code})
    planned: list[_Planned] = []
    for number, data in parsed:
        try:
            plan = _plan(catalogue, data)
        except _RowError as exc:
            errors.append({"row": number, "field": exc.field, "message": exc.message})
            continue
        planned.append(plan)
        problem = catalogue.bom_problems.get(plan.item.id) if release else None
        if problem is not None:
            errors.append({"row": number, "field": "item_code",
                           "message": f"{plan.item.code} cannot be released: {problem}"})
    if errors:
        errors.sort(key=lambda error: error["row"])
        first = errors[0]
        raise Invalid(f"{len(errors)} of {len(rows)} rows cannot be imported, so none was; "
                      f"row {first['row']}: {first['message']}", code="import.invalid_rows",
                      errors=errors)
    now = _now()
    codes = await next_document_codes("WO", len(planned))
    status = "released" if release else "draft"
    wo_rows = [{**plan.values, "code": code, "status": status,
                "released_at": now if release else None}
               for plan, code in zip(planned, codes, strict=True)]
    inserted = await _insert_chunked(WorkOrder, wo_rows, WorkOrder.id, WorkOrder.code)
    ids = {row["code"]: row["id"] for row in inserted}
    for row in wo_rows:
        row["id"] = ids[row["code"]]
    if release:
        await _release_many(wo_rows, catalogue)
    audits: list[tuple[str, str, str, dict[str, Any] | None, dict[str, Any] | None]] = [
        ("work_order.create", "work_order", row["code"], None,
         _wo_audit({**row, "status": "draft"}, row["code"])) for row in wo_rows]
    if release:
        audits += [("work_order.release", "work_order", row["code"], {"status": "draft"},
                    {"status": "released"}) for row in wo_rows]
    await uow.audit_many(audits)
    line_ids = {row["line"] for row in wo_rows if row["line"] is not None}
    if line_ids:
        for line in await Line.select(Line.code).where(Line.id.is_in(sorted(line_ids))):
            uow.emit("work_orders.imported", str(len(wo_rows)), f"line:{line['code']}")
    return s.ImportOut(created=len(wo_rows), released=len(wo_rows) if release else 0,
                       codes=codes)


async def update_work_order(uow: UnitOfWork, code: str, patch: s.WorkOrderPatch
                            ) -> s.WorkOrderOut:
    """Change a draft work order (audited, version + 1). Released orders are not edited."""
    row = await _wo_detail_row(code)
    before = await get_work_order(code)
    if row["status"] != "draft":
        raise Conflict(f"Work order {row['code']} is {_words(row['status'])}; only a draft "
                       "can be changed.", code="work_order.not_draft")
    values = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
    updates: dict[Any, Any] = {}
    stored = await WorkOrder.select(WorkOrder.item, WorkOrder.route).where(
        WorkOrder.id == row["id"]).first()
    catalogue = await _Catalogue.load(set(), {values["route_code"].upper()}
                                      if values.get("route_code") else set(),
                                      item_ids={stored["item"]})
    item = next(iter(catalogue.items.values()))
    if "quantity" in values:
        if values["quantity"] <= 0:
            raise Invalid("quantity must be greater than zero.", code="invalid.quantity",
                          field="quantity")
        _check_quantity(values["quantity"], item.decimals, item.unit_code, "quantity")
        updates[WorkOrder.quantity] = six(values["quantity"])
    if "route_code" in values:
        try:
            route = _route_for(catalogue, item, values["route_code"])
        except _RowError as exc:
            raise Invalid(exc.message, code="work_order.invalid", field=exc.field) from None
        updates[WorkOrder.route] = route.id
        updates[WorkOrder.line] = route.line
    if "due_at" in values:
        updates[WorkOrder.due_at] = as_utc(values["due_at"])
    if "priority" in values:
        updates[WorkOrder.priority] = values["priority"]
    for name in ("customer_order_ref", "lot"):
        if name in values:
            updates[getattr(WorkOrder, name)] = (values[name] or "").strip()
    updates[WorkOrder.version] = row["version"] + 1
    updates[WorkOrder.updated_at] = _now()
    changed = await WorkOrder.update(updates).where(
        WorkOrder.id == row["id"], WorkOrder.status == "draft").returning(WorkOrder.id)
    if not changed:
        raise Conflict(f"Work order {row['code']} was released meanwhile; only a draft can be "
                       "changed.", code="work_order.not_draft")
    out = await get_work_order(code)
    await uow.audit("work_order.update", "work_order", row["code"],
                    before=_plain(before), after=_plain(out))
    uow.emit("work_order.updated", row["code"], *_wo_topics(row["code"], out.line),
             *([f"line:{before.line}"] if before.line and before.line != out.line else []),
             version=out.version)
    return out


def _plain(out: Any) -> dict[str, Any]:
    data = msgspec.json.decode(msgspec.json.encode(out))
    data.pop("operations", None)
    return data


# --- work order transitions ------------------------------------------------------------------

async def _lock_order(work_order_id: int) -> list[dict[str, Any]]:
    """Lock a work order and then its operations (by seq): the one lock order every command
    follows, so commands on one order queue rather than deadlock."""
    await _locked(WorkOrder.select(WorkOrder.id).where(WorkOrder.id == work_order_id))
    return await _locked(Operation.select(
        Operation.id, Operation.seq, Operation.code, Operation.status, Operation.held_from,
        Operation.available, Operation.good, Operation.scrap, Operation.held,
    ).where(Operation.work_order == work_order_id).order_by(Operation.seq))


async def _transition(uow: UnitOfWork, row: dict[str, Any], allowed: tuple[str, ...],
                      to: str, action: str, *, verb: str,
                      updates: dict[Any, Any] | None = None) -> None:
    """Move a work order from one of ``allowed`` to ``to`` with a guarded update (it fails if
    a concurrent command moved it first) and write its audit row."""
    if row["status"] not in allowed:
        raise Conflict(f"Work order {row['code']} is {_words(row['status'])}; it cannot be "
                       f"{verb}.", code="work_order.bad_status", current_status=row["status"])
    changed = await WorkOrder.update({
        WorkOrder.status: to, WorkOrder.version: WorkOrder.version + 1,
        WorkOrder.updated_at: _now(), **(updates or {}),
    }).where(WorkOrder.id == row["id"], WorkOrder.status == row["status"]).returning(
        WorkOrder.version)
    if not changed:
        current = await WorkOrder.select(WorkOrder.status).where(
            WorkOrder.id == row["id"]).first()
        raise Conflict(f"Work order {row['code']} became {_words(current['status'])} "
                       f"meanwhile; it cannot be {verb}.", code="work_order.bad_status",
                       current_status=current["status"])
    row["version"] = changed[0]["version"]
    await uow.audit(action, "work_order", row["code"], before={"status": row["status"]},
                    after={"status": to, **{
                        column._meta.name: _jsonable(value)
                        for column, value in (updates or {}).items()
                        if column._meta.name not in ("updated_at",)}})
    row["status"] = to


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(qty(value))
    if isinstance(value, datetime):
        return value.isoformat()
    return value


async def _emit_order(uow: UnitOfWork, code: str, type_: str) -> s.WorkOrderOut:
    """The work order as it is now, and its event on the order, its operations' places and
    its line."""
    out = await get_work_order(code)
    topics = _wo_topics(out.code, out.line)
    for op in out.operations:
        topics.append(f"op:{op.id}")
        place = op.scheduled_workstation or op.workstation
        if place:
            topics.append(f"workstation:{place}")
        if op.line:
            topics.append(f"line:{op.line}")
    uow.emit(type_, out.code, *dict.fromkeys(topics), version=out.version)
    return out


async def release_work_order(uow: UnitOfWork, code: str) -> s.WorkOrderOut:
    """Release a draft: its route becomes operations (the first one ready) and its BOM the
    material each operation needs."""
    row = await _wo_detail_row(code)
    stored = await WorkOrder.select(WorkOrder.item, WorkOrder.route, WorkOrder.quantity,
                                    WorkOrder.overrun_percent).where(
        WorkOrder.id == row["id"]).first()
    await _transition(uow, row, ("draft",), "released", "work_order.release", verb="released",
                      updates={WorkOrder.released_at: _now()})
    catalogue = await _Catalogue.load(set(), set(), item_ids={stored["item"]},
                                      route_ids={stored["route"]})
    item = next(iter(catalogue.items.values()))
    route = catalogue.routes_by_id.get(stored["route"])
    try:
        _route_for(catalogue, item, route.code if route else None)
    except _RowError as exc:
        raise Conflict(f"Work order {row['code']} cannot be released: {exc.message}",
                       code="work_order.route_unusable") from None
    await _release_many([{"id": row["id"], "code": row["code"], "item": stored["item"],
                          "route": stored["route"], "quantity": stored["quantity"],
                          "overrun_percent": stored["overrun_percent"]}], catalogue)
    return await _emit_order(uow, row["code"], "work_order.released")


async def _reason(code: str | None, kinds: tuple[str, ...], field_name: str) -> str:
    if code is None:
        return ""
    row = await ReasonCode.select(ReasonCode.code, ReasonCode.kind, ReasonCode.active).where(
        ReasonCode.code == code.upper()).first()
    if row is None or not row["active"] or row["kind"] not in kinds:
        raise Invalid(f"{code.upper()} is not an active reason code of kind "
                      f"{' or '.join(kinds)}.", code="reason.unknown", field=field_name)
    return row["code"]


async def _end_labour(uow: UnitOfWork, op_ids: list[int], event: str) -> None:
    """Close the open labour spans of everyone working on these operations."""
    labour = await labour_by_operation(op_ids)
    rows = [{"operation": op_id, "user_id": int(key) if key.isdigit() else None,
             "username": username, "event": event}
            for op_id, work in labour.items() for key, username in work.active.items()]
    if rows:
        await _insert_chunked(LabourEvent, rows)


async def hold_work_order(uow: UnitOfWork, code: str, data: s.HoldIn) -> s.WorkOrderOut:
    """Put a released or running order on hold: its unfinished operations are held and the
    people working on them paused. ``resume`` returns everything to where it was."""
    row = await _wo_detail_row(code)
    reason = await _reason(data.reason_code, ("hold",), "reason_code")
    ops = await _lock_order(row["id"])
    await _transition(uow, row, WORKING, "on_hold", "work_order.hold", verb="put on hold",
                      updates={WorkOrder.held_from: row["status"],
                               WorkOrder.hold_reason: reason, WorkOrder.note: data.note})
    running = [op["id"] for op in ops if op["status"] == "running"]
    await _end_labour(uow, running, "pause")
    for status in ("pending", "ready", "running", "paused"):
        # Labour stops while held, so a running operation comes back paused.
        await Operation.update({
            Operation.status: "held", Operation.version: Operation.version + 1,
            Operation.held_from: "paused" if status == "running" else status,
        }).where(Operation.work_order == row["id"], Operation.status == status)
    return await _emit_order(uow, row["code"], "work_order.held")


async def resume_work_order(uow: UnitOfWork, code: str) -> s.WorkOrderOut:
    """Take an order off hold, back to the status it had, with its operations."""
    row = await _wo_detail_row(code)
    ops = await _lock_order(row["id"])
    back = row["held_from"] or "released"
    await _transition(uow, row, ("on_hold",), back, "work_order.resume", verb="resumed",
                      updates={WorkOrder.held_from: None})
    for op in ops:
        if op["status"] != "held":
            continue
        status = op["held_from"] or "pending"
        if status == "pending" and qty(op["available"]) > 0:
            status = "ready"  # held quantity was released to it while the order was on hold
        await Operation.update({Operation.status: status, Operation.held_from: None,
                                Operation.version: Operation.version + 1}).where(
            Operation.id == op["id"], Operation.status == "held")
    return await _emit_order(uow, row["code"], "work_order.resumed")


async def _finish_operations(uow: UnitOfWork, work_order_id: int) -> None:
    """An order that ends (completed, closed, cancelled) ends its unfinished operations."""
    open_ops = await Operation.select(Operation.id).where(
        Operation.work_order == work_order_id, Operation.status.is_in(list(NOT_DONE)))
    ids = [op["id"] for op in open_ops]
    if not ids:
        return
    await _end_labour(uow, ids, "complete")
    await Operation.update({Operation.status: "done", Operation.held_from: None,
                            Operation.completed_at: _now(),
                            Operation.version: Operation.version + 1}).where(
        Operation.id.is_in(ids), Operation.status.is_in(list(NOT_DONE)))


async def cancel_work_order(uow: UnitOfWork, code: str) -> s.WorkOrderOut:
    """Cancel a draft or released order on which nothing was reported."""
    row = await _wo_detail_row(code)
    await _lock_order(row["id"])
    if row["status"] in ("draft", "released") and (
            await WorkReport.exists().where(WorkReport.work_order == row["id"])
            or await LabourEvent.exists().where(LabourEvent.operation.work_order == row["id"])):
        raise Conflict(f"Work has been reported on {row['code']}; close it instead of "
                       "cancelling.", code="work_order.has_reports")
    await _transition(uow, row, ("draft", "released"), "cancelled", "work_order.cancel",
                      verb="cancelled", updates={WorkOrder.closed_at: _now()})
    await _finish_operations(uow, row["id"])
    return await _emit_order(uow, row["code"], "work_order.cancelled")


async def close_work_order(uow: UnitOfWork, code: str, data: s.CloseIn) -> s.WorkOrderOut:
    """Close a running or completed order. Closing short (less good than ordered) needs a
    reason code of kind hold or scrap."""
    row = await _wo_detail_row(code)
    await _lock_order(row["id"])
    row = {**row, **(await WorkOrder.select(WorkOrder.good, WorkOrder.status).where(
        WorkOrder.id == row["id"]).first())}
    short = qty(row["good"]) < qty(row["quantity"])
    reason = await _reason(data.reason_code, ("hold", "scrap"), "reason_code")
    if short and row["status"] in ("in_progress", "completed") and not reason:
        raise Invalid(f"{row['code']} made {qty(row['good'])} of {qty(row['quantity'])} "
                      f"{row['unit']}; closing it short needs a reason code (kind hold or "
                      "scrap).", code="work_order.close_reason_required", field="reason_code")
    await _transition(uow, row, ("in_progress", "completed"), "closed", "work_order.close",
                      verb="closed", updates={WorkOrder.closed_at: _now(),
                                              WorkOrder.close_reason: reason,
                                              WorkOrder.note: data.note})
    await _finish_operations(uow, row["id"])
    return await _emit_order(uow, row["code"], "work_order.closed")


async def split_work_order(uow: UnitOfWork, code: str, data: s.SplitIn) -> s.WorkOrderOut:
    """Keep ``quantity`` on this order and move the rest to a new order (same item, route,
    due time and status, ``parent_code`` this one). Only drafts and released orders on which
    nothing was reported split. Answers the new order."""
    row = await _wo_detail_row(code)
    ops = await _lock_order(row["id"])
    if row["status"] not in ("draft", "released"):
        raise Conflict(f"Work order {row['code']} is {_words(row['status'])}; only a draft or "
                       "a released order splits.", code="work_order.bad_status",
                       current_status=row["status"])
    stored = await WorkOrder.select().where(WorkOrder.id == row["id"]).first()
    catalogue = await _Catalogue.load(set(), set(), item_ids={stored["item"]})
    item = next(iter(catalogue.items.values()))
    keep = data.quantity
    total = qty(stored["quantity"])
    _check_quantity(keep, item.decimals, item.unit_code, "quantity")
    if keep <= 0 or keep >= total:
        raise Invalid(f"quantity is what {row['code']} keeps: more than 0 and less than "
                      f"{total} {item.unit_code}.", code="work_order.bad_split",
                      field="quantity")
    rest = total - keep
    changed = await WorkOrder.update({
        WorkOrder.quantity: six(keep), WorkOrder.version: WorkOrder.version + 1,
        WorkOrder.updated_at: _now(),
    }).where(WorkOrder.id == row["id"], WorkOrder.status == row["status"]).returning(
        WorkOrder.id)
    if not changed:
        raise Conflict(f"Work order {row['code']} changed meanwhile; try again.",
                       code="work_order.bad_status")
    if ops:
        first = ops[0]
        await Operation.update({
            Operation.available: _first_available(keep, qty(stored["overrun_percent"]),
                                                  item.decimals),
            Operation.version: Operation.version + 1}).where(Operation.id == first["id"])
        materials = await OperationMaterial.select(
            OperationMaterial.id, OperationMaterial.required).where(
            OperationMaterial.operation.is_in([op["id"] for op in ops]))
        for material in materials:
            await OperationMaterial.update({
                OperationMaterial.required: six(qty(material["required"]) * keep / total),
            }).where(OperationMaterial.id == material["id"])
    new_code = await next_document_code("WO")
    values = {name: stored[name] for name in (
        "item", "route", "line", "overrun_percent", "due_at", "priority", "customer_order_ref",
        "lot", "status", "released_at", "note")}
    values.update(code=new_code, quantity=six(rest), parent_id=row["id"])
    inserted = await WorkOrder.insert(WorkOrder(**values)).returning(WorkOrder.id)
    if stored["status"] == "released":
        catalogue = await _Catalogue.load(set(), set(), item_ids={item.id},
                                          route_ids={stored["route"]})
        await _release_many([{"id": inserted[0]["id"], "code": new_code, "item": item.id,
                              "route": stored["route"], "quantity": rest,
                              "overrun_percent": stored["overrun_percent"]}], catalogue)
    await uow.audit("work_order.split", "work_order", row["code"],
                    before={"quantity": str(total)},
                    after={"quantity": str(qty(keep)), "split_off": new_code})
    await uow.audit("work_order.create", "work_order", new_code,
                    after={**_wo_audit(values, new_code), "parent": row["code"]})
    await _emit_order(uow, row["code"], "work_order.split")
    return await _emit_order(uow, new_code, "work_order.created")


# --- the floor: labour -----------------------------------------------------------------------

_OP_CONTEXT = {
    "id": Operation.id, "code": Operation.code, "seq": Operation.seq,
    "status": Operation.status, "work_order_id": Operation.work_order,
    "wo_code": Operation.work_order.code, "wo_status": Operation.work_order.status,
    "workstation_id": Operation.workstation,
    "workstation_type_id": Operation.workstation_type,
    "workstation": Operation.workstation.code,
    "scheduled_workstation": Operation.scheduled_workstation.code,
    "ws_line": Operation.workstation.line.code,
    "sws_line": Operation.scheduled_workstation.line.code,
    "wo_line": Operation.work_order.line.code,
    "unit": Operation.work_order.item.unit.code,
    "decimals": Operation.work_order.item.unit.decimals,
    "needs_inspection": Operation.needs_inspection,
}


async def _op_context(op_id: int) -> dict[str, Any]:
    row = await _select(Operation, _OP_CONTEXT).where(Operation.id == op_id).first()
    if row is None:
        raise NotFound(f"There is no operation with id {op_id}.", code="operation.not_found")
    return row


def _op_topics(context: dict[str, Any]) -> list[str]:
    topics = [f"op:{context['id']}", f"wo:{context['wo_code']}"]
    place = context["scheduled_workstation"] or context["workstation"]
    if place:
        topics.append(f"workstation:{place}")
    for line in (_line_of(context), context["wo_line"]):
        if line:
            topics.append(f"line:{line}")
    return list(dict.fromkeys(topics))


def _check_order_open(context: dict[str, Any], doing: str) -> None:
    status = context["wo_status"]
    if status not in WORKING:
        raise Conflict(f"Work order {context['wo_code']} is {_words(status)}; nobody can "
                       f"{doing} its operations now.", code="work_order.not_open",
                       current_status=status)


def _check_op(context: dict[str, Any], allowed: tuple[str, ...], doing: str) -> None:
    status = context["status"]
    if status not in allowed:
        raise Conflict(f"Operation {context['code']} is {_words(status)}; it cannot be "
                       f"{doing}.", code="operation.bad_status", current_status=status)


async def _op_transition(uow: UnitOfWork, context: dict[str, Any], allowed: tuple[str, ...],
                         to: str, action: str, *, updates: dict[Any, Any] | None = None
                         ) -> None:
    """A guarded status change of an operation, with its audit row."""
    changed = await Operation.update({
        Operation.status: to, Operation.version: Operation.version + 1, **(updates or {}),
    }).where(Operation.id == context["id"], Operation.status.is_in(list(allowed))).returning(
        Operation.id)
    if not changed:
        current = await Operation.select(Operation.status).where(
            Operation.id == context["id"]).first()
        raise Conflict(f"Operation {context['code']} became {_words(current['status'])} "
                       "meanwhile; look again.", code="operation.bad_status",
                       current_status=current["status"])
    await uow.audit(action, "operation", context["code"], before={"status": context["status"]},
                    after={"status": to})
    context["status"] = to


async def _start_order(uow: UnitOfWork, context: dict[str, Any]) -> None:
    """The first start or report moves a released order to in progress."""
    if context["wo_status"] != "released":
        return
    row = {"id": context["work_order_id"], "code": context["wo_code"], "status": "released"}
    await _transition(uow, row, ("released",), "in_progress", "work_order.start",
                      verb="started", updates={WorkOrder.started_at: _now()})
    context["wo_status"] = "in_progress"
    uow.emit("work_order.started", context["wo_code"], f"wo:{context['wo_code']}",
             *([f"line:{context['wo_line']}"] if context["wo_line"] else []))


def _user_key(uow: UnitOfWork) -> str:
    return str(uow.actor.user_id or uow.actor.username)


async def _labour_event(uow: UnitOfWork, op_id: int, event: str) -> None:
    await LabourEvent.insert(LabourEvent(operation=op_id, user_id=uow.actor.user_id,
                                         username=uow.actor.username, event=event))


async def _lock_operation(op_id: int) -> None:
    """Lock an operation's work order, then the operation (see :func:`_lock_order`)."""
    row = await Operation.select(Operation.work_order).where(Operation.id == op_id).first()
    if row is None:
        return  # reading its context says it does not exist
    await _locked(WorkOrder.select(WorkOrder.id).where(WorkOrder.id == row["work_order"]))
    await _locked(Operation.select(Operation.id).where(Operation.id == op_id))


async def _place(context: dict[str, Any], workstation: str | None) -> dict[Any, Any]:
    """Where the operator starts: it must be where the operation runs; an operation that names
    only a workstation type is placed on the operator's workstation."""
    if workstation is None:
        return {}
    ws = await Workstation.select(Workstation.id, Workstation.code, Workstation.active,
                                  Workstation.workstation_type).where(
        Workstation.code == workstation.upper()).first()
    if ws is None or not ws["active"]:
        raise Invalid(f"There is no active workstation {workstation.upper()}.",
                      code="reference.unknown", field="workstation")
    place = context["scheduled_workstation"] or context["workstation"]
    if place is not None:
        if place != ws["code"]:
            raise Conflict(f"Operation {context['code']} runs at {place}, not at {ws['code']}.",
                           code="operation.wrong_workstation")
        return {}
    if ws["workstation_type"] != context["workstation_type_id"]:
        raise Conflict(f"{ws['code']} is not a workstation of the type operation "
                       f"{context['code']} needs.", code="operation.wrong_workstation")
    context["workstation"] = ws["code"]
    return {Operation.workstation: ws["id"]}


async def start_operation(uow: UnitOfWork, op_id: int, data: s.LabourIn | None = None
                          ) -> s.OperationOut:
    """An operator starts (or joins) work on a ready, running or paused operation."""
    await _lock_operation(op_id)
    context = await _op_context(op_id)
    _check_order_open(context, "start")
    if context["status"] == "pending":
        raise Conflict(f"Nothing has reached operation {context['code']} yet; it can start "
                       "when the previous step passes on good parts.",
                       code="operation.not_ready", current_status="pending")
    _check_op(context, ("ready", "running", "paused"), "started")
    labour = (await labour_by_operation([op_id])).get(op_id, Labour())
    if _user_key(uow) in labour.active:
        raise Conflict(f"You are already working on operation {context['code']}.",
                       code="labour.already_started")
    placing = await _place(context, data.workstation if data else None)
    if context["status"] != "running" or placing:
        await _op_transition(uow, context, ("ready", "running", "paused"), "running",
                             "operation.start", updates={
                                 **placing, Operation.started_at: _now()}
                             if context["status"] == "ready" else placing)
    else:
        await uow.audit("operation.join", "operation", context["code"],
                        after={"operator": uow.actor.username})
    await _labour_event(uow, op_id, "start")
    await _start_order(uow, context)
    uow.emit("operation.started", str(op_id), *_op_topics(context))
    return await get_operation(op_id)


async def pause_operation(uow: UnitOfWork, op_id: int) -> s.OperationOut:
    """The operator stops working for now; when nobody works on it any more the operation is
    paused. A supervisor who is not working on it pauses everyone."""
    await _lock_operation(op_id)
    context = await _op_context(op_id)
    _check_op(context, ("running",), "paused")
    labour = (await labour_by_operation([op_id])).get(op_id, Labour())
    key = _user_key(uow)
    if key in labour.active:
        await _labour_event(uow, op_id, "pause")
        remaining = len(labour.active) - 1
    elif uow.actor.roles & SUPERVISING:
        await _end_labour(uow, [op_id], "pause")
        remaining = 0
    else:
        raise Conflict(f"You are not working on operation {context['code']}.",
                       code="labour.not_started")
    if remaining == 0:
        await _op_transition(uow, context, ("running",), "paused", "operation.pause")
    else:
        await uow.audit("operation.leave", "operation", context["code"],
                        after={"operator": uow.actor.username})
    uow.emit("operation.paused", str(op_id), *_op_topics(context))
    return await get_operation(op_id)


async def resume_operation(uow: UnitOfWork, op_id: int) -> s.OperationOut:
    """Back to work on a paused operation."""
    await _lock_operation(op_id)
    context = await _op_context(op_id)
    _check_order_open(context, "resume")
    _check_op(context, ("paused",), "resumed")
    await _op_transition(uow, context, ("paused",), "running", "operation.resume")
    await _labour_event(uow, op_id, "resume")
    uow.emit("operation.resumed", str(op_id), *_op_topics(context))
    return await get_operation(op_id)


async def complete_operation(uow: UnitOfWork, op_id: int) -> s.OperationOut:
    """The operation is done: everyone working on it stops, nothing more is reported here."""
    await _lock_operation(op_id)
    context = await _op_context(op_id)
    _check_order_open(context, "complete")
    _check_op(context, ("ready", "running", "paused"), "completed")
    await _end_labour(uow, [op_id], "complete")
    await _op_transition(uow, context, ("ready", "running", "paused"), "done",
                         "operation.complete", updates={Operation.completed_at: _now()})
    await _start_order(uow, context)
    uow.emit("operation.completed", str(op_id), *_op_topics(context))
    return await get_operation(op_id)


# --- the floor: reports ----------------------------------------------------------------------

@dataclass
class _Locked:
    """An operation and what a report on it changes, locked in the one lock order."""

    op: dict[str, Any]
    next: dict[str, Any] | None
    order: dict[str, Any]
    last_output_seq: int | None


# Reports are the commands the floor sends most: their statements are written once rather
# than built by Piccolo per call (see takt.platform.sql).
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
# then the operation and the next one (the lock order of _lock_order: FOR UPDATE OF locks
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
_SCRAP_REASON = Statement("SELECT id, kind, active FROM md_reason_code WHERE code = $1")
_INSERT_REPORT = Statement("""
    INSERT INTO pr_work_report (id, operation, work_order, kind, good, scrap, rework, held,
                                scrap_reason, voids, note, user_id, username, idempotency_key,
                                reported_at)
    VALUES ($15, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
    RETURNING id
""")
_ADD_TO_OPERATION = Statement("""
    UPDATE pr_operation SET good = $2, scrap = $3, held = $4, rework = $5,
                            version = version + 1
    WHERE id = $1
""")
_START_OPERATION_BY_REPORT = Statement("""
    UPDATE pr_operation SET good = $2, scrap = $3, held = $4, rework = $5, status = 'running',
                            started_at = $6, version = version + 1
    WHERE id = $1
""")
_PASS_ON = Statement("""
    UPDATE pr_operation SET available = $2, status = $3, version = version + 1 WHERE id = $1
""")
_ADD_TO_ORDER = Statement("""
    UPDATE pr_work_order SET good = $2, scrap = $3, held = $4, updated_at = $5,
                             version = version + 1
    WHERE id = $1
""")

_QUANTITIES = ("available", "good", "scrap", "held", "rework")


_OPERATION_FIELDS = {"op_id": "id", "op_seq": "seq", "op_status": "status",
                     "available": "available", "good": "good", "scrap": "scrap",
                     "held": "held", "rework": "rework",
                     "needs_inspection": "needs_inspection"}
_MATERIAL_FIELDS = ("position", "item", "unit", "required", "scan_to_consume", "stock_lot",
                    "stock_quantity")


def _material(values: list[Any]) -> dict[str, Any]:
    row = dict(zip(_MATERIAL_FIELDS, values, strict=True))
    row["required"] = Decimal(row["required"])
    if row["stock_quantity"] is not None:
        row["stock_quantity"] = Decimal(row["stock_quantity"])
    return row


async def _lock_for_report(op_id: int, *, consumed_at: int | None = None,
                           appends_history: bool = True
                           ) -> tuple[dict[str, Any], _Locked]:
    """Read an operation's context and lock its work order, then the operation and the next
    one (the lock order of :func:`_lock_order`). On PostgreSQL this is one statement, which
    also reads the operation's materials and the usable stock where they are consumed (the
    line side, or ``consumed_at``) into ``context["materials"]``; on SQLite that stays
    ``None`` and :func:`_stock_steps` reads them. With ``appends_history`` it takes the id
    of the history row the command appends (PostgreSQL), so report ids have no gaps from
    commands that append none."""
    postgres = db.engine().engine_type == "postgres"
    if postgres:
        rows = [dict(row) for row in
                await _LOCK_FOR_REPORT.fetch(op_id, consumed_at, appends_history)]
        found = rows[0] if rows else None
    else:
        found = await _ORDER_OF_OPERATION.fetchrow(op_id)
        if found is not None:
            rows = [dict(row) for row in
                    await _OPERATION_AND_NEXT.fetch(found["work_order_id"], found["seq"])]
    if found is None:
        raise NotFound(f"There is no operation with id {op_id}.", code="operation.not_found")
    context = dict(found)
    context["materials"] = [_material(values) for values in
                            msgspec.json.decode(context["materials"] or "[]")] if postgres else None
    operations = []
    for row in rows:
        operation = {name: row[column] for column, name in _OPERATION_FIELDS.items()}
        for name in _QUANTITIES:
            operation[name] = qty(operation[name])
        operation["needs_inspection"] = bool(operation["needs_inspection"])
        operations.append(operation)
    order = {"id": context["work_order_id"], "code": context["wo_code"],
             "status": context["wo_status"], "quantity": qty(context["wo_quantity"]),
             "good": qty(context["wo_good"]), "scrap": qty(context["wo_scrap"]),
             "held": qty(context["wo_held"])}
    context["status"] = operations[0]["status"]
    context["consumed_at"] = consumed_at
    return context, _Locked(op=operations[0], next=operations[1] if len(rows) > 1 else None,
                            order=order, last_output_seq=rows[0]["last_output_seq"])


def _history_row(uow: UnitOfWork, context: dict[str, Any], kind: str, *,
                 good: Decimal = ZERO, scrap: Decimal = ZERO, rework: Decimal = ZERO,
                 held: Decimal = ZERO, scrap_reason: tuple[int, str] | None = None,
                 voids: int | None = None, note: str = ""
                 ) -> tuple[s.ReportOut, tuple[Statement, tuple[Any, ...]]]:
    """The row a report, void or hold release appends to the report history: as the answer
    and as the statement writing it. Its ``id`` is the one :func:`_lock_for_report` took
    (PostgreSQL), or 0 until the row is written (SQLite)."""
    answer = s.ReportOut(
        id=context["report_id"] or 0, operation_id=context["id"], operation=context["code"],
        work_order=context["wo_code"], kind=kind, good=qty(good), scrap=qty(scrap),
        rework=qty(rework), held=qty(held),
        scrap_reason=scrap_reason[1] if scrap_reason else None, voids=voids, voided_by=None,
        note=note, username=uow.actor.username, reported_at=_now())
    return answer, (_INSERT_REPORT, (
        context["id"], context["work_order_id"], kind, six(good), six(scrap), six(rework),
        six(held), scrap_reason[0] if scrap_reason else None, voids, note, uow.actor.user_id,
        uow.actor.username, uow.idempotency_key, answer.reported_at, context["report_id"]))


async def _stock_steps(uow: UnitOfWork, context: dict[str, Any], order: dict[str, Any], *,
                       good: Decimal, scrap: Decimal, output: Decimal, note: str
                       ) -> list[tuple[Statement, tuple[Any, ...]]]:
    """What a report moves at the line: its operation's components backflushed for good +
    scrap (put back for a void), and the last output step's good output produced into the
    order's output lot (taken back for a void). Components flagged "scan to consume" are
    consumed by scanning their lot instead."""
    location = context["wip_location"]
    made = good + scrap
    if location is None or (made == 0 and output == 0):
        return []
    taken_from = context.get("consumed_at") or location
    needs: dict[int, Need] = {}
    at_line: dict[tuple[int, int | None], Decimal] = {}
    if made != 0:
        materials = context["materials"]
        if materials is None:
            materials = await _MATERIALS_AND_LINE_STOCK.fetch(context["id"], taken_from)
        for row in materials:
            if row["scan_to_consume"]:
                continue
            needs.setdefault(row["position"], Need(
                row["item"], row["unit"], qty(row["required"]) * abs(made) / order["quantity"]))
            if row["stock_quantity"] is not None:
                at_line[(row["item"], row["stock_lot"])] = six(row["stock_quantity"])
    # Every order's output is one production lot (whatever the item's batch flag), made at
    # its first report so the components consumed from then on link into it.
    lot_id = await _output_lot(uow, context) if made > 0 else context["output_lot"]
    code = order["code"]
    if made > 0:
        steps = await consume_steps(
            uow, location_id=taken_from, needs=list(needs.values()), work_order_code=code,
            into_lot_id=lot_id, note=note,
            at_line=[(item, lot, quantity) for (item, lot), quantity in at_line.items()])
    else:
        steps = await unconsume_steps(uow, location_id=taken_from, needs=list(needs.values()),
                                      work_order_code=code, note=note, from_lot_id=lot_id,
                                      reported_by=context.get("reported_by"))
    steps += output_steps(uow, location_id=location, item_id=context["wo_item"],
                          unit_id=context["wo_unit_id"], lot_id=lot_id, quantity=output,
                          work_order_code=code, note=note)
    if steps:
        # The line's boards already hear of the report (operation.reported on line:<code>);
        # screens following the line-side location hear of its stock.
        uow.emit("stock.moved", code, f"location:{context['wip_code']}")
    return steps


async def _apply(uow: UnitOfWork, context: dict[str, Any], locked: _Locked,
                 row: tuple[Statement, tuple[Any, ...]], *,
                 good: Decimal, scrap: Decimal, rework: Decimal, held: Decimal,
                 note: str = "", with_last_writes: bool = False) -> int:
    """Append the history ``row``, add its quantities to the operation, the next operation's
    availability and the work order's summary, and move the stock it consumes and produces
    at the line (one round trip); then start the order, or complete it when its produced
    quantity reaches the ordered one. Returns the row's id.

    ``with_last_writes``: nothing else in the command reads what these writes change, so
    when the row's id is known already (PostgreSQL) and the order neither starts nor
    completes, they go with the command's last writes instead: one round trip fewer."""
    op = locked.op
    totals = (six(op["good"] + good), six(op["scrap"] + scrap), six(op["held"] + held),
              six(op["rework"] + rework))
    steps = [row]
    if op["status"] == "ready" and good + scrap > 0:
        # Reported work means the operation has begun, with or without a start.
        steps.append((_START_OPERATION_BY_REPORT, (op["id"], *totals, _now())))
        await uow.audit("operation.start", "operation", context["code"],
                        before={"status": "ready"}, after={"status": "running"})
    else:
        steps.append((_ADD_TO_OPERATION, (op["id"], *totals)))
    passed = good - held
    following = locked.next
    if following is not None and passed != 0:
        available = following["available"] + passed
        status = following["status"]
        if status == "pending" and available > 0:
            status = "ready"
        elif (status == "ready" and available <= 0
              and following["good"] + following["scrap"] == 0):
            status = "pending"
        steps.append((_PASS_ON, (following["id"], six(available), status)))
    order = locked.order
    counts = op["seq"] == locked.last_output_seq
    produced = order["good"] + (good if counts else ZERO)
    steps.append((_ADD_TO_ORDER, (order["id"], six(produced), six(order["scrap"] + scrap),
                                  six(order["held"] + held), _now())))
    # The line's stock rows are shared by every report on the line: they go with the
    # command's last writes, so their row locks are held only for the final round trip.
    defer_line_steps(uow, await _stock_steps(uow, context, order, good=good, scrap=scrap,
                                             output=good if counts else ZERO, note=note))
    starts = good + scrap > 0 and context["wo_status"] == "released"
    completes = counts and good > 0 and produced >= order["quantity"] and (
        starts or context["wo_status"] == "in_progress")
    if with_last_writes and context["report_id"] is not None and not (starts or completes):
        uow.last_writes[:0] = steps
        return context["report_id"]
    row_id = (await run_together(*steps))[0]
    if starts:
        await _start_order(uow, context)
    if completes:
        order_row = {"id": order["id"], "code": order["code"], "status": "in_progress"}
        await _transition(uow, order_row, ("in_progress",), "completed", "work_order.complete",
                          verb="completed", updates={WorkOrder.completed_at: _now()})
        await _finish_operations(uow, order["id"])
        uow.emit("work_order.completed", order["code"], f"wo:{order['code']}",
                 *([f"line:{context['wo_line']}"] if context["wo_line"] else []))
    return row_id


async def _scrap_reason(code: str | None) -> tuple[int, str]:
    if code is None:
        raise Invalid("Scrap needs a reason: choose a scrap reason code.",
                      code="report.scrap_reason_required", field="scrap_reason")
    code = code.upper()
    reason = await _SCRAP_REASON.fetchrow(code)
    if reason is None or reason["kind"] != "scrap" or not reason["active"]:
        raise Invalid(f"{code} is not an active scrap reason code.",
                      code="report.bad_scrap_reason", field="scrap_reason")
    return reason["id"], code


async def report_work(uow: UnitOfWork, op_id: int, data: s.ReportIn, *,
                      consumed_at: int | None = None, hold: bool | None = None,
                      nothing_follows: bool = False) -> s.ReportOut:
    """Report good and scrap on an operation: an append-only row, the summaries updated with
    it. Good + scrap never exceed what is available to the operation; on an operation that
    needs in-process inspection good quantity is held until released; ``hold`` overrides
    that (a receipt from a supplier: held at its last step for incoming inspection, never at
    the steps the supplier did before it). Components are consumed from the line-side
    location, or from ``consumed_at`` (a supplier's location, for outsourced work).
    ``nothing_follows``: the command reads nothing the report changes after it (see
    :func:`_apply`)."""
    if data.good + data.scrap + data.rework <= 0:
        raise Invalid("Report some good, scrap or rework quantity.", code="report.empty")
    scrap_reason = await _scrap_reason(data.scrap_reason) if data.scrap > 0 else None
    context, locked = await _lock_for_report(op_id, consumed_at=consumed_at)
    for name in ("good", "scrap", "rework"):
        _check_quantity(getattr(data, name), context["decimals"], context["unit"], name)
    op = locked.op
    _check_order_open(context, "report on")
    _check_op(context, ("pending", "ready", "running", "paused"), "reported on")
    remaining = op["available"] - op["good"] - op["scrap"]
    if data.good + data.scrap > remaining:
        unit = context["unit"]
        if op["available"] <= 0:
            sentence = (f"Nothing is available to operation {context['code']} yet: the "
                        "previous step has passed on no good parts.")
        else:
            sentence = (f"Only {qty(max(remaining, ZERO))} {unit} are available to operation "
                        f"{context['code']} ({qty(op['available'])} in all, "
                        f"{qty(op['good'] + op['scrap'])} reported)")
            sentence += f"; you reported {qty(data.good + data.scrap)} {unit}."
        raise Conflict(sentence, code="report.exceeds_available",
                       available=str(qty(max(remaining, ZERO))))
    held = data.good if (op["needs_inspection"] if hold is None else hold) else ZERO
    answer, row = _history_row(uow, context, "report", good=data.good, scrap=data.scrap,
                               rework=data.rework, held=held, scrap_reason=scrap_reason,
                               note=data.note)
    report = msgspec.structs.replace(answer, id=await _apply(
        uow, context, locked, row, good=data.good, scrap=data.scrap, rework=data.rework,
        held=held, with_last_writes=nothing_follows))
    await uow.audit("work_report.create", "operation", context["code"], after={
        "report": report.id, "good": str(report.good), "scrap": str(report.scrap),
        "rework": str(report.rework), "held": str(report.held),
        "scrap_reason": report.scrap_reason})
    uow.emit("operation.reported", str(op_id), *_op_topics(context))
    return report


OUTSOURCED_RECEIPT_NOTE = "received from supplier on "
"""The note of the reports an outsourced receipt makes, followed by the outsource order's
code (:mod:`takt.production.outsourcing`); a void finds the supplier's location by it."""

# Where a report consumed its components: the line side, or a supplier's location for an
# outsourced receipt. The report row does not say; its consume movements do. They carry the
# command's idempotency key, as the report does (one command, one key). A receipt sent
# without a key is known by its note, naming an outsource order of the work order that
# covers the operation. NULL: the line side.
_CONSUMED_AT = Statement(f"""
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


_LOCK_OUTSOURCE_ORDER = Statement("""
    SELECT id, code, first_seq, last_seq FROM pr_outsource_order WHERE code = $1 FOR UPDATE
""")
_UNRECEIVE = Statement("""
    UPDATE pr_outsource_order SET received = received - $2, scrapped = scrapped - $3,
                                  status = 'open', updated_at = $4, version = version + 1
    WHERE id = $1
""")


async def _unreceive(uow: UnitOfWork, report_id: int, oso_code: str, *,
                     good: Decimal, scrap: Decimal) -> None:
    """A voided receipt from a supplier: its parts count as at the supplier again, so the
    outsource order is open for them (locked after the work order, as a receipt does). A
    receipt over several operations is one report on each; voiding one of them would leave
    the others counted, so that is refused."""
    oso = await _LOCK_OUTSOURCE_ORDER.fetchrow(oso_code)
    if oso is None:
        return
    if oso["first_seq"] != oso["last_seq"]:
        raise Conflict(
            f"Report {report_id} is part of a receipt of outsource order {oso['code']}, which "
            f"covers operations {oso['first_seq']} to {oso['last_seq']} with one report each; "
            "voiding one of them would leave the others counted. Receipts over several "
            "operations cannot be voided.", code="report.outsourced_receipt")
    uow.last_writes.append((_UNRECEIVE, (oso["id"], six(good), six(scrap), _now())))
    await uow.audit("outsource.receipt_void", "outsource_order", oso["code"],
                    after={"report": report_id, "good": str(-good), "scrap": str(-scrap),
                           "status": "open"})


async def void_report(uow: UnitOfWork, report_id: int, data: s.VoidIn, *,
                      nothing_follows: bool = False) -> s.ReportOut:
    """Reverse a report with a negated row (audited); the report itself stays as it was.
    Its components go back where it consumed them (the line side, or the supplier's location
    for an outsourced receipt). ``nothing_follows`` as for :func:`report_work`."""
    rows = await _report_rows(WorkReport.id == report_id)
    if not rows:
        raise NotFound(f"There is no work report with id {report_id}.",
                       code="report.not_found")
    report = rows[0]
    if report["kind"] != "report":
        raise Conflict(f"Row {report_id} is a {report['kind'].replace('_', ' ')}, not a report; "
                       "only reports can be voided.", code="report.not_voidable")
    context, locked = await _lock_for_report(
        report["operation"], consumed_at=await _CONSUMED_AT.fetchval(report_id))
    if await WorkReport.exists().where(WorkReport.voids == report_id):
        raise Conflict(f"Report {report_id} is already voided.", code="report.already_voided")
    if locked.order["status"] in ("closed", "cancelled"):
        raise Conflict(f"Work order {context['wo_code']} is {_words(locked.order['status'])}; "
                       "its reports can no longer be voided.", code="work_order.not_open",
                       current_status=locked.order["status"])
    # Its components go back into the lots its own movements consumed.
    context["reported_by"] = (report["idempotency_key"], report["username"])
    op = locked.op
    good, scrap, rework = qty(report["good"]), qty(report["scrap"]), qty(report["rework"])
    if report["note"].startswith(OUTSOURCED_RECEIPT_NOTE):
        await _unreceive(uow, report_id, report["note"][len(OUTSOURCED_RECEIPT_NOTE):],
                         good=good, scrap=scrap)
    # Held good (an inspected step's, or an outsourced receipt's awaiting incoming
    # inspection) never reached the next step: take the void out of it first.
    held = -min(good, max(op["held"], ZERO))
    passed = -good - held
    following = locked.next
    if following is not None and passed < 0:
        used = following["good"] + following["scrap"]
        if following["available"] + passed < used:
            raise Conflict(f"The next operation has already reported parts that came from this "
                           f"report ({qty(used)} {context['unit']} there); void those reports "
                           "first.", code="report.used_downstream")
    answer, row = _history_row(uow, context, "void", good=-good, scrap=-scrap, rework=-rework,
                               held=held, voids=report_id, note=data.reason)
    void = msgspec.structs.replace(answer, id=await _apply(
        uow, context, locked, row, good=-good, scrap=-scrap, rework=-rework, held=held,
        note=f"void of report {report_id}", with_last_writes=nothing_follows))
    await uow.audit("work_report.void", "operation", context["code"],
                    before={"report": report_id, "good": str(good), "scrap": str(scrap)},
                    after={"void": void.id, "reason": data.reason})
    if op["seq"] == locked.last_output_seq:
        # A unit reported by scanning its serial (only ever here): the serial is generated
        # again, out of the output lot, and its label reports the unit once more.
        await unproduce_for_report(uow, report_id=report_id, void_id=void.id,
                                   operation_id=report["operation"], note=report["note"])
    uow.emit("operation.reported", str(report["operation"]), *_op_topics(context))
    return void


_SCANNED_MATERIAL = Statement("""
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


async def _output_lot(uow: UnitOfWork, context: dict[str, Any]) -> int:
    """The order's output lot, made by its first report. The context may have been read
    before a wait for the order's lock, during which another report made the lot: read
    again (now under the lock) before making one."""
    if context["output_lot"] is None:
        context["output_lot"] = await OUTPUT_LOT.fetchval(context["wo_code"])
    if context["output_lot"] is None:
        context["output_lot"] = (await create_lot(
            uow, item_id=context["wo_item"], origin="production",
            work_order_code=context["wo_code"])).id
    return context["output_lot"]


async def consume_scanned(uow: UnitOfWork, op_id: int, data: s.ConsumeIn) -> s.ConsumedOut:
    """Consume a lot of a "scan to consume" component of the operation from the line-side
    location into the order's output lot: which lot went into which output, exactly."""
    context, _ = await _lock_for_report(op_id, appends_history=False)
    _check_order_open(context, "consume material on")
    _check_op(context, ("ready", "running", "paused"), "given material")
    lot_code = data.lot_code.upper()
    found = await _SCANNED_MATERIAL.fetchrow(op_id, lot_code, context["wip_location"])
    if found is None:
        raise Invalid(f"There is no lot {lot_code}.", code="reference.unknown",
                      field="lot_code")
    if found["item"] is None:
        raise Conflict(f"Lot {lot_code} is {found['lot_item_code']}, which operation "
                       f"{context['code']} does not consume by scanning.",
                       code="consume.not_a_scanned_component", lot_code=lot_code)
    if context["wip_location"] is None:
        raise Conflict(f"The line of operation {context['code']} has no line-side location.",
                       code="consume.no_line_side")
    per_unit = qty(found["required"]) / qty(context["wo_quantity"])
    quantity = data.quantity if data.quantity is not None else qty(six(per_unit))
    output_lot = await _output_lot(uow, context)
    posted = await post_movement(
        uow, "consume", item_id=found["item"], quantity=quantity, lot_id=found["lot_id"],
        from_location_id=context["wip_location"], document_type="work_order",
        document_code=context["wo_code"], note=f"scanned at operation {context['code']}")
    await link_lots(uow, parent_lot_id=found["lot_id"], child_lot_id=output_lot,
                    quantity=posted.quantity, document_type="work_order",
                    document_code=context["wo_code"])
    output_code = (await Lot.select(Lot.code).where(Lot.id == output_lot).first())["code"]
    out = s.ConsumedOut(operation_id=op_id, work_order=context["wo_code"],
                        item_code=posted.item_code, lot_code=lot_code,
                        quantity=posted.quantity, unit=posted.unit,
                        from_location_code=found["wip_code"], output_lot_code=output_code)
    await uow.audit("operation.consume", "operation", context["code"],
                    after=msgspec.to_builtins(out))
    uow.emit("operation.consumed", str(op_id), *_op_topics(context))
    return out


async def release_hold(uow: UnitOfWork, op_id: int, data: s.ReleaseHoldIn) -> s.OperationOut:
    """Pass good quantity held for in-process inspection on to the next operation (all of it
    when no quantity is given)."""
    context, locked = await _lock_for_report(op_id)
    op = locked.op
    if locked.order["status"] in ("closed", "cancelled"):
        raise Conflict(f"Work order {context['wo_code']} is {_words(locked.order['status'])}.",
                       code="work_order.not_open", current_status=locked.order["status"])
    if op["held"] <= 0:
        raise Conflict(f"Operation {context['code']} holds nothing awaiting inspection.",
                       code="hold.nothing_held")
    quantity = op["held"] if data.quantity is None else data.quantity
    _check_quantity(quantity, context["decimals"], context["unit"], "quantity")
    if quantity > op["held"]:
        raise Conflict(f"Operation {context['code']} holds only {qty(op['held'])} "
                       f"{context['unit']} awaiting inspection.", code="hold.exceeds_held",
                       held=str(qty(op["held"])))
    _, row = _history_row(uow, context, "release_hold", held=-quantity)
    await _apply(uow, context, locked, row, good=ZERO, scrap=ZERO, rework=ZERO, held=-quantity)
    await uow.audit("operation.release_hold", "operation", context["code"],
                    before={"held": str(qty(op["held"]))},
                    after={"held": str(qty(op["held"] - quantity)),
                           "released": str(qty(quantity))})
    uow.emit("operation.hold_released", str(op_id), *_op_topics(context))
    return await get_operation(op_id)
