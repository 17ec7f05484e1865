"""What the schedule API takes and gives (msgspec Structs, snake_case JSON)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from takt.production.schemas import Code

__all__ = ["MoveIn", "ScheduleIn", "ScheduleOut", "ScheduledOperation"]

MAX_TIME_LIMIT_S = 60.0
"""The longest a planner may let the solver search in one request."""


class ScheduleIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Run the scheduler over every released and in-progress work order."""

    time_limit_s: Annotated[float, msgspec.Meta(
        ge=0, le=MAX_TIME_LIMIT_S,
        description="Seconds CP-SAT may search; 0 uses the dispatching rule alone")] = 10.0


class MoveIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Place one operation by hand: on ``workstation`` from ``start_at`` (UTC unless it
    carries an offset); it ends after its planned duration."""

    workstation: Code
    start_at: datetime


class ScheduledOperation(msgspec.Struct, kw_only=True):
    """One bar of the Gantt. ``late``: it ends after its work order's due time."""

    id: int
    code: str
    name: str
    status: str
    work_order: str
    workstation: str
    start_at: datetime
    end_at: datetime
    due_at: datetime | None
    late: bool


class ScheduleOut(msgspec.Struct, kw_only=True):
    """The schedule of the open work orders.

    ``makespan_s`` runs from the moment the schedule was computed to the end of its last
    operation; ``total_weighted_tardiness_s`` adds up, over work orders, priority x seconds
    late. ``solver`` is ``cp-sat`` or ``dispatch`` (the fallback rule), or ``none`` before the
    first run; ``optimal`` becomes false once an operation is moved by hand.
    """

    computed_at: datetime | None
    makespan_s: int
    total_weighted_tardiness_s: int
    optimal: bool
    solver: str
    operations: list[ScheduledOperation]
