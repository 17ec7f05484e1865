"""What the workstation shows beside an operation: its scan-to-consume components with what
has been consumed of each so far, and whether its output is reported by scanning serials.

The operation's own read (:func:`takt.production.queries.get_operation`) stays what every
list and board uses; this read is for the one screen an operator has open, so its extra
queries (the order's consume movements, its serials) are paid only there.

* ``components``: its scan-to-consume components with what has been consumed of each
  (:func:`takt.production.missing_material.scan_to_consume_components`).
* ``serial_step``: the item is serial-tracked and this is the order's last output-counting
  operation, the one where scanning a serial reports a unit
  (:func:`takt.production.serials.report_by_serial`).
* ``attachment_url``: the route step's attachment (a drawing, a work instruction), read from
  the order's route by the step's sequence, so a corrected attachment reaches released orders.
* ``missing_material``: the rule of the operation's line for a report while scan-to-consume
  material is missing (:mod:`takt.production.missing_material`): ``warn`` or ``refuse``.
"""

from __future__ import annotations

import msgspec

from takt.inventory.tables import SerialNumber
from takt.masterdata.tables import RouteOperation
from takt.platform.errors import NotFound
from takt.platform.fields import is_link
from takt.platform.i18n import Message
from takt.production.common import operation_line
from takt.production.missing_material import (
    MissingMaterialRule,
    StationComponent,
    line_rule,
    scan_to_consume_components,
)
from takt.production.tables import Operation

__all__ = ["StationOut", "station_view"]


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
        Operation.scheduled_workstation._.line.code.as_alias("sws_line"),
        Operation.workstation._.line.code.as_alias("ws_line"),
        Operation.work_order._.line.code.as_alias("wo_line"),
    ).where(Operation.id == op_id).first()
    if op is None:
        raise NotFound(Message("There is no operation with id {op_id}.", op_id=op_id),
                       code="operation.not_found")
    components = await scan_to_consume_components(op_id=op["id"], wo_code=op["wo_code"],
                                                  wo_quantity=op["wo_quantity"])
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
    rule = await line_rule(operation_line(op["sws_line"], op["ws_line"], op["wo_line"]))
    # Saved links are checked (masterdata); one saved before that check is not offered.
    link = step["attachment_url"] if step else ""
    return StationOut(operation_id=op["id"], operation=op["code"], work_order=op["wo_code"],
                      item_code=op["item_code"], serial_tracked=bool(op["serial_tracked"]),
                      serial_step=serial_step, serials_generated=generated,
                      serials_reported=reported, components=components,
                      attachment_url=link if is_link(link) else "",
                      missing_material=rule)

