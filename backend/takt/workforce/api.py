"""HTTP controller of calendars: everyone reads; admin and planner write."""

from __future__ import annotations

from litestar import Controller, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from takt.platform.auth import READ, allow
from takt.platform.http import Command, Page
from takt.platform.params import Limit, Offset
from takt.platform.roles import PLANNERS
from takt.workforce import services
from takt.workforce.schemas import CalendarIn, CalendarOut, CalendarPatch

__all__ = ["CalendarController"]

_write = allow(*PLANNERS)


class CalendarController(Controller):
    """``/api/v1/calendars``: working time of sites and workstations."""

    path = "/api/v1/calendars"
    tags = ["workforce"]
    guards = [READ]

    @get("/", summary="List calendars", operation_id="list_calendar")
    async def list_calendars(
        self,
        limit: Limit = 50,
        offset: Offset = 0,
        active: FromQuery[bool | None] = None,
        q: str | None = Parameter(default=None, max_length=100,
                                  description="Part of the code or name"),
        site: str | None = Parameter(default=None, description="Site code"),
        workstation: str | None = Parameter(default=None, description="Workstation code"),
    ) -> Page[CalendarOut]:
        filters = {name: value for name, value in
                   (("site", site), ("workstation", workstation)) if value}
        data, total = await services.list_calendars(limit=limit, offset=offset, active=active,
                                                    q=q, filters=filters)
        return Page(data=data, total=total)

    @get("/{code:str}", summary="Read a calendar", operation_id="read_calendar")
    async def read_calendar(self, code: FromPath[str]) -> CalendarOut:
        return await services.get_calendar(code)

    @post("/", guards=[_write], status_code=201, summary="Create a calendar",
          operation_id="create_calendar")
    async def create_calendar(self, command: NamedDependency[Command],
                              data: JSONBody[CalendarIn]) -> Response[CalendarOut]:
        return await command(
            lambda uow: services.create_calendar(uow, data), status_code=201)

    @patch("/{code:str}", guards=[_write], summary="Change a calendar",
           operation_id="update_calendar")
    async def update_calendar(self, command: NamedDependency[Command], code: FromPath[str],
                              data: JSONBody[CalendarPatch]) -> Response[CalendarOut]:
        return await command(
            lambda uow: services.update_calendar(uow, code, data))

    @delete("/{code:str}", guards=[_write], status_code=200, summary="Deactivate a calendar",
            operation_id="deactivate_calendar")
    async def deactivate_calendar(self, command: NamedDependency[Command],
                                  code: FromPath[str]) -> Response[CalendarOut]:
        return await command(
            lambda uow: services.deactivate_calendar(uow, code))
