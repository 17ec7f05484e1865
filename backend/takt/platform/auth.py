"""Tokens (JWT cookie or bearer header) and role guards: the HTTP side of signing in.

Who may sign in and the signed-in user are :mod:`takt.platform.signin`, which knows no HTTP.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.middleware.authentication import AuthenticationResult
from litestar.security.jwt import JWTCookieAuth, JWTCookieAuthenticationMiddleware, Token

from takt.platform.errors import Forbidden, Unauthorized
from takt.platform.i18n import Message, term
from takt.platform.roles import ALL_ROLES, EVERYONE
from takt.platform.signin import AuthUser, signed_in_user

if TYPE_CHECKING:
    from litestar.handlers.base import BaseRouteHandler
    from litestar.types import Guard

    from takt.settings import Settings

__all__ = ["READ", "allow", "make_jwt_auth"]

_TOKEN_CACHE_LIMIT = 10_000


async def _retrieve_user(token: Token, connection: ASGIConnection[Any, Any, Any, Any]
                         ) -> AuthUser | None:
    try:
        user_id = int(token.sub)
    except ValueError:
        return None
    return await signed_in_user(user_id)


class _TokenAuthMiddleware(JWTCookieAuthenticationMiddleware):
    """The cookie or bearer header, and on websockets also ``?token=`` for scripts whose
    websocket client cannot set headers. Not on HTTP requests: a token in a URL ends up in
    access logs and browser history."""

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]
                                   ) -> AuthenticationResult:
        token = connection.query_params.get("token")
        if (connection.scope["type"] == ScopeType.WEBSOCKET and token
                and not connection.headers.get(self.auth_header)
                and not connection.cookies.get(self.auth_cookie_key)):
            return await self.authenticate_token(encoded_token=token, connection=connection)
        return await super().authenticate_request(connection)

    async def authenticate_token(self, encoded_token: str,
                                 connection: ASGIConnection[Any, Any, Any, Any]
                                 ) -> AuthenticationResult:
        """As Litestar's, but a token whose signature was checked once is not checked again
        until it expires (decoding was a tenth of a scan's CPU)."""
        token = _verified_tokens.get(encoded_token)
        if token is None or token.exp <= datetime.now(UTC):
            token = self.token_cls.decode(
                encoded_token=encoded_token, secret=self.token_secret,
                algorithm=self.algorithm, audience=self.token_audience,
                issuer=self.token_issuer, require_claims=self.require_claims,
                verify_exp=self.verify_expiry, verify_nbf=self.verify_not_before,
                strict_audience=self.strict_audience)
            if len(_verified_tokens) >= _TOKEN_CACHE_LIMIT:
                _verified_tokens.clear()
            _verified_tokens[encoded_token] = token
        user = await self.retrieve_user_handler(token, connection)
        if not user:
            raise NotAuthorizedException()
        return AuthenticationResult(user=user, auth=token)


_verified_tokens: dict[str, Token] = {}


def make_jwt_auth(settings: Settings) -> JWTCookieAuth[AuthUser, Token]:
    """JWT in an HttpOnly cookie for the browser and websockets, or ``Authorization: Bearer``
    for scripts (``?token=`` on the live websocket)."""
    return JWTCookieAuth[AuthUser, Token](
        retrieve_user_handler=_retrieve_user,
        token_secret=settings.require_secret_key(),
        key="takt_token",
        secure=settings.cookie_secure,
        samesite="lax",
        default_token_expiration=timedelta(minutes=settings.token_ttl_minutes),
        authentication_middleware_class=_TokenAuthMiddleware,
        exclude=[
            "^/$",
            "^/health",
            "^/ready",
            "^/schema",
            "^/admin",
            "^/S/",
            "^/api/v1/auth/(login|badge|logout)",
            "^/assets/",
            "^/(favicon|manifest|sw|version|icons|robots)",
        ],
    )


def _role_words(roles: frozenset[str]) -> Message:
    """Role names in the reader's language, joined: "inspector, supervisor" / "检验员、车间主管"."""
    words = [term("role", role) for role in sorted(roles)] or [Message("none")]
    joined = words[0]
    for word in words[1:]:
        joined = Message("{items}, {item}", items=joined, item=word)
    return joined


def allow(*roles: str) -> Guard:
    """A guard letting through users holding any of ``roles``."""
    allowed = frozenset(roles)
    unknown = allowed - set(ALL_ROLES)
    if unknown:
        raise ValueError(f"unknown roles in guard: {sorted(unknown)}")
    wording = _role_words(allowed)

    # A coroutine function: Litestar runs a plain function guard in a worker thread, a
    # thread hop on every request for what is a set intersection.
    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if connection.scope.get("method") == "OPTIONS":
            # Litestar answers OPTIONS itself (the Allow header, no data) and the auth
            # middleware lets it through unsigned, as CORS preflights are; a controller's
            # guards still run on it, and there is no user to read.
            return
        user = connection.user
        if not isinstance(user, AuthUser):
            raise Unauthorized(Message("Sign in first: this needs a valid session or token."))
        if not user.roles & allowed:
            raise Forbidden(Message("This needs one of the roles {wording}; you have {value}.",
                                    wording=wording, value=_role_words(user.roles)))

    return guard


READ = allow(*EVERYONE)
"""The read guard every controller sets once: any signed-in user with a role."""
