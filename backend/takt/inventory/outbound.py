"""Outbound documents: shipments to customers, customer returns and returns to suppliers.

* A **shipment** (``SHP-2026-00001``) holds what went out against a customer's order
  reference, line by line and lot by lot; each line is a ``shipment`` movement out of the
  plant from a store (not from a line: finished goods are received into a store first).
  Only released lots ship (the ledger refuses others, 409 ``lot.not_released``), and a
  location never gives more than it holds; one line refused, nothing of the shipment is
  written. A serial-tracked item's line names one serial per unit: each must be produced into
  the line's lot and not shipped before; the serial module marks it shipped on that line
  (:func:`takt.inventory.serials.mark_shipped`), so a unit leaves the plant once.
* A **customer return** (``CRT-2026-00001``) receives the goods into a store as a new lot
  that is **blocked** for returns inspection (origin ``customer_return``), never back into
  the lot that was shipped: that lot's good stock may still be in the plant, and blocking it
  would stop it too. This is the rule of the defective line return
  (:func:`takt.inventory.services.move_stock`): the new lot copies the supplier data,
  expiry and work order of the lot shipped, is linked to it in the genealogy (``split``),
  and the one ``customer_return`` movement carries ``lot`` = the lot shipped and
  ``to_lot`` = the new lot. Against a shipment, no more of an item and lot comes back than
  that shipment sent (returns before it counted).
* A **supplier return** (``SRT-2026-00001``) sends goods of any quality status back to the
  supplier (usually blocked stock taken out of the way): a ``supplier_return`` movement out
  of a store. The supplier defaults to the lot's.

Miscellaneous receipts and issues are :func:`takt.inventory.services.misc_movement`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from takt.inventory import schemas as s
from takt.inventory.ledger import (
    ZERO,
    PostedMovement,
    check_quantity,
    create_lot,
    link_lots,
    post_movement,
    qty,
    six,
)
from takt.inventory.serials import mark_shipped, shipped_serials
from takt.inventory.services import lot_of_item, lot_required, moves_by_lot
from takt.inventory.tables import (
    CustomerReturn,
    Lot,
    Shipment,
    ShipmentLine,
    SupplierReturn,
)
from takt.masterdata.lookups import (
    customer_by_code,
    item_by_code,
    location_by_code,
    reason_by_code,
    supplier_by_code,
)
from takt.masterdata.tables import Party
from takt.platform.codes import next_document_code
from takt.platform.commands import UnitOfWork
from takt.platform.errors import Invalid, NotFound, TaktError
from takt.platform.i18n import Message
from takt.platform.sql import Statement

__all__ = [
    "get_customer_return",
    "get_shipment",
    "get_supplier_return",
    "receive_customer_return",
    "return_to_supplier",
    "ship",
]

CUSTOMER_RETURN_REASONS = ("return", "hold")
SUPPLIER_RETURN_REASONS = ("return", "hold", "scrap")

_SHIPMENT_FOR_RETURN = Statement("""
    SELECT s.id, s.code, s.customer, p.code AS customer_code
    FROM inv_shipment s LEFT JOIN md_party p ON p.id = s.customer
    WHERE s.code = $1 FOR UPDATE OF s
""")
"""On PostgreSQL a row lock: two returns against one shipment queue, so together they
never take back more than it sent."""
_SHIPPED = Statement("""
    SELECT l.lot, lt.code AS lot_code, SUM(l.quantity) AS quantity
    FROM inv_shipment_line l LEFT JOIN inv_lot lt ON lt.id = l.lot
    WHERE l.shipment = $1 AND l.item = $2
    GROUP BY l.lot, lt.code
    ORDER BY lt.code
""")
_RETURNED = Statement("""
    SELECT COALESCE(SUM(quantity), 0) AS quantity FROM inv_customer_return
    WHERE shipment = $1 AND item = $2 AND COALESCE(original_lot, 0) = $3
