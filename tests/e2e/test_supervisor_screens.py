"""The supervisor's and planner's screens as they are used: the line board on a 360 px phone,
the Gantt on a tablet and a phone, the work order list's search and filters, and an overrun
explained where it shows."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Page, expect

from tests.e2e.flows import post_command, released_order, screenshot, sign_in_with_password

TABLET = {"width": 1024, "height": 768}

ONE_LINE = """(el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size === 1;
}"""


SPREAD_FINGERS = """(el) => {
  const at = (id, x) => new Touch({ identifier: id, target: el, clientX: x, clientY: 400 });
  const fire = (type, a, b) => el.dispatchEvent(new TouchEvent(type,
    { touches: [at(1, a), at(2, b)], bubbles: true, cancelable: true }));
  fire("touchstart", 450, 550);
  fire("touchmove", 400, 600);
  fire("touchmove", 350, 650);
}"""


def _key() -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4())}


def test_the_line_board_reads_on_a_phone(page: Page):
    sign_in_with_password(page, "supervisor")
    board = page.get_by_test_id("line-board")
    expect(board).to_have_attribute("data-line", "L1")
    expect(board.locator("[data-testid^=station-]").first).to_be_visible()
    # Nothing runs off the page; the line tabs scroll inside their own row.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    tabs = page.get_by_test_id("board-lines")
    assert tabs.evaluate(
        "(el) => el.scrollWidth <= el.clientWidth || getComputedStyle(el).overflowX === 'auto'")
    page.get_by_role("tab", name=re.compile("L2")).click()
    expect(board).to_have_attribute("data-line", "L2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("tab", name=re.compile("L1")).click()
    expect(board).to_have_attribute("data-line", "L1")
    page.wait_for_load_state("networkidle")  # the line's board read again, not the one shown first
    # The demo runs operations on L1: their counts ("18 / 20") stay on one line.
    counts = board.locator("[data-testid^=good-]")
    expect(counts.first).to_be_visible()
    for i in range(counts.count()):
        assert re.fullmatch(r"\d+ / \d+", counts.nth(i).inner_text().strip())
        assert counts.nth(i).evaluate(ONE_LINE), counts.nth(i).inner_text()
    # Plans count pieces: whole numbers, never "4.75".
    plans = board.locator("[data-testid^=plan-]")
    expect(plans.nth(5)).to_be_attached()  # L1's six workstations, once its board is read again
    for i in range(plans.count()):
        assert re.fullmatch(r"\d+", plans.nth(i).inner_text().strip()), plans.nth(i).inner_text()
        assert plans.nth(i).evaluate(ONE_LINE)
    screenshot(page, "line-board-360x780")


def test_a_live_update_leaves_the_board_where_the_supervisor_scrolled(page: Page, server):
    order = released_order(server, "FG-FAN-200", 5)
    first = order["operations"][0]
    station, line = first["scheduled_workstation"] or first["workstation"], first["line"]
    sign_in_with_password(page, "supervisor")
    board = page.get_by_test_id("line-board")
    expect(board).to_have_attribute("data-line", "L1")
    if line != "L1":
        page.get_by_role("tab", name=re.compile(line)).click()
        expect(board).to_have_attribute("data-line", line)
    today = page.get_by_test_id(f"today-good-{station}")
    before = int(today.inner_text())
    # A phone: the board runs below the fold; the supervisor scrolls down to the last station.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 200, scrolled
    expect(page.get_by_test_id("board-lines")).not_to_be_in_viewport()

    operator = server.api("operator")
    post_command(operator, f"/api/v1/operations/{first['id']}/start", {"workstation": station})
    post_command(operator, f"/api/v1/operations/{first['id']}/reports", {"good": 2})
    expect(today).to_have_text(str(before + 2))  # the live event reloaded the board
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") == scrolled
    expect(page.get_by_test_id("board-lines")).not_to_be_in_viewport()


def _gantt_opens_at_now(page: Page) -> None:
    gantt = page.get_by_test_id("gantt")
    expect(gantt.locator(".gantt-bar").first).to_be_visible()
    box = gantt.bounding_box()
    now = page.get_by_test_id("gantt-now-line").bounding_box()
    assert box and now
    assert box["x"] + 80 <= now["x"] <= box["x"] + box["width"] * 0.5, (box, now)
    expect(page.get_by_test_id("gantt-now-line")).to_contain_text(re.compile(r"\d\d:\d\d"))


def _first_day_shows_whole(page: Page) -> None:
    """The day at the chart's visible start is named whole, right of the workstation column."""
    gantt = page.get_by_test_id("gantt").bounding_box()
    assert gantt
    names = page.get_by_test_id("gantt-axis").locator(".gantt-day, .gantt-week-day")
    left, right = gantt["x"], gantt["x"] + gantt["width"]
    boxes = [box for box in (names.nth(i).bounding_box() for i in range(names.count()))
             if box and left < box["x"] + box["width"] and box["x"] < right]
    first = min(boxes, key=lambda box: box["x"])
    assert left + 88 <= first["x"] and first["x"] + first["width"] <= right, first


