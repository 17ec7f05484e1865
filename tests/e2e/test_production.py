"""The operator's loop on the floor: scan the operation, report good and scrap, and the
supervisor's board changes without a reload."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.flows import scan, screenshot, sign_in_with_password


def _released_operation(server) -> dict:
    planner = server.api("planner")
    created = planner.post("/api/v1/work-orders", json={"item_code": "FG-PUMP-100",
                                                        "quantity": 20})
    created.raise_for_status()
    code = created.json()["code"]
    planner.post(f"/api/v1/work-orders/{code}/release").raise_for_status()
    order = planner.get(f"/api/v1/work-orders/{code}").json()
    return order["operations"][0]


def test_an_operator_reports_and_the_line_board_follows(browser, server):
    op = _released_operation(server)
    station = op["scheduled_workstation"] or op["workstation"]
    line = server.api("planner").get(f"/api/v1/workstations/{station}").json()["line"]

    board_context = browser.new_context(base_url=server.url,
                                        viewport={"width": 1280, "height": 800})
    board = board_context.new_page()
    sign_in_with_password(board, "supervisor")
    if board.get_by_role("tab", name=line, exact=False).count():
        board.get_by_role("tab", name=line, exact=False).first.click()
    expect(board.get_by_test_id("line-board")).to_have_attribute("data-line", line)

    hand_context = browser.new_context(base_url=server.url, viewport={"width": 360, "height": 780})
    hand = hand_context.new_page()
    sign_in_with_password(hand, "operator2")
    hand.get_by_test_id(f"pick-{station}").click()
    scan(hand, f"{server.url}/S/OP/{op['code']}".upper())
    expect(hand.get_by_test_id("operation")).to_be_visible()
    hand.get_by_test_id("op-start").click()
    expect(hand.get_by_test_id("operation")).to_have_attribute("data-status", "running")
    # Good is offered as the rest available (20); this report is 3.
    hand.get_by_role("button", name="Type Good").click()
    hand.get_by_role("button", name="3", exact=True).click()
    hand.get_by_role("button", name="OK").click()
    hand.get_by_test_id("report-submit").click()
    expect(hand.get_by_test_id("good")).to_have_text("3", timeout=10_000)

    # The board shows the report within a second or two, without a reload.
    expect(board.get_by_test_id(f"good-{station}")).to_contain_text("3 /", timeout=5_000)
    board_context.close()
    hand_context.close()


def test_reporting_more_than_available_is_not_possible_on_the_handheld(page, server):
    op = _released_operation(server)
    sign_in_with_password(page, "operator")
    page.goto(f"/r/OP/{op['code']}")
    expect(page.get_by_test_id("available")).to_have_text("20")
    page.get_by_role("button", name="Type Good").click()
    for digit in "25":
        page.get_by_role("button", name=digit, exact=True).click()
    page.get_by_role("button", name="OK").click()
    # 25 is more than the 20 available: the pad refuses the 5, the stepper holds 2.
    expect(page.get_by_role("button", name="Type Good")).to_have_text("2")


def test_a_planner_imports_orders_runs_the_scheduler_and_sees_the_gantt(page, server, tmp_path):
    csv = tmp_path / "orders.csv"
    rows = ["item_code,quantity,due_at,priority"]
    rows += [f"FG-FAN-200,{5 + i},2026-12-{10 + i % 18:02d},{1 + i % 9}" for i in range(250)]
    csv.write_text("\n".join(rows) + "\n")
    sign_in_with_password(page, "planner")
    page.get_by_test_id("import-file").set_input_files(str(csv))
    progress = page.get_by_test_id("import-progress")
    expect(progress).to_have_attribute("data-done", "250", timeout=30_000)
    expect(progress).to_have_attribute("data-total", "250")

    # Release one and schedule what is released.
    page.get_by_role("tab", name="Draft").click()
    page.get_by_test_id("work-orders").get_by_role("link").first.click()
    page.get_by_role("button", name="Release").click()
    expect(page.get_by_test_id("work-order")).to_have_attribute("data-status", "released")
    page.goto("/plan")
    page.get_by_test_id("run-scheduler").click()
    expect(page.get_by_test_id("schedule-summary")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("gantt").locator(".gantt-bar").first).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page, "planner-gantt-1280x800")
