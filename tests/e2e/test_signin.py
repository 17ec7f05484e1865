"""Signing in on a shared handheld: password, badge + PIN, quick switch."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.flows import scan, sign_in_with_password


def test_password_sign_in_lands_on_the_planners_home(page):
    sign_in_with_password(page, "planner")
    expect(page.get_by_test_id("home")).to_have_attribute("data-role", "planner")


def test_wrong_password_says_so_and_stays_on_sign_in(page):
    page.goto("/")
    page.get_by_test_id("tab-password").click()
    page.locator("#username").fill("planner")
    page.locator("#password").fill("not-the-password")
    page.get_by_test_id("signin-submit").click()
    expect(page.get_by_test_id("signin-error")).to_be_visible()
    expect(page).to_have_url("/signin")


def test_badge_scan_then_pin_pad_signs_the_operator_in(page, server):
    page.goto("/")
    expect(page.get_by_test_id("tab-badge")).to_have_attribute("aria-selected", "true")
    scan(page, f"{server.url}/S/U/B-1001".upper())
    for digit in "1234":
        page.get_by_role("button", name=digit, exact=True).click()
    page.get_by_role("button", name="OK").click()
    expect(page.get_by_test_id("home")).to_have_attribute("data-role", "operator")


def test_wrong_pin_is_refused_with_a_reason(page):
    page.goto("/")
    scan(page, "B-1002")
    for digit in "9999":
        page.get_by_role("button", name=digit, exact=True).click()
    page.get_by_role("button", name="OK").click()
    expect(page.get_by_test_id("signin-error")).to_be_visible()
    expect(page.get_by_test_id("home")).to_have_count(0)


def test_quick_switch_offers_the_people_who_used_this_device(page):
    sign_in_with_password(page, "inspector")
    page.goto("/settings")
    page.get_by_test_id("sign-out").click()
    expect(page).to_have_url("/signin")
    known = page.get_by_test_id("known-users")
    expect(known).to_contain_text("inspector", ignore_case=True)
    known.get_by_role("button").first.click()
    expect(page.locator("#username")).to_have_value("inspector")


def test_an_idle_handheld_signs_out_by_itself(page):
    page.clock.install()
    sign_in_with_password(page, "operator2")
    page.clock.fast_forward("14:00")
    expect(page.get_by_test_id("home")).to_be_visible()
    page.clock.fast_forward("02:00")
    expect(page).to_have_url("/signin")
