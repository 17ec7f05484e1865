"""Planning work orders: the items, routes and BOMs a batch of new orders refers to, read once
(:class:`Catalogue`); checking a new order against them (:func:`plan_work_order`); and expanding a
released order into its operations and the material each needs (:func:`release_many`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from piccolo.custom_types import Combinable

from takt.inventory.ledger import check_quantity
from takt.masterdata.tables import (
    Bom,
    BomLine,
    Item,
    Route,
    RouteOperation,
    UnitConversion,
    Workstation,
)
from takt.platform.errors import Conflict, Invalid
from takt.platform.i18n import Message
from takt.production import schemas as s
from takt.production.common import (
    ZERO,
    as_utc,
    insert_chunked,
    operation_code,
    qty,
    six,
)
from takt.production.tables import Operation, OperationMaterial

__all__ = [
    "Catalogue",
    "ItemInfo",
    "Planned",
    "RouteInfo",
    "RowError",
    "first_available",
    "plan_work_order",
    "release_many",
    "route_for",
    "work_order_audit",
]


@dataclass
class ItemInfo:
    """An item as planning needs it: its unit, route and allowed overrun."""

    id: int
    code: str
    active: bool
    unit: int
    unit_code: str
    decimals: int
    route: int | None
    overrun: Decimal


@dataclass
class RouteInfo:
    """A route with its steps, and the line its first step runs on."""

    id: int
    code: str
    active: bool
    line: int | None
    operations: list[dict[str, Any]]


@dataclass
class Catalogue:
    """The master data a batch of new work orders refers to, read once."""

    items: dict[str, ItemInfo]
    routes: dict[str, RouteInfo]
    routes_by_id: dict[int, RouteInfo]
    boms: dict[int, tuple[Decimal, list[dict[str, Any]]]] = field(default_factory=dict)
    bom_problems: dict[int, str] = field(default_factory=dict)
    """Per item: why its BOM cannot become material (a line in a unit that does not convert
    into its component's stock unit)."""

    @classmethod
    async def load(cls, item_codes: set[str], route_codes: set[str],
                   item_ids: set[int] | None = None, route_ids: set[int] | None = None
                   ) -> Catalogue:
        condition: Combinable | None = (Item.code.is_in(sorted(item_codes)) if item_codes
                                        else None)
        if item_ids:
            by_id = Item.id.is_in(sorted(item_ids))
            condition = by_id if condition is None else condition | by_id
        item_rows = await Item.select(
            Item.id, Item.code, Item.active, Item.unit, Item.unit.code.as_alias("unit_code"),
            Item.unit.decimals.as_alias("decimals"), Item.route, Item.overrun_percent,
        ).where(condition) if condition is not None else []
        items = {row["code"]: ItemInfo(
            row["id"], row["code"], row["active"], row["unit"], row["unit_code"],
            row["decimals"], row["route"], qty(row["overrun_percent"])) for row in item_rows}
        route_ids = {item.route for item in items.values() if item.route is not None} | (
            route_ids or set())
        route_condition: Combinable | None = None
        if route_codes:
            route_condition = Route.code.is_in(sorted(route_codes))
        if route_ids:
            by_id = Route.id.is_in(sorted(route_ids))
            route_condition = by_id if route_condition is None else route_condition | by_id
        route_rows = await Route.select(Route.id, Route.code, Route.active).where(
            route_condition) if route_condition is not None else []
        routes: dict[int, RouteInfo] = {
            row["id"]: RouteInfo(row["id"], row["code"], row["active"], None, [])
            for row in route_rows}
        if routes:
            op_rows = await RouteOperation.select(
                RouteOperation.route, RouteOperation.seq, RouteOperation.name,
                RouteOperation.workstation, RouteOperation.workstation_type,
                RouteOperation.setup_minutes, RouteOperation.ideal_cycle_seconds,
                RouteOperation.counts_output, RouteOperation.needs_inspection,
                RouteOperation.instructions,
                RouteOperation.workstation.line.as_alias("ws_line"),
            ).where(RouteOperation.route.is_in(list(routes))).order_by(RouteOperation.seq)
            for row in op_rows:
                routes[row["route"]].operations.append(row)
            await _place_routes(list(routes.values()))
        catalogue = cls(items=items, routes={r.code: r for r in routes.values()},
                        routes_by_id=routes)
        if items:
            await catalogue._load_boms([item.id for item in items.values()])
        return catalogue

    async def _load_boms(self, item_ids: list[int]) -> None:
        boms = await Bom.select(Bom.id, Bom.item, Bom.quantity).where(
            Bom.item.is_in(item_ids), Bom.active == True).order_by(Bom.code)  # noqa: E712
        first: dict[int, dict[str, Any]] = {}
        for bom in boms:
            first.setdefault(bom["item"], bom)
        if not first:
            return
        lines = await BomLine.select(
            BomLine.bom, BomLine.position, BomLine.component, BomLine.quantity, BomLine.unit,
            BomLine.operation_seq, BomLine.scan_to_consume,
            BomLine.unit.code.as_alias("unit_code"),
            BomLine.component.code.as_alias("component_code"),
            BomLine.component.unit.as_alias("stock_unit"),
            BomLine.component._.unit.code.as_alias("stock_unit_code"),
        ).where(BomLine.bom.is_in([bom["id"] for bom in first.values()])).order_by(
            BomLine.position)
        factors = await _unit_factors(lines)
        item_of_bom = {bom["id"]: item_id for item_id, bom in first.items()}
        codes = {item.id: item.code for item in self.items.values()}
        by_bom: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for line in lines:
            # Material is kept, consumed and picked in the component's stock unit: a BOM line
            # in another unit is converted here, once, when an order's material is made.
            line["factor"] = factors.get((line["unit"], line["stock_unit"]))
            if line["factor"] is None:
                item_id = item_of_bom[line["bom"]]
                unit, stock_unit = line["unit_code"], line["stock_unit_code"]
                self.bom_problems.setdefault(item_id, Message(
                    "the BOM of {item} takes {quantity} {unit} of {component}, which is kept "
                    "in {stock_unit}, and no conversion between {unit} and {stock_unit} is "
                    "known. Add one to unit {unit} or {stock_unit} in master data, or give the "
                    "BOM line the unit {stock_unit}.", item=codes[item_id],
                    quantity=qty(line["quantity"]), unit=unit,
                    component=line["component_code"], stock_unit=stock_unit))
            by_bom[line["bom"]].append(line)
        for item_id, bom in first.items():
            self.boms[item_id] = (qty(bom["quantity"]), by_bom.get(bom["id"], []))


async def _unit_factors(lines: list[dict[str, Any]]
                        ) -> dict[tuple[int, int], tuple[Decimal, Decimal]]:
    """For each BOM line's (unit, stock unit) pair that converts: (multiply, divide) taking a
    quantity in the line's unit into the stock unit. Master data says ``1 from_unit = factor
    to_unit``; either direction serves (1 G = 1/1000 KG from 1 KG = 1000 G)."""
    one = (Decimal(1), Decimal(1))
    pairs = {(line["unit"], line["stock_unit"]) for line in lines}
    factors = {pair: one for pair in pairs if pair[0] == pair[1]}
    wanted = [pair for pair in pairs if pair[0] != pair[1]]
    if not wanted:
        return factors
    units = sorted({unit for pair in wanted for unit in pair})
    known: dict[tuple[int, int], Decimal] = {}
    for row in await UnitConversion.select(
            UnitConversion.from_unit, UnitConversion.to_unit, UnitConversion.factor).where(
            UnitConversion.from_unit.is_in(units), UnitConversion.to_unit.is_in(units)):
        if qty(row["factor"]) > 0:
            known[(row["from_unit"], row["to_unit"])] = qty(row["factor"])
    for unit, stock_unit in wanted:
        if (unit, stock_unit) in known:
            factors[(unit, stock_unit)] = (known[(unit, stock_unit)], Decimal(1))
        elif (stock_unit, unit) in known:
            factors[(unit, stock_unit)] = (Decimal(1), known[(stock_unit, unit)])
    return factors


async def _place_routes(routes: list[RouteInfo]) -> None:
    """A route's line: that of its first step's workstation, or of the first workstation of
    its first step's type."""
    type_ids = {route.operations[0]["workstation_type"] for route in routes if route.operations
                and route.operations[0]["ws_line"] is None
                and route.operations[0]["workstation_type"] is not None}
    type_lines: dict[int, int] = {}
    if type_ids:
        rows = await Workstation.select(Workstation.workstation_type, Workstation.line).where(
            Workstation.workstation_type.is_in(sorted(type_ids)),
            Workstation.active == True).order_by(Workstation.code)  # noqa: E712
        for row in rows:
            type_lines.setdefault(row["workstation_type"], row["line"])
    for route in routes:
        if route.operations:
            first = route.operations[0]
            route.line = first["ws_line"] or type_lines.get(first["workstation_type"])


@dataclass
class Planned:
    """A validated new work order, ready to insert."""

    values: dict[str, Any]
    item: ItemInfo
    route: RouteInfo


class RowError(Exception):
    """A new work order (or an import row) that breaks a rule, and the field at fault.

    The message is a :class:`~takt.platform.i18n.Message` (msgspec's own words aside), kept as
    given so that the refusal it becomes is answered in the reader's language."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def route_for(catalogue: Catalogue, item: ItemInfo, route_code: str | None) -> RouteInfo:
    """The route a work order of ``item`` follows: ``route_code``, or the item's own."""
    if route_code:
        route = catalogue.routes.get(route_code.upper())
        if route is None:
            raise RowError(Message("There is no route {code}.", code=route_code.upper()),
                           "route_code")
    else:
        route = catalogue.routes_by_id.get(item.route) if item.route is not None else None
        if route is None:
            raise RowError(Message("The item {code} has no route; give a route_code.",
                                   code=item.code), "route_code")
    if not route.active:
        raise RowError(Message("The route {code} is deactivated.", code=route.code),
                       "route_code")
    if not route.operations:
        raise RowError(Message("The route {code} has no operations.", code=route.code),
                       "route_code")
    return route


def plan_work_order(catalogue: Catalogue, data: s.WorkOrderIn) -> Planned:
    """Check a new work order against the catalogue.

    Raises:
        RowError: it names an unknown or deactivated item or route, or a bad quantity.
    """
    item = catalogue.items.get(data.item_code.upper())
    if item is None:
        raise RowError(Message("There is no item {code}.", code=data.item_code.upper()),
                       "item_code")
    if not item.active:
        raise RowError(Message("The item {code} is deactivated.", code=item.code), "item_code")
    try:
        check_quantity(data.quantity, item.decimals, item.unit_code)
    except Invalid as exc:
        raise RowError(exc.sentence, "quantity") from None
    route = route_for(catalogue, item, data.route_code)
    return Planned(values={
        "item": item.id, "route": route.id, "line": route.line,
        "quantity": six(data.quantity), "overrun_percent": item.overrun,
        "due_at": as_utc(data.due_at), "priority": data.priority,
        "customer_order_ref": (data.customer_order_ref or "").strip(),
        "lot": (data.lot or "").strip(), "status": "draft",
    }, item=item, route=route)


def first_available(quantity: Decimal, overrun: Decimal, decimals: int) -> Decimal:
    """What the first operation may report in total: the quantity plus the allowed overrun,
    rounded down to what the unit can count."""
    allowed = quantity * (1 + overrun / 100)
    return allowed.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN)


