"""Taps that change what others rely on ask first, on a 360 x 780 handheld: an inspector's
release or block of a lot (a sheet with an optional note, kept in the lot's history) and a
maintainer setting a machine down (a downtime reason first)."""

from __future__ import annotations

import uuid

from playwright.sync_api import Page, expect

from tests.e2e.flows import scan, screenshot, sign_in_with_password


def _label(server, kind: str, code: str) -> str:
    return f"{server.url}/S/{kind}/{code}".upper()


def _pending_lot(server) -> str:
    receipt = server.api("operator").post(
        "/api/v1/receipts", headers={"Idempotency-Key": str(uuid.uuid4())},
        json={"item_code": "RM-HOUS-P100", "quantity": 8, "location_code": "RM-DOCK",
              "supplier_code": "SUP-ALUCAST", "supplier_lot": f"E2E-{uuid.uuid4().hex[:6]}"})
    receipt.raise_for_status()
    return receipt.json()["lot_code"]


def _fits_and_thumb_sized(page: Page, sheet_testid: str) -> None:
    """The sheet fits the handheld's width, and every control on it is a thumb's size."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    small = page.evaluate("""(id) => [...document.querySelectorAll(
        `[data-testid="${id}"] button, [data-testid="${id}"] input, [data-testid="${id}"] select`)]
        .map((el) => el.getBoundingClientRect())
        .filter((r) => r.width > 0 && (r.width < 48 || r.height < 48))
        .map((r) => `${Math.round(r.width)}x${Math.round(r.height)}`)""", sheet_testid)
    assert small == [], f"controls under 48 px on {sheet_testid}: {small}"


def test_an_inspector_releases_a_lot_only_after_confirming_with_a_note(page, server):
    lot = _pending_lot(server)
    sign_in_with_password(page, "inspector")
    scan(page, _label(server, "LOT", lot))
    panel = page.get_by_test_id("lot")
    expect(panel).to_have_attribute("data-status", "pending")

    page.get_by_test_id("lot-release").click()
    sheet = page.get_by_test_id("release-sheet")
    expect(sheet).to_be_visible()
    expect(sheet).to_contain_text(lot)
    _fits_and_thumb_sized(page, "release-sheet")
    screenshot(page, "lot-release-confirm-360")
    # Closing the sheet changes nothing.
    page.get_by_role("button", name="Close").click()
    expect(sheet).to_have_count(0)
    expect(panel).to_have_attribute("data-status", "pending")

    page.get_by_test_id("lot-release").click()
    page.get_by_test_id("release-note").fill("certificate 4711 checked")
    page.get_by_test_id("release-confirm").click()
    expect(panel).to_have_attribute("data-status", "released")
    expect(page.get_by_test_id("outbox-badge")).to_have_attribute("data-waiting", "0")
    page.reload()
    history = page.get_by_test_id("lot-history")
    expect(history.locator("[data-action=release]")).to_contain_text("certificate 4711 checked")
    expect(history.locator("[data-action=release]")).to_contain_text("inspector")
    expect(history.locator("[data-action=create]")).to_contain_text("Awaiting inspection")
    after = server.api("inspector").get(f"/api/v1/lots/{lot}").json()
    assert after["history"][-1]["note"] == "certificate 4711 checked"


def test_an_inspector_blocks_a_lot_with_a_reason_and_a_note(page, server):
    lot = _pending_lot(server)
    sign_in_with_password(page, "inspector")
    scan(page, _label(server, "LOT", lot))
    page.get_by_test_id("lot-block").click()
    expect(page.get_by_test_id("block-confirm")).to_be_disabled()
    page.get_by_test_id("hold-reason").select_option("HOLD-QA")
    page.get_by_test_id("hold-note").fill("porosity at the flange")
    page.get_by_test_id("block-confirm").click()
    expect(page.get_by_test_id("lot")).to_have_attribute("data-status", "blocked")
    expect(page.get_by_test_id("outbox-badge")).to_have_attribute("data-waiting", "0")
    page.reload()
    row = page.get_by_test_id("lot-history").locator("[data-action=block]")
    # The hold reason by its name, not its code.
    expect(row).to_contain_text("Quality hold · porosity at the flange")
    expect(row).not_to_contain_text("HOLD-QA")
    expect(page.get_by_test_id("lot-blocked")).to_have_text(
        "Blocked: Quality hold · porosity at the flange")
    expect(row).to_contain_text("porosity at the flange")


def test_a_maintainer_sets_a_machine_down_only_with_a_downtime_reason(page, server):
    sign_in_with_password(page, "maintainer")
    scan(page, _label(server, "EQ", "EQ-PRESS-102"))
    record = page.get_by_test_id("record")
    expect(record).to_have_attribute("data-kind", "EQ")
    page.get_by_test_id("action-set_status").click()
    page.get_by_test_id("status-down").click()
    sheet = page.get_by_test_id("down-sheet")
    expect(sheet).to_be_visible()
    confirm = page.get_by_test_id("down-confirm")
    expect(confirm).to_be_disabled()
    expect(page.get_by_test_id("down-needs-reason")).to_be_visible()
    expect(page.get_by_test_id("down-reason-DT-BREAKDOWN")).to_be_visible()
    _fits_and_thumb_sized(page, "down-sheet")
    screenshot(page, "equipment-down-confirm-360")
    # Nothing has changed while the question is open.
    assert server.api("maintainer").get(
        "/api/v1/equipment/EQ-PRESS-102").json()["status"] == "in_service"

    page.get_by_test_id("down-reason-DT-BREAKDOWN").click()
    page.get_by_test_id("down-note").fill("hydraulic leak")
    confirm.click()
    expect(sheet).to_have_count(0)
    expect(record.locator(".chip").first).to_have_attribute("data-status", "down")
    expect(page.get_by_test_id("outbox-badge")).to_have_attribute("data-waiting", "0")
    api = server.api("maintainer")
    assert api.get("/api/v1/equipment/EQ-PRESS-102").json()["status"] == "down"

    # Back in service is one tap: it takes nothing away from anyone.
    page.get_by_test_id("action-set_status").click()
    page.get_by_test_id("status-in_service").click()
    expect(page.get_by_test_id("outbox-badge")).to_have_attribute("data-waiting", "0")
    expect(record.locator(".chip").first).to_have_attribute("data-status", "in_service")
