"""Work orders: create, edit drafts, release into operations and material, the status machine
(every allowed and refused transition), split, close short, lists and filters."""

from __future__ import annotations

import pytest

from takt.platform.tables import AuditEntry
from takt.production.tables import WorkOrder
from tests.api.production import command, create, order, order_in, released, report

STATUSES = ["draft", "released", "in_progress", "completed", "closed", "on_hold", "cancelled"]
COMMANDS = {
    # command: (statuses it is allowed from, body)
    "release": ({"draft"}, None),
    "hold": ({"released", "in_progress"}, {"reason_code": "HOLD-QA"}),
    "resume": ({"on_hold"}, None),
    "cancel": ({"draft", "released"}, None),
    "close": ({"in_progress", "completed"}, {"reason_code": "HOLD-QA"}),
    "split": ({"draft", "released"}, {"quantity": 4}),
}
AFTER = {"release": "released", "hold": "on_hold", "cancel": "cancelled", "close": "closed"}


async def test_create_takes_the_items_route_overrun_and_line_and_numbers_the_order(
        client, as_role):
    wo = await create(client, as_role, "FG-PUMP-100", "20", due_at="2026-12-01T10:00:00+02:00",
                      priority=7, customer_order_ref="PO-4711", lot="L-001")
    assert wo["code"].startswith("WO-") and wo["code"].endswith("-00001")
    assert (wo["status"], wo["route_code"], wo["line"]) == ("draft", "RT-PUMP-100", "L1")
    assert (wo["quantity"], wo["overrun_percent"], wo["unit"]) == ("20", "2.5", "PCS")
    assert wo["due_at"] == "2026-12-01T08:00:00Z"  # stored in UTC
    assert (wo["priority"], wo["customer_order_ref"], wo["lot"]) == (7, "PO-4711", "L-001")
    assert (wo["good"], wo["scrap"], wo["held"], wo["operations"]) == ("0", "0", "0", [])
    second = await create(client, as_role, "SF-SHAFT-P100", 5)
    assert second["code"].endswith("-00002") and second["line"] == "L2"
    audit = await AuditEntry.select().where(AuditEntry.entity_code == wo["code"])
    assert [row["action"] for row in audit] == ["work_order.create"]


@pytest.mark.parametrize(("body", "field", "words"), [
    ({"item_code": "NOPE", "quantity": 1}, "item_code", "no item NOPE"),
    ({"item_code": "RM-SCREW-M3X8", "quantity": 1}, "route_code", "has no route"),
    ({"item_code": "FG-SENS-300", "quantity": 1, "route_code": "NOPE"}, "route_code",
     "no route NOPE"),
    ({"item_code": "FG-SENS-300", "quantity": "0"}, "quantity", "greater than zero"),
    ({"item_code": "FG-SENS-300", "quantity": "1.5"}, "quantity", "whole numbers"),
])
async def test_a_bad_work_order_is_a_422_with_the_field_and_a_sentence(
        client, as_role, body, field, words):
    response = await client.post("/api/v1/work-orders", json=body, headers=as_role("planner"))
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field and words in response.json()["detail"]


async def test_priority_outside_one_to_nine_is_refused(client, as_role):
    response = await client.post("/api/v1/work-orders", json={
        "item_code": "FG-SENS-300", "quantity": 1, "priority": 10}, headers=as_role("planner"))
    assert response.status_code == 400


async def test_release_expands_route_into_operations_and_bom_into_material(client, as_role):
    wo = await released(client, as_role, "FG-PUMP-100", 40)
    ops = wo["operations"]
    assert [op["seq"] for op in ops] == [10, 20, 30, 40, 50, 60]
    assert [op["code"] for op in ops][:2] == [f"{wo['code']}-10", f"{wo['code']}-20"]
    assert [op["status"] for op in ops] == ["ready"] + ["pending"] * 5
    # 40 PCS + 2.5 % overrun may be made at the first step; nothing at the others yet.
    assert ops[0]["available"] == "41" and ops[1]["available"] == "0"
    assert ops[0]["workstation"] == "WS-102" and ops[5]["workstation_type"] == "PACK"
    assert ops[5]["workstation"] is None
    assert ops[0]["setup_s"] == "900"  # 15 minutes
    assert ops[3]["needs_inspection"] is True and ops[4]["counts_output"] is False
    materials = {m["item_code"]: m for m in ops[0]["materials"]}
    assert materials["RM-BEARING-608"]["required"] == "80"  # 2 per pump
    assert all(op["scheduled_start"] is None and op["operators"] == [] for op in ops)


