"""HTTP controllers of master data: one generated controller per resource.

Every resource answers ``GET /api/v1/<name>`` (page), ``POST`` (create),
``GET|PATCH|DELETE /api/v1/<name>/{code}`` (read, change, deactivate). Reading needs any role;
writing needs the roles named per resource.
"""

# No ``from __future__ import annotations`` here: the handlers' annotations are real types
# chosen per resource at run time, which Litestar reads for decoding and OpenAPI.



from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from takt.masterdata import services
from takt.masterdata.resources import Resource
from takt.platform.auth import READ, allow
from takt.platform.http import Command, Page
from takt.platform.params import Limit, Offset
from takt.platform.roles import EQUIPMENT_KEEPERS, PLANNERS, PLANNERS_AND_SUPERVISORS

__all__ = ["WRITE_ROLES", "controllers"]

WRITE_ROLES: dict[str, frozenset[str]] = {
    "equipment": EQUIPMENT_KEEPERS,
    "reason-codes": PLANNERS_AND_SUPERVISORS,
}
"""Roles that may change a resource; the rest default to the planners."""


def _controller(resource: Resource) -> type[Controller]:
    write_guard = allow(*WRITE_ROLES.get(resource.name, PLANNERS))
    create_type, patch_type, out_type = resource.create, resource.patch, resource.out
    filter_names = tuple(resource.filters)

    async def list_(
        self: Controller,
        request: Request,
        limit: Limit = 50,
        offset: Offset = 0,
        active: FromQuery[bool | None] = None,
        q: str | None = Parameter(default=None, max_length=100,
                                  description="Part of the code or name"),
    ) -> Page[out_type]:  # type: ignore[valid-type]  # chosen per resource
        filters = {name: request.query_params[name] for name in filter_names
                   if request.query_params.get(name)}
        data, total = await services.list_records(resource, limit=limit, offset=offset,
                                                  active=active, q=q, filters=filters)
        return Page(data=data, total=total)

    async def read(self: Controller, code: FromPath[str]) -> out_type:  # type: ignore[valid-type]  # chosen per resource
        return await services.get_record(resource, code)

    async def create(self: Controller, command: NamedDependency[Command],
                     data: JSONBody[create_type]) -> Response[out_type]:  # type: ignore[valid-type]  # chosen per resource
        return await command(
            lambda uow: services.create_record(uow, resource, data), status_code=201)

    async def change(self: Controller, command: NamedDependency[Command], code: FromPath[str],
                     data: JSONBody[patch_type]) -> Response[out_type]:  # type: ignore[valid-type]  # chosen per resource
        return await command(
            lambda uow: services.update_record(uow, resource, code, data))

    async def deactivate(self: Controller, command: NamedDependency[Command],
                         code: FromPath[str]) -> Response[out_type]:  # type: ignore[valid-type]  # chosen per resource
        return await command(
            lambda uow: services.deactivate_record(uow, resource, code))

    title = resource.title
    plural = resource.name.replace("-", " ")
    handlers = {
        "list_records": get("/", summary=f"List {plural}",
                            operation_id=f"list_{resource.entity}")(list_),
        "read_record": get("/{code:str}", summary=f"Read a {title.lower()}",
                           operation_id=f"read_{resource.entity}")(read),
        "create_record": post("/", guards=[write_guard], summary=f"Create a {title.lower()}",
                              operation_id=f"create_{resource.entity}", status_code=201)(create),
        "update_record": patch("/{code:str}", guards=[write_guard],
                               summary=f"Change a {title.lower()}",
                               operation_id=f"update_{resource.entity}")(change),
        "deactivate_record": delete("/{code:str}", guards=[write_guard], status_code=200,
                                    summary=f"Deactivate a {title.lower()}",
                                    operation_id=f"deactivate_{resource.entity}")(deactivate),
    }
    name = "".join(part.title() for part in resource.name.split("-")) + "Controller"
    return type(name, (Controller,), {"path": f"/api/v1/{resource.name}",
                                      "tags": ["master data"],
                                      "guards": [READ], **handlers})


def controllers() -> list[type[Controller]]:
    """One controller per master data resource."""
    return [_controller(resource) for resource in services.RESOURCES.values()]