def test_the_gantt_opens_at_now_with_an_axis_readable_bars_and_zoom(page: Page):
    page.set_viewport_size(TABLET)
    sign_in_with_password(page, "planner")
    page.goto("/plan")
    _gantt_opens_at_now(page)
    axis = page.get_by_test_id("gantt-axis")
    times = [text for text in axis.locator(".gantt-time").all_inner_texts() if text.strip()]
    assert len(times) >= 8 and all(re.fullmatch(r"\d\d:\d\d", text) for text in times), times
    assert any(text.strip() for text in axis.locator(".gantt-day").all_inner_texts())  # the date
    bars = page.locator(".gantt-bar")
    assert bars.count() >= 5
    for i in range(bars.count()):
        bar = bars.nth(i).bounding_box()
        assert bar and bar["height"] >= 48 and bar["width"] >= 48, bar
    # Labels say the order and the step (or the order's last part on a narrow bar), never cut.
    labels = page.locator(".gantt-bar-text, .gantt-outside")
    assert labels.count() >= 1
    for i in range(labels.count()):
        label = labels.nth(i)
        text = label.inner_text().strip()
        assert re.fullmatch(r"(WO-\d{4}-|)\d{5}( · \d+)?", text), text
        assert label.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1"), text
    assert any(" · " in text for text in labels.all_inner_texts())
    _first_day_shows_whole(page)
    expect(page.get_by_test_id("gantt-legend")).to_contain_text("Late: ends after its order is due")
    summary = page.get_by_test_id("schedule-summary").inner_text()
    assert "cp-sat" not in summary
    assert re.search(r"late operations? \(\d+ orders?\)|nothing late", summary), summary
    screenshot(page, "gantt-1024x768")

    # Zoom: a week shows days on the axis and keeps now in view; four hours, half hours.
    page.get_by_test_id("zoom-week").click()
    expect(page.get_by_test_id("gantt")).to_have_attribute("data-zoom", "week")
    expect(page.get_by_test_id("zoom-week")).to_have_attribute("aria-pressed", "true")
    # The axis is drawn again a frame after the zoom: wait for the days, then for no clock time.
    expect(axis.locator(".gantt-time", has_text=re.compile(r"\S")).first).to_be_attached()
    expect(axis.locator(".gantt-time", has_text=re.compile(r"^\d\d:\d\d$"))).to_have_count(0)
    _gantt_opens_at_now(page)
    _first_day_shows_whole(page)
    page.get_by_test_id("zoom-hours").click()
    expect(axis.locator(".gantt-time", has_text=re.compile(r":30$")).first).to_be_attached()
    _gantt_opens_at_now(page)
    # A trackpad's pinch (ctrl + wheel) and two fingers zoom too.
    page.get_by_test_id("gantt").hover()
    page.keyboard.down("Control")
    page.mouse.wheel(0, 120)
    page.keyboard.up("Control")
    expect(page.get_by_test_id("gantt")).to_have_attribute("data-zoom", "shift")
    page.get_by_test_id("gantt").evaluate(SPREAD_FINGERS)
    expect(page.get_by_test_id("gantt")).to_have_attribute("data-zoom", "hours")
    # Scrolled away, Now brings it back.
    page.get_by_test_id("gantt").evaluate("(el) => { el.scrollLeft = el.scrollWidth; }")
    page.get_by_test_id("gantt-now").click()
    _gantt_opens_at_now(page)
    # Tapping a bar says what it is and offers the move.
    page.locator(".gantt-bar").first.click()
    expect(page.get_by_role("dialog")).to_contain_text(re.compile(r"WO-\d{4}-\d{5}-\d+"))


