"""PostgreSQL: operators issuing the same lot at the same moment, each in its own transaction
and connection, never overdraw it; transfers racing in opposite directions do not deadlock;
a block racing issues either lands before or after each of them."""

from __future__ import annotations

import asyncio
import random
import uuid
from decimal import Decimal

import msgspec

from takt.inventory import schemas as s
from takt.inventory import services
from takt.inventory.ledger import verify_stock
from takt.inventory.tables import Lot, Movement, OnHand
from takt.masterdata.tables import Location
from takt.platform.commands import Actor, execute, run_command
from takt.platform.errors import Conflict

OPERATOR = Actor(user_id=None, username="operator", roles=frozenset({"operator"}))


async def _receive(quantity: int, location: str = "RM-A-02-01") -> str:
    out = await execute(OPERATOR, lambda uow: services.receive(uow, s.ReceiptIn(
        item_code="RM-GREASE", quantity=Decimal(quantity), location_code=location)))
    return out.lot_code


async def _send(actor: Actor, body: s.MoveIn) -> str:
    try:
        result = await run_command(actor, lambda uow: services.move_stock(uow, body),
                                   idempotency_key=str(uuid.uuid4()), fingerprint="race",
                                   status_code=201)
    except Conflict as exc:
        return exc.code
    return msgspec.json.decode(result.body)["quantity"]


async def _at(lot: str, location: str) -> Decimal:
    lot_id = (await Lot.select(Lot.id).where(Lot.code == lot).first())["id"]
    place = (await Location.select(Location.id).where(Location.code == location).first())["id"]
    row = await OnHand.select(OnHand.quantity).where(OnHand.lot == lot_id,
                                                     OnHand.location == place).first()
    return row["quantity"] if row else Decimal(0)


async def test_fifty_concurrent_issues_of_one_lot_never_overdraw_it(service_db):
    lot = await _receive(40)
    random.seed(11)
    sizes = [random.randint(1, 3) for _ in range(50)]
    actor = Actor(user_id=service_db["operator"], username="operator",
                  roles=frozenset({"operator"}))
    outcomes = await asyncio.gather(*(_send(actor, s.MoveIn(
        kind="issue", item_code="RM-GREASE", lot_code=lot, quantity=Decimal(size),
        from_location_code="RM-A-02-01", to_location_code="WIP-L1",
        work_order_code="WO-2026-00001")) for size in sizes))
    assert set(outcomes) - {"1", "2", "3"} <= {"stock.insufficient"}
    issued = sum(Decimal(o) for o in outcomes if o != "stock.insufficient")
    assert "stock.insufficient" in outcomes  # 50 issues of 1-3 want more than 40
    assert await _at(lot, "RM-A-02-01") == 40 - issued >= 0
    assert await _at(lot, "WIP-L1") == issued
    assert 40 - issued < 3  # the race ends only when the lot is (nearly) empty
    lot_id = (await Lot.select(Lot.id).where(Lot.code == lot).first())["id"]
    assert await Movement.count().where(Movement.lot == lot_id, Movement.kind == "issue") == \
        sum(1 for o in outcomes if o != "stock.insufficient")
    assert await verify_stock() == []


async def test_transfers_racing_both_ways_between_two_racks_queue_without_deadlock(service_db):
    lot = await _receive(30, "RM-A-01-01")
    await execute(OPERATOR, lambda uow: services.move_stock(uow, s.MoveIn(
        kind="transfer", item_code="RM-GREASE", lot_code=lot, quantity=Decimal(15),
        from_location_code="RM-A-01-01", to_location_code="RM-A-02-01")))

    def body(frm: str, to: str) -> s.MoveIn:
        # Against a work order: a move without one takes a MOV number, and the numbering
        # row would serialise the race before it reaches the stock rows.
        return s.MoveIn(kind="transfer", item_code="RM-GREASE", lot_code=lot,
                        quantity=Decimal(1), from_location_code=frm, to_location_code=to,
                        work_order_code="WO-2026-00001")

    outcomes = await asyncio.gather(*(
        _send(OPERATOR, body("RM-A-01-01", "RM-A-02-01") if n % 2 else
              body("RM-A-02-01", "RM-A-01-01")) for n in range(40)))
    assert set(outcomes) <= {"1", "stock.insufficient"}
    assert await _at(lot, "RM-A-01-01") + await _at(lot, "RM-A-02-01") == 30
    assert await verify_stock() == []


async def test_a_block_racing_issues_lands_between_them(service_db):
    lot = await _receive(100)
    supervisor = Actor(user_id=service_db["supervisor"], username="supervisor",
                       roles=frozenset({"supervisor"}))
    issues = [_send(OPERATOR, s.MoveIn(
        kind="issue", item_code="RM-GREASE", lot_code=lot, quantity=Decimal(1),
        from_location_code="RM-A-02-01", to_location_code="WIP-L1",
        work_order_code="WO-2026-00001")) for _ in range(30)]
    block = execute(supervisor, lambda uow: services.block_lot(
        uow, lot, s.BlockIn(note="supplier recall")))
    *outcomes, blocked = await asyncio.gather(*issues, block)
    assert blocked.quality_status == "blocked"
    assert set(outcomes) <= {"1", "lot.not_released"}
    lot_id = (await Lot.select(Lot.id).where(Lot.code == lot).first())["id"]
    issued = await Movement.count().where(Movement.lot == lot_id, Movement.kind == "issue")
    assert issued == outcomes.count("1")
    assert await _at(lot, "WIP-L1") == issued
    after = await _send(OPERATOR, s.MoveIn(
        kind="issue", item_code="RM-GREASE", lot_code=lot, quantity=Decimal(1),
        from_location_code="RM-A-02-01", to_location_code="WIP-L1"))
    assert after == "lot.not_released"
    assert await verify_stock() == []
