"""Reporting on a 360 x 780 handheld, counted in taps: an operator signed in at the workstation
scans an operation's label and reports good in one tap (the quantity is prefilled), or good
with scrap and its reason in three; the confirmation with the new totals is in view, the report
is in the operation's history, and undo takes it back. A supervisor voids anyone's report
from the same history."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.flows import post_command, released_order, scan, screenshot, sign_in_with_password

COUNT_TAPS = """
window.__taps = 0;
document.addEventListener("click", (event) => { if (event.isTrusted) window.__taps += 1; }, true);
"""


class Taps:
    """The taps a test makes, counted twice: by the test, and by the page (trusted clicks)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.made = 0

    def start(self) -> None:
        self.page.evaluate(COUNT_TAPS)
        self.made = 0

    def tap(self, target: Locator) -> None:
        target.click()
        self.made += 1

    def count(self) -> int:
        seen = self.page.evaluate("window.__taps")
        assert seen == self.made, f"the page saw {seen} taps, the test made {self.made}"
        return self.made


_opened: list[int] = []


@pytest.fixture(autouse=True)
def _leave_no_work_open(server) -> Iterator[None]:
    """Complete what a test left open, so the line board of later tests (one server for the
    whole run) does not show it as its workstation's current work."""
    yield
    operator = server.api("operator")
    while _opened:
        operator.post(f"/api/v1/operations/{_opened.pop()}/complete",
                      headers={"Idempotency-Key": str(uuid.uuid4())})


def _first_operation(server, item: str, quantity: int) -> dict:
    op = released_order(server, item, quantity)["operations"][0]
    _opened.append(op["id"])
    return op


def _at_workstation(page: Page, server, op: dict, who: str = "operator") -> None:
    """Signed in on the handheld, at the workstation the operation runs on."""
    sign_in_with_password(page, who)
    page.get_by_test_id(f"pick-{op['workstation'] or op['scheduled_workstation']}").click()


def _label(server, op: dict) -> str:
    return f"{server.url}/S/OP/{op['code']}".upper()


def test_a_good_only_report_is_one_scan_and_one_tap(page: Page, server):
    op = _first_operation(server, "FG-PUMP-100", 20)
    _at_workstation(page, server, op)
    taps = Taps(page)
    taps.start()

    scan(page, _label(server, op))
    operation = page.get_by_test_id("operation")
    expect(operation).to_have_attribute("data-status", "ready")
    # Ready to report: the rest available is offered, and Send is on the first screen.
    expect(page.get_by_role("button", name="Type Good")).to_have_text("20")
    send = page.get_by_test_id("report-submit")
    expect(send).to_be_in_viewport()
    taps.tap(send)

    confirmation = page.get_by_test_id("report-confirmation")
    expect(confirmation).to_have_attribute("data-state", "accepted")
    expect(confirmation).to_contain_text("Reported 20 good")
    expect(page.get_by_test_id("report-totals")).to_have_text(
        "Now 20 good · 0 scrap · 0 available")
    expect(confirmation).to_be_in_viewport()
    assert taps.count() <= 2
    assert taps.count() == 1
    # The first report started the operation, with this operator working on it.
    expect(operation).to_have_attribute("data-status", "running")
    expect(page.get_by_test_id("good")).to_have_text("20")
    # Nothing left to report: said once, under the figures; no Send.
    expect(page.get_by_test_id("report-nothing")).to_have_text(
        "Everything available here is reported.")
    expect(page.get_by_test_id("report-submit")).to_have_count(0)
    screenshot(page, "report-good-only-360x780")
    server_op = server.api("operator").get(f"/api/v1/operations/{op['id']}").json()
    assert (server_op["good"], server_op["operators"]) == ("20", ["operator"])


