"""Moves by scanning: issue to the line, return, transfer, finished goods, scrap, misc in/out.
Real locations never go negative; line-side WIP may; lots not released are not put to use."""

from __future__ import annotations

from decimal import Decimal

from takt.inventory.tables import Lot, LotLink, Movement, OnHand
from takt.platform.tables import DocumentSequence
from tests.api.inventory import at, key, ledger, move, receive, verify


async def _grease(client, as_role, quantity="10", location="RM-A-02-01") -> str:
    return (await receive(client, as_role, item_code="RM-GREASE", quantity=quantity,
                          location_code=location, supplier_lot="LX-T"))["lot_code"]


async def _issue(client, as_role, lot: str, quantity, item="RM-GREASE", frm="RM-A-02-01",
                 role="operator", **extra):
    return await move(client, as_role, role, kind="issue", item_code=item, lot_code=lot,
                      from_location_code=frm, to_location_code="WIP-L1", quantity=quantity,
                      **extra)


async def test_issue_to_the_line_moves_stock_against_the_work_order(client, as_role):
    lot = await _grease(client, as_role)
    response = await _issue(client, as_role, lot, "2.25", work_order_code="wo-2026-00042")
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["kind"], body["document_type"], body["document_code"], body["lot_code"],
            body["from_location_code"], body["to_location_code"], body["quantity"],
            body["unit"]) == ("issue", "work_order", "WO-2026-00042", lot, "RM-A-02-01",
                              "WIP-L1", "2.25", "KG")
    assert await at(client, as_role, "RM-A-02-01", lot) == Decimal("7.75")
    assert await at(client, as_role, "WIP-L1", lot) == Decimal("2.25")
    rows = (await ledger(client, as_role, document_code="WO-2026-00042"))["data"]
    assert [(r["kind"], r["quantity"]) for r in rows] == [("issue", "2.25")]
    assert await verify() == []


async def test_a_move_without_a_work_order_gets_its_own_document_number(client, as_role):
    lot = await _grease(client, as_role)
    body = (await move(client, as_role, kind="transfer", item_code="RM-GREASE", lot_code=lot,
                       from_location_code="RM-A-02-01", to_location_code="RM-A-01-01",
                       quantity=4)).json()
    assert body["document_type"] == "move" and body["document_code"].startswith("MOV-")
    assert await at(client, as_role, "RM-A-01-01", lot) == 4
    assert await at(client, as_role, "RM-A-02-01", lot) == 6


async def test_taking_more_than_a_real_location_holds_is_409_and_writes_nothing(client,
                                                                               as_role):
    lot = await _grease(client, as_role, quantity="3")
    counts = (await Movement.count(), await OnHand.count(), await Lot.count())
    sequences = await DocumentSequence.select(DocumentSequence.sequence_key,
                                              DocumentSequence.last_value)
    response = await move(client, as_role, kind="transfer", item_code="RM-GREASE",
                          lot_code=lot, from_location_code="RM-A-02-01",
                          to_location_code="RM-A-01-01", quantity="3.001")
    assert response.status_code == 409
    problem = response.json()
    assert (problem["code"], problem["available"], problem["lot_code"],
            problem["location_code"]) == ("stock.insufficient", "3", lot, "RM-A-02-01")
    assert "only 3 KG of RM-GREASE" in problem["detail"]
    nothing_there = await move(client, as_role, kind="issue", item_code="RM-GREASE",
                               lot_code=lot, from_location_code="RM-A-01-01",
                               to_location_code="WIP-L1", quantity=1)
    assert nothing_there.status_code == 409 and nothing_there.json()["available"] == "0"
    assert "holds none" in nothing_there.json()["detail"]
    assert (await Movement.count(), await OnHand.count(), await Lot.count()) == counts
    assert await DocumentSequence.select(DocumentSequence.sequence_key,
                                         DocumentSequence.last_value) == sequences
    assert await at(client, as_role, "RM-A-02-01", lot) == 3
    # Exactly what is there can be taken, to zero, and the empty row is not listed.
    assert (await _issue(client, as_role, lot, 3)).status_code == 201
    assert await at(client, as_role, "RM-A-02-01", lot) == 0
    assert await verify() == []


