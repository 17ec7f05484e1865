"""The demo factory's work orders: orders in every state with a few days of reported history.

``seed/demo/NN-work-orders.json`` describes each order compactly: what to make, when it is
due (hours from now), its final status, and per operation what was made (good, scrap, who, and
whether the operation is done, running or paused). The loader plays that history through the
same services the API uses, as the named people, and then dates each step back so the work
spreads over the last days up to now. An order is known by its ``ref`` (its customer order
reference), so loading twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import msgspec

from takt.inventory.schemas import MoveIn
from takt.inventory.services import move_stock
from takt.inventory.tables import Movement, OnHandNow
from takt.platform import db
from takt.platform.commands import Actor, UnitOfWork, execute
from takt.platform.roles import OPERATOR, PLANNER, SUPERVISOR, parse_roles
from takt.platform.tables import AuditEntry, User
from takt.production import common, labour, queries, reporting, work_orders
from takt.production import schemas as s
from takt.production.materials import pick_list
from takt.production.scheduling.service import apply_schedule, plan_schedule
from takt.production.tables import LabourEvent, Operation, WorkOrder, WorkReport

__all__ = ["DemoOperation", "DemoOrder", "load_demo_orders"]


class DemoOperation(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What happened at one step of a demo order."""

    seq: int
    good: Decimal = Decimal(0)
    scrap: Decimal = Decimal(0)
    scrap_reason: str | None = None
    state: str = "done"
    """done, running or paused (left as the board shows it), or reported (reports only)."""
    by: list[str] = []
    """User names of the operators; the first reports."""
    release_hold: Decimal | None = None
    """Held good quantity a supervisor released after inspection."""
    workstation: str | None = None
    """Where an operation that names only a workstation type was worked."""


