"""Work reports: good, scrap and rework reported on an operation, voided by a reversing row,
held quantity released after inspection, and components consumed by scanning their lot.

A report is an append-only row; the operation's and its order's summaries, the next
operation's availability and the line-side stock it consumes and produces are updated from
it in the same transaction. Its statements are in :mod:`takt.production.reporting_sql`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import msgspec

from takt.inventory.ledger import check_quantity, create_lot, link_lots, post_movement
from takt.inventory.line import (
    Need,
    consume_steps,
    defer_line_steps,
    output_steps,
    unconsume_steps,
)
from takt.inventory.serials import unproduce_for_report
from takt.inventory.tables import Lot
from takt.platform.commands import UnitOfWork
from takt.platform.errors import Conflict, Invalid, NotFound
from takt.platform.i18n import Message
from takt.platform.sql import Statement, run_together
from takt.production import reporting_sql as sql
from takt.production import schemas as s
from takt.production.common import ZERO, qty, six, status_words, utc_now
from takt.production.floor import OperationContext, start_order
from takt.production.missing_material import refuse_missing_material
from takt.production.queries import get_operation, report_rows
from takt.production.reporting_sql import OUTSOURCED_RECEIPT_NOTE, MaterialStock
from takt.production.tables import WorkOrder, WorkReport
from takt.production.undo import check_may_void
from takt.production.work_orders import finish_operations, transition

__all__ = [
    "OUTSOURCED_RECEIPT_NOTE",
    "ReportContext",
    "consume_scanned",
    "release_hold",
    "report_in_command",
    "report_work",
    "scrap_reason_of",
    "void_report",
]


# The rows of a report history that are not reports, as words in a sentence.
_KIND_WORDS = {"void": Message("void", context="report kind"),
               "release_hold": Message("release hold", context="report kind")}


@dataclass
class StepTotals:
    """An operation's quantities as a report reads them, locked."""

    id: int
    seq: int
    status: str
    available: Decimal
    good: Decimal
    scrap: Decimal
    held: Decimal
    rework: Decimal
    needs_inspection: bool

    @classmethod
    def from_row(cls, row: Any) -> StepTotals:
        """From a row of ``reporting_sql``'s operation columns."""
        return cls(id=row["op_id"], seq=row["op_seq"], status=row["op_status"],
                   available=qty(row["available"]), good=qty(row["good"]),
                   scrap=qty(row["scrap"]), held=qty(row["held"]), rework=qty(row["rework"]),
                   needs_inspection=bool(row["needs_inspection"]))


@dataclass
class OrderTotals:
    """A work order's quantities as a report reads them, locked."""

    id: int
    code: str
    status: str
    quantity: Decimal
    good: Decimal
    scrap: Decimal
    held: Decimal


@dataclass
class ReportContext(OperationContext):
    """An operation as a report, void, hold release or scanned consumption reads it: with its
    order's item, the line-side location and the order's output lot."""

    wo_quantity: Decimal
    wo_item: int
    wo_unit_id: int
    wip_location: int | None
    """The line-side location where components are consumed and output is produced."""
    wip_code: str | None
    output_lot: int | None
    """The order's output lot, once its first report made it."""
    report_id: int | None = None
    """The id of the history row the command appends, taken in advance (PostgreSQL)."""
    materials: list[MaterialStock] | None = None
    """The operation's materials with the usable stock where they are consumed (PostgreSQL;
    on SQLite read when a report needs them)."""
    consumed_at: int | None = None
    """Where components are consumed when not at the line side (a supplier's location)."""
    reported_by: tuple[str | None, str] | None = None
    """A void's report's idempotency key and user: its components go back into the lots
    that report's own movements consumed."""


@dataclass
class Locked:
    """An operation and what a report on it changes, locked in the one lock order."""

    op: StepTotals
    next: StepTotals | None
    order: OrderTotals
    last_output_seq: int | None


