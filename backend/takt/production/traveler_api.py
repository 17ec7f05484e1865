"""``GET /api/v1/work-orders/{code}/traveler.pdf``: the printable routing card."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.params import FromPath

from takt.platform.auth import READ
from takt.production.traveler import render_traveler
from takt.settings import get_settings

__all__ = ["TravelerController"]


class TravelerController(Controller):
    """The traveler of a work order, for anyone who may read work orders."""

    path = "/api/v1/work-orders"
    tags = ["production"]
    guards = [READ]

    @get("/{code:str}/traveler.pdf", media_type="application/pdf",
         summary="The work order's traveler (routing card) as a PDF")
    async def traveler(self, code: FromPath[str]) -> Response[bytes]:
        content = await render_traveler(code.upper(), get_settings())
        return Response(content, media_type="application/pdf", headers={
            "Content-Disposition": f'inline; filename="traveler-{code.upper()}.pdf"'})
