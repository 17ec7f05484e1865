"""``create_app()``: the only place that wires Litestar together."""

from __future__ import annotations

import contextlib
import logging
import mimetypes
from pathlib import Path
from typing import Any

from litestar import Litestar, MediaType, Request, Response, Router, get
from litestar.channels import ChannelsPlugin
from litestar.datastructures import CacheControlHeader, State
from litestar.exceptions import NotFoundException
from litestar.handlers import asgi
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.params import FromPath
from litestar.static_files import create_static_files_router
from litestar.types import Receive, Scope, Send

from takt import __version__
from takt.inventory.api import controllers as inventory_controllers
from takt.inventory.line import start_folding, stop_folding
from takt.labels.api import LabelsController
from takt.masterdata.api import controllers as masterdata_controllers
from takt.platform import db, events, push
from takt.platform.api import (
    AuthController,
    CaCertificateController,
    ClientConfigController,
    HealthController,
    MeController,
    PushController,
    UsersController,
    login_rate_limit,
)
from takt.platform.auth import make_jwt_auth
from takt.platform.http import dependencies
from takt.platform.live import live
from takt.platform.mode import choose_mode
from takt.platform.openapi import openapi_plugins
from takt.platform.problems import exception_handlers
from takt.production.api import controllers as production_controllers
from takt.production.scheduling.api import ScheduleController
from takt.production.serials_api import controllers as serial_controllers
from takt.production.station_api import StationController
from takt.production.traveler_api import TravelerController
from takt.scan import register_record_kinds
from takt.scan_api import ScanController
from takt.settings import Settings, get_settings
from takt.workforce.api import CalendarController

__all__ = ["create_app"]

FRONT_DOOR = Path(__file__).with_name("frontdoor.html")

NO_CACHE = CacheControlHeader(no_cache=True)
"""The app shell, service worker and manifest: always ask the server, so updates arrive."""

IMMUTABLE = CacheControlHeader(public=True, max_age=31536000, immutable=True)
"""Built assets carry a content hash in their name and never change."""

_SERVER_PATHS = ("/api/", "/schema", "/admin", "/health", "/ready")


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


def _app_shell(settings: Settings) -> Response[bytes]:
    # Read per request: a rebuilt app is served at once, with the assets it names.
    try:
        shell = (settings.pwa_dir / "index.html").read_bytes()
    except FileNotFoundError:
        raise NotFoundException() from None
    return Response(shell, media_type=MediaType.HTML,
                    headers={NO_CACHE.HEADER_NAME: NO_CACHE.to_header()})


def _front_door_handlers(settings: Settings) -> list[Any]:
    """The built PWA at ``/`` (with label URLs ``/S/...`` opening it), or until it is built a
    small page to sign in and resolve scans."""
    if (settings.pwa_dir / "index.html").exists():
        # Some systems lack these types; the camera decoder's wasm needs its own to stream.
        mimetypes.add_type("application/wasm", ".wasm")
        mimetypes.add_type("application/manifest+json", ".webmanifest")

        @get(["/S/{path:path}"], exclude_from_auth=True, include_in_schema=False,
             media_type=MediaType.HTML)
        async def label_link(path: FromPath[str]) -> Response[bytes]:
            return _app_shell(settings)

        handlers: list[Any] = [label_link]
        if (settings.pwa_dir / "assets").is_dir():
            handlers.append(create_static_files_router(
                path="/assets", directories=[settings.pwa_dir / "assets"], name="pwa-assets",
                cache_control=IMMUTABLE, include_in_schema=False,
                opt={"exclude_from_auth": True}))
        handlers.append(create_static_files_router(
            path="/", directories=[settings.pwa_dir], html_mode=True, cache_control=NO_CACHE,
            include_in_schema=False, opt={"exclude_from_auth": True}))
        return handlers

    page = FRONT_DOOR.read_bytes()

    @get(["/", "/S/{path:path}"], exclude_from_auth=True, include_in_schema=False,
         media_type=MediaType.HTML)
    async def front_door() -> Response[bytes]:
        return Response(page, media_type=MediaType.HTML)

    return [front_door]


