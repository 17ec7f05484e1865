"""What the OpenAPI document says beyond each handler's own signature.

- Every operation documents the problem-details answers (RFC 9457, ``application/problem+json``)
  it can give: 400 for a request that does not decode, 401 and 403 where sign-in and roles are
  needed, 404 where the path names a record, 409 and 422 where a rule of the business may say
  no. Litestar on its own documents only a 400 in a shape Takt does not answer with.
- A 204 documents no body, and a handler that answers files in several formats lists them:
  ``opt={"media_types": [...]}`` on its decorator.
- A Struct that refuses unknown fields says so (``additionalProperties: false``).

Both are plugins, so a new module's controllers are described the same way with no work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    Schema,
)
from litestar.plugins import OpenAPISchemaPlugin, ReceiveRoutePlugin
from litestar.routes import BaseRoute, HTTPRoute
from litestar.typing import FieldDefinition

from takt.platform.problems import PROBLEM_MEDIA_TYPE

__all__ = ["Problem", "ProblemResponses", "StrictStructs", "openapi_plugins"]



class ProblemError(msgspec.Struct):
    """One field that did not decode."""

    field: str
    message: str


class Problem(msgspec.Struct, omit_defaults=True):
    """An RFC 9457 problem: a machine ``code`` and a ``detail`` sentence a person understands
    (in the language ``Accept-Language`` asks for). Some problems add members, such as the
    ``field`` at fault."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str | None = None
    errors: list[ProblemError] | None = None
    field: str | None = None


_DESCRIPTIONS = {
    400: "The request does not decode: a field is missing, of the wrong type or out of range "
         "(problem code request.invalid, the fields in errors)",
    401: "Not signed in, or the token has expired",
    403: "Signed in, but the user's roles do not allow this",
    404: "There is no record at this address",
    409: "The record's state does not allow this now",
    422: "Well-formed, but a rule of the business says no (the problem's code says which)",
    429: "Too many attempts from this address; try again in a minute",
}


def _spec(status: int) -> ResponseSpec:
    return ResponseSpec(data_container=Problem, generate_examples=False,
                        description=_DESCRIPTIONS[status], media_type=PROBLEM_MEDIA_TYPE)


def _statuses(handler: HTTPRouteHandler) -> list[int]:
    # A refusal can come from any layer a request goes through (a look-up of a code in the
    # query, a state that forbids an export), so every operation lists them all.
    statuses = [400, 404, 409, 422]
    if not handler.opt.get("exclude_from_auth"):
        statuses += [401, 403]
    if handler.opt.get("rate_limited"):
        statuses.append(429)
    return statuses


def _files_operation(media_types: list[str], status: int) -> type[Operation]:
    @dataclass
    class FilesOperation(Operation):
        """An operation whose success answer is a file in one of several formats."""

        def __post_init__(self) -> None:
            answer = (self.responses or {}).get(str(status))
            if answer is not None and not isinstance(answer, dict) and hasattr(answer, "content"):
                answer.content = {
                    media_type.split(";")[0]: OpenAPIMediaType(
                        schema=Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY))
                    for media_type in media_types}

    return FilesOperation


class ProblemResponses(ReceiveRoutePlugin):
    """Documents the problem answers of every HTTP operation as it is registered, no body for
    a 204, and the formats of a handler that answers files."""

    def receive_route(self, route: BaseRoute) -> None:
        if not isinstance(route, HTTPRoute):
            return
        for handler in route.route_handlers:
            if not handler.include_in_schema:
                continue
            documented = {status: _spec(status) for status in _statuses(handler)}
            if handler.status_code == 204:
                documented[204] = ResponseSpec(data_container=None, generate_examples=False,
                                               description="Done; the answer has no body")
            handler.responses = {**documented, **(handler.responses or {})}
            media_types = handler.opt.get("media_types")
            if media_types:
                handler.operation_class = _files_operation(list(media_types),
                                                           handler.status_code)


class StrictStructs(OpenAPISchemaPlugin):
    """Marks Structs declared with ``forbid_unknown_fields=True`` as closed objects.

    Litestar's own Struct plugin draws the schema; this one only adds what it leaves out.
    """

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        config = getattr(field_definition.annotation, "__struct_config__", None)
        return (not field_definition.is_union and config is not None
                and bool(config.forbid_unknown_fields))

    def to_openapi_schema(self, field_definition: FieldDefinition,
                          schema_creator: Any) -> Schema:
        drawer = next(plugin for plugin in schema_creator.plugins
                      if plugin is not self
                      and schema_creator.plugin_supports_field(plugin, field_definition))
        schema: Schema = drawer.to_openapi_schema(field_definition, schema_creator)
        schema.additional_properties = False
        return schema


def openapi_plugins() -> list[Any]:
    """The plugins ``create_app`` adds so the OpenAPI document states every rule."""
    return [ProblemResponses(), StrictStructs()]
