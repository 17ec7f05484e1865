"""Operations on the floor: the operation status machine, several operators and their labour,
the quantity rule, scrap reasons, idempotent replay, void, inspection holds and the work order
completing by itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from takt.platform.tables import AuditEntry
from takt.production.tables import LabourEvent, WorkReport
from tests.api.production import command, key, operation, order, released, report

OP_STATUSES = ["pending", "ready", "running", "paused", "done", "held"]
OP_COMMANDS = {
    # command: {status it is allowed from: status after}
    "start": {"ready": "running", "running": "running", "paused": "running"},
    "pause": {"running": "paused"},
    "resume": {"paused": "running"},
    "complete": {"ready": "done", "running": "done", "paused": "done"},
    # A report is work: it starts a ready operation and resumes a paused one.
    "reports": {"ready": "running", "running": "running", "paused": "running"},
}


async def _op_in(client, as_role, status: str) -> tuple[dict, dict]:
    """A work order of FG-SENS-300 (10 PCS) and one of its operations in ``status``."""
    wo = await released(client, as_role)
    ops = wo["operations"]
    op = ops[1] if status == "pending" else ops[0]
    path = f"/api/v1/operations/{op['id']}"
    if status in ("running", "paused"):
        assert (await command(client, as_role, "operator", f"{path}/start")).status_code == 200
    if status == "paused":
        assert (await command(client, as_role, "operator", f"{path}/pause")).status_code == 200
    if status == "done":
        assert (await command(client, as_role, "operator",
                              f"{path}/complete")).status_code == 200
    if status == "held":
        assert (await command(client, as_role, "planner",
                              f"/api/v1/work-orders/{wo['code']}/hold")).status_code == 200
    assert (await operation(client, as_role, op["id"]))["status"] == status
    return wo, op


@pytest.mark.parametrize("status", OP_STATUSES)
@pytest.mark.parametrize("name", list(OP_COMMANDS))
async def test_operation_status_machine(client, as_role, status, name):
    wo, op = await _op_in(client, as_role, status)
    body = {"good": 1} if name == "reports" else None
    # A supervisor: may join a running operation, and pause it without working on it.
    response = await command(client, as_role, "supervisor",
                             f"/api/v1/operations/{op['id']}/{name}", body)
    after = await operation(client, as_role, op["id"])
    allowed = OP_COMMANDS[name]
    if status in allowed:
        assert response.status_code in (200, 201), response.text
        assert after["status"] == allowed[status]
    else:
        assert response.status_code == 409, response.text
        assert response.json()["code"] in {"operation.bad_status", "operation.not_ready",
                                           "report.exceeds_available", "work_order.not_open"}
        assert after["status"] == status
        assert (after["good"], after["scrap"]) == ("0", "0")


async def test_the_first_start_or_report_puts_the_order_in_progress(client, as_role):
    wo = await released(client, as_role)
    first = wo["operations"][0]["id"]
    started = await command(client, as_role, "operator", f"/api/v1/operations/{first}/start")
    assert started.json()["operators"] == ["operator"]
    body = await order(client, as_role, wo["code"])
    assert body["status"] == "in_progress" and body["started_at"]
    other = await released(client, as_role)
    assert (await report(client, as_role, other["operations"][0]["id"],
                         good=1)).status_code == 201
    assert (await order(client, as_role, other["code"]))["status"] == "in_progress"


async def test_several_operators_work_one_operation_and_labour_follows_each(client, as_role):
    wo = await released(client, as_role)
    op_id = wo["operations"][0]["id"]
    path = f"/api/v1/operations/{op_id}"
    assert (await command(client, as_role, "operator", f"{path}/start")).status_code == 200
    audits = await AuditEntry.count()
    # A second start (a report already started the operator's labour): done as it is.
    again = await command(client, as_role, "operator", f"{path}/start")
    assert again.status_code == 200, again.text
    assert (again.json()["status"], again.json()["operators"]) == ("running", ["operator"])
    assert await AuditEntry.count() == audits
    both = await client.post(f"{path}/start", headers={
        **as_role("operator"), "Authorization": await _bearer(client, "operator2")})
    assert both.status_code == 200, both.text
    assert both.json()["operators"] == ["operator", "operator2"]
    one_left = await command(client, as_role, "operator", f"{path}/pause")
    assert (one_left.json()["status"], one_left.json()["operators"]) == ("running",
                                                                         ["operator2"])
    not_mine = await command(client, as_role, "operator", f"{path}/pause")
    assert not_mine.status_code == 409 and not_mine.json()["code"] == "labour.not_started"
    paused = await client.post(f"{path}/pause", headers={
        "Authorization": await _bearer(client, "operator2"), **key()})
    assert (paused.json()["status"], paused.json()["operators"]) == ("paused", [])
    resumed = await command(client, as_role, "operator", f"{path}/resume")
    assert (resumed.json()["status"], resumed.json()["operators"]) == ("running", ["operator"])
    done = await command(client, as_role, "operator", f"{path}/complete")
    assert (done.json()["status"], done.json()["operators"]) == ("done", [])
    events = [row["event"] for row in await LabourEvent.select(LabourEvent.event).where(
        LabourEvent.operation == op_id).order_by(LabourEvent.id)]
    assert events == ["start", "start", "pause", "pause", "resume", "complete"]


async def test_a_start_after_a_report_is_done_as_it_is(client, as_role):
    # A report starts the operation and the reporter's labour; the Start the handheld then
    # sends is not refused (it would hold back the operation's later commands in the outbox).
    wo = await released(client, as_role)
    op_id = wo["operations"][0]["id"]
    assert (await report(client, as_role, op_id, good=1)).status_code == 201
    audits = await AuditEntry.count()
    started = await command(client, as_role, "operator", f"/api/v1/operations/{op_id}/start")
    assert started.status_code == 200, started.text
    assert (started.json()["status"], started.json()["operators"]) == ("running", ["operator"])
    assert await AuditEntry.count() == audits
    events = [row["event"] for row in await LabourEvent.select(LabourEvent.event).where(
        LabourEvent.operation == op_id)]
    assert events == ["start"]


async def _bearer(client, username: str) -> str:
    response = await client.post("/api/v1/auth/login",
                                 json={"username": username, "password": "takt-demo"})
    assert response.status_code == 200, response.text
    return f"Bearer {response.json()['access_token']}"


async def test_labour_seconds_are_the_sum_of_each_operators_spans(client, as_role):
    wo = await released(client, as_role)
    op_id = wo["operations"][0]["id"]
    t0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    spans = [(1, "a", "start", 0), (2, "b", "start", 60), (1, "a", "pause", 600),
             (1, "a", "resume", 900), (2, "b", "pause", 1260), (1, "a", "complete", 1500)]
    await LabourEvent.insert(*(LabourEvent(operation=op_id, user_id=user, username=name,
                                           event=event, at=t0 + timedelta(seconds=s))
                               for user, name, event, s in spans))
    body = await operation(client, as_role, op_id)
    # a: 0-600 and 900-1500 (1200 s); b: 60-1260 (1200 s)
    assert body["labour_s"] == 2400 and body["operators"] == []


async def test_the_quantity_rule_along_the_route(client, as_role):
    wo = await released(client, as_role, quantity=10)
    op10, op20 = wo["operations"][0]["id"], wo["operations"][1]["id"]
    assert (await report(client, as_role, op10, good=6, scrap=1)).status_code == 201
    second = await operation(client, as_role, op20)
    assert (second["status"], second["available"]) == ("ready", "6")
    too_many = await report(client, as_role, op20, good=7)
    assert too_many.status_code == 409
    problem = too_many.json()
    assert problem["code"] == "report.exceeds_available" and problem["available"] == "6"
    assert "Only 6 PCS are available" in problem["detail"]
    over = await report(client, as_role, op10, good=3, scrap=1)
    assert over.status_code == 409 and "Only 3 PCS" in over.json()["detail"]
    assert (await report(client, as_role, op10, good=3)).status_code == 201
    assert (await report(client, as_role, op20, good=9)).status_code == 201
    first = await operation(client, as_role, op10)
    assert (first["good"], first["scrap"], first["available"]) == ("9", "1", "0")
    nothing = await report(client, as_role, wo["operations"][3]["id"], good=1)
    assert nothing.status_code == 409 and "Nothing is available" in nothing.json()["detail"]
    summary = await order(client, as_role, wo["code"])
    assert (summary["scrap"], summary["good"]) == ("1", "0")


async def test_the_first_operation_may_make_the_allowed_overrun(client, as_role):
    wo = await released(client, as_role, "FG-FAN-200", 20)  # 5 % overrun
    op10 = wo["operations"][0]["id"]
    assert wo["operations"][0]["available"] == "21"
    assert (await report(client, as_role, op10, good=21)).status_code == 201
    assert (await report(client, as_role, op10, good=1)).status_code == 409


@pytest.mark.parametrize(("body", "code"), [
    ({"good": 1, "scrap": 1}, "report.scrap_reason_required"),
    ({"good": 0, "scrap": 1, "scrap_reason": "DT-BREAK"}, "report.bad_scrap_reason"),
    ({"good": 0, "scrap": 1, "scrap_reason": "NOPE"}, "report.bad_scrap_reason"),
    ({"good": 0, "scrap": 0}, "report.empty"),
    ({"good": "1.5"}, "invalid.decimals"),
])
async def test_bad_reports_are_422_and_change_nothing(client, as_role, body, code):
    wo = await released(client, as_role)
    op_id = wo["operations"][0]["id"]
    response = await client.post(f"/api/v1/operations/{op_id}/reports", json=body,
                                  headers=as_role("operator", **key()))
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    assert await WorkReport.count().where(WorkReport.operation == op_id) == 0


@pytest.mark.parametrize("body", [
    {"good": -1},
    {"good": 5, "scrap": -2},
    {"good": -1, "rework": 3},
])
async def test_negative_quantities_are_422_and_change_nothing(client, as_role, body):
    # Well-formed numbers that break a rule: 422, as for the other refused reports.
    wo = await released(client, as_role)
    op_id = wo["operations"][0]["id"]
    response = await report(client, as_role, op_id, **body)
    assert response.status_code == 422, response.text
    assert await WorkReport.count().where(WorkReport.operation == op_id) == 0
    assert (await operation(client, as_role, op_id))["good"] == "0"


async def test_a_replayed_report_answers_the_same_and_counts_once(client, as_role):
    wo = await released(client, as_role)
    op_id = wo["operations"][0]["id"]
    headers = as_role("operator", **key())
    body = {"good": 3, "scrap": 1, "scrap_reason": "SCR-ASSY", "rework": 1}
    first = await client.post(f"/api/v1/operations/{op_id}/reports", json=body, headers=headers)
    again = await client.post(f"/api/v1/operations/{op_id}/reports", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.content == again.content
    assert again.headers["Idempotent-Replayed"] == "true"
    rows = await WorkReport.select().where(WorkReport.operation == op_id)
    assert len(rows) == 1 and rows[0]["idempotency_key"] == headers["Idempotency-Key"]
    op = await operation(client, as_role, op_id)
    assert (op["good"], op["scrap"], op["rework"]) == ("3", "1", "1")
    reused = await client.post(f"/api/v1/operations/{op_id}/reports", json={"good": 2},
                               headers=headers)
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency.key_reused"


async def test_a_supervisor_voids_a_report_with_a_reversing_row(client, as_role):
    wo = await released(client, as_role)
    op10, op20 = wo["operations"][0]["id"], wo["operations"][1]["id"]
    made = (await report(client, as_role, op10, good=5, scrap=2, role="supervisor")).json()
    path = f"/api/v1/reports/{made['id']}/void"
    # An operator voids only their own reports (tests/api/test_production_report_undo.py).
    assert (await command(client, as_role, "operator", path,
                          {"reason": "typo"})).status_code == 403
    voided = await command(client, as_role, "supervisor", path, {"reason": "counted twice"})
    assert voided.status_code == 200, voided.text
    row = voided.json()
    assert (row["kind"], row["voids"], row["good"], row["scrap"]) == ("void", made["id"],
                                                                     "-5", "-2")
    assert row["note"] == "counted twice"
    op = await operation(client, as_role, op10)
    assert (op["good"], op["scrap"], op["available"]) == ("0", "0", "10")
    nxt = await operation(client, as_role, op20)
    assert (nxt["status"], nxt["available"]) == ("pending", "0")
    history = (await client.get(f"/api/v1/operations/{op10}/reports",
                                headers=as_role("inspector"))).json()
    assert [(r["kind"], r["voided_by"]) for r in history] == [("report", row["id"]),
                                                              ("void", None)]
    twice = await command(client, as_role, "supervisor", path, {"reason": "again"})
    assert twice.status_code == 409 and twice.json()["code"] == "report.already_voided"
    of_void = await command(client, as_role, "supervisor", f"/api/v1/reports/{row['id']}/void",
                            {"reason": "undo"})
    assert of_void.status_code == 409 and of_void.json()["code"] == "report.not_voidable"
    assert await WorkReport.count().where(WorkReport.operation == op10) == 2
    assert await AuditEntry.count().where(AuditEntry.action == "work_report.void") == 1
    summary = await order(client, as_role, wo["code"])
    assert summary["scrap"] == "0"


async def test_a_report_whose_parts_went_on_cannot_be_voided(client, as_role):
    wo = await released(client, as_role)
    op10, op20 = wo["operations"][0]["id"], wo["operations"][1]["id"]
    made = (await report(client, as_role, op10, good=5)).json()
    assert (await report(client, as_role, op20, good=4)).status_code == 201
    refused = await command(client, as_role, "supervisor", f"/api/v1/reports/{made['id']}/void",
                            {"reason": "wrong order"})
    assert refused.status_code == 409 and refused.json()["code"] == "report.used_downstream"


async def _to_inspection(client, as_role, quantity: int = 10) -> tuple[dict, list[int]]:
    """A pump order with its first three steps reported, so the leak test (needs inspection)
    has ``quantity`` available."""
    wo = await released(client, as_role, "FG-PUMP-100", quantity)
    ids = [op["id"] for op in wo["operations"]]
    for op_id in ids[:3]:
        assert (await report(client, as_role, op_id, good=quantity)).status_code == 201
    return wo, ids


async def test_good_on_an_inspected_operation_waits_until_a_supervisor_releases_it(
        client, as_role):
    wo, ids = await _to_inspection(client, as_role)
    leak_test, final = ids[3], ids[4]
    assert (await report(client, as_role, leak_test, good=8)).status_code == 201
    op = await operation(client, as_role, leak_test)
    assert (op["good"], op["held"]) == ("8", "8")
    assert (await operation(client, as_role, final))["status"] == "pending"
    assert (await order(client, as_role, wo["code"]))["held"] == "8"
    path = f"/api/v1/operations/{leak_test}/release-hold"
    assert (await command(client, as_role, "operator", path, {})).status_code == 403
    too_much = await command(client, as_role, "supervisor", path, {"quantity": 9})
    assert too_much.status_code == 409 and too_much.json()["code"] == "hold.exceeds_held"
    for taken_back in ("-5", "0"):
        # Releasing a negative quantity would put parts back on hold out of nowhere.
        refused = await command(client, as_role, "supervisor", path, {"quantity": taken_back})
        assert refused.status_code == 422 and refused.json()["code"] == "invalid.quantity"
    assert (await operation(client, as_role, leak_test))["held"] == "8"
    part = await command(client, as_role, "supervisor", path, {"quantity": 5})
    assert part.status_code == 200 and part.json()["held"] == "3"
    nxt = await operation(client, as_role, final)
    assert (nxt["status"], nxt["available"]) == ("ready", "5")
    rest = await client.post(path, headers=as_role("supervisor", **key()))
    assert rest.status_code == 200, rest.text
    assert rest.json()["held"] == "0"
    assert (await operation(client, as_role, final))["available"] == "8"
    nothing = await command(client, as_role, "supervisor", path, {})
    assert nothing.status_code == 409 and nothing.json()["code"] == "hold.nothing_held"
    kinds = [r["kind"] for r in (await client.get(f"/api/v1/operations/{leak_test}/reports",
                                                  headers=as_role("planner"))).json()]
    assert kinds == ["report", "release_hold", "release_hold"]
    assert (await order(client, as_role, wo["code"]))["held"] == "0"


async def test_voiding_a_held_report_takes_the_quantity_back_from_the_hold(client, as_role):
    wo, ids = await _to_inspection(client, as_role)
    made = (await report(client, as_role, ids[3], good=4)).json()
    voided = await command(client, as_role, "supervisor", f"/api/v1/reports/{made['id']}/void",
                           {"reason": "test rig fault"})
    assert voided.json()["held"] == "-4"
    op = await operation(client, as_role, ids[3])
    assert (op["good"], op["held"]) == ("0", "0")


async def test_the_order_completes_when_the_last_counting_step_reaches_its_quantity(
        client, as_role):
    wo = await released(client, as_role, quantity=10)  # step 40 does not count output
    ids = [op["id"] for op in wo["operations"]]
    for op_id in ids[:4]:
        assert (await report(client, as_role, op_id, good=10)).status_code == 201
    assert (await order(client, as_role, wo["code"]))["good"] == "0"
    assert (await report(client, as_role, ids[4], good=9)).status_code == 201
    partly = await order(client, as_role, wo["code"])
    assert (partly["status"], partly["good"]) == ("in_progress", "9")
    assert (await report(client, as_role, ids[4], good=1)).status_code == 201
    done = await order(client, as_role, wo["code"])
    assert (done["status"], done["good"]) == ("completed", "10")
    assert {op["status"] for op in done["operations"]} == {"done"}
    late = await report(client, as_role, ids[0], good=0, scrap=1)
    assert late.status_code == 409 and late.json()["code"] == "work_order.not_open"


async def test_an_operation_of_a_type_is_placed_where_the_operator_starts_it(client, as_role):
    wo = await released(client, as_role, "SF-HOUS-P100", 2)  # step 20: any DEBURR station
    ids = [op["id"] for op in wo["operations"]]
    assert (await report(client, as_role, ids[0], good=2)).status_code == 201
    wrong = await command(client, as_role, "operator", f"/api/v1/operations/{ids[1]}/start",
                          {"workstation": "WS-201"})
    assert wrong.status_code == 409 and wrong.json()["code"] == "operation.wrong_workstation"
    placed = await command(client, as_role, "operator", f"/api/v1/operations/{ids[1]}/start",
                           {"workstation": "ws-203"})
    assert placed.status_code == 200 and placed.json()["workstation"] == "WS-203"
    fixed = await command(client, as_role, "supervisor", f"/api/v1/operations/{ids[0]}/start",
                          {"workstation": "WS-201"})
    assert fixed.status_code == 409 and "runs at WS-202" in fixed.json()["detail"]


async def test_unknown_operation_and_report_are_404(client, as_role):
    assert (await client.get("/api/v1/operations/424242",
                             headers=as_role("operator"))).status_code == 404
    assert (await report(client, as_role, 424242, good=1)).status_code == 404
    void = await command(client, as_role, "supervisor", "/api/v1/reports/424242/void",
                         {"reason": "x"})
    assert void.status_code == 404
