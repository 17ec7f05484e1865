"""Outsourcing one operation end to end: its material goes to the supplier's location, the
parts come back in partial receipts as that operation's good output (held for incoming
inspection), supplier scrap is recorded, and the next operation becomes available."""

from __future__ import annotations

from decimal import Decimal

from tests.api.inventory import at, ledger, verify
from tests.api.production import command, operation, released, report_passing_on

SUPPLIER = "SUP-ALUCAST"
AT_SUPPLIER = f"SUB-{SUPPLIER}"


async def _first_step_done(client, as_role, quantity=10, good=4):
    """A released FG-PUMP-100 order whose first step passed ``good`` parts on."""
    wo = await released(client, as_role, "FG-PUMP-100", quantity)
    await report_passing_on(client, as_role, wo["operations"][0]["id"], good)
    return wo


async def test_one_operation_goes_to_a_supplier_and_comes_back_as_its_output(client, as_role):
    wo = await _first_step_done(client, as_role)
    op20, op30 = wo["operations"][1], wo["operations"][2]
    sent = await command(client, as_role, "planner", f"/api/v1/work-orders/{wo['code']}/outsource",
                         {"supplier_code": SUPPLIER, "operation_seq": op20["seq"],
                          "quantity": 4})
    assert sent.status_code == 201, sent.text
    oso = sent.json()
    assert (oso["first_seq"], oso["last_seq"], oso["quantity"], oso["status"],
            oso["location_code"]) == (op20["seq"], op20["seq"], "4", "open", AT_SUPPLIER)
    # What operation 20 needs for 4 pumps (a shaft and an impeller each) went with them.
    assert {(m["item_code"], m["quantity"]) for m in oso["materials"]} == {
        ("SF-SHAFT-P100", "4"), ("RM-IMPELLER-P100", "4")}
    assert await at(client, as_role, AT_SUPPLIER, item="SF-SHAFT-P100") == 4
    moved = (await ledger(client, as_role, document_code=oso["code"]))["data"]
    assert {r["kind"] for r in moved} == {"outsource_out"}

    # A partial receipt: 3 good parts are operation 20's output, held for inspection.
    back = await command(client, as_role, "operator",
                         f"/api/v1/outsource-orders/{oso['code']}/receipts", {"good": 3})
    assert back.status_code == 201, back.text
    assert (back.json()["received"], back.json()["outstanding"], back.json()["status"]) == (
        "3", "1", "open")
    step = await operation(client, as_role, op20["id"])
    assert (Decimal(step["good"]), Decimal(step["held"])) == (3, 3)
    assert Decimal((await operation(client, as_role, op30["id"]))["available"]) == 0
    # The supplier used a shaft and an impeller for each part it made.
    assert await at(client, as_role, AT_SUPPLIER, item="SF-SHAFT-P100") == 1
    freed = await command(client, as_role, "supervisor",
                          f"/api/v1/operations/{op20['id']}/release-hold", {})
    assert freed.status_code == 200, freed.text
    assert Decimal((await operation(client, as_role, op30["id"]))["available"]) == 3

    # The last part was scrapped at the supplier: recorded with a reason, order closed.
    no_reason = await command(client, as_role, "operator",
                              f"/api/v1/outsource-orders/{oso['code']}/receipts", {"scrap": 1})
    assert no_reason.status_code == 422
    last = await command(client, as_role, "operator",
                         f"/api/v1/outsource-orders/{oso['code']}/receipts",
                         {"scrap": 1, "scrap_reason": "SCR-DIM"})
    assert last.status_code == 201, last.text
    assert (last.json()["scrapped"], last.json()["status"]) == ("1", "closed")
    assert Decimal((await operation(client, as_role, op20["id"]))["scrap"]) == 1
    assert await at(client, as_role, AT_SUPPLIER, item="SF-SHAFT-P100") == 0
    more = await command(client, as_role, "operator",
                         f"/api/v1/outsource-orders/{oso['code']}/receipts", {"good": 1})
    assert more.status_code == 409
    assert more.json()["code"] == "outsource.not_open"
    listed = await client.get(f"/api/v1/work-orders/{wo['code']}/outsource-orders",
                              headers=as_role("planner"))
    assert [o["code"] for o in listed.json()] == [oso["code"]]
    assert await verify() == []


