"""Quantities in units with decimals on the handheld: a picker types 0.037 kg of grease on the
number pad (a fourth decimal is refused) and the server books exactly 0.037; an item counted
in pieces offers no decimal point at all."""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import Page, expect

from tests.e2e.flows import post_command, scan, screenshot, sign_in_with_password


def _label(server, kind: str, code: str) -> str:
    return f"{server.url}/S/{kind}/{code}".upper()


def test_a_picker_types_grams_of_grease_and_the_server_books_them_exactly(page: Page, server):
    # Grease is kept in KG with three decimals; a coolant pump takes 0.015 kg of it.
    units = server.api("operator").get("/api/v1/units", params={"limit": 500}).json()["data"]
    assert {u["code"]: u["decimals"] for u in units}["KG"] == 3
    planner = server.api("planner")
    code = post_command(planner, "/api/v1/work-orders",
                 {"item_code": "FG-PUMP-100", "quantity": 3})["code"]
    post_command(planner, f"/api/v1/work-orders/{code}/release")
    operator = server.api("operator")
    received = post_command(operator, "/api/v1/receipts", {
        "item_code": "RM-GREASE", "quantity": "1", "location_code": "RM-A-02-01"})
    if operator.get(f"/api/v1/lots/{received['lot_code']}").json()["quality_status"] == "pending":
        post_command(server.api("inspector"), f"/api/v1/lots/{received['lot_code']}/release")
    pick_list = operator.get(f"/api/v1/work-orders/{code}/pick-list").json()["lines"]
    line = next(entry for entry in pick_list if entry["item_code"] == "RM-GREASE")
    assert Decimal(line["to_pick"]) == Decimal("0.045")
    first = next(s for s in line["suggested"] if s["lot_code"])

    sign_in_with_password(page, "operator")
    page.goto(f"/r/WO/{code}")
    page.get_by_test_id("pick-material").click()
    page.get_by_test_id("pick-line-RM-GREASE").click()
    guide = page.get_by_test_id("pick-guide")
    expect(guide).to_have_attribute("data-item", "RM-GREASE")
    scan(page, _label(server, "LOC", first["location_code"]))
    expect(guide).to_have_attribute("data-stage", "lot")
    scan(page, _label(server, "LOT", first["lot_code"]))
    expect(guide).to_have_attribute("data-stage", "quantity")
    quantity = page.get_by_role("button", name="Type Quantity")
    expect(quantity).to_have_text("0.045")  # what the order still needs, shown with '.'

    quantity.click()
    display = page.get_by_test_id("numpad-display")
    page.get_by_role("button", name="Decimal point").click()
    expect(display).to_have_text("0.")  # a leading point is 0.
    for key in "0375":  # the 5 would be a fourth decimal: refused
        page.get_by_role("button", name=key, exact=True).click()
    expect(display).to_have_text("0.037")
    expect(page.get_by_test_id("numpad-note")).to_have_text("Decimal places allowed: 3")
    screenshot(page, "numpad-decimals-360")
    page.get_by_role("button", name="OK").click()
    expect(quantity).to_have_text("0.037")
    page.get_by_test_id("pick-issue").click()

    expect(page.get_by_test_id("pick-line-RM-GREASE")).to_have_attribute("data-to-pick", "0.008",
                                                                         timeout=10_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=pick] .note')",
                           timeout=10_000)
    ledger = operator.get("/api/v1/stock/ledger", params={"document_code": code, "kind": "issue"})
    assert ledger.status_code == 200, ledger.text
    issued = [(m["item_code"], m["lot_code"], Decimal(str(m["quantity"])))
              for m in ledger.json()["data"]]
    assert issued == [("RM-GREASE", first["lot_code"], Decimal("0.037"))]
    pick_list = operator.get(f"/api/v1/work-orders/{code}/pick-list").json()["lines"]
    after = next(entry for entry in pick_list if entry["item_code"] == "RM-GREASE")
    assert Decimal(after["to_pick"]) == Decimal("0.008")


def test_receiving_pieces_offers_no_decimal_point_and_kilograms_do(page: Page, server):
    sign_in_with_password(page, "operator")
    page.goto("/receive")
    expect(page.get_by_test_id("receive")).to_be_visible()
    page.get_by_test_id("receive-item").select_option("RM-BEARING-608")
    page.get_by_role("button", name="Type Quantity (PCS)").click()
    expect(page.get_by_role("button", name="OK")).to_be_visible()
    expect(page.get_by_role("button", name="Decimal point")).to_have_count(0)
    page.get_by_role("button", name="Close").click()

    page.get_by_test_id("receive-item").select_option("RM-CABLE-3X075")  # metres, two decimals
    page.get_by_role("button", name="Type Quantity (M)").click()
    for key in ["1", "2", "Decimal point", "5", "0", "9"]:
        page.get_by_role("button", name=key, exact=True).click()
    expect(page.get_by_test_id("numpad-display")).to_have_text("12.50")
    page.get_by_role("button", name="OK").click()
    expect(page.get_by_role("button", name="Type Quantity (M)")).to_have_text("12.5")
    scan(page, _label(server, "LOC", "RM-B-02-01"))
    expect(page.get_by_test_id("receive-location")).to_contain_text("RM-B-02-01")
    page.get_by_test_id("receive-submit").click()
    expect(page.get_by_test_id("receipt-done")).to_be_visible(timeout=10_000)
    lot_code = page.get_by_test_id("receipt-lot").inner_text()
    lot = server.api("operator").get(f"/api/v1/lots/{lot_code}")
    assert lot.status_code == 200, lot.text
    assert Decimal(str(lot.json()["quantity"])) == Decimal("12.5")
