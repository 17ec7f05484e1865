"""Every interactive element a gloved thumb may need on the floor's screens is at least
48 x 48 px on a 360 x 780 handheld: the operator's, the storekeeper's (the operator's stock
screens), the supervisor's and the planner's, opened with the demo logins.

Measured: links, buttons, inputs, selects, text areas, [role=button], summaries, and labels
that wrap a control (the label is what a thumb taps; its input may be visually hidden). Left
out: elements not shown, and inline text links inside a sentence (a link whose paragraph has
other words), which WCAG 2.5.8 exempts as well. A failure lists every undersized element with
its screen, its test id or text, and its size.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.flows import sign_in_with_password

MIN_PX = 48

UNDERSIZED = """
(min) => {
  const found = [];
  const seen = new Set();
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width <= 2 || r.height <= 2) return false; // not shown, or visually hidden
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === "none" || cs.visibility === "hidden" || cs.opacity === "0") return false;
    }
    return true;
  };
  const inSentence = (el) => {
    if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
    const parent = el.parentElement;
    return !!parent && parent.textContent.trim().length > el.textContent.trim().length;
  };
  const name = (el) => {
    const id = el.getAttribute("data-testid");
    const text = (el.getAttribute("aria-label") || el.textContent || el.getAttribute("placeholder")
      || el.getAttribute("name") || "").replace(/\\s+/g, " ").trim().slice(0, 40);
    const cls = typeof el.className === "string" && el.className.trim()
      ? ` class="${el.className.trim()}"` : "";
    const tag = `<${el.tagName.toLowerCase()}${id ? ` data-testid=${id}` : ""}${cls}>`;
    return `${tag} ${JSON.stringify(text)}`;
  };
  const controls = "a[href], button, input:not([type=hidden]), select, textarea, "
    + "[role=button], summary, label";
  for (const el of document.querySelectorAll(controls)) {
    let target = el;
    if (el.tagName === "LABEL") {
      if (!el.querySelector("input, select, textarea")) continue; // a caption, not a control
    } else {
      target = el.closest("label") || el; // a label-wrapped control: the label is the target
    }
    if (seen.has(target)) continue;
    seen.add(target);
    if (!shown(target) || inSentence(target)) continue;
    const r = target.getBoundingClientRect();
    if (r.width + 0.5 < min || r.height + 0.5 < min) {
      found.push(`${name(target)} ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return found;
}
"""


def undersized(page: Page) -> list[str]:
    return page.evaluate(UNDERSIZED, MIN_PX)


class Walk:
    """Open screens one after another as one user, collecting what is too small on each."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.found: list[str] = []
        self.screens: list[str] = []

    def visit(self, path: str, ready: str | None = None,
              then: Callable[[Page], Any] | None = None, name: str | None = None) -> None:
        self.page.goto(path)
        self.check(name or path, ready, then)

    def check(self, name: str, ready: str | None = None,
              then: Callable[[Page], Any] | None = None) -> None:
        page = self.page
        expect(page.locator("main").first).to_be_visible()
        expect(page.get_by_test_id("screen-loading")).to_have_count(0)
        if ready:
            expect(page.get_by_test_id(ready).first).to_be_visible()
        if then:
            then(page)
        page.wait_for_timeout(400)  # the screen's lists arrive and lay out
        self.screens.append(name)
        self.found += [f"{name}: {what}" for what in undersized(page)]

    def assert_none(self) -> None:
        assert not self.found, (
            f"{len(self.found)} interactive elements under {MIN_PX} x {MIN_PX} px on "
            f"{len(self.screens)} screens:\n" + "\n".join(self.found))


def _demo(server) -> dict[str, str]:
    """Codes of the demo factory's records to open: a running operation, a released order,
    a lot with stock and its location, a workstation, equipment."""
    api = server.api("admin")
    started = api.get("/api/v1/work-orders", params={"status": "in_progress", "limit": 50})
    running = next(op for wo in started.json()["data"]
                   for op in api.get(f"/api/v1/work-orders/{wo['code']}").json()["operations"]
                   if op["status"] in ("running", "paused", "ready"))
    released = api.get("/api/v1/work-orders",
                       params={"status": "released", "limit": 1}).json()["data"][0]
    stock = api.get("/api/v1/stock", params={"limit": 100}).json()["data"]
    lot = next(row for row in stock if row.get("lot_code"))
    equipment = api.get("/api/v1/equipment", params={"limit": 1}).json()["data"][0]
    station = running["scheduled_workstation"] or running["workstation"]
    return {"op": running["code"], "op_station": station,
            "wo": released["code"], "lot": lot["lot_code"], "location": lot["location_code"],
            "item": lot["item_code"], "equipment": equipment["code"]}


@pytest.fixture(scope="module")
def demo(server) -> dict[str, str]:
    return _demo(server)


def test_the_operators_and_storekeepers_screens_have_48_px_targets(page, demo):
    sign_in_with_password(page, "operator")
    walk = Walk(page)
    walk.check("home (choose a workstation)")
    station = demo["op_station"]
    page.get_by_test_id(f"pick-{station}").click()
    walk.check("home (the workstation's queue)")
    walk.visit(f"/r/OP/{demo['op']}", ready="operation", name="operation panel")
    type_good = page.get_by_role("button", name="Type Good")
    if type_good.count():
        type_good.first.click()
        walk.check("operation panel, number pad open")
    walk.visit(f"/r/WO/{demo['wo']}", ready="work-order", name="work order")
    walk.visit(f"/r/LOT/{demo['lot']}", name="lot")
    walk.visit(f"/r/ITEM/{demo['item']}", name="item")
    walk.visit(f"/r/LOC/{demo['location']}", name="location")
    walk.visit(f"/r/WS/{station}", name="workstation")
    walk.visit("/receive", name="receive")
    walk.visit(f"/pick/{demo['wo']}", name="pick")
    walk.visit(f"/move/transfer/{demo['lot']}", name="move (transfer)")
    walk.visit("/counts", name="counts")
    walk.visit(f"/counts/{demo['location']}", name="count a location")
    walk.visit("/outbox", name="outbox")
    walk.visit("/settings", name="settings")
    walk.assert_none()


def test_the_supervisors_screens_have_48_px_targets(page, demo):
    sign_in_with_password(page, "supervisor")
    walk = Walk(page)
    walk.check("line board", ready="line-board")
    walk.visit(f"/r/WO/{demo['wo']}", ready="work-order", name="work order")
    walk.visit(f"/r/OP/{demo['op']}", ready="operation", name="operation panel")
    walk.visit(f"/r/EQ/{demo['equipment']}", name="equipment")
    walk.visit("/counts", name="counts to approve")
    walk.visit("/reconcile", name="line-side reconciliation")
    walk.visit("/ship", name="ship")
    walk.visit("/outbox", name="outbox")
    walk.visit("/settings", name="settings")
    walk.assert_none()


def test_the_inspectors_and_maintainers_homes_have_48_px_targets(page):
    walk = Walk(page)
    for role in ("inspector", "maintainer"):
        sign_in_with_password(page, role)
        walk.check(f"{role} home")
        page.context.clear_cookies()
    walk.assert_none()


def test_the_planners_screens_have_48_px_targets_on_a_phone_and_a_tablet(page):
    sign_in_with_password(page, "planner")
    walk = Walk(page)
    walk.check("work orders", ready="work-orders")
    page.get_by_test_id("new-order-button").click()
    walk.check("new work order", ready="new-order")
    walk.visit("/plan", ready="gantt", name="Gantt")
    page.locator(".gantt-bar").first.click()
    walk.check("Gantt, moving an operation")
    page.set_viewport_size({"width": 1024, "height": 768})
    walk.visit("/", ready="work-orders", name="work orders (tablet)")
    walk.visit("/plan", ready="gantt", name="Gantt (tablet)")
    walk.assert_none()