async def test_work_that_began_here_or_is_not_there_cannot_be_sent(client, as_role):
    wo = await _first_step_done(client, as_role)
    op10, op20 = wo["operations"][0], wo["operations"][1]
    begun = await command(client, as_role, "planner", f"/api/v1/work-orders/{wo['code']}/outsource",
                          {"supplier_code": SUPPLIER, "operation_seq": op10["seq"],
                           "quantity": 1})
    assert begun.status_code == 409
    assert begun.json()["code"] == "outsource.operation_begun"
    too_many = await command(client, as_role, "planner",
                             f"/api/v1/work-orders/{wo['code']}/outsource",
                             {"supplier_code": SUPPLIER, "operation_seq": op20["seq"],
                              "quantity": 5})
    assert too_many.status_code == 409
    assert too_many.json()["code"] == "outsource.exceeds_available"
    customer = await command(client, as_role, "planner",
                             f"/api/v1/work-orders/{wo['code']}/outsource",
                             {"supplier_code": "CUS-NOPE", "operation_seq": op20["seq"],
                              "quantity": 1})
    assert customer.status_code == 422
    # Nothing was written by the refusals.
    assert (await client.get(f"/api/v1/work-orders/{wo['code']}/outsource-orders",
                             headers=as_role("planner"))).json() == []


