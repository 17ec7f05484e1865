"""Reading production: work orders with their operations, operations with their material and
labour, report histories. Nothing here writes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.custom_types import Combinable
from piccolo.query.functions.aggregate import Max

from takt.platform.errors import NotFound
from takt.platform.i18n import Message
from takt.production import schemas as s
from takt.production.common import (
    OPEN_STATUSES,
    ZERO,
    as_utc,
    operation_line,
    qty,
    select_as,
    utc_now,
)
from takt.production.tables import LabourEvent, Operation, OperationMaterial, WorkOrder, WorkReport

__all__ = [
    "Labour",
    "get_operation",
    "get_work_order",
    "labour_by_operation",
    "list_reports",
    "list_work_orders",
    "report_rows",
    "work_order_row",
]


def _late(status: str, due_at: datetime | None, projected_end: datetime | None,
          now: datetime) -> bool:
    if due_at is None or status not in OPEN_STATUSES:
        return False
    return now > due_at or (projected_end is not None and projected_end > due_at)



_WO_COLUMNS = {
    "id": WorkOrder.id, "code": WorkOrder.code, "status": WorkOrder.status,
    "quantity": WorkOrder.quantity, "good": WorkOrder.good, "scrap": WorkOrder.scrap,
    "held": WorkOrder.held, "due_at": WorkOrder.due_at, "priority": WorkOrder.priority,
    "customer_order_ref": WorkOrder.customer_order_ref, "lot": WorkOrder.lot,
    "version": WorkOrder.version, "item_code": WorkOrder.item.code,
    "item_name": WorkOrder.item.name, "unit": WorkOrder.item._.unit.code,
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
    "ws_line": Operation.workstation._.line.code,
    "sws_line": Operation.scheduled_workstation._.line.code,
    "wo_line": Operation.work_order._.line.code,
    "unit": Operation.work_order._.item._.unit.code,
    "container_quantity": Operation.work_order._.item.container_quantity,
}


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
    now = now or utc_now()
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
            workstation_type=row["workstation_type"],
            line=operation_line(row.get("sws_line"), row.get("ws_line"), row.get("wo_line")),
            available=qty(remaining), available_total=total, good=qty(row["good"]),
            scrap=qty(row["scrap"]), held=qty(row["held"]), rework=qty(row["rework"]),
            setup_s=qty(row["setup_s"]), cycle_s=qty(row["cycle_s"]),
            counts_output=row["counts_output"], needs_inspection=row["needs_inspection"],
            instructions=row["instructions"],
            scheduled_workstation=row["scheduled_workstation"],
            scheduled_start=row["scheduled_start"], scheduled_end=row["scheduled_end"],
            started_at=row["started_at"], completed_at=row["completed_at"],
            operators=work.operators, labour_s=round(work.seconds), unit=row["unit"],
            container_quantity=(qty(row["container_quantity"])
                                if row["container_quantity"] is not None else None),
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


async def work_order_row(code: str) -> dict[str, Any]:
    """A work order's own columns by its code (any case, spaces around it ignored).

    Raises:
        NotFound: ``work_order.not_found``.
    """
    row = await select_as(WorkOrder, _WO_DETAIL_COLUMNS).where(
        WorkOrder.code == code.strip().upper()).first()
    if row is None:
        raise NotFound(Message("There is no work order {code}.", code=code.strip().upper()),
                       code="work_order.not_found")
    return row


async def get_work_order(code: str) -> s.WorkOrderOut:
    """A work order with its operations, their material and who works on them."""
    row = await work_order_row(code)
    ops = await select_as(Operation, _OP_COLUMNS).where(
        Operation.work_order == row["id"]).order_by(Operation.seq)
    parent = None
    if row["parent_id"] is not None:
        parent_row = await WorkOrder.select(WorkOrder.code).where(
            WorkOrder.id == row["parent_id"]).first()
        parent = parent_row["code"] if parent_row else None
    now = utc_now()
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
    now = utc_now()
    conditions: list[Combinable] = []
    if status:
        conditions.append(WorkOrder.status.is_in(
            [part.strip() for part in status.split(",") if part.strip()]))
    if item_code:
        conditions.append(WorkOrder.item.code == item_code.strip().upper())
    if line:
        conditions.append(WorkOrder.line.code == line.strip().upper())
    if q:
        conditions.append(WorkOrder.code.ilike(f"%{q}%")
                          | WorkOrder.item.code.ilike(f"%{q}%")
                          | WorkOrder.item.name.ilike(f"%{q}%")
                          | WorkOrder.customer_order_ref.ilike(f"%{q}%")
                          | WorkOrder.lot.ilike(f"%{q}%"))
    if late is True:
        conditions.append(_late_condition(now))
    query = select_as(WorkOrder, _WO_COLUMNS).order_by(WorkOrder.id, ascending=False)
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
    rows = await select_as(Operation, _OP_COLUMNS).where(Operation.id == op_id)
    if not rows:
        raise NotFound(Message("There is no operation with id {op_id}.", op_id=op_id),
                       code="operation.not_found")
    return (await _shape_operations(rows))[0]


async def list_reports(op_id: int) -> list[s.ReportOut]:
    """The report history of an operation, oldest first, voids and hold releases included."""
    if not await Operation.exists().where(Operation.id == op_id):
        raise NotFound(Message("There is no operation with id {op_id}.", op_id=op_id),
                       code="operation.not_found")
    rows = await report_rows(WorkReport.operation == op_id)
    voided_by = {row["voids"]: row["id"] for row in rows if row["voids"] is not None}
    return [_report_out(row, voided_by.get(row["id"])) for row in rows]


async def report_rows(condition: Any) -> list[dict[str, Any]]:
    return await WorkReport.select(
        WorkReport.id, WorkReport.operation, WorkReport.operation.code.as_alias("op_code"),
        WorkReport.work_order.code.as_alias("wo_code"), WorkReport.kind, WorkReport.good,
        WorkReport.scrap, WorkReport.rework, WorkReport.held,
        WorkReport.scrap_reason.code.as_alias("scrap_reason_code"), WorkReport.voids,
        WorkReport.note, WorkReport.username, WorkReport.user_id, WorkReport.reported_at,
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
