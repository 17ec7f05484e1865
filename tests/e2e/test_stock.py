"""Stock on the handheld: receiving by the supplier's label, the lot a scan lands on, picking a
work order's material to its line by scanning, and a lot's trace."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.flows import scan, screenshot, sign_in_with_password


def _label(server, kind: str, code: str) -> str:
    return f"{server.url}/S/{kind}/{code}".upper()


def _released_lot(server, item: str, supplier_lot: str | None = None) -> dict:
    params = {"item_code": item, "quality_status": "released",
              **({"q": supplier_lot} if supplier_lot else {})}
    lots = server.api("admin").get("/api/v1/lots", params=params)
    lots.raise_for_status()
    assert lots.json()["data"], f"the demo has no released lot of {item}"
    return lots.json()["data"][0]


def test_a_supplier_label_and_a_location_scan_receive_a_lot_that_waits_for_inspection(
        page, server, browser):
    expiry = date.today() + timedelta(days=400)
    sign_in_with_password(page, "operator")
    # The supplier's label, scanned from any screen, names the item; receiving starts there
    # with the label's batch and expiry filled in.
    scan(page, f"(01)09506000131016(10)E2E-RCV-1(17){expiry:%y%m%d}")
    expect(page).to_have_url("/r/ITEM/RM-HOUS-P100")
    page.get_by_test_id("action-receive_lot").click()
    expect(page.get_by_test_id("receive")).to_be_visible()
    expect(page.get_by_test_id("receive-supplier-lot")).to_have_value("E2E-RCV-1")
    expect(page.get_by_test_id("receive-expiry")).to_have_value(expiry.isoformat())
    expect(page.get_by_test_id("receive-item")).to_have_value("RM-HOUS-P100")
    page.get_by_label("Supplier", exact=True).select_option("SUP-ALUCAST")

    page.get_by_role("button", name="Type Quantity").click()
    for digit in "24":
        page.get_by_role("button", name=digit, exact=True).click()
    page.get_by_role("button", name="OK").click()
    expect(page.get_by_test_id("receive-submit")).to_be_disabled()  # no location yet
    scan(page, _label(server, "LOC", "RM-A-01-02"))
    expect(page.get_by_test_id("receive-location")).to_contain_text("RM-A-01-02")
    page.get_by_test_id("receive-submit").click()

    done = page.get_by_test_id("receipt-done")
    expect(done).to_be_visible(timeout=10_000)
    expect(done).to_contain_text("Waits for incoming inspection")
    expect(page.get_by_test_id("receipt-print")).to_be_visible()
    lot_code = page.get_by_test_id("receipt-lot").inner_text()
    screenshot(page, "receive-360")

    page.get_by_test_id("receipt-lot").click()
    lot = page.get_by_test_id("lot")
    expect(lot).to_have_attribute("data-status", "pending")
    expect(page.get_by_test_id("supplier-lot")).to_have_text("E2E-RCV-1")
    expect(page.get_by_test_id("on-hand")).to_have_text("24 PCS")
    expect(page.get_by_test_id("lot-stock")).to_contain_text("RM-A-01-02")
    # An operator may not release it: that is the inspector's.
    expect(page.get_by_test_id("lot-release")).to_have_count(0)
    screenshot(page, "lot-360")

    # The location's label shows what is there now, the new lot among it.
    scan(page, _label(server, "LOC", "RM-A-01-02"))
    row = page.locator(f"[data-testid=stock-row][data-lot='{lot_code}']")
    expect(row).to_contain_text("24 PCS")
    expect(row).to_contain_text("Awaiting inspection")

    # The inspector, on another handheld, scans the lot label and releases it.
    other = browser.new_context(base_url=server.url, viewport={"width": 360, "height": 780},
                                locale="en-US")
    inspector = other.new_page()
    sign_in_with_password(inspector, "inspector")
    scan(inspector, _label(server, "LOT", lot_code))
    expect(inspector.get_by_test_id("lot")).to_have_attribute("data-status", "pending")
    inspector.get_by_test_id("lot-release").click()
    inspector.get_by_test_id("release-confirm").click()
    expect(inspector.get_by_test_id("lot")).to_have_attribute("data-status", "released")
    # Shown at once; once the outbox has sent it, the server's copy says so too.
    expect(inspector.get_by_test_id("outbox-badge")).to_have_attribute("data-waiting", "0")
    inspector.reload()
    expect(inspector.get_by_test_id("lot")).to_have_attribute("data-status", "released")
    other.close()


def test_blocking_a_lot_asks_why(page, server):
    lot = _released_lot(server, "RM-PCB-F200")
    sign_in_with_password(page, "inspector")
    scan(page, _label(server, "LOT", lot["code"]))
    page.get_by_test_id("lot-block").click()
    expect(page.get_by_test_id("block-confirm")).to_be_disabled()
    page.get_by_test_id("hold-reason").select_option("HOLD-QA")
    page.get_by_test_id("block-confirm").click()
    expect(page.get_by_test_id("lot")).to_have_attribute("data-status", "blocked")
    page.reload()
    expect(page.get_by_test_id("lot")).to_have_attribute("data-status", "blocked")
    expect(page.get_by_test_id("lot-blocked")).to_contain_text("Quality hold")
    expect(page.get_by_test_id("lot")).not_to_contain_text("HOLD-QA")
    # Put it back for the other tests.
    page.get_by_test_id("lot-release").click()
    page.get_by_test_id("release-confirm").click()
    expect(page.get_by_test_id("lot")).to_have_attribute("data-status", "released")


def _released_order(server, item: str, quantity: int) -> str:
    planner = server.api("planner")
    created = planner.post("/api/v1/work-orders", json={"item_code": item, "quantity": quantity})
    created.raise_for_status()
    code = created.json()["code"]
    planner.post(f"/api/v1/work-orders/{code}/release").raise_for_status()
    return code


def test_picking_by_scanning_location_and_lot_issues_to_the_line(page, server):
    code = _released_order(server, "FG-PUMP-100", 3)
    api = server.api("operator")
    answer = api.get(f"/api/v1/work-orders/{code}/pick-list")
    assert answer.status_code == 200, answer.text
    answer.raise_for_status()
    pick_list = answer.json()
    line = next(entry for entry in pick_list["lines"]
                if float(entry["to_pick"]) > 0 and entry["suggested"]
                and entry["suggested"][0]["lot_code"])
    item, before = line["item_code"], float(line["to_pick"])
    first = line["suggested"][0]
    taken = min(float(first["quantity"]), before)

    sign_in_with_password(page, "operator")
    page.goto(f"/r/WO/{code}")
    page.get_by_test_id("pick-material").click()
    expect(page.get_by_test_id("pick")).to_have_attribute("data-wo", code)
    page.get_by_test_id(f"pick-line-{item}").click()
    guide = page.get_by_test_id("pick-guide")
    expect(guide).to_have_attribute("data-item", item)
    expect(page.get_by_test_id("pick-instruction")).to_contain_text(first["location_code"])
    expect(page.get_by_test_id("pick-instruction")).to_contain_text(first["lot_code"])

    # The hint names the next scan: the location, then the lot; then the quantity.
    expect(page.get_by_test_id("pick-instruction")).to_contain_text(
        f"Scan location {first['location_code']}")
    scan(page, _label(server, "LOC", first["location_code"]))
    expect(guide).to_have_attribute("data-stage", "lot")
    scan(page, _label(server, "LOT", first["lot_code"]))
    expect(guide).to_have_attribute("data-stage", "quantity")
    expect(page.get_by_role("button", name="Type Quantity")).to_have_text(f"{taken:g}")
    screenshot(page, "pick-360")
    page.get_by_test_id("pick-issue").click()

    expect(page.get_by_test_id(f"pick-line-{item}")).to_have_attribute(
        "data-to-pick", f"{before - taken:g}", timeout=10_000)
    # The server agrees once the issue is in: the line's to_pick went down by what was issued.
    page.wait_for_function("() => !document.querySelector('[data-testid=pick] .note')",
                           timeout=10_000)
    after = next(entry for entry in api.get(f"/api/v1/work-orders/{code}/pick-list").json()["lines"]
                 if entry["item_code"] == item)
    assert float(after["to_pick"]) == pytest.approx(before - taken)
    ledger = api.get("/api/v1/stock/ledger", params={"document_code": code, "kind": "issue"}).json()
    assert [(m["lot_code"], m["to_location_code"]) for m in ledger["data"]] == [
        (first["lot_code"], pick_list["to_location_code"])]


def test_an_issue_the_server_refuses_shows_its_sentence_and_leaves_the_line_as_it_was(page, server):
    code = _released_order(server, "FG-FAN-200", 2)
    api = server.api("operator")
    answer = api.get(f"/api/v1/work-orders/{code}/pick-list")
    assert answer.status_code == 200, answer.text
    line = next(entry for entry in answer.json()["lines"]
                if float(entry["to_pick"]) > 0 and entry["suggested"]
                and entry["suggested"][0]["lot_code"])
    item, lot = line["item_code"], line["suggested"][0]["lot_code"]
    sign_in_with_password(page, "operator")
    page.goto(f"/pick/{code}")
    page.get_by_test_id(f"pick-line-{item}").click()
    # The lot is not at the receiving dock: the handheld takes the scans with a note, the
    # server refuses the issue.
    scan(page, _label(server, "LOC", "RM-DOCK"))
    scan(page, _label(server, "LOT", lot))
    expect(page.get_by_test_id("pick-note")).to_contain_text("check that it is really here")
    page.get_by_test_id("pick-issue").click()
    refusal = page.get_by_test_id("pick-refusal")
    expect(refusal).to_contain_text(f"RM-DOCK holds none of {item}", timeout=10_000)
    badge = page.get_by_test_id("outbox-badge")
    expect(badge).to_have_attribute("data-attention", "1")
    expect(page.get_by_test_id(f"pick-line-{item}")).to_have_attribute(
        "data-to-pick", f"{float(line['to_pick']):g}")
    refusal.get_by_role("button", name="OK").click()
    expect(refusal).to_have_count(0)
    # Read and dismissed: the issue did not happen, so it no longer waits for attention.
    expect(badge).to_have_attribute("data-attention", "0")


def test_a_pending_lot_is_refused_when_picking(page, server):
    code = _released_order(server, "SF-HOUS-P100", 2)
    pending = server.api("admin").get("/api/v1/lots", params={
        "item_code": "RM-HOUS-P100", "quality_status": "pending"}).json()["data"]
    assert pending, "the demo has a lot of RM-HOUS-P100 waiting for inspection"
    lot = server.api("admin").get(f"/api/v1/lots/{pending[-1]['code']}").json()
    sign_in_with_password(page, "operator")
    page.goto(f"/pick/{code}")
    page.get_by_test_id("pick-line-RM-HOUS-P100").click()
    scan(page, _label(server, "LOC", lot["stock"][0]["location_code"]))
    expect(page.get_by_test_id("pick-guide")).to_have_attribute("data-stage", "lot")
    scan(page, _label(server, "LOT", lot["code"]))
    banner = page.get_by_test_id("scan-banner")
    expect(banner).to_have_attribute("data-ok", "false")
    expect(banner).to_contain_text("waits for incoming inspection")
    expect(page.get_by_test_id("pick-guide")).to_have_attribute("data-stage", "lot")


def _made_from_a_received_lot(server) -> tuple[str, str]:
    """A housing made from a casting lot: issue the lot to the line, report every operation.
    Returns (casting lot, housing lot)."""
    planner, operator = server.api("planner"), server.api("operator")
    key = lambda: {"Idempotency-Key": str(uuid.uuid4())}  # noqa: E731
    code = _released_order(server, "SF-HOUS-P100", 2)
    pick_list = operator.get(f"/api/v1/work-orders/{code}/pick-list")
    assert pick_list.status_code == 200, pick_list.text
    line = next(entry for entry in pick_list.json()["lines"]
                if entry["item_code"] == "RM-HOUS-P100")
    first = line["suggested"][0]
    operator.post("/api/v1/stock/moves", headers=key(), json={
        "kind": "issue", "item_code": "RM-HOUS-P100", "lot_code": first["lot_code"],
        "from_location_code": first["location_code"],
        "to_location_code": pick_list.json()["to_location_code"], "quantity": "2",
        "work_order_code": code}).raise_for_status()
    for op in planner.get(f"/api/v1/work-orders/{code}").json()["operations"]:
        operator.post(f"/api/v1/operations/{op['id']}/start", headers=key()).raise_for_status()
        operator.post(f"/api/v1/operations/{op['id']}/reports", headers=key(),
                      json={"good": 2, "scrap": 0}).raise_for_status()
    made = operator.get("/api/v1/lots", params={"item_code": "SF-HOUS-P100"}).json()["data"]
    housing = next(entry["code"] for entry in made
                   if operator.get(f"/api/v1/lots/{entry['code']}").json()["work_order_code"]
                   == code)
    return first["lot_code"], housing


def test_a_lots_trace_opens_from_its_page_in_both_directions(page, server):
    casting, housing = _made_from_a_received_lot(server)
    sign_in_with_password(page, "operator")
    scan(page, _label(server, "LOT", housing))
    expect(page.get_by_test_id("lot")).to_be_visible()
    page.get_by_test_id("lot-trace").click()
    trace = page.get_by_test_id("trace")
    expect(trace).to_have_attribute("data-direction", "backward")
    root = page.locator("[data-testid=trace-node][data-depth='0']")
    expect(root).to_have_attribute("data-lot", housing)
    expect(root).to_contain_text("Made in work order")
    component = page.locator("[data-testid=trace-node][data-depth='1']")
    expect(component).to_have_attribute("data-lot", casting)
    expect(component).to_contain_text("RM-HOUS-P100")
    facts = server.api("admin").get(f"/api/v1/lots/{casting}").json()
    expect(component).to_contain_text(f"batch {facts['supplier_lot']}")
    expect(component).to_contain_text("2 went in")
    screenshot(page, "trace-360")

    # Forward from the casting lot: the housing it went into.
    component.get_by_role("link", name=casting).click()
    expect(page.get_by_test_id("lot")).to_be_visible()
    page.get_by_test_id("lot-trace").click()
    page.get_by_test_id("trace-forward").click()
    expect(trace).to_have_attribute("data-direction", "forward")
    node = "[data-testid=trace-node][data-depth='{}']"
    expect(page.locator(node.format(0))).to_have_attribute("data-lot", casting)
    # Other tests may have made things of the same casting lot: the housing is among them.
    expect(page.locator(node.format(1) + f"[data-lot='{housing}']")).to_be_visible()
    expected = server.api("admin").get(f"/api/v1/lots/{casting}/trace",
                                       params={"direction": "forward"}).json()
    expect(page.get_by_test_id("trace-node")).to_have_count(_count(expected))


def _count(node: dict) -> int:
    return 1 + sum(_count(child) for child in node["children"])
