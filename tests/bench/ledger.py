"""A year of stock history for ``make bench``: one million movements of the demo factory.

:func:`fill` plays a plant's year through in Python (a seeded random generator, so every run
writes the same history) and bulk-loads what it wrote with COPY, in one transaction:

- raw material arrives as goods receipts at the dock (a lot per receipt for items kept by
  lot, with the supplier's lot and an expiry where it matters) and is put away to its rack;
- each work order of a finished item (assembly line) or a semi-finished one (machining line)
  issues its bill of materials to its line's line-side location, oldest lot first; its work
  reports consume the components there and produce the order's lot, linking every consumed
  lot to it (the genealogy a trace follows); some orders get a little more than they need,
  and the rest is scrapped or returned; the finished lot goes to a finished-goods location
  (a semi-finished one to the store it is issued from later);
- finished lots ship against customer orders, oldest first, so a couple of weeks' output is
  in the finished-goods store at the end.

Real locations never go below zero (the play takes only what is there), every order that
completed leaves its line-side balance at zero, and the last order stops where the millionth
movement falls, as a real ledger always has orders in progress. ``inv_on_hand`` receives the
history's sums (added to the rows already there), so ``takt stock verify`` must find no
difference; the document numbering (``LOT``, ``RCV``, ``WO``, ``MOV``, ``SHP`` per year) is
moved past every number the history used. The history's work orders and shipments exist only
as document codes on the ledger and the lots (inventory names them as text).

Not part of Takt: it writes the tables directly, as only a benchmark may.
"""

from __future__ import annotations

import contextlib
import random
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg

__all__ = ["HistoryStats", "fill"]

MICRO = 1_000_000
"""Quantities are played as integers of millionths (the columns keep six decimals)."""
DAYS = 365
USER = "operator"
SHELF_LOTS = 600
"""Finished lots in the finished-goods store (oldest ship first)."""
NULL = "\\N"


class _Full(Exception):
    """The target number of movements is written."""


@dataclass
class HistoryStats:
    """What :func:`fill` wrote, and how long it took."""

    movements: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    lots: int = 0
    finished_lots: int = 0
    links: int = 0
    receipts: int = 0
    work_orders: int = 0
    on_hand_rows: int = 0
    play_s: float = 0.0
    load_s: float = 0.0
    analyze_s: float = 0.0
    checks_skipped: bool = False
    """Whether the load skipped the foreign-key checks (see ``_load``)."""
    finished_lot_codes: list[str] = field(default_factory=list)
    """Codes of finished (not semi-finished) lots of orders that completed."""

    @property
    def total_s(self) -> float:
        return self.play_s + self.load_s + self.analyze_s


def _text(micro: int) -> str:
    sign = "-" if micro < 0 else ""
    micro = abs(micro)
    return f"{sign}{micro // MICRO}.{micro % MICRO:06d}"


