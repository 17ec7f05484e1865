"""The ``takt`` command: serve, migrate, seed, users, labels and stock."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import socket
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TypeVar, get_args

__all__ = ["main"]

DEMO_LOGINS = """\
Demo logins (password for all: takt-demo)
  admin        back office, users, master data     http://{host}:{port}/admin/
  planner      work orders, scheduling
  operator     badge B-1001, PIN 1234 (also operator2: badge B-1002)
  inspector    quality worklist
  maintainer   equipment checks and repairs
  supervisor   line board and andon
"""


def _prepare() -> None:
    os.environ.setdefault("PICCOLO_CONF", "takt.piccolo_conf")


T = TypeVar("T")


async def _with_db(coro_fn: Callable[[], Awaitable[T]]) -> T:
    from takt.platform import db
    from takt.settings import get_settings

    await db.start(get_settings())
    try:
        return await coro_fn()
    finally:
        await db.stop()


def _cmd_migrate(_: argparse.Namespace) -> int:
    from takt.platform import db
    from takt.settings import ensure_keys, get_settings

    ensure_keys(get_settings())
    apps = asyncio.run(_with_db(db.migrate))
    print(f"Migrated: {', '.join(apps)}")
    return 0


def _cmd_seed(args: argparse.Namespace) -> int:
    from takt import seed

    async def run() -> int:
        if args.if_empty and not await seed.is_empty():
            print("The database already holds data; seed skipped.")
            return 0
        directory = Path(args.path) if args.path else seed.DEMO_DIR
        report = await seed.load_seed(directory)
        print(f"Seeded from {directory}:\n{report.summary()}")
        return 0

    if not args.demo and not args.path:
        print("Say what to load: --demo, or --path DIR.", file=sys.stderr)
        return 2
    return asyncio.run(_with_db(run))


def _cmd_user_create(args: argparse.Namespace) -> int:
    import msgspec

    from takt.platform import users
    from takt.platform.commands import Actor, execute
    from takt.platform.errors import TaktError

    password = args.password or os.environ.get("TAKT_NEW_PASSWORD") or getpass.getpass(
        f"Password for {args.username}: ")
    try:
        data = msgspec.convert({"username": args.username, "password": password,
                                "roles": args.role, "display_name": args.name or "",
                                "badge": args.badge, "pin": args.pin}, users.UserIn)
    except msgspec.ValidationError as exc:
        print(f"Cannot create the user: {exc}", file=sys.stderr)
        return 2

    async def run() -> int:
        try:
            user = await execute(Actor.system(), lambda uow: users.create_user(uow, data))
        except TaktError as exc:
            print(f"Cannot create the user: {exc.message}", file=sys.stderr)
            return 1
        print(f"Created {user.username} with roles {', '.join(user.roles)}.")
        return 0

    return asyncio.run(_with_db(run))


def _cmd_labels_print(args: argparse.Namespace) -> int:
    from takt import labels
    from takt.platform.errors import TaktError
    from takt.scan import register_record_kinds
    from takt.settings import get_settings

    register_record_kinds()
    refs = []
    for ref in args.records:
        kind, sep, code = ref.partition("/")
        if not sep:
            print(f"Name records as KIND/CODE (for example WS/WS-101), not {ref!r}.",
                  file=sys.stderr)
            return 2
        refs.append((kind, code))
    settings = get_settings()
    printer = args.printer or settings.label_printer

    async def run() -> int:
        try:
            if args.out:
                formats: dict[str, labels.LabelFormat] = {
                    name: name for name in get_args(labels.LabelFormat)}
                fmt = formats.get(args.format or Path(args.out).suffix.lstrip(".").lower()
                                  or "pdf")
                if fmt is None:
                    print(f"Name the file .png, .pdf or .zpl, or give --format: {args.out!r} "
                          "says no label format.", file=sys.stderr)
                    return 2
                rendered = await labels.render_labels(refs, fmt, settings)
                Path(args.out).write_bytes(rendered.content)
                print(f"Wrote {len(refs)} label(s) to {args.out}.")
            elif printer:
                count = await labels.print_labels(refs, printer, settings)
                print(f"Sent {count} label(s) to {printer}.")
            else:
                print("Give --out FILE (png, pdf or zpl) or --printer HOST[:PORT] "
                      "(or set LABEL_PRINTER).", file=sys.stderr)
                return 2
        except TaktError as exc:
            print(f"Cannot print: {exc.message}", file=sys.stderr)
            return 1
        except OSError as exc:
            print(f"Cannot print: {exc}", file=sys.stderr)
            return 1
        return 0

    return asyncio.run(_with_db(run))


def _cmd_stock_verify(_: argparse.Namespace) -> int:
    from takt.inventory.ledger import verify_stock

    async def run() -> int:
        differences = await verify_stock()
        if not differences:
            print("Stock on hand equals the ledger.")
            return 0
        print(f"{len(differences)} on-hand row(s) differ from the ledger:", file=sys.stderr)
        for d in differences:
            print(f"  {d.item_code:<20} {d.lot_code or '-':<16} {d.location_code:<16} "
                  f"ledger {d.ledger}  on hand {d.on_hand}", file=sys.stderr)
        return 1

    return asyncio.run(_with_db(run))


def _cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from takt.settings import ensure_keys, get_settings

    # Made here, before any worker starts, so that every worker reads the same keys.
    settings = ensure_keys(get_settings())
    host = args.host or settings.host
    port = args.port or settings.port
    if args.logins:
        print(DEMO_LOGINS.format(host=host if host != "0.0.0.0" else "127.0.0.1", port=port))
    if args.tls or settings.tls:
        return _serve_tls(args, host, port)
    config = uvicorn.Config("takt.app:create_app", factory=True, host=host, port=port,
                            workers=args.workers, log_level=settings.log_level.lower(),
                            proxy_headers=True)
    if args.workers <= 1:
        uvicorn.Server(config).run()
        return 0
    from uvicorn.supervisors import Multiprocess

    Multiprocess(config, sockets=[_tcp_listening_socket(host, port)]).run()
    return 0


def _tcp_listening_socket(host: str, port: int) -> socket.socket:
    """The workers' shared listening socket, made as an IPPROTO_TCP socket.

    uvicorn binds protocol 0, and asyncio (Python 3.11) sets TCP_NODELAY only on IPPROTO_TCP
    sockets: without it every response on a kept-alive connection waits ~40 ms for the
    client's delayed ACK (measured by ``make bench``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def _serve_tls(args: argparse.Namespace, host: str, port: int) -> int:
    from takt.app import create_app
    from takt.platform import tls
    from takt.settings import get_settings

    settings = get_settings()
    if args.workers > 1:
        print("HTTPS on the LAN runs in one process. For several workers put a reverse proxy "
              "with a real certificate in front (see infra/).", file=sys.stderr)
        return 2
    tls_port = args.tls_port or settings.tls_port
    files = tls.ensure_certificates(tls.tls_dir(settings.data_dir), tls.host_names(),
                                    tls.host_addresses())
    if files.created_ca:
        print(f"Created a local certificate authority in {files.directory}.")
    if files.issued:
        print(f"Issued a server certificate for {', '.join(files.names + files.addresses)}.")
    urls = tls.lan_urls(tls_port, files)
    print("HTTPS for handhelds (install the local CA on each device once; see the README):")
    for url in urls:
        print(f"  {url}")
    lan_http = host not in ("127.0.0.1", "localhost", "::1")
    ca_url = (urls[0].replace("https://", "http://").replace(f":{tls_port}/", f":{port}/")
              if lan_http else urls[0]) + "ca.crt"
    print(f"Local CA certificate: {ca_url}"
          + ("" if lan_http else "  (accept the warning once; or TAKT_HOST=0.0.0.0 for http)"))
    plain, secure = tls.make_servers(create_app(settings), host=host, port=port,
                                     tls_host="0.0.0.0", tls_port=tls_port, files=files,
                                     log_level=settings.log_level.lower())
    try:
        return asyncio.run(tls.run_servers(plain, secure))
    except KeyboardInterrupt:  # uvicorn hands Ctrl+C on once both servers stopped cleanly
        return 0


