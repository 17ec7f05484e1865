"""The step around a report: a supervisor reopens a completed operation (and its completed
order), the workstation's view names the step's attachment and its line's rule for missing
material, and a line set to refuse turns away a report while scan-to-consume components are
not scanned, naming what is missing."""

from __future__ import annotations

import pytest

from takt.platform.tables import AuditEntry
from tests.api.inventory import move, receive
from tests.api.production import (
    command,
    key,
    operation,
    order,
    order_in,
    released,
    report,
)

# FG-SENS-300's first step (WS-101, line L1) consumes one PCB a sensor by scanning its lot.
PCB = "RM-PCB-S300"


async def _reopen(client, as_role, op_id: int, role: str = "supervisor", **headers: str):
    return await client.post(f"/api/v1/operations/{op_id}/reopen",
                             headers=as_role(role, **(headers or key())))


async def test_a_supervisor_reopens_a_completed_operation_once_for_a_replayed_key(
        client, as_role):
    wo = await released(client, as_role, quantity=26)
    op_id = wo["operations"][0]["id"]
    assert (await report(client, as_role, op_id, good=2)).status_code == 201
    done = await command(client, as_role, "operator", f"/api/v1/operations/{op_id}/complete")
    assert done.json()["status"] == "done"

    # Reopening is a supervisor's: the operator who completed it may not.
    assert (await _reopen(client, as_role, op_id, role="operator")).status_code == 403
    headers = key()
    first = await _reopen(client, as_role, op_id, **headers)
    assert first.status_code == 200, first.text
    # Worked on before: it comes back paused, nothing lost, 24 still to report.
    assert (first.json()["status"], first.json()["good"], first.json()["available"]) == (
        "paused", "2", "24")
    assert first.json()["completed_at"] is None
    again = await _reopen(client, as_role, op_id, **headers)
    assert again.status_code == 200 and again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    audit = await AuditEntry.select(AuditEntry.before, AuditEntry.after).where(
        AuditEntry.action == "operation.reopen").output(load_json=True)
    assert len(audit) == 1 and audit[0]["after"]["status"] == "paused"

    # Open again: it may be reported on and completed as before.
    assert (await report(client, as_role, op_id, good=24)).status_code == 201
    assert (await operation(client, as_role, op_id))["available"] == "0"


async def test_an_operation_that_is_not_done_cannot_be_reopened(client, as_role):
    wo = await released(client, as_role)
    response = await _reopen(client, as_role, wo["operations"][0]["id"])
    assert response.status_code == 409
    assert response.json()["code"] == "operation.bad_status"
    assert "cannot be reopened" in response.json()["detail"]


async def test_reopening_a_step_of_a_completed_order_puts_the_order_in_progress(client,
                                                                              as_role):
    wo = await order_in(client, as_role, "completed")
    last = wo["operations"][-1]
    response = await _reopen(client, as_role, last["id"])
    assert response.status_code == 200, response.text
    again = await order(client, as_role, wo["code"])
    assert (again["status"], again["completed_at"]) == ("in_progress", None)
    assert [op["status"] for op in again["operations"]][-1] == "paused"
    assert await AuditEntry.count().where(AuditEntry.action == "work_order.reopen",
                                          AuditEntry.entity_code == wo["code"]) == 1


@pytest.mark.parametrize("status", ["closed", "cancelled"])
async def test_a_closed_or_cancelled_order_keeps_its_operations_done(client, as_role, status):
    wo = await order_in(client, as_role, status)
    op = wo["operations"][0]
    response = await _reopen(client, as_role, op["id"])
    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "work_order.not_open"
    assert problem["detail"] == (f"Work order {wo['code']} is {status}; its operations cannot "
                                 "be reopened now.")
    assert (await operation(client, as_role, op["id"]))["status"] == "done"


async def test_the_scan_offers_reopen_to_a_supervisor_on_a_done_operation(client, as_role):
    wo = await released(client, as_role)
    op = wo["operations"][0]
    assert (await command(client, as_role, "operator",
                          f"/api/v1/operations/{op['id']}/complete")).status_code == 200

    async def actions(role: str) -> list[str]:
        label = f"HTTP://TAKT.TEST:8000/S/OP/{op['code']}"
        scanned = await client.get("/api/v1/scan", params={"code": label}, headers=as_role(role))
        assert scanned.status_code == 200, scanned.text
        return scanned.json()["actions"]

    assert "reopen" in await actions("supervisor")
    assert "reopen" not in await actions("operator")
    assert (await _reopen(client, as_role, op["id"])).status_code == 200
    assert "reopen" not in await actions("supervisor")


async def _pcb_at_the_line(client, as_role, wo: dict, quantity: str) -> str:
    """A released PCB lot issued to line L1 for the order; returns its code."""
    lot = (await receive(client, as_role, item_code=PCB, quantity=quantity,
                         location_code="RM-A-01-02"))["lot_code"]
    assert (await command(client, as_role, "inspector",
                          f"/api/v1/lots/{lot}/release")).status_code == 200
    issued = await move(client, as_role, kind="issue", item_code=PCB, lot_code=lot,
                        from_location_code="RM-A-01-02", to_location_code="WIP-L1",
                        quantity=quantity, work_order_code=wo["code"])
    assert issued.status_code == 201, issued.text
    return lot


