"""Master data rules: create, read, update and deactivate records addressed by code."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import msgspec
from piccolo.custom_types import Combinable
from piccolo.table import Table

from takt.masterdata import schemas as s
from takt.masterdata.lookups import reason_by_code
from takt.masterdata.resources import Children, Ref, Resource
from takt.masterdata.tables import (
    Area,
    Bom,
    BomLine,
    Equipment,
    Item,
    Line,
    Location,
    Party,
    ReasonCode,
    Route,
    RouteOperation,
    Site,
    Unit,
    UnitConversion,
    Warehouse,
    Workstation,
    WorkstationType,
)
from takt.platform.commands import UnitOfWork
from takt.platform.errors import Conflict, Invalid, NotFound
from takt.platform.fields import is_link
from takt.platform.i18n import Message, term
from takt.platform.scantext import gtin_check_digit_ok

__all__ = [
    "RESOURCES",
    "create_record",
    "deactivate_record",
    "get_record",
    "list_records",
    "update_record",
]

MASTERDATA_TOPIC = "masterdata"


def _base(table: type[Table]) -> dict[str, Any]:
    return {name: getattr(table, name)
            for name in ("code", "name", "active", "version", "created_at", "updated_at")}


# --- validation hooks ---

POSITIVE = frozenset({"quantity", "factor"})
NON_NEGATIVE = frozenset({"setup_minutes", "ideal_cycle_seconds", "overrun_percent"})


def _check_numbers(values: dict[str, Any]) -> None:
    """Decimal fields: quantities above zero, times and percentages not negative."""
    for name, value in values.items():
        if not isinstance(value, Decimal):
            continue
        if not value.is_finite():
            raise Invalid(Message("{name} must be a number.", name=name),
                          code="invalid.number", field=name)
        if name in POSITIVE and value <= 0:
            raise Invalid(Message("{name} must be greater than zero.", name=name),
                          code="invalid.quantity",
                          field=name)
        if name in NON_NEGATIVE and value < 0:
            raise Invalid(Message("{name} cannot be negative.", name=name),
                          code="invalid.negative", field=name)
        if name == "overrun_percent" and value > 100:
            raise Invalid(Message("overrun_percent is at most 100."),
                          code="invalid.percent", field=name)


async def _validate_site(values: dict[str, Any], _: dict[str, Any] | None) -> None:
    tz = values.get("time_zone")
    if tz is not None:
        try:
            zoneinfo.ZoneInfo(tz)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise Invalid(Message("{tz!r} is not an IANA time zone such as Europe/Berlin.", tz=tz),
                          code="site.bad_time_zone", field="time_zone") from None


async def _validate_item(values: dict[str, Any], _: dict[str, Any] | None) -> None:
    gtin = values.get("gtin")
    if gtin and not gtin_check_digit_ok(gtin):
        raise Invalid(Message("The GTIN {gtin} has a wrong check digit.", gtin=gtin),
                      code="item.bad_gtin",
                      field="gtin")


async def _validate_equipment(values: dict[str, Any], stored: dict[str, Any] | None) -> None:
    await _check_down_reason(values, stored)
    ws_id = values.get("workstation", stored["workstation"] if stored else None)
    if ws_id is None:
        return
    ws = await Workstation.select(Workstation.line).where(Workstation.id == ws_id).first()
    assert ws is not None  # a reference checked by _resolve; records are never deleted
    line_id = values.get("line", stored["line"] if stored else None)
    if line_id is None:
        values["line"] = ws["line"]
    elif line_id != ws["line"]:
        raise Invalid(Message("The workstation is not on that line."),
                      code="equipment.line_mismatch")


async def _check_down_reason(values: dict[str, Any], stored: dict[str, Any] | None) -> None:
    """Setting a machine down stops the work planned on it, so it needs a reason code of kind
    downtime (kept in the audit row); a reason given with another change is checked too."""
    going_down = (stored is not None and values.get("status") == "down"
                  and stored["status"] != "down")
    if going_down and values.get("reason_code") is None:
        raise Invalid(Message("Say why {code} is down: choose a downtime reason code.",
                              code=stored["code"] if stored else ""),
                      code="equipment.down_reason_required", field="reason_code")
    reason = await reason_by_code(values.get("reason_code"), ("downtime",))
    if reason is not None:
        values["reason_code"] = reason["code"]


async def _validate_route_operations(values: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    seqs = [row["seq"] for row in rows]
    if len(set(seqs)) != len(seqs):
        raise Invalid(Message("Each operation of a route needs its own step number (seq)."),
                      code="route.duplicate_seq")
    for row in rows:
        if (row.get("workstation") is None) == (row.get("workstation_type") is None):
            raise Invalid(Message("Operation {seq} needs either a workstation or a workstation "
                                  "type, not both and not neither.", seq=row['seq']),
                          code="route.operation_place")
        if not is_link(row.get("attachment_url", "")):
            # The operator's app opens it as a link: a javascript: one would run in their session.
            raise Invalid(Message("The attachment of operation {seq} must be a web address "
                                  "starting with http:// or https://, or a path on this site "
                                  "starting with /.", seq=row["seq"]),
                          code="route.attachment_url")
    if not any(row.get("counts_output", True) for row in rows):
        raise Invalid(Message("At least one operation of a route must count output."),
                      code="route.no_output")


async def _validate_bom_lines(values: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    item_id = values.get("item")
    for position, row in enumerate(rows, start=1):
        row["position"] = position
        if row["component"] == item_id:
            raise Invalid(Message("A BOM cannot list its own item as a component."),
                          code="bom.self")
        if row.get("unit") is None:
            component = await Item.select(Item.unit).where(Item.id == row["component"]).first()
            assert component is not None  # a reference checked by _resolve
            row["unit"] = component["unit"]


async def _validate_conversions(values: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    targets = [row["to_unit"] for row in rows]
    if len(set(targets)) != len(targets):
        raise Invalid(Message("A unit converts to each other unit at most once."),
                      code="unit.duplicate_conversion")


async def _create_wip_location(uow: UnitOfWork, line_id: int, values: dict[str, Any]) -> None:
    """Every line gets its line-side WIP location, in a WIP warehouse of its site."""
    area = await Area.select(Area.site, Area.site.code.as_alias("site_code")).where(
        Area.id == values["area"]).first()
    assert area is not None  # a reference checked by _resolve
    warehouse_code = f"WIP-{area['site_code']}"
    warehouse = await Warehouse.select(Warehouse.id).where(Warehouse.code == warehouse_code).first()
    if warehouse is None:
        rows = await Warehouse.insert(Warehouse(
            code=warehouse_code, name=f"Line-side WIP {area['site_code']}", site=area["site"],
            kind="wip")).returning(Warehouse.id)
        warehouse = rows[0]
        await uow.audit("warehouse.create", "warehouse", warehouse_code,
                        after={"code": warehouse_code, "kind": "wip"})
    location_code = f"WIP-{values['code']}"
    if await Location.exists().where(Location.code == location_code):
        raise Conflict(Message("The location {location_code} for this line's WIP already exists.",
                               location_code=location_code),
                       code="line.wip_location_exists")
    rows = await Location.insert(Location(
        code=location_code, name=f"Line-side WIP {values['name']}", warehouse=warehouse["id"],
        kind="line_side", line_id=line_id)).returning(Location.id)
    await Line.update({Line.wip_location: rows[0]["id"]}).where(Line.id == line_id)
    await uow.audit("location.create", "location", location_code,
                    after={"code": location_code, "kind": "line_side", "line": values["code"]})


async def _add_line_codes(rows: list[dict[str, Any]]) -> None:
    """A line-side location names its line by id (a foreign key back to the line would make
    lines and locations reference each other); show the line's code instead."""
    ids = list({row["line_id"] for row in rows if row["line_id"]})
    lines = await Line.select(Line.id, Line.code).where(Line.id.is_in(ids)) if ids else []
    codes = {line["id"]: line["code"] for line in lines}
    for row in rows:
        row["line"] = codes.get(row.pop("line_id"))


