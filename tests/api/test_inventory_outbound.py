"""Outbound: shipments take released stock out of the plant by lot; customer returns come
back as a new blocked lot split from the lot shipped; supplier returns send any stock back,
blocked stock included. Each document is its ledger movements, idempotent by key."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from takt.inventory.tables import (
    CustomerReturn,
    Lot,
    LotLink,
    Movement,
    OnHand,
    Shipment,
    ShipmentLine,
)
from tests.api.inventory import at, key, ledger, move, receive, verify

STORE = "RM-A-02-01"


async def _grease(client, as_role, quantity="10", supplier_lot="OUT-T") -> str:
    return (await receive(client, as_role, item_code="RM-GREASE", quantity=quantity,
                          location_code=STORE, supplier_code="SUP-NORMTEIL",
                          supplier_lot=supplier_lot))["lot_code"]


async def _fans(client, as_role, quantity="20", location="FG-01-01") -> None:
    await receive(client, as_role, item_code="FG-FAN-200", quantity=quantity,
                  location_code=location)


async def _post(client, as_role, path: str, body: dict[str, Any], role="operator"):
    return await client.post(path, json=body, headers=as_role(role, **key()))


def _shipment(lot: str, quantity: Any = 4, **extra: Any) -> dict[str, Any]:
    return {"customer_order_ref": "PO-CUST-778", "customer_code": "CUST-COOLTEC",
            "lines": [{"item_code": "RM-GREASE", "lot_code": lot, "from_location_code": STORE,
                       "quantity": quantity},
                      {"item_code": "FG-FAN-200", "from_location_code": "FG-01-01",
                       "quantity": 6}], **extra}


async def test_a_shipment_takes_each_line_out_of_the_plant_by_lot(client, as_role):
    lot = await _grease(client, as_role)
    await _fans(client, as_role)
    fans_before = await at(client, as_role, "FG-01-01", item="FG-FAN-200")
    response = await _post(client, as_role, "/api/v1/shipments", _shipment(lot, "4.5"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["code"].startswith("SHP-")
    assert (body["customer_order_ref"], body["customer_code"]) == ("PO-CUST-778",
                                                                   "CUST-COOLTEC")
    assert [(line["line_no"], line["item_code"], line["lot_code"], line["from_location_code"],
             line["quantity"], line["unit"]) for line in body["lines"]] == [
        (1, "RM-GREASE", lot, STORE, "4.5", "KG"),
        (2, "FG-FAN-200", None, "FG-01-01", "6", "PCS")]
    assert await at(client, as_role, STORE, lot) == Decimal("5.5")
    assert await at(client, as_role, "FG-01-01", item="FG-FAN-200") == fans_before - 6
    rows = (await ledger(client, as_role, document_code=body["code"]))["data"]
    assert {(r["kind"], r["document_type"], r["lot_code"], r["to_location_code"],
             r["quantity"]) for r in rows} == {
        ("shipment", "shipment", None, None, "6"), ("shipment", "shipment", lot, None, "4.5")}
    assert len(rows) == 2
    assert {line["movement_id"] for line in body["lines"]} == {r["id"] for r in rows}
    read = await client.get(f"/api/v1/shipments/{body['code'].lower()}",
                            headers=as_role("planner"))
    assert read.status_code == 200 and read.json() == body
    assert (await client.get("/api/v1/shipments/SHP-1999-00001",
                             headers=as_role("planner"))).json()["code"] == "shipment.not_found"
    assert await verify() == []


async def test_a_lot_not_released_does_not_ship_and_nothing_of_the_shipment_is_written(
        client, as_role):
    pending = (await receive(client, as_role, item_code="RM-PCB-F200", quantity=10,
                             location_code="RM-A-01-02"))["lot_code"]
    good = await _grease(client, as_role)
    await _fans(client, as_role)
    counts = (await Shipment.count(), await ShipmentLine.count(), await Movement.count())
    body = _shipment(good)
    body["lines"].append({"item_code": "RM-PCB-F200", "lot_code": pending,
                          "from_location_code": "RM-A-01-02", "quantity": 2})
    refused = await _post(client, as_role, "/api/v1/shipments", body)
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert (problem["code"], problem["quality_status"], problem["line"]) == (
        "lot.not_released", "pending", 3)
    assert problem["detail"].startswith("Line 3: ")
    too_much = await _post(client, as_role, "/api/v1/shipments", _shipment(good, "10.5"))
    assert too_much.status_code == 409 and too_much.json()["code"] == "stock.insufficient"
    assert too_much.json()["line"] == 1
    assert (await Shipment.count(), await ShipmentLine.count(), await Movement.count()) == \
        counts
    assert await at(client, as_role, STORE, good) == 10
    # No lines breaks the documented schema (a 400 before anything is looked up); the rest are
    # well-formed shipments that break a rule (422).
    cases = [
        ({**_shipment(good), "customer_code": "SUP-NORMTEIL"}, 422, "party.not_a_customer"),
        ({**_shipment(good), "lines": []}, 400, "request.invalid"),
        ({**_shipment(good), "customer_order_ref": "  "}, 422, "shipment.reference_required"),
        ({**_shipment(good), "lines": [{"item_code": "RM-GREASE", "from_location_code": STORE,
                                        "quantity": 1}]}, 422, "stock.lot_required"),
        ({**_shipment(good), "lines": [{"item_code": "FG-FAN-200", "quantity": 1,
                                        "from_location_code": "WIP-L1"}]},
         422, "stock.bad_location"),
    ]
    for case, status, problem_code in cases:
        response = await _post(client, as_role, "/api/v1/shipments", case)
        assert (response.status_code, response.json()["code"]) == (status, problem_code), \
            (case, response.text)
    assert (await Shipment.count(), await ShipmentLine.count(), await Movement.count()) == \
        counts
    assert await at(client, as_role, STORE, good) == 10
    # Released, the lot ships.
    assert (await client.post(f"/api/v1/lots/{pending}/release",
                              headers=as_role("inspector", **key()))).status_code == 200
    assert (await _post(client, as_role, "/api/v1/shipments", body)).status_code == 201
    assert await verify() == []


async def test_a_customer_return_arrives_as_a_new_blocked_lot_split_from_the_lot_shipped(
        client, as_role):
    lot = await _grease(client, as_role)
    await _fans(client, as_role)
    shipment = (await _post(client, as_role, "/api/v1/shipments", _shipment(lot))).json()
    response = await _post(client, as_role, "/api/v1/customer-returns", {
        "item_code": "RM-GREASE", "quantity": "1.5", "location_code": "QA-HOLD",
        "shipment_code": shipment["code"], "reason_code": "RET-DEFECT",
        "note": "Lumps in the grease"})
    assert response.status_code == 201, response.text
    back = response.json()
    assert back["code"].startswith("CRT-")
    # The lot was found on the shipment; the customer too.
    assert (back["original_lot_code"], back["customer_code"], back["quality_status"],
            back["location_code"], back["quantity"], back["reason_code"]) == (
        lot, "CUST-COOLTEC", "blocked", "QA-HOLD", "1.5", "RET-DEFECT")
    child = back["lot_code"]
    assert child != lot
    returned = (await client.get(f"/api/v1/lots/{child}", headers=as_role("planner"))).json()
    assert (returned["origin"], returned["quality_status"], returned["hold_reason"],
            returned["supplier_lot"], returned["supplier_code"]) == (
        "customer_return", "blocked", "RET-DEFECT", "OUT-T", "SUP-NORMTEIL")
    assert shipment["code"] in returned["hold_note"]
    assert await at(client, as_role, "QA-HOLD", child) == Decimal("1.5")
    # The good stock of the lot shipped stays released and usable.
    original = (await client.get(f"/api/v1/lots/{lot}", headers=as_role("planner"))).json()
    assert original["quality_status"] == "released"
    rows = (await ledger(client, as_role, document_code=back["code"]))["data"]
    assert [(r["kind"], r["lot_code"], r["to_lot_code"], r["from_location_code"],
             r["to_location_code"]) for r in rows] == [
        ("customer_return", lot, child, None, "QA-HOLD")]
    link = await LotLink.select(LotLink.kind, LotLink.quantity).where(
        LotLink.child.code == child).first()
    assert link is not None and link["kind"] == "split" and Decimal(link["quantity"]) == \
        Decimal("1.5")
    forward = await client.get(f"/api/v1/lots/{lot}/trace", params={"direction": "forward"},
                               headers=as_role("planner"))
    assert child in forward.text
    # Blocked: it cannot go to a line until returns inspection releases it.
    issue = await move(client, as_role, kind="issue", item_code="RM-GREASE", lot_code=child,
                       from_location_code="QA-HOLD", to_location_code="WIP-L1", quantity=1)
    assert issue.status_code == 409 and issue.json()["code"] == "lot.not_released"
    # No more comes back against the shipment than it sent (4 kg, 1.5 back already).
    too_much = await _post(client, as_role, "/api/v1/customer-returns", {
        "item_code": "RM-GREASE", "lot_code": lot, "quantity": "2.6",
        "location_code": "QA-HOLD", "shipment_code": shipment["code"]})
    assert too_much.status_code == 422, too_much.text
    assert (too_much.json()["code"], too_much.json()["available"]) == (
        "customer_return.more_than_shipped", "2.5")
    assert (await _post(client, as_role, "/api/v1/customer-returns", {
        "item_code": "RM-GREASE", "lot_code": lot, "quantity": "2.5",
        "location_code": "QA-HOLD", "shipment_code": shipment["code"]})).status_code == 201
    read = await client.get(f"/api/v1/customer-returns/{back['code']}",
                            headers=as_role("inspector"))
    assert read.status_code == 200 and read.json() == back
    assert await verify() == []


async def test_customer_returns_that_do_not_match_are_refused_and_leave_nothing(client,
                                                                                as_role):
    lot = await _grease(client, as_role)
    other = await _grease(client, as_role, supplier_lot="OTHER")
    await _fans(client, as_role)
    shipment = (await _post(client, as_role, "/api/v1/shipments", _shipment(lot))).json()
    counts = (await Lot.count(), await Movement.count(), await CustomerReturn.count(),
              await OnHand.count())
    base = {"item_code": "RM-GREASE", "quantity": 1, "location_code": "QA-HOLD"}
    cases = [
        ({**base, "lot_code": other, "shipment_code": shipment["code"]},
         "customer_return.not_shipped"),
        ({**base, "item_code": "RM-THREADLOCK", "shipment_code": shipment["code"]},
         "customer_return.not_shipped"),
        ({**base, "shipment_code": shipment["code"], "customer_code": "CUST-SCHALTWERK"},
         "customer_return.wrong_customer"),
        ({**base, "shipment_code": "SHP-1999-00001"}, "reference.unknown"),
        ({**base, "location_code": "WIP-L1"}, "stock.bad_location"),
        ({**base, "reason_code": "SCR-DIM"}, "reason.wrong_kind"),
        ({**base, "customer_code": "SUP-ALUCAST"}, "party.not_a_customer"),
    ]
    for body, problem in cases:
        response = await _post(client, as_role, "/api/v1/customer-returns", body)
        assert (response.status_code, response.json()["code"]) == (422, problem), body
    assert (await Lot.count(), await Movement.count(), await CustomerReturn.count(),
            await OnHand.count()) == counts
    # Without a shipment, a return of an item kept without lots still arrives blocked.
    fans = await _post(client, as_role, "/api/v1/customer-returns", {
        "item_code": "FG-FAN-200", "quantity": 2, "location_code": "QA-HOLD",
        "customer_code": "CUST-SCHALTWERK"})
    assert fans.status_code == 201, fans.text
    assert fans.json()["quality_status"] == "blocked" and fans.json()["original_lot_code"] is None
    assert await at(client, as_role, "QA-HOLD", fans.json()["lot_code"]) == 2
    assert await verify() == []


async def test_blocked_stock_goes_back_to_its_supplier(client, as_role):
    lot = await _grease(client, as_role)
    blocked = await client.post(f"/api/v1/lots/{lot}/block", json={"reason_code": "HOLD-QA"},
                                headers=as_role("inspector", **key()))
    assert blocked.status_code == 200
    response = await _post(client, as_role, "/api/v1/supplier-returns", {
        "item_code": "RM-GREASE", "lot_code": lot, "quantity": 7, "from_location_code": STORE,
        "reason_code": "RET-DEFECT", "note": "Wrong viscosity"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["code"].startswith("SRT-")
    # The supplier is the lot's.
    assert (body["supplier_code"], body["quality_status"], body["quantity"],
            body["from_location_code"]) == ("SUP-NORMTEIL", "blocked", "7", STORE)
    assert await at(client, as_role, STORE, lot) == 3
    rows = (await ledger(client, as_role, document_code=body["code"]))["data"]
    assert [(r["kind"], r["lot_code"], r["from_location_code"], r["to_location_code"],
             r["quantity"], r["reason_code"]) for r in rows] == [
        ("supplier_return", lot, STORE, None, "7", "RET-DEFECT")]
    too_much = await _post(client, as_role, "/api/v1/supplier-returns", {
        "item_code": "RM-GREASE", "lot_code": lot, "quantity": 4, "from_location_code": STORE})
    assert too_much.status_code == 409 and too_much.json()["code"] == "stock.insufficient"
    to_a_customer = await _post(client, as_role, "/api/v1/supplier-returns", {
        "item_code": "RM-GREASE", "lot_code": lot, "quantity": 1, "from_location_code": STORE,
        "supplier_code": "CUST-COOLTEC"})
    assert to_a_customer.status_code == 422
    assert to_a_customer.json()["code"] == "party.not_a_supplier"
    # Stock without a lot and without a named supplier: say who gets it.
    await _fans(client, as_role)
    anonymous = await _post(client, as_role, "/api/v1/supplier-returns", {
        "item_code": "FG-FAN-200", "quantity": 1, "from_location_code": "FG-01-01"})
    assert anonymous.status_code == 422
    assert anonymous.json()["code"] == "supplier_return.supplier_required"
    read = await client.get(f"/api/v1/supplier-returns/{body['code']}",
                            headers=as_role("maintainer"))
    assert read.status_code == 200 and read.json() == body
    assert await verify() == []


async def test_replayed_outbound_commands_act_once(client, as_role):
    lot = await _grease(client, as_role)
    await _fans(client, as_role)
    headers = as_role("operator", **key())
    first = await client.post("/api/v1/shipments", json=_shipment(lot), headers=headers)
    again = await client.post("/api/v1/shipments", json=_shipment(lot), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert await Shipment.count().where(Shipment.code == first.json()["code"]) == 1
    assert await at(client, as_role, STORE, lot) == 6
    body = {"item_code": "RM-GREASE", "quantity": 1, "location_code": "QA-HOLD",
            "shipment_code": first.json()["code"]}
    headers = as_role("operator", **key())
    lots = await Lot.count()
    back = await client.post("/api/v1/customer-returns", json=body, headers=headers)
    back_again = await client.post("/api/v1/customer-returns", json=body, headers=headers)
    assert back.status_code == back_again.status_code == 201
    assert back_again.json() == back.json()
    assert await Lot.count() == lots + 1
    body = {"item_code": "RM-GREASE", "lot_code": lot, "quantity": 2,
            "from_location_code": STORE, "supplier_code": "SUP-NORMTEIL"}
    headers = as_role("supervisor", **key())
    sent = await client.post("/api/v1/supplier-returns", json=body, headers=headers)
    sent_again = await client.post("/api/v1/supplier-returns", json=body, headers=headers)
    assert sent.status_code == sent_again.status_code == 201
    assert sent_again.headers["Idempotent-Replayed"] == "true"
    assert await at(client, as_role, STORE, lot) == 4
    assert await verify() == []
