"""Reporting on the handheld: the first report starts the operation with the reporter's
labour, an operator undoes their own report within REPORT_UNDO_SECONDS (a void with a reason),
a supervisor voids any, and the report form's scrap reasons come in the line's order of use."""

from __future__ import annotations

from datetime import timedelta

from takt.platform.auth import make_jwt_auth
from takt.production.common import utc_now
from takt.production.tables import LabourEvent, WorkReport
from takt.settings import get_settings
from tests.api.production import command, key, operation, released, report

UNDO_SECONDS = get_settings().report_undo_seconds


def _headers_of(template_db: dict[str, int], username: str, **extra: str) -> dict[str, str]:
    """Headers of a demo user who is not one of the per-role tokens (operator2)."""
    token = make_jwt_auth(get_settings()).create_token(identifier=str(template_db[username]))
    return {"Authorization": f"Bearer {token}", **extra}


async def _age(report_id: int, seconds: int) -> None:
    """Make a report look ``seconds`` old."""
    await WorkReport.update({WorkReport.reported_at: utc_now() - timedelta(seconds=seconds)}
                            ).where(WorkReport.id == report_id)


async def test_the_first_report_starts_the_operation_with_the_reporters_labour(client, as_role):
    wo = await released(client, as_role)
    op_id = wo["operations"][0]["id"]
    made = await report(client, as_role, op_id, good=3)
    assert made.status_code == 201, made.text
    op = await operation(client, as_role, op_id)
    assert (op["status"], op["operators"], op["started_at"] is not None) == (
        "running", ["operator"], True)
    events = await LabourEvent.select(LabourEvent.username, LabourEvent.event).where(
        LabourEvent.operation == op_id)
    assert events == [{"username": "operator", "event": "start"}]
    # Working on it, the operator may pause it as after a Start.
    paused = await command(client, as_role, "operator", f"/api/v1/operations/{op_id}/pause")
    assert paused.status_code == 200 and paused.json()["status"] == "paused"


async def test_a_report_on_a_paused_operation_resumes_it_for_the_reporter(client, as_role):
    wo = await released(client, as_role)
    op_id = wo["operations"][0]["id"]
    path = f"/api/v1/operations/{op_id}"
    assert (await command(client, as_role, "operator", f"{path}/start")).status_code == 200
    assert (await command(client, as_role, "operator", f"{path}/pause")).status_code == 200
    assert (await report(client, as_role, op_id, good=2)).status_code == 201
    op = await operation(client, as_role, op_id)
    assert (op["status"], op["operators"], op["good"]) == ("running", ["operator"], "2")


async def test_a_report_on_a_running_operation_adds_no_labour(client, as_role):
    wo = await released(client, as_role)
    op_id = wo["operations"][0]["id"]
    start = await command(client, as_role, "operator", f"/api/v1/operations/{op_id}/start")
    assert start.status_code == 200
    assert (await report(client, as_role, op_id, good=1, role="supervisor")).status_code == 201
    op = await operation(client, as_role, op_id)
    assert op["operators"] == ["operator"]


async def test_a_report_on_a_pending_operation_says_nothing_has_reached_it(client, as_role):
    wo = await released(client, as_role)
    op_id = wo["operations"][1]["id"]
    refused = await report(client, as_role, op_id, good=1)
    assert refused.status_code == 409
    problem = refused.json()
    assert problem["code"] == "report.exceeds_available"
    assert "Nothing is available" in problem["detail"]
    assert (await operation(client, as_role, op_id))["status"] == "pending"


async def test_an_operator_undoes_their_own_report_within_the_window(client, as_role):
    wo = await released(client, as_role)
    op_id = wo["operations"][0]["id"]
    made = (await report(client, as_role, op_id, good=4, scrap=1)).json()
    undo = await command(client, as_role, "operator", f"/api/v1/reports/{made['id']}/void",
                         {"reason": "Wrong quantity"})
    assert undo.status_code == 200, undo.text
    assert (undo.json()["kind"], undo.json()["voids"], undo.json()["username"]) == (
        "void", made["id"], "operator")
    op = await operation(client, as_role, op_id)
    assert (op["good"], op["scrap"], op["available"]) == ("0", "0", "10")
    history = (await client.get(f"/api/v1/operations/{op_id}/reports",
                                headers=as_role("operator"))).json()
    assert [(row["kind"], row["note"]) for row in history] == [
        ("report", ""), ("void", "Wrong quantity")]


async def test_an_operators_undo_after_the_window_is_refused_with_a_reason(client, as_role):
    wo = await released(client, as_role)
    op_id = wo["operations"][0]["id"]
    made = (await report(client, as_role, op_id, good=4)).json()
    await _age(made["id"], UNDO_SECONDS + 5)
    late = await command(client, as_role, "operator", f"/api/v1/reports/{made['id']}/void",
                         {"reason": "Wrong quantity"})
    assert late.status_code == 409
    problem = late.json()
    assert problem["code"] == "report.undo_expired"
    assert problem["detail"] == (f"Your report {made['id']} can be undone only within "
                                 f"{UNDO_SECONDS // 60} minutes of reporting; ask a supervisor "
                                 "to void it.")
    zh = await client.post(f"/api/v1/reports/{made['id']}/void", json={"reason": "x"},
                           headers=as_role("operator", **key(), **{"Accept-Language": "zh-CN"}))
    assert zh.status_code == 409 and "主管" in zh.json()["detail"]
    assert (await operation(client, as_role, op_id))["good"] == "4"
    # A supervisor still may.
    voided = await command(client, as_role, "supervisor", f"/api/v1/reports/{made['id']}/void",
                           {"reason": "Wrong quantity"})
    assert voided.status_code == 200, voided.text
    assert (await operation(client, as_role, op_id))["good"] == "0"


