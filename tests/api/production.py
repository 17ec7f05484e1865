"""Helpers of the production tests: make work orders in a given state, report on them."""

from __future__ import annotations

import uuid
from typing import Any


def key() -> dict[str, str]:
    """A fresh Idempotency-Key header."""
    return {"Idempotency-Key": str(uuid.uuid4())}


async def create(client, as_role, item: str = "FG-SENS-300", quantity: Any = 10,
                 **extra: Any) -> dict[str, Any]:
    """A draft work order (as the planner)."""
    response = await client.post("/api/v1/work-orders",
                                 json={"item_code": item, "quantity": quantity, **extra},
                                 headers=as_role("planner"))
    assert response.status_code == 201, response.text
    return response.json()


async def released(client, as_role, item: str = "FG-SENS-300", quantity: Any = 10,
                   **extra: Any) -> dict[str, Any]:
    """A released work order with its operations."""
    order = await create(client, as_role, item, quantity, **extra)
    response = await client.post(f"/api/v1/work-orders/{order['code']}/release",
                                 headers=as_role("planner"))
    assert response.status_code == 200, response.text
    return response.json()


async def report(client, as_role, op_id: int, good: Any = 0, scrap: Any = 0,
                 role: str = "operator", **extra: Any):
    """Report on an operation; returns the response."""
    body = {"good": good, "scrap": scrap, **extra}
    if float(scrap) > 0 and "scrap_reason" not in extra:
        body["scrap_reason"] = "SCR-ASSY"
    return await client.post(f"/api/v1/operations/{op_id}/reports", json=body,
                             headers=as_role(role, **key()))


async def report_passing_on(client, as_role, op_id: int, good: Any) -> dict[str, Any]:
    """Report ``good`` on an operation and have a supervisor release what an in-process
    inspection holds, so the next operation gets it; returns the report."""
    response = await report(client, as_role, op_id, good=good)
    assert response.status_code == 201, response.text
    if float(response.json()["held"]) > 0:
        freed = await client.post(f"/api/v1/operations/{op_id}/release-hold", json={},
                                  headers=as_role("supervisor", **key()))
        assert freed.status_code == 200, freed.text
    return response.json()


async def order(client, as_role, code: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/work-orders/{code}", headers=as_role("planner"))
    assert response.status_code == 200, response.text
    return response.json()


async def operation(client, as_role, op_id: int) -> dict[str, Any]:
    response = await client.get(f"/api/v1/operations/{op_id}", headers=as_role("operator"))
    assert response.status_code == 200, response.text
    return response.json()


async def command(client, as_role, role: str, path: str, body: Any = None):
    """POST a command with a fresh key."""
    return await client.post(path, json=body, headers=as_role(role, **key()))


async def order_in(client, as_role, status: str) -> dict[str, Any]:
    """A work order of FG-SENS-300 (10 PCS, no overrun) brought into ``status``."""
    if status == "draft":
        return await create(client, as_role)
    wo = await released(client, as_role)
    code, first = wo["code"], wo["operations"][0]["id"]
    if status == "in_progress":
        assert (await report(client, as_role, first, good=2)).status_code == 201
    elif status == "completed":
        for op in wo["operations"]:
            assert (await report(client, as_role, op["id"], good=10)).status_code == 201
    elif status == "closed":
        assert (await report(client, as_role, first, good=2)).status_code == 201
        response = await command(client, as_role, "planner", f"/api/v1/work-orders/{code}/close",
                                 {"reason_code": "HOLD-QA"})
        assert response.status_code == 200, response.text
    elif status == "on_hold":
        response = await command(client, as_role, "planner", f"/api/v1/work-orders/{code}/hold")
        assert response.status_code == 200, response.text
    elif status == "cancelled":
        response = await command(client, as_role, "planner",
                                 f"/api/v1/work-orders/{code}/cancel")
        assert response.status_code == 200, response.text
    found = await order(client, as_role, code)
    assert found["status"] == status
    return found
