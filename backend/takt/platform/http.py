"""Shared pieces of the HTTP layer: the ``command`` dependency that runs a service command for a
request, list pages, the signed-in user."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import msgspec
from litestar import Request, Response
from litestar.di import Provide

from takt.platform import idempotency
from takt.platform.commands import UnitOfWork, run_command
from takt.platform.signin import AuthUser

__all__ = ["IDEMPOTENCY_HEADER", "Command", "Page", "current_user", "dependencies"]

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


class Command:
    """Runs a service command for the request it was made for, exactly once per
    ``Idempotency-Key``, as the signed-in user. A handler receives it as its ``command``
    parameter and answers ``await command(work, status_code=201)``.

    Args:
        request: The request whose method, path and body are the command's fingerprint.
    """

    def __init__(self, request: Request[Any, Any, Any]) -> None:
        self._request = request

    @property
    def user(self) -> AuthUser:
        """Who runs the command."""
        return current_user(self._request)

    async def _fingerprint(self) -> str:
        request = self._request
        return idempotency.request_hash(request.method, request.url.path, await request.body())

    async def answered(self) -> bool:
        """Whether this request's ``Idempotency-Key`` was answered before, so that running the
        command again would only replay the stored answer."""
        key = self._request.headers.get(IDEMPOTENCY_HEADER)
        if key is None:
            return False
        return await idempotency.find(self.user.id, idempotency.check_key(key),
                                      await self._fingerprint()) is not None

    async def __call__(self, work: Callable[[UnitOfWork], Awaitable[Any]], *,
                       status_code: int = 200) -> Response[Any]:
        """Run ``work`` in one transaction and answer with its result (or the stored answer of
        a replayed key, marked ``Idempotent-Replayed: true``)."""
        result = await run_command(
            self.user.actor,
            work,
            idempotency_key=self._request.headers.get(IDEMPOTENCY_HEADER),
            fingerprint=await self._fingerprint(),
            status_code=status_code,
        )
        headers = {"Idempotent-Replayed": "true"} if result.replayed else None
        if result.status_code == 204:
            # A 204 carries no body, not even the JSON ``null`` of a command that returns
            # nothing.
            return Response(content=None, status_code=204, headers=headers)
        return Response(content=result.body, status_code=result.status_code,
                        media_type="application/json", headers=headers)


async def _provide_command(request: Request[Any, Any, Any]) -> Command:
    return Command(request)


dependencies: dict[str, Provide] = {"command": Provide(_provide_command)}
"""What ``create_app`` provides to every handler: ``command``."""