# --- the resources ---------------------------------------------------------------------------

RESOURCES: dict[str, Resource] = {}


def _register(resource: Resource) -> None:
    RESOURCES[resource.name] = resource


_register(Resource(
    "sites", "site", "Site", Site, s.SiteIn, s.SitePatch, s.SiteOut,
    columns={**_base(Site), "time_zone": Site.time_zone}, validate=_validate_site))
_register(Resource(
    "areas", "area", "Area", Area, s.AreaIn, s.AreaPatch, s.AreaOut,
    columns={**_base(Area), "site": Area.site.code}, refs={"site": Ref(Site, "site")},
    filters={"site": Area.site.code}))
_register(Resource(
    "lines", "line", "Line", Line, s.LineIn, s.LinePatch, s.LineOut,
    columns={**_base(Line), "area": Line.area.code, "site": Line.area._.site.code,
             "wip_location": Line.wip_location.code,
             "missing_material": Line.missing_material},
    refs={"area": Ref(Area, "area")},
    filters={"area": Line.area.code, "site": Line.area._.site.code},
    after_create=_create_wip_location))
_register(Resource(
    "workstation-types", "workstation_type", "Workstation type", WorkstationType,
    s.WorkstationTypeIn, s.WorkstationTypePatch, s.WorkstationTypeOut,
    columns=_base(WorkstationType)))
