"""``create_app()``: the only place that wires Litestar together."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from litestar import Litestar, MediaType, Response, Router, get
from litestar.channels import ChannelsPlugin
from litestar.datastructures import State
from litestar.handlers import asgi
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router
from litestar.types import Receive, Scope, Send

from takt import __version__
from takt.labels import LabelsController
from takt.masterdata.api import controllers as masterdata_controllers
from takt.platform import db, events
from takt.platform.api import (
    AuthController,
    HealthController,
    MeController,
    UsersController,
    login_rate_limit,
)
from takt.platform.auth import make_jwt_auth
from takt.platform.errors import exception_handlers
from takt.platform.mode import choose_mode
from takt.scan import ScanController, register_record_kinds
from takt.settings import Settings, get_settings

__all__ = ["create_app"]

FRONT_DOOR = Path(__file__).with_name("frontdoor.html")


def _admin_app(settings: Settings) -> Any:
    """Piccolo Admin on Takt's own user accounts: admins and planners may sign in."""
    from piccolo_admin.endpoints import create_admin

    from takt.masterdata import tables as md
    from takt.platform.tables import AdminSession, AuditEntry, User

    return create_admin(
        tables=[getattr(md, name) for name in md.__all__] + [AuditEntry],
        auth_table=User,
        session_table=AdminSession,
        site_name="Takt back office",
        production=settings.cookie_secure,
        read_only=False,
    )


def _front_door_handlers(settings: Settings) -> list[Any]:
    """The built PWA at ``/`` (with label URLs ``/S/...`` opening it), or until it is built a
    small page to sign in and resolve scans."""
    index = settings.pwa_dir / "index.html"
    if index.exists():
        app_shell = index.read_bytes()

        @get(["/S/{path:path}"], exclude_from_auth=True, include_in_schema=False,
             media_type=MediaType.HTML)
        async def label_link(path: str) -> Response[bytes]:
            return Response(app_shell, media_type=MediaType.HTML)

        return [label_link, create_static_files_router(
            path="/", directories=[settings.pwa_dir], html_mode=True,
            include_in_schema=False, opt={"exclude_from_auth": True})]

    page = FRONT_DOOR.read_bytes()

    @get(["/", "/S/{path:path}"], exclude_from_auth=True, include_in_schema=False,
         media_type=MediaType.HTML)
    async def front_door() -> Response[bytes]:
        return Response(page, media_type=MediaType.HTML)

    return [front_door]


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the Takt application for the configured mode (embedded or scale-out)."""
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    mode = choose_mode(settings)
    jwt_auth = make_jwt_auth(settings)
    channels = ChannelsPlugin(backend=mode.channels_backend(), arbitrary_channels_allowed=True)
    register_record_kinds()
    admin_app = _admin_app(settings)

    @asgi("/admin", is_mount=True, copy_scope=True, exclude_from_auth=True)
    async def admin(scope: Scope, receive: Receive, send: Send) -> None:
        await admin_app(scope, receive, send)

    async def on_startup(app: Litestar) -> None:
        await db.start(settings)
        events.set_publisher(lambda message, topics: channels.publish(message, topics))
        if mode.uses_redis:
            from redis.asyncio import Redis

            app.state.redis = Redis.from_url(mode.redis_url or "")
        logging.getLogger("takt").info("Takt %s started (%s)", __version__, mode.describe())

    async def on_shutdown(app: Litestar) -> None:
        events.set_publisher(None)
        redis_client = app.state.get("redis")
        if redis_client is not None:
            await redis_client.aclose()
        await db.stop()

    sign_in = Router(path="/", route_handlers=[AuthController],
                     middleware=[login_rate_limit(settings.login_rate_limit_per_minute).middleware])

    app = Litestar(
        route_handlers=[
            HealthController,
            sign_in,
            MeController,
            UsersController,
            ScanController,
            LabelsController,
            *masterdata_controllers(),
            admin,
            *_front_door_handlers(settings),
        ],
        on_app_init=[jwt_auth.on_app_init],
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        plugins=[channels],
        stores={"login_rate_limit": mode.store("login_rate_limit"),
                "badge_failures": mode.store("badge_failures")},
        exception_handlers=exception_handlers,
        openapi_config=OpenAPIConfig(
            title="Takt", version=__version__, path="/schema",
            description="Takt MES API. Commands accept an Idempotency-Key header.",
            render_plugins=[SwaggerRenderPlugin()],
        ),
        state=State({"jwt_auth": jwt_auth, "mode": mode, "settings": settings}),
        debug=settings.debug,
    )
    return app


