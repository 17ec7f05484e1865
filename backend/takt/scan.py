"""Resolve any scanned text to a record and what the signed-in user may do next.

The service behind ``GET /api/v1/scan`` (:mod:`takt.scan_api`); it knows no HTTP.
"""

from __future__ import annotations

import msgspec

from takt.inventory.scan import register_record_kinds as register_inventory_kinds
from takt.masterdata.scan import register_record_kinds as register_masterdata_kinds
from takt.platform import records
from takt.platform.errors import Invalid, NotFound
from takt.platform.i18n import Message
from takt.platform.scantext import BareCode, Gs1, LabelRef, ScanTextError, parse_scan
from takt.platform.users import register_badge_kind
from takt.production.scan import register_record_kinds as register_production_kinds
from takt.production.serials import register_serial_kind

__all__ = ["ScanResult", "register_record_kinds", "resolve_scan"]

BARE_CODE_ORDER = ("WO", "OP", "LOT", "SN", "LOC", "WS", "EQ", "ITEM", "U")
"""Which kinds a bare code is looked up in, first match wins (work is scanned most)."""


def register_record_kinds() -> None:
    """Register every module's label kinds (at start-up of the app and of the CLI)."""
    register_badge_kind()
    register_masterdata_kinds()
    register_inventory_kinds()  # after master data: its GS1 resolver is asked first
    register_production_kinds()
    register_serial_kind()


class Gs1Data(msgspec.Struct):
    """What a supplier's GS1 label said (to prefill a receipt)."""

    gtin: str | None
    batch: str | None
    expiry: str | None
    serial: str | None


class ScanResult(msgspec.Struct):
    """A scan resolved: the record, and the actions this user's roles allow on it."""

    kind: str
    id: int
    code: str
    title: str
    status: str
    actions: list[str]
    gs1: Gs1Data | None = None


def _unknown(text: str) -> NotFound:
    shown = text if len(text) <= 60 else text[:57] + "..."
    return NotFound(Message("Takt does not know the code {shown!r}.", shown=shown),
                    code="scan.unknown")


async def resolve_scan(text: str, roles: frozenset[str]) -> ScanResult:
    """Parse ``text`` by content (label URL, GS1, bare code) and find its record.

    Raises:
        Invalid: the text is empty, too long or a malformed GS1 string.
        NotFound: nothing in Takt carries this code (``scan.unknown``).
    """
    try:
        parsed = parse_scan(text)
    except ScanTextError as exc:
        raise Invalid(exc.sentence, code="scan.unreadable") from None
    record: records.Record | None = None
    gs1: Gs1Data | None = None
    if isinstance(parsed, LabelRef):
        record = await records.resolve(parsed.kind, parsed.code)
    elif isinstance(parsed, Gs1):
        record = await records.resolve_gs1(parsed.gtin, parsed.batch, parsed.serial)
        gs1 = Gs1Data(gtin=parsed.gtin, batch=parsed.batch, serial=parsed.serial,
                      expiry=parsed.expiry.isoformat() if parsed.expiry else None)
    elif isinstance(parsed, BareCode):
        for kind in (k for k in BARE_CODE_ORDER if k in records.kinds()):
            record = await records.resolve(kind, parsed.code)
            if record is not None:
                break
    if record is None:
        raise _unknown(text.strip())
    spec = records.spec(record.kind)
    actions = [action for action, allowed in (spec.actions if spec else ())
               if allowed & roles and (record.offers is None or action in record.offers)
               ] if record.status != "inactive" else []
    return ScanResult(kind=record.kind, id=record.id, code=record.code, title=record.title,
                      status=record.status, actions=actions, gs1=gs1)
