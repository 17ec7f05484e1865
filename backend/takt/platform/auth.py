"""Sign-in (password, badge + PIN), tokens, and role guards."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException
from litestar.middleware.authentication import AuthenticationResult
from litestar.security.jwt import JWTCookieAuth, JWTCookieAuthenticationMiddleware, Token
from piccolo.columns import Column

from takt.platform.commands import Actor
from takt.platform.errors import Forbidden, Unauthorized
from takt.platform.i18n import Message
from takt.platform.passwords import check_secret, hash_secret, needs_rehash
from takt.platform.tables import User

if TYPE_CHECKING:
    from litestar.handlers.base import BaseRouteHandler
    from litestar.stores.base import Store
    from litestar.types import Guard

    from takt.settings import Settings

__all__ = [
    "ALL_ROLES",
    "BACK_OFFICE_ROLES",
    "AuthUser",
    "allow",
    "authenticate_badge",
    "authenticate_password",
    "make_jwt_auth",
    "roles_text",
]

ALL_ROLES: tuple[str, ...] = ("admin", "planner", "operator", "inspector", "maintainer",
                              "supervisor")
"""Every role; a user may hold several."""

BACK_OFFICE_ROLES = frozenset({"admin", "planner"})
"""Roles that may open the back office (Piccolo Admin at ``/admin``)."""

BADGE_MAX_FAILURES = 5
BADGE_LOCK_SECONDS = 300
WRONG_CREDENTIALS = Message("The user name or password is wrong.")
WRONG_BADGE = Message("The badge or PIN is wrong.")


@dataclass(frozen=True)
class AuthUser:
    """The signed-in user as requests see it."""

    id: int
    username: str
    display_name: str
    roles: frozenset[str]

    @property
    def actor(self) -> Actor:
        """This user as the actor of commands."""
        return Actor(user_id=self.id, username=self.username, roles=self.roles)


def parse_roles(text: str) -> frozenset[str]:
    """Roles stored as ``"operator,supervisor"``."""
    return frozenset(role for role in text.split(",") if role)


def roles_text(roles: frozenset[str] | set[str] | list[str]) -> str:
    """Roles in the stored form: sorted, comma-separated."""
    return ",".join(sorted(set(roles)))


def _naive_utc_now() -> datetime:
    # Piccolo's BaseUser.last_login is a Timestamp without time zone; it holds UTC.
    return datetime.now(UTC).replace(tzinfo=None)


def _auth_user(row: dict[str, Any]) -> AuthUser:
    return AuthUser(id=row["id"], username=row["username"],
                    display_name=row["display_name"] or row["username"],
                    roles=parse_roles(row["roles"]))


async def authenticate_password(username: str, password: str) -> AuthUser:
    """Check a user name and password.

    Raises:
        Unauthorized: wrong name or password, or the account is deactivated.
    """
    row = await User.select().where(User.username == username.strip().lower()).first()
    if not await check_secret(password, row["password"] if row else None) or row is None:
        raise Unauthorized(WRONG_CREDENTIALS, code="auth.invalid_credentials")
    if not row["active"]:
        raise Unauthorized(Message("This account is deactivated; ask an administrator."),
                           code="auth.inactive")
    await _signed_in(row["id"], User.password, password, row["password"])
    return _auth_user(row)


async def _signed_in(user_id: int, column: Column, secret: str, stored: str) -> None:
    values: dict[Column | str, Any] = {User.last_login: _naive_utc_now()}
    if needs_rehash(stored):
        # The one moment the secret is known: a hash from before becomes argon2id.
        values[column] = await asyncio.to_thread(hash_secret, secret)
    await User.update(values).where(User.id == user_id)


async def authenticate_badge(badge: str, pin: str, store: Store) -> AuthUser:
    """Check a scanned badge and its PIN. After five wrong PINs the badge is locked for five
    minutes, so a four-digit PIN cannot be guessed on a lost handheld.

    Raises:
        Unauthorized: unknown badge, wrong PIN, locked badge or deactivated account.
    """
    lock_key = f"badge-failures:{badge}"
    failures = int((await store.get(lock_key)) or 0)
    if failures >= BADGE_MAX_FAILURES:
        raise Unauthorized(Message("This badge is locked for five minutes after too many wrong "
                                   "PINs."),
                           code="auth.badge_locked")
    row = await User.select().where(User.badge == badge).first()
    if not await check_secret(pin, row["pin_hash"] if row else None) or row is None:
        await store.set(lock_key, str(failures + 1), expires_in=BADGE_LOCK_SECONDS)
        raise Unauthorized(WRONG_BADGE, code="auth.invalid_badge")
    if not row["active"]:
        raise Unauthorized(Message("This account is deactivated; ask an administrator."),
                           code="auth.inactive")
    await store.delete(lock_key)
    await _signed_in(row["id"], User.pin_hash, pin, row["pin_hash"])
    return _auth_user(row)


USER_CACHE_SECONDS = 5.0
"""How long a worker trusts what it read of a signed-in user (roles, active). Every request
needs them and they rarely change; a change made through another worker takes effect within
this time, one made through this worker at once (:func:`forget_user`)."""
_USER_CACHE_LIMIT = 10_000
_user_cache: dict[int, tuple[float, AuthUser | None]] = {}


def forget_user(user_id: int) -> None:
    """Drop what this worker remembers of a user (after their roles or status changed)."""
    _user_cache.pop(user_id, None)


async def _retrieve_user(token: Token, connection: ASGIConnection[Any, Any, Any, Any]
                         ) -> AuthUser | None:
    try:
        user_id = int(token.sub)
    except ValueError:
        return None
    now = time.monotonic()
    cached = _user_cache.get(user_id)
    if cached is not None and cached[0] > now:
        return cached[1]
    row = await User.select(User.id, User.username, User.display_name, User.roles,
                            User.active).where(User.id == user_id).first()
    user = _auth_user(row) if row is not None and row["active"] else None
    if len(_user_cache) >= _USER_CACHE_LIMIT:
        _user_cache.clear()
    _user_cache[user_id] = (now + USER_CACHE_SECONDS, user)
    return user


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
            if len(_verified_tokens) >= _USER_CACHE_LIMIT:
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


def allow(*roles: str) -> Guard:
    """A guard letting through users holding any of ``roles``."""
    allowed = frozenset(roles)
    unknown = allowed - set(ALL_ROLES)
    if unknown:
        raise ValueError(f"unknown roles in guard: {sorted(unknown)}")
    wording = ", ".join(sorted(allowed))

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
                                    wording=wording, value=', '.join(sorted(user.roles)) or 'none'))

    guard.allowed_roles = allowed  # type: ignore[attr-defined]
    return guard
