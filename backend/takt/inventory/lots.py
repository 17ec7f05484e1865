"""Lots: read and list them, and the inspector's release and block with their history.

A lot's quality status is what others rely on (a blocked lot cannot be picked, consumed or
shipped; a released one can), so each change is one guarded ``UPDATE`` and one audit row that
keeps who, when, why (a hold reason code) and the inspector's note; the lot's read lists those
rows as its status history.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Literal

from piccolo.columns.combination import Or

from takt.inventory import schemas as s
from takt.inventory.ledger import ZERO, qty, six
from takt.inventory.tables import Lot, OnHandNow, Receipt
from takt.masterdata.lookups import reason_by_code
from takt.masterdata.tables import ReasonCode
from takt.platform.commands import UnitOfWork
from takt.platform.errors import Conflict, Invalid, NotFound
from takt.platform.i18n import Message
from takt.platform.tables import AuditEntry

__all__ = ["block_lot", "get_lot", "list_lots", "release_lot"]

_STATUS_WORDS = {"pending": Message("waiting for inspection"),
                 "released": Message("released", context="lot status"),
                 "blocked": Message("blocked", context="lot status")}
_HISTORY_ACTIONS = ("lot.create", "lot.release", "lot.block")
"""Audit rows that set a lot's quality status: made, released, blocked."""


async def _lot_row(code: str) -> dict[str, Any]:
    row = await Lot.select(Lot.id, Lot.code, Lot.quality_status, Lot.version,
                           Lot.item.code.as_alias("item_code")).where(
        Lot.code == code.upper()).first()
    if row is None:
        raise NotFound(Message("There is no lot {code}.", code=code.upper()), code="lot.not_found")
    return row


async def _set_status(uow: UnitOfWork, code: str, allowed: tuple[str, ...], status: str,
                      action: Literal["release", "block"], *, reason: str = "", note: str = ""
                      ) -> s.LotOut:
    row = await _lot_row(code)
    if row["quality_status"] not in allowed:
        raise Conflict(Message("Lot {code} is already {status}.",
                               code=row['code'], status=_STATUS_WORDS[row['quality_status']]),
                       code="lot.bad_status", quality_status=row["quality_status"])
    # A blocked lot keeps why on the row (pickers read it); a released one has no hold, and
    # the release note lives in the audit row, the lot's history.
    held = status == "blocked"
    changed = await Lot.update({
        Lot.quality_status: status, Lot.hold_reason: reason if held else "",
        Lot.hold_note: note if held else "",
        Lot.version: Lot.version + 1, Lot.updated_at: datetime.now(UTC),
    }).where(Lot.id == row["id"], Lot.quality_status == row["quality_status"]).returning(
        Lot.version)
    if not changed:  # someone changed it between the read and the update
        now = await _lot_row(code)
        raise Conflict(Message("Lot {code} is {status} now; look again.",
                               code=row['code'], status=_STATUS_WORDS[now['quality_status']]),
                       code="lot.bad_status",
                       quality_status=now["quality_status"])
    at = datetime.now(UTC)
    await uow.audit(f"lot.{action}", "lot", row["code"],
                    before={"quality_status": row["quality_status"]},
                    after={"quality_status": status, "hold_reason": reason, "hold_note": note})
    uow.emit(f"lot.{action}ed" if action == "block" else f"lot.{action}d", row["code"],
             f"lot:{row['code']}", f"item:{row['item_code']}", version=changed[0]["version"])
    out = await get_lot(row["code"])
    # The audit row is written last, with the command's other last writes: the answer
    # shows this change in the history already.
    out.history.append(s.LotStatusChange(
        at=at, by=uow.actor.username, action=action, status=status, reason_code=reason,
        reason_name=out.hold_reason_name if reason else "", note=note))
    return out


async def release_lot(uow: UnitOfWork, code: str, data: s.ReleaseIn | None = None
                      ) -> s.LotOut:
    """Release a pending or blocked lot: it may be used again. The inspector's note, if any,
    stays in the audit row and the lot's history."""
    note = data.note.strip() if data else ""
    return await _set_status(uow, code, ("pending", "blocked"), "released", "release",
                             note=note)


async def block_lot(uow: UnitOfWork, code: str, data: s.BlockIn) -> s.LotOut:
    """Block a pending or released lot (a reason code of kind hold, or a note, is needed):
    nothing of it may be issued, consumed or shipped until it is released."""
    reason = await reason_by_code(data.reason_code, ("hold",))
    if reason is None and not data.note.strip():
        raise Invalid(Message("Say why the lot is blocked: a hold reason code or a note."),
                      code="lot.block_reason_required", field="reason_code")
    return await _set_status(uow, code, ("pending", "released"), "blocked", "block",
                             reason=reason["code"] if reason else "", note=data.note.strip())


