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
* ``attachment_url``: the route step's attachment (a drawing, a work instruction), read from
  the order's route by the step's sequence, so a corrected attachment reaches released orders.
* ``missing_material``: the rule of the operation's line for a report while scan-to-consume
  material is missing (:func:`refuse_missing_material`): ``warn`` (the handheld names what is
  missing before it sends) or ``refuse``.

Material is *missing* for a report when a scan-to-consume component's consumption against the
order covers less than what the units reported at the operation need, this report's included:
``consumed < required x (good + scrap reported) / order quantity``.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, Literal

import msgspec

from takt.inventory.ledger import qty, six
from takt.inventory.tables import Movement, SerialNumber
from takt.masterdata.tables import Line, RouteOperation
from takt.platform.errors import Conflict, NotFound
from takt.platform.i18n import Message
from takt.production.tables import Operation, OperationMaterial

__all__ = ["StationComponent", "StationOut", "refuse_missing_material", "station_view"]

MissingMaterialRule = Literal["warn", "refuse"]

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
    attachment_url: str
    """The route step's attachment (a drawing, a work instruction), or empty."""
    missing_material: MissingMaterialRule
    """What the operation's line does with a report while its scan-to-consume components
    are not scanned: warn, or refuse."""


async def station_view(op_id: int) -> StationOut:
    """The workstation's view of an operation (404 when there is none)."""
    op = await Operation.select(
        Operation.id, Operation.code, Operation.seq, Operation.counts_output,
        Operation.work_order.as_alias("wo_id"),
        Operation.work_order.code.as_alias("wo_code"),
        Operation.work_order.quantity.as_alias("wo_quantity"),
        Operation.work_order._.item.code.as_alias("item_code"),
        Operation.work_order._.item.serial_tracked.as_alias("serial_tracked"),
        Operation.work_order.route.as_alias("route"),
        Operation.scheduled_workstation._.line.missing_material.as_alias("sws_rule"),
        Operation.workstation._.line.missing_material.as_alias("ws_rule"),
        Operation.work_order._.line.missing_material.as_alias("wo_rule"),
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
    step = await RouteOperation.select(RouteOperation.attachment_url).where(
        RouteOperation.route == op["route"], RouteOperation.seq == op["seq"]
    ).first() if op["route"] is not None else None
    # The line it runs on, as OperationContext.line reads it.
    rule = op["sws_rule"] or op["ws_rule"] or op["wo_rule"] or "warn"
    return StationOut(operation_id=op["id"], operation=op["code"], work_order=op["wo_code"],
                      item_code=op["item_code"], serial_tracked=bool(op["serial_tracked"]),
                      serial_step=serial_step, serials_generated=generated,
                      serials_reported=reported, components=components,
                      attachment_url=step["attachment_url"] if step else "",
                      missing_material="refuse" if rule == "refuse" else "warn")


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


async def refuse_missing_material(*, op_id: int, code: str, wo_code: str, wo_quantity: Decimal,
                                  line: str | None, unit: str, units: Decimal) -> None:
    """Refuse a report that brings the units reported at an operation to ``units`` while a
    scan-to-consume component's consumption covers less than they need, when the operation's
    line is set to refuse (a line set to warn lets it through: the handheld warned).

    Raises:
        Conflict: ``report.material_missing``, naming each missing component with what was
            consumed of what the units need.
    """
    # The line's rule first: most lines warn, and then a report reads nothing more.
    if line is None or wo_quantity <= 0:
        return
    rule = await Line.select(Line.missing_material).where(Line.code == line).first()
    if rule is None or rule["missing_material"] != "refuse":
        return
    op = {"id": op_id, "wo_code": wo_code, "wo_quantity": wo_quantity}
    missing = [(c, qty(six(c.required * units / wo_quantity))) for c in await _components(op)]
    missing = [(c, need) for c, need in missing if c.consumed < need]
    if not missing:
        return
    raise Conflict(Message(
        "Operation {code} needs its scan-to-consume material scanned first: {missing} "
        "(consumed / needed for {units} {unit}). Line {line} refuses reports until then.",
        code=code, missing=", ".join(f"{c.item_code} {c.consumed}/{need} {c.unit}"
                                     for c, need in missing),
        units=qty(units), unit=unit, line=line),
        code="report.material_missing", missing=[
            {"item_code": c.item_code, "consumed": str(c.consumed), "needed": str(need),
             "unit": c.unit} for c, need in missing])