async def _lock_for_report(op_id: int, *, consumed_at: int | None = None,
                           appends_history: bool = True) -> tuple[ReportContext, Locked]:
    """Read an operation's context and lock its work order, then the operation and the next
    one (the lock order of :func:`takt.production.work_orders.lock_order`); see
    :func:`takt.production.reporting_sql.read_for_report`."""
    found = await sql.read_for_report(op_id, consumed_at, appends_history)
    if found is None:
        raise NotFound(Message("There is no operation with id {op_id}.", op_id=op_id),
                       code="operation.not_found")
    row = found.context
    steps = [StepTotals.from_row(step) for step in found.operations]
    context = ReportContext.from_row(
        row, status=steps[0].status, wo_quantity=qty(row["wo_quantity"]),
        materials=found.materials, consumed_at=consumed_at)
    order = OrderTotals(id=context.work_order_id, code=context.wo_code,
                        status=context.wo_status, quantity=context.wo_quantity,
                        good=qty(row["wo_good"]), scrap=qty(row["wo_scrap"]),
                        held=qty(row["wo_held"]))
    return context, Locked(op=steps[0], next=steps[1] if len(steps) > 1 else None,
                           order=order, last_output_seq=found.operations[0]["last_output_seq"])


def _history_row(uow: UnitOfWork, context: ReportContext, kind: s.ReportKind, *,
                 good: Decimal = ZERO, scrap: Decimal = ZERO, rework: Decimal = ZERO,
                 held: Decimal = ZERO, scrap_reason: tuple[int, str] | None = None,
                 voids: int | None = None, note: str = ""
                 ) -> tuple[s.ReportOut, tuple[Statement, tuple[Any, ...]]]:
    """The row a report, void or hold release appends to the report history: as the answer
    and as the statement writing it. Its ``id`` is the one :func:`_lock_for_report` took
    (PostgreSQL), or 0 until the row is written (SQLite)."""
    answer = s.ReportOut(
        id=context.report_id or 0, operation_id=context.id, operation=context.code,
        work_order=context.wo_code, kind=kind, good=qty(good), scrap=qty(scrap),
        rework=qty(rework), held=qty(held),
        scrap_reason=scrap_reason[1] if scrap_reason else None, voids=voids, voided_by=None,
        note=note, username=uow.actor.username, reported_at=utc_now())
    return answer, (sql.INSERT_REPORT, (
        context.id, context.work_order_id, kind, six(good), six(scrap), six(rework),
        six(held), scrap_reason[0] if scrap_reason else None, voids, note, uow.actor.user_id,
        uow.actor.username, uow.idempotency_key, answer.reported_at, context.report_id))


async def _stock_steps(uow: UnitOfWork, context: ReportContext, order: OrderTotals, *,
                       good: Decimal, scrap: Decimal, output: Decimal, note: str
                       ) -> list[tuple[Statement, tuple[Any, ...]]]:
    """What a report moves at the line: its operation's components backflushed for good +
    scrap (put back for a void), and the last output step's good output produced into the
    order's output lot (taken back for a void). Components flagged "scan to consume" are
    consumed by scanning their lot instead."""
    location = context.wip_location
    made = good + scrap
    if location is None or (made == 0 and output == 0):
        return []
    taken_from = context.consumed_at or location
    needs: dict[int, Need] = {}
    at_line: dict[tuple[int, int | None], Decimal] = {}
    if made != 0:
        materials = context.materials
        if materials is None:
            materials = await sql.materials_and_line_stock(context.id, taken_from)
        for row in materials:
            if row.scan_to_consume:
                continue
            needs.setdefault(row.position, Need(
                row.item, row.unit, row.required * abs(made) / order.quantity))
            if row.stock_quantity is not None:
                at_line[(row.item, row.stock_lot)] = six(row.stock_quantity)
    # Every order's output is one production lot (whatever the item's batch flag), made at
    # its first report so the components consumed from then on link into it.
    lot_id = await _output_lot(uow, context) if made > 0 else context.output_lot
    code = order.code
    if made > 0:
        steps = await consume_steps(
            uow, location_id=taken_from, needs=list(needs.values()), work_order_code=code,
            into_lot_id=lot_id, note=note,
            at_line=[(item, lot, quantity) for (item, lot), quantity in at_line.items()])
    else:
        steps = await unconsume_steps(uow, location_id=taken_from, needs=list(needs.values()),
                                      work_order_code=code, note=note, from_lot_id=lot_id,
                                      reported_by=context.reported_by)
    steps += output_steps(uow, location_id=location, item_id=context.wo_item,
                          unit_id=context.wo_unit_id, lot_id=lot_id, quantity=output,
                          work_order_code=code, note=note)
    if steps:
        # The line's boards already hear of the report (operation.reported on line:<code>);
        # screens following the line-side location hear of its stock.
        uow.emit("stock.moved", code, f"location:{context.wip_code}")
    return steps