async def _history(code: str, hold_reason: str) -> tuple[list[s.LotStatusChange], str]:
    """The lot's quality-status changes, and the name of its current ``hold_reason``: every
    reason's name read at once."""
    rows = await AuditEntry.select(
        AuditEntry.at, AuditEntry.username, AuditEntry.action, AuditEntry.after,
    ).where(AuditEntry.entity == "lot", AuditEntry.entity_code == code,
            AuditEntry.action.is_in(list(_HISTORY_ACTIONS))).order_by(
        AuditEntry.id).output(load_json=True)
    afters = [row["after"] if isinstance(row["after"], dict) else {} for row in rows]
    reasons = [str(after.get("hold_reason") or "") for after in afters]
    names = await _reason_names([*reasons, hold_reason])
    history = [s.LotStatusChange(
        at=row["at"], by=row["username"], action=row["action"].removeprefix("lot."),
        status=str(after.get("quality_status", "")), reason_code=reason,
        reason_name=names.get(reason, reason), note=str(after.get("hold_note") or ""))
        for row, after, reason in zip(rows, afters, reasons, strict=True)]
    return history, names.get(hold_reason, hold_reason)


async def _reason_names(codes: Iterable[str]) -> dict[str, str]:
    """The names of these reason codes (inactive ones too: a lot blocked long ago keeps its
    reason's name)."""
    wanted = sorted({code for code in codes if code})
    if not wanted:
        return {}
    rows = await ReasonCode.select(ReasonCode.code, ReasonCode.name).where(
        ReasonCode.code.is_in(wanted))
    return {row["code"]: row["name"] for row in rows}


async def get_lot(code: str) -> s.LotOut:
    """A lot with its stock by location and the history of its quality status."""
    row = await Lot.select(
        Lot.id, Lot.code, Lot.item.code.as_alias("item_code"),
        Lot.item.name.as_alias("item_name"), Lot.item._.unit.code.as_alias("unit"),
        Lot.quality_status, Lot.hold_reason, Lot.hold_note, Lot.origin,
        Lot.supplier.code.as_alias("supplier_code"), Lot.supplier_lot, Lot.expires_on,
        Lot.gtin, Lot.serial, Lot.work_order_code, Lot.quantity, Lot.version, Lot.created_at,
    ).where(Lot.code == code.upper()).first()
    if row is None:
        raise NotFound(Message("There is no lot {code}.", code=code.upper()), code="lot.not_found")
    stock = await OnHandNow.select(OnHandNow.location.code.as_alias("location_code"),
                                OnHandNow.quantity).where(
        OnHandNow.lot == row["id"], OnHandNow.quantity != 0).order_by(OnHandNow.location.code)
    receipt = await Receipt.select(Receipt.code, Receipt.po_reference).where(
        Receipt.lot == row["id"]).first()
    places = [s.LotStock(location_code=r["location_code"], quantity=qty(r["quantity"]))
              for r in stock if six(r["quantity"]) != 0]
    history, hold_reason_name = await _history(row["code"], row["hold_reason"] or "")
    return s.LotOut(
        code=row["code"], item_code=row["item_code"], item_name=row["item_name"],
        unit=row["unit"], quality_status=row["quality_status"], hold_reason=row["hold_reason"],
        hold_reason_name=hold_reason_name,
        hold_note=row["hold_note"], origin=row["origin"], supplier_code=row["supplier_code"],
        supplier_lot=row["supplier_lot"], expires_on=row["expires_on"], gtin=row["gtin"],
        serial=row["serial"], work_order_code=row["work_order_code"],
        receipt_code=receipt["code"] if receipt else None,
        po_reference=receipt["po_reference"] if receipt else None,
        quantity=qty(row["quantity"]), on_hand=qty(sum((p.quantity for p in places), ZERO)),
        stock=places, version=row["version"], created_at=row["created_at"],
        history=history)


async def list_lots(*, limit: int, offset: int, item_code: str | None,
                    quality_status: str | None, q: str | None) -> tuple[list[s.LotRow], int]:
    """Lots, newest first (an inspector's worklist: ``quality_status=pending``)."""
    query = Lot.select(
        Lot.code, Lot.item.code.as_alias("item_code"), Lot.item.name.as_alias("item_name"),
        Lot.quality_status, Lot.origin, Lot.supplier.code.as_alias("supplier_code"),
        Lot.supplier_lot, Lot.expires_on, Lot.quantity,
        Lot.item._.unit.code.as_alias("unit"), Lot.created_at,
    ).order_by(Lot.created_at, ascending=False).order_by(Lot.id, ascending=False)
    count = Lot.count()
    conditions = []
    if item_code:
        conditions.append(Lot.item.code == item_code.upper())
    if quality_status:
        conditions.append(Lot.quality_status == quality_status)
    if q:
        conditions.append(Or(Lot.code.ilike(f"%{q}%"), Lot.supplier_lot.ilike(f"%{q}%")))
    for condition in conditions:
        query = query.where(condition)
        count = count.where(condition)
    rows = await query.limit(limit).offset(offset)
    return [s.LotRow(**{**row, "quantity": qty(row["quantity"])}) for row in rows], await count
