"""Fifty operators report on one operation at the same moment, each in its own transaction
and connection: the total never exceeds what is available and equals the sum of the accepted
reports (SQLite serialises writers with BEGIN IMMEDIATE, PostgreSQL locks the operation row)."""

from __future__ import annotations

import asyncio
import random
import uuid
from decimal import Decimal

import msgspec

from takt.platform.commands import Actor, execute, run_command
from takt.platform.errors import Conflict
from takt.production import reporting, work_orders
from takt.production import schemas as s
from takt.production.tables import Operation, WorkOrder, WorkReport


async def released_order(item: str = "FG-SENS-300", quantity: int = 30) -> s.WorkOrderOut:
    """A released order made through the services, as the system."""
    created = await execute(Actor.system(), lambda uow: work_orders.create_work_order(
        uow, s.WorkOrderIn(item_code=item, quantity=Decimal(quantity))))
    return await execute(Actor.system(),
                         lambda uow: work_orders.release_work_order(uow, created.code))


async def race(op_id: int, sizes: list[int], user_id: int) -> list[Decimal]:
    """Send one report per size at once, as the HTTP endpoint does; return the accepted
    sizes."""
    actor = Actor(user_id=user_id, username="operator", roles=frozenset({"operator"}))

    async def one(size: int) -> Decimal | None:
        data = s.ReportIn(good=Decimal(size))
        try:
            result = await run_command(
                actor, lambda uow: reporting.report_work(uow, op_id, data),
                idempotency_key=str(uuid.uuid4()), fingerprint=f"report-{size}",
                status_code=201)
        except Conflict as exc:
            assert exc.code == "report.exceeds_available"
            return None
        assert result.status_code == 201
        return Decimal(msgspec.json.decode(result.body)["good"])

    results = await asyncio.gather(*(one(size) for size in sizes))
    return [size for size in results if size is not None]


async def test_fifty_concurrent_reports_never_pass_what_is_available(service_db):
    wo = await released_order(quantity=30)
    first = wo.operations[0]
    random.seed(4)
    sizes = [random.randint(1, 3) for _ in range(50)]
    accepted = await race(first.id, sizes, service_db["operator"])
    op = await Operation.select().where(Operation.id == first.id).first()
    rows = await WorkReport.select(WorkReport.good).where(WorkReport.operation == first.id)
    assert sum(accepted) == op["good"] == sum(row["good"] for row in rows)
    assert len(rows) == len(accepted) < 50
    assert op["good"] <= 30 and op["good"] > 30 - 3  # the race ends only when nearly full
    order = await WorkOrder.select(WorkOrder.status).where(WorkOrder.code == wo.code).first()
    assert order["status"] == "in_progress"
    following = await Operation.select(Operation.available).where(
        Operation.id == wo.operations[1].id).first()
    assert following["available"] == op["good"]
