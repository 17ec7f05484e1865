"""Work reports move stock at the line: each report backflushes its operation's components
from the line-side WIP location (oldest lot first), the last output step produces the order's
output lot there with its genealogy, and a void puts it all back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from tests.api.inventory import at, ledger, move, receive, verify
from tests.api.production import command, released, report, report_passing_on

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
