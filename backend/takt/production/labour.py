"""Labour on the floor: operators start (or join), pause, resume and complete operations. Who
works on what, and for how long, is replayed from the append-only labour events
(:func:`takt.production.queries.labour_by_operation`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from takt.masterdata.tables import Workstation
from takt.platform.commands import UnitOfWork
from takt.platform.errors import Conflict, Invalid, NotFound
from takt.platform.i18n import Message
from takt.platform.roles import TEAM_LEADS
from takt.production import schemas as s
from takt.production.common import REOPENABLE, locked, select_as, status_words, utc_now
from takt.production.floor import OperationContext, start_order, transition_operation
from takt.production.queries import Labour, get_operation, labour_by_operation
from takt.production.tables import LabourEvent, Operation, WorkOrder
from takt.production.work_orders import end_labour, transition

__all__ = [
    "LabourContext",
    "complete_operation",
    "pause_operation",
    "reopen_operation",
    "resume_operation",
    "start_operation",
]


@dataclass
class LabourContext(OperationContext):
    """An operation as a labour command reads it: with the workstation type it needs."""

    workstation_type_id: int | None = None


_CONTEXT_COLUMNS = {
    "id": Operation.id, "code": Operation.code, "seq": Operation.seq,
    "status": Operation.status, "work_order_id": Operation.work_order,
    "wo_code": Operation.work_order.code, "wo_status": Operation.work_order.status,
    "workstation_type_id": Operation.workstation_type,
    "workstation": Operation.workstation.code,
    "scheduled_workstation": Operation.scheduled_workstation.code,
    "ws_line": Operation.workstation._.line.code,
    "sws_line": Operation.scheduled_workstation._.line.code,
    "wo_line": Operation.work_order._.line.code,
    "unit": Operation.work_order._.item._.unit.code,
    "decimals": Operation.work_order._.item._.unit.decimals,
}


async def _context(op_id: int) -> LabourContext:
    row = await select_as(Operation, _CONTEXT_COLUMNS).where(Operation.id == op_id).first()
    if row is None:
        raise NotFound(Message("There is no operation with id {op_id}.", op_id=op_id),
                       code="operation.not_found")
    return LabourContext.from_row(row)


def _user_key(uow: UnitOfWork) -> str:
    return str(uow.actor.user_id or uow.actor.username)


async def _labour_event(uow: UnitOfWork, op_id: int, event: str) -> None:
    await LabourEvent.insert(LabourEvent(operation=op_id, user_id=uow.actor.user_id,
                                         username=uow.actor.username, event=event))


async def _lock_operation(op_id: int) -> None:
    """Lock an operation's work order, then the operation (the lock order of
    :func:`takt.production.work_orders.lock_order`)."""
    row = await Operation.select(Operation.work_order).where(Operation.id == op_id).first()
    if row is None:
        return  # reading its context says it does not exist
    await locked(WorkOrder.select(WorkOrder.id).where(WorkOrder.id == row["work_order"]))
    await locked(Operation.select(Operation.id).where(Operation.id == op_id))


async def _place(context: LabourContext, workstation: str | None) -> dict[Any, Any]:
    """Where the operator starts: it must be where the operation runs; an operation that names
    only a workstation type is placed on the operator's workstation."""
    if workstation is None:
        return {}
    ws = await Workstation.select(Workstation.id, Workstation.code, Workstation.active,
                                  Workstation.workstation_type).where(
        Workstation.code == workstation.upper()).first()
    if ws is None or not ws["active"]:
        raise Invalid(Message("There is no active workstation {code}.",
                              code=workstation.upper()),
                      code="reference.unknown", field="workstation")
    place = context.place
    if place is not None:
        if place != ws["code"]:
            raise Conflict(Message("Operation {code} runs at {place}, not at {workstation}.",
                                   code=context.code, place=place, workstation=ws["code"]),
                           code="operation.wrong_workstation")
        return {}
    if ws["workstation_type"] != context.workstation_type_id:
        raise Conflict(Message("{workstation} is not a workstation of the type operation "
                               "{code} needs.", workstation=ws["code"], code=context.code),
                       code="operation.wrong_workstation")
    context.workstation = ws["code"]
    return {Operation.workstation: ws["id"]}