""")


def _store(location: dict[str, Any], field: str, what: str) -> dict[str, Any]:
    if location["kind"] == "line_side":
        raise Invalid(Message("{location} is a line-side location; {what}",
                              location=location['code'], what=what),
                      code="stock.bad_location", field=field)
    return location


# --- shipments -------------------------------------------------------------------------------

def _line_serials(codes: list[str], item: dict[str, Any], amount: Decimal,
                  index: int) -> list[str]:
    """The serials a line names: one per unit for a serial-tracked item, none for another."""
    field, number = f"lines[{index}].serials", index + 1
    serials = [code.strip().upper() for code in codes]
    if not item["serial_tracked"]:
        if serials:
            raise Invalid(Message("Line {number}: {item} is not serial-tracked; ship it without "
                                  "serial numbers.", number=number, item=item['code']),
                          code="shipment.serials_not_tracked",
                          field=field)
        return []
    if len(set(serials)) != len(serials):
        twice = sorted({code for code in serials if serials.count(code) > 1})
        raise Invalid(Message("Line {number}: serial {twice} is named twice.",
                              number=number, twice=', '.join(twice)),
                      code="shipment.serial_twice", field=field)
    if Decimal(len(serials)) != amount:
        named = Message("1 serial named") if len(serials) == 1 else Message(
            "{count} serials named", count=len(serials))
        raise Invalid(Message("Line {number}: {item} is serial-tracked: scan one serial per unit "
                              "({amount} {item_unit} to ship, {named}).",
                              number=number, item=item['code'], amount=qty(amount),
                              item_unit=item['unit'], named=named),
                      code="shipment.serials_mismatch", field=field)
    return serials


async def _ship_line(uow: UnitOfWork, shipment_id: int, line_no: int, line: dict[str, Any],
                     code: str, at: datetime) -> PostedMovement:
    """Post one shipment line and record it. Serial-tracked items: the serial module checks
    and marks the line's serial numbers here (produced, of this lot, not shipped before)."""
    try:
        posted = await post_movement(
            uow, "shipment", item_id=line["item"]["id"], quantity=line["amount"],
            lot_id=line["lot"]["id"] if line["lot"] else None,
            from_location_id=line["location"]["id"], document_type="shipment",
            document_code=code, at=at)
    except TaktError as exc:
        raise type(exc)(Message("Line {line_no}: {reason}", line_no=line_no, reason=exc.sentence),
                        code=exc.code, line=line_no,
                        **exc.extra) from None
    rows = await ShipmentLine.insert(ShipmentLine(
        shipment=shipment_id, line_no=line_no, item=line["item"]["id"],
        lot=line["lot"]["id"] if line["lot"] else None, from_location=line["location"]["id"],
        quantity=line["amount"], unit=line["item"]["unit_id"], movement_id=posted.id,
    )).returning(ShipmentLine.id)
    if line["serials"]:
        await mark_shipped(line["serials"], item=line["item"], lot=line["lot"],
                           shipment_line_id=rows[0]["id"], line_no=line_no)
    return posted


async def ship(uow: UnitOfWork, data: s.ShipmentIn) -> s.ShipmentOut:
    """Ship goods to a customer: a shipment document and one ``shipment`` movement a line."""
    customer = await customer_by_code(data.customer_code) if data.customer_code else None
    reference = data.customer_order_ref.strip()
    if not reference:
        raise Invalid(Message("Give the customer's order reference."),
                      code="shipment.reference_required",
                      field="customer_order_ref")
    lines = []
    for index, entry in enumerate(data.lines):
        field = f"lines[{index}]"
        item = await item_by_code(entry.item_code, f"{field}.item_code")
        lot = await lot_of_item(entry.lot_code, item, f"{field}.lot_code") if entry.lot_code \
            else None
        if lot is None and moves_by_lot(item):
            raise Invalid(Message("Line {value}: {item} is kept by lot: scan or enter the lot.",
                                  value=index + 1, item=item['code']),
                          code="stock.lot_required", field=f"{field}.lot_code")
        location = _store(await location_by_code(entry.from_location_code,
                                          f"{field}.from_location_code"),
                          f"{field}.from_location_code",
                          Message("receive finished goods into a store before shipping them."))
        amount = check_quantity(entry.quantity, item["decimals"], item["unit"],
                                f"{field}.quantity")
        serials = _line_serials(entry.serials, item, amount, index)
        lines.append({"item": item, "lot": lot, "location": location, "amount": amount,
                      "serials": serials})

    now = datetime.now(UTC)
    code = await next_document_code("SHP", now)
    actor = uow.actor
    rows = await Shipment.insert(Shipment(
        code=code, customer_order_ref=reference, customer=customer["id"] if customer else None,
        note=data.note, user_id=actor.user_id, username=actor.username,
        shipped_at=now)).returning(Shipment.id)
    shipped = [await _ship_line(uow, rows[0]["id"], number, line, code, now)
               for number, line in enumerate(lines, start=1)]
    await uow.audit("shipment.create", "shipment", code, after={
        "customer_order_ref": reference, "customer_code": customer["code"] if customer else None,
        "lines": [{"item_code": p.item_code, "lot_code": p.lot_code,
                   "from_location_code": p.from_location_code, "quantity": str(p.quantity),
                   **({"serials": line["serials"]} if line["serials"] else {})}
                  for p, line in zip(shipped, lines, strict=True)]})
    uow.emit("shipment.created", code, f"shipment:{code}",
             *sorted({f"location:{p.from_location_code}" for p in shipped}))
    return await get_shipment(code)


