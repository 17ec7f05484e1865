"""PostgreSQL: fifty concurrent reports on one operation, and reports racing along the route
(the next step reporting while the previous one passes parts on), under row locks."""

from __future__ import annotations

import asyncio
import random
from decimal import Decimal

from takt.production.tables import Operation, WorkOrder, WorkReport
from tests.api.test_production_race import race, released_order


async def _op(op_id: int) -> dict:
    return await Operation.select().where(Operation.id == op_id).first()


async def test_fifty_concurrent_reports_on_one_operation(service_db):
    wo = await released_order(quantity=40)
    first = wo.operations[0].id
    accepted = await race(first, [1] * 50, service_db["operator"])
    op = await _op(first)
    assert len(accepted) == 40 and op["good"] == Decimal(40)
    assert await WorkReport.count().where(WorkReport.operation == first) == 40


async def test_two_steps_racing_keep_the_rule_at_both(service_db):
    wo = await released_order(quantity=60)
    first, second = wo.operations[0].id, wo.operations[1].id
    random.seed(7)
    upstream = [random.randint(1, 4) for _ in range(25)]
    downstream = [random.randint(1, 4) for _ in range(25)]
    made_first, made_second = await asyncio.gather(
        race(first, upstream, service_db["operator"]),
        race(second, downstream, service_db["operator2"]))
    op1, op2 = await _op(first), await _op(second)
    assert op1["good"] == sum(made_first) <= 60
    assert op2["good"] == sum(made_second) <= op1["good"]
    assert op2["available"] == op1["good"]
    order = await WorkOrder.select().where(WorkOrder.code == wo.code).first()
    assert order["scrap"] == 0 and order["good"] == 0
    rows = await WorkReport.select(WorkReport.operation, WorkReport.good).where(
        WorkReport.work_order == order["id"])
    assert sum(r["good"] for r in rows if r["operation"] == second) == op2["good"]


async def test_the_report_that_completes_an_order_races_upstream_reports_without_deadlock(
        service_db):
    import uuid

    from takt.platform.commands import Actor, run_command
    from takt.platform.errors import Conflict
    from takt.production import reporting
    from takt.production import schemas as s

    wo = await released_order("FG-FAN-200", 20)  # 5 % overrun: 21 may be made at step 10
    ids = [op.id for op in wo.operations]
    actor = Actor(user_id=service_db["operator"], username="operator",
                  roles=frozenset({"operator"}))

    async def send(op_id: int, good: int) -> str:
        data = s.ReportIn(good=Decimal(good))
        try:
            await run_command(actor, lambda uow: reporting.report_work(uow, op_id, data),
                              idempotency_key=str(uuid.uuid4()), fingerprint="x",
                              status_code=201)
        except Conflict as exc:
            return exc.code
        return "accepted"

    for op_id in ids[:-1]:
        assert await send(op_id, 20) == "accepted"
    assert await send(ids[-1], 19) == "accepted"
    # The last piece completes the order (and ends every step) while step 10 reports its
    # overrun and steps 20-40 try to report more than they have.
    outcomes = await asyncio.gather(send(ids[-1], 1), *(send(op_id, 1) for op_id in ids[:-1]
                                                        for _ in range(5)))
    assert outcomes[0] == "accepted"
    assert set(outcomes[1:]) <= {"accepted", "report.exceeds_available", "work_order.not_open",
                                 "operation.bad_status"}
    order = await WorkOrder.select().where(WorkOrder.code == wo.code).first()
    assert order["status"] == "completed" and order["good"] == 20
