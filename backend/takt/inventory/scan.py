"""What scanning a lot label, or a supplier's GS1 label of a received batch, means.

The actions offered follow the lot's quality status: a released lot can be issued to a line,
a pending or blocked one released, a pending or released one blocked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from takt.inventory.ledger import qty
from takt.platform.records import Record, register_gs1, register_kind
from takt.platform.roles import EVERYONE, FLOOR, INSPECTORS, UNIT_LABEL_PRINTERS
from takt.platform.sql import Statement

__all__ = ["register_record_kinds"]

_LOT_COLUMNS = """
    SELECT l.id, l.code, l.quality_status, l.supplier_lot, l.expires_on, l.quantity AS created,
           i.code AS item_code, i.name AS item_name, u.code AS unit,
           (SELECT SUM(h.quantity) FROM inv_on_hand_now h
            JOIN md_location hl ON hl.id = h.location
            WHERE h.lot = l.id AND h.quantity > 0) AS on_hand
    FROM inv_lot l
    JOIN md_item i ON i.id = l.item
    JOIN md_unit u ON u.id = i.unit
"""
_LOT_BY_CODE = Statement(_LOT_COLUMNS + " WHERE l.code = $1")
_LOT_BY_GS1 = Statement(_LOT_COLUMNS + """
    WHERE l.supplier_lot = $2 AND (l.gtin = $1 OR i.gtin = $1)
    ORDER BY l.id DESC LIMIT 1
""")
"""The newest lot received of that supplier batch of that GTIN."""


def _lot_record(row: Mapping[str, Any] | None) -> Record | None:
    if row is None:
        return None
    status = row["quality_status"]
    offers = {"view_lot", "trace", "print_label", "transfer", "return", "scrap"}
    if status == "released":
        offers |= {"issue_to_line", "block"}
    elif status == "pending":
        offers |= {"release", "block"}
    else:
        offers.add("release")
    expiry = row["expires_on"]
    on_hand = row["on_hand"]
    return Record("LOT", row["id"], row["code"], row["item_name"], status, {
        "item_code": row["item_code"],
        "quantity": str(qty(on_hand if on_hand is not None else row["created"])),
        "unit": row["unit"], "supplier_lot": row["supplier_lot"] or "",
        "expiry": expiry.isoformat() if hasattr(expiry, "isoformat") else (expiry or ""),
        "status": status,
    }, offers=frozenset(offers))


async def _lot(code: str) -> Record | None:
    return _lot_record(await _LOT_BY_CODE.fetchrow(code))


async def _lot_by_gs1(gtin: str | None, batch: str | None, serial: str | None
                      ) -> Record | None:
    # Asked before master data's item fallback: once the batch is received, its label
    # names the lot.
    if gtin is None or not batch:
        return None
    return _lot_record(await _LOT_BY_GS1.fetchrow(gtin, batch))


def register_record_kinds() -> None:
    """Register inventory's label kind with the scan and label registry (after master data,
    so its GS1 resolver is asked first)."""
    register_kind("LOT", _lot, {
        "view_lot": EVERYONE,
        "trace": EVERYONE,
        "release": INSPECTORS,
        "block": INSPECTORS,
        "issue_to_line": FLOOR,
        "return": FLOOR,
        "transfer": FLOOR,
        "scrap": FLOOR,
        "print_label": UNIT_LABEL_PRINTERS,
    })
    register_gs1(_lot_by_gs1)
