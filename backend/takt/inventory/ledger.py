"""The stock ledger: the one function every movement of stock goes through.

:func:`post_movement` appends a row to ``inv_movement`` and changes ``inv_on_hand`` in the
caller's transaction. Receipts and moves here call it, and so will production (backflush,
output, finished goods, outsourcing): nothing else writes either table.

The rules it keeps, on both engines:

* A real location never goes negative. Stock leaves it by one guarded statement
  (``UPDATE ... SET quantity = quantity - q WHERE ... AND quantity >= q``): on PostgreSQL a
  racing transaction waits for the row and then re-checks the condition, so concurrent
  issues of one lot can never overdraw it; on SQLite the command's ``BEGIN IMMEDIATE``
  already serialises writers. Refused: 409 ``stock.insufficient``.
* A line-side WIP location (``md_location.kind = 'line_side'``) may go negative (material was
  used before its issue was booked); :func:`takt.inventory.services.reconciliation` lists it.
  So may a supplier's location (``subcontract``) through an outsourced receipt's backflush
  (:mod:`takt.inventory.line`), never through a movement posted here; it is listed too.
* A pending or blocked lot is not put into use: issue, consume, shipment, outsourcing and a
  transfer anywhere but a quarantine or scrap location are refused (409 ``lot.not_released``).
  Moves that take such a lot out of the way (return, scrap, supplier return, finished goods
  receipt, count adjustment, miscellaneous out, transfer to quarantine) are allowed.

SQLite keeps Numeric columns as REAL, so every stored quantity is rounded to six decimals in
the statement itself (``ROUND(..., 6)``): the stored double is then always the nearest one to
a six-decimal number, and comparisons with a six-decimal parameter are exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any, Literal, get_args

from takt.inventory.schemas import LotOrigin
from takt.inventory.tables import Lot, LotLink
from takt.masterdata.tables import Item, Location
from takt.platform.codes import next_document_code
from takt.platform.commands import UnitOfWork
from takt.platform.errors import Conflict, Invalid, NotFound
from takt.platform.i18n import Message, term
from takt.platform.sql import Statement

__all__ = [
    "ADD_TO_ON_HAND",
    "KINDS",
    "MovementKind",
    "PostedMovement",
    "StockDifference",
    "create_lot",
    "link_lots",
    "post_movement",
    "qty",
    "six",
    "stock_key",
    "verify_stock",
]

ZERO = Decimal(0)
SIX = Decimal("0.000001")
MAX_QUANTITY = Decimal(10) ** 12

MovementKind = Literal[
    "receipt", "issue", "return", "consume", "produce", "finished_goods", "transfer", "scrap",
    "count_adjustment", "outsource_out", "outsource_in", "shipment", "customer_return",
    "supplier_return", "misc_in", "misc_out",
]
Need = Literal["required", "optional", "none"]


@dataclass(frozen=True)
class KindRule:
    """What a movement kind needs: a source and a target location (``required``,
    ``optional`` or ``none``), whether either must (True) or must not (False) be line-side,
    and whether the lot must be released."""

    source: Need
    target: Need
    source_line_side: bool | None = None
    target_line_side: bool | None = None
    needs_released: bool = False
    target_kinds: frozenset[str] | None = None
    """If set, the location kinds the target must have."""


KINDS: dict[str, KindRule] = {
    "receipt": KindRule("none", "required", target_line_side=False),
    "issue": KindRule("required", "required", source_line_side=False, target_line_side=True,
                      needs_released=True),
    "return": KindRule("required", "required", source_line_side=True, target_line_side=False),
    "consume": KindRule("required", "none", needs_released=True),
    "produce": KindRule("none", "required"),
    "finished_goods": KindRule("required", "required", source_line_side=True,
                               target_line_side=False),
    "transfer": KindRule("required", "required", needs_released=True),
    "scrap": KindRule("required", "optional", target_kinds=frozenset({"scrap"})),
    "count_adjustment": KindRule("optional", "optional"),
    "outsource_out": KindRule("required", "required", needs_released=True),
    "outsource_in": KindRule("required", "required"),
    "shipment": KindRule("required", "none", needs_released=True),
    "customer_return": KindRule("none", "required"),
    "supplier_return": KindRule("required", "none"),
    "misc_in": KindRule("none", "required"),
    "misc_out": KindRule("required", "none"),
}
"""Every movement kind and its rule. A transfer of a lot that is not released is allowed into
a quarantine or scrap location only (getting it out of the way)."""
assert set(KINDS) == set(get_args(MovementKind))

OUT_OF_THE_WAY = frozenset({"quarantine", "scrap"})
"""Location kinds a pending or blocked lot may be transferred to."""

_STATUS_WORDS = {"pending": Message("waiting for incoming inspection"),
                 "blocked": Message("blocked", context="lot status")}


def qty(value: Decimal | float | int | str | None) -> Decimal:
    """A quantity as shown: exact, without trailing zeros and never in exponent form."""
    if value is None:
        return ZERO
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    number = number.quantize(SIX, rounding=ROUND_HALF_UP).normalize()
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number


def six(value: Decimal | float | int | str | None) -> Decimal:
    """A quantity rounded to the six decimals the columns keep (SQLite hands back REAL)."""
    if value is None:
        return ZERO.quantize(SIX)
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return number.quantize(SIX, rounding=ROUND_HALF_UP)


def stock_key(item_id: int, lot_id: int | None, location_id: int) -> str:
    """The unique key of an on-hand row (``0`` stands for "no lot" on both engines)."""
    return f"{item_id}:{lot_id or 0}:{location_id}"


def check_quantity(value: Decimal, decimals: int, unit: str, name: str = "quantity", *,
                   allow_zero: bool = False) -> Decimal:
    """A quantity finite, below 10^12, with at most the unit's decimals, and above zero (or
    zero too with ``allow_zero``: a report's good beside its scrap). Never negative: taking
    something back is a command of its own (a void, a return). Returns it rounded to the six
    decimals the columns keep."""
    if not isinstance(value, Decimal) or not value.is_finite() or abs(value) >= MAX_QUANTITY:
        raise Invalid(Message("{name} must be a number below {max_quantity:,}.",
                              name=name, max_quantity=MAX_QUANTITY), code="invalid.number",
                      field=name)
    if allow_zero and value < 0:
        raise Invalid(Message("{name} cannot be negative.", name=name),
                      code="invalid.quantity", field=name)
    if not allow_zero and value <= 0:
        raise Invalid(Message("{name} must be greater than zero.", name=name),
                      code="invalid.quantity",
                      field=name)
    if value != value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN):
        wording = Message("whole numbers") if decimals == 0 else Message(
            "at most {decimals} decimals", decimals=decimals)
        raise Invalid(Message("{name}: quantities in {unit} are {wording}; {value} is not.",
                              name=name, unit=unit, wording=wording, value=qty(value)),
                      code="invalid.decimals", field=name)
    return six(value)


@dataclass(frozen=True)
class PostedMovement:
    """A movement written to the ledger."""

    id: int
    kind: str
    item_code: str
    lot_code: str | None
    to_lot_code: str | None
    from_location_code: str | None
    to_location_code: str | None
    quantity: Decimal
    unit: str
    document_type: str
    document_code: str
    at: datetime


_ITEM = Statement("""
    SELECT i.id, i.code, i.active, i.unit AS unit_id, u.code AS unit, u.decimals
    FROM md_item i JOIN md_unit u ON u.id = i.unit
    WHERE i.id = $1