async def test_a_pending_lot_cannot_be_issued_until_an_inspector_releases_it(client, as_role):
    lot = (await receive(client, as_role, item_code="RM-PCB-S300", quantity=20,
                         location_code="RM-A-01-02"))["lot_code"]
    refused = await _issue(client, as_role, lot, 5, item="RM-PCB-S300", frm="RM-A-01-02")
    assert refused.status_code == 409
    assert (refused.json()["code"], refused.json()["quality_status"]) == (
        "lot.not_released", "pending")
    assert "waiting for incoming inspection" in refused.json()["detail"]
    transfer = await move(client, as_role, kind="transfer", item_code="RM-PCB-S300",
                          lot_code=lot, from_location_code="RM-A-01-02",
                          to_location_code="RM-A-01-01", quantity=5)
    assert transfer.json()["code"] == "lot.not_released"
    released = await client.post(f"/api/v1/lots/{lot}/release",
                                 headers=as_role("inspector", **key()))
    assert released.status_code == 200 and released.json()["quality_status"] == "released"
    assert (await _issue(client, as_role, lot, 5, item="RM-PCB-S300",
                         frm="RM-A-01-02")).status_code == 201


async def test_a_blocked_lot_may_only_be_moved_out_of_the_way(client, as_role):
    lot = await _grease(client, as_role)
    assert (await _issue(client, as_role, lot, 4)).status_code == 201
    blocked = await client.post(f"/api/v1/lots/{lot}/block", json={"reason_code": "HOLD-QA"},
                                headers=as_role("supervisor", **key()))
    assert blocked.status_code == 200 and blocked.json()["quality_status"] == "blocked"
    assert (await _issue(client, as_role, lot, 1)).json()["code"] == "lot.not_released"
    to_rack = await move(client, as_role, kind="transfer", item_code="RM-GREASE", lot_code=lot,
                         from_location_code="RM-A-02-01", to_location_code="RM-A-01-01",
                         quantity=1)
    assert to_rack.json()["code"] == "lot.not_released"
    # Off the line, into quarantine, into the scrap bin: all allowed.
    back = await move(client, as_role, kind="return", item_code="RM-GREASE", lot_code=lot,
                      from_location_code="WIP-L1", to_location_code="RM-A-02-01", quantity=4)
    assert back.status_code == 201, back.text
    cage = await move(client, as_role, kind="transfer", item_code="RM-GREASE", lot_code=lot,
                      from_location_code="RM-A-02-01", to_location_code="QA-HOLD", quantity=8)
    assert cage.status_code == 201, cage.text
    scrap = await move(client, as_role, kind="scrap", item_code="RM-GREASE", lot_code=lot,
                       from_location_code="QA-HOLD", to_location_code="SCRAP-01", quantity=8,
                       reason_code="SCR-MATERIAL")
    assert scrap.status_code == 201, scrap.text
    assert await at(client, as_role, "SCRAP-01", lot) == 8
    assert await at(client, as_role, "RM-A-02-01", lot) == 2
    assert await verify() == []


async def test_line_side_wip_may_go_negative_and_shows_up_for_reconciliation(client, as_role):
    lot = await _grease(client, as_role)
    assert (await _issue(client, as_role, lot, 2)).status_code == 201
    # The line hands back more than its issue booked (material came without a booking).
    response = await move(client, as_role, kind="return", item_code="RM-GREASE", lot_code=lot,
                          from_location_code="WIP-L1", to_location_code="RM-A-02-01",
                          quantity="2.5")
    assert response.status_code == 201, response.text
    assert await at(client, as_role, "WIP-L1", lot) == Decimal("-0.5")
    rows = (await client.get("/api/v1/stock/reconciliation",
                             headers=as_role("supervisor"))).json()
    assert [(r["line_code"], r["location_code"], r["item_code"], r["lot_code"], r["quantity"],
             r["unit"]) for r in rows] == [("L1", "WIP-L1", "RM-GREASE", lot, "-0.5", "KG")]
    assert await verify() == []


