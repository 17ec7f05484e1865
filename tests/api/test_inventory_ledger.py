"""The stock ledger: every movement kind through post_movement (the function production will
call), the stock and ledger queries, demo stock, and ``takt stock verify``."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from takt.inventory.ledger import KINDS, create_lot, post_movement
from takt.inventory.tables import Lot, OnHand
from takt.masterdata.tables import Item, Location
from takt.platform.commands import Actor, execute
from takt.platform.errors import Conflict, Invalid
from tests.api.helpers import current_database_url
from tests.api.inventory import at, ledger, receive, stock, verify


async def _ids() -> tuple[dict[str, int], dict[str, int]]:
    items = {r["code"]: r["id"] for r in await Item.select(Item.id, Item.code)}
    places = {r["code"]: r["id"] for r in await Location.select(Location.id, Location.code)}
    return items, places


async def test_every_movement_kind_posts_and_on_hand_follows(client, as_role):
    items, places = await _ids()
    grease = items["RM-GREASE"]
    actor = Actor(user_id=None, username="test", roles=frozenset({"supervisor"}))
    lot = (await receive(client, as_role, item_code="RM-GREASE", quantity=50,
                         location_code="RM-A-02-01"))["lot_code"]
    lot_id = (await Lot.select(Lot.id).where(Lot.code == lot).first())["id"]
    steps = [
        ("issue", "RM-A-02-01", "WIP-L1", 10),
        ("consume", "WIP-L1", None, 3),
        ("return", "WIP-L1", "RM-A-02-01", 2),
        ("transfer", "RM-A-02-01", "RM-A-01-01", 5),
        ("scrap", "RM-A-01-01", "SCRAP-01", 1),
        ("count_adjustment", "RM-A-01-01", None, 1),
        ("count_adjustment", None, "RM-A-01-01", 2),
        ("outsource_out", "RM-A-01-01", "QA-HOLD", 4),  # QA-HOLD: a subcontractor's place
        ("outsource_in", "QA-HOLD", "RM-A-01-01", 3),
        ("shipment", "RM-A-01-01", None, 1),
        ("customer_return", None, "QA-HOLD", 1),
        ("supplier_return", "QA-HOLD", None, 2),
        ("misc_in", None, "RM-A-02-01", 1),
        ("misc_out", "RM-A-02-01", None, 1),
        ("produce", None, "WIP-L1", 6),
        ("finished_goods", "WIP-L1", "FG-01-01", 6),
    ]
    expected: dict[str, Decimal] = {}
    for kind, frm, to, amount in steps:
        async def work(uow, kind=kind, frm=frm, to=to, amount=amount):
            return await post_movement(
                uow, kind, item_id=grease, lot_id=lot_id, quantity=Decimal(amount),
                from_location_id=places[frm] if frm else None,
                to_location_id=places[to] if to else None,
                document_type="test", document_code=f"T-{kind}")
        posted = await execute(actor, work)
        assert (posted.kind, posted.from_location_code, posted.to_location_code) == (
            kind, frm, to)
        if frm:
            expected[frm] = expected.get(frm, Decimal(0)) - amount
        if to:
            expected[to] = expected.get(to, Decimal(0)) + amount
    assert {kind for kind, *_ in steps} | {"receipt"} == set(KINDS)
    for place, amount in expected.items():
        base = 50 if place == "RM-A-02-01" else 0
        assert await at(client, as_role, place, lot) == base + amount, place
    kinds = [r["kind"] for r in (await ledger(client, as_role, lot_code=lot,
                                              limit=100))["data"]]
    assert kinds == [kind for kind, *_ in reversed(steps)] + ["receipt"]
    assert await verify() == []


async def test_post_movement_refuses_what_a_kind_does_not_take(service_db):
    items, places = await _ids()
    grease = items["RM-GREASE"]

    async def post(kind, **places_):
        async def work(uow):
            lot = await create_lot(uow, item_id=grease, origin="receipt")
            return await post_movement(uow, kind, item_id=grease, lot_id=lot.id,
                                       quantity=Decimal(1), document_type="t",
                                       document_code="T", **places_)
        return await execute(Actor.system(), work)

    with pytest.raises(Invalid, match="needs a to location"):
        await post("receipt")
    with pytest.raises(Invalid, match="has no from location"):
        await post("receipt", from_location_id=places["RM-DOCK"],
                   to_location_id=places["RM-A-01-01"])
    with pytest.raises(Invalid, match="either takes stock"):
        await post("count_adjustment", from_location_id=places["RM-DOCK"],
                   to_location_id=places["RM-A-01-01"])
    with pytest.raises(Invalid, match="not a kind"):
        await post("teleport", to_location_id=places["RM-DOCK"])
    with pytest.raises(Conflict) as refused:
        await post("shipment", from_location_id=places["FG-SHIP"])
    assert refused.value.code == "stock.insufficient"
    assert await Lot.count().where(Lot.origin == "receipt", Lot.supplier_lot == "") == 0


async def test_stock_query_filters_and_shows_quality_status(client, as_role):
    pending = (await receive(client, as_role, item_code="RM-PCB-S300", quantity=7,
                             location_code="RM-DOCK"))["lot_code"]
    page = (await client.get("/api/v1/stock", params={"lot_code": pending},
                             headers=as_role("operator"))).json()
    assert page["total"] == 1
    assert {k: page["data"][0][k] for k in ("item_code", "lot_code", "location_code",
                                            "quantity", "quality_status", "unit",
                                            "warehouse_code")} == {
        "item_code": "RM-PCB-S300", "lot_code": pending, "location_code": "RM-DOCK",
        "quantity": "7", "quality_status": "pending", "unit": "PCS", "warehouse_code": "RM"}
    screws = await stock(client, as_role, item_code="rm-screw-m3x8")
    assert screws == {("RM-SCREW-M3X8", None, "RM-A-02-01"): Decimal(5000)}  # demo stock
    at_rack = await stock(client, as_role, location_code="RM-B-01-01")
    assert {key[0] for key in at_rack} == {"RM-BAR-AL-30", "RM-BAR-SS-10", "SF-HOUS-P100",
                                           "SF-SHAFT-P100"}
    assert at_rack[next(k for k in at_rack if k[0] == "RM-BAR-AL-30")] == Decimal("350.5")


async def test_demo_stock_has_a_pending_lot_and_one_near_expiry(client, as_role):
    pending = (await client.get("/api/v1/lots", params={"quality_status": "pending"},
                                headers=as_role("inspector"))).json()["data"]
    assert [(r["item_code"], r["supplier_lot"]) for r in pending] == [
        ("RM-HOUS-P100", "AC-2611-0203")]
    grease = (await client.get("/api/v1/lots", params={"item_code": "RM-GREASE"},
                               headers=as_role("inspector"))).json()["data"]
    soonest = min(r["expires_on"] for r in grease)
    days = (date.fromisoformat(soonest) - datetime.now(UTC).date()).days
    assert 0 < days <= 30
    assert await verify() == []


async def test_ledger_is_newest_first_and_paged(client, as_role):
    lot = (await receive(client, as_role, item_code="RM-GREASE", quantity=9,
                         location_code="RM-A-02-01"))["lot_code"]
    for n in range(1, 4):
        response = await client.post("/api/v1/stock/moves", json={
            "kind": "transfer", "item_code": "RM-GREASE", "lot_code": lot, "quantity": n,
            "from_location_code": "RM-A-02-01", "to_location_code": "RM-A-01-01"},
            headers=as_role("operator", **{"Idempotency-Key": f"page-{n}"}))
        assert response.status_code == 201
    first = await ledger(client, as_role, lot_code=lot, limit=2)
    second = await ledger(client, as_role, lot_code=lot, limit=2, offset=2)
    assert first["total"] == second["total"] == 4
    assert [r["quantity"] for r in first["data"] + second["data"]] == ["3", "2", "1", "9"]
    by_place = await ledger(client, as_role, location_code="RM-A-01-01", item_code="RM-GREASE")
    assert by_place["total"] == 3
    all_rows = await ledger(client, as_role, limit=500)
    assert all_rows["total"] >= 27  # the demo's receipts and these


def _verify_cli() -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": current_database_url()}
    return subprocess.run([sys.executable, "-m", "takt", "stock", "verify"], env=env,
                          capture_output=True, text=True, timeout=120)


async def test_stock_verify_command_finds_a_tampered_on_hand_row(client, as_role):
    lot = (await receive(client, as_role, item_code="RM-GREASE", quantity=5,
                         location_code="RM-A-02-01"))["lot_code"]
    clean = _verify_cli()
    assert clean.returncode == 0, clean.stderr
    assert "equals the ledger" in clean.stdout
    lot_id = (await Lot.select(Lot.id).where(Lot.code == lot).first())["id"]
    await OnHand.update({OnHand.quantity: Decimal("4.5")}).where(OnHand.lot == lot_id)
    differences = await verify()
    assert [(d.item_code, d.lot_code, d.location_code, d.ledger, d.on_hand)
            for d in differences] == [("RM-GREASE", lot, "RM-A-02-01", Decimal(5),
                                       Decimal("4.5"))]
    broken = _verify_cli()
    assert broken.returncode == 1
    assert lot in broken.stderr and "RM-GREASE" in broken.stderr
