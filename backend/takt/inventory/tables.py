"""Inventory in tables: lots, the stock ledger, on-hand, receipts, lot genealogy, counts,
shipments and returns.

Every quantity that moves is an append-only row of ``inv_movement`` (never changed or
deleted). ``inv_on_hand`` (item x lot x location) is the summary derived from it in the same
transaction, by :func:`takt.inventory.ledger.post_movement` alone, and can be rebuilt from it
(``takt stock verify``).
"""

from __future__ import annotations

from decimal import Decimal

from piccolo.columns import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from takt.masterdata.tables import QTY, Item, Location, Party, ReasonCode, Unit

__all__ = [
    "Count",
    "CountLine",
    "CustomerReturn",
    "Lot",
    "LotLink",
    "Movement",
    "OnHand",
    "Receipt",
    "SerialNumber",
    "Shipment",
    "ShipmentLine",
    "SupplierReturn",
]

ZERO = Decimal(0)
KEEP = OnDelete.restrict
"""The ledger outlives everything it names: master records are deactivated, never deleted."""


class Lot(Table, tablename="inv_lot"):
    """A batch of one item, known by its internal code (``LOT-2026-00001``).

    ``quality_status``: pending (waiting for incoming inspection), released, blocked.
    ``origin``: receipt, production, split (a defective return split off a lot),
    customer_return, misc. ``supplier_lot``, ``expires_on``, ``gtin`` and ``serial`` are kept
    as the supplier's label said. ``work_order_code`` names the order that produced the lot
    (a text reference: inventory knows no production tables).
    """

    id: Serial
    code = Varchar(length=64, unique=True)
    item = ForeignKey(references=Item, on_delete=KEEP, index=True)
    supplier = ForeignKey(references=Party, on_delete=KEEP, null=True, default=None)
    supplier_lot = Varchar(length=64, default="", index=True)
    expires_on = Date(null=True, default=None)
    quality_status = Varchar(length=20, default="released", index=True)
    hold_reason = Varchar(length=64, default="")
    hold_note = Text(default="")
    gtin = Varchar(length=14, null=True, default=None)
    serial = Varchar(length=64, default="")
    origin = Varchar(length=20, default="receipt")
    work_order_code = Varchar(length=64, null=True, default=None, index=True)
    quantity = Numeric(digits=QTY, default=ZERO)
    """The quantity the lot was created with (received, produced, split off)."""
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Receipt(Table, tablename="inv_receipt"):
    """A goods receipt (``RCV-2026-00001``): what arrived from whom, against which purchase
    order, into which location. Its stock is the ``receipt`` movement of the same code."""

    id: Serial
    code = Varchar(length=64, unique=True)
    item = ForeignKey(references=Item, on_delete=KEEP, index=True)
    lot = ForeignKey(references=Lot, on_delete=KEEP, null=True, default=None, index=True)
    supplier = ForeignKey(references=Party, on_delete=KEEP, null=True, default=None)
    po_reference = Varchar(length=100, default="", index=True)
    quantity = Numeric(digits=QTY)
    unit = ForeignKey(references=Unit, on_delete=KEEP)
    location = ForeignKey(references=Location, on_delete=KEEP)
    gs1 = Text(default="")
    user_id = Integer(null=True, default=None)
    username = Varchar(length=150, default="")
    received_at = Timestamptz(default=TimestamptzNow())


class Movement(Table, tablename="inv_movement"):
    """Append-only: one quantity of one item (and lot) moving from a location, to a location,
    or both. Never changed or deleted; a correction is another movement.

    ``kind``: receipt, issue, return, consume, produce, finished_goods, transfer, scrap,
    count_adjustment, outsource_out, outsource_in, shipment, customer_return,
    supplier_return, misc_in, misc_out. ``quantity`` is always positive. ``to_lot`` is the
    lot the stock arrives as when it differs from ``lot`` (a defective return split into a
    blocked lot). ``document_type`` + ``document_code`` name what the movement belongs to
    (a receipt, a work order, a move).
    """

    id: Serial
    kind = Varchar(length=20, index=True)
    item = ForeignKey(references=Item, on_delete=KEEP, index=True)
    lot = ForeignKey(references=Lot, on_delete=KEEP, null=True, default=None, index=True)
    to_lot = ForeignKey(references=Lot, on_delete=KEEP, null=True, default=None)
    from_location = ForeignKey(references=Location, on_delete=KEEP, null=True, default=None,
                               index=True)
    to_location = ForeignKey(references=Location, on_delete=KEEP, null=True, default=None,
                             index=True)
    quantity = Numeric(digits=QTY)
    unit = ForeignKey(references=Unit, on_delete=KEEP)
    document_type = Varchar(length=30, default="")
    document_code = Varchar(length=64, default="", index=True)
    reason_code = ForeignKey(references=ReasonCode, on_delete=KEEP, null=True, default=None)
    note = Text(default="")
    user_id = Integer(null=True, default=None)
    username = Varchar(length=150, default="")
    idempotency_key = Varchar(length=128, null=True, default=None)
    at = Timestamptz(default=TimestamptzNow(), index=True)


