"""Work orders from draft to closed: create, edit drafts, release, hold, resume, cancel, close
and split, each one guarded transition with its audit row (see :mod:`takt.production.common`).

The work order's lock (:func:`lock_order`, also taken by outsourcing) and guarded transition
(:func:`transition`, through which a floor command starts an order and a report completes
it) are public."""

from __future__ import annotations

from typing import Any

import msgspec
from piccolo.querystring import Selectable

from takt.inventory.ledger import check_quantity
from takt.masterdata.lookups import reason_by_code
from takt.platform.codes import next_document_code
from takt.platform.commands import UnitOfWork
from takt.platform.errors import Conflict, Invalid
from takt.platform.i18n import Message
from takt.production import schemas as s
from takt.production.common import (
    NOT_DONE,
    WORKING,
    as_utc,
    insert_chunked,
    jsonable,
    locked,
    qty,
    six,
    status_words,
    utc_now,
    work_order_topics,
)
from takt.production.planning import (
    Catalogue,
    RowError,
    first_available,
    plan_work_order,
    release_many,
    route_for,
    work_order_audit,
)
from takt.production.queries import get_work_order, labour_by_operation, work_order_row
from takt.production.tables import LabourEvent, Operation, OperationMaterial, WorkOrder, WorkReport

__all__ = [
    "cancel_work_order",
    "close_work_order",
    "create_work_order",
    "end_labour",
    "finish_operations",
    "hold_work_order",
    "lock_order",
    "release_work_order",
    "resume_work_order",
    "split_work_order",
    "transition",
    "update_work_order",
]


async def _stored(order_id: int, *columns: Selectable) -> dict[str, Any]:
    """Columns of an order this command already found (all of them when none are named)."""
    found = await WorkOrder.select(*columns).where(WorkOrder.id == order_id).first()
    assert found is not None  # work orders are never deleted
    return found


async def create_work_order(uow: UnitOfWork, data: s.WorkOrderIn) -> s.WorkOrderOut:
    """Create a draft work order (audited); the route defaults to the item's."""
    catalogue = await Catalogue.load({data.item_code.upper()},
                                      {data.route_code.upper()} if data.route_code else set())
    try:
        planned = plan_work_order(catalogue, data)
    except RowError as exc:
        raise Invalid(exc.message, code="work_order.invalid", field=exc.field) from None
    code = await next_document_code("WO")
    await WorkOrder.insert(WorkOrder(code=code, **planned.values))
    out = await get_work_order(code)
    await uow.audit("work_order.create", "work_order", code,
                    after=work_order_audit(planned.values, code))
    uow.emit("work_order.created", code, *work_order_topics(code, out.line), version=1)
    return out


async def update_work_order(uow: UnitOfWork, code: str, patch: s.WorkOrderPatch
                            ) -> s.WorkOrderOut:
    """Change a draft work order (audited, version + 1). Released orders are not edited."""
    row = await work_order_row(code)
    before = await get_work_order(code)
    if row["status"] != "draft":
        raise Conflict(Message("Work order {code} is {status}; only a draft can be changed.",
                               code=row["code"], status=status_words(row["status"])),
                       code="work_order.not_draft")
    values = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
    updates: dict[Any, Any] = {}
    stored = await _stored(row["id"], WorkOrder.item, WorkOrder.route)
    catalogue = await Catalogue.load(set(), {values["route_code"].upper()}
                                      if values.get("route_code") else set(),
                                      item_ids={stored["item"]})
    item = next(iter(catalogue.items.values()))
    if "quantity" in values:
        check_quantity(values["quantity"], item.decimals, item.unit_code)
        updates[WorkOrder.quantity] = six(values["quantity"])
    if "route_code" in values:
        try:
            route = route_for(catalogue, item, values["route_code"])
        except RowError as exc:
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
    updates[WorkOrder.updated_at] = utc_now()
    changed = await WorkOrder.update(updates).where(
        WorkOrder.id == row["id"], WorkOrder.status == "draft").returning(WorkOrder.id)
    if not changed:
        raise Conflict(Message("Work order {code} was released meanwhile; only a draft can be "
                               "changed.", code=row["code"]), code="work_order.not_draft")
    out = await get_work_order(code)
    await uow.audit("work_order.update", "work_order", row["code"],
                    before=_plain(before), after=_plain(out))
    uow.emit("work_order.updated", row["code"], *work_order_topics(row["code"], out.line),
             *([f"line:{before.line}"] if before.line and before.line != out.line else []),
             version=out.version)
    return out


