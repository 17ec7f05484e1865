"""Material for work orders: the pick list (kit) that brings it to the line, and whether an
operation's material is at the line before it starts.

* A work order's requirement is the sum of its operations' material lines (BOM line x order
  quantity, made at release). What is already line-side *for it* is what was issued to its
  line's WIP location against the order, less what was returned from there against it;
  consumption does not reduce it (consumed material was delivered). To pick is the
  difference, never below zero.
* Suggestions: released lots (and stock kept without lots) in storage and receiving
  locations, first expiry first (FEFO), then oldest lot first (FIFO); expired lots are not
  suggested. Enough is suggested to cover what is to pick, when the plant holds it.
* An operation is ready on material when the line-side location holds what it still needs of
  each component (its requirement for the quantity not yet reported), short otherwise.
  Components are not reserved: two operations needing the same component both see the line's
  stock.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from takt.inventory.tables import Movement, OnHandNow
from takt.masterdata.tables import Line
from takt.platform.errors import Conflict, NotFound
from takt.platform.i18n import Message, term
from takt.production import schemas as s
from takt.production.common import qty
from takt.production.tables import Operation, OperationMaterial, WorkOrder

__all__ = ["material_status", "pick_list"]

ZERO = Decimal(0)
PICK_FROM = ("storage", "receiving")
"""Location kinds a pick list suggests taking material from."""


async def _line_side_of(order: dict[str, Any]) -> dict[str, Any]:
    """The line-side location of the order's line, or of the line its first step runs on."""
    line_id = order["line"]
    if line_id is None:
        first = await Operation.select(
            Operation.scheduled_workstation.line.as_alias("scheduled"),
            Operation.workstation.line.as_alias("planned"),
        ).where(Operation.work_order == order["id"]).order_by(Operation.seq).first()
        line_id = first and (first["scheduled"] or first["planned"])
    row = await Line.select(Line.code, Line.wip_location.id.as_alias("id"),
                            Line.wip_location.code.as_alias("location")).where(
        Line.id == line_id).first() if line_id else None
    if row is None or row["id"] is None:
        raise Conflict(Message("Work order {order} has no line with a line-side location to pick "
                               "to.", order=order['code']), code="pick_list.no_line_side")
    return row


async def pick_list(code: str) -> s.PickListOut:
    """What still has to go to the line for a released or running work order, and from
    where."""
    order = await WorkOrder.select(WorkOrder.id, WorkOrder.code, WorkOrder.status,
                                   WorkOrder.line).where(
        WorkOrder.code == code.strip().upper()).first()
    if order is None:
        raise NotFound(Message("There is no work order {code}.", code=code.strip().upper()),
                       code="work_order.not_found")
    if order["status"] not in ("released", "in_progress", "on_hold"):
        raise Conflict(Message("Work order {order} is {order_status}; only released work orders "
                               "are picked for.",
                               order=order['code'],
                               order_status=term("work order status", order["status"])),
                       code="pick_list.not_released", current_status=order["status"])
    target = await _line_side_of(order)
    needs: dict[int, dict[str, Any]] = {}
    for row in await OperationMaterial.select(
            OperationMaterial.item, OperationMaterial.item.code.as_alias("item_code"),
            OperationMaterial.item.name.as_alias("item_name"),
            OperationMaterial.unit.code.as_alias("unit"), OperationMaterial.required,
    ).where(OperationMaterial.operation.work_order == order["id"]).order_by(
            OperationMaterial.operation.seq, OperationMaterial.position):
        need = needs.setdefault(row["item"], {**row, "required": ZERO})
        need["required"] += qty(row["required"])
    delivered: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in await Movement.select(Movement.item, Movement.kind, Movement.quantity).where(
            Movement.document_type == "work_order", Movement.document_code == order["code"],
            Movement.kind.is_in(["issue", "return"]),
            (Movement.to_location == target["id"]) | (Movement.from_location == target["id"])):
        sign = 1 if row["kind"] == "issue" else -1
        delivered[row["item"]] += sign * qty(row["quantity"])
    sources = await _sources(list(needs))
    lines = []
    for item_id, need in needs.items():
        line_side = qty(max(delivered[item_id], ZERO))
        to_pick = qty(max(need["required"] - line_side, ZERO))
        suggested, left = [], to_pick
        for source in sources.get(item_id, []):
            if left <= 0:
                break
            take = min(left, source["quantity"])
            suggested.append(s.PickSuggestion(lot_code=source["lot_code"],
                                              location_code=source["location_code"],
                                              quantity=qty(take),
                                              expires_on=source["expires_on"]))
            left -= take
        lines.append(s.PickLine(item_code=need["item_code"], item_name=need["item_name"],
                                unit=need["unit"], required=qty(need["required"]),
                                line_side=line_side, to_pick=to_pick,
                                short=qty(max(left, ZERO)), suggested=suggested))
    return s.PickListOut(work_order=order["code"], to_location_code=target["location"],
                         lines=lines)