async def test_a_defective_return_splits_off_a_blocked_lot_linked_to_its_parent(client,
                                                                                as_role):
    lot = await _grease(client, as_role)
    assert (await _issue(client, as_role, lot, 5, work_order_code="WO-2026-00007")
            ).status_code == 201
    response = await move(client, as_role, kind="return", item_code="RM-GREASE", lot_code=lot,
                          from_location_code="WIP-L1", to_location_code="QA-HOLD",
                          quantity="1.5", defective=True, reason_code="RET-DEFECT",
                          work_order_code="WO-2026-00007", note="grease contaminated")
    assert response.status_code == 201, response.text
    body = response.json()
    child = body["to_lot_code"]
    assert child != lot and body["lot_code"] == lot
    assert await at(client, as_role, "WIP-L1", lot) == Decimal("3.5")
    assert await at(client, as_role, "QA-HOLD", child) == Decimal("1.5")
    assert await at(client, as_role, "QA-HOLD", lot) == 0
    split = (await client.get(f"/api/v1/lots/{child}", headers=as_role("inspector"))).json()
    assert (split["quality_status"], split["origin"], split["supplier_lot"],
            split["hold_reason"], split["quantity"]) == ("blocked", "split", "LX-T",
                                                         "RET-DEFECT", "1.5")
    assert "WIP-L1" in split["hold_note"] and "contaminated" in split["hold_note"]
    parent = (await client.get(f"/api/v1/lots/{lot}", headers=as_role("inspector"))).json()
    assert parent["quality_status"] == "released"  # the rest of the lot stays good
    assert await LotLink.count() >= 1
    rows = (await ledger(client, as_role, lot_code=child))["data"]
    assert [(r["kind"], r["lot_code"], r["to_lot_code"]) for r in rows] == [
        ("return", lot, child)]
    assert await verify() == []


async def test_leftover_return_goes_back_to_released_stock(client, as_role):
    lot = await _grease(client, as_role)
    await _issue(client, as_role, lot, 5)
    response = await move(client, as_role, kind="return", item_code="RM-GREASE", lot_code=lot,
                          from_location_code="WIP-L1", to_location_code="RM-A-02-01",
                          quantity=2, reason_code="RET-LEFTOVER")
    assert response.status_code == 201 and response.json()["to_lot_code"] == lot
    assert await at(client, as_role, "RM-A-02-01", lot) == 7
    assert (await _issue(client, as_role, lot, 7)).status_code == 201


async def test_finished_goods_leave_the_line_for_the_store(client, as_role):
    misc = await client.post("/api/v1/stock/misc", json={
        "direction": "in", "item_code": "FG-FAN-200", "location_code": "WIP-L1",
        "quantity": 12, "reason_code": "RET-LEFTOVER", "note": "found at the line"},
        headers=as_role("supervisor", **key()))
    assert misc.status_code == 201, misc.text
    assert misc.json()["kind"] == "misc_in" and misc.json()["lot_code"] is None
    response = await move(client, as_role, kind="finished_goods", item_code="FG-FAN-200",
                          from_location_code="WIP-L1", to_location_code="FG-01-01",
                          quantity=10, work_order_code="WO-2026-00003")
    assert response.status_code == 201, response.text
    assert await at(client, as_role, "FG-01-01", item="FG-FAN-200") == 10
    assert await at(client, as_role, "WIP-L1", item="FG-FAN-200") == 2
    wrong_way = await move(client, as_role, kind="finished_goods", item_code="FG-FAN-200",
                           from_location_code="FG-01-01", to_location_code="FG-01-02",
                           quantity=1)
    assert (wrong_way.status_code, wrong_way.json()["code"]) == (422, "stock.bad_location")


async def test_scrap_goes_to_a_scrap_location_or_is_written_off(client, as_role):
    lot = await _grease(client, as_role)
    to_rack = await move(client, as_role, kind="scrap", item_code="RM-GREASE", lot_code=lot,
                         from_location_code="RM-A-02-01", to_location_code="RM-A-01-01",
                         quantity=1)
    assert (to_rack.status_code, to_rack.json()["code"]) == (422, "stock.bad_location")
    wrong_reason = await move(client, as_role, kind="scrap", item_code="RM-GREASE",
                              lot_code=lot, from_location_code="RM-A-02-01", quantity=1,
                              reason_code="DT-BREAKDOWN")
    assert wrong_reason.json()["code"] == "reason.wrong_kind"
    written_off = await move(client, as_role, kind="scrap", item_code="RM-GREASE",
                             lot_code=lot, from_location_code="RM-A-02-01", quantity=1,
                             reason_code="SCR-MATERIAL")
    assert written_off.status_code == 201 and written_off.json()["to_location_code"] is None
    assert await at(client, as_role, "RM-A-02-01", lot) == 9
    row = (await ledger(client, as_role, lot_code=lot, kind="scrap"))["data"][0]
    assert (row["reason_code"], row["to_location_code"]) == ("SCR-MATERIAL", None)