def _plain(out: Any) -> dict[str, Any]:
    data = msgspec.json.decode(msgspec.json.encode(out))
    data.pop("operations", None)
    return data

async def lock_order(work_order_id: int) -> list[dict[str, Any]]:
    """Lock a work order and then its operations (by seq): the one lock order every command
    follows, so commands on one order queue rather than deadlock."""
    await locked(WorkOrder.select(WorkOrder.id).where(WorkOrder.id == work_order_id))
    return await locked(Operation.select(
        Operation.id, Operation.seq, Operation.code, Operation.status, Operation.held_from,
        Operation.available, Operation.good, Operation.scrap, Operation.held,
    ).where(Operation.work_order == work_order_id).order_by(Operation.seq))


async def transition(uow: UnitOfWork, row: dict[str, Any], allowed: tuple[str, ...],
                      to: str, action: str, *, verb: str,
                      updates: dict[Any, Any] | None = None) -> None:
    """Move a work order from one of ``allowed`` to ``to`` with a guarded update (it fails if
    a concurrent command moved it first) and write its audit row. ``verb`` says what the
    change does, as a :class:`~takt.platform.i18n.Message` ("released")."""
    if row["status"] not in allowed:
        raise Conflict(Message("Work order {code} is {status}; it cannot be {verb}.",
                               code=row["code"], status=status_words(row["status"]), verb=verb),
                       code="work_order.bad_status", current_status=row["status"])
    changed = await WorkOrder.update({
        WorkOrder.status: to, WorkOrder.version: WorkOrder.version + 1,
        WorkOrder.updated_at: utc_now(), **(updates or {}),
    }).where(WorkOrder.id == row["id"], WorkOrder.status == row["status"]).returning(
        WorkOrder.version)
    if not changed:
        current = await _stored(row["id"], WorkOrder.status)
        raise Conflict(Message("Work order {code} became {status} meanwhile; it cannot be "
                               "{verb}.", code=row["code"],
                               status=status_words(current["status"]), verb=verb),
                       code="work_order.bad_status",
                       current_status=current["status"])
    row["version"] = changed[0]["version"]
    await uow.audit(action, "work_order", row["code"], before={"status": row["status"]},
                    after={"status": to, **{
                        column._meta.name: jsonable(value)
                        for column, value in (updates or {}).items()
                        if column._meta.name not in ("updated_at",)}})
    row["status"] = to


async def _emit_order(uow: UnitOfWork, code: str, type_: str) -> s.WorkOrderOut:
    """The work order as it is now, and its event on the order, its operations' places and
    its line."""
    out = await get_work_order(code)
    topics = work_order_topics(out.code, out.line)
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
    row = await work_order_row(code)
    stored = await _stored(row["id"], WorkOrder.item, WorkOrder.route, WorkOrder.quantity,
                           WorkOrder.overrun_percent)
    await transition(uow, row, ("draft",), "released", "work_order.release",
                     verb=Message("released", context="work order verb"),
                     updates={WorkOrder.released_at: utc_now()})
    catalogue = await Catalogue.load(set(), set(), item_ids={stored["item"]},
                                      route_ids={stored["route"]})
    item = next(iter(catalogue.items.values()))
    route = catalogue.routes_by_id.get(stored["route"])
    try:
        route_for(catalogue, item, route.code if route else None)
    except RowError as exc:
        raise Conflict(Message("Work order {code} cannot be released: {reason}",
                               code=row["code"], reason=exc.message),
                       code="work_order.route_unusable") from None
    await release_many([{"id": row["id"], "code": row["code"], "item": stored["item"],
                          "route": stored["route"], "quantity": stored["quantity"],
                          "overrun_percent": stored["overrun_percent"]}], catalogue)
    return await _emit_order(uow, row["code"], "work_order.released")


