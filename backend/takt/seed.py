"""Load a factory from data files (``takt seed --demo`` loads ``seed/demo``).

Each file ``NN-<resource>.json`` is a JSON array of create bodies exactly as the API takes
them; ``users.json`` holds users. Records whose code already exists are left as they are, so
loading twice adds nothing. ``NN-stock.json`` (goods receipts, see :mod:`takt.inventory.demo`)
and then ``NN-work-orders.json`` are played last, once everything they refer to (users
included) is there: orders with their history (see :mod:`takt.production.demo`).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import msgspec

from takt.inventory.demo import load_demo_stock
from takt.masterdata import services
from takt.masterdata.services import RESOURCES
from takt.platform import users
from takt.platform.commands import Actor, execute
from takt.platform.errors import TaktError
from takt.platform.tables import User
from takt.production.demo import load_demo_orders

__all__ = ["DEMO_DIR", "SeedReport", "is_empty", "load_seed"]

DEMO_DIR = Path(__file__).resolve().parents[2] / "seed" / "demo"


@dataclass
class SeedReport:
    """What a seed run created and skipped, per resource."""

    created: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """One line per resource."""
        names = sorted(set(self.created) | set(self.skipped))
        return "\n".join(f"  {name:<18} {self.created.get(name, 0):>4} created, "
                         f"{self.skipped.get(name, 0):>4} already there" for name in names)


async def is_empty() -> bool:
    """Whether the database holds no users yet (a fresh install)."""
    return not await User.exists()


def _resource_of(path: Path) -> str:
    stem = path.stem
    return stem.split("-", 1)[1] if stem[:2].isdigit() else stem


WORK_ORDERS = "work-orders"
STOCK = "stock"
PLAYED_LAST = {STOCK: 1, WORK_ORDERS: 2}
"""Files played through services after every record and user they refer to exists."""


async def load_seed(directory: Path = DEMO_DIR, *, skip: Collection[str] = ()) -> SeedReport:
    """Load every seed file of ``directory`` in name order (work orders last), each record
    in its own transaction through the same services the API uses. ``skip`` names resources
    not to load (the API tests' template leaves out the demo's work orders)."""
    report = SeedReport()
    actor = Actor.system()
    files = sorted(directory.glob("*.json"),
                   key=lambda path: (PLAYED_LAST.get(_resource_of(path), 0), path.name))
    if not files:
        raise FileNotFoundError(f"No seed files in {directory}.")
    for path in files:
        name = _resource_of(path)
        if name in skip:
            continue
        rows = json.loads(path.read_text(encoding="utf-8"))
        if name == WORK_ORDERS:
            created, skipped = await load_demo_orders(rows)
            report.created[name], report.skipped[name] = created, skipped
            continue
        if name == STOCK:
            try:
                created, skipped = await load_demo_stock(rows)
            except (msgspec.ValidationError, TaktError) as exc:
                raise ValueError(f"{path.name}: {exc}") from exc
            report.created[name], report.skipped[name] = created, skipped
            continue
        for row in rows:
            try:
                if name == "users":
                    user = msgspec.convert(row, users.UserIn)
                    if await User.exists().where(User.username == user.username.lower()):
                        report.skipped[name] = report.skipped.get(name, 0) + 1
                        continue
                    await execute(actor, partial(users.create_user, data=user))
                else:
                    resource = RESOURCES[name]
                    record = msgspec.convert(row, resource.create)
                    table = resource.table
                    # The conversion above proved the row has a code, and that it is text.
                    if await table.exists().where(table.code == row["code"].upper()):
                        report.skipped[name] = report.skipped.get(name, 0) + 1
                        continue
                    await execute(actor, partial(services.create_record, resource=resource,
                                                 data=record))
            except (msgspec.ValidationError, TaktError, KeyError) as exc:
                raise ValueError(f"{path.name}: {row.get('code') or row.get('username')}: "
                                 f"{exc}") from exc
            report.created[name] = report.created.get(name, 0) + 1
    return report
