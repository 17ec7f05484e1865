"""Browser tests: the built PWA (pwa/dist) served by a real Takt process, driven through
Debian's Chromium by Playwright (no browser is ever downloaded).

One server per run, on a fresh SQLite database seeded with the demo factory; each test opens
its own browser context, so device storage (outbox, saved records, service worker) starts
empty. ``make test`` builds the PWA and installs Chromium before these run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.serving import free_port, seeded_takt

ROOT = Path(__file__).resolve().parents[2]
# A build elsewhere (TAKT_E2E_PWA_DIR) lets work in progress test its own build of the app.
DIST = Path(os.environ.get("TAKT_E2E_PWA_DIR") or ROOT / "pwa" / "dist")

SCAN_REPEAT_WINDOW_MS = 20
"""The browser tests' repeat window: shorter than a scanner takes to type any label."""


def _chromium() -> str:
    path = os.environ.get("TAKT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium is not installed: run `make test` (it installs Debian's chromium "
                    "package) or `apt-get install -y chromium`.", pytrace=False)
    return path


class Server:
    """A running Takt process and how to reach it."""

    def __init__(self, url: str, data_dir: Path) -> None:
        self.url = url
        self.data_dir = data_dir

    def api(self, role: str = "admin") -> httpx.Client:
        client = httpx.Client(base_url=self.url, timeout=10)
        response = client.post("/api/v1/auth/login",
                               json={"username": role, "password": "takt-demo"})
        response.raise_for_status()
        return client


@contextmanager
def run_takt(pwa_dir: Path) -> Iterator[Server]:
    """Start a Takt process on a fresh, seeded SQLite database, serving ``pwa_dir``."""
    data_dir = Path(tempfile.mkdtemp(prefix="takt-e2e-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "REDIS_URL", "TAKT_TEST_POSTGRES_URL"}}
    env.update(TAKT_DATA_DIR=str(data_dir), PWA_DIR=str(pwa_dir), PUBLIC_URL=url,
               LOGIN_RATE_LIMIT_PER_MINUTE="100000", IDLE_SIGNOUT_MINUTES="15",
               # Tests scan one label twice on purpose; a real scanner's repeat window (a
               # second) would make them sleep past it. test_scan.py checks the window itself.
               SCAN_REPEAT_WINDOW_MS=str(SCAN_REPEAT_WINDOW_MS),
               PICCOLO_CONF="takt.piccolo_conf", LOG_LEVEL="WARNING")
    try:
        with seeded_takt(env, port, data_dir / "server.log", start_within_s=30):
            yield Server(url, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    if not (DIST / "index.html").exists():
        pytest.fail("pwa/dist is missing: `make test` builds the PWA before the browser tests.",
                    pytrace=False)
    with run_takt(DIST) as running:
        yield running


@pytest.fixture(scope="session")
def camera_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Y4M clip of a workstation label, for Chromium's fake camera."""
    from tests.e2e.fake_camera import label_clip

    return label_clip(tmp_path_factory.mktemp("camera") / "label.y4m", "WS", "WS-203")


def _chromium_args(camera_video: Path) -> list[str]:
    return ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={camera_video}"]


@pytest.fixture(scope="session")
def playwright():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright, camera_video: Path):  # type: ignore[no-untyped-def]
    browser = playwright.chromium.launch(executable_path=_chromium(), headless=True,
                                         args=_chromium_args(camera_video))
    yield browser
    browser.close()


@pytest.fixture
def profile_page(playwright, server: Server, camera_video: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A page in a browser with a real profile on disk (not incognito), as on a device."""
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=_chromium(), headless=True,
        args=_chromium_args(camera_video), base_url=server.url,
        viewport={"width": 360, "height": 780}, locale="en-US")
    context.set_default_timeout(15_000)
    yield context.pages[0] if context.pages else context.new_page()
    context.close()


@pytest.fixture
def context(browser, server: Server):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server.url, viewport={"width": 360, "height": 780},
                                  locale="en-US", permissions=["camera"])
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context):  # type: ignore[no-untyped-def]
    page = context.new_page()
    yield page