""")
_LOTS = Statement("""
    SELECT id, code, item, quality_status FROM inv_lot WHERE id = $1 OR id = $2 FOR SHARE
""")
"""On PostgreSQL a share lock: a block or release of the lot waits for the movements that
read its status, and a movement waits for a block in flight."""
_LOCATIONS = Statement("""
    SELECT l.id, l.code, l.kind, l.active, ln.code AS line
    FROM md_location l LEFT JOIN md_line ln ON ln.id = l.line_id
    WHERE l.id = $1 OR l.id = $2
""")
_TAKE = Statement("""
    UPDATE inv_on_hand SET quantity = ROUND(quantity - $2, 6), updated_at = $3
    WHERE stock_key = $1
      AND ROUND(quantity + COALESCE((SELECT SUM(p.quantity) FROM inv_on_hand_pending p
                                     WHERE p.stock_key = $1), 0), 6) >= $2
    RETURNING id
""")
"""Take stock if there is enough, counting the row's deltas still pending (PostgreSQL; see
:mod:`takt.inventory.line`). Deltas are written only at line-side locations, whose rows are
not guarded, but a location made a storage one keeps its deltas until the next fold."""
_ON_HAND = Statement("SELECT quantity FROM inv_on_hand_now WHERE stock_key = $1")
ADD_TO_ON_HAND = Statement("""
    INSERT INTO inv_on_hand (stock_key, item, lot, location, quantity, updated_at)
    VALUES ($1, $2, $3, $4, ROUND($5, 6), $6)
    ON CONFLICT (stock_key) DO UPDATE
    SET quantity = ROUND(inv_on_hand.quantity + excluded.quantity, 6),
        updated_at = excluded.updated_at