async def test_edits_only_in_draft_and_each_edit_is_audited(client, as_role):
    wo = await create(client, as_role)
    h = as_role("planner")
    changed = await client.patch(f"/api/v1/work-orders/{wo['code']}", headers=h, json={
        "quantity": 12, "priority": 9, "lot": "LOT-9", "due_at": None})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["quantity"], body["priority"], body["lot"], body["version"]) == ("12", 9,
                                                                                   "LOT-9", 2)
    assert (await client.patch(f"/api/v1/work-orders/{wo['code']}", headers=h,
                               json={"route_code": "NOPE"})).status_code == 422
    await command(client, as_role, "planner", f"/api/v1/work-orders/{wo['code']}/release")
    refused = await client.patch(f"/api/v1/work-orders/{wo['code']}", headers=h,
                                 json={"quantity": 5})
    assert refused.status_code == 409 and refused.json()["code"] == "work_order.not_draft"
    actions = [row["action"] for row in await AuditEntry.select().where(
        AuditEntry.entity_code == wo["code"]).order_by(AuditEntry.id)]
    assert actions == ["work_order.create", "work_order.update", "work_order.release"]


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("name", list(COMMANDS))
async def test_work_order_status_machine(client, as_role, status, name):
    allowed, body = COMMANDS[name]
    wo = await order_in(client, as_role, status)
    response = await command(client, as_role, "planner",
                             f"/api/v1/work-orders/{wo['code']}/{name}", body)
    after = await order(client, as_role, wo["code"])
    if status in allowed:
        assert response.status_code in (200, 201), response.text
        expected = {"resume": wo.get("held_from") or "released"}.get(name, AFTER.get(name,
                                                                               status))
        assert after["status"] == expected
    else:
        assert response.status_code == 409, response.text
        problem = response.json()
        assert problem["code"] == "work_order.bad_status"
        assert wo["code"] in problem["detail"]
        assert after["status"] == status and after["version"] == wo["version"]


async def test_hold_and_resume_return_the_order_and_its_operations_to_where_they_were(
        client, as_role):
    wo = await order_in(client, as_role, "in_progress")
    first = wo["operations"][0]["id"]
    # The operator's report started the step with their labour, as a Start would have.
    assert wo["operations"][0]["status"] == "running" and wo["operations"][0]["operators"]
    held = (await command(client, as_role, "supervisor",
                          f"/api/v1/work-orders/{wo['code']}/hold",
                          {"reason_code": "HOLD-SUPPLIER", "note": "waiting for PCBs"})).json()
    assert held["status"] == "on_hold" and held["hold_reason"] == "HOLD-SUPPLIER"
    assert {op["status"] for op in held["operations"]} == {"held"}
    assert held["operations"][0]["operators"] == []  # labour stops while on hold
    refused = await report(client, as_role, first, good=1)
    assert refused.status_code == 409 and refused.json()["code"] == "work_order.not_open"
    resumed = (await command(client, as_role, "supervisor",
                             f"/api/v1/work-orders/{wo['code']}/resume")).json()
    assert resumed["status"] == "in_progress"
    # The running step comes back paused (nobody is on it), the next one ready (it had 2).
    assert [op["status"] for op in resumed["operations"][:3]] == ["paused", "ready", "pending"]


async def test_hold_reason_must_be_a_hold_reason_code(client, as_role):
    wo = await order_in(client, as_role, "released")
    response = await command(client, as_role, "planner",
                             f"/api/v1/work-orders/{wo['code']}/hold", {"reason_code": "SCR-DIM"})
    assert response.status_code == 422 and response.json()["code"] == "reason.wrong_kind"


async def test_cancel_is_refused_once_work_was_reported_and_ends_the_operations(
        client, as_role):
    wo = await order_in(client, as_role, "released")
    cancelled = (await command(client, as_role, "planner",
                               f"/api/v1/work-orders/{wo['code']}/cancel")).json()
    assert {op["status"] for op in cancelled["operations"]} == {"done"}
    running = await order_in(client, as_role, "in_progress")
    refused = await command(client, as_role, "planner",
                            f"/api/v1/work-orders/{running['code']}/cancel")
    assert refused.status_code == 409


async def test_close_short_needs_a_hold_or_scrap_reason(client, as_role):
    wo = await order_in(client, as_role, "in_progress")
    path = f"/api/v1/work-orders/{wo['code']}/close"
    no_reason = await command(client, as_role, "supervisor", path, {})
    assert no_reason.status_code == 422
    assert no_reason.json()["code"] == "work_order.close_reason_required"
    assert "made 0 of 10 PCS" in no_reason.json()["detail"]
    wrong_kind = await command(client, as_role, "supervisor", path, {"reason_code": "DT-BREAK"})
    assert wrong_kind.status_code == 422
    closed = await command(client, as_role, "supervisor", path,
                           {"reason_code": "SCR-MATERIAL", "note": "material ran out"})
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert (body["status"], body["close_reason"]) == ("closed", "SCR-MATERIAL")
    assert body["closed_at"] and {op["status"] for op in body["operations"]} == {"done"}
    audit = await AuditEntry.select().where(AuditEntry.action == "work_order.close").output(
        load_json=True).first()
    assert audit["after"]["close_reason"] == "SCR-MATERIAL"