def test_after_a_report_start_is_not_offered_and_the_next_report_is_sent(page: Page, server):
    # A report starts the operation and the reporter's labour: Start is not offered to them
    # again (the server would have nothing to start), and their next report goes straight out.
    op = _first_operation(server, "FG-FAN-200", 25)  # cartons of 10
    _at_workstation(page, server, op)
    scan(page, _label(server, op))
    send = page.get_by_test_id("report-submit")
    send.click()
    confirmation = page.get_by_test_id("report-confirmation")
    expect(confirmation).to_have_attribute("data-state", "accepted")
    operation = page.get_by_test_id("operation")
    expect(operation).to_have_attribute("data-status", "running")
    expect(operation).to_contain_text("Working now: operator")
    expect(page.get_by_test_id("op-start")).to_have_count(0)
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    expect(page.get_by_test_id("op-complete")).to_be_visible()
    screenshot(page, "report-running-no-start-360x780")
    page.wait_for_timeout(1600)  # past the double-tap guard
    send.click()
    expect(page.get_by_test_id("report-totals")).to_have_text("Now 20 good · 0 scrap · 6 available")
    expect(confirmation).to_have_attribute("data-state", "accepted")
    expect(page.get_by_test_id("outbox-badge")).to_have_attribute("data-waiting", "0")
    expect(page.get_by_test_id("operation-refusal")).to_have_count(0)


def test_a_container_is_reported_a_tap_at_a_time(page: Page, server):
    # FG-FAN-200 comes in cartons of 10 (the demo's item master data); 25 ordered with 5 %
    # overrun allowed make 26 available.
    op = _first_operation(server, "FG-FAN-200", 25)
    _at_workstation(page, server, op)
    taps = Taps(page)
    taps.start()
    scan(page, _label(server, op))
    expect(page.get_by_test_id("report-prefill")).to_have_text("One container: 10")
    send = page.get_by_test_id("report-submit")
    totals = page.get_by_test_id("report-totals")
    taps.tap(send)
    expect(totals).to_have_text("Now 10 good · 0 scrap · 16 available")
    page.wait_for_timeout(1600)  # a second tap this soon would be a double tap
    taps.tap(send)
    expect(totals).to_have_text("Now 20 good · 0 scrap · 6 available")
    # What is left is less than a carton: that is offered.
    expect(page.get_by_role("button", name="Type Good")).to_have_text("6")
    assert taps.count() == 2


def test_a_report_with_scrap_and_its_reason_is_three_taps_and_undo_restores(page: Page, server):
    op = _first_operation(server, "FG-PUMP-100", 20)
    _at_workstation(page, server, op)
    taps = Taps(page)
    taps.start()

    scan(page, _label(server, op))
    expect(page.get_by_role("button", name="Type Good")).to_have_text("20")
    taps.tap(page.get_by_role("button", name="More Scrap"))
    # Good makes room for the scrap by itself; the line's most used reasons are buttons.
    expect(page.get_by_role("button", name="Type Good")).to_have_text("19")
    reasons = page.get_by_test_id("scrap-reasons")
    expect(reasons.get_by_role("button")).to_have_count(4)  # three reasons and "Other…"
    first = reasons.get_by_role("button").first
    reason_name = first.inner_text()
    taps.tap(first)
    expect(first).to_have_attribute("aria-pressed", "true")
    taps.tap(page.get_by_test_id("report-submit"))

    confirmation = page.get_by_test_id("report-confirmation")
    expect(confirmation).to_have_attribute("data-state", "accepted")
    expect(confirmation).to_contain_text(f"Reported 19 good · 1 scrap ({reason_name})")
    expect(page.get_by_test_id("report-totals")).to_have_text(
        "Now 19 good · 1 scrap · 0 available")
    expect(confirmation).to_be_in_viewport()
    assert taps.count() <= 4
    assert taps.count() == 3

    # The report is in the operation's history on the handheld.
    history = page.get_by_test_id("report-history")
    row = history.locator("[data-kind=report]").first
    expect(row).to_contain_text(f"19 good · 1 scrap ({reason_name})")
    expect(row).to_contain_text("operator")
    screenshot(page, "report-with-scrap-360x780")

    # Undo: two taps (Undo, why), through the outbox; the totals come back.
    taps.tap(page.get_by_test_id("report-undo"))
    taps.tap(page.get_by_test_id("undo-wrongQuantity"))
    expect(confirmation).to_have_attribute("data-state", "undone")
    expect(page.get_by_test_id("report-totals")).to_have_text(
        "Now 0 good · 0 scrap · 20 available")
    expect(page.get_by_test_id("good")).to_have_text("0")
    expect(page.get_by_test_id("available")).to_have_text("20")
    expect(row).to_have_attribute("data-voided", "true")
    expect(history.locator("[data-kind=void]")).to_contain_text("Wrong quantity")
    expect(page.get_by_role("button", name="Type Good")).to_have_text("20")
    assert taps.count() == 5
    screenshot(page, "report-undone-360x780")