_register(Resource(
    "workstations", "workstation", "Workstation", Workstation, s.WorkstationIn,
    s.WorkstationPatch, s.WorkstationOut,
    columns={**_base(Workstation), "line": Workstation.line.code,
             "workstation_type": Workstation.workstation_type.code},
    refs={"line": Ref(Line, "line"),
          "workstation_type": Ref(WorkstationType, "workstation type")},
    filters={"line": Workstation.line.code,
             "workstation_type": Workstation.workstation_type.code}))
_register(Resource(
    "units", "unit", "Unit", Unit, s.UnitIn, s.UnitPatch, s.UnitOut,
    columns={**_base(Unit), "decimals": Unit.decimals},
    children=Children("conversions", UnitConversion, "from_unit", "id",
                      refs={"to_unit": Ref(Unit, "unit")}, out=s.ConversionOut,
                      columns={"to_unit": UnitConversion.to_unit.code,
                               "factor": UnitConversion.factor}),
    validate_children=_validate_conversions))
_register(Resource(
    "items", "item", "Item", Item, s.ItemIn, s.ItemPatch, s.ItemOut,
    columns={**_base(Item), "kind": Item.kind, "unit": Item.unit.code,
             "batch_managed": Item.batch_managed, "serial_tracked": Item.serial_tracked,
             "incoming_inspection": Item.incoming_inspection, "gtin": Item.gtin,
             "route": Item.route.code, "overrun_percent": Item.overrun_percent,
             "description": Item.description, "container_quantity": Item.container_quantity},
    refs={"unit": Ref(Unit, "unit"), "route": Ref(Route, "route")},
    filters={"kind": Item.kind, "gtin": Item.gtin},
    validate=_validate_item))
_register(Resource(
    "routes", "route", "Route", Route, s.RouteIn, s.RoutePatch, s.RouteOut,
    columns={**_base(Route), "description": Route.description},
    children=Children(
        "operations", RouteOperation, "route", "seq",
        refs={"workstation": Ref(Workstation, "workstation"),
              "workstation_type": Ref(WorkstationType, "workstation type")},
        out=s.RouteOperationOut,
        columns={"seq": RouteOperation.seq, "name": RouteOperation.name,
                 "workstation": RouteOperation.workstation.code,
                 "workstation_type": RouteOperation.workstation_type.code,
                 "setup_minutes": RouteOperation.setup_minutes,
                 "ideal_cycle_seconds": RouteOperation.ideal_cycle_seconds,
                 "counts_output": RouteOperation.counts_output,
                 "needs_inspection": RouteOperation.needs_inspection,
                 "instructions": RouteOperation.instructions,
                 "attachment_url": RouteOperation.attachment_url}),
    validate_children=_validate_route_operations))
_register(Resource(
    "boms", "bom", "BOM", Bom, s.BomIn, s.BomPatch, s.BomOut,
    columns={**_base(Bom), "item": Bom.item.code, "quantity": Bom.quantity},
    refs={"item": Ref(Item, "item")}, filters={"item": Bom.item.code},
    children=Children(
        "lines", BomLine, "bom", "position",
        refs={"component": Ref(Item, "item"), "unit": Ref(Unit, "unit")}, out=s.BomLineOut,
        columns={"position": BomLine.position, "component": BomLine.component.code,
                 "quantity": BomLine.quantity, "unit": BomLine.unit.code,
                 "operation_seq": BomLine.operation_seq,
                 "scan_to_consume": BomLine.scan_to_consume}),
    validate_children=_validate_bom_lines))
_register(Resource(
    "warehouses", "warehouse", "Warehouse", Warehouse, s.WarehouseIn, s.WarehousePatch,
    s.WarehouseOut,
    columns={**_base(Warehouse), "site": Warehouse.site.code, "kind": Warehouse.kind},
    refs={"site": Ref(Site, "site")}, filters={"site": Warehouse.site.code,
                                              "kind": Warehouse.kind}))
_register(Resource(
    "locations", "location", "Location", Location, s.LocationIn, s.LocationPatch, s.LocationOut,
    columns={**_base(Location), "warehouse": Location.warehouse.code, "kind": Location.kind,
             "line_id": Location.line_id},
    refs={"warehouse": Ref(Warehouse, "warehouse")},
    filters={"warehouse": Location.warehouse.code, "kind": Location.kind},
    decorate=_add_line_codes))
