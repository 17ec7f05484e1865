"""One scan router: a scanner's keystrokes, a camera, or a label link land on the record."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import SCAN_REPEAT_WINDOW_MS
from tests.e2e.flows import scan, sign_in_with_password, wait_for_service_worker


def test_a_scanned_label_opens_its_record_from_any_screen(page, server):
    sign_in_with_password(page, "maintainer")
    page.goto("/settings")
    scan(page, f"{server.url}/S/EQ/EQ-LATHE-201".upper())
    expect(page).to_have_url("/r/EQ/EQ-LATHE-201")
    record = page.get_by_test_id("record")
    expect(record).to_have_attribute("data-kind", "EQ")
    expect(page.get_by_test_id("scan-banner")).to_have_attribute("data-ok", "true")
    expect(page.get_by_test_id("action-set_status")).to_be_visible()


def test_an_unknown_code_gets_a_red_banner_with_the_reason(page):
    sign_in_with_password(page, "operator")
    scan(page, "NO-SUCH-THING-42")
    banner = page.get_by_test_id("scan-banner")
    expect(banner).to_have_attribute("data-ok", "false")
    expect(banner).to_contain_text("NO-SUCH-THING-42")


def _lookups(page, code: str) -> list[str]:
    """The scan look-ups the page sends for a code, as they happen."""
    sent: list[str] = []
    wanted = f"/api/v1/scan?code={code}"
    page.on("request", lambda r: sent.append(r.url) if wanted in r.url else None)
    return sent


def _scan_refused(page, code: str) -> None:
    scan(page, code)
    expect(page.get_by_test_id("scan-banner")).to_contain_text(code)


def test_the_same_label_read_again_within_the_repeat_window_counts_once(page):
    # This device gets a minute from the server's settings, like a scanner whose trigger sticks.
    def long_window(route):
        response = route.fetch()
        route.fulfill(response=response, json={**response.json(), "scan_repeat_window_ms": 60_000})

    page.route("**/api/v1/client-config", long_window)
    held = _lookups(page, "NO-SUCH-HELD")
    sign_in_with_password(page, "operator")
    _scan_refused(page, "NO-SUCH-HELD")
    scan(page, "NO-SUCH-HELD")
    _scan_refused(page, "NO-SUCH-NEXT")  # once this is answered, a second look-up would show
    assert len(held) == 1


def test_the_same_label_read_again_after_the_repeat_window_is_a_new_scan(page):
    sign_in_with_password(page, "operator")
    _scan_refused(page, "NO-SUCH-AGAIN")
    page.wait_for_timeout(SCAN_REPEAT_WINDOW_MS)
    with page.expect_request(lambda r: "/api/v1/scan?code=NO-SUCH-AGAIN" in r.url):
        scan(page, "NO-SUCH-AGAIN")


def test_a_qr_seen_by_the_camera_opens_the_record(page):
    sign_in_with_password(page, "supervisor")
    page.get_by_test_id("camera-button").click()
    expect(page).to_have_url("/r/WS/WS-203", timeout=30_000)
    expect(page.get_by_test_id("record")).to_have_attribute("data-code", "WS-203")
    # Chromium on Linux has no native BarcodeDetector: this went through our own wasm decoder.
    assert page.evaluate("'BarcodeDetector' in window") is False


def test_an_operators_first_workstation_scan_makes_it_this_handhelds_workstation(page, server):
    sign_in_with_password(page, "operator2")
    scan(page, f"{server.url}/S/WS/WS-104".upper())
    expect(page.get_by_test_id("my-workstation")).to_contain_text("WS-104")
    page.reload()
    expect(page.get_by_test_id("my-workstation")).to_contain_text("WS-104")


def test_the_camera_decoder_is_only_fetched_when_the_camera_opens(page):
    wasm = []
    page.on("request", lambda r: wasm.append(r.url) if r.url.endswith(".wasm") else None)
    sign_in_with_password(page, "operator")
    scan(page, "WS-101")
    expect(page).to_have_url("/r/WS/WS-101")
    assert wasm == []


def test_a_label_link_opened_by_the_phone_camera_lands_on_the_record(page):
    page.goto("/S/LOC/RM-A-01-01")
    expect(page).to_have_url("/signin")
    page.get_by_test_id("tab-password").click()
    page.locator("#username").fill("operator")
    page.locator("#password").fill("takt-demo")
    page.get_by_test_id("signin-submit").click()
    expect(page).to_have_url("/r/LOC/RM-A-01-01")
    expect(page.get_by_test_id("record")).to_have_attribute("data-kind", "LOC")


def test_the_camera_decoder_is_kept_for_offline_use_once_fetched(page, context):
    sign_in_with_password(page, "inspector")
    wait_for_service_worker(page)
    page.get_by_test_id("camera-button").click()
    expect(page).to_have_url("/r/WS/WS-203", timeout=30_000)
    expect(page.get_by_test_id("record")).to_be_visible()

    context.set_offline(True)
    page.goto("/")
    page.get_by_test_id("camera-button").click()
    # No network: the decoder comes from the device, and the record from its saved copy.
    expect(page).to_have_url("/r/WS/WS-203", timeout=30_000)
    expect(page.get_by_test_id("record")).to_have_attribute("data-code", "WS-203")