async def test_misc_out_needs_a_supervisor_and_a_material_reason(client, as_role):
    lot = await _grease(client, as_role)
    body = {"direction": "out", "item_code": "RM-GREASE", "lot_code": lot,
            "location_code": "RM-A-02-01", "quantity": "0.5", "reason_code": "SCR-MATERIAL"}
    forbidden = await client.post("/api/v1/stock/misc", json=body,
                                  headers=as_role("operator", **key()))
    assert forbidden.status_code == 403
    andon = await client.post("/api/v1/stock/misc", json={**body, "reason_code": "AN-SAFETY"},
                              headers=as_role("supervisor", **key()))
    assert andon.json()["code"] == "reason.wrong_kind"
    no_lot = await client.post("/api/v1/stock/misc", json={**body, "lot_code": None},
                               headers=as_role("supervisor", **key()))
    assert no_lot.json()["code"] == "stock.lot_required"
    done = await client.post("/api/v1/stock/misc", json=body,
                             headers=as_role("supervisor", **key()))
    assert done.status_code == 201 and done.json()["kind"] == "misc_out"
    assert await at(client, as_role, "RM-A-02-01", lot) == Decimal("9.5")
    found = await client.post("/api/v1/stock/misc", json={
        "direction": "in", "item_code": "RM-GREASE", "location_code": "RM-A-02-01",
        "quantity": 1, "reason_code": "RET-LEFTOVER"}, headers=as_role("supervisor", **key()))
    assert found.status_code == 201 and found.json()["lot_code"] not in (None, lot)


async def test_moves_check_what_they_are_given(client, as_role):
    lot = await _grease(client, as_role)
    other = (await receive(client, as_role, item_code="RM-THREADLOCK", quantity=1,
                           location_code="RM-A-02-01"))["lot_code"]
    cases = [
        ({"kind": "issue", "item_code": "RM-GREASE", "lot_code": lot, "quantity": 1,
          "from_location_code": "RM-A-02-01", "to_location_code": "RM-A-01-01"},
         422, "stock.bad_location"),
        ({"kind": "issue", "item_code": "RM-GREASE", "quantity": 1,
          "from_location_code": "RM-A-02-01", "to_location_code": "WIP-L1"},
         422, "stock.lot_required"),
        ({"kind": "issue", "item_code": "RM-GREASE", "lot_code": other, "quantity": 1,
          "from_location_code": "RM-A-02-01", "to_location_code": "WIP-L1"},
         422, "stock.lot_item_mismatch"),
        ({"kind": "transfer", "item_code": "RM-GREASE", "lot_code": lot, "quantity": 1,
          "from_location_code": "RM-A-02-01", "to_location_code": "RM-A-02-01"},
         422, "stock.same_location"),
        ({"kind": "transfer", "item_code": "RM-GREASE", "lot_code": lot, "quantity": 1,
          "from_location_code": "RM-A-02-01"}, 422, "stock.location_required"),
        ({"kind": "return", "item_code": "RM-GREASE", "lot_code": lot, "quantity": 1,
          "from_location_code": "RM-A-02-01", "to_location_code": "RM-A-01-01"},
         422, "stock.bad_location"),
        ({"kind": "transfer", "item_code": "RM-GREASE", "lot_code": lot, "quantity": 1,
          "from_location_code": "RM-A-02-01", "to_location_code": "RM-A-01-01",
          "defective": True}, 422, "stock.defective_return"),
        ({"kind": "transfer", "item_code": "RM-GREASE", "lot_code": lot, "quantity": "0.0001",
          "from_location_code": "RM-A-02-01", "to_location_code": "RM-A-01-01"},
         422, "invalid.decimals"),
        ({"kind": "teleport", "item_code": "RM-GREASE", "quantity": 1,
          "from_location_code": "RM-A-02-01"}, 400, "request.invalid"),
    ]
    before = await Movement.count()
    for body, status, code in cases:
        response = await move(client, as_role, **body)
        assert (response.status_code, response.json()["code"]) == (status, code), body
    assert await Movement.count() == before
    for role in ("inspector", "planner", "maintainer"):
        response = await _issue(client, as_role, lot, 1, role=role)
        assert response.status_code == 403


async def test_a_replayed_move_moves_once(client, as_role):
    lot = await _grease(client, as_role)
    headers = as_role("operator", **key())
    body = {"kind": "issue", "item_code": "RM-GREASE", "lot_code": lot, "quantity": 3,
            "from_location_code": "RM-A-02-01", "to_location_code": "WIP-L1"}
    first = await client.post("/api/v1/stock/moves", json=body, headers=headers)
    again = await client.post("/api/v1/stock/moves", json=body, headers=headers)
    assert first.json() == again.json() and again.headers["Idempotent-Replayed"] == "true"
    assert await at(client, as_role, "WIP-L1", lot) == 3
