"""Shared pieces of the HTTP layer: running a command from a request, list pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import msgspec
from litestar import Request, Response

from takt.platform.commands import UnitOfWork, run_command
from takt.platform.idempotency import request_hash
from takt.platform.signin import AuthUser

__all__ = ["IDEMPOTENCY_HEADER", "Page", "command_response", "current_user"]

T = TypeVar("T")

IDEMPOTENCY_HEADER = "Idempotency-Key"
"""Every command a handheld sends carries a fresh UUID in this header."""


class Page(msgspec.Struct, Generic[T]):
    """One page of a list: ``{"data": [...], "total": N}``."""

    data: list[T]
    total: int


def current_user(request: Request[Any, Any, Any]) -> AuthUser:
    """The signed-in user of a request that passed the auth middleware."""
    user = request.user
    assert isinstance(user, AuthUser)
    return user


async def command_response(
    request: Request[Any, Any, Any],
    work: Callable[[UnitOfWork], Awaitable[Any]],
    *,
    status_code: int = 200,
) -> Response[Any]:
    """Run a service command for this request, exactly once per ``Idempotency-Key``."""
    body = await request.body()
    result = await run_command(
        current_user(request).actor,
        work,
        idempotency_key=request.headers.get(IDEMPOTENCY_HEADER),
        fingerprint=request_hash(request.method, request.url.path, body),
        status_code=status_code,
    )
    headers = {"Idempotent-Replayed": "true"} if result.replayed else None
    if result.status_code == 204:
        # A 204 carries no body, not even the JSON ``null`` of a command that returns nothing.
        return Response(content=None, status_code=204, headers=headers)
    return Response(content=result.body, status_code=result.status_code,
                    media_type="application/json", headers=headers)