async def _apply(uow: UnitOfWork, context: ReportContext, locked: Locked,
                 row: tuple[Statement, tuple[Any, ...]], *,
                 good: Decimal, scrap: Decimal, rework: Decimal, held: Decimal,
                 note: str = "", with_last_writes: bool = False, works: bool = False) -> int:
    """Append the history ``row``, add its quantities to the operation, the next operation's
    availability and the work order's summary, and move the stock it consumes and produces
    at the line (one round trip); then start the order, or complete it when its produced
    quantity reaches the ordered one. Returns the row's id.

    ``works``: the row is the reporting operator's own work (the floor's report), so a ready
    operation starts and a paused one resumes with their labour, as Start or Resume would.

    ``with_last_writes``: nothing else in the command reads what these writes change, so
    when the row's id is known already (PostgreSQL) and the order neither starts nor
    completes, they go with the command's last writes instead: one round trip fewer."""
    op = locked.op
    totals = (six(op.good + good), six(op.scrap + scrap), six(op.held + held),
              six(op.rework + rework))
    steps = [row]
    if good + scrap > 0 and (op.status == "ready" or (works and op.status == "paused")):
        # Reported work means the operation has begun (again), with or without a start; the
        # operator who reports it is working on it.
        now = utc_now()
        steps.append((sql.START_OPERATION_BY_REPORT, (op.id, *totals, now)))
        event = "start" if op.status == "ready" else "resume"
        await uow.audit(f"operation.{event}", "operation", context.code,
                        before={"status": op.status}, after={"status": "running"})
        if works:
            steps.append((sql.START_LABOUR, (op.id, uow.actor.user_id, uow.actor.username,
                                             event, now)))
    else:
        steps.append((sql.ADD_TO_OPERATION, (op.id, *totals)))
    passed = good - held
    following = locked.next
    if following is not None and passed != 0:
        available = following.available + passed
        status = following.status
        if status == "pending" and available > 0:
            status = "ready"
        elif (status == "ready" and available <= 0
              and following.good + following.scrap == 0):
            status = "pending"
        steps.append((sql.PASS_ON, (following.id, six(available), status)))
    order = locked.order
    counts = op.seq == locked.last_output_seq
    produced = order.good + (good if counts else ZERO)
    steps.append((sql.ADD_TO_ORDER, (order.id, six(produced), six(order.scrap + scrap),
                                  six(order.held + held), utc_now())))
    # The line's stock rows are shared by every report on the line: they go with the
    # command's last writes, so their row locks are held only for the final round trip.
    defer_line_steps(uow, await _stock_steps(uow, context, order, good=good, scrap=scrap,
                                             output=good if counts else ZERO, note=note))
    starts = good + scrap > 0 and context.wo_status == "released"
    completes = counts and good > 0 and produced >= order.quantity and (
        starts or context.wo_status == "in_progress")
    if with_last_writes and context.report_id is not None and not (starts or completes):
        uow.last_writes[:0] = steps
        return context.report_id
    row_id = (await run_together(*steps))[0]
    if starts:
        await start_order(uow, context)
    if completes:
        order_row = {"id": order.id, "code": order.code, "status": "in_progress"}
        await transition(uow, order_row, ("in_progress",), "completed", "work_order.complete",
                         verb=Message("completed", context="work order verb"),
                         updates={WorkOrder.completed_at: utc_now()})
        await finish_operations(uow, order.id)
        uow.emit("work_order.completed", order.code, f"wo:{order.code}",
                 *([f"line:{context.wo_line}"] if context.wo_line else []))
    return row_id


async def scrap_reason_of(code: str | None) -> tuple[int, str]:
    """The id and code of an active scrap reason code (scrap needs one).

    Raises:
        Invalid: ``report.scrap_reason_required`` or ``report.bad_scrap_reason``.
    """
    if code is None:
        raise Invalid(Message("Scrap needs a reason: choose a scrap reason code."),
                      code="report.scrap_reason_required", field="scrap_reason")
    code = code.upper()
    reason = await sql.SCRAP_REASON.fetchrow(code)
    if reason is None or reason["kind"] != "scrap" or not reason["active"]:
        raise Invalid(Message("{code} is not an active scrap reason code.", code=code),
                      code="report.bad_scrap_reason", field="scrap_reason")
    return reason["id"], code


async def report_work(uow: UnitOfWork, op_id: int, data: s.ReportIn) -> s.ReportOut:
    """The floor's report command: good and scrap on an operation, an append-only row, the
    summaries updated with it. Good + scrap never exceed what is available to the operation;
    on an operation that needs in-process inspection good quantity is held until released.

    The report is the whole command: nothing reads what it changes afterwards, so its writes
    may go with the command's last round trip (see :func:`_apply`). A command that does more
    after a report uses :func:`report_in_command`."""
    return await _report(uow, op_id, data, consumed_at=None, hold=None, last_in_command=True,
                         works=True)