class OnHand(Table, tablename="inv_on_hand"):
    """How much of an item (and lot) is at a location now: the ledger summed.

    ``stock_key`` is ``<item id>:<lot id or 0>:<location id>``, unique, so the row of stock
    without a lot is one row on both engines (a unique index treats NULLs as distinct).
    Real locations never go below zero; a line-side WIP location may.
    """

    id: Serial
    stock_key = Varchar(length=64, unique=True)
    item = ForeignKey(references=Item, on_delete=KEEP, index=True)
    lot = ForeignKey(references=Lot, on_delete=KEEP, null=True, default=None, index=True)
    location = ForeignKey(references=Location, on_delete=KEEP, index=True)
    quantity = Numeric(digits=QTY, default=ZERO)
    updated_at = Timestamptz(default=TimestamptzNow())


class OnHandNow(Table, tablename="inv_on_hand_now"):
    """Stock as it is: the view every read of on-hand goes through (not a table; made by a
    migration, so not among the app's table classes). On PostgreSQL it is ``inv_on_hand``
    plus the line-side deltas still pending (:mod:`takt.inventory.line`), exact in any
    snapshot; on SQLite, ``inv_on_hand`` itself. ``id`` is that of the on-hand row, ``None``
    for stock that so far exists only as pending deltas."""

    id: Serial
    stock_key = Varchar(length=64)
    item = ForeignKey(references=Item, on_delete=KEEP)
    lot = ForeignKey(references=Lot, on_delete=KEEP, null=True, default=None)
    location = ForeignKey(references=Location, on_delete=KEEP)
    quantity = Numeric(digits=QTY, default=ZERO)
    updated_at = Timestamptz(default=TimestamptzNow())


class LotLink(Table, tablename="inv_lot_link"):
    """Genealogy: ``quantity`` of ``parent`` went into ``child``.

    ``kind``: consume (a component lot consumed into a produced lot) or split (part of a
    lot became a lot of its own). ``document_type`` + ``document_code``: the work order or
    move that made the link. Append-only like the ledger: a voided report's components put
    back are a reversing link with a negative ``quantity``; the trace nets a pair's links.
    """

    id: Serial
    parent = ForeignKey(references=Lot, on_delete=KEEP, index=True)
    child = ForeignKey(references=Lot, on_delete=KEEP, index=True)
    kind = Varchar(length=20, default="consume")
    quantity = Numeric(digits=QTY)
    document_type = Varchar(length=30, default="")
    document_code = Varchar(length=64, default="")
    at = Timestamptz(default=TimestamptzNow())