async def _reason_code(code: str | None, kinds: tuple[str, ...]) -> str:
    """The reason code a hold or close names (checked), or ``""`` without one."""
    row = await reason_by_code(code, kinds)
    return row["code"] if row else ""


async def end_labour(uow: UnitOfWork, op_ids: list[int], event: str) -> None:
    """Close the open labour spans of everyone working on these operations."""
    labour = await labour_by_operation(op_ids)
    rows = [{"operation": op_id, "user_id": int(key) if key.isdigit() else None,
             "username": username, "event": event}
            for op_id, work in labour.items() for key, username in work.active.items()]
    if rows:
        await insert_chunked(LabourEvent, rows)


async def hold_work_order(uow: UnitOfWork, code: str, data: s.HoldIn) -> s.WorkOrderOut:
    """Put a released or running order on hold: its unfinished operations are held and the
    people working on them paused. ``resume`` returns everything to where it was."""
    row = await work_order_row(code)
    reason = await _reason_code(data.reason_code, ("hold",))
    ops = await lock_order(row["id"])
    await transition(uow, row, WORKING, "on_hold", "work_order.hold",
                     verb=Message("put on hold", context="work order verb"),
                     updates={WorkOrder.held_from: row["status"],
                              WorkOrder.hold_reason: reason, WorkOrder.note: data.note})
    running = [op["id"] for op in ops if op["status"] == "running"]
    await end_labour(uow, running, "pause")
    for status in ("pending", "ready", "running", "paused"):
        # Labour stops while held, so a running operation comes back paused.
        await Operation.update({
            Operation.status: "held", Operation.version: Operation.version + 1,
            Operation.held_from: "paused" if status == "running" else status,
        }).where(Operation.work_order == row["id"], Operation.status == status)
    return await _emit_order(uow, row["code"], "work_order.held")