async def report_in_command(uow: UnitOfWork, op_id: int, data: s.ReportIn, *,
                            consumed_at: int | None = None, hold: bool | None = None,
                            works: bool = False) -> s.ReportOut:
    """A report (as :func:`report_work`) that is one step of a larger command, which may read
    what it changed. ``hold`` overrides the operation's inspection hold (a receipt from a
    supplier: held at its last step for incoming inspection, never at the steps the supplier
    did before it). Components are consumed from the line-side location, or from
    ``consumed_at`` (a supplier's location, for outsourced work). ``works``: the reporting
    user works on the operation (a serial scanned at the workstation), see :func:`_apply`."""
    return await _report(uow, op_id, data, consumed_at=consumed_at, hold=hold,
                         last_in_command=False, works=works)


async def _report(uow: UnitOfWork, op_id: int, data: s.ReportIn, *, consumed_at: int | None,
                  hold: bool | None, last_in_command: bool, works: bool) -> s.ReportOut:
    if data.good + data.scrap + data.rework <= 0:
        raise Invalid(Message("Report some good, scrap or rework quantity."),
                      code="report.empty")
    scrap_reason = await scrap_reason_of(data.scrap_reason) if data.scrap > 0 else None
    context, locked = await _lock_for_report(op_id, consumed_at=consumed_at)
    for name in ("good", "scrap", "rework"):
        check_quantity(getattr(data, name), context.decimals, context.unit, name,
                       allow_zero=True)
    op = locked.op
    context.check_order_open(Message("report on", context="operation verb"))
    context.check_status(("pending", "ready", "running", "paused"),
                         Message("reported on", context="operation verb"))
    remaining = op.available - op.good - op.scrap
    if data.good + data.scrap > remaining:
        if op.available <= 0:
            sentence = Message("Nothing is available to operation {code} yet: the previous "
                               "step has passed on no good parts.", code=context.code)
        else:
            sentence = Message("Only {remaining} {unit} are available to operation {code} "
                               "({available} in all, {reported} reported); you reported "
                               "{amount} {unit}.", remaining=qty(max(remaining, ZERO)),
                               unit=context.unit, code=context.code,
                               available=qty(op.available), reported=qty(op.good + op.scrap),
                               amount=qty(data.good + data.scrap))
        raise Conflict(sentence, code="report.exceeds_available",
                       available=str(qty(max(remaining, ZERO))))
    # Scanned material is checked where the line consumes it (not at a supplier), and only
    # where the step has any (PostgreSQL read its materials already).
    if consumed_at is None and data.good + data.scrap > 0 and (
            context.materials is None or any(m.scan_to_consume for m in context.materials)):
        await refuse_missing_material(
            op_id=context.id, code=context.code, wo_code=context.wo_code,
            wo_quantity=context.wo_quantity, line=context.line, unit=context.unit,
            units=op.good + op.scrap + data.good + data.scrap)
    held = data.good if (op.needs_inspection if hold is None else hold) else ZERO
    answer, row = _history_row(uow, context, "report", good=data.good, scrap=data.scrap,
                               rework=data.rework, held=held, scrap_reason=scrap_reason,
                               note=data.note)
    report = msgspec.structs.replace(answer, id=await _apply(
        uow, context, locked, row, good=data.good, scrap=data.scrap, rework=data.rework,
        held=held, with_last_writes=last_in_command, works=works))
    await uow.audit("work_report.create", "operation", context.code, after={
        "report": report.id, "good": str(report.good), "scrap": str(report.scrap),
        "rework": str(report.rework), "held": str(report.held),
        "scrap_reason": report.scrap_reason})
    uow.emit("operation.reported", str(op_id), *context.topics())
    return report