async def test_an_operator_cannot_void_someone_elses_report(client, as_role, template_db):
    wo = await released(client, as_role)
    op_id = wo["operations"][0]["id"]
    made = (await report(client, as_role, op_id, good=4)).json()
    other = await client.post(f"/api/v1/reports/{made['id']}/void", json={"reason": "mine?"},
                              headers=_headers_of(template_db, "operator2", **key()))
    assert other.status_code == 403
    assert other.json()["code"] == "report.not_yours"
    assert other.json()["detail"] == (f"Report {made['id']} was made by operator; only they "
                                      "(just after reporting) or a supervisor can void it.")
    assert (await operation(client, as_role, op_id))["good"] == "4"


async def test_a_supervisor_voids_anyones_report_at_any_age(client, as_role):
    wo = await released(client, as_role)
    op_id = wo["operations"][0]["id"]
    made = (await report(client, as_role, op_id, good=6)).json()
    await _age(made["id"], 7 * 24 * 3600)
    voided = await command(client, as_role, "supervisor", f"/api/v1/reports/{made['id']}/void",
                           {"reason": "Counted twice"})
    assert voided.status_code == 200, voided.text
    assert voided.json()["username"] == "supervisor"


async def test_an_undo_sent_twice_voids_once_even_when_replayed_after_the_window(
        client, as_role):
    wo = await released(client, as_role)
    op_id = wo["operations"][0]["id"]
    made = (await report(client, as_role, op_id, good=5)).json()
    headers = as_role("operator", **key())
    path = f"/api/v1/reports/{made['id']}/void"
    first = await client.post(path, json={"reason": "Reported twice"}, headers=headers)
    assert first.status_code == 200, first.text
    await _age(made["id"], UNDO_SECONDS + 60)
    again = await client.post(path, json={"reason": "Reported twice"}, headers=headers)
    assert (again.status_code, again.json()) == (200, first.json())
    assert await WorkReport.count().where(WorkReport.voids == made["id"]) == 1
    assert (await operation(client, as_role, op_id))["good"] == "0"


async def test_scrap_reasons_come_in_the_lines_order_of_use(client, as_role):
    # FG-SENS-300 runs on L1; SF-SHAFT-P100 on L2.
    l1 = (await released(client, as_role, "FG-SENS-300", 20))["operations"][0]["id"]
    l2 = (await released(client, as_role, "SF-SHAFT-P100", 20))["operations"][0]["id"]
    for reason in ("SCR-LEAK", "SCR-LEAK", "SCR-DIM"):
        made = await report(client, as_role, l1, scrap=1, scrap_reason=reason)
        assert made.status_code == 201, made.text
    # A reason chosen by mistake and undone does not count; another line's do not either.
    wrong = (await report(client, as_role, l1, scrap=1, scrap_reason="SCR-SETUP")).json()
    undo = await command(client, as_role, "operator", f"/api/v1/reports/{wrong['id']}/void",
                         {"reason": "Wrong reason"})
    assert undo.status_code == 200
    for _ in range(3):
        made = await report(client, as_role, l2, scrap=1, scrap_reason="SCR-MATERIAL")
        assert made.status_code == 201, made.text
    # Reports older than the period do not count.
    old = (await report(client, as_role, l1, scrap=1, scrap_reason="SCR-ASSY")).json()
    await _age(old["id"], 40 * 24 * 3600)

    async def ranked(query: str) -> list[tuple[str, int]]:
        response = await client.get(f"/api/v1/reports/scrap-reasons{query}",
                                    headers=as_role("operator"))
        assert response.status_code == 200, response.text
        return [(row["code"], row["uses"]) for row in response.json()]

    all_codes = ["SCR-ASSY", "SCR-DIM", "SCR-LEAK", "SCR-MATERIAL", "SCR-SCRATCH", "SCR-SETUP"]
    assert await ranked("?line=L1") == [("SCR-LEAK", 2), ("SCR-DIM", 1), ("SCR-ASSY", 0),
                                        ("SCR-MATERIAL", 0), ("SCR-SCRATCH", 0),
                                        ("SCR-SETUP", 0)]
    assert await ranked("?line=l2") == [("SCR-MATERIAL", 3)] + [
        (code, 0) for code in all_codes if code != "SCR-MATERIAL"]
    assert (await ranked("?line=L1&days=60"))[:3] == [("SCR-LEAK", 2), ("SCR-ASSY", 1),
                                                      ("SCR-DIM", 1)]
    assert (await ranked(""))[:3] == [("SCR-MATERIAL", 3), ("SCR-LEAK", 2), ("SCR-DIM", 1)]
    # A line with no reports (or none of its own): every active reason, in code order.
    assert await ranked("?line=NOPE") == [(code, 0) for code in all_codes]
