"""Installable and offline-safe: the app opens without network, commands wait in the outbox
and arrive exactly once, refusals stay visible."""

from __future__ import annotations

import sqlite3

from playwright.sync_api import expect

from tests.e2e.flows import sign_in_with_password, wait_for_service_worker


def _changes(server, code: str) -> list[tuple[str, str]]:
    """The audit rows of changes to a piece of equipment since the demo was seeded."""
    with sqlite3.connect(server.data_dir / "takt.db") as conn:
        return conn.execute("SELECT action, username FROM takt_audit WHERE entity_code = ?"
                            " AND action = 'equipment.update'", (code,)).fetchall()


def test_service_worker_installs_and_the_manifest_is_installable(profile_page):
    page = profile_page
    sign_in_with_password(page, "operator")
    wait_for_service_worker(page)
    cdp = page.context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert errors == []
    manifest = page.evaluate("fetch('/manifest.webmanifest').then(r => r.json())")
    assert manifest["id"] == "/" and manifest["display"] == "standalone"
    assert {s["url"] for s in manifest["shortcuts"]} == {"/scan", "/andon"}


def test_the_planners_gantt_opens_offline_once_the_app_is_installed(page, context):
    # The Gantt is loaded on demand, never before: the service worker's precache must hold it.
    sign_in_with_password(page, "planner")
    wait_for_service_worker(page)
    context.set_offline(True)
    page.goto("/plan")
    expect(page.get_by_test_id("run-scheduler")).to_be_visible()
    expect(page.get_by_test_id("screen-failed")).to_have_count(0)


def test_offline_command_waits_and_arrives_exactly_once(page, context, server):
    sign_in_with_password(page, "maintainer")
    wait_for_service_worker(page)
    page.goto("/r/EQ/EQ-VMC-202")
    expect(page.get_by_test_id("record")).to_be_visible()
    # The page saves the downtime reasons (setting a machine down needs one) as it opens.
    page.wait_for_load_state("networkidle")

    context.set_offline(True)
    page.reload()
    expect(page.get_by_test_id("record")).to_have_attribute("data-code", "EQ-VMC-202")
    page.get_by_test_id("action-set_status").click()
    page.get_by_test_id("status-down").click()
    page.get_by_test_id("down-reason-DT-BREAKDOWN").click()
    page.get_by_test_id("down-confirm").click()
    badge = page.get_by_test_id("outbox-badge")
    expect(badge).to_have_attribute("data-waiting", "1")
    assert _changes(server, "EQ-VMC-202") == []

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(badge).to_have_attribute("data-waiting", "0", timeout=20_000)
    page.wait_for_timeout(1500)  # any duplicate send would land in this time
    assert _changes(server, "EQ-VMC-202") == [("equipment.update", "maintainer")]
    api = server.api("maintainer")
    assert api.get("/api/v1/equipment/EQ-VMC-202").json()["status"] == "down"


def test_a_refused_command_is_kept_under_needs_attention_with_the_reason(page, context, server):
    sign_in_with_password(page, "maintainer")
    page.goto("/r/EQ/EQ-DEBURR-203")
    expect(page.get_by_test_id("record")).to_be_visible()
    context.set_offline(True)
    page.get_by_test_id("action-set_status").click()
    page.get_by_test_id("status-under_maintenance").click()
    expect(page.get_by_test_id("outbox-badge")).to_have_attribute("data-waiting", "1")
    # Meanwhile the office retires the machine.
    server.api("admin").delete("/api/v1/equipment/EQ-DEBURR-203").raise_for_status()

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    badge = page.get_by_test_id("outbox-badge")
    expect(badge).to_have_attribute("data-attention", "1", timeout=20_000)
    badge.click()
    reason = page.get_by_test_id("needs-attention").get_by_test_id("rejection-reason")
    expect(reason).to_contain_text("deactivated")
    # Discarding asks first, then the command is gone for good.
    page.get_by_role("button", name="Discard").click()
    page.get_by_test_id("confirm-discard").click()
    expect(page.get_by_test_id("needs-attention")).to_have_count(0)
    expect(page.get_by_test_id("outbox-badge")).to_have_attribute("data-attention", "0")