def _expand(work_order: dict[str, Any], item: ItemInfo, route: RouteInfo,
            bom: tuple[Decimal, list[dict[str, Any]]] | None
            ) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """A released work order's operations (one per route step) and, per operation code, the
    material it needs (BOM lines at that step times the order quantity)."""
    quantity = qty(work_order["quantity"])
    operations = []
    for index, step in enumerate(route.operations):
        first = index == 0
        operations.append({
            "work_order": work_order["id"],
            "code": operation_code(work_order["code"], step["seq"]), "seq": step["seq"],
            "name": step["name"], "workstation": step["workstation"],
            "workstation_type": step["workstation_type"],
            "setup_s": six(qty(step["setup_minutes"]) * 60),
            "cycle_s": six(qty(step["ideal_cycle_seconds"])),
            "counts_output": step["counts_output"],
            "needs_inspection": step["needs_inspection"],
            "instructions": step["instructions"],
            "status": "ready" if first else "pending",
            "available": (first_available(quantity, qty(work_order["overrun_percent"]),
                                           item.decimals) if first else ZERO),
        })
    materials: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if bom is not None:
        bom_quantity, lines = bom
        seqs = {step["seq"] for step in route.operations}
        first_seq = route.operations[0]["seq"]
        for line in lines:
            seq = line["operation_seq"] if line["operation_seq"] in seqs else first_seq
            code = operation_code(work_order["code"], seq)
            multiply, divide = line["factor"]
            materials[code].append({
                "position": len(materials[code]) + 1, "item": line["component"],
                "required": six(qty(line["quantity"]) * multiply * quantity
                                / (bom_quantity * divide)),
                "unit": line["stock_unit"], "scan_to_consume": line["scan_to_consume"]})
    return operations, materials


