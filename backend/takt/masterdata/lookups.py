"""Look-ups of master data by code for the commands of later modules: an item, a location, a
supplier, a customer, a reason code. Each refuses an unknown or deactivated record with the
same sentence and code wherever it is used, naming the request field at fault."""

from __future__ import annotations

from typing import Any

from takt.masterdata.tables import Item, Location, Party, ReasonCode
from takt.platform.errors import Invalid
from takt.platform.i18n import Message

__all__ = ["customer_by_code", "item_by_code", "location_by_code", "reason_by_code",
           "supplier_by_code"]


async def item_by_code(code: str, field: str = "item_code") -> dict[str, Any]:
    """An active item with its unit (``unit_id``, ``unit``, ``decimals``) and stock flags.

    Raises:
        Invalid: ``reference.unknown`` or ``reference.inactive``.
    """
    row = await Item.select(
        Item.id, Item.code, Item.name, Item.active, Item.batch_managed,
        Item.incoming_inspection, Item.serial_tracked, Item.gtin, Item.unit.as_alias("unit_id"),
        Item.unit.code.as_alias("unit"),
        Item.unit.decimals.as_alias("decimals"),
    ).where(Item.code == code.upper()).first()
    if row is None:
        raise Invalid(Message("There is no item with code {code}.", code=code.upper()),
                      code="reference.unknown", field=field)
    if not row["active"]:
        raise Invalid(Message("The item {code} is deactivated.", code=row["code"]),
                      code="reference.inactive", field=field)
    return row


async def location_by_code(code: str, field: str) -> dict[str, Any]:
    """An active location with its kind and line.

    Raises:
        Invalid: ``reference.unknown`` or ``reference.inactive``.
    """
    row = await Location.select(Location.id, Location.code, Location.kind, Location.active,
                                Location.line_id).where(Location.code == code.upper()).first()
    if row is None:
        raise Invalid(Message("There is no location with code {code}.", code=code.upper()),
                      code="reference.unknown", field=field)
    if not row["active"]:
        raise Invalid(Message("The location {code} is deactivated.", code=row["code"]),
                      code="reference.inactive", field=field)
    return row


async def supplier_by_code(code: str, field: str = "supplier_code") -> dict[str, Any]:
    """An active party we buy from (kind ``supplier`` or ``both``).

    Raises:
        Invalid: ``reference.unknown``, ``reference.inactive`` or ``party.not_a_supplier``.
    """
    row = await Party.select(Party.id, Party.code, Party.name, Party.kind, Party.active).where(
        Party.code == code.upper()).first()
    if row is None:
        raise Invalid(Message("There is no supplier with code {code}.", code=code.upper()),
                      code="reference.unknown", field=field)
    if not row["active"]:
        raise Invalid(Message("The supplier {code} is deactivated.", code=row["code"]),
                      code="reference.inactive", field=field)
    if row["kind"] not in ("supplier", "both"):
        raise Invalid(Message("{code} is a customer, not a supplier.", code=row["code"]),
                      code="party.not_a_supplier", field=field)
    return row


async def customer_by_code(code: str, field: str = "customer_code") -> dict[str, Any]:
    """An active party we ship to (kind ``customer`` or ``both``).

    Raises:
        Invalid: ``reference.unknown``, ``reference.inactive`` or ``party.not_a_customer``.
    """
    row = await Party.select(Party.id, Party.code, Party.name, Party.kind, Party.active).where(
        Party.code == code.upper()).first()
    if row is None:
        raise Invalid(Message("There is no customer with code {code}.", code=code.upper()),
                      code="reference.unknown", field=field)
    if not row["active"]:
        raise Invalid(Message("The customer {code} is deactivated.", code=row["code"]),
                      code="reference.inactive", field=field)
    if row["kind"] not in ("customer", "both"):
        raise Invalid(Message("{code} is a supplier, not a customer.", code=row["code"]),
                      code="party.not_a_customer", field=field)
    return row


async def reason_by_code(code: str | None, kinds: tuple[str, ...],
                         field: str = "reason_code") -> dict[str, Any] | None:
    """An active reason code of one of ``kinds`` (``id``, ``code``, ``kind``); ``None`` when
    no code is given.

    Raises:
        Invalid: ``reference.unknown``, ``reference.inactive`` or ``reason.wrong_kind``.
    """
    if code is None:
        return None
    row = await ReasonCode.select(ReasonCode.id, ReasonCode.code, ReasonCode.kind,
                                  ReasonCode.active).where(
        ReasonCode.code == code.upper()).first()
    if row is None:
        raise Invalid(Message("There is no reason code {code}.", code=code.upper()),
                      code="reference.unknown", field=field)
    if not row["active"]:
        raise Invalid(Message("The reason code {code} is deactivated.", code=row["code"]),
                      code="reference.inactive", field=field)
    if row["kind"] not in kinds:
        raise Invalid(Message("{code} is a {kind} reason; this needs one of kind {kinds}.",
                              code=row["code"], kind=row["kind"], kinds=" or ".join(kinds)),
                      code="reason.wrong_kind", field=field)
    return row
