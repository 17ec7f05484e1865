"""The scan door over HTTP: ``GET /api/v1/scan?code=…``, answered by ``resolve_scan``."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import Parameter

from takt.platform.auth import READ
from takt.platform.http import current_user
from takt.scan import ScanResult, resolve_scan

__all__ = ["ScanController"]


class ScanController(Controller):
    """``GET /api/v1/scan?code=…``: the one door every scan goes through."""

    path = "/api/v1/scan"
    tags = ["scan"]
    guards = [READ]

    @get("/", summary="Resolve scanned text to a record")
    async def scan(
        self,
        request: Request[Any, Any, Any],
        code: str = Parameter(min_length=1, max_length=2048,
                              description="The scanned text: label URL, GS1 or bare code"),
    ) -> ScanResult:
        return await resolve_scan(code, current_user(request).roles)