class DemoOrder(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One demo work order and its history."""

    ref: str
    item_code: str
    quantity: Decimal
    due_in_hours: float | None = None
    priority: int = 5
    lot: str | None = None
    status: str = "draft"
    started_hours_ago: float = 48
    """When work on it began (release is an hour before)."""
    finished_hours_ago: float = 0.3
    """When the last step shown here happened."""
    operations: list[DemoOperation] = []
    hold: s.HoldIn | None = None
    close: s.CloseIn | None = None


@dataclass
class _Clock:
    """Dates the rows a step wrote back to when the step happened in the demo's story."""

    marks: dict[str, int] = field(default_factory=dict)

    async def mark(self) -> None:
        for table in (WorkReport, LabourEvent, AuditEntry, Movement):
            row = await table.select(table.id).order_by(table.id, ascending=False).first()
            self.marks[table._meta.tablename] = row["id"] if row else 0

    async def date(self, at: datetime, work_order_id: int) -> None:
        for table, column in ((WorkReport, WorkReport.reported_at),
                              (LabourEvent, LabourEvent.at), (AuditEntry, AuditEntry.at),
                              (Movement, Movement.at)):
            await table.update({column: at}).where(
                table.id > self.marks.get(table._meta.tablename, 0))
        # Times stamped now by this step (started, completed...) become the story's time.
        just_now = datetime.now(UTC) - timedelta(minutes=5)
        for column in (WorkOrder.released_at, WorkOrder.started_at, WorkOrder.completed_at,
                       WorkOrder.closed_at, WorkOrder.created_at, WorkOrder.updated_at):
            await WorkOrder.update({column: at}).where(WorkOrder.id == work_order_id,
                                                       column > just_now)
        for column in (Operation.started_at, Operation.completed_at):
            await Operation.update({column: at}).where(Operation.work_order == work_order_id,
                                                       column > just_now)


FINISHED_GOODS = "FG-01-01"
"""Where the demo's finished orders were put away."""

DEMO_SCHEDULE_TIME_LIMIT_S = 5.0
"""How long the demo's first schedule may search (the demo's orders solve in about a second)."""


async def _actors() -> dict[str, Actor]:
    rows = await User.select(User.id, User.username, User.roles)
    actors = {row["username"]: Actor(user_id=row["id"], username=row["username"],
                                     roles=parse_roles(row["roles"])) for row in rows}
    for role in (PLANNER, SUPERVISOR, OPERATOR):
        # The demo's people are named after their roles (seed/demo/users.json).
        actors.setdefault(role, Actor(user_id=None, username=role, roles=frozenset({role})))
    return actors


def _split(total: Decimal, parts: int) -> list[Decimal]:
    """Whole-number chunks of a reported quantity, as an operator would report them."""
    if total <= 0:
        return []
    parts = max(1, min(parts, int(total)))
    base = (total / parts).to_integral_value(rounding="ROUND_DOWN")
    chunks = [base] * (parts - 1)
    return [*chunks, total - sum(chunks)]


async def _play(order: DemoOrder, actors: dict[str, Actor]) -> None:
    now = datetime.now(UTC)
    clock = _Clock()
    planner, supervisor = actors["planner"], actors["supervisor"]
    begin = now - timedelta(hours=order.started_hours_ago)
    end = now - timedelta(hours=order.finished_hours_ago)
    due = now + timedelta(hours=order.due_in_hours) if order.due_in_hours is not None else None

    async def step(actor: Actor, at: datetime, work: Any) -> Any:
        await clock.mark()
        result = await execute(actor, work)
        await clock.date(min(at, now), wo_id)
        return result

    created = await execute(planner, lambda uow: work_orders.create_work_order(uow, s.WorkOrderIn(
        item_code=order.item_code, quantity=order.quantity, due_at=due, priority=order.priority,
        customer_order_ref=order.ref, lot=order.lot)))
    code = created.code
    row = await WorkOrder.select(WorkOrder.id).where(WorkOrder.code == code).first()
    assert row is not None  # created just above
    wo_id = row["id"]
    await WorkOrder.update({WorkOrder.created_at: begin - timedelta(hours=3)}).where(
        WorkOrder.id == wo_id)
    if order.status == "draft":
        return
    released = await step(planner, begin - timedelta(hours=1),
                          lambda uow: work_orders.release_work_order(uow, code))
    ids = {op.seq: op.id for op in released.operations}
    played = [op for op in order.operations if op.seq in ids]
    if played:
        # Work that began had its kit picked to the line first (as far as the stores held it).
        await step(supervisor, begin - timedelta(minutes=30),
                   lambda uow: _pick_kit(uow, code))
    span = (end - begin) / max(len(played), 1)
    for index, op in enumerate(played):
        op_id = ids[op.seq]
        start = begin + span * index
        # The last step shown works right up to the end of the story (the board's "now").
        finish = end if index == len(played) - 1 else start + span * 0.9
        people = [actors[name] for name in op.by if name in actors] or [actors["operator"]]
        place = s.LabourIn(workstation=op.workstation)
        for person in people:
            await step(person, start, lambda uow, o=op_id, p=place:
                       labour.start_operation(uow, o, p))
        chunks = _split(op.good, 3)
        for n, good in enumerate(chunks):
            scrap = op.scrap if n == len(chunks) - 1 else Decimal(0)
            report = s.ReportIn(good=good, scrap=scrap,
                                scrap_reason=op.scrap_reason if scrap else None)
            at = start + (finish - start) * (n + 1) / len(chunks)
            await step(people[0], at,
                       lambda uow, o=op_id, r=report: reporting.report_work(uow, o, r))
        if op.release_hold:
            quantity = op.release_hold
            await step(supervisor, finish, lambda uow, o=op_id, q=quantity:
                       reporting.release_hold(uow, o, s.ReleaseHoldIn(quantity=q)))
        current = await queries.get_operation(op_id)
        if current.status == "done":
            continue
        if op.state == "done":
            await step(people[0], finish,
                       lambda uow, o=op_id: labour.complete_operation(uow, o))
        elif op.state == "paused":
            await step(supervisor, finish, lambda uow, o=op_id: labour.pause_operation(uow, o))
    if order.status in ("completed", "closed"):
        await step(supervisor, end, lambda uow: _store_output(uow, code))
    if order.hold is not None:
        hold = order.hold
        await step(supervisor, end, lambda uow: work_orders.hold_work_order(uow, code, hold))
    if order.close is not None:
        close = order.close
        await step(supervisor, end, lambda uow: work_orders.close_work_order(uow, code, close))
    if order.status == "cancelled":
        await step(planner, end, lambda uow: work_orders.cancel_work_order(uow, code))
    final = await WorkOrder.select(WorkOrder.status).where(WorkOrder.id == wo_id).first()
    assert final is not None  # work orders are never deleted
    if final["status"] != order.status:
        raise ValueError(f"demo order {order.ref} ended {final['status']}, "
                         f"not {order.status} as the seed file says")


async def _pick_kit(uow: UnitOfWork, code: str) -> None:
    """Issue a work order's pick list to its line as suggested (FEFO / FIFO)."""
    kit = await pick_list(code)
    for line in kit.lines:
        for suggestion in line.suggested:
            await move_stock(uow, MoveIn(
                kind="issue", item_code=line.item_code, lot_code=suggestion.lot_code,
                from_location_code=suggestion.location_code,
                to_location_code=kit.to_location_code, quantity=suggestion.quantity,
                work_order_code=code))


async def _store_output(uow: UnitOfWork, code: str) -> None:
    """Move a finished order's output lot from the line into the finished-goods store."""
    rows = await OnHandNow.select(
        OnHandNow.quantity, OnHandNow.item.code.as_alias("item_code"),
        OnHandNow.lot.code.as_alias("lot_code"),
        OnHandNow.location.code.as_alias("location_code")).where(
        OnHandNow.lot.work_order_code == code, OnHandNow.lot.origin == "production",
        OnHandNow.location.kind == "line_side", OnHandNow.quantity > 0)
    for row in rows:
        await move_stock(uow, MoveIn(
            kind="finished_goods", item_code=row["item_code"], lot_code=row["lot_code"],
            from_location_code=row["location_code"], to_location_code=FINISHED_GOODS,
            quantity=common.qty(row["quantity"]), work_order_code=code))


async def load_demo_orders(rows: list[dict[str, Any]]) -> tuple[int, int]:
    """Play the demo orders that are not there yet; return (created, already there)."""
    actors = await _actors()
    created = skipped = 0
    for row in rows:
        order = msgspec.convert(row, DemoOrder)
        if await WorkOrder.exists().where(WorkOrder.customer_order_ref == order.ref):
            skipped += 1
            continue
        try:
            # One transaction per order (the services' own nest in it): a story fails whole.
            async with db.transaction():
                await _play(order, actors)
        except Exception as exc:
            raise ValueError(f"demo work order {order.ref}: {exc}") from exc
        created += 1
    if created:
        # A first look at the Gantt and the board's plan should find a schedule.
        plan = await plan_schedule(DEMO_SCHEDULE_TIME_LIMIT_S)
        await execute(actors["planner"], lambda uow: apply_schedule(uow, plan))
    return created, skipped
