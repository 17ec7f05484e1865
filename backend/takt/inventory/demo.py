"""The demo factory's stock: goods receipts played through the receiving service.

Each row of ``seed/demo/NN-stock.json`` is a receipt body as ``POST /api/v1/receipts`` takes
it, plus two demo-only keys: ``expires_in_days`` (an expiry relative to the day the demo is
loaded, so the near-expiry lot stays near expiry) and ``release`` (the inspector releases a
lot that arrived pending). Rows are known by their ``po_reference`` and item: loading twice
receives nothing twice.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import msgspec

from takt.inventory import schemas as s
from takt.inventory import services
from takt.inventory.tables import Receipt
from takt.masterdata.tables import Item
from takt.platform.commands import Actor, execute
from takt.platform.roles import INSPECTOR, OPERATOR
from takt.platform.tables import User

__all__ = ["load_demo_stock"]


async def _actor(username: str, role: str) -> Actor:
    row = await User.select(User.id, User.username).where(User.username == username).first()
    if row is None:
        return Actor.system()
    return Actor(user_id=row["id"], username=row["username"], roles=frozenset({role}))


async def _already_received(row: dict[str, Any]) -> bool:
    query = Receipt.exists().where(Receipt.po_reference == row["po_reference"])
    if row.get("item_code"):
        item = await Item.select(Item.id).where(Item.code == row["item_code"].upper()).first()
        query = query.where(Receipt.item == (item["id"] if item else -1))
    return await query


async def load_demo_stock(rows: list[dict[str, Any]]) -> tuple[int, int]:
    """Receive each row (as the demo operator) unless it was received before; release the
    ones marked so (as the demo inspector). Returns (created, skipped)."""
    created = skipped = 0
    # The demo's people are named after their roles (seed/demo/users.json).
    operator = await _actor(OPERATOR, OPERATOR)
    inspector = await _actor(INSPECTOR, INSPECTOR)
    today = datetime.now(UTC).date()
    for raw in rows:
        row = dict(raw)
        if not row.get("po_reference"):
            raise ValueError("Every demo receipt needs a po_reference (it is how a second "
                             "load knows it).")
        if await _already_received(row):
            skipped += 1
            continue
        release = row.pop("release", False)
        days = row.pop("expires_in_days", None)
        if days is not None:
            row["expires_on"] = (today + timedelta(days=int(days))).isoformat()
        data = msgspec.convert(row, s.ReceiptIn, strict=False)
        receipt = await execute(operator, partial(services.receive, data=data))
        if release and receipt.lot_code and receipt.quality_status == "pending":
            await execute(inspector, partial(services.release_lot, code=receipt.lot_code))
        created += 1
    return created, skipped
