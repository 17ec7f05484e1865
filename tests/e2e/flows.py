"""Steps the browser tests share: signing in, scanning like a handheld, waiting for the
service worker."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"

SCANNER_KEY_DELAY_MS = 8
"""How fast a keyboard-wedge scanner types: characters 8 ms apart, then Enter."""


def sign_in_with_password(page: Page, username: str, password: str = "takt-demo") -> None:
    page.goto("/")
    page.get_by_test_id("tab-password").click()
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.get_by_test_id("signin-submit").click()
    expect(page.get_by_test_id("home")).to_be_visible()


def scan(page: Page, text: str) -> None:
    """Type the text as a hardware scanner does, into whatever has focus (the wedge field)."""
    page.keyboard.type(text, delay=SCANNER_KEY_DELAY_MS)
    page.keyboard.press("Enter")


def wait_for_service_worker(page: Page) -> None:
    """Wait until the service worker is active and controls the page."""
    page.evaluate("navigator.serviceWorker.ready")
    if not page.evaluate("!!navigator.serviceWorker.controller"):
        page.reload()
    page.wait_for_function("!!navigator.serviceWorker.controller")


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as a test artifact (test-results/screenshots/)."""
    target = ARTIFACTS / "screenshots" / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    return target


def post_command(client: httpx.Client, path: str, body: dict | None = None) -> dict:
    """Send a command as the handheld does (its own Idempotency-Key); fail unless it is done."""
    response = client.post(path, json=body or {}, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert response.status_code in (200, 201), response.text
    return response.json()


def released_order(server, item: str, quantity: int) -> dict:
    """A new work order of ``quantity`` ``item``, released by the planner: its read."""
    planner = server.api("planner")
    code = post_command(planner, "/api/v1/work-orders",
                        {"item_code": item, "quantity": quantity})["code"]
    return post_command(planner, f"/api/v1/work-orders/{code}/release")


def pcb_lot_at_the_line(server, work_order: str, line: str, issued: int) -> str:
    """A released lot of 10 sensor PCBs (RM-PCB-S300, scanned to consume), ``issued`` of them
    at line ``line``'s line side for ``work_order``: its code."""
    operator = server.api("operator")
    lot = post_command(operator, "/api/v1/receipts", {
        "item_code": "RM-PCB-S300", "quantity": "10", "location_code": "RM-A-01-02"})["lot_code"]
    post_command(server.api("inspector"), f"/api/v1/lots/{lot}/release")
    post_command(operator, "/api/v1/stock/moves", {
        "kind": "issue", "item_code": "RM-PCB-S300", "lot_code": lot, "quantity": str(issued),
        "from_location_code": "RM-A-01-02", "to_location_code": f"WIP-{line}",
        "work_order_code": work_order})
    return lot