class SerialNumber(Table, tablename="inv_serial"):
    """One unit of a serial-tracked item, known by its serial code (``SN-2026-000001``).

    ``status``: generated (handed out to a work order, label printed) -> produced (reported as
    output by scanning it) -> shipped or scrapped (later). A serial is produced once: the
    change is one guarded update from ``generated``. ``work_order_code`` is the order it was
    generated for and ``lot`` the order's output lot it went into (text and ids: inventory
    knows no production tables, so ``operation_id`` / ``operation_code`` and
    ``work_report_id``, the work report that produced it, are plain values). A void of that
    report puts the serial back to generated. ``shipment_line_id``: the shipment line it
    left the plant on.
    """

    id: Serial
    code = Varchar(length=64, unique=True)
    item = ForeignKey(references=Item, on_delete=KEEP, index=True)
    work_order_code = Varchar(length=64, index=True)
    lot = ForeignKey(references=Lot, on_delete=KEEP, null=True, default=None, index=True)
    status = Varchar(length=20, default="generated", index=True)
    operation_id = Integer(null=True, default=None)
    operation_code = Varchar(length=64, default="")
    produced_at = Timestamptz(null=True, default=None)
    produced_by_id = Integer(null=True, default=None)
    produced_by = Varchar(length=150, default="")
    work_report_id = Integer(null=True, default=None, index=True)
    shipment_line_id = Integer(null=True, default=None, index=True)
    generated_by = Varchar(length=150, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    version = Integer(default=1)


# --- counts and outbound documents (issue 5 items 9 and 12) ----------------------------------

class Count(Table, tablename="inv_count"):
    """A cycle count of one location (``CNT-2026-00001``).

    ``status``: open (being counted) -> submitted (counting closed, variances computed) ->
    approved (variances posted as ``count_adjustment`` movements) or rejected (closed, nothing
    posted; an open count may be rejected too, to abandon it). ``blind`` hides the expected
    quantities from the counter while the count is open. ``open_location`` holds the
    location's id while the count is open or submitted and is cleared when it is decided: a
    unique column, so a location has one count in progress at a time (NULLs never collide,
    on either engine).
    """

    id: Serial
    code = Varchar(length=64, unique=True)
    location = ForeignKey(references=Location, on_delete=KEEP, index=True)
    blind = Boolean(default=False)
    status = Varchar(length=20, default="open", index=True)
    open_location = Integer(null=True, default=None, unique=True)
    note = Text(default="")
    decision_note = Text(default="")
    """Why it was rejected (or the supervisor's note on approval)."""
    created_by_id = Integer(null=True, default=None)
    created_by = Varchar(length=150, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    submitted_by = Varchar(length=150, default="")
    submitted_at = Timestamptz(null=True, default=None)
    decided_by = Varchar(length=150, default="")
    decided_at = Timestamptz(null=True, default=None)
    version = Integer(default=1)


class CountLine(Table, tablename="inv_count_line"):
    """One item (and lot) of a count: what the ledger said at creation (``expected``; null
    for stock found that was not expected), what was counted, what the ledger said when
    counting closed (``book``) and ``variance`` = counted - book. ``line_key`` is
    ``<count id>:<item id>:<lot id or 0>`` (unique: one line per item and lot)."""

    id: Serial
    cycle_count = ForeignKey(references=Count, on_delete=KEEP, index=True)
    line_key = Varchar(length=64, unique=True)
    item = ForeignKey(references=Item, on_delete=KEEP)
    lot = ForeignKey(references=Lot, on_delete=KEEP, null=True, default=None)
    expected = Numeric(digits=QTY, null=True, default=None)
    counted = Numeric(digits=QTY, null=True, default=None)
    book = Numeric(digits=QTY, null=True, default=None)
    variance = Numeric(digits=QTY, null=True, default=None)
    counted_by = Varchar(length=150, default="")
    counted_at = Timestamptz(null=True, default=None)
    movement_id = Integer(null=True, default=None)
    """The ``count_adjustment`` movement posted for the variance on approval."""


class Shipment(Table, tablename="inv_shipment"):
    """Goods shipped to a customer against their order (``SHP-2026-00001``). Each line is a
    ``shipment`` movement of the same code out of the plant."""

    id: Serial
    code = Varchar(length=64, unique=True)
    customer_order_ref = Varchar(length=100, index=True)
    customer = ForeignKey(references=Party, on_delete=KEEP, null=True, default=None)
    note = Text(default="")
    user_id = Integer(null=True, default=None)
    username = Varchar(length=150, default="")
    shipped_at = Timestamptz(default=TimestamptzNow())


class ShipmentLine(Table, tablename="inv_shipment_line"):
    """What went out, by lot: one item (and lot) from one location. The serial numbers of a
    serial-tracked item shipped on a line name the line (``inv_serial.shipment_line_id``)."""

    id: Serial
    shipment = ForeignKey(references=Shipment, on_delete=KEEP, index=True)
    line_no = Integer()
    item = ForeignKey(references=Item, on_delete=KEEP, index=True)
    lot = ForeignKey(references=Lot, on_delete=KEEP, null=True, default=None, index=True)
    from_location = ForeignKey(references=Location, on_delete=KEEP)
    quantity = Numeric(digits=QTY)
    unit = ForeignKey(references=Unit, on_delete=KEEP)
    movement_id = Integer(null=True, default=None)


class CustomerReturn(Table, tablename="inv_customer_return"):
    """Goods a customer sent back (``CRT-2026-00001``). They arrive as a new blocked lot
    (``lot``, origin ``customer_return``) for returns inspection, split from the lot that
    was shipped (``original_lot``) when it is known; a ``customer_return`` movement."""

    id: Serial
    code = Varchar(length=64, unique=True)
    item = ForeignKey(references=Item, on_delete=KEEP, index=True)
    lot = ForeignKey(references=Lot, on_delete=KEEP)
    original_lot = ForeignKey(references=Lot, on_delete=KEEP, null=True, default=None,
                              index=True)
    quantity = Numeric(digits=QTY)
    unit = ForeignKey(references=Unit, on_delete=KEEP)
    location = ForeignKey(references=Location, on_delete=KEEP)
    customer = ForeignKey(references=Party, on_delete=KEEP, null=True, default=None)
    shipment = ForeignKey(references=Shipment, on_delete=KEEP, null=True, default=None,
                          index=True)
    reason_code = ForeignKey(references=ReasonCode, on_delete=KEEP, null=True, default=None)
    note = Text(default="")
    user_id = Integer(null=True, default=None)
    username = Varchar(length=150, default="")
    returned_at = Timestamptz(default=TimestamptzNow())


class SupplierReturn(Table, tablename="inv_supplier_return"):
    """Goods sent back to a supplier (``SRT-2026-00001``), whatever their quality status
    (usually blocked stock taken out of the way); a ``supplier_return`` movement out."""

    id: Serial
    code = Varchar(length=64, unique=True)
    item = ForeignKey(references=Item, on_delete=KEEP, index=True)
    lot = ForeignKey(references=Lot, on_delete=KEEP, null=True, default=None, index=True)
    quantity = Numeric(digits=QTY)
    unit = ForeignKey(references=Unit, on_delete=KEEP)
    from_location = ForeignKey(references=Location, on_delete=KEEP)
    supplier = ForeignKey(references=Party, on_delete=KEEP, null=True, default=None)
    reason_code = ForeignKey(references=ReasonCode, on_delete=KEEP, null=True, default=None)
    note = Text(default="")
    user_id = Integer(null=True, default=None)
    username = Varchar(length=150, default="")
    returned_at = Timestamptz(default=TimestamptzNow())
