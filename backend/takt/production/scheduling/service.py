"""Scheduling the floor: the open work orders become a problem for the pure scheduler, and its
answer is written back onto their operations in one command.

- **What is scheduled**: every operation not done of a released or in-progress work order.
  A running operation stays where it runs and is fixed from "now" for the work it has left;
  a paused one, and a second running one on the same workstation, stay on their workstation
  but may move in time. An operation runs on its route step's workstation, or on any active
  workstation of its workstation type.
- **Durations**: setup (only while the operation has not started) + the quantity still to
  make (work order quantity - good - scrap reported there) x ideal cycle time, in whole
  seconds, at least one.
- **Weights**: a work order's priority (1 low .. 9 high) is the weight of its lateness.
- **Calendars**: each workstation's availability (its calendar, else its site's, else around
  the clock) over a horizon of a week plus three times the work; when that is too short the
  horizon is stretched once.
- **Solving** happens before the command's transaction and in a worker thread, so a long
  search neither holds the database's write lock nor stalls the server. The command then
  writes only what changed, refusing (409) if an operation started or finished meanwhile.
- **The current schedule** is read back from the operations; when and how it was computed
  comes from the last ``schedule.run`` audit row (the append-only record of runs).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

import anyio.to_thread

from takt.masterdata.tables import Workstation
from takt.platform.commands import UnitOfWork
from takt.platform.errors import Conflict, Invalid, NotFound
from takt.platform.i18n import Message, term
from takt.platform.tables import AuditEntry
from takt.production import scheduling as core
from takt.production.common import as_utc
from takt.production.scheduling.schemas import MoveIn, ScheduledOperation, ScheduleOut
from takt.production.tables import Operation
from takt.workforce.services import workstation_availability

__all__ = [
    "PLANNED_ORDERS",
    "Plan",
    "apply_schedule",
    "current_schedule",
    "move_operation",
    "plan_schedule",
]

PLANNED_ORDERS = ("released", "in_progress")
"""Work order statuses whose operations the scheduler places."""

_STARTED = ("running", "paused")
_RUN_ACTION = "schedule.run"
_MOVE_ACTION = "operation.reschedule"
_BASE_HORIZON = timedelta(days=7)

_COLUMNS = {
    "id": Operation.id, "code": Operation.code, "seq": Operation.seq, "name": Operation.name,
    "status": Operation.status, "setup_s": Operation.setup_s, "cycle_s": Operation.cycle_s,
    "good": Operation.good, "scrap": Operation.scrap, "started_at": Operation.started_at,
    "workstation_id": Operation.workstation,
    "workstation_type_id": Operation.workstation_type,
    "scheduled_workstation_id": Operation.scheduled_workstation,
    "scheduled_start": Operation.scheduled_start, "scheduled_end": Operation.scheduled_end,
    "work_order": Operation.work_order.code, "wo_status": Operation.work_order.status,
    "quantity": Operation.work_order.quantity, "due_at": Operation.work_order.due_at,
    "priority": Operation.work_order.priority,
}


def _select() -> Any:
    return Operation.select(*(column.as_alias(name) for name, column in _COLUMNS.items()))


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _duration_s(row: dict[str, Any]) -> int:
    """Seconds of work left: setup unless started, plus what is still to make x cycle time."""
    left = max(Decimal(row["quantity"]) - Decimal(row["good"]) - Decimal(row["scrap"]),
               Decimal(0))
    setup = Decimal(0) if row["status"] in _STARTED else Decimal(row["setup_s"])
    return max(1, math.ceil(setup + left * Decimal(row["cycle_s"])))


@dataclass(frozen=True)
class _Station:
    id: int
    code: str
    line: str
    type_id: int | None
    active: bool


async def _stations() -> dict[int, _Station]:
    rows = await Workstation.select(
        Workstation.id, Workstation.code, Workstation.active, Workstation.workstation_type,
        Workstation.line.code.as_alias("line"))
    return {row["id"]: _Station(row["id"], row["code"], row["line"],
                                row["workstation_type"], row["active"]) for row in rows}


def _eligible(row: dict[str, Any], stations: dict[int, _Station]) -> list[int]:
    """The workstations an operation may run on; a sentence when there are none."""
    if row["workstation_id"] is not None:
        station = stations[row["workstation_id"]]
        if not station.active:
            raise Invalid(Message("Operation {code} runs on {workstation}, which is "
                                  "deactivated; reactivate it or change the route.",
                                  code=row["code"], workstation=station.code),
                          code="schedule.no_workstation", operation=row["code"])
        return [station.id]
    found = [s.id for s in stations.values()
             if s.active and s.type_id is not None and s.type_id == row["workstation_type_id"]]
    if not found:
        raise Invalid(Message("Operation {code} needs a workstation of its type, and there is "
                              "no active one.", code=row["code"]),
                      code="schedule.no_workstation", operation=row["code"])
    return found


def _place_of(row: dict[str, Any]) -> int | None:
    return row["scheduled_workstation_id"] or row["workstation_id"]


@dataclass(frozen=True)
class Plan:
    """A computed schedule, not yet written: what the command will apply."""

    origin: datetime
    time_limit_s: float
    schedule: core.Schedule
    rows: dict[int, dict[str, Any]]
    stations: dict[int, _Station]


def _problem(rows: list[dict[str, Any]], stations: dict[int, _Station], origin: datetime
             ) -> core.Problem:
    jobs: dict[str, core.Job] = {}
    operations = []
    fixed_on: set[int] = set()
    # The earliest-started running operation of a workstation is the one it is running now.
    rows = sorted(rows, key=lambda r: (r["status"] != "running",
                                       as_utc(r["started_at"]) or origin, r["work_order"],
                                       r["seq"]))
    for row in rows:
        wo = row["work_order"]
        if wo not in jobs:
            due = as_utc(row["due_at"])
            jobs[wo] = core.Job(
                id=wo, weight=int(row["priority"]),
                due=int((due - origin).total_seconds()) if due is not None else None)
        place = _place_of(row)
        fixed_machine = fixed_start = None
        if row["status"] in _STARTED and place is not None:
            fixed_machine = str(place)
            if row["status"] == "running" and place not in fixed_on:
                fixed_on.add(place)
                fixed_start = 0
        machines = ((fixed_machine,) if fixed_machine
                    else tuple(str(i) for i in _eligible(row, stations)))
        operations.append(core.Operation(
            id=str(row["id"]), job=wo, order=row["seq"], duration=_duration_s(row),
            machines=machines, fixed_machine=fixed_machine, fixed_start=fixed_start))
    return core.Problem(jobs=tuple(jobs.values()), operations=tuple(operations), machines=())


async def _machines(problem: core.Problem, origin: datetime, horizon: timedelta
                    ) -> tuple[core.Machine, ...]:
    ids = sorted({int(m) for op in problem.operations for m in op.machines})
    windows = await workstation_availability(ids, origin, origin + horizon)
    return tuple(core.Machine(
        id=str(i), calendar=None if (found := windows.get(i)) is None else tuple(
            (int((s - origin).total_seconds()), int((e - origin).total_seconds()))
            for s, e in found)) for i in ids)


async def plan_schedule(time_limit_s: float) -> Plan:
    """Read the open work orders and compute their schedule (no writes).

    Raises:
        Invalid: an operation has no workstation to run on, or no schedule exists.
    """
    origin = _now()
    rows = await _select().where(Operation.work_order.status.is_in(list(PLANNED_ORDERS)),
                                 Operation.status != "done")
    stations = await _stations()
    problem = _problem(rows, stations, origin)
    work = sum(op.duration for op in problem.operations)
    horizon = _BASE_HORIZON + timedelta(seconds=3 * work)
    for attempt in range(2):
        machines = await _machines(problem, origin, horizon)
        sized = core.Problem(jobs=problem.jobs, operations=problem.operations,
                             machines=machines, horizon=int(horizon.total_seconds()))
        try:
            schedule = await anyio.to_thread.run_sync(
                partial(core.solve, sized, time_limit_s))
            break
        except core.SchedulingError as exc:
            if attempt or all(m.calendar is None for m in machines):
                raise Invalid(_readable(exc.sentence, rows, stations),
                              code="schedule.infeasible") from exc
            horizon *= 4
    return Plan(origin=origin, time_limit_s=time_limit_s, schedule=schedule,
                rows={row["id"]: row for row in rows}, stations=stations)


def _readable(message: str, rows: list[dict[str, Any]], stations: dict[int, _Station]) -> str:
    """The core names operations and machines by id; a planner knows their codes."""
    if not isinstance(message, Message):
        return message
    operations = {str(row["id"]): row["code"] for row in rows}
    workstations = {str(station.id): station.code for station in stations.values()}
    params = dict(message.params)
    if "op" in params:
        params["op"] = operations.get(str(params["op"]), params["op"])
    for name in ("machine", "machines"):
        if name in params:
            params[name] = ", ".join(workstations.get(machine, machine)
                                     for machine in str(params[name]).split(", "))
    return Message(message.template, context=message.context, **params)


def _late(end: datetime, due: datetime | None) -> bool:
    return due is not None and end > due


def _entry(row: dict[str, Any], station: _Station, start: datetime, end: datetime
           ) -> ScheduledOperation:
    due = as_utc(row["due_at"])
    return ScheduledOperation(id=row["id"], code=row["code"], name=row["name"],
                              status=row["status"], work_order=row["work_order"],
                              workstation=station.code, start_at=start, end_at=end,
                              due_at=due, late=_late(end, due))


def _changed_on_the_floor(row: dict[str, Any]) -> Message:
    return Message("Operation {code} changed on the floor while the schedule was computed; run "
                   "the scheduler again.", code=row["code"])


async def apply_schedule(uow: UnitOfWork, plan: Plan | None) -> ScheduleOut:
    """Write a computed schedule onto its operations (audited; only what changed is written).

    Raises:
        Conflict: an operation started, finished or left the plan since it was computed
            (or no plan was computed because the request looked like a replay).
    """
    if plan is None:
        raise Conflict(Message("The schedule was not computed; send the request again."),
                       code="schedule.stale")
    ids = list(plan.rows)
    now_rows = {row["id"]: row for row in await Operation.select(
        Operation.id, Operation.status, Operation.work_order.status.as_alias("wo_status"),
    ).where(Operation.id.is_in(ids))} if ids else {}
    for op_id, row in plan.rows.items():
        current = now_rows.get(op_id)
        if (current is None or current["status"] != row["status"]
                or current["wo_status"] not in PLANNED_ORDERS):
            raise Conflict(_changed_on_the_floor(row), code="schedule.stale",
                           operation=row["code"])
    entries, changed, topics = [], [], []
    for placement in plan.schedule.placements:
        row = plan.rows[int(placement.operation)]
        station = plan.stations[int(placement.machine)]
        start = plan.origin + timedelta(seconds=placement.start)
        end = plan.origin + timedelta(seconds=placement.end)
        if row["status"] == "running" and placement.start == 0 and row["started_at"]:
            # Already running: the bar starts when the work did.
            start = min(start, as_utc(row["started_at"]) or start)
        entries.append(_entry(row, station, start, end))
        before = (row["scheduled_workstation_id"], as_utc(row["scheduled_start"]),
                  as_utc(row["scheduled_end"]))
        if before == (station.id, start, end):
            continue
        written = await Operation.update({
            Operation.scheduled_workstation: station.id, Operation.scheduled_start: start,
            Operation.scheduled_end: end, Operation.version: Operation.version + 1,
        }).where(Operation.id == row["id"], Operation.status == row["status"]).returning(
            Operation.id)
        if not written:
            raise Conflict(_changed_on_the_floor(row), code="schedule.stale",
                           operation=row["code"])
        changed.append(row["code"])
        old = plan.stations.get(before[0]) if before[0] else None
        for place in (station, old):
            if place is not None:
                topics += [f"workstation:{place.code}", f"line:{place.line}"]
    out = _summary(entries, plan.origin, plan.schedule.optimal, plan.schedule.solver, plan.rows)
    await uow.audit(_RUN_ACTION, "schedule", "SCHEDULE", after={
        "computed_at": plan.origin.isoformat(), "time_limit_s": plan.time_limit_s,
        "solver": out.solver, "optimal": out.optimal, "makespan_s": out.makespan_s,
        "total_weighted_tardiness_s": out.total_weighted_tardiness_s,
        "wall_time_s": plan.schedule.wall_time_s, "operations": len(entries),
        "changed": changed})
    if changed:
        uow.emit("schedule.updated", plan.origin.isoformat(), *dict.fromkeys(topics))
    return out


def _summary(entries: list[ScheduledOperation], origin: datetime | None, optimal: bool,
             solver: str, rows: dict[int, dict[str, Any]]) -> ScheduleOut:
    entries.sort(key=lambda e: (e.workstation, e.start_at, e.code))
    base = origin or _now()
    ends: dict[str, datetime] = {}
    for entry in entries:
        ends[entry.work_order] = max(ends.get(entry.work_order, entry.end_at), entry.end_at)
    weights = {row["work_order"]: int(row["priority"]) for row in rows.values()}
    dues = {row["work_order"]: due for row in rows.values()
            if (due := as_utc(row["due_at"])) is not None}
    tardiness = sum(weights[wo] * max(0, int((end - dues[wo]).total_seconds()))
                    for wo, end in ends.items() if wo in dues)
    makespan = max((int((e.end_at - base).total_seconds()) for e in entries), default=0)
    return ScheduleOut(computed_at=origin, makespan_s=max(0, makespan),
                       total_weighted_tardiness_s=tardiness, optimal=optimal, solver=solver,
                       operations=entries)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def current_schedule() -> ScheduleOut:
    """The schedule as the operations hold it now (for the Gantt), with how it was made."""
    rows = await _select().where(Operation.work_order.status.is_in(list(PLANNED_ORDERS)),
                                 Operation.status != "done",
                                 Operation.scheduled_start.is_not_null(),
                                 Operation.scheduled_workstation.is_not_null())
    stations = await _stations()
    entries = [_entry(row, stations[row["scheduled_workstation_id"]],
                      as_utc(row["scheduled_start"]), as_utc(row["scheduled_end"]))
               for row in rows]
    run = await AuditEntry.select(AuditEntry.id, AuditEntry.after).where(
        AuditEntry.action == _RUN_ACTION).order_by(AuditEntry.id, ascending=False).first()
    if run is None:
        return _summary(entries, None, False, "none", {row["id"]: row for row in rows})
    facts = _json(run["after"]) or {}
    moved = await AuditEntry.exists().where(AuditEntry.action == _MOVE_ACTION,
                                            AuditEntry.id > run["id"])
    return _summary(entries, datetime.fromisoformat(facts["computed_at"]),
                    bool(facts.get("optimal")) and not moved, facts.get("solver", "cp-sat"),
                    {row["id"]: row for row in rows})


async def move_operation(uow: UnitOfWork, op_id: int, data: MoveIn) -> ScheduledOperation:
    """Place one operation by hand on an eligible workstation (audited). The planner's word
    stands: calendars and other operations are not checked, the next scheduler run may move
    it again.

    Raises:
        NotFound: no such operation.
        Conflict: its work order is not open for planning, or it has started or finished.
        Invalid: the workstation cannot run it.
    """
    row = await _select().where(Operation.id == op_id).first()
    if row is None:
        raise NotFound(Message("There is no operation with id {op_id}.", op_id=op_id),
                       code="operation.not_found")
    if row["wo_status"] not in PLANNED_ORDERS:
        raise Conflict(Message("Work order {code} is {status}; only released and in-progress "
                               "orders are scheduled.", code=row["work_order"],
                               status=term("work order status", row["wo_status"])),
                       code="work_order.not_open", current_status=row["wo_status"])
    if row["status"] in (*_STARTED, "done"):
        raise Conflict(Message("Operation {code} is {status}; it stays where it was worked on.",
                               code=row["code"], status=term("operation status", row["status"])),
                       code="operation.bad_status", current_status=row["status"])
    stations = await _stations()
    code = data.workstation.strip().upper()
    station = next((s for s in stations.values() if s.code == code), None)
    if station is None or not station.active:
        raise Invalid(Message("There is no active workstation {code}.", code=code),
                      code="reference.unknown",
                      field="workstation")
    eligible = _eligible(row, stations)
    if station.id not in eligible:
        where = (Message("only on {workstation}", workstation=stations[eligible[0]].code)
                 if row["workstation_id"] is not None else
                 Message("only on a workstation of its type ({workstations})",
                         workstations=", ".join(sorted(stations[i].code for i in eligible))))
        raise Invalid(Message("{workstation} cannot run operation {code}: it runs {where}.",
                              workstation=station.code, code=row["code"], where=where),
                      code="schedule.not_eligible", field="workstation")
    start = as_utc(data.start_at)
    end = start + timedelta(seconds=_duration_s(row))
    written = await Operation.update({
        Operation.scheduled_workstation: station.id, Operation.scheduled_start: start,
        Operation.scheduled_end: end, Operation.version: Operation.version + 1,
    }).where(Operation.id == op_id, Operation.status == row["status"]).returning(Operation.id)
    if not written:
        raise Conflict(Message("Operation {code} changed meanwhile; look again.",
                               code=row["code"]),
                       code="operation.bad_status")
    old = stations.get(row["scheduled_workstation_id"] or 0)
    await uow.audit(_MOVE_ACTION, "operation", row["code"], before={
        "workstation": old.code if old else None,
        "start_at": _iso(row["scheduled_start"]), "end_at": _iso(row["scheduled_end"]),
    }, after={"workstation": station.code, "start_at": start.isoformat(),
              "end_at": end.isoformat()})
    topics = [f"op:{op_id}", f"wo:{row['work_order']}"]
    for place in (station, old):
        if place is not None:
            topics += [f"workstation:{place.code}", f"line:{place.line}"]
    uow.emit("operation.rescheduled", str(op_id), *dict.fromkeys(topics))
    return _entry(row, station, start, end)


def _iso(value: datetime | str | None) -> str | None:
    found = as_utc(value)
    return found.isoformat() if found else None
