"""What the workstation shows beside an operation: its scan-to-consume components with what
has been consumed of each so far, and whether its output is reported by scanning serials.

The operation's own read (:func:`takt.production.queries.get_operation`) stays what every
list and board uses; this read is for the one screen an operator has open, so its extra
queries (the order's consume movements, its serials) are paid only there.

* ``consumed``: the order's ``consume`` movements of the component, less reversals. Scan-to-
  consume components are never backflushed (a report leaves them alone), so every consumption
  of one against the order is a scan. Should one component be scan-to-consume on two
  operations of an order, each shows the order's total.
* ``per_unit``: what one unit of the order needs (the requirement over the order quantity),
  what a scan consumes when no quantity is given.
* ``serial_step``: the item is serial-tracked and this is the order's last output-counting
  operation, the one where scanning a serial reports a unit
  (:func:`takt.production.serials.report_by_serial`).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import msgspec

from takt.inventory.ledger import qty, six
from takt.inventory.tables import Movement, SerialNumber
from takt.platform.errors import NotFound
from takt.platform.i18n import Message
from takt.production.tables import Operation, OperationMaterial

__all__ = ["StationComponent", "StationOut", "station_view"]

ZERO = Decimal(0)


class StationComponent(msgspec.Struct, kw_only=True):
    """A component the operator consumes by scanning its lot."""

    item_code: str
    item_name: str
    unit: str
    required: Decimal
    """For the whole order."""
    per_unit: Decimal
    """For one unit of the order: what a scan consumes unless told otherwise."""
    consumed: Decimal
    """Consumed against the order so far (by scanning)."""


class StationOut(msgspec.Struct, kw_only=True):
    """What the workstation shows beside one operation."""

    operation_id: int
    operation: str
    work_order: str
    item_code: str
    serial_tracked: bool
    serial_step: bool
    """Serials are scanned here: the item is serial-tracked and this is the order's last
    output-counting operation."""
    serials_generated: int
    """Serials handed out to the order."""
    serials_reported: int
    """Serials reported as output at this operation."""
    components: list[StationComponent]


async def station_view(op_id: int) -> StationOut:
    """The workstation's view of an operation (404 when there is none)."""
    op = await Operation.select(
        Operation.id, Operation.code, Operation.seq, Operation.counts_output,
        Operation.work_order.as_alias("wo_id"),
        Operation.work_order.code.as_alias("wo_code"),
        Operation.work_order.quantity.as_alias("wo_quantity"),
        Operation.work_order._.item.code.as_alias("item_code"),
        Operation.work_order._.item.serial_tracked.as_alias("serial_tracked"),
    ).where(Operation.id == op_id).first()
    if op is None:
        raise NotFound(Message("There is no operation with id {op_id}.", op_id=op_id),
                       code="operation.not_found")
    components = await _components(op)
    serial_step = False
    generated = reported = 0
    if op["serial_tracked"]:
        last = await Operation.select(Operation.seq).where(
            Operation.work_order == op["wo_id"], Operation.counts_output.eq(True)
        ).order_by(Operation.seq, ascending=False).first()
        serial_step = bool(op["counts_output"]) and last is not None and last["seq"] == op["seq"]
        generated = await SerialNumber.count().where(
            SerialNumber.work_order_code == op["wo_code"])
        reported = await SerialNumber.count().where(
            SerialNumber.work_order_code == op["wo_code"], SerialNumber.operation_id == op_id)
    return StationOut(operation_id=op["id"], operation=op["code"], work_order=op["wo_code"],
                      item_code=op["item_code"], serial_tracked=bool(op["serial_tracked"]),
                      serial_step=serial_step, serials_generated=generated,
                      serials_reported=reported, components=components)


async def _components(op: dict[str, Any]) -> list[StationComponent]:
    lines = await OperationMaterial.select(
        OperationMaterial.item, OperationMaterial.item.code.as_alias("item_code"),
        OperationMaterial.item.name.as_alias("item_name"),
        OperationMaterial.unit.code.as_alias("unit"), OperationMaterial.required,
    ).where(OperationMaterial.operation == op["id"],
            OperationMaterial.scan_to_consume.eq(True)).order_by(OperationMaterial.position)
    if not lines:
        return []
    consumed: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for move in await Movement.select(
            Movement.item, Movement.quantity, Movement.from_location, Movement.to_location,
    ).where(Movement.document_type == "work_order", Movement.document_code == op["wo_code"],
            Movement.kind == "consume", Movement.item.is_in([line["item"] for line in lines])):
        # A consumption leaves a location; its reversal (a void) comes back to one.
        sign = 1 if move["from_location"] is not None else -1
        consumed[move["item"]] += sign * qty(move["quantity"])
    ordered = qty(op["wo_quantity"])
    return [StationComponent(
        item_code=line["item_code"], item_name=line["item_name"], unit=line["unit"],
        required=qty(line["required"]),
        per_unit=qty(six(qty(line["required"]) / ordered)) if ordered > 0 else ZERO,
        consumed=qty(consumed[line["item"]])) for line in lines]
