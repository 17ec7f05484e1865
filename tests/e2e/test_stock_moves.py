"""Moving a lot on the handheld by scanning, from its page: a defective return from the line
arrives blocked in the store scanned (and goes back to its supplier), a finished lot is put
away from the line, a move the server refuses shows its sentence and can be sent again, a
supervisor's miscellaneous issue, and a shipment of finished lots (and what a customer sends
back of it)."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from tests.e2e.flows import scan, screenshot, sign_in_with_password


def _label(server, kind: str, code: str) -> str:
    return f"{server.url}/S/{kind}/{code}".upper()


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def _received_lot(server, item: str, quantity: int, location: str) -> str:
    """A new released lot of an item that needs no incoming inspection."""
    answer = server.api("operator").post("/api/v1/receipts", headers=_key(), json={
        "item_code": item, "quantity": quantity, "location_code": location,
        "supplier_code": "SUP-ELEKTRA"})
    assert answer.status_code == 201, answer.text
    assert answer.json()["quality_status"] == "released"
    return answer.json()["lot_code"]


def _move(server, **body) -> None:
    answer = server.api("operator").post("/api/v1/stock/moves", headers=_key(), json=body)
    assert answer.status_code == 201, answer.text


def _stock(server, lot: str) -> dict[str, float]:
    facts = server.api("admin").get(f"/api/v1/lots/{lot}").json()
    return {s["location_code"]: float(s["quantity"]) for s in facts["stock"]}


def _type_quantity(page: Page, digits: str) -> None:
    page.get_by_role("button", name="Type Quantity").click()
    for digit in digits:
        page.get_by_role("button", name=digit, exact=True).click()
    page.get_by_role("button", name="OK").click()


def test_a_defective_return_from_the_line_arrives_blocked_in_the_store_scanned(page, server):
    lot = _received_lot(server, "RM-CABLE-3X075", 30, "RM-B-02-01")
    _move(server, kind="issue", item_code="RM-CABLE-3X075", lot_code=lot,
          from_location_code="RM-B-02-01", to_location_code="WIP-L1", quantity=10)

    sign_in_with_password(page, "operator")
    scan(page, _label(server, "LOT", lot))
    expect(page.get_by_test_id("lot")).to_have_attribute("data-status", "released")
    # An operator may move stock, but not post miscellaneous movements (supervisors only).
    expect(page.get_by_test_id("lot-move-transfer")).to_be_visible()
    expect(page.get_by_test_id("lot-move-misc_in")).to_have_count(0)
    page.get_by_test_id("lot-move-return").click()

    move = page.get_by_test_id("move")
    expect(move).to_have_attribute("data-kind", "return")
    # Only the line holds stock to return: it is prefilled, with all that is there.
    expect(page.get_by_test_id("move-from-WIP-L1")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("move-from-RM-B-02-01")).to_have_count(0)
    expect(page.get_by_role("button", name="Type Quantity")).to_have_text("10")
    expect(page.get_by_test_id("move-confirm")).to_be_disabled()  # no destination yet
    page.get_by_test_id("move-defective").click()
    page.get_by_test_id("move-reason").select_option("RET-DEFECT")
    # A line-side location is no store: the scan is refused and nothing changes.
    scan(page, _label(server, "LOC", "WIP-L2"))
    expect(page.get_by_test_id("scan-banner")).to_have_attribute("data-ok", "false")
    expect(page.get_by_test_id("scan-banner")).to_contain_text("line-side")
    scan(page, _label(server, "LOC", "RM-A-01-01"))
    expect(page.get_by_test_id("move-to")).to_contain_text("RM-A-01-01")
    _type_quantity(page, "4")
    screenshot(page, "move-return-360")
    page.get_by_test_id("move-confirm").click()

    # Back on the lot's page: what happened, and where the lot's stock is now.
    done = page.get_by_test_id("move-done")
    expect(done).to_be_visible(timeout=10_000)
    expect(done).to_contain_text("4 M from WIP-L1 to RM-A-01-01")
    expect(done).to_contain_text("Blocked")
    expect(page.get_by_test_id("lot-stock")).to_contain_text("WIP-L1")
    expect(page.get_by_test_id("lot-stock").locator("li", has_text="WIP-L1")).to_contain_text("6 M")
    new_lot = done.get_attribute("data-to-lot")
    assert new_lot and new_lot != lot
    assert _stock(server, lot) == {"RM-B-02-01": 20, "WIP-L1": 6}

    # The defective metres are a new lot, blocked, in the store that was scanned.
    page.get_by_test_id("move-new-lot").click()
    expect(page.get_by_test_id("lot")).to_have_attribute("data-status", "blocked")
    expect(page.get_by_test_id("lot")).to_contain_text("Defective material returned")  # RET-DEFECT
    expect(page.get_by_test_id("lot-stock")).to_contain_text("RM-A-01-01")
    scan(page, _label(server, "LOC", "RM-A-01-01"))
    row = page.locator(f"[data-testid=stock-row][data-lot='{new_lot}']")
    expect(row).to_contain_text("4 M")
    expect(row).to_contain_text("Blocked")

    # Blocked, it can still go back to its supplier, from the store it is in.
    row.get_by_role("link", name=new_lot).click()
    page.get_by_test_id("lot-move-supplier_return").click()
    expect(page.get_by_test_id("move-from-RM-A-01-01")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("move-to")).to_have_count(0)  # it leaves the plant
    page.get_by_test_id("move-confirm").click()
    expect(page.get_by_test_id("move-done")).to_contain_text(
        "Return to supplier: 4 M from RM-A-01-01.", timeout=10_000)
    expect(page.get_by_test_id("lot-stock")).to_have_count(0)
    assert _stock(server, new_lot) == {}


def _finished_lot_at_the_line(server, quantity: int) -> tuple[str, str, str]:
    """An order of shafts made to the end: its output lot waits at the line side.
    Returns (work order, lot, line-side location)."""
    planner, operator = server.api("planner"), server.api("operator")
    created = planner.post("/api/v1/work-orders",
                           json={"item_code": "SF-SHAFT-P100", "quantity": quantity})
    assert created.status_code == 201, created.text
    code = created.json()["code"]
    planner.post(f"/api/v1/work-orders/{code}/release").raise_for_status()
    for op in planner.get(f"/api/v1/work-orders/{code}").json()["operations"]:
        operator.post(f"/api/v1/operations/{op['id']}/start", headers=_key()).raise_for_status()
        operator.post(f"/api/v1/operations/{op['id']}/reports", headers=_key(),
                      json={"good": quantity, "scrap": 0}).raise_for_status()
    lots = operator.get("/api/v1/lots", params={"item_code": "SF-SHAFT-P100"}).json()["data"]
    lot = next(entry["code"] for entry in lots
               if operator.get(f"/api/v1/lots/{entry['code']}").json()["work_order_code"] == code)
    [(line_side, held)] = _stock(server, lot).items()
    assert held == quantity
    return code, lot, line_side


def test_a_finished_lot_at_the_line_is_put_away_by_scanning_the_store(page, server):
    order, lot, line_side = _finished_lot_at_the_line(server, 3)
    sign_in_with_password(page, "operator")
    scan(page, _label(server, "LOT", lot))
    page.get_by_test_id("lot-move-finished_goods").click()
    expect(page.get_by_test_id("move")).to_have_attribute("data-kind", "finished_goods")
    expect(page.get_by_test_id(f"move-from-{line_side}")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Type Quantity")).to_have_text("3")
    scan(page, _label(server, "LOC", "FG-01-02"))
    expect(page.get_by_test_id("move-to")).to_contain_text("FG-01-02")
    page.get_by_test_id("move-confirm").click()

    expect(page.get_by_test_id("move-done")).to_contain_text(
        f"3 PCS from {line_side} to FG-01-02", timeout=10_000)
    stock = page.get_by_test_id("lot-stock")
    expect(stock).to_contain_text("FG-01-02")
    expect(stock).not_to_contain_text(line_side)
    # Put away, it is no more at the line: no return or put-away is offered now.
    expect(page.get_by_test_id("lot-move-finished_goods")).to_have_count(0)
    expect(page.get_by_test_id("lot-move-return")).to_have_count(0)
    ledger = server.api("admin").get("/api/v1/stock/ledger", params={
        "lot_code": lot, "kind": "finished_goods"}).json()["data"]
    assert [(m["document_code"], m["to_location_code"]) for m in ledger] == [(order, "FG-01-02")]

    # The next move of the same lot starts afresh (the last one's "done" does not send it back).
    page.get_by_test_id("lot-move-transfer").click()
    expect(page.get_by_test_id("move")).to_have_attribute("data-kind", "transfer")
    expect(page.get_by_test_id("move-from-FG-01-02")).to_have_attribute("aria-pressed", "true")
    scan(page, _label(server, "LOC", "FG-01-01"))
    page.get_by_test_id("move-confirm").click()
    expect(page.get_by_test_id("move-done")).to_contain_text(
        "Transfer: 3 PCS from FG-01-02 to FG-01-01.", timeout=10_000)
    assert _stock(server, lot) == {"FG-01-01": 3}


def test_a_move_the_server_refuses_shows_its_sentence_and_can_be_sent_again(page, server):
    lot = _received_lot(server, "RM-CABLE-3X075", 8, "RM-B-02-01")
    sign_in_with_password(page, "operator")
    page.goto(f"/r/LOT/{lot}")
    page.get_by_test_id("lot-move-transfer").click()
    expect(page.get_by_test_id("move-from-RM-B-02-01")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="Type Quantity")).to_have_text("8")
    scan(page, _label(server, "LOC", "RM-A-02-01"))
    expect(page.get_by_test_id("move-to")).to_contain_text("RM-A-02-01")
    # Meanwhile another handheld takes 5 of the 8 away.
    _move(server, kind="transfer", item_code="RM-CABLE-3X075", lot_code=lot,
          from_location_code="RM-B-02-01", to_location_code="RM-B-01-01", quantity=5)
    page.get_by_test_id("move-confirm").click()

    refusal = page.get_by_test_id("move-refused")
    expect(refusal).to_contain_text(
        f"RM-B-02-01 holds only 3 M of RM-CABLE-3X075 of lot {lot}; 8 M cannot be taken from it.",
        timeout=10_000)
    expect(page.get_by_test_id("outbox-badge")).to_have_attribute("data-attention", "1")
    screenshot(page, "move-refused-360")
    refusal.get_by_role("button", name="OK").click()
    expect(refusal).to_have_count(0)
    expect(page.get_by_test_id("outbox-badge")).to_have_attribute("data-attention", "0")
    # Read: the form stays, now offering what is there; sent again, it goes through.
    expect(page.get_by_role("button", name="Type Quantity")).to_have_text("3")
    page.get_by_test_id("move-confirm").click()
    expect(page.get_by_test_id("move-done")).to_contain_text(
        "3 M from RM-B-02-01 to RM-A-02-01", timeout=10_000)
    assert _stock(server, lot) == {"RM-B-01-01": 5, "RM-A-02-01": 3}


def test_a_move_made_offline_waits_in_the_outbox_and_lands_once(page, context, server):
    lot = _received_lot(server, "RM-CABLE-3X075", 6, "RM-B-02-01")
    sign_in_with_password(page, "operator")
    page.goto(f"/r/LOT/{lot}")
    page.get_by_test_id("lot-move-transfer").click()
    scan(page, _label(server, "LOC", "RM-A-01-02"))
    expect(page.get_by_test_id("move-to")).to_contain_text("RM-A-01-02")

    context.set_offline(True)
    page.get_by_test_id("move-confirm").click()
    expect(page.get_by_test_id("move-waiting")).to_be_visible()
    badge = page.get_by_test_id("outbox-badge")
    expect(badge).to_have_attribute("data-waiting", "1")
    assert _stock(server, lot) == {"RM-B-02-01": 6}
    # Back on the lot's page, it says the move waits.
    page.get_by_test_id("move-waiting").get_by_role("button", name="Back to the lot").click()
    expect(page.get_by_test_id("move-waiting")).to_contain_text("Waiting to be sent")

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_test_id("move-done")).to_contain_text(
        "Transfer: 6 M from RM-B-02-01 to RM-A-01-02.", timeout=20_000)
    expect(page.get_by_test_id("lot-stock")).to_contain_text("RM-A-01-02")
    expect(badge).to_have_attribute("data-waiting", "0")
    page.wait_for_timeout(1000)  # a duplicate send would land in this time
    ledger = server.api("admin").get("/api/v1/stock/ledger", params={
        "lot_code": lot, "kind": "transfer"}).json()["data"]
    assert len(ledger) == 1 and _stock(server, lot) == {"RM-A-01-02": 6}


def test_a_supervisor_posts_a_miscellaneous_issue_with_a_reason_code(page, server):
    lot = _received_lot(server, "RM-CABLE-3X075", 12, "RM-B-02-01")
    sign_in_with_password(page, "supervisor")
    page.goto(f"/r/LOT/{lot}")
    page.get_by_test_id("lot-move-misc_out").click()
    expect(page.get_by_role("button", name="Type Quantity")).to_have_text("12")
    _type_quantity(page, "2")
    # A miscellaneous movement needs its reason.
    expect(page.get_by_test_id("move-missing")).to_contain_text("reason code")
    expect(page.get_by_test_id("move-confirm")).to_be_disabled()
    page.get_by_test_id("move-reason").select_option("SCR-MATERIAL")
    page.get_by_test_id("move-confirm").click()
    expect(page.get_by_test_id("move-done")).to_contain_text(
        "Miscellaneous issue: 2 M from RM-B-02-01.", timeout=10_000)
    expect(page.get_by_test_id("lot-stock")).to_contain_text("10 M")
    ledger = server.api("admin").get("/api/v1/stock/ledger", params={
        "lot_code": lot, "kind": "misc_out"}).json()["data"]
    assert [(m["reason_code"], float(m["quantity"])) for m in ledger] == [("SCR-MATERIAL", 2)]


def test_finished_lots_ship_against_a_customer_order_by_scanning(page, server):
    _, lot, line_side = _finished_lot_at_the_line(server, 2)
    _move(server, kind="finished_goods", item_code="SF-SHAFT-P100", lot_code=lot,
          from_location_code=line_side, to_location_code="FG-01-01", quantity=2)
    reference = f"PO-E2E-{uuid.uuid4().hex[:6].upper()}"

    sign_in_with_password(page, "supervisor")
    page.get_by_test_id("home-ship").click()
    expect(page.get_by_test_id("ship")).to_be_visible()
    page.get_by_test_id("ship-reference").fill(reference)
    page.get_by_test_id("ship-reference").press("Enter")
    expect(page.get_by_test_id("ship-confirm")).to_be_disabled()  # no lot yet
    scan(page, _label(server, "LOT", lot))
    line = page.locator(f"[data-testid=ship-line][data-lot='{lot}']")
    expect(line).to_contain_text("FG-01-01")
    expect(line.get_by_role("button", name="Type Quantity")).to_have_text("2")
    page.get_by_test_id("ship-confirm").click()

    done = page.get_by_test_id("ship-done")
    expect(done).to_contain_text(reference, timeout=10_000)
    shipment = done.get_attribute("data-code")
    facts = server.api("admin").get(f"/api/v1/shipments/{shipment}").json()
    assert facts["customer_order_ref"] == reference
    assert [(entry["lot_code"], float(entry["quantity"])) for entry in facts["lines"]] == [(lot, 2)]
    assert _stock(server, lot) == {}

    # One comes back from the customer: received into quarantine as a new, blocked lot.
    expect(page.get_by_test_id("ship-confirm")).to_be_disabled()  # the shipping form is empty again
    page.goto(f"/r/LOT/{lot}")
    page.get_by_test_id("lot-move-customer_return").click()
    scan(page, _label(server, "LOC", "QA-HOLD"))
    expect(page.get_by_test_id("move-to")).to_contain_text("Arrives at QA-HOLD")
    page.get_by_role("button", name="More Quantity").click()
    page.get_by_test_id("move-confirm").click()
    done = page.get_by_test_id("move-done")
    expect(done).to_contain_text("Customer return: 1 PCS into QA-HOLD.", timeout=10_000)
    returned = done.get_attribute("data-to-lot")
    assert returned and returned != lot
    assert _stock(server, returned) == {"QA-HOLD": 1}
    assert server.api("admin").get(f"/api/v1/lots/{returned}").json()["quality_status"] == "blocked"


def _sensors_by_serial_in_store(server, quantity: int) -> tuple[str, list[str]]:
    """An order of serial-tracked sensors: every step reported, the last one by scanning
    each serial, the output lot put away in FG-01-01. Returns (lot, serials)."""
    planner, operator = server.api("planner"), server.api("operator")
    supervisor = server.api("supervisor")
    created = planner.post("/api/v1/work-orders",
                           json={"item_code": "FG-SENS-300", "quantity": quantity})
    assert created.status_code == 201, created.text
    code = created.json()["code"]
    planner.post(f"/api/v1/work-orders/{code}/release").raise_for_status()
    generated = planner.post(f"/api/v1/work-orders/{code}/serials", headers=_key(),
                             json={"count": quantity})
    assert generated.status_code == 201, generated.text
    serials = [entry["code"] for entry in generated.json()["generated"]]
    operations = planner.get(f"/api/v1/work-orders/{code}").json()["operations"]
    output_seq = max(op["seq"] for op in operations if op["counts_output"])
    for op in operations:
        operator.post(f"/api/v1/operations/{op['id']}/start", headers=_key()).raise_for_status()
        if op["seq"] == output_seq:
            for serial in serials:
                operator.post(f"/api/v1/operations/{op['id']}/serials", headers=_key(),
                              json={"serial": serial}).raise_for_status()
            break
        reported = operator.post(f"/api/v1/operations/{op['id']}/reports", headers=_key(),
                                 json={"good": quantity, "scrap": 0})
        reported.raise_for_status()
        if float(reported.json()["held"]) > 0:
            supervisor.post(f"/api/v1/operations/{op['id']}/release-hold", headers=_key(),
                            json={}).raise_for_status()
    lot = operator.get(f"/api/v1/serials/{serials[0]}").json()["lot_code"]
    [(line_side, _)] = _stock(server, lot).items()
    _move(server, kind="finished_goods", item_code="FG-SENS-300", lot_code=lot,
          from_location_code=line_side, to_location_code="FG-01-01", quantity=quantity)
    return lot, serials


def test_serial_tracked_units_ship_by_scanning_each_serial(page, server):
    lot, serials = _sensors_by_serial_in_store(server, 2)
    sign_in_with_password(page, "supervisor")
    page.get_by_test_id("home-ship").click()
    page.get_by_test_id("ship-reference").fill("PO-E2E-SN")
    page.get_by_test_id("ship-reference").press("Enter")
    # A serial's label brings its lot onto the shipment and counts one unit.
    scan(page, _label(server, "SN", serials[0]))
    line = page.locator(f"[data-testid=ship-line][data-lot='{lot}']")
    expect(line.get_by_test_id("ship-serials")).to_contain_text("Units by serial: 1")
    # The same serial again, past the repeat window: refused, and still counted once.
    scan(page, _label(server, "SN", serials[0]))
    expect(page.get_by_test_id("scan-banner")).to_have_attribute("data-ok", "false")
    expect(page.get_by_test_id("scan-banner")).to_contain_text("on the shipment already")
    expect(line.get_by_test_id("ship-serials")).to_contain_text("Units by serial: 1")
    scan(page, _label(server, "SN", serials[1]))
    expect(line.get_by_test_id("ship-serials")).to_contain_text("Units by serial: 2")
    expect(line.get_by_test_id("ship-serials")).to_contain_text(serials[1])
    screenshot(page, "ship-serials-360")
    page.get_by_test_id("ship-confirm").click()

    done = page.get_by_test_id("ship-done")
    expect(done).to_contain_text("PO-E2E-SN", timeout=10_000)
    facts = server.api("admin").get(f"/api/v1/shipments/{done.get_attribute('data-code')}").json()
    assert [(entry["lot_code"], float(entry["quantity"]), entry["serials"])
            for entry in facts["lines"]] == [(lot, 2, sorted(serials))]
    assert {server.api("admin").get(f"/api/v1/serials/{code}").json()["status"]
            for code in serials} == {"shipped"}
