"""Every screen of the app, in English and in Chinese, shows words: no raw i18n key
(``action.resume``, ``status.lot.pending``) and no raw code word of the API (``semi_finished``,
``line_side``, ``in_service``).

The walk signs in as each role on a 360 x 780 handheld and opens every route of the PWA, a
record page of each label kind from the demo factory (items and locations of several kinds),
each role's home, and the sheets that open from them without changing anything (a lot's
release and block, a machine's status and the set-down question). It reads the visible text
of each screen and fails listing every screen with the text that gave it away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from playwright.sync_api import Page

from takt.platform.roles import ALL_ROLES
from tests.e2e.flows import sign_in_with_password

KEY_SHAPED = re.compile(r"\b[a-z][a-z0-9_]+(?:\.[A-Za-z][A-Za-z0-9_]+)+\b")
"""An i18n key (``kind.SN``, ``status.lot.pending``, ``stock.lot_blocked``); segments of
one letter (a company's "s.r.o.") are not keys."""
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
"""An API code word shown as is (``semi_finished``, ``line_side``, ``under_maintenance``)."""
LOADING = ("Loading…", "加载中…")


@dataclass
class Demo:
    """Codes of the demo factory to open, one or more per kind of record."""

    work_orders: list[str] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)
    lots: list[str] = field(default_factory=list)
    pending_lot: str | None = None
    items: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    workstations: list[str] = field(default_factory=list)
    equipment: list[str] = field(default_factory=list)
    serials: list[str] = field(default_factory=list)
    badges: list[str] = field(default_factory=list)
    counts: list[str] = field(default_factory=list)


def _first_by(rows: list[dict], key: str) -> list[dict]:
    """One row for each value of ``key``."""
    seen: dict[str, dict] = {}
    for row in rows:
        seen.setdefault(str(row.get(key)), row)
    return list(seen.values())


@pytest.fixture(scope="module")
def demo(server) -> Demo:
    api = server.api("admin")

    def rows(path: str, **params) -> list[dict]:
        answer = api.get(path, params={"limit": 200, **params})
        answer.raise_for_status()
        return answer.json()["data"]

    d = Demo()
    orders = rows("/api/v1/work-orders")
    for wo in _first_by(orders, "status"):
        d.work_orders.append(wo["code"])
    for code in d.work_orders:
        order = api.get(f"/api/v1/work-orders/{code}").json()
        d.operations += [op["code"] for op in _first_by(order.get("operations", []), "status")
                         if op["code"] not in d.operations][:2]
        if not d.serials:
            serials = api.get(f"/api/v1/work-orders/{code}/serials")
            if serials.status_code == 200:
                data = serials.json()
                data = data.get("data", data) if isinstance(data, dict) else data
                d.serials = [s["code"] for s in data[:1]]
    lots = rows("/api/v1/lots")
    d.lots = [lot["code"] for lot in _first_by(lots, "quality_status")]
    d.pending_lot = next((lot["code"] for lot in lots if lot["quality_status"] == "pending"),
                         None)
    d.items = [i["code"] for i in _first_by(rows("/api/v1/items"), "kind")]
    d.locations = [loc["code"] for loc in _first_by(rows("/api/v1/locations"), "kind")]
    d.workstations = [ws["code"] for ws in rows("/api/v1/workstations")[:1]]
    d.equipment = [e["code"] for e in rows("/api/v1/equipment")[:1]]
    d.badges = [u["badge"] for u in rows("/api/v1/users") if u.get("badge")][:1]
    d.counts = [c["code"] for c in rows("/api/v1/counts")[:1]]
    assert d.work_orders and d.operations and d.lots and d.items and d.locations
    return d


def _settle(page: Page) -> None:
    page.wait_for_selector("main")
    for _ in range(30):
        text = page.evaluate("document.body.innerText")
        if not any(word in text for word in LOADING):
            break
        page.wait_for_timeout(200)
    page.wait_for_timeout(300)


def _read(page: Page, screen: str, found: dict[str, set[str]]) -> None:
    _settle(page)
    text = page.evaluate("document.body.innerText")
    bad = set(KEY_SHAPED.findall(text)) | set(SNAKE_CASE.findall(text))
    # Codes and addresses of the demo are not words: e-mail addresses and host names.
    bad = {b for b in bad if not re.search(rf"[\w.-]@{re.escape(b)}|{re.escape(b)}@", text)}
    if bad:
        found.setdefault(screen, set()).update(bad)


