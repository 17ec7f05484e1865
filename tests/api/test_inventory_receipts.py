"""Receiving: by item fields or by the supplier's GS1 label, lots pending when the item needs
incoming inspection, idempotent replays, and refusals that leave nothing behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from takt.inventory.tables import Lot, Movement, OnHand, Receipt
from tests.api.inventory import at, key, ledger, receive, verify


async def test_receipt_by_fields_makes_a_lot_and_a_receipt_movement(client, as_role):
    expires = (datetime.now(UTC).date() + timedelta(days=90)).isoformat()
    body = await receive(client, as_role, item_code="rm-grease", quantity="2.5",
                         location_code="RM-A-02-01", supplier_code="SUP-NORMTEIL",
                         supplier_lot="LX-9001", expires_on=expires, po_reference="PO-77")
    assert body["code"].startswith("RCV-") and body["lot_code"].startswith("LOT-")
    assert (body["item_code"], body["quantity"], body["unit"], body["quality_status"]) == (
        "RM-GREASE", "2.5", "KG", "released")
    assert (body["supplier_code"], body["supplier_lot"], body["expires_on"],
            body["po_reference"], body["received_by"]) == (
        "SUP-NORMTEIL", "LX-9001", expires, "PO-77", "operator")
    assert await at(client, as_role, "RM-A-02-01", lot=body["lot_code"]) == Decimal("2.5")
    rows = (await ledger(client, as_role, document_code=body["code"]))["data"]
    assert [(r["kind"], r["lot_code"], r["from_location_code"], r["to_location_code"],
             r["quantity"], r["user"]) for r in rows] == [
        ("receipt", body["lot_code"], None, "RM-A-02-01", "2.5", "operator")]
    lot = (await client.get(f"/api/v1/lots/{body['lot_code']}",
                            headers=as_role("inspector"))).json()
    assert (lot["receipt_code"], lot["po_reference"], lot["origin"], lot["on_hand"]) == (
        body["code"], "PO-77", "receipt", "2.5")
    read = (await client.get(f"/api/v1/receipts/{body['code']}",
                             headers=as_role("planner"))).json()
    assert read == body
    assert await verify() == []


async def test_an_item_flagged_for_incoming_inspection_lands_pending(client, as_role):
    body = await receive(client, as_role, item_code="RM-PCB-S300", quantity=10,
                         location_code="RM-DOCK")
    assert body["quality_status"] == "pending"
    item = (await client.get("/api/v1/items/RM-PCB-S300", headers=as_role("planner"))).json()
    assert item["incoming_inspection"] is True


async def test_receipt_by_gs1_element_string_finds_the_item_and_keeps_batch_expiry_serial(
        client, as_role):
    gs1 = "]C101095060001310161727063010SUPBATCH-8\x1d21SN43"
    body = await receive(client, as_role, gs1=gs1, quantity=4, location_code="RM-DOCK",
                         supplier_code="SUP-ALUCAST")
    assert (body["item_code"], body["supplier_lot"], body["expires_on"], body["serial"],
            body["gtin"]) == ("RM-HOUS-P100", "SUPBATCH-8", "2027-06-30", "SN43",
                              "09506000131016")
    assert body["quality_status"] == "pending"  # castings are inspected on arrival


async def test_receipt_by_gs1_digital_link_url(client, as_role):
    future = (datetime.now(UTC).date() + timedelta(days=400)).strftime("%y%m%d")
    link = f"https://id.gs1.org/01/09506000131030/10/EB-F200-9?17={future}"
    body = await receive(client, as_role, "supervisor", gs1=link, quantity="25",
                         location_code="RM-A-01-02")
    assert (body["item_code"], body["supplier_lot"], body["lot_code"] is not None) == (
        "RM-PCB-F200", "EB-F200-9", True)
    # The batch is now known: its supplier label resolves to the lot, not to the item.
    scanned = (await client.get("/api/v1/scan", params={"code": link},
                                headers=as_role("operator"))).json()
    assert (scanned["kind"], scanned["code"]) == ("LOT", body["lot_code"])
    assert scanned["gs1"]["batch"] == "EB-F200-9"


async def test_an_item_kept_without_lots_is_received_without_a_lot(client, as_role):
    before = await at(client, as_role, "RM-A-02-01", item="RM-SCREW-M3X8")
    body = await receive(client, as_role, item_code="RM-SCREW-M3X8", quantity=500,
                         location_code="RM-A-02-01")
    assert body["lot_code"] is None and body["quality_status"] == "released"
    assert await at(client, as_role, "RM-A-02-01", item="RM-SCREW-M3X8") == before + 500


async def test_a_replayed_receipt_answers_the_same_and_receives_nothing_twice(client, as_role):
    headers = as_role("operator", **key())
    body = {"item_code": "RM-CABLE-3X075", "quantity": "100", "location_code": "RM-B-02-01",
            "supplier_lot": "DR-9"}
    first = await client.post("/api/v1/receipts", json=body, headers=headers)
    again = await client.post("/api/v1/receipts", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    assert await Receipt.count().where(Receipt.code == first.json()["code"]) == 1
    assert await at(client, as_role, "RM-B-02-01", lot=first.json()["lot_code"]) == 100


async def test_bad_receipts_are_refused_with_a_sentence_and_leave_nothing(client, as_role):
    counts = (await Receipt.count(), await Lot.count(), await Movement.count(),
              await OnHand.count())
    yesterday = (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    cases = [
        ({"item_code": "NOPE", "quantity": 1, "location_code": "RM-DOCK"}, 422,
         "reference.unknown"),
        ({"quantity": 1, "location_code": "RM-DOCK"}, 422, "receipt.item_required"),
        ({"item_code": "RM-GREASE", "quantity": 0, "location_code": "RM-DOCK"}, 422,
         "invalid.quantity"),
        ({"item_code": "RM-HOUS-P100", "quantity": "1.5", "location_code": "RM-DOCK"}, 422,
         "invalid.decimals"),
        ({"item_code": "RM-GREASE", "quantity": 1, "location_code": "WIP-L1"}, 422,
         "stock.bad_location"),
        ({"item_code": "RM-GREASE", "quantity": 1, "location_code": "RM-DOCK",
          "expires_on": yesterday}, 422, "receipt.expired"),
        ({"item_code": "RM-GREASE", "quantity": 1, "location_code": "RM-DOCK",
          "supplier_code": "CUST-COOLTEC"}, 422, "party.not_a_supplier"),
        ({"gs1": "(01)09506000131993", "quantity": 1, "location_code": "RM-DOCK"}, 422,
         "receipt.unknown_gtin"),
        ({"gs1": "RM-A-01-01", "quantity": 1, "location_code": "RM-DOCK"}, 422,
         "receipt.not_gs1"),
        ({"gs1": "(01)09506000131016(10)B1", "item_code": "RM-GREASE", "quantity": 1,
          "location_code": "RM-DOCK"}, 422, "receipt.gs1_mismatch"),
        ({"gs1": "(01)09506000131016(10)B1", "supplier_lot": "B2", "quantity": 1,
          "location_code": "RM-DOCK"}, 422, "receipt.gs1_mismatch"),
    ]
    for body, status, code in cases:
        response = await client.post("/api/v1/receipts", json=body,
                                     headers=as_role("operator", **key()))
        assert response.status_code == status, (body, response.text)
        problem = response.json()
        assert problem["code"] == code, (body, problem)
        assert problem["detail"].endswith(".") and len(problem["detail"]) > 20
    assert (await Receipt.count(), await Lot.count(), await Movement.count(),
            await OnHand.count()) == counts


async def test_only_operators_supervisors_and_admins_receive(client, as_role):
    body = {"item_code": "RM-GREASE", "quantity": 1, "location_code": "RM-DOCK"}
    for role, status in (("inspector", 403), ("planner", 403), ("maintainer", 403),
                         ("admin", 201), ("supervisor", 201)):
        response = await client.post("/api/v1/receipts", json=body,
                                     headers=as_role(role, **key()))
        assert response.status_code == status, (role, response.text)


async def test_receipts_list_newest_first_by_item_and_by_supplier(client, as_role):
    first = await receive(client, as_role, item_code="RM-SCREW-M4X12", quantity=100,
                          location_code="RM-A-02-01", supplier_code="SUP-PACKWELL")
    last = await receive(client, as_role, item_code="RM-SCREW-M4X12", quantity=200,
                         location_code="RM-A-02-01", supplier_code="SUP-NORMTEIL")
    await receive(client, as_role, item_code="RM-GREASE", quantity=1,
                  location_code="RM-A-02-01", supplier_code="SUP-NORMTEIL")
    answer = await client.get("/api/v1/receipts", params={"item_code": "rm-screw-m4x12"},
                              headers=as_role("operator"))
    assert answer.status_code == 200, answer.text
    page = answer.json()
    assert [r["code"] for r in page["data"]][:2] == [last["code"], first["code"]]
    assert page["data"][0]["supplier_code"] == "SUP-NORMTEIL"  # the item's last supplier
    assert page["total"] == len(page["data"])
    assert {r["item_code"] for r in page["data"]} == {"RM-SCREW-M4X12"}
    by_supplier = (await client.get("/api/v1/receipts", params={
        "supplier_code": "SUP-PACKWELL", "limit": 500}, headers=as_role("planner"))).json()
    assert first["code"] in {r["code"] for r in by_supplier["data"]}
    assert {r["supplier_code"] for r in by_supplier["data"]} == {"SUP-PACKWELL"}