""")
"""Stock arriving (``$5`` positive) or leaving a line-side location (``$5`` negative)."""
_INSERT_MOVEMENT = Statement("""
    INSERT INTO inv_movement (kind, item, lot, to_lot, from_location, to_location, quantity,
                              unit, document_type, document_code, reason_code, note, user_id,
                              username, idempotency_key, at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
    RETURNING id
""")


def _place(location: Mapping[str, Any] | None) -> str:
    return location["code"] if location else ""


def _check_place(rule_need: Need, location: Mapping[str, Any] | None, side: str, kind: str,
                 line_side: bool | None) -> None:
    if rule_need == "required" and location is None:
        raise Invalid(Message("A {kind} needs a {side} location.",
                              kind=term("movement", kind), side=Message(side, context="side")),
                      code="stock.location_required", field=f"{side}_location_code")
    if rule_need == "none" and location is not None:
        raise Invalid(Message("A {kind} has no {side} location.",
                              kind=term("movement", kind), side=Message(side, context="side")),
                      code="stock.location_not_expected", field=f"{side}_location_code")
    if location is None or line_side is None:
        return
    is_line_side = location["kind"] == "line_side"
    if line_side and not is_line_side:
        raise Invalid(Message("A {kind} goes {side} a line's line-side location; {location} is "
                              "not one.",
                              kind=term("movement", kind), side=Message(side, context="side"),
                              location=location['code']),
                      code="stock.bad_location",
                      field=f"{side}_location_code")
    if not line_side and is_line_side:
        raise Invalid(Message("A {kind} does not go {side} a line-side location such as "
                              "{location}.",
                              kind=term("movement", kind), side=Message(side, context="side"),
                              location=location['code']),
                      code="stock.bad_location",
                      field=f"{side}_location_code")


def _lot_words(lot: Mapping[str, Any] | None) -> str:
    return Message(" of lot {lot}", lot=lot["code"]) if lot else ""


async def post_movement(
    uow: UnitOfWork,
    kind: MovementKind,
    *,
    item_id: int,
    quantity: Decimal,
    lot_id: int | None = None,
    from_location_id: int | None = None,
    to_location_id: int | None = None,
    to_lot_id: int | None = None,
    document_type: str,
    document_code: str,
    reason_code_id: int | None = None,
    note: str = "",
    at: datetime | None = None,
) -> PostedMovement:
    """Append one movement to the stock ledger and update on-hand, in the caller's
    transaction (call it inside ``run_command`` / ``execute``).

    Args:
        uow: The command's unit of work; its actor and idempotency key are written on the row,
            and a ``stock.moved`` event is queued for after the commit.
        kind: One of :data:`KINDS`; its rule says which locations it needs.
        item_id: The item (``md_item.id``).
        quantity: Positive, in the item's unit, with at most the unit's decimals.
        lot_id: The lot moved (``inv_lot.id``); ``None`` for stock kept without lots.
        from_location_id: Where the stock leaves (``md_location.id``), if the kind has one.
        to_location_id: Where it arrives, if the kind has one.
        to_lot_id: The lot the stock arrives as, when it differs from ``lot_id`` (a split).
        document_type: What the movement belongs to: ``receipt``, ``work_order``, ``move``...
        document_code: That document's code (``RCV-2026-00001``, ``WO-2026-00007``).
        reason_code_id: Why (``md_reason_code.id``), for scrap, returns and miscellaneous.
        note: Free text.
        at: When it happened (default now, UTC).

    Returns:
        The movement written.

    Raises:
        Invalid: a bad quantity, a location the kind does not take, a lot of another item.
        Conflict: ``stock.insufficient`` when a real location holds less than ``quantity``;
            ``lot.not_released`` when a pending or blocked lot would be put into use.
        NotFound: the item, a lot or a location does not exist.

    Writes no audit row: the ledger row is its own record (who, when, which key); the
    command that calls it audits what it did as a whole.
    """
    rule = KINDS.get(kind)
    if rule is None:
        raise Invalid(Message("{kind!r} is not a kind of stock movement.", kind=kind),
                      code="stock.bad_kind")
    item = await _ITEM.fetchrow(item_id)
    if item is None:
        raise NotFound(Message("That item does not exist."), code="item.not_found")
    amount = check_quantity(quantity, item["decimals"], item["unit"])

    lots = {row["id"]: row for row in await _LOTS.fetch(lot_id, to_lot_id)} \
        if lot_id or to_lot_id else {}
    lot = lots.get(lot_id) if lot_id else None
    arriving_lot = lots.get(to_lot_id) if to_lot_id else lot
    for wanted, found in ((lot_id, lot), (to_lot_id, arriving_lot)):
        if wanted and found is None:
            raise NotFound(Message("That lot does not exist."), code="lot.not_found")
        if found is not None and found["item"] != item_id:
            raise Invalid(Message("Lot {code} is not a lot of {item}.",
                                  code=found['code'], item=item['code']),
                          code="stock.lot_item_mismatch", field="lot_code")

    places = {row["id"]: row for row in await _LOCATIONS.fetch(from_location_id,
                                                                 to_location_id)} \
        if from_location_id or to_location_id else {}
    source = places.get(from_location_id) if from_location_id else None
    target = places.get(to_location_id) if to_location_id else None
    if (from_location_id and source is None) or (to_location_id and target is None):
        raise NotFound(Message("That location does not exist."), code="location.not_found")
    if kind == "count_adjustment" and (source is None) == (target is None):
        raise Invalid(Message("A count adjustment either takes stock from a location or adds it "
                              "to one."), code="stock.location_required")
    _check_place(rule.source, source, "from", kind, rule.source_line_side)
    _check_place(rule.target, target, "to", kind, rule.target_line_side)
    if target is not None and not target["active"]:
        raise Invalid(Message("Location {target} is deactivated; stock cannot go there.",
                              target=target['code']),
                      code="reference.inactive", field="to_location_code")
    if target is not None and rule.target_kinds and target["kind"] not in rule.target_kinds:
        raise Invalid(Message("A {kind} goes to a scrap location; {target} is not one.",
                              kind=kind, target=target['code']),
                      code="stock.bad_location", field="to_location_code")
    if source is not None and target is not None and source["id"] == target["id"] \
            and arriving_lot is lot:
        raise Invalid(Message("The stock is already at {source}.", source=source['code']),
                      code="stock.same_location", field="to_location_code")

    if lot is not None and lot["quality_status"] != "released":
        out_of_the_way = kind == "transfer" and target is not None \
            and target["kind"] in OUT_OF_THE_WAY
        if rule.needs_released and not out_of_the_way:
            raise Conflict(
                Message("Lot {lot} is {status}; it cannot be used until an inspector releases it.",
                        lot=lot['code'],
                        status=_STATUS_WORDS.get(lot['quality_status'], Message("not released"))),
                code="lot.not_released", lot_code=lot["code"],
                quality_status=lot["quality_status"])

    now = at or datetime.now(UTC)
    arriving_id = arriving_lot["id"] if arriving_lot else None
    # The two on-hand rows are written in key order, so a transfer A -> B racing one B -> A
    # on PostgreSQL queues instead of deadlocking. A refused take undoes an add made first.
    writes: list[tuple[str, str, Mapping[str, Any]]] = []
    if source is not None:
        writes.append((stock_key(item_id, lot_id, source["id"]), "take", source))
    if target is not None:
        writes.append((stock_key(item_id, arriving_id, target["id"]), "add", target))
    done: list[tuple[str, Mapping[str, Any]]] = []
    for key, action, place in sorted(writes, key=lambda write: write[0]):
        if action == "add":
            await ADD_TO_ON_HAND.execute(key, item_id, arriving_id, place["id"], amount, now)
            done.append((key, place))
        elif place["kind"] == "line_side":
            await ADD_TO_ON_HAND.execute(key, item_id, lot_id, place["id"], -amount, now)
        elif await _TAKE.fetchrow(key, amount, now) is None:
            for added_key, added_place in done:
                await ADD_TO_ON_HAND.execute(added_key, item_id, arriving_id, added_place["id"],
                                             -amount, now)
            have = six(await _ON_HAND.fetchval(key))
            unit = item["unit"]
            held = (f"only {qty(have)} {unit}" if have > 0 else "none")
            raise Conflict(
                Message("{place} holds {held} of {item}{lot}; {amount} {unit} cannot be taken "
                        "from it.",
                        place=place['code'], held=held, item=item['code'], lot=_lot_words(lot),
                        amount=qty(amount), unit=unit),
                code="stock.insufficient", available=str(qty(max(have, ZERO))),
                item_code=item["code"], lot_code=lot["code"] if lot else None,
                location_code=place["code"])

    actor = uow.actor
    movement_id = await _INSERT_MOVEMENT.fetchval(
        kind, item_id, lot_id, to_lot_id if to_lot_id != lot_id else None,
        source["id"] if source else None, target["id"] if target else None, amount,
        item["unit_id"], document_type, document_code, reason_code_id, note, actor.user_id,
        actor.username, uow.idempotency_key, now)

    topics = [f"item:{item['code']}"]
    topics += [f"lot:{row['code']}" for row in {id(r): r for r in (lot, arriving_lot)
                                                 if r is not None}.values()]
    for end in (source, target):
        if end is not None:
            topics.append(f"location:{end['code']}")
            if end["line"]:
                topics.append(f"line:{end['line']}")
    uow.emit("stock.moved", str(movement_id), *topics)
    return PostedMovement(
        id=movement_id, kind=kind, item_code=item["code"],
        lot_code=lot["code"] if lot else None,
        to_lot_code=arriving_lot["code"] if arriving_lot else None,
        from_location_code=source["code"] if source else None,
        to_location_code=target["code"] if target else None,
        quantity=qty(amount), unit=item["unit"], document_type=document_type,
        document_code=document_code, at=now)


# --- lots ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LotRef:
    """A lot just made."""

    id: int
    code: str
    quality_status: str


_ITEM_FLAGS = Statement("SELECT code, incoming_inspection FROM md_item WHERE id = $1")


async def create_lot(
    uow: UnitOfWork,
    *,
    item_id: int,
    origin: LotOrigin,
    quantity: Decimal = ZERO,
    quality_status: str | None = None,
    supplier_id: int | None = None,
    supplier_lot: str = "",
    expires_on: date | None = None,
    gtin: str | None = None,
    serial: str = "",
    work_order_code: str | None = None,
    hold_reason: str = "",
    hold_note: str = "",
    at: datetime | None = None,
) -> LotRef:
    """Make a lot with the next ``LOT-<year>-<n>`` code (audited, ``lot.created`` event).

    Its quality status defaults to ``pending`` for an item flagged for incoming inspection
    and ``released`` otherwise. It holds no stock until a movement brings some (``receipt``,
    ``produce``...). Production calls this for the lot a work order produces
    (``origin="production"``, ``work_order_code=...``).
    """
    item = await _ITEM_FLAGS.fetchrow(item_id)
    if item is None:
        raise NotFound(Message("That item does not exist."), code="item.not_found")
    status = quality_status or ("pending" if item["incoming_inspection"] else "released")
    if status not in ("pending", "released", "blocked"):
        raise Invalid(Message("{status!r} is not a quality status.", status=status),
                      code="lot.bad_status")
    now = at or datetime.now(UTC)
    code = await next_document_code("LOT", now)
    rows = await Lot.insert(Lot(
        code=code, item=item_id, supplier=supplier_id, supplier_lot=supplier_lot,
        expires_on=expires_on, quality_status=status, hold_reason=hold_reason,
        hold_note=hold_note, gtin=gtin, serial=serial, origin=origin,
        work_order_code=work_order_code, quantity=six(quantity), created_at=now,
        updated_at=now)).returning(Lot.id)
    await uow.audit("lot.create", "lot", code, after={
        "item_code": item["code"], "origin": origin, "quality_status": status,
        "supplier_lot": supplier_lot, "expires_on": expires_on.isoformat() if expires_on else None,
        "work_order_code": work_order_code, "quantity": str(qty(quantity)),
        "hold_reason": hold_reason, "hold_note": hold_note})
    uow.emit("lot.created", code, f"lot:{code}", f"item:{item['code']}", version=1)
    return LotRef(id=rows[0]["id"], code=code, quality_status=status)


async def link_lots(
    uow: UnitOfWork,
    *,
    parent_lot_id: int,
    child_lot_id: int,
    quantity: Decimal,
    kind: Literal["consume", "split"] = "consume",
    document_type: str,
    document_code: str,
    at: datetime | None = None,
) -> None:
    """Record genealogy: ``quantity`` of the parent lot went into the child lot (a component
    consumed into a produced lot, or part of a lot split off). The trace follows these."""
    if parent_lot_id == child_lot_id:
        raise Invalid(Message("A lot cannot go into itself."), code="lot.self_link")
    await LotLink.insert(LotLink(
        parent=parent_lot_id, child=child_lot_id, kind=kind, quantity=six(quantity),
        document_type=document_type, document_code=document_code,
        at=at or datetime.now(UTC)))


# --- verification ----------------------------------------------------------------------------

@dataclass(frozen=True)
class StockDifference:
    """An on-hand row that does not equal what the ledger adds up to."""

    item_code: str
    lot_code: str | None
    location_code: str
    ledger: Decimal
    on_hand: Decimal


_COMPARE = Statement("""
    SELECT s.item, s.lot, s.location, SUM(s.ledger) AS ledger, SUM(s.on_hand) AS on_hand
    FROM (
        SELECT item, COALESCE(to_lot, lot) AS lot, to_location AS location,
               quantity AS ledger, 0 AS on_hand
        FROM inv_movement WHERE to_location IS NOT NULL
        UNION ALL
        SELECT item, lot, from_location, -quantity, 0
        FROM inv_movement WHERE from_location IS NOT NULL
        UNION ALL
        SELECT item, lot, location, 0, quantity FROM inv_on_hand_now
    ) s
    GROUP BY s.item, s.lot, s.location
""")
"""The ledger summed and on-hand side by side, in one statement (one snapshot)."""


async def verify_stock() -> list[StockDifference]:
    """Rebuild on-hand from the ledger and return every row where they differ (none, when
    all is well). One statement reads both, so movements committing meanwhile cannot show
    up as differences. On SQLite the sums are of REAL values, rounded to six decimals."""
    rows = await _COMPARE.fetch()
    ledger = {(r["item"], r["lot"], r["location"]): six(r["ledger"]) for r in rows}
    on_hand = {(r["item"], r["lot"], r["location"]): six(r["on_hand"]) for r in rows}
    wrong = [key for key in ledger if ledger[key] != on_hand[key]]
    if not wrong:
        return []
    items = {r["id"]: r["code"] for r in await Item.select(Item.id, Item.code).where(
        Item.id.is_in(list({k[0] for k in wrong})))}
    lot_ids = list({k[1] for k in wrong if k[1]})
    lots = {r["id"]: r["code"] for r in await Lot.select(Lot.id, Lot.code).where(
        Lot.id.is_in(lot_ids))} if lot_ids else {}
    places = {r["id"]: r["code"] for r in await Location.select(
        Location.id, Location.code).where(Location.id.is_in(list({k[2] for k in wrong})))}
    return sorted((StockDifference(
        item_code=items.get(k[0], str(k[0])), lot_code=lots.get(k[1]) if k[1] else None,
        location_code=places.get(k[2], str(k[2])), ledger=qty(ledger.get(k, ZERO)),
        on_hand=qty(on_hand.get(k, ZERO))) for k in wrong),
        key=lambda d: (d.item_code, d.lot_code or "", d.location_code))