def _cmd_openapi(args: argparse.Namespace) -> int:
    import dataclasses
    import secrets

    from litestar.serialization import encode_json

    from takt.app import create_app
    from takt.settings import get_settings

    settings = get_settings()
    if settings.secret_key is None:
        # `make pwa` writes the document on a fresh checkout, before anything is migrated; the
        # document does not depend on the key, so a throwaway one spares making the key file.
        settings = dataclasses.replace(settings, secret_key=secrets.token_urlsafe(48))
    text = encode_json(create_app(settings).openapi_schema.to_schema()).decode()
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text)
    else:
        print(text)
    return 0


def _cmd_schedule_jobshop(args: argparse.Namespace) -> int:
    import json

    from takt.production.scheduling import SchedulingError, parse_jobshop, solve

    try:
        problem = parse_jobshop(Path(args.file).read_text(encoding="utf-8"))
        schedule = solve(problem, time_limit_s=args.time_limit)
    except OSError as exc:
        print(f"Cannot read {args.file}: {exc.strerror}.", file=sys.stderr)
        return 2
    except SchedulingError as exc:
        print(f"Cannot schedule {args.file}: {exc}", file=sys.stderr)
        return 2
    print(json.dumps({"makespan": schedule.makespan, "optimal": schedule.optimal}))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="takt", description="Takt manufacturing execution system")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the API and app")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes (scale-out mode only; SQLite wants one)")
    serve.add_argument("--logins", action="store_true", help="print the demo logins first")
    serve.add_argument("--tls", action="store_true",
                       help="also serve HTTPS for handhelds on the LAN (a local CA; or TAKT_TLS=1)")
    serve.add_argument("--tls-port", type=int, help="HTTPS port (default $TAKT_TLS_PORT or 8443)")
    serve.set_defaults(func=_cmd_serve)

    migrate = sub.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(func=_cmd_migrate)

    seed = sub.add_parser("seed", help="load a factory from data files")
    seed.add_argument("--demo", action="store_true", help="load the demo factory (seed/demo)")
    seed.add_argument("--path", help="load another folder of seed files")
    seed.add_argument("--if-empty", action="store_true",
                      help="only when the database holds no users yet")
    seed.set_defaults(func=_cmd_seed)

    user = sub.add_parser("user", help="manage users")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    create = user_sub.add_parser("create", help="create a user")
    create.add_argument("username")
    create.add_argument("--role", action="append", required=True,
                        help="admin, planner, operator, inspector, maintainer or supervisor; "
                             "repeat for several")
    create.add_argument("--name", help="display name")
    create.add_argument("--password", help="default: asked, or $TAKT_NEW_PASSWORD")
    create.add_argument("--badge", help="badge code for badge sign-in")
    create.add_argument("--pin", help="4-6 digit PIN for the badge")
    create.set_defaults(func=_cmd_user_create)

    labels = sub.add_parser("labels", help="labels")
    labels_sub = labels.add_subparsers(dest="labels_command", required=True)
    print_ = labels_sub.add_parser("print", help="print labels to a ZPL printer or a file")
    print_.add_argument("records", nargs="+", metavar="KIND/CODE")
    print_.add_argument("--printer", help="HOST[:PORT] of a ZPL printer (default port 9100)")
    print_.add_argument("--out", help="write to a file instead (.png, .pdf or .zpl)")
    print_.add_argument("--format", choices=["png", "pdf", "zpl"])
    print_.set_defaults(func=_cmd_labels_print)

    stock = sub.add_parser("stock", help="stock")
    stock_sub = stock.add_subparsers(dest="stock_command", required=True)
    verify = stock_sub.add_parser(
        "verify", help="rebuild on-hand from the ledger and report any difference (exit 1)")
    verify.set_defaults(func=_cmd_stock_verify)

    openapi = sub.add_parser("openapi", help="write the OpenAPI document (the PWA's API types)")
    openapi.add_argument("--out", help="file to write (default: standard output)")
    openapi.set_defaults(func=_cmd_openapi)

    jobshop = sub.add_parser("schedule-jobshop",
                             help="solve an OR-Library job-shop instance, print its makespan")
    jobshop.add_argument("file", help="instance in the OR-Library text format")
    jobshop.add_argument("--time-limit", type=float, default=60.0, metavar="S",
                         help="seconds CP-SAT may search (default 60)")
    jobshop.set_defaults(func=_cmd_schedule_jobshop)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``takt`` command line."""
    from takt.settings import SettingsError

    _prepare()
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except SettingsError as exc:
        print(f"Takt cannot start: {exc}", file=sys.stderr)
        return 2