async def _unreceive(uow: UnitOfWork, report_id: int, oso_code: str, *,
                     good: Decimal, scrap: Decimal) -> None:
    """A voided receipt from a supplier: its parts count as at the supplier again, so the
    outsource order is open for them (locked after the work order, as a receipt does). A
    receipt over several operations is one report on each; voiding one of them would leave
    the others counted, so that is refused."""
    oso = await sql.LOCK_OUTSOURCE_ORDER.fetchrow(oso_code)
    if oso is None:
        return
    if oso["first_seq"] != oso["last_seq"]:
        raise Conflict(Message(
            "Report {report_id} is part of a receipt of outsource order {oso}, which covers "
            "operations {first} to {last} with one report each; voiding one of them would "
            "leave the others counted. Receipts over several operations cannot be voided.",
            report_id=report_id, oso=oso["code"], first=oso["first_seq"],
            last=oso["last_seq"]), code="report.outsourced_receipt")
    uow.last_writes.append((sql.UNRECEIVE, (oso["id"], six(good), six(scrap), utc_now())))
    await uow.audit("outsource.receipt_void", "outsource_order", oso["code"],
                    after={"report": report_id, "good": str(-good), "scrap": str(-scrap),
                           "status": "open"})


async def void_report(uow: UnitOfWork, report_id: int, data: s.VoidIn, *,
                      undo_seconds: int = 0) -> s.ReportOut:
    """Reverse a report with a negated row (audited); the report itself stays as it was.
    Its components go back where it consumed them (the line side, or the supplier's location
    for an outsourced receipt). A void is a whole command, as :func:`report_work` is.

    A supervisor voids any report; its operator their own for ``undo_seconds`` after it
    (:func:`takt.production.undo.check_may_void`)."""
    rows = await report_rows(WorkReport.id == report_id)
    if not rows:
        raise NotFound(Message("There is no work report with id {report_id}.",
                               report_id=report_id),
                       code="report.not_found")
    report = rows[0]
    if report["kind"] != "report":
        raise Conflict(Message("Row {report_id} is a {kind}, not a report; only reports can "
                               "be voided.", report_id=report_id,
                               kind=_KIND_WORDS.get(report["kind"], report["kind"])),
                       code="report.not_voidable")
    check_may_void(uow.actor, report, undo_seconds=undo_seconds, now=utc_now())
    context, locked = await _lock_for_report(
        report["operation"], consumed_at=await sql.CONSUMED_AT.fetchval(report_id))
    if await WorkReport.exists().where(WorkReport.voids == report_id):
        raise Conflict(Message("Report {report_id} is already voided.", report_id=report_id),
                       code="report.already_voided")
    if locked.order.status in ("closed", "cancelled"):
        raise Conflict(Message("Work order {code} is {status}; its reports can no longer be "
                               "voided.", code=context.wo_code,
                               status=status_words(locked.order.status)),
                       code="work_order.not_open",
                       current_status=locked.order.status)
    # Its components go back into the lots its own movements consumed.
    context.reported_by = (report["idempotency_key"], report["username"])
    op = locked.op
    good, scrap, rework = qty(report["good"]), qty(report["scrap"]), qty(report["rework"])
    if report["note"].startswith(sql.OUTSOURCED_RECEIPT_NOTE):
        await _unreceive(uow, report_id, report["note"][len(sql.OUTSOURCED_RECEIPT_NOTE):],
                         good=good, scrap=scrap)
    # Held good (an inspected step's, or an outsourced receipt's awaiting incoming
    # inspection) never reached the next step: take the void out of it first.
    held = -min(good, max(op.held, ZERO))
    passed = -good - held
    following = locked.next
    if following is not None and passed < 0:
        used = following.good + following.scrap
        if following.available + passed < used:
            raise Conflict(Message("The next operation has already reported parts that came "
                                   "from this report ({used} {unit} there); void those reports "
                                   "first.", used=qty(used), unit=context.unit),
                           code="report.used_downstream")
    answer, row = _history_row(uow, context, "void", good=-good, scrap=-scrap, rework=-rework,
                               held=held, voids=report_id, note=data.reason)
    void = msgspec.structs.replace(answer, id=await _apply(
        uow, context, locked, row, good=-good, scrap=-scrap, rework=-rework, held=held,
        note=f"void of report {report_id}", with_last_writes=True))
    await uow.audit("work_report.void", "operation", context.code,
                    before={"report": report_id, "good": str(good), "scrap": str(scrap)},
                    after={"void": void.id, "reason": data.reason})
    if op.seq == locked.last_output_seq:
        # A unit reported by scanning its serial (only ever here): the serial is generated
        # again, out of the output lot, and its label reports the unit once more.
        await unproduce_for_report(uow, report_id=report_id, void_id=void.id,
                                   operation_id=report["operation"], note=report["note"])
    uow.emit("operation.reported", str(report["operation"]), *context.topics())
    return void


