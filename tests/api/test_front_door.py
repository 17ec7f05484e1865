"""Serving the built PWA: the shell and service worker are revalidated on every load so updates
arrive, hashed assets are cached for good, client routes open the shell, API 404s stay
problems."""

from __future__ import annotations

import dataclasses

import pytest
from litestar.testing import AsyncTestClient

from takt.settings import get_settings

SHELL = b"<!doctype html><title>Takt app shell</title><div id=app></div>"


@pytest.fixture
async def pwa_client(fresh_db, tmp_path):
    """A client of an app serving a tiny fake ``pwa/dist``."""
    from takt.app import create_app

    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_bytes(SHELL)
    (dist / "sw.js").write_text("self.addEventListener('push', () => {});")
    (dist / "version.json").write_text('{"version": "0.1.0", "build": "abc123"}')
    (dist / "manifest.webmanifest").write_text('{"name": "Takt", "start_url": "/home"}')
    (dist / "assets" / "index-3f2a9c1d.js").write_text("console.log('takt');")
    (dist / "assets" / "zxing_reader-9b1e.wasm").write_bytes(b"\0asm\1\0\0\0")
    settings = dataclasses.replace(get_settings(), pwa_dir=dist)
    async with AsyncTestClient(app=create_app(settings), base_url="http://takt.test:8000") as c:
        yield c


def _directives(response) -> set[str]:
    return {part.strip() for part in response.headers["cache-control"].split(",")}


@pytest.mark.parametrize("path", ["/", "/index.html", "/sw.js", "/version.json",
                                  "/manifest.webmanifest", "/S/WS/WS-101"])
async def test_shell_service_worker_and_manifest_are_revalidated_on_every_load(pwa_client,
                                                                              path):
    response = await pwa_client.get(path)
    assert response.status_code == 200, path
    assert _directives(response) == {"no-cache"}


async def test_hashed_assets_are_cached_for_a_year_and_wasm_has_its_type(pwa_client):
    script = await pwa_client.get("/assets/index-3f2a9c1d.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert _directives(script) == {"public", "max-age=31536000", "immutable"}
    wasm = await pwa_client.get("/assets/zxing_reader-9b1e.wasm")
    assert wasm.status_code == 200
    assert wasm.headers["content-type"] == "application/wasm"
    manifest = await pwa_client.get("/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")


@pytest.mark.parametrize("path", ["/r/WS/WS-101", "/home", "/outbox", "/settings", "/signin",
                                  "/S/OP/WO-2026-00001-10", "/r/LOT/LOT-2026-00001"])
async def test_client_routes_open_the_app_shell(pwa_client, path):
    response = await pwa_client.get(path)
    assert response.status_code == 200, path
    assert response.content == SHELL
    assert response.headers["content-type"].startswith("text/html")
    assert _directives(response) == {"no-cache"}


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v1/sites/NOPE/x",
                                  "/assets/index-gone.js", "/missing.png", "/ca.crt"])
async def test_missing_files_and_api_addresses_stay_json_problems(pwa_client, as_role, path):
    response = await pwa_client.get(path, headers=as_role("operator"))
    assert response.status_code == 404, path
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["status"] == 404


async def test_the_api_still_answers_beside_the_app(pwa_client, as_role):
    config = await pwa_client.get("/api/v1/client-config")
    assert config.status_code == 200 and config.json()["idle_signout_minutes"] == 15
    me = await pwa_client.get("/api/v1/me", headers=as_role("operator"))
    assert me.status_code == 200 and me.json()["username"] == "operator"
    assert (await pwa_client.get("/api/v1/me")).status_code == 401
