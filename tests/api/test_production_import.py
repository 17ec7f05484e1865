"""Importing work orders: a JSON array or CSV, all or none, every bad row named; 1,135 orders of
seven operations imported and released in one request. How fast is ``make bench``'s to say
(under 10 s on PostgreSQL), not a test's: a busy machine would fail a timed test."""

from __future__ import annotations

from takt.platform.tables import AuditEntry
from takt.production.tables import Operation, OperationMaterial, WorkOrder
from tests.api.production import key

CSV = """item_code,quantity,due_at,priority,route_code,customer_order_ref,lot
FG-PUMP-100,20,2026-12-01,7,,PO-1,LOT-A
FG-FAN-200,15,2026-12-02T12:00:00+01:00,,,,
SF-SHAFT-P100,40,,3,RT-SHAFT-P100,,
"""


async def _import(client, as_role, body, *, csv: bool = False, **params):
    headers = as_role("planner", **key())
    if csv:
        return await client.post("/api/v1/work-orders/import", content=body.encode(),
                                 params=params, headers={**headers, "Content-Type": "text/csv"})
    return await client.post("/api/v1/work-orders/import", json=body, params=params,
                             headers=headers)


async def test_csv_import_creates_drafts_with_every_column(client, as_role):
    response = await _import(client, as_role, CSV, csv=True)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["created"], body["released"], len(body["codes"])) == (3, 0, 3)
    first = (await client.get(f"/api/v1/work-orders/{body['codes'][0]}",
                              headers=as_role("planner"))).json()
    assert (first["status"], first["quantity"], first["priority"]) == ("draft", "20", 7)
    assert first["due_at"] == "2026-12-01T23:59:59Z"  # a date alone: the end of that day
    assert (first["customer_order_ref"], first["lot"]) == ("PO-1", "LOT-A")
    second = (await client.get(f"/api/v1/work-orders/{body['codes'][1]}",
                               headers=as_role("planner"))).json()
    assert second["due_at"] == "2026-12-02T11:00:00Z" and second["priority"] == 5
    assert await AuditEntry.count().where(AuditEntry.action == "work_order.create") == 3


async def test_json_import_with_release_makes_the_operations(client, as_role):
    response = await _import(client, as_role, [
        {"item_code": "FG-SENS-300", "quantity": 5},
        {"item_code": "SF-HOUS-P100", "quantity": "8", "priority": 2, "lot": "B7"},
    ], release="true")
    assert response.status_code == 201, response.text
    codes = response.json()["codes"]
    second = (await client.get(f"/api/v1/work-orders/{codes[1]}",
                               headers=as_role("planner"))).json()
    assert second["status"] == "released" and len(second["operations"]) == 3
    assert second["operations"][0]["available"] == "8"
    assert second["operations"][0]["materials"][0]["item_code"] == "RM-HOUS-P100"
    assert await AuditEntry.count().where(AuditEntry.action == "work_order.release") == 2


async def test_bad_rows_are_all_listed_and_nothing_is_imported(client, as_role):
    text = CSV + "NOPE,1,,,,,\nFG-PUMP-100,-3,,,,,\nFG-PUMP-100,2,someday,,,,\n" \
                 "FG-PUMP-100,2,,12,,,\nFG-PUMP-100,2.5,,,,,\n"
    response = await _import(client, as_role, text, csv=True)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "import.invalid_rows"
    assert "5 of 8 rows" in problem["detail"]
    rows = {error["row"]: error for error in problem["errors"]}
    assert set(rows) == {4, 5, 6, 7, 8}
    assert rows[4]["field"] == "item_code" and "NOPE" in rows[4]["message"]
    assert rows[5]["field"] == "quantity"
    assert rows[6]["field"] == "due_at"
    assert rows[7]["field"] == "priority"
    assert rows[8]["field"] == "quantity" and "whole numbers" in rows[8]["message"]
    assert await WorkOrder.count() == 0


async def test_json_rows_are_checked_like_create_bodies(client, as_role):
    response = await _import(client, as_role, [
        {"item_code": "FG-PUMP-100", "quantity": 1}, {"item_code": "FG-PUMP-100"},
        {"item_code": "FG-PUMP-100", "quantity": 1, "colour": "red"}, "FG-PUMP-100"])
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [error["row"] for error in errors] == [2, 3, 4]
    assert await WorkOrder.count() == 0


async def test_unreadable_imports_say_what_is_expected(client, as_role):
    header = await _import(client, as_role, "item,qty\nFG-PUMP-100,1\n", csv=True)
    assert header.status_code == 422 and header.json()["code"] == "import.bad_header"
    assert "item_code and quantity" in header.json()["detail"]
    not_list = await _import(client, as_role, {"item_code": "FG-PUMP-100", "quantity": 1})
    assert not_list.status_code == 422 and not_list.json()["code"] == "import.not_a_list"
    empty = await _import(client, as_role, [])
    assert empty.status_code == 422 and empty.json()["code"] == "import.empty"


async def test_an_import_replayed_with_its_key_imports_once(client, as_role):
    headers = {**as_role("planner", **key()), "Content-Type": "text/csv"}
    first = await client.post("/api/v1/work-orders/import", content=CSV.encode(),
                              headers=headers)
    again = await client.post("/api/v1/work-orders/import", content=CSV.encode(),
                              headers=headers)
    assert first.status_code == again.status_code == 201 and first.content == again.content
    assert await WorkOrder.count() == 3


async def test_1135_orders_of_seven_operations_import_and_release_in_one_request(
        client, as_role):
    h = as_role("planner")
    steps = [{"seq": 10 * n, "name": f"Step {n}", "workstation": f"WS-10{n % 6 + 1}",
              "setup_minutes": "5", "ideal_cycle_seconds": "30"} for n in range(1, 8)]
    assert (await client.post("/api/v1/routes", headers=h, json={
        "code": "RT-SEVEN", "name": "Seven steps", "operations": steps})).status_code == 201
    assert (await client.post("/api/v1/items", headers=h, json={
        "code": "FG-SEVEN", "name": "Seven-step product", "kind": "finished", "unit": "PCS",
        "route": "RT-SEVEN"})).status_code == 201
    assert (await client.post("/api/v1/boms", headers=h, json={
        "code": "BOM-SEVEN", "name": "Seven", "item": "FG-SEVEN", "lines": [
            {"component": "RM-SCREW-M3X8", "quantity": "4", "operation_seq": 30},
            {"component": "RM-CARTON-S", "quantity": "1", "operation_seq": 70}]})
            ).status_code == 201
    lines = ["item_code,quantity,due_at,priority"] + [
        f"FG-SEVEN,{n % 50 + 1},2026-12-{n % 28 + 1:02d},{n % 9 + 1}" for n in range(1135)]
    response = await _import(client, as_role, "\n".join(lines) + "\n", csv=True,
                             release="true")
    assert response.status_code == 201, response.text[:500]
    assert response.json()["released"] == 1135
    assert await Operation.count() == 1135 * 7
    assert await OperationMaterial.count() == 1135 * 2
