"""Work reports move stock at the line: each report backflushes its operation's components
from the line-side WIP location (oldest lot first), the last output step produces the order's
output lot there with its genealogy, and a void puts it all back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from tests.api.inventory import at, ledger, move, receive, verify
from tests.api.production import command, key, released, report, report_passing_on

WIP = "WIP-L1"


def _in_days(days: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=days)).isoformat()


async def _issue(client, as_role, item: str, quantity, lot: str | None, frm: str, wo: str):
    response = await move(client, as_role, kind="issue", item_code=item, lot_code=lot,
                          from_location_code=frm, to_location_code=WIP, quantity=quantity,
                          work_order_code=wo)
    assert response.status_code == 201, response.text


async def _pump_order_with_material(client, as_role, quantity=10):
    """A released FG-PUMP-100 order (op 10 takes 1 housing, 2 bearings, 0.015 kg grease per
    pump) with bearings and two grease lots issued to line L1 against it."""
    wo = await released(client, as_role, "FG-PUMP-100", quantity)
    older = (await receive(client, as_role, item_code="RM-GREASE", quantity="1",
                           location_code="RM-A-02-01", supplier_lot="OLD"))["lot_code"]
    newer = (await receive(client, as_role, item_code="RM-GREASE", quantity="1",
                           location_code="RM-A-02-01", supplier_lot="NEW"))["lot_code"]
    await receive(client, as_role, item_code="RM-BEARING-608", quantity="100",
                  location_code="RM-A-01-01")
    await _issue(client, as_role, "RM-GREASE", "0.1", older, "RM-A-02-01", wo["code"])
    await _issue(client, as_role, "RM-GREASE", "1", newer, "RM-A-02-01", wo["code"])
    await _issue(client, as_role, "RM-BEARING-608", "20", None, "RM-A-01-01", wo["code"])
    return wo, older, newer


async def test_a_report_backflushes_components_oldest_lot_first(client, as_role):
    wo, older, newer = await _pump_order_with_material(client, as_role)
    op10 = wo["operations"][0]
    bearings_before = await at(client, as_role, WIP, item="RM-BEARING-608")
    response = await report(client, as_role, op10["id"], good=4, scrap=1)
    assert response.status_code == 201, response.text
    # 5 pumps made (good + scrap): 10 bearings, 0.075 kg grease, all from the older lot.
    assert await at(client, as_role, WIP, item="RM-BEARING-608") == bearings_before - 10
    assert await at(client, as_role, WIP, older) == Decimal("0.025")
    assert await at(client, as_role, WIP, newer) == Decimal("1")
    # 2 more: 0.03 kg grease, the last 0.025 of the older lot, then 0.005 of the newer one.
    assert (await report(client, as_role, op10["id"], good=2)).status_code == 201
    assert await at(client, as_role, WIP, older) == 0
    assert await at(client, as_role, WIP, newer) == Decimal("0.995")
    consumed = [(r["item_code"], r["lot_code"], r["quantity"]) for r in
                (await ledger(client, as_role, document_code=wo["code"], limit=100))["data"]
                if r["kind"] == "consume"]
    assert ("RM-GREASE", older, "0.075") in consumed
    assert ("RM-GREASE", older, "0.025") in consumed
    assert ("RM-GREASE", newer, "0.005") in consumed
    assert ("RM-BEARING-608", None, "10") in consumed
    assert await verify() == []


async def test_material_the_line_does_not_hold_is_consumed_into_negative_wip(client, as_role):
    wo, _, _ = await _pump_order_with_material(client, as_role)
    # No housings were issued: the report still counts, WIP goes negative and is listed.
    housings = await at(client, as_role, WIP, item="SF-HOUS-P100")
    assert (await report(client, as_role, wo["operations"][0]["id"], good=3)).status_code == 201
    assert await at(client, as_role, WIP, item="SF-HOUS-P100") == housings - 3
    response = await client.get("/api/v1/stock/reconciliation", headers=as_role("supervisor"))
    assert response.status_code == 200, response.text
    rows = response.json()
    rows = rows["data"] if isinstance(rows, dict) else rows
    assert any(r["item_code"] == "SF-HOUS-P100" and r["location_code"] == WIP
               and Decimal(r["quantity"]) < 0 for r in rows)
    assert await verify() == []


async def _through_every_step(client, as_role, wo, good) -> None:
    for op in wo["operations"]:
        await report_passing_on(client, as_role, op["id"], good)


async def test_output_goes_into_one_lot_per_order_with_its_genealogy(client, as_role):
    wo, older, newer = await _pump_order_with_material(client, as_role, quantity=4)
    await _through_every_step(client, as_role, wo, 2)
    produced = [r for r in (await ledger(client, as_role, document_code=wo["code"],
                                         limit=200))["data"] if r["kind"] == "produce"]
    assert len(produced) == 1 and produced[0]["quantity"] == "2"
    assert produced[0]["to_location_code"] == WIP
    output_lot = produced[0]["lot_code"]
    assert output_lot is not None
    # A second output report goes into the same lot.
    await _through_every_step(client, as_role, wo, 1)
    assert await at(client, as_role, WIP, output_lot) == 3
    lot = (await client.get(f"/api/v1/lots/{output_lot}", headers=as_role("planner"))).json()
    assert lot["item_code"] == "FG-PUMP-100" and lot["work_order_code"] == wo["code"]
    trace = await client.get(f"/api/v1/lots/{output_lot}/trace",
                             params={"direction": "backward"}, headers=as_role("planner"))
    assert trace.status_code == 200, trace.text
    assert older in trace.text
    forward = await client.get(f"/api/v1/lots/{older}/trace", params={"direction": "forward"},
                               headers=as_role("planner"))
    assert output_lot in forward.text
    assert await verify() == []


async def test_a_void_puts_components_back_and_takes_output_back(client, as_role):
    wo, older, _ = await _pump_order_with_material(client, as_role, quantity=2)
    op10 = wo["operations"][0]
    bearings = await at(client, as_role, WIP, item="RM-BEARING-608")
    reported = (await report(client, as_role, op10["id"], good=2)).json()
    assert await at(client, as_role, WIP, item="RM-BEARING-608") == bearings - 4
    voided = await command(client, as_role, "supervisor", f"/api/v1/reports/{reported['id']}/void",
                           {"reason": "counted twice"})
    assert voided.status_code in (200, 201), voided.text
    assert await at(client, as_role, WIP, item="RM-BEARING-608") == bearings
    assert await at(client, as_role, WIP, older) == Decimal("0.1")
    rows = (await ledger(client, as_role, document_code=wo["code"], limit=100))["data"]
    assert any(r["kind"] == "consume" and r["to_location_code"] == WIP for r in rows)
    assert await verify() == []


async def _trace(client, as_role, lot: str, direction: str) -> dict:
    response = await client.get(f"/api/v1/lots/{lot}/trace", params={"direction": direction},
                                headers=as_role("planner"))
    assert response.status_code == 200, response.text
    return response.json()


def _children(tree: dict) -> dict[str, str]:
    return {child["lot_code"]: child["quantity"] for child in tree["children"]}


async def test_a_void_takes_the_lots_it_put_back_out_of_the_trace(client, as_role):
    wo, older, newer = await _pump_order_with_material(client, as_role, quantity=10)
    op10 = wo["operations"][0]
    # 6 pumps: 0.09 kg grease from the older lot; 2 more: its last 0.01, then 0.02 newer.
    first = (await report(client, as_role, op10["id"], good=6)).json()
    second = (await report(client, as_role, op10["id"], good=2)).json()
    output_lot = next(iter(_children(await _trace(client, as_role, newer, "forward"))))
    assert _children(await _trace(client, as_role, output_lot, "backward")) == {
        older: "0.1", newer: "0.02"}

    voided = await command(client, as_role, "supervisor", f"/api/v1/reports/{second['id']}/void",
                           {"reason": "two pumps counted twice"})
    assert voided.status_code == 200, voided.text
    # The void put the newer lot's 0.02 back and 0.01 of the older one (most recent first):
    # the newer lot no longer went into the pumps, the older one went in with 0.09.
    assert await at(client, as_role, WIP, newer) == 1
    assert await at(client, as_role, WIP, older) == Decimal("0.01")
    assert _children(await _trace(client, as_role, output_lot, "backward")) == {older: "0.09"}
    assert _children(await _trace(client, as_role, newer, "forward")) == {}
    assert _children(await _trace(client, as_role, older, "forward")) == {output_lot: "0.09"}

    # Reported again (the older lot's last 0.01, then 0.02 newer), the newer lot is back in
    # the trace once, with what it gave this time.
    assert (await report(client, as_role, op10["id"], good=2)).status_code == 201
    assert _children(await _trace(client, as_role, output_lot, "backward")) == {
        older: "0.1", newer: "0.02"}
    # Voiding the first report puts back what it took, the older lot's 0.09, not whatever
    # was consumed last.
    voided = await command(client, as_role, "supervisor", f"/api/v1/reports/{first['id']}/void",
                           {"reason": "wrong order"})
    assert voided.status_code == 200, voided.text
    assert await at(client, as_role, WIP, older) == Decimal("0.09")
    assert await at(client, as_role, WIP, newer) == Decimal("0.98")
    assert _children(await _trace(client, as_role, output_lot, "backward")) == {
        older: "0.01", newer: "0.02"}
    assert await verify() == []


async def test_scan_to_consume_components_are_consumed_by_scanning_their_lot(client, as_role):
    # FG-SENS-300's first step backflushes its body and screws; its PCB (RM-PCB-S300) is
    # flagged scan to consume: the report leaves it alone, scanning a lot consumes it.
    wo = await released(client, as_role, "FG-SENS-300", 5)
    op = wo["operations"][0]
    pcb_lot = (await receive(client, as_role, item_code="RM-PCB-S300", quantity="10",
                             location_code="RM-A-01-02", supplier_lot="EB-1"))["lot_code"]
    released_lot = await command(client, as_role, "inspector",
                                 f"/api/v1/lots/{pcb_lot}/release")
    assert released_lot.status_code == 200, released_lot.text
    await _issue(client, as_role, "RM-PCB-S300", "5", pcb_lot, "RM-A-01-02", wo["code"])
    wip = (await client.get(f"/api/v1/operations/{op['id']}", headers=as_role("operator"))
           ).json()
    screws = await at(client, as_role, wip_of(wip), item="RM-SCREW-M3X8")
    assert (await report(client, as_role, op["id"], good=1)).status_code == 201
    assert await at(client, as_role, wip_of(wip), pcb_lot) == 5
    assert await at(client, as_role, wip_of(wip), item="RM-SCREW-M3X8") < screws

    consumed = await command(client, as_role, "operator",
                             f"/api/v1/operations/{op['id']}/consume", {"lot_code": pcb_lot})
    assert consumed.status_code == 201, consumed.text
    body = consumed.json()
    assert (body["item_code"], body["lot_code"], body["quantity"]) == ("RM-PCB-S300", pcb_lot,
                                                                       "1")
    assert await at(client, as_role, wip_of(wip), pcb_lot) == 4
    forward = await client.get(f"/api/v1/lots/{pcb_lot}/trace",
                               params={"direction": "forward"}, headers=as_role("planner"))
    assert body["output_lot_code"] in forward.text

    # A lot of a component the step backflushes (or does not use) is refused, with a reason.
    grease = (await receive(client, as_role, item_code="RM-GREASE", quantity="1",
                            location_code="RM-A-02-01"))["lot_code"]
    refused = await command(client, as_role, "operator",
                            f"/api/v1/operations/{op['id']}/consume", {"lot_code": grease})
    assert refused.status_code == 409
    assert refused.json()["code"] == "consume.not_a_scanned_component"
    assert await verify() == []


def wip_of(operation: dict) -> str:
    """The line-side location of the line an operation runs on (demo lines: WIP-<line>)."""
    return f"WIP-{operation['line']}"


async def test_pick_list_is_the_kit_minus_what_is_line_side_with_fefo_suggestions(client,
                                                                                  as_role):
    wo = await released(client, as_role, "FG-PUMP-100", 10)
    # Grease: 0.015 kg a pump = 0.15 kg. Two lots; the one expiring first is suggested first.
    late = (await receive(client, as_role, item_code="RM-GREASE", quantity="0.1",
                          location_code="RM-A-02-01", supplier_lot="LATE",
                          expires_on=_in_days(5)))["lot_code"]
    soon = (await receive(client, as_role, item_code="RM-GREASE", quantity="0.1",
                          location_code="RM-A-02-01", supplier_lot="SOON",
                          expires_on=_in_days(2)))["lot_code"]
    response = await client.get(f"/api/v1/work-orders/{wo['code']}/pick-list",
                                headers=as_role("operator"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["to_location_code"] == WIP
    grease = next(line for line in body["lines"] if line["item_code"] == "RM-GREASE")
    assert (grease["required"], grease["line_side"], grease["to_pick"]) == ("0.15", "0", "0.15")
    # Both expire before any demo lot: first expiry first, then the next, to cover 0.15.
    assert [(s["lot_code"], s["quantity"]) for s in grease["suggested"]] == [
        (soon, "0.1"), (late, "0.05")]
    bearings = next(line for line in body["lines"] if line["item_code"] == "RM-BEARING-608")
    assert bearings["required"] == "20"

    # Issuing the suggested lot against the order takes it off the list.
    await _issue(client, as_role, "RM-GREASE", "0.1", soon, "RM-A-02-01", wo["code"])
    again = (await client.get(f"/api/v1/work-orders/{wo['code']}/pick-list",
                              headers=as_role("operator"))).json()
    grease = next(line for line in again["lines"] if line["item_code"] == "RM-GREASE")
    assert (grease["line_side"], grease["to_pick"]) == ("0.1", "0.05")
    assert all(s["lot_code"] != soon for s in grease["suggested"])


async def test_pending_lots_are_never_suggested_and_drafts_have_no_pick_list(client, as_role):
    wo = await released(client, as_role, "FG-PUMP-100", 2)
    pending = (await receive(client, as_role, item_code="RM-HOUS-P100", quantity="50",
                             location_code="RM-A-01-01", supplier_lot="P"))["lot_code"]
    body = (await client.get(f"/api/v1/work-orders/{wo['code']}/pick-list",
                             headers=as_role("operator"))).json()
    suggested = [s["lot_code"] for line in body["lines"] for s in line["suggested"]]
    assert pending not in suggested
    draft = await client.post("/api/v1/work-orders", headers=as_role("planner"),
                              json={"item_code": "FG-PUMP-100", "quantity": 1})
    refused = await client.get(f"/api/v1/work-orders/{draft.json()['code']}/pick-list",
                               headers=as_role("operator"))
    assert refused.status_code == 409
    assert refused.json()["code"] == "pick_list.not_released"


async def test_the_queue_shows_an_operation_short_of_material_until_it_is_at_the_line(
        client, as_role):
    wo = await released(client, as_role, "FG-PUMP-100", 1)
    op10 = wo["operations"][0]
    station = (await client.get(f"/api/v1/operations/{op10['id']}",
                                headers=as_role("operator"))).json()["workstation"]

    async def entry():
        queue = (await client.get(f"/api/v1/workstations/{station}/queue",
                                  headers=as_role("operator"))).json()
        return next(e for e in queue["data"] if e["id"] == op10["id"])

    before = await entry()
    assert before["material"] == "short"
    assert "SF-HOUS-P100" in before["short_of"]
    for item, quantity in (("SF-HOUS-P100", "1"), ("RM-BEARING-608", "2")):
        await receive(client, as_role, item_code=item, quantity=quantity,
                      location_code="RM-A-01-01")
        await _issue(client, as_role, item, quantity, None, "RM-A-01-01", wo["code"])
    grease = (await receive(client, as_role, item_code="RM-GREASE", quantity="1",
                            location_code="RM-A-02-01"))["lot_code"]
    await _issue(client, as_role, "RM-GREASE", "0.015", grease, "RM-A-02-01", wo["code"])
    after = await entry()
    assert (after["material"], after["short_of"]) == ("ready", [])


async def _item_with_bom(client, as_role, code: str, lines: list[dict]) -> None:
    """A finished item made on the fan's route (line L1), with a BOM of ``lines``."""
    h = as_role("planner")
    item = await client.post("/api/v1/items", headers=h, json={
        "code": code, "name": code, "kind": "finished", "unit": "PCS", "route": "RT-FAN-200"})
    assert item.status_code == 201, item.text
    bom = await client.post("/api/v1/boms", headers=h, json={
        "code": f"BOM-{code}", "name": code, "item": code, "lines": lines})
    assert bom.status_code == 201, bom.text