async def _set_rule(client, as_role, rule: str) -> None:
    response = await client.patch("/api/v1/lines/L1", json={"missing_material": rule},
                                  headers=as_role("admin"))
    assert response.status_code == 200, response.text
    assert response.json()["missing_material"] == rule


async def test_a_line_set_to_refuse_turns_away_a_report_with_unscanned_material(client,
                                                                              as_role):
    assert (await client.get("/api/v1/lines/L1", headers=as_role("operator"))
            ).json()["missing_material"] == "warn"
    wo = await released(client, as_role, "FG-SENS-300", 5)
    op_id = wo["operations"][0]["id"]
    # Warn (the default): the report goes in; the handheld warned before sending.
    assert (await report(client, as_role, op_id, good=1)).status_code == 201

    await _set_rule(client, as_role, "refuse")
    station = (await client.get(f"/api/v1/operations/{op_id}/station",
                                headers=as_role("operator"))).json()
    assert station["missing_material"] == "refuse"
    refused = await report(client, as_role, op_id, good=1)
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["code"] == "report.material_missing"
    assert problem["missing"] == [{"item_code": PCB, "consumed": "0", "needed": "2",
                                   "unit": "PCS"}]
    assert f"{PCB} 0/2 PCS" in problem["detail"] and "Line L1 refuses" in problem["detail"]
    assert (await operation(client, as_role, op_id))["good"] == "1"

    # In Chinese, in the glossary's words.
    zh = await client.post(f"/api/v1/operations/{op_id}/reports", json={"good": 1},
                           headers=as_role("operator", **key(), **{"Accept-Language": "zh-CN"}))
    assert zh.status_code == 409 and "扫码投料" in zh.json()["detail"]

    # Two PCBs scanned cover the two units: the report goes in; a third unit is refused.
    lot = await _pcb_at_the_line(client, as_role, wo, "5")
    consumed = await command(client, as_role, "operator", f"/api/v1/operations/{op_id}/consume",
                             {"lot_code": lot, "quantity": 2})
    assert consumed.status_code == 201, consumed.text
    assert (await report(client, as_role, op_id, good=1)).status_code == 201
    third = await report(client, as_role, op_id, scrap=1)
    assert third.status_code == 409 and third.json()["missing"][0]["needed"] == "3"
    # Rework uses up no part, so it needs no material.
    assert (await report(client, as_role, op_id, rework=1)).status_code == 201
    # A step without scan-to-consume components is never refused for it.
    assert (await report(client, as_role, wo["operations"][1]["id"], good=2)).status_code == 201


async def test_the_station_view_names_the_steps_attachment(client, as_role):
    route = (await client.get("/api/v1/routes/RT-SENS-300", headers=as_role("admin"))).json()
    steps = [{k: v for k, v in step.items() if k not in ("id",)}
             for step in route["operations"]]
    steps[0]["attachment_url"] = "https://docs.example/esd-wrist-strap.pdf"
    changed = await client.patch("/api/v1/routes/RT-SENS-300", json={"operations": steps},
                                 headers=as_role("admin"))
    assert changed.status_code == 200, changed.text
    wo = await released(client, as_role, "FG-SENS-300", 5)
    first, second = wo["operations"][0]["id"], wo["operations"][1]["id"]
    view = (await client.get(f"/api/v1/operations/{first}/station",
                             headers=as_role("operator"))).json()
    assert (view["attachment_url"], view["missing_material"]) == (
        "https://docs.example/esd-wrist-strap.pdf", "warn")
    assert (await client.get(f"/api/v1/operations/{second}/station",
                             headers=as_role("operator"))).json()["attachment_url"] == ""


