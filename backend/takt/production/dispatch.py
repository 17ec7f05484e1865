"""What the floor reads: a workstation's dispatch list and a line's live board.

Both are read models over the production tables: an operation runs at its scheduled
workstation, else at the workstation its route step names; an operation that names only a
workstation type and is not yet placed shows in the queue of every workstation of that type.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from datetime import UTC, datetime, time
from decimal import ROUND_DOWN, Decimal
from typing import Any

from piccolo.query.functions.aggregate import Max

from takt.masterdata.tables import Equipment, Line, Workstation
from takt.platform.errors import NotFound
from takt.platform.i18n import Message
from takt.production import schemas as s
from takt.production.common import OPEN_STATUSES, as_utc, qty
from takt.production.materials import material_status
from takt.production.queries import labour_by_operation, list_work_orders
from takt.production.tables import Operation, WorkReport

__all__ = ["line_board", "today_start", "workstation_queue"]

ZERO = Decimal(0)
QUEUED_ORDERS = ("released", "in_progress", "on_hold")
_FAR = datetime.max.replace(tzinfo=UTC)


def today_start(now: datetime, time_zone: str) -> datetime:
    """Midnight of ``now``'s day in a site's time zone, as a UTC time."""
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    local = now.astimezone(zone)
    return datetime.combine(local.date(), time(0), tzinfo=zone).astimezone(UTC)


_QUEUE_COLUMNS = {
    "id": Operation.id, "code": Operation.code, "seq": Operation.seq, "name": Operation.name,
    "status": Operation.status, "available_total": Operation.available,
    "good": Operation.good, "scrap": Operation.scrap, "held": Operation.held,
    "scheduled_start": Operation.scheduled_start, "scheduled_end": Operation.scheduled_end,
    "workstation_id": Operation.workstation,
    "scheduled_workstation_id": Operation.scheduled_workstation,
    "work_order": Operation.work_order.code, "wo_status": Operation.work_order.status,
    "item_code": Operation.work_order._.item.code,
    "item_name": Operation.work_order._.item.name,
    "unit": Operation.work_order._.item._.unit.code, "quantity": Operation.work_order.quantity,
    "decimals": Operation.work_order._.item._.unit.decimals,
    "priority": Operation.work_order.priority, "due_at": Operation.work_order.due_at,
}


def _sort_key(row: dict[str, Any]) -> tuple[Any, ...]:
    """Scheduled start first, then the most urgent order, then the earliest due, then step."""
    return (row["scheduled_start"] or _FAR, -row["priority"], row["due_at"] or _FAR,
            row["work_order"], row["seq"])


def _remaining(row: dict[str, Any]) -> Decimal:
    return qty(max(qty(row["available_total"]) - qty(row["good"]) - qty(row["scrap"]), ZERO))


async def _workstation(code: str) -> dict[str, Any]:
    row = await Workstation.select(
        Workstation.id, Workstation.code, Workstation.name, Workstation.workstation_type,
        Workstation.line.code.as_alias("line"),
    ).where(Workstation.code == code.strip().upper()).first()
    if row is None:
        raise NotFound(Message("There is no workstation {code}.", code=code.strip().upper()),
                       code="workstation.not_found")
    return row


async def workstation_queue(code: str) -> s.QueueOut:
    """The operations a workstation still has to run, in the order to run them."""
    ws = await _workstation(code)
    placed_here = (Operation.scheduled_workstation == ws["id"]) | (
        Operation.scheduled_workstation.is_null() & (Operation.workstation == ws["id"]))
    condition = placed_here
    if ws["workstation_type"] is not None:
        condition = condition | (
            Operation.scheduled_workstation.is_null() & Operation.workstation.is_null()
            & (Operation.workstation_type == ws["workstation_type"]))
    rows = await Operation.select(*(column.as_alias(name)
                                    for name, column in _QUEUE_COLUMNS.items())).where(
        condition, Operation.status != "done",
        Operation.work_order.status.is_in(list(QUEUED_ORDERS)))
    rows.sort(key=_sort_key)
    labour = await labour_by_operation([row["id"] for row in rows])
    material = await material_status(rows, ws["line"])
    now = datetime.now(UTC)
    data = []
    for row in rows:
        due = row["due_at"]
        late = due is not None and (now > due or (row["scheduled_end"] is not None
                                                  and row["scheduled_end"] > due))
        data.append(s.QueueEntry(
            id=row["id"], code=row["code"], seq=row["seq"], name=row["name"],
            status=row["status"], work_order=row["work_order"], item_code=row["item_code"],
            item_name=row["item_name"], quantity=qty(row["quantity"]),
            available=_remaining(row), good=qty(row["good"]), scrap=qty(row["scrap"]),
            held=qty(row["held"]), unit=row["unit"], priority=row["priority"], due_at=due,
            late=late and row["wo_status"] in OPEN_STATUSES,
            scheduled_start=row["scheduled_start"], scheduled_end=row["scheduled_end"],
            placed=(row["scheduled_workstation_id"] or row["workstation_id"]) is not None,
            operators=labour[row["id"]].operators if row["id"] in labour else [],
            material=material[row["id"]][0], short_of=material[row["id"]][1]))
    return s.QueueOut(workstation=ws["code"], line=ws["line"], data=data, total=len(data))


def _place(row: dict[str, Any]) -> int:
    """The workstation an operation is at: where it is scheduled, else where it was put
    (every row read here was selected by one of the two)."""
    place: int = row["scheduled_workstation_id"] or row["workstation_id"]
    return place


def _planned(row: dict[str, Any], since: datetime, now: datetime) -> Decimal:
    """How much of an operation the schedule expected between ``since`` and ``now``: its
    quantity spread evenly over its scheduled span, in what its unit counts (whole pieces
    finished, not 4.75 of them: rounded down to the unit's decimals)."""
    start, end = row["scheduled_start"], row["scheduled_end"]
    if start is None or end is None or end <= start:
        return ZERO
    overlap = (min(now, end) - max(since, start)).total_seconds()
    if overlap <= 0:
        return ZERO
    share = Decimal(str(overlap / (end - start).total_seconds()))
    expected = qty(row["quantity"]) * min(share, Decimal(1))
    return expected.quantize(Decimal(1).scaleb(-row["decimals"]), rounding=ROUND_DOWN)


async def line_board(code: str) -> s.BoardOut:
    """A line's workstations (state, current operation, plan and output today) and its late
    orders. "Today" is the site's day."""
    line = await Line.select(Line.id, Line.code, Line.name,
                             Line.area._.site.time_zone.as_alias("time_zone")).where(
        Line.code == code.strip().upper()).first()
    if line is None:
        raise NotFound(Message("There is no line {code}.", code=code.strip().upper()),
                       code="line.not_found")
    now = datetime.now(UTC)
    since = today_start(now, line["time_zone"])
    stations = await Workstation.select(Workstation.id, Workstation.code, Workstation.name
                                        ).where(Workstation.line == line["id"],
                                                Workstation.active == True  # noqa: E712
                                                ).order_by(Workstation.code)
    ids = [ws["id"] for ws in stations]
    down: set[int] = set()
    current: dict[int, dict[str, Any]] = {}
    states: dict[int, s.WorkstationState] = {}
    plan: dict[int, Decimal] = defaultdict(lambda: ZERO)
    good: dict[int, Decimal] = defaultdict(lambda: ZERO)
    scrap: dict[int, Decimal] = defaultdict(lambda: ZERO)
    labour: dict[int, Any] = {}
    if ids:
        for row in await Equipment.select(Equipment.workstation).where(
                Equipment.workstation.is_in(ids), Equipment.status == "down",
                Equipment.active == True):  # noqa: E712
            down.add(row["workstation"])
        here = Operation.scheduled_workstation.is_in(ids) | (
            Operation.scheduled_workstation.is_null() & Operation.workstation.is_in(ids))
        active_ops = await Operation.select(*(
            column.as_alias(name) for name, column in _QUEUE_COLUMNS.items())).where(
            here, Operation.status.is_in(["running", "paused"]))
        active_ops.sort(key=lambda row: (row["status"] != "running", *_sort_key(row)))
        for row in active_ops:
            place = _place(row)
            current.setdefault(place, row)
            states.setdefault(place, row["status"])
        labour = await labour_by_operation([row["id"] for row in current.values()])
        scheduled = await Operation.select(*(
            column.as_alias(name) for name, column in _QUEUE_COLUMNS.items())).where(
            here, Operation.scheduled_start < now, Operation.scheduled_end > since)
        for row in scheduled:
            plan[_place(row)] += _planned(row, since, now)
        reports = await WorkReport.select(
            WorkReport.good, WorkReport.scrap,
            WorkReport.operation.workstation.as_alias("workstation_id"),
            WorkReport.operation.scheduled_workstation.as_alias("scheduled_workstation_id"),
        ).where(WorkReport.reported_at >= since, WorkReport.kind != "release_hold",
                WorkReport.operation.scheduled_workstation.is_in(ids)
                | WorkReport.operation.workstation.is_in(ids))
        for row in reports:
            place = _place(row)
            good[place] += qty(row["good"])
            scrap[place] += qty(row["scrap"])
    board = []
    for ws in stations:
        op = current.get(ws["id"])
        state = "down" if ws["id"] in down else states.get(ws["id"], "idle")
        board.append(s.BoardWorkstation(
            code=ws["code"], name=ws["name"], state=state,
            current=s.CurrentOperation(
                id=op["id"], code=op["code"], work_order=op["work_order"],
                item_code=op["item_code"], status=op["status"], good=qty(op["good"]),
                scrap=qty(op["scrap"]), available=_remaining(op), quantity=qty(op["quantity"]),
                operators=labour[op["id"]].operators if op["id"] in labour else [],
            ) if op else None,
            plan_good=qty(plan[ws["id"]]),
            good_today=qty(good[ws["id"]]), scrap_today=qty(scrap[ws["id"]])))
    late_rows, _ = await list_work_orders(limit=100, offset=0, line=line["code"], late=True)
    projected = await _projected(late_rows)
    late = [s.LateOrder(code=row.code, item_code=row.item_code, status=row.status,
                        quantity=row.quantity, good=row.good, due_at=row.due_at,
                        projected_end=projected.get(row.code))
            for row in sorted(late_rows, key=lambda row: row.due_at or _FAR)]
    return s.BoardOut(line=line["code"], name=line["name"], at=now, workstations=board,
                      late_orders=late)


async def _projected(rows: list[s.WorkOrderRow]) -> dict[str, datetime]:
    if not rows:
        return {}
    found = await Operation.select(
        Operation.work_order.code.as_alias("code"),
        Max(Operation.scheduled_end, alias="projected_end"),
    ).where(Operation.work_order.code.is_in([row.code for row in rows]),
            Operation.status != "done").group_by(Operation.work_order.code)
    return {row["code"]: end for row in found
            if (end := as_utc(row["projected_end"])) is not None}