def _exception_handlers(settings: Settings) -> dict[Any, Any]:
    """The problem-details mapping, plus, when the PWA is built, its client routes: a page
    address that is not a file (``/home``, ``/r/WS/WS-101``) opens the app shell, which
    routes itself. API addresses keep their JSON 404."""
    if not (settings.pwa_dir / "index.html").exists():
        return exception_handlers
    not_found = exception_handlers[NotFoundException]

    def client_route(request: Request[Any, Any, Any], exc: NotFoundException) -> Response[Any]:
        path = request.url.path
        # Record pages may carry codes with dots (/r/ITEM/M6.20); other dotted names are files.
        is_page = (request.method in {"GET", "HEAD"} and not path.startswith(_SERVER_PATHS)
                   and (path.startswith("/r/") or "." not in path.rsplit("/", 1)[-1]))
        if is_page:
            # Without a built app shell (pwa/dist missing) a page is an ordinary 404.
            with contextlib.suppress(NotFoundException):
                return _app_shell(settings)
        return not_found(request, exc)

    return {**exception_handlers, NotFoundException: client_route}


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the Takt application for the configured mode (embedded or scale-out)."""
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    mode = choose_mode(settings)
    jwt_auth = make_jwt_auth(settings)
    # A board that cannot keep up loses its oldest events, not the server's memory; it
    # re-fetches what it shows anyway.
    channels = ChannelsPlugin(backend=mode.channels_backend(), arbitrary_channels_allowed=True,
                              subscriber_max_backlog=1000,
                              subscriber_backlog_strategy="dropleft")
    register_record_kinds()
    admin_app = _admin_app(settings)

    @asgi("/admin", is_mount=True, copy_scope=True, exclude_from_auth=True)
    async def admin(scope: Scope, receive: Receive, send: Send) -> None:
        await admin_app(scope, receive, send)

    async def on_startup(app: Litestar) -> None:
        await db.start(settings)
        events.set_publisher(lambda message, topics: channels.publish(message, topics))
        push.configure(settings)
        if mode.uses_redis:
            from redis.asyncio import Redis

            app.state.redis = Redis.from_url(mode.redis_url or "")
        app.state.fold_task = start_folding()
        logging.getLogger("takt").info("Takt %s started (%s)", __version__, mode.describe())

    async def on_shutdown(app: Litestar) -> None:
        events.set_publisher(None)
        await stop_folding(app.state.get("fold_task"))
        redis_client = app.state.get("redis")
        if redis_client is not None:
            await redis_client.aclose()
        await db.stop()

    sign_in = Router(path="/", route_handlers=[AuthController],
                     middleware=[login_rate_limit(settings.login_rate_limit_per_minute).middleware])

    app = Litestar(
        route_handlers=[
            HealthController,
            ClientConfigController,
            sign_in,
            MeController,
            UsersController,
            PushController,
            live,
            CaCertificateController,
            ScanController,
            LabelsController,
            TravelerController,
            *masterdata_controllers(),
            CalendarController,
            *inventory_controllers(),
            *production_controllers(),
            *serial_controllers(),
            StationController,
            ScheduleController,
            admin,
            *_front_door_handlers(settings),
        ],
        on_app_init=[jwt_auth.on_app_init],
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        plugins=[channels, *openapi_plugins()],
        dependencies=dependencies,
        stores={"login_rate_limit": mode.store("login_rate_limit"),
                "badge_failures": mode.store("badge_failures")},
        exception_handlers=_exception_handlers(settings),
        openapi_config=OpenAPIConfig(
            title="Takt", version=__version__, path="/schema",
            description="Takt MES API. Commands accept an Idempotency-Key header.",
            render_plugins=[SwaggerRenderPlugin()],
        ),
        state=State({"jwt_auth": jwt_auth, "mode": mode, "settings": settings}),
        debug=settings.debug,
    )
    return app