async def get_shipment(code: str) -> s.ShipmentOut:
    """A shipment with its lines."""
    row = await Shipment.select(
        Shipment.id, Shipment.code, Shipment.customer_order_ref,
        Shipment.customer.code.as_alias("customer_code"), Shipment.note, Shipment.username,
        Shipment.shipped_at,
    ).where(Shipment.code == code.upper()).first()
    if row is None:
        raise NotFound(Message("There is no shipment {code}.", code=code.upper()),
                       code="shipment.not_found")
    lines = await ShipmentLine.select(
        ShipmentLine.line_no, ShipmentLine.item.code.as_alias("item_code"),
        ShipmentLine.item.name.as_alias("item_name"), ShipmentLine.lot.code.as_alias("lot_code"),
        ShipmentLine.from_location.code.as_alias("from_location_code"), ShipmentLine.quantity,
        ShipmentLine.unit.code.as_alias("unit"), ShipmentLine.movement_id,
    ).where(ShipmentLine.shipment == row["id"]).order_by(ShipmentLine.line_no)
    serials = await shipped_serials(row["id"])
    return s.ShipmentOut(
        code=row["code"], customer_order_ref=row["customer_order_ref"],
        customer_code=row["customer_code"], note=row["note"], shipped_by=row["username"],
        shipped_at=row["shipped_at"],
        lines=[s.ShipmentLineOut(**{**line, "quantity": qty(line["quantity"])},
                                 serials=serials.get(line["line_no"], []))
               for line in lines])


# --- customer returns ------------------------------------------------------------------------

async def _against_shipment(code: str, item: dict[str, Any], lot: dict[str, Any] | None,
                            customer: dict[str, Any] | None, amount: Decimal
                            ) -> tuple[dict[str, Any], int | None]:
    """Check a return against the shipment it names; the shipment and the lot shipped."""
    shipment = await _SHIPMENT_FOR_RETURN.fetchrow(code.upper())
    if shipment is None:
        raise Invalid(Message("There is no shipment {code}.", code=code.upper()),
                      code="reference.unknown",
                      field="shipment_code")
    shipment = dict(shipment)
    if customer is not None and shipment["customer"] not in (None, customer["id"]):
        raise Invalid(Message("{shipment} went to {shipment_customer_code}, not {customer}.",
                              shipment=shipment['code'],
                              shipment_customer_code=shipment['customer_code'],
                              customer=customer['code']),
                      code="customer_return.wrong_customer",
                      field="customer_code")
    shipped = {row["lot"]: row for row in await _SHIPPED.fetch(shipment["id"], item["id"])}
    if not shipped:
        raise Invalid(Message("{shipment} shipped no {item}.",
                              shipment=shipment['code'], item=item['code']),
                      code="customer_return.not_shipped", field="item_code")
    if lot is None:
        if len(shipped) > 1:
            lots = ", ".join(row["lot_code"] or "without lot" for row in shipped.values())
            raise Invalid(Message("{shipment} shipped {item} in several lots ({lots}); say which "
                                  "lot comes back.",
                                  shipment=shipment['code'], item=item['code'], lots=lots),
                          code="stock.lot_required",
                          field="lot_code")
        lot_id = next(iter(shipped))
    else:
        lot_id = lot["id"]
        if lot_id not in shipped:
            raise Invalid(Message("Lot {lot} was not shipped on {shipment}.",
                                  lot=lot['code'], shipment=shipment['code']),
                          code="customer_return.not_shipped", field="lot_code")
    returned = six(await _RETURNED.fetchval(shipment["id"], item["id"], lot_id or 0))
    left = six(shipped[lot_id]["quantity"]) - returned
    if amount > left:
        lot_words = Message(" of lot {lot}", lot=shipped[lot_id]["lot_code"]) if lot_id else ""
        raise Invalid(Message("{shipment} sent {quantity} {item_unit} of {item}{lot_words}, "
                              "{returned} came back before; {amount} more cannot come back "
                              "against it.",
                              shipment=shipment['code'], quantity=qty(shipped[lot_id]['quantity']),
                              item_unit=item['unit'], item=item['code'], lot_words=lot_words,
                              returned=qty(returned), amount=qty(amount)),
                      code="customer_return.more_than_shipped", field="quantity",
                      available=str(qty(max(left, ZERO))))
    return shipment, lot_id