async def test_receiving_more_than_is_out_is_refused_and_a_replay_changes_nothing(client,
                                                                                 as_role):
    wo = await _first_step_done(client, as_role)
    op20 = wo["operations"][1]
    oso = (await command(client, as_role, "supervisor",
                         f"/api/v1/work-orders/{wo['code']}/outsource",
                         {"supplier_code": SUPPLIER, "operation_seq": op20["seq"],
                          "quantity": 2})).json()
    over = await command(client, as_role, "operator",
                         f"/api/v1/outsource-orders/{oso['code']}/receipts", {"good": 3})
    assert over.status_code == 409
    assert over.json()["code"] == "outsource.exceeds_sent"
    headers = as_role("operator", **{"Idempotency-Key": "receipt-once"})
    path = f"/api/v1/outsource-orders/{oso['code']}/receipts"
    first = await client.post(path, json={"good": 1}, headers=headers)
    again = await client.post(path, json={"good": 1}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert Decimal((await operation(client, as_role, op20["id"]))["good"]) == 1


async def _reports(client, as_role, op_id: int) -> list[dict]:
    response = await client.get(f"/api/v1/operations/{op_id}/reports",
                                headers=as_role("operator"))
    assert response.status_code == 200, response.text
    return response.json()


async def test_voiding_a_receipt_puts_the_components_back_at_the_supplier(client, as_role):
    wo = await _first_step_done(client, as_role)
    op20 = wo["operations"][1]
    oso = (await command(client, as_role, "planner",
                         f"/api/v1/work-orders/{wo['code']}/outsource",
                         {"supplier_code": SUPPLIER, "operation_seq": op20["seq"],
                          "quantity": 4})).json()
    line_side = {item: await at(client, as_role, "WIP-L1", item=item)
                 for item in ("SF-SHAFT-P100", "RM-IMPELLER-P100")}
    back = await command(client, as_role, "operator",
                         f"/api/v1/outsource-orders/{oso['code']}/receipts", {"good": 3})
    assert back.status_code == 201, back.text
    assert await at(client, as_role, AT_SUPPLIER, item="SF-SHAFT-P100") == 1
    receipt = [r for r in await _reports(client, as_role, op20["id"]) if r["kind"] == "report"]
    assert len(receipt) == 1

    voided = await command(client, as_role, "supervisor",
                           f"/api/v1/reports/{receipt[0]['id']}/void",
                           {"reason": "the supplier's delivery note was wrong"})
    assert voided.status_code == 200, voided.text
    # What the supplier used for the 3 parts is back at the supplier, not at the line.
    for item in ("SF-SHAFT-P100", "RM-IMPELLER-P100"):
        assert await at(client, as_role, AT_SUPPLIER, item=item) == 4
        assert await at(client, as_role, "WIP-L1", item=item) == line_side[item]
    step = await operation(client, as_role, op20["id"])
    assert (Decimal(step["good"]), Decimal(step["held"])) == (0, 0)
    returned = [r for r in (await ledger(client, as_role, document_code=wo["code"],
                                         limit=200))["data"]
                if r["kind"] == "consume" and r["to_location_code"] is not None]
    assert returned and {r["to_location_code"] for r in returned} == {AT_SUPPLIER}
    assert await verify() == []
    # The 3 parts count as at the supplier again: the order expects all 4 back.
    order = (await client.get(f"/api/v1/outsource-orders/{oso['code']}",
                              headers=as_role("planner"))).json()
    assert (Decimal(order["received"]), Decimal(order["outstanding"]), order["status"]) == (
        0, 4, "open")
    again = await command(client, as_role, "operator",
                          f"/api/v1/outsource-orders/{oso['code']}/receipts", {"good": 4})
    assert again.status_code == 201, again.text
    assert again.json()["status"] == "closed"


async def test_voiding_a_receipt_sent_without_a_key_still_finds_the_supplier(client, as_role):
    wo = await _first_step_done(client, as_role)
    op20 = wo["operations"][1]
    oso = (await command(client, as_role, "planner",
                         f"/api/v1/work-orders/{wo['code']}/outsource",
                         {"supplier_code": SUPPLIER, "operation_seq": op20["seq"],
                          "quantity": 2})).json()
    back = await client.post(f"/api/v1/outsource-orders/{oso['code']}/receipts",
                             json={"good": 2}, headers=as_role("operator"))
    assert back.status_code == 201, back.text
    assert await at(client, as_role, AT_SUPPLIER, item="SF-SHAFT-P100") == 0
    receipt = next(r for r in await _reports(client, as_role, op20["id"])
                   if r["kind"] == "report")
    voided = await command(client, as_role, "supervisor",
                           f"/api/v1/reports/{receipt['id']}/void", {"reason": "wrong"})
    assert voided.status_code == 200, voided.text
    assert await at(client, as_role, AT_SUPPLIER, item="SF-SHAFT-P100") == 2
    assert await verify() == []
    order = (await client.get(f"/api/v1/outsource-orders/{oso['code']}",
                              headers=as_role("planner"))).json()
    assert (order["status"], Decimal(order["outstanding"])) == ("open", 2)


async def test_one_report_of_a_receipt_over_several_operations_cannot_be_voided(client,
                                                                                as_role):
    wo = await released(client, as_role, "FG-PUMP-100", 4)
    oso = (await command(client, as_role, "planner",
                         f"/api/v1/work-orders/{wo['code']}/outsource",
                         {"supplier_code": SUPPLIER, "quantity": 4})).json()
    assert oso["first_seq"] < oso["last_seq"]
    back = await command(client, as_role, "operator",
                         f"/api/v1/outsource-orders/{oso['code']}/receipts", {"good": 2})
    assert back.status_code == 201, back.text
    first = next(r for r in await _reports(client, as_role, wo["operations"][0]["id"])
                 if r["kind"] == "report")
    refused = await command(client, as_role, "supervisor", f"/api/v1/reports/{first['id']}/void",
                            {"reason": "wrong"})
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "report.outsourced_receipt"
    assert "cannot be voided" in refused.json()["detail"]
    step = await operation(client, as_role, wo["operations"][0]["id"])
    assert Decimal(step["good"]) == 2


async def test_a_supplier_using_more_than_was_sent_is_listed_for_reconciliation(client,
                                                                                as_role):
    wo = await _first_step_done(client, as_role, good=2)
    op20 = wo["operations"][1]
    # One shaft goes with two parts' work: the supplier's backflush takes two.
    oso = (await command(client, as_role, "planner",
                         f"/api/v1/work-orders/{wo['code']}/outsource",
                         {"supplier_code": SUPPLIER, "operation_seq": op20["seq"],
                          "quantity": 2,
                          "materials": [{"item_code": "SF-SHAFT-P100", "quantity": 1}]})
           ).json()
    back = await command(client, as_role, "operator",
                         f"/api/v1/outsource-orders/{oso['code']}/receipts", {"good": 2})
    assert back.status_code == 201, back.text
    assert await at(client, as_role, AT_SUPPLIER, item="SF-SHAFT-P100") == -1
    response = await client.get("/api/v1/stock/reconciliation", headers=as_role("supervisor"))
    assert response.status_code == 200, response.text
    rows = [r for r in response.json() if r["location_code"] == AT_SUPPLIER]
    shafts = next(r for r in rows if r["item_code"] == "SF-SHAFT-P100")
    assert (shafts["quantity"], shafts["location_kind"], shafts["line_code"]) == (
        "-1", "subcontract", None)
    # Impellers were never sent: the supplier used two it had no booking for.
    assert any(r["item_code"] == "RM-IMPELLER-P100" and r["quantity"] == "-2" for r in rows)
    assert await verify() == []
