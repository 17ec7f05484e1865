"""What the master data API takes and gives (msgspec Structs, snake_case JSON).

Records are addressed by ``code``; references to other records are their codes. ``...In`` is a
create body, ``...Patch`` a partial update (absent fields stay), ``...Out`` what is returned.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from takt.platform.fields import CODE_PATTERN, Link, NonNegative, Percent, Qty

__all__ = [
    "AreaIn", "AreaOut", "AreaPatch", "BomIn", "BomLineIn", "BomLineOut", "BomOut", "BomPatch",
    "ConversionIn", "ConversionOut", "EquipmentIn", "EquipmentOut", "EquipmentPatch", "ItemIn",
    "ItemOut", "ItemPatch", "LineIn", "LineOut", "LinePatch", "LocationIn", "LocationOut",
    "LocationPatch", "PartyIn", "PartyOut", "PartyPatch", "ReasonCodeIn", "ReasonCodeOut",
    "ReasonCodePatch", "RouteIn", "RouteOperationIn", "RouteOperationOut", "RouteOut",
    "RoutePatch", "SiteIn", "SiteOut", "SitePatch", "UnitIn", "UnitOut", "UnitPatch",
    "WarehouseIn", "WarehouseOut", "WarehousePatch", "WorkstationIn", "WorkstationOut",
    "WorkstationPatch", "WorkstationTypeIn", "WorkstationTypeOut", "WorkstationTypePatch",
]

Code = Annotated[str, Meta(min_length=1, max_length=64, pattern=CODE_PATTERN,
                           description="Unique code, stored uppercase; letters, digits, - _ .")]
"""A record's own code (a reference to another record is :data:`takt.platform.fields.Code`)."""
Name = Annotated[str, Meta(min_length=1, max_length=200)]
SiteOrLineCode = Annotated[str, Meta(
    min_length=1, max_length=60, pattern=CODE_PATTERN,
    description="Unique code, stored uppercase; letters, digits, - _ .; at most 60, as its "
                "line-side WIP place is WIP-<code>")]
Gtin = Annotated[str, Meta(pattern=r"^[0-9]{14}$", description="GTIN-14 (pad shorter with 0)")]
ItemKind = Literal["raw", "semi_finished", "finished"]
WarehouseKind = Literal["raw", "finished", "wip", "scrap", "quarantine", "general"]
LocationKind = Literal["storage", "line_side", "receiving", "shipping", "scrap", "quarantine"]
EquipmentStatus = Literal["in_service", "down", "under_maintenance", "retired"]
PartyKind = Literal["supplier", "customer", "both"]
ReasonKind = Literal["scrap", "downtime", "andon", "hold", "return"]
MissingMaterial = Annotated[Literal["warn", "refuse"], Meta(
    description="A work report while the step's scan-to-consume components are not scanned "
                "(less consumed than the BOM quantity times the units reported): warn "
                "(the handheld says what is missing, the report goes in) or refuse (409 "
                "report.material_missing)")]


class _Out(msgspec.Struct, kw_only=True):
    code: str
    name: str
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime


class _Patch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class _In(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    code: Code
    name: Name


# --- sites, areas, lines, workstations -------------------------------------------------------

class SiteIn(_In, kw_only=True):
    code: SiteOrLineCode
    time_zone: str = "UTC"


class SitePatch(_Patch):
    time_zone: str | UnsetType = UNSET


class SiteOut(_Out):
    time_zone: str


class AreaIn(_In, kw_only=True):
    site: Code


class AreaPatch(_Patch):
    pass


class AreaOut(_Out):
    site: str


class LineIn(_In, kw_only=True):
    code: SiteOrLineCode
    area: Code
    missing_material: MissingMaterial = "warn"


class LinePatch(_Patch):
    missing_material: MissingMaterial | UnsetType = UNSET


class LineOut(_Out):
    area: str
    site: str
    wip_location: str | None
    missing_material: MissingMaterial


class WorkstationTypeIn(_In, kw_only=True):
    pass


class WorkstationTypePatch(_Patch):
    pass


class WorkstationTypeOut(_Out):
    pass


class WorkstationIn(_In, kw_only=True):
    line: Code
    workstation_type: Code | None = None


class WorkstationPatch(_Patch):
    line: Code | UnsetType = UNSET
    workstation_type: Code | None | UnsetType = UNSET


class WorkstationOut(_Out):
    line: str
    workstation_type: str | None


# --- units -----------------------------------------------------------------------------------

class ConversionIn(msgspec.Struct, forbid_unknown_fields=True):
    """``1 <this unit> = factor <to_unit>``."""

    to_unit: Code
    factor: Qty


class ConversionOut(msgspec.Struct):
    to_unit: str
    factor: Decimal


class UnitIn(_In, kw_only=True):
    decimals: Annotated[int, Meta(ge=0, le=6)] = 0
    conversions: list[ConversionIn] = []


class UnitPatch(_Patch):
    decimals: Annotated[int, Meta(ge=0, le=6)] | UnsetType = UNSET
    conversions: list[ConversionIn] | UnsetType = UNSET


class UnitOut(_Out):
    decimals: int
    conversions: list[ConversionOut]


# --- items, routes, BOMs ---------------------------------------------------------------------

class ItemIn(_In, kw_only=True):
    kind: ItemKind
    unit: Code
    batch_managed: bool = False
    serial_tracked: bool = False
    incoming_inspection: bool = False
    gtin: Gtin | None = None
    route: Code | None = None
    overrun_percent: Percent = Decimal(0)
    description: str = ""
    container_quantity: Qty | None = None
    """What one box, tray or reel holds: the handheld's default report quantity."""


class ItemPatch(_Patch):
    kind: ItemKind | UnsetType = UNSET
    unit: Code | UnsetType = UNSET
    batch_managed: bool | UnsetType = UNSET
    serial_tracked: bool | UnsetType = UNSET
    incoming_inspection: bool | UnsetType = UNSET
    gtin: Gtin | None | UnsetType = UNSET
    route: Code | None | UnsetType = UNSET
    overrun_percent: Percent | UnsetType = UNSET
    description: str | UnsetType = UNSET
    container_quantity: Qty | None | UnsetType = UNSET


class ItemOut(_Out):
    kind: str
    unit: str
    batch_managed: bool
    serial_tracked: bool
    incoming_inspection: bool
    gtin: str | None
    route: str | None
    overrun_percent: Decimal
    description: str
    container_quantity: Decimal | None
    """What one box, tray or reel holds (null: not set)."""


class RouteOperationIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One step; give a ``workstation``, or a ``workstation_type`` resolved when scheduled."""

    seq: Annotated[int, Meta(ge=1, le=9999)]
    name: Name
    workstation: Code | None = None
    workstation_type: Code | None = None
    setup_minutes: NonNegative = Decimal(0)
    ideal_cycle_seconds: NonNegative = Decimal(0)
    counts_output: bool = True
    needs_inspection: bool = False
    instructions: str = ""
    attachment_url: Link = ""


class RouteOperationOut(msgspec.Struct, kw_only=True):
    seq: int
    name: str
    workstation: str | None
    workstation_type: str | None
    setup_minutes: Decimal
    ideal_cycle_seconds: Decimal
    counts_output: bool
    needs_inspection: bool
    instructions: str
    attachment_url: str


class RouteIn(_In, kw_only=True):
    description: str = ""
    operations: Annotated[list[RouteOperationIn], Meta(min_length=1)]


class RoutePatch(_Patch):
    description: str | UnsetType = UNSET
    operations: Annotated[list[RouteOperationIn], Meta(min_length=1)] | UnsetType = UNSET


class RouteOut(_Out):
    description: str
    operations: list[RouteOperationOut]


class BomLineIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A component; ``operation_seq`` ties its consumption to a step of the item's route."""

    component: Code
    quantity: Qty
    unit: Code | None = None
    operation_seq: Annotated[int, Meta(ge=1)] | None = None
    scan_to_consume: bool = False


class BomLineOut(msgspec.Struct, kw_only=True):
    position: int
    component: str
    quantity: Decimal
    unit: str
    operation_seq: int | None
    scan_to_consume: bool


class BomIn(_In, kw_only=True):
    item: Code
    quantity: Qty = Decimal(1)
    lines: Annotated[list[BomLineIn], Meta(min_length=1)]


class BomPatch(_Patch):
    quantity: Qty | UnsetType = UNSET
    lines: Annotated[list[BomLineIn], Meta(min_length=1)] | UnsetType = UNSET


class BomOut(_Out):
    item: str
    quantity: Decimal
    lines: list[BomLineOut]


# --- stores ----------------------------------------------------------------------------------

class WarehouseIn(_In, kw_only=True):
    site: Code
    kind: WarehouseKind = "general"


class WarehousePatch(_Patch):
    kind: WarehouseKind | UnsetType = UNSET


class WarehouseOut(_Out):
    site: str
    kind: str


class LocationIn(_In, kw_only=True):
    warehouse: Code
    kind: LocationKind = "storage"


class LocationPatch(_Patch):
    kind: LocationKind | UnsetType = UNSET


class LocationOut(_Out):
    warehouse: str
    kind: str
    line: str | None


# --- equipment, parties, reasons -------------------------------------------------------------

class EquipmentIn(_In, kw_only=True):
    equipment_type: str = ""
    line: Code | None = None
    workstation: Code | None = None
    status: EquipmentStatus = "in_service"
    manufacturer: str = ""
    model: str = ""
    serial_no: str = ""


class EquipmentPatch(_Patch):
    equipment_type: str | UnsetType = UNSET
    line: Code | None | UnsetType = UNSET
    workstation: Code | None | UnsetType = UNSET
    status: EquipmentStatus | UnsetType = UNSET
    reason_code: Code | UnsetType = UNSET
    """Why its status changes: a reason code of kind downtime, needed to set it ``down``
    (kept in the audit row, not on the record)."""
    note: Annotated[str, Meta(max_length=500)] | UnsetType = UNSET
    """What the person saw, kept in the audit row with the reason."""
    manufacturer: str | UnsetType = UNSET
    model: str | UnsetType = UNSET
    serial_no: str | UnsetType = UNSET


class EquipmentOut(_Out):
    equipment_type: str
    line: str | None
    workstation: str | None
    status: str
    manufacturer: str
    model: str
    serial_no: str


class PartyIn(_In, kw_only=True):
    kind: PartyKind
    email: str = ""
    phone: str = ""
    address: str = ""


class PartyPatch(_Patch):
    kind: PartyKind | UnsetType = UNSET
    email: str | UnsetType = UNSET
    phone: str | UnsetType = UNSET
    address: str | UnsetType = UNSET


class PartyOut(_Out):
    kind: str
    email: str
    phone: str
    address: str


class ReasonCodeIn(_In, kw_only=True):
    kind: ReasonKind
    planned: bool = False


class ReasonCodePatch(_Patch):
    kind: ReasonKind | UnsetType = UNSET
    planned: bool | UnsetType = UNSET


class ReasonCodeOut(_Out):
    kind: str
    planned: bool