async def receive_customer_return(uow: UnitOfWork, data: s.CustomerReturnIn
                                  ) -> s.CustomerReturnOut:
    """Receive goods a customer sent back as a new blocked lot, for returns inspection."""
    item = await item_by_code(data.item_code)
    location = _store(await location_by_code(data.location_code, "location_code"), "location_code",
                      Message("receive returns into a store (a quarantine location, for "
                              "instance)."))
    amount = check_quantity(data.quantity, item["decimals"], item["unit"])
    customer = await customer_by_code(data.customer_code) if data.customer_code else None
    reason = await reason_by_code(data.reason_code, CUSTOMER_RETURN_REASONS)
    original = await lot_of_item(data.lot_code, item) if data.lot_code else None
    shipment = None
    original_id = original["id"] if original else None
    if data.shipment_code:
        shipment, original_id = await _against_shipment(data.shipment_code, item, original,
                                                        customer, amount)
        if customer is None and shipment["customer"] is not None:
            customer = {"id": shipment["customer"], "code": shipment["customer_code"]}
        if original is None and original_id is not None:
            original = await _lot_of_id(original_id, item)

    now = datetime.now(UTC)
    code = await next_document_code("CRT", now)
    source = f"Returned by {customer['code']}" if customer else "Returned by a customer"
    if shipment is not None:
        source += f" ({shipment['code']})"
    child = await create_lot(
        uow, item_id=item["id"], origin="customer_return", quantity=amount,
        quality_status="blocked", supplier_id=original["supplier"] if original else None,
        supplier_lot=original["supplier_lot"] if original else "",
        expires_on=original["expires_on"] if original else None,
        gtin=original["gtin"] if original else None,
        serial=original["serial"] if original else "",
        work_order_code=original["work_order_code"] if original else None,
        hold_reason=reason["code"] if reason else "",
        hold_note=source + (f": {data.note}" if data.note else ""), at=now)
    await post_movement(
        uow, "customer_return", item_id=item["id"], quantity=amount,
        lot_id=original_id or child.id, to_lot_id=child.id if original_id else None,
        to_location_id=location["id"], document_type="customer_return", document_code=code,
        reason_code_id=reason["id"] if reason else None, note=data.note, at=now)
    if original_id is not None:
        await link_lots(uow, parent_lot_id=original_id, child_lot_id=child.id, quantity=amount,
                        kind="split", document_type="customer_return", document_code=code,
                        at=now)
    actor = uow.actor
    await CustomerReturn.insert(CustomerReturn(
        code=code, item=item["id"], lot=child.id, original_lot=original_id, quantity=amount,
        unit=item["unit_id"], location=location["id"],
        customer=customer["id"] if customer else None,
        shipment=shipment["id"] if shipment else None,
        reason_code=reason["id"] if reason else None, note=data.note, user_id=actor.user_id,
        username=actor.username, returned_at=now))
    await uow.audit("customer_return.create", "customer_return", code, after={
        "item_code": item["code"], "lot_code": child.code,
        "original_lot_code": original["code"] if original else None,
        "quantity": str(qty(amount)), "location_code": location["code"],
        "customer_code": customer["code"] if customer else None,
        "shipment_code": shipment["code"] if shipment else None,
        "reason_code": reason["code"] if reason else None})
    uow.emit("customer_return.created", code, f"location:{location['code']}",
             f"lot:{child.code}")
    return await get_customer_return(code)


async def _lot_of_id(lot_id: int, item: dict[str, Any]) -> dict[str, Any]:
    row = await Lot.select(Lot.code).where(Lot.id == lot_id).first()
    assert row is not None  # it was on the shipment; lots are never deleted
    return await lot_of_item(row["code"], item)


