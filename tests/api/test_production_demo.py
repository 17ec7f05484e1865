"""The demo factory's work orders: every status, a few days of reported history, and loading
the demo again adds nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from takt.production import dispatch
from takt.production.tables import LabourEvent, Operation, WorkOrder, WorkReport
from takt.seed import load_seed

STATUSES = {"draft", "released", "in_progress", "completed", "closed", "on_hold", "cancelled"}


async def test_demo_orders_cover_every_status_with_history_and_load_once(service_db):
    first = await load_seed()
    assert first.created.get("work-orders", 0) >= 15
    assert sum(n for name, n in first.created.items() if name != "work-orders") == 0
    orders = await WorkOrder.select(WorkOrder.status, WorkOrder.customer_order_ref)
    assert {row["status"] for row in orders} == STATUSES
    now = datetime.now(UTC)
    reports = await WorkReport.select(WorkReport.reported_at)
    assert len(reports) > 30
    times = [row["reported_at"] for row in reports]
    assert min(times) > now - timedelta(days=3, hours=6) and max(times) <= now
    assert max(times) > now - timedelta(hours=1)  # the board shows work happening now
    assert await LabourEvent.count() > 0
    board = await dispatch.line_board("L2")
    assert {ws.state for ws in board.workstations} >= {"running", "paused"}
    assert board.late_orders
    # A first look at the Gantt finds the open work scheduled.
    open_ops = await Operation.select(Operation.scheduled_start).where(
        Operation.work_order.status.is_in(["released", "in_progress"]), Operation.status != "done")
    assert open_ops and all(row["scheduled_start"] is not None for row in open_ops)

    again = await load_seed()
    assert sum(again.created.values()) == 0 and again.skipped["work-orders"] == len(orders)
    assert await WorkOrder.count() == len(orders)
