"""HTTP controllers of inventory: receipts, lots, stock moves and the stock queries.

Reading needs any role. Operators, supervisors and admins receive goods; operators and
supervisors move stock (issue, return, transfer, finished goods, scrap); supervisors post
miscellaneous receipts and issues; inspectors and supervisors release and block lots. Every
command runs through ``command_response``: idempotent by ``Idempotency-Key``.
"""

from __future__ import annotations

from typing import Any, Literal

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from takt.inventory import schemas as s
from takt.inventory import services
from takt.platform.auth import ALL_ROLES, allow
from takt.platform.http import Page, command_response

__all__ = ["controllers"]

READ = allow(*ALL_ROLES)
RECEIVE = allow("operator", "supervisor", "admin")
MOVE = allow("operator", "supervisor")
MISC = allow("supervisor")
INSPECT = allow("inspector", "supervisor")


class ReceiptsController(Controller):
    """Goods receipts: what arrived, from whom, into which location, as which lot."""

    path = "/api/v1/receipts"
    tags = ["inventory"]

    @post("/", guards=[RECEIVE], status_code=201,
          summary="Receive goods (by item or by the supplier's GS1 label) into a location")
    async def receive(self, request: Request[Any, Any, Any],
                      data: JSONBody[s.ReceiptIn]) -> Response[s.ReceiptOut]:
        return await command_response(request, lambda uow: services.receive(uow, data),
                                      status_code=201)

    @get("/{code:str}", guards=[READ], summary="Read a receipt")
    async def read_receipt(self, code: FromPath[str]) -> s.ReceiptOut:
        return await services.get_receipt(code)


class LotsController(Controller):
    """Lots by code: read, release, block, trace."""

    path = "/api/v1/lots"
    tags = ["inventory"]

    @get("/", guards=[READ], summary="List lots, newest first")
    async def list_lots(
        self,
        limit: int = Parameter(default=50, ge=1, le=500),
        offset: int = Parameter(default=0, ge=0),
        item_code: FromQuery[str | None] = None,
        quality_status: FromQuery[Literal["pending", "released", "blocked"] | None] = None,
        q: str | None = Parameter(default=None, max_length=100,
                                  description="Part of the lot code or supplier lot"),
    ) -> Page[s.LotRow]:
        data, total = await services.list_lots(limit=limit, offset=offset, item_code=item_code,
                                               quality_status=quality_status, q=q)
        return Page(data=data, total=total)

    @get("/{code:str}", guards=[READ], summary="Read a lot and where its stock is")
    async def read_lot(self, code: FromPath[str]) -> s.LotOut:
        return await services.get_lot(code)

    @post("/{code:str}/release", guards=[INSPECT], status_code=200,
          summary="Release a pending or blocked lot")
    async def release_lot(self, request: Request[Any, Any, Any],
                          code: FromPath[str]) -> Response[s.LotOut]:
        return await command_response(request, lambda uow: services.release_lot(uow, code))

    @post("/{code:str}/block", guards=[INSPECT], status_code=200,
          summary="Block a lot (a hold reason code or a note is needed)")
    async def block_lot(self, request: Request[Any, Any, Any], code: FromPath[str],
                        data: JSONBody[s.BlockIn]) -> Response[s.LotOut]:
        return await command_response(request,
                                      lambda uow: services.block_lot(uow, code, data))

    @get("/{code:str}/trace", guards=[READ],
         summary="A lot's genealogy: backward to its components, forward to what it went into")
    async def trace_lot(
        self, code: FromPath[str],
        direction: Literal["backward", "forward"] = Parameter(default="backward"),
    ) -> s.TraceNode:
        return await services.trace_lot(code, direction)


class StockController(Controller):
    """Stock on hand, the ledger, line-side reconciliation, and moves."""

    path = "/api/v1/stock"
    tags = ["inventory"]

    @get("/", guards=[READ], summary="Stock on hand by item, lot and location (non-zero)")
    async def list_stock(
        self,
        item_code: FromQuery[str | None] = None,
        location_code: FromQuery[str | None] = None,
        lot_code: FromQuery[str | None] = None,
        limit: int = Parameter(default=500, ge=1, le=5000),
        offset: int = Parameter(default=0, ge=0),
    ) -> Page[s.StockRow]:
        data, total = await services.list_stock(
            item_code=item_code, location_code=location_code, lot_code=lot_code, limit=limit,
            offset=offset)
        return Page(data=data, total=total)

    @get("/ledger", guards=[READ], summary="Stock movements, newest first")
    async def list_ledger(
        self,
        item_code: FromQuery[str | None] = None,
        lot_code: FromQuery[str | None] = None,
        location_code: FromQuery[str | None] = None,
        document_code: FromQuery[str | None] = None,
        kind: FromQuery[str | None] = None,
        limit: int = Parameter(default=50, ge=1, le=500),
        offset: int = Parameter(default=0, ge=0),
    ) -> Page[s.LedgerRow]:
        data, total = await services.list_ledger(
            item_code=item_code, lot_code=lot_code, location_code=location_code,
            document_code=document_code, kind=kind, limit=limit, offset=offset)
        return Page(data=data, total=total)

    @get("/reconciliation", guards=[READ],
         summary="Negative line-side balances to reconcile")
    async def reconciliation(self) -> list[s.ReconciliationRow]:
        return await services.reconciliation()

    @post("/moves", guards=[MOVE], status_code=201,
          summary="Issue, return, transfer, finished goods receipt or scrap")
    async def move(self, request: Request[Any, Any, Any],
                   data: JSONBody[s.MoveIn]) -> Response[s.MoveOut]:
        return await command_response(request, lambda uow: services.move_stock(uow, data),
                                      status_code=201)

    @post("/misc", guards=[MISC], status_code=201,
          summary="Miscellaneous receipt or issue with a reason code")
    async def misc(self, request: Request[Any, Any, Any],
                   data: JSONBody[s.MiscIn]) -> Response[s.MoveOut]:
        return await command_response(request, lambda uow: services.misc_movement(uow, data),
                                      status_code=201)


def controllers() -> list[type[Controller]]:
    """The inventory controllers, for ``create_app``."""
    return [ReceiptsController, LotsController, StockController]
