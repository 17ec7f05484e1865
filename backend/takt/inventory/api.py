"""HTTP controllers of inventory: receipts, lots, stock moves and the stock queries.

Reading needs any role. Operators, supervisors and admins receive goods; operators and
supervisors move stock (issue, return, transfer, finished goods, scrap); supervisors post
miscellaneous receipts and issues; inspectors and supervisors release and block lots;
operators and supervisors count, ship and receive or send returns, and supervisors approve
or reject counts. Every
command runs through the ``command`` dependency: idempotent by ``Idempotency-Key``.
"""

from __future__ import annotations

from typing import Any, Literal

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from takt.inventory import counting, outbound, services, tracing
from takt.inventory import schemas as s
from takt.platform.auth import READ, allow
from takt.platform.http import Command, Page, current_user
from takt.platform.params import Limit, LongLimit, Offset
from takt.platform.roles import FLOOR, INSPECTORS, RECEIVERS, SUPERVISORS

__all__ = ["controllers"]

RECEIVE = allow(*RECEIVERS)
WORK = allow(*FLOOR)
SUPERVISE = allow(*SUPERVISORS)
INSPECT = allow(*INSPECTORS)


class ReceiptsController(Controller):
    """Goods receipts: what arrived, from whom, into which location, as which lot."""

    path = "/api/v1/receipts"
    tags = ["inventory"]
    guards = [READ]

    @post("/", guards=[RECEIVE], status_code=201,
          summary="Receive goods (by item or by the supplier's GS1 label) into a location")
    async def receive(self, command: NamedDependency[Command],
                      data: JSONBody[s.ReceiptIn]) -> Response[s.ReceiptOut]:
        return await command(lambda uow: services.receive(uow, data),
                    status_code=201)

    @get("/", summary="List receipts, newest first")
    async def list_receipts(
        self,
        item_code: FromQuery[str | None] = None,
        supplier_code: FromQuery[str | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[s.ReceiptOut]:
        data, total = await services.list_receipts(
            item_code=item_code, supplier_code=supplier_code, limit=limit, offset=offset)
        return Page(data=data, total=total)

    @get("/{code:str}", summary="Read a receipt")
    async def read_receipt(self, code: FromPath[str]) -> s.ReceiptOut:
        return await services.get_receipt(code)


class LotsController(Controller):
    """Lots by code: read, release, block, trace."""

    path = "/api/v1/lots"
    tags = ["inventory"]
    guards = [READ]

    @get("/", summary="List lots, newest first")
    async def list_lots(
        self,
        limit: Limit = 50,
        offset: Offset = 0,
        item_code: FromQuery[str | None] = None,
        quality_status: FromQuery[Literal["pending", "released", "blocked"] | None] = None,
        q: str | None = Parameter(default=None, max_length=100,
                                  description="Part of the lot code or supplier lot"),
    ) -> Page[s.LotRow]:
        data, total = await services.list_lots(limit=limit, offset=offset, item_code=item_code,
                                               quality_status=quality_status, q=q)
        return Page(data=data, total=total)

    @get("/{code:str}", summary="Read a lot and where its stock is")
    async def read_lot(self, code: FromPath[str]) -> s.LotOut:
        return await services.get_lot(code)

    @post("/{code:str}/release", guards=[INSPECT], status_code=200,
          summary="Release a pending or blocked lot (with an optional note)")
    async def release_lot(self, command: NamedDependency[Command], code: FromPath[str],
                          data: JSONBody[s.ReleaseIn | None] = None) -> Response[s.LotOut]:
        return await command(lambda uow: services.release_lot(uow, code, data))

    @post("/{code:str}/block", guards=[INSPECT], status_code=200,
          summary="Block a lot (a hold reason code or a note is needed)")
    async def block_lot(self, command: NamedDependency[Command], code: FromPath[str],
                        data: JSONBody[s.BlockIn]) -> Response[s.LotOut]:
        return await command(lambda uow: services.block_lot(uow, code, data))

    @get("/{code:str}/trace",
         summary="A lot's genealogy: backward to its components, forward to what it went into")
    async def trace_lot(
        self, code: FromPath[str],
        direction: Literal["backward", "forward"] = Parameter(default="backward"),
    ) -> s.TraceNode:
        return await tracing.trace_lot(code, direction)


class StockController(Controller):
    """Stock on hand, the ledger, line-side reconciliation, and moves."""

    path = "/api/v1/stock"
    tags = ["inventory"]
    guards = [READ]

    @get("/", summary="Stock on hand by item, lot and location (non-zero)")
    async def list_stock(
        self,
        item_code: FromQuery[str | None] = None,
        location_code: FromQuery[str | None] = None,
        lot_code: FromQuery[str | None] = None,
        limit: LongLimit = 500,
        offset: Offset = 0,
    ) -> Page[s.StockRow]:
        data, total = await services.list_stock(
            item_code=item_code, location_code=location_code, lot_code=lot_code, limit=limit,
            offset=offset)
        return Page(data=data, total=total)

    @get("/ledger", summary="Stock movements, newest first")
    async def list_ledger(
        self,
        item_code: FromQuery[str | None] = None,
        lot_code: FromQuery[str | None] = None,
        location_code: FromQuery[str | None] = None,
        document_code: FromQuery[str | None] = None,
        kind: FromQuery[str | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[s.LedgerRow]:
        data, total = await services.list_ledger(
            item_code=item_code, lot_code=lot_code, location_code=location_code,
            document_code=document_code, kind=kind, limit=limit, offset=offset)
        return Page(data=data, total=total)

    @get("/reconciliation",
         summary="Negative line-side and supplier balances to reconcile")
    async def reconciliation(self) -> list[s.ReconciliationRow]:
        return await services.reconciliation()

    @post("/moves", guards=[WORK], status_code=201,
          summary="Issue, return, transfer, finished goods receipt or scrap")
    async def move(self, command: NamedDependency[Command],
                   data: JSONBody[s.MoveIn]) -> Response[s.MoveOut]:
        return await command(lambda uow: services.move_stock(uow, data),
                    status_code=201)

    @post("/misc", guards=[SUPERVISE], status_code=201,
          summary="Miscellaneous receipt or issue with a reason code")
    async def misc(self, command: NamedDependency[Command],
                   data: JSONBody[s.MiscIn]) -> Response[s.MoveOut]:
        return await command(lambda uow: services.misc_movement(uow, data),
                    status_code=201)


class CountsController(Controller):
    """Cycle counts by location: count, submit, and a supervisor approves (posting the
    variances) or rejects. A blind count hides what the ledger expects from the counter."""

    path = "/api/v1/counts"
    tags = ["inventory"]
    guards = [READ]

    @get("/", summary="List counts, newest first")
    async def list_counts(
        self,
        location_code: FromQuery[str | None] = None,
        status: FromQuery[Literal["open", "submitted", "approved", "rejected"] | None] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[s.CountRow]:
        data, total = await counting.list_counts(location_code=location_code, status=status,
                                                 limit=limit, offset=offset)
        return Page(data=data, total=total)

    @post("/", guards=[WORK], status_code=201,
          summary="Start counting a location (snapshots what the ledger holds there)")
    async def create_count(self, command: NamedDependency[Command],
                           data: JSONBody[s.CountIn]) -> Response[s.CountOut]:
        return await command(lambda uow: counting.create_count(uow, data),
                    status_code=201)

    @get("/{code:str}",
         summary="Read a count (expected quantities hidden from counters of a blind count)")
    async def read_count(self, request: Request[Any, Any, Any],
                         code: FromPath[str]) -> s.CountOut:
        return await counting.get_count(code, current_user(request).roles)

    @post("/{code:str}/lines", guards=[WORK], status_code=200,
          summary="Record what was counted of an item (and lot)")
    async def record_line(self, command: NamedDependency[Command], code: FromPath[str],
                          data: JSONBody[s.CountLineIn]) -> Response[s.CountOut]:
        return await command(
            lambda uow: counting.record_count_line(uow, code, data))

    @post("/{code:str}/submit", guards=[WORK], status_code=200,
          summary="Close counting and compute the variances against the ledger now")
    async def submit(self, command: NamedDependency[Command],
                     code: FromPath[str]) -> Response[s.CountOut]:
        return await command(lambda uow: counting.submit_count(uow, code))

    @post("/{code:str}/approve", guards=[SUPERVISE], status_code=200,
          summary="Approve a submitted count: post its variances as count adjustments")
    async def approve(self, command: NamedDependency[Command], code: FromPath[str],
                      data: JSONBody[s.CountDecisionIn | None] = None
                      ) -> Response[s.CountOut]:
        decision = data or s.CountDecisionIn()
        return await command(
            lambda uow: counting.approve_count(uow, code, decision))

    @post("/{code:str}/reject", guards=[SUPERVISE], status_code=200,
          summary="Reject a count (with a reason): nothing is posted")
    async def reject(self, command: NamedDependency[Command], code: FromPath[str],
                     data: JSONBody[s.CountRejectIn]) -> Response[s.CountOut]:
        return await command(lambda uow: counting.reject_count(uow, code, data))


class ShipmentsController(Controller):
    """Shipments to customers: what left the plant, by lot."""

    path = "/api/v1/shipments"
    tags = ["inventory"]
    guards = [READ]

    @post("/", guards=[WORK], status_code=201,
          summary="Ship goods against a customer order reference (released lots only)")
    async def ship(self, command: NamedDependency[Command],
                   data: JSONBody[s.ShipmentIn]) -> Response[s.ShipmentOut]:
        return await command(lambda uow: outbound.ship(uow, data),
                    status_code=201)

    @get("/{code:str}", summary="Read a shipment")
    async def read_shipment(self, code: FromPath[str]) -> s.ShipmentOut:
        return await outbound.get_shipment(code)


class CustomerReturnsController(Controller):
    """Goods customers send back: received as a new blocked lot for returns inspection."""

    path = "/api/v1/customer-returns"
    tags = ["inventory"]
    guards = [READ]

    @post("/", guards=[WORK], status_code=201,
          summary="Receive a customer return (arrives blocked)")
    async def receive(self, command: NamedDependency[Command],
                      data: JSONBody[s.CustomerReturnIn]) -> Response[s.CustomerReturnOut]:
        return await command(
            lambda uow: outbound.receive_customer_return(uow, data), status_code=201)

    @get("/{code:str}", summary="Read a customer return")
    async def read(self, code: FromPath[str]) -> s.CustomerReturnOut:
        return await outbound.get_customer_return(code)


class SupplierReturnsController(Controller):
    """Goods sent back to a supplier, of any quality status."""

    path = "/api/v1/supplier-returns"
    tags = ["inventory"]
    guards = [READ]

    @post("/", guards=[WORK], status_code=201,
          summary="Return goods to their supplier (blocked stock too)")
    async def send(self, command: NamedDependency[Command],
                   data: JSONBody[s.SupplierReturnIn]) -> Response[s.SupplierReturnOut]:
        return await command(
            lambda uow: outbound.return_to_supplier(uow, data), status_code=201)

    @get("/{code:str}", summary="Read a supplier return")
    async def read(self, code: FromPath[str]) -> s.SupplierReturnOut:
        return await outbound.get_supplier_return(code)


def controllers() -> list[type[Controller]]:
    """The inventory controllers, for ``create_app``."""
    return [ReceiptsController, LotsController, StockController, CountsController,
            ShipmentsController, CustomerReturnsController, SupplierReturnsController]