def test_a_supervisor_voids_an_operators_report_from_the_handheld(page: Page, server):
    op = _first_operation(server, "FG-PUMP-100", 20)
    made = post_command(server.api("operator"), f"/api/v1/operations/{op['id']}/reports",
                        {"good": 7})
    sign_in_with_password(page, "supervisor")
    page.goto(f"/r/OP/{op['code']}")
    expect(page.get_by_test_id("good")).to_have_text("7")
    row = page.get_by_test_id(f"report-row-{made['id']}")
    expect(row).to_contain_text("7 good")
    row.get_by_role("button", name="Void").click()
    page.get_by_test_id("undo-reportedTwice").click()
    expect(row).to_have_attribute("data-voided", "true")
    expect(page.get_by_test_id("good")).to_have_text("0")


def test_another_operator_sees_no_undo_on_someone_elses_report(page: Page, server):
    op = _first_operation(server, "FG-PUMP-100", 20)
    made = post_command(server.api("operator"), f"/api/v1/operations/{op['id']}/reports",
                        {"good": 4})
    _at_workstation(page, server, op, who="operator2")
    page.goto(f"/r/OP/{op['code']}")
    row = page.get_by_test_id(f"report-row-{made['id']}")
    expect(row).to_contain_text("4 good")
    expect(row.get_by_role("button")).to_have_count(0)


def test_an_operation_tapped_in_the_queue_opens_ready_to_report(page: Page, server):
    op = _first_operation(server, "FG-PUMP-100", 12)
    _at_workstation(page, server, op)
    page.get_by_test_id(f"queue-{op['code']}").click()
    expect(page.get_by_role("button", name="Type Good")).to_have_text("12")
    expect(page.get_by_test_id("report-submit")).to_be_in_viewport()


def test_a_pending_operation_says_nothing_has_reached_it(page: Page, server):
    planner = server.api("planner")
    code = post_command(planner, "/api/v1/work-orders",
                 {"item_code": "FG-PUMP-100", "quantity": 5})["code"]
    second = post_command(planner, f"/api/v1/work-orders/{code}/release")["operations"][1]
    sign_in_with_password(page, "operator")
    page.goto(f"/r/OP/{second['code']}")
    expect(page.get_by_test_id("report-nothing")).to_have_text(
        "Nothing has reached this operation yet: the previous step has passed on no good parts.")
    expect(page.get_by_test_id("report-submit")).to_have_count(0)


def test_an_undo_made_offline_waits_in_the_outbox_and_arrives_once(page: Page, context, server):
    op = _first_operation(server, "FG-PUMP-100", 10)
    _at_workstation(page, server, op)
    scan(page, _label(server, op))
    page.get_by_test_id("report-submit").click()
    confirmation = page.get_by_test_id("report-confirmation")
    expect(confirmation).to_have_attribute("data-state", "accepted")

    context.set_offline(True)
    page.get_by_test_id("report-undo").click()
    page.get_by_test_id("undo-reportedTwice").click()
    expect(confirmation).to_have_attribute("data-state", "undoing")
    expect(confirmation).to_contain_text("Undo waiting to be sent")
    expect(page.get_by_test_id("outbox-badge")).to_have_attribute("data-waiting", "1")

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(confirmation).to_have_attribute("data-state", "undone", timeout=20_000)
    expect(page.get_by_test_id("report-totals")).to_have_text(
        "Now 0 good · 0 scrap · 10 available")
    history = server.api("operator").get(f"/api/v1/operations/{op['id']}/reports").json()
    assert [(row["kind"], row["note"]) for row in history] == [
        ("report", ""), ("void", "Reported twice")]