async def resume_work_order(uow: UnitOfWork, code: str) -> s.WorkOrderOut:
    """Take an order off hold, back to the status it had, with its operations."""
    row = await work_order_row(code)
    ops = await lock_order(row["id"])
    back = row["held_from"] or "released"
    await transition(uow, row, ("on_hold",), back, "work_order.resume",
                     verb=Message("resumed", context="work order verb"),
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


async def finish_operations(uow: UnitOfWork, work_order_id: int) -> None:
    """An order that ends (completed, closed, cancelled) ends its unfinished operations."""
    open_ops = await Operation.select(Operation.id).where(
        Operation.work_order == work_order_id, Operation.status.is_in(list(NOT_DONE)))
    ids = [op["id"] for op in open_ops]
    if not ids:
        return
    await end_labour(uow, ids, "complete")
    await Operation.update({Operation.status: "done", Operation.held_from: None,
                            Operation.completed_at: utc_now(),
                            Operation.version: Operation.version + 1}).where(
        Operation.id.is_in(ids), Operation.status.is_in(list(NOT_DONE)))


async def cancel_work_order(uow: UnitOfWork, code: str) -> s.WorkOrderOut:
    """Cancel a draft or released order on which nothing was reported."""
    row = await work_order_row(code)
    await lock_order(row["id"])
    if row["status"] in ("draft", "released") and (
            await WorkReport.exists().where(WorkReport.work_order == row["id"])
            or await LabourEvent.exists().where(LabourEvent.operation.work_order == row["id"])):
        raise Conflict(Message("Work has been reported on {code}; close it instead of "
                               "cancelling.", code=row["code"]), code="work_order.has_reports")
    await transition(uow, row, ("draft", "released"), "cancelled", "work_order.cancel",
                     verb=Message("cancelled", context="work order verb"),
                     updates={WorkOrder.closed_at: utc_now()})
    await finish_operations(uow, row["id"])
    return await _emit_order(uow, row["code"], "work_order.cancelled")


async def close_work_order(uow: UnitOfWork, code: str, data: s.CloseIn) -> s.WorkOrderOut:
    """Close a running or completed order. Closing short (less good than ordered) needs a
    reason code of kind hold or scrap."""
    row = await work_order_row(code)
    await lock_order(row["id"])
    row = {**row, **(await _stored(row["id"], WorkOrder.good, WorkOrder.status))}
    short = qty(row["good"]) < qty(row["quantity"])
    reason = await _reason_code(data.reason_code, ("hold", "scrap"))
    if short and row["status"] in ("in_progress", "completed") and not reason:
        raise Invalid(Message("{code} made {good} of {quantity} {unit}; closing it short needs "
                              "a reason code (kind hold or scrap).", code=row["code"],
                              good=qty(row["good"]), quantity=qty(row["quantity"]),
                              unit=row["unit"]),
                      code="work_order.close_reason_required", field="reason_code")
    await transition(uow, row, ("in_progress", "completed"), "closed", "work_order.close",
                     verb=Message("closed", context="work order verb"),
                     updates={WorkOrder.closed_at: utc_now(), WorkOrder.close_reason: reason,
                              WorkOrder.note: data.note})
    await finish_operations(uow, row["id"])
    return await _emit_order(uow, row["code"], "work_order.closed")


async def split_work_order(uow: UnitOfWork, code: str, data: s.SplitIn) -> s.WorkOrderOut:
    """Keep ``quantity`` on this order and move the rest to a new order (same item, route,
    due time and status, ``parent_code`` this one). Only drafts and released orders on which
    nothing was reported split. Answers the new order."""
    row = await work_order_row(code)
    ops = await lock_order(row["id"])
    if row["status"] not in ("draft", "released"):
        raise Conflict(Message("Work order {code} is {status}; only a draft or a released "
                               "order splits.", code=row["code"],
                               status=status_words(row["status"])),
                       code="work_order.bad_status",
                       current_status=row["status"])
    stored = await _stored(row["id"])
    catalogue = await Catalogue.load(set(), set(), item_ids={stored["item"]})
    item = next(iter(catalogue.items.values()))
    keep = data.quantity
    total = qty(stored["quantity"])
    check_quantity(keep, item.decimals, item.unit_code, allow_zero=True)
    if keep <= 0 or keep >= total:
        raise Invalid(Message("quantity is what {code} keeps: more than 0 and less than "
                              "{total} {unit}.", code=row["code"], total=total,
                              unit=item.unit_code), code="work_order.bad_split",
                      field="quantity")
    rest = total - keep
    changed = await WorkOrder.update({
        WorkOrder.quantity: six(keep), WorkOrder.version: WorkOrder.version + 1,
        WorkOrder.updated_at: utc_now(),
    }).where(WorkOrder.id == row["id"], WorkOrder.status == row["status"]).returning(
        WorkOrder.id)
    if not changed:
        raise Conflict(Message("Work order {code} changed meanwhile; try again.",
                               code=row["code"]),
                       code="work_order.bad_status")
    if ops:
        first = ops[0]
        await Operation.update({
            Operation.available: first_available(keep, qty(stored["overrun_percent"]),
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
        catalogue = await Catalogue.load(set(), set(), item_ids={item.id},
                                          route_ids={stored["route"]})
        await release_many([{"id": inserted[0]["id"], "code": new_code, "item": item.id,
                              "route": stored["route"], "quantity": rest,
                              "overrun_percent": stored["overrun_percent"]}], catalogue)
    await uow.audit("work_order.split", "work_order", row["code"],
                    before={"quantity": str(total)},
                    after={"quantity": str(qty(keep)), "split_off": new_code})
    await uow.audit("work_order.create", "work_order", new_code,
                    after={**work_order_audit(values, new_code), "parent": row["code"]})
    await _emit_order(uow, row["code"], "work_order.split")
    return await _emit_order(uow, new_code, "work_order.created")