@dataclass
class _Item:
    id: int
    code: str
    kind: str
    unit: int
    step: int
    """The smallest quantity of the item's unit, in millionths (1 PCS: 1,000,000)."""
    by_lot: bool
    expires: bool
    bom: list[tuple[_Item, int]] = field(default_factory=list)
    """Components and their quantity per one of this item, in millionths."""
    home: int = 0
    """Where its stock is kept (and issued from)."""
    supplier: int | None = None

    def round_up(self, micro: int) -> int:
        return -(-micro // self.step) * self.step


class _Play:
    """The plant's year, written as COPY text for the movements and rows for the rest."""

    def __init__(self, master: dict[str, Any], target: int, out: Any, *, seed: int = 5) -> None:
        self.rng = random.Random(seed)
        self.target = target
        self.out = out
        self.buffer: list[str] = []
        self.count = 0
        self.by_kind: dict[str, int] = {}
        self.now = master["now"]
        self.start = self.now - timedelta(days=DAYS)
        self.tick = timedelta(days=DAYS) / target
        self.items: dict[str, _Item] = master["items"]
        self.items_by_id = {item.id: item for item in self.items.values()}
        self.user_id, self.username = master["user"]
        self.dock: int = master["dock"]
        self.fg_places: list[int] = master["fg_places"]
        self.sf_store: int = master["sf_store"]
        self.scrap: int = master["scrap"]
        self.line_of: dict[str, int] = master["line_of"]
        self.scrap_reason: int | None = master["scrap_reason"]
        self.return_reason: int | None = master["return_reason"]
        self.sequences: dict[str, int] = dict(master["sequences"])
        self.next_lot_id: int = master["first_lot_id"]
        self.lots: list[tuple[Any, ...]] = []
        self.receipts: list[tuple[Any, ...]] = []
        self.links: list[tuple[Any, ...]] = []
        self.on_hand: dict[tuple[int, int | None, int], int] = {}
        self.store: dict[int, OrderedDict[tuple[int | None, int], int]] = {}
        """Per item, what is in its stores, oldest first: (lot, location) -> quantity."""
        self.shelf: OrderedDict[tuple[int, int, int], int] = OrderedDict()
        """Finished lots waiting to ship, oldest first: (item, lot, location) -> quantity."""
        self.finished_lot_codes: list[str] = []
        self.work_orders = 0
        self.at = self.start

    # numbering and rows

    def number(self, doc_type: str, width: int = 5) -> str:
        key = f"{doc_type}-{self.at.year}"
        self.sequences[key] = self.sequences.get(key, 0) + 1
        return f"{key}-{self.sequences[key]:0{width}d}"

    def new_lot(self, item: _Item, origin: str, quantity: int, *, work_order: str | None = None,
                supplier: int | None = None) -> tuple[int, str]:
        lot_id, code = self.next_lot_id, self.number("LOT")
        self.next_lot_id += 1
        expires = (self.at.date() + timedelta(days=self.rng.randint(180, 720))
                   if item.expires else None)
        supplier_lot = (f"{item.code.split('-')[1][:2]}-{self.rng.randint(1000, 9999)}-"
                        f"{self.rng.randint(100, 9999)}" if supplier else "")
        self.lots.append((lot_id, code, item.id, supplier, supplier_lot, expires, "released",
                          origin, work_order, _text(quantity), self.at, self.at))
        return lot_id, code

    def move(self, kind: str, item: _Item, quantity: int, lot: int | None, source: int | None,
             target: int | None, document_type: str, document_code: str, *,
             reason: int | None = None, note: str = "") -> None:
        if self.count >= self.target:
            raise _Full
        self.at = self.start + self.tick * self.count
        self.count += 1
        self.by_kind[kind] = self.by_kind.get(kind, 0) + 1
        if source is not None:
            key = (item.id, lot, source)
            self.on_hand[key] = self.on_hand.get(key, 0) - quantity
        if target is not None:
            key = (item.id, lot, target)
            self.on_hand[key] = self.on_hand.get(key, 0) + quantity
        self.buffer.append("\t".join((
            kind, str(item.id), NULL if lot is None else str(lot), NULL,
            NULL if source is None else str(source), NULL if target is None else str(target),
            _text(quantity), str(item.unit), document_type, document_code,
            NULL if reason is None else str(reason), note, str(self.user_id), self.username,
            NULL, self.at.isoformat())) + "\n")
        if len(self.buffer) >= 20_000:
            self.flush()

    def flush(self) -> None:
        self.out.write("".join(self.buffer).encode())
        self.buffer.clear()

    # stores

    def put(self, item: _Item, lot: int | None, place: int, quantity: int) -> None:
        shelf = self.store.setdefault(item.id, OrderedDict())
        shelf[(lot, place)] = shelf.get((lot, place), 0) + quantity

    def take(self, item: _Item, quantity: int) -> list[tuple[int | None, int, int]]:
        """Oldest stock first; brings in more (a receipt, or a work order of a semi-finished
        item) when the stores hold too little."""
        shelf = self.store.setdefault(item.id, OrderedDict())
        held = sum(shelf.values())
        if held < quantity:
            more = item.round_up(int((quantity - held) * self.rng.uniform(4, 12)))
            if item.bom:
                self.work_order(item, more)
            else:
                self.receive(item, more)
        pieces = []
        left = quantity
        while left > 0:
            (lot, place), there = next(iter(shelf.items()))
            piece = min(left, there)
            pieces.append((lot, place, piece))
            left -= piece
            if piece == there:
                del shelf[(lot, place)]
            else:
                shelf[(lot, place)] = there - piece
        return pieces

    # what happens in the plant

    def receive(self, item: _Item, quantity: int) -> None:
        code = self.number("RCV")
        po = f"PO-45{self.rng.randint(10_000_000, 99_999_999)}"
        lot = None
        if item.by_lot:
            lot, _ = self.new_lot(item, "receipt", quantity, supplier=item.supplier)
        self.move("receipt", item, quantity, lot, None, self.dock, "receipt", code)
        self.receipts.append((code, item.id, lot, item.supplier, po, _text(quantity), item.unit,
                              self.dock, self.user_id, self.username, self.at))
        self.move("transfer", item, quantity, lot, self.dock, item.home, "move",
                  self.number("MOV"))
        self.put(item, lot, item.home, quantity)

    def work_order(self, item: _Item, quantity: int) -> None:
        """Issue, report (consume + produce, with genealogy), and put the output away."""
        code = self.number("WO")
        self.work_orders += 1
        line = self.line_of[item.kind]
        lot, lot_code = self.new_lot(item, "production", 0, work_order=code)
        extra = self.rng.random() < 0.08
        at_line: dict[int, list[list[Any]]] = {}
        for component, per in item.bom:
            need = quantity * per // MICRO
            if extra:
                need = component.round_up(need * 21 // 20)
            for from_lot, place, piece in self.take(component, need):
                self.move("issue", component, piece, from_lot, place, line, "work_order", code)
                at_line.setdefault(component.id, []).append([from_lot, piece])
        reports = self.rng.randint(2, 6)
        left = quantity
        for number in range(reports):
            good = left if number == reports - 1 else item.round_up(
                quantity * self.rng.randint(60, 140) // (100 * reports))
            good = min(good, left)
            if good <= 0:
                continue
            left -= good
            for component, per in item.bom:
                use = good * per // MICRO
                pieces = at_line[component.id]
                while use > 0:
                    piece = min(use, pieces[0][1])
                    from_lot = pieces[0][0]
                    self.move("consume", component, piece, from_lot, line, None, "work_order",
                              code)
                    if from_lot is not None:
                        self.links.append((from_lot, lot, _text(piece), code, self.at))
                    use -= piece
                    pieces[0][1] -= piece
                    if pieces[0][1] == 0:
                        pieces.pop(0)
            self.move("produce", item, good, lot, None, line, "work_order", code)
        for component, _ in item.bom:  # what was issued over the need
            for from_lot, piece in at_line[component.id]:
                if piece <= 0:
                    continue
                scrapped = component.round_up(piece // 3) if self.rng.random() < 0.3 else 0
                scrapped = min(scrapped, piece)
                if scrapped:
                    self.move("scrap", component, scrapped, from_lot, line, self.scrap,
                              "work_order", code, reason=self.scrap_reason)
                if piece - scrapped:
                    self.move("return", component, piece - scrapped, from_lot, line,
                              component.home, "work_order", code, reason=self.return_reason)
                    self.put(component, from_lot, component.home, piece - scrapped)
        if item.kind == "finished":
            place = self.rng.choice(self.fg_places)
            self.move("finished_goods", item, quantity, lot, line, place, "work_order", code)
            self.shelf[(item.id, lot, place)] = quantity
            self.finished_lot_codes.append(lot_code)
        else:
            self.move("finished_goods", item, quantity, lot, line, self.sf_store, "work_order",
                      code)
            self.put(item, lot, self.sf_store, quantity)

    def ship(self, item: _Item, quantity: int) -> None:
        """Customer orders take the oldest finished lots of the item."""
        code, order = self.number("SHP"), f"SO-{self.rng.randint(100_000, 999_999)}"
        for key in list(self.shelf):
            if quantity <= 0:
                break
            if key[0] != item.id:
                continue
            there = self.shelf[key]
            piece = min(quantity, there)
            self.move("shipment", item, piece, key[1], key[2], None, "shipment", code,
                      note=f"Customer order {order}")
            quantity -= piece
            if piece == there:
                del self.shelf[key]
            else:
                self.shelf[key] = there - piece

    def run(self) -> None:
        finished = [item for item in self.items.values()
                    if item.kind == "finished" and item.bom]
        with contextlib.suppress(_Full):  # the year is played until the ledger is full
            while True:
                item = self.rng.choice(finished)
                self.work_order(item, item.round_up(self.rng.randint(20, 160) * MICRO))
                # Customer orders take about a week and a half's output off the shelf.
                while len(self.shelf) > SHELF_LOTS:
                    (oldest, _, _), size = next(iter(self.shelf.items()))
                    self.ship(self.items_by_id[oldest], size * self.rng.randint(1, 3))
        self.flush()
        if self.finished_lot_codes:
            self.finished_lot_codes.pop()  # the order in progress when the year ended


async def _master(conn: asyncpg.Connection, skip_items: tuple[str, ...]) -> dict[str, Any]:
    items: dict[str, _Item] = {}
    for row in await conn.fetch("""
            SELECT i.id, i.code, i.kind, i.unit, u.decimals, i.batch_managed,
                   i.incoming_inspection, u.code AS unit_code
            FROM md_item i JOIN md_unit u ON u.id = i.unit WHERE i.active ORDER BY i.id"""):
        if row["code"] in skip_items:
            continue
        items[row["code"]] = _Item(
            id=row["id"], code=row["code"], kind=row["kind"], unit=row["unit"],
            step=MICRO // 10 ** min(row["decimals"], 6),
            by_lot=row["batch_managed"] or row["incoming_inspection"],
            expires=row["unit_code"] in ("KG", "L") and "BAR" not in row["code"])
    by_id = {item.id: item for item in items.values()}
    for row in await conn.fetch("""
            SELECT b.item, l.component, l.quantity / b.quantity AS per
            FROM md_bom b JOIN md_bom_line l ON l.bom = b.id
            WHERE b.active ORDER BY b.id, l.position, l.id"""):
        parent, component = by_id.get(row["item"]), by_id.get(row["component"])
        if parent is not None and component is not None:
            parent.bom.append((component, int(row["per"] * MICRO)))
    places = await conn.fetch("""
        SELECT l.id, l.code, l.kind, w.kind AS store, ln.code AS line
        FROM md_location l JOIN md_warehouse w ON w.id = l.warehouse
        LEFT JOIN md_line ln ON ln.id = l.line_id
        WHERE l.active ORDER BY l.code""")

    def where(test: Callable[[asyncpg.Record], bool], what: str) -> list[int]:
        found = [row["id"] for row in places if test(row)]
        if not found:
            raise RuntimeError(f"the demo factory has no {what} location")
        return found

    racks = where(lambda r: r["store"] == "raw" and r["kind"] == "storage", "raw storage")
    lines = where(lambda r: r["kind"] == "line_side", "line-side")
    for number, item in enumerate(it for it in items.values() if not it.bom):
        item.home = racks[number % len(racks)]
    for item in items.values():
        if item.bom and item.kind != "finished":
            item.home = racks[-1]
    suppliers = [row["id"] for row in await conn.fetch(
        "SELECT id FROM md_party WHERE kind IN ('supplier', 'both') ORDER BY code")]
    for number, item in enumerate(items.values()):
        item.supplier = suppliers[number % len(suppliers)] if suppliers else None
    user = await conn.fetchrow("SELECT id, username FROM takt_user WHERE username = $1", USER)
    reasons = {row["kind"]: row["id"] for row in await conn.fetch(
        "SELECT DISTINCT ON (kind) kind, id FROM md_reason_code WHERE active "
        "ORDER BY kind, code DESC")}
    return {
        "now": datetime.now(UTC).replace(microsecond=0),
        "items": items,
        "user": (user["id"], user["username"]) if user else (None, "bench"),
        "dock": where(lambda r: r["kind"] == "receiving", "receiving")[0],
        "fg_places": where(lambda r: r["store"] == "finished" and r["kind"] == "storage",
                           "finished-goods storage"),
        "sf_store": racks[-1],
        "scrap": where(lambda r: r["kind"] == "scrap", "scrap")[0],
        "line_of": {"finished": lines[0], "semi_finished": lines[-1]},
        "scrap_reason": reasons.get("scrap"),
        "return_reason": reasons.get("return"),
        "sequences": {row["sequence_key"]: row["last_value"] for row in await conn.fetch(
            "SELECT sequence_key, last_value FROM takt_document_sequence")},
    }


async def fill(dsn: str, movements: int = 1_000_000, *, skip_items: tuple[str, ...] = (),
               say: Callable[[str], None] = print) -> HistoryStats:
    """Write ``movements`` movements of history (and their lots, receipts, genealogy and
    on-hand) into the database at ``dsn``, in one transaction, then ANALYZE the tables.
    Nothing else may write lots or movements meanwhile. ``skip_items``: item codes the
    history leaves alone (the benchmark's own)."""
    stats = HistoryStats()
    conn = await asyncpg.connect(dsn, timeout=10)
    try:
        started = time.perf_counter()
        master = await _master(conn, skip_items)
        master["first_lot_id"] = await conn.fetchval("SELECT nextval('inv_lot_id_seq')")
        with tempfile.TemporaryFile("w+b") as out:
            play = _Play(master, movements, out)
            play.run()
            stats.play_s = time.perf_counter() - started
            say(f"   played {play.count:,} movements, {len(play.lots):,} lots, "
                f"{len(play.links):,} lot links in {stats.play_s:.1f} s; loading...")
            started = time.perf_counter()
            async with conn.transaction():
                stats.checks_skipped = await _load(conn, play, out)
            stats.load_s = time.perf_counter() - started
        started = time.perf_counter()
        for table in ("inv_movement", "inv_on_hand", "inv_lot", "inv_lot_link", "inv_receipt"):
            await conn.execute(f"VACUUM ANALYZE {table}")
        stats.analyze_s = time.perf_counter() - started
    finally:
        await conn.close()
    stats.movements, stats.by_kind = play.count, dict(sorted(play.by_kind.items()))
    stats.lots, stats.links, stats.receipts = len(play.lots), len(play.links), len(play.receipts)
    stats.work_orders, stats.on_hand_rows = play.work_orders, len(play.on_hand)
    stats.finished_lot_codes = play.finished_lot_codes
    stats.finished_lots = len(play.finished_lot_codes)
    return stats


async def _load(conn: asyncpg.Connection, play: _Play, out: Any) -> bool:
    """COPY the play into the tables (in the caller's transaction). Returns whether the
    foreign-key checks were skipped: as ``pg_restore --disable-triggers`` does, a superuser
    loads with ``session_replication_role = replica`` (a third of the time), when the tables
    have no triggers but the foreign keys' own; every id the play wrote came from the
    tables."""
    skip_checks = await conn.fetchval("""
        SELECT r.rolsuper AND NOT EXISTS (
            SELECT 1 FROM pg_trigger
            WHERE NOT tgisinternal
              AND tgrelid = ANY(ARRAY['inv_movement', 'inv_lot',
                'inv_lot_link', 'inv_receipt', 'inv_on_hand', 'takt_document_sequence']
                ::regclass[]))
        FROM pg_roles r WHERE r.rolname = current_user""")
    if skip_checks:
        await conn.execute("SET LOCAL session_replication_role = replica")
    await conn.copy_records_to_table(
        "inv_lot", columns=["id", "code", "item", "supplier", "supplier_lot", "expires_on",
                            "quality_status", "origin", "work_order_code", "quantity",
                            "created_at", "updated_at"],
        records=[(*row[:9], _decimal(row[9]), *row[10:]) for row in play.lots])
    await conn.execute("SELECT setval('inv_lot_id_seq', $1)", play.next_lot_id - 1)
    await conn.copy_records_to_table(
        "inv_receipt", columns=["code", "item", "lot", "supplier", "po_reference", "quantity",
                                "unit", "location", "user_id", "username", "received_at"],
        records=[(*row[:5], _decimal(row[5]), *row[6:]) for row in play.receipts])
    out.seek(0)
    await conn.copy_to_table(
        "inv_movement", source=out,
        columns=["kind", "item", "lot", "to_lot", "from_location", "to_location", "quantity",
                 "unit", "document_type", "document_code", "reason_code", "note", "user_id",
                 "username", "idempotency_key", "at"])
    await conn.copy_records_to_table(
        "inv_lot_link", columns=["parent", "child", "kind", "quantity", "document_type",
                                 "document_code", "at"],
        records=[(parent, child, "consume", _decimal(quantity), "work_order", code, at)
                 for parent, child, quantity, code, at in play.links])
    await conn.execute("""
        CREATE TEMP TABLE bench_on_hand (stock_key text, item int, lot int, location int,
                                         quantity numeric) ON COMMIT DROP""")
    await conn.copy_records_to_table(
        "bench_on_hand", columns=["stock_key", "item", "lot", "location", "quantity"],
        records=[(f"{item}:{lot or 0}:{place}", item, lot, place, _decimal(_text(quantity)))
                 for (item, lot, place), quantity in play.on_hand.items()])
    await conn.execute("""
        INSERT INTO inv_on_hand (stock_key, item, lot, location, quantity, updated_at)
        SELECT stock_key, item, lot, location, quantity, $1 FROM bench_on_hand
        ON CONFLICT (stock_key) DO UPDATE
        SET quantity = inv_on_hand.quantity + excluded.quantity,
            updated_at = excluded.updated_at""", play.at)
    for key, last in play.sequences.items():
        doc_type, year = key.rsplit("-", 1)
        await conn.execute("""
            INSERT INTO takt_document_sequence (sequence_key, doc_type, year, last_value)
            VALUES ($1, $2, $3, $4)
            ON CONFLICT (sequence_key) DO UPDATE
            SET last_value = GREATEST(takt_document_sequence.last_value, excluded.last_value)
            """, key, doc_type, int(year), last)
    return bool(skip_checks)


def _decimal(text: str) -> Decimal:
    return Decimal(text)


def _demo() -> None:  # python ledger.py DSN [MOVEMENTS]: fill a database by hand
    import asyncio
    import sys

    stats = asyncio.run(fill(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000))
    print({key: value for key, value in stats.__dict__.items() if key != "finished_lot_codes"})


if __name__ == "__main__":
    _demo()