def _open(page: Page, path: str, found: dict[str, set[str]]) -> None:
    page.goto(path)
    _read(page, path, found)


def _sheet(page: Page, opener: str, screen: str, found: dict[str, set[str]]) -> bool:
    """Open a sheet with the button ``opener`` (if this role has it), read it, close it."""
    button = page.get_by_test_id(opener)
    if not button.count():
        return False
    button.first.click()
    if not _sheet_open(page):
        return False  # not a sheet here (the confirmations have their own test)
    _read(page, screen, found)
    return True


def _sheet_open(page: Page) -> bool:
    if not page.locator("[role=dialog]").count():
        page.wait_for_timeout(500)
    return page.locator("[role=dialog]").count() > 0


def _close_sheet(page: Page) -> None:
    page.locator(".sheet-close").first.click()
    page.wait_for_selector("[role=dialog]", state="detached")


def _records(demo: Demo) -> list[str]:
    pages = [f"/r/WO/{c}" for c in demo.work_orders] + [f"/r/OP/{c}" for c in demo.operations]
    pages += [f"/r/LOT/{c}" for c in demo.lots] + [f"/r/ITEM/{c}" for c in demo.items]
    pages += [f"/r/LOC/{c}" for c in demo.locations] + [f"/r/WS/{c}" for c in demo.workstations]
    pages += [f"/r/EQ/{c}" for c in demo.equipment] + [f"/r/SN/{c}" for c in demo.serials]
    pages += [f"/r/U/{c}" for c in demo.badges]
    return [quote(p) for p in pages]


def _routes(demo: Demo) -> list[str]:
    lot = demo.lots[0]
    wo = demo.work_orders[0]
    routes = ["/", "/outbox", "/settings", "/andon", "/plan", "/receive",
              f"/receive/{demo.items[0]}", f"/pick/{wo}", f"/trace/{lot}", "/ship",
              f"/ship/{lot}", "/counts", "/reconcile",
              f"/counts/{demo.locations[0]}", f"/reconcile/{demo.locations[0]}",
              "/no-such-screen"]
    routes += [f"/move/{kind}/{lot}" for kind in ("transfer", "return", "scrap", "finished_goods",
                                                   "misc_out", "misc_in", "supplier_return",
                                                   "customer_return")]
    routes += [f"/count/{c}" for c in demo.counts]
    return [quote(r) for r in routes]


@pytest.fixture(params=["en", "zh-CN"])
def handheld(request, browser, server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server.url, viewport={"width": 360, "height": 780},
                                  locale=request.param)
    context.set_default_timeout(15_000)
    yield request.param, context
    context.close()


def test_no_screen_shows_a_key_or_a_raw_code_word(handheld, server, demo):
    language, context = handheld
    found: dict[str, set[str]] = {}
    for role in ALL_ROLES:
        page = context.new_page()
        sign_in_with_password(page, role)
        assert page.evaluate("document.documentElement.lang") in ("en", language, "zh-CN")
        _read(page, f"home of the {role}", found)
        # The floor's roles see every screen; the others their own records and home.
        if role in ("operator", "supervisor"):
            paths = _routes(demo) + _records(demo)
        else:
            own = {"inspector": "/r/LOT/", "maintainer": "/r/EQ/", "planner": "/r/WO/"}.get(role)
            paths = ["/settings"] + [p for p in _records(demo) if own and p.startswith(own)]
        for path in paths:
            _open(page, path, found)
            screen = f"{path} as {role}"
            if path.startswith("/r/LOT/"):
                for opener in ("lot-release", "lot-block"):
                    if _sheet(page, opener, f"{screen}, {opener} sheet", found):
                        _close_sheet(page)
            if path.startswith("/r/EQ/") and _sheet(page, "action-set_status",
                                                      f"{screen}, status sheet", found):
                page.get_by_test_id("status-down").click()
                if _sheet_open(page):
                    _read(page, f"{screen}, set-down sheet", found)
                    _close_sheet(page)
        # Sign out for the next role (this also opens the sign-in screen in this language).
        page.goto("/settings")
        page.get_by_test_id("sign-out").click()
        _read(page, "sign-in", found)
        page.close()
    assert not found, f"screens showing keys or code words in {language}:\n" + "\n".join(
        f"  {screen}: {sorted(texts)}" for screen, texts in sorted(found.items()))
