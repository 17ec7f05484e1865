"""The ``takt`` command: serve, migrate, seed, users and labels."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path

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


async def _with_db(coro_fn):  # type: ignore[no-untyped-def]
    from takt.platform import db
    from takt.settings import get_settings

    await db.start(get_settings())
    try:
        return await coro_fn()
    finally:
        await db.stop()


def _cmd_migrate(_: argparse.Namespace) -> int:
    from takt.platform import db

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
                fmt = args.format or Path(args.out).suffix.lstrip(".") or "pdf"
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


def _cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from takt.settings import get_settings

    settings = get_settings()
    host = args.host or settings.host
    port = args.port or settings.port
    if args.logins:
        print(DEMO_LOGINS.format(host=host if host != "0.0.0.0" else "127.0.0.1", port=port))
    uvicorn.run("takt.app:create_app", factory=True, host=host, port=port,
                workers=args.workers, log_level=settings.log_level.lower(), proxy_headers=True)
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``takt`` command line."""
    _prepare()
    args = _parser().parse_args(argv)
    return int(args.func(args) or 0)
