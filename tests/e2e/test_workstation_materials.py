"""Materials and serials at the workstation, and work sent to a supplier: an operator scans a
component lot and sees it consumed (and a lot of the wrong item refused in the server's
words), scans serials to report output (a serial scanned twice is refused), and a planner
sends an operation to a supplier and receives part of it back."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.flows import (
    pcb_lot_at_the_line,
    post_command,
    released_order,
    scan,
    screenshot,
    sign_in_with_password,
)


def _pass_on(server, op: dict, good: int) -> None:
    """Report ``good`` on an operation and release what an in-process inspection holds."""
    report = post_command(server.api("operator"), f"/api/v1/operations/{op['id']}/reports",
                   {"good": good})
    if float(report["held"]) > 0:
        post_command(server.api("supervisor"), f"/api/v1/operations/{op['id']}/release-hold")


def _label(server, kind: str, code: str) -> str:
    return f"{server.url}/S/{kind}/{code}".upper()


def test_an_operator_scans_a_component_lot_and_sees_it_consumed(page: Page, server):
    # FG-SENS-300's first step takes one PCB a sensor, consumed by scanning its lot.
    wo = released_order(server, "FG-SENS-300", 5)
    op = wo["operations"][0]
    operator = server.api("operator")
    line = operator.get(f"/api/v1/operations/{op['id']}").json()["line"]
    pcb = pcb_lot_at_the_line(server, wo["code"], line, issued=5)
    grease = post_command(operator, "/api/v1/receipts", {"item_code": "RM-GREASE", "quantity": "1",
                                                  "location_code": "RM-A-02-01"})["lot_code"]

    sign_in_with_password(page, "operator")
    page.goto(f"/r/OP/{op['code']}")
    component = page.get_by_test_id("component-RM-PCB-S300")
    expect(component).to_contain_text("0 of 5 PCS consumed")

    scan(page, _label(server, "LOT", pcb))
    sheet = page.get_by_test_id("consume-sheet")
    # One report's worth by default: the report form offers the 5 available, one PCB a
    # sensor. The operator takes two.
    expect(sheet.get_by_role("button", name="Type Quantity (PCS)")).to_have_text("5")
    for _ in range(3):
        sheet.get_by_role("button", name="Less Quantity (PCS)").click()
    page.get_by_test_id("consume-submit").click()
    expect(component).to_contain_text("2 of 5 PCS consumed")
    expect(component).to_contain_text("3 PCS still to consume")

    # A lot of a component this step does not scan: the server's sentence says why.
    scan(page, _label(server, "LOT", grease))
    page.get_by_test_id("consume-submit").click()
    refusal = page.get_by_test_id("station-refusal")
    expect(refusal).to_contain_text("does not consume by scanning")
    expect(component).to_contain_text("2 of 5 PCS consumed")
    screenshot(page, "workstation-consume-refused-360x780")
    refusal.get_by_role("button", name="OK").click()
    expect(refusal).to_have_count(0)


def test_scanning_serials_reports_output_and_a_duplicate_is_refused(page: Page, server):
    wo = released_order(server, "FG-PUMP-100", 3)
    serials = [s["code"] for s in post_command(server.api("planner"),
                                        f"/api/v1/work-orders/{wo['code']}/serials",
                                        {"count": 3})["generated"]]
    last = max((op for op in wo["operations"] if op["counts_output"]), key=lambda o: o["seq"])
    for op in wo["operations"]:
        if op["seq"] < last["seq"]:
            _pass_on(server, op, 3)

    sign_in_with_password(page, "operator")
    page.goto(f"/r/OP/{last['code']}")
    page.get_by_test_id("scan-serials").click()
    count = page.get_by_test_id("serial-count")
    expect(count).to_have_text("0")
    scan(page, _label(server, "SN", serials[0]))
    expect(count).to_have_text("1")
    scan(page, _label(server, "SN", serials[1]))
    expect(count).to_have_text("2")
    expect(page.get_by_test_id("good")).to_have_text("2")
    screenshot(page, "workstation-serials-360x780")

    scan(page, _label(server, "SN", serials[0]))
    expect(page.get_by_test_id("station-refusal")).to_contain_text(
        f"Serial {serials[0]} was already produced")
    expect(count).to_have_text("2")
    expect(page.get_by_test_id("good")).to_have_text("2")


def test_a_planner_sends_an_operation_to_a_supplier_and_receives_part_back(page: Page, server):
    wo = released_order(server, "FG-PUMP-100", 10)
    first, second = wo["operations"][0], wo["operations"][1]
    _pass_on(server, first, 4)

    sign_in_with_password(page, "planner")
    page.goto(f"/r/WO/{wo['code']}")
    page.get_by_test_id("send-to-supplier").click()
    page.get_by_test_id(f"send-op-{second['seq']}").click()
    page.get_by_test_id("oso-supplier").select_option("SUP-ALUCAST")
    # What reached the operation may go: the 4 passed on.
    expect(page.get_by_role("button", name="Type Parts")).to_have_text("4")
    page.get_by_test_id("send-submit").click()

    order = page.get_by_test_id("outsourcing").locator("[data-testid^='oso-OSO']")
    expect(order).to_have_attribute("data-outstanding", "4")
    expect(order).to_contain_text("SUP-ALUCAST")
    # The operation is at the supplier now: it is not offered again.
    page.get_by_test_id("send-to-supplier").click()
    expect(page.get_by_test_id(f"send-op-{second['seq']}")).to_have_count(0)
    page.get_by_role("button", name="Close", exact=True).click()

    order.get_by_role("button", name="Receive from supplier").click()
    dialog = page.get_by_test_id("receive-sheet")
    for _ in range(2):
        dialog.get_by_role("button", name="More Good").click()
    dialog.get_by_role("button", name="More Supplier scrap").click()
    expect(page.get_by_test_id("receive-submit")).to_be_disabled()  # scrap needs a reason
    page.get_by_test_id("oso-scrap-reason").select_option("SCR-DIM")
    page.get_by_test_id("receive-submit").click()

    expect(order).to_have_attribute("data-outstanding", "1")
    expect(order).to_contain_text("4 sent · 2 received · 1 scrapped · 1 still out")
    expect(order.get_by_test_id("oso-inspection")).to_contain_text(
        "2 received back wait for incoming inspection")
    expect(order.get_by_role("button", name="Receive from supplier")).to_be_visible()
    screenshot(page, "work-order-outsourcing-360x780")
