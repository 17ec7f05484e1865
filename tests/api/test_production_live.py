"""A report reaches the boards: events on the operation, its work order, its workstation and
its line arrive over the live websocket after the report commits."""

from __future__ import annotations

import json

import httpx
from websockets.asyncio.client import connect

from tests.api.production import key
from tests.api.test_live import _cookie, _next, _nothing_within, server  # noqa: F401


async def test_a_report_publishes_on_op_wo_workstation_and_line(server, tokens,  # noqa: F811
                                                               as_role):
    async with httpx.AsyncClient(base_url=f"http://{server}") as http:
        created = await http.post("/api/v1/work-orders", headers=as_role("planner", **key()),
                                  json={"item_code": "FG-PUMP-100", "quantity": 5})
        code = created.json()["code"]
        wo = (await http.post(f"/api/v1/work-orders/{code}/release",
                              headers=as_role("planner", **key()))).json()
        op = wo["operations"][0]
        topics = [f"op:{op['id']}", f"wo:{code}", "workstation:WS-102", "line:L1"]
        async with connect(f"ws://{server}/api/v1/live",
                           additional_headers=_cookie(tokens["supervisor"])) as ws:
            await _next(ws)
            await ws.send(json.dumps({"subscribe": topics}))
            assert (await _next(ws))["type"] == "subscribed"
            # A refused report changes nothing and publishes nothing.
            refused = await http.post(f"/api/v1/operations/{op['id']}/reports",
                                      json={"good": 99}, headers=as_role("operator", **key()))
            assert refused.status_code == 409
            assert await _nothing_within(ws, 0.5)
            response = await http.post(f"/api/v1/operations/{op['id']}/reports",
                                       json={"good": 2}, headers=as_role("operator", **key()))
            assert response.status_code == 201, response.text
            # Each topic carries several events (the work order also starts); read until every
            # topic has shown the one it must carry, whatever order they arrive in.
            expected = {f"op:{op['id']}": "operation.reported", f"wo:{code}": "work_order.started",
                        "workstation:WS-102": "operation.reported",
                        "line:L1": "operation.reported"}
            received: dict[str, list[str]] = {}
            while any(kind not in received.get(topic, []) for topic, kind in expected.items()):
                message = await _next(ws)
                received.setdefault(message["topic"], []).append(message["event"]["type"])
            assert set(received) == set(topics)
