"""Master data in the ISA-95 shape: site > area > line > workstation, and what is made there."""

from __future__ import annotations

from decimal import Decimal

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    Numeric,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

__all__ = [
    "Area",
    "Bom",
    "BomLine",
    "Equipment",
    "Item",
    "Line",
    "Location",
    "Party",
    "ReasonCode",
    "Route",
    "RouteOperation",
    "Site",
    "Unit",
    "UnitConversion",
    "Warehouse",
    "Workstation",
    "WorkstationType",
]

QTY = (18, 6)
"""Quantities: Numeric(18, 6), read as Decimal, never float."""


class MasterRecord(Table):
    """Columns every master record has: a unique uppercase code, a name, and soft deletion."""

    id: Serial
    code = Varchar(length=64, unique=True)
    name = Varchar(length=200)
    active = Boolean(default=True)
    version = Integer(default=1)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Site(MasterRecord, tablename="md_site"):
    """A plant, with the IANA time zone its shifts are computed in."""

    time_zone = Varchar(length=64, default="UTC")


class Area(MasterRecord, tablename="md_area"):
    """An area or workshop of a site."""

    site = ForeignKey(references=Site)


class Warehouse(MasterRecord, tablename="md_warehouse"):
    """A store of a site. ``kind``: raw, finished, wip, scrap, quarantine, general."""

    site = ForeignKey(references=Site)
    kind = Varchar(length=20, default="general")


class Location(MasterRecord, tablename="md_location"):
    """A place that holds stock. Line-side WIP locations belong to a line (``line_id``)."""

    warehouse = ForeignKey(references=Warehouse)
    kind = Varchar(length=20, default="storage")
    line_id = Integer(null=True, default=None, index=True)


class Line(MasterRecord, tablename="md_line"):
    """A production line; it gets its line-side WIP location when created.
    ``missing_material``: ``warn`` or ``refuse`` a work report while the step's scan-to-consume
    components are not scanned."""

    area = ForeignKey(references=Area)
    wip_location = ForeignKey(references=Location, null=True, default=None)
    missing_material = Varchar(length=10, default="warn")


class WorkstationType(MasterRecord, tablename="md_workstation_type"):
    """A kind of workstation (an operation may name a type and be placed when scheduled)."""


class Workstation(MasterRecord, tablename="md_workstation"):
    """A place on a line where an operation runs."""

    line = ForeignKey(references=Line)
    workstation_type = ForeignKey(references=WorkstationType, null=True, default=None)


class Unit(MasterRecord, tablename="md_unit"):
    """A unit of measure; ``decimals`` is how many decimals quantities in it may have."""

    decimals = Integer(default=0)


class UnitConversion(Table, tablename="md_unit_conversion"):
    """``1 from_unit = factor to_unit``."""

    id: Serial
    from_unit = ForeignKey(references=Unit)
    to_unit = ForeignKey(references=Unit)
    factor = Numeric(digits=QTY)


class Route(MasterRecord, tablename="md_route"):
    """A process route: the ordered operations that make an item."""

    description = Text(default="")


class RouteOperation(Table, tablename="md_route_operation"):
    """One step of a route, on a workstation or any workstation of a type."""

    id: Serial
    route = ForeignKey(references=Route)
    seq = Integer()
    name = Varchar(length=200)
    workstation = ForeignKey(references=Workstation, null=True, default=None)
    workstation_type = ForeignKey(references=WorkstationType, null=True, default=None)
    setup_minutes = Numeric(digits=(10, 2), default=Decimal(0))
    ideal_cycle_seconds = Numeric(digits=(12, 3), default=Decimal(0))
    counts_output = Boolean(default=True)
    needs_inspection = Boolean(default=False)
    instructions = Text(default="")
    attachment_url = Varchar(length=500, default="")


class Item(MasterRecord, tablename="md_item"):
    """Something bought, made or sold. ``kind``: raw, semi_finished, finished.
    ``incoming_inspection``: received lots start pending until an inspector releases them."""

    kind = Varchar(length=20)
    unit = ForeignKey(references=Unit)
    batch_managed = Boolean(default=False)
    serial_tracked = Boolean(default=False)
    incoming_inspection = Boolean(default=False)
    gtin = Varchar(length=14, null=True, default=None, unique=True)
    route = ForeignKey(references=Route, null=True, default=None)
    overrun_percent = Numeric(digits=(6, 2), default=Decimal(0))
    description = Text(default="")
    # What one box, tray or reel holds; the handheld's default report and receipt quantity.
    container_quantity = Numeric(digits=QTY, null=True, default=None)


class Bom(MasterRecord, tablename="md_bom"):
    """What goes into ``quantity`` of ``item``."""

    item = ForeignKey(references=Item)
    quantity = Numeric(digits=QTY, default=Decimal(1))


class BomLine(Table, tablename="md_bom_line"):
    """A component of a BOM, consumed at the route operation ``operation_seq`` (if given)."""

    id: Serial
    bom = ForeignKey(references=Bom)
    position = Integer()
    component = ForeignKey(references=Item)
    quantity = Numeric(digits=QTY)
    unit = ForeignKey(references=Unit)
    operation_seq = Integer(null=True, default=None)
    scan_to_consume = Boolean(default=False)


class Equipment(MasterRecord, tablename="md_equipment"):
    """A machine or tool, on a line or a workstation.
    ``status``: in_service, down, under_maintenance, retired."""

    equipment_type = Varchar(length=60, default="")
    line = ForeignKey(references=Line, null=True, default=None)
    workstation = ForeignKey(references=Workstation, null=True, default=None)
    status = Varchar(length=30, default="in_service")
    manufacturer = Varchar(length=120, default="")
    model = Varchar(length=120, default="")
    serial_no = Varchar(length=120, default="")


class Party(MasterRecord, tablename="md_party"):
    """A supplier, a customer, or both (``kind``)."""

    kind = Varchar(length=20)
    email = Varchar(length=200, default="")
    phone = Varchar(length=60, default="")
    address = Text(default="")


class ReasonCode(MasterRecord, tablename="md_reason_code"):
    """Why something happened. ``kind``: scrap, downtime, andon, hold, return.
    ``planned`` downtime does not count against availability."""

    kind = Varchar(length=20)
    planned = Boolean(default=False)
