"""What scanning a work order or operation label means, and what each role may do next.

The actions offered depend on the record's state: a draft can be released, an order with
ready or running operations can be reported on, held quantity can be released.
"""

from __future__ import annotations

from takt.platform.records import Record, register_kind
from takt.platform.roles import (
    EVERYONE,
    FLOOR,
    LABEL_PRINTERS,
    PLANNERS,
    PLANNERS_AND_SUPERVISORS,
    SUPERVISORS,
)
from takt.platform.sql import Statement
from takt.production.common import REOPENABLE, qty

__all__ = ["register_record_kinds"]

def _due(value: object) -> str:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else ""


_WORK_ORDER = Statement("""
    SELECT w.id, w.code, w.status, w.quantity, w.due_at, i.code AS item_code,
           i.name AS item_name, u.code AS unit, l.code AS line,
           EXISTS (SELECT 1 FROM pr_operation o WHERE o.work_order = w.id
                   AND o.status IN ('ready', 'running', 'paused')) AS reportable
    FROM pr_work_order w
    JOIN md_item i ON i.id = w.item
    JOIN md_unit u ON u.id = i.unit
    LEFT JOIN md_line l ON l.id = w.line
    WHERE w.code = $1
""")


async def _work_order(code: str) -> Record | None:
    row = await _WORK_ORDER.fetchrow(code)
    if row is None:
        return None
    status = row["status"]
    offers = {"view_work_order", "print_label"}
    if status == "draft":
        offers.add("release")
    if status in ("released", "in_progress"):
        offers |= {"hold", "pick"}
        if row["reportable"]:
            offers.add("report_work")
    if status == "on_hold":
        offers.add("resume")
    return Record("WO", row["id"], row["code"], row["item_name"], status, {
        "item_code": row["item_code"], "quantity": str(qty(row["quantity"])),
        "unit": row["unit"], "line": row["line"] or "", "due": _due(row["due_at"]),
        "status": status,
    }, offers=frozenset(offers))


_OPERATION = Statement("""
    SELECT o.id, o.code, o.seq, o.name, o.status, o.held, w.code AS work_order,
           w.status AS wo_status,
           w.quantity, u.code AS unit, ws.code AS workstation,
           sws.code AS scheduled_workstation, wt.code AS workstation_type
    FROM pr_operation o
    JOIN pr_work_order w ON w.id = o.work_order
    JOIN md_item i ON i.id = w.item
    JOIN md_unit u ON u.id = i.unit
    LEFT JOIN md_workstation ws ON ws.id = o.workstation
    LEFT JOIN md_workstation sws ON sws.id = o.scheduled_workstation
    LEFT JOIN md_workstation_type wt ON wt.id = o.workstation_type
    WHERE o.code = $1
""")


async def _operation(code: str) -> Record | None:
    row = await _OPERATION.fetchrow(code)
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
    if status == "done" and row["wo_status"] in REOPENABLE:
        offers.add("reopen")
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
        "pick": FLOOR,
        "hold": PLANNERS_AND_SUPERVISORS,
        "resume": PLANNERS_AND_SUPERVISORS,
        "print_label": LABEL_PRINTERS,
    })
    register_kind("OP", _operation, {
        "view_operation": EVERYONE,
        "start_work": FLOOR,
        "report_work": FLOOR,
        "pause": FLOOR,
        "resume": FLOOR,
        "complete": FLOOR,
        "release_hold": SUPERVISORS,
        "reopen": SUPERVISORS,
        "print_label": LABEL_PRINTERS,
    })
