"""Production in tables: work orders, their operations, and what happens on the floor.

A work order is the plan ("make 100 FG-PUMP-100 by Friday"); releasing it copies its route into
operations and its BOM into the material each operation needs. What happens on the floor is
kept in append-only rows (work reports, labour events); the summary columns of operations and
work orders (``good``, ``scrap``, ``held``) are derived from them in the same transaction and
can be rebuilt from them.
"""

from __future__ import annotations

from decimal import Decimal

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    Numeric,
    Serial,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from takt.masterdata.tables import (
    QTY,
    Item,
    Line,
    Location,
    Party,
    ReasonCode,
    Route,
    Unit,
    Workstation,
    WorkstationType,
)

__all__ = [
    "LabourEvent",
    "Operation",
    "OperationMaterial",
    "OutsourceOrder",
    "WorkOrder",
    "WorkReport",
]

ZERO = Decimal(0)


class WorkOrder(Table, tablename="pr_work_order"):
    """An order to make ``quantity`` of ``item`` along ``route``.

    ``status``: draft, released, in_progress, completed, closed, on_hold, cancelled.
    ``held_from`` is the status an order on hold resumes to. ``good`` is the good quantity of
    the last output-counting operation (the produced quantity); ``scrap`` and ``held`` add up
    every operation's. ``parent_id`` names the order this one was split from.
    """

    id: Serial
    code = Varchar(length=64, unique=True)
    item = ForeignKey(references=Item, index=True)
    route = ForeignKey(references=Route, null=True, default=None)
    line = ForeignKey(references=Line, null=True, default=None, index=True)
    quantity = Numeric(digits=QTY)
    overrun_percent = Numeric(digits=(6, 2), default=ZERO)
    due_at = Timestamptz(null=True, default=None, index=True)
    priority = SmallInt(default=5)
    customer_order_ref = Varchar(length=100, default="")
    lot = Varchar(length=64, default="")
    status = Varchar(length=20, default="draft", index=True)
    held_from = Varchar(length=20, null=True, default=None)
    hold_reason = Varchar(length=64, default="")
    close_reason = Varchar(length=64, default="")
    note = Text(default="")
    parent_id = Integer(null=True, default=None, index=True)
    good = Numeric(digits=QTY, default=ZERO)
    scrap = Numeric(digits=QTY, default=ZERO)
    held = Numeric(digits=QTY, default=ZERO)
    version = Integer(default=1)
    released_at = Timestamptz(null=True, default=None)
    started_at = Timestamptz(null=True, default=None)
    completed_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Operation(Table, tablename="pr_operation"):
    """One step of a released work order, copied from its route operation.

    ``code`` is ``<work order code>-<seq, two digits>`` (its label). It runs on ``workstation``
    or on any workstation of ``workstation_type``; the scheduler places it
    (``scheduled_workstation``, ``scheduled_start``, ``scheduled_end``).
    ``status``: pending, ready, running, paused, done, held (``held_from`` is the status it
    returns to). ``available`` is how much may still be reported here in total (good + scrap
    never exceed it); ``held`` is good quantity awaiting in-process inspection, not yet passed
    on to the next operation.
    """

    id: Serial
    work_order = ForeignKey(references=WorkOrder, index=True)
    code = Varchar(length=80, unique=True)
    seq = Integer()
    name = Varchar(length=200)
    workstation = ForeignKey(references=Workstation, null=True, default=None, index=True)
    workstation_type = ForeignKey(references=WorkstationType, null=True, default=None)
    setup_s = Numeric(digits=(12, 3), default=ZERO)
    cycle_s = Numeric(digits=(12, 3), default=ZERO)
    counts_output = Boolean(default=True)
    needs_inspection = Boolean(default=False)
    instructions = Text(default="")
    status = Varchar(length=20, default="pending", index=True)
    held_from = Varchar(length=20, null=True, default=None)
    available = Numeric(digits=QTY, default=ZERO)
    good = Numeric(digits=QTY, default=ZERO)
    scrap = Numeric(digits=QTY, default=ZERO)
    held = Numeric(digits=QTY, default=ZERO)
    rework = Numeric(digits=QTY, default=ZERO)
    scheduled_workstation = ForeignKey(references=Workstation, null=True, default=None,
                                       index=True)
    scheduled_start = Timestamptz(null=True, default=None, index=True)
    scheduled_end = Timestamptz(null=True, default=None)
    started_at = Timestamptz(null=True, default=None)
    completed_at = Timestamptz(null=True, default=None)
    version = Integer(default=1)


class OperationMaterial(Table, tablename="pr_operation_material"):
    """Material an operation needs: a BOM line times the work order quantity."""

    id: Serial
    operation = ForeignKey(references=Operation, index=True)
    position = Integer()
    item = ForeignKey(references=Item)
    required = Numeric(digits=QTY)
    unit = ForeignKey(references=Unit)
    scan_to_consume = Boolean(default=False)


class WorkReport(Table, tablename="pr_work_report"):
    """Append-only: what was reported on an operation. Never changed or deleted.

    ``kind``: ``report`` (an operator's good / scrap / rework), ``void`` (reverses the report
    ``voids`` with negated quantities), ``release_hold`` (``held`` only: good quantity passed
    inspection). ``held`` is the change of the operation's held quantity. Summing the rows of
    an operation gives its ``good``, ``scrap``, ``held`` and ``rework``.
    """

    id: Serial
    operation = ForeignKey(references=Operation, index=True)
    work_order = ForeignKey(references=WorkOrder, index=True)
    kind = Varchar(length=20, default="report")
    good = Numeric(digits=QTY, default=ZERO)
    scrap = Numeric(digits=QTY, default=ZERO)
    rework = Numeric(digits=QTY, default=ZERO)
    held = Numeric(digits=QTY, default=ZERO)
    scrap_reason = ForeignKey(references=ReasonCode, null=True, default=None)
    voids = Integer(null=True, default=None, unique=True)
    note = Text(default="")
    user_id = Integer(null=True, default=None)
    username = Varchar(length=100, default="")
    idempotency_key = Varchar(length=128, null=True, default=None)
    reported_at = Timestamptz(default=TimestamptzNow(), index=True)


class LabourEvent(Table, tablename="pr_labour_event"):
    """Append-only: an operator started, paused, resumed or completed work on an operation.
    Labour time is the sum of each operator's spans from start / resume to pause / complete."""

    id: Serial
    operation = ForeignKey(references=Operation, index=True)
    user_id = Integer(null=True, default=None)
    username = Varchar(length=100, default="")
    event = Varchar(length=20)
    at = Timestamptz(default=TimestamptzNow(), index=True)


class OutsourceOrder(Table, tablename="pr_outsource_order"):
    """Operations ``first_seq``..``last_seq`` of a work order done by a supplier for
    ``quantity`` parts: the material sent moves to the supplier's location, and each receipt
    back counts as those operations' good output (held for incoming inspection).

    ``status``: open, closed (all received or scrapped, or closed short), cancelled.
    """

    id: Serial
    code = Varchar(length=64, unique=True)
    work_order = ForeignKey(references=WorkOrder, index=True)
    first_seq = Integer()
    last_seq = Integer()
    supplier = ForeignKey(references=Party)
    location = ForeignKey(references=Location)
    quantity = Numeric(digits=QTY)
    received = Numeric(digits=QTY, default=ZERO)
    scrapped = Numeric(digits=QTY, default=ZERO)
    status = Varchar(length=20, default="open", index=True)
    note = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    version = Integer(default=1)
