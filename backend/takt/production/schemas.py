"""What the production API takes and gives (msgspec Structs, snake_case JSON).

Work orders are addressed by ``code``, operations and reports by their numeric ``id``.
Quantities are decimals written as JSON strings (``"12.5"``), as in master data; inputs accept
strings or numbers.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from takt.platform.fields import Code, NonNegative, Qty

__all__ = [
    "BoardOut",
    "BoardWorkstation",
    "CloseIn",
    "CurrentOperation",
    "HoldIn",
    "ImportOut",
    "LateOrder",
    "LabourIn",
    "MaterialOut",
    "OperationOut",
    "QueueEntry",
    "QueueOut",
    "ReleaseHoldIn",
    "ReportIn",
    "ReportOut",
    "SplitIn",
    "VoidIn",
    "WorkOrderIn",
    "WorkOrderOut",
    "WorkOrderPatch",
    "WorkOrderRow",
]

Priority = Annotated[int, Meta(ge=1, le=9, description="1 low .. 9 high")]
Reference = Annotated[str, Meta(max_length=100)]
Lot = Annotated[str, Meta(max_length=64)]
Note = Annotated[str, Meta(max_length=500)]
WorkOrderStatus = Literal["draft", "released", "in_progress", "completed", "closed",
                          "on_hold", "cancelled"]
OperationStatus = Literal["pending", "ready", "running", "paused", "done", "held"]
WorkstationState = Literal["running", "idle", "paused", "down"]
MaterialState = Literal["ready", "short", "none"]
ReportKind = Literal["report", "void", "release_hold"]


# --- work orders -----------------------------------------------------------------------------

class WorkOrderIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A new work order. The route defaults to the item's; the due time is UTC unless it
    carries an offset."""

    item_code: Code
    quantity: Qty
    due_at: datetime | None = None
    route_code: Code | None = None
    priority: Priority = 5
    customer_order_ref: Reference | None = None
    lot: Lot | None = None


class WorkOrderPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A change to a draft work order; absent fields stay."""

    quantity: Qty | UnsetType = UNSET
    due_at: datetime | None | UnsetType = UNSET
    route_code: Code | UnsetType = UNSET
    priority: Priority | UnsetType = UNSET
    customer_order_ref: Reference | None | UnsetType = UNSET
    lot: Lot | None | UnsetType = UNSET


class HoldIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Why a work order goes on hold (a reason code of kind ``hold``), both optional."""

    reason_code: Code | None = None
    note: Note = ""


class CloseIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Closing a work order; closing short (less produced than ordered) needs a reason code
    of kind ``hold`` or ``scrap``."""

    reason_code: Code | None = None
    note: Note = ""


class SplitIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """How much the order keeps; a new order is made for the rest."""

    quantity: Qty


class MaterialOut(msgspec.Struct, kw_only=True):
    item_code: str
    item_name: str
    required: Decimal
    unit: str
    scan_to_consume: bool


class OperationOut(msgspec.Struct, kw_only=True):
    """An operation of a work order, with what is available to it and who works on it."""

    id: int
    code: str
    work_order: str
    seq: int
    name: str
    status: OperationStatus
    workstation: str | None
    workstation_type: str | None
    line: str | None
    available: Decimal
    """What may still be reported here: available in total minus good and scrap so far."""
    available_total: Decimal
    good: Decimal
    scrap: Decimal
    held: Decimal
    rework: Decimal
    setup_s: Decimal
    cycle_s: Decimal
    counts_output: bool
    needs_inspection: bool
    instructions: str
    scheduled_workstation: str | None
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    operators: list[str]
    """User names of the operators working on it now."""
    labour_s: int
    """Labour seconds so far, summed over operators."""
    unit: str
    container_quantity: Decimal | None
    """What one box, tray or reel of the order's item holds (its master data; null: not
    set): the handheld's default report quantity."""
    version: int
    materials: list[MaterialOut]


class WorkOrderRow(msgspec.Struct, kw_only=True):
    """A work order in a list."""

    code: str
    item_code: str
    item_name: str
    status: WorkOrderStatus
    quantity: Decimal
    good: Decimal
    scrap: Decimal
    held: Decimal
    unit: str
    due_at: datetime | None
    priority: int
    late: bool
    line: str | None
    route_code: str | None
    customer_order_ref: str
    lot: str
    version: int


class WorkOrderOut(WorkOrderRow, kw_only=True):
    """A work order with its operations."""

    overrun_percent: Decimal
    parent_code: str | None
    held_from: str | None
    hold_reason: str
    close_reason: str
    note: str
    released_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    operations: list[OperationOut]


class ImportOut(msgspec.Struct, kw_only=True):
    """What an import made."""

    created: int
    released: int
    codes: list[str]


# --- operations and reports ------------------------------------------------------------------

class LabourIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Optional body of start: the workstation the operator stands at, which places an
    operation that names only a workstation type."""

    workstation: Code | None = None


class ReportIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Good and scrap made since the last report; scrap needs a reason code of kind scrap.
    ``rework`` (sent back to be reworked) is recorded and does not use up availability."""

    good: NonNegative = Decimal(0)
    scrap: NonNegative = Decimal(0)
    scrap_reason: Code | None = None
    rework: NonNegative = Decimal(0)
    note: Note = ""