async def test_a_bom_line_in_grams_is_consumed_and_picked_in_kilograms(client, as_role):
    # Engineering writes 15 g of grease a unit; the store keeps grease in kg (1 KG = 1000 G).
    await _item_with_bom(client, as_role, "FG-GREASED-1", [
        {"component": "RM-GREASE", "quantity": "15", "unit": "G", "operation_seq": 10},
        {"component": "RM-BEARING-608", "quantity": "2", "operation_seq": 10}])
    wo = await released(client, as_role, "FG-GREASED-1", 4)
    op10 = wo["operations"][0]
    material = {m["item_code"]: (m["required"], m["unit"]) for m in op10["materials"]}
    assert material == {"RM-GREASE": ("0.06", "KG"), "RM-BEARING-608": ("8", "PCS")}
    picks = (await client.get(f"/api/v1/work-orders/{wo['code']}/pick-list",
                              headers=as_role("operator"))).json()
    grease = next(line for line in picks["lines"] if line["item_code"] == "RM-GREASE")
    assert (grease["required"], grease["unit"], grease["to_pick"]) == ("0.06", "KG", "0.06")

    lot = (await receive(client, as_role, item_code="RM-GREASE", quantity="1",
                         location_code="RM-A-02-01"))["lot_code"]
    await _issue(client, as_role, "RM-GREASE", "1", lot, "RM-A-02-01", wo["code"])
    assert (await report(client, as_role, op10["id"], good=2)).status_code == 201
    # Two units took 30 g: 0.03 kg left the lot, not 30 kg.
    assert await at(client, as_role, WIP, lot) == Decimal("0.97")
    assert await verify() == []


