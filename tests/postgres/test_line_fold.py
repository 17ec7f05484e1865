"""PostgreSQL: a report's line-side on-hand changes wait as pending deltas and a worker folds
them into on-hand. Stock read while reports, returns from the line and folds race stays
equal to the ledger; a fold gives way to a command holding a line-side row instead of
waiting on it; a running server folds by itself."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal

import asyncpg
import pytest

from takt.inventory import schemas as s
from takt.inventory import services
from takt.inventory.ledger import verify_stock
from takt.inventory.line import fold_pending
from takt.inventory.tables import OnHand, OnHandNow
from takt.masterdata.tables import Item, Location
from takt.platform import db
from takt.platform.commands import Actor, execute, run_command
from tests.api.production import command, released, report
from tests.api.test_production_race import race, released_order

OPERATOR = Actor(user_id=None, username="operator", roles=frozenset({"operator"}))
WIP = "WIP-L1"


async def _pending() -> int:
    return (await OnHand.raw("SELECT COUNT(*) AS n FROM inv_on_hand_pending"))[0]["n"]


async def _bearings_at_line(table) -> Decimal:
    item = (await Item.select(Item.id).where(Item.code == "RM-BEARING-608").first())["id"]
    place = (await Location.select(Location.id).where(Location.code == WIP).first())["id"]
    rows = await table.select(table.quantity).where(table.item == item, table.location == place)
    return sum((Decimal(str(r["quantity"])) for r in rows), Decimal(0))


async def _pump_order_with_bearings(quantity: int, bearings: int):
    """A released FG-PUMP-100 order (op 10 backflushes 2 bearings a pump) with bearings
    issued to its line."""
    wo = await released_order("FG-PUMP-100", quantity)
    await execute(OPERATOR, lambda uow: services.receive(uow, s.ReceiptIn(
        item_code="RM-BEARING-608", quantity=Decimal(bearings), location_code="RM-A-01-01")))
    await execute(OPERATOR, lambda uow: services.move_stock(uow, s.MoveIn(
        kind="issue", item_code="RM-BEARING-608", quantity=Decimal(bearings),
        from_location_code="RM-A-01-01", to_location_code=WIP, work_order_code=wo.code)))
    return wo


async def _return_one(work_order_code: str) -> None:
    await run_command(OPERATOR, lambda uow: services.move_stock(uow, s.MoveIn(
        kind="return", item_code="RM-BEARING-608", quantity=Decimal(1),
        from_location_code=WIP, to_location_code="RM-A-01-01",
        work_order_code=work_order_code)), idempotency_key=str(uuid.uuid4()),
        fingerprint="return", status_code=201)


async def test_stock_stays_exact_while_reports_returns_and_folds_race(service_db):
    before = await _bearings_at_line(OnHandNow)
    wo = await _pump_order_with_bearings(quantity=30, bearings=100)
    await fold_pending()
    stop = asyncio.Event()
    folded = 0

    async def keep_folding() -> None:
        nonlocal folded
        while not stop.is_set():
            try:
                folded += await fold_pending()
            except asyncpg.exceptions.LockNotAvailableError:
                pass  # a return held the row: given way, tried again
            await asyncio.sleep(0)

    folder = asyncio.create_task(keep_folding())
    accepted, _ = await asyncio.gather(race(wo.operations[0].id, [1] * 30,
                                            service_db["operator"]),
                                       asyncio.gather(*(_return_one(wo.code)
                                                        for _ in range(10))))
    # Read while the folder is still running: the view is exact whatever it has folded.
    during = await _bearings_at_line(OnHandNow)
    assert await verify_stock() == []
    stop.set()
    await folder
    assert len(accepted) == 30 and folded > 0
    assert during == before + 100 - 2 * 30 - 10
    await fold_pending()
    assert await _pending() == 0
    assert await _bearings_at_line(OnHand) == during == await _bearings_at_line(OnHandNow)
    assert await verify_stock() == []


async def test_a_fold_gives_way_to_a_command_holding_a_line_side_row(service_db):
    wo = await _pump_order_with_bearings(quantity=5, bearings=20)
    await fold_pending()
    assert len(await race(wo.operations[0].id, [2], service_db["operator"])) == 1
    waiting = await _pending()
    assert waiting > 0
    at_line = await _bearings_at_line(OnHandNow)
    holder = await asyncpg.connect(db.engine().config["dsn"])
    try:
        async with holder.transaction():
            await holder.execute("SELECT 1 FROM inv_on_hand o JOIN md_location l "
                                 "ON l.id = o.location WHERE l.code = $1 FOR UPDATE OF o", WIP)
            with pytest.raises(asyncpg.exceptions.LockNotAvailableError):
                await fold_pending()
            # Nothing half-folded: the deltas wait, stock still reads the same.
            assert await _pending() == waiting
            assert await _bearings_at_line(OnHandNow) == at_line
    finally:
        await holder.close()
    assert await fold_pending() == waiting
    assert await _pending() == 0
    assert await verify_stock() == []


async def test_a_running_server_folds_a_reports_deltas_by_itself(client, as_role):
    wo = await released(client, as_role, "FG-PUMP-100", 5)
    op10 = wo["operations"][0]
    await command(client, as_role, "operator", f"/api/v1/operations/{op10['id']}/start")
    assert (await report(client, as_role, op10["id"], good=2)).status_code == 201
    # The server's folding task empties the pending table within a few of its ticks.
    for _ in range(100):
        if await _pending() == 0:
            break
        await asyncio.sleep(0.05)
    assert await _pending() == 0
    assert await verify_stock() == []