async def get_customer_return(code: str) -> s.CustomerReturnOut:
    """A customer return."""
    row = await CustomerReturn.select(
        CustomerReturn.code, CustomerReturn.item.code.as_alias("item_code"),
        CustomerReturn.lot.code.as_alias("lot_code"),
        CustomerReturn.lot.quality_status.as_alias("quality_status"),
        CustomerReturn.original_lot.code.as_alias("original_lot_code"),
        CustomerReturn.quantity, CustomerReturn.unit.code.as_alias("unit"),
        CustomerReturn.location.code.as_alias("location_code"),
        CustomerReturn.customer.code.as_alias("customer_code"),
        CustomerReturn.shipment.code.as_alias("shipment_code"),
        CustomerReturn.reason_code.code.as_alias("reason_code"), CustomerReturn.note,
        CustomerReturn.username.as_alias("returned_by"), CustomerReturn.returned_at,
    ).where(CustomerReturn.code == code.upper()).first()
    if row is None:
        raise NotFound(Message("There is no customer return {code}.", code=code.upper()),
                       code="customer_return.not_found")
    return s.CustomerReturnOut(**{**row, "quantity": qty(row["quantity"])})


# --- supplier returns ------------------------------------------------------------------------

async def return_to_supplier(uow: UnitOfWork, data: s.SupplierReturnIn
                             ) -> s.SupplierReturnOut:
    """Send goods back to their supplier, whatever their quality status."""
    item = await item_by_code(data.item_code)
    lot = await lot_of_item(data.lot_code, item) if data.lot_code else None
    if lot is None and moves_by_lot(item):
        raise lot_required(item)
    location = _store(await location_by_code(data.from_location_code, "from_location_code"),
                      "from_location_code",
                      Message("return it from the line to a store first."))
    amount = check_quantity(data.quantity, item["decimals"], item["unit"])
    reason = await reason_by_code(data.reason_code, SUPPLIER_RETURN_REASONS)
    if data.supplier_code:
        supplier = await supplier_by_code(data.supplier_code)
    elif lot is not None and lot["supplier"] is not None:
        found = await Party.select(Party.id, Party.code).where(
            Party.id == lot["supplier"]).first()
        assert found is not None  # parties are deactivated, never deleted
        supplier = found
    else:
        raise Invalid(Message("Say which supplier the goods go back to."),
                      code="supplier_return.supplier_required", field="supplier_code")

    now = datetime.now(UTC)
    code = await next_document_code("SRT", now)
    await post_movement(
        uow, "supplier_return", item_id=item["id"], quantity=amount,
        lot_id=lot["id"] if lot else None, from_location_id=location["id"],
        document_type="supplier_return", document_code=code,
        reason_code_id=reason["id"] if reason else None, note=data.note, at=now)
    actor = uow.actor
    await SupplierReturn.insert(SupplierReturn(
        code=code, item=item["id"], lot=lot["id"] if lot else None, quantity=amount,
        unit=item["unit_id"], from_location=location["id"], supplier=supplier["id"],
        reason_code=reason["id"] if reason else None, note=data.note, user_id=actor.user_id,
        username=actor.username, returned_at=now))
    await uow.audit("supplier_return.create", "supplier_return", code, after={
        "item_code": item["code"], "lot_code": lot["code"] if lot else None,
        "quality_status": lot["quality_status"] if lot else "released",
        "quantity": str(qty(amount)), "from_location_code": location["code"],
        "supplier_code": supplier["code"], "reason_code": reason["code"] if reason else None})
    uow.emit("supplier_return.created", code, f"location:{location['code']}",
             *([f"lot:{lot['code']}"] if lot else []))
    return await get_supplier_return(code)


async def get_supplier_return(code: str) -> s.SupplierReturnOut:
    """A return to a supplier."""
    row = await SupplierReturn.select(
        SupplierReturn.code, SupplierReturn.item.code.as_alias("item_code"),
        SupplierReturn.lot.code.as_alias("lot_code"),
        SupplierReturn.lot.quality_status.as_alias("quality_status"),
        SupplierReturn.quantity, SupplierReturn.unit.code.as_alias("unit"),
        SupplierReturn.from_location.code.as_alias("from_location_code"),
        SupplierReturn.supplier.code.as_alias("supplier_code"),
        SupplierReturn.reason_code.code.as_alias("reason_code"), SupplierReturn.note,
        SupplierReturn.username.as_alias("returned_by"), SupplierReturn.returned_at,
    ).where(SupplierReturn.code == code.upper()).first()
    if row is None:
        raise NotFound(Message("There is no supplier return {code}.", code=code.upper()),
                       code="supplier_return.not_found")
    return s.SupplierReturnOut(**{**row, "quantity": qty(row["quantity"]),
                                  "quality_status": row["quality_status"] or "released"})