async def test_a_bom_line_whose_unit_does_not_convert_stops_the_release(client, as_role):
    await _item_with_bom(client, as_role, "FG-GREASED-2", [
        {"component": "RM-GREASE", "quantity": "15", "unit": "MM", "operation_seq": 10}])
    draft = await client.post("/api/v1/work-orders", headers=as_role("planner"),
                              json={"item_code": "FG-GREASED-2", "quantity": 4})
    code = draft.json()["code"]
    refused = await command(client, as_role, "planner", f"/api/v1/work-orders/{code}/release")
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert problem["code"] == "work_order.bom_unit_unconvertible"
    assert problem["detail"] == (
        f"Work order {code} cannot be released: the BOM of FG-GREASED-2 takes 15 MM of "
        "RM-GREASE, which is kept in KG, and no conversion between MM and KG is known. Add "
        "one to unit MM or KG in master data, or give the BOM line the unit KG.")
    still = (await client.get(f"/api/v1/work-orders/{code}", headers=as_role("planner"))).json()
    assert (still["status"], still["operations"]) == ("draft", [])

    imported = await client.post("/api/v1/work-orders/import", params={"release": "true"},
                                 json=[{"item_code": "FG-FAN-200", "quantity": 1},
                                       {"item_code": "FG-GREASED-2", "quantity": 2}],
                                 headers=as_role("planner", **key()))
    assert imported.status_code == 422, imported.text
    assert imported.json()["code"] == "import.invalid_rows"
    [error] = imported.json()["errors"]
    assert (error["row"], error["field"]) == (2, "item_code")
    assert "no conversion between MM and KG" in error["message"]
    # Without release the drafts import: the units matter only once material is made.
    drafts = await client.post("/api/v1/work-orders/import",
                               json=[{"item_code": "FG-GREASED-2", "quantity": 2}],
                               headers=as_role("planner", **key()))
    assert drafts.status_code == 201, drafts.text
