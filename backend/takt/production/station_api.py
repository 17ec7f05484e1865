"""HTTP API of the workstation's view of an operation (:mod:`takt.production.station`)."""

from __future__ import annotations

from litestar import Controller, get

from takt.platform.auth import READ
from takt.platform.params import RecordId
from takt.production.station import StationOut, station_view

__all__ = ["StationController"]


class StationController(Controller):
    """The workstation's view of an operation."""

    path = "/api/v1/operations"
    tags = ["production"]
    guards = [READ]

    @get("/{op_id:int}/station",
         summary="What the workstation shows beside an operation",
         description="Its scan-to-consume components (required, per unit, consumed so far) "
                     "and whether its output is reported by scanning serials here.")
    async def station(self, op_id: RecordId) -> StationOut:
        return await station_view(op_id)
