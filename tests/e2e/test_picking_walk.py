"""Picking a whole pick list on a 360 x 780 handheld, as the storekeeper does: the hint names
the next scan and the scan it names is taken; lines in a row at one location need one
location scan; a line short of stock or picked short moves on by itself; the list ends in a
done state that names what is still short. The scans and taps are counted (README, flows)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.flows import scan, screenshot, sign_in_with_password

DEMO_ORDER = "WO-2026-00010"
"""The demo factory's released pump order: a shaft lot at FG-01-01, four lines in a row at
RM-A-02-01 (one of them grease, kept by lot), housings short of stock at RM-B-01-01, cartons,
and motors with nothing in stock."""


def _label(server, kind: str, code: str) -> str:
    return f"{server.url}/S/{kind}/{code}".upper()


def _walk(page: Page, server) -> dict[str, int]:
    """Do what the guide asks until the list is done; count what the storekeeper did."""
    guide = page.get_by_test_id("pick-guide")
    done = page.get_by_test_id("pick-done")
    counts = {"location_scans": 0, "lot_scans": 0, "taps": 0}
    seen: list[tuple[str, str]] = []
    for _ in range(40):
        expect(guide.or_(done)).to_be_visible()
        if done.is_visible():
            return counts
        item, stage = guide.get_attribute("data-item"), guide.get_attribute("data-stage")
        assert item and stage
        seen.append((item, stage))
        if stage == "location":
            location = guide.get_attribute("data-location")
            # The hint names the scan it waits for: the location.
            expect(page.get_by_test_id("pick-instruction")).to_contain_text(
                f"Scan location {location}")
            scan(page, _label(server, "LOC", location or ""))
            counts["location_scans"] += 1
            expect(guide).not_to_have_attribute("data-stage", "location")
        elif stage == "lot":
            lot = guide.get_attribute("data-lot")
            expect(page.get_by_test_id("pick-instruction")).to_contain_text(f"Scan lot {lot}")
            scan(page, _label(server, "LOT", lot or ""))
            counts["lot_scans"] += 1
            expect(guide).to_have_attribute("data-stage", "quantity")
        else:
            page.get_by_test_id("pick-issue").click()
            counts["taps"] += 1
            # It moves on by itself: another line (or suggestion), or the end of the list.
            expect(page.locator(f"[data-testid=pick-guide][data-item='{item}']"
                                "[data-stage=quantity]")).to_have_count(0)
    raise AssertionError(f"the walk did not end: {seen}")


def test_the_demo_pick_list_is_walked_with_one_location_scan_per_place_and_moves_on_by_itself(
        page, server):
    api = server.api("operator")
    before = api.get(f"/api/v1/work-orders/{DEMO_ORDER}/pick-list").json()
    open_lines = [line for line in before["lines"] if float(line["to_pick"]) > 0]
    with_stock = [line for line in open_lines if line["suggested"]]
    places = {s["location_code"] for line in with_stock for s in line["suggested"]}
    lots = [s for line in with_stock for s in line["suggested"] if s["lot_code"]]
    assert len(places) < len(with_stock), "the demo order has lines in a row at one location"
    assert any(float(line["short"]) > 0 for line in with_stock), "and a line short of stock"

    sign_in_with_password(page, "operator")
    page.goto(f"/r/WO/{DEMO_ORDER}")
    page.get_by_test_id("pick-material").click()
    expect(page.get_by_test_id("pick")).to_have_attribute("data-wo", DEMO_ORDER)
    screenshot(page, "pick-walk-start-360")
    counts = _walk(page, server)

    # One location scan per place, one lot scan per lot, one tap per suggestion picked.
    assert counts == {"location_scans": len(places), "lot_scans": len(lots),
                      "taps": sum(len(line["suggested"]) for line in with_stock)}, counts
    done = page.get_by_test_id("pick-done")
    expect(done).to_have_attribute("role", "status")
    expect(done).to_contain_text("Everything in stock is picked")
    # What the plant does not hold is named: the housings' rest and the motors.
    expect(done).to_contain_text("RM-MOTOR-24V 30 PCS")
    expect(done).to_contain_text("SF-HOUS-P100 10 PCS")
    expect(done).to_be_in_viewport()
    screenshot(page, "pick-walk-done-360")
    print(f"\npicking {DEMO_ORDER}: {counts} (+1 tap to open the pick list from the order)")

    # The server agrees: only what was not in stock is still to pick.
    page.wait_for_function("() => !document.querySelector('[data-testid=pick] .note')",
                           timeout=15_000)
    after = {line["item_code"]: float(line["to_pick"]) for line in
             api.get(f"/api/v1/work-orders/{DEMO_ORDER}/pick-list").json()["lines"]}
    assert after["RM-MOTOR-24V"] == 30 and after["SF-HOUS-P100"] == 10
    assert all(after[line["item_code"]] == float(line["short"]) for line in open_lines)
    page.get_by_test_id("pick-back").click()
    expect(page).to_have_url(f"/r/WO/{DEMO_ORDER}")


def test_a_lot_scanned_first_and_a_short_pick_move_the_picker_on(page, server):
    planner = server.api("planner")
    created = planner.post("/api/v1/work-orders", json={"item_code": "FG-PUMP-100", "quantity": 2})
    created.raise_for_status()
    code = created.json()["code"]
    planner.post(f"/api/v1/work-orders/{code}/release").raise_for_status()
    lines = {line["item_code"]: line for line in
             server.api("operator").get(f"/api/v1/work-orders/{code}/pick-list").json()["lines"]}
    shaft = lines["SF-SHAFT-P100"]["suggested"][0]
    bearings = lines["RM-BEARING-608"]["suggested"][0]

    sign_in_with_password(page, "operator")
    page.goto(f"/pick/{code}")
    guide = page.get_by_test_id("pick-guide")
    expect(guide).to_have_attribute("data-item", "SF-SHAFT-P100")
    expect(page.get_by_test_id("pick-instruction")).to_contain_text(
        f"Scan location {shaft['location_code']}")
    expect(page.get_by_test_id("pick-instruction")).to_contain_text(
        f"Then scan lot {shaft['lot_code']}")
    # The lot label before the location: the list suggests it at one place, so it is taken.
    scan(page, _label(server, "LOT", shaft["lot_code"]))
    expect(page.get_by_test_id("scan-banner")).to_have_attribute("data-ok", "true")
    expect(guide).to_have_attribute("data-stage", "quantity")
    page.get_by_test_id("pick-issue").click()

    expect(guide).to_have_attribute("data-item", "RM-BEARING-608")
    scan(page, _label(server, "LOC", bearings["location_code"]))
    expect(guide).to_have_attribute("data-stage", "quantity")
    expect(page.get_by_role("button", name="Type Quantity")).to_have_text("4")
    # Only 3 there: a short pick. The screen moves on to the next line at this location
    # (the grease, kept by lot), waiting for its lot, not for the location again.
    page.get_by_role("button", name="Type Quantity").click()
    page.get_by_role("button", name="3", exact=True).click()
    page.get_by_role("button", name="OK").click()
    page.get_by_test_id("pick-issue").click()
    expect(guide).to_have_attribute("data-item", "RM-GREASE")
    expect(guide).to_have_attribute("data-stage", "lot")
    expect(page.get_by_test_id("to-pick-RM-BEARING-608")).to_contain_text("1")
    screenshot(page, "pick-short-moves-on-360")