class ReportOut(msgspec.Struct, kw_only=True):
    """A row of an operation's report history: ``report``, ``void`` (negated quantities of
    the report it voids) or ``release_hold`` (``held`` only)."""

    id: int
    operation_id: int
    operation: str
    work_order: str
    kind: ReportKind
    good: Decimal
    scrap: Decimal
    rework: Decimal
    held: Decimal
    scrap_reason: str | None
    voids: int | None
    voided_by: int | None
    note: str
    username: str
    reported_at: datetime


class VoidIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Why the report is voided (kept in the reversing row and the audit log)."""

    reason: Annotated[str, Meta(min_length=1, max_length=500)]


class ReleaseHoldIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """How much held quantity passed inspection; all of it when absent."""

    quantity: Qty | None = None


class PickSuggestion(msgspec.Struct, kw_only=True):
    """Where to take some of a pick line from: a lot (``None`` for stock kept without lots)
    at a location."""

    lot_code: str | None
    location_code: str
    quantity: Decimal
    expires_on: date | None


class PickLine(msgspec.Struct, kw_only=True):
    """One component of a work order's kit."""

    item_code: str
    item_name: str
    unit: str
    required: Decimal
    line_side: Decimal
    """Issued to the line for this order, less returned."""
    to_pick: Decimal
    short: Decimal
    """What the plant does not hold in pickable, released stock."""
    suggested: list[PickSuggestion]


class PickListOut(msgspec.Struct, kw_only=True):
    """A work order's pick list: what still goes to ``to_location_code`` (its line's
    line-side location), component by component, FEFO then FIFO."""

    work_order: str
    to_location_code: str
    lines: list[PickLine]


class OutsourceMaterialIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Material sent with outsourced work: an item (and lot), from a location (default: the
    order's line-side location)."""

    item_code: Code
    quantity: Qty
    lot_code: Code | None = None
    from_location_code: Code | None = None


class OutsourceIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Send work to a supplier: one operation (``operation_seq``) or, without it, every
    operation not started yet; ``materials`` default to what that work needs for
    ``quantity`` parts, from the line side."""

    supplier_code: Code
    quantity: Qty
    operation_seq: int | None = None
    materials: list[OutsourceMaterialIn] | None = None
    note: Note = ""


class OutsourceReceiptIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Parts back from the supplier: good ones, and the supplier's scrap (with a reason)."""

    good: NonNegative = Decimal(0)
    scrap: NonNegative = Decimal(0)
    scrap_reason: Code | None = None


class OutsourceMaterialOut(msgspec.Struct, kw_only=True):
    item_code: str
    lot_code: str | None
    from_location_code: str
    quantity: Decimal
    unit: str


class OutsourceOut(msgspec.Struct, kw_only=True):
    """An outsource order: which operations of which work order a supplier does, how many
    parts went out, came back good, were scrapped there, and are still out."""

    code: str
    work_order: str
    first_seq: int
    last_seq: int
    supplier_code: str
    location_code: str
    quantity: Decimal
    received: Decimal
    scrapped: Decimal
    outstanding: Decimal
    status: Literal["open", "closed", "cancelled"]
    note: str
    created_at: datetime
    materials: list[OutsourceMaterialOut]


class ConsumeIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A component lot scanned at the workstation: its quantity (default: what one unit of
    the order needs) goes into the order's output."""

    lot_code: Code
    quantity: Qty | None = None


class ConsumedOut(msgspec.Struct, kw_only=True):
    """A scanned component consumed: from which lot, how much, into which output lot."""

    operation_id: int
    work_order: str
    item_code: str
    lot_code: str
    quantity: Decimal
    unit: str
    from_location_code: str
    output_lot_code: str


# --- dispatch and boards ---------------------------------------------------------------------

class QueueEntry(msgspec.Struct, kw_only=True):
    """An operation in a workstation's dispatch list."""

    id: int
    code: str
    seq: int
    name: str
    status: OperationStatus
    work_order: str
    item_code: str
    item_name: str
    quantity: Decimal
    available: Decimal
    good: Decimal
    scrap: Decimal
    held: Decimal
    unit: str
    priority: int
    due_at: datetime | None
    late: bool
    scheduled_start: datetime | None
    scheduled_end: datetime | None
    placed: bool
    """False for an operation that names only this workstation's type and is not yet placed."""
    operators: list[str]
    material: MaterialState = "none"
    """Whether the line-side location holds what the operation still needs of each
    component (``none``: it uses no material)."""
    short_of: list[str] = msgspec.field(default_factory=list)
    """Item codes the line is short of for this operation."""


class QueueOut(msgspec.Struct, kw_only=True):
    """A workstation's dispatch list, in the order to work it."""

    workstation: str
    line: str
    data: list[QueueEntry]
    total: int


class CurrentOperation(msgspec.Struct, kw_only=True):
    id: int
    code: str
    work_order: str
    item_code: str
    status: OperationStatus
    good: Decimal
    scrap: Decimal
    available: Decimal
    quantity: Decimal
    operators: list[str]


class BoardWorkstation(msgspec.Struct, kw_only=True):
    code: str
    name: str
    state: WorkstationState
    current: CurrentOperation | None
    plan_good: Decimal
    good_today: Decimal
    scrap_today: Decimal


class LateOrder(msgspec.Struct, kw_only=True):
    code: str
    item_code: str
    status: WorkOrderStatus
    quantity: Decimal
    good: Decimal
    due_at: datetime | None
    projected_end: datetime | None


class BoardOut(msgspec.Struct, kw_only=True):
    """A line at a glance: each workstation's state and output today, and late orders."""

    line: str
    name: str
    at: datetime
    workstations: list[BoardWorkstation]
    late_orders: list[LateOrder]