async def _sources(item_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Where each item can be picked from, in the order to pick it (FEFO, then FIFO)."""
    if not item_ids:
        return {}
    today = datetime.now(UTC).date()
    rows = await OnHandNow.select(
        OnHandNow.item, OnHandNow.quantity, OnHandNow.lot.code.as_alias("lot_code"),
        OnHandNow.lot.quality_status.as_alias("status"),
        OnHandNow.lot.expires_on.as_alias("expires_on"), OnHandNow.lot.as_alias("lot_id"),
        OnHandNow.location.code.as_alias("location_code"),
    ).where(OnHandNow.item.is_in(item_ids), OnHandNow.quantity > 0,
            OnHandNow.location.kind.is_in(list(PICK_FROM)))
    by_item: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["lot_id"] is not None and row["status"] != "released":
            continue
        if row["expires_on"] is not None and row["expires_on"] < today:
            continue
        row["quantity"] = qty(row["quantity"])
        by_item[row["item"]].append(row)
    for candidates in by_item.values():
        candidates.sort(key=lambda r: (r["expires_on"] is None, r["expires_on"] or today,
                                       r["lot_id"] or 0, r["location_code"]))
    return by_item


async def material_status(operations: list[dict[str, Any]], line: str | None
                          ) -> dict[int, tuple[s.MaterialState, list[str]]]:
    """For each operation (``id``, ``quantity`` of its order, ``good``, ``scrap``): ``ready``
    when the line's line-side location holds what it still needs of each component,
    ``short`` (with the items short) when not, ``none`` when it uses no material."""
    ids = [row["id"] for row in operations]
    if not ids:
        return {}
    materials: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in await OperationMaterial.select(
            OperationMaterial.operation, OperationMaterial.item,
            OperationMaterial.item.code.as_alias("item_code"), OperationMaterial.required,
    ).where(OperationMaterial.operation.is_in(ids)):
        materials[row["operation"]].append(row)
    at_line: dict[int, Decimal] = defaultdict(lambda: ZERO)
    location = await Line.select(Line.wip_location).where(Line.code == line).first() \
        if line else None
    if location and location["wip_location"]:
        for row in await OnHandNow.select(
                OnHandNow.item, OnHandNow.quantity,
                OnHandNow.lot.quality_status.as_alias("status")).where(
                OnHandNow.location == location["wip_location"], OnHandNow.quantity > 0):
            if row["status"] in (None, "released"):
                at_line[row["item"]] += qty(row["quantity"])
    status: dict[int, tuple[s.MaterialState, list[str]]] = {}
    for op in operations:
        lines = materials.get(op["id"], [])
        if not lines:
            status[op["id"]] = ("none", [])
            continue
        ordered = qty(op["quantity"])
        left = max(ordered - qty(op["good"]) - qty(op["scrap"]), ZERO)
        short = [m["item_code"] for m in lines
                 if ordered > 0 and qty(m["required"]) * left / ordered > at_line[m["item"]]]
        status[op["id"]] = ("short" if short else "ready", short)
    return status

