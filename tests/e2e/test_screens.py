"""Every role's home at a handheld's size and a tablet's, saved as screenshots."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from takt.platform.roles import ALL_ROLES
from tests.e2e.flows import screenshot, sign_in_with_password

ROLES = ALL_ROLES


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lands_on_its_own_home(page, role):
    sign_in_with_password(page, role)
    home = page.get_by_test_id("home")
    expect(home).to_have_attribute("data-role", role)
    expect(page.get_by_test_id("screen-loading")).to_have_count(0)  # office homes load on demand
    screenshot(page, f"home-{role}-360x780")
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page, f"home-{role}-1280x800")
    # Nothing scrolls sideways at 360 px: the layout fits a handheld in portrait.
    page.set_viewport_size({"width": 360, "height": 780})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_operators_first_screen_comes_without_the_planners_screens(page):
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    sign_in_with_password(page, "operator")
    expect(page.get_by_test_id("home")).to_have_attribute("data-role", "operator")
    assert scripts, "the app's own script was not seen"
    assert [url for url in scripts if "/Gantt-" in url or "/OfficeHome-" in url] == []


def test_the_planners_screens_open_when_asked_for(page):
    sign_in_with_password(page, "planner")
    expect(page.get_by_test_id("import-file")).to_be_attached()
    page.goto("/plan")
    expect(page.get_by_test_id("run-scheduler")).to_be_visible()


def test_the_app_speaks_simplified_chinese(page):
    sign_in_with_password(page, "supervisor")
    page.goto("/settings")
    page.get_by_test_id("language").select_option("zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text("设置")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("产线看板")
