"""The inspector's and the maintainer's homes on a 360 x 780 handheld show what exists: the lots
waiting for inspection and the blocked ones (saved for a dead zone), the equipment that needs
attention; no sentence about modules to come. Dates follow the app's language."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.e2e.flows import post_command, screenshot, sign_in_with_password

ZH_DATE_TIME = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}")
"""A day and a clock time as the app shows them in Chinese: 2026年12月8日 00:25."""


def _received_lot(server, supplier_lot: str) -> str:
    """A lot of an item that needs incoming inspection, received just now: it waits."""
    receipt = post_command(server.api("operator"), "/api/v1/receipts", {
        "item_code": "RM-HOUS-P100", "quantity": 8, "location_code": "RM-DOCK",
        "supplier_code": "SUP-ALUCAST", "supplier_lot": supplier_lot})
    return receipt["lot_code"]


def _speak_chinese(page: Page) -> None:
    page.goto("/settings")
    page.get_by_test_id("language").select_option("zh-CN")
    page.goto("/")


def test_the_inspectors_home_lists_the_lots_to_inspect_newest_first(page, server):
    older = _received_lot(server, f"E2E-{uuid.uuid4().hex[:6]}")
    newest = _received_lot(server, f"E2E-{uuid.uuid4().hex[:6]}")
    sign_in_with_password(page, "inspector")
    home = page.get_by_test_id("home")
    expect(home).not_to_contain_text("module")
    pending = page.get_by_test_id("pending-lots").get_by_test_id("inspect-lot")
    expect(pending.first).to_have_attribute("data-lot", newest)
    expect(pending.nth(1)).to_have_attribute("data-lot", older)
    first = pending.first
    expect(first).to_contain_text("RM-HOUS-P100")
    expect(first).to_contain_text("SUP-ALUCAST")
    expect(first).to_contain_text("Received")
    expect(first).to_have_attribute("data-status", "pending")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "home-inspector-worklist-360")

    # A tap opens the lot, where release and block are; once released it leaves the list.
    first.click()
    expect(page.get_by_test_id("lot")).to_have_attribute("data-status", "pending")
    page.get_by_test_id("lot-release").click()
    page.get_by_test_id("release-confirm").click()
    expect(page.get_by_test_id("outbox-badge")).to_have_attribute("data-waiting", "0")
    page.go_back()
    expect(page.get_by_test_id("pending-lots").locator(f"[data-lot='{older}']")).to_be_visible()
    expect(page.get_by_test_id("pending-lots").locator(f"[data-lot='{newest}']")).to_have_count(0)

    # A lot blocked (here by someone else) shows among the blocked lots.
    post_command(server.api("inspector"), f"/api/v1/lots/{older}/block", {"reason_code": "HOLD-QA"})
    page.reload()
    expect(page.get_by_test_id("blocked-lots").locator(f"[data-lot='{older}']")).to_have_attribute(
        "data-status", "blocked")
    expect(page.get_by_test_id("pending-lots").locator(f"[data-lot='{older}']")).to_have_count(0)


def test_the_inspectors_worklist_opens_in_a_dead_zone_from_the_saved_copy(page, server):
    lot = _received_lot(server, f"E2E-{uuid.uuid4().hex[:6]}")
    sign_in_with_password(page, "inspector")
    expect(page.get_by_test_id("pending-lots").locator(f"[data-lot='{lot}']")).to_be_visible()
    page.context.set_offline(True)
    try:
        page.get_by_test_id("pending-lots").locator(f"[data-lot='{lot}']").click()
        page.go_back()
        expect(page.get_by_test_id("home")).to_contain_text(
            "Offline: showing this device's saved copy.")
        expect(page.get_by_test_id("pending-lots").locator(f"[data-lot='{lot}']")).to_be_visible()
    finally:
        page.context.set_offline(False)


def test_the_maintainers_home_lists_equipment_without_a_promise(page):
    sign_in_with_password(page, "maintainer")
    home = page.get_by_test_id("home")
    expect(page.get_by_test_id("equipment-list").locator("li").first).to_be_visible()
    expect(home).not_to_contain_text("module")
    expect(page.get_by_role("heading", level=1)).to_have_text("Equipment")


def test_the_worklist_and_a_lots_history_speak_chinese_with_chinese_dates(page, server):
    lot = _received_lot(server, f"E2E-{uuid.uuid4().hex[:6]}")
    post_command(server.api("inspector"), f"/api/v1/lots/{lot}/block",
                 {"reason_code": "HOLD-QA", "note": "样品连锡"})
    sign_in_with_password(page, "inspector")
    _speak_chinese(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("检验任务")
    expect(page.get_by_role("heading", name=re.compile(r"^已冻结批次（\d+）$"))).to_be_visible()
    page.get_by_test_id("blocked-lots").locator(f"[data-lot='{lot}']").click()
    # The reason by its name, in a Chinese sentence.
    expect(page.get_by_test_id("lot-blocked")).to_have_text("已冻结：Quality hold · 样品连锡")
    history = page.get_by_test_id("lot-history").locator("[data-action=block]")
    expect(history).to_contain_text(re.compile(ZH_DATE_TIME.pattern + " · inspector"))
    text = history.inner_text()
    assert not re.search(r"AM|PM|上午|下午|\d{2}:\d{2}:\d{2}", text), text
    screenshot(page, "lot-blocked-zh-360")


NOT_US_CLOCK = re.compile(r"AM|PM|上午|下午|\d{1,2}/\d{1,2}/\d{4}|\d{2}:\d{2}:\d{2}")


def test_a_due_time_and_the_outbox_speak_the_apps_language_on_a_24_hour_clock(page, server):
    lot = _received_lot(server, f"E2E-{uuid.uuid4().hex[:6]}")
    order = server.api("planner").get("/api/v1/work-orders",
                                      params={"status": "released", "limit": 50}).json()
    due = next(wo["code"] for wo in order["data"] if wo.get("due_at"))
    sign_in_with_password(page, "inspector")
    _speak_chinese(page)
    page.goto(f"/r/WO/{due}")
    expect(page.get_by_test_id("wo-due")).to_contain_text(ZH_DATE_TIME)
    assert not NOT_US_CLOCK.search(page.get_by_test_id("wo-due").inner_text())

    # A release sent in a dead zone waits in the outbox with the time it was queued.
    page.goto(f"/r/LOT/{lot}")
    expect(page.get_by_test_id("lot")).to_have_attribute("data-status", "pending")
    page.context.set_offline(True)
    try:
        page.get_by_test_id("lot-release").click()
        page.get_by_test_id("release-confirm").click()
        expect(page.get_by_test_id("outbox-badge")).to_have_attribute("data-waiting", "1")
        page.get_by_test_id("outbox-badge").click()
        queued = page.locator(".outbox").get_by_text(re.compile(r"\d{2}:\d{2}")).first
        expect(queued).to_be_visible()
        assert not NOT_US_CLOCK.search(queued.inner_text()), queued.inner_text()
    finally:
        page.context.set_offline(False)
