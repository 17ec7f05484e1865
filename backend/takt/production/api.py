"""HTTP controllers of production: work orders, operations, reports, dispatch lists, boards.

Reading needs any role (each controller's guard); a route that changes something adds its own.
Planners (and admins) create, edit, release, split, cancel and close work orders; supervisors
also hold, resume and close them, void reports, release held quantity and reopen completed
operations; operators
(and supervisors) start, pause, resume, complete and report operations, and an operator undoes
their own report for a few minutes after it (``REPORT_UNDO_SECONDS``). Every command runs
through the ``command`` dependency: idempotent by ``Idempotency-Key``.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from takt.platform.auth import READ, allow
from takt.platform.http import Command, Page
from takt.platform.params import Limit, Offset, RecordId
from takt.platform.roles import (
    FLOOR,
    FLOOR_AND_PLANNERS,
    PLANNERS,
    PLANNERS_AND_SUPERVISORS,
    SUPERVISORS,
)
from takt.production import (
    dispatch,
    importing,
    labour,
    materials,
    outsourcing,
    queries,
    reporting,
    work_orders,
)
from takt.production import schemas as s
from takt.production.scrap_reasons import RankedScrapReason, ranked_scrap_reasons

__all__ = ["controllers"]

PLAN = allow(*PLANNERS)
PLAN_OR_SUPERVISE = allow(*PLANNERS_AND_SUPERVISORS)
WORK = allow(*FLOOR)
SUPERVISE = allow(*SUPERVISORS)
RECEIVE_OUTSOURCED = allow(*FLOOR_AND_PLANNERS)


class WorkOrdersController(Controller):
    """Work orders by code: create, import, edit drafts, and move them through their life."""

    path = "/api/v1/work-orders"
    tags = ["production"]
    guards = [READ]

    @get("/", summary="List work orders")
    async def list_work_orders(
        self,
        limit: Limit = 50,
        offset: Offset = 0,
        status: FromQuery[str | None] = None,
        item_code: FromQuery[str | None] = None,
        line: FromQuery[str | None] = None,
        q: str | None = Parameter(default=None, max_length=100,
                                  description="Part of the code, item code, customer order or lot"),
        late: bool | None = Parameter(default=None, description="true: only late orders"),
    ) -> Page[s.WorkOrderRow]:
        data, total = await queries.list_work_orders(
            limit=limit, offset=offset, status=status, item_code=item_code, line=line, q=q,
            late=late)
        return Page(data=data, total=total)

    @post("/", guards=[PLAN], status_code=201, summary="Create a draft work order")
    async def create_work_order(self, command: NamedDependency[Command],
                                data: JSONBody[s.WorkOrderIn]) -> Response[s.WorkOrderOut]:
        return await command(
            lambda uow: work_orders.create_work_order(uow, data), status_code=201)

    @post("/import", guards=[PLAN], status_code=201,
          summary="Import work orders from a JSON array or CSV (all or none)",
          description="Send a JSON array of create bodies, or `text/csv` with the header "
                      "`item_code,quantity,due_at,priority,route_code,customer_order_ref,lot`."
                      " `?release=true` releases them too. Bad rows are listed in the 422 "
                      "problem's `errors`.")
    async def import_work_orders(
        self, request: Request[Any, Any, Any], command: NamedDependency[Command],
        release: bool = Parameter(default=False, description="Release the imported orders"),
    ) -> Response[s.ImportOut]:
        body = await request.body()
        content_type = request.headers.get("content-type", "application/json").lower()

        async def work(uow: Any) -> s.ImportOut:
            rows = importing.parse_import(body, content_type)
            return await importing.import_work_orders(uow, rows, release=release)

        return await command(work, status_code=201)

    @get("/{code:str}", summary="Read a work order with its operations")
    async def read_work_order(self, code: FromPath[str]) -> s.WorkOrderOut:
        return await queries.get_work_order(code)

    @patch("/{code:str}", guards=[PLAN], summary="Change a draft work order")
    async def update_work_order(self, command: NamedDependency[Command], code: FromPath[str],
                                data: JSONBody[s.WorkOrderPatch]) -> Response[s.WorkOrderOut]:
        return await command(
            lambda uow: work_orders.update_work_order(uow, code, data))

    @post("/{code:str}/outsource", guards=[PLAN_OR_SUPERVISE], status_code=201,
          summary="Send an operation (or all not started) to a supplier, with its material")
    async def outsource(self, command: NamedDependency[Command], code: FromPath[str],
                        data: JSONBody[s.OutsourceIn]) -> Response[s.OutsourceOut]:
        return await command(
            lambda uow: outsourcing.send_outsourced(uow, code, data), status_code=201)

    @get("/{code:str}/outsource-orders", summary="A work order's outsource orders")
    async def outsource_orders(self, code: FromPath[str]) -> list[s.OutsourceOut]:
        return await outsourcing.list_outsource_orders(code)

    @get("/{code:str}/pick-list",
         summary="What still goes to the line for a work order, and from where")
    async def pick_list(self, code: FromPath[str]) -> s.PickListOut:
        return await materials.pick_list(code)

    @post("/{code:str}/release", guards=[PLAN], status_code=200,
          summary="Release a draft: its route becomes operations")
    async def release_work_order(self, command: NamedDependency[Command],
                                 code: FromPath[str]) -> Response[s.WorkOrderOut]:
        return await command(
            lambda uow: work_orders.release_work_order(uow, code))

    @post("/{code:str}/hold", guards=[PLAN_OR_SUPERVISE], status_code=200,
          summary="Put a released or running work order on hold")
    async def hold_work_order(self, command: NamedDependency[Command], code: FromPath[str],
                              data: JSONBody[s.HoldIn | None] = None
                              ) -> Response[s.WorkOrderOut]:
        body = data or s.HoldIn()
        return await command(
            lambda uow: work_orders.hold_work_order(uow, code, body))

    @post("/{code:str}/resume", guards=[PLAN_OR_SUPERVISE], status_code=200,
          summary="Take a work order off hold")
    async def resume_work_order(self, command: NamedDependency[Command],
                                code: FromPath[str]) -> Response[s.WorkOrderOut]:
        return await command(
            lambda uow: work_orders.resume_work_order(uow, code))

    @post("/{code:str}/cancel", guards=[PLAN], status_code=200,
          summary="Cancel a draft or released work order with nothing reported")
    async def cancel_work_order(self, command: NamedDependency[Command],
                                code: FromPath[str]) -> Response[s.WorkOrderOut]:
        return await command(
            lambda uow: work_orders.cancel_work_order(uow, code))

    @post("/{code:str}/close", guards=[PLAN_OR_SUPERVISE], status_code=200,
          summary="Close a work order (short, with a reason code)")
    async def close_work_order(self, command: NamedDependency[Command], code: FromPath[str],
                               data: JSONBody[s.CloseIn | None] = None
                               ) -> Response[s.WorkOrderOut]:
        body = data or s.CloseIn()
        return await command(
            lambda uow: work_orders.close_work_order(uow, code, body))

    @post("/{code:str}/split", guards=[PLAN], status_code=201,
          summary="Keep a quantity on this order and move the rest to a new one")
    async def split_work_order(self, command: NamedDependency[Command], code: FromPath[str],
                               data: JSONBody[s.SplitIn]) -> Response[s.WorkOrderOut]:
        return await command(
            lambda uow: work_orders.split_work_order(uow, code, data), status_code=201)


class OperationsController(Controller):
    """Operations by id: labour on the floor, work reports, inspection holds."""

    path = "/api/v1/operations"
    tags = ["production"]
    guards = [READ]

    @get("/{op_id:int}", summary="Read an operation")
    async def read_operation(self, op_id: RecordId) -> s.OperationOut:
        return await queries.get_operation(op_id)

    @post("/{op_id:int}/start", guards=[WORK], status_code=200,
          summary="Start (or join) work on an operation")
    async def start_operation(self, command: NamedDependency[Command], op_id: RecordId,
                              data: JSONBody[s.LabourIn | None] = None
                              ) -> Response[s.OperationOut]:
        return await command(
            lambda uow: labour.start_operation(uow, op_id, data))

    @post("/{op_id:int}/pause", guards=[WORK], status_code=200,
          summary="Stop working on an operation for now")
    async def pause_operation(self, command: NamedDependency[Command],
                              op_id: RecordId) -> Response[s.OperationOut]:
        return await command(
            lambda uow: labour.pause_operation(uow, op_id))

    @post("/{op_id:int}/resume", guards=[WORK], status_code=200,
          summary="Resume a paused operation")
    async def resume_operation(self, command: NamedDependency[Command],
                               op_id: RecordId) -> Response[s.OperationOut]:
        return await command(
            lambda uow: labour.resume_operation(uow, op_id))

    @post("/{op_id:int}/complete", guards=[WORK], status_code=200,
          summary="Complete an operation")
    async def complete_operation(self, command: NamedDependency[Command],
                                 op_id: RecordId) -> Response[s.OperationOut]:
        return await command(
            lambda uow: labour.complete_operation(uow, op_id))

    @post("/{op_id:int}/reopen", guards=[SUPERVISE], status_code=200,
          summary="Reopen a completed operation (and its order, when that had completed)")
    async def reopen_operation(self, command: NamedDependency[Command],
                               op_id: RecordId) -> Response[s.OperationOut]:
        return await command(
            lambda uow: labour.reopen_operation(uow, op_id))

    @post("/{op_id:int}/reports", guards=[WORK], status_code=201,
          summary="Report good and scrap on an operation")
    async def report_work(self, command: NamedDependency[Command], op_id: RecordId,
                          data: JSONBody[s.ReportIn]) -> Response[s.ReportOut]:
        return await command(
            lambda uow: reporting.report_work(uow, op_id, data),
            status_code=201)

    @get("/{op_id:int}/reports", summary="An operation's report history")
    async def list_reports(self, op_id: RecordId) -> list[s.ReportOut]:
        return await queries.list_reports(op_id)

    @post("/{op_id:int}/consume", guards=[WORK], status_code=201,
          summary="Consume a scanned component lot into the operation's output")
    async def consume(self, command: NamedDependency[Command], op_id: RecordId,
                      data: JSONBody[s.ConsumeIn]) -> Response[s.ConsumedOut]:
        return await command(
            lambda uow: reporting.consume_scanned(uow, op_id, data), status_code=201)

    @post("/{op_id:int}/release-hold", guards=[SUPERVISE], status_code=200,
          summary="Release good quantity held for in-process inspection")
    async def release_hold(self, command: NamedDependency[Command], op_id: RecordId,
                           data: JSONBody[s.ReleaseHoldIn | None] = None
                           ) -> Response[s.OperationOut]:
        body = data or s.ReleaseHoldIn()
        return await command(
            lambda uow: reporting.release_hold(uow, op_id, body))


class ReportsController(Controller):
    """Work reports by id, and the scrap reasons they use most."""

    path = "/api/v1/reports"
    tags = ["production"]

    @get("/scrap-reasons", guards=[READ],
         summary="Active scrap reasons, the line's most used first",
         description="Every active scrap reason code with how many of the line's work reports "
                     "used it in the last `days` days (voided ones left out), most used "
                     "first, then by code. Without `line`, over every line.")
    async def scrap_reasons(
        self, line: str | None = Parameter(default=None, max_length=40,
                                           description="A line's code"),
        days: int = Parameter(default=30, ge=1, le=366, description="How far back to count"),
    ) -> list[RankedScrapReason]:
        return await ranked_scrap_reasons(line, days=days)

    @post("/{report_id:int}/void", guards=[WORK], status_code=200,
          summary="Void a work report with a reversing row",
          description="A supervisor voids any report. The operator who made a report may "
                      "void it (undo) for `REPORT_UNDO_SECONDS` after it: later the answer is "
                      "409 `report.undo_expired`, and someone else's report is 403 "
                      "`report.not_yours`.")
    async def void_report(self, request: Request[Any, Any, Any],
                          command: NamedDependency[Command], report_id: RecordId,
                          data: JSONBody[s.VoidIn]) -> Response[s.ReportOut]:
        undo_seconds = request.app.state.settings.report_undo_seconds
        return await command(
            lambda uow: reporting.void_report(uow, report_id, data,
                                              undo_seconds=undo_seconds))


class DispatchController(Controller):
    """What the floor reads: a workstation's dispatch list and a line's board."""

    path = "/api/v1"
    tags = ["production"]
    guards = [READ]

    @get("/workstations/{code:str}/queue", summary="A workstation's dispatch list")
    async def workstation_queue(self, code: FromPath[str]) -> s.QueueOut:
        return await dispatch.workstation_queue(code)

    @get("/lines/{code:str}/board", summary="A line's live board")
    async def line_board(self, code: FromPath[str]) -> s.BoardOut:
        return await dispatch.line_board(code)


class OutsourceOrdersController(Controller):
    """Outsource orders: work a supplier does, and the parts it sends back."""

    path = "/api/v1/outsource-orders"
    tags = ["production"]
    guards = [READ]

    @get("/{code:str}", summary="An outsource order")
    async def get_outsource_order(self, code: FromPath[str]) -> s.OutsourceOut:
        return await outsourcing.get_outsource_order(code)

    @post("/{code:str}/receipts", guards=[RECEIVE_OUTSOURCED],
          status_code=201, summary="Receive parts back from the supplier")
    async def receive(self, command: NamedDependency[Command], code: FromPath[str],
                      data: JSONBody[s.OutsourceReceiptIn]) -> Response[s.OutsourceOut]:
        return await command(
            lambda uow: outsourcing.receive_outsourced(uow, code, data),
            status_code=201)


def controllers() -> list[type[Controller]]:
    """The production controllers, for ``create_app``."""
    return [WorkOrdersController, OperationsController, ReportsController, DispatchController,
            OutsourceOrdersController]