async def _output_lot(uow: UnitOfWork, context: ReportContext) -> int:
    """The order's output lot, made by its first report. The context may have been read
    before a wait for the order's lock, during which another report made the lot: read
    again (now under the lock) before making one."""
    if context.output_lot is None:
        context.output_lot = await sql.OUTPUT_LOT.fetchval(context.wo_code)
    if context.output_lot is None:
        context.output_lot = (await create_lot(
            uow, item_id=context.wo_item, origin="production",
            work_order_code=context.wo_code)).id
    return context.output_lot


async def consume_scanned(uow: UnitOfWork, op_id: int, data: s.ConsumeIn) -> s.ConsumedOut:
    """Consume a lot of a "scan to consume" component of the operation from the line-side
    location into the order's output lot: which lot went into which output, exactly."""
    context, _ = await _lock_for_report(op_id, appends_history=False)
    context.check_order_open(Message("consume material on", context="operation verb"))
    context.check_status(("ready", "running", "paused"),
                         Message("given material", context="operation verb"))
    lot_code = data.lot_code.upper()
    found = await sql.SCANNED_MATERIAL.fetchrow(op_id, lot_code, context.wip_location)
    if found is None:
        raise Invalid(Message("There is no lot {code}.", code=lot_code), code="reference.unknown",
                      field="lot_code")
    if found["item"] is None:
        raise Conflict(Message("Lot {lot} is {item}, which operation {code} does not consume "
                               "by scanning.", lot=lot_code, item=found["lot_item_code"],
                               code=context.code),
                       code="consume.not_a_scanned_component", lot_code=lot_code)
    if context.wip_location is None:
        raise Conflict(Message("The line of operation {code} has no line-side location.",
                               code=context.code),
                       code="consume.no_line_side")
    per_unit = qty(found["required"]) / qty(context.wo_quantity)
    quantity = data.quantity if data.quantity is not None else qty(six(per_unit))
    output_lot = await _output_lot(uow, context)
    posted = await post_movement(
        uow, "consume", item_id=found["item"], quantity=quantity, lot_id=found["lot_id"],
        from_location_id=context.wip_location, document_type="work_order",
        document_code=context.wo_code, note=f"scanned at operation {context.code}")
    await link_lots(uow, parent_lot_id=found["lot_id"], child_lot_id=output_lot,
                    quantity=posted.quantity, document_type="work_order",
                    document_code=context.wo_code)
    output = await Lot.select(Lot.code).where(Lot.id == output_lot).first()
    assert output is not None  # the order's output lot, found or made just above
    out = s.ConsumedOut(operation_id=op_id, work_order=context.wo_code,
                        item_code=posted.item_code, lot_code=lot_code,
                        quantity=posted.quantity, unit=posted.unit,
                        from_location_code=found["wip_code"], output_lot_code=output["code"])
    await uow.audit("operation.consume", "operation", context.code,
                    after=msgspec.to_builtins(out))
    uow.emit("operation.consumed", str(op_id), *context.topics())
    return out


async def release_hold(uow: UnitOfWork, op_id: int, data: s.ReleaseHoldIn) -> s.OperationOut:
    """Pass good quantity held for in-process inspection on to the next operation (all of it
    when no quantity is given)."""
    context, locked = await _lock_for_report(op_id)
    op = locked.op
    if locked.order.status in ("closed", "cancelled"):
        raise Conflict(Message("Work order {code} is {status}.", code=context.wo_code,
                               status=status_words(locked.order.status)),
                       code="work_order.not_open", current_status=locked.order.status)
    if op.held <= 0:
        raise Conflict(Message("Operation {code} holds nothing awaiting inspection.",
                               code=context.code),
                       code="hold.nothing_held")
    quantity = op.held if data.quantity is None else data.quantity
    check_quantity(quantity, context.decimals, context.unit)
    if quantity > op.held:
        raise Conflict(Message("Operation {code} holds only {held} {unit} awaiting "
                               "inspection.", code=context.code, held=qty(op.held),
                               unit=context.unit), code="hold.exceeds_held",
                       held=str(qty(op.held)))
    _, row = _history_row(uow, context, "release_hold", held=-quantity)
    await _apply(uow, context, locked, row, good=ZERO, scrap=ZERO, rework=ZERO, held=-quantity)
    await uow.audit("operation.release_hold", "operation", context.code,
                    before={"held": str(qty(op.held))},
                    after={"held": str(qty(op.held - quantity)),
                           "released": str(qty(quantity))})
    uow.emit("operation.hold_released", str(op_id), *context.topics())
    return await get_operation(op_id)