async def test_a_completed_order_closes_without_a_reason(client, as_role):
    wo = await order_in(client, as_role, "completed")
    assert wo["good"] == "10" and wo["completed_at"]
    closed = await command(client, as_role, "planner", f"/api/v1/work-orders/{wo['code']}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


async def test_split_keeps_the_quantity_and_makes_a_new_order_for_the_rest(client, as_role):
    wo = await released(client, as_role, "FG-PUMP-100", 40, due_at="2026-12-01T00:00:00Z")
    response = await command(client, as_role, "planner",
                             f"/api/v1/work-orders/{wo['code']}/split", {"quantity": 30})
    assert response.status_code == 201, response.text
    new = response.json()
    assert (new["status"], new["quantity"], new["parent_code"]) == ("released", "10",
                                                                    wo["code"])
    assert new["due_at"] == wo["due_at"] and len(new["operations"]) == 6
    assert new["operations"][0]["available"] == "10"  # 10.25 rounded down to whole pumps
    kept = await order(client, as_role, wo["code"])
    assert kept["quantity"] == "30" and kept["operations"][0]["available"] == "30"
    bearings = {m["item_code"]: m["required"] for m in kept["operations"][0]["materials"]}
    assert bearings["RM-BEARING-608"] == "60"
    orders = await WorkOrder.count()
    for bad, code in ((0, "work_order.bad_split"), (30, "work_order.bad_split"),
                      (31, "work_order.bad_split"), ("2.5", "invalid.decimals")):
        refused = await command(client, as_role, "planner",
                                f"/api/v1/work-orders/{wo['code']}/split", {"quantity": bad})
        assert (refused.status_code, refused.json()["code"]) == (422, code), refused.text
    assert await WorkOrder.count() == orders
    assert (await order(client, as_role, wo["code"]))["quantity"] == "30"


async def test_release_refuses_a_route_that_was_emptied_meanwhile(client, as_role):
    wo = await create(client, as_role)
    await client.delete("/api/v1/routes/RT-SENS-300", headers=as_role("planner"))
    response = await command(client, as_role, "planner",
                             f"/api/v1/work-orders/{wo['code']}/release")
    assert response.status_code == 409 and "deactivated" in response.json()["detail"]
    assert (await order(client, as_role, wo["code"]))["status"] == "draft"


async def test_list_filters_by_status_item_line_text_and_lateness(client, as_role):
    a = await create(client, as_role, "FG-PUMP-100", 5, customer_order_ref="PO-77",
                     due_at="2020-01-01T00:00:00Z")
    b = await released(client, as_role, "SF-SHAFT-P100", 5, due_at="2099-01-01T00:00:00Z")
    h = as_role("operator")

    async def codes(**params) -> list[str]:
        response = await client.get("/api/v1/work-orders", params=params, headers=h)
        assert response.status_code == 200, response.text
        page = response.json()
        assert page["total"] == len(page["data"])
        return [row["code"] for row in page["data"]]

    assert await codes() == [b["code"], a["code"]]  # newest first
    assert await codes(status="released") == [b["code"]]
    assert await codes(status="draft,released") == [b["code"], a["code"]]
    assert await codes(item_code="fg-pump-100") == [a["code"]]
    assert await codes(line="L2") == [b["code"]]
    assert await codes(q="po-7") == [a["code"]]
    assert await codes(q="shaft") == [b["code"]]  # the planner searches by item too
    assert await codes(late="true") == [a["code"]]
    page = (await client.get("/api/v1/work-orders", params={"limit": 1, "offset": 1},
                             headers=h)).json()
    assert page["total"] == 2 and [row["code"] for row in page["data"]] == [a["code"]]


async def test_a_schedule_past_the_due_time_makes_an_order_late(client, as_role):
    from takt.production.tables import Operation

    wo = await released(client, as_role, "SF-SHAFT-P100", 5, due_at="2099-01-01T00:00:00Z")
    assert (await order(client, as_role, wo["code"]))["late"] is False
    from datetime import UTC, datetime

    await Operation.update({Operation.scheduled_start: datetime(2098, 12, 31, tzinfo=UTC),
                            Operation.scheduled_end: datetime(2099, 1, 2, tzinfo=UTC)}).where(
        Operation.id == wo["operations"][-1]["id"])
    assert (await order(client, as_role, wo["code"]))["late"] is True
    late = (await client.get("/api/v1/work-orders", params={"late": "true"},
                             headers=as_role("planner"))).json()
    assert [row["code"] for row in late["data"]] == [wo["code"]]


async def test_unknown_work_order_is_a_404(client, as_role):
    response = await client.get("/api/v1/work-orders/WO-1999-99999", headers=as_role("planner"))
    assert response.status_code == 404 and response.json()["code"] == "work_order.not_found"
