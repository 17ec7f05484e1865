"""Cycle counts on the handheld: a counter counts a location by scanning, a supervisor judges
the variances and approves them into the ledger; at the end of a shift a supervisor reconciles
a line's WIP location, negative balances flagged, by counting it."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import expect

from tests.e2e.flows import post_command, scan, screenshot, sign_in_with_password

SHELF = "FG-01-02"
"""A location the demo leaves empty (no other browser test uses it)."""


def _label(server, kind: str, code: str) -> str:
    return f"{server.url}/S/{kind}/{code}".upper()


def test_a_count_one_short_is_approved_and_the_location_then_holds_what_was_counted(
        page, context, server, browser):
    lot = post_command(server.api("operator"), "/api/v1/receipts", {
        "item_code": "RM-PCB-F200", "quantity": "10", "location_code": SHELF,
        "supplier_lot": f"E2E-CNT-{uuid.uuid4().hex[:6]}"})["lot_code"]
    # A lot the ledger keeps on the next shelf, which the counter will find on this one.
    stray = post_command(server.api("operator"), "/api/v1/receipts", {
        "item_code": "RM-PCB-F200", "quantity": "3", "location_code": "FG-01-01",
        "supplier_lot": f"E2E-CNT-{uuid.uuid4().hex[:6]}"})["lot_code"]

    # The counter scans the location's label and starts a count there.
    sign_in_with_password(page, "operator")
    scan(page, _label(server, "LOC", SHELF))
    page.get_by_test_id("action-count").click()
    expect(page.get_by_test_id("count-start")).to_have_attribute("data-location", SHELF)
    expect(page.get_by_test_id("count-blind")).not_to_be_checked()
    page.get_by_test_id("count-start-button").click()
    expect(page).to_have_url(re.compile(r"/count/CNT-"), timeout=10_000)
    code = page.url.rsplit("/", 1)[1]
    count = page.get_by_test_id("count")
    expect(count).to_have_attribute("data-status", "open")
    # Not blind: the ledger's figure is shown on the line.
    line = page.locator(f"[data-testid=count-line][data-lot='{lot}']")
    expect(line).to_contain_text("Expected 10 PCS")
    expect(line).to_contain_text("Not counted")
    expect(page.get_by_test_id("count-submit")).to_be_disabled()

    # Scanning the lot opens it for counting; the counter finds one less than the ledger.
    scan(page, _label(server, "LOT", lot))
    counter = page.get_by_test_id("count-counter")
    expect(counter).to_have_attribute("data-lot", lot)
    counter.get_by_role("button", name="Less Counted (PCS)").click()
    expect(counter.get_by_role("button", name="Type Counted (PCS)")).to_have_text("9")
    page.get_by_test_id("count-save").click()
    expect(line).to_have_attribute("data-counted", "9")
    expect(line).to_have_attribute("data-waiting", "no", timeout=10_000)

    # A lot the ledger does not expect here is added by scanning it, and counted from zero.
    scan(page, _label(server, "LOT", stray))
    expect(counter).to_have_attribute("data-lot", stray)
    expect(counter).to_contain_text("Not expected here")
    counter.get_by_role("button", name="More Counted (PCS)").click()
    counter.get_by_role("button", name="More Counted (PCS)").click()
    page.get_by_test_id("count-save").click()
    found = page.locator(f"[data-testid=count-line][data-lot='{stray}']")
    expect(found).to_contain_text("Found here")
    expect(found).to_have_attribute("data-counted", "2")
    expect(found).to_have_attribute("data-waiting", "no", timeout=10_000)
    screenshot(page, "count-360")
    # Submitted in a dead zone: it waits in the outbox and arrives when the network is back.
    context.set_offline(True)
    page.get_by_test_id("count-submit").click()
    expect(page.get_by_test_id("count-decision-waiting")).to_contain_text("waiting to be sent")
    expect(count).to_have_attribute("data-status", "open")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(count).to_have_attribute("data-status", "submitted", timeout=20_000)
    expect(page.get_by_test_id("count-approve")).to_have_count(0)  # not the counter's to approve

    # The supervisor, on another device, sees it waiting and opens it from the home screen.
    other = browser.new_context(base_url=server.url, viewport={"width": 360, "height": 780},
                                locale="en-US")
    boss = other.new_page()
    sign_in_with_password(boss, "supervisor")
    boss.get_by_test_id("go-counts").click()
    boss.get_by_test_id(f"count-row-{code}").click()
    reviewed = boss.locator(f"[data-testid=review-line][data-lot='{lot}']")
    expect(reviewed).to_have_attribute("data-tone", "short")
    expect(reviewed.get_by_test_id("review-variance")).to_have_text("−1")
    expect(reviewed).to_contain_text("Counted 9 PCS")
    expect(boss.get_by_test_id("count-summary")).to_contain_text("1 short · 1 over")
    extra = boss.locator(f"[data-testid=review-line][data-lot='{stray}']")
    expect(extra).to_have_attribute("data-tone", "over")
    expect(extra.get_by_test_id("review-variance")).to_have_text("+2")
    screenshot(boss, "count-review-360")
    boss.get_by_test_id("count-approve").click()
    expect(boss.get_by_test_id("count")).to_have_attribute("data-status", "approved",
                                                           timeout=10_000)
    expect(boss.get_by_test_id("count-decided")).to_contain_text("Approved by supervisor")

    # The location now holds what was counted.
    scan(boss, _label(server, "LOC", SHELF))
    row = boss.locator(f"[data-testid=stock-row][data-lot='{lot}']")
    expect(row).to_contain_text("9 PCS")
    expect(boss.locator(f"[data-testid=stock-row][data-lot='{stray}']")).to_contain_text("2 PCS")
    other.close()


def test_a_supervisor_reconciles_a_line_with_a_negative_balance_by_counting_it(page, server):
    # Bearings taken from line 2's WIP that were never issued there: a negative balance.
    post_command(server.api("supervisor"), "/api/v1/stock/misc", {
        "direction": "out", "item_code": "RM-BEARING-608", "location_code": "WIP-L2",
        "quantity": "4", "reason_code": "SCR-MATERIAL"})

    sign_in_with_password(page, "supervisor")
    expect(page.get_by_test_id("go-reconcile")).to_contain_text(re.compile(r"[1-9]\d* negative"))
    page.get_by_test_id("go-reconcile").click()
    page.get_by_test_id("reconcile-line-L2").click()
    expect(page).to_have_url("/reconcile/WIP-L2")
    bearing = page.locator("[data-testid=reconcile-row][data-item='RM-BEARING-608']")
    expect(bearing).to_have_attribute("data-negative", "yes")
    expect(bearing).to_contain_text("-4 PCS")
    expect(bearing).to_contain_text("used at the line before its issue was booked")
    expect(page.get_by_test_id("reconcile-flagged")).to_be_visible()
    expect(page.get_by_test_id("count-start-button")).to_be_visible()
    screenshot(page, "reconcile-360")

    # Meanwhile an operator starts a blind count of the line on another handheld: the
    # supervisor's start is refused in the server's words, and that count is offered instead.
    theirs = post_command(server.api("operator"), "/api/v1/counts",
                   {"location_code": "WIP-L2", "blind": True})["code"]
    page.get_by_test_id("count-start-button").click()
    refused = page.get_by_test_id("count-start-refused")
    expect(refused).to_contain_text(f"WIP-L2 is being counted already ({theirs})",
                                    timeout=10_000)
    page.get_by_test_id("count-continue").click()
    expect(page).to_have_url(f"/count/{theirs}")
    count = page.get_by_test_id("count")
    expect(count).to_contain_text("Line-side reconciliation count")
    expect(count).to_contain_text("Blind")
    # A supervisor sees the ledger's figure even on a blind count.
    line = page.locator("[data-testid=count-line][data-item='RM-BEARING-608']")
    expect(line).to_contain_text("Expected -4 PCS")

    # The supervisor calls it off, saying why; nothing is posted.
    page.get_by_test_id("count-reject").click()
    page.get_by_test_id("count-reject-reason").fill("Recount after the shift change")
    page.get_by_test_id("count-reject-confirm").click()
    expect(count).to_have_attribute("data-status", "rejected", timeout=10_000)
    expect(page.get_by_test_id("count-decided")).to_contain_text("Recount after the shift change")
    page.goto("/reconcile/WIP-L2")
    expect(bearing).to_contain_text("-4 PCS")
