"""HTTP controller of scheduling: run the scheduler, read the schedule, move an operation.

Everyone reads the schedule (the Gantt, the dispatch lists); planners and admins run the
scheduler and move operations by hand. Commands run through the ``command`` dependency.
"""

from __future__ import annotations

from litestar import Controller, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from takt.platform.auth import READ, allow
from takt.platform.http import Command
from takt.platform.params import RecordId
from takt.platform.roles import PLANNERS
from takt.production.scheduling import service
from takt.production.scheduling.schemas import MoveIn, ScheduledOperation, ScheduleIn, ScheduleOut

__all__ = ["ScheduleController"]

_PLAN = allow(*PLANNERS)


class ScheduleController(Controller):
    """``/api/v1/schedule`` and ``/api/v1/operations/{op_id}/schedule``."""

    path = "/api/v1"
    tags = ["production"]
    guards = [READ]

    @get("/schedule", summary="The current schedule (for the Gantt)")
    async def read_schedule(self) -> ScheduleOut:
        return await service.current_schedule()

    @post("/schedule", guards=[_PLAN], status_code=200,
          summary="Schedule every released and in-progress work order")
    async def run_schedule(
        self, command: NamedDependency[Command], data: JSONBody[ScheduleIn | None] = None,
    ) -> Response[ScheduleOut]:
        # Solved before the command's transaction (a long search must not hold the
        # database), and not at all when the key was already answered: that is a replay.
        plan = None
        if not await command.answered():
            plan = await service.plan_schedule((data or ScheduleIn()).time_limit_s)
        return await command(lambda uow: service.apply_schedule(uow, plan))

    @patch("/operations/{op_id:int}/schedule", guards=[_PLAN],
           summary="Move one operation by hand")
    async def move_operation(self, command: NamedDependency[Command], op_id: RecordId,
                             data: JSONBody[MoveIn]) -> Response[ScheduledOperation]:
        return await command(lambda uow: service.move_operation(uow, op_id, data))
