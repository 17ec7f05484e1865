"""Inventory rules: receiving, moves, stock queries and traces (a lot's read, release and
block live in :mod:`takt.inventory.lots` and are re-exported here).

Commands run inside the caller's transaction (``run_command`` or ``execute``); every change of
stock goes through :func:`takt.inventory.ledger.post_movement`. An item "moves by lot" when it
is batch-managed or flagged for incoming inspection (inspection status lives on a lot); its
receipts make lots and its moves name one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from piccolo.columns.combination import Or

from takt.inventory import schemas as s
from takt.inventory.ledger import (
    MovementKind,
    check_quantity,
    create_lot,
    link_lots,
    post_movement,
    qty,
    six,
)
from takt.inventory.lots import block_lot, get_lot, list_lots, release_lot
from takt.inventory.tables import Lot, Movement, OnHandNow, Receipt
from takt.masterdata.lookups import (
    item_by_code,
    location_by_code,
    reason_by_code,
    supplier_by_code,
)
from takt.masterdata.tables import Item, Line
from takt.platform.codes import next_document_code
from takt.platform.commands import UnitOfWork
from takt.platform.errors import Invalid, NotFound
from takt.platform.i18n import Message, term
from takt.platform.scantext import Gs1, ScanTextError, parse_scan

__all__ = [
    "block_lot",
    "get_lot",
    "get_receipt",
    "list_ledger",
    "list_lots",
    "list_receipts",
    "list_stock",
    "lot_of_item",
    "lot_required",
    "misc_movement",
    "moves_by_lot",
    "move_stock",
    "receive",
    "reconciliation",
    "release_lot",
]

def _today() -> date:
    return datetime.now(UTC).date()


def moves_by_lot(item: dict[str, Any]) -> bool:
    """Whether stock of the item is kept by lot."""
    return bool(item["batch_managed"] or item["incoming_inspection"])


# --- references by code ----------------------------------------------------------------------

async def lot_of_item(code: str, item: dict[str, Any], field: str = "lot_code"
                      ) -> dict[str, Any]:
    """A lot of ``item`` by its code.

    Raises:
        Invalid: ``reference.unknown``, or ``stock.lot_item_mismatch`` for another item's lot.
    """
    row = await Lot.select(Lot.id, Lot.code, Lot.item, Lot.quality_status, Lot.supplier,
                           Lot.supplier_lot, Lot.expires_on, Lot.gtin, Lot.serial,
                           Lot.work_order_code).where(
        Lot.code == code.upper()).first()
    if row is None:
        raise Invalid(Message("There is no lot {code}.", code=code.upper()),
                      code="reference.unknown", field=field)
    if row["item"] != item["id"]:
        raise Invalid(Message("Lot {code} is not a lot of {item}.",
                              code=row['code'], item=item['code']),
                      code="stock.lot_item_mismatch", field=field)
    return row


def lot_required(item: dict[str, Any]) -> Invalid:
    """The refusal of a move of a lot-managed item that names no lot."""
    return Invalid(Message("{item} is kept by lot: scan or enter the lot.", item=item['code']),
                   code="stock.lot_required", field="lot_code")


def _move_out(posted: Any) -> s.MoveOut:
    return s.MoveOut(
        movement_id=posted.id, kind=posted.kind, document_type=posted.document_type,
        document_code=posted.document_code, item_code=posted.item_code,
        lot_code=posted.lot_code, to_lot_code=posted.to_lot_code,
        from_location_code=posted.from_location_code,
        to_location_code=posted.to_location_code, quantity=posted.quantity,
        unit=posted.unit, at=posted.at)


def _plain(out: s.MoveOut) -> dict[str, Any]:
    return {"kind": out.kind, "document_code": out.document_code, "item_code": out.item_code,
            "lot_code": out.lot_code, "to_lot_code": out.to_lot_code,
            "from_location_code": out.from_location_code,
            "to_location_code": out.to_location_code, "quantity": str(out.quantity),
            "unit": out.unit}


# --- receiving -------------------------------------------------------------------------------

def _gs1(text: str) -> Gs1:
    try:
        parsed = parse_scan(text)
    except ScanTextError as exc:
        raise Invalid(exc.sentence, code="receipt.bad_gs1", field="gs1") from None
    if not isinstance(parsed, Gs1):
        raise Invalid(Message("That is not a supplier's GS1 label; scan the label with the GTIN, "
                              "or enter the item."), code="receipt.not_gs1", field="gs1")
    if parsed.gtin is None:
        raise Invalid(Message("The GS1 label carries no GTIN (AI 01), so it does not say which "
                              "item this is; enter the item."), code="receipt.no_gtin", field="gs1")
    return parsed


async def receive(uow: UnitOfWork, data: s.ReceiptIn) -> s.ReceiptOut:
    """Receive goods into a location: a receipt document, a lot (for items kept by lot;
    pending when the item needs incoming inspection) and a ``receipt`` movement."""
    label = _gs1(data.gs1) if data.gs1 is not None else None
    if label is not None:
        found = await Item.select(Item.code).where(Item.gtin == label.gtin).first()
        if found is None:
            raise Invalid(Message("No item carries the GTIN {gtin}; add it to the item first.",
                                  gtin=label.gtin),
                          code="receipt.unknown_gtin", field="gs1")
        if data.item_code is not None and data.item_code.upper() != found["code"]:
            raise Invalid(Message("The label is of {code}, not {item_code}.",
                                  code=found['code'], item_code=data.item_code.upper()),
                          code="receipt.gs1_mismatch", field="item_code")
        item = await item_by_code(found["code"], "gs1")
    elif data.item_code is not None:
        item = await item_by_code(data.item_code)
    else:
        raise Invalid(Message("Say what was received: item_code, or the supplier label as gs1."),
                      code="receipt.item_required", field="item_code")
    supplier_lot = data.supplier_lot
    expires_on = data.expires_on
    if label is not None:
        if label.batch and supplier_lot is not None and supplier_lot != label.batch:
            raise Invalid(Message("The label says batch {batch}, not {supplier_lot}.",
                                  batch=label.batch, supplier_lot=supplier_lot),
                          code="receipt.gs1_mismatch", field="supplier_lot")
        if label.expiry and expires_on is not None and expires_on != label.expiry:
            raise Invalid(Message("The label says it expires on {expiry}, not {expires_on}.",
                                  expiry=label.expiry.isoformat(),
                                  expires_on=expires_on.isoformat()),
                          code="receipt.gs1_mismatch",
                          field="expires_on")
        supplier_lot = supplier_lot if supplier_lot is not None else label.batch
        expires_on = expires_on if expires_on is not None else label.expiry
    if expires_on is not None and expires_on < _today():
        raise Invalid(Message("This material expired on {expires_on}; it cannot be received.",
                              expires_on=expires_on.isoformat()),
                      code="receipt.expired", field="expires_on")
    amount = check_quantity(data.quantity, item["decimals"], item["unit"])
    location = await location_by_code(data.location_code, "location_code")
    if location["kind"] == "line_side":
        raise Invalid(Message("{location} is a line-side location; receive into a store and "
                              "issue to the line.", location=location['code']),
                      code="stock.bad_location", field="location_code")
    supplier = await supplier_by_code(data.supplier_code) if data.supplier_code else None

    now = datetime.now(UTC)
    code = await next_document_code("RCV", now)
    lot = None
    if moves_by_lot(item):
        lot = await create_lot(
            uow, item_id=item["id"], origin="receipt", quantity=amount,
            supplier_id=supplier["id"] if supplier else None,
            supplier_lot=supplier_lot or "", expires_on=expires_on,
            gtin=label.gtin if label else None, serial=(label.serial or "") if label else "",
            at=now)
    actor = uow.actor
    await Receipt.insert(Receipt(
        code=code, item=item["id"], lot=lot.id if lot else None,
        supplier=supplier["id"] if supplier else None, po_reference=data.po_reference or "",
        quantity=amount, unit=item["unit_id"],
        location=location["id"], gs1=label.raw if label else "", user_id=actor.user_id,
        username=actor.username, received_at=now))
    await post_movement(uow, "receipt", item_id=item["id"], quantity=amount,
                        lot_id=lot.id if lot else None, to_location_id=location["id"],
                        document_type="receipt", document_code=code, note=data.note, at=now)
    out = s.ReceiptOut(
        code=code, lot_code=lot.code if lot else None,
        quality_status=lot.quality_status if lot else "released", item_code=item["code"],
        item_name=item["name"], quantity=qty(amount), unit=item["unit"],
        location_code=location["code"], supplier_code=supplier["code"] if supplier else None,
        supplier_lot=supplier_lot or "", expires_on=expires_on,
        gtin=label.gtin if label else None, serial=(label.serial or "") if label else "",
        po_reference=data.po_reference or "", received_at=now, received_by=actor.username)
    await uow.audit("receipt.create", "receipt", code, after={
        "item_code": out.item_code, "lot_code": out.lot_code, "quantity": str(out.quantity),
        "location_code": out.location_code, "supplier_code": out.supplier_code,
        "supplier_lot": out.supplier_lot, "po_reference": out.po_reference})
    uow.emit("receipt.created", code, f"location:{location['code']}",
             *([f"lot:{lot.code}"] if lot else []))
    return out


def _receipt_query() -> Any:
    return Receipt.select(
        Receipt.code, Receipt.lot.code.as_alias("lot_code"),
        Receipt.lot.quality_status.as_alias("quality_status"),
        Receipt.lot.supplier_lot.as_alias("supplier_lot"),
        Receipt.lot.expires_on.as_alias("expires_on"), Receipt.lot.gtin.as_alias("gtin"),
        Receipt.lot.serial.as_alias("serial"), Receipt.item.code.as_alias("item_code"),
        Receipt.item.name.as_alias("item_name"), Receipt.quantity,
        Receipt.unit.code.as_alias("unit"), Receipt.location.code.as_alias("location_code"),
        Receipt.supplier.code.as_alias("supplier_code"), Receipt.po_reference,
        Receipt.received_at, Receipt.username)


def _receipt_out(row: dict[str, Any]) -> s.ReceiptOut:
    return s.ReceiptOut(
        code=row["code"], lot_code=row["lot_code"],
        quality_status=row["quality_status"] or "released", item_code=row["item_code"],
        item_name=row["item_name"], quantity=qty(row["quantity"]), unit=row["unit"],
        location_code=row["location_code"], supplier_code=row["supplier_code"],
        supplier_lot=row["supplier_lot"] or "", expires_on=row["expires_on"],
        gtin=row["gtin"], serial=row["serial"] or "", po_reference=row["po_reference"],
        received_at=row["received_at"], received_by=row["username"])


async def get_receipt(code: str) -> s.ReceiptOut:
    """One receipt by code."""
    row = await _receipt_query().where(Receipt.code == code.upper()).first()
    if row is None:
        raise NotFound(Message("There is no receipt {code}.", code=code.upper()),
                       code="receipt.not_found")
    return _receipt_out(row)


async def list_receipts(*, item_code: str | None, supplier_code: str | None, limit: int,
                        offset: int) -> tuple[list[s.ReceiptOut], int]:
    """Receipts, newest first: what came in of an item and from whom (the handheld takes an
    item's supplier from its last receipt)."""
    query = _receipt_query().order_by(Receipt.received_at, ascending=False).order_by(
        Receipt.id, ascending=False)
    count = Receipt.count()
    conditions = []
    if item_code:
        conditions.append(Receipt.item.code == item_code.strip().upper())
    if supplier_code:
        conditions.append(Receipt.supplier.code == supplier_code.strip().upper())
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    rows = await query.limit(limit).offset(offset)
    return [_receipt_out(row) for row in rows], await count


# --- moves -----------------------------------------------------------------------------------

async def _document(work_order_code: str | None) -> tuple[str, str]:
    if work_order_code:
        return "work_order", work_order_code.upper()
    return "move", await next_document_code("MOV")


async def move_stock(uow: UnitOfWork, data: s.MoveIn) -> s.MoveOut:
    """Issue, return, transfer, finished goods receipt or scrap of a quantity by scanning.

    A ``defective`` return splits the returned quantity off its lot into a new lot that is
    blocked (quality status is per lot, and the rest of the lot stays good), linked to its
    parent in the genealogy; an item kept without lots gets a new blocked lot for it.
    """
    item = await item_by_code(data.item_code)
    lot = await lot_of_item(data.lot_code, item) if data.lot_code else None
    if lot is None and moves_by_lot(item):
        raise lot_required(item)
    source = await location_by_code(data.from_location_code, "from_location_code")
    target = await location_by_code(data.to_location_code, "to_location_code") \
        if data.to_location_code else None
    if data.defective and data.kind != "return":
        raise Invalid(Message("Only a return can be marked defective."),
                      code="stock.defective_return",
                      field="defective")
    reason_kinds = {"scrap": ("scrap",), "return": ("return",)}.get(data.kind)
    if data.reason_code and reason_kinds is None:
        raise Invalid(Message("A {kind} takes no reason code.", kind=term("movement", data.kind)),
                      code="stock.reason_not_expected", field="reason_code")
    reason = await reason_by_code(data.reason_code, reason_kinds or ())
    amount = check_quantity(data.quantity, item["decimals"], item["unit"])
    document_type, document_code = await _document(data.work_order_code)

    to_lot_id = None
    if data.defective:
        origin_text = f"Returned defective from {source['code']}"
        lot_row = lot
        child = await create_lot(
            uow, item_id=item["id"], origin="split" if lot else "return", quantity=amount,
            quality_status="blocked", supplier_id=lot_row["supplier"] if lot_row else None,
            supplier_lot=lot_row["supplier_lot"] if lot_row else "",
            expires_on=lot_row["expires_on"] if lot_row else None,
            gtin=lot_row["gtin"] if lot_row else None,
            serial=lot_row["serial"] if lot_row else "",
            work_order_code=lot_row["work_order_code"] if lot_row else None,
            hold_reason=reason["code"] if reason else "",
            hold_note=origin_text + (f" ({data.note})" if data.note else ""))
        to_lot_id = child.id
    posted = await post_movement(
        uow, data.kind, item_id=item["id"], quantity=amount,
        lot_id=lot["id"] if lot else None, to_lot_id=to_lot_id, from_location_id=source["id"],
        to_location_id=target["id"] if target else None, document_type=document_type,
        document_code=document_code, reason_code_id=reason["id"] if reason else None,
        note=data.note)
    if lot is not None and to_lot_id is not None:
        await link_lots(uow, parent_lot_id=lot["id"], child_lot_id=to_lot_id, quantity=amount,
                        kind="split", document_type=document_type,
                        document_code=document_code)
    out = _move_out(posted)
    await uow.audit(f"stock.{data.kind}", "movement", str(posted.id), after={
        **_plain(out), "defective": data.defective,
        "reason_code": reason["code"] if reason else None})
    return out


MISC_REASON_KINDS = ("scrap", "hold", "return")
"""Reason codes a miscellaneous movement takes: those about material (not downtime or
andon calls)."""


async def misc_movement(uow: UnitOfWork, data: s.MiscIn) -> s.MoveOut:
    """A miscellaneous receipt or issue with a reason code (supervisors): stock found or
    lost that no other document explains."""
    item = await item_by_code(data.item_code)
    location = await location_by_code(data.location_code, "location_code")
    reason = await reason_by_code(data.reason_code, MISC_REASON_KINDS)
    assert reason is not None
    amount = check_quantity(data.quantity, item["decimals"], item["unit"])
    lot = await lot_of_item(data.lot_code, item) if data.lot_code else None
    document_type, document_code = await _document(None)
    lot_id = lot["id"] if lot else None
    if data.direction == "out":
        if lot is None and moves_by_lot(item):
            raise lot_required(item)
        kind: MovementKind = "misc_out"
        places: dict[str, Any] = {"from_location_id": location["id"]}
    else:
        kind = "misc_in"
        places = {"to_location_id": location["id"]}
        if lot is None and moves_by_lot(item):
            lot_id = (await create_lot(uow, item_id=item["id"], origin="misc",
                                       quantity=amount)).id
    posted = await post_movement(
        uow, kind, item_id=item["id"], quantity=amount, lot_id=lot_id, **places,
        document_type=document_type, document_code=document_code, reason_code_id=reason["id"],
        note=data.note)
    out = _move_out(posted)
    await uow.audit(f"stock.{kind}", "movement", str(posted.id),
                    after={**_plain(out), "reason_code": reason["code"], "note": data.note})
    return out


# --- queries ---------------------------------------------------------------------------------

async def list_stock(*, item_code: str | None, location_code: str | None,
                     lot_code: str | None, limit: int, offset: int
                     ) -> tuple[list[s.StockRow], int]:
    """Stock that is there (non-zero rows), by item, lot and location."""
    conditions = [OnHandNow.quantity != 0]
    if item_code:
        conditions.append(OnHandNow.item.code == item_code.upper())
    if location_code:
        conditions.append(OnHandNow.location.code == location_code.upper())
    if lot_code:
        conditions.append(OnHandNow.lot.code == lot_code.upper())
    query = OnHandNow.select(
        OnHandNow.item.code.as_alias("item_code"), OnHandNow.item.name.as_alias("item_name"),
        OnHandNow.lot.code.as_alias("lot_code"), OnHandNow.location.code.as_alias("location_code"),
        OnHandNow.location._.warehouse.code.as_alias("warehouse_code"), OnHandNow.quantity,
        OnHandNow.item._.unit.code.as_alias("unit"),
        OnHandNow.lot.quality_status.as_alias("quality_status"),
        OnHandNow.lot.expires_on.as_alias("expires_on"),
    ).order_by(OnHandNow.item.code).order_by(OnHandNow.location.code).order_by(OnHandNow.lot.code)
    count = OnHandNow.count()
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    rows = await query.limit(limit).offset(offset)
    return [s.StockRow(**{**row, "quantity": qty(row["quantity"]),
                          "quality_status": row["quality_status"] or "released"})
            for row in rows], await count


async def list_ledger(*, item_code: str | None, lot_code: str | None,
                      location_code: str | None, document_code: str | None,
                      kind: str | None, limit: int, offset: int
                      ) -> tuple[list[s.LedgerRow], int]:
    """Movements, newest first. ``lot_code`` matches the lot moved or the lot it arrived as;
    ``location_code`` matches either end."""
    conditions: list[Any] = []
    if item_code:
        conditions.append(Movement.item.code == item_code.upper())
    if lot_code:
        conditions.append(Or(Movement.lot.code == lot_code.upper(),
                             Movement.to_lot.code == lot_code.upper()))
    if location_code:
        conditions.append(Or(Movement.from_location.code == location_code.upper(),
                             Movement.to_location.code == location_code.upper()))
    if document_code:
        conditions.append(Movement.document_code == document_code.upper())
    if kind:
        conditions.append(Movement.kind == kind)
    query = Movement.select(
        Movement.id, Movement.kind, Movement.item.code.as_alias("item_code"),
        Movement.lot.code.as_alias("lot_code"), Movement.to_lot.code.as_alias("to_lot_code"),
        Movement.from_location.code.as_alias("from_location_code"),
        Movement.to_location.code.as_alias("to_location_code"), Movement.quantity,
        Movement.unit.code.as_alias("unit"), Movement.document_type, Movement.document_code,
        Movement.reason_code.code.as_alias("reason_code"), Movement.note,
        Movement.username.as_alias("user"), Movement.at,
    ).order_by(Movement.at, ascending=False).order_by(Movement.id, ascending=False)
    count = Movement.count()
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    rows = await query.limit(limit).offset(offset)
    out = []
    for row in rows:
        row["quantity"] = qty(row["quantity"])
        if row["to_lot_code"] is None:
            row["to_lot_code"] = row["lot_code"]
        out.append(s.LedgerRow(**row))
    return out, await count


RECONCILED_KINDS = ("line_side", "subcontract")
"""Location kinds whose stock may go negative: a line's WIP (backflushed before its issue was
booked) and a supplier's location (an outsourced receipt consumed more than was sent)."""


async def reconciliation() -> list[s.ReconciliationRow]:
    """Negative balances at line-side and supplier locations: material used at a line, or by
    a supplier doing outsourced work, beyond what was booked there. Each is for the line's
    team (or the buyer, for a supplier) to explain and put right."""
    rows = await OnHandNow.select(
        OnHandNow.location.code.as_alias("location_code"),
        OnHandNow.location.kind.as_alias("location_kind"),
        OnHandNow.location.line_id.as_alias("line_id"), OnHandNow.item.code.as_alias("item_code"),
        OnHandNow.lot.code.as_alias("lot_code"), OnHandNow.quantity,
        OnHandNow.item._.unit.code.as_alias("unit"),
    ).where(OnHandNow.quantity < 0, OnHandNow.location.kind.is_in(list(RECONCILED_KINDS))).order_by(
        OnHandNow.location.code).order_by(OnHandNow.item.code)
    line_ids = list({row["line_id"] for row in rows if row["line_id"]})
    lines = {r["id"]: r["code"] for r in await Line.select(Line.id, Line.code).where(
        Line.id.is_in(line_ids))} if line_ids else {}
    return [s.ReconciliationRow(
        line_code=lines.get(row["line_id"]), location_code=row["location_code"],
        location_kind=row["location_kind"], item_code=row["item_code"],
        lot_code=row["lot_code"], quantity=qty(row["quantity"]), unit=row["unit"])
        for row in rows if six(row["quantity"]) < 0]
