"""Cycle counts: a count snapshots a location, counters record what is there (blind or
not), submitting compares with the ledger at that moment, and only a supervisor's approval
posts the variances as count adjustments; a line-side count is the line's reconciliation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from takt.inventory.tables import Count, CountLine, Movement, OnHand
from tests.api.inventory import at, key, ledger, move, receive, verify
from tests.api.production import released, report

SHELF = "FG-01-02"
"""A location the demo leaves empty: each test puts there what it counts."""


async def _grease(client, as_role, quantity="10", location=SHELF, supplier_lot="CNT-T") -> str:
    return (await receive(client, as_role, item_code="RM-GREASE", quantity=quantity,
                          location_code=location, supplier_lot=supplier_lot))["lot_code"]


async def _count(client, as_role, location=SHELF, blind=False, role="operator",
                 expect=201) -> dict[str, Any]:
    response = await client.post("/api/v1/counts", json={"location_code": location,
                                                         "blind": blind},
                                 headers=as_role(role, **key()))
    assert response.status_code == expect, response.text
    return response.json()


async def _record(client, as_role, code: str, item: str, quantity: Any, lot: str | None = None,
                  role="operator"):
    body: dict[str, Any] = {"item_code": item, "quantity": quantity}
    if lot:
        body["lot_code"] = lot
    return await client.post(f"/api/v1/counts/{code}/lines", json=body,
                             headers=as_role(role, **key()))


async def _do(client, as_role, code: str, action: str, role="operator", body: Any = None):
    return await client.post(f"/api/v1/counts/{code}/{action}", json=body,
                             headers=as_role(role, **key()))


async def _read(client, as_role, code: str, role: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/counts/{code}", headers=as_role(role))
    assert response.status_code == 200, response.text
    return response.json()


def _lines(count: dict[str, Any]) -> dict[tuple[str, str | None], dict[str, Any]]:
    return {(line["item_code"], line["lot_code"]): line for line in count["lines"]}


async def _grease_and_fans(client, as_role) -> str:
    """10 kg of a grease lot and 5 fans (kept without lots) on the shelf."""
    lot = await _grease(client, as_role)
    await receive(client, as_role, item_code="FG-FAN-200", quantity="5", location_code=SHELF)
    return lot


async def test_a_blind_count_hides_what_is_expected_from_the_counter_not_the_supervisor(
        client, as_role):
    lot = await _grease_and_fans(client, as_role)
    count = await _count(client, as_role, blind=True)
    assert count["code"].startswith("CNT-") and count["status"] == "open"
    assert count["blind"] is True and count["expected_visible"] is False
    assert set(_lines(count)) == {("RM-GREASE", lot), ("FG-FAN-200", None)}
    assert all(line["expected"] is None for line in count["lines"])
    for role in ("operator", "planner", "inspector"):
        seen = await _read(client, as_role, count["code"], role)
        assert seen["expected_visible"] is False
        assert [line["expected"] for line in seen["lines"]] == [None, None]
    supervisor = await _read(client, as_role, count["code"], "supervisor")
    assert supervisor["expected_visible"] is True
    assert {k: v["expected"] for k, v in _lines(supervisor).items()} == {
        ("RM-GREASE", lot): "10", ("FG-FAN-200", None): "5"}
    # Recording a line does not reveal anything either.
    recorded = (await _record(client, as_role, count["code"], "RM-GREASE", "9.5", lot)).json()
    assert _lines(recorded)[("RM-GREASE", lot)]["expected"] is None
    assert _lines(recorded)[("RM-GREASE", lot)]["counted"] == "9.5"
    # Once counting is closed, blindness has done its work: everyone sees the comparison.
    assert (await _record(client, as_role, count["code"], "FG-FAN-200", 5)).status_code == 200
    assert (await _do(client, as_role, count["code"], "submit")).status_code == 200
    after = await _read(client, as_role, count["code"], "operator")
    assert after["expected_visible"] is True
    assert _lines(after)[("RM-GREASE", lot)]["expected"] == "10"


async def test_an_open_count_shows_expected_quantities_to_everyone(client, as_role):
    count = await _count(client, as_role, location="RM-B-01-01")
    assert count["expected_visible"] is True
    expected = {k: Decimal(v["expected"]) for k, v in _lines(count).items()}
    assert expected[("SF-HOUS-P100", None)] == 80
    assert len(expected) == len((await client.get(
        "/api/v1/stock", params={"location_code": "RM-B-01-01"},
        headers=as_role("planner"))).json()["data"])
    # One count in progress per location.
    again = await _count(client, as_role, location="RM-B-01-01", expect=409)
    assert again["code"] == "count.in_progress" and count["code"] in again["detail"]


async def test_variances_are_posted_only_when_a_supervisor_approves(client, as_role):
    lot = await _grease_and_fans(client, as_role)
    elsewhere = await _grease(client, as_role, "2", location="RM-A-01-01", supplier_lot="ELSE")
    count = await _count(client, as_role)
    code = count["code"]
    assert (await _record(client, as_role, code, "RM-GREASE", "8", lot)).status_code == 200
    assert (await _record(client, as_role, code, "FG-FAN-200", 7)).status_code == 200
    # A lot not expected here is recorded as found stock.
    found = await _record(client, as_role, code, "RM-GREASE", "3", elsewhere)
    assert found.status_code == 200, found.text
    line = _lines(found.json())[("RM-GREASE", elsewhere)]
    assert line["found"] is True and line["expected"] is None
    before = await Movement.count()
    submitted = await _do(client, as_role, code, "submit")
    assert submitted.status_code == 200, submitted.text
    lines = _lines(submitted.json())
    assert submitted.json()["status"] == "submitted"
    assert {k: (v["book"], v["variance"]) for k, v in lines.items()} == {
        ("RM-GREASE", lot): ("10", "-2"), ("FG-FAN-200", None): ("5", "2"),
        ("RM-GREASE", elsewhere): ("0", "3")}
    # Submitted is not approved: the ledger has not moved.
    assert await Movement.count() == before
    assert await at(client, as_role, SHELF, lot) == 10
    refused = await _do(client, as_role, code, "approve", role="operator")
    assert refused.status_code == 403
    approved = await _do(client, as_role, code, "approve", role="supervisor",
                         body={"note": "checked"})
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["decided_by"] and approved.json()["decision_note"] == "checked"
    assert all(line["movement_id"] for line in approved.json()["lines"])
    assert await at(client, as_role, SHELF, lot) == 8
    assert await at(client, as_role, SHELF, item="FG-FAN-200") == 7
    assert await at(client, as_role, SHELF, elsewhere) == 3
    assert await at(client, as_role, "RM-A-01-01", elsewhere) == 2
    rows = (await ledger(client, as_role, document_code=code))["data"]
    assert len(rows) == 3 and {(r["kind"], r["item_code"], r["lot_code"],
                                r["from_location_code"], r["to_location_code"], r["quantity"])
                               for r in rows} == {
        ("count_adjustment", "RM-GREASE", lot, SHELF, None, "2"),
        ("count_adjustment", "FG-FAN-200", None, None, SHELF, "2"),
        ("count_adjustment", "RM-GREASE", elsewhere, None, SHELF, "3")}
    # Decided: no second approval, and the location may be counted again.
    assert (await _do(client, as_role, code, "approve", role="supervisor")).json()["code"] \
        == "count.bad_status"
    assert (await _count(client, as_role))["status"] == "open"
    assert await verify() == []


async def test_variances_compare_with_the_ledger_at_submit_not_the_snapshot(client, as_role):
    lot = await _grease(client, as_role)
    count = await _count(client, as_role)
    # 4 kg leave while the count is open: the ledger knows; it is no variance.
    moved = await move(client, as_role, kind="transfer", item_code="RM-GREASE", lot_code=lot,
                       from_location_code=SHELF, to_location_code="FG-01-01", quantity=4)
    assert moved.status_code == 201, moved.text
    await _record(client, as_role, count["code"], "RM-GREASE", 6, lot)
    line = _lines((await _do(client, as_role, count["code"], "submit")).json())[
        ("RM-GREASE", lot)]
    assert (line["expected"], line["book"], line["counted"], line["variance"]) == (
        "10", "6", "6", "0")
    approved = await _do(client, as_role, count["code"], "approve", role="supervisor")
    assert approved.status_code == 200 and approved.json()["lines"][0]["movement_id"] is None
    assert (await ledger(client, as_role, document_code=count["code"]))["total"] == 0
    assert await at(client, as_role, SHELF, lot) == 6


async def test_every_line_must_be_counted_before_submitting(client, as_role):
    lot = await _grease_and_fans(client, as_role)
    count = await _count(client, as_role)
    await _record(client, as_role, count["code"], "RM-GREASE", 10, lot)
    refused = await _do(client, as_role, count["code"], "submit")
    assert refused.status_code == 409
    assert refused.json()["code"] == "count.not_counted"
    assert refused.json()["not_counted"] == ["FG-FAN-200"]
    assert "enter 0" in refused.json()["detail"]
    assert (await _read(client, as_role, count["code"], "operator"))["status"] == "open"
    # Zero is a count: nothing there.
    assert (await _record(client, as_role, count["code"], "FG-FAN-200", 0)).status_code == 200
    assert (await _do(client, as_role, count["code"], "submit")).status_code == 200


async def test_bad_count_lines_are_refused_with_a_sentence(client, as_role):
    lot = await _grease(client, as_role)
    count = await _count(client, as_role)
    code = count["code"]
    cases = [
        ({"item_code": "RM-GREASE", "quantity": 1}, 422, "stock.lot_required"),
        ({"item_code": "RM-GREASE", "lot_code": lot, "quantity": -1}, 422,
         "invalid.quantity"),
        ({"item_code": "RM-GREASE", "lot_code": lot, "quantity": "1.0001"}, 422,
         "invalid.decimals"),
        ({"item_code": "FG-FAN-200", "quantity": "1.5"}, 422, "invalid.decimals"),
        ({"item_code": "RM-THREADLOCK", "lot_code": lot, "quantity": 1}, 422,
         "stock.lot_item_mismatch"),
        ({"item_code": "NOPE", "quantity": 1}, 422, "reference.unknown"),
    ]
    lines_before = await CountLine.count()
    for body, status, problem in cases:
        response = await client.post(f"/api/v1/counts/{code}/lines", json=body,
                                     headers=as_role("operator", **key()))
        assert (response.status_code, response.json()["code"]) == (status, problem), body
        assert response.json()["detail"]
    assert await CountLine.count() == lines_before
    missing = await client.post("/api/v1/counts/CNT-1999-00001/lines",
                                json={"item_code": "FG-FAN-200", "quantity": 1},
                                headers=as_role("operator", **key()))
    assert missing.status_code == 404 and missing.json()["code"] == "count.not_found"
    nowhere = await client.post("/api/v1/counts", json={"location_code": "NOWHERE"},
                                headers=as_role("operator", **key()))
    assert nowhere.status_code == 422 and nowhere.json()["code"] == "reference.unknown"
    # A recount replaces the earlier figure; after submit, counting is closed.
    await _record(client, as_role, code, "RM-GREASE", 5, lot)
    recount = await _record(client, as_role, code, "RM-GREASE", 7, lot)
    assert _lines(recount.json())[("RM-GREASE", lot)]["counted"] == "7"
    assert (await _do(client, as_role, code, "submit")).status_code == 200
    late = await _record(client, as_role, code, "RM-GREASE", 8, lot)
    assert late.status_code == 409 and late.json()["code"] == "count.bad_status"
    assert "counting is closed" in late.json()["detail"]


async def test_a_count_that_would_take_a_real_location_negative_is_refused_whole(
        client, as_role):
    lot = await _grease_and_fans(client, as_role)
    count = await _count(client, as_role)
    await _record(client, as_role, count["code"], "RM-GREASE", 4, lot)  # -6
    await _record(client, as_role, count["code"], "FG-FAN-200", 9)  # +4
    assert (await _do(client, as_role, count["code"], "submit")).status_code == 200
    # After the submit 8 kg leave the shelf: only 2 are left for a variance of -6.
    moved = await move(client, as_role, kind="transfer", item_code="RM-GREASE", lot_code=lot,
                       from_location_code=SHELF, to_location_code="FG-01-01", quantity=8)
    assert moved.status_code == 201
    counts = (await Movement.count(), await OnHand.count())
    refused = await _do(client, as_role, count["code"], "approve", role="supervisor")
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["code"] == "stock.insufficient" and problem["available"] == "2"
    assert count["code"] in problem["detail"] and "reject it and count again" in \
        problem["detail"]
    # Nothing was written: not the fans' +4, not the status.
    assert (await Movement.count(), await OnHand.count()) == counts
    assert await at(client, as_role, SHELF, item="FG-FAN-200") == 5
    assert await at(client, as_role, SHELF, lot) == 2
    assert (await _read(client, as_role, count["code"], "supervisor"))["status"] == "submitted"
    assert await verify() == []


async def test_a_rejected_count_posts_nothing(client, as_role):
    lot = await _grease(client, as_role)
    count = await _count(client, as_role)
    await _record(client, as_role, count["code"], "RM-GREASE", 1, lot)
    assert (await _do(client, as_role, count["code"], "submit")).status_code == 200
    before = await Movement.count()
    no_reason = await _do(client, as_role, count["code"], "reject", role="supervisor",
                          body={"reason": "  "})
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "count.reason_required"
    assert (await _do(client, as_role, count["code"], "reject", role="operator",
                      body={"reason": "x"})).status_code == 403
    rejected = await _do(client, as_role, count["code"], "reject", role="supervisor",
                         body={"reason": "Counted the wrong shelf"})
    assert rejected.status_code == 200, rejected.text
    assert (rejected.json()["status"], rejected.json()["decision_note"]) == (
        "rejected", "Counted the wrong shelf")
    assert await Movement.count() == before
    assert await at(client, as_role, SHELF, lot) == 10
    late = await _do(client, as_role, count["code"], "approve", role="supervisor")
    assert late.status_code == 409 and late.json()["count_status"] == "rejected"
    # An open count can be abandoned too.
    other = await _count(client, as_role)
    dropped = await _do(client, as_role, other["code"], "reject", role="supervisor",
                        body={"reason": "Inventory postponed"})
    assert dropped.status_code == 200 and dropped.json()["status"] == "rejected"
    assert await Movement.count() == before
    assert await verify() == []


async def test_a_line_side_count_at_end_of_shift_reconciles_negative_wip(client, as_role):
    # A report backflushes material the line was never issued: WIP goes negative.
    wo = await released(client, as_role, "FG-PUMP-100", 10)
    assert (await report(client, as_role, wo["operations"][0]["id"], good=3)).status_code == 201
    recon = (await client.get("/api/v1/stock/reconciliation",
                              headers=as_role("supervisor"))).json()
    negative = {(r["item_code"], r["lot_code"]) for r in recon if r["location_code"] == "WIP-L1"}
    assert ("SF-HOUS-P100", None) in negative
    count = await _count(client, as_role, location="WIP-L1")
    assert (count["location_kind"], count["line_code"]) == ("line_side", "L1")
    lines = _lines(count)
    assert Decimal(lines[("SF-HOUS-P100", None)]["expected"]) < 0
    # The line holds 2 housings and nothing else that was expected.
    for item, lot in lines:
        quantity = 2 if item == "SF-HOUS-P100" else 0
        assert (await _record(client, as_role, count["code"], item, quantity,
                              lot)).status_code == 200
    submitted = (await _do(client, as_role, count["code"], "submit")).json()
    housings = _lines(submitted)[("SF-HOUS-P100", None)]
    assert Decimal(housings["variance"]) == 2 - Decimal(housings["book"])
    # Still listed until a supervisor approves.
    recon = (await client.get("/api/v1/stock/reconciliation",
                              headers=as_role("supervisor"))).json()
    assert any(r["location_code"] == "WIP-L1" for r in recon)
    assert (await _do(client, as_role, count["code"], "approve",
                      role="supervisor")).status_code == 200
    assert await at(client, as_role, "WIP-L1", item="SF-HOUS-P100") == 2
    recon = (await client.get("/api/v1/stock/reconciliation",
                              headers=as_role("supervisor"))).json()
    assert [r for r in recon if r["location_code"] == "WIP-L1"] == []
    for item, lot in lines:
        if item != "SF-HOUS-P100":
            assert await at(client, as_role, "WIP-L1", lot, item) == 0
    assert await verify() == []


async def test_replayed_count_commands_act_once(client, as_role):
    lot = await _grease(client, as_role)
    headers = as_role("operator", **key())
    body = {"location_code": SHELF, "blind": False}
    first = await client.post("/api/v1/counts", json=body, headers=headers)
    again = await client.post("/api/v1/counts", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    code = first.json()["code"]
    assert await Count.count().where(Count.code == code) == 1
    line_headers = as_role("operator", **key())
    line = {"item_code": "RM-GREASE", "lot_code": lot, "quantity": "12"}
    assert (await client.post(f"/api/v1/counts/{code}/lines", json=line,
                              headers=line_headers)).status_code == 200
    assert (await _do(client, as_role, code, "submit")).status_code == 200
    # Replayed after the count moved on: the stored answer, not a refusal.
    replayed = await client.post(f"/api/v1/counts/{code}/lines", json=line,
                                 headers=line_headers)
    assert replayed.status_code == 200 and replayed.headers["Idempotent-Replayed"] == "true"
    approve_headers = as_role("supervisor", **key())
    approved = await client.post(f"/api/v1/counts/{code}/approve", headers=approve_headers)
    twice = await client.post(f"/api/v1/counts/{code}/approve", headers=approve_headers)
    assert approved.status_code == twice.status_code == 200
    assert twice.json() == approved.json() and twice.headers["Idempotent-Replayed"] == "true"
    assert (await ledger(client, as_role, document_code=code))["total"] == 1
    assert await at(client, as_role, SHELF, lot) == 12
    listed = (await client.get("/api/v1/counts", params={"location_code": SHELF},
                               headers=as_role("planner"))).json()
    assert [(r["code"], r["status"]) for r in listed["data"]] == [(code, "approved")]
    assert await verify() == []
