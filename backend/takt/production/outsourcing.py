"""Outsourced operations: a supplier does one operation of a work order, or every remaining
one, and sends the parts back.

* Sending (``POST /work-orders/{code}/outsource``) makes an outsource order (``OSO-...``) for
  a quantity of parts and moves the material the supplier needs to the supplier's location
  (``outsource_out``): by default what the outsourced operations need for that quantity, from
  the line-side location; or the lines given (a semi-finished item from a warehouse, say).
  The parts themselves are no item: their progress is the operations' quantities, so no
  intermediate item is invented.
* Each receipt back (partial receipts allowed) reports the quantity received as good output
  of every outsourced operation in turn, and the supplier's scrap as scrap of the last one.
  The components are consumed at the supplier's location. The last outsourced operation's
  good waits as held for incoming inspection until released, so the next operation becomes
  available only then.
* The supplier's location is ``SUB-<supplier code>`` in the site's ``SUBCONTRACT`` warehouse,
  made the first time the supplier is sent work.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec

from takt.inventory.ledger import post_movement
from takt.inventory.services import lot_of_item
from takt.inventory.tables import Movement
from takt.masterdata.lookups import item_by_code, location_by_code, supplier_by_code
from takt.masterdata.tables import Line, Location, Warehouse
from takt.platform.codes import next_document_code
from takt.platform.commands import UnitOfWork
from takt.platform.errors import Conflict, Invalid, NotFound
from takt.platform.i18n import Message, term
from takt.production import schemas as s
from takt.production.common import qty, six
from takt.production.reporting import (
    OUTSOURCED_RECEIPT_NOTE,
    report_in_command,
    scrap_reason_of,
)
from takt.production.tables import Operation, OperationMaterial, OutsourceOrder, WorkOrder
from takt.production.work_orders import lock_order

__all__ = ["get_outsource_order", "list_outsource_orders", "receive_outsourced",
           "send_outsourced"]

ZERO = Decimal(0)
SENDABLE = ("pending", "ready")
"""Operation statuses that can go to a supplier: work nobody has started here."""


async def _supplier_location(uow: UnitOfWork, supplier: dict[str, Any], site_id: int) -> int:
    """The location holding our stock at the supplier, made on first use."""
    code = f"SUB-{supplier['code']}"
    found = await Location.select(Location.id).where(Location.code == code).first()
    if found is not None:
        return found["id"]
    warehouse = await Warehouse.select(Warehouse.id).where(
        Warehouse.code == "SUBCONTRACT").first()
    if warehouse is None:
        warehouse = (await Warehouse.insert(Warehouse(
            code="SUBCONTRACT", name="Stock at subcontractors", site=site_id,
            kind="general")).returning(Warehouse.id))[0]
        await uow.audit("warehouse.create", "warehouse", "SUBCONTRACT",
                        after={"name": "Stock at subcontractors"})
    row = (await Location.insert(Location(
        code=code, name=f"At {supplier['name']}", warehouse=warehouse["id"],
        kind="subcontract")).returning(Location.id))[0]
    await uow.audit("location.create", "location", code,
                    after={"warehouse": "SUBCONTRACT", "kind": "subcontract"})
    return row["id"]


async def _order(code: str) -> dict[str, Any]:
    row = await WorkOrder.select(
        WorkOrder.id, WorkOrder.code, WorkOrder.status, WorkOrder.quantity,
        WorkOrder.line, WorkOrder.line.wip_location.as_alias("wip"),
        WorkOrder.line._.area.site.as_alias("site"),
        WorkOrder.item._.unit.decimals.as_alias("decimals"),
        WorkOrder.item._.unit.code.as_alias("unit"),
    ).where(WorkOrder.code == code.strip().upper()).first()
    if row is None:
        raise NotFound(Message("There is no work order {code}.", code=code.strip().upper()),
                       code="work_order.not_found")
    return row


async def _line_side(order: dict[str, Any], first_op: dict[str, Any]) -> tuple[int, int]:
    """The line-side location and site of the order's line, or of its first step's line."""
    if order["wip"] is not None:
        return order["wip"], order["site"]
    first = await Operation.select(Operation.workstation.line.as_alias("line")).where(
        Operation.id == first_op["id"]).first()
    line = first["line"] if first else None
    row = await Line.select(Line.wip_location, Line.area.site.as_alias("site")).where(
        Line.id == line).first() if line else None
    if row is None or row["wip_location"] is None:
        raise Conflict(Message("Work order {order} has no line with a line-side location.",
                               order=order['code']),
                       code="outsource.no_line_side")
    return row["wip_location"], row["site"]


async def send_outsourced(uow: UnitOfWork, code: str, data: s.OutsourceIn
                          ) -> s.OutsourceOut:
    """Send one operation of a work order (``operation_seq``), or every operation nobody has
    started yet, to a supplier for ``quantity`` parts, with the material it needs."""
    order = await _order(code)
    if order["status"] not in ("released", "in_progress"):
        raise Conflict(Message("Work order {order} is {order_status}; only released work can be "
                               "outsourced.",
                               order=order['code'],
                               order_status=term("work order status", order["status"])),
                       code="work_order.not_open",
                       current_status=order["status"])
    supplier = await supplier_by_code(data.supplier_code)
    ops = await lock_order(order["id"])
    if data.operation_seq is not None:
        chosen = [op for op in ops if op["seq"] == data.operation_seq]
        if not chosen:
            raise Invalid(Message("Work order {order} has no operation {operation_seq}.",
                                  order=order['code'], operation_seq=data.operation_seq),
                          code="outsource.no_such_operation", field="operation_seq")
    else:
        chosen = [op for op in ops if qty(op["good"]) + qty(op["scrap"]) == 0
                  and op["status"] in SENDABLE]
        if not chosen:
            raise Conflict(Message("Every operation of {order} has begun; name the one to send.",
                                   order=order['code']), code="outsource.nothing_to_send")
    for op in chosen:
        if op["status"] not in SENDABLE or qty(op["good"]) + qty(op["scrap"]) > 0:
            raise Conflict(Message("Operation {op} has begun here ({op_status}); only work not "
                                   "yet started is sent out.",
                                   op=op['code'], op_status=term("operation status", op["status"])),
                           code="outsource.operation_begun", current_status=op["status"])
    if await OutsourceOrder.exists().where(
            OutsourceOrder.work_order == order["id"], OutsourceOrder.status == "open",
            OutsourceOrder.first_seq <= chosen[-1]["seq"],
            OutsourceOrder.last_seq >= chosen[0]["seq"]):
        raise Conflict(Message("Part of this work of {order} is already at a supplier; receive "
                               "or close that outsource order first.", order=order['code']),
                       code="outsource.already_out")
    first = chosen[0]
    _check_parts(data.quantity, order)
    starting = qty(order["quantity"]) if first is ops[0] else qty(first["available"])
    if data.quantity > starting - qty(first["good"]) - qty(first["scrap"]):
        raise Conflict(Message("Only {starting} {order_unit} can go through operation {first}; "
                               "{quantity} cannot be sent.",
                               starting=qty(starting), order_unit=order['unit'],
                               first=first['code'], quantity=qty(data.quantity)),
                       code="outsource.exceeds_available", available=str(qty(starting)))
    wip, site = await _line_side(order, first)
    location = await _supplier_location(uow, supplier, site)
    oso_code = await next_document_code("OSO")
    oso_id = (await OutsourceOrder.insert(OutsourceOrder(
        code=oso_code, work_order=order["id"], first_seq=first["seq"],
        last_seq=chosen[-1]["seq"], supplier=supplier["id"], location=location,
        quantity=six(data.quantity), note=data.note)).returning(OutsourceOrder.id))[0]["id"]
    sent = []
    for line in data.materials if data.materials is not None else await _default_materials(
            [op["id"] for op in chosen], data.quantity, qty(order["quantity"])):
        item = await item_by_code(line.item_code, "materials")
        lot_id = None
        if line.lot_code:
            lot_id = (await lot_of_item(line.lot_code, item, "materials"))["id"]
        source = wip
        if line.from_location_code:
            source = (await location_by_code(line.from_location_code, "materials"))["id"]
        posted = await post_movement(
            uow, "outsource_out", item_id=item["id"], quantity=line.quantity, lot_id=lot_id,
            from_location_id=source, to_location_id=location, document_type="outsource_order",
            document_code=oso_code)
        sent.append(s.OutsourceMaterialOut(item_code=posted.item_code, lot_code=posted.lot_code,
                                           from_location_code=posted.from_location_code or "",
                                           quantity=posted.quantity, unit=posted.unit))
    out = await get_outsource_order(oso_code, materials=sent, order_id=oso_id)
    await uow.audit("outsource.send", "outsource_order", oso_code,
                    after=msgspec.to_builtins(out))
    uow.emit("outsource.sent", oso_code, f"wo:{order['code']}")
    return out


def _check_parts(quantity: Decimal, order: dict[str, Any]) -> None:
    if quantity <= 0:
        raise Invalid(Message("Send a quantity greater than zero."), code="invalid.quantity",
                      field="quantity")
    step = Decimal(1).scaleb(-order["decimals"])
    if quantity != quantity.quantize(step):
        raise Invalid(Message("Quantities in {order_unit} have at most {order_decimals} decimals.",
                              order_unit=order['unit'], order_decimals=order['decimals']),
                      code="invalid.decimals", field="quantity")


async def _default_materials(op_ids: list[int], quantity: Decimal, ordered: Decimal
                             ) -> list[s.OutsourceMaterialIn]:
    """What the outsourced operations need for ``quantity`` parts, from the line side."""
    needs: dict[str, Decimal] = {}
    for row in await OperationMaterial.select(
            OperationMaterial.item.code.as_alias("item_code"), OperationMaterial.required,
    ).where(OperationMaterial.operation.is_in(op_ids)):
        needs[row["item_code"]] = needs.get(row["item_code"], ZERO) + (
            qty(row["required"]) * quantity / ordered)
    return [s.OutsourceMaterialIn(item_code=code, quantity=qty(six(amount)))
            for code, amount in needs.items() if amount > 0]


async def receive_outsourced(uow: UnitOfWork, code: str, data: s.OutsourceReceiptIn
                             ) -> s.OutsourceOut:
    """Parts back from the supplier: ``good`` counts as good output of every outsourced
    operation (the last one's held for incoming inspection), ``scrap`` as the supplier's
    scrap on the last one; components are consumed at the supplier's location."""
    oso = await OutsourceOrder.select(
        OutsourceOrder.id, OutsourceOrder.code, OutsourceOrder.status,
        OutsourceOrder.work_order, OutsourceOrder.first_seq, OutsourceOrder.last_seq,
        OutsourceOrder.location, OutsourceOrder.quantity, OutsourceOrder.received,
        OutsourceOrder.scrapped,
    ).where(OutsourceOrder.code == code.strip().upper()).first()
    if oso is None:
        raise NotFound(Message("There is no outsource order {code}.", code=code.strip().upper()),
                       code="outsource.not_found")
    if oso["status"] != "open":
        raise Conflict(Message("Outsource order {oso} is {oso_status}; nothing more is received "
                               "on it.", oso=oso['code'],
                               oso_status=term("outsourcing order status", oso["status"])),
                       code="outsource.not_open",
                       current_status=oso["status"])
    if data.good + data.scrap <= 0:
        raise Invalid(Message("Receive some good or scrapped parts."), code="outsource.empty")
    outstanding = qty(oso["quantity"]) - qty(oso["received"]) - qty(oso["scrapped"])
    if data.good + data.scrap > outstanding:
        raise Conflict(Message("Only {outstanding} parts of {oso} are still at the supplier; "
                               "{value} cannot be received.",
                               outstanding=qty(outstanding), oso=oso['code'],
                               value=qty(data.good + data.scrap)),
                       code="outsource.exceeds_sent", outstanding=str(qty(outstanding)))
    if data.scrap > 0 and data.scrap_reason is None:
        raise Invalid(Message("Supplier scrap needs a reason: choose a scrap reason code."),
                      code="report.scrap_reason_required", field="scrap_reason")
    if data.scrap_reason:
        await scrap_reason_of(data.scrap_reason)
    ops = await Operation.select(Operation.id, Operation.seq).where(
        Operation.work_order == oso["work_order"], Operation.seq >= oso["first_seq"],
        Operation.seq <= oso["last_seq"]).order_by(Operation.seq)
    # The note tells a void that these reports consumed at the supplier's location.
    note = f"{OUTSOURCED_RECEIPT_NOTE}{oso['code']}"
    for index, op in enumerate(ops):
        last = index == len(ops) - 1
        report = s.ReportIn(good=data.good, scrap=data.scrap if last else ZERO,
                            scrap_reason=data.scrap_reason if last and data.scrap > 0 else None,
                            note=note)
        if report.good + report.scrap > 0:
            await report_in_command(uow, op["id"], report, consumed_at=oso["location"], hold=last)
    received = qty(oso["received"]) + data.good
    scrapped = qty(oso["scrapped"]) + data.scrap
    done = received + scrapped >= qty(oso["quantity"])
    changed = await OutsourceOrder.update({
        OutsourceOrder.received: six(received), OutsourceOrder.scrapped: six(scrapped),
        OutsourceOrder.status: "closed" if done else "open",
        OutsourceOrder.version: OutsourceOrder.version + 1,
    }).where(OutsourceOrder.id == oso["id"], OutsourceOrder.status == "open").returning(
        OutsourceOrder.id)
    if not changed:
        raise Conflict(Message("Outsource order {oso} changed meanwhile; look again.",
                               oso=oso['code']),
                       code="outsource.not_open")
    out = await get_outsource_order(oso["code"])
    await uow.audit("outsource.receive", "outsource_order", oso["code"], after={
        "good": str(qty(data.good)), "scrap": str(qty(data.scrap)),
        "scrap_reason": data.scrap_reason.upper() if data.scrap_reason else None,
        "status": out.status})
    uow.emit("outsource.received", oso["code"], f"wo:{out.work_order}")
    return out


async def get_outsource_order(code: str, *, materials: list[s.OutsourceMaterialOut] | None = None,
                              order_id: int | None = None) -> s.OutsourceOut:
    """An outsource order and what was sent on it."""
    condition = (OutsourceOrder.id == order_id) if order_id is not None else (
        OutsourceOrder.code == code.strip().upper())
    rows = await _rows(condition)
    if not rows:
        raise NotFound(Message("There is no outsource order {code}.", code=code.strip().upper()),
                       code="outsource.not_found")
    return rows[0] if materials is None else msgspec.structs.replace(rows[0],
                                                                      materials=materials)


async def list_outsource_orders(work_order_code: str) -> list[s.OutsourceOut]:
    """A work order's outsource orders, oldest first."""
    order = await _order(work_order_code)
    return await _rows(OutsourceOrder.work_order == order["id"])


async def _rows(condition: Any) -> list[s.OutsourceOut]:
    rows = await OutsourceOrder.select(
        OutsourceOrder.code, OutsourceOrder.work_order.code.as_alias("work_order"),
        OutsourceOrder.first_seq, OutsourceOrder.last_seq,
        OutsourceOrder.supplier.code.as_alias("supplier"),
        OutsourceOrder.location.code.as_alias("location"), OutsourceOrder.quantity,
        OutsourceOrder.received, OutsourceOrder.scrapped, OutsourceOrder.status,
        OutsourceOrder.note, OutsourceOrder.created_at,
    ).where(condition).order_by(OutsourceOrder.id)
    codes = [row["code"] for row in rows]
    sent: dict[str, list[s.OutsourceMaterialOut]] = {code: [] for code in codes}
    if codes:
        for move in await Movement.select(
                Movement.document_code, Movement.item.code.as_alias("item_code"),
                Movement.lot.code.as_alias("lot_code"),
                Movement.from_location.code.as_alias("from_location_code"),
                Movement.quantity, Movement.unit.code.as_alias("unit"),
        ).where(Movement.document_type == "outsource_order", Movement.document_code.is_in(codes),
                Movement.kind == "outsource_out").order_by(Movement.id):
            sent[move["document_code"]].append(s.OutsourceMaterialOut(
                item_code=move["item_code"], lot_code=move["lot_code"],
                from_location_code=move["from_location_code"] or "",
                quantity=qty(move["quantity"]), unit=move["unit"]))
    return [s.OutsourceOut(
        code=row["code"], work_order=row["work_order"], first_seq=row["first_seq"],
        last_seq=row["last_seq"], supplier_code=row["supplier"],
        location_code=row["location"], quantity=qty(row["quantity"]),
        received=qty(row["received"]), scrapped=qty(row["scrapped"]),
        outstanding=qty(max(qty(row["quantity"]) - qty(row["received"]) - qty(row["scrapped"]),
                            ZERO)),
        status=row["status"], note=row["note"], created_at=row["created_at"],
        materials=sent[row["code"]]) for row in rows]