_register(Resource(
    "equipment", "equipment", "Equipment", Equipment, s.EquipmentIn, s.EquipmentPatch,
    s.EquipmentOut,
    columns={**_base(Equipment), "equipment_type": Equipment.equipment_type,
             "line": Equipment.line.code, "workstation": Equipment.workstation.code,
             "status": Equipment.status, "manufacturer": Equipment.manufacturer,
             "model": Equipment.model, "serial_no": Equipment.serial_no},
    refs={"line": Ref(Line, "line"), "workstation": Ref(Workstation, "workstation")},
    filters={"line": Equipment.line.code, "status": Equipment.status},
    validate=_validate_equipment, audit_only=("reason_code", "note")))
_register(Resource(
    "parties", "party", "Party", Party, s.PartyIn, s.PartyPatch, s.PartyOut,
    columns={**_base(Party), "kind": Party.kind, "email": Party.email, "phone": Party.phone,
             "address": Party.address},
    filters={"kind": Party.kind}))
_register(Resource(
    "reason-codes", "reason_code", "Reason code", ReasonCode, s.ReasonCodeIn,
    s.ReasonCodePatch, s.ReasonCodeOut,
    columns={**_base(ReasonCode), "kind": ReasonCode.kind, "planned": ReasonCode.planned},
    filters={"kind": ReasonCode.kind}))


# --- the generic service ---------------------------------------------------------------------

def _select(resource: Resource, columns: dict[str, Any], table: type[Table]) -> Any:
    return table.select(*(col.as_alias(name) for name, col in columns.items()),
                        table._meta.primary_key.as_alias("_id"))


async def _shape(resource: Resource, rows: list[dict[str, Any]]) -> list[Any]:
    """Turn selected rows into output structs, reading nested rows in one query."""
    children: dict[int, list[Any]] = {}
    spec = resource.children
    if spec is not None and rows:
        parent_ids = [row["_id"] for row in rows]
        parent_col = getattr(spec.table, spec.parent_column)
        child_rows = await (
            _select(resource, spec.columns, spec.table)
            .columns(parent_col.as_alias("_parent"))
            .where(parent_col.is_in(parent_ids))
            .order_by(getattr(spec.table, spec.order_by))
        )
        for child in child_rows:
            parent = child.pop("_parent")
            child.pop("_id")
            children.setdefault(parent, []).append(msgspec.convert(child, spec.out))
    if resource.decorate is not None:
        await resource.decorate(rows)
    out = []
    for row in rows:
        record_id = row.pop("_id")
        if spec is not None:
            row[spec.field] = children.get(record_id, [])
        out.append(msgspec.convert(row, resource.out))
    return out


async def _row(resource: Resource, code: str) -> dict[str, Any]:
    table = resource.table
    row = await table.select().where(table.code == code.upper()).first()
    if row is None:
        raise NotFound(Message("There is no {title} with code {code}.",
                               title=term("record", resource.title.lower()), code=code.upper()),
                       code=f"{resource.entity}.not_found")
    return row


async def get_record(resource: Resource, code: str) -> Any:
    """One record by code."""
    table = resource.table
    rows = await _select(resource, resource.columns, table).where(table.code == code.upper())
    if not rows:
        raise NotFound(Message("There is no {title} with code {code}.",
                               title=term("record", resource.title.lower()), code=code.upper()),
                       code=f"{resource.entity}.not_found")
    return (await _shape(resource, rows))[0]


async def list_records(resource: Resource, *, limit: int, offset: int, active: bool | None,
                       q: str | None, filters: dict[str, str]) -> tuple[list[Any], int]:
    """A page of records ordered by code, with exact-match filters and a text search."""
    table = resource.table
    query = _select(resource, resource.columns, table).order_by(table.code)
    count = table.count()
    conditions: list[Combinable] = []
    if active is not None:
        conditions.append(table.active == active)
    if q:
        conditions.append(table.code.ilike(f"%{q}%") | table.name.ilike(f"%{q}%"))
    for name, value in filters.items():
        column = resource.filters[name]
        conditions.append(column == (value.upper() if name not in {"kind", "status"} else value))
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    rows = await query.limit(limit).offset(offset)
    return await _shape(resource, rows), await count


async def _resolve(refs: dict[str, Ref], values: dict[str, Any]) -> None:
    """Check numbers, then replace referenced codes by ids, refusing unknown or deactivated
    records."""
    _check_numbers(values)
    for field_name, ref in refs.items():
        code = values.get(field_name)
        if code is None:
            continue
        row = await ref.table.select(ref.table.id, ref.table.active).where(
            ref.table.code == code.upper()).first()
        if row is None:
            raise Invalid(Message("There is no {entity} with code {code}.",
                                  entity=term("record", ref.entity), code=code.upper()),
                          code="reference.unknown", field=field_name)
        if not row["active"]:
            raise Invalid(Message("The {entity} {code} is deactivated.",
                                  entity=term("record", ref.entity), code=code.upper()),
                          code="reference.inactive", field=field_name)
        values[field_name] = row["id"]


