"""Live updates: one websocket per app, its state in view, boards change as the floor does."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.flows import sign_in_with_password


def test_the_line_board_follows_equipment_changes_live(page, server):
    sign_in_with_password(page, "supervisor")
    expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "open")
    page.get_by_role("tab", name="L2", exact=False).click()
    station = page.get_by_test_id("station-WS-204")
    expect(station).to_have_attribute("data-state", "idle")
    server.api("maintainer").patch(
        "/api/v1/equipment/EQ-CMM-204",
        json={"status": "down", "reason_code": "DT-BREAKDOWN"}).raise_for_status()
    expect(station).to_have_attribute("data-state", "down")
    expect(page.get_by_test_id("line-board").locator("xpath=..")).to_contain_text("EQ-CMM-204")


def test_the_connection_state_shows_offline_and_recovers(page, context):
    sign_in_with_password(page, "planner")
    state = page.get_by_test_id("connection")
    expect(state).to_have_attribute("data-state", "open")
    context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    expect(state).to_have_attribute("data-state", "offline")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(state).to_have_attribute("data-state", "open")