async def release_many(work_orders: list[dict[str, Any]], catalogue: Catalogue) -> None:
    """Write the operations and material of released work orders, in few statements."""
    op_rows: list[dict[str, Any]] = []
    material_rows: dict[str, list[dict[str, Any]]] = {}
    items_by_id = {item.id: item for item in catalogue.items.values()}
    for work_order in work_orders:
        item = items_by_id[work_order["item"]]
        if item.id in catalogue.bom_problems:
            raise Conflict(Message("Work order {code} cannot be released: {reason}",
                                   code=work_order["code"],
                                   reason=catalogue.bom_problems[item.id]),
                           code="work_order.bom_unit_unconvertible", item_code=item.code)
        route = catalogue.routes_by_id[work_order["route"]]
        operations, materials = _expand(work_order, item, route, catalogue.boms.get(item.id))
        op_rows.extend(operations)
        material_rows.update(materials)
    inserted = await insert_chunked(Operation, op_rows, Operation.id, Operation.code)
    ids = {row["code"]: row["id"] for row in inserted}
    await insert_chunked(OperationMaterial, [
        {**material, "operation": ids[code]}
        for code, materials in material_rows.items() for material in materials])


def work_order_audit(values: dict[str, Any], code: str) -> dict[str, Any]:
    """What the audit row of a new or changed work order keeps."""
    return {"code": code, "status": values.get("status"),
            "quantity": str(qty(values["quantity"])) if "quantity" in values else None,
            "due_at": values["due_at"].isoformat() if values.get("due_at") else None,
            "priority": values.get("priority")}


# --- creating and editing work orders --------------------------------------------------------
