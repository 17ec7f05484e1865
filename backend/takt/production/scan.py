"""What scanning a work order or operation label means, and what each role may do next.

The actions offered depend on the record's state: a draft can be released, an order with
ready or running operations can be reported on, held quantity can be released.
"""

from __future__ import annotations

from takt.platform.records import Record, register_kind
from takt.production.services import qty
from takt.production.tables import Operation, WorkOrder

__all__ = ["register_record_kinds"]

EVERYONE = {"admin", "planner", "operator", "inspector", "maintainer", "supervisor"}
PRINTERS = {"admin", "planner", "supervisor"}
FLOOR = {"operator", "supervisor"}
PLANNERS = {"admin", "planner"}


def _due(value: object) -> str:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else ""


async def _work_order(code: str) -> Record | None:
    row = await WorkOrder.select(
        WorkOrder.id, WorkOrder.code, WorkOrder.status, WorkOrder.quantity, WorkOrder.due_at,
        WorkOrder.item.code.as_alias("item_code"), WorkOrder.item.name.as_alias("item_name"),
        WorkOrder.item.unit.code.as_alias("unit"), WorkOrder.line.code.as_alias("line"),
    ).where(WorkOrder.code == code).first()
    if row is None:
        return None
    status = row["status"]
    offers = {"view_work_order", "print_label"}
    if status == "draft":
        offers.add("release")
    if status in ("released", "in_progress"):
        offers.add("hold")
        if await Operation.exists().where(Operation.work_order == row["id"],
                                          Operation.status.is_in(["ready", "running",
                                                                  "paused"])):
            offers.add("report_work")
    if status == "on_hold":
        offers.add("resume")
    return Record("WO", row["id"], row["code"], row["item_name"], status, {
        "item_code": row["item_code"], "quantity": str(qty(row["quantity"])),
        "unit": row["unit"], "line": row["line"] or "", "due": _due(row["due_at"]),
        "status": status,
    }, offers=frozenset(offers))


async def _operation(code: str) -> Record | None:
    row = await Operation.select(
        Operation.id, Operation.code, Operation.seq, Operation.name, Operation.status,
        Operation.held, Operation.work_order.code.as_alias("work_order"),
        Operation.work_order.quantity.as_alias("quantity"),
        Operation.work_order.item.unit.code.as_alias("unit"),
        Operation.workstation.code.as_alias("workstation"),
        Operation.scheduled_workstation.code.as_alias("scheduled_workstation"),
        Operation.workstation_type.code.as_alias("workstation_type"),
    ).where(Operation.code == code).first()
    if row is None:
        return None
    status = row["status"]
    offers = {"view_operation", "print_label"}
    if status in ("ready", "paused", "running"):
        offers |= {"start_work", "report_work"}
    if status == "running":
        offers |= {"pause", "complete"}
    if status == "paused":
        offers |= {"resume", "complete"}
    if status == "ready":
        offers.add("complete")
    if qty(row["held"]) > 0:
        offers.add("release_hold")
    place = row["scheduled_workstation"] or row["workstation"] or row["workstation_type"] or ""
    return Record("OP", row["id"], row["code"], row["name"], status, {
        "work_order": row["work_order"], "sequence": str(row["seq"]), "workstation": place,
        "quantity": str(qty(row["quantity"])), "unit": row["unit"], "status": status,
    }, offers=frozenset(offers))


def register_record_kinds() -> None:
    """Register production's label kinds with the scan and label registry."""
    register_kind("WO", _work_order, {
        "view_work_order": EVERYONE,
        "release": PLANNERS,
        "report_work": FLOOR,
        "hold": PLANNERS | {"supervisor"},
        "resume": PLANNERS | {"supervisor"},
        "print_label": PRINTERS,
    })
    register_kind("OP", _operation, {
        "view_operation": EVERYONE,
        "start_work": FLOOR,
        "report_work": FLOOR,
        "pause": FLOOR,
        "resume": FLOOR,
        "complete": FLOOR,
        "release_hold": {"supervisor"},
        "print_label": PRINTERS,
    })
