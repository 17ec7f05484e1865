"""Platform promises: migrations on an empty database, the seed, events after commit, document
numbers, health and readiness, the back office, the front door and the CLI."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from takt.masterdata.tables import Item, Site
from takt.platform import db, events
from takt.platform.codes import next_document_code
from takt.platform.commands import Actor, UnitOfWork, execute
from takt.platform.errors import Invalid
from takt.platform.tables import User
from takt.seed import load_seed
from tests.api.helpers import current_database_url, empty_database
from tests.fake_printer import fake_printer


async def test_migrations_apply_to_an_empty_database_and_twice_change_nothing():
    async with empty_database():
        await db.migrate()
        assert await Site.count() == 0 and await User.count() == 0
        await db.migrate()  # nothing pending: a no-op, not an error
        await Site.insert(Site(code="S1", name="S1", time_zone="UTC"))
        assert await Site.count() == 1


async def test_demo_seed_loads_twice_without_duplicates(service_db):
    users, items = await User.count(), await Item.count()
    assert users >= 6 and items >= 20
    report = await load_seed(skip={"work-orders"})
    assert sum(report.created.values()) == 0
    assert report.skipped["items"] == items
    assert (await User.count(), await Item.count()) == (users, items)


async def test_events_go_out_only_after_commit_and_a_publish_error_breaks_nothing(service_db):
    sent: list[tuple[dict, list[str]]] = []
    events.set_publisher(lambda message, topics: sent.append((message, topics)))

    async def create(uow: UnitOfWork) -> None:
        await Site.insert(Site(code="EV1", name="Events", time_zone="UTC"))
        uow.emit("site.created", "EV1", "masterdata", version=1)
        assert sent == []  # nothing is published inside the transaction

    async def fail(uow: UnitOfWork) -> None:
        await Site.insert(Site(code="EV2", name="Rolled back", time_zone="UTC"))
        uow.emit("site.created", "EV2", "masterdata")
        raise Invalid("no")

    try:
        await execute(Actor.system(), create)
        assert [(m["type"], m["id"], t) for m, t in sent] == [("site.created", "EV1",
                                                                ["masterdata"])]
        with pytest.raises(Invalid):
            await execute(Actor.system(), fail)
        assert len(sent) == 1 and not await Site.exists().where(Site.code == "EV2")

        def broken(message, topics):
            raise ConnectionError("redis is down")

        events.set_publisher(broken)

        async def create_again(uow: UnitOfWork) -> None:
            await Site.insert(Site(code="EV3", name="Still saved", time_zone="UTC"))
            uow.emit("site.created", "EV3", "masterdata")

        await execute(Actor.system(), create_again)
        assert await Site.exists().where(Site.code == "EV3")
    finally:
        events.set_publisher(None)


async def test_document_numbers_count_per_type_and_year_and_are_never_reused(service_db):
    async def number(uow: UnitOfWork) -> str:
        return await next_document_code("wo")

    first = await execute(Actor.system(), number)
    second = await execute(Actor.system(), number)
    assert first.endswith("-00001") and second.endswith("-00002")
    assert first.startswith("WO-20")

    async def rolled_back(uow: UnitOfWork) -> None:
        await next_document_code("WO")
        raise Invalid("no")

    with pytest.raises(Invalid):
        await execute(Actor.system(), rolled_back)
    assert (await execute(Actor.system(), number)).endswith("-00003")
    # A type the demo seed numbers nothing of (its receipts already numbered lots).
    other = await execute(Actor.system(), lambda uow: next_document_code("NCR"))
    assert other.endswith("-00001")


async def test_health_ready_schema_and_front_door(client):
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok"
    schema = (await client.get("/schema/openapi.json")).json()
    assert "/api/v1/scan" in schema["paths"] and "/api/v1/auth/login" in schema["paths"]
    door = await client.get("/")
    assert door.status_code == 200 and "Sign in" in door.text
    label_link = await client.get("/S/WS/WS-101")
    assert label_link.status_code == 200 and "text/html" in label_link.headers["content-type"]


async def test_back_office_is_piccolo_admin_on_takt_accounts_for_admins_and_planners(client):
    assert (await client.get("/admin/")).status_code == 200
    assert (await client.get("/admin/api/tables/")).status_code == 401
    csrf = {"X-CSRFToken": client.cookies.get("csrftoken") or ""}
    login = await client.post("/admin/public/login/", headers=csrf,
                              json={"username": "planner", "password": "takt-demo"})
    assert login.status_code == 200
    tables = await client.get("/admin/api/tables/")
    assert tables.status_code == 200 and "md_item" in tables.json()
    client.cookies.clear()
    await client.get("/admin/")
    csrf = {"X-CSRFToken": client.cookies.get("csrftoken") or ""}
    await client.post("/admin/public/login/", headers=csrf,
                      json={"username": "operator", "password": "takt-demo"})
    assert (await client.get("/admin/api/tables/")).status_code == 401


def _run_cli(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": current_database_url(), **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "takt", *args], capture_output=True, text=True,
                          env=env, timeout=120)


async def test_cli_creates_a_user_who_can_then_sign_in(client):
    result = _run_cli("user", "create", "nightshift", "--role", "supervisor", "--role",
                      "operator", "--password", "night-pass-1")
    assert result.returncode == 0, result.stderr
    assert "operator, supervisor" in result.stdout
    signed_in = await client.post("/api/v1/auth/login",
                                  json={"username": "nightshift", "password": "night-pass-1"})
    assert signed_in.json()["user"]["roles"] == ["operator", "supervisor"]
    again = _run_cli("user", "create", "nightshift", "--role", "operator", "--password", "abcdefg")
    assert again.returncode == 1 and "taken" in again.stderr


async def test_cli_prints_zpl_to_a_printer_port_and_pdf_to_a_file(fresh_db, tmp_path):
    with fake_printer() as printer:
        result = _run_cli("labels", "print", "WS/WS-101", "LOC/RM-A-01-01",
                          "--printer", f"127.0.0.1:{printer.port}")
        received = printer.received()
    assert result.returncode == 0, result.stderr
    text = received.decode()
    assert text.count("^XA") == 2 and "/S/WS/WS-101^FS" in text
    out = tmp_path / "sheet.pdf"
    result = _run_cli("labels", "print", "WS/WS-101", "--out", str(out))
    assert result.returncode == 0 and out.read_bytes().startswith(b"%PDF")
    missing = _run_cli("labels", "print", "WS/NOPE", "--out", str(out))
    assert missing.returncode == 1 and "NOPE" in missing.stderr
    upper = tmp_path / "SHEET.PDF"
    result = _run_cli("labels", "print", "WS/WS-101", "--out", str(upper))
    assert result.returncode == 0 and upper.read_bytes().startswith(b"%PDF")
    unknown = _run_cli("labels", "print", "WS/WS-101", "--out", str(tmp_path / "sheet.txt"))
    assert unknown.returncode == 2 and ".png, .pdf or .zpl" in unknown.stderr
    assert not (tmp_path / "sheet.txt").exists()