async def _write_children(resource: Resource, record_id: int, values: dict[str, Any],
                          items: list[Any]) -> None:
    spec = resource.children
    assert spec is not None
    rows = [msgspec.structs.asdict(item) for item in items]
    for row in rows:
        await _resolve(spec.refs, row)
    if resource.validate_children:
        await resource.validate_children(values, rows)
    parent_col = getattr(spec.table, spec.parent_column)
    await spec.table.delete().where(parent_col == record_id)
    if rows:
        await spec.table.insert(*(spec.table(**{spec.parent_column: record_id, **row})
                                  for row in rows))


def _plain(out: Any) -> dict[str, Any]:
    return msgspec.json.decode(msgspec.json.encode(out))


async def create_record(uow: UnitOfWork, resource: Resource, data: Any) -> Any:
    """Create a record (audited); its code is stored uppercase and must be new."""
    values = msgspec.structs.asdict(data)
    values["code"] = values["code"].upper()
    table = resource.table
    if await table.exists().where(table.code == values["code"]):
        raise Conflict(Message("A {title} with code {values} already exists.",
                               title=term("record", resource.title.lower()), values=values['code']),
                       code=f"{resource.entity}.exists")
    nested = values.pop(resource.children.field) if resource.children else None
    await _resolve(resource.refs, values)
    if resource.validate:
        await resource.validate(values, None)
    rows = await table.insert(table(**values)).returning(table.id)
    record_id = rows[0]["id"]
    if resource.children and nested is not None:
        await _write_children(resource, record_id, values, nested)
    if resource.after_create:
        await resource.after_create(uow, record_id, values)
    out = await get_record(resource, values["code"])
    await uow.audit(f"{resource.entity}.create", resource.entity, values["code"],
                    after=_plain(out))
    uow.emit(f"{resource.entity}.created", values["code"], *_topics(resource, out), version=1)
    return out


def _topics(resource: Resource, out: Any) -> list[str]:
    """Where a change is published: all master data, the record, and its line (boards follow
    a line, not every machine on it)."""
    topics = [MASTERDATA_TOPIC, f"{resource.entity}:{out.code}"]
    line = getattr(out, "line", None)
    if isinstance(line, str) and line:
        topics.append(f"line:{line}")
    return topics


async def update_record(uow: UnitOfWork, resource: Resource, code: str, patch: Any) -> Any:
    """Change a record (audited, version + 1). Only the fields sent change."""
    stored = await _row(resource, code)
    before = await get_record(resource, code)
    values = {k: v for k, v in msgspec.structs.asdict(patch).items() if v is not msgspec.UNSET}
    if not stored["active"] and not values.get("active"):
        # A command queued on a handheld may arrive after the record was retired.
        raise Conflict(Message("{title} {code} is deactivated; reactivate it before changing it.",
                               title=term("record", resource.title),
                               code=stored['code']), code="record.inactive")
    nested = values.pop(resource.children.field, None) if resource.children else None
    await _resolve(resource.refs, values)
    if resource.validate:
        await resource.validate(values, stored)
    why = {name: values.pop(name) for name in resource.audit_only if name in values}
    table = resource.table
    version = stored["version"] + 1
    updates = {getattr(table, k): v for k, v in values.items()}
    updates[table.version] = version
    updates[table.updated_at] = datetime.now(UTC)
    await table.update(updates).where(table.id == stored["id"])
    if resource.children and nested is not None:
        await _write_children(resource, stored["id"], {**stored, **values}, nested)
    out = await get_record(resource, code)
    action = "update"
    if values.keys() == {"active"}:
        action = "activate" if values["active"] else "deactivate"
    await uow.audit(f"{resource.entity}.{action}", resource.entity, stored["code"],
                    before=_plain(before), after={**_plain(out), **why})
    uow.emit(f"{resource.entity}.updated", stored["code"], *_topics(resource, out),
             version=version)
    return out


async def deactivate_record(uow: UnitOfWork, resource: Resource, code: str) -> Any:
    """Deactivate a record: it stays for history but can no longer be referenced."""
    stored = await _row(resource, code)
    if not stored["active"]:
        return await get_record(resource, code)
    return await update_record(uow, resource, code, resource.patch(active=False))
