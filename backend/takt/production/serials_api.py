"""HTTP controllers of serial numbers.

Planners and supervisors (and admins) generate a work order's serials; everyone reads them;
operators and supervisors report output by scanning a serial. Commands run through
the ``command`` dependency: idempotent by ``Idempotency-Key``.
"""

from __future__ import annotations

from typing import Literal

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter

from takt.inventory import serials as inventory_serials
from takt.labels import render_labels
from takt.labels.services import MEDIA_TYPES
from takt.platform.auth import READ, allow
from takt.platform.errors import Conflict
from takt.platform.http import Command
from takt.platform.i18n import Message
from takt.platform.params import RecordId
from takt.platform.roles import FLOOR, PLANNERS_AND_SUPERVISORS
from takt.production import serials
from takt.settings import get_settings

__all__ = ["controllers"]

GENERATE = allow(*PLANNERS_AND_SUPERVISORS)
WORK = allow(*FLOOR)


class WorkOrderSerialsController(Controller):
    """A work order's serial numbers: generate a range, list them, print their labels."""

    path = "/api/v1/work-orders"
    tags = ["serials"]
    guards = [READ]

    @post("/{code:str}/serials", guards=[GENERATE], status_code=201,
          summary="Generate serial numbers for a work order of a serial-tracked item",
          description="Never more in total than the order's quantity plus its allowed "
                      "overrun (409 `serial.limit` with `remaining`).")
    async def generate(self, command: NamedDependency[Command], code: FromPath[str],
                       data: JSONBody[serials.SerialsIn]) -> Response[serials.SerialRangeOut]:
        return await command(
            lambda uow: serials.generate_for_work_order(uow, code, data),
            status_code=201)

    @get("/{code:str}/serials", summary="A work order's serial numbers")
    async def list_serials(self, code: FromPath[str]) -> list[inventory_serials.SerialOut]:
        return await serials.list_for_work_order(code)

    @get("/{code:str}/serials/labels",
         summary="Labels of a work order's serials still to be produced, as PDF or ZPL",
         opt={"media_types": [MEDIA_TYPES["pdf"], MEDIA_TYPES["zpl"]]})
    async def labels(
        self, code: FromPath[str],
        format: Literal["pdf", "zpl"] = Parameter(default="pdf",  # noqa: A002
                                                  description="pdf or zpl"),
    ) -> Response[bytes]:
        pending = [serial.code for serial in await serials.list_for_work_order(code)
                   if serial.status == "generated"]
        if not pending:
            raise Conflict(Message("Work order {code} has no serials waiting to be produced; "
                                   "generate some first.", code=code.upper()),
                           code="serial.none_to_print")
        rendered = await render_labels([("SN", serial) for serial in pending], format,
                                       get_settings())
        return Response(rendered.content, media_type=rendered.media_type, headers={
            "Content-Disposition": f'inline; filename="serials-{code.upper()}.{format}"',
            "Cache-Control": "no-store"})


class OperationSerialsController(Controller):
    """Output reported on an operation by scanning each unit's serial."""

    path = "/api/v1/operations"
    tags = ["serials"]

    @post("/{op_id:int}/serials", guards=[WORK], status_code=201,
          summary="Report one good unit by its serial and mark the serial produced",
          description="Only on the order's last output-counting operation; a serial is "
                      "produced once (409 `serial.already_produced`, nothing written).")
    async def report(self, command: NamedDependency[Command], op_id: RecordId,
                     data: JSONBody[serials.SerialReportIn]
                     ) -> Response[serials.SerialReportOut]:
        return await command(
            lambda uow: serials.report_by_serial(uow, op_id, data), status_code=201)


class SerialsController(Controller):
    """Serial numbers by code: read one, trace it like its lot."""

    path = "/api/v1/serials"
    tags = ["serials"]
    guards = [READ]

    @get("/{code:str}", summary="A serial: its item, work order and lot")
    async def read(self, code: FromPath[str]) -> inventory_serials.SerialOut:
        return await inventory_serials.get_serial(code)

    @get("/{code:str}/trace",
         summary="A serial on top of its output lot's genealogy (backward or forward)")
    async def trace(
        self, code: FromPath[str],
        direction: Literal["backward", "forward"] = Parameter(default="backward"),
    ) -> inventory_serials.SerialTraceOut:
        return await inventory_serials.trace_serial(code, direction)


def controllers() -> list[type[Controller]]:
    """The serial number controllers, for ``create_app``."""
    return [WorkOrderSerialsController, OperationSerialsController, SerialsController]