async def test_a_steps_attachment_must_be_a_web_address_or_a_path_on_this_site(client,
                                                                              as_role):
    route = (await client.get("/api/v1/routes/RT-SENS-300", headers=as_role("admin"))).json()
    steps = [{k: v for k, v in step.items() if k != "id"} for step in route["operations"]]

    async def save(url: str, **headers: str):
        steps[0]["attachment_url"] = url
        return await client.patch("/api/v1/routes/RT-SENS-300", json={"operations": steps},
                                  headers=as_role("admin", **headers))

    # A link the operator's app would run in their session, or send elsewhere, is refused.
    for url in ("javascript:alert(document.cookie)", " JavaScript:alert(1)",
                "data:text/html,<script>alert(1)</script>", "//evil.example/x.pdf",
                "ftp://files.example/a.pdf", "docs/a.pdf", "https://"):
        refused = await save(url)
        assert refused.status_code == 422, url
        problem = refused.json()
        assert problem["code"] == "route.attachment_url"
        assert problem["detail"] == (
            "The attachment of operation 10 must be a web address starting with http:// or "
            "https://, or a path on this site starting with /.")
    zh = await save("javascript:alert(1)", **{"Accept-Language": "zh-CN"})
    assert "工序 10 的附件" in zh.json()["detail"]
    created = await client.post("/api/v1/routes", headers=as_role("admin"), json={
        "code": "RT-BAD-LINK", "name": "Bad link", "operations": [
            {"seq": 10, "name": "Assemble", "workstation": "WS-101",
             "attachment_url": "javascript:alert(1)"}]})
    assert created.status_code == 422 and created.json()["code"] == "route.attachment_url"
    assert (await client.get("/api/v1/routes/RT-SENS-300", headers=as_role("admin"))
            ).json()["operations"][0]["attachment_url"] == ""

    for url in ("https://docs.example/esd.pdf", "HTTP://intranet/wi/10", "/files/wi-10.pdf", ""):
        saved = await save(url)
        assert saved.status_code == 200, saved.text
        assert saved.json()["operations"][0]["attachment_url"] == url


async def test_a_link_saved_before_links_were_checked_is_not_offered_to_the_operator(
        client, as_role):
    from takt.masterdata.tables import Route, RouteOperation

    route = await Route.select(Route.id).where(Route.code == "RT-SENS-300").first()
    await RouteOperation.update({RouteOperation.attachment_url: "javascript:alert(1)"}).where(
        RouteOperation.route == route["id"], RouteOperation.seq == 10)
    wo = await released(client, as_role, "FG-SENS-300", 5)
    view = (await client.get(f"/api/v1/operations/{wo['operations'][0]['id']}/station",
                             headers=as_role("operator"))).json()
    assert view["attachment_url"] == ""


async def test_an_operation_scheduled_on_another_lines_workstation_is_on_that_line(client,
                                                                                  as_role):
    from takt.masterdata.tables import Workstation
    from takt.production.tables import Operation

    # FG-SENS-300's order and first step are on L1; scheduled on WS-201, the step is on L2:
    # its operation, its station's rule, its reports' scrap reasons and refusals say so.
    wo = await released(client, as_role, "FG-SENS-300", 5)
    op_id = wo["operations"][0]["id"]
    ws = await Workstation.select(Workstation.id).where(Workstation.code == "WS-201").first()
    await Operation.update({Operation.scheduled_workstation: ws["id"]}).where(
        Operation.id == op_id)
    assert (await operation(client, as_role, op_id))["line"] == "L2"
    assert (await report(client, as_role, op_id, scrap=1, scrap_reason="SCR-SCRATCH")
            ).status_code == 201

    async def uses(line: str) -> int:
        ranked = (await client.get("/api/v1/reports/scrap-reasons", params={"line": line},
                                   headers=as_role("operator"))).json()
        return next(row["uses"] for row in ranked if row["code"] == "SCR-SCRATCH")

    assert (await uses("L2"), await uses("L1")) == (1, 0)
    await _set_rule(client, as_role, "refuse")  # L1, the order's line: not this step's
    station = (await client.get(f"/api/v1/operations/{op_id}/station",
                                headers=as_role("operator"))).json()
    assert station["missing_material"] == "warn"
    assert (await report(client, as_role, op_id, good=1)).status_code == 201
    assert (await client.patch("/api/v1/lines/L2", json={"missing_material": "refuse"},
                               headers=as_role("admin"))).status_code == 200
    station = (await client.get(f"/api/v1/operations/{op_id}/station",
                                headers=as_role("operator"))).json()
    assert station["missing_material"] == "refuse"
    refused = await report(client, as_role, op_id, good=1)
    assert refused.status_code == 409 and "Line L2 refuses" in refused.json()["detail"]


@pytest.mark.parametrize(("status", "reopenable"), [
    ("working", True), ("completed", True), ("on_hold", False), ("closed", False),
    ("cancelled", False)])
async def test_the_scan_offers_reopen_exactly_when_the_order_lets_a_step_be_reopened(
        client, as_role, status, reopenable):
    if status in ("working", "on_hold"):
        wo = await released(client, as_role)
        done = await command(client, as_role, "operator",
                             f"/api/v1/operations/{wo['operations'][0]['id']}/complete")
        assert done.status_code == 200, done.text
        if status == "on_hold":
            held = await command(client, as_role, "planner",
                                 f"/api/v1/work-orders/{wo['code']}/hold")
            assert held.status_code == 200, held.text
        wo = await order(client, as_role, wo["code"])
    else:
        wo = await order_in(client, as_role, status)
    op = wo["operations"][0]
    assert op["status"] == "done"
    scanned = await client.get("/api/v1/scan", params={"code": f"HTTP://X/S/OP/{op['code']}"},
                               headers=as_role("supervisor"))
    assert ("reopen" in scanned.json()["actions"]) is reopenable
    reopened = await _reopen(client, as_role, op["id"])
    assert reopened.status_code == (200 if reopenable else 409), reopened.text
