"""What scanning a master data label means: locations, workstations, equipment, items."""

from __future__ import annotations

from takt.masterdata.tables import Equipment, Item, Location, Workstation
from takt.platform.records import Record, register_gs1, register_kind

__all__ = ["register_record_kinds"]

EVERYONE = {"admin", "planner", "operator", "inspector", "maintainer", "supervisor"}
PRINTERS = {"admin", "planner", "supervisor"}


def _status(active: bool) -> str:
    return "active" if active else "inactive"


async def _location(code: str) -> Record | None:
    row = await Location.select(
        Location.id, Location.code, Location.name, Location.active, Location.kind,
        Location.warehouse.code.as_alias("warehouse"),
        Location.warehouse.site.code.as_alias("site"),
    ).where(Location.code == code).first()
    if row is None:
        return None
    return Record("LOC", row["id"], row["code"], row["name"], _status(row["active"]),
                  {"warehouse": row["warehouse"], "site": row["site"],
                   "location_kind": row["kind"]})


async def _workstation(code: str) -> Record | None:
    row = await Workstation.select(
        Workstation.id, Workstation.code, Workstation.name, Workstation.active,
        Workstation.line.code.as_alias("line"),
    ).where(Workstation.code == code).first()
    if row is None:
        return None
    return Record("WS", row["id"], row["code"], row["name"], _status(row["active"]),
                  {"line": row["line"]})


async def _equipment(code: str) -> Record | None:
    row = await Equipment.select(
        Equipment.id, Equipment.code, Equipment.name, Equipment.active, Equipment.status,
        Equipment.serial_no, Equipment.workstation.code.as_alias("workstation"),
        Equipment.line.code.as_alias("line"),
    ).where(Equipment.code == code).first()
    if row is None:
        return None
    status = row["status"] if row["active"] else "inactive"
    return Record("EQ", row["id"], row["code"], row["name"], status,
                  {"serial": row["serial_no"], "workstation": row["workstation"] or "",
                   "line": row["line"] or ""})


async def _item_where(condition: object) -> Record | None:
    row = await Item.select(
        Item.id, Item.code, Item.name, Item.active, Item.kind, Item.gtin,
        Item.unit.code.as_alias("unit"),
    ).where(condition).first()
    if row is None:
        return None
    return Record("ITEM", row["id"], row["code"], row["name"], _status(row["active"]),
                  {"unit": row["unit"], "item_kind": row["kind"], "gtin": row["gtin"] or ""})


async def _item(code: str) -> Record | None:
    return await _item_where(Item.code == code)


async def _item_by_gtin(gtin: str | None, batch: str | None, serial: str | None
                        ) -> Record | None:
    # Until a lot of this supplier batch is received, a supplier label names the item.
    if gtin is None:
        return None
    return await _item_where(Item.gtin == gtin)


def register_record_kinds() -> None:
    """Register master data's label kinds with the scan and label registry."""
    register_kind("LOC", _location, {
        "view_stock": EVERYONE,
        "count": {"operator", "supervisor"},
        "put_away": {"operator"},
        "print_label": PRINTERS,
    })
    register_kind("WS", _workstation, {
        "view_queue": {"operator", "supervisor", "planner"},
        "start_work": {"operator"},
        "raise_andon": {"operator", "supervisor"},
        "print_label": PRINTERS,
    })
    register_kind("EQ", _equipment, {
        "view_equipment": EVERYONE,
        "run_check": {"maintainer"},
        "report_breakdown": {"operator", "maintainer", "supervisor"},
        "open_repair": {"maintainer", "supervisor"},
        "set_status": {"admin", "planner", "maintainer"},
        "print_label": PRINTERS | {"maintainer"},
    })
    register_kind("ITEM", _item, {
        "view_item": EVERYONE,
        "receive_lot": {"operator", "admin"},
        "print_label": PRINTERS,
    })
    register_gs1(_item_by_gtin)
