"""Scan-to-consume material of an operation: what its components need, what has been scanned
of them, and a line's rule for a report while some of it is missing.

* ``consumed``: the order's ``consume`` movements of the component, less reversals. Scan-to-
  consume components are never backflushed (a report leaves them alone), so every consumption
  of one against the order is a scan. Should one component be scan-to-consume on two
  operations of an order, each shows the order's total.
* ``per_unit``: what one unit of the order needs (the requirement over the order quantity),
  what a scan consumes when no quantity is given.
* A line's ``missing_material`` rule: ``warn`` (the handheld names what is missing before it
  sends) or ``refuse`` (:func:`refuse_missing_material`).

Material is *missing* for a report when a scan-to-consume component's consumption against the
order covers less than what the units reported at the operation need, this report's included:
``consumed < required x (good + scrap reported) / order quantity``.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Literal

import msgspec

from takt.inventory.ledger import qty, six
from takt.inventory.tables import Movement
from takt.masterdata.tables import Line
from takt.platform.errors import Conflict
from takt.platform.i18n import Message
from takt.production.tables import OperationMaterial

__all__ = [
    "MissingMaterialRule",
    "StationComponent",
    "line_rule",
    "refuse_missing_material",
    "scan_to_consume_components",
]

MissingMaterialRule = Literal["warn", "refuse"]
"""What a line does with a report while scan-to-consume material is missing."""

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


async def scan_to_consume_components(*, op_id: int, wo_code: str, wo_quantity: Decimal
                                     ) -> list[StationComponent]:
    """The scan-to-consume components of operation ``op_id``, in BOM order, with what has been
    consumed of each against work order ``wo_code`` (of ``wo_quantity`` units)."""
    lines = await OperationMaterial.select(
        OperationMaterial.item, OperationMaterial.item.code.as_alias("item_code"),
        OperationMaterial.item.name.as_alias("item_name"),
        OperationMaterial.unit.code.as_alias("unit"), OperationMaterial.required,
    ).where(OperationMaterial.operation == op_id,
            OperationMaterial.scan_to_consume.eq(True)).order_by(OperationMaterial.position)
    if not lines:
        return []
    consumed: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for move in await Movement.select(
            Movement.item, Movement.quantity, Movement.from_location, Movement.to_location,
    ).where(Movement.document_type == "work_order", Movement.document_code == wo_code,
            Movement.kind == "consume", Movement.item.is_in([line["item"] for line in lines])):
        # A consumption leaves a location; its reversal (a void) comes back to one.
        sign = 1 if move["from_location"] is not None else -1
        consumed[move["item"]] += sign * qty(move["quantity"])
    ordered = qty(wo_quantity)
    return [StationComponent(
        item_code=line["item_code"], item_name=line["item_name"], unit=line["unit"],
        required=qty(line["required"]),
        per_unit=qty(six(qty(line["required"]) / ordered)) if ordered > 0 else ZERO,
        consumed=qty(consumed[line["item"]])) for line in lines]


async def line_rule(line: str | None) -> MissingMaterialRule:
    """The missing-material rule of line ``line`` (``warn`` without a line)."""
    if line is None:
        return "warn"
    row = await Line.select(Line.missing_material).where(Line.code == line).first()
    return "refuse" if row is not None and row["missing_material"] == "refuse" else "warn"


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
    if line is None or wo_quantity <= 0 or await line_rule(line) != "refuse":
        return
    components = await scan_to_consume_components(op_id=op_id, wo_code=wo_code,
                                                  wo_quantity=wo_quantity)
    missing = [(c, qty(six(c.required * units / wo_quantity))) for c in components]
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