def test_the_gantt_works_on_a_phone(page: Page):
    sign_in_with_password(page, "planner")
    page.goto("/plan")
    _gantt_opens_at_now(page)
    expect(page.get_by_test_id("zoom-hours")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    gaps = page.get_by_test_id("gantt-axis").locator(".gantt-tick").evaluate_all(
        "(ticks) => ticks.slice(1).map((t, i) => t.offsetLeft - ticks[i].offsetLeft)")
    assert gaps and min(gaps) >= 56, gaps  # labels do not crowd each other
    _first_day_shows_whole(page)
    screenshot(page, "gantt-360x780")


def test_the_work_order_list_uses_the_tablets_width_with_search_and_filters(page: Page, server):
    page.set_viewport_size(TABLET)
    sign_in_with_password(page, "planner")
    rows = page.get_by_test_id("work-orders").locator("a.wo-row")
    expect(rows.first).to_be_visible()
    everything = rows.count()
    assert everything >= 10
    # A table across the width, with its header, not a narrow column.
    assert rows.first.bounding_box()["width"] >= 900
    expect(page.locator(".wo-head")).to_be_visible()

    api = server.api("planner")
    fan = api.get("/api/v1/work-orders", params={"status": "draft,released,in_progress,on_hold",
                                                 "q": "FG-FAN", "limit": 200}).json()
    search = page.get_by_test_id("wo-search")
    search.fill("FG-FAN")  # by item
    # A page of up to 200 (other tests add orders of the fan); the list says how many in all.
    expect(rows).to_have_count(min(fan["total"], 200))
    expect(page.get_by_test_id("wo-count")).to_contain_text(str(fan["total"]))
    for text in rows.all_inner_texts():
        assert "FG-FAN-200" in text
    # Other tests add many orders without a customer order: take one of the demo's that has one.
    open_orders = api.get("/api/v1/work-orders", params={
        "status": "draft,released,in_progress,on_hold", "limit": 500}).json()["data"]
    some = next(wo for wo in open_orders if wo["customer_order_ref"])
    search.fill(some["customer_order_ref"])  # by customer order
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(some["code"])
    search.fill(some["code"][-5:])  # by part of the code
    expect(rows.first).to_contain_text(some["code"])
    search.fill("")
    expect(rows).to_have_count(everything)

    page.get_by_test_id("wo-line").select_option("L2")
    expect(rows.first).to_be_visible()
    expect(page.locator(".wo-row .wo-line", has_text="L1")).to_have_count(0)
    assert rows.count() < everything
    page.get_by_test_id("wo-line").select_option("")
    expect(rows).to_have_count(everything)

    page.get_by_text("Late only").click()
    late = api.get("/api/v1/work-orders", params={"status": "draft,released,in_progress,on_hold",
                                                  "late": "true", "limit": 200}).json()["total"]
    assert late >= 1
    expect(rows).to_have_count(late)
    expect(page.locator("a.wo-row[data-late=false]")).to_have_count(0)
    page.get_by_text("Late only").click()
    page.get_by_role("tab", name="Draft").click()
    others = page.locator(".wo-row .wo-status", has_text=re.compile("Released|In progress"))
    expect(others).to_have_count(0)
    expect(rows.first).to_contain_text("Draft")
    screenshot(page, "work-orders-1024x768")

    # A phone shows the same orders as cards.
    page.set_viewport_size({"width": 360, "height": 780})
    expect(page.locator(".wo-head")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_overrun_is_explained_where_it_shows(page: Page, server):
    planner, operator = server.api("planner"), server.api("operator")
    # FG-FAN-200 allows a 5 % overrun: 20 fans may become 21.
    created = planner.post("/api/v1/work-orders", json={"item_code": "FG-FAN-200", "quantity": 20},
                           headers=_key())
    created.raise_for_status()
    code = created.json()["code"]
    planner.post(f"/api/v1/work-orders/{code}/release", headers=_key()).raise_for_status()
    first = planner.get(f"/api/v1/work-orders/{code}").json()["operations"][0]
    station = first["scheduled_workstation"] or first["workstation"]
    operator.post(f"/api/v1/operations/{first['id']}/start", json={"workstation": station},
                  headers=_key()).raise_for_status()
    operator.post(f"/api/v1/operations/{first['id']}/reports", json={"good": 21},
                  headers=_key()).raise_for_status()

    sign_in_with_password(page, "supervisor")
    page.goto(f"/r/WO/{code}")
    expect(page.get_by_test_id("wo-overrun")).to_have_text(
        "Up to 21 may be made: overrun allowed 5 %.")
    expect(page.get_by_test_id(f"op-made-{first['code']}")).to_have_text(
        "21 of 20, 1 over (overrun allowed 5 %)")
    second = planner.get(f"/api/v1/work-orders/{code}").json()["operations"][1]
    expect(page.get_by_test_id(f"op-made-{second['code']}")).to_have_text("0 of 20 · 21 available")
