"""What scanning a master data label means: locations, workstations, equipment, items."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from takt.platform.records import Record, register_gs1, register_kind
from takt.platform.roles import (
    EQUIPMENT_KEEPERS,
    EVERYONE,
    FLOOR,
    LABEL_PRINTERS,
    MAINTAINER,
    OPERATOR,
    PLANNER,
    RECEIVERS,
    SUPERVISOR,
)
from takt.platform.sql import Statement

__all__ = ["register_record_kinds"]

def _status(active: bool) -> str:
    return "active" if active else "inactive"


_LOCATION = Statement("""
    SELECT l.id, l.code, l.name, l.active, l.kind, w.code AS warehouse, s.code AS site
    FROM md_location l
    JOIN md_warehouse w ON w.id = l.warehouse
    JOIN md_site s ON s.id = w.site
    WHERE l.code = $1
""")


async def _location(code: str) -> Record | None:
    row = await _LOCATION.fetchrow(code)
    if row is None:
        return None
    return Record("LOC", row["id"], row["code"], row["name"], _status(row["active"]),
                  {"warehouse": row["warehouse"], "site": row["site"],
                   "location_kind": row["kind"]})


_WORKSTATION = Statement("""
    SELECT ws.id, ws.code, ws.name, ws.active, l.code AS line
    FROM md_workstation ws
    JOIN md_line l ON l.id = ws.line
    WHERE ws.code = $1
""")


async def _workstation(code: str) -> Record | None:
    row = await _WORKSTATION.fetchrow(code)
    if row is None:
        return None
    return Record("WS", row["id"], row["code"], row["name"], _status(row["active"]),
                  {"line": row["line"]})


_EQUIPMENT = Statement("""
    SELECT e.id, e.code, e.name, e.active, e.status, e.serial_no, ws.code AS workstation,
           l.code AS line
    FROM md_equipment e
    LEFT JOIN md_workstation ws ON ws.id = e.workstation
    LEFT JOIN md_line l ON l.id = e.line
    WHERE e.code = $1
""")


async def _equipment(code: str) -> Record | None:
    row = await _EQUIPMENT.fetchrow(code)
    if row is None:
        return None
    status = row["status"] if row["active"] else "inactive"
    return Record("EQ", row["id"], row["code"], row["name"], status,
                  {"serial": row["serial_no"], "workstation": row["workstation"] or "",
                   "line": row["line"] or ""})


_ITEM_COLUMNS = """
    SELECT i.id, i.code, i.name, i.active, i.kind, i.gtin, u.code AS unit, i.route,
           i.batch_managed, i.incoming_inspection
    FROM md_item i
    JOIN md_unit u ON u.id = i.unit
"""
_ITEM_BY_CODE = Statement(_ITEM_COLUMNS + " WHERE i.code = $1")
_ITEM_BY_GTIN = Statement(_ITEM_COLUMNS + " WHERE i.gtin = $1")


def _receiving(row: Mapping[str, Any]) -> frozenset[str]:
    """How an item is received at the dock: only bought items are (raw material, or an item
    no route makes); as a lot when its receipts make one (kept by lot or inspected on
    arrival, as inventory's receiving decides), else by quantity alone."""
    if row["kind"] != "raw" and row["route"] is not None:
        return frozenset()
    by_lot = bool(row["batch_managed"]) or bool(row["incoming_inspection"])
    return frozenset({"receive_lot" if by_lot else "receive"})


_ITEM_ACTIONS = frozenset({"view_item", "print_label"})


def _item_record(row: Mapping[str, Any] | None) -> Record | None:
    if row is None:
        return None
    return Record("ITEM", row["id"], row["code"], row["name"], _status(row["active"]),
                  {"unit": row["unit"], "item_kind": row["kind"], "gtin": row["gtin"] or ""},
                  offers=_ITEM_ACTIONS | _receiving(row))


async def _item(code: str) -> Record | None:
    return _item_record(await _ITEM_BY_CODE.fetchrow(code))


async def _item_by_gtin(gtin: str | None, batch: str | None, serial: str | None
                        ) -> Record | None:
    # Until a lot of this supplier batch is received, a supplier label names the item.
    if gtin is None:
        return None
    return _item_record(await _ITEM_BY_GTIN.fetchrow(gtin))


def register_record_kinds() -> None:
    """Register master data's label kinds with the scan and label registry."""
    register_kind("LOC", _location, {
        "view_stock": EVERYONE,
        "count": FLOOR,
        "put_away": {OPERATOR},
        "print_label": LABEL_PRINTERS,
    })
    register_kind("WS", _workstation, {
        "view_queue": FLOOR | {PLANNER},
        "start_work": {OPERATOR},
        "raise_andon": FLOOR,
        "print_label": LABEL_PRINTERS,
    })
    register_kind("EQ", _equipment, {
        "view_equipment": EVERYONE,
        "run_check": {MAINTAINER},
        "report_breakdown": FLOOR | {MAINTAINER},
        "open_repair": {MAINTAINER, SUPERVISOR},
        "set_status": EQUIPMENT_KEEPERS,
        "print_label": LABEL_PRINTERS | {MAINTAINER},
    })
    register_kind("ITEM", _item, {
        "view_item": EVERYONE,
        "receive_lot": RECEIVERS,
        "receive": RECEIVERS,
        "print_label": LABEL_PRINTERS,
    })
    register_gs1(_item_by_gtin)
