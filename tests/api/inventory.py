"""Helpers of the inventory tests: receive, move, read stock and the ledger over HTTP."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any


def key() -> dict[str, str]:
    """A fresh Idempotency-Key header."""
    return {"Idempotency-Key": str(uuid.uuid4())}


async def receive(client, as_role, role: str = "operator", expect: int = 201,
                  **body: Any) -> dict[str, Any]:
    """POST a receipt; assert the status; return the JSON."""
    response = await client.post("/api/v1/receipts", json=body, headers=as_role(role, **key()))
    assert response.status_code == expect, response.text
    return response.json()


async def move(client, as_role, role: str = "operator", **body: Any):
    """POST a stock move; returns the response."""
    return await client.post("/api/v1/stock/moves", json=body, headers=as_role(role, **key()))


async def stock(client, as_role, **params: Any) -> dict[tuple[str, str | None, str], Decimal]:
    """On-hand rows as ``{(item, lot, location): quantity}``."""
    response = await client.get("/api/v1/stock", params={"limit": 5000, **params},
                                headers=as_role("planner"))
    assert response.status_code == 200, response.text
    return {(r["item_code"], r["lot_code"], r["location_code"]): Decimal(r["quantity"])
            for r in response.json()["data"]}


async def at(client, as_role, location: str, lot: str | None = None,
             item: str | None = None) -> Decimal:
    """How much is at a location (of a lot, or of an item kept without lots)."""
    params: dict[str, Any] = {"location_code": location}
    if lot:
        params["lot_code"] = lot
    if item:
        params["item_code"] = item
    rows = await stock(client, as_role, **params)
    return sum(rows.values(), Decimal(0))


async def ledger(client, as_role, **params: Any) -> dict[str, Any]:
    response = await client.get("/api/v1/stock/ledger", params=params,
                                headers=as_role("planner"))
    assert response.status_code == 200, response.text
    return response.json()


async def verify() -> list[Any]:
    """What ``takt stock verify`` finds on the test's database (nothing, when all is well)."""
    from takt.inventory.ledger import verify_stock

    return await verify_stock()
