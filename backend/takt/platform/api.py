"""HTTP controllers of the platform: sign-in, the current user, users, health, what the app
needs to start (client config, push subscriptions) and the local CA certificate."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.security.jwt import JWTCookieAuth
from msgspec import Meta

from takt import __version__
from takt.platform import db, push, tls, users
from takt.platform.auth import READ, allow
from takt.platform.errors import NotFound, Unauthorized
from takt.platform.http import Command, Page, current_user
from takt.platform.i18n import Message
from takt.platform.params import Limit, Offset
from takt.platform.problems import problem
from takt.platform.roles import ADMINS
from takt.platform.scantext import LabelRef, ScanTextError, parse_scan
from takt.platform.signin import AuthUser, authenticate_badge, authenticate_password

__all__ = ["AuthController", "CaCertificateController", "ClientConfigController",
           "HealthController", "MeController", "PushController", "UsersController",
           "login_rate_limit"]

CA_MEDIA_TYPE = "application/x-x509-ca-cert"


class LoginIn(msgspec.Struct, forbid_unknown_fields=True):
    """Password sign-in."""

    username: Annotated[str, Meta(min_length=1, max_length=100)]
    password: Annotated[str, Meta(min_length=1, max_length=128)]


class BadgeIn(msgspec.Struct, forbid_unknown_fields=True):
    """Badge sign-in on a shared handheld: the scanned badge label (or its code) and the PIN."""

    badge: Annotated[str, Meta(min_length=1, max_length=512)]
    pin: Annotated[str, Meta(min_length=1, max_length=12)]


class LoginOut(msgspec.Struct):
    """A signed-in session: the token (also set as an HttpOnly cookie) and the user."""

    access_token: str
    token_type: str
    expires_in: int
    user: users.UserOut


def login_rate_limit(per_minute: int) -> RateLimitConfig:
    """Sign-in attempts allowed per client address and minute."""
    return RateLimitConfig(rate_limit=("minute", per_minute), store="login_rate_limit",
                           set_rate_limit_headers=True)


def _badge_code(text: str) -> str:
    try:
        parsed = parse_scan(text)
    except ScanTextError as exc:
        raise Unauthorized(exc.sentence, code="auth.invalid_badge") from None
    if isinstance(parsed, LabelRef):
        if parsed.kind != "U":
            raise Unauthorized(Message("That label is not an operator badge."),
                               code="auth.not_a_badge")
        return parsed.code
    return getattr(parsed, "code", text.strip().upper())


class AuthController(Controller):
    """Sign-in and sign-out. Rate limited per client address."""

    path = "/api/v1/auth"
    tags = ["auth"]
    opt = {"rate_limited": True}  # the OpenAPI document lists their 429

    async def _session(self, request: Request[Any, Any, Any], user: AuthUser) -> Response[LoginOut]:
        jwt_auth: JWTCookieAuth[Any, Any] = request.app.state.jwt_auth
        ttl: timedelta = jwt_auth.default_token_expiration
        token = jwt_auth.create_token(identifier=str(user.id), token_expiration=ttl)
        body = LoginOut(access_token=token, token_type="bearer",
                        expires_in=int(ttl.total_seconds()),
                        user=await users.get_user(user.username))
        cookie = Cookie(key=jwt_auth.key, value=token, path="/", httponly=True,
                        max_age=int(ttl.total_seconds()), secure=jwt_auth.secure,
                        samesite=jwt_auth.samesite)
        return Response(body, cookies=[cookie])

    @post("/login", status_code=200, summary="Sign in with user name and password")
    async def login(self, request: Request[Any, Any, Any],
                    data: JSONBody[LoginIn]) -> Response[LoginOut]:
        user = await authenticate_password(data.username, data.password)
        return await self._session(request, user)

    @post("/badge", status_code=200, summary="Sign in with a scanned badge and its PIN")
    async def badge(self, request: Request[Any, Any, Any],
                    data: JSONBody[BadgeIn]) -> Response[LoginOut]:
        store = request.app.stores.get("badge_failures")
        user = await authenticate_badge(_badge_code(data.badge), data.pin.strip(), store)
        return await self._session(request, user)

    @post("/logout", status_code=204, summary="Sign out (forget the cookie)")
    async def logout(self, request: Request[Any, Any, Any]) -> Response[None]:
        jwt_auth = request.app.state.jwt_auth
        response: Response[None] = Response(None, status_code=204)
        response.delete_cookie(jwt_auth.key, path="/")
        return response


class MeController(Controller):
    """The signed-in user."""

    path = "/api/v1/me"
    tags = ["auth"]
    guards = [READ]

    @get("/", summary="Who am I, with my roles")
    async def me(self, request: Request[Any, Any, Any]) -> users.UserOut:
        return await users.get_user(current_user(request).username)


class UsersController(Controller):
    """Users and roles (admins only)."""

    path = "/api/v1/users"
    tags = ["users"]
    guards = [allow(*ADMINS)]

    @get("/", summary="List users")
    async def list_users(
        self,
        limit: Limit = 50,
        offset: Offset = 0,
        active: FromQuery[bool | None] = None,
        role: FromQuery[str | None] = None,
    ) -> Page[users.UserOut]:
        data, total = await users.list_users(limit=limit, offset=offset, active=active, role=role)
        return Page(data=data, total=total)

    @get("/{code:str}", summary="Read a user by user name")
    async def read_user(self, code: FromPath[str]) -> users.UserOut:
        return await users.get_user(code)

    @post("/", status_code=201, summary="Create a user")
    async def create_user(self, command: NamedDependency[Command],
                          data: JSONBody[users.UserIn]) -> Response[users.UserOut]:
        return await command(lambda uow: users.create_user(uow, data),
                    status_code=201)

    @patch("/{code:str}", summary="Change a user (roles, password, badge, PIN, active)")
    async def update_user(self, command: NamedDependency[Command], code: FromPath[str],
                          data: JSONBody[users.UserPatch]) -> Response[users.UserOut]:
        return await command(lambda uow: users.update_user(uow, code, data))


class HealthController(Controller):
    """Liveness and readiness for load balancers and monitoring."""

    path = ""
    tags = ["health"]

    @get("/health", summary="Alive", exclude_from_auth=True)
    async def health(self) -> dict[str, str]:
        return {"status": "ok"}

    @get("/ready", summary="Ready: the database answers (and Redis, when configured)",
         exclude_from_auth=True)
    async def ready(self, request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
        checks: dict[str, str] = {}
        try:
            await db.ping()
            checks["database"] = "ok"
        except Exception as exc:  # readiness reports, it does not fail
            checks["database"] = f"error: {exc.__class__.__name__}"
        redis_client = request.app.state.get("redis")
        if redis_client is not None:
            try:
                await redis_client.ping()
                checks["redis"] = "ok"
            except Exception as exc:
                checks["redis"] = f"error: {exc.__class__.__name__}"
        if all(value == "ok" for value in checks.values()):
            return Response({"status": "ready", "mode": request.app.state.mode.describe(),
                             "checks": checks})
        return problem(503, "not_ready", "Takt cannot reach its database or Redis.",
                       checks=checks)


class ClientConfig(msgspec.Struct):
    """What the app reads before anyone signs in."""

    version: str
    """The Takt version serving this API."""
    idle_signout_minutes: int
    """Sign a shared handheld out after this many idle minutes; 0 means never."""
    scan_repeat_window_ms: int
    """The same label read again within this many milliseconds counts as one scan."""
    report_undo_seconds: int
    """An operator may undo their own work report for this many seconds after it."""
    vapid_public_key: str
    """``applicationServerKey`` for ``pushManager.subscribe`` (base64url)."""
    public_url: str
    """The address labels encode."""


class ClientConfigController(Controller):
    """Start-up settings of the app."""

    path = "/api/v1/client-config"
    tags = ["app"]

    @get("/", exclude_from_auth=True, summary="Settings the app needs before sign-in")
    async def client_config(self, request: Request[Any, Any, Any]) -> ClientConfig:
        settings = request.app.state.settings
        vapid_key = settings.require_vapid_private_key()
        return ClientConfig(version=__version__,
                            idle_signout_minutes=settings.idle_signout_minutes,
                            scan_repeat_window_ms=settings.scan_repeat_window_ms,
                            report_undo_seconds=settings.report_undo_seconds,
                            vapid_public_key=push.vapid_public_key(vapid_key),
                            public_url=settings.public_url)


class PushController(Controller):
    """The signed-in user's devices that receive push notifications."""

    path = "/api/v1/push"
    tags = ["push"]
    guards = [READ]

    @get("/subscriptions", summary="My devices that receive notifications")
    async def list_subscriptions(self, request: Request[Any, Any, Any]
                                 ) -> Page[push.SubscriptionOut]:
        data = await push.list_subscriptions(current_user(request).id)
        return Page(data=data, total=len(data))

    @post("/subscriptions", status_code=201,
          summary="Register this device for my notifications (again: refresh or move it)")
    async def subscribe(self, request: Request[Any, Any, Any], command: NamedDependency[Command],
                        data: JSONBody[push.SubscriptionIn]) -> Response[push.SubscriptionOut]:
        user_id = command.user.id
        user_agent = request.headers.get("user-agent", "")
        return await command(lambda uow: push.subscribe(uow, user_id, data, user_agent),
                             status_code=201)

    @delete("/subscriptions", status_code=204, summary="Stop notifications on one of my devices")
    async def unsubscribe(
        self,
        command: NamedDependency[Command],
        endpoint: Annotated[str, QueryParameter(min_length=1, max_length=1000,
                                                description="The subscription's endpoint")],
    ) -> Response[None]:
        user_id = command.user.id
        return await command(lambda uow: push.unsubscribe(uow, user_id, endpoint),
                             status_code=204)

    @post("/test", status_code=200, summary="Send a test notification to my devices")
    async def test(self, request: Request[Any, Any, Any]) -> push.PushReport:
        return await push.send_test(current_user(request).id)


class CaCertificateController(Controller):
    """The local certificate authority's certificate, for handhelds to trust HTTPS on the LAN."""

    path = "/ca.crt"
    tags = ["app"]

    @get("/", exclude_from_auth=True, media_type=CA_MEDIA_TYPE,
         summary="Download the local CA certificate (after takt serve --tls)")
    async def ca_certificate(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        der = tls.ca_certificate_der(tls.tls_dir(request.app.state.settings.data_dir))
        if der is None:
            raise NotFound(Message("HTTPS on the LAN is not set up here: start Takt with takt "
                                   "serve --tls (or TAKT_TLS=1) first."), code="tls.not_set_up")
        return Response(der, media_type=CA_MEDIA_TYPE, headers={
            "Content-Disposition": 'attachment; filename="takt-local-ca.crt"'})