async def start_operation(uow: UnitOfWork, op_id: int, data: s.LabourIn | None = None
                          ) -> s.OperationOut:
    """An operator starts (or joins) work on a ready, running or paused operation; a start by
    someone already working on it answers the operation as it is."""
    await _lock_operation(op_id)
    context = await _context(op_id)
    context.check_order_open(Message("start", context="operation verb"))
    if context.status == "pending":
        raise Conflict(Message("Nothing has reached operation {code} yet; it can start when "
                               "the previous step passes on good parts.", code=context.code),
                       code="operation.not_ready", current_status="pending")
    context.check_status(("ready", "running", "paused"),
                         Message("started", context="operation verb"))
    labour = (await labour_by_operation([op_id])).get(op_id, Labour())
    if _user_key(uow) in labour.active:
        # Already working on it (a report started it, or a second tap): the command's intent
        # is met, so it is done as it is; no second labour span, nothing to audit.
        return await get_operation(op_id)
    placing = await _place(context, data.workstation if data else None)
    if context.status != "running" or placing:
        await transition_operation(uow, context, ("ready", "running", "paused"), "running",
                                   "operation.start", updates={
                                       **placing, Operation.started_at: utc_now()}
                                   if context.status == "ready" else placing)
    else:
        await uow.audit("operation.join", "operation", context.code,
                        after={"operator": uow.actor.username})
    await _labour_event(uow, op_id, "start")
    await start_order(uow, context)
    uow.emit("operation.started", str(op_id), *context.topics())
    return await get_operation(op_id)


async def pause_operation(uow: UnitOfWork, op_id: int) -> s.OperationOut:
    """The operator stops working for now; when nobody works on it any more the operation is
    paused. A supervisor who is not working on it pauses everyone."""
    await _lock_operation(op_id)
    context = await _context(op_id)
    context.check_status(("running",), Message("paused", context="operation verb"))
    labour = (await labour_by_operation([op_id])).get(op_id, Labour())
    key = _user_key(uow)
    if key in labour.active:
        await _labour_event(uow, op_id, "pause")
        remaining = len(labour.active) - 1
    elif uow.actor.roles & TEAM_LEADS:
        await end_labour(uow, [op_id], "pause")
        remaining = 0
    else:
        raise Conflict(Message("You are not working on operation {code}.", code=context.code),
                       code="labour.not_started")
    if remaining == 0:
        await transition_operation(uow, context, ("running",), "paused", "operation.pause")
    else:
        await uow.audit("operation.leave", "operation", context.code,
                        after={"operator": uow.actor.username})
    uow.emit("operation.paused", str(op_id), *context.topics())
    return await get_operation(op_id)


async def resume_operation(uow: UnitOfWork, op_id: int) -> s.OperationOut:
    """Back to work on a paused operation."""
    await _lock_operation(op_id)
    context = await _context(op_id)
    context.check_order_open(Message("resume", context="operation verb"))
    context.check_status(("paused",), Message("resumed", context="operation verb"))
    await transition_operation(uow, context, ("paused",), "running", "operation.resume")
    await _labour_event(uow, op_id, "resume")
    uow.emit("operation.resumed", str(op_id), *context.topics())
    return await get_operation(op_id)


async def complete_operation(uow: UnitOfWork, op_id: int) -> s.OperationOut:
    """The operation is done: everyone working on it stops, nothing more is reported here."""
    await _lock_operation(op_id)
    context = await _context(op_id)
    context.check_order_open(Message("complete", context="operation verb"))
    context.check_status(("ready", "running", "paused"),
                         Message("completed", context="operation verb"))
    await end_labour(uow, [op_id], "complete")
    await transition_operation(uow, context, ("ready", "running", "paused"), "done",
                               "operation.complete", updates={Operation.completed_at: utc_now()})
    await start_order(uow, context)
    uow.emit("operation.completed", str(op_id), *context.topics())
    return await get_operation(op_id)


async def reopen_operation(uow: UnitOfWork, op_id: int) -> s.OperationOut:
    """A supervisor takes back a completion: the done operation may be worked and reported
    on again (paused when work was done on it, else ready, or pending with nothing
    available), and its work order, when that had completed, is in progress again."""
    await _lock_operation(op_id)
    context = await _context(op_id)
    if context.wo_status not in REOPENABLE:
        raise Conflict(Message("Work order {code} is {status}; its operations cannot be "
                               "reopened now.", code=context.wo_code,
                               status=status_words(context.wo_status)),
                       code="work_order.not_open", current_status=context.wo_status)
    context.check_status(("done",), Message("reopened", context="operation verb"))
    row = await Operation.select(Operation.available, Operation.good, Operation.scrap,
                                 Operation.started_at).where(Operation.id == op_id).first()
    assert row is not None  # its context was read just above; rows are never deleted
    worked = row["started_at"] is not None or row["good"] + row["scrap"] != 0
    to = "paused" if worked else "ready" if row["available"] > 0 else "pending"
    await transition_operation(uow, context, ("done",), to, "operation.reopen",
                               updates={Operation.completed_at: None})
    if context.wo_status == "completed":
        order = {"id": context.work_order_id, "code": context.wo_code, "status": "completed"}
        await transition(uow, order, ("completed",), "in_progress", "work_order.reopen",
                         verb=Message("reopened", context="work order verb"),
                         updates={WorkOrder.completed_at: None})
        context.wo_status = "in_progress"
        uow.emit("work_order.reopened", context.wo_code, f"wo:{context.wo_code}",
                 *([f"line:{context.wo_line}"] if context.wo_line else []))
    uow.emit("operation.reopened", str(op_id), *context.topics())
    return await get_operation(op_id)
