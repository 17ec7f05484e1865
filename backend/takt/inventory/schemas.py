"""What the inventory API takes and gives (msgspec Structs, snake_case JSON).

Lots, receipts and locations are addressed by code. Quantities are decimals written as JSON
strings without trailing zeros (``"12.5"``); inputs accept strings or numbers.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from takt.platform.fields import Code, Qty

__all__ = [
    "BlockIn",
    "CountDecisionIn",
    "CountIn",
    "CountLineIn",
    "CountLineOut",
    "CountOut",
    "CountRejectIn",
    "CountRow",
    "CustomerReturnIn",
    "CustomerReturnOut",
    "LedgerRow",
    "LotOut",
    "LotRow",
    "LotStatusChange",
    "LotStock",
    "MiscIn",
    "MoveIn",
    "MoveKind",
    "MoveOut",
    "ReceiptIn",
    "ReceiptOut",
    "ReconciliationRow",
    "ReleaseIn",
    "ShipmentIn",
    "ShipmentLineIn",
    "ShipmentLineOut",
    "ShipmentOut",
    "StockRow",
    "SupplierReturnIn",
    "SupplierReturnOut",
    "TraceNode",
    "TraceReceipt",
    "VerifyOut",
]

Note = Annotated[str, Meta(max_length=500)]
SupplierLot = Annotated[str, Meta(max_length=64)]
MoveKind = Literal["issue", "return", "transfer", "finished_goods", "scrap"]
QualityStatus = Literal["pending", "released", "blocked"]
LotOrigin = Literal["receipt", "production", "return", "split", "misc", "customer_return"]
"""How a lot came to be: received from a supplier, made here, returned from the line, split off
another lot, a miscellaneous receipt, or returned by a customer."""


class ReceiptIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Goods received: name the item, or give the supplier's GS1 label text (element string,
    human-readable form or Digital Link URL) whose GTIN names it. Batch, expiry and serial
    on the label fill ``supplier_lot`` and ``expires_on`` when those are not given."""

    quantity: Qty
    location_code: Code
    item_code: Code | None = None
    gs1: Annotated[str, Meta(min_length=1, max_length=512)] | None = None
    supplier_code: Code | None = None
    supplier_lot: SupplierLot | None = None
    expires_on: date | None = None
    po_reference: Annotated[str, Meta(max_length=100)] | None = None
    note: Note = ""


class ReceiptOut(msgspec.Struct, kw_only=True):
    """A goods receipt and the lot it made (``lot_code`` is null for items kept without
    lots)."""

    code: str
    lot_code: str | None
    quality_status: str
    item_code: str
    item_name: str
    quantity: Decimal
    unit: str
    location_code: str
    supplier_code: str | None
    supplier_lot: str
    expires_on: date | None
    gtin: str | None
    serial: str
    po_reference: str
    received_at: datetime
    received_by: str


class MoveIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A move of stock by scanning: issue to a line's line-side location, return from it,
    transfer between locations, finished goods from the line to the store, scrap.

    ``work_order_code`` is the document the move belongs to (kept as a reference); without
    it the move gets a ``MOV-`` number. ``defective`` (returns only) splits the returned
    quantity into a new blocked lot. ``to_location_code`` is optional for scrap (written
    off); given, it must be a scrap location.
    """

    kind: MoveKind
    item_code: Code
    quantity: Qty
    from_location_code: Code
    to_location_code: Code | None = None
    lot_code: Code | None = None
    work_order_code: Code | None = None
    defective: bool = False
    reason_code: Code | None = None
    note: Note = ""


class MoveOut(msgspec.Struct, kw_only=True):
    """The movement written. ``to_lot_code`` is the lot the stock arrived as (a new blocked
    lot for a defective return)."""

    movement_id: int
    kind: str
    document_type: str
    document_code: str
    item_code: str
    lot_code: str | None
    to_lot_code: str | None
    from_location_code: str | None
    to_location_code: str | None
    quantity: Decimal
    unit: str
    at: datetime


class MiscIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A miscellaneous receipt (``in``) or issue (``out``) for what fits no other document,
    with a reason code. A miscellaneous receipt of an item kept by lot without ``lot_code``
    makes a new lot."""

    direction: Literal["in", "out"]
    item_code: Code
    location_code: Code
    quantity: Qty
    reason_code: Code
    lot_code: Code | None = None
    note: Note = ""


class BlockIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Why a lot is blocked: a reason code of kind ``hold`` or a note (at least one)."""

    reason_code: Code | None = None
    note: Note = ""


class ReleaseIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """An inspector's optional note on releasing a lot (kept in its history)."""

    note: Note = ""


class LotStatusChange(msgspec.Struct, kw_only=True):
    """One change of a lot's quality status, from the audit log: made, released or blocked."""

    at: datetime
    by: str
    """The user name of who did it (``system`` for the demo and imports)."""
    action: Literal["create", "release", "block"]
    status: str
    reason_code: str
    """The hold reason code of a block, or empty."""
    reason_name: str
    """That reason's name (its code when the code is no longer known), or empty."""
    note: str


class LotStock(msgspec.Struct, kw_only=True):
    location_code: str
    quantity: Decimal


class LotRow(msgspec.Struct, kw_only=True):
    """A lot in a list."""

    code: str
    item_code: str
    item_name: str
    quality_status: str
    origin: LotOrigin
    supplier_code: str | None
    supplier_lot: str
    expires_on: date | None
    quantity: Decimal
    unit: str
    created_at: datetime


class LotOut(msgspec.Struct, kw_only=True):
    """A lot with where its stock is now."""

    code: str
    item_code: str
    item_name: str
    unit: str
    quality_status: str
    hold_reason: str
    hold_reason_name: str
    """The hold reason's name, for the screen (empty when not blocked)."""
    hold_note: str
    origin: LotOrigin
    supplier_code: str | None
    supplier_lot: str
    expires_on: date | None
    gtin: str | None
    serial: str
    work_order_code: str | None
    receipt_code: str | None
    po_reference: str | None
    quantity: Decimal
    """What the lot was created with."""
    on_hand: Decimal
    stock: list[LotStock]
    version: int
    created_at: datetime
    history: list[LotStatusChange] = []
    """Its quality status over time, oldest first."""


class StockRow(msgspec.Struct, kw_only=True):
    """Stock of an item (and lot) at a location; lots-less stock counts as released."""

    item_code: str
    item_name: str
    lot_code: str | None
    location_code: str
    warehouse_code: str
    quantity: Decimal
    unit: str
    quality_status: str
    expires_on: date | None


class LedgerRow(msgspec.Struct, kw_only=True):
    """One movement of the stock ledger."""

    id: int
    kind: str
    item_code: str
    lot_code: str | None
    to_lot_code: str | None
    from_location_code: str | None
    to_location_code: str | None
    quantity: Decimal
    unit: str
    document_type: str
    document_code: str
    reason_code: str | None
    note: str
    user: str
    at: datetime


class ReconciliationRow(msgspec.Struct, kw_only=True):
    """A negative balance to reconcile: more was used at a line than was issued to it
    (``location_kind`` line_side, with its line), or a supplier used more for outsourced work
    than was sent to it (``subcontract``, the supplier's ``SUB-<supplier>`` location)."""

    line_code: str | None
    location_code: str
    location_kind: str
    item_code: str
    lot_code: str | None
    quantity: Decimal
    unit: str


class TraceReceipt(msgspec.Struct, kw_only=True):
    code: str
    po_reference: str
    quantity: Decimal
    received_at: datetime


class TraceNode(msgspec.Struct, kw_only=True):
    """A lot in a trace tree. ``quantity`` is how much of the linked lot went into (backward)
    or came from (forward) the node above; null at the root."""

    lot_code: str
    item_code: str
    item_name: str
    quality_status: str
    origin: LotOrigin
    supplier_code: str | None
    supplier_lot: str
    expires_on: date | None
    work_order_code: str | None
    receipt: TraceReceipt | None
    quantity: Decimal | None
    link: str | None
    document_code: str | None
    children: list[TraceNode]


class VerifyOut(msgspec.Struct, kw_only=True):
    item_code: str
    lot_code: str | None
    location_code: str
    ledger: Decimal
    on_hand: Decimal


# --- counts ----------------------------------------------------------------------------------

CountStatus = Literal["open", "submitted", "approved", "rejected"]


class CountIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Start a cycle count of a location. ``blind`` hides what the ledger expects there from
    the counter until counting is closed (supervisors always see it)."""

    location_code: Code
    blind: bool = False
    note: Note = ""


class CountLineIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What was counted of an item (and lot) at the location: zero or more, in the item's
    unit. Entering the same item and lot again replaces the earlier figure (a recount). A lot
    the count did not expect there is recorded too (stock found)."""

    item_code: Code
    quantity: Annotated[Decimal, Meta(description="The quantity counted, zero or more")]
    lot_code: Code | None = None


class CountDecisionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A supervisor's note on approving a count."""

    note: Note = ""


class CountRejectIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Why a count is rejected (required): it closes without posting anything."""

    reason: Annotated[str, Meta(max_length=500)] = ""


class CountLineOut(msgspec.Struct, kw_only=True):
    """A line of a count. ``expected`` (what the ledger held when the count was made) is null
    while it is hidden from the reader (a blind count being counted) and for stock found that
    was not expected (``found``). ``book`` (the ledger when counting closed) and
    ``variance`` (counted - book) are set on submit; ``movement_id`` on approval."""

    item_code: str
    item_name: str
    lot_code: str | None
    quality_status: str
    unit: str
    found: bool
    expected: Decimal | None
    counted: Decimal | None
    book: Decimal | None
    variance: Decimal | None
    counted_by: str
    counted_at: datetime | None
    movement_id: int | None


class CountOut(msgspec.Struct, kw_only=True):
    """A count document. ``expected_visible`` says whether this reader sees the expected
    quantities (false for a counter of a blind count while it is open)."""

    code: str
    location_code: str
    location_kind: str
    line_code: str | None
    blind: bool
    status: str
    expected_visible: bool
    note: str
    decision_note: str
    created_by: str
    created_at: datetime
    submitted_by: str
    submitted_at: datetime | None
    decided_by: str
    decided_at: datetime | None
    version: int
    lines: list[CountLineOut]


class CountRow(msgspec.Struct, kw_only=True):
    """A count in a list."""

    code: str
    location_code: str
    blind: bool
    status: str
    created_by: str
    created_at: datetime


# --- outbound --------------------------------------------------------------------------------

class ShipmentLineIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One item (and lot) shipped from one location. Released lots only. A serial-tracked
    item names each unit shipped: ``serials`` holds one produced serial of the lot a unit."""

    item_code: Code
    from_location_code: Code
    quantity: Qty
    lot_code: Code | None = None
    serials: Annotated[list[Code], Meta(max_length=1000)] = []


class ShipmentIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Goods leaving the plant for a customer, against the customer's order reference."""

    customer_order_ref: Annotated[str, Meta(min_length=1, max_length=100)]
    lines: Annotated[list[ShipmentLineIn], Meta(min_length=1, max_length=200)]
    customer_code: Code | None = None
    note: Note = ""


class ShipmentLineOut(msgspec.Struct, kw_only=True):
    line_no: int
    item_code: str
    item_name: str
    lot_code: str | None
    from_location_code: str
    quantity: Decimal
    unit: str
    movement_id: int | None
    serials: list[str] = []


class ShipmentOut(msgspec.Struct, kw_only=True):
    """A shipment: what went out, by lot and serial."""

    code: str
    customer_order_ref: str
    customer_code: str | None
    note: str
    shipped_by: str
    shipped_at: datetime
    lines: list[ShipmentLineOut]


class CustomerReturnIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Goods a customer sent back, received into a location for returns inspection.
    ``lot_code`` is the lot that was shipped, when known (or the one lot of the item on
    ``shipment_code``); the goods arrive as a new blocked lot split from it."""

    item_code: Code
    quantity: Qty
    location_code: Code
    lot_code: Code | None = None
    customer_code: Code | None = None
    shipment_code: Code | None = None
    reason_code: Code | None = None
    note: Note = ""


class CustomerReturnOut(msgspec.Struct, kw_only=True):
    """A customer return: ``lot_code`` is the blocked lot the goods arrived as,
    ``original_lot_code`` the lot that was shipped."""

    code: str
    item_code: str
    lot_code: str
    quality_status: str
    original_lot_code: str | None
    quantity: Decimal
    unit: str
    location_code: str
    customer_code: str | None
    shipment_code: str | None
    reason_code: str | None
    note: str
    returned_by: str
    returned_at: datetime


class SupplierReturnIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Goods sent back to their supplier, of any quality status. The supplier defaults to
    the lot's."""

    item_code: Code
    quantity: Qty
    from_location_code: Code
    lot_code: Code | None = None
    supplier_code: Code | None = None
    reason_code: Code | None = None
    note: Note = ""


class SupplierReturnOut(msgspec.Struct, kw_only=True):
    code: str
    item_code: str
    lot_code: str | None
    quality_status: str
    quantity: Decimal
    unit: str
    from_location_code: str
    supplier_code: str
    reason_code: str | None
    note: str
    returned_by: str
    returned_at: datetime
