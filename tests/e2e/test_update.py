"""Updates are offered, never forced: a new build waits until the person applies it, and not
while commands still wait in the outbox."""

from __future__ import annotations

import json
import shutil

from playwright.sync_api import expect

from tests.e2e.conftest import DIST, run_takt
from tests.e2e.flows import sign_in_with_password, wait_for_service_worker


def _publish_new_build(dist) -> None:  # type: ignore[no-untyped-def]
    """What deploying a new build changes: the service worker's bytes and version.json."""
    sw = dist / "sw.js"
    sw.write_text(sw.read_text() + "\n// next build\n")
    (dist / "version.json").write_text(json.dumps({"build": "next-build"}))


def test_a_new_version_is_offered_and_applied_only_when_the_person_agrees(browser, tmp_path):
    dist = tmp_path / "dist"
    shutil.copytree(DIST, dist)
    with run_takt(dist) as server:
        context = browser.new_context(base_url=server.url, viewport={"width": 360, "height": 780})
        page = context.new_page()
        sign_in_with_password(page, "maintainer")
        wait_for_service_worker(page)
        page.goto("/r/EQ/EQ-LATHE-201")
        expect(page.get_by_test_id("record")).to_be_visible()

        _publish_new_build(dist)
        # A device open all shift notices the new version when the app comes back into view.
        page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
        prompt = page.get_by_test_id("update-prompt")
        expect(prompt).to_be_visible(timeout=20_000)
        # Not forced: the person stays on the record they were on.
        expect(page).to_have_url("/r/EQ/EQ-LATHE-201")

        # While a command waits in the outbox the update is not applied.
        context.set_offline(True)
        page.get_by_test_id("action-set_status").click()
        page.get_by_test_id("status-down").click()
        page.get_by_test_id("down-reason-DT-BREAKDOWN").click()
        page.get_by_test_id("down-confirm").click()
        expect(prompt.get_by_role("button")).to_have_count(0)
        context.set_offline(False)
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.get_by_test_id("outbox-badge")).to_have_attribute("data-waiting", "0")

        with page.expect_event("load"):
            prompt.get_by_role("button").click()
        expect(page.get_by_test_id("update-prompt")).to_have_count(0)
        assert page.evaluate("fetch('/sw.js').then(r => r.text())").endswith("// next build\n")
        context.close()
